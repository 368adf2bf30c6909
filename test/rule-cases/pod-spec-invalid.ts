import { runChecks } from '../../lib';
import { Loose } from '../../lib/manifests/access';
import { podSpecProblems } from '../../lib/validation/pod-spec';
import { cliInProcess, podWorkload, ruleFindings, writeTree } from '../util';

/** What the API server says of a Pod's spec, as (field, says) pairs. */
function said(spec: Loose): [string, string][] {
  const containers = (spec.containers as Loose[] | undefined)?.map((container, i) => ({ at: `spec.containers[${i}]`, container, init: false })) ?? [];
  const volumes = new Set(((spec.volumes as Loose[] | undefined) ?? []).map((v) => String(v.name)));
  return podSpecProblems({ at: 'spec', spec, containers, volumes }).map((p) => [p.field, p.says]);
}

const container = (extra: Loose) => ({ containers: [{ name: 'c', image: 'busybox', ...extra }] });

// cases of kubernetes pkg/apis/core/validation/validation_test.go (TestValidateTolerations, TestValidatePodSpec's
// toleration cases), written out here
describe('tolerations (validateTolerations)', () => {
  test.each([
    [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
    [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }],
    [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
    [{ operator: 'Exists' }],
    [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    [{ key: 'foo', operator: 'Equal', value: '', effect: 'PreferNoSchedule' }],
    [{ key: 'foo', operator: 'Exists', effect: '' }],
  ])('%j is accepted', (t) => {
    expect(said({ ...container({}), tolerations: [t] })).toEqual([]);
  });

  test.each([
    [
      { key: 'foo', operator: 'In', value: 'bar', effect: 'NoSchedule' },
      'spec.tolerations[0].operator',
      'Unsupported value: "In": supported values: "Equal", "Exists"',
    ],
    [
      { key: 'nvidia.com/gpu', operator: 'Equals', value: 'true', effect: 'NoSchedule' },
      'spec.tolerations[0].operator',
      'Unsupported value: "Equals": supported values: "Equal", "Exists"',
    ],
    [{ key: 'foo', operator: 'Exists', value: 'bar', effect: 'NoSchedule' }, 'spec.tolerations[0].operator', "value must be empty when `operator` is 'Exists'"],
    [
      { operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
      'spec.tolerations[0].operator',
      'operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
    [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 20 },
      'spec.tolerations[0].effect',
      "effect must be 'NoExecute' when `tolerationSeconds` is set",
    ],
    [
      { key: 'foo', operator: 'Exists', effect: 'NoScheduleNoAdmit' },
      'spec.tolerations[0].effect',
      'Unsupported value: "NoScheduleNoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
    [
      { key: 'foo', operator: 'Equal', value: 'has space' },
      'spec.tolerations[0].value',
      'a valid label value must be 63 characters or less, alphanumeric at both ends',
    ],
  ])('%j is refused at %s', (t, field, says) => {
    expect(said({ ...container({}), tolerations: [t] })).toEqual([[field, says]]);
  });
});

// TestValidateResourceRequirements and the container resource cases of TestValidateContainers
describe('resources (ValidateContainerResourceRequirements)', () => {
  test.each([
    [{ requests: { cpu: '10', memory: '10G' }, limits: { cpu: '10', memory: '10G' } }],
    [{ requests: { cpu: '500m' }, limits: { cpu: '1' } }],
    [{ requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } }],
    [{ limits: { 'nvidia.com/gpu': '1' } }],
    [{ requests: { 'my.org/resource': '10' }, limits: { 'my.org/resource': '10' } }],
    [{ requests: { cpu: '4' } }],
  ])('%j is accepted', (resources) => {
    expect(said(container({ resources }))).toEqual([]);
  });

  test.each([
    [{ requests: { cpu: '10' }, limits: { cpu: '5' } }, 'spec.containers[0].resources.requests.cpu', 'must be less than or equal to cpu limit of 5'],
    [
      { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } },
      'spec.containers[0].resources.requests.memory',
      'must be less than or equal to memory limit of 1Gi',
    ],
    [
      { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } },
      'spec.containers[0].resources.requests.nvidia.com/gpu',
      'must be equal to nvidia.com/gpu limit of 2',
    ],
    [
      { requests: { 'my.org/resource': '1' } },
      'spec.containers[0].resources.limits.my.org/resource',
      'Required value: Limit must be set for non overcommitable resources',
    ],
    [
      { requests: { 'hugepages-2Mi': '2Mi', memory: '1Gi' } },
      'spec.containers[0].resources.limits.hugepages-2Mi',
      'Required value: Limit must be set for non overcommitable resources',
    ],
    [{ limits: { 'nvidia.com/gpu': '0.5' } }, 'spec.containers[0].resources.limits.nvidia.com/gpu', 'must be an integer'],
  ])('%j is refused at %s', (resources, field, says) => {
    expect(said(container({ resources }))).toEqual([[field, says]]);
  });
});

// TestValidateContainerPorts
describe('ports (validateContainerPorts)', () => {
  test('valid ports are accepted', () => {
    const ports = [
      { name: 'abc', containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { name: 'easy', containerPort: 82, protocol: 'TCP' },
      { name: 'as', containerPort: 83, protocol: 'UDP' },
      { name: 'do-re-me', containerPort: 84, protocol: 'SCTP' },
      { containerPort: 85, protocol: 'TCP' },
    ];
    expect(said(container({ ports }))).toEqual([]);
  });

  test.each([
    [{ name: 'a'.repeat(16), containerPort: 80 }, 'name', 'must be no more than 15 characters'],
    [{ name: 'a.b.c', containerPort: 80 }, 'name', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    [{ name: '80', containerPort: 80 }, 'name', 'must contain at least one letter (a-z)'],
    [{ name: 'do--re', containerPort: 80 }, 'name', 'must not contain consecutive hyphens'],
    [{ name: '-http', containerPort: 80 }, 'name', 'must not begin or end with a hyphen'],
    [{ containerPort: 0 }, 'containerPort', 'Required value'],
    [{ containerPort: 65536 }, 'containerPort', 'must be between 1 and 65535, inclusive'],
    [{ containerPort: 80, hostPort: 65536 }, 'hostPort', 'must be between 1 and 65535, inclusive'],
    [{ containerPort: 80, protocol: 'tcp' }, 'protocol', 'Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"'],
    [{ containerPort: 80, protocol: 'ICMP' }, 'protocol', 'Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"'],
  ])('%j is refused at %s', (port, field, says) => {
    expect(said(container({ ports: [port] }))).toEqual([[`spec.containers[0].ports[0].${field}`, says]]);
  });

  test('a port name twice in one container is refused; the same name in two containers is not', () => {
    expect(
      said(
        container({
          ports: [
            { name: 'http', containerPort: 80 },
            { name: 'http', containerPort: 81 },
          ],
        }),
      ),
    ).toEqual([['spec.containers[0].ports[1].name', 'Duplicate value: "http"']]);
    const two = {
      containers: [
        { name: 'a', image: 'x', ports: [{ name: 'http', containerPort: 80 }] },
        { name: 'b', image: 'x', ports: [{ name: 'http', containerPort: 81 }] },
      ],
    };
    expect(said(two)).toEqual([]);
  });
});

describe('containers: names, pull policy, env, probes, mounts', () => {
  test('names are DNS labels, unique across containers and init containers (validateContainers, validateInitContainers)', () => {
    const spec = {
      containers: [
        { name: 'Server', image: 'x' },
        { name: 'a', image: 'x' },
      ],
      initContainers: [{ name: 'a', image: 'x' }],
    };
    const containers = [
      { at: 'spec.containers[0]', container: spec.containers[0], init: false },
      { at: 'spec.containers[1]', container: spec.containers[1], init: false },
      { at: 'spec.initContainers[0]', container: spec.initContainers[0], init: true },
    ];
    expect(podSpecProblems({ at: 'spec', spec, containers }).map((p) => [p.field, p.says])).toEqual([
      [
        'spec.containers[0].name',
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      ],
      ['spec.initContainers[0].name', 'Duplicate value: "a"'],
    ]);
  });

  test.each(['Always', 'IfNotPresent', 'Never'])('imagePullPolicy %s is accepted', (policy) => {
    expect(said(container({ imagePullPolicy: policy }))).toEqual([]);
  });

  test('imagePullPolicy ifnotpresent is refused (validatePullPolicy)', () => {
    expect(said(container({ imagePullPolicy: 'ifnotpresent' }))).toEqual([
      ['spec.containers[0].imagePullPolicy', 'Unsupported value: "ifnotpresent": supported values: "Always", "IfNotPresent", "Never"'],
    ]);
  });

  // TestValidateEnv
  test.each([
    [
      { name: 'abc', value: 'foo', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      'may not be specified when `value` is not empty',
    ],
    [{ name: 'abc', valueFrom: {} }, 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
    [
      { name: 'abc', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
      'may not have more than one field specified at a time',
    ],
  ])('env %j is refused', (env, says) => {
    expect(said(container({ env: [env] }))).toEqual([['spec.containers[0].env[0].valueFrom', says]]);
  });

  test('env with an empty value beside valueFrom is accepted', () => {
    expect(said(container({ env: [{ name: 'abc', value: '', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }))).toEqual([]);
  });

  // TestValidateProbe, TestValidateHandler, the lifecycle cases of TestValidateContainers
  test.each([
    [
      { livenessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 } } },
      'spec.containers[0].livenessProbe.httpGet',
      'Forbidden: may not specify more than 1 handler type',
    ],
    [{ readinessProbe: { periodSeconds: 10 } }, 'spec.containers[0].readinessProbe', 'Required value: must specify a handler type'],
    [{ startupProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }, 'spec.containers[0].startupProbe.successThreshold', 'must be 1'],
    [
      { lifecycle: { preStop: { sleep: { seconds: 5 }, exec: { command: ['x'] } } } },
      'spec.containers[0].lifecycle.preStop.sleep',
      'Forbidden: may not specify more than 1 handler type',
    ],
  ])('%j is refused at %s', (extra, field, says) => {
    expect(said(container(extra))).toEqual([[field, says]]);
  });

  // validateHTTPGetAction, validateTCPSocketAction → ValidatePortNumOrName (TestValidatePortNumOrName, TestValidateProbe)
  test.each([
    [{ readinessProbe: { httpGet: { path: '/', port: '8080' } } }, 'spec.containers[0].readinessProbe.httpGet.port', 'must contain at least one letter (a-z)'],
    [{ livenessProbe: { tcpSocket: { port: '80' } } }, 'spec.containers[0].livenessProbe.tcpSocket.port', 'must contain at least one letter (a-z)'],
    [
      { startupProbe: { httpGet: { port: 'Metrics' } } },
      'spec.containers[0].startupProbe.httpGet.port',
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    [{ livenessProbe: { tcpSocket: { port: 70000 } } }, 'spec.containers[0].livenessProbe.tcpSocket.port', 'must be between 1 and 65535, inclusive'],
    [
      { lifecycle: { preStop: { httpGet: { path: '/drain', port: '9000' } } } },
      'spec.containers[0].lifecycle.preStop.httpGet.port',
      'must contain at least one letter (a-z)',
    ],
  ])('a probe or hook port %j is refused at %s', (extra, field, says) => {
    expect(said(container(extra))).toEqual([[field, says]]);
  });

  test('a quoted number as a probe port of a Deployment: an error that says to drop the quotes', () => {
    const deployment = podWorkload('chat', 'ai', { containers: [{ name: 'web', image: 'x', readinessProbe: { httpGet: { path: '/', port: '8080' } } }] });
    expect(ruleFindings('pod-spec-invalid', [deployment])).toEqual([
      "error Deployment/ai/chat: spec.template.spec.containers[0].readinessProbe.httpGet.port '8080': the API server refuses the object " +
        '("must contain at least one letter (a-z)"); write the number without quotes (port: 8080): a quoted number is read as a port name',
    ]);
  });

  test('a probe port given as a number or as a port name (letters, digits, single hyphens) is accepted', () => {
    expect(
      said(
        container({
          readinessProbe: { httpGet: { path: '/', port: 8080 } },
          livenessProbe: { tcpSocket: { port: 'http-api' } },
          startupProbe: { httpGet: { path: '/', port: 'h2c' } },
          lifecycle: { preStop: { tcpSocket: { port: 9000 } } },
        }),
      ),
    ).toEqual([]);
  });

  test('a readiness probe may need several successes; a grpc probe is one handler', () => {
    expect(said(container({ readinessProbe: { httpGet: { port: 80 }, successThreshold: 3 }, livenessProbe: { grpc: { port: 9000 } } }))).toEqual([]);
  });

  // TestValidateVolumeMounts
  test('a mount names a volume of the pod, and each path once', () => {
    const spec = {
      ...container({
        volumeMounts: [
          { name: 'abc', mountPath: '/foo' },
          { name: 'abc', mountPath: '/foo' },
          { name: 'missing', mountPath: '/bar' },
        ],
      }),
      volumes: [{ name: 'abc', emptyDir: {} }],
    };
    expect(said(spec)).toEqual([
      ['spec.containers[0].volumeMounts[1].mountPath', 'must be unique'],
      ['spec.containers[0].volumeMounts[2].name', 'Not found: "missing"'],
    ]);
  });

  test('mounts are not judged when the volumes are not known', () => {
    const spec = container({ volumeMounts: [{ name: 'missing', mountPath: '/bar' }] });
    expect(podSpecProblems({ at: 'spec', spec, containers: [{ at: 'spec.containers[0]', container: spec.containers[0], init: false }] })).toEqual([]);
  });
});

describe('pod policies (validateRestartPolicy, validateDNSPolicy, validatePodDNSConfig)', () => {
  test.each(['Always', 'OnFailure', 'Never'])('a Pod with restartPolicy %s is accepted', (restartPolicy) => {
    expect(said({ ...container({}), restartPolicy })).toEqual([]);
  });

  test.each([
    [{ restartPolicy: 'Sometimes' }, 'spec.restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    [
      { dnsPolicy: 'ClusterFirstt' },
      'spec.dnsPolicy',
      'Unsupported value: "ClusterFirstt": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
    [{ dnsPolicy: 'None' }, 'spec.dnsConfig', 'Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    [
      { dnsPolicy: 'None', dnsConfig: { searches: ['a.svc'] } },
      'spec.dnsConfig.nameservers',
      'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
  ])('%j is refused at %s', (extra, field, says) => {
    expect(said({ ...container({}), ...extra })).toEqual([[field, says]]);
  });

  test('dnsPolicy None with a nameserver is accepted', () => {
    expect(said({ ...container({}), dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } })).toEqual([]);
  });
});

/** The rule's messages on a tree. */
const messages = (manifests: Loose[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0' },
  )
    .filter((f) => f.rule === 'pod-spec-invalid')
    .map((f) => `${f.object}: ${f.message}`);

const image = 'quay.io/example/vllm@sha256:4f1c1b4d7a0c5e2f9b8a6d3e1f0c2b4a6d8e0f1a3c5b7d9e1f2a4c6b8d0e2f4a';
const runtime = (extra: Loose = {}) => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'rt', namespace: 'llm' },
  spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', image, ...extra }] },
});
const service = (predictor: Loose): Loose => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'svc', namespace: 'llm' },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'rt', storageUri: 'pvc://models/m' }, ...predictor } },
});

describe('pod-spec-invalid on the pod specs of a tree', () => {
  test("a runtime's mistake is reported on the runtime once, not again on the service that uses it", () => {
    expect(messages([runtime({ imagePullPolicy: 'Allways' }), service({})])).toEqual([
      'ServingRuntime/llm/rt: spec.containers[0].imagePullPolicy \'Allways\': the API server refuses the Deployment of every InferenceService that uses the runtime ("Unsupported value: "Allways": supported values: "Always", "IfNotPresent", "Never""); write one of Always, IfNotPresent, Never',
    ]);
  });

  test("a runtime's mount is judged against the service's volumes merged with the runtime's", () => {
    const mounted = runtime({ volumeMounts: [{ name: 'cache', mountPath: '/cache' }] });
    expect(messages([mounted, service({ volumes: [{ name: 'cache', emptyDir: {} }] })])).toEqual([]);
    expect(messages([mounted, service({})])).toEqual([
      "InferenceService/llm/svc: spec.predictor.model.volumeMounts[0].name 'cache' (merged with ServingRuntime rt's kserve-container): the API server refuses the Deployment KServe makes from it, and the service never becomes ready (\"Not found: \"cache\"\"); add a volume 'cache' to the pod's volumes",
    ]);
  });

  test("the model's request is judged against the runtime's limit", () => {
    const limited = runtime({ resources: { limits: { cpu: '2', memory: '8Gi' } } });
    expect(messages([limited, service({})])).toEqual([]);
    const over = service({});
    over.spec.predictor.model = { ...over.spec.predictor.model, resources: { requests: { memory: '16Gi' } } };
    expect(messages([limited, over])).toEqual([
      "InferenceService/llm/svc: spec.predictor.model.resources.requests.memory '16Gi' (merged with ServingRuntime rt's kserve-container): the API server refuses the Deployment KServe makes from it, and the service never becomes ready (\"must be less than or equal to memory limit of 8Gi\"); lower the request or raise the limit to at least 16Gi",
    ]);
  });

  test('a GPU request without a limit: refused with the runtime in the tree; not judged when the runtime or a hardware profile may give the limit', () => {
    const gpu = service({});
    gpu.spec.predictor.model = { ...gpu.spec.predictor.model, resources: { requests: { 'nvidia.com/gpu': '1' } } };
    expect(messages([runtime(), gpu])).toEqual([
      'InferenceService/llm/svc: spec.predictor.model.resources.limits.nvidia.com/gpu (merged with ServingRuntime rt\'s kserve-container): the API server refuses the Deployment KServe makes from it, and the service never becomes ready ("Required value: Limit must be set for non overcommitable resources"); set limits.nvidia.com/gpu: 1 (the request defaults to the limit)',
    ]);
    expect(messages([gpu])).toEqual([]);
    const profiled = { ...gpu, metadata: { ...gpu.metadata, annotations: { 'opendatahub.io/hardware-profile-name': 'gpu' } } };
    expect(messages([runtime(), profiled])).toEqual([]);
  });

  test("a transformer's, an LLMInferenceService worker's and a LeaderWorkerSet's pod specs are judged", () => {
    const tolerations = [{ key: 'gpu', operator: 'exists' }];
    const transformer = service({});
    (transformer.spec as Loose).transformer = { tolerations, containers: [{ name: 'transformer', image }] };
    const llm = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'llm', namespace: 'llm' },
      spec: { model: { uri: 'hf://org/model' }, worker: { tolerations, containers: [{ name: 'main', resources: { requests: { 'nvidia.com/gpu': '1' } } }] } },
    };
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'lws', namespace: 'llm' },
      spec: { leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { tolerations, containers: [{ name: 'w', image }] } } } },
    };
    const says = 'Unsupported value: "exists": supported values: "Equal", "Exists"';
    expect(messages([runtime(), transformer, llm, lws]).map((m) => m.replace(/: the API server .*\("/, ' ("'))).toEqual([
      `InferenceService/llm/svc: spec.transformer.tolerations[0].operator 'exists' ("${says}"); write operator: Exists`,
      // a request without a limit in an LLMInferenceService's template is merged onto its presets, which may set the limit
      `LeaderWorkerSet/llm/lws: spec.leaderWorkerTemplate.workerTemplate.spec.tolerations[0].operator 'exists' ("${says}"); write operator: Exists`,
      `LLMInferenceService/llm/llm: spec.worker.tolerations[0].operator 'exists' ("${says}"); write operator: Exists`,
    ]);
  });

  test('restart policies: a Deployment only Always, a Job OnFailure or Never and not unset', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'llm' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image }] } },
      },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'j', namespace: 'llm' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image }] } } } } },
    };
    expect(messages([deployment, cron]).map((m) => m.replace(/: the API server refuses the object/, ''))).toEqual([
      'CronJob/llm/j: spec.jobTemplate.spec.template.spec.restartPolicy \'Always\' ("Unsupported value: "Always": supported values: "OnFailure", "Never""); a CronJob allows OnFailure or Never',
      'Deployment/llm/d: spec.template.spec.restartPolicy \'OnFailure\' ("Unsupported value: "OnFailure": supported values: "Always""); a Deployment allows Always',
    ]);
  });

  test("an InferenceService component's restartPolicy: Always only (KServe's Deployment; Knative refuses the field)", () => {
    const isvc = (name: string, predictor: Loose, extra: Loose = {}) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, namespace: 'llm' },
      spec: { predictor, ...extra },
    });
    const model = { modelFormat: { name: 'vLLM' }, storageUri: 'pvc://models/m' };
    const out = messages([
      isvc('a', { restartPolicy: 'OnFailure', model }),
      isvc('b', { containers: [{ name: 'kserve-container', image }] }, { transformer: { restartPolicy: 'Never', containers: [{ name: 't', image }] } }),
    ]);
    expect(out).toEqual([
      expect.stringMatching(
        /^InferenceService\/llm\/a: spec\.predictor\.restartPolicy 'OnFailure': the API server refuses the Deployment KServe makes from it.*"Unsupported value: "OnFailure": supported values: "Always"".*a KServe InferenceService component allows Always \(.*Knative refuses any restartPolicy/,
      ),
      expect.stringMatching(/^InferenceService\/llm\/b: spec\.transformer\.restartPolicy 'Never'/),
    ]);
    // Always, or no policy: accepted
    expect(messages([isvc('c', { restartPolicy: 'Always', model }), isvc('d', { model })])).toEqual([]);
  });

  test('a value another tool fills in is judged once rendered', () => {
    const d = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'llm' },
      spec: { containers: [{ name: 'c', image, imagePullPolicy: '${PULL_POLICY}' }] },
    };
    expect(messages([d])).toEqual([]);
  });

  // pkg/apis/autoscaling/validation TestValidateHorizontalPodAutoscaler: minReplicas 0 without HPAScaleToZero
  test.each([
    [0, 2, ["spec.minReplicas '0'", 'must be greater than or equal to 1']],
    [3, 2, ["spec.maxReplicas '2'", 'must be greater than or equal to `minReplicas`']],
    [1, 2, []],
  ])('an HPA with minReplicas %d and maxReplicas %d', (minReplicas, maxReplicas, parts) => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'llm' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas, maxReplicas },
    };
    const found = messages([hpa]);
    expect(found.length).toBe(parts.length ? 1 : 0);
    for (const p of parts) expect(found[0]).toContain(p);
  });
});

describe('pod-spec-invalid: volumes of one name, mounts at one path (ValidateVolumes, ValidateVolumeMounts)', () => {
  const volumes = [
    { name: 'cache', emptyDir: {} },
    { name: 'cache', persistentVolumeClaim: { claimName: 'models' } },
  ];
  const deployment = (spec: Loose): Loose => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'srv', namespace: 'llm' },
    spec: { selector: { matchLabels: { app: 'srv' } }, template: { metadata: { labels: { app: 'srv' } }, spec } },
  });
  const c = (mounts: Loose[], name = 'srv') => ({ name, image, volumeMounts: mounts });

  test('two volumes named alike: the second is a Duplicate value', () => {
    expect(messages([deployment({ containers: [c([{ name: 'cache', mountPath: '/cache' }])], volumes })])).toEqual([
      'Deployment/llm/srv: spec.template.spec.volumes[1].name \'cache\': the API server refuses the object ("Duplicate value: "cache""); give each volume its own name, or drop the second \'cache\' (and point its mounts at the one kept)',
    ]);
  });

  test("two mounts of an init container at one path: must be unique; each container's mounts are its own", () => {
    const spec = {
      initContainers: [
        c(
          [
            { name: 'a', mountPath: '/data' },
            { name: 'b', mountPath: '/data' },
          ],
          'fetch',
        ),
      ],
      containers: [c([{ name: 'a', mountPath: '/data' }])],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: {} },
      ],
    };
    expect(messages([deployment(spec)])).toEqual([
      expect.stringMatching(/^Deployment\/llm\/srv: spec\.template\.spec\.initContainers\[0\]\.volumeMounts\[1\]\.mountPath '\/data': .*"must be unique"/),
    ]);
  });

  test("a ServingRuntime's volumes of one name: on the runtime; the predictor's are a patch on the runtime's pod, merged by name", () => {
    const rt = runtime();
    (rt.spec as Loose).volumes = volumes;
    expect(messages([rt, service({})])).toEqual([expect.stringMatching(/^ServingRuntime\/llm\/rt: spec\.volumes\[1\]\.name 'cache': .*Duplicate value/)]);
    expect(messages([runtime(), service({ volumes })])).toEqual([]);
  });

  test('a custom predictor (containers, no model) is the pod as written: its volumes of one name are refused', () => {
    const custom: Loose = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'svc', namespace: 'llm' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image, volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }], volumes } },
    };
    expect(messages([custom])).toEqual([expect.stringMatching(/^InferenceService\/llm\/svc: spec\.predictor\.volumes\[1\]\.name 'cache': .*Duplicate value/)]);
  });

  test.each([
    [
      'distinct names and paths',
      {
        containers: [
          c([
            { name: 'a', mountPath: '/a' },
            { name: 'b', mountPath: '/b' },
          ]),
        ],
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ],
      },
    ],
    [
      'one volume mounted twice at two paths',
      {
        containers: [
          c([
            { name: 'a', mountPath: '/a' },
            { name: 'a', mountPath: '/b', subPath: 'x' },
          ]),
        ],
        volumes: [{ name: 'a', emptyDir: {} }],
      },
    ],
    [
      'one path in two containers',
      { containers: [c([{ name: 'a', mountPath: '/a' }]), c([{ name: 'a', mountPath: '/a' }], 'side')], volumes: [{ name: 'a', emptyDir: {} }] },
    ],
  ])('near miss, %s: silent', (_, spec) => {
    expect(messages([deployment(spec)])).toEqual([]);
  });
});

describe('pod-spec-invalid on a Job a script applies from a heredoc', () => {
  /** A setup script applying a Job whose own script applies a Secret from a nested heredoc, ended by an indented EOF. */
  const setup = (restartPolicy: string) =>
    [
      '#!/bin/bash',
      'oc new-project team-a',
      'oc create serviceaccount setup -n team-a',
      'oc adm policy add-role-to-user admin -z setup -n team-a',
      'cat << EOF | oc apply -f-',
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  name: make-connection',
      '  namespace: team-a',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - args:',
      '        - -ec',
      '        - |-',
      '          cat << EOF | oc apply -f-',
      '          apiVersion: v1',
      '          kind: Secret',
      '          metadata:',
      '            name: bucket-connection',
      '          stringData:',
      '            AWS_S3_BUCKET: models',
      '          EOF',
      '        command:',
      '        - /bin/bash',
      `        image: ${image}`,
      '        name: make-connection',
      ...(restartPolicy ? [`      restartPolicy: ${restartPolicy}`] : []),
      '      serviceAccountName: setup',
      'EOF',
      '',
    ].join('\n');
  const found = async (script: string) => {
    const dir = writeTree('pod-spec-heredoc-', { 'setup.sh': script });
    const { out } = await cliInProcess(['check', dir, '--json', '--platform', 'rhoai-3.0']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => ['pod-spec-invalid', 'field-required-missing', 'api-access-not-granted'].includes(f.rule))
      .map((f) => [f.rule, f.severity, f.object, f.message.split(':')[0]]);
  };

  test("the nested script's indented EOF does not end the script's heredoc (bash ends `<<EOF` only at a line that is EOF alone): the Job is read whole", async () => {
    expect(await found(setup('Never'))).toEqual([]);
  });

  test('near miss: the same Job without restartPolicy is refused', async () => {
    expect(await found(setup(''))).toEqual([['pod-spec-invalid', 'error', 'Job/team-a/make-connection', 'spec.template.spec.restartPolicy']]);
  });
});

describe('the objects of an OpenShift Template, as oc process fills them with their parameters', () => {
  const template = (parameters: string, requests: string, limits: string) => ({
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'runtime-template', namespace: 'redhat-ods-applications' },
    parameters: parse(parameters),
    objects: [
      {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: '${RUNTIME}' },
        spec: {
          supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
          containers: [
            { name: 'kserve-container', image: 'quay.io/example-org/server:1.0', resources: { requests: { cpu: requests }, limits: { cpu: limits } } },
          ],
        },
      },
    ],
  });
  const parse = (s: string) => s.split(',').map((p) => (p.includes('=') ? { name: p.split('=')[0], value: p.split('=')[1] } : { name: p, required: true }));
  const found = (manifest: Loose) =>
    runChecks([{ manifest, file: 'runtime-template.yaml', line: 1 }], { platform: 'rhoai-3.0' })
      .filter((f) => f.rule === 'pod-spec-invalid')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('literal sizes in the object: an error on the object, named with its Template', () => {
    expect(found(template('RUNTIME=text-runtime', '2', '1'))).toEqual([
      expect.stringMatching(
        /^error ServingRuntime\/redhat-ods-applications\/text-runtime: spec\.containers\[0\]\.resources\.requests\.cpu '2'.*an object of Template\/redhat-ods-applications\/runtime-template, as `oc process` makes it/,
      ),
    ]);
  });

  test("a size filled from a parameter's value: a warning, since oc process -p may give another", () => {
    expect(found(template('RUNTIME=text-runtime,CPU=2', '${CPU}', '1'))).toEqual([
      expect.stringMatching(/^warning ServingRuntime\/redhat-ods-applications\/text-runtime: .*requests\.cpu '2'.*names '2', a parameter's value/),
    ]);
  });

  test('near miss: sizes from parameters without a value are unknown, and judged by nothing', () => {
    expect(found(template('RUNTIME,CPU_REQUEST,CPU_LIMIT', '${CPU_REQUEST}', '${CPU_LIMIT}'))).toEqual([]);
  });
});
