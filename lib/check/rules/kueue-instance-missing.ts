import { mapping, text } from '../../manifests/access';
import { KUEUE_GROUP } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { Rule } from '../rule';
import { isKueueOperatorSubscription, KUEUE_INSTANCE_NAME, kueueOperatorInstall } from '../kueue-operator-install';
import { kueueComponentStates } from '../operator-kueue';
import { appliesToCustomResource, dscPatches, patchPlace } from '../dsc-settings';
import { ObjectGraph } from '../graph';

/** The Kueue CR to add, as a message shows it: the operator's required spec.config.integrations with the batch Job integration. */
const INSTANCE_EXAMPLE = `{apiVersion: kueue.openshift.io/v1, kind: Kueue, metadata: {name: ${KUEUE_INSTANCE_NAME}}, spec: {config: {integrations: {frameworks: [BatchJob]}}}}`;

/** The path of the kueue component's managementState in a DataScienceCluster. */
const KUEUE_STATE = 'spec.components.kueue.managementState';

/**
 * What a message adds of a patch of the tree that would set the kueue component Unmanaged but that the API server
 * refuses: a strategic merge patch (kubectl patch's default type) of the DataScienceCluster, a custom resource.
 */
function refusedPatchNote(graph: ObjectGraph): string {
  const refused = dscPatches(graph, true).filter(
    (p) => !appliesToCustomResource(p) && p.fields.some((f) => (f.path === KUEUE_STATE && f.value === 'Unmanaged') || f.path.startsWith(`${KUEUE_STATE}.`)),
  );
  if (!refused.length) return '';
  return (
    `; the patch at ${refused.map(patchPlace).join(', ')} would set the kueue component Unmanaged, but it is a ${refused[0].type} merge patch, ` +
    `which the API server refuses for a custom resource ("the body of the request was in an unknown format"): give it --type=merge`
  );
}

export const kueueInstanceMissing: Rule = {
  id: 'kueue-instance-missing',
  title:
    "the tree installs the Red Hat build of Kueue operator and declares Kueue queues but no Kueue custom resource named cluster: the operator deploys no Kueue, and the queues' CRDs never come",
  severity: 'error',
  appliesTo: ['Subscription'],
  premise:
    "the tree holds the kueue-operator Subscription (so it is the platform setup, not workloads for a cluster set up elsewhere) and Kueue objects (kueue.x-k8s.io: ClusterQueue, LocalQueue, ResourceFlavor, …), and no Kueue (kueue.openshift.io, or operator.openshift.io in the tech previews) named cluster; a tree without the Subscription is not judged, nor one whose DataScienceCluster sets the kueue component Unmanaged (the OpenShift AI operator then makes the Kueue custom resource itself): as its manifest sets it, or as a merge or JSON patch the tree runs on it sets it (`oc|kubectl patch datasciencecluster … --type=merge`, in a script, README or Makefile of the tree or of its repository above it, or in the container command or mounted script of a Job, CronJob or Pod of the tree, an Argo CD hook Job among them), also of a DataScienceCluster the tree does not hold; a strategic merge patch (kubectl patch's default type) the API server refuses for a custom resource, and the message says so",
  example: 'Subscription `kueue-operator` and ClusterQueue `cluster-total`, with no Kueue named cluster',
  fix: 'add the cluster-scoped Kueue custom resource named cluster, e.g. {apiVersion: kueue.openshift.io/v1, kind: Kueue, metadata: {name: cluster}, spec: {config: {integrations: {frameworks: [BatchJob]}}}}',
  source:
    'openshift/kueue-operator pkg/operator/operatorclient/interfaces.go (OperatorConfigName "cluster": the operator reconciles only that Kueue), pkg/operator/target_config_reconciler.go (manageCustomResources: the kueue.x-k8s.io CRDs are applied by that reconcile) and pkg/apis/kueueoperator/v1/types.go (cluster-scoped singleton, XValidation "Kueue is a singleton, .metadata.name must be \'cluster\'"; spec.config.integrations required); opendatahub-operator internal/controller/components/kueue manageDefaultKueueResourcesAction (Unmanaged: createKueueCR); kubernetes/apiextensions-apiserver pkg/apiserver/customresource_handler.go (a custom resource takes JSON patch, merge patch and apply, not a strategic merge patch; kubectl patch --help: "Strategic merge patch is not supported for custom resources")',
  check(o, { graph }) {
    if (!isKueueOperatorSubscription(o.manifest)) return [];
    // one finding per tree, on its first kueue-operator Subscription
    const install = kueueOperatorInstall(graph);
    if (install.subscriptions[0] !== o.manifest) return [];
    if (install.instances.some((k) => text(mapping(k.metadata).name) === KUEUE_INSTANCE_NAME)) return [];
    const queues = graph.objects.filter((q) => apiGroupOf(text(q.manifest.apiVersion) ?? '') === KUEUE_GROUP);
    if (!queues.length) return [];
    // OpenShift AI's operator makes the Kueue custom resource itself where its DataScienceCluster leaves Kueue
    // Unmanaged (opendatahub-operator components/kueue manageDefaultKueueResourcesAction: createKueueCR); the
    // repository's scripts above the folder are read last, only when the error would stand
    if (kueueComponentStates(graph).includes('Unmanaged') || kueueComponentStates(graph, true).includes('Unmanaged')) return [];
    const named = queues
      .slice(0, 3)
      .map((q) => `${text(q.manifest.kind)} '${text(mapping(q.manifest.metadata).name)}'`)
      .join(', ');
    const others = install.instances.map((k) => `'${text(mapping(k.metadata).name)}'`);
    const misnamed = others.length ? ` (its Kueue ${others.join(', ')} is refused: the CRD allows only the name ${KUEUE_INSTANCE_NAME})` : '';
    return [
      {
        message:
          `the tree installs the Red Hat build of Kueue operator and declares ${queues.length} Kueue object(s) (${named}${queues.length > 3 ? ', …' : ''}) but no Kueue custom resource named ${KUEUE_INSTANCE_NAME}${misnamed}: ` +
          `the operator deploys Kueue (its controller, webhooks and the kueue.x-k8s.io CRDs) only for that one, so the queues are refused and no workload is admitted; ` +
          `add ${INSTANCE_EXAMPLE}${refusedPatchNote(graph)}`,
      },
    ];
  },
};
