import { KUEUE_GROUP } from '../../k8s/keys';
import { REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { Platform } from '../platform';
import { Problem, Rule } from '../rule';
import { kueueEnabledIn, OPERATOR_KUEUE, operatorCreated, OperatorCreation, recentOperatorNote } from '../operator-kueue';
import { meantCandidate, NamedCandidate, objectCandidates } from '../near-names';

/** The API group Kueue serves ResourceFlavor in: an object of that kind in another group is not one Kueue reads. */

const nameOf = (m: Loose) => text(mapping(m.metadata).name);

/** The flavors a ClusterQueue's resource groups name, each once, with where it is first named. */
function flavorRefs(spec: Loose): { name: string; where: string }[] {
  const out: { name: string; where: string }[] = [];
  mappings(spec.resourceGroups).forEach((group, i) =>
    mappings(group.flavors).forEach((f, j) => {
      const name = text(f.name);
      if (name && !out.some((r) => r.name === name)) out.push({ name, where: `resourceGroups[${i}].flavors[${j}]` });
    }),
  );
  return out;
}

/**
 * Why the tree's own attempt at defining a flavor does not count, when it makes one: a ResourceFlavor of that name in
 * another API group, or in a file no kustomization lists (the build leaves it out).
 */
function unusableDefinition(graph: ObjectGraph, name: string): string | undefined {
  const foreign = graph.ofKindAnyGroup('ResourceFlavor').find((o) => nameOf(o.manifest) === name && apiGroupOf(o.manifest.apiVersion) !== KUEUE_GROUP);
  if (foreign)
    return `the tree's ResourceFlavor '${name}' is ${text(foreign.manifest.apiVersion) ?? 'of no apiVersion'}, not ${KUEUE_GROUP}, so Kueue never reads it`;
  const left = graph.leftOut.find((l) => mapping(l.manifest).kind === 'ResourceFlavor' && nameOf(mapping(l.manifest)) === name);
  if (left) return `ResourceFlavor '${name}' is defined in ${left.file ?? 'a file of the tree'}, which no kustomization lists, so the build leaves it out`;
  return undefined;
}

/** The tree's Kueue ResourceFlavor a reference most likely misspells (case, separators, an edit or two): the message names it. */
function lookalike(graph: ObjectGraph, name: string): NamedCandidate | undefined {
  return meantCandidate(name, objectCandidates(graph.ofKind('ResourceFlavor').filter((o) => apiGroupOf(o.manifest.apiVersion) === KUEUE_GROUP)));
}

/**
 * What a missing flavor does to its owner: a ClusterQueue turns inactive; a Cohort is accepted (Kueue's cache does not
 * look its flavors up), but its quota of the flavor reaches no queue, since a ClusterQueue naming the flavor is inactive.
 */
function consequence(kind: string): string {
  return kind === 'Cohort'
    ? 'Kueue accepts the Cohort, but its quota of that flavor lends nothing: a ClusterQueue that names a missing flavor is inactive (FlavorNotFound), and one that does not cannot borrow it'
    : 'Kueue keeps the ClusterQueue inactive (Active=False, reason FlavorNotFound: "Can\'t admit new workloads") and admits no workload of its LocalQueues';
}

/** The finding for one missing flavor: an error where the tree is evidently the Kueue configuration, else a warning. */
function missingFlavor(graph: ObjectGraph, kind: string, ref: { name: string; where: string }, defined: readonly string[], platform: Platform): Problem {
  const inactive = consequence(kind);
  const head = `${ref.where} names ResourceFlavor '${ref.name}'`;
  const unusable = unusableDefinition(graph, ref.name);
  if (unusable) return { message: `${head}, but ${unusable}: ${inactive}; define it as ${KUEUE_GROUP}/ResourceFlavor in a listed file` };
  if (defined.length) {
    const like = lookalike(graph, ref.name);
    const meant = like
      ? `did you mean ${like.name}${like.where ? ` (${like.where})` : ''}? name '${like.name}'`
      : `add ResourceFlavor '${ref.name}' or name one of those`;
    return {
      message: `${head}, which the tree does not define (it defines ${defined.map((d) => `'${d}'`).join(', ')}): ${inactive}; ${meant}`,
    };
  }
  const operator = platform === 'kserve' ? '' : ` (OpenShift AI creates only ${OPERATOR_KUEUE.ResourceFlavor.join(', ')})`;
  return {
    severity: 'warning',
    message: `${head}, and the tree defines no ResourceFlavor; unless the cluster has it${operator}, ${inactive}: add ResourceFlavor '${ref.name}' to the tree or make sure it exists`,
  };
}

/**
 * A flavor only recent OpenShift AI 2.x operators create (2.32 on), and only with the Kueue component enabled: an
 * error where the tree holds DataScienceClusters and none enables Kueue (no operator makes the flavor then), else a
 * warning (a cluster whose DataScienceCluster is not in the tree may enable it).
 */
function recentFlavor(graph: ObjectGraph, kind: string, ref: { name: string; where: string }, created: OperatorCreation): Problem {
  const head = `${ref.where} names ResourceFlavor '${ref.name}', which the tree does not define; ${recentOperatorNote('ResourceFlavor', ref.name, created, graph)}`;
  const clusters = graph.ofKind('DataScienceCluster');
  if (!clusters.length || kueueEnabledIn(graph)) return { severity: 'warning', message: head };
  return {
    message:
      `${head}, and the DataScienceCluster of the tree (${clusters.map((d) => graph.id(d)).join(', ')}) does not enable the Kueue component (spec.components.kueue.managementState Managed), ` +
      `so nothing creates it: ${consequence(kind)}; add ResourceFlavor '${ref.name}' to the tree, or set the Kueue component Managed (opendatahub-operator 2.32 or later)`,
  };
}

export const resourceFlavorNotFound: Rule = {
  id: 'resource-flavor-not-found',
  title:
    "a ClusterQueue names a ResourceFlavor that does not exist: Kueue keeps it inactive (FlavorNotFound) and admits none of its workloads; a Cohort's quota of a flavor that does not exist lends nothing",
  severity: 'error',
  appliesTo: ['ClusterQueue', 'Cohort'],
  premise:
    "the ClusterQueue or Cohort is in the tree, and the tree defines ResourceFlavors, just not this one, or defines it only where Kueue cannot read it (another API group, a file no kustomization lists); a tree with no ResourceFlavor at all gets a warning (the cluster may have it); on OpenShift AI 3.x the operator's default-flavor always exists, and nvidia-gpu-flavor and amd-gpu-flavor where nodes have those GPUs (taken as so where a ClusterQueue names them) (on 2.x only from opendatahub-operator 2.32 and with the Kueue component enabled: an error where the tree holds DataScienceClusters and none enables it, a warning otherwise)" +
    REPOSITORY_PREMISE,
  example: 'a ClusterQueue flavor `name: gpu-l40s` where the tree defines only ResourceFlavor `name: nvidia-l40s`',
  fix: 'add the ResourceFlavor (kueue.x-k8s.io) to the tree, or name in the ClusterQueue a flavor that exists',
  source:
    "Kueue pkg/cache clusterqueue.go (UpdateWithFlavors, updateLabelKeys: a flavor missing from the cache marks the ClusterQueue pending; updateQueueStatus: Active=False, reason FlavorNotFound) and its clusterqueue_test.go; pkg/cache/scheduler/cohort.go (a Cohort's quotas are taken as written, no flavor looked up); opendatahub-operator internal/controller/components/kueue/kueue_support.go createDefaultResourceFlavors (default-flavor, and a GPU flavor per GPU resource the nodes have allocatable, created when missing)",
  check(o, ctx) {
    const { graph, platform } = ctx;
    // a Cohort of another API group is not one Kueue reads
    if (o.manifest.kind === 'Cohort' && apiGroupOf(o.manifest.apiVersion) !== KUEUE_GROUP) return [];
    const kueueFlavors = graph
      .ofKind('ResourceFlavor')
      .filter((f) => apiGroupOf(f.manifest.apiVersion) === KUEUE_GROUP)
      .map((f) => nameOf(f.manifest))
      .filter((n): n is string => n !== undefined);
    const defined = [...new Set(kueueFlavors)].sort();
    return flavorRefs(mapping(o.manifest.spec))
      .filter((r) => !defined.includes(r.name))
      .flatMap((r) => {
        const created = operatorCreated(ctx, 'ResourceFlavor', r.name);
        if (created === 'always') return [];
        const problem =
          created === 'never' ? missingFlavor(graph, String(o.manifest.kind), r, defined, platform) : recentFlavor(graph, String(o.manifest.kind), r, created);
        return [unlessRepositoryMakes(graph, problem, 'ResourceFlavor', r.name, undefined)];
      });
  },
};
