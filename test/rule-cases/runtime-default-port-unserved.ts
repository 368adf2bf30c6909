import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly object: string;
  readonly message: string;
}

/** A single-model runtime whose kserve-container runs the command given, with the ports given (none by default). */
function runtime(command: string[], ports?: unknown[]): unknown {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'server', namespace: 'ml' },
    spec: {
      supportedModelFormats: [{ name: 'onnx', version: '1', autoSelect: true }],
      containers: [{ name: 'kserve-container', image: 'nvcr.io/nvidia/tritonserver:24.08-py3', command, ...(ports ? { ports } : {}) }],
    },
  };
}

/** An InferenceService on that runtime, in the deployment mode given (none: the cluster default). */
function service(mode?: string): unknown {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'ranker', namespace: 'ml', ...(mode ? { annotations: { 'serving.kserve.io/deploymentMode': mode } } : {}) },
    spec: { predictor: { model: { modelFormat: { name: 'onnx' }, runtime: 'server', storageUri: 'oci://quay.io/example/ranker-modelcar:3.0' } } },
  };
}

const TRITON = ['tritonserver', '--model-repository=/mnt/models'];

async function findings(objects: unknown[], platform = 'rhoai-3.0'): Promise<Finding[]> {
  const dir = writeTree('default-port-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', platform, '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'runtime-default-port-unserved');
}

describe('runtime-default-port-unserved', () => {
  test('Triton with no ports under a raw-mode service: an error naming 8080, 8000 and the fix', async () => {
    const [f, ...rest] = await findings([runtime(TRITON), service('RawDeployment')]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('ServingRuntime/ml/server');
    expect(f.message).toContain("KServe's Service for InferenceService ranker (raw deployment) targets 8080");
    expect(f.message).toContain('listens for HTTP on 8000');
    expect(f.message).toContain('declare ports: [{containerPort: 8000}] first');
    expect((await findings([runtime(TRITON), service('Standard')], 'rhoai-3.4')).map((x) => x.severity)).toEqual(['error']);
  });

  test('the mode not written: raw on OpenShift AI 3 (no Knative), an error; assumed Knative on upstream KServe, a warning; no service on the runtime: a warning; --http-port read from the flags', async () => {
    expect((await findings([runtime(TRITON), service()])).map((x) => x.severity)).toEqual(['error']);
    expect((await findings([runtime(TRITON), service()], 'kserve')).map((x) => x.severity)).toEqual(['warning']);
    const [alone] = await findings([runtime(['tritonserver', '--model-repository=/mnt/models', '--http-port=9000'])]);
    expect(alone.severity).toBe('warning');
    expect(alone.message).toContain('listens for HTTP on 9000');
  });

  test('near misses: a declared port, the server on 8080, ports on the service, vLLM (its own rule), a multi-model runtime', async () => {
    expect(await findings([runtime(TRITON, [{ containerPort: 8000, protocol: 'TCP' }]), service('RawDeployment')])).toEqual([]);
    expect(await findings([runtime([...TRITON, '--http-port=8080']), service('RawDeployment')])).toEqual([]);
    const withPorts = service('RawDeployment') as { spec: { predictor: { model: Record<string, unknown> } } };
    withPorts.spec.predictor.model.ports = [{ containerPort: 8000 }];
    expect(await findings([runtime(TRITON), withPorts])).toEqual([]);
    expect(await findings([runtime(['vllm', 'serve', '/mnt/models']), service('RawDeployment')])).toEqual([]);
    const multi = runtime(TRITON) as { spec: Record<string, unknown> };
    multi.spec.multiModel = true;
    expect(await findings([multi])).toEqual([]);
  });
  test('near miss: a front container declares the ports and kserve-container is its localhost backend (TGIS behind caikit)', async () => {
    const fronted = (name: string, raw: boolean) => {
      const r = runtime(['text-generation-launcher', '--model-name=/mnt/models/artifacts/']) as { spec: { containers: unknown[] } };
      r.spec.containers.push({ name, image: 'quay.io/example/front:1.0', ports: [{ containerPort: 8080, name: 'h2c', protocol: 'TCP' }] });
      return [r, service(raw ? 'RawDeployment' : undefined)];
    };
    // the transformer-container's first port is the raw-mode Service's target; Knative routes to the container with ports
    expect(await findings(fronted('transformer-container', true))).toEqual([]);
    expect(await findings(fronted('front', false), 'kserve')).toEqual([]);
    // fires: a raw-mode Service targets the first container's ports (kserve-container's, none) when the front is not the transformer-container
    expect(await findings(fronted('front', true))).toHaveLength(1);
  });
});
