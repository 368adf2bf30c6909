import { treeRuleFound } from '../util';

/** A Kueue ClusterQueue holding one GPU, its flavor and the LocalQueue of namespace ai. */
const QUEUES = [
  'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ResourceFlavor\nmetadata: {name: gpu}\n',
  'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ClusterQueue\nmetadata: {name: shared}\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '  - coveredResources: [cpu, memory, nvidia.com/gpu]\n    flavors:\n    - name: gpu\n      resources:\n' +
    '      - {name: cpu, nominalQuota: 8}\n      - {name: memory, nominalQuota: 32Gi}\n      - {name: nvidia.com/gpu, nominalQuota: 1}\n',
  'apiVersion: kueue.x-k8s.io/v1beta2\nkind: LocalQueue\nmetadata: {name: gpus, namespace: ai}\nspec: {clusterQueue: shared}\n',
].join('---\n');

/** A Deployment of one pod asking for one GPU, queued to gpus. */
const server = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ai, labels: {kueue.x-k8s.io/queue-name: gpus}}\n` +
  `spec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n` +
  `      - name: c\n        image: registry.example.com/llm/server:1.0\n        resources:\n          requests: {cpu: '1', memory: 1Gi, nvidia.com/gpu: '1'}\n          limits: {nvidia.com/gpu: '1'}\n`;

const found = (files: Record<string, string>) => treeRuleFound('quota-insufficient', 'quota-', files, ['--platform', 'kserve', '--kueue', '0.16']);

describe('quota-insufficient', () => {
  test('two Deployments of one GPU each behind a queue of one: a warning that they are admitted in turn', async () => {
    const fs = await found({
      'kustomization.yaml': 'resources: [queues.yaml, chat.yaml, coder.yaml]\n',
      'queues.yaml': QUEUES,
      'chat.yaml': server('chat'),
      'coder.yaml': server('coder'),
    });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['warning', 'ClusterQueue/shared']]);
    expect(fs[0].message).toMatch(
      /^flavor gpu: Deployment\/ai\/chat, Deployment\/ai\/coder together need more than the queue can hold at full scale \(2 GPU > 1\)/,
    );
  });

  test('near miss: one Deployment that two kustomize roots build (a folder per platform release) is one object of the cluster, counted once', async () => {
    const root = { 'kustomization.yaml': 'resources: [queues.yaml, chat.yaml]\n', 'queues.yaml': QUEUES, 'chat.yaml': server('chat') };
    const files = Object.fromEntries(['release-a', 'release-b'].flatMap((r) => Object.entries(root).map(([f, text]) => [`${r}/${f}`, text])));
    expect(await found(files)).toEqual([]);
  });
});
