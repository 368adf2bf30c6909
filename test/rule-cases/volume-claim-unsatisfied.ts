import { ruleFound } from '../util';

/** A PersistentVolume and a claim, each with the fields given over a matching pair (manual class, 50Gi, ReadWriteOnce). */
const volume = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'weights' },
  spec: { capacity: { storage: '50Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/srv/weights' }, ...spec },
});
const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'weights', namespace: 'llm' },
  spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, ...spec },
});
const found = (pv: Record<string, unknown>, pvc: Record<string, unknown>) =>
  ruleFound('volume-claim-unsatisfied', [{ manifest: volume(pv) }, { manifest: claim(pvc) }], { platform: 'kserve', alone: true }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );

describe('volume-claim-unsatisfied', () => {
  test('spec.volumeName names a volume too small, of another class, mode or access mode: an error naming each', () => {
    expect(found({ capacity: { storage: '10Gi' } }, { volumeName: 'weights' })).toEqual([
      expect.stringMatching(
        /^error PersistentVolumeClaim\/llm\/weights: names PersistentVolume weights in spec\.volumeName.*capacity 10Gi is below the claim's request 50Gi.*stays Pending/,
      ),
    ]);
    const [all] = found({ storageClassName: 'fast', volumeMode: 'Block', accessModes: ['ReadOnlyMany'] }, { volumeName: 'weights' });
    expect(all).toMatch(
      /storageClassName 'fast' is not the claim's 'manual'.*volumeMode Block is not the claim's Filesystem.*offers ReadOnlyMany, not the claim's ReadWriteOnce/,
    );
  });

  test("a volume's claimRef pre-binding a claim it cannot satisfy: a warning (the claim gets another volume or waits)", () => {
    expect(found({ capacity: { storage: '10Gi' }, claimRef: { name: 'weights', namespace: 'llm' } }, { storageClassName: undefined })).toEqual([
      expect.stringMatching(
        /^warning PersistentVolumeClaim\/llm\/weights: is pre-bound by PersistentVolume weights's claimRef.*below the claim's request 50Gi/,
      ),
    ]);
  });

  test('near misses: a volume that satisfies the claim, a claim naming no class against a classed volume, a claimRef to another namespace', () => {
    expect(found({ capacity: { storage: '60Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }, { volumeName: 'weights' })).toEqual([]);
    expect(found({}, { volumeName: 'weights', storageClassName: undefined })).toEqual([]);
    expect(found({ capacity: { storage: '10Gi' }, claimRef: { name: 'weights', namespace: 'other' } }, {})).toEqual([]);
  });
});
