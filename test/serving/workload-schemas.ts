import { runChecks } from '../../lib';
import { PlatformId } from '../../lib/platform/platform';

type Doc = Record<string, unknown>;
const unknownFields = (manifest: Doc, platform: PlatformId = 'kserve') =>
  runChecks([{ manifest }], { platform })
    .filter((f) => f.rule === 'field-unknown')
    .map((f) => [f.severity, f.message.split(':')[0]]);

const tfJob = (spec: Doc): Doc => ({
  apiVersion: 'kubeflow.org/v1',
  kind: 'TFJob',
  metadata: { name: 'mnist', namespace: 'ai' },
  spec: {
    tfReplicaSpecs: { Worker: { replicas: 2, template: { spec: { containers: [{ name: 'tensorflow', image: 'tensorflow/tensorflow:2.15.0' }] } } } },
    ...spec,
  },
});

describe("the training and Ray operators' schemas", () => {
  test.each(['kserve', 'rhoai-3.0', 'rhoai-3.4'] as const)('on %s, a TFJob with cleanPodPolicy at the top of its spec is refused', (platform) => {
    expect(unknownFields(tfJob({ cleanPodPolicy: 'None' }), platform)).toEqual([['error', "unknown field 'spec.cleanPodPolicy'"]]);
  });

  test('near miss: cleanPodPolicy under runPolicy, where v1 has it', () => {
    expect(unknownFields(tfJob({ runPolicy: { cleanPodPolicy: 'None' } }))).toEqual([]);
  });

  test('a RayCluster field KubeRay does not have is refused', () => {
    const cluster = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc', namespace: 'ai' },
      spec: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0' }] } } },
        workerGroupSpec: [],
      },
    };
    expect(unknownFields(cluster)).toEqual([['error', "unknown field 'spec.workerGroupSpec'"]]);
  });

  test('near miss: a v1alpha1 RayJob keeps the fields of the older KubeRay it was written for (runtimeEnv), not judged', () => {
    const job = {
      apiVersion: 'ray.io/v1alpha1',
      kind: 'RayJob',
      metadata: { name: 'j', namespace: 'ai' },
      spec: { entrypoint: 'python x.py', runtimeEnv: '' },
    };
    expect(unknownFields(job)).toEqual([]);
    expect(unknownFields({ ...job, apiVersion: 'ray.io/v1' })).toEqual([['error', "unknown field 'spec.runtimeEnv'"]]);
  });

  test("the standalone mpi-operator's v2beta1 MPIJob is judged by its own schema, not the training operator's", () => {
    const mpi = {
      apiVersion: 'kubeflow.org/v2beta1',
      kind: 'MPIJob',
      metadata: { name: 'm', namespace: 'ai' },
      spec: { slotsPerWorker: 1, mpiReplicaSpecs: {} },
    };
    expect(unknownFields(mpi)).toEqual([]);
    expect(unknownFields({ ...mpi, spec: { ...mpi.spec, backoffLimit: 2 } })).toEqual([['error', "unknown field 'spec.backoffLimit'"]]);
  });
});

const findingsOf = (manifest: Doc, ...others: Doc[]) =>
  runChecks(
    [manifest, ...others].map((m) => ({ manifest: m })),
    { platform: 'kserve' },
  ).map((f) => [f.rule, f.severity, f.message]);

const nodePool = (apiVersion: string, nodeSpec: Doc): Doc => ({
  apiVersion,
  kind: 'NodePool',
  metadata: { name: 'gpu' },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' },
        requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6'] }],
        ...nodeSpec,
      },
    },
  },
});

// the EC2NodeClass the NodePools name, so that a NodePool's tree is complete (node-class-not-found says nothing)
const nodeClass = (spec: Doc): Doc => ({
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'gpu' },
  spec: {
    role: 'KarpenterNodeRole',
    amiSelectorTerms: [{ alias: 'al2023@latest' }],
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'llm' } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'llm' } }],
    ...spec,
  },
});

describe("Karpenter's schemas (v1.14.1, installed by the cluster's owner)", () => {
  test.each(['kserve', 'rhoai-3.0', 'rhoai-3.4'] as const)('on %s, a v1 NodePool with terminationGracePeriod misspelt is refused', (platform) => {
    expect(unknownFields(nodePool('karpenter.sh/v1', { terminationGracePeirod: '24h' }), platform)).toEqual([
      ['error', "unknown field 'spec.template.spec.terminationGracePeirod'"],
    ]);
  });

  test('near miss: the field spelt as v1 has it; no finding at all', () => {
    expect(findingsOf(nodePool('karpenter.sh/v1', { terminationGracePeriod: '24h', expireAfter: '720h' }), nodeClass({}))).toEqual([]);
  });

  test('an EC2NodeClass with blockDeviceMappings in the singular is refused; near miss in the plural', () => {
    const mapping = [{ deviceName: '/dev/xvda', ebs: { volumeSize: '200Gi' } }];
    expect(unknownFields(nodeClass({ blockDeviceMapping: mapping }))).toEqual([['error', "unknown field 'spec.blockDeviceMapping'"]]);
    expect(findingsOf(nodeClass({ blockDeviceMappings: mapping }))).toEqual([]);
  });

  test('a value every v1 release refuses is an error; one an earlier v1 release accepts is none', () => {
    const invalid = (nodeSpec: Doc) =>
      runChecks([{ manifest: nodePool('karpenter.sh/v1', nodeSpec) }], { platform: 'kserve' })
        .filter((f) => f.rule === 'field-value-invalid')
        .map((f) => f.severity);
    // nodeClassRef.group's pattern ^[^/]*$ is in v1.0.0 and v1.14.1 alike
    expect(invalid({ nodeClassRef: { group: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', name: 'gpu' } })).toEqual(['error']);
    // expireAfter's pattern came after v1.0.0, which takes any string
    expect(invalid({ expireAfter: '30d' })).toEqual([]);
  });

  test('a NodeClaim field v1 lacks is refused', () => {
    const claim = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'c' },
      spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, requirements: [], nodeClass: 'gpu' },
    };
    expect(unknownFields(claim)).toEqual([['error', "unknown field 'spec.nodeClass'"]]);
  });

  test('a v1beta1 NodePool, which Karpenter v0.30 to v1.0 served, is a warning, never an error, and its fields are not judged', () => {
    // v1beta1 had spec.disruption.consolidationPolicy WhenUnderutilized and template.spec.kubelet, which v1 moved
    const old = nodePool('karpenter.sh/v1beta1', { kubelet: { maxPods: 110 } });
    expect(findingsOf(old, nodeClass({}))).toEqual([
      [
        'kind-not-served',
        'warning',
        'karpenter.sh/v1beta1 NodePool is not served by Karpenter v1.14.1, the newest release the tool knows; Karpenter v0.30 to v1.0 served it. ' +
          'On a cluster whose Karpenter does not serve it the apply fails with "no matches for kind \\"NodePool\\" in version \\"karpenter.sh/v1beta1\\""; ' +
          "write karpenter.sh/v1, as later releases serve it, with that version's fields",
      ],
    ]);
  });

  test('a v1alpha5 Provisioner and an AWSNodeTemplate are warnings naming the kinds that replaced them', () => {
    const messages = [
      { apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', metadata: { name: 'p' }, spec: {} },
      { apiVersion: 'karpenter.k8s.aws/v1alpha1', kind: 'AWSNodeTemplate', metadata: { name: 't' }, spec: {} },
    ].map((m) =>
      findingsOf(m).map(([rule, severity, message]) => [
        rule,
        severity,
        /up to v0\.32 served it/.test(message),
        /write (\S+ \S+), which replaced it/.exec(message)?.[1],
      ]),
    );
    expect(messages).toEqual([
      [['kind-not-served', 'warning', true, 'karpenter.sh/v1 NodePool']],
      [['kind-not-served', 'warning', true, 'karpenter.k8s.aws/v1 EC2NodeClass']],
    ]);
  });

  test('a removed kind under a version none of its releases served it in (v1beta1 Provisioner, v1beta1 AWSNodeTemplate) is an error: no release serves it', () => {
    const judged = (m: Doc) => findingsOf(m).filter(([rule]) => rule === 'kind-not-served');
    expect(judged({ apiVersion: 'karpenter.sh/v1beta1', kind: 'Provisioner', metadata: { name: 'p' }, spec: {} })).toEqual([
      [
        'kind-not-served',
        'error',
        'karpenter.sh/v1beta1 Provisioner is served by no Karpenter release: Provisioner was served only as karpenter.sh/v1alpha5 (up to v0.32) before NodePool replaced it, ' +
          'and karpenter.sh/v1beta1 served NodePool and NodeClaim; the apply fails with "no matches for kind \\"Provisioner\\" in version \\"karpenter.sh/v1beta1\\"" ' +
          "whatever release the cluster runs; write karpenter.sh/v1 NodePool, with that version's fields",
      ],
    ]);
    expect(
      judged({ apiVersion: 'karpenter.k8s.aws/v1', kind: 'AWSNodeTemplate', metadata: { name: 't' }, spec: {} }).map(([, severity, message]) => [
        severity,
        /write karpenter.k8s.aws\/v1 EC2NodeClass/.test(message),
      ]),
    ).toEqual([['error', true]]);
  });

  test('near miss: a karpenter.sh kind no known release serves (NodeOverlay, alpha behind a feature gate) is not judged', () => {
    expect(findingsOf({ apiVersion: 'karpenter.sh/v1alpha1', kind: 'NodeOverlay', metadata: { name: 'o' }, spec: {} })).toEqual([]);
  });
});

const container = { name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' };
const podTemplate = { spec: { containers: [container] } };

describe('LeaderWorkerSet, the Gateway API Inference Extension and JobSet (installed by the cluster owner, widened by their older releases)', () => {
  // [kind, apiVersion, the correct spec, the misspelt field set beside it, the unknown field's path]
  const cases: [string, string, Doc, Doc, string][] = [
    [
      'LeaderWorkerSet',
      'leaderworkerset.x-k8s.io/v1',
      { replicas: 1, leaderWorkerTemplate: { size: 2, workerTemplate: podTemplate } },
      { leaderWorkerTemplate: { szie: 2, workerTemplate: podTemplate } },
      'spec.leaderWorkerTemplate.szie',
    ],
    [
      'InferencePool',
      'inference.networking.k8s.io/v1',
      { selector: { matchLabels: { app: 'vllm' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } },
      { selector: { matchLabels: { app: 'vllm' } }, targetPortNumber: 8000, endpointPickerRef: { name: 'epp', port: { number: 9002 } } },
      'spec.targetPortNumber',
    ],
    [
      'InferencePool',
      'inference.networking.x-k8s.io/v1alpha2',
      { selector: { app: 'vllm' }, targetPortNumber: 8000, extensionRef: { name: 'epp' } },
      { selector: { app: 'vllm' }, targetPortNumber: 8000, extensionReff: { name: 'epp' } },
      'spec.extensionReff',
    ],
    [
      'InferenceModel',
      'inference.networking.x-k8s.io/v1alpha2',
      { modelName: 'llama', criticality: 'Critical', poolRef: { name: 'pool' } },
      { modleName: 'llama', poolRef: { name: 'pool' } },
      'spec.modleName',
    ],
    [
      'InferenceObjective',
      'inference.networking.x-k8s.io/v1alpha2',
      { priority: 10, poolRef: { name: 'pool' } },
      { priorty: 10, poolRef: { name: 'pool' } },
      'spec.priorty',
    ],
    [
      'JobSet',
      'jobset.x-k8s.io/v1alpha2',
      { replicatedJobs: [{ name: 'workers', replicas: 2, template: { spec: { template: { spec: { ...podTemplate.spec, restartPolicy: 'Never' } } } } }] },
      { replicatedJob: [{ name: 'workers', replicas: 2 }] },
      'spec.replicatedJob',
    ],
  ];
  const object = (kind: string, apiVersion: string, spec: Doc): Doc => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'llm' }, spec });

  test.each(cases)('%s %s: a misspelt field is refused; the correct object gets no finding', (kind, apiVersion, good, bad, field) => {
    expect(unknownFields(object(kind, apiVersion, bad))).toEqual([['error', `unknown field '${field}'`]]);
    expect(findingsOf(object(kind, apiVersion, good)).filter(([rule]) => /^(field-|kind-)/.test(rule))).toEqual([]);
  });

  test("a field of an older LeaderWorkerSet's embedded pod spec (resourceClaims[].source, v0.1 to v0.3) is no unknown field", () => {
    const lws = object('LeaderWorkerSet', 'leaderworkerset.x-k8s.io/v1', {
      leaderWorkerTemplate: {
        size: 2,
        workerTemplate: { spec: { containers: [container], resourceClaims: [{ name: 'gpu', source: { resourceClaimName: 'gpu' } }] } },
      },
    });
    expect(unknownFields(lws)).toEqual([]);
  });

  test('a JobSet v1alpha1 (JobSet v0.1) and an InferenceModel v1alpha1 (v0.1) are warnings, never errors', () => {
    const old = [object('JobSet', 'jobset.x-k8s.io/v1alpha1', {}), object('InferenceModel', 'inference.networking.x-k8s.io/v1alpha1', {})];
    expect(old.map((m) => findingsOf(m).map(([rule, severity, message]) => [rule, severity, /v0\.1 served it/.test(message)]))).toEqual([
      [['kind-not-served', 'warning', true]],
      [['kind-not-served', 'warning', true]],
    ]);
  });

  test("near miss: the endpoint picker's configuration file (EndpointPickerConfig) in the x-k8s.io group is not judged", () => {
    expect(findingsOf({ apiVersion: 'inference.networking.x-k8s.io/v1alpha1', kind: 'EndpointPickerConfig', plugins: [] })).toEqual([]);
  });
});
