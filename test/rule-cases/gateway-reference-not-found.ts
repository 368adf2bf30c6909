import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../lib';
import { cliInProcess, treeRuleFound, writeTree } from '../util';

/**
 * Cases of gateway-reference-not-found on a folder as the CLI reads it: a README that has the reader deploy a backend
 * apart from the folder, and the object the message names instead (only a close spelling).
 */
const pool = (name: string) =>
  [
    'apiVersion: inference.networking.k8s.io/v1',
    'kind: InferencePool',
    'metadata:',
    `  name: ${name}`,
    '  namespace: ai',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  targetPorts:',
    '    - number: 8000',
    '  endpointPickerRef:',
    `    name: ${name}-epp`,
    '    port:',
    '      number: 9002',
  ].join('\n');
const route = (to: string) =>
  [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    '  name: chat',
    '  namespace: ai',
    'spec:',
    '  rules:',
    '    - backendRefs:',
    '        - group: inference.networking.k8s.io',
    '          kind: InferencePool',
    `          name: ${to}`,
  ].join('\n');

/** The gateway-reference-not-found findings of a folder holding one file of the Qwen pool and the route, and the README given. */
async function found(to: string, readme?: string): Promise<[string, string][]> {
  const dir = writeTree('gateway-reference-', {
    'routing/all.yaml': `${pool('qwen-chat')}\n---\n${route(to)}\n`,
    ...(readme ? { 'routing/README.md': readme } : {}),
  });
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  // the route's findings: the pool's own endpoint picker, which these folders do not deploy, is judged apart below
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'gateway-reference-not-found' && f.object.startsWith('HTTPRoute/'))
    .map((f) => [f.severity, f.message]);
}

/** The gateway-reference-not-found findings of a tree, as [severity, object, message]. */
async function treeFindings(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('gateway-reference-tree-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'gateway-reference-not-found')
    .map((f) => [f.severity, f.object, f.message]);
}

const SEPARATELY = [
  '# Two models behind one route',
  '',
  'The route sends chat requests to two InferencePools. `all.yaml` deploys the Qwen pool.',
  '',
  '> This folder does not deploy the Granite backend (the vLLM server for Granite-3.1-8B-Instruct).',
  '> Deploy it separately, following the serving guide, before you send requests.',
  '',
].join('\n');

describe('gateway-reference-not-found: a backend the README has deployed apart from the folder', () => {
  test('the README says the Granite server is deployed separately and names it by its words: a warning quoting it, no other pool offered (it was an error offering the Qwen pool)', async () => {
    expect(await found('vllm-granite-3-1-8b-instruct', SEPARATELY)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /names InferencePool 'vllm-granite-3-1-8b-instruct'.*README\.md of routing\/ \(line 5: 'This folder does not deploy the Granite backend \(the vLLM server for Granite-3\.1-8B-Instruct\)\.'\) has it made apart from the tree/,
        ),
      ],
    ]);
    expect((await found('vllm-granite-3-1-8b-instruct', SEPARATELY))[0][1]).not.toMatch(/qwen-chat/);
  });

  test('a Prerequisites section that names the pool: a warning', async () => {
    const prerequisites =
      '# Routing\n\n## Prerequisites\n\n- the InferencePool `granite-pool`, from the model-serving chart\n\n## Deploy\n\nkubectl apply -f all.yaml\n';
    expect(await found('granite-pool', prerequisites)).toEqual([
      ['warning', expect.stringMatching(/line 5: '- the InferencePool `granite-pool`, from the model-serving chart'/)],
    ]);
  });

  test('near miss: a README that has another model deployed separately leaves the error, and names no pool of another model', async () => {
    const other = SEPARATELY.replace(/Granite-3\.1-8B-Instruct/g, 'Llama-3.1-8B-Instruct').replace('Granite backend', 'Llama backend');
    expect(await found('vllm-granite-3-1-8b-instruct', other)).toEqual([
      [
        'error',
        expect.stringMatching(
          /holds the InferencePools there \(qwen-chat\).*name the InferencePool it means \(none of the tree's is a close spelling of 'vllm-granite-3-1-8b-instruct', so none is taken for it\)/,
        ),
      ],
    ]);
  });
});

describe('gateway-reference-not-found: the pool the message names instead', () => {
  test('a close spelling of the name written: an error naming it', async () => {
    expect(await found('qwen-caht')).toEqual([
      ['error', expect.stringMatching(/name 'qwen-chat' \(a close spelling of it\), or add InferencePool 'qwen-caht'/)],
    ]);
  });

  test("near miss: the only pool of the folder, under another model's name, is not offered (it was, as the nearest)", async () => {
    const [[severity, message]] = await found('mistral-7b');
    expect(severity).toBe('error');
    expect(message).not.toMatch(/name 'qwen-chat'/);
    expect(message).toMatch(/name the InferencePool it means/);
  });
});

/** A release of kube-prometheus-stack into monitoring by an Argo CD Application, with the helm fields given. */
const stackApp = (helm = '') =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: kube-prometheus-stack, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://prometheus-community.github.io/helm-charts',
    '    chart: kube-prometheus-stack',
    '    targetRevision: 82.1.0',
    ...(helm ? ['    helm:', ...helm.split('\n').map((l) => `      ${l}`)] : []),
    '  destination: {server: https://kubernetes.default.svc, namespace: monitoring}',
    '  syncPolicy: {syncOptions: [ServerSideApply=true]}',
  ].join('\n');
const grafanaRoute = (service: string, ns = 'monitoring') =>
  [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata: {name: dashboards, namespace: edge}',
    'spec:',
    '  parentRefs: [{name: public, namespace: edge}]',
    `  rules: [{backendRefs: [{name: ${service}, namespace: ${ns}, port: 80}]}]`,
    '---',
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: Gateway',
    'metadata: {name: public, namespace: edge}',
    'spec:',
    '  gatewayClassName: gke-l7-global-external-managed',
    '  listeners: [{name: http, port: 80, protocol: HTTP}]',
  ].join('\n');

async function releaseFindings(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('gateway-release-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'gateway-reference-not-found')
    .map((f) => [f.severity, f.message]);
}

describe("gateway-reference-not-found: the Services a well-known chart's release makes", () => {
  test("a backend the release does not make: an error naming the release's Service for the same component (the release was an unseen delivery, nothing was said)", async () => {
    expect(await releaseFindings({ 'apps/stack.yaml': stackApp(), 'routes/grafana.yaml': grafanaRoute('kube-prometheus-grafana') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /names Service 'kube-prometheus-grafana', which is not in namespace 'monitoring': Application\/argocd\/kube-prometheus-stack \(chart kube-prometheus-stack, release 'kube-prometheus-stack'\) makes the Services there \(kube-prometheus-stack-grafana, .*\), named from the release name .*: its traffic has no backend .*; name 'kube-prometheus-stack-grafana'/,
        ),
      ],
    ]);
  });

  test('values files the check does not read: a warning saying they may rename the Services', async () => {
    const got = await releaseFindings({
      'apps/stack.yaml': stackApp('valueFiles: [values-prod.yaml]'),
      'routes/grafana.yaml': grafanaRoute('kube-prometheus-grafana'),
    });
    expect(got).toEqual([['warning', expect.stringMatching(/\(unless the values files the check does not read set fullnameOverride or nameOverride\)/)]]);
  });

  test.each([
    ['the name the release makes', stackApp(), 'kube-prometheus-stack-grafana'],
    [
      "the subchart's fullnameOverride makes the name written",
      stackApp('valuesObject: {grafana: {fullnameOverride: kube-prometheus-grafana}}'),
      'kube-prometheus-grafana',
    ],
    ['helm.releaseName gives the release the name written', stackApp('releaseName: kube-prometheus'), 'kube-prometheus-grafana'],
    ['the operator-made prometheus-operated', stackApp(), 'prometheus-operated'],
  ])('near miss: %s', async (_, app, service) => {
    expect(await releaseFindings({ 'apps/stack.yaml': app, 'routes/grafana.yaml': grafanaRoute(service) })).toEqual([]);
  });

  test("a helmfile's argo-cd release: argocd-server is made (it was a warning 'unless made outside the tree'); a release named argo-cd makes argo-cd-argocd-server", async () => {
    const helmfile = (release: string, values = '') =>
      `repositories:\n  - {name: argo, url: https://argoproj.github.io/argo-helm}\nreleases:\n  - name: ${release}\n    namespace: argocd\n    chart: argo/argo-cd\n    version: 9.4.17\n${values}`;
    const route = grafanaRoute('argocd-server', 'argocd');
    expect(await releaseFindings({ 'helmfile.yaml': helmfile('argocd'), 'routes/argocd.yaml': route })).toEqual([]);
    expect(await releaseFindings({ 'helmfile.yaml': helmfile('argo-cd'), 'routes/argocd.yaml': route })).toEqual([
      [
        'error',
        expect.stringMatching(
          /release argo-cd of .*helmfile\.yaml:4 \(chart argo-cd, release 'argo-cd'\) makes the Services there \(argo-cd-argocd-server, .*name 'argo-cd-argocd-server'/,
        ),
      ],
    ]);
    // a values file of the tree that names the release's fullname
    const values = '    values:\n      - values/argocd.yaml\n';
    expect(
      await releaseFindings({ 'helmfile.yaml': helmfile('argo-cd', values), 'values/argocd.yaml': 'fullnameOverride: argocd\n', 'routes/argocd.yaml': route }),
    ).toEqual([]);
  });

  test('near miss: another release into the namespace of a chart the table does not know may make it', async () => {
    const other = stackApp()
      .replace('name: kube-prometheus-stack, namespace: argocd', 'name: dashboards, namespace: argocd')
      .replace('chart: kube-prometheus-stack', 'chart: custom-dashboards');
    expect(
      await releaseFindings({ 'apps/stack.yaml': `${stackApp()}\n---\n${other}`, 'routes/grafana.yaml': grafanaRoute('kube-prometheus-grafana') }),
    ).toEqual([]);
  });
});

/** An InferencePool of the alpha API naming its picker by extensionRef, selecting app: qwen-chat. */
const alphaPool = (picker: string, failureMode?: string) =>
  [
    'apiVersion: inference.networking.x-k8s.io/v1alpha2',
    'kind: InferencePool',
    'metadata:',
    '  name: qwen-chat',
    '  namespace: ai',
    'spec:',
    '  targetPortNumber: 8000',
    '  selector:',
    '    app: qwen-chat',
    '  extensionRef:',
    `    name: ${picker}`,
    ...(failureMode ? [`    failureMode: ${failureMode}`] : []),
  ].join('\n');
/** A Deployment running one container of the image, its pods labelled app: NAME, in namespace ai. */
const workload = (name: string, image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: ai',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${image}`,
  ].join('\n');
const service = (name: string, app: string, namespace = 'ai') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 9002\n`;
const modelServer = workload('qwen-chat', 'vllm/vllm-openai:v0.10.1');
const picker = workload('qwen-chat-picker', 'registry.k8s.io/gateway-api-inference-extension/epp:v0.5.1');

describe("gateway-reference-not-found: an InferencePool's endpoint picker", () => {
  test('the tree runs a picker under another Service name: an error naming that Service and what the gateway does without it', async () => {
    const f = await treeFindings({
      'pool.yaml': [alphaPool('qwen-epp'), modelServer, picker, service('qwen-chat-picker', 'qwen-chat-picker')].join('\n---\n'),
    });
    expect(f).toEqual([
      [
        'error',
        'InferencePool/ai/qwen-chat',
        expect.stringMatching(
          /^spec\.extensionRef names Service 'qwen-epp', which is not in namespace 'ai', though the tree's endpoint picker Service there is 'qwen-chat-picker' \(in front of Deployment\/ai\/qwen-chat-picker, which runs the picker\): the gateway cannot reach the pool's endpoint picker \(ResolvedRefs false, InvalidExtensionRef\), and with failureMode FailClose \(the default\) it fails every request routed to the pool \(5xx\); name 'qwen-chat-picker'$/,
        ),
      ],
    ]);
    // near miss: a picker started for another pool (--pool-name) is not this pool's: no Service offered, as no picker runs for it
    const otherPicker = picker.replace('          image: registry.k8s.io', '          args: ["--pool-name", "granite-chat"]\n          image: registry.k8s.io');
    const other = await treeFindings({
      'pool.yaml': [alphaPool('qwen-epp'), modelServer, otherPicker, service('qwen-chat-picker', 'qwen-chat-picker')].join('\n---\n'),
    });
    expect(other.map((x) => x[2])).toEqual([expect.not.stringMatching(/name 'qwen-chat-picker'/)]);
    // near miss: the pool flag given twice: the picker's flag parser keeps the last, another pool
    const lastOther = picker.replace(
      '          image: registry.k8s.io',
      '          args: ["--pool-name", "qwen-chat", "--pool-name=granite-chat"]\n          image: registry.k8s.io',
    );
    const twice = await treeFindings({
      'pool.yaml': [alphaPool('qwen-epp'), modelServer, lastOther, service('qwen-chat-picker', 'qwen-chat-picker')].join('\n---\n'),
    });
    expect(twice.map((x) => x[2])).toEqual([expect.not.stringMatching(/name 'qwen-chat-picker'/)]);
    // near miss: the name the picker's Service has
    expect(
      await treeFindings({
        'pool.yaml': [alphaPool('qwen-chat-picker'), modelServer, picker, service('qwen-chat-picker', 'qwen-chat-picker')].join('\n---\n'),
      }),
    ).toEqual([]);
  });

  test("no picker at all while the tree deploys the pool's model servers: an error (it was no finding)", async () => {
    const v1Pool = [
      'apiVersion: inference.networking.k8s.io/v1',
      'kind: InferencePool',
      'metadata:',
      '  name: qwen-chat',
      '  namespace: ai',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: qwen-chat',
      '  targetPorts:',
      '    - number: 8000',
      '  endpointPickerRef:',
      '    name: qwen-chat-epp',
      '    port:',
      '      number: 9002',
    ].join('\n');
    expect(await treeFindings({ 'pool.yaml': [v1Pool, modelServer].join('\n---\n') })).toEqual([
      [
        'error',
        'InferencePool/ai/qwen-chat',
        expect.stringMatching(
          /^spec\.endpointPickerRef names Service 'qwen-chat-epp', .*nothing of the tree runs an endpoint picker .*though it deploys the pool's model servers \(Deployment\/ai\/qwen-chat\)/,
        ),
      ],
    ]);
    // failureMode FailOpen: the pool is still served, without the picker: a warning
    expect((await treeFindings({ 'pool.yaml': [alphaPool('qwen-chat-epp', 'FailOpen'), modelServer].join('\n---\n') })).map((f) => f[0])).toEqual(['warning']);
  });

  test('near misses: a chart the tree installs, an LLMInferenceService, or a README that deploys the picker apart', async () => {
    const tree = { 'pool.yaml': [alphaPool('qwen-chat-epp'), modelServer].join('\n---\n') };
    const helm = 'helm install qwen-chat oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool -n ai\nkubectl apply -f pool.yaml\n';
    expect(await treeFindings({ ...tree, 'install.sh': helm })).toEqual([]);
    const llmisvc =
      'apiVersion: serving.kserve.io/v1alpha1\nkind: LLMInferenceService\nmetadata:\n  name: qwen-chat\n  namespace: ai\nspec:\n  model:\n    uri: hf://Qwen/Qwen2.5-7B-Instruct\n';
    expect(await treeFindings({ ...tree, 'llm.yaml': llmisvc })).toEqual([]);
    const readme = '# Pool\n\n## Prerequisites\n\n- the endpoint picker Service `qwen-chat-epp`, deployed separately with the inferencepool chart\n';
    expect((await treeFindings({ ...tree, 'README.md': readme })).map((f) => f[0])).toEqual(['warning']);
  });
});

describe("gateway-reference-not-found: a Gateway's or GatewayClass's parametersRef", () => {
  const gateway = (config: string) =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: inference\n  namespace: ai\nspec:\n  gatewayClassName: istio\n  infrastructure:\n    parametersRef:\n      group: ""\n      kind: ConfigMap\n      name: ${config}\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n`;
  const configMap = (name: string, namespace = 'ai') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  deployment: "{}"\n`;

  test('a ConfigMap the tree does not hold, beside the one it does: an error saying the Gateway is not accepted (it was no finding)', async () => {
    expect(await treeFindings({ 'gateway.yaml': [gateway('gateway-options'), configMap('inference-gateway-options')].join('---\n') })).toEqual([
      [
        'error',
        'Gateway/ai/inference',
        expect.stringMatching(
          /^spec\.infrastructure\.parametersRef names ConfigMap 'gateway-options', which is not in namespace 'ai', though the tree holds the ConfigMaps there \(inference-gateway-options\).*the Gateway is not accepted \(Accepted false, reason InvalidParameters\)/,
        ),
      ],
    ]);
    // near misses: the ConfigMap is there; the tree holds none there (made elsewhere, perhaps): a warning
    expect(await treeFindings({ 'gateway.yaml': [gateway('gateway-options'), configMap('gateway-options')].join('---\n') })).toEqual([]);
    expect((await treeFindings({ 'gateway.yaml': gateway('gateway-options') })).map((f) => f[0])).toEqual(['warning']);
  });

  test("a GatewayClass's parametersRef with its namespace; one without names a cluster-scoped object and is not judged", async () => {
    const gatewayClass = (namespace?: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: inference\nspec:\n  controllerName: example.com/gateway\n  parametersRef:\n    group: ""\n    kind: ConfigMap\n    name: class-options\n${namespace ? `    namespace: ${namespace}\n` : ''}`;
    const f = await treeFindings({ 'class.yaml': [gatewayClass('gateway-system'), configMap('other-options', 'gateway-system')].join('---\n') });
    expect(f).toEqual([
      [
        'error',
        'GatewayClass/inference',
        expect.stringMatching(/the GatewayClass is not accepted \(Accepted false, reason InvalidParameters\), and no Gateway of the class is served/),
      ],
    ]);
    expect(await treeFindings({ 'class.yaml': [gatewayClass(), configMap('other-options', 'gateway-system')].join('---\n') })).toEqual([]);
  });
});

describe('gateway-reference-not-found: a close spelling among Services whose manifest gives no namespace', () => {
  test('named as the one meant, with where it lands (it was "the tree holds no Service there")', async () => {
    const policy =
      'apiVersion: networking.gke.io/v1\nkind: HealthCheckPolicy\nmetadata:\n  name: health\n  namespace: default\nspec:\n  targetRef:\n    group: ""\n    kind: Service\n    name: chat-servce\n  default:\n    config:\n      type: HTTP\n';
    const f = await treeFindings({ 'policy.yaml': policy, 'service.yaml': service('chat-service', 'chat', '') });
    expect(f).toEqual([
      [
        'warning',
        'HealthCheckPolicy/default/health',
        expect.stringMatching(
          /the tree's Service 'chat-service' gives no namespace in its manifest, so it goes to the namespace it is applied to .*: name 'chat-service', and apply it to namespace 'default'$/,
        ),
      ],
    ]);
    // near miss: an unlike name is not offered
    const other = await treeFindings({ 'policy.yaml': policy.replace('chat-servce', 'billing'), 'service.yaml': service('chat-service', 'chat', '') });
    expect(other[0][2]).not.toMatch(/chat-service/);
  });
});

describe('gateway-reference-not-found: a picker Service another folder of the repository deploys', () => {
  /** The pool's findings in the folder `demo` of a git work tree holding the files given, as [severity, message]. */
  async function inRepository(files: Record<string, string>): Promise<[string, string][]> {
    const root = writeTree('gateway-repository-', { 'demo/pool.yaml': pool('qwen-chat'), 'demo/server.yaml': modelServer(), ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'demo'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'gateway-reference-not-found' && f.object === 'InferencePool/ai/qwen-chat')
      .map((f) => [f.severity, f.message]);
  }
  const modelServer = () =>
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: qwen-server\n  namespace: ai\nspec:\n  selector:\n    app: qwen-chat\n  ports:\n    - port: 8000\n';
  const picker = (ns?: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: qwen-chat-epp\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  ports:\n    - port: 9002\n`;
  const overlay = (ns: string) => `resources:\n  - ../../base\nnamespace: ${ns}\n`;

  test("in the pool's namespace through the overlay that builds it: a note naming the file, to apply first", async () => {
    const f = await inRepository({
      'deploy/base/kustomization.yaml': 'resources:\n  - picker.yaml\n',
      'deploy/base/picker.yaml': picker(),
      'deploy/overlays/ai/kustomization.yaml': overlay('ai'),
    });
    expect(f).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Service 'qwen-chat-epp' is made outside the checked folder: .*deploy\/base\/picker\.yaml \(line 1\), a manifest of the same repository, deploys it in namespace 'ai'; apply it first\. Without it: spec\.endpointPickerRef names Service 'qwen-chat-epp'/,
        ),
      ],
    ]);
  });

  test("in another namespace its manifest states: named as a copy (kubectl refuses -n against a manifest's namespace); a warning, since the tree does not create namespace ai", async () => {
    const f = await inRepository({ 'deploy/picker.yaml': picker('routing') });
    expect(f).toEqual([
      [
        'warning',
        expect.stringMatching(
          /\(the tree does not create namespace 'ai', so holding some of its Services does not make it their only source: the Service may be made elsewhere, by another folder, repository or install\) \(.*deploy\/picker\.yaml, line 1, deploys a Service 'qwen-chat-epp' in namespace 'routing', which its manifest states\)$/,
        ),
      ],
    ]);
  });

  test("the tree creates namespace ai, as a subfolder of its repository: still a warning, the repository's other folders may make it", async () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai\n';
    const f = await inRepository({ 'demo/namespace.yaml': namespace, 'deploy/picker.yaml': picker('routing') });
    expect(f).toEqual([
      [
        'warning',
        expect.stringMatching(
          /\(the checked folder is a subfolder of its repository, whose other folders \(or another repository\) may make the Service in namespace 'ai'\)/,
        ),
      ],
    ]);
  });

  test('in another namespace a kustomization sets: a warning naming it (it may be applied there too)', async () => {
    const f = await inRepository({
      'deploy/picker.yaml': picker(),
      'deploy/kustomization.yaml': 'namespace: routing\nresources:\n  - picker.yaml\n',
    });
    expect(f).toEqual([
      ['warning', expect.stringMatching(/deploys it in namespace 'routing', not 'ai' \(unless it is applied there too\); apply it first to namespace 'ai'/)],
    ]);
  });

  test("the checked folder's own file that its kustomization leaves out outweighs a copy elsewhere in the repository: the finding stays", async () => {
    const f = await inRepository({
      'demo/kustomization.yaml': 'resources:\n  - pool.yaml\n  - server.yaml\n',
      'demo/picker.yaml': picker('ai'),
      'deploy/picker.yaml': picker('ai'),
    });
    expect(f).toEqual([
      [
        expect.stringMatching(/error|warning/),
        expect.stringMatching(/^spec\.endpointPickerRef names Service 'qwen-chat-epp'.*which no kustomization lists: the build leaves it out/),
      ],
    ]);
  });

  test('near miss: a repository with no Service of that name leaves the finding as it was', async () => {
    const f = await inRepository({ 'deploy/other.yaml': picker('ai').replace('qwen-chat-epp', 'other-epp') });
    expect(f.map(([s, m]) => [s, m.startsWith('spec.endpointPickerRef')])).toEqual([[expect.stringMatching(/error|warning/), true]]);
  });
});

describe('gateway-reference-not-found: a DestinationRule whose host is an InferencePool', () => {
  const objects = (host: string, tls = 'SIMPLE', pickerArgs = ['--pool-name', 'phi', '--pool-namespace', 'edge']) => [
    {
      apiVersion: 'inference.networking.k8s.io/v1',
      kind: 'InferencePool',
      metadata: { name: 'phi', namespace: 'edge' },
      spec: { selector: { matchLabels: { app: 'phi' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'phi-picker', port: { number: 9002 } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'phi-picker', namespace: 'edge' },
      spec: { selector: { app: 'phi-picker' }, ports: [{ port: 9002 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'phi-picker', namespace: 'edge' },
      spec: {
        selector: { matchLabels: { app: 'phi-picker' } },
        template: {
          metadata: { labels: { app: 'phi-picker' } },
          spec: { containers: [{ name: 'epp', image: 'registry.k8s.io/gateway-api-inference-extension/epp:v1.0.0', args: pickerArgs }] },
        },
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'picker-tls', namespace: 'edge' },
      spec: { host, trafficPolicy: { tls: { mode: tls } } },
    },
  ];
  const found = (manifests: object[]) =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0' },
    )
      .filter((f) => f.rule === 'gateway-reference-not-found' && f.object === 'DestinationRule/edge/picker-tls')
      .map((f) => ({ severity: f.severity, message: f.message }));

  test("TLS origination aimed at the pool's name while its picker serves TLS: an error naming the picker's Service", () => {
    const [f, ...rest] = found(objects('phi'));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/spec\.host names 'phi', which is the InferencePool of namespace 'edge', not a Service/);
    expect(f.message).toMatch(/set spec\.host to the picker's Service 'phi-picker'/);
  });

  test('the long form, a picker without TLS or a rule without TLS: a warning', () => {
    expect(found(objects('phi.edge.svc.cluster.local')).map((f) => f.severity)).toEqual(['error']);
    expect(found(objects('phi', 'SIMPLE', ['--pool-name', 'phi', '--secure-serving=false'])).map((f) => f.severity)).toEqual(['warning']);
    expect(found(objects('phi', 'DISABLE')).map((f) => f.severity)).toEqual(['warning']);
  });

  test("near misses: the picker's Service, short or long, and Istio's Service for the pool", () => {
    expect(found(objects('phi-picker'))).toEqual([]);
    expect(found(objects('phi-picker.edge.svc.cluster.local'))).toEqual([]);
    expect(found(objects('phi-ip-7f754d3d'))).toEqual([]);
  });
});

describe('gateway-reference-not-found: a Gateway the Traefik chart makes from its values', () => {
  const routeToGateway = (name: string) =>
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: chat, namespace: ai}\n' +
    `spec:\n  parentRefs:\n    - {name: ${name}, namespace: edge}\n  rules:\n    - backendRefs:\n        - {name: chat, port: 80}\n`;
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: chat, namespace: ai}\nspec:\n  selector: {app: chat}\n  ports: [{port: 80}]\n';
  const fluxRelease = (values: string) =>
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: proxy, namespace: edge}\nspec:\n  interval: 1h\n' +
    `  chart:\n    spec:\n      chart: traefik\n      sourceRef: {kind: HelmRepository, name: traefik}\n  values:\n${values.replace(/^/gm, '    ')}\n`;
  const argoApp = (values: string) =>
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: proxy, namespace: argocd}\nspec:\n  project: default\n' +
    '  destination: {server: "https://kubernetes.default.svc", namespace: edge}\n' +
    `  source:\n    repoURL: https://traefik.github.io/charts\n    chart: traefik\n    targetRevision: 37.1.0\n    helm:\n      values: |\n${values.replace(/^/gm, '        ')}\n`;
  const enabled = (gateway = '') => `providers:\n  kubernetesGateway: {enabled: true}\ngateway:\n${gateway}  listeners:\n    web: {port: 8000, protocol: HTTP}`;
  const findingsOf = (files: Record<string, string>, gateway = 'traefik-gateway') =>
    treeFindings({ 'route.yaml': [routeToGateway(gateway), service].join('---\n'), ...files });

  test("a Flux HelmRelease of the chart with the Gateway provider on makes traefik-gateway in the release's namespace: a note naming the release", async () => {
    const out = await findingsOf({ 'proxy.yaml': fluxRelease(enabled()) });
    expect(out).toEqual([
      [
        'info',
        'HTTPRoute/ai/chat',
        expect.stringMatching(
          /names Gateway 'traefik-gateway' .*not in namespace 'edge' as a manifest: the chart values of HelmRelease\/edge\/proxy .*make it \(the Traefik chart's gateway values\)/,
        ),
      ],
    ]);
  });

  test("an Argo CD Application of the chart installing into the Gateway's namespace, with gateway.name: no warning", async () => {
    const out = await findingsOf({ 'proxy.yaml': argoApp(enabled('  name: public\n')) }, 'public');
    expect(out.filter(([severity]) => severity !== 'info')).toEqual([]);
  });

  test('near miss: gateway.enabled false leaves the warning', async () => {
    const out = await findingsOf({ 'proxy.yaml': fluxRelease(enabled('  enabled: false\n')) });
    expect(out.map(([severity]) => severity)).toEqual(['warning']);
  });

  test("near miss: the chart's Gateway provider left off (its default) makes no Gateway", async () => {
    const out = await findingsOf({ 'proxy.yaml': fluxRelease('gateway:\n  listeners:\n    web: {port: 8000}') });
    expect(out.map(([severity]) => severity)).toEqual(['warning']);
  });

  test('near miss: the chart names its Gateway otherwise', async () => {
    const out = await findingsOf({ 'proxy.yaml': fluxRelease(enabled('  name: internal\n')) });
    expect(out.map(([severity]) => severity)).toEqual(['warning']);
  });

  test('a release of the chart in the tree that takes its values from a ConfigMap (valuesFrom) may make it: no finding', async () => {
    const release = fluxRelease('service: {type: ClusterIP}').replace('  values:\n', '  valuesFrom:\n    - {kind: ConfigMap, name: proxy-values}\n  values:\n');
    expect(await findingsOf({ 'proxy.yaml': release }, 'internal')).toEqual([]);
  });

  test('near miss: a release with values from a ConfigMap into another namespace leaves the warning', async () => {
    const release = fluxRelease('service: {type: ClusterIP}')
      .replace('namespace: edge}', 'namespace: ingress}')
      .replace('  values:\n', '  valuesFrom:\n    - {kind: ConfigMap, name: proxy-values}\n  values:\n');
    const out = await findingsOf({ 'proxy.yaml': release }, 'internal');
    expect(out.map(([severity]) => severity)).toEqual(['warning']);
  });
});

describe("gateway-reference-not-found: kgateway's endpoint picker deployer (<pool>-endpoint-picker)", () => {
  const install = (sets: string, chart = 'oci://cr.kgateway.dev/kgateway-dev/charts/kgateway') =>
    `#!/bin/sh\nset -e\nhelm upgrade --install kgateway ${chart} --version v2.0.3 \\\n  --namespace kgateway-system --create-namespace ${sets}\nkubectl apply -f pool.yaml\n`;
  const tree = (script?: string) => ({
    'pool.yaml': [alphaPool('qwen-chat-endpoint-picker'), modelServer].join('\n---\n'),
    ...(script ? { 'install.sh': script } : {}),
  });

  test('kgateway installed with the extension enabled and auto-provisioning on makes the Service: no finding', async () => {
    expect(await treeFindings(tree(install('--set inferenceExtension.enabled=true --set inferenceExtension.autoProvision=true')))).toEqual([]);
  });

  test('the same switches in a Flux HelmRelease of the chart: no finding', async () => {
    const release = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata: {name: kgateway, namespace: kgateway-system}',
      'spec:',
      '  chart: {spec: {chart: kgateway, version: v2.0.3, sourceRef: {kind: HelmRepository, name: kgateway}}}',
      '  values:',
      '    inferenceExtension: {enabled: true, autoProvision: true}',
    ].join('\n');
    expect(await treeFindings({ ...tree(), 'gateway.yaml': release })).toEqual([]);
  });

  test('the extension enabled without the switch: a warning naming the install and the switch', async () => {
    expect(await treeFindings(tree(install('--set inferenceExtension.enabled=true')))).toEqual([
      [
        'warning',
        'InferencePool/ai/qwen-chat',
        expect.stringMatching(
          /^spec\.extensionRef names Service 'qwen-chat-endpoint-picker', .*install\.sh:3 .*does not set inferenceExtension\.autoProvision.*add --set inferenceExtension\.autoProvision=true/,
        ),
      ],
    ]);
  });

  test('the extension enabled without the switch on a development build (--version v2.0.0-main): its behaviour is not known, a note', async () => {
    const dev = install('--set inferenceExtension.enabled=true').replace('--version v2.0.3', '--version v2.0.0-main');
    expect(await treeFindings(tree(dev))).toEqual([
      [
        'info',
        'InferencePool/ai/qwen-chat',
        expect.stringMatching(
          /^spec\.extensionRef names Service 'qwen-chat-endpoint-picker', .*install\.sh:3 .*installs kgateway's development build v2\.0\.0-main with the inference extension enabled and inferenceExtension\.autoProvision not set;.*add --set inferenceExtension\.autoProvision=true/,
        ),
      ],
    ]);
    // near miss: a release candidate is a release's build, the warning stays
    const rc = install('--set inferenceExtension.enabled=true').replace('--version v2.0.3', '--version v2.1.0-rc.1');
    expect((await treeFindings(tree(rc))).map(([severity]) => severity)).toEqual(['warning']);
  });

  test('near misses: auto-provisioning set off, the CRD chart only, another gateway, or another Service name: the error stays', async () => {
    const errors = async (files: Record<string, string>) => (await treeFindings(files)).map(([severity]) => severity);
    expect(await errors(tree(install('--set inferenceExtension.enabled=true --set inferenceExtension.autoProvision=false')))).toEqual(['error']);
    expect(
      await errors(
        tree(
          install(
            '--set inferenceExtension.enabled=true --set inferenceExtension.autoProvision=true',
            'oci://cr.kgateway.dev/kgateway-dev/charts/kgateway-crds',
          ),
        ),
      ),
    ).toEqual(['error']);
    expect(await errors(tree())).toEqual(['error']);
    const otherName = {
      'pool.yaml': [alphaPool('qwen-chat-epp'), modelServer].join('\n---\n'),
      'install.sh': install('--set inferenceExtension.enabled=true --set inferenceExtension.autoProvision=true'),
    };
    expect(await errors(otherName)).toEqual(['error']);
  });
});

describe('gateway-reference-not-found: the Services of the Argo CD whose Applications the tree holds', () => {
  const argoRoute = (service: string) =>
    [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: console, namespace: argocd}',
      'spec:',
      '  parentRefs: [{name: edge, namespace: argocd}]',
      `  rules: [{backendRefs: [{name: ${service}, port: 80}]}]`,
      '---',
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: Gateway',
      'metadata: {name: edge, namespace: argocd}',
      'spec: {gatewayClassName: gke-l7-global-external-managed, listeners: [{name: http, port: 80, protocol: HTTP}]}',
    ].join('\n');
  const application = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: console-routes, namespace: argocd}',
    'spec:',
    '  project: default',
    '  source: {repoURL: https://git.example.com/platform.git, path: routes, targetRevision: main}',
    '  destination: {server: https://kubernetes.default.svc, namespace: argocd}',
  ].join('\n');

  test("argocd-server in the namespace of an Argo CD Application: made by Argo CD's install, no finding", async () => {
    expect(await treeFindings({ 'routes/route.yaml': argoRoute('argocd-server'), 'apps/app.yaml': application })).toEqual([]);
  });

  test('near misses: no Application in that namespace, or a Service name Argo CD does not install: the warning stays', async () => {
    expect((await treeFindings({ 'routes/route.yaml': argoRoute('argocd-server') })).map(([s]) => s)).toEqual(['warning']);
    expect((await treeFindings({ 'routes/route.yaml': argoRoute('argocd-console'), 'apps/app.yaml': application })).map(([s]) => s)).toEqual(['warning']);
  });
});

describe('gateway-reference-not-found: the Services a tree holds in a namespace it does not create are not all the namespace gets', () => {
  const pickerPool = {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: { name: 'phi', namespace: 'ai' },
    spec: { selector: { matchLabels: { app: 'phi' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'phi-picker', port: { number: 9002 } } },
  };
  const server = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'phi-server', namespace: 'ai' },
    spec: { selector: { app: 'phi' }, ports: [{ port: 8000 }] },
  };
  const judged = (docs: Record<string, unknown>[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve', rules: ['gateway-reference-not-found'] },
    ).map((f) => [f.severity, f.message]);

  test('no Namespace ai in the tree: a warning saying the Service may be made elsewhere (it was an error)', () => {
    expect(judged([pickerPool, server])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.endpointPickerRef names Service 'phi-picker', which is not in namespace 'ai', though the tree holds the Services there \(phi-server\).*\(the tree does not create namespace 'ai', so holding some of its Services does not make it their only source: the Service may be made elsewhere, by another folder, repository or install\)$/,
        ),
      ],
    ]);
  });

  test('still fires: the tree creates namespace ai and is no subfolder of a repository: the error stays', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ai' } };
    expect(judged([namespace, pickerPool, server])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.endpointPickerRef names Service 'phi-picker', which is not in namespace 'ai', though the tree holds the Services there \(phi-server\)/,
        ),
      ],
    ]);
  });
});

describe("gateway-reference-not-found: a Gateway another folder of the repository deploys through a Flux Kustomization's targetNamespace", () => {
  const route =
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: wiki}\n' +
    'spec:\n  parentRefs:\n    - {name: front, namespace: edge}\n  rules:\n    - backendRefs:\n        - {name: wiki, port: 80}\n';
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: wiki}\nspec:\n  selector: {app: wiki}\n  ports: [{port: 80}]\n';
  const gateway =
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: front}\n' +
    'spec:\n  gatewayClassName: cilium\n  listeners:\n    - {name: http, protocol: HTTP, port: 80}\n';
  const flux = (targetNamespace: string, folder: string) =>
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: front-gateway, namespace: flux-system}\n' +
    `spec:\n  targetNamespace: ${targetNamespace}\n  interval: 1h\n  path: ./${folder}\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n`;
  /** The route's findings in the folder apps/wiki of a git work tree holding the files given, as [severity, message]. */
  async function inRepository(files: Record<string, string>): Promise<[string, string][]> {
    const root = writeTree('gateway-flux-target-', {
      'apps/wiki/app/kustomization.yaml': 'resources:\n  - route.yaml\n  - service.yaml\n',
      'apps/wiki/app/route.yaml': route,
      'apps/wiki/app/service.yaml': service,
      ...files,
    });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'apps/wiki/app'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'gateway-reference-not-found')
      .map((f) => [f.severity, f.message]);
  }

  test("the Gateway's manifest gives no namespace and the Flux Kustomization that builds its folder sets targetNamespace: a note, in that namespace", async () => {
    const f = await inRepository({
      'network/front/ks.yaml': flux('edge', 'network/front/app'),
      'network/front/app/kustomization.yaml': 'resources:\n  - gateway.yaml\n',
      'network/front/app/gateway.yaml': gateway,
    });
    expect(f).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Gateway 'front' is made outside the checked folder: .*network\/front\/app\/gateway\.yaml \(line 1\), a manifest of the same repository, deploys it in namespace 'edge'; apply it first\. /,
        ),
      ],
    ]);
  });

  test('a folder without a kustomization file (kustomize-controller generates one of all its files): the same note', async () => {
    const f = await inRepository({ 'network/front/ks.yaml': flux('edge', 'network/front/app'), 'network/front/app/gateway.yaml': gateway });
    expect(f.map(([severity]) => severity)).toEqual(['info']);
  });

  test('a release of the Traefik chart in another folder, placed by targetNamespace, with values from a ConfigMap: a note that it may make the Gateway', async () => {
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: proxy}\nspec:\n  interval: 1h\n' +
      '  chart:\n    spec:\n      chart: traefik\n      sourceRef: {kind: HelmRepository, name: traefik, namespace: flux-system}\n' +
      '  valuesFrom:\n    - {kind: ConfigMap, name: proxy-values}\n';
    const f = await inRepository({ 'network/proxy/ks.yaml': flux('edge', 'network/proxy/app'), 'network/proxy/app/release.yaml': release });
    expect(f).toEqual([
      [
        'info',
        expect.stringMatching(
          /^spec\.parentRefs\[0\] names Gateway 'front' \(group gateway\.networking\.k8s\.io\), which is not in namespace 'edge' as a manifest, and HelmRelease 'proxy' \(.*network\/proxy\/app\/release\.yaml, line 1\) installs the Traefik chart there with values the check does not read \(valuesFrom, valueFiles\): the chart makes a Gateway from its gateway values \(gateway\.name, traefik-gateway by default, with providers\.kubernetesGateway\.enabled\), so it may make this one; unless it does, the route is attached to no listener \(Accepted false, NoMatchingParent\) and receives no traffic$/,
        ),
      ],
    ]);
  });

  test('near miss: the Flux Kustomization places it in another namespace: a warning, as before', async () => {
    const f = await inRepository({ 'network/front/ks.yaml': flux('lan', 'network/front/app'), 'network/front/app/gateway.yaml': gateway });
    expect(f).toEqual([['warning', expect.stringMatching(/deploys it in namespace 'lan', not 'edge' \(unless it is applied there too\)/)]]);
  });
});

describe('gateway-reference-not-found: the route of an app-template release, rendered from its values', () => {
  const fixture = (which: string) =>
    fs.readFileSync(path.join(__dirname, '..', 'rules', 'gateway-reference-not-found', which, 'app-template', 'release.yaml'), 'utf8');

  test("a backendRef by a Service name the release does not render: an error naming the release's Services, and the backendRef's identifier as the fix, not fullnameOverride", async () => {
    const found = await treeRuleFound('gateway-reference-not-found', 'app-template-route-', { 'release.yaml': fixture('fires') });
    expect(found.map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'error',
        'HTTPRoute/chat/webui',
        "spec.rules[0].backendRefs[0] names Service 'webui-main', which is not in namespace 'chat': HelmRelease/chat/webui (chart app-template, release 'webui') makes the Services there (webui), named from the release name as the chart's fullname helper does, and nothing else of the tree delivers there: its traffic has no backend (ResolvedRefs false, BackendNotFound: the gateway answers 500 or 503); write route.main.rules[].backendRefs[].identifier in the release's values instead of the name: the key of one of its Services (main), which the chart resolves to the Service it renders; or name a Service it renders ('webui') (HTTPRoute/chat/webui as rendered from the app-template 4.1.1 values of HelmRelease chat/webui)",
      ],
    ]);
  });

  test('near miss: the backend by the identifier of the Service, which the chart resolves to its rendered name', async () => {
    expect(await treeRuleFound('gateway-reference-not-found', 'app-template-route-', { 'release.yaml': fixture('near-miss') })).toEqual([]);
  });
});

describe("gateway-reference-not-found: the pool and picker a release of the inference extension's inferencepool chart makes", () => {
  const CHART = 'oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool';
  /** The route's findings in the folder `deploy` of a git work tree whose top README installs the chart as given. */
  async function routed(to: string, readme: string): Promise<[string, string][]> {
    const root = writeTree('gateway-pool-release-', { 'deploy/route.yaml': `${route(to)}\n`, 'README.md': readme });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'deploy'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'gateway-reference-not-found')
      .map((f) => [f.severity, f.message]);
  }
  const guide = (release: string, ns = 'ai') => `# Install\n\n\`\`\`sh\nhelm install ${release} -n ${ns} --version v1.0.0 ${CHART}\n\`\`\`\n`;

  test("the repository README's helm install names the release after the pool: the chart makes InferencePool 'ledger-pool', no finding", async () => {
    expect(await routed('ledger-pool', guide('ledger-pool'))).toEqual([]);
  });

  test('near miss: the release makes another pool: the warning names the release and the pool it makes', async () => {
    expect(await routed('ledger-pol', guide('ledger-pool'))).toEqual([
      [
        'warning',
        "spec.rules[0].backendRefs[0] names InferencePool 'ledger-pol' (group inference.networking.k8s.io), which is not in namespace 'ai' (the tree holds no InferencePool there): " +
          'unless it is made outside the tree (a platform or Helm install, another repository), its traffic has no backend (ResolvedRefs false, BackendNotFound: the gateway answers 500); ' +
          "add it, or name one the tree holds (the inference extension's inferencepool chart names the pool after the release and its picker '<release>-epp': " +
          `release 'ledger-pool' at the repository's README.md:4 (\`helm install ledger-pool -n ai --version v1.0.0 ${CHART}\`) makes InferencePool 'ledger-pool')`,
      ],
    ]);
  });

  test("near miss: the release goes to another namespace: it makes no pool in the route's, the warning stays without it", async () => {
    const found = await routed('ledger-pool', guide('ledger-pool', 'other'));
    expect(found.map(([s]) => s)).toEqual(['warning']);
    expect(found[0][1]).not.toMatch(/release 'ledger-pool'/);
  });

  test("the picker Service '<release>-epp' a pool of the folder names is the README release's: no finding", async () => {
    const root = writeTree('gateway-pool-picker-', {
      'deploy/pool.yaml': [alphaPool('ledger-pool-epp'), modelServer].join('\n---\n'),
      'README.md': guide('ledger-pool'),
    });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'deploy'), '--platform', 'kserve', '--json']);
    const found = (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === 'gateway-reference-not-found');
    expect(found).toEqual([]);
  });
});

// stacklok/toolhive cmd/thv-operator/controllers: vmcpServiceName vmcp-<name>, CreateProxyServiceName mcp-<name>-proxy,
// createProxyServiceName mcp-<name>-remote-proxy, in the resource's namespace
describe('gateway-reference-not-found: the Services the ToolHive operator makes', () => {
  const toolhive = (kind: string, name: string) =>
    `apiVersion: toolhive.stacklok.dev/v1beta1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: mcp}\nspec: {}\n`;
  const routeTo = (service: string, port: number) =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: mcp, namespace: mcp}\nspec:\n  rules:\n    - backendRefs: [{name: ${service}, port: ${port}}]\n`;
  const judged = async (files: Record<string, string>) =>
    (await treeRuleFound('gateway-reference-not-found', 'toolhive-route-', files)).map((f) => [f.severity, f.message.split(':')[0]]);

  test.each([
    ['VirtualMCPServer', 'tools', 'vmcp-tools', 4483],
    ['MCPServer', 'fetch', 'mcp-fetch-proxy', 8080],
    ['MCPRemoteProxy', 'notion', 'mcp-notion-remote-proxy', 8080],
  ])('near miss: a backendRef to the Service of a %s of the namespace', async (kind, name, service, port) => {
    expect(await judged({ 'mcp.yaml': toolhive(kind, name), 'route.yaml': routeTo(service, port) })).toEqual([]);
  });

  test('still found: the Service of a resource the tree does not hold beside others of ToolHive, or a name ToolHive does not give', async () => {
    const found = await judged({ 'mcp.yaml': toolhive('VirtualMCPServer', 'tools'), 'route.yaml': routeTo('vmcp-other', 4483) });
    expect(found).toEqual([
      ['warning', "spec.rules[0].backendRefs[0] names Service 'vmcp-other', which is not in namespace 'mcp' (the tree holds no Service there)"],
    ]);
    expect(await judged({ 'mcp.yaml': toolhive('MCPServer', 'fetch'), 'route.yaml': routeTo('fetch-proxy', 8080) })).toHaveLength(1);
  });
});
