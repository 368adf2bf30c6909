import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { EppContainer, eppContainers } from '../epp-args';
import { inferencePools, poolGroup, poolIn, poolName, poolTarget, PoolTarget } from '../epp-pools';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { didYouMean } from '../near-names';
import { SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

const EFFECT = "the picker's informer finds no such pool, so it never becomes ready and picks no endpoint: the gateway's requests to the pool fail";

const nsText = (t: PoolTarget) => t.namespaces.map((n) => n ?? 'its own namespace').join(' or ');

/** What to write where the group is wrong: the flag for the pool's group, or an image that watches it. */
function groupFix(c: EppContainer, group: string): string {
  const v0 = c.image && c.image.release.poolGroup === POOL_GROUP_ALPHA;
  if (group === POOL_GROUP_V1 && v0) {
    return `run a picker release that watches ${POOL_GROUP_V1} (the extension's epp from v1.0, llm-d's scheduler from v0.3.0), with its kebab-case flags`;
  }
  if (group === POOL_GROUP_ALPHA && !c.image?.moving && c.image?.release.release.startsWith('v1.')) {
    return `pass --pool-group ${POOL_GROUP_ALPHA} (served up to v1.4), or make the pool ${POOL_GROUP_V1}/v1`;
  }
  return `pass --pool-group ${group}, or make the pool ${group === POOL_GROUP_V1 ? POOL_GROUP_ALPHA : POOL_GROUP_V1}'s`;
}

function groupProblem(c: EppContainer, t: PoolTarget, pool: GraphObject): Problem {
  const group = poolGroup(pool);
  const moving = t.groupFromMovingTag
    ? `. The tag ${t.groupFromMovingTag} moves: today's build is taken for that release, an older build the tree was written for may have watched ${group}; pin a release`
    : '';
  return {
    ...(moving ? { severity: 'warning' as const } : {}),
    message:
      `${c.where} looks for InferencePool ${t.name} in ${t.group} (${t.groupBy}), but the tree's pool ${t.name} is ${String(pool.manifest.apiVersion)}: ` +
      `${EFFECT}; ${groupFix(c, group)}${moving}`,
  };
}

/** The pools the picker may mean, in its namespaces: a near name, else the only one there. */
function nameAdvice(t: PoolTarget, pools: readonly GraphObject[]): string {
  const near = didYouMean(
    t.name,
    pools.map((p) => ({ name: poolName(p) })),
  );
  if (near) return near.replace(/^did you mean (.*)\?$/, 'write the pool name $1');
  return `the pools there are ${pools.map(poolName).join(', ')}: name one of them, or add the pool`;
}

function namedElsewhere(graph: ObjectGraph, c: EppContainer, t: PoolTarget, elsewhere: GraphObject): Problem {
  const where = graph.namespaceOf(elsewhere.manifest);
  const group = poolGroup(elsewhere);
  const also = t.group && t.group !== group ? `; and that pool is ${String(elsewhere.manifest.apiVersion)} while ${t.groupBy}: ${groupFix(c, group)}` : '';
  return {
    severity: 'warning',
    message:
      `${c.where} looks for InferencePool ${t.name} in namespace ${nsText(t)}${t.namespaceStated ? '' : ' (the default)'}, where the tree has no pool, while the tree's pool ${t.name} is in ${where}: ` +
      `unless a pool of that name is made in ${nsText(t)} outside the tree, ${EFFECT}; write --pool-namespace ${where ?? ''} (-poolNamespace before v1.0)${also}`,
  };
}

function problemsOf(graph: ObjectGraph, c: EppContainer): Problem[] {
  const t = poolTarget(c);
  if (!t) return [];
  const pools = inferencePools(graph);
  const here = pools.filter((p) => poolIn(graph, p, t.namespaces));
  const named = here.filter((p) => poolName(p) === t.name);
  if (named.some((p) => !t.group || poolGroup(p) === t.group)) return [];
  if (named.length) return [groupProblem(c, t, named[0])];
  if (/\$|\{\{/.test(t.name) || !t.namespaceKnown) return [];
  if (here.length) {
    return [
      {
        message: `${c.where} looks for InferencePool ${t.name} in namespace ${nsText(t)}, where the tree's pools are ${here.map(poolName).join(', ')}: ${EFFECT}; ${nameAdvice(t, here)}`,
      },
    ];
  }
  const elsewhere = pools.find((p) => poolName(p) === t.name);
  return elsewhere ? [namedElsewhere(graph, c, t, elsewhere)] : [];
}

export const eppPoolNotFound: Rule = {
  id: 'epp-pool-not-found',
  title: "an endpoint picker's --pool-name, --pool-namespace and --pool-group name no InferencePool of the tree: the picker never becomes ready",
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, 'LLMInferenceService', 'LLMInferenceServiceConfig'],
  premise:
    "an endpoint picker container (of a picker image, or an LLMInferenceService's scheduler template) names its pool with --pool-name (-poolName before v1.0), and the tree holds InferencePools: the namespace it looks in is --pool-namespace, else from v1.1.0 its env NAMESPACE (the pod's namespace through the downward API), else `default`; the group is --pool-group, else the release's default (inference.networking.k8s.io from v1.0.0, and v0.x — the extension's v0.x epp, llm-d's scheduler before v0.3.0 — watches only inference.networking.x-k8s.io; an unknown release is not judged on its group); an error where the tree holds the pool of that name in that namespace only in the other group (an old image serving a v1 pool, a v1.x image without --pool-group serving a v1alpha2 pool, a --pool-group of the other group), or holds pools in that namespace and none of that name (naming a close one); a warning where the tree's pool of that name is in another namespace and none is in the one looked in; placeholders are compared as written, and a name or namespace the env gives through POOL_NAME/POOL_NAMESPACE is not judged",
  example: '`--pool-group` set to `inference.networking.x-k8s.io` while the pool is `apiVersion: inference.networking.k8s.io/v1`',
  fix: 'make --pool-name, --pool-namespace and --pool-group name the InferencePool the picker serves, and run a picker release that watches its group (v1.0 or later for an inference.networking.k8s.io/v1 pool)',
  source:
    'gateway-api-inference-extension cmd/epp/runner/runner.go (flags pool-name, pool-namespace, pool-group from v1.0.0; poolName, poolNamespace before; resolvePoolNamespace from v1.1.0: the flag, else env NAMESPACE, else pkg/epp/server DefaultPoolNamespace "default"; DefaultPoolGroup inference.networking.k8s.io), pkg/epp/controller InferencePoolReconciler (watches the one pool of that group, namespace and name; the datastore stays unsynced without it and the readiness probe fails); config/manifests/inferencepool-resources.yaml at each tag',
  check(o, { graph }) {
    return eppContainers(graph)
      .filter((c) => c.owner === o)
      .flatMap((c) => problemsOf(graph, c));
  },
};
