import { KUEUE_GROUP } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { namesOf } from '../reference-targets';
import { Problem, Rule } from '../rule';
import { didYouMean, objectCandidates } from '../near-names';

/** The admission checks a ClusterQueue lists, with where: spec.admissionChecks (v1beta1) and spec.admissionChecksStrategy. */
function listedChecks(spec: Loose): { name: string; where: string }[] {
  const plain = strings(spec.admissionChecks).map((name, i) => ({ name, where: `spec.admissionChecks[${i}]` }));
  const strategy = mappings(mapping(spec.admissionChecksStrategy).admissionChecks).flatMap((c, i) => {
    const name = text(c.name);
    return name ? [{ name, where: `spec.admissionChecksStrategy.admissionChecks[${i}].name` }] : [];
  });
  return [...plain, ...strategy];
}

/** What a missing check does: Kueue's cache marks the ClusterQueue pending (clusterqueue.go updateQueueStatus). */
export const CHECK_MISSING_CONSEQUENCE =
  'Kueue keeps the ClusterQueue inactive (Active=False, reason AdmissionCheckNotFound: "Can\'t admit new workloads: references missing AdmissionCheck(s)") and every workload of its LocalQueues stays pending';

export const admissionCheckNotFound: Rule = {
  id: 'admission-check-not-found',
  title: 'a ClusterQueue lists an AdmissionCheck that does not exist: Kueue keeps it inactive (AdmissionCheckNotFound) and its workloads stay pending',
  severity: 'error',
  appliesTo: ['ClusterQueue'],
  premise:
    'the ClusterQueue is in the tree and lists the check in spec.admissionChecks or spec.admissionChecksStrategy; the tree defines AdmissionChecks, just not this one (a tree with no AdmissionCheck at all gets a warning: the cluster may have it)',
  example: 'a ClusterQueue with `admissionChecks: [multikueue]` where the tree defines only AdmissionCheck `name: dispatch-to-workers`',
  fix: 'add the AdmissionCheck (kueue.x-k8s.io) to the tree, or list one that exists',
  source:
    "Kueue pkg/cache/scheduler clusterqueue.go (updateWithAdmissionChecks: a check missing from the cache is kept in missingAdmissionChecks; updateQueueStatus: Active=False, reason AdmissionCheckNotFound) and its clusterqueue_test.go ('references missing AdmissionCheck(s)')",
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== KUEUE_GROUP) return [];
    const defined = namesOf(graph, 'AdmissionCheck', KUEUE_GROUP);
    return listedChecks(mapping(o.manifest.spec))
      .filter((c) => !defined.includes(c.name))
      .map((c): Problem => {
        const head = `${c.where} names AdmissionCheck '${c.name}'`;
        if (defined.length) {
          const meant = didYouMean(c.name, objectCandidates(graph.ofKind('AdmissionCheck').filter((a) => apiGroupOf(a.manifest.apiVersion) === KUEUE_GROUP)));
          return {
            message: `${head}, which the tree does not define (it defines ${defined.map((d) => `'${d}'`).join(', ')}${meant ? `; ${meant}` : ''}): ${CHECK_MISSING_CONSEQUENCE}; add AdmissionCheck '${c.name}' or name one of those`,
          };
        }
        return {
          severity: 'warning',
          message: `${head}, and the tree defines no AdmissionCheck; unless the cluster has it, ${CHECK_MISSING_CONSEQUENCE}: add AdmissionCheck '${c.name}' to the tree or make sure it exists`,
        };
      });
  },
};
