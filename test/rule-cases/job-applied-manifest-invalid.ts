import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, any>;

/** A ConfigMap `platform-manifests` holding `files`, and a Job mounting it at /manifests and running `script`. */
const applyJob = (files: Record<string, string>, script: string, kind: 'Job' | 'CronJob' = 'Job'): Doc[] => {
  const pod = {
    restartPolicy: 'Never',
    serviceAccountName: 'installer',
    containers: [
      {
        name: 'apply',
        image: 'registry.redhat.io/openshift4/ose-cli:v4.16',
        command: ['/bin/bash', '-c', script],
        volumeMounts: [{ name: 'manifests', mountPath: '/manifests' }],
      },
    ],
    volumes: [{ name: 'manifests', configMap: { name: 'platform-manifests' } }],
  };
  const job =
    kind === 'Job'
      ? { apiVersion: 'batch/v1', kind, metadata: { name: 'install', namespace: 'setup' }, spec: { template: { spec: pod } } }
      : {
          apiVersion: 'batch/v1',
          kind,
          metadata: { name: 'install', namespace: 'setup' },
          spec: { schedule: '@hourly', jobTemplate: { spec: { template: { spec: pod } } } },
        };
  return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'platform-manifests', namespace: 'setup' }, data: files }, job];
};
const found = (rule: string, docs: Doc[]) =>
  severityObjectMessages(
    ruleFound(
      rule,
      docs.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.3' },
    ),
  );

const DSC =
  'apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kserve:\n      managementState: Managed\n';
const BROKEN = 'apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\n spec:\n  components: {}\n';

// kubectl apply refuses a file that does not decode ("error parsing"), applying none of its objects
describe('job-applied-manifest-invalid', () => {
  test('a mounted key that does not parse: an error naming the container, the command, the key, and that set -e stops the rest', () => {
    const [f, ...rest] = found(
      'job-applied-manifest-invalid',
      applyJob({ 'dsc.yaml': BROKEN }, 'set -euo pipefail\noc apply -f /manifests/dsc.yaml\noc wait --for=condition=Ready dsc/default-dsc'),
    );
    expect(rest).toEqual([]);
    expect(f.slice(0, 2)).toEqual(['error', 'Job/setup/install']);
    expect(f[2]).toMatch(
      /^container 'apply' runs 'oc apply -f \/manifests\/dsc\.yaml' \(script line \d+\) on \/manifests\/dsc\.yaml, which is ConfigMap 'platform-manifests' key dsc\.yaml, and that YAML does not parse \(.+\): kubectl refuses the file and applies none of its objects, the command fails and the Job with it; the script stops on errors \(set -e\), so nothing after it runs; fix the YAML of that key$/,
    );
  });

  test('a CronJob is read the same way; without set -e the rest of the script still runs', () => {
    const [f] = found('job-applied-manifest-invalid', applyJob({ 'dsc.yaml': BROKEN }, 'kubectl apply -f /manifests/dsc.yaml', 'CronJob'));
    expect(f.slice(0, 2)).toEqual(['error', 'CronJob/setup/install']);
    expect(f[2]).not.toContain('set -e');
  });

  test('near misses: the YAML parses, the file is not applied, the key is not mounted where the command reads', () => {
    expect(found('job-applied-manifest-invalid', applyJob({ 'dsc.yaml': DSC }, 'set -e\noc apply -f /manifests/dsc.yaml'))).toEqual([]);
    expect(found('job-applied-manifest-invalid', applyJob({ 'dsc.yaml': BROKEN }, 'set -e\ncat /manifests/other.txt'))).toEqual([]);
    expect(found('job-applied-manifest-invalid', applyJob({ 'dsc.yaml': BROKEN }, 'set -e\noc apply -f /elsewhere/dsc.yaml'))).toEqual([]);
  });
});

// operator-instance-missing: the DataScienceCluster such a Job applies is made by the tree
describe('operator-instance-missing: an instance a Job applies from a ConfigMap', () => {
  const subscription = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator' },
    spec: { channel: 'stable-3.3', name: 'rhods-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
  };
  test('applied from a parsing key: made, no finding; a key that does not parse, or no Job: the warning stays', () => {
    expect(found('operator-instance-missing', [subscription, ...applyJob({ 'dsc.yaml': DSC }, 'set -e\noc apply -f /manifests/dsc.yaml')])).toEqual([]);
    const broken = found('operator-instance-missing', [subscription, ...applyJob({ 'dsc.yaml': BROKEN }, 'set -e\noc apply -f /manifests/dsc.yaml')]);
    expect(broken.map((f) => f.slice(0, 2))).toEqual([['warning', 'Subscription/redhat-ods-operator/rhods-operator']]);
    expect(found('operator-instance-missing', [subscription])).toEqual(broken);
  });
});
