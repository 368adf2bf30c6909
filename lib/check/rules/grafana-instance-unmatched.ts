import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** grafana-operator v5's API group (api/v1beta1). */
const GRAFANA_GROUP = 'grafana.integreatly.org/';

/**
 * The kinds grafana-operator v5 applies to the Grafana instances their spec.instanceSelector selects (api/v1beta1:
 * each embeds GrafanaCommonSpec's instanceSelector and allowCrossNamespaceImport).
 */
const SELECTING_KINDS = [
  'GrafanaDashboard',
  'GrafanaDatasource',
  'GrafanaFolder',
  'GrafanaAlertRuleGroup',
  'GrafanaContactPoint',
  'GrafanaNotificationPolicy',
  'GrafanaNotificationTemplate',
  'GrafanaMuteTiming',
  'GrafanaLibraryPanel',
];

/** The tree's Grafana instances (kind Grafana of grafana-operator v5's group). */
const grafanas = (graph: ObjectGraph): GraphObject[] => graph.ofKind('Grafana').filter((g) => String(g.manifest.apiVersion ?? '').startsWith(GRAFANA_GROUP));

/** The labels of a Grafana, as `k=v, …` (or `no labels`). */
const shown = (g: Loose): string => {
  const labels = Object.entries(stringMap(mapping(g.metadata).labels));
  return labels.length ? labels.map(([k, v]) => `${k}=${v}`).join(', ') : 'no labels';
};

/**
 * Whether the instance selector selects the Grafana: its matchLabels exactly, and its matchExpressions, which
 * grafana-operator takes as met by an instance without any labels (controllers/controller_shared.go
 * labelsSatisfyMatchExpressions: "To preserve support for scenario with instanceSelector: {}").
 */
function selects(selector: Loose, grafana: Loose): boolean {
  const labels = stringMap(mapping(grafana.metadata).labels);
  const byLabels = Object.entries(stringMap(selector.matchLabels)).every(([k, v]) => labels[k] === v);
  if (!byLabels) return false;
  return Object.keys(labels).length === 0 || selectorMatches({ matchExpressions: selector.matchExpressions }, labels) !== false;
}

/** The finding where the tree's Grafanas in scope all miss the selector. */
function unmatched(o: GraphObject, graph: ObjectGraph, inScope: readonly GraphObject[], cross: boolean): Problem {
  const kind = String(o.manifest.kind);
  const held = inScope
    .slice(0, 4)
    .map((g) => `${graph.id(g)} (${shown(g.manifest)})`)
    .join('; ');
  return {
    message:
      `spec.instanceSelector selects none of the tree's Grafana instances ${cross ? 'in any namespace (allowCrossNamespaceImport)' : `in namespace '${graph.namespaceOf(o.manifest) ?? ''}'`}: ${held}; ` +
      `grafana-operator applies a ${kind} only to the Grafanas its selector matches, so it is never applied (condition NoMatchingInstance): select the labels a Grafana carries, or label the Grafana as the selector asks`,
  };
}

/** The finding where the tree's Grafanas are all in other namespaces and the resource does not allow cross-namespace import. */
function elsewhereOnly(o: GraphObject, graph: ObjectGraph, matching: readonly GraphObject[]): Problem {
  return {
    severity: 'warning',
    message:
      `spec.instanceSelector matches ${matching.map((g) => graph.id(g)).join(', ')} only in another namespace, and without spec.allowCrossNamespaceImport: true grafana-operator looks for instances in the ${String(o.manifest.kind)}'s own namespace; ` +
      `unless a Grafana made outside the tree is there, it is never applied: set allowCrossNamespaceImport: true, or move it beside the Grafana`,
  };
}

export const grafanaInstanceUnmatched: Rule = {
  id: 'grafana-instance-unmatched',
  title: "a grafana-operator dashboard, datasource or folder selects none of the tree's Grafana instances: it is never applied",
  severity: 'error',
  appliesTo: SELECTING_KINDS,
  premise:
    'a grafana-operator v5 resource (grafana.integreatly.org: GrafanaDashboard, GrafanaDatasource, GrafanaFolder, alerting and library-panel kinds) is applied to the Grafana instances its spec.instanceSelector matches: matchLabels exactly, matchExpressions (which an instance without labels meets), ' +
    "in the resource's own namespace unless spec.allowCrossNamespaceImport is true (then in every namespace). Where the tree holds Grafana instances in that scope and the selector matches none of them, the resource is never applied: an error. " +
    'Where the tree holds matching instances only in other namespaces and the resource does not allow cross-namespace import, a warning (a Grafana made outside the tree may be in its namespace). ' +
    "Not judged: a tree with no Grafana instance (they are made outside it), a selector holding a renderer's syntax",
  example: 'a GrafanaDatasource whose instanceSelector matches `instance: grafana` beside the one Grafana of its namespace, labelled `dashboards: grafana`',
  fix: 'select the labels the Grafana carries (or label the Grafana as the selector asks); set allowCrossNamespaceImport: true for an instance of another namespace',
  source:
    'grafana/grafana-operator controllers/controller_shared.go GetScopedMatchingInstances (MatchingLabels, InNamespace unless AllowCrossNamespace) and labelsSatisfyMatchExpressions; api/v1beta1 GrafanaCommonSpec (instanceSelector, allowCrossNamespaceImport); NoMatchingInstance condition',
  check(o, { graph }) {
    if (!String(o.manifest.apiVersion ?? '').startsWith(GRAFANA_GROUP)) return [];
    const spec = mapping(o.manifest.spec);
    const selector = mapping(spec.instanceSelector);
    if (JSON.stringify(selector).includes('${') || JSON.stringify(selector).includes('{{')) return [];
    const all = grafanas(graph);
    if (!all.length) return [];
    const cross = spec.allowCrossNamespaceImport === true;
    const ns = graph.namespaceOf(o.manifest);
    const inScope = cross ? all : all.filter((g) => graph.namespaceOf(g.manifest) === ns || graph.namespaceOf(g.manifest) === undefined || ns === undefined);
    if (inScope.some((g) => selects(selector, g.manifest))) return [];
    if (inScope.length) return [unmatched(o, graph, inScope, cross)];
    const matching = all.filter((g) => selects(selector, g.manifest));
    return matching.length && text(ns) ? [elsewhereOnly(o, graph, matching)] : [];
  },
};
