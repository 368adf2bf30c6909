import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const SUBSCRIPTION = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: nfd, namespace: openshift-nfd}
spec: {channel: stable, name: nfd, source: redhat-operators, sourceNamespace: openshift-marketplace}
`;
const NFD = `apiVersion: nfd.openshift.io/v1
kind: NodeFeatureDiscovery
metadata: {name: nfd-instance, namespace: openshift-nfd}
spec: {operand: {servicePort: 12000}}
`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: nodefeaturediscoveries.nfd.openshift.io}
spec:
  group: nfd.openshift.io
  scope: Namespaced
  names: {kind: NodeFeatureDiscovery, plural: nodefeaturediscoveries}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

/** A script that applies the Subscription, runs `between`, then applies the NodeFeatureDiscovery, with `after` last. */
const script = (between: string, { head = 'set -e', apply = 'oc apply -f nfd/instance.yaml', after = '' } = {}) =>
  `#!/bin/bash\n${head}\noc apply -f operators/subscription.yaml\n${between}\n${apply}\n${after}`;

const findings = (files: Record<string, string>) => {
  const dir = writeTree({ 'operators/subscription.yaml': SUBSCRIPTION, 'nfd/instance.yaml': NFD, ...files }, 'script-cr-before-crd-');
  const { manifests, folders, charts, leftOut, scriptApplied } = readManifests([dir]);
  return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, scriptApplied, rules: ['script-cr-before-crd'] }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );
};

describe('script-cr-before-crd', () => {
  test('set -e, the Subscription, an echo, then the custom resource: an error naming both lines', () => {
    expect(findings({ 'setup.sh': script('echo "configuring NFD"') })).toEqual([
      expect.stringMatching(
        /^error NodeFeatureDiscovery\/openshift-nfd\/nfd-instance: setup\.sh:5 applies this NodeFeatureDiscovery .* right after line 3 applies Subscription\/openshift-nfd\/nfd/,
      ),
    ]);
  });

  test('the custom resource applied last, without set -e: the script ends with that failure, an error', () => {
    expect(findings({ 'setup.sh': script('', { head: '' }) }).length).toBe(1);
  });

  test('a kustomization that holds the Subscription, applied with -k, is the installer too', () => {
    const files = {
      'operators/kustomization.yaml': 'resources: [subscription.yaml]\n',
      'setup.sh': '#!/bin/bash\nset -euo pipefail\noc apply -k operators/\noc apply -f nfd/instance.yaml\n',
    };
    expect(findings(files).length).toBe(1);
  });

  test.each([
    ['oc wait', script('oc wait --for condition=established crd/nodefeaturediscoveries.nfd.openshift.io --timeout=300s')],
    ['a sleep', script('sleep 90')],
    ['an until loop', script('until oc get crd nodefeaturediscoveries.nfd.openshift.io; do sleep 5; done')],
    [
      'a function of the script',
      `wait_for_crd() { until oc get crd "$1"; do sleep 5; done; }\n${script('wait_for_crd nodefeaturediscoveries.nfd.openshift.io')}`,
    ],
    ['the apply in a condition', script('', { apply: 'if ! oc apply -f nfd/instance.yaml; then echo "apply it again later"; fi' })],
    ['the apply before ||', script('', { apply: 'oc apply -f nfd/instance.yaml || echo "apply it again later"' })],
    ['no set -e and commands after it', script('', { head: '', after: 'echo done\n' })],
  ])('silent with %s', (_, text) => {
    expect(findings({ 'setup.sh': text })).toEqual([]);
  });

  test('silent where the tree holds the CRD, and for a README whose reader runs the steps apart', () => {
    expect(findings({ 'setup.sh': script(''), 'crds/nfd.yaml': CRD })).toEqual([]);
    expect(findings({ 'README.md': '# Setup\n\n```bash\nset -e\noc apply -f operators/subscription.yaml\noc apply -f nfd/instance.yaml\n```\n' })).toEqual([]);
  });
});
