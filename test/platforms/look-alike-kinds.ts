import { runChecks } from '../../lib';

/**
 * Kind names other projects also use (an InferenceService, a Gateway, a Workload of their own API group): every rule
 * run on a tree of such look-alikes, each written with the fields the real kind's rules would refuse, finds nothing
 * about them. The groups are invented; each object's name holds `mimic` so a finding naming one is easy to spot.
 */
const look = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>, namespace: string | undefined = 'team-a') => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
});

const LOOK_ALIKES = [
  look('inference.mimic.dev/v1alpha1', 'InferenceService', '7b-mimic-model-with-a-name-far-longer-than-fifty-three-characters', {
    predictor: {
      model: { runtime: 'mimic-runtime-gone', modelFormat: { name: 'vLLM' }, storageUri: 'hf://mimic/model', resources: { limits: { 'nvidia.com/gpu': 9 } } },
    },
    model: { name: 'mimic-llm', gpus: 1 },
  }),
  look('inference.mimic.dev/v1alpha1', 'ServingRuntime', 'mimic-runtime', {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:latest', args: ['--model', '/mnt/models', '--no-such-flag-mimic'] }],
  }),
  look('inference.mimic.dev/v1alpha1', 'LLMInferenceService', 'mimic-llm', {
    model: { uri: 'hf://mimic/model' },
    router: { gateway: { refs: [{ name: 'mimic-gw-gone' }] } },
  }),
  look('batch.mimic.dev/v1', 'Workload', 'mimic-work', {
    queueName: 'mimic-queue-gone',
    podSets: [{ name: 'main', count: 1, template: { spec: { containers: [{ name: 'c' }] } } }],
  }),
  look(
    'batch.mimic.dev/v1',
    'ClusterQueue',
    'mimic-cq',
    {
      cohort: 'mimic-cohort',
      resourceGroups: [{ coveredResources: ['cpu'], flavors: [{ name: 'mimic-flavor-gone', resources: [{ name: 'cpu', nominalQuota: 'x' }] }] }],
    },
    undefined,
  ),
  look('batch.mimic.dev/v1', 'LocalQueue', 'mimic-lq', { clusterQueue: 'mimic-cq-gone' }),
  look('batch.mimic.dev/v1', 'Queue', 'mimic-q', { parentQueue: 'mimic-parent-gone', resources: { gpu: { quota: -5 } } }, undefined),
  look('net.mimic.dev/v1', 'Gateway', 'mimic-gw', {
    gatewayClassName: 'mimic-class-gone',
    listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, hostname: 'Bad_Host.mimic', tls: { certificateRefs: [{ name: 'mimic-cert-gone' }] } }],
  }),
  look('net.mimic.dev/v1', 'Route', 'mimic-route', { host: 'Bad_Host.mimic', to: { kind: 'Service', name: 'mimic-svc-gone' }, port: { targetPort: 'mimic' } }),
  look('net.mimic.dev/v1', 'HTTPRoute', 'mimic-httproute', {
    parentRefs: [{ name: 'mimic-gw-gone' }],
    rules: [{ backendRefs: [{ name: 'mimic-svc-gone', port: 8000 }] }],
  }),
  look('net.mimic.dev/v1', 'InferencePool', 'mimic-pool', {
    selector: { app: 'mimic-nothing' },
    targetPortNumber: 8000,
    extensionRef: { name: 'mimic-epp-gone' },
  }),
  look('deploy.mimic.dev/v1', 'Application', 'mimic-app', {
    project: 'mimic-project-gone',
    source: { repoURL: 'https://git.example.com/mimic.git', path: 'mimic/nowhere', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'mimic-ns-gone' },
    syncPolicy: { automated: {} },
  }),
  look('deploy.mimic.dev/v1', 'Kustomization', 'mimic-ks', {
    sourceRef: { kind: 'GitRepository', name: 'mimic-source-gone' },
    path: './mimic',
    dependsOn: [{ name: 'mimic-dep-gone' }],
  }),
  look('deploy.mimic.dev/v1', 'HelmRelease', 'mimic-release', {
    chart: { spec: { chart: 'mimic-chart', sourceRef: { kind: 'HelmRepository', name: 'mimic-repo-gone' } } },
    values: { mimic: true },
  }),
  look('deploy.mimic.dev/v1', 'Subscription', 'mimic-sub', {
    channel: 'mimic',
    name: 'mimic-operator',
    source: 'mimic-catalog-gone',
    sourceNamespace: 'openshift-marketplace',
  }),
  look('pki.mimic.dev/v1', 'Certificate', 'mimic-cert', {
    secretName: 'mimic-tls',
    issuerRef: { name: 'mimic-issuer-gone', kind: 'ClusterIssuer' },
    dnsNames: ['Bad_Host.mimic'],
  }),
  look('db.mimic.dev/v1', 'Cluster', 'mimic-db', { instances: 3 }),
  look(
    'policy.mimic.dev/v1',
    'ClusterPolicy',
    'mimic-policy',
    { driver: { enabled: true, version: 'mimic' }, rules: [{ name: 'mimic', validate: { pattern: { spec: { x: 'y' } } } }] },
    undefined,
  ),
  look(
    'nodes.mimic.dev/v1',
    'NodePool',
    'mimic-nodes',
    { template: { spec: { nodeClassRef: { name: 'mimic-class-gone', kind: 'EC2NodeClass', group: 'karpenter.k8s.aws' }, requirements: [] } } },
    undefined,
  ),
  look('models.mimic.dev/v1', 'Model', 'mimic-model', { image: 'mimic:latest' }),
  look('compute.mimic.dev/v1', 'RayCluster', 'mimic-ray', {
    headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:latest' }] } } },
  }),
  look('scale.mimic.dev/v1', 'ScaledObject', 'mimic-scaler', {
    scaleTargetRef: { name: 'mimic-deploy-gone' },
    triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://mimic-gone:9090' } }],
  }),
  look('tenancy.mimic.dev/v1', 'Project', 'mimic-project', {}, undefined),
  look('tenancy.mimic.dev/v1', 'Group', 'mimic-group', { users: ['Bad User'] }, undefined),
  look('platform.mimic.dev/v1', 'DataScienceCluster', 'mimic-dsc', { components: { kserve: { managementState: 'Mimic' } } }, undefined),
];

describe('look-alike kinds of other API groups', () => {
  test('no rule finds anything about an object whose kind name the checks mean in another group', () => {
    const findings = runChecks(
      LOOK_ALIKES.map((manifest) => ({ manifest })),
      { platform: 'rhoai-3.0' },
    );
    const named = findings.filter((f) => /mimic/.test(f.object) || /mimic/.test(f.message));
    // kind-in-unknown-group's note is about the group, not the kind: it says the group is taken for another
    // project's API (not a misspelling of the meant one), which is what a look-alike is
    const aboutGroup = (f: (typeof findings)[number]) =>
      f.rule === 'kind-in-unknown-group' &&
      f.severity === 'info' &&
      /is no spelling of .*taken for the API of an operator installed outside the tree/.test(f.message);
    expect(named.filter((f) => !aboutGroup(f)).map((f) => `${f.rule}: ${f.object}: ${f.message}`)).toEqual([]);
  });

  test('the same objects in the groups the checks mean are judged (the tree above is not silent by accident)', () => {
    const real = runChecks([{ manifest: { ...LOOK_ALIKES[0], apiVersion: 'serving.kserve.io/v1beta1' } }], { platform: 'rhoai-3.0' });
    expect(real.map((f) => f.rule)).toEqual(expect.arrayContaining(['inference-service-name', 'runtime-not-found']));
  });
});
