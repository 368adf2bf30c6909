import * as YAML from 'yaml';
import { rayValidationFailures } from '../../lib/check/kuberay-validation';
import { serveConfigError, serveConfigSchemaError } from '../../lib/check/ray-serve-config';
import { cliInProcess, writeTree } from '../util';

/**
 * ray-spec-invalid: KubeRay's own spec validation (ray-project/kuberay ray-operator/controllers/ray/utils/validation.go),
 * with cases after its validation_test.go (TestValidateRayJobSpec, TestValidateRayClusterSpec*, TestValidateRayServiceSpec).
 */
const container = (name: string, extra: object = {}) => ({ name, image: 'docker.io/rayproject/ray:2.40.0', ...extra });
const worker = (extra: object = {}) => ({
  groupName: 'small',
  replicas: 1,
  minReplicas: 1,
  maxReplicas: 2,
  rayStartParams: {},
  template: { spec: { containers: [container('ray-worker')] } },
  ...extra,
});
const cluster = (head: object = {}, workers: object[] = [worker()], extra: object = {}) => ({
  headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [container('ray-head', head)] } } },
  workerGroupSpecs: workers,
  ...extra,
});
const job = (spec: object, annotations: Record<string, string> = {}) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: { name: 'job', namespace: 'ray', annotations },
  spec: { entrypoint: 'python /app/main.py', shutdownAfterJobFinishes: true, rayClusterSpec: cluster(), ...spec },
});
const failures = (m: object) => rayValidationFailures(m).map((f) => `${f.since} ${f.message}`);

describe('the RayJob checks (TestValidateRayJobSpec)', () => {
  test.each([
    ['one of RayClusterSpec or ClusterSelector must be set', { rayClusterSpec: undefined }, /^1\.1\.0 neither spec.rayClusterSpec nor spec.clusterSelector/],
    [
      'shutdownAfterJobFinishes false is not allowed to be suspended',
      { suspend: true, shutdownAfterJobFinishes: false },
      /^1\.1\.0 spec.suspend is true while spec.shutdownAfterJobFinishes is false/,
    ],
    [
      'the ClusterSelector mode does not support suspend',
      { suspend: true, rayClusterSpec: undefined, clusterSelector: { 'ray.io/cluster': 'c' } },
      /^1\.1\.0 spec.suspend is true with spec.clusterSelector/,
    ],
    ['backoffLimit must be a positive integer', { backoffLimit: -1 }, /^1\.2\.0 spec.backoffLimit is -1/],
    [
      'BackoffLimit is incompatible with InteractiveMode',
      { submissionMode: 'InteractiveMode', backoffLimit: 1 },
      /^1\.4\.0 spec.backoffLimit 1 is incompatible with spec.submissionMode InteractiveMode/,
    ],
    [
      'ShutdownAfterJobFinishes false and a TTL',
      { shutdownAfterJobFinishes: false, ttlSecondsAfterFinished: 5 },
      /^1\.4\.0 spec.ttlSecondsAfterFinished is 5 while spec.shutdownAfterJobFinishes is false/,
    ],
    ['a negative TTL', { ttlSecondsAfterFinished: -5 }, /^1\.4\.0 spec.ttlSecondsAfterFinished is -5: it must be a non-negative integer/],
    [
      'SidecarMode does not support SubmitterPodTemplate',
      { submissionMode: 'SidecarMode', submitterPodTemplate: { spec: {} } },
      /^1\.5\.0 spec.submitterPodTemplate is set/,
    ],
    [
      'SidecarMode does not support SubmitterConfig',
      { submissionMode: 'SidecarMode', submitterConfig: { backoffLimit: 1 } },
      /^1\.5\.0 spec.submitterConfig is set/,
    ],
    [
      'SidecarMode head pod restartPolicy only Never or unset',
      {
        submissionMode: 'SidecarMode',
        rayClusterSpec: {
          ...cluster(),
          headGroupSpec: { rayStartParams: {}, template: { spec: { restartPolicy: 'Always', containers: [container('ray-head')] } } },
        },
      },
      /^1\.5\.0 the head pod's restartPolicy is Always/,
    ],
    [
      'SidecarMode does not support ClusterSelector',
      { submissionMode: 'SidecarMode', rayClusterSpec: undefined, clusterSelector: { 'ray.io/cluster': 'c' } },
      /^1\.5\.0 spec.clusterSelector is not supported with spec.submissionMode SidecarMode/,
    ],
    [
      'the cluster name in ClusterSelector is missing',
      { rayClusterSpec: undefined, clusterSelector: { team: 'a' } },
      /^1\.5\.0 spec.clusterSelector names no cluster/,
    ],
    [
      'the cluster name in ClusterSelector is empty',
      { rayClusterSpec: undefined, clusterSelector: { 'ray.io/cluster': '' } },
      /^1\.5\.0 spec.clusterSelector names no cluster/,
    ],
    [
      'BackoffLimit > 0 with ClusterSelector',
      { rayClusterSpec: undefined, clusterSelector: { 'ray.io/cluster': 'c' }, backoffLimit: 2 },
      /^1\.6\.0 spec.backoffLimit 2 is incompatible with spec.clusterSelector/,
    ],
    ['activeDeadlineSeconds zero', { activeDeadlineSeconds: 0 }, /^1\.1\.0 spec.activeDeadlineSeconds is 0/],
    ['preRunningDeadlineSeconds negative', { preRunningDeadlineSeconds: -1 }, /^1\.6\.0 spec.preRunningDeadlineSeconds is -1/],
    [
      'deletionRules and ShutdownAfterJobFinishes both set',
      { deletionStrategy: { deletionRules: [{ policy: 'DeleteCluster', condition: { jobStatus: 'SUCCEEDED' } }] } },
      /^1\.5\.0 spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive/,
    ],
    [
      'headGroupSpec should have at least one container',
      { rayClusterSpec: { headGroupSpec: { template: { spec: { containers: [] } } } } },
      /^1\.3\.0 spec.rayClusterSpec.headGroupSpec.template.spec.containers is empty/,
    ],
  ])('%s', (_, spec, expected) => {
    const got = failures(job(spec));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  test.each([
    ['valid RayJob', {}],
    ['BackoffLimit 0 in InteractiveMode', { submissionMode: 'InteractiveMode', backoffLimit: 0 }],
    ['BackoffLimit unset in InteractiveMode', { submissionMode: 'InteractiveMode' }],
    ['ShutdownAfterJobFinishes true with a TTL', { ttlSecondsAfterFinished: 5 }],
    ['SidecarMode', { submissionMode: 'SidecarMode' }],
    ['the cluster name in ClusterSelector is given', { rayClusterSpec: undefined, clusterSelector: { 'ray.io/cluster': 'c' } }],
    ['a TTL of 0 with shutdownAfterJobFinishes false', { shutdownAfterJobFinishes: false, ttlSecondsAfterFinished: 0 }],
    // the CRD's schema refuses a clusterSelector that is no map of strings before the operator sees it (field-value-invalid's)
    ['a clusterSelector written as a label selector', { rayClusterSpec: undefined, clusterSelector: { matchLabels: { 'ray.io/cluster': 'c' } } }],
  ])('%s passes', (_, spec) => {
    expect(failures(job(spec))).toEqual([]);
  });
});

describe('the RayCluster checks (TestValidateRayClusterSpec*)', () => {
  const rayCluster = (spec: object, annotations: Record<string, string> = {}) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'c', annotations },
    spec,
  });
  test.each([
    [
      'workerGroupSpec has no containers',
      cluster({}, [worker({ template: { spec: { containers: [] } } })]),
      {},
      /^1\.3\.0 spec.workerGroupSpecs\[0\].template.spec.containers is empty/,
    ],
    [
      'minReplicas greater than maxReplicas',
      cluster({}, [worker({ minReplicas: 3, maxReplicas: 2 })]),
      {},
      /^1\.6\.0 .*minReplicas 3 greater than maxReplicas 2/,
    ],
    ['minReplicas is negative', cluster({}, [worker({ minReplicas: -1 })]), {}, /^1\.6\.0 spec.workerGroupSpecs\[0\].minReplicas is -1/],
    [
      'resources in both rayStartParams and resources',
      cluster({}, [worker({ rayStartParams: { 'num-gpus': '1' }, resources: { GPU: '1' } })]),
      {},
      /^1\.5\.0 .*both in rayStartParams and in resources for the small group/,
    ],
    [
      "'labels' in rayStartParams",
      cluster({}, [worker({ rayStartParams: { labels: 'a=b' } })]),
      {},
      /^1\.5\.0 spec.workerGroupSpecs\[0\].rayStartParams.labels/,
    ],
    [
      'ray.io/ft-enabled and gcsFaultToleranceOptions',
      cluster({}, [worker()], { gcsFaultToleranceOptions: { redisAddress: 'redis:6379' } }),
      { 'ray.io/ft-enabled': 'true' },
      /^1\.3\.0 the ray.io\/ft-enabled annotation and spec.gcsFaultToleranceOptions/,
    ],
    [
      'FT disabled and RAY_REDIS_ADDRESS set',
      cluster({ env: [{ name: 'RAY_REDIS_ADDRESS', value: 'redis:6379' }] }),
      {},
      /^1\.3\.0 the head's Ray container sets RAY_REDIS_ADDRESS, which enables/,
    ],
    [
      'gcsFaultToleranceOptions and redis-password in rayStartParams',
      {
        ...cluster(),
        headGroupSpec: { rayStartParams: { 'redis-password': 'x' }, template: { spec: { containers: [container('ray-head')] } } },
        gcsFaultToleranceOptions: { redisAddress: 'r:6379' },
      },
      {},
      /^1\.3\.0 spec.headGroupSpec.rayStartParams sets redis-password/,
    ],
    ['REDIS_USERNAME in the head pod', cluster({ env: [{ name: 'REDIS_USERNAME', value: 'u' }] }), {}, /^1\.3\.0 a redis username/],
    [
      'suspend with the autoscaler',
      cluster({}, [worker({ suspend: true })], { enableInTreeAutoscaling: true }),
      {},
      /^1\.4\.0 worker group small is suspended/,
    ],
    [
      'RAY_enable_autoscaler_v2 true without the autoscaler',
      cluster({ env: [{ name: 'RAY_enable_autoscaler_v2', value: 'true' }] }),
      {},
      /^1\.5\.0 the head's RAY_enable_autoscaler_v2 is 'true'/,
    ],
    [
      'idleTimeoutSeconds without autoscaler v2',
      cluster({}, [worker({ idleTimeoutSeconds: 60 })], { enableInTreeAutoscaling: true }),
      {},
      /^1\.6\.0 .*idleTimeoutSeconds is set, but autoscaler v2 is not enabled/,
    ],
  ])('%s', (_, spec, annotations, expected) => {
    const got = failures(rayCluster(spec, annotations));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  test.each([
    ['valid cluster with containers in both groups', cluster(), {}],
    ['ft-enabled true and RAY_REDIS_ADDRESS set', cluster({ env: [{ name: 'RAY_REDIS_ADDRESS', value: 'redis:6379' }] }), { 'ray.io/ft-enabled': 'true' }],
    ['only rayStartParams resources', cluster({}, [worker({ rayStartParams: { 'num-gpus': '1' } })]), {}],
    [
      'idleTimeoutSeconds with autoscaler v2',
      cluster({}, [worker({ idleTimeoutSeconds: 60 })], { enableInTreeAutoscaling: true, autoscalerOptions: { version: 'v2' } }),
      {},
    ],
    ['suspend without the autoscaler', cluster({}, [worker({ suspend: true })]), {}],
  ])('%s passes', (_, spec, annotations) => {
    expect(failures(rayCluster(spec, annotations))).toEqual([]);
  });
});

describe('the RayService checks (TestValidateRayServiceSpec)', () => {
  const service = (spec: object) => ({ apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name: 's' }, spec: { rayClusterConfig: cluster(), ...spec } });
  test('headService.metadata.name should not be set', () => {
    const spec = { rayClusterConfig: { ...cluster(), headGroupSpec: { ...cluster().headGroupSpec, headService: { metadata: { name: 'my-head' } } } } };
    expect(failures(service(spec))).toEqual([expect.stringMatching(/^1\.3\.0 spec.rayClusterConfig.headGroupSpec.headService.metadata.name is 'my-head'/)]);
  });
  test('a negative RayClusterDeletionDelaySeconds', () => {
    expect(failures(service({ rayClusterDeletionDelaySeconds: -1 }))).toEqual([expect.stringMatching(/^1\.5\.0 spec.rayClusterDeletionDelaySeconds is -1/)]);
  });
  test('a valid RayService', () => {
    expect(failures(service({ rayClusterDeletionDelaySeconds: 0 }))).toEqual([]);
  });
});

describe('the severity follows the KubeRay release the tree deploys', () => {
  const operator = (tag: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kuberay-operator', namespace: 'ray-system' },
    spec: {
      selector: { matchLabels: { app: 'op' } },
      template: { metadata: { labels: { app: 'op' } }, spec: { containers: [{ name: 'op', image: `quay.io/kuberay/operator:${tag}` }] } },
    },
  });
  async function verdicts(objects: object[]): Promise<string[]> {
    const dir = writeTree('ray-spec-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'ray-spec-invalid')
      .map((f: { severity: string; message: string }) => `${f.severity}: ${f.message}`);
  }
  const ttlJob = job({ shutdownAfterJobFinishes: false, ttlSecondsAfterFinished: 30 });
  test('a check newer than v1.1.0 is a warning naming its release when no operator is in the tree', async () => {
    expect(await verdicts([ttlJob])).toEqual([
      expect.stringMatching(/^warning: .*since v1\.4\.0.*does not say which KubeRay runs it: releases before v1\.4\.0 accept the spec$/),
    ]);
  });
  test('an error where the deployed operator has the check, nothing where it predates it', async () => {
    expect(await verdicts([ttlJob, operator('v1.4.0')])).toEqual([expect.stringMatching(/^error: /)]);
    expect(await verdicts([ttlJob, operator('v1.3.2')])).toEqual([]);
  });
  test('a check KubeRay has made since v1.1.0 is an error without an operator in the tree', async () => {
    expect(await verdicts([job({ suspend: true, shutdownAfterJobFinishes: false })])).toEqual([expect.stringMatching(/^error: .*since v1\.1\.0/)]);
  });
});

describe("a RayService's serveConfigV2 that go-yaml does not read (KubeRay's updateServeDeployment unmarshals it)", () => {
  const config = (envVars: string) =>
    ['applications:', '- name: llm', '  import_path: serve:model', '  runtime_env:', '    env_vars:', envVars].join('\n') + '\n';
  const errorOf = (serveConfigV2: string) =>
    serveConfigError({ apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name: 's' }, spec: { serveConfigV2, rayClusterConfig: cluster() } });

  // each case checked against a libyaml-style scanner (PyYAML): a plain scalar at the keys' column with no ': ' after it
  // is a simple key that never finds its ':' ("could not find expected ':'"), or, followed by a key, "mapping values are not allowed here"
  test.each([
    ['a key with no space after its colon, between keys', '      A: "1"\n      MODEL:"org/m"\n      B: "2"', 7, 'MODEL:"org/m"'],
    ['the same as the last key', '      A: "1"\n      MODEL:"org/m"', 7, 'MODEL:"org/m"'],
    ['the same as the first key', '      MODEL:"org/m"\n      B: "2"', 6, 'MODEL:"org/m"'],
    ['a bare word among keys', '      A: "1"\n      MODEL\n      B: "2"', 7, 'MODEL'],
    ['a tab as indentation', '\tA: "1"', 6, 'A: "1"'],
  ])('%s: refused, naming the line', (_, envVars, line, text) => {
    expect(errorOf(config(envVars))).toEqual(expect.objectContaining({ line, text }));
  });

  test.each([
    ['the only key of its mapping, which is then a plain string', '      MODEL:"org/m"'],
    ['a sequence item, a plain string', '      - MODEL:"org/m"'],
    ['a colon inside a value (a URL)', '      URL: http://host:8000/v1'],
    ['a flow mapping whose key holds the colon', '      X: {MODEL:"org/m"}'],
    ['a repeated key (go-yaml keeps the last, as sigs.k8s.io/yaml reads it)', '      A: "1"\n      A: "2"'],
    ['a deeper line, which continues the value before it', '      A: 1\n        MODEL:"org/m"\n      B: 2'],
    ['a block scalar holding the text', '      A: |\n        MODEL:"org/m"\n      B: 2'],
    ['a templated string, rendered later', '      MODEL:"{{ .Values.model }}"\n      B: 2'],
  ])('%s: parses, no finding', (_, envVars) => {
    expect(errorOf(config(envVars))).toBeUndefined();
  });

  test('the finding: an error naming the line, on every KubeRay release', async () => {
    const dir = writeTree('ray-serve-', {
      'tree.yaml': YAML.stringify({
        apiVersion: 'ray.io/v1',
        kind: 'RayService',
        metadata: { name: 'llm', namespace: 'ray' },
        spec: { serveConfigV2: config('      A: "1"\n      MODEL:"org/m"\n      B: "2"'), rayClusterConfig: cluster() },
      }),
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(
      report.findings.filter((f: { rule: string }) => f.rule === 'ray-spec-invalid').map((f: { severity: string; message: string }) => [f.severity, f.message]),
    ).toEqual([
      ['error', expect.stringMatching(/^spec.serveConfigV2 is not valid YAML: line 7 of it, 'MODEL:"org\/m"', does not parse .*never becomes ready/)],
    ]);
  });
});

describe("a RayService's serveConfigV2 that Ray Serve refuses (ServeDeploySchema, read by the dashboard KubeRay sends it to)", () => {
  const refusalOf = (serveConfigV2: string) =>
    serveConfigSchemaError({ apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name: 's' }, spec: { serveConfigV2, rayClusterConfig: cluster() } });
  const app = (name: string | undefined, route: string | null | undefined, importPath: string | null = 'serve_app:app') =>
    [
      name === undefined ? '  - deployments: []' : `  - name: ${name}`,
      ...(route === undefined ? [] : [`    route_prefix: ${route === null ? 'null' : route}`]),
      ...(importPath === null ? [] : [`    import_path: ${importPath}`]),
    ].join('\n');

  test.each([
    [
      'applications nested under another applications key',
      `applications:\n  applications:\n${app('a', '/a')}\n`,
      /a mapping \(it holds another `applications:` key: one level too deep\)/,
    ],
    ['applications written as a mapping of names', 'applications:\n  chat:\n    import_path: serve_app:app\n', /its `applications:` is a mapping, where/],
    ['no applications key (a single-application config)', 'import_path: serve_app:app\nroute_prefix: /\n', /no `applications:` key/],
    ['an application with no import_path', `applications:\n${app('a', '/a', null)}\n`, /applications\[0\] \('a'\) has no import_path/],
    ['two applications of one name', `applications:\n${app('a', '/a')}\n${app('a', '/b')}\n`, /two applications are named 'a'/],
    ['two unnamed applications: both named default', `applications:\n${app(undefined, '/a')}\n${app(undefined, '/b')}\n`, /named 'default' \(the name/],
    ['two applications on one route prefix', `applications:\n${app('a', '/x')}\n${app('b', '/x')}\n`, /the route_prefix '\/x'/],
    [
      'two applications without a route prefix: both at /',
      `applications:\n${app('a', undefined)}\n${app('b', undefined)}\n`,
      /the route_prefix '\/' \(the prefix/,
    ],
  ])('%s: refused', (_, config, words) => {
    expect(refusalOf(config)).toMatch(words);
  });

  test.each([
    ['a list of applications with distinct names and prefixes', `applications:\n${app('a', '/a')}\n${app('b', '/b')}\n`],
    ['one unnamed application at /', `applications:\n${app(undefined, undefined)}\n`],
    ['two applications not exposed over HTTP (route_prefix null is not compared)', `applications:\n${app('a', null)}\n${app('b', null)}\n`],
    ['no applications at all', 'applications: []\n'],
    ['a templated config, rendered later', 'applications: {{ .Values.apps }}\n'],
    ['a config that is not YAML (judged by serveConfigError instead)', 'applications:\n\t- name: a\n'],
  ])('%s: accepted, no finding', (_, config) => {
    expect(refusalOf(config)).toBeUndefined();
  });

  test('the finding: an error on every KubeRay release naming what Ray Serve refuses', async () => {
    const dir = writeTree('ray-serve-schema-', {
      'tree.yaml': YAML.stringify({
        apiVersion: 'ray.io/v1',
        kind: 'RayService',
        metadata: { name: 'llm', namespace: 'ray' },
        spec: { serveConfigV2: `applications:\n  applications:\n${app('a', '/a')}\n`, rayClusterConfig: cluster() },
      }),
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(
      report.findings.filter((f: { rule: string }) => f.rule === 'ray-spec-invalid').map((f: { severity: string; message: string }) => [f.severity, f.message]),
    ).toEqual([['error', expect.stringMatching(/^spec.serveConfigV2 is not a config Ray Serve accepts: .*one level too deep.*never becomes ready/)]]);
  });
});
