import { runChecks } from '../../lib';
import { podRequests } from '../../lib/check/pods';
import type { Platform } from '../../lib/check/platform';

/**
 * vllm-port-mismatch on the cases KServe and vLLM decide: vLLM listens on the last --port, else 8000
 * (vllm/entrypoints/openai/cli_args.py); KServe's predictor Service targets the serving container's first
 * containerPort, else 8080 (service_reconciler_test.go "default service": a kserve-container with no ports gets
 * TargetPort 8080); an LLMInferenceService's preset runs vLLM on 8000, 8001 in the decode pool behind the sidecar.
 */
const IMAGE = `vllm/vllm-openai@sha256:${'a'.repeat(64)}`;

function runtime(container: Record<string, unknown>, name = 'vllm'): any {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name, namespace: 'ai' },
    spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', image: IMAGE, ...container }] },
  };
}

function service(model: Record<string, unknown> = {}, runtimeName = 'vllm'): any {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: runtimeName, storageUri: 's3://m/', ...model } } },
  };
}

function llm(spec: Record<string, unknown>): any {
  return {
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'chat', namespace: 'ai' },
    spec: { model: { uri: 'hf://org/m', name: 'm' }, ...spec },
  };
}

const main = (c: Record<string, unknown>) => ({ containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } }, ...c }] });

/** The findings of the rule, as `object: message`. */
function port(objects: any[], platform: Platform = 'rhoai-3.4'): string[] {
  return runChecks(
    objects.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'vllm-port-mismatch')
    .map((f) => `${f.object}: ${f.message}`);
}

describe('vllm-port-mismatch on InferenceServices and ServingRuntimes', () => {
  test("the service's --port comes after the runtime's and wins", () => {
    const rt = runtime({ args: ['--port=8000'], ports: [{ containerPort: 8080 }] });
    expect(port([rt, service({ args: ['--port', '8080'] })])).toEqual([]);
    expect(port([rt, service()])).toEqual([
      expect.stringMatching(
        /^InferenceService\/ai\/llm: .*vLLM listens on 8000 \(--port=8000 in ServingRuntime 'vllm' args\) but KServe's Service targets 8080/,
      ),
    ]);
  });

  test('a runtime that services use is judged on each service, merged; one no service uses, alone', () => {
    const rt = runtime({ args: ['--port=9000'], ports: [{ containerPort: 8080 }] });
    expect(port([rt, service()]).map((f) => f.split(':')[0])).toEqual(['InferenceService/ai/llm']);
    expect(port([rt])).toEqual([
      "ServingRuntime/ai/vllm: vLLM listens on 9000 (--port=9000 in ServingRuntime 'vllm' args) but KServe's Service targets 8080 (containers[kserve-container].ports[0].containerPort): requests to the service are refused; set --port=8080 in ServingRuntime 'vllm' args, or set containers[kserve-container].ports[0].containerPort to 9000",
    ]);
  });

  test('the first containerPort is the target, others are not; a probe port given by name resolves through the ports', () => {
    const ports = [
      { name: 'http', containerPort: 8000 },
      { name: 'metrics', containerPort: 8080 },
    ];
    expect(port([runtime({ ports, readinessProbe: { httpGet: { path: '/health', port: 'http' } } })])).toEqual([]);
    expect(port([runtime({ ports, livenessProbe: { tcpSocket: { port: 'metrics' } } })])).toEqual([
      expect.stringContaining(
        'but the livenessProbe checks 8080 (containers[kserve-container].livenessProbe.tcpSocket.port (the port named metrics)): the kubelet restarts the container over and over',
      ),
    ]);
    // a name that is no port of the container: not judged here
    expect(port([runtime({ ports, startupProbe: { httpGet: { path: '/health', port: 'web' } } })])).toEqual([]);
  });

  test('the port after the kubelet and a shell expanded the command line', () => {
    const env = [{ name: 'PORT', value: '8080' }];
    expect(port([runtime({ args: ['--port=$(PORT)'], env, ports: [{ containerPort: 8080 }] })])).toEqual([]);
    const script = { command: ['/bin/sh', '-c', 'exec vllm serve /mnt/models --port "$PORT"'], env: [{ name: 'PORT', value: '8000' }] };
    expect(port([runtime({ ...script, ports: [{ containerPort: 8080 }] })])).toEqual([expect.stringContaining('vLLM listens on 8000 (--port=8000 in ')]);
  });

  test('silent where the port is not known or there is none', () => {
    const ports = [{ containerPort: 8080 }];
    const fromSecret = [{ name: 'PORT', valueFrom: { secretKeyRef: { name: 's', key: 'port' } } }];
    expect(port([runtime({ args: ['--port=$(PORT)'], env: fromSecret, ports })])).toEqual([]);
    expect(port([runtime({ args: ['--uds', '/tmp/vllm.sock'], ports })])).toEqual([]);
    expect(port([runtime({ args: ['--headless'], ports })])).toEqual([]);
    expect(port([runtime({ args: ['--config', '/etc/vllm/config.yaml'], ports })])).toEqual([]);
    // an image whose entrypoint is not known, with no command
    expect(port([runtime({ image: 'quay.io/example/server:1', args: ['--model=/mnt/models'], ports })])).toEqual([]);
    // Open Data Hub's image without --port: its template passes --port=8080, builds differ
    expect(port([runtime({ image: 'quay.io/modh/vllm:rhoai-2.19-cuda', args: ['--model=/mnt/models'], ports })])).toEqual([]);
  });

  test("Open Data Hub's image with a --port, and Red Hat AI Inference Server's image by its entrypoint", () => {
    const ports = [{ containerPort: 8080 }];
    expect(port([runtime({ image: 'quay.io/modh/vllm:rhoai-2.19-cuda', args: ['--port=8000'], ports })])).toEqual([
      expect.stringContaining('vLLM listens on 8000'),
    ]);
    const rhaiis = 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1';
    expect(port([runtime({ image: rhaiis, args: ['--model=/mnt/models'], ports })])).toEqual([
      expect.stringContaining("vLLM listens on 8000 (vLLM's default, no --port given) but KServe's Service targets 8080"),
    ]);
    expect(port([runtime({ image: rhaiis, args: ['--port=8080', '--model=/mnt/models'], ports })])).toEqual([]);
  });

  test('a custom container: its own command, ports and probes', () => {
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'own', namespace: 'ai' },
      spec: {
        predictor: {
          containers: [
            {
              name: 'kserve-container',
              image: IMAGE,
              command: ['vllm', 'serve', '/mnt/models'],
              ports: [{ containerPort: 8000 }],
              readinessProbe: { httpGet: { path: '/health', port: 8080 } },
            },
          ],
        },
      },
    };
    expect(port([custom])).toEqual([
      "InferenceService/ai/own: vLLM listens on 8000 (vLLM's default, no --port given) but the readinessProbe checks 8080 (kserve-container.readinessProbe.httpGet.port): the pod never becomes Ready; add --port=8080 to spec.predictor.containers[kserve-container].args, or set kserve-container.readinessProbe.httpGet.port to 8000",
    ]);
  });
});

describe('vllm-port-mismatch on LLMInferenceServices', () => {
  test('--port in VLLM_ADDITIONAL_ARGS moves vLLM away from the preset port', () => {
    const env = [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--port 9000 --max-model-len 8192' }];
    expect(port([llm({ template: main({ env }) })])).toEqual([
      expect.stringMatching(
        /^LLMInferenceService\/ai\/chat: the pods \(spec.template\): vLLM listens on 9000 \(--port=9000 in spec.template.containers\[main\] env VLLM_ADDITIONAL_ARGS\) but KServe's workload Service and InferencePool target 8000 .* and the startupProbe checks 8000 .* and the livenessProbe checks 8000 .*; remove --port from spec.template.containers\[main\] env VLLM_ADDITIONAL_ARGS/,
      ),
    ]);
    expect(port([llm({ template: main({ args: ['--port=8000'] }) })])).toEqual([]);
  });

  test('with a prefill pool, decode vLLM sits on 8001 behind the routing sidecar and prefill on 8000', () => {
    const pd = (decode: string[], prefill: string[]) => llm({ template: main({ args: decode }), prefill: { template: main({ args: prefill }) } });
    expect(port([pd([], ['--port=8000'])])).toEqual([]);
    const found = port([pd(['--port=8000'], [])]);
    expect(found).toEqual([
      expect.stringContaining(
        'the decode pods (spec.template): vLLM listens on 8000 (--port=8000 in spec.template.containers[main] args) but the routing sidecar forwards to 8001',
      ),
    ]);
  });

  test("a probe on the port of another container of the pod reaches that container: the decode pod's routing sidecar answers 8000", () => {
    const probe = (p: number) => ({ livenessProbe: { httpGet: { path: '/health', port: p, scheme: 'HTTPS' }, initialDelaySeconds: 120 } });
    const pd = (p: number) => llm({ template: main(probe(p)), prefill: { template: main({}) } });
    expect(port([pd(8000)])).toEqual([]);
    expect(port([pd(8001)])).toEqual([]);
    expect(port([pd(9000)])).toEqual([expect.stringContaining('the livenessProbe checks 9000 (spec.template.containers[main].livenessProbe.httpGet.port)')]);
    // without a prefill pool no sidecar listens on 8001: vLLM is on 8000 there
    expect(port([llm({ template: main(probe(8001)) })])).toEqual([expect.stringContaining('the livenessProbe checks 8001')]);
  });

  test("the service's own command runs vLLM on its default unless it gives --port", () => {
    const own = (args: string[]) => llm({ template: main({ command: ['vllm', 'serve', '/mnt/models', ...args] }) });
    expect(port([own([])])).toEqual([]);
    expect(port([own(['--port', '8080'])])).toEqual([expect.stringContaining('vLLM listens on 8080')]);
  });

  test("on OpenShift AI 3.0 the preset's probe is a liveness probe; a preset that is nowhere to be found leaves the pods unknown", () => {
    expect(port([llm({ template: main({ args: ['--port=9000'] }) })], 'rhoai-3.0')).toEqual([
      expect.stringContaining("target 8000 (fixed by KServe's controller) and the livenessProbe checks 8000"),
    ]);
    expect(port([llm({ baseRefs: [{ name: 'team-preset' }], template: main({ args: ['--port=9000'] }) })])).toEqual([]);
  });
});

describe('GPU requests of an InferenceService', () => {
  test('a kserve-container beside model is the model container written twice: its GPUs count once', () => {
    const isvc = service({ resources: { limits: { 'nvidia.com/gpu': '1' } } });
    isvc.spec.predictor.containers = [
      { name: 'kserve-container', resources: { limits: { 'nvidia.com/gpu': '1' } } },
      { name: 'sidecar', image: 'quay.io/example/proxy:1', resources: { limits: { cpu: '1' } } },
    ];
    const rt = runtime({ args: ['--port=8080'] });
    expect(podRequests(isvc, rt).gpus).toBe(1);
    // a sidecar's GPUs are its own
    isvc.spec.predictor.containers[1].resources.limits['nvidia.com/gpu'] = '1';
    expect(podRequests(isvc, rt).gpus).toBe(2);
  });
});
