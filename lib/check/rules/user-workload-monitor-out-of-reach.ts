import { mapping, stringMap, strings, text } from '../../manifests/access';
import { selectorMatches } from '../argocd/label-selector';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { CLUSTER_MONITORING_LABEL, platformMonitored } from '../openshift-monitoring';
import { onOpenShift } from '../platform';
import { Problem, Rule } from '../rule';
import { podLabelSets, TEMPLATE_KINDS } from './service-selector-unmatched';

/** The label a monitor or namespace opts out of user-workload monitoring with (NotIn ["false"] in the same selectors). */
const USER_MONITORING_LABEL = 'openshift.io/user-monitoring';

/** The namespaces a monitor's spec.namespaceSelector names: its matchNames, `any` for every one, undefined for none (its own). */
function selectedNamespaces(m: GraphObject['manifest']): string[] | 'any' | undefined {
  const selector = mapping(mapping(m.spec).namespaceSelector);
  if (selector.any === true) return 'any';
  const names = strings(selector.matchNames);
  return names.length ? names : undefined;
}

/** The tree's objects the monitor's selector picks (Services for a ServiceMonitor, pod templates for a PodMonitor), with their namespaces. */
function targets(graph: ObjectGraph, monitor: GraphObject, namespaces: string[] | 'any'): { o: GraphObject; ns: string }[] {
  const selector = mapping(monitor.manifest.spec).selector;
  const within = (o: GraphObject) => {
    const ns = graph.namespaceOf(o.manifest);
    return ns !== undefined && (namespaces === 'any' || namespaces.includes(ns)) ? ns : undefined;
  };
  const candidates =
    monitor.manifest.kind === 'ServiceMonitor'
      ? graph
          .ofKind('Service')
          .filter((s) => s.manifest.apiVersion === 'v1')
          .map((o) => ({ o, sets: [stringMap(mapping(o.manifest.metadata).labels)] }))
      : TEMPLATE_KINDS.flatMap((k) => graph.ofKind(k)).map((o) => ({ o, sets: podLabelSets(o.manifest) }));
  return candidates.flatMap(({ o, sets }) => {
    const ns = within(o);
    return ns !== undefined && sets.some((l) => selectorMatches(selector, l) === true) ? [{ o, ns }] : [];
  });
}

const listed = (names: readonly string[]) => [...new Set(names)].join(', ');

/** A monitor in a namespace the user workloads' Prometheus does not read, for targets in user namespaces. */
function platformNamespaceProblem(graph: ObjectGraph, monitor: GraphObject, ns: string, how: 'certain' | 'likely'): Problem[] {
  const selected = selectedNamespaces(monitor.manifest);
  const reached = selected === undefined ? [ns] : selected === 'any' ? undefined : selected;
  const users = reached?.filter((n) => !n.startsWith('openshift-') && !n.startsWith('kube-') && n !== 'default' && platformMonitored(graph, n) !== 'certain');
  if (!users?.length || users.length !== reached?.length) return [];
  const why =
    how === 'certain'
      ? `namespace ${ns} is labelled ${CLUSTER_MONITORING_LABEL}: "true"`
      : `namespace ${ns} is one of OpenShift's own, which carry ${CLUSTER_MONITORING_LABEL}: "true"`;
  return [
    {
      ...(how === 'likely' ? { severity: 'warning' as const } : {}),
      message:
        `${monitor.manifest.kind} in ${ns} selects targets in ${listed(users)} only, but OpenShift's user-workload Prometheus takes no monitor from a namespace labelled ` +
        `${CLUSTER_MONITORING_LABEL}: "true" (${why}), and the platform Prometheus that reads it monitors the platform's namespaces, not user workloads: ` +
        `the targets are never scraped and their metrics never reach Thanos Querier; put the ${monitor.manifest.kind} in ${listed(users)}, the namespace of its targets`,
    },
  ];
}

/**
 * A monitor the user workloads' Prometheus reads, whose namespaceSelector reaches other namespaces: that Prometheus
 * sets ignoreNamespaceSelectors, so it looks only in the monitor's own namespace.
 */
function ignoredSelectorProblem(graph: ObjectGraph, monitor: GraphObject, ns: string): Problem[] {
  const selected = selectedNamespaces(monitor.manifest);
  if (selected === undefined || (selected !== 'any' && selected.includes(ns))) return [];
  const found = targets(graph, monitor, selected);
  if (found.some((t) => t.ns === ns)) return [];
  const kind = String(monitor.manifest.kind);
  const effect = `OpenShift's user-workload Prometheus sets ignoreNamespaceSelectors: true, so it reads spec.namespaceSelector as the ${kind}'s own namespace ${ns}`;
  const fix = `put a ${kind} in each namespace of the targets (spec.namespaceSelector then unneeded)`;
  if (found.length) {
    return [
      {
        message: `spec.namespaceSelector reaches ${listed(found.map((t) => t.ns))}, where the ${kind}'s targets are (${found
          .slice(0, 3)
          .map((t) => graph.id(t.o))
          .join(', ')}), but ${effect}, where none are: they are never scraped; ${fix}`,
      },
    ];
  }
  if (selected === 'any') return [];
  return [
    {
      severity: 'warning',
      message: `spec.namespaceSelector names only ${listed(selected)}, not the ${kind}'s own namespace, but ${effect}: targets in ${listed(selected)} are never scraped (the tree shows none there to be sure); ${fix}`,
    },
  ];
}

export const userWorkloadMonitorOutOfReach: Rule = {
  id: 'user-workload-monitor-out-of-reach',
  title:
    'on OpenShift, a ServiceMonitor or PodMonitor that user-workload monitoring never applies to its targets: one in an openshift.io/cluster-monitoring namespace (openshift-user-workload-monitoring) for user workloads, or one whose namespaceSelector reaches other namespaces',
  severity: 'error',
  appliesTo: ['ServiceMonitor', 'PodMonitor'],
  premise:
    'the platform is OpenShift (given, or told by the tree) and the tree holds no Prometheus of its own (a prometheus-operator install of the tree may read the monitor); a monitoring.coreos.com ServiceMonitor or PodMonitor with a namespace, not labelled openshift.io/user-monitoring: "false". ' +
    'In a namespace labelled openshift.io/cluster-monitoring: "true" (openshift-monitoring and openshift-user-workload-monitoring, or one the tree labels so), whose namespaceSelector (its own namespace when unset) reaches user namespaces only (not openshift-*, kube-*, default): an error, the user-workload Prometheus never reads it; a warning in another openshift-* namespace of the cluster the tree does not create (such namespaces carry the label, though the tree cannot show it). ' +
    "Elsewhere, a namespaceSelector (matchNames or any) that does not name the monitor's own namespace, while the tree holds no target of its selector there: an error where the tree's targets of the selector are all in the other namespaces, a warning where it holds none (matchNames only; `any` with no target shown is not judged). " +
    'On plain Kubernetes, prometheus-operator follows the namespaceSelector (ignoreNamespaceSelectors is false by default): not judged',
  example: '`namespace: openshift-user-workload-monitoring` on a ServiceMonitor with `matchNames: [chat-serving]`',
  fix: 'create the ServiceMonitor or PodMonitor in the namespace of the Services or pods it scrapes, without a namespaceSelector',
  source:
    'openshift/cluster-monitoring-operator assets/prometheus-user-workload/prometheus.yaml (ignoreNamespaceSelectors: true; serviceMonitorNamespaceSelector and podMonitorNamespaceSelector: openshift.io/cluster-monitoring NotIn ["true"], openshift.io/user-monitoring NotIn ["false"]; serviceMonitorSelector and podMonitorSelector: openshift.io/user-monitoring NotIn ["false"]); prometheus-operator Documentation/api.md PrometheusSpec.ignoreNamespaceSelectors (ignore namespaceSelector in monitors and probes, restricting them to their own namespace; default false)',
  check(o, ctx) {
    if (!onOpenShift(ctx) || !String(o.manifest.apiVersion ?? '').startsWith('monitoring.coreos.com/')) return [];
    if (ctx.graph.ofKind('Prometheus').some((p) => String(p.manifest.apiVersion ?? '').startsWith('monitoring.coreos.com/'))) return [];
    if (stringMap(mapping(o.manifest.metadata).labels)[USER_MONITORING_LABEL] === 'false') return [];
    const ns = ctx.graph.namespaceOf(o.manifest);
    if (ns === undefined || text(ns) === undefined) return [];
    const platform = platformMonitored(ctx.graph, ns);
    return platform ? platformNamespaceProblem(ctx.graph, o, ns, platform) : ignoredSelectorProblem(ctx.graph, o, ns);
  },
};
