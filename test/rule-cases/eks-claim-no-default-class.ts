import { ruleFindings } from '../util';

const RULE = 'eks-claim-no-default-class';
const eksctl = (version = '1.31', extra: object = {}) => ({
  apiVersion: 'eksctl.io/v1alpha5',
  kind: 'ClusterConfig',
  metadata: { name: 'search', region: 'eu-west-1', version },
  managedNodeGroups: [{ name: 'general', instanceType: 'm6i.xlarge' }],
  ...extra,
});
const claim = (spec: object = {}, accessModes = ['ReadWriteOnce']) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'index-data', namespace: 'search' },
  spec: { accessModes, resources: { requests: { storage: '20Gi' } }, ...spec },
});
const storageClass = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'gp3', annotations },
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp3' },
});

// Amazon EKS user guide, Kubernetes 1.30 release notes: gp2 no longer annotated as the default in new clusters
describe('eks-claim-no-default-class', () => {
  test('a claim naming no class on an eksctl cluster at 1.31 with no default in the input: a warning naming the fix', () => {
    expect(ruleFindings(RULE, [eksctl(), claim()])).toEqual([
      "warning PersistentVolumeClaim/search/index-data: the claim names no storageClassName, so it takes the cluster's default StorageClass, and the input's cluster is EKS (eksctl ClusterConfig/search): " +
        'EKS clusters created at Kubernetes 1.31 (1.30 or later) have no default StorageClass (gp2 is no longer annotated is-default-class; a cluster created earlier and upgraded keeps it), and nothing in the input makes one the default: ' +
        'the claim stays Pending and every pod mounting it with it; name a StorageClass in storageClassName (an ebs.csi.aws.com gp3 class), or make one the default (storageclass.kubernetes.io/is-default-class: "true", or the EBS CSI add-on defaultStorageClass: {enabled: true})',
    ]);
  });

  test("a StatefulSet's volumeClaimTemplates entry naming no class, and an eksctl version not given", () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'qdrant', namespace: 'search' },
      spec: {
        selector: { matchLabels: { app: 'qdrant' } },
        template: { metadata: { labels: { app: 'qdrant' } }, spec: { containers: [{ name: 'qdrant', image: 'qdrant/qdrant:v1.12.0' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'storage' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
      },
    };
    expect(ruleFindings(RULE, [eksctl(''), sts])).toEqual([
      expect.stringMatching(
        /^warning StatefulSet\/search\/qdrant: volumeClaimTemplates\[0\] 'storage' names no storageClassName, .*EKS clusters created at Kubernetes 1\.30 or later have no default/,
      ),
    ]);
  });

  test('a ReadWriteMany claim there is said once, by this rule, not by rwx-claim-default-class', () => {
    const docs = [eksctl(), claim({}, ['ReadWriteMany'])];
    expect(ruleFindings(RULE, docs)).toHaveLength(1);
    expect(ruleFindings('rwx-claim-default-class', docs)).toEqual([]);
  });

  test.each([
    ['a StorageClass of the tree marked default', [eksctl(), storageClass({ 'storageclass.kubernetes.io/is-default-class': 'true' }), claim()]],
    ['the claim names a class', [eksctl(), storageClass(), claim({ storageClassName: 'gp3' })]],
    ['storageClassName "" (static volumes only)', [eksctl(), claim({ storageClassName: '' })]],
    ['a chosen volume', [eksctl(), claim({ volumeName: 'pv-index' })]],
    ['an eksctl cluster at 1.29 (gp2 is its default)', [eksctl('1.29'), claim()]],
    ['no EKS cluster in the input', [claim()]],
    [
      'the EBS CSI add-on configured to make a default class',
      [eksctl('1.31', { addons: [{ name: 'aws-ebs-csi-driver', configurationValues: 'defaultStorageClass:\n  enabled: true\n' }] }), claim()],
    ],
    [
      "a HelmRelease whose values annotate a class default (the EBS CSI driver's chart)",
      [
        eksctl(),
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'aws-ebs-csi-driver', namespace: 'kube-system' },
          spec: {
            chart: { spec: { chart: 'aws-ebs-csi-driver', sourceRef: { kind: 'HelmRepository', name: 'ebs' } } },
            values: { storageClasses: [{ name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }] },
          },
        },
        claim(),
      ],
    ],
  ])('near miss: %s', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});
