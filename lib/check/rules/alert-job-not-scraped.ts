import { isMapping, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { PromNode, promqlTree, SelectorNode, yieldOf } from '../promql-tree';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { close, TEMPLATE_KINDS } from './service-selector-unmatched';

/**
 * A job label a scrape of the tree gives its targets: `job` undefined where a relabeling sets it from something the
 * files do not show (then any job may be produced); `target` the Service, pods or config it scrapes, for messages.
 */
interface ProducedJob {
  readonly job?: string;
  readonly by: GraphObject;
  readonly target: string;
}

/**
 * The job a relabeling list sets last (`targetLabel: job`, prometheus-operator's RelabelConfig; `target_label` in a
 * scrape config): its literal replacement, 'unknown' where it copies a source label or a capture group, undefined where
 * none sets job.
 */
function relabelledJob(relabelings: unknown, key: 'targetLabel' | 'target_label'): string | undefined {
  let job: string | undefined;
  for (const r of mappings(relabelings)) {
    if (text(r[key]) !== 'job') continue;
    const action = (text(r.action) ?? 'replace').toLowerCase();
    const replacement = text(r.replacement) ?? '$1';
    job = action === 'replace' && !replacement.includes('$') && !strings(r.sourceLabels ?? r.source_labels).length ? replacement : 'unknown';
  }
  return job;
}

/** The namespaces a monitor looks in (prometheus-operator getNamespacesFromNamespaceSelector); undefined for all. */
function monitorNamespaces(m: GraphObject, graph: ObjectGraph): string[] | undefined {
  const selector = mapping(mapping(m.manifest.spec).namespaceSelector);
  if (selector.any === true) return undefined;
  const names = strings(selector.matchNames);
  return names.length ? names : [graph.namespaceOf(m.manifest) ?? 'default'];
}

const within = (graph: ObjectGraph, o: GraphObject, namespaces: string[] | undefined) => {
  const ns = graph.namespaceOf(o.manifest);
  return namespaces === undefined || ns === undefined || namespaces.includes(ns);
};

/**
 * The jobs of a ServiceMonitor: each matched Service's name, or the value of its spec.jobLabel label where the Service
 * carries it; of a PodMonitor: `<namespace>/<name>`, or the pods' jobLabel label value (prometheus-operator
 * pkg/prometheus/promcfg.go generateServiceMonitorConfig / generatePodMonitorConfig). An endpoint relabeling of job
 * overrides both. A monitor matching nothing of the tree scrapes what is delivered elsewhere: job unknown.
 */
function monitorJobs(m: GraphObject, graph: ObjectGraph): ProducedJob[] {
  const spec = mapping(m.manifest.spec);
  const service = m.manifest.kind === 'ServiceMonitor';
  const endpoints = mappings(service ? spec.endpoints : spec.podMetricsEndpoints);
  const relabelled = endpoints.map((e) => relabelledJob(e.relabelings, 'targetLabel')).find((j) => j !== undefined);
  const name = text(mapping(m.manifest.metadata).name) ?? '';
  if (relabelled !== undefined) return [{ by: m, target: 'its relabelings', ...(relabelled === 'unknown' ? {} : { job: relabelled }) }];
  const jobLabel = text(spec.jobLabel);
  const namespaces = monitorNamespaces(m, graph);
  if (!service) {
    const pods = TEMPLATE_KINDS.flatMap((k) => graph.ofKind(k)).filter(
      (w) =>
        within(graph, w, namespaces) && selectorMatches(spec.selector, stringMap(mapping(mapping(mapping(w.manifest.spec).template).metadata).labels)) === true,
    );
    const own = `${graph.namespaceOf(m.manifest) ?? 'default'}/${name}`;
    if (!jobLabel) return [{ by: m, target: pods.length ? pods.map((p) => graph.id(p)).join(', ') : 'its pods', job: own }];
    if (!pods.length) return [{ by: m, target: 'its pods' }];
    return pods.map((p) => ({
      by: m,
      target: graph.id(p),
      job: stringMap(mapping(mapping(mapping(p.manifest.spec).template).metadata).labels)[jobLabel] ?? own,
    }));
  }
  const services = graph
    .ofKind('Service')
    .filter((s) => s.manifest.apiVersion === 'v1' && within(graph, s, namespaces))
    .filter((s) => selectorMatches(spec.selector, stringMap(mapping(s.manifest.metadata).labels)) === true);
  if (!services.length) return [{ by: m, target: 'Services outside the tree' }];
  return services.map((s) => {
    const serviceName = text(mapping(s.manifest.metadata).name) ?? '';
    const labelled = jobLabel ? stringMap(mapping(s.manifest.metadata).labels)[jobLabel] : undefined;
    return { by: m, target: `Service '${serviceName}'`, job: labelled ?? serviceName };
  });
}

/** The scrape configs of a Prometheus configuration a ConfigMap holds: each job_name, or unknown where a relabeling sets job. */
function scrapeConfigJobs(o: GraphObject): ProducedJob[] {
  return Object.values(mapping(o.manifest.data)).flatMap((value) => {
    if (typeof value !== 'string' || !/scrape_configs\s*:/.test(value)) return [];
    const parsed = parseOne(value);
    const config = 'value' in parsed && isMapping(parsed.value) ? parsed.value : {};
    return mappings(config.scrape_configs).map((c): ProducedJob => {
      const relabelled = relabelledJob(c.relabel_configs, 'target_label') ?? relabelledJob(c.metric_relabel_configs, 'target_label');
      const job = relabelled ?? text(c.job_name);
      return { by: o, target: `scrape config '${text(c.job_name) ?? ''}'`, ...(job === undefined || job === 'unknown' ? {} : { job }) };
    });
  });
}

/** Every job the tree's monitors and Prometheus configurations give their targets. */
function producedJobs(graph: ObjectGraph): ProducedJob[] {
  const monitors = ['ServiceMonitor', 'PodMonitor'].flatMap((k) => graph.ofKind(k)).filter((m) => m.manifest.apiVersion === 'monitoring.coreos.com/v1');
  return [...monitors.flatMap((m) => monitorJobs(m, graph)), ...graph.ofKind('ConfigMap').flatMap(scrapeConfigJobs)];
}

/** The selectors of an expression. */
function selectors(node: PromNode): SelectorNode[] {
  if (node.type === 'selector') return [node];
  if (node.type === 'call') return node.args.flatMap(selectors);
  if (node.type === 'binary') return [...selectors(node.left), ...selectors(node.right)];
  return [];
}

/** The literal a selector's `job="…"` matcher names (not one a template fills). */
function jobOf(s: SelectorNode): string | undefined {
  const m = s.matchers?.find((x) => x.label === 'job' && x.op === '=');
  return m && !holdsTemplate(m.value) && !m.value.includes('$') ? m.value : undefined;
}

/** Why a job literal names no scrape of the tree: the tree's scrapes of what it was evidently meant for, if any. */
interface Unscraped {
  readonly job: string;
  readonly meant: ProducedJob[];
}

/** Names of the tree's Services and workloads: what a job literal close to one of them was written for. */
function treeNames(graph: ObjectGraph): string[] {
  return ['Service', ...TEMPLATE_KINDS].flatMap((k) => graph.ofKind(k)).map((o) => text(mapping(o.manifest.metadata).name) ?? '');
}

/** The job literals of an alert that no scrape of the tree produces and that name the tree's own workloads. */
function unscraped(tree: PromNode, jobs: ProducedJob[], names: string[]): Unscraped[] {
  const literals = [...new Set(selectors(tree).flatMap((s) => jobOf(s) ?? []))];
  return literals.flatMap((job) => {
    if (jobs.some((j) => j.job === job)) return [];
    const meant = jobs.filter((j) => j.job !== undefined && (close(job, j.job) || close(job, j.target.replace(/^Service '|'$/g, ''))));
    // a job of no workload of the tree is another team's or the platform's (kubelet, node-exporter): not judged
    if (!meant.length && !names.some((n) => close(job, n))) return [];
    return [{ job, meant }];
  });
}

function alertProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const jobs = producedJobs(graph);
  // a relabeling whose job the files do not show may produce any job; a tree with no scrape of its own says nothing
  if (!jobs.length || jobs.some((j) => j.job === undefined && j.target === 'its relabelings')) return [];
  const names = treeNames(graph);
  return mappings(mapping(o.manifest.spec).groups).flatMap((g, gi) =>
    mappings(g.rules).flatMap((r, ri): Problem[] => {
      const expr = text(r.expr);
      const tree = expr && text(r.alert) ? promqlTree(expr) : undefined;
      if (!tree) return [];
      const missing = unscraped(tree, jobs, names);
      const dead = new Set(missing.map((m) => m.job));
      if (!missing.length || yieldOf(tree, (s) => dead.has(jobOf(s) ?? '')) !== 'empty') return [];
      const certain = missing.every((m) => m.meant.length > 0);
      const produced = [...new Set(missing.flatMap((m) => m.meant))].map((j) => `${graph.id(j.by)} scrapes ${j.target} as job '${j.job ?? ''}'`);
      const said = missing.map((m) => `job="${m.job}"`).join(', ');
      return [
        {
          ...(certain ? {} : { severity: 'warning' as const }),
          message:
            `spec.groups[${gi}].rules[${ri}] (alert ${text(r.alert) ?? ''}) selects ${said}, which no scrape of the tree produces` +
            (produced.length
              ? `: ${produced.join('; ')} (a ServiceMonitor's job is the Service's name, or its spec.jobLabel label's value; a PodMonitor's is <namespace>/<name>; a relabeling of job overrides both)`
              : ' (its ServiceMonitors, PodMonitors and scrape configs give other jobs)') +
            `: the expression returns no series and the alert never fires${certain ? '' : ', unless a scrape outside the tree produces that job'}; ` +
            `select the job the scrape gives${produced.length ? '' : ', or add a monitor for it'} (or set spec.jobLabel, or a relabeling of job, to give it that name)`,
        },
      ];
    }),
  );
}

export const alertJobNotScraped: Rule = {
  id: 'alert-job-not-scraped',
  title: 'an alert selects a job label no scrape of the tree produces: it never fires',
  severity: 'error',
  appliesTo: ['PrometheusRule'],
  premise:
    'a monitoring.coreos.com PrometheusRule\'s alerting rule whose expression (read as PromQL: a selector without series empties `and`, arithmetic and comparisons; `or` and absent() keep it alive) returns nothing once the selectors whose `job="…"` literal no scrape of the tree produces select nothing; ' +
    "the jobs the tree produces: a ServiceMonitor's, each Service of the tree it matches (selector, spec.namespaceSelector) by its name or, with spec.jobLabel, that label's value; a PodMonitor's <namespace>/<name> or its pods' jobLabel label; an endpoint relabeling with targetLabel job and a literal replacement; a Prometheus configuration's scrape_configs job_name (a ConfigMap's data). " +
    'An error where a scrape of the tree evidently meant for that job (its job or target name close to the literal) gives another job; a warning where the literal is close to a Service or workload of the tree that no scrape of the tree covers (the monitor may be delivered elsewhere). ' +
    "Not judged: a tree with no scrape of its own, a relabeling that sets job from a label or capture group, a job of no workload of the tree (the platform's: kubelet, node-exporter), a job matched by regex or filled by a template",
  example: '`expr: up{job="llm-router"} == 0` beside a ServiceMonitor that scrapes `name: llm-router-metrics`',
  fix: "select the job the scrape produces (the Service name for a ServiceMonitor), or set the monitor's spec.jobLabel or a job relabeling to give the name the alert selects",
  source:
    'prometheus-operator pkg/prometheus/promcfg.go generateServiceMonitorConfig and generatePodMonitorConfig (the job label: __meta_kubernetes_service_name, or __meta_kubernetes_service_label_<jobLabel>; <namespace>/<podmonitor name>, or __meta_kubernetes_pod_label_<jobLabel>; endpoint relabelings applied after); ServiceMonitorSpec.jobLabel and PodMonitorSpec.jobLabel API docs; prometheus config scrape_config job_name (the job label of its targets)',
  check(o, { graph }) {
    if (!String(o.manifest.apiVersion ?? '').startsWith('monitoring.coreos.com/')) return [];
    return alertProblems(o, graph);
  },
};
