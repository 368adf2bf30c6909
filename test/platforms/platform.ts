import { App, Chart } from 'cdk8s';
import {
  GpuInstanceType,
  GpuMachineSetScale,
  KueueQuota,
  LocalQueueOf,
  PlatformId,
  PLATFORM_IDS,
  PLATFORMS,
  runChecks,
  platformOf,
  S3Connection,
  S3ModelInferenceService,
  S3ModelInferenceServiceProps,
  SchemaValidator,
  setPlatform,
  strictChecks,
  VllmRuntime,
} from '../../lib';
import * as fs from 'fs';
import * as path from 'path';
import { buildTwoTeams } from '../../examples/two-teams';
import { buildStep05, loadConfig } from '../../main';
import { CONFIG, find, keptWarnings, ROOT, synthApp, tempDir, testApp } from '../util';

describe('the platform an app renders for', () => {
  test('an app that chooses none renders for OpenShift AI 3.0 (Kueue v1beta1, LLMInferenceService v1alpha1)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    expect(platformOf(chart).id).toBe('rhoai-3.0');
    expect(platformOf(chart).kueueApiVersion).toBe('kueue.x-k8s.io/v1beta1');
    expect(platformOf(chart).llmInferenceServiceApiVersion).toBe('serving.kserve.io/v1alpha1');
  });

  test('setPlatform on the app reaches every construct below it', () => {
    const app = new App();
    setPlatform(app, 'rhoai-3.4');
    const chart = new Chart(app, 'c');
    expect(platformOf(chart).kueueApiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(platformOf(chart).llmInferenceServiceApiVersion).toBe('serving.kserve.io/v1alpha2');
    expect(platformOf(chart).deploymentModes.raw).toBe('Standard');
  });

  test('setPlatform after constructs exist is refused, naming the platform they render for', () => {
    const app = new App();
    new Chart(app, 'c');
    expect(() => setPlatform(app, 'rhoai-3.4')).toThrow(/before creating constructs.*rhoai-3\.0/);
  });

  test('setPlatform after strictChecks is refused, saying that strictChecks added the app checks', () => {
    const app = new App();
    strictChecks(app);
    expect(() => setPlatform(app, 'rhoai-3.4')).toThrow(/strictChecks and reportWarningsTo add the app's checks.*already holds cdk8s-vllm\.AppChecks/);
  });

  test('an unknown platform id is refused with the known ones', () => {
    expect(() => setPlatform(new App(), 'rhoai-9' as never)).toThrow(/'rhoai-9' is not a platform; use one of rhoai-3\.0, rhoai-3\.3, rhoai-3\.4, kserve/);
    const app = new App();
    app.node.setContext('cdk8s-vllm:platform', 'openshift');
    expect(() => platformOf(app)).toThrow(/context cdk8s-vllm:platform: 'openshift' is not a platform/);
  });

  test('Kueue field names follow the stored version: cohortName and MayStopSearch in v1beta2 only', () => {
    expect(PLATFORMS['rhoai-3.0'].kueue).toMatchObject({ cohortField: 'cohort', borrowInFlavor: 'Borrow' });
    expect(PLATFORMS['rhoai-3.3'].kueue).toMatchObject({ cohortField: 'cohort', borrowInFlavor: 'Borrow' });
    expect(PLATFORMS['rhoai-3.4'].kueue).toMatchObject({ cohortField: 'cohortName', borrowInFlavor: 'MayStopSearch' });
    expect(PLATFORMS.kserve.kueue).toMatchObject({ cohortField: 'cohortName', borrowInFlavor: 'MayStopSearch' });
  });
});

/** The building blocks of a service, in an app that renders for `platform`. */
function appFor(platform: PlatformId) {
  const app = testApp();
  setPlatform(app, platform);
  const cluster = new Chart(app, 'cluster');
  const serving = new Chart(app, 'serving', { namespace: 'team-a' });
  const nodes = new GpuMachineSetScale(cluster, 'Nodes', {
    clusterId: 'demo-abc12',
    region: 'us-east-2',
    availabilityZone: 'us-east-2a',
    amiId: 'ami-0123456789abcdef0',
    instanceType: GpuInstanceType.G6_12XLARGE,
    replicas: 2,
  });
  return { app, cluster, serving, nodes, warnings: keptWarnings(app) };
}

function service(f: ReturnType<typeof appFor>, extra: Partial<S3ModelInferenceServiceProps> = {}) {
  return new S3ModelInferenceService(f.serving, 'llm', {
    runtime: new VllmRuntime(f.serving, 'Runtime'),
    connection: new S3Connection(f.serving, 'S3', { secretName: 'models-s3', endpoint: 'http://minio.minio.svc:9000', bucket: 'models' }),
    modelPath: 'llm/',
    placement: f.nodes,
    ...extra,
  });
}

/** Two quotas of one cohort sharing a pool, with a borrowing limit: the fields a version bump could drop. */
function cohortApp(platform: PlatformId) {
  const f = appFor(platform);
  new KueueQuota(f.cluster, 'A', {
    shares: [{ placement: f.nodes, nodes: 1 }],
    namespace: 'team-a',
    clusterQueueName: 'a',
    cohort: 'ai',
    gpuBorrowingLimit: 2,
  });
  new KueueQuota(f.cluster, 'B', { shares: [{ placement: f.nodes, nodes: 1 }], namespace: 'team-b', clusterQueueName: 'b', cohort: 'ai', flavorPrefix: 'b' });
  new LocalQueueOf(f.cluster, 'Shared', { clusterQueueName: 'admin-queue', namespace: 'team-c' });
  return synthApp(f.app);
}

describe('Kueue objects in the version the platform stores', () => {
  test('OpenShift AI 3.4: v1beta2 with spec.cohortName, whenCanBorrow MayStopSearch, the borrowing limit kept', () => {
    const m = cohortApp('rhoai-3.4');
    const kueueObjects = m.filter((x) => String(x.apiVersion).startsWith('kueue.x-k8s.io/'));
    // 2 ClusterQueues, 3 LocalQueues, 4 ResourceFlavors (batch and L4 flavors, once unprefixed and once with 'b-')
    expect(kueueObjects.length).toBe(9);
    expect(new Set(kueueObjects.map((x) => x.apiVersion))).toEqual(new Set(['kueue.x-k8s.io/v1beta2']));
    const a = find(m, 'ClusterQueue', 'a');
    expect(a.spec.cohortName).toBe('ai');
    expect(a.spec).not.toHaveProperty('cohort');
    expect(a.spec.flavorFungibility).toEqual({ whenCanBorrow: 'MayStopSearch', whenCanPreempt: 'TryNextFlavor' });
    const gpu = a.spec.resourceGroups[0].flavors.find((fl: any) => fl.name === 'nvidia-l4-4gpu').resources.find((r: any) => r.name === 'nvidia.com/gpu');
    expect(gpu).toEqual({ name: 'nvidia.com/gpu', nominalQuota: '4', borrowingLimit: '2' });
    expect(find(m, 'ClusterQueue', 'b').spec.cohortName).toBe('ai');
  });

  test('OpenShift AI 3.0 and 3.3: v1beta1 with spec.cohort and Borrow (Kueue 0.14 knows no MayStopSearch)', () => {
    for (const platform of ['rhoai-3.0', 'rhoai-3.3'] as const) {
      const m = cohortApp(platform);
      expect(new Set(m.filter((x) => String(x.apiVersion).startsWith('kueue.')).map((x) => x.apiVersion))).toEqual(new Set(['kueue.x-k8s.io/v1beta1']));
      const a = find(m, 'ClusterQueue', 'a');
      expect(a.spec.cohort).toBe('ai');
      expect(a.spec).not.toHaveProperty('cohortName');
      expect(a.spec.flavorFungibility.whenCanBorrow).toBe('Borrow');
    }
  });

  test("each rendering conforms to its platform's Kueue CRDs and not to the other's", () => {
    const findings = (objects: any[], platform: PlatformId) => {
      const v = new SchemaValidator({ platform, cacheDir: null });
      return objects.filter((o) => String(o.apiVersion).startsWith('kueue.')).flatMap((o) => v.validate(o));
    };
    const on34 = cohortApp('rhoai-3.4');
    const on30 = cohortApp('rhoai-3.0');
    expect(findings(on34, 'rhoai-3.4')).toEqual([]);
    expect(findings(on30, 'rhoai-3.0')).toEqual([]);
    expect(findings(on34, 'rhoai-3.0').length).toBe(9);
    expect(findings(on34, 'rhoai-3.0')[0].message).toMatch(/is not served on OpenShift AI 3.0/);
  });
});

describe('InferenceService and runtime per platform', () => {
  test('deploymentMode: RawDeployment up to 3.3 (KServe 0.15 ignores Standard), Standard from 3.4 and upstream KServe 0.16+', () => {
    const mode = (platform: PlatformId) => {
      const f = appFor(platform);
      service(f);
      const annotation = synthApp(f.app).find((x) => x.kind === 'InferenceService').metadata.annotations['serving.kserve.io/deploymentMode'];
      // the connection Secret is made outside the app, and the model at the S3 path is not known: a warning and a note
      expect(f.warnings).toEqual([
        expect.stringMatching(
          /^warning secret-not-in-tree InferenceService\/team-a\/llm: storage\.key 'models-s3' is an entry of Secret storage-config in 'team-a'/,
        ),
        expect.stringMatching(/^info gpu-memory-fit InferenceService\/team-a\/llm: the model at s3:\/\/models\/llm\/ is unknown/),
      ]);
      return annotation;
    };
    expect(mode('rhoai-3.0')).toBe('RawDeployment');
    expect(mode('rhoai-3.3')).toBe('RawDeployment');
    expect(mode('rhoai-3.4')).toBe('Standard');
    expect(mode('kserve')).toBe('Standard');
  });

  test('a feature the platform cannot render fails at construction, naming the platform and the feature', () => {
    expect(() => service(appFor('kserve'), { hardwareProfileName: 'l4' })).toThrow(
      /InferenceService team-a\/llm: hardwareProfileName \(an OpenShift AI HardwareProfile\) is not available on upstream KServe 0.20 with Kueue 0.16\+; it is on rhoai-3.0, rhoai-3.3, rhoai-3.4/,
    );
    expect(() => service(appFor('kserve'), { enableAuth: true })).toThrow(/enableAuth .* is not available on upstream KServe/);
    expect(() => service(appFor('rhoai-3.4'), { enableAuth: true })).not.toThrow();
  });

  test('runtime-version follows the pinned image: a known digest, a v<version> tag, or no annotation at all', () => {
    const version = (props: ConstructorParameters<typeof VllmRuntime>[2]) => {
      const f = appFor('rhoai-3.4');
      return new VllmRuntime(f.serving, 'R', props).apiObject.toJson().metadata.annotations['opendatahub.io/runtime-version'];
    };
    expect(version({})).toBe('v0.9.1.0');
    const digest = `@sha256:${'a'.repeat(64)}`;
    expect(version({ image: `docker.io/vllm/vllm-openai:v0.21.0${digest}` })).toBe('v0.21.0');
    // the Red Hat AI Inference Server tags carry the product's version, not vLLM's: no guess
    expect(version({ image: `registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.5${digest}` })).toBeUndefined();
    expect(version({ image: `localhost:5000/vllm${digest}` })).toBeUndefined();
    expect(version({ image: `registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.5${digest}`, runtimeVersion: 'v0.10.1' })).toBe('v0.10.1');
    expect(() => version({ runtimeVersion: 'latest' })).toThrow(/runtimeVersion 'latest' is not a version; write the vLLM version of the image/);
  });
});

describe('an app with a cohort, rendered for each Kueue version', () => {
  // the two-team app: two quotas in one cohort lending each other a shared pool; the checks read cohortName as cohort
  const render = (platform: PlatformId) => {
    const app = testApp();
    setPlatform(app, platform);
    return buildTwoTeams(app).render().objects;
  };

  test('the same cohort and the same findings on 3.4 (v1beta2) as on 3.0 (v1beta1)', () => {
    const on30 = render('rhoai-3.0');
    const on34 = render('rhoai-3.4');
    const cohorts = (objects: typeof on30, field: string) =>
      objects
        .filter((o) => o.manifest.kind === 'ClusterQueue')
        .map((o) => `${String((o.manifest.metadata as Record<string, unknown>).name)}:${String((o.manifest.spec as Record<string, unknown>)[field])}`)
        .sort();
    expect(cohorts(on34, 'cohortName')).toEqual(cohorts(on30, 'cohort'));
    expect(cohorts(on34, 'cohortName').every((c) => !c.endsWith(':undefined'))).toBe(true);
    const findings = (objects: typeof on30, platform: PlatformId) =>
      runChecks(objects, { platform })
        .filter((f) => f.rule !== 'deprecated-api-version')
        .map((f) => `${f.rule} ${f.object}`);
    expect(findings(on34, 'rhoai-3.4')).toEqual(findings(on30, 'rhoai-3.0'));
    expect(runChecks(on34, { platform: 'rhoai-3.4' }).filter((f) => f.rule === 'deprecated-api-version')).toEqual([]);
  });
});

describe('the step-05 app on every platform', () => {
  test.each(PLATFORM_IDS.filter((p) => PLATFORMS[p].openShiftAi))("%s: renders, and every object conforms to that platform's CRDs", (platform) => {
    const app = testApp();
    setPlatform(app, platform);
    const tree = buildStep05(app, loadConfig(CONFIG), { report: () => undefined });
    const { objects } = tree.render();
    const v = new SchemaValidator({ platform, cacheDir: null });
    expect(objects.flatMap((o) => v.validate(o.manifest, o.file))).toEqual([]);
    const kueue = objects.filter((o) => String(o.manifest.apiVersion).startsWith('kueue.'));
    expect(new Set(kueue.map((o) => o.manifest.apiVersion))).toEqual(new Set([PLATFORMS[platform].kueueApiVersion]));
  });

  test('upstream KServe: the hardware profile the app names is refused at construction, naming platform and feature', () => {
    const app = testApp();
    setPlatform(app, 'kserve');
    expect(() => buildStep05(app, loadConfig(CONFIG), { report: () => undefined })).toThrow(
      /InferenceService private-ai\/mistral-small-24b-tp4: hardwareProfileName \(an OpenShift AI HardwareProfile\) is not available on upstream KServe/,
    );
  });

  test("the configuration's platform is checked: a name that is none is refused, naming the file and the choices", () => {
    const dir = tempDir('platform-config-');
    const file = path.join(dir, 'c.json');
    const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...config, platform: 'openshift-ai-3.4' }));
    expect(() => loadConfig(file)).toThrow(
      `${file}: 'platform' is "openshift-ai-3.4"; write one of rhoai-3.0, rhoai-3.3, rhoai-3.4, kserve (or leave it out for rhoai-3.0)`,
    );
    fs.writeFileSync(file, JSON.stringify({ ...config, platform: 'rhoai-3.4' }));
    expect(loadConfig(file).platform).toBe('rhoai-3.4');
  });
});

describe('the schema sets', () => {
  const root = path.join(ROOT, 'schemas', 'crds');

  const { SCHEMA_SETS: IMPORTED } = require('../../scripts/import-crds.js') as { SCHEMA_SETS: Record<string, string[]> };
  const { WORKLOAD_SETS } = require('../../scripts/derive-workload-crds.js') as { WORKLOAD_SETS: Record<string, string[]> };
  const SCHEMA_SETS = { ...IMPORTED, ...WORKLOAD_SETS };
  // the Kueue sets also hold the Workload schema scripts/derive-kueue-workloads.js writes
  const { KUEUE_WORKLOAD_SETS } = require('../../scripts/derive-kueue-workloads.js') as { KUEUE_WORKLOAD_SETS: string[] };
  const filesOf = (set: string) => SCHEMA_SETS[set as keyof typeof SCHEMA_SETS].length + (KUEUE_WORKLOAD_SETS.includes(set) ? 1 : 0);

  test('every set a platform names is derived by the import script or the workload-operator one, and every derived folder is a set', () => {
    const named = new Set(PLATFORM_IDS.flatMap((p) => PLATFORMS[p].schemaSets));
    expect([...named].filter((set) => !(set in SCHEMA_SETS))).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(Object.keys(SCHEMA_SETS).sort());
    for (const set of Object.keys(SCHEMA_SETS)) expect({ set, files: fs.readdirSync(path.join(root, set)).length }).toEqual({ set, files: filesOf(set) });
    expect(KUEUE_WORKLOAD_SETS.filter((set) => !fs.existsSync(path.join(root, set, 'workloads.kueue.x-k8s.io.json')))).toEqual([]);
  });

  test('the committed schemas carry no descriptions (a property named description stays)', () => {
    const described: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) {
          if (k === 'description' && typeof v === 'string') described.push(where);
          else walk(v, `${where}.${k}`);
        }
    };
    for (const set of fs.readdirSync(root))
      for (const file of fs.readdirSync(path.join(root, set))) walk(JSON.parse(fs.readFileSync(path.join(root, set, file), 'utf8')), `${set}/${file}`);
    expect(described).toEqual([]);
  });
});
