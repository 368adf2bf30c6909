import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { parseQuantity } from '../../private/quantity';
import { kueueCohorts, parentOf, QuotaTree } from '../kueue-tree';
import { admissions, selectsNamespaces } from '../kueue-admission';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** Who a resource group belongs to, as Kueue's webhook validates it (validationConfig, isCohort). */
interface Owner {
  readonly kind: 'ClusterQueue' | 'Cohort';
  /** A ClusterQueue's cohort, a Cohort's parent: limits need one. */
  readonly hasParent: boolean;
}

/** What Kueue refuses in one flavor's resources: names out of the covered order, negative amounts, limits without a parent. */
function flavorRefusals(flavor: Loose, covered: readonly string[], where: string, owner: Owner): string[] {
  const out: string[] = [];
  const resources = mappings(flavor.resources);
  if (resources.length !== covered.length)
    out.push(
      `${where} gives ${resources.length} resource(s) for the ${covered.length} covered (${covered.join(', ')}): "flavors must have the same number of resources as the coveredResources"`,
    );
  resources.forEach((r, k) => {
    // the webhook looks only at the resources the covered list has places for (validateFlavorQuotas)
    if (k >= covered.length) return;
    const name = text(r.name) ?? '';
    if (name !== covered[k])
      out.push(`${where} lists '${name}' where coveredResources[${k}] is '${covered[k]}': "must match the name in coveredResources" (same order)`);
    for (const field of ['nominalQuota', 'borrowingLimit', 'lendingLimit'])
      if ((parseQuantity(r[field]) ?? 0) < 0) out.push(`${where} sets ${field} of '${name}' to ${String(r[field])}: "must be greater than or equal to 0"`);
    for (const limit of ['borrowingLimit', 'lendingLimit'])
      if (!owner.hasParent && r[limit] !== undefined && r[limit] !== null)
        out.push(
          owner.kind === 'Cohort'
            ? `${where} sets ${limit} for '${name}' in a Cohort without a parent: "must be nil when parent is empty"`
            : `${where} sets ${limit} for '${name}' in a ClusterQueue without a cohort: "must be nil when cohort is empty"`,
        );
    // a ClusterQueue cannot lend more than it holds; a Cohort may (it lends what its queues lend it, too)
    const lending = parseQuantity(r.lendingLimit);
    const nominal = parseQuantity(r.nominalQuota);
    if (owner.kind === 'ClusterQueue' && lending !== undefined && nominal !== undefined && lending > nominal)
      out.push(
        `${where} sets lendingLimit ${String(r.lendingLimit)} above nominalQuota ${String(r.nominalQuota)} for '${name}': "must be less than or equal to the nominalQuota"`,
      );
  });
  return out;
}

/**
 * What Kueue's admission refuses in the resource groups of a ClusterQueue or a Cohort, in its words: the CRDs'
 * validation rules (apis/kueue/v1beta1 and v1beta2 clusterqueue_types.go, cohort_types.go) and the webhooks, which
 * share one validation (pkg/webhooks/clusterqueue_webhook.go validateResourceGroups, validateFlavorQuotas,
 * validateLimit, validateLendingLimit; pkg/webhooks/cohort_webhook.go; cases of clusterqueue_webhook_test.go,
 * cohort_webhook_test.go and test/integration/singlecluster/webhook/core/cohort_test.go).
 */
function refusals(spec: Loose, owner: Owner): string[] {
  const out: string[] = [];
  const coveredBefore = new Set<string>();
  const flavorsBefore = new Set<string>();
  mappings(spec.resourceGroups).forEach((group, i) => {
    const covered = strings(group.coveredResources);
    // a group without coveredResources breaks the CRD's schema (a required field): `validate` reports that
    if (!covered.length) return;
    for (const r of covered.filter((c) => coveredBefore.has(c))) out.push(`resource '${r}' is covered by two resource groups (a resource belongs to one)`);
    covered.forEach((c) => coveredBefore.add(c));
    mappings(group.flavors).forEach((flavor, j) => {
      out.push(...flavorRefusals(flavor, covered, `resourceGroups[${i}].flavors[${j}] '${text(flavor.name) ?? ''}'`, owner));
      const flavorName = text(flavor.name);
      if (flavorName && flavorsBefore.has(flavorName)) out.push(`flavor '${flavorName}' is listed twice (a flavor belongs to one resource group, once)`);
      if (flavorName) flavorsBefore.add(flavorName);
    });
  });
  return out;
}

/**
 * A loop of Cohort parents, told on its first Cohort in the order of the tree: Kueue accepts each object, but its
 * cache refuses the tree (ErrCohortHasCycle) and its scheduler skips every ClusterQueue below the loop (snapshot.go,
 * skipInactiveCQReason HasCycle), silently: their workloads stay pending.
 */
function cycleProblems(o: Loose, tree: QuotaTree): Problem[] {
  const out: Problem[] = [];
  for (const loop of tree.cycles()) {
    if (loop[0].object?.manifest !== o) continue;
    const queues = tree.clusterQueuesReaching(loop).map((q) => q.name);
    out.push({
      message:
        `the parents of Cohorts ${[...loop, loop[0]].map((c) => `'${c.name}'`).join(' → ')} form a cycle: Kueue admits no workload of the ClusterQueues below it ` +
        `(${queues.length ? queues.join(', ') : 'none yet'}; its scheduler skips them with reason HasCycle, and their status does not say so): ` +
        `drop spec.parentName of one of them, so that the tree has a root`,
    });
  }
  return out;
}

/**
 * A ClusterQueue without a namespaceSelector: Kueue accepts it, and its scheduler then refuses every workload of its
 * LocalQueues with "Workload namespace doesn't match ClusterQueue selector" (pkg/scheduler/scheduler.go, through
 * workload.ValidateAdmissibility in newer releases), because a missing selector matches no namespace (see selectsNamespaces).
 */
function selectorProblems(o: Loose, graph: ObjectGraph): Problem[] {
  if (o.kind !== 'ClusterQueue' || selectsNamespaces(o)) return [];
  const name = text(mapping(o.metadata).name) ?? '';
  const queues = graph
    .ofKind('LocalQueue')
    .filter((q) => text(mapping(q.manifest.spec).clusterQueue) === name)
    .map((q) => `${text(mapping(q.manifest.metadata).namespace) ?? '(default)'}/${text(mapping(q.manifest.metadata).name) ?? ''}`);
  return [
    {
      message:
        `ClusterQueue '${name}' has no spec.namespaceSelector, which Kueue reads as a selector matching no namespace ("Defaults to null which is a nothing selector"): ` +
        `it admits no workload (${queues.length ? `LocalQueue ${queues.join(', ')}` : 'from any LocalQueue'}), which stay pending with "Workload namespace doesn't match ClusterQueue selector"; ` +
        'set `namespaceSelector: {}` to admit every namespace, or a selector for the teams that may use it',
    },
  ];
}

export const clusterQueueInvalid: Rule = {
  id: 'cluster-queue-invalid',
  title:
    "a ClusterQueue or Cohort Kueue's validation refuses (flavor resources not matching the covered ones, negative quotas, borrowing or lending limits without a cohort or parent): it is never created; or Cohorts whose parents form a cycle, which disables every ClusterQueue below them; or a ClusterQueue without a namespaceSelector, which admits no namespace",
  severity: 'error',
  appliesTo: ['ClusterQueue', 'Cohort'],
  premise:
    "the ClusterQueue or Cohort is in the tree, in the v1beta1 or v1beta2 shape (`cohort` or `cohortName`; a Cohort's `parentName`, `parent` in v1alpha1); a resource group without coveredResources is a schema error, left to `validate`; a cycle is judged on the Cohorts of the tree, told once on its first one; a missing or null namespaceSelector matches no namespace in every Kueue release and API version (`{}` matches all)",
  example: '`borrowingLimit: 4` on a flavor of a ClusterQueue that joins no cohort',
  fix: "list every covered resource in each flavor, in the order of coveredResources; drop borrowingLimit and lendingLimit, or put the ClusterQueue in a cohort (a Cohort under a parent); break a cycle of Cohort parents; give a ClusterQueue `namespaceSelector: {}` or a selector of its teams' namespaces",
  source:
    'Kueue CRD validation (clusterqueue_types.go, cohort_types.go: "flavors must have the same number of resources as the coveredResources", "borrowingLimit must be nil when cohort is empty") and webhooks pkg/webhooks/clusterqueue_webhook.go, cohort_webhook.go ("must match the name in coveredResources", limits "must be nil when cohort is empty" / "when parent is empty", lendingLimit "must be less than or equal to the nominalQuota" for a ClusterQueue, Duplicate resource or flavor); cycles: pkg/cache/hierarchy/cycle.go, pkg/cache/scheduler/snapshot.go (HasCycle); namespaceSelector: apis/kueue/v1beta1 and v1beta2 clusterqueue_types.go ("Defaults to null which is a nothing selector"), pkg/cache clusterqueue.go (LabelSelectorAsSelector), pkg/scheduler/scheduler.go ("Workload namespace doesn\'t match ClusterQueue selector")',
  check(o, { graph }) {
    const m = o.manifest;
    if (m.kind === 'Cohort' && !kueueCohorts(graph).includes(o)) return [];
    const owner: Owner =
      m.kind === 'Cohort'
        ? { kind: 'Cohort', hasParent: parentOf(o) !== undefined }
        : { kind: 'ClusterQueue', hasParent: !!(text(mapping(m.spec).cohort) || text(mapping(m.spec).cohortName)) };
    const reasons = refusals(mapping(m.spec), owner);
    const out: Problem[] = m.kind === 'Cohort' ? cycleProblems(m, admissions(graph).tree) : selectorProblems(m, graph);
    if (!reasons.length) return out;
    const what =
      owner.kind === 'Cohort'
        ? `its quota and its place under a parent are missing: the ClusterQueues of cohort '${text(mapping(m.metadata).name) ?? ''}' borrow only from each other`
        : 'the workloads of its LocalQueues wait';
    return [
      ...out,
      {
        message: `the API server refuses this ${owner.kind}, so it is never created and ${what}: ${reasons.join('; ')}; list every covered resource in each flavor in the coveredResources order, and drop the limits or ${owner.kind === 'Cohort' ? 'give it a parent' : 'join a cohort'}`,
      },
    ];
  },
};
