import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * gpu-operator-nfd-instance-missing: the GPU operator finds GPU nodes by NFD's PCI vendor label, which the OpenShift NFD
 * operator's daemons give only once a NodeFeatureDiscovery instance exists.
 */
const NFD_SUBSCRIPTION =
  'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: nfd\n  namespace: openshift-nfd\n' +
  'spec:\n  channel: stable\n  name: nfd\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
const POLICY = 'apiVersion: nvidia.com/v1\nkind: ClusterPolicy\nmetadata:\n  name: gpu-policy\nspec:\n  driver:\n    enabled: true\n';
const INSTANCE = 'apiVersion: nfd.openshift.io/v1\nkind: NodeFeatureDiscovery\nmetadata:\n  name: nfd-instance\n  namespace: openshift-nfd\nspec: {}\n';
const RULE =
  'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: nvidia\nspec:\n  rules:\n    - name: nvidia\n' +
  '      labels:\n        feature.node.kubernetes.io/pci-10de.present: "true"\n      matchFeatures:\n        - feature: pci.device\n          matchExpressions:\n            vendor: {op: In, value: ["10de"]}\n';

/** The findings of the rule on `folder` of a git work tree holding the files, as severity, object and message. */
function found(files: Record<string, string>, folder = '.'): [string, string, string][] {
  const root = writeTree('nfd-instance-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, folder)]);
  return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['gpu-operator-nfd-instance-missing'], ...read }).map((f) => [
    f.severity,
    f.object,
    f.message,
  ]);
}

describe('gpu-operator-nfd-instance-missing', () => {
  test('the tree subscribes the NFD operator and configures the GPU operator, no instance: error on the ClusterPolicy', () => {
    const [f, ...rest] = found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY }, 'gpu');
    expect(rest).toEqual([]);
    expect(f[0]).toBe('error');
    expect(f[1]).toBe('ClusterPolicy/gpu-policy');
    expect(f[2]).toMatch(/no NodeFeatureDiscovery instance is defined: .*feature\.node\.kubernetes\.io\/pci-10de\.present.*no pod gets nvidia\.com\/gpu/);
  });

  test('the nfd Subscription only in another folder of the repository: a warning naming its file', () => {
    const [f] = found({ 'operators/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY }, 'gpu');
    expect(f[0]).toBe('warning');
    expect(f[2]).toMatch(
      /Subscription 'nfd' \(.*operators\/nfd\.yaml:1, outside the checked folder\).*no NodeFeatureDiscovery instance is defined in the repository/,
    );
  });

  test('near misses: an instance in the tree or the repository, a NodeFeatureRule giving the label, no NFD operator subscribed', () => {
    expect(found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'gpu/instance.yaml': INSTANCE }, 'gpu')).toEqual([]);
    expect(found({ 'operators/nfd.yaml': NFD_SUBSCRIPTION, 'operators/instance.yaml': INSTANCE, 'gpu/policy.yaml': POLICY }, 'gpu')).toEqual([]);
    expect(found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'gpu/rule.yaml': RULE }, 'gpu')).toEqual([]);
    expect(found({ 'gpu/policy.yaml': POLICY }, 'gpu')).toEqual([]);
  });
});
