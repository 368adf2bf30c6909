import { ruleFound, severityMessages } from '../util';

/** The pod evaluator counts an extended resource only as requests.<name> (kubernetes pkg/quota/v1/evaluator/core/pods.go). */
const quota = (hard: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'gpus', namespace: 'team-a' }, spec: { hard } });

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'quota-extended-resource-uncounted',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('quota-extended-resource-uncounted', () => {
  test('nvidia.com/gpu without the prefix: a warning naming the name to write', () => {
    expect(found([quota({ 'nvidia.com/gpu': '4', 'requests.cpu': '32' })])).toEqual([
      [
        'warning',
        "spec.hard 'nvidia.com/gpu: 4' is stored but never counted: the quota counts an extended resource only as requests.nvidia.com/gpu, so pods may use any amount of nvidia.com/gpu; write it as requests.nvidia.com/gpu",
      ],
    ]);
  });

  test('limits.<extended resource> is not counted either', () => {
    expect(found([quota({ 'limits.amd.com/gpu': 2 })]).map((f) => f[1].split(':')[0])).toEqual(["spec.hard 'limits.amd.com/gpu"]);
  });

  test('limits.<resource> beside requests.<resource> of the same quota: a note (the requests line caps it), not the warning', () => {
    expect(found([quota({ 'requests.nvidia.com/gpu': '16', 'limits.nvidia.com/gpu': '16' })])).toEqual([
      [
        'info',
        expect.stringMatching(
          /^spec\.hard 'limits\.nvidia\.com\/gpu: 16' is never counted .*but 'requests\.nvidia\.com\/gpu: 16' of this quota caps nvidia\.com\/gpu already/,
        ),
      ],
    ]);
    // near miss: the requests line of another resource leaves this one uncapped
    expect(found([quota({ 'requests.amd.com/gpu': '2', 'limits.nvidia.com/gpu': '16' })]).map((f) => f[0])).toEqual(['warning']);
  });

  test('near misses: requests. prefix, object counts, storage class storage, kubernetes.io resources, standard names', () => {
    expect(
      found([
        quota({
          'requests.nvidia.com/gpu': '4',
          'count/deployments.apps': '5',
          'gold.storageclass.storage.k8s.io/requests.storage': '500Gi',
          'requests.deviceclass.resource.kubernetes.io/gpu.example.com': '2',
          pods: '10',
          'limits.memory': '64Gi',
        }),
      ]),
    ).toEqual([]);
  });
});
