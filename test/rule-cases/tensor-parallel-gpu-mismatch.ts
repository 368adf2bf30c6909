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

/** A group whose leader starts Ray and vLLM, its workers joining the leader's Ray cluster. */
const group = (flags: string, size: unknown, workerGpus: string | undefined, leaderGpus = '8'): Doc => ({
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  metadata: { name: 'deep', namespace: 'ai' },
  spec: {
    leaderWorkerTemplate: {
      size,
      leaderTemplate: {
        spec: {
          containers: [
            {
              name: 'lead',
              image: 'vllm/vllm-openai:v0.10.1',
              command: ['bash', '-c'],
              args: [`ray start --head\nvllm serve org/m ${flags}`],
              resources: { limits: { 'nvidia.com/gpu': leaderGpus } },
            },
          ],
        },
      },
      workerTemplate: {
        spec: {
          containers: [
            {
              name: 'join',
              image: 'vllm/vllm-openai:v0.10.1',
              command: ['bash', '-c', 'ray start --address=$(LWS_LEADER_ADDRESS):6379 --block'],
              ...(workerGpus === undefined ? {} : { resources: { limits: { 'nvidia.com/gpu': workerGpus } } }),
            },
          ],
        },
      },
    },
  },
});

describe('tensor-parallel-gpu-mismatch: a LeaderWorkerSet group of several pods', () => {
  test('TP 8 × PP 4 = 32 on a group of 2 pods × 8 GPUs: an error naming the group arithmetic', () => {
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 4', 2, '8')])).toEqual([
      expect.stringMatching(
        /^error LeaderWorkerSet\/ai\/deep: spec\.leaderWorkerTemplate\.leaderTemplate container 'lead': --tensor-parallel-size=8 × --pipeline-parallel-size=4 needs 32 GPUs but the group of spec\.leaderWorkerTemplate\.size=2 pods holds 16 nvidia\.com\/gpu \(leader 8 \+ 1 × worker 8\).*never serves/,
      ),
    ]);
  });

  test('a leader template left out runs the worker template: its GPUs count for the leader', () => {
    const m = group('--tensor-parallel-size 8 --pipeline-parallel-size 3', 2, '8');
    const t = m.spec.leaderWorkerTemplate;
    t.workerTemplate = t.leaderTemplate;
    delete t.leaderTemplate;
    expect(found([m])).toEqual([expect.stringMatching(/workerTemplate container 'lead': .*needs 24 GPUs .*holds 16/)]);
  });

  test('near misses: world size equal to the group, data parallel, size from a variable, workers without GPUs, a GPU count not a number', () => {
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 2', 2, '8')])).toEqual([]);
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 4 --data-parallel-size 2', 2, '8')])).toEqual([]);
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 4', '{{ .Values.size }}', '8')])).toEqual([]);
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 4', 2, undefined)])).toEqual([]);
    expect(found([group('--tensor-parallel-size 8 --pipeline-parallel-size 4', 2, '${GPUS}')])).toEqual([]);
    expect(found([group('--tensor-parallel-size $TP --pipeline-parallel-size 4', 2, '8')])).toEqual([]);
  });
});

describe('tensor-parallel-gpu-mismatch: SGLang ranks against the GPUs given', () => {
  const sglang = (args: string[], gpus: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'sg', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'sg' } },
      template: {
        metadata: { labels: { app: 'sg' } },
        spec: {
          containers: [
            {
              name: 'server',
              image: 'lmsysorg/sglang:latest',
              command: ['python3', '-m', 'sglang.launch_server', '--model-path', 'org/m', '--host', '0.0.0.0', ...args],
              resources: { limits: { 'nvidia.com/gpu': gpus } },
            },
          ],
        },
      },
    },
  });
  const RULE = 'tensor-parallel-gpu-mismatch';

  test('tensor × data parallel above the GPU limit: an error naming the sizes and the count', () => {
    expect(ruleFindings(RULE, [sglang(['--tp', '2', '--dp-size', '2'], 2)])).toEqual([
      expect.stringMatching(
        /^error Deployment\/ai\/sg: container 'server': SGLang runs tensor parallel 2 × data parallel 2 = 4 GPU ranks but the container is given 2 nvidia\.com\/gpu/,
      ),
    ]);
    expect(ruleFindings(RULE, [sglang(['--tensor-parallel-size=8'], 4)])).toHaveLength(1);
  });

  test('near misses: enough GPUs, data parallel attention, several nodes, a variable, no GPU', () => {
    expect(ruleFindings(RULE, [sglang(['--tp', '4'], 4)])).toEqual([]);
    expect(ruleFindings(RULE, [sglang(['--tp', '4', '--dp', '4', '--enable-dp-attention'], 4)])).toEqual([]);
    expect(ruleFindings(RULE, [sglang(['--tp', '16', '--nnodes', '2', '--node-rank', '0'], 8)])).toEqual([]);
    expect(ruleFindings(RULE, [sglang(['--tp', '$(TP)'], 1)])).toEqual([]);
    expect(ruleFindings(RULE, [sglang(['--tp', '2'], 0)])).toEqual([]);
  });
});
