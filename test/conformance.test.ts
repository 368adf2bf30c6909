import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { acknowledgeFinding, KustomizeTree, readManifests, SchemaValidator, schemaVerifier } from '../lib';
import { kubectlBinary, kubectlEach, KubectlRun } from './setup/kubectl';
import { keptWarnings, ROOT, runCliInProcess, tempDir, testApp } from './util';

const DIST = path.join(ROOT, 'dist');
const SHARED_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
/**
 * The validators the build precompiled for the shipped schemas, as the built library and the CLI run them (global
 * setup brings build/ up to date; test/precompiled-validators.test.ts proves them equal to the ones compiled at run
 * time). From the sources, each validator of these suites compiled every kind it met again: seconds of CPU each.
 */
const PRECOMPILED = path.join(ROOT, 'build', 'lib', 'validation', 'precompiled');
/** One validator for the suites that judge objects with the shipped schemas, without a disk cache. */
const validator = new SchemaValidator({ cacheDir: null, precompiledDir: PRECOMPILED });

describe('schema conformance of the rendered tree', () => {
  const { manifests, errors } = readManifests([DIST]);

  test('every object in dist/ validates strictly against Kubernetes 1.33 and the OpenShift AI 3.0 CRDs', () => {
    expect(errors).toEqual([]);
    expect(manifests.length).toBeGreaterThanOrEqual(15);
    expect(manifests.flatMap((m) => validator.validate(m.manifest, m.file))).toEqual([]);
  });

  const describeWithCrds = fs.existsSync(SHARED_CRDS) || process.env.CI ? describe : describe.skip;
  if (!fs.existsSync(SHARED_CRDS)) {
    console.warn(`skipped: the CRDs folder ${SHARED_CRDS} is not on this machine; the shipped schemas were used instead`);
  }
  describeWithCrds('against the original CRD files', () => {
    test('the same objects also validate with --crds pointing at the CustomResourceDefinitions themselves', () => {
      const fromCrds = new SchemaValidator({ crdDir: SHARED_CRDS, cacheDir: null, precompiledDir: PRECOMPILED });
      expect(manifests.flatMap((m) => fromCrds.validate(m.manifest, m.file))).toEqual([]);
    });
  });
});

describe('the validator catches what the API server would reject', () => {
  const isvc = () =>
    JSON.parse(JSON.stringify(readManifests([path.join(DIST, 'gitops/step-05-llm-on-vllm/base/inference/mistral-small-24b-tp4.yaml')]).manifests[0].manifest));

  test('an unknown field (a typo) is named with its path', () => {
    const m = isvc();
    m.spec.predictor.model.storageURI = m.spec.predictor.model.storageUri;
    expect(validator.validate(m)).toEqual([
      expect.objectContaining({
        object: 'InferenceService/private-ai/mistral-small-24b-tp4',
        field: 'spec.predictor.model.storageURI',
        message: expect.stringMatching(/unknown field .*not in the CRD inferenceservices.serving.kserve.io schema/),
      }),
    ]);
  });

  test('a field that only upstream KServe 0.20 has is unknown to OpenShift AI 3.0', () => {
    const m = isvc();
    m.spec.predictor.model.restartPolicyRules = [];
    expect(validator.validate(m).map((f) => f.field)).toEqual(['spec.predictor.model.restartPolicyRules']);
  });

  test('a wrong type', () => {
    const m = isvc();
    m.spec.predictor.minReplicas = 'one';
    expect(validator.validate(m)).toEqual([
      expect.objectContaining({ field: 'spec.predictor.minReplicas', message: expect.stringMatching(/must be of type integer/) }),
    ]);
  });

  test('a bad quantity, in a CRD and in a built-in kind', () => {
    const m = isvc();
    m.spec.predictor.model.resources.requests.memory = '64 GB';
    expect(validator.validate(m)).toEqual([
      expect.objectContaining({
        field: 'spec.predictor.model.resources.requests.memory',
        message: expect.stringContaining(
          'is "64 GB", which is not a Kubernetes quantity (a number with an optional suffix: 500m, 16, 16Gi, 16G); did you mean 64Gi (or 64G)?',
        ),
      }),
    ]);
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'p', namespace: 'n' },
      spec: { resources: { requests: { storage: '10GiB' } } },
    };
    expect(validator.validate(pvc)).toEqual([
      expect.objectContaining({
        field: 'spec.resources.requests.storage',
        message: expect.stringMatching(/is "10GiB", which is not a Kubernetes quantity .*did you mean 10Gi \(or 10G\)\?$/),
      }),
    ]);
  });

  test('a fractional GPU count, and a fractional number where a quantity string is wanted', () => {
    const m = isvc();
    m.spec.predictor.model.resources.limits['nvidia.com/gpu'] = 0.5;
    m.spec.predictor.model.resources.requests.cpu = 1.5;
    expect(validator.validate(m)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'spec.predictor.model.resources.limits.nvidia.com/gpu',
          message: expect.stringMatching(/is 0\.5, but an extended resource such as a GPU is counted in whole units/),
        }),
        expect.objectContaining({
          field: 'spec.predictor.model.resources.requests.cpu',
          message: expect.stringMatching(/is the number 1\.5, .*quantity string \(e\.g\. '1500m'\)/),
        }),
      ]),
    );
  });

  test('a missing namespace on a namespaced kind, and a namespace on a cluster-scoped one', () => {
    const m = isvc();
    delete m.metadata.namespace;
    expect(validator.validate(m)).toEqual([
      expect.objectContaining({ field: 'metadata.namespace', message: expect.stringMatching(/InferenceService is namespaced/) }),
    ]);
    const cq = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'q', namespace: 'x' }, spec: {} };
    expect(validator.validate(cq)).toEqual([expect.objectContaining({ field: 'metadata.namespace', message: expect.stringMatching(/cluster-scoped/) })]);
  });

  test('enums, required fields, unknown fields in built-in kinds and unserved versions', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'n' },
      spec: { template: { spec: { containers: [{ name: 'c', imagePullPolicy: 'Sometimes', resource: {} }] } } },
    };
    expect(
      validator
        .validate(job)
        .map((f) => f.field)
        .sort(),
    ).toEqual(['spec.template.spec.containers[0].resource']);
    const lq = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'l', namespace: 'n' }, spec: {} };
    expect(validator.validate({ ...lq, spec: { clusterQueue: 'q', stopPolicy: 'Sometimes' } })).toEqual([
      expect.objectContaining({ field: 'spec.stopPolicy', message: expect.stringMatching(/must be one of/) }),
    ]);
    expect(validator.validate({ ...lq, apiVersion: 'kueue.x-k8s.io/v1beta2' })).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/not served on OpenShift AI 3.0 \(KServe 0.15, Kueue 0.14\); LocalQueue is served as kueue.x-k8s.io\/v1beta1/),
      }),
    ]);
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no schema for example.com\/v1\/Widget/) }),
    ]);
    const ms = {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'm', namespace: 'openshift-machine-api' },
      spec: { template: { spec: { providerSpec: { value: { anything: { goes: true } } } } } },
    };
    expect(validator.validate(ms)).toEqual([]);
  });

  test('synth refuses to write the tree when an object does not conform, naming object, file, field and reason', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'n' });
    // field-value-invalid refuses the same value first; acknowledged (a warning, kept here), the verifier's own refusal is what is read
    const bad = new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 1 } as any });
    acknowledgeFinding(bad, 'field-value-invalid', 'the schema verifier refuses it at write');
    const warnings = keptWarnings(app);
    const out = tempDir('refuse-');
    expect(() =>
      new KustomizeTree(app)
        .place('x/cfg.yaml', chart)
        .kustomization('x')
        .addVerifier(schemaVerifier({ cacheDir: null, precompiledDir: PRECOMPILED }))
        .write(out),
    ).toThrow(/nothing was written:\n {2}ConfigMap\/n\/cfg \(x\/cfg.yaml\): data.a: 'data.a' must be of type string/);
    expect(fs.readdirSync(out)).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^warning field-value-invalid ConfigMap\/n\/cfg: ConfigMap cfg sets data\.a to number 1/)]);
  });
});

describe('kubectl kustomize builds every kustomization as Argo CD would', () => {
  const kubectl = kubectlBinary();
  const dirs = readManifestDirs();

  test('kubectl is the real v1.34 with kustomize v5', () => {
    const out = execFileSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
    expect(out).toMatch(/Client Version: v1\.34\./);
    expect(out).toMatch(/Kustomize Version: v5\./);
  });

  // every folder's build started by the first of these tests, a few at a time (kubectlEach); each test judges its own
  let builds: Promise<KubectlRun>[] | undefined;
  const buildOf = (dir: string) => (builds ??= kubectlEach(dirs.map((d) => ['kustomize', path.join(DIST, d)])))[dirs.indexOf(dir)];

  test.each(dirs)('%s builds into exactly the objects rendered under it', async (dir) => {
    const run = await buildOf(dir);
    // as execFileSync threw: a failed build fails the test with kubectl's words
    if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} exited ${run.status}:\n${run.stderr}`);
    const built = YAML.parseAllDocuments(run.stdout)
      .map((d) => d.toJS())
      .filter(Boolean);
    const expected = expectedObjects(dir);
    expect(built.map(key).sort()).toEqual(expected.map((m) => key(m)).sort());
    // kustomize passes objects through unchanged: the built stream carries the same content
    const byKey = new Map(expected.map((m) => [key(m), m]));
    for (const b of built) expect(b).toEqual(byKey.get(key(b)));
  });

  function readManifestDirs(): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(path.join(DIST, d), { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name === 'kustomization.yaml') out.push(d);
      }
    };
    walk('.');
    return out.map((d) => d.replace(/^\.\/?/, '')).sort();
  }

  /** Objects in the files a kustomization lists, following listed folders. */
  function expectedObjects(dir: string): any[] {
    const k = YAML.parse(fs.readFileSync(path.join(DIST, dir, 'kustomization.yaml'), 'utf8'));
    return (k.resources as string[]).flatMap((r) =>
      r.endsWith('/') ? expectedObjects(path.join(dir, r)) : readManifests([path.join(DIST, dir, r)]).manifests.map((m) => m.manifest),
    );
  }

  function key(m: any): string {
    return `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  }
});

describe('cdk8s-vllm validate', () => {
  // in this process: the command's exit code and output, not a child process, are what these judge
  const run = (...args: string[]) => runCliInProcess('validate', ...args);

  test('the rendered tree conforms (exit 0); a tree with a typo does not (exit 1, object, file, field named)', async () => {
    expect(await run(DIST)).toEqual({
      code: 0,
      out: expect.stringMatching(
        /^\d+ object\(s\) conform \(schemas of OpenShift AI 3\.0 \(KServe 0\.15, Kueue 0\.14\): the tree leaves rhoai-2, rhoai-3\.0, rhoai-3\.3, rhoai-3\.4 \(.*\(OpenShift AI\)\): rhoai-3\.0 \(the default\) assumed; pass --platform\)\n$/,
      ),
    });
    const dir = tempDir('validate-');
    fs.writeFileSync(
      path.join(dir, 'lq.yaml'),
      'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata: {name: q, namespace: n}\nspec: {clusterQueu: cq}\n',
    );
    const r = await run(dir, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings).toEqual([
      expect.objectContaining({ object: 'LocalQueue/n/q', file: path.join(dir, 'lq.yaml'), field: 'spec.clusterQueu' }),
    ]);
  });

  test("--platform validates against that platform's CRDs: the 3.4 tree against Kueue 0.16 and Open Data Hub 3.4, not 3.0's", async () => {
    const dist34 = path.join(ROOT, 'examples', 'dist-rhoai-3.4');
    expect(await run(dist34, '--platform', 'rhoai-3.4')).toEqual({
      code: 0,
      out: expect.stringMatching(/object\(s\) conform \(schemas of OpenShift AI 3\.4 \(KServe 0\.17, Kueue 0\.16\): --platform rhoai-3\.4\)\n$/),
    });
    // OpenShift AI 3.0's Kueue 0.14 serves no v1beta2: every Kueue object of the 3.4 tree is refused there
    const on30 = JSON.parse((await run(dist34, '--platform', 'rhoai-3.0', '--json')).out) as {
      platform: { id: string };
      findings: { object: string; message: string }[];
    };
    expect(on30.platform.id).toBe('rhoai-3.0');
    // without --platform the tree tells 3.4, as it tells check
    expect(await run(dist34)).toEqual({ code: 0, out: expect.stringMatching(/conform \(schemas of OpenShift AI 3\.4 .*: inferred from the tree: /) });
    expect(on30.findings.map((f) => f.object).sort()).toEqual([
      'ClusterQueue/rhoai-main-queue',
      'LocalQueue/private-ai/default',
      'ResourceFlavor/cpu-batch',
      'ResourceFlavor/nvidia-l4-1gpu',
      'ResourceFlavor/nvidia-l4-4gpu',
    ]);
    expect(on30.findings[0].message).toMatch(/kueue.x-k8s.io\/v1beta2\/\w+ is not served on OpenShift AI 3.0/);
    // Kueue 0.16 still serves v1beta1 (deprecated), so the 3.0 tree conforms there; check reports the deprecation
    expect((await run(DIST, '--platform', 'rhoai-3.4')).code).toBe(0);
  });

  test('--platform: a v1beta2 ClusterQueue that kept v1beta1 field names is refused on 3.4; an unknown platform is a usage error', async () => {
    const dir = tempDir('validate-platform-');
    fs.writeFileSync(
      path.join(dir, 'cq.yaml'),
      'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ClusterQueue\nmetadata: {name: cq}\nspec:\n  cohort: team-pool\n  flavorFungibility: {whenCanBorrow: Borrow}\n',
    );
    const r = JSON.parse((await run(dir, '--platform', 'rhoai-3.4', '--json')).out) as { findings: { field: string }[] };
    expect(r.findings.map((f) => f.field).sort()).toEqual(['spec.cohort', 'spec.flavorFungibility.whenCanBorrow']);
    const bad = await run(dir, '--platform', 'rhoai-9');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--platform must be one of rhoai-3.0, rhoai-3.3, rhoai-3.4, kserve, got 'rhoai-9'/);
  });

  (fs.existsSync(SHARED_CRDS) || process.env.CI ? test : test.skip)('--crds reads CustomResourceDefinition files', async () => {
    expect((await run(DIST, '--crds', SHARED_CRDS)).code).toBe(0);
  });
});
