import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { Rule } from '../rule';

/**
 * What Kueue's admission refuses in a ClusterQueue's resource groups, in its words: the CRD's validation rules
 * (apis/kueue/v1beta1 and v1beta2 clusterqueue_types.go) and the webhook (pkg/webhooks/clusterqueue_webhook.go
 * validateResourceGroups, validateFlavorQuotas, validateLimit; cases of clusterqueue_webhook_test.go).
 */
function refusals(spec: Loose): string[] {
  const out: string[] = [];
  // v1beta1 names the cohort `cohort`, v1beta2 `cohortName`
  const inCohort = !!(text(spec.cohort) || text(spec.cohortName));
  const coveredBefore = new Set<string>();
  const flavorsBefore = new Set<string>();
  mappings(spec.resourceGroups).forEach((group, i) => {
    const covered = strings(group.coveredResources);
    // a group without coveredResources breaks the CRD's schema (a required field): `validate` reports that
    if (!covered.length) return;
    for (const r of covered.filter((c) => coveredBefore.has(c))) out.push(`resource '${r}' is covered by two resource groups (a resource belongs to one)`);
    covered.forEach((c) => coveredBefore.add(c));
    mappings(group.flavors).forEach((flavor, j) => {
      const where = `resourceGroups[${i}].flavors[${j}] '${text(flavor.name) ?? ''}'`;
      const resources = mappings(flavor.resources);
      if (resources.length !== covered.length)
        out.push(
          `${where} gives ${resources.length} resource(s) for the ${covered.length} covered (${covered.join(', ')}): "flavors must have the same number of resources as the coveredResources"`,
        );
      resources.forEach((r, k) => {
        const name = text(r.name) ?? '';
        if (k < covered.length && name !== covered[k])
          out.push(`${where} lists '${name}' where coveredResources[${k}] is '${covered[k]}': "must match the name in coveredResources" (same order)`);
        for (const limit of ['borrowingLimit', 'lendingLimit'])
          if (!inCohort && r[limit] !== undefined && r[limit] !== null)
            out.push(`${where} sets ${limit} for '${name}' in a ClusterQueue without a cohort: "must be nil when cohort is empty"`);
      });
      const flavorName = text(flavor.name);
      if (flavorName && flavorsBefore.has(flavorName)) out.push(`flavor '${flavorName}' is listed twice (a flavor belongs to one resource group, once)`);
      if (flavorName) flavorsBefore.add(flavorName);
    });
  });
  return out;
}

export const clusterQueueInvalid: Rule = {
  id: 'cluster-queue-invalid',
  title:
    "a ClusterQueue Kueue's validation refuses (flavor resources not matching the covered ones, borrowing or lending limits without a cohort): it is never created",
  severity: 'error',
  appliesTo: ['ClusterQueue'],
  premise:
    'the ClusterQueue is in the tree, in the v1beta1 or v1beta2 shape (`cohort` or `cohortName`); a resource group without coveredResources is a schema error, left to `validate`',
  example: '`borrowingLimit: 4` on a flavor of a ClusterQueue that joins no cohort',
  fix: 'list every covered resource in each flavor, in the order of coveredResources; drop borrowingLimit and lendingLimit, or put the ClusterQueue in a cohort',
  source:
    'Kueue CRD validation (clusterqueue_types.go: "flavors must have the same number of resources as the coveredResources", "borrowingLimit must be nil when cohort is empty") and webhook pkg/webhooks/clusterqueue_webhook.go ("must match the name in coveredResources", lendingLimit "must be nil when cohort is empty", Duplicate resource or flavor)',
  check(o) {
    const reasons = refusals(mapping(o.manifest.spec));
    if (!reasons.length) return [];
    return [
      {
        message: `the API server refuses this ClusterQueue, so it is never created and the workloads of its LocalQueues wait: ${reasons.join('; ')}; list every covered resource in each flavor in the coveredResources order, and drop the limits or join a cohort`,
      },
    ];
  },
};
