import { mapping, stringMap } from '../manifests/access';
import type { ObjectGraph } from './graph';

/**
 * Helm releases the tree signals in a namespace without installing them: the `release: <name>` label on its
 * prometheus-operator objects there (ServiceMonitor, PodMonitor, PrometheusRule, Probe). kube-prometheus-stack selects
 * those by that label (prometheus-community/helm-charts kube-prometheus-stack templates/prometheus/prometheus.yaml:
 * serviceMonitorSelector, podMonitorSelector, ruleSelector matchLabels `release: {{ $.Release.Name }}` while the
 * *SelectorNilUsesHelmValues values are true, the default), so the label names a release of that chart living in the
 * cluster. Its objects are named from the release (templates/_helpers.tpl kube-prometheus-stack.fullname; the grafana
 * and kube-state-metrics subcharts' fullname `<release>-grafana`, `<release>-kube-state-metrics`): such a release
 * populates the namespace with workloads and Services the tree does not show.
 */
export function signalledReleases(graph: ObjectGraph, ns: string | undefined): string[] {
  if (ns === undefined) return [];
  return graph.once(`signalled-releases:${ns}`, () => {
    const names = graph.objects
      .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('monitoring.coreos.com/') && graph.namespaceOf(o.manifest) === ns)
      .map((o) => stringMap(mapping(o.manifest.metadata).labels).release)
      .filter((r): r is string => typeof r === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(r));
    return [...new Set(names)].sort();
  });
}

/** The signalled release whose name begins an object's name (`prometheus` of `prometheus-grafana`), or undefined. */
export function signalledReleaseOf(graph: ObjectGraph, name: string, ns: string | undefined): string | undefined {
  return signalledReleases(graph, ns).find((r) => name.startsWith(`${r}-`));
}
