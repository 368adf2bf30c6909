import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * resource-quota-must-specify: the quota admission's demand that each container state the cpu and memory a quota
 * counts (kubernetes pkg/quota/v1/evaluator/core/pods.go Constraints; its pods_test.go TestPodConstraintsFunc cases:
 * an init container without limits, a container without requests, ephemeral storage not required), the scopes
 * (podMatchesScopeFunc) and what LimitRanger and the pod defaulting fill before the quota is asked.
 */
async function found(objects: object[]): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('resource-quota-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'resource-quota-must-specify');
}

const IMAGE = 'registry.example.com/tools/worker:1.0';
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } };
const quota = (hard: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: 'ai' },
  spec: { hard, ...extra },
});
const limitRange = (...limits: object[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'ai' }, spec: { limits } });
const container = (name: string, resources: object = {}) => ({ name, image: IMAGE, resources });
const gpuOnly = (extra: object = {}) => podWorkload('server', 'ai', { containers: [container('server', { limits: { 'nvidia.com/gpu': '1' } })], ...extra });
const FULL = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

describe('resource-quota-must-specify', () => {
  test('a container without cpu and memory under a quota of limits.cpu is refused, naming each key and container', async () => {
    const f = await found([namespace, quota({ 'limits.cpu': '4', 'requests.memory': '8Gi' }), gpuOnly()]);
    expect(f.map((x) => [x.object, x.severity])).toEqual([['Deployment/ai/server', 'error']]);
    expect(f[0].message).toMatch(/"failed quota: compute: must specify limits.cpu for: server; requests.memory for: server"/);
    expect(f[0].message).toMatch(/the tree creates namespace 'ai'/);
  });

  test('a limit stands for the missing request (the pod defaulting copies it); an init container counts', async () => {
    const limitsOnly = container('server', { limits: { cpu: '1', memory: '1Gi' } });
    expect(
      await found([namespace, quota({ 'requests.cpu': '4', 'requests.memory': '8Gi' }), podWorkload('server', 'ai', { containers: [limitsOnly] })]),
    ).toEqual([]);
    const requestsOnly = container('server', { requests: { cpu: '1', memory: '1Gi' } });
    const f = await found([namespace, quota({ 'limits.cpu': '4' }), podWorkload('server', 'ai', { containers: [requestsOnly] })]);
    expect(f[0].message).toMatch(/must specify limits.cpu for: server"/);
    const init = await found([
      namespace,
      quota({ cpu: '4' }),
      podWorkload('server', 'ai', { initContainers: [container('fetch')], containers: [container('server', FULL)] }),
    ]);
    expect(init[0].message).toMatch(/must specify cpu for: fetch"/);
  });

  test('ephemeral storage, hugepages and extended resources are counted but not required', async () => {
    const hard = { 'requests.ephemeral-storage': '10Gi', 'limits.ephemeral-storage': '20Gi', 'requests.nvidia.com/gpu': '4', pods: '10' };
    expect(await found([namespace, quota(hard), gpuOnly()])).toEqual([]);
  });

  test('a LimitRange of the tree that defaults them (default, or max for the limit and min for the request) lets the pod in', async () => {
    const hard = { 'limits.cpu': '4', 'requests.cpu': '2', 'limits.memory': '8Gi', 'requests.memory': '4Gi' };
    expect(await found([quota(hard), limitRange({ type: 'Container', default: { cpu: '1', memory: '1Gi' } }), gpuOnly()])).toEqual([]);
    expect(await found([quota(hard), limitRange({ type: 'Container', max: { cpu: '2', memory: '2Gi' } }), gpuOnly()])).toEqual([]);
    // min defaults the request only, and a Pod item defaults nothing: the limits stay unset, an error since the tree holds the namespace's LimitRanges
    const f = await found([
      quota(hard),
      limitRange({ type: 'Container', min: { cpu: '100m', memory: '128Mi' } }, { type: 'Pod', max: { cpu: '8' } }),
      gpuOnly(),
    ]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0].message).toMatch(/must specify limits.cpu for: server; limits.memory for: server"/);
    expect(f[0].message).toMatch(/the tree's LimitRanges in namespace 'ai' \(defaults\) default none of them/);
  });

  test('a warning when a LimitRange outside the tree may fill them: the tree neither creates the namespace nor holds one', async () => {
    const f = await found([quota({ 'limits.memory': '8Gi' }), gpuOnly()]);
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toMatch(/unless a LimitRange made outside the tree defaults them/);
  });

  test('scopes: the quota judges only the pods it counts', async () => {
    const hard = { 'limits.cpu': '4' };
    // a pod without cpu or memory is BestEffort, outside a NotBestEffort quota
    expect(await found([namespace, quota(hard, { scopes: ['NotBestEffort'] }), gpuOnly()])).toEqual([]);
    const someMemory = podWorkload('server', 'ai', { containers: [container('server', { limits: { memory: '1Gi' } })] });
    expect(await found([namespace, quota(hard, { scopes: ['NotBestEffort'] }), someMemory])).toHaveLength(1);
    // Terminating: activeDeadlineSeconds on the pod
    expect(await found([namespace, quota(hard, { scopes: ['Terminating'] }), gpuOnly()])).toEqual([]);
    expect(await found([namespace, quota(hard, { scopes: ['NotTerminating'] }), gpuOnly()])).toHaveLength(1);
    expect(await found([namespace, quota(hard, { scopes: ['Terminating'] }), gpuOnly({ activeDeadlineSeconds: 600 })])).toHaveLength(1);
    const byPriority = (operator: string, values?: string[]) =>
      quota(hard, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator, values }] } });
    expect(await found([namespace, byPriority('In', ['high']), gpuOnly({ priorityClassName: 'low' })])).toEqual([]);
    expect(await found([namespace, byPriority('In', ['high']), gpuOnly({ priorityClassName: 'high' })])).toHaveLength(1);
    expect(await found([namespace, byPriority('NotIn', ['high']), gpuOnly()])).toHaveLength(1);
    expect(await found([namespace, byPriority('Exists'), gpuOnly()])).toEqual([]);
  });

  test('a LeaderWorkerSet names the template refused; another namespace, and a replica count of 0 are not judged', async () => {
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          leaderTemplate: { spec: { containers: [container('leader', FULL)] } },
          workerTemplate: { spec: { containers: [container('worker')] } },
        },
      },
    };
    const f = await found([namespace, quota({ 'requests.cpu': '8' }), lws]);
    expect(f.map((x) => x.object)).toEqual(['LeaderWorkerSet/ai/vllm']);
    expect(f[0].message).toMatch(/spec.leaderWorkerTemplate.workerTemplate: "failed quota: compute: must specify requests.cpu for: worker"/);
    expect(f[0].message).not.toMatch(/leaderTemplate/);
    const elsewhere = podWorkload('server', 'other', { containers: [container('server')] });
    const scaledDown = { ...gpuOnly(), spec: { ...gpuOnly().spec, replicas: 0 } };
    expect(await found([namespace, quota({ 'requests.cpu': '8' }), elsewhere, scaledDown])).toEqual([]);
  });
});
