import { runChecks } from '../lib';
import { serviceLinkVariable } from '../lib/check/rules/vllm-service-name-collides';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'vllm-service-name-collides')
    .map((f) => [f.object, f.message]);

const service = (name: string, spec: Doc = {}, namespace = 'ai'): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { ports: [{ port: 8000 }], ...spec },
});
const workload = (kind: string, container: Doc, pod: Doc = {}): Doc => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name: 'w', namespace: 'ai' },
  spec: { template: { spec: { ...pod, containers: [{ name: 'c', ...container }] } } },
});
const VLLM = { image: 'vllm/vllm-openai:v0.10.1', args: ['--model=Qwen/Qwen2.5-0.5B-Instruct'] };

describe('serviceLinkVariable: the kubelet link variable of a Service name', () => {
  test.each([
    ['vllm', 'VLLM_PORT'],
    ['vllm-server', 'VLLM_SERVER_PORT'],
    ['vllm-nixl-side-channel', 'VLLM_NIXL_SIDE_CHANNEL_PORT'],
  ])('%s gives %s', (name, variable) => expect(serviceLinkVariable(name)).toBe(variable));
});

describe('vllm-service-name-collides', () => {
  test('any workload kind running vLLM, by its command line or by its image, beside a Service named vllm', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'Job']) {
      expect(findings([service('vllm'), workload(kind, VLLM)])).toEqual([['Service/ai/vllm', expect.stringContaining(`${kind}/ai/w (container 'c')`)]]);
    }
    // a custom image named after vLLM, started by its own script (the pattern of a fix that unset VLLM_PORT)
    const custom = workload('Deployment', { image: 'registry.example.com/team/chat-vllm-opt125m:1.0', command: ['/entrypoint.sh'] });
    expect(findings([service('vllm'), custom])).toHaveLength(1);
    const shell = workload('Deployment', { image: 'python:3.12', command: ['sh', '-c', 'vllm serve Qwen/Qwen2.5-0.5B-Instruct --port 8000'] });
    expect(findings([service('vllm'), shell])).toHaveLength(1);
    // an image a deploy script fills in, with vLLM's own engine options
    const templated = workload('Deployment', { image: '${VLLM_IMAGE}', args: ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--max-model-len', '8192'] });
    expect(findings([service('vllm'), templated])).toHaveLength(1);
    // near miss: the same placeholder image with options vLLM's server does not own (another server)
    const other = workload('Deployment', { image: '${SERVER_IMAGE}', args: ['--model-id', 'Qwen/Qwen2.5-0.5B-Instruct', '--max-input-length', '4096'] });
    expect(findings([service('vllm'), other])).toEqual([]);
  });

  test('near misses: links off, another namespace, headless or ExternalName, the variable set by the container, a router image, envFrom', () => {
    expect(findings([service('vllm'), workload('Deployment', VLLM, { enableServiceLinks: false })])).toEqual([]);
    expect(findings([service('vllm', {}, 'web'), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm', { clusterIP: 'None' }), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm', { type: 'ExternalName', externalName: 'x.example.com' }), workload('Deployment', VLLM)])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { ...VLLM, env: [{ name: 'VLLM_PORT', value: '29500' }] })])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { ...VLLM, envFrom: [{ configMapRef: { name: 'settings' } }] })])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { image: 'ghcr.io/example/vllm-router:1.0', args: ['--port=80'] })])).toEqual([]);
    expect(findings([service('vllm'), workload('Deployment', { image: 'nginx:1.27' })])).toEqual([]);
    // VLLM_SERVER_PORT and VLLM_API_PORT are no settings of vLLM (vllm/envs.py)
    expect(findings([service('vllm-server'), service('vllm-api'), workload('Deployment', VLLM)])).toEqual([]);
  });

  test("a connector's port is judged only where the command line names that connector", () => {
    const nixl = { ...VLLM, args: [...VLLM.args, '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'] };
    expect(findings([service('vllm-nixl-side-channel'), workload('Deployment', nixl)])).toEqual([
      ['Service/ai/vllm-nixl-side-channel', expect.stringContaining('VLLM_NIXL_SIDE_CHANNEL_PORT=tcp://')],
    ]);
    expect(findings([service('vllm-nixl-side-channel'), workload('Deployment', VLLM)])).toEqual([]);
  });

  test('an InferenceService: judged in raw deployment mode, not under Knative (which turns service links off)', () => {
    const isvc = (annotations: Doc): Doc => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai', annotations },
      spec: { predictor: { containers: [{ name: 'kserve-container', ...VLLM }] } },
    });
    expect(findings([service('vllm'), isvc({})])).toHaveLength(1);
    expect(findings([service('vllm'), isvc({ 'serving.kserve.io/deploymentMode': 'Serverless' })], 'kserve')).toEqual([]);
    expect(findings([service('vllm'), isvc({})], 'kserve')).toEqual([]);
    expect(findings([service('vllm'), isvc({ 'serving.kserve.io/deploymentMode': 'RawDeployment' })], 'kserve')).toHaveLength(1);
  });
});
