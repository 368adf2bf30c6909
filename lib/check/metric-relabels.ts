import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import type { GraphObject } from './graph-object';

/**
 * What a ServiceMonitor's or PodMonitor's metricRelabelings do to a metric's name, as Prometheus applies a
 * `replace` rule whose only source label is __name__ and whose target is __name__ (prometheus model/relabel
 * relabel.go: the regex anchored at both ends, default `(.*)`; the replacement expanded with $1 and ${1}, default
 * `$1`; action replace by default). Other rules (other labels, keep and drop) leave the name as it is here.
 */
export function relabelledName(monitor: Loose, name: string): string {
  const spec = mapping(monitor.spec);
  const endpoints = [...mappings(spec.endpoints), ...mappings(spec.podMetricsEndpoints)];
  // one endpoint's rules: a monitor whose endpoints disagree is read by its first renaming endpoint
  for (const endpoint of endpoints) {
    const renamed = mappings(endpoint.metricRelabelings).reduce((current, rule) => applyRule(rule, current), name);
    if (renamed !== name) return renamed;
  }
  return name;
}

function applyRule(rule: Loose, name: string): string {
  const action = (text(rule.action) ?? 'replace').toLowerCase();
  const sources = strings(rule.sourceLabels);
  if (action !== 'replace' || text(rule.targetLabel) !== '__name__' || sources.length !== 1 || sources[0] !== '__name__') return name;
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${text(rule.regex) ?? '(.*)'})$`);
  } catch {
    return name;
  }
  const m = regex.exec(name);
  if (!m) return name;
  const replacement = text(rule.replacement) ?? '$1';
  // Go's regexp Expand: $1, ${1}; a group that did not match expands to nothing
  const renamed = replacement.replace(/\$\{(\w+)\}|\$(\d+)/g, (_, braced: string | undefined, bare: string | undefined) => m[Number(braced ?? bare)] ?? '');
  return renamed || name;
}

/** The monitors of the tree that rename a vLLM metric (vllm:num_requests_running read as another name), with what it becomes. */
export function vllmRenamingMonitors(monitors: readonly GraphObject[]): { monitor: GraphObject; renamed: (name: string) => string }[] {
  return monitors
    .filter((o) => relabelledName(o.manifest, 'vllm:num_requests_running') !== 'vllm:num_requests_running')
    .map((monitor) => ({ monitor, renamed: (name: string) => relabelledName(monitor.manifest, name) }));
}
