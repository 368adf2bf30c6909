import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly message: string;
}

/** A ServingRuntime of the given name, with the Prometheus port annotation in its spec when `metrics`. */
function runtime(name: string, metrics = true): unknown {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name, namespace: 'models' },
    spec: {
      ...(metrics ? { annotations: { 'prometheus.io/port': '8080' } } : {}),
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:rhoai-2.24-cuda', args: ['--port=8080', '--model=/mnt/models'] }],
    },
  };
}

/** An InferenceService on the runtime, in the deployment mode given (none: the platform's default). */
function service(runtimeName: string, mode?: string): unknown {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'models', ...(mode ? { annotations: { 'serving.kserve.io/deploymentMode': mode } } : {}) },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: runtimeName, storageUri: 'oci://quay.io/example/chat-modelcar:1.0' } } },
  };
}

async function findings(objects: unknown[], platform = 'rhoai-3.0'): Promise<Finding[]> {
  const dir = writeTree('metrics-port-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', platform, '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'runtime-metrics-port-invalid');
}

describe('runtime-metrics-port-invalid', () => {
  test("a '.' in the runtime's name: an error naming the port name and the Service it would be on", async () => {
    const [f, ...rest] = await findings([runtime('vllm-0.9.2'), service('vllm-0.9.2')]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toContain("makes a Service 'chat-metrics' whose port it names 'vllm-0.9.2-metrics'");
    expect(f.message).toContain("a '.' is not allowed in it");
  });

  test('a name of 56 characters: the port name passes 63', async () => {
    const long = `vllm-${'a'.repeat(51)}`;
    const [f] = await findings([runtime(long), service(long)]);
    expect(f.message).toContain('it has 64 characters, over 63');
    expect(await findings([runtime(long.slice(0, 55)), service(long.slice(0, 55))])).toEqual([]);
  });

  test('OpenShift AI 2 judges the services written in raw deployment mode; Knative (serverless) ones get no metrics Service', async () => {
    expect(await findings([runtime('vllm-0.9.2'), service('vllm-0.9.2', 'RawDeployment')], 'rhoai-2')).toHaveLength(1);
    expect(await findings([runtime('vllm-0.9.2'), service('vllm-0.9.2', 'Serverless')], 'rhoai-2')).toEqual([]);
    expect(await findings([runtime('vllm-0.9.2'), service('vllm-0.9.2')], 'rhoai-2')).toEqual([]);
  });

  test('near misses: no Prometheus annotation, plain KServe (no model controller), a runtime named with dashes', async () => {
    expect(await findings([runtime('vllm-0.9.2', false), service('vllm-0.9.2')])).toEqual([]);
    expect(await findings([runtime('vllm-0.9.2'), service('vllm-0.9.2', 'RawDeployment')], 'kserve')).toEqual([]);
    expect(await findings([runtime('vllm-0-9-2'), service('vllm-0-9-2')])).toEqual([]);
  });
});
