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
  test('the tree subscribes the NFD operator and configures the GPU operator, no instance: a warning on the ClusterPolicy (it may be made by hand)', () => {
    const [f, ...rest] = found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY }, 'gpu');
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('ClusterPolicy/gpu-policy');
    expect(f[2]).toMatch(
      /no NodeFeatureDiscovery instance is defined in the tree or its scripts; unless one is made by hand \(the console's Create NodeFeatureDiscovery\) or elsewhere, .*feature\.node\.kubernetes\.io\/pci-10de\.present.*no pod gets nvidia\.com\/gpu/,
    );
  });

  test('the nfd Subscription only in another folder of the repository: a warning naming its file', () => {
    const [f] = found({ 'operators/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY }, 'gpu');
    expect(f[0]).toBe('warning');
    expect(f[2]).toMatch(
      /Subscription 'nfd' \(.*operators\/nfd\.yaml:1, outside the checked folder\).*no NodeFeatureDiscovery instance is defined in the tree, its scripts or the repository/,
    );
  });

  test('near misses: an instance in the tree or the repository, a NodeFeatureRule giving the label, no NFD operator subscribed', () => {
    expect(found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'gpu/instance.yaml': INSTANCE }, 'gpu')).toEqual([]);
    expect(found({ 'operators/nfd.yaml': NFD_SUBSCRIPTION, 'operators/instance.yaml': INSTANCE, 'gpu/policy.yaml': POLICY }, 'gpu')).toEqual([]);
    expect(found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'gpu/rule.yaml': RULE }, 'gpu')).toEqual([]);
    expect(found({ 'gpu/policy.yaml': POLICY }, 'gpu')).toEqual([]);
  });

  /** A script reading the NFD operator's example instance from its CSV's alm-examples annotation with jq, and then `then`. */
  const fromCsv = (then: string, quote = '') =>
    '#!/bin/sh\nCSV=$(oc get csv -n openshift-nfd -o name | grep nfd)\n' +
    `SAMPLE=$(oc get $CSV -n openshift-nfd -o jsonpath='{.metadata.annotations.alm-examples}' | jq -r 'map(select(.kind == "NodeFeatureDiscovery")) | .[0]')\n` +
    then.replace(/QUOTE/g, quote);
  const tree = (script: string) => found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'gpu/install.sh': script }, 'gpu');

  test('near misses: a script applies the example it selects from the CSV with jq, by a heredoc, an echo or a pipe', () => {
    expect(tree(fromCsv('oc apply -f - <<QUOTEEOFQUOTE\n$SAMPLE\nEOF\n'))).toEqual([]);
    expect(tree(fromCsv('echo "$SAMPLE" | oc apply -f -\n'))).toEqual([]);
    const piped =
      "#!/bin/sh\noc get csv nfd.v4.18.0 -n openshift-nfd -o jsonpath='{.metadata.annotations.alm-examples}' " +
      '| jq \'.[] | select(.kind=="NodeFeatureDiscovery")\' | kubectl create -f -\n';
    expect(tree(piped)).toEqual([]);
  });

  test('a script that only reads the example (saved, printed), or applies the literal text of a quoted heredoc, makes no instance', () => {
    const [saved] = tree(fromCsv('echo "$SAMPLE" > nfd.json\n'));
    expect(saved[0]).toBe('warning');
    const [quoted] = tree(fromCsv('oc apply -f - <<QUOTEEOFQUOTE\n$SAMPLE\nEOF\n', "'"));
    expect(quoted[0]).toBe('warning');
    // a filter selecting another kind of the CSV's examples
    const [other] = tree(fromCsv('echo "$SAMPLE" | oc apply -f -\n').replace('NodeFeatureDiscovery', 'NodeFeatureRule'));
    expect(other[0]).toBe('warning');
  });

  test("near misses: the NFD CSV's first example applied with a filter selecting no kind, by a pipe or from a variable", () => {
    const first = "#!/bin/sh\noc get csv -n openshift-nfd -o jsonpath='{.items[0].metadata.annotations.alm-examples}' | jq '.[0]' | oc apply -f -\n";
    expect(tree(first)).toEqual([]);
    const held =
      "#!/bin/bash\nEXAMPLES=$(oc get csv -n openshift-nfd -o jsonpath='{.items[0].metadata.annotations.alm-examples}')\n" +
      'echo "$EXAMPLES" | jq \'.[0]\' | oc apply -f -\n';
    expect(tree(held)).toEqual([]);
  });

  test("another operator's first example is not the NFD instance: the warning stays", () => {
    const other = "#!/bin/sh\noc get csv -n kueue-system -o jsonpath='{.items[0].metadata.annotations.alm-examples}' | jq '.[0]' | oc apply -f -\n";
    expect(tree(other).map((f) => f[0])).toEqual(['warning']);
  });

  test('a script of the repository outside the checked folder makes the instance: a note naming the script', () => {
    const script =
      "#!/bin/sh\noc get csv -n openshift-nfd -o jsonpath='{.items[0].metadata.annotations.alm-examples}' | jq 'map(select(.kind==\"NodeFeatureDiscovery\"))[0]' | oc apply -f -\n";
    const findings = found({ 'gpu/nfd.yaml': NFD_SUBSCRIPTION, 'gpu/policy.yaml': POLICY, 'scripts/install-nfd.sh': script }, 'gpu');
    expect(findings).toEqual([
      [
        'info',
        'ClusterPolicy/gpu-policy',
        expect.stringMatching(
          /^the NodeFeatureDiscovery instance is not a manifest of the tree: \.\.\/scripts\/install-nfd\.sh \(line 2\), outside the checked folder, creates it/,
        ),
      ],
    ]);
  });
});
