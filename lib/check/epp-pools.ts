import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../catalog/epp-releases';
import { apiGroupOf } from '../k8s/api-version';
import { mapping, mappings, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { EppContainer, flagValue, unresolved } from './epp-args';

/**
 * The InferencePool an endpoint picker looks for, as its command line and release say (cmd/epp/runner/runner.go):
 * --pool-name (-poolName before v1.0); --pool-namespace, else from v1.1.0 the env NAMESPACE, else `default`
 * (pkg/epp/server DefaultPoolNamespace); --pool-group, else the release's default (inference.networking.k8s.io from
 * v1.0.0; v0.x watches the alpha group only).
 */
export interface PoolTarget {
  readonly name: string;
  /** The namespaces it may look in; undefined among them where the tree leaves the namespace to the apply. */
  readonly namespaces: readonly (string | undefined)[];
  /** Whether the namespace was written (flag) rather than defaulted. */
  readonly namespaceStated: boolean;
  /** Whether the namespace is known: a variable of the flag (`${NAMESPACE}`) may be any. */
  readonly namespaceKnown: boolean;
  /** The group it watches, undefined where neither a flag nor a known release tells it. */
  readonly group?: string;
  /** How the group was decided, for messages. */
  readonly groupBy?: string;
  /** The group is the default of a release a moving tag (main, latest) is taken for: the tree's author may have run an older build. */
  readonly groupFromMovingTag?: string;
}

/** The value the container's env gives NAMESPACE: a literal, or the pod's namespace through the downward API. */
function envNamespace(c: EppContainer): { set: boolean; value?: string } {
  const env = mappings(c.container.env).find((e) => text(e.name) === 'NAMESPACE');
  if (!env) return { set: false };
  if (env.value !== undefined) return { set: true, value: text(env.value) };
  const field = text(mapping(mapping(env.valueFrom).fieldRef).fieldPath);
  return field === 'metadata.namespace' ? { set: true, value: c.namespace } : { set: true };
}

function namespacesOf(c: EppContainer): { namespaces: (string | undefined)[]; stated: boolean; known?: false } | undefined {
  const flag = flagValue(c.flags, 'pool-namespace', 'poolNamespace');
  if (flag?.value !== undefined && flag.value !== '') {
    return unresolved(flag.value) ? { namespaces: [undefined], stated: true, known: false } : { namespaces: [flag.value], stated: true };
  }
  // v0.5's runner also read POOL_NAME/POOL_NAMESPACE from the env (bindEnvToFlags): not judged
  if (mappings(c.container.env).some((e) => /^POOL_NAMESPACE$/.test(text(e.name) ?? ''))) return undefined;
  const env = envNamespace(c);
  if (env.set && env.value === undefined && c.namespace !== undefined && !c.image) return undefined;
  const fromEnv = env.set ? [env.value] : [];
  if (c.image) return { namespaces: c.image.release.namespaceFromEnv && env.set ? fromEnv : ['default'], stated: false };
  return { namespaces: ['default', ...fromEnv], stated: false };
}

function groupOf(c: EppContainer): { group?: string; by?: string; moving?: string } {
  const flag = flagValue(c.flags, 'pool-group');
  if (flag?.value && !unresolved(flag.value)) return { group: flag.value, by: `its ${flag.word} ${flag.value}` };
  if (flag) return {};
  if (!c.image) return {};
  const r = c.image.release;
  const by =
    r.poolGroup === POOL_GROUP_V1
      ? `${r.label} watches ${POOL_GROUP_V1} when --pool-group is not given`
      : `${r.label} watches only ${POOL_GROUP_ALPHA} pools (it has no --pool-group)`;
  return { group: r.poolGroup, by, moving: c.image.moving ? c.image.tag : undefined };
}

/** The pool a picker container looks for; undefined where it names none (v1.2's --endpoint-selector) or the tree cannot tell. */
export function poolTarget(c: EppContainer): PoolTarget | undefined {
  const name = flagValue(c.flags, 'pool-name', 'poolName')?.value;
  if (!name) return undefined;
  const ns = namespacesOf(c);
  if (!ns) return undefined;
  const { group, by, moving } = groupOf(c);
  return { name, namespaces: ns.namespaces, namespaceStated: ns.stated, namespaceKnown: ns.known ?? true, group, groupBy: by, groupFromMovingTag: moving };
}

/** The InferencePools of the tree, of either group. */
export function inferencePools(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('InferencePool').filter((p) => [POOL_GROUP_V1, POOL_GROUP_ALPHA].includes(apiGroupOf(text(p.manifest.apiVersion) ?? '')));
}

export const poolName = (p: GraphObject): string => text(mapping(p.manifest.metadata).name) ?? '';
export const poolGroup = (p: GraphObject): string => apiGroupOf(text(p.manifest.apiVersion) ?? '');

/** Whether a pool may sit in one of the namespaces: one without a namespace goes wherever it is applied. */
export function poolIn(graph: ObjectGraph, p: GraphObject, namespaces: readonly (string | undefined)[]): boolean {
  const own = graph.namespaceOf(p.manifest);
  return own === undefined || namespaces.some((n) => n === undefined || n === own);
}
