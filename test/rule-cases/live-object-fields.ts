import { runChecks } from '../../lib';

/** Objects exported from a live cluster (`oc get -o yaml`) and committed: which server-set fields break an apply. */
describe('live-object-fields', () => {
  const cm = (metadata: object, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'llm', ...metadata },
    data: { a: 'b' },
    ...extra,
  });
  const found = (...manifests: object[]) =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0' },
    )
      .filter((f) => f.rule === 'live-object-fields')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);
  const OWNER = { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'LLMInferenceService', name: 'gemma', uid: 'ee5bba6d-0a7f-4855-8ece-68f0e346b88d' };

  test('an ownerReference by a uid no object of the tree carries: an error, the garbage collector deletes the object', () => {
    expect(found(cm({ ownerReferences: [OWNER] }))).toEqual([
      expect.stringMatching(
        /^error ConfigMap\/llm\/c: metadata.ownerReferences names LLMInferenceService gemma by uid ee5bba6d-0a7f-4855-8ece-68f0e346b88d, which no object of the tree carries: .*the garbage collector deletes this one right after it is created; remove the ownerReferences .*`kubectl neat`$/,
      ),
    ]);
  });

  test('a resourceVersion, written as a string or a number: an error, the create is refused', () => {
    for (const resourceVersion of ['48211', 48211])
      expect(found(cm({ resourceVersion }))).toEqual([
        expect.stringMatching(
          /^error ConfigMap\/llm\/c: metadata.resourceVersion '48211' is set: .*"resourceVersion should not be set on objects to be created"/,
        ),
      ]);
  });

  test('uid, creationTimestamp, managedFields and a status with something in it: one info naming them', () => {
    expect(
      found(cm({ uid: 'u-1', creationTimestamp: '2026-03-02T10:14:07Z', managedFields: [{ manager: 'kubectl' }] }, { status: { phase: 'Ready' } })),
    ).toEqual([
      expect.stringMatching(/^info ConfigMap\/llm\/c: metadata.uid, metadata.creationTimestamp, metadata.managedFields, status are set by the API server/),
    ]);
  });

  test('an owner of the tree carrying the uid the reference names: the reference is not judged (the owner keeps its info)', () => {
    const owner = cm({ name: 'owner', uid: 'u-2' });
    const dependent = cm({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-2' }] });
    expect(found(owner, dependent)).toEqual([expect.stringMatching(/^info ConfigMap\/llm\/owner: metadata.uid is set/)]);
  });

  test('near misses: a null creationTimestamp, an empty status, a generated CRD status and an ownerReference without uid say nothing', () => {
    expect(found(cm({ creationTimestamp: null }, { status: {} }))).toEqual([]);
    expect(found(cm({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x' }] }))).toEqual([]);
    expect(found(cm({}, { status: { acceptedNames: { kind: '', plural: '' }, conditions: [], storedVersions: [] } }))).toEqual([]);
    // an empty resourceVersion, or one another tool fills in, is no export
    expect(found(cm({ resourceVersion: '' }), cm({ name: 'd', resourceVersion: '${RV}' }), cm({ name: 'e', resourceVersion: '{{ .Values.rv }}' }))).toEqual([]);
  });
});
