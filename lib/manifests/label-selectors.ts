import { isMapping, Loose } from './access';
import { gvkSelected, pathSegments } from './field-specs';

/**
 * Where kustomize's label transformer writes commonLabels, and `labels` entries with includeSelectors, into label
 * selectors (api/internal/konfig/builtinpluginconsts/commonlabels.go): [kind, group, version, path, create]. The
 * workloads' own selectors are created when missing; affinity, spread, job, budget and policy selectors only updated.
 */
const SELECTOR_SPECS: readonly (readonly [string, string | undefined, string | undefined, string, boolean])[] = [
  ['Service', undefined, 'v1', 'spec/selector', true],
  ['ReplicationController', undefined, 'v1', 'spec/selector', true],
  ['Deployment', undefined, undefined, 'spec/selector/matchLabels', true],
  ...affinity('Deployment'),
  ['ReplicaSet', undefined, undefined, 'spec/selector/matchLabels', true],
  ['DaemonSet', undefined, undefined, 'spec/selector/matchLabels', true],
  ['StatefulSet', 'apps', undefined, 'spec/selector/matchLabels', true],
  ...affinity('StatefulSet'),
  ['Job', 'batch', undefined, 'spec/selector/matchLabels', false],
  ['CronJob', 'batch', undefined, 'spec/jobTemplate/spec/selector/matchLabels', false],
  ['PodDisruptionBudget', 'policy', undefined, 'spec/selector/matchLabels', false],
  ...['spec/podSelector', 'spec/ingress/from/podSelector', 'spec/egress/to/podSelector'].map(
    (p) => ['NetworkPolicy', 'networking.k8s.io', undefined, `${p}/matchLabels`, false] as const,
  ),
];

function affinity(kind: string): (readonly [string, string, undefined, string, false])[] {
  return [
    'podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
    'podAffinity/requiredDuringSchedulingIgnoredDuringExecution',
    'podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
    'podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution',
  ]
    .map((p) => `spec/template/spec/affinity/${p}/labelSelector/matchLabels`)
    .concat('spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels')
    .map((p) => [kind, 'apps', undefined, p, false] as const);
}

/** A copy of `node` with the pairs merged into the mapping at the path (lists walked item by item); created when asked. */
function mergeAt(node: unknown, segments: readonly string[], pairs: Record<string, string>, create: boolean): unknown {
  if (Array.isArray(node)) return node.map((x) => mergeAt(x, segments, pairs, create));
  if (!segments.length) return isMapping(node) ? { ...node, ...pairs } : node;
  if (!isMapping(node)) return node;
  const [head, ...rest] = segments;
  const child = node[head];
  if (child === undefined || child === null) return create ? { ...node, [head]: mergeAt({}, rest, pairs, create) } : node;
  return { ...node, [head]: mergeAt(child, rest, pairs, create) };
}

/** The object with the labels added to each of its selectors that kustomize's configuration reaches. */
export function withSelectorLabels(m: Loose, pairs: Record<string, string>): Loose {
  let out = m;
  for (const [kind, group, version, p, create] of SELECTOR_SPECS) {
    if (gvkSelected(out, { kind, group, version })) out = mergeAt(out, pathSegments(p), pairs, create) as Loose;
  }
  return out;
}
