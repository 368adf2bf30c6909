import { runChecks } from '../../lib';
import { appTemplateTree } from '../setup/app-template-release';
import { severityObjectMessages, treeRuleFound } from '../util';

/**
 * service-port-unmatched on numeric targets: a containerPort is informational (it opens no port and closes none), so a
 * number is judged against the port the program listens on where the check knows it, and is a warning elsewhere.
 */
type Doc = Record<string, any>;

const deployment = (container: Doc, name = 'web'): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'tools' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } },
});
const service = (ports: Doc[], name = 'web'): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'tools' },
  spec: { selector: { app: name }, ports },
});
const VLLM_IMAGE = 'docker.io/vllm/vllm-openai:v0.11.0';

function found(docs: Doc[], rules = ['service-port-unmatched']): [string, string, string][] {
  return runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.4', rules },
  ).map((f) => [f.rule, f.severity, f.message]);
}

describe('service-port-unmatched: a numeric target against what listens, not what is declared', () => {
  test('an unknown program declaring 8080 behind a Service on 8888: a warning to check the port, no longer an error', () => {
    const web = deployment({
      name: 'web',
      image: 'registry.example.com/ubi9/python-311:1',
      command: ['python', '-m', 'http.server', '8888'],
      ports: [{ containerPort: 8080 }],
    });
    expect(found([web, service([{ port: 8888, targetPort: 8888 }])])).toEqual([
      [
        'service-port-unmatched',
        'warning',
        'spec.ports[0].targetPort is 8888, but the containers of Deployment/tools/web that the selector picks declare only 8080; a containerPort is informational and the Service reaches whatever listens on 8888 in the pod, so check which port the program listens on: if nothing listens on 8888, connections are refused; target that port, or correct the declaration',
      ],
    ]);
  });

  test('vLLM listening on the target, whatever the container declares: no finding', () => {
    const chat = deployment({
      name: 'vllm',
      image: VLLM_IMAGE,
      args: ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--port', '8888'],
      ports: [{ containerPort: 8080 }],
    });
    expect(found([chat, service([{ port: 80, targetPort: 8888 }])])).toEqual([]);
  });

  test('vLLM on its default 8000 behind a Service on the declared 8080: an error, the declaration opens nothing', () => {
    const chat = deployment({ name: 'vllm', image: VLLM_IMAGE, command: ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct'], ports: [{ containerPort: 8080 }] });
    expect(found([chat, service([{ port: 80, targetPort: 8080 }])])).toEqual([
      [
        'service-port-unmatched',
        'error',
        "spec.ports[0].targetPort is 8080, but in Deployment/tools/web, which the selector picks, container 'vllm' runs vLLM, which listens on 8000 (vLLM's default, no --port given), and its containerPort 8080 is a declaration, which opens no port: nothing listens on 8080, so the Service's connections are refused; set targetPort to 8000, or start the server on 8080",
      ],
    ]);
  });

  test('the same miss on a Deployment delivered with replicas: 0 that nothing scales is a latent warning; a KEDA ScaledObject that scales it keeps the error', () => {
    const chat = deployment({ name: 'vllm', image: VLLM_IMAGE, command: ['vllm', 'serve', 'Qwen/Qwen2.5-0.5B-Instruct'], ports: [{ containerPort: 8080 }] });
    chat.spec.replicas = 0;
    const [only, ...rest] = found([chat, service([{ port: 80, targetPort: 8080 }])]);
    expect(rest).toEqual([]);
    expect(only[1]).toBe('warning');
    expect(only[2]).toMatch(
      /nothing listens on 8080, so the Service's connections are refused; set targetPort to 8000, or start the server on 8080 \(latent: Deployment\/tools\/web, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
    );
    const keda = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'web', namespace: 'tools' },
      spec: { scaleTargetRef: { name: 'web' }, triggers: [] },
    };
    expect(found([chat, service([{ port: 80, targetPort: 8080 }]), keda]).map((f) => f[1])).toEqual(['error']);
  });

  test('near misses: vLLM beside a container of unknown program, or started in the background beside another program, is not certain', () => {
    const withProxy = deployment({ name: 'vllm', image: VLLM_IMAGE, command: ['vllm', 'serve', 'm'], ports: [{ containerPort: 8080 }] });
    withProxy.spec.template.spec.containers.push({ name: 'proxy', image: 'registry.example.com/proxy:1', ports: [{ containerPort: 8443 }] });
    expect(found([withProxy, service([{ port: 80, targetPort: 8080 }])])).toEqual([]);
    const background = deployment({
      name: 'vllm',
      image: VLLM_IMAGE,
      command: ['sh', '-c', 'vllm serve m & python proxy.py'],
      ports: [{ containerPort: 8080 }],
    });
    expect(found([background, service([{ port: 80, targetPort: 8080 }])])).toEqual([]);
  });

  test('a Triton server alone behind the Service is model-server-port-not-served’s to judge: said once', () => {
    const triton = deployment({
      name: 'triton',
      image: 'nvcr.io/nvidia/tritonserver:24.08-py3',
      command: ['tritonserver', '--model-repository=/models'],
      ports: [{ containerPort: 8080 }],
    });
    const both = found([triton, service([{ port: 80, targetPort: 8080 }])], ['service-port-unmatched', 'model-server-port-not-served']);
    expect(both.map(([rule, severity]) => [rule, severity])).toEqual([['model-server-port-not-served', 'error']]);
  });

  test('a named target no container declares stays an error', () => {
    const web = deployment({ name: 'web', image: 'registry.example.com/web:1', ports: [{ name: 'http', containerPort: 8080 }] });
    expect(found([web, service([{ port: 80, targetPort: 'metrics' }])]).map(([, severity]) => severity)).toEqual(['error']);
  });
});

describe('service-port-unmatched: vLLM started by a script a ConfigMap of the tree shows the container', () => {
  const scripted = (script: string, mode?: number): Doc[] => {
    const web = deployment({
      name: 'vllm',
      image: VLLM_IMAGE,
      command: ['/opt/start/run.sh'],
      volumeMounts: [{ name: 'start', mountPath: '/opt/start' }],
    });
    web.spec.template.spec.volumes = [{ name: 'start', configMap: { name: 'web-start', ...(mode === undefined ? {} : { defaultMode: mode }) } }];
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-start', namespace: 'tools' }, data: { 'run.sh': script } };
    return [web, configMap, service([{ port: 80, targetPort: 8000 }])];
  };

  test('the executable script serves on 8080: the Service on 8000 is an error naming the script', () => {
    expect(found(scripted('#!/bin/sh\nexec vllm serve org/m --port 8080\n', 0o755)).map((f) => f[2].split(' (--port')[0])).toEqual([
      "spec.ports[0].targetPort is 8000, but in Deployment/tools/web, which the selector picks, container 'vllm' runs vLLM, which listens on 8080",
    ]);
  });

  test('near misses: the file without an execute bit (exec refuses it), and vLLM started in the background beside another program', () => {
    expect(found(scripted('#!/bin/sh\nexec vllm serve org/m --port 8080\n'))).toEqual([]);
    expect(found(scripted('#!/bin/sh\nvllm serve org/m --port 8080 &\nexec python3 -m proxy --listen 8000\n', 0o755))).toEqual([]);
  });
});

describe('service-port-unmatched: only the pods of the Service’s own namespace', () => {
  const web = deployment({ name: 'web', image: 'registry.example.com/tools/web:1', ports: [{ containerPort: 9000 }] });
  const bare = (doc: Doc): Doc => ({ ...doc, metadata: { name: doc.metadata.name } });

  test('near misses: a Service left without a namespace beside a workload pinned to one, and the reverse', () => {
    expect(found([bare(service([{ port: 80, targetPort: 8080 }])), web])).toEqual([]);
    expect(found([service([{ port: 80, targetPort: 8080 }]), bare(web)])).toEqual([]);
  });

  test('both left unset land in the same namespace: judged', () => {
    expect(found([bare(service([{ port: 80, targetPort: 8080 }])), bare(web)]).map(([, severity]) => severity)).toEqual(['warning']);
  });
});

describe('service-port-unmatched: platform programs that listen beyond their declared ports', () => {
  const control = (name: string, container: Doc): Doc => deployment({ name, ports: [{ containerPort: 8080 }], ...container }, name);

  test("near misses: istiod's 15012 and 15014, Knative's activator on 8112, an Istio gateway on the port its Gateway opens", () => {
    const istiod = control('istiod', { image: 'docker.io/istio/pilot:1.22.0' });
    expect(found([istiod, service([{ port: 15012 }, { port: 15014 }], 'istiod')])).toEqual([]);
    const activator = control('activator', { image: 'gcr.io/knative-releases/knative.dev/serving/cmd/activator:v1.15.0' });
    expect(found([activator, service([{ port: 443, targetPort: 8112 }], 'activator')])).toEqual([]);
    const gateway = control('local-gateway', { image: 'docker.io/istio/proxyv2:1.22.0', args: ['proxy', 'router', '--domain', 'cluster.local'] });
    expect(found([gateway, service([{ port: 80, targetPort: 8081 }], 'local-gateway')])).toEqual([]);
  });

  test('still a warning: a port istiod does not listen on, and the proxy image run as a sidecar, not a gateway', () => {
    const istiod = control('istiod', { image: 'docker.io/istio/pilot:1.22.0' });
    expect(found([istiod, service([{ port: 9999 }], 'istiod')]).map(([, severity]) => severity)).toEqual(['warning']);
    const sidecar = control('app', { image: 'docker.io/istio/proxyv2:1.22.0', args: ['proxy', 'sidecar'] });
    expect(found([sidecar, service([{ port: 80, targetPort: 8081 }], 'app')]).map(([, severity]) => severity)).toEqual(['warning']);
  });
});

describe('service-port-unmatched: a named port is resolved pod by pod, and hook pods serve nothing', () => {
  const server = deployment({ name: 'api', image: 'registry.example.com/api:1', ports: [{ name: 'http-api', containerPort: 9000 }] }, 'web');
  const hookPod = (annotations: Doc): Doc => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-smoke', namespace: 'tools', labels: { app: 'web' }, annotations },
    spec: { restartPolicy: 'Never', containers: [{ name: 'curl', image: 'registry.example.com/curl:8', args: ['http://web:9000/'] }] },
  });
  const named = service([{ port: 80, targetPort: 'http-api' }]);

  test('a Helm test pod or an Argo CD hook pod with the selected labels is no backend: no finding', () => {
    expect(found([server, named, hookPod({ 'helm.sh/hook': 'test' })])).toEqual([]);
    expect(found([server, named, hookPod({ 'helm.sh/hook': 'test-success' })])).toEqual([]);
    expect(found([server, named, hookPod({ 'argocd.argoproj.io/hook': 'PostSync' })])).toEqual([]);
  });

  test('a plain pod lacking the name beside a workload declaring it: a note, the Service has endpoints on the others', () => {
    expect(found([server, named, hookPod({})])).toEqual([
      [
        'service-port-unmatched',
        'info',
        "spec.ports[0].targetPort names the port 'http-api', which no container of Pod/tools/web-smoke that the selector picks declares, while Deployment/tools/web declares it: the Service's endpoints are those pods, and Pod/tools/web-smoke's pods get none for this port; if they should serve it, name a containerPort 'http-api', else keep them out of the selector",
      ],
    ]);
  });

  test('fires: a hook pod is all the Service selects besides a workload without the name: still an error', () => {
    const other = deployment({ name: 'api', image: 'registry.example.com/api:1', ports: [{ name: 'http', containerPort: 9000 }] }, 'web');
    expect(found([other, named, hookPod({ 'helm.sh/hook': 'test' })])).toEqual([
      [
        'service-port-unmatched',
        'error',
        "spec.ports[0].targetPort names the port 'http-api', which no container of Deployment/tools/web that the selector picks declares: the Service gets no endpoint for it and its clients' connections are refused; name a containerPort 'http-api' or target the number",
      ],
    ]);
  });
});

describe('service-port-unmatched: ports a container binds by its flags or its controller-runtime configuration file', () => {
  const manager = (args: string[], extra: Doc = {}) => ({
    name: 'manager',
    image: 'registry.example.com/fleet/operator:0.3.1',
    command: ['/manager'],
    args,
    ...extra,
  });
  const configMap = (config: string): Doc => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'manager-config', namespace: 'tools' },
    data: { 'controller_manager_config.yaml': config },
  });
  const CONFIG =
    'apiVersion: controller-runtime.sigs.k8s.io/v1alpha1\nkind: ControllerManagerConfig\nhealth:\n  healthProbeBindAddress: ":8081"\nmetrics:\n  bindAddress: ":8443"\nwebhook:\n  port: 9443\n';
  /** The manager loading the file from the ConfigMap, as kubebuilder's earlier scaffold mounted it. */
  const configured = (name = 'web') => {
    const d = deployment(
      manager(['--config=/controller_manager_config.yaml'], {
        volumeMounts: [{ name: 'manager-config', mountPath: '/controller_manager_config.yaml', subPath: 'controller_manager_config.yaml' }],
      }),
      name,
    );
    d.spec.template.spec.volumes = [{ name: 'manager-config', configMap: { name: 'manager-config' } }];
    return d;
  };

  test('--metrics-bind-address, --health-probe-bind-address, --port=N, --port N and --listen-address are listened on, declared or not: no finding', () => {
    const flags = deployment(
      manager(['--metrics-bind-address=:8443', '--health-probe-bind-address=:8081', '--leader-elect'], { ports: [{ containerPort: 9443, name: 'webhook' }] }),
    );
    const ports = [8443, 8081].map((p) => ({ name: `p${p}`, port: p, targetPort: p }));
    expect(found([flags, service(ports)])).toEqual([]);
    for (const args of [['--port=8000'], ['--port', '8000'], ['--listen-address', '0.0.0.0:8000']]) {
      const server = deployment({ name: 'api', image: 'registry.example.com/api:2', args, ports: [{ containerPort: 9090 }] });
      expect(found([server, service([{ port: 80, targetPort: 8000 }])])).toEqual([]);
    }
  });

  test("the ports a controller-runtime configuration file binds, in a ConfigMap the pod mounts at --config's path: no finding", () => {
    const ports = [8443, 8081, 9443].map((p) => ({ name: `p${p}`, port: p, targetPort: p }));
    expect(found([configured(), configMap(CONFIG), service(ports)])).toEqual([]);
  });

  test("a Service on 8080 while the configuration file binds the metrics to 8443 and no container declares a port: an error quoting the file's settings", () => {
    expect(found([configured(), configMap(CONFIG), service([{ name: 'metrics', port: 8080, targetPort: 8080 }])])).toEqual([
      [
        'service-port-unmatched',
        'error',
        "spec.ports[0].targetPort is 8080, but in Deployment/tools/web, which the selector picks, container 'manager' binds metrics to 8443 (--config=/controller_manager_config.yaml, ConfigMap 'manager-config' key controller_manager_config.yaml: metrics.bindAddress \":8443\"), health to 8081 (--config=/controller_manager_config.yaml, ConfigMap 'manager-config' key controller_manager_config.yaml: health.healthProbeBindAddress \":8081\"), webhook to 9443 (--config=/controller_manager_config.yaml, ConfigMap 'manager-config' key controller_manager_config.yaml: webhook.port 9443): the manager's metrics listen on 8443, not on 8080 (controller-runtime's default, which the setting replaces), and no container declares or binds 8080, so the Service's connections are refused; set targetPort to 8443",
      ],
    ]);
  });

  test('near misses: a flag that keeps 8080, a proxy sidecar whose ports are not known, the file not loaded (no --config)', () => {
    const keeps = deployment(manager(['--metrics-bind-address=127.0.0.1:8080', '--health-probe-bind-address=:8081']));
    expect(found([keeps, service([{ port: 8080, targetPort: 8080 }])])).toEqual([]);
    const proxied = deployment(manager(['--metrics-bind-address=:8443']));
    proxied.spec.template.spec.containers.push({ name: 'proxy', image: 'registry.example.com/auth-proxy:0.15' });
    expect(found([proxied, service([{ port: 8080, targetPort: 8080 }])])).toEqual([]);
    const unloaded = configured();
    unloaded.spec.template.spec.containers[0].args = [];
    expect(found([unloaded, configMap(CONFIG), service([{ port: 8080, targetPort: 8080 }])])).toEqual([]);
  });
});

describe('service-port-unmatched: the Service and pods of an app-template release, rendered from its values', () => {
  const values = (command: string) =>
    `controllers:\n  llm:\n    containers:\n      vllm:\n        image: {repository: docker.io/vllm/vllm-openai, tag: v0.11.0}\n        command: ${command}\n` +
    `        ports:\n          - {name: http, containerPort: 8080}\nservice:\n  app:\n    controller: llm\n    ports:\n      http: {port: 80, targetPort: 8080}\n`;

  test('vLLM started without --port behind a Service on 8080: an error on the rendered Service, naming the release', async () => {
    const found = await treeRuleFound(
      'service-port-unmatched',
      'app-template-port-',
      appTemplateTree('notes-llm', 'tools', '3.7.3', values('[vllm, serve, Qwen/Qwen2.5-0.5B-Instruct]')),
    );
    expect(severityObjectMessages(found)).toEqual([
      [
        'error',
        'Service/tools/notes-llm',
        "spec.ports[0].targetPort is 8080, but in Deployment/tools/notes-llm, which the selector picks, container 'vllm' runs vLLM, which listens on 8000 (vLLM's default, no --port given), and its containerPort 8080 is a declaration, which opens no port: nothing listens on 8080, so the Service's connections are refused; set targetPort to 8000, or start the server on 8080 (Service/tools/notes-llm as rendered from the app-template 3.7.3 values of HelmRelease tools/notes-llm)",
      ],
    ]);
  });

  test('near miss: vLLM started with --port 8080', async () => {
    const found = await treeRuleFound(
      'service-port-unmatched',
      'app-template-port-',
      appTemplateTree('notes-llm', 'tools', '3.7.3', values('[vllm, serve, Qwen/Qwen2.5-0.5B-Instruct, --port, "8080"]')),
    );
    expect(found).toEqual([]);
  });
});
