import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { servedApis } from '../../platform/served-apis';
import { generatedFrom } from '../application-sets';
import { comparedId, deliveredInFull, entryMatches, groupKindMatch } from '../argocd/ignore-differences';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Platform } from '../platform';
import { Problem, Rule } from '../rule';

/** The platform whose API table names the groups of Kubernetes and OpenShift (the same groups on every platform id). */
const TABLE_PLATFORM = 'rhoai-3.0' as const;

/** An entry's group or kind with glob characters (argo-cd diff_normalizer.go matches both with glob.Match). */
const GLOB = /[*?[\]{}]/;

/** The ignoreDifferences of an Application, or of the template an ApplicationSet fills, with where they sit. */
function entriesOf(o: { manifest: Loose }): { at: string; entries: Loose[] } {
  if (o.manifest.kind === 'ApplicationSet')
    return { at: 'spec.template.spec.ignoreDifferences', entries: mappings(mapping(mapping(mapping(o.manifest.spec).template).spec).ignoreDifferences) };
  return { at: 'spec.ignoreDifferences', entries: mappings(mapping(o.manifest.spec).ignoreDifferences) };
}

/** The groups that serve a kind, from the platform's API table. */
function groupsServing(kind: string): string[] {
  return [...servedApis(TABLE_PLATFORM)].filter(([, g]) => g.kinds[kind] || g.addOns?.[kind]).map(([group]) => group || 'core ("")');
}

/** The entry's group and kind, when its group is known whole and does not serve the kind. */
function unservedKind(d: Loose, at: string, i: number, platform: Platform): Problem[] {
  const apis = servedApis(platform === 'rhoai-2' ? TABLE_PLATFORM : platform);
  const kind = text(d.kind);
  const group = text(d.group) ?? '';
  if (!kind || GLOB.test(kind) || GLOB.test(group)) return [];
  const served = apis.get(group);
  if (!served?.closed || served.kinds[kind] || served.addOns?.[kind]) return [];
  const elsewhere = groupsServing(kind);
  return [
    {
      message:
        `${at}[${i}] names kind ${kind} in group '${group}', which does not serve it: the entry matches no resource Argo CD compares, so the differences it lists are not ignored` +
        (elsewhere.length ? `; ${kind} is served in ${elsewhere.join(', ')}: write that group` : '; write the group that serves the kind'),
    },
  ];
}

/** An entry as a message names it: its group, kind, name and namespace as written. */
function entryWords(d: Loose): string {
  const parts = [`kind ${text(d.kind) ?? ''}`, `group '${text(d.group) ?? ''}'`];
  if (text(d.name)) parts.push(`name '${text(d.name)}'`);
  if (text(d.namespace)) parts.push(`namespace '${text(d.namespace)}'`);
  return parts.join(', ');
}

/**
 * An entry with a name or namespace that no object the Application delivers matches (the delivery known in full):
 * Argo CD applies an entry only to a resource whose group, kind, name and namespace all match, so it never applies.
 */
function unmatchedEntry(d: Loose, i: number, app: GraphObject, graph: ObjectGraph, delivered: readonly GraphObject[]): Problem[] {
  if (!text(d.kind) || !(text(d.name) || text(d.namespace))) return [];
  if (delivered.some((o) => entryMatches(d, o, app, graph))) return [];
  const sameKind = delivered.filter((o) => groupKindMatch(d, o));
  const shown = sameKind.slice(0, 4).map((o) => comparedId(o, app, graph));
  return [
    {
      message:
        `spec.ignoreDifferences[${i}] (${entryWords(d)}) matches no object the Application delivers: Argo CD applies an entry only to a resource whose group, kind, name and namespace all match, so the differences it lists are not ignored and the Application shows them as OutOfSync` +
        (shown.length
          ? `; of that kind it delivers ${shown.join(', ')}${sameKind.length > shown.length ? ', …' : ''}: write the name and namespace of the one meant (a namespace-less object is compared in the destination namespace)`
          : `; it delivers no object of that group and kind: name the one meant, or drop the entry`),
    },
  ];
}

/**
 * Fields of delivered objects that another writer sets once they are applied, which an ignoreDifferences entry keeps
 * out of the diff: a workload's replicas (an autoscaler's), a webhook's, APIService's or CRD conversion's caBundle (a
 * CA injector's: cert-manager's cainjector, OpenShift's service-ca operator).
 */
const WRITTEN_FIELDS: readonly { what: string; kinds: readonly string[]; pointer: RegExp; jq: RegExp; writer: string; value: (m: Loose) => unknown }[] = [
  {
    what: 'spec.replicas',
    kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
    pointer: /^\/spec\/replicas$/,
    jq: /^\.spec\.replicas$/,
    writer: 'an autoscaler (a HorizontalPodAutoscaler, a KEDA ScaledObject)',
    value: (m) => mapping(m.spec).replicas,
  },
  {
    what: 'caBundle',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'CustomResourceDefinition'],
    pointer: /\/caBundle$/,
    jq: /\.caBundle$/,
    writer: "a CA injector (cert-manager's cainjector, OpenShift's service-ca operator)",
    value: (m) =>
      [
        ...mappings(m.webhooks).map((w) => mapping(w.clientConfig).caBundle),
        mapping(m.spec).caBundle,
        mapping(mapping(mapping(mapping(m.spec).conversion).webhook).clientConfig).caBundle,
      ].find((v) => typeof v === 'string' && v !== ''),
  },
];

/**
 * A note where an entry keeps a field another writer sets out of the diff, the delivered object sets that field
 * itself, and the Application's syncOptions lack RespectIgnoreDifferences=true: Argo CD uses ignoreDifferences only to
 * compute the diff and applies the manifest as it is at each sync, over the written value (argo-cd docs
 * user-guide/sync-options "Respect ignore differences configs").
 */
function overwrittenNote(d: Loose, i: number, app: GraphObject, graph: ObjectGraph, delivered: readonly GraphObject[]): Problem[] {
  if (strings(mapping(mapping(app.manifest.spec).syncPolicy).syncOptions).includes('RespectIgnoreDifferences=true')) return [];
  const paths = [...strings(d.jsonPointers).map((p) => ({ p, jq: false })), ...strings(d.jqPathExpressions).map((p) => ({ p, jq: true }))];
  for (const field of WRITTEN_FIELDS) {
    if (!paths.some(({ p, jq }) => (jq ? field.jq : field.pointer).test(p.trim()))) continue;
    const setting = delivered.filter(
      (o) => field.kinds.includes(String(o.manifest.kind)) && entryMatches(d, o, app, graph) && field.value(o.manifest) !== undefined,
    );
    if (!setting.length) continue;
    const [first] = setting;
    const value = field.value(first.manifest);
    return [
      {
        severity: 'info',
        message:
          `spec.ignoreDifferences[${i}] keeps ${field.what}, which ${field.writer} writes, out of the diff, but ${comparedId(first, app, graph)}${setting.length > 1 ? ` (and ${setting.length - 1} more)` : ''} sets it itself (${field.what === 'caBundle' ? 'a caBundle' : JSON.stringify(value)}) and syncPolicy.syncOptions lacks RespectIgnoreDifferences=true: ` +
          `Argo CD ignores the field only when it compares, and each sync still applies the manifest's value over the written one; add RespectIgnoreDifferences=true to syncOptions, or leave ${field.what} out of the manifest`,
      },
    ];
  }
  return [];
}

export const argocdIgnoreDifferenceUnmatched: Rule = {
  id: 'argocd-ignore-difference-unmatched',
  title:
    'an Argo CD ignoreDifferences entry matches no resource the Application compares (kind Group under rbac.authorization.k8s.io, or a name or namespace no delivered object has): the difference it was meant to hide stays',
  severity: 'warning',
  appliesTo: ['Application', 'ApplicationSet'],
  premise:
    "Argo CD applies a spec.ignoreDifferences entry to a resource only when its group and kind (globs) match and, where the entry sets them, its name and namespace are equal (a namespace-less namespaced object is compared in the destination namespace, a cluster-scoped one in none); an entry that matches nothing never applies, so the Application shows the difference as OutOfSync (or selfHeal keeps reverting it). Judged: an entry of an Application, or of an ApplicationSet's template (its generated Applications are not judged again), whose group (empty: the core group) is one the platform's API table knows whole (Kubernetes', OpenShift's, KServe's, Kueue's, OpenShift AI's) and whose kind that group does not serve, neither written with glob characters; and an Application's entry with a name or namespace that no object it delivers matches, where the input shows its delivery in full (every source a folder of the input, built whole, without Helm, a plugin or kustomize overrides that rename or move). A note where an entry keeps out of the diff a field another writer sets (a workload's spec.replicas an autoscaler writes, a caBundle a CA injector writes) that the delivered object sets itself, and syncOptions lack RespectIgnoreDifferences=true: Argo CD uses ignoreDifferences only to compare, and each sync applies the manifest's value over the written one",
  example: 'ignoreDifferences `kind: Group` with `group: rbac.authorization.k8s.io`; or `name: chat-server` where the Deployment delivered is `chat`',
  fix: 'write the group that serves the kind (user.openshift.io for an OpenShift Group; the message names the groups serving it), or the name and namespace of the object meant (the message names those of its kind); for a field another writer sets, add RespectIgnoreDifferences=true to syncOptions or leave the field out of the manifest',
  source:
    'argo-cd util/argo/normalizers/diff_normalizer.go (ignoreNormalizer.Normalize: glob.Match of the entry\'s group and kind against the resource\'s GroupKind, then name and namespace, when set, compared equal); argo-cd controller/state.go (the destination namespace set on namespace-less target objects); argo-cd docs user-guide/diffing.md "Application Level Configuration" and user-guide/sync-options.md "Respect ignore differences configs"; the served groups of lib/platform/served-apis.ts',
  check(o, { platform, graph }) {
    if (o.manifest.kind === 'Application' && generatedFrom(o)) return [];
    const { at, entries } = entriesOf(o);
    const delivered = o.manifest.kind === 'Application' && entries.length ? deliveredInFull(o, graph) : undefined;
    return entries.flatMap((d, i): Problem[] => {
      const unserved = unservedKind(d, at, i, platform);
      if (unserved.length || !delivered) return unserved;
      const unmatched = unmatchedEntry(d, i, o, graph, delivered);
      return unmatched.length ? unmatched : overwrittenNote(d, i, o, graph, delivered);
    });
  },
};
