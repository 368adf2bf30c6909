import { ruleFindings } from '../util';

const RULE = 'rwx-claim-default-class';
const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'cache', namespace: 'ai' },
  spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Gi' } }, ...spec },
});
const defaultClass = (provisioner: string) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner,
});

describe('rwx-claim-default-class: a ReadWriteMany claim left to the default StorageClass', () => {
  test("no class and no default in the tree: a warning naming the platforms' block defaults", () => {
    expect(ruleFindings(RULE, [claim({})])).toEqual([
      expect.stringMatching(
        /^warning PersistentVolumeClaim\/ai\/cache: accessModes asks ReadWriteMany and no storageClassName .*gp3.*standard-rwo.*stays Pending/,
      ),
    ]);
  });

  test("the tree's default class is EBS: a warning naming it and its provisioner", () => {
    expect(ruleFindings(RULE, [claim({}), defaultClass('ebs.csi.aws.com')])).toEqual([
      expect.stringMatching(
        /^warning PersistentVolumeClaim\/ai\/cache: .*default StorageClass 'fast', whose provisioner ebs\.csi\.aws\.com makes no ReadWriteMany/,
      ),
    ]);
  });

  test.each([
    ['a class named', [claim({ storageClassName: 'efs-sc' })]],
    ['the empty class (static volumes)', [claim({ storageClassName: '' })]],
    ['ReadWriteOnce', [claim({ accessModes: ['ReadWriteOnce'] })]],
    ['a block volume', [claim({ volumeMode: 'Block' })]],
    ['a named volume', [claim({ volumeName: 'pv-1' })]],
    ['a selector', [claim({ selector: { matchLabels: { disk: 'shared' } } })]],
    ['an RWX-capable default class of the tree', [claim({}), defaultClass('efs.csi.aws.com')]],
    ['a default class of a provisioner not known here', [claim({}), defaultClass('example.com/shared')]],
    [
      'a PersistentVolume of the tree',
      [
        claim({}),
        { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { accessModes: ['ReadWriteMany'], nfs: { server: 'n', path: '/' } } },
      ],
    ],
  ])('silent: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});

describe('rwx-claim-default-class: a ReadWriteMany filesystem claim naming a block-storage class of the tree', () => {
  const storageClass = (name: string, provisioner: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner });
  const error = (name: string, provisioner: string) =>
    `error PersistentVolumeClaim/ai/cache: accessModes asks ReadWriteMany for a filesystem volume (volumeMode Filesystem, the default) of StorageClass '${name}', whose provisioner ${provisioner} makes no ReadWriteMany filesystem volume: ` +
    'provisioning fails and the claim stays Pending, and every pod mounting it with it; name a StorageClass whose provisioner serves ReadWriteMany (CephFS, NFS, EFS, Filestore, Azure Files, Longhorn), or ask ReadWriteOnce where one node mounts the claim';

  test.each([
    ['ceph-block', 'rook-ceph.rbd.csi.ceph.com'],
    ['rbd', 'rbd.csi.ceph.com'],
    ['ebs-gp3', 'ebs.csi.aws.com'],
    ['pd-balanced', 'pd.csi.storage.gke.io'],
    ['managed-disk', 'disk.csi.azure.com'],
  ])('class %s of provisioner %s: an error', (name, provisioner) => {
    expect(ruleFindings(RULE, [claim({ storageClassName: name }), storageClass(name, provisioner)])).toEqual([error(name, provisioner)]);
  });

  test.each([
    [
      'a block volume of that class',
      [claim({ storageClassName: 'ceph-block', volumeMode: 'Block' }), storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com')],
    ],
    ['ReadWriteOnce', [claim({ storageClassName: 'ceph-block', accessModes: ['ReadWriteOnce'] }), storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com')]],
    ['CephFS', [claim({ storageClassName: 'ceph-fs' }), storageClass('ceph-fs', 'rook-ceph.cephfs.csi.ceph.com')]],
    ['Longhorn (share manager)', [claim({ storageClassName: 'longhorn' }), storageClass('longhorn', 'driver.longhorn.io')]],
    ['a class the tree does not define', [claim({ storageClassName: 'ceph-block' })]],
    ['a class name still holding a variable', [claim({ storageClassName: '${BLOCK_CLASS}' }), storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com')]],
    ['static volumes only (no-provisioner)', [claim({ storageClassName: 'manual' }), storageClass('manual', 'kubernetes.io/no-provisioner')]],
    [
      'a PersistentVolume of that class',
      [
        claim({ storageClassName: 'ceph-block' }),
        storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com'),
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv' },
          spec: { storageClassName: 'ceph-block', accessModes: ['ReadWriteMany'], nfs: { server: 'n', path: '/' } },
        },
      ],
    ],
  ])('silent: %s', (_, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });
});
