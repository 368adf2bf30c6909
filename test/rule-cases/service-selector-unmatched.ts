import * as YAML from 'yaml';
import { cliInProcess, ruleFindings, writeTree } from '../util';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'chat' } };

function deployment(name: string, labels: Record<string, string>, port: number | { name: string; containerPort: number }) {
  const ports = [typeof port === 'number' ? { containerPort: port } : port];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'chat' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'server', image: 'registry.example.com/llm/server:2.1', ports }] } },
    },
  };
}

function service(selector: Record<string, string>, targetPort: number | string) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'llm', namespace: 'chat' }, spec: { selector, ports: [{ port: 80, targetPort }] } };
}

const recommended = { 'app.kubernetes.io/name': 'llm-server', 'app.kubernetes.io/instance': 'chat' };

async function findings(objects: unknown[], files: Record<string, string> = {}): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('selector-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n'), ...files });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'service-selector-unmatched');
}

describe('service-selector-unmatched in a namespace the tree holds whole', () => {
  test('selector keys the pods lack, one workload listening on the targetPort: an error naming it and the labels to add', async () => {
    const [found] = await findings([namespace, deployment('server', { app: 'server' }, 8000), service(recommended, 8000)]);
    expect(found.severity).toBe('error');
    expect(found.message).toContain("Deployment/chat/server's pods carry {app=server}");
    expect(found.message).toContain("add app.kubernetes.io/name=llm-server, app.kubernetes.io/instance=chat to Deployment/chat/server's pod template labels");
  });

  test('the workload it was written for delivered with replicas: 0 that nothing scales: a latent warning naming it; an HPA that scales it keeps the error', async () => {
    const idle = deployment('server', { app: 'server' }, 8000);
    (idle.spec as Record<string, unknown>).replicas = 0;
    const [found, ...rest] = await findings([namespace, idle, service(recommended, 8000)]);
    expect(rest).toEqual([]);
    expect(found.severity).toBe('warning');
    expect(found.message).toMatch(
      /pod template labels, or select the labels its pods carry \(latent: Deployment\/chat\/server, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
    );
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'server', namespace: 'chat' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'server' }, minReplicas: 1, maxReplicas: 2 },
    };
    expect((await findings([namespace, idle, hpa, service(recommended, 8000)])).map((f) => f.severity)).toEqual(['error']);
  });

  test('a named targetPort matches the containerPort of that name', async () => {
    const named = deployment('server', { app: 'server' }, { name: 'http', containerPort: 8000 });
    expect((await findings([namespace, named, service(recommended, 'http')])).map((f) => f.severity)).toEqual(['error']);
  });

  test('an Ollama Model beside the Deployment: its operator-made pods are named with their labels', async () => {
    const model = { apiVersion: 'ollama.ayaka.io/v1', kind: 'Model', metadata: { name: 'chat', namespace: 'chat' }, spec: { image: 'phi3' } };
    const [found] = await findings([namespace, deployment('ollama', { app: 'ollama' }, 11434), model, service(recommended, 11434)]);
    expect(found.message).toContain('the pods the Ollama operator makes for Model/chat/chat carry {app=ollama-model-chat, model.ollama.ayaka.io=chat}');
    expect(found.message).toContain("Deployment/chat/ollama's pods carry {app=ollama}");
  });

  test('near misses: the namespace not created by the tree, no workload on the port, a helm install into it, a document not read, an unknown custom resource', async () => {
    expect(await findings([deployment('server', { app: 'server' }, 8000), service(recommended, 8000)])).toEqual([]);
    expect(await findings([namespace, deployment('server', { app: 'server' }, 9000), service(recommended, 8000)])).toEqual([]);
    const helm = { 'install.sh': 'helm install llm oci://registry.example.com/charts/llm -n chat\n' };
    expect(await findings([namespace, deployment('server', { app: 'server' }, 8000), service(recommended, 8000)], helm)).toEqual([]);
    const broken = { 'other.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm-server\n  namespace: chat\nspec:\n  image: {{{IMAGE}}}\n' };
    expect(await findings([namespace, deployment('server', { app: 'server' }, 8000), service(recommended, 8000)], broken)).toEqual([]);
    const custom = { apiVersion: 'serving.example.com/v1', kind: 'Server', metadata: { name: 'other', namespace: 'chat' } };
    expect(await findings([namespace, deployment('server', { app: 'server' }, 8000), custom, service(recommended, 8000)])).toEqual([]);
  });

  test('pods that carry the selected labels: nothing', async () => {
    expect(await findings([namespace, deployment('server', recommended, 8000), service(recommended, 8000)])).toEqual([]);
  });
});

describe('service-selector-unmatched: a selected value the pods carry under another key', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'server', namespace: 'chat' }, stringData: { token: 'x' } };

  test('the workload listens on the targetPort, a Secret named by the value makes no pods: an error naming the key the pods carry', async () => {
    const [found] = await findings([secret, deployment('server', { app: 'server' }, 8000), service({ name: 'server' }, 8000)]);
    expect(found.severity).toBe('error');
    expect(found.message).toContain('spec.selector name=server matches no pod of the tree');
    expect(found.message).toContain("Deployment/chat/server's pods, listening on targetPort 8000, carry app=server (not name=server)");
  });

  test('near misses: another port, a custom resource named by the value, an unrelated value', async () => {
    expect(await findings([deployment('server', { app: 'server' }, 9000), service({ name: 'server' }, 8000)])).toEqual([]);
    const custom = { apiVersion: 'serving.example.com/v1', kind: 'Server', metadata: { name: 'server', namespace: 'chat' } };
    expect(await findings([custom, deployment('server', { app: 'server' }, 8000), service({ name: 'server' }, 8000)])).toEqual([]);
    expect(await findings([deployment('server', { app: 'server' }, 8000), service({ name: 'gateway' }, 8000)])).toEqual([]);
  });
});

describe('service-selector-unmatched: a workload that gives no namespace beside a Service that does', () => {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'sandbox' },
    spec: { selector: { app: 'vllm' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  const unplaced = (app: string, port: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm-sandbox' },
    spec: {
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'vllm', image: 'x:1', ports: [{ containerPort: port }] }] } },
    },
  });
  const found = (docs: Record<string, unknown>[]) => ruleFindings('service-selector-unmatched', docs);

  test('nearly the selected labels: a warning naming the labels and the ports the containers listen on', () => {
    expect(found([svc, unplaced('vllm-sandbox', 8000)])).toEqual([
      expect.stringMatching(
        /^warning Service\/sandbox\/api: spec\.selector app=vllm matches no pod of the tree in namespace 'sandbox', where the tree places no workload; Deployment\/vllm-sandbox, which gives no namespace .* labels its pods app=vllm-sandbox, and its containers listen on 8000, not targetPort 8080/,
      ),
    ]);
  });

  test('near misses: the labels agree, or are unrelated', () => {
    expect(found([svc, unplaced('vllm', 8080)])).toEqual([]);
    expect(found([svc, unplaced('postgres', 5432)])).toEqual([]);
  });
});

describe("service-selector-unmatched: KServe's InferenceService label selected by a value that names no InferenceService", () => {
  const svc = (selector: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'models', namespace: 'ml' },
    spec: { selector, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const isvc = (name: string, namespace = 'ml') => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace },
    spec: { predictor: {} },
  });

  test('a switch word: an error whatever else the tree holds', () => {
    for (const docs of [
      [svc({ 'serving.kserve.io/inferenceservice': 'true' })],
      [isvc('true', 'other'), svc({ 'serving.kserve.io/inferenceservice': 'enabled', component: 'predictor' })],
    ]) {
      expect(ruleFindings('service-selector-unmatched', docs)).toEqual([
        expect.stringMatching(
          /^error Service\/ml\/models: spec\.selector serving\.kserve\.io\/inferenceservice=(true|enabled) matches no pod: KServe sets .*no endpoints/,
        ),
      ]);
    }
  });

  test('near misses: the name of an InferenceService, one of the namespace named so, a name-like value', () => {
    expect(ruleFindings('service-selector-unmatched', [isvc('true'), svc({ 'serving.kserve.io/inferenceservice': 'true' })])).toEqual([]);
    expect(ruleFindings('service-selector-unmatched', [svc({ 'serving.kserve.io/inferenceservice': 'granite' })])).toEqual([]);
  });
});

describe('service-selector-unmatched beside a document that does not parse', () => {
  // the server's Deployment, its env list broken (a key at the list item's column): the file's first document
  const broken = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: llm-server',
    '  namespace: chat',
    'spec:',
    '  selector: {matchLabels: {app: llm-server}}',
    '  template:',
    '    metadata: {labels: {app: llm-server}}',
    '    spec:',
    '      containers:',
    '        - name: server',
    '          image: registry.example.com/llm/server:2.1',
    '          env:',
    '            - name: POD_IP',
    '            valueFrom: {fieldRef: {fieldPath: status.podIP}}',
    '---',
    YAML.stringify(service({ app: 'llm-server' }, 8000)),
  ].join('\n');
  const other = YAML.stringify(deployment('llm', { app: 'llm' }, 8000));

  test("the Service's pods are in a document of its file that does not parse: a note naming the file, not an error blaming another Deployment", async () => {
    const dir = writeTree('selector-unparsed-', { 'server.yaml': broken, 'other.yaml': other });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    const found = report.findings.filter((f: { rule: string }) => f.rule === 'service-selector-unmatched');
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'info',
        object: 'Service/chat/llm',
        message: expect.stringMatching(
          /^spec\.selector app=llm-server matches no pod of the objects read, but \S*server\.yaml \(declaring Deployment 'llm-server'\): .*mend that document first/,
        ),
      }),
    ]);
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'unreadable-input').map((f: { severity: string }) => f.severity)).toEqual(['error']);
  });

  test('near miss: every document parses and the pods are labelled otherwise: the error stays', async () => {
    const dir = writeTree('selector-parsed-', { 'server.yaml': YAML.stringify(service({ app: 'llm-server' }, 8000)), 'other.yaml': other });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'service-selector-unmatched').map((f: { severity: string }) => f.severity)).toEqual([
      'error',
    ]);
  });
});
