import * as fs from 'fs';
import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, severityObjectMessages, writeTree } from '../util';

/**
 * operator-instance-missing: an OLM Subscription to an operator that reconciles only its own custom resource, with
 * none in the tree, its scripts or the manifests of its git repository.
 */
const subscription = (pkg: string) =>
  `apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ${pkg}\n  namespace: openshift-operators\n` +
  `spec:\n  channel: stable\n  name: ${pkg}\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n`;
const kueue = (name: string) =>
  `apiVersion: kueue.openshift.io/v1\nkind: Kueue\nmetadata:\n  name: ${name}\nspec:\n  config:\n    integrations:\n      frameworks: [BatchJob]\n`;
const POLICY = 'apiVersion: nvidia.com/v1\nkind: ClusterPolicy\nmetadata:\n  name: gpu-cluster-policy\nspec:\n  driver:\n    enabled: true\n';
const KYVERNO = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: require-labels\nspec:\n  rules: []\n';
const QUEUE = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: default-flavor\n';

/** The rule's findings on `folder` of a git work tree holding the files, as [severity, object, message]. */
function found(files: Record<string, string>, folder = 'setup'): [string, string, string][] {
  const root = writeTree('operator-instance-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, folder)]);
  return severityObjectMessages(ruleFound('operator-instance-missing', read.manifests, { platform: 'rhoai-3.3', alone: true, ...read }));
}

describe('operator-instance-missing', () => {
  test('the Kueue operator subscribed alone, no Kueue anywhere in the repository: a warning naming the Kueue to add', () => {
    const [f, ...rest] = found({ 'setup/sub.yaml': subscription('kueue-operator'), 'docs/notes.md': 'queues come later\n' });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('Subscription/openshift-operators/kueue-operator');
    expect(f[2]).toMatch(
      /Red Hat build of Kueue operator, which deploys nothing until its Kueue custom resource named cluster exists.*kind: Kueue, metadata: \{name: cluster\}/,
    );
  });

  test('a Kueue of another name: the warning says only cluster counts', () => {
    const [f] = found({ 'setup/sub.yaml': subscription('kueue-operator'), 'setup/kueue.yaml': kueue('main') });
    expect(f[2]).toMatch(/the Kueue 'main' is not the one it reads: only the name cluster counts/);
  });

  test('the GPU operator and the OpenShift AI operator: their ClusterPolicy and DataScienceCluster', () => {
    expect(found({ 'setup/sub.yaml': subscription('gpu-operator-certified') })[0][2]).toMatch(
      /NVIDIA GPU operator, which deploys nothing until its ClusterPolicy/,
    );
    expect(found({ 'setup/sub.yaml': subscription('rhods-operator') })[0][2]).toMatch(/OpenShift AI \(Open Data Hub\) operator.*DataScienceCluster/);
    // a Kyverno ClusterPolicy is no GPU operator instance
    expect(found({ 'setup/sub.yaml': subscription('gpu-operator-certified'), 'setup/policy.yaml': KYVERNO })).toHaveLength(1);
  });

  test('near misses: the instance in the tree, in another folder of the repository, in a Helm template of it, or said by another rule', () => {
    expect(found({ 'setup/sub.yaml': subscription('kueue-operator'), 'setup/kueue.yaml': kueue('cluster') })).toEqual([]);
    expect(found({ 'setup/sub.yaml': subscription('kueue-operator'), 'instance/kueue.yaml': kueue('cluster') })).toEqual([]);
    expect(found({ 'setup/sub.yaml': subscription('gpu-operator-certified'), 'instance/policy.yaml': POLICY })).toEqual([]);
    const template = 'apiVersion: nvidia.com/v1\nkind: ClusterPolicy\nmetadata:\n  name: {{ .Values.name }}\nspec: {}\n';
    expect(found({ 'setup/sub.yaml': subscription('gpu-operator-certified'), 'chart/templates/policy.yaml': template })).toEqual([]);
    // the tree declares Kueue queues: kueue-instance-missing says it as an error
    expect(found({ 'setup/sub.yaml': subscription('kueue-operator'), 'setup/flavor.yaml': QUEUE })).toEqual([]);
    // NFD beside the GPU operator: gpu-operator-nfd-instance-missing's
    expect(found({ 'setup/sub.yaml': subscription('nfd'), 'setup/policy.yaml': POLICY })).toEqual([]);
    // a package no operator of the table has
    expect(found({ 'setup/sub.yaml': subscription('openshift-pipelines-operator-rh') })).toEqual([]);
  });
  test('the OpenShift AI operator of a 1.x release needs no DataScienceCluster (its operator deployed from its own KfDefs); a 2.x one does', () => {
    const rhods = (spec: string) =>
      'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: rhods\n  namespace: redhat-ods-operator\n' +
      `spec:\n  name: rhods-operator\n${spec}`;
    const catalog = (image: string) =>
      'apiVersion: operators.coreos.com/v1alpha1\nkind: CatalogSource\nmetadata:\n  name: rhods-catalog\n  namespace: redhat-ods-operator\n' +
      `spec:\n  sourceType: grpc\n  image: ${image}\n`;
    const fromCatalog = '  channel: beta\n  source: rhods-catalog\n  sourceNamespace: redhat-ods-operator\n';
    // near misses: the release named by the startingCSV, or by the tag of the operator's own catalog image
    expect(found({ 'setup/sub.yaml': rhods('  channel: stable\n  startingCSV: rhods-operator.1.20.1\n') })).toEqual([]);
    expect(found({ 'setup/sub.yaml': rhods(fromCatalog), 'setup/catalog.yaml': catalog('quay.io/modh/qe-catalog-source:v1.28.0-4') })).toEqual([]);
    // fires: a 2.x release, and an OpenShift index image whose tag is OpenShift's release, not the operator's
    const v2 = found({ 'setup/sub.yaml': rhods('  channel: stable-2.16\n') });
    expect(v2.map(([severity]) => severity)).toEqual(['warning']);
    const ocpIndex = found({ 'setup/sub.yaml': rhods(fromCatalog), 'setup/catalog.yaml': catalog('registry.redhat.io/redhat/redhat-operator-index:v1.4') });
    expect(ocpIndex[0][2]).toMatch(/DataScienceCluster/);
  });
});
