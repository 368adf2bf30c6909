import { Finding, runChecks } from '../../lib';
import type { Platform } from '../../lib/check/platform';

const RULE = 'network-policy-blocks-connection';

function findings(manifests: any[], platform: Platform = 'rhoai-3.0'): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform, rules: [RULE] },
  ).filter((f) => f.rule === RULE);
}

/** A Deployment in a namespace whose pods carry `app: <name>`, with container ports and env. */
function deployment(
  name: string,
  namespace: string,
  opts: { ports?: any[]; env?: any[]; args?: string[]; labels?: Record<string, string>; pod?: any } = {},
): any {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...opts.pod,
          containers: [
            { name: 'main', image: 'registry.example.com/app:1.0', ...(opts.args ? { args: opts.args } : {}), env: opts.env ?? [], ports: opts.ports ?? [] },
          ],
        },
      },
    },
  };
}

function service(name: string, namespace: string, ports: any[], selector: Record<string, string> = { app: name }): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports } };
}

function policy(name: string, namespace: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const denyIngress = (ns: string) => policy('deny-ingress', ns, { podSelector: {}, policyTypes: ['Ingress'] });
const fromNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

/** An S3 store in namespace store, port 9000 named s3. */
const STORE = [deployment('store', 'store', { ports: [{ name: 's3', containerPort: 9000 }] }), service('store', 'store', [{ port: 9000, targetPort: 's3' }])];

/** A client in namespace apps whose env names the store. */
const client = (env = [{ name: 'S3_URL', value: 'http://store.store.svc:9000' }]) => deployment('client', 'apps', { env });

describe('network-policy-blocks-connection', () => {
  test("a client named in the env of another namespace's Service, admitted by no policy there: an error naming both ends, the policies and the peer to add", () => {
    const only = policy('only-predictor', 'store', { podSelector: {}, ingress: [{ from: [fromNamespace('predictor')], ports: [{ port: 9000 }] }] });
    expect(findings([...STORE, denyIngress('store'), only, client()])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Deployment/apps/client',
        message: expect.stringMatching(
          /env S3_URL names store\.store\.svc:9000, a connection from Deployment\/apps\/client to Service\/store\/store, but NetworkPolicies 'deny-ingress', 'only-predictor' select Deployment\/store\/store's pods for ingress .* none admits Deployment\/apps\/client on 9000\/TCP.*from \{namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: apps\}\}, podSelector: \{matchLabels: \{app: client\}\}\}/,
        ),
      }),
    ]);
    // the fix: the client's namespace admitted by its automatic name label
    const fixed = policy('from-apps', 'store', { podSelector: {}, ingress: [{ from: [fromNamespace('apps')], ports: [{ port: 9000 }] }] });
    expect(findings([...STORE, denyIngress('store'), only, fixed, client()])).toEqual([]);
  });

  test('silent where no policy isolates the server for ingress (an Egress-only policy there), or the server is reached some other way', () => {
    const egressOnly = policy('egress-only', 'store', { podSelector: {}, policyTypes: ['Egress'] });
    expect(findings([...STORE, egressOnly, client()])).toEqual([]);
    expect(findings([...STORE, client()])).toEqual([]);
    // an allow without ports, or with an empty from, admits everyone
    expect(findings([...STORE, denyIngress('store'), policy('all', 'store', { podSelector: {}, ingress: [{}] }), client()])).toEqual([]);
    // a URL naming a port the Service does not have is another rule's
    expect(findings([...STORE, denyIngress('store'), client([{ name: 'S3_URL', value: 'http://store.store.svc:9999' }])])).toEqual([]);
  });

  test('a client of the same namespace admitted by `podSelector: {}`, and not by a namespaceSelector of another namespace', () => {
    const upstream = [deployment('tracking', 'ml', { ports: [{ containerPort: 5000 }] }), service('tracking', 'ml', [{ port: 5000 }])];
    const proxy = deployment('proxy', 'ml', { args: ['--upstream=http://tracking:5000', '--http-address=:4180'] });
    const onlyPredictor = policy('only-predictor', 'ml', { podSelector: {}, ingress: [{ from: [fromNamespace('predictor')], ports: [{ port: 5000 }] }] });
    expect(findings([...upstream, proxy, denyIngress('ml'), onlyPredictor])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Deployment/ml/proxy',
        message: expect.stringMatching(/command names tracking:5000.* from \{podSelector: \{matchLabels: \{app: proxy\}\}\} on 5000\/TCP/),
      }),
    ]);
    const sameNamespace = policy('same-namespace', 'ml', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(findings([...upstream, proxy, denyIngress('ml'), onlyPredictor, sameNamespace])).toEqual([]);
    // a namespaceSelector written null is one left out: the policy's own namespace
    const nullNamespace = policy('same-namespace', 'ml', { podSelector: {}, ingress: [{ from: [{ podSelector: {}, namespaceSelector: null }] }] });
    expect(findings([...upstream, proxy, denyIngress('ml'), onlyPredictor, nullNamespace])).toEqual([]);
    // a client without a namespace may be applied elsewhere: a warning
    const loose = {
      ...proxy,
      metadata: { name: 'proxy' },
      spec: {
        ...proxy.spec,
        template: {
          ...proxy.spec.template,
          spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1.0', args: ['--upstream=http://tracking.ml.svc:5000'] }] },
        },
      },
    };
    expect(findings([...upstream, loose, denyIngress('ml'), sameNamespace])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/the namespace of Deployment\/proxy is not known/) }),
    ]);
  });

  test("ports are the pod's after the Service's targetPort: a named policy port matches the container port of that name", () => {
    const server = [
      deployment('api', 'svc', {
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090 },
        ],
      }),
      service('api', 'svc', [{ port: 80, targetPort: 'http' }]),
    ];
    const caller = deployment('caller', 'svc', { env: [{ name: 'API', value: 'http://api' }] });
    const byName = (port: string | number) => policy('by-port', 'svc', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port }] }] });
    expect(findings([...server, caller, byName('http')])).toEqual([]);
    expect(findings([...server, caller, byName(8080)])).toEqual([]);
    // the Service's port 80 is not the pod's: a policy for 80 admits nothing here
    expect(findings([...server, caller, byName(80)])).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/on 8080\/TCP/) })]);
    expect(findings([...server, caller, byName('metrics')])).toEqual([expect.objectContaining({ severity: 'error' })]);
    // UDP is another protocol
    const udp = policy('by-port', 'svc', { podSelector: {}, ingress: [{ ports: [{ port: 8080, protocol: 'UDP' }] }] });
    expect(findings([...server, caller, udp])).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  test("Kubernetes' e2e case: ingress from namespace y only, on the named port serve-80-tcp of pod a in namespace x", () => {
    // test/e2e/network/netpol/network_policy.go, "should allow ingress access from namespace on one named port"
    const namespaces = ['x', 'y', 'z'].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { ns: n } } }));
    const a = deployment('a', 'x', {
      labels: { pod: 'a' },
      ports: [
        { name: 'serve-80-tcp', containerPort: 80 },
        { name: 'serve-81-tcp', containerPort: 81 },
      ],
    });
    const svc = service(
      's-x-a',
      'x',
      [
        { name: 'p80', port: 80 },
        { name: 'p81', port: 81 },
      ],
      { pod: 'a' },
    );
    const allow = policy('allow-client-a-via-ns-selector-80', 'x', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }] }],
    });
    const caller = (ns: string, port: number) =>
      deployment(`c-${port}`, ns, { labels: { pod: `c-${port}` }, env: [{ name: 'TARGET', value: `http://s-x-a.x.svc:${port}` }] });
    const by = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.object}`).sort();
    expect(by(findings([...namespaces, a, svc, allow, caller('y', 80), caller('y', 81), caller('z', 80), caller('x', 80)]))).toEqual([
      'error Deployment/x/c-80',
      'error Deployment/y/c-81',
      'error Deployment/z/c-80',
    ]);
  });

  test("a namespace's labels: a Namespace of the tree decides, one the tree does not create leaves a label unknown (a warning)", () => {
    const byTeam = policy('by-team', 'store', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'data' } } }] }] });
    expect(findings([...STORE, denyIngress('store'), byTeam, client()])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/unless NetworkPolicy 'by-team' may admit it \(namespace apps may carry a team label the tree does not show\)/),
      }),
    ]);
    const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels } });
    expect(findings([...STORE, denyIngress('store'), byTeam, client(), ns({ team: 'data' })])).toEqual([]);
    expect(findings([...STORE, denyIngress('store'), byTeam, client(), ns({ team: 'web' })])).toEqual([expect.objectContaining({ severity: 'error' })]);
    // an Argo CD Application that creates the namespace with managedNamespaceMetadata labels it too
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'apps', namespace: 'argocd' },
      spec: {
        destination: { namespace: 'apps', server: 'https://kubernetes.default.svc' },
        source: { repoURL: 'https://git.example.com/apps.git', path: 'apps', targetRevision: 'main' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'data' } } },
      },
    };
    expect(findings([...STORE, denyIngress('store'), byTeam, client(), app])).toEqual([]);
  });

  test('an ipBlock peer, or Cilium policies in the tree, make it a warning', () => {
    const cidr = policy('cidr', 'store', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.128.0.0/14' } }] }] });
    expect(findings([...STORE, denyIngress('store'), cidr, client()])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/ipBlock peer/) }),
    ]);
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'l7', namespace: 'store' }, spec: {} };
    expect(findings([...STORE, denyIngress('store'), client(), cilium])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/CiliumNetworkPolicy may allow it/) }),
    ]);
  });

  test("the client's egress: a policy of its namespace that selects it for Egress must let it reach the server's pods", () => {
    const denyEgress = policy('deny-egress', 'apps', { podSelector: {}, policyTypes: ['Egress'] });
    expect(findings([...STORE, client(), denyEgress])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /NetworkPolicy 'deny-egress' selects Deployment\/apps\/client's pods for egress .*add an egress rule to \{namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: store\}\}, podSelector: \{matchLabels: \{app: store\}\}\} on 9000\/TCP/,
        ),
      }),
    ]);
    const toStore = policy('to-store', 'apps', {
      podSelector: { matchLabels: { app: 'client' } },
      egress: [{ to: [{ ...fromNamespace('store'), podSelector: { matchLabels: { app: 'store' } } }], ports: [{ port: 's3' }] }],
    });
    expect(findings([...STORE, client(), denyEgress, toStore])).toEqual([]);
  });

  test("an InferenceService's storage endpoint, from its predictor pod: a storage-config entry, a connection, or its ServiceAccount's Secret", () => {
    const only = policy('only-predictor', 'store', { podSelector: {}, ingress: [{ from: [fromNamespace('predictor')] }] });
    const isvc = (storage: any, extra: any = {}) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'ranker', namespace: 'serving', ...extra },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, ...storage } } },
    });
    const storageConfig = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'storage-config', namespace: 'serving' },
      stringData: { store: JSON.stringify({ type: 's3', endpoint_url: 'http://store.store.svc:9000', bucket: 'models' }) },
    };
    expect(findings([...STORE, denyIngress('store'), only, storageConfig, isvc({ storage: { key: 'store', path: 'ranker' } })])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'InferenceService/serving/ranker',
        message: expect.stringMatching(
          /the storage initializer \(the endpoint_url of key 'store' of Secret storage-config\) downloads from store\.store\.svc:9000.*serving\.kserve\.io\/inferenceservice: ranker/,
        ),
      }),
    ]);
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'loader', namespace: 'serving' }, secrets: [{ name: 's3' }] };
    const s3 = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's3',
        namespace: 'serving',
        annotations: { 'serving.kserve.io/s3-endpoint': 'store.store.svc:9000', 'serving.kserve.io/s3-usehttps': '0' },
      },
      stringData: { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' },
    };
    const byAccount = isvc({ storageUri: 's3://models/ranker' });
    byAccount.spec.predictor = { ...byAccount.spec.predictor, serviceAccountName: 'loader' } as any;
    expect(findings([...STORE, denyIngress('store'), only, account, s3, byAccount], 'kserve')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/serving\.kserve\.io\/s3-endpoint of Secret s3/) }),
    ]);
    // a policy admitting the predictor pods by KServe's label, from the service's namespace
    const admits = policy('from-ranker', 'store', {
      podSelector: {},
      ingress: [{ from: [{ ...fromNamespace('serving'), podSelector: { matchLabels: { 'serving.kserve.io/inferenceservice': 'ranker' } } }] }],
    });
    expect(findings([...STORE, denyIngress('store'), only, admits, storageConfig, isvc({ storage: { key: 'store', path: 'ranker' } })])).toEqual([]);
  });

  test("a Route to a Deployment delivered with replicas: 0 that nothing scales: the router's cut is a latent warning naming it; with an HPA an error", () => {
    const idle = deployment('web', 'ui', { ports: [{ containerPort: 8080 }] });
    idle.spec.replicas = 0;
    const route = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'web', namespace: 'ui' },
      spec: { to: { kind: 'Service', name: 'web' }, port: { targetPort: 'http' } },
    };
    const web = [idle, service('web', 'ui', [{ name: 'http', port: 80, targetPort: 8080 }]), route, denyIngress('ui')];
    expect(findings(web)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'Route/ui/web',
        message: expect.stringMatching(
          / \(latent: Deployment\/ui\/web, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
        ),
      }),
    ]);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'ui' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 2 },
    };
    expect(findings([...web, hpa]).map((f) => f.severity)).toEqual(['error']);
  });

  test('a Route from the OpenShift router: the policy group label admits it; a Service on the router is judged off OpenShift as an unknown controller', () => {
    const web = [deployment('web', 'ui', { ports: [{ containerPort: 8080 }] }), service('web', 'ui', [{ name: 'http', port: 80, targetPort: 8080 }])];
    const route = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'web', namespace: 'ui' },
      spec: { to: { kind: 'Service', name: 'web' }, port: { targetPort: 'http' } },
    };
    expect(findings([...web, route, denyIngress('ui')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Route/ui/web',
        message: expect.stringMatching(
          /the OpenShift router .* on 8080\/TCP.*\{namespaceSelector: \{matchLabels: \{network\.openshift\.io\/policy-group: ingress\}\}\}/,
        ),
      }),
    ]);
    const router = policy('from-router', 'ui', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'network.openshift.io/policy-group': 'ingress' } } }] }],
    });
    expect(findings([...web, route, denyIngress('ui'), router])).toEqual([]);
    // the same namespace only: the router is elsewhere
    const same = policy('same', 'ui', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(findings([...web, route, denyIngress('ui'), same])).toEqual([expect.objectContaining({ severity: 'error' })]);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'ui' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    };
    // off OpenShift nothing admits the controller under a deny-all; an allow of one namespace by a label cannot be decided
    expect(findings([...web, ingress, denyIngress('ui')], 'kserve')).toEqual([expect.objectContaining({ severity: 'error', object: 'Ingress/ui/web' })]);
    const nginx = policy('from-nginx', 'ui', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }],
    });
    // class nginx: the controller is in ingress-nginx, where ingress-nginx's manifests and chart install it
    expect(findings([...web, ingress, denyIngress('ui'), nginx], 'kserve')).toEqual([]);
    // another class: its controller's namespace is unknown, and the allow of one namespace cannot be decided
    const contour = { ...ingress, spec: { ...ingress.spec, ingressClassName: 'contour' } };
    expect(findings([...web, contour, denyIngress('ui'), nginx], 'kserve')).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });

  test('an Ingress of class nginx, traefik or haproxy: its controller is taken to be in the namespace its install instructions use', () => {
    const web = [deployment('web', 'ui', { ports: [{ containerPort: 8080 }] }), service('web', 'ui', [{ name: 'http', port: 80, targetPort: 8080 }])];
    const ingress = (cls: { ingressClassName?: string; annotation?: string }) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'ui', ...(cls.annotation ? { annotations: { 'kubernetes.io/ingress.class': cls.annotation } } : {}) },
      spec: {
        ...(cls.ingressClassName ? { ingressClassName: cls.ingressClassName } : {}),
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    });
    const admit = (ns: string) => policy(`from-${ns}`, 'ui', { podSelector: {}, ingress: [{ from: [fromNamespace(ns)], ports: [{ port: 8080 }] }] });
    expect(findings([...web, ingress({ annotation: 'traefik' }), denyIngress('ui'), admit('traefik')], 'kserve')).toEqual([]);
    expect(findings([...web, ingress({ ingressClassName: 'haproxy' }), denyIngress('ui'), admit('haproxy-controller')], 'kserve')).toEqual([]);
    // the policy admits another namespace: a warning, as the controller may be installed elsewhere
    expect(findings([...web, ingress({ ingressClassName: 'nginx' }), denyIngress('ui'), admit('monitoring')], 'kserve')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'Ingress/ui/web',
        message: expect.stringMatching(
          /the ingress controller of class nginx \(namespace ingress-nginx, where its install instructions put it\).*\(unless the nginx controller is installed in another namespace than ingress-nginx\); add to a policy selecting those pods an ingress rule from \{namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: ingress-nginx\}\}\} on 8080\/TCP$/,
        ),
      }),
    ]);
    // the right namespace on another port: the port decides, wherever the controller is
    const otherPort = policy('from-nginx', 'ui', { podSelector: {}, ingress: [{ from: [fromNamespace('ingress-nginx')], ports: [{ port: 9090 }] }] });
    expect(findings([...web, ingress({ ingressClassName: 'nginx' }), denyIngress('ui'), otherPort], 'kserve').map((f) => f.severity)).toEqual(['error']);
  });

  test("a ConfigMap the pod reads, a chart release's values and a CloudNativePG Service are connections too", () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'apps' },
      data: { 'app.yaml': 'storage:\n  address: store.store.svc:9000\n' },
    };
    const reader = deployment('reader', 'apps', { pod: { volumes: [{ name: 'settings', configMap: { name: 'settings' } }] } });
    reader.spec.template.spec.containers[0].volumeMounts = [{ name: 'settings', mountPath: '/etc/app' }];
    expect(findings([...STORE, denyIngress('store'), config, reader])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/ConfigMap settings key app\.yaml .* names store\.store\.svc:9000/) }),
    ]);
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'data' }, spec: { instances: 1 } };
    const chart = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'tracker', namespace: 'argocd' },
      spec: {
        destination: { namespace: 'apps', server: 'https://kubernetes.default.svc' },
        source: {
          repoURL: 'https://charts.example.com',
          chart: 'tracker',
          targetRevision: '1.0.0',
          helm: { values: 'database:\n  host: db-rw.data.svc\n  port: 5432\n' },
        },
      },
    };
    expect(findings([cluster, chart, denyIngress('data')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Application/argocd/tracker',
        message: expect.stringMatching(
          /values\.database\.host names db-rw\.data\.svc.*Service data\/db-rw \(made by CloudNativePG for Cluster\/data\/db\).* on 5432\/TCP/,
        ),
      }),
    ]);
    // a Service of another chart release of the tree, its pods unknown: a namespace-wide policy decides
    const store = {
      ...chart,
      metadata: { name: 'store', namespace: 'argocd' },
      spec: {
        ...chart.spec,
        destination: { ...chart.spec.destination, namespace: 'store' },
        source: { repoURL: 'https://charts.example.com', chart: 'store', targetRevision: '1.0.0' },
      },
    };
    const user = deployment('user', 'apps', { env: [{ name: 'STORE', value: 'http://store.store.svc:9000' }] });
    expect(findings([store, user, denyIngress('store')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/Service store\/store \(not in the tree; chart store, release store of Application\/argocd\/store/),
      }),
    ]);
  });

  test('not judged: a pod on the host network, a pod reaching its own Service, a Service without a selector', () => {
    const hosted = deployment('client', 'apps', { env: [{ name: 'S3_URL', value: 'http://store.store.svc:9000' }], pod: { hostNetwork: true } });
    expect(findings([...STORE, denyIngress('store'), hosted])).toEqual([]);
    const self = deployment('store', 'store', { ports: [{ name: 's3', containerPort: 9000 }], env: [{ name: 'SELF', value: 'http://store:9000' }] });
    expect(findings([self, STORE[1], denyIngress('store')])).toEqual([]);
    const bare = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'store', namespace: 'store' }, spec: { ports: [{ port: 9000 }] } };
    expect(findings([bare, denyIngress('store'), client()])).toEqual([]);
  });

  describe('the OpenShift router as a peer', () => {
    const fromRouter = (label: Record<string, string>) =>
      policy('from-router', 'llm', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: label } }] }] });
    const sameNamespace = policy('same-namespace', 'llm', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    /** A raw-deployment InferenceService with a custom container on port 8080, exposed by OpenShift AI's Route where labelled. */
    const isvc = (labels: Record<string, string> = { 'networking.kserve.io/visibility': 'exposed' }, annotations: Record<string, string> = {}) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'llm', labels, annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment', ...annotations } },
      spec: {
        predictor: { containers: [{ name: 'kserve-container', image: 'registry.example.com/server:1.0', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
      },
    });

    test('an exposed raw-deployment InferenceService whose namespace admits its own pods only: the Route OpenShift AI makes is cut (an error naming the peer)', () => {
      expect(findings([isvc(), sameNamespace])).toEqual([
        expect.objectContaining({
          severity: 'error',
          object: 'InferenceService/llm/granite',
          message: expect.stringMatching(
            /^the Route OpenShift AI makes for the InferenceService \(networking\.kserve\.io\/visibility: exposed, raw deployment\) sends the router's traffic to its predictor Service, a connection from the OpenShift router \(namespace openshift-ingress\) to Service llm\/granite-predictor \(made by KServe for InferenceService\/llm\/granite\), but NetworkPolicy 'same-namespace' selects the pods behind it for ingress in namespace llm and none admits the OpenShift router \(namespace openshift-ingress\) on 8080\/TCP: .*an ingress rule from \{namespaceSelector: \{matchLabels: \{network\.openshift\.io\/policy-group: ingress\}\}\}/,
          ),
        }),
      ]);
    });

    test("near misses: either ingress group label admits the router; a service not exposed; OpenShift AI's auth proxy takes the port; off OpenShift", () => {
      expect(findings([isvc(), sameNamespace, fromRouter({ 'policy-group.network.openshift.io/ingress': '' })])).toEqual([]);
      expect(findings([isvc(), sameNamespace, fromRouter({ 'network.openshift.io/policy-group': 'ingress' })])).toEqual([]);
      expect(findings([isvc({}), sameNamespace])).toEqual([]);
      expect(findings([isvc(undefined, { 'security.opendatahub.io/enable-auth': 'true' }), sameNamespace])).toEqual([]);
      expect(findings([isvc(), sameNamespace], 'kserve')).toEqual([]);
    });

    test('a default IngressController published on the host network: the ingress group no longer admits the router, the host-network group does', () => {
      const hostNetwork = {
        apiVersion: 'operator.openshift.io/v1',
        kind: 'IngressController',
        metadata: { name: 'default', namespace: 'openshift-ingress-operator' },
        spec: { endpointPublishingStrategy: { type: 'HostNetwork' } },
      };
      const byIngressGroup = [isvc(), sameNamespace, fromRouter({ 'policy-group.network.openshift.io/ingress': '' }), hostNetwork];
      expect(findings(byIngressGroup)).toEqual([
        expect.objectContaining({
          object: 'InferenceService/llm/granite',
          message: expect.stringMatching(
            /the OpenShift router on the host network .* an ingress rule from \{namespaceSelector: \{matchLabels: \{policy-group\.network\.openshift\.io\/host-network: ""\}\}\}/,
          ),
        }),
      ]);
      expect(findings([isvc(), sameNamespace, fromRouter({ 'policy-group.network.openshift.io/host-network': '' }), hostNetwork])).toEqual([]);
      const loadBalancer = { ...hostNetwork, spec: { endpointPublishingStrategy: { type: 'LoadBalancerService' } } };
      expect(findings([isvc(), sameNamespace, fromRouter({ 'policy-group.network.openshift.io/ingress': '' }), loadBalancer])).toEqual([]);
    });
  });
});
