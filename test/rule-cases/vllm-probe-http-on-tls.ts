import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[], platform: 'kserve' | 'rhoai-3.0' = 'kserve') => ruleFindings('vllm-probe-http-on-tls', docs, platform);

const IMAGE = 'vllm/vllm-openai:v0.11.0';
const TLS_ARGS = ['--model', 'acme/tiny-chat', '--port', '8443', '--ssl-certfile', '/etc/tls/tls.crt', '--ssl-keyfile', '/etc/tls/tls.key'];
const get = (port: number | string, scheme?: string) => ({ httpGet: { path: '/health', port, ...(scheme ? { scheme } : {}) } });

/** A Deployment whose one container runs vLLM's server with `args` and the probes given. */
const deployment = (args: string[], probes: Doc): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: { containers: [{ name: 'vllm', image: IMAGE, command: ['vllm', 'serve'], args, ports: [{ name: 'https', containerPort: 8443 }], ...probes }] },
    },
  },
});

// vllm/entrypoints/openai/cli_args.py --ssl-certfile: uvicorn serves only TLS on the port; a probe's scheme defaults to HTTP
describe('vllm-probe-http-on-tls', () => {
  test('HTTP start-up and readiness probes on the port vLLM serves HTTPS on: one error naming both, the flag and the fix', () => {
    expect(found([deployment(TLS_ARGS, { startupProbe: get(8443), readinessProbe: get('https', 'HTTP') })])).toEqual([
      "error Deployment/ai/chat: container 'vllm' startupProbe.httpGet, readinessProbe.httpGet: no scheme: HTTPS on port 8443, where vLLM serves HTTPS (--ssl-certfile /etc/tls/tls.crt): the kubelet speaks plain HTTP to a TLS listener and the probe never succeeds, so the start-up probe never passes and the kubelet restarts the container; the pod never becomes Ready and gets no traffic; set scheme: HTTPS on the probe (the kubelet does not verify the certificate), or probe over tcpSocket",
    ]);
  });

  test("a ServingRuntime's vLLM container is judged as written", () => {
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-tls', namespace: 'ai' },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [
          {
            name: 'kserve-container',
            image: IMAGE,
            command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
            args: ['--port=8080', '--model=/mnt/models', '--ssl-certfile=/etc/tls/tls.crt', '--ssl-keyfile=/etc/tls/tls.key'],
            livenessProbe: get(8080),
          },
        ],
      },
    };
    expect(found([runtime])).toEqual([
      expect.stringMatching(
        /^error ServingRuntime\/ai\/vllm-tls: container 'kserve-container' livenessProbe\.httpGet: no scheme: HTTPS on port 8080, where vLLM serves HTTPS \(--ssl-certfile \/etc\/tls\/tls\.crt\): .* the kubelet restarts the container over and over; set scheme: HTTPS/,
      ),
    ]);
  });

  test("an LLMInferenceService's main container after the presets' merge: the preset's probes, without a scheme upstream, are HTTP", () => {
    const service = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: {
        model: { uri: 'hf://acme/tiny-chat', name: 'tiny-chat' },
        template: {
          containers: [
            {
              name: 'main',
              image: IMAGE,
              command: [
                'vllm',
                'serve',
                '/mnt/models',
                '--port',
                '8000',
                '--ssl-certfile',
                '/var/run/kserve/tls/tls.crt',
                '--ssl-keyfile',
                '/var/run/kserve/tls/tls.key',
              ],
            },
          ],
        },
      },
    };
    const [f, ...rest] = found([service]);
    expect(rest).toEqual([]);
    const preset = 'set by LLMInferenceServiceConfig kserve-config-llm-template (shipped with kserve)';
    expect(f).toBe(
      `error LLMInferenceService/ai/chat: the pods (spec.template): spec.template.containers[main] startupProbe.httpGet (${preset}), livenessProbe.httpGet (${preset}): ` +
        'no scheme: HTTPS on port 8000, where vLLM serves HTTPS (--ssl-certfile /var/run/kserve/tls/tls.crt): the kubelet speaks plain HTTP to a TLS listener and the probe never succeeds, ' +
        'so the start-up probe never passes and the kubelet restarts the container; the kubelet restarts the container over and over; set scheme: HTTPS on the probe (the kubelet does not verify the certificate), or probe over tcpSocket',
    );
    // the service's own probes with scheme HTTPS, merged over the preset's, mend it
    const mended = JSON.parse(JSON.stringify(service));
    Object.assign(mended.spec.template.containers[0], { startupProbe: get(8000, 'HTTPS'), livenessProbe: get(8000, 'HTTPS') });
    expect(found([mended])).toEqual([]);
  });

  test('near misses: scheme HTTPS, a probe on another (plain) port, tcpSocket, no certificate, a probe to another host', () => {
    expect(found([deployment(TLS_ARGS, { readinessProbe: get(8443, 'HTTPS'), startupProbe: get('https', 'https') })])).toEqual([]);
    expect(found([deployment(TLS_ARGS, { readinessProbe: get(9090) })])).toEqual([]);
    expect(found([deployment(TLS_ARGS, { readinessProbe: { tcpSocket: { port: 8443 } } })])).toEqual([]);
    expect(found([deployment(['--model', 'acme/tiny-chat', '--port', '8443'], { readinessProbe: get(8443) })])).toEqual([]);
    expect(found([deployment(TLS_ARGS, { readinessProbe: { httpGet: { path: '/health', port: 8443, host: 'gateway.example.com' } } })])).toEqual([]);
  });
});
