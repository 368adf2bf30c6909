import { ruleFindings, treeRuleFound } from '../util';

/** A Deployment `ai/llm` running llama.cpp's server on port 9000, its pods labelled app: llm. */
const llama = (replicas?: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: { containers: [{ name: 'server', image: 'ghcr.io/ggml-org/llama.cpp:server', args: ['--model', '/models/m.gguf', '--port', '9000'] }] },
    },
  },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: { selector: { app: 'llm' }, ports: [{ port: 80, targetPort: 8080 }] },
};
const found = (docs: Record<string, unknown>[]) => ruleFindings('model-server-port-not-served', docs);

describe('model-server-port-not-served on a Service', () => {
  test('a Service targeting a port the server does not open: an error on the Service naming the workload', () => {
    expect(found([llama(), service])).toEqual([
      "error Service/ai/llm: spec.ports[0] targets 8080 on Deployment llm, whose container 'server' runs llama.cpp server, which opens http 9000 (--port=9000 in container 'server' args): connections to the port are refused; set targetPort to the port the server opens for it, or start the server on 8080",
    ]);
  });

  test('the selected Deployment delivered with replicas: 0 that nothing scales: a latent warning naming it; a KEDA ScaledObject that scales it keeps the error', () => {
    expect(found([llama(0), service])).toEqual([
      "warning Service/ai/llm: spec.ports[0] targets 8080 on Deployment llm, whose container 'server' runs llama.cpp server, which opens http 9000 (--port=9000 in container 'server' args): connections to the port are refused; set targetPort to the port the server opens for it, or start the server on 8080 (latent: Deployment/ai/llm, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up)",
    ]);
    const keda = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: { scaleTargetRef: { name: 'llm' }, triggers: [] },
    };
    expect(found([llama(0), service, keda]).map((f) => f.split(' ')[0])).toEqual(['error']);
  });
});

describe('model-server-port-not-served with the port given through envFrom', () => {
  /** Text Embeddings Inference (its image sets PORT=80), probed on 2081, its env from ConfigMap `emb-env`. */
  const embeddings = (envFrom: Record<string, unknown>[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'emb' },
    spec: {
      selector: { matchLabels: { app: 'emb' } },
      template: {
        metadata: { labels: { app: 'emb' } },
        spec: {
          containers: [
            {
              name: 'tei',
              image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5',
              envFrom,
              readinessProbe: { httpGet: { path: '/health', port: 2081 } },
            },
          ],
        },
      },
    },
  });
  const config = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'emb-env' }, data });

  test('a ConfigMap of the tree that sets PORT to the probed port: no finding (neither object names a namespace)', () => {
    expect(found([config({ PORT: '2081' }), embeddings([{ configMapRef: { name: 'emb-env' } }])])).toEqual([]);
  });

  test('a Secret or a ConfigMap the tree lacks may set PORT: not judged', () => {
    expect(found([embeddings([{ secretRef: { name: 'emb-secret' } }])])).toEqual([]);
    expect(found([embeddings([{ configMapRef: { name: 'elsewhere' } }])])).toEqual([]);
  });

  test('a ConfigMap of the tree that sets PORT to another port, or none: the error names where the port comes from', () => {
    expect(found([config({ PORT: '3000' }), embeddings([{ configMapRef: { name: 'emb-env' } }])])).toEqual([
      "error Deployment/emb: container 'tei' readinessProbe.httpGet checks port 2081, where Text Embeddings Inference does not listen: it opens http 3000 (PORT=3000 in ConfigMap emb-env key PORT); the connection is refused, so the pod never becomes Ready and gets no traffic; probe /health on 3000",
    ]);
    expect(found([config({ MAX_BATCH: '8' }), embeddings([{ configMapRef: { name: 'emb-env' } }])])).toEqual([
      "error Deployment/emb: container 'tei' readinessProbe.httpGet checks port 2081, where Text Embeddings Inference does not listen: it opens http 80 (PORT=80 set by the image); the connection is refused, so the pod never becomes Ready and gets no traffic; probe /health on 80",
    ]);
  });
});

/** A LiteLLM proxy `ai/gateway` from its image, given args alone (the image's entrypoint starts `litellm`). */
const gateway = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'gateway', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'gateway' } },
    template: {
      metadata: { labels: { app: 'gateway' } },
      spec: { containers: [{ name: 'proxy', image: 'ghcr.io/berriai/litellm:v1.74.9-stable', args: ['--config', '/etc/litellm/config.yaml'], ...extra }] },
    },
  },
});
const gatewayService = (targetPort?: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'gateway', namespace: 'ai' },
  spec: { selector: { app: 'gateway' }, ports: [{ name: 'http', port: 8080, ...(targetPort ? { targetPort } : {}) }] },
});

describe('model-server-port-not-served: LiteLLM (proxy_cli.py --port, default 4000, env PORT)', () => {
  test('a Service whose port 8080 is its target while LiteLLM listens on 4000: an error', () => {
    expect(found([gateway(), gatewayService()])).toEqual([
      "error Service/ai/gateway: spec.ports[0] targets 8080 on Deployment gateway, whose container 'proxy' runs LiteLLM, which opens http 4000 (the default of --port): connections to the port are refused; set targetPort to the port the server opens for it, or start the server on 8080",
    ]);
  });

  test('a liveness probe on 8080: an error that names the health path on 4000', () => {
    expect(found([gateway({ livenessProbe: { httpGet: { path: '/health/liveliness', port: 8080 } } })])).toEqual([
      "error Deployment/ai/gateway: container 'proxy' livenessProbe.httpGet checks port 8080, where LiteLLM does not listen: it opens http 4000 (the default of --port); the connection is refused, so the kubelet restarts the container over and over; probe /health/liveliness on 4000",
    ]);
  });

  test('the command `litellm --port 8080`, and PORT=8080: the port is 8080', () => {
    expect(found([gateway({ command: ['litellm'], args: ['--port', '8080'] }), gatewayService()])).toEqual([]);
    expect(found([gateway({ env: [{ name: 'PORT', value: '8080' }] }), gatewayService()])).toEqual([]);
  });

  test.each([
    ['targetPort 4000', [gateway(), gatewayService(4000)]],
    [
      'SEPARATE_HEALTH_APP, which starts a second listener (docker/supervisord.conf)',
      [gateway({ env: [{ name: 'SEPARATE_HEALTH_APP', value: '1' }] }), gatewayService()],
    ],
    ['a one-shot run (--skip_server_startup) that serves nothing', [gateway({ args: ['--config', '/c.yaml', '--skip_server_startup'] }), gatewayService()]],
    [
      "a folder named litellm in another program's arguments",
      [gateway({ image: 'busybox:1.36', command: ['sh', '-c', 'mkdir -p /data/litellm && httpd -f -p 8080'], args: undefined }), gatewayService()],
    ],
  ])('near miss, %s: silent', (_, docs) => {
    expect(found(docs as Record<string, unknown>[])).toEqual([]);
  });
});

describe('model-server-port-not-served: a kustomize helmCharts entry of the app-template chart, rendered from its values', () => {
  // written here, not as a fixture folder: kubectl kustomize would pull the chart to build it (--enable-helm)
  const fires =
    "# A llama.cpp server inflated by kustomize from the bjw-s app-template chart: its liveness probe checks port 8081,\n# where the server does not listen (it serves 8080), so the kubelet restarts it over and over\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: llm\nhelmCharts:\n  - name: app-template\n    repo: oci://ghcr.io/bjw-s-labs/helm\n    version: 5.0.1\n    releaseName: llama\n    namespace: llm\n    valuesInline:\n      controllers:\n        llama:\n          containers:\n            app:\n              image: {repository: ghcr.io/ggml-org/llama.cpp, tag: server-b6000}\n              args: [--hf-repo, ggml-org/gemma-3-1b-it-GGUF, --host, 0.0.0.0, --port, '8080']\n              probes:\n                liveness:\n                  enabled: true\n                  custom: true\n                  spec:\n                    httpGet: {path: /health, port: 8081}\n      service:\n        app:\n          controller: llama\n          ports:\n            http: {port: 8080}\n";
  const fixture = (which: string) => (which === 'fires' ? fires : fires.replace('port: 8081}', 'port: 8080}'));
  const found = async (which: string) =>
    (await treeRuleFound('model-server-port-not-served', 'app-template-helmcharts-', { 'kustomization.yaml': fixture(which) })).map((f) => [
      f.severity,
      f.object,
      f.message.replace(/ of \/\S*kustomization\.yaml\)$/, ' of kustomization.yaml)'),
    ]);

  test('a liveness probe on a port the llama.cpp server does not open: an error naming the entry', async () => {
    expect(await found('fires')).toEqual([
      [
        'error',
        'Deployment/llm/llama',
        "container 'app' livenessProbe.httpGet checks port 8081, where llama.cpp server does not listen: it opens http 8080 (--port=8080 in container 'app' args); the connection is refused, so the kubelet restarts the container over and over; probe /health on 8080 (Deployment/llm/llama as rendered from the app-template 5.0.1 values of the helmCharts entry app-template of kustomization.yaml)",
      ],
    ]);
  });

  test('near miss: the probe on the port the server opens', async () => {
    expect(await found('near-miss')).toEqual([]);
  });
});
