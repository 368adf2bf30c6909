import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * The findings of gateway-reference-not-found on a set of manifests: severity and message. The pools of these cases
 * name endpoint pickers the trees do not deploy; their own findings are test/rule-cases/gateway-reference-not-found.ts'.
 */
const judged = (manifests: unknown[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: ['gateway-reference-not-found'] },
  )
    .filter((f) => !f.object.startsWith('InferencePool/'))
    .map((f) => ({ severity: f.severity, object: f.object, message: f.message }));

const route = (spec: Record<string, unknown>, namespace = 'ai') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'llm', namespace },
  spec,
});
const pool = (name: string, group = 'inference.networking.k8s.io', namespace = 'ai') => ({
  apiVersion: `${group}/${group.endsWith('x-k8s.io') ? 'v1alpha2' : 'v1'}`,
  kind: 'InferencePool',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app: name } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: `${name}-epp` } },
});
const gateway = (name: string, namespace = 'ai') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
});
const toPool = (name: string, group = 'inference.networking.k8s.io') => ({
  parentRefs: [{ name: 'gw' }],
  rules: [{ backendRefs: [{ group, kind: 'InferencePool', name }] }],
});

describe('gateway-reference-not-found', () => {
  test('a backendRef to an InferencePool the namespace lacks, beside another pool: an error naming the close spelling', () => {
    expect(judged([gateway('gw'), pool('qwen-7b'), pool('llama-8b'), route(toPool('llama-7b'))])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /names InferencePool 'llama-7b'.*holds the InferencePools there \(llama-8b, qwen-7b\).*name 'llama-8b' \(a close spelling of it\)/,
        ),
      }),
    ]);
  });

  test('the pool of the right name in the other API group: the group is named, not the name', () => {
    const found = judged([gateway('gw'), pool('llama-8b', 'inference.networking.x-k8s.io'), route(toPool('llama-8b'))]);
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/is in group inference.networking.x-k8s.io.*Set group: inference.networking.x-k8s.io/),
      }),
    ]);
  });

  test("no pool of the namespace in the tree, or a Gateway other than the tree's (shared Gateways are installed apart): warnings", () => {
    expect(judged([gateway('gw'), route(toPool('llama-8b'))])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/the tree holds no InferencePool there/) }),
    ]);
    const elsewhere = judged([gateway('tree-gw'), pool('llama-8b'), route(toPool('llama-8b'))]);
    expect(elsewhere).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/names Gateway 'gw'.*the tree's Gateways there are tree-gw/) }),
    ]);
  });

  test('near misses: a found pool, a Gateway of another namespace named by the reference, a templated name, a kind not judged', () => {
    expect(judged([gateway('gw'), pool('llama-8b'), route(toPool('llama-8b'))])).toEqual([]);
    expect(judged([gateway('gw', 'infra'), pool('llama-8b'), route({ ...toPool('llama-8b'), parentRefs: [{ name: 'gw', namespace: 'infra' }] })])).toEqual([]);
    expect(judged([gateway('gw'), pool('llama-8b'), route(toPool('{{ .Values.pool }}'))])).toEqual([]);
    expect(
      judged([
        gateway('gw'),
        pool('llama-8b'),
        route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'x' }] }] }),
      ]),
    ).toEqual([]);
  });

  test("a DestinationRule host: a short name or the Service's cluster name is judged, an external host is not", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'epp', namespace: 'ai' }, spec: { ports: [{ port: 9002 }] } };
    const rule = (host: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'tls', namespace: 'ai' },
      spec: { host },
    });
    // Istio refuses no rule whose host matches nothing: the traffic flows without its policy, a warning
    expect(judged([service, rule('epp-old')])).toEqual([
      // 'epp' is no close spelling of 'epp-old': the Services are listed, none is named for it
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /spec.host names Service 'epp-old'.*holds the Services there \(epp\).*name the Service it means \(none of the tree's is a close spelling/,
        ),
      }),
    ]);
    expect(judged([service, rule('epp-old.ai.svc.cluster.local')]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([service, rule('epp.ai.svc.cluster.local'), rule('epp'), rule('api.example.com'), rule('*.ai.svc.cluster.local')])).toEqual([]);
  });

  test("a DestinationRule host of an InferencePool's Istio shadow Service: <pool>-ip-<sha256 of the name, 8 hex digits>, cut to 63 characters", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'infpool-gen-epp', namespace: 'ai' }, spec: { ports: [{ port: 9002 }] } };
    const rule = (host: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'backend', namespace: 'ai' },
      spec: { host },
    });
    // the hashes as `printf %s <name> | sha256sum` gives them
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip-6580eb2c')])).toEqual([]);
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip-6580eb2c.ai.svc.cluster.local')])).toEqual([]);
    const long = 'tms-wide-ep-1p-ep8-1d-ep8-decode-and-prefill-infpool-gen'; // 56 characters: cut to 51 before -ip-
    expect(judged([service, pool(long), rule(`${long.slice(0, 51)}-ip-c768a2aa`)])).toEqual([]);
    // the pool's name with -ip but no hash: not the Service Istio makes, told its name, a warning
    expect(judged([service, pool('infpool-gen'), rule('infpool-gen-ip')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/Istio makes the Service 'infpool-gen-ip-6580eb2c'/) }),
    ]);
    // near miss: a pool of another namespace makes no Service here
    expect(judged([service, pool('infpool-gen', 'inference.networking.k8s.io', 'other'), rule('infpool-gen-ip-6580eb2c')]).map((f) => f.severity)).toEqual([
      'warning',
    ]);
  });
});

/** The findings of gateway-reference-not-found on a tree read as the CLI reads it (its scripts and READMEs too): severity and object. */
function judgedTree(files: Record<string, string>): { severity: string; object: string; message: string }[] {
  const { manifests, scriptApplied } = readManifests([writeTree('gateway-references.', files)]);
  return runChecks(manifests, { rules: ['gateway-reference-not-found'], scriptApplied })
    .filter((f) => !f.object.startsWith('InferencePool/'))
    .map((f) => ({
      severity: f.severity,
      object: f.object,
      message: f.message,
    }));
}

const yamlPool = (name: string) =>
  `apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: ${name}\n  namespace: ai\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  targetPorts:\n    - number: 8000\n  endpointPickerRef:\n    name: ${name}-epp\n`;
const yamlRoute = (name: string, toPoolNamed: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: ai\nspec:\n  rules:\n    - backendRefs:\n        - group: inference.networking.k8s.io\n          kind: InferencePool\n          name: ${toPoolNamed}\n`;

describe('gateway-reference-not-found: an InferencePool judged against the pools delivered with the route', () => {
  test("a folder of rendered examples, each file its own release: a route to a pool another example's file makes is a warning, not an error", () => {
    const files = {
      'examples/output-sim.yaml': `${yamlPool('sim-pool')}---\n${yamlRoute('sim', 'sim-pool')}`,
      'examples/output-big.yaml': yamlRoute('big', 'shared-pd-pool'),
      'examples/README.md': '# Examples\n\n```\nhelm install big some/chart -f values-big.yaml\n```\n',
    };
    expect(judgedTree(files)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'HTTPRoute/ai/big',
        message: expect.stringMatching(/names InferencePool 'shared-pd-pool'.*InferencePools there are sim-pool, each applied apart from it/),
      }),
    ]);
    // near miss: the route's own file makes a pool there, so the pool it names is one of a closed set
    const same = { ...files, 'examples/output-big.yaml': `${yamlPool('big-pool')}---\n${yamlRoute('big', 'shared-pd-pool')}` };
    expect(judgedTree(same)).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'HTTPRoute/ai/big',
        message: expect.stringMatching(/\(big-pool\).*name the InferencePool it means \(none of the tree's is a close spelling of 'shared-pd-pool'/),
      }),
    ]);
  });

  test('a script that applies the pools and the route of an example together, the route in a variant folder beside them: an error', () => {
    const files = {
      'configs/pool.yaml': yamlPool('llama-1b'),
      'configs/route.yaml': yamlRoute('llm', 'llama-1b'),
      'configs/gateway/gke/route.yaml': yamlRoute('llm', 'llama-8b'),
      'install.sh': '#!/bin/bash\nkubectl apply -f configs/pool.yaml\nkubectl apply -f configs/route.yaml\n',
    };
    expect(judgedTree(files)).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/names InferencePool 'llama-8b'.*applied with it/) }),
    ]);
    // near miss: without the script, the variant's file and the pool's are two deliveries: a warning
    const { 'install.sh': _script, ...unscripted } = files;
    expect(judgedTree(unscripted).map((f) => f.severity)).toEqual(['warning']);
  });

  test("a README of the example's folder applying its base file: an add-on route file beside it comes with that example, an error", () => {
    const files = {
      'example/base.yaml': yamlPool('mistral'),
      'example/httproute.yaml': yamlRoute('with-route', 'llama-8b'),
      'example/README.md': '# Example\n\n```bash\nkubectl apply -f base.yaml\n```\n',
    };
    expect(judgedTree(files)).toEqual([expect.objectContaining({ severity: 'error', object: 'HTTPRoute/ai/with-route' })]);
    // near miss: a README that applies nothing of the folder ties nothing
    expect(judgedTree({ ...files, 'example/README.md': '# Example\n\nSee the chart.\n' }).map((f) => f.severity)).toEqual(['warning']);
  });
});

const yamlClass = (name: string, controller: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: ${name}\nspec:\n  controllerName: ${controller}\n`;
const yamlGateway = (className: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: inference\n  namespace: openshift-ingress\nspec:\n  gatewayClassName: ${className}\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n`;
const yamlIstio = 'apiVersion: sailoperator.io/v1\nkind: Istio\nmetadata:\n  name: default\nspec:\n  namespace: istio-system\n';
const OPENSHIFT = 'openshift.io/gateway-controller/v1';

describe("gateway-reference-not-found: a Gateway's gatewayClassName", () => {
  test("istiod's class beside OpenShift's class delivered with it, and no Istio installed with it: an error naming the tree's class", () => {
    expect(judgedTree({ 'gw.yaml': `${yamlClass('openshift-default', OPENSHIFT)}---\n${yamlGateway('istio')}` })).toEqual([
      {
        severity: 'error',
        object: 'Gateway/openshift-ingress/inference',
        message: expect.stringMatching(
          /^spec.gatewayClassName names GatewayClass 'istio', which the tree does not define; it defines 'openshift-default' \(controller openshift\.io\/gateway-controller\/v1\): .*creates no 'istio' class.*Set gatewayClassName: openshift-default$/,
        ),
      },
    ]);
  });

  test("an Istio install delivered elsewhere in the tree is named, and the class is still absent from the Gateway's delivery", () => {
    const files = { 'gw.yaml': `${yamlClass('openshift-default', OPENSHIFT)}---\n${yamlGateway('istio')}`, 'older/sail.yaml': yamlIstio };
    expect(judgedTree(files)).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/Istio\/default comes in another delivery/) }),
    ]);
  });

  test('a class nobody is known to create, beside the tree’s other classes: a warning', () => {
    expect(judgedTree({ 'gw.yaml': `${yamlClass('internal', 'example.com/gateway')}---\n${yamlGateway('external')}` })).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/names GatewayClass 'external'.*unless it is created outside the tree/) }),
    ]);
  });

  test('near misses: the class defined, no class in the tree, an Istio installed with the Gateway, a platform class, a class of another controller', () => {
    expect(judgedTree({ 'gw.yaml': `${yamlClass('openshift-default', OPENSHIFT)}---\n${yamlGateway('openshift-default')}` })).toEqual([]);
    expect(judgedTree({ 'gw.yaml': yamlGateway('istio') })).toEqual([]);
    expect(judgedTree({ 'gw.yaml': `${yamlClass('openshift-default', OPENSHIFT)}---\n${yamlIstio}---\n${yamlGateway('istio')}` })).toEqual([]);
    expect(judgedTree({ 'gw.yaml': `${yamlClass('internal', 'example.com/gateway')}---\n${yamlGateway('gke-l7-regional-external-managed')}` })).toEqual([]);
    expect(judgedTree({ 'gw.yaml': `${yamlClass('internal', 'example.com/gateway')}---\n${yamlGateway('istio')}` })).toEqual([]);
    // OpenShift's class applied apart from the Gateway (another file, no build joining them): not the Gateway's own path
    expect(judgedTree({ 'a/class.yaml': yamlClass('openshift-default', OPENSHIFT), 'b/gw.yaml': yamlGateway('istio') })).toEqual([]);
  });
});
