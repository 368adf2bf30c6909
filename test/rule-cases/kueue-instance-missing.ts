import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * kueue-instance-missing and OpenShift AI: where the DataScienceCluster leaves the kueue component Unmanaged, the
 * OpenShift AI operator makes the Red Hat build of Kueue's custom resource itself.
 */
describe('kueue-instance-missing: a DataScienceCluster that leaves Kueue Unmanaged', () => {
  const subscription =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    'spec:\n  channel: stable-v1.3\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  const clusterQueue =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ClusterQueue\nmetadata:\n  name: gpu\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '    - coveredResources: [cpu]\n      flavors:\n        - name: default-flavor\n          resources:\n            - name: cpu\n              nominalQuota: 8\n';
  const dsc = (state: string) =>
    `apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n      managementState: ${state}\n`;
  function found(files: Record<string, string>): string[] {
    const dir = writeTree('kueue-instance-', { 'subscription.yaml': subscription, 'cluster-queue.yaml': clusterQueue, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['kueue-instance-missing'], ...read }).map((f) => f.severity);
  }

  test('Unmanaged: the OpenShift AI operator makes the Kueue custom resource, nothing to say', () => {
    expect(found({ 'dsc.yaml': dsc('Unmanaged') })).toEqual([]);
  });

  test('no DataScienceCluster, or one that removes Kueue: the error stays', () => {
    expect(found({})).toEqual(['error']);
    expect(found({ 'dsc.yaml': dsc('Removed') })).toEqual(['error']);
  });
});
