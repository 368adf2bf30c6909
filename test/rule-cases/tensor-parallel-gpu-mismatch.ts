import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('tensor-parallel-gpu-mismatch', docs);

const lws = (script: string, env: Doc[], gpus: number, extra: Doc = {}): Doc => ({
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { name: 'wide', namespace: 'ai' },
  spec: {
    leaderWorkerTemplate: {
      size: 2,
      workerTemplate: {
        spec: {
          containers: [
            {
              name: 'engine',
              image: 'vllm/vllm-openai:v0.11.0',
              command: ['/bin/bash', '-c'],
              args: [script],
              env,
              resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
              ...extra,
            },
          ],
        },
      },
    },
  },
});
const SCRIPT = 'exec vllm serve /m --tensor-parallel-size $TP --data-parallel-size-local $DPL --data-parallel-address $LWS_LEADER_ADDRESS';
const ENV = [
  { name: 'TP', value: '3' },
  { name: 'DPL', value: '3' },
];

describe('tensor-parallel-gpu-mismatch: --data-parallel-size-local engines in each pod', () => {
  test('3 local engines × TP 3 from env variables the script expands, 3 GPUs given: an error even in a group of several pods', () => {
    expect(found([lws(SCRIPT, ENV, 3)])).toEqual([
      expect.stringMatching(
        /^error LeaderWorkerSet\/ai\/wide: spec\.leaderWorkerTemplate\.workerTemplate container 'engine': --data-parallel-size-local=3 engines × --tensor-parallel-size=3 need 9 GPUs in the pod but the container is given 3 nvidia\.com\/gpu/,
      ),
    ]);
  });

  test('the sizes from an envFrom ConfigMap of the tree, the container env over it', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sizes', namespace: 'ai' }, data: { TP: '2', DPL: '4' } };
    expect(found([cm, lws(SCRIPT, [], 4, { envFrom: [{ configMapRef: { name: 'sizes' } }] })])).toEqual([
      expect.stringMatching(/--data-parallel-size-local=4 engines × --tensor-parallel-size=2 need 8 GPUs/),
    ]);
    expect(found([cm, lws(SCRIPT, [{ name: 'DPL', value: '2' }], 4, { envFrom: [{ configMapRef: { name: 'sizes' } }] })])).toEqual([]);
  });

  test('near misses: enough GPUs, a size no variable of the tree gives, an envFrom ConfigMap the tree lacks, --nnodes', () => {
    expect(found([lws(SCRIPT, ENV, 9)])).toEqual([]);
    expect(found([lws(SCRIPT, [{ name: 'TP', value: '3' }], 3)])).toEqual([]);
    expect(found([lws(SCRIPT, [], 3, { envFrom: [{ configMapRef: { name: 'elsewhere' } }] })])).toEqual([]);
    expect(found([lws(`${SCRIPT} --nnodes 2`, ENV, 3)])).toEqual([]);
  });
});
