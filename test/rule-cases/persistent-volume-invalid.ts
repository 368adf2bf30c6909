import { ruleFound, severityMessages } from '../util';

/** Cases after kubernetes pkg/apis/core/validation/validation_test.go TestValidateLocalVolumes and TestValidatePersistentVolumes. */
const pinned = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } };
const pv = (source: Record<string, unknown>, apiVersion = 'v1') => ({
  apiVersion,
  kind: 'PersistentVolume',
  metadata: { name: 'cache' },
  spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], ...source },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'persistent-volume-invalid',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('persistent-volume-invalid', () => {
  test('a local volume without nodeAffinity: an error naming the path, the refusal and the fix', () => {
    expect(found([pv({ local: { path: '/mnt/disks/ssd1' } })])).toEqual([
      [
        'error',
        'PersistentVolume cache: spec.local (path /mnt/disks/ssd1) without spec.nodeAffinity: the API server refuses the PersistentVolume ("Local volume requires node affinity"), since a local disk exists on one node only; add spec.nodeAffinity.required.nodeSelectorTerms matching that node (kubernetes.io/hostname In [<node>])',
      ],
    ]);
  });

  test('a nodeAffinity without required is refused on any volume; with required the local volume is valid', () => {
    expect(found([pv({ local: { path: '/mnt/disks/ssd1' }, nodeAffinity: {} })]).map((f) => f[1].split(':')[1])).toEqual([
      ' spec.nodeAffinity has no required node selector',
    ]);
    expect(found([pv({ hostPath: { path: '/data' }, nodeAffinity: { preferred: [] } })]).length).toBe(1);
    expect(found([pv({ local: { path: '/mnt/disks/ssd1' }, nodeAffinity: pinned })])).toEqual([]);
  });

  test('two volume sources: refused once, the local rule not said again', () => {
    expect(found([pv({ local: { path: '/a' }, hostPath: { path: '/a' } })]).map((f) => f[1])).toEqual([
      'PersistentVolume cache: spec sets hostPath and local: the API server refuses the PersistentVolume ("may not specify more than 1 volume type"); keep the one source the volume is',
    ]);
  });

  test('silent: hostPath, nfs and csi volumes without node affinity, a spec with no source (the schema says so), another API version', () => {
    expect(found([pv({ hostPath: { path: '/data' } })])).toEqual([]);
    expect(found([pv({ nfs: { server: 'nfs.local', path: '/models' } })])).toEqual([]);
    expect(found([pv({ csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } })])).toEqual([]);
    expect(found([pv({})])).toEqual([]);
    expect(found([pv({ local: { path: '/a' } }, 'v2')])).toEqual([]);
  });
});
