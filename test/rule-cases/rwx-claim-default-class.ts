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
