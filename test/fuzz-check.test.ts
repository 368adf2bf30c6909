import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as Library from '../lib';
import type * as ManifestReader from '../lib/manifests/read-manifests';
import * as YAML from 'yaml';
import { kubectlEach, KubectlRun } from './setup/kubectl';
import { mutator, paths, VALUES } from './setup/mutation';
import { prng } from './setup/prng';
import { ROOT, tempDir } from './setup/scratch';
import { PROMPTLY_MS } from './setup/promptly';

/**
 * Mutation fuzzing of the reader and the checks, with a fixed seed: the rendered step-05 tree and the reference
 * manifests, broken one field (or one byte range) at a time, and kustomizations against kubectl kustomize. Every run
 * must end with findings or an error that names the input — no exception, no hang, no verdict on a number that is
 * not one.
 *
 * It runs the compiled library (build/, brought up to date first), as the CLI and an installed app run it: the
 * coverage instrumentation of the sources made the same iterations about four times as slow, and this suite asserts
 * robustness, which the other suites' coverage does not depend on.
 */
execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
const { readManifests, runChecks, SchemaValidator } = require('../build/lib') as typeof Library;
const { parseManifests } = require('../build/lib/manifests/read-manifests') as typeof ManifestReader;

const { random, pick, mutate } = mutator(20261127);

/**
 * The mutations of the two loops that check the whole corpus (or tree) once per mutation. A run costs what a check
 * costs: about 40 ms of CPU for the corpus's 40-odd objects, 75 ms to read and check examples/dist, spread over the 400
 * rules and their shared helpers (a profile of the loop shows none above a few percent), so the counts are what is
 * cut: 300 and 50 by default, the first draws of the same seed. FUZZ_ITERATIONS sets the single-field loop's count and
 * the kustomization loop's at a sixth of it: `FUZZ_ITERATIONS=1200 npx jest test/fuzz-check.test.ts` runs the 1,200
 * and 200 of before.
 */
const ITERATIONS = iterations(process.env.FUZZ_ITERATIONS ?? '300');
const KUSTOMIZATIONS = Math.ceil(ITERATIONS / 6);

function iterations(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 6) throw new Error(`FUZZ_ITERATIONS must be a whole number of at least 6, got '${text}'`);
  return n;
}

/** What a finding's object or message must never show: a value that is no value. */
const NOT_A_VALUE = /\bundefined\b|\bNaN\b|\[object Object\]/;

/**
 * The findings whose object or message is not text, or shows a value that is no value (`also` names more): the loops
 * below assert that none is, once per run of the checks rather than once per finding (jest's expect costs some 50 µs
 * a call, and the runs make about 100,000 findings).
 */
function broken(findings: readonly { object: unknown; message: unknown }[], also?: RegExp): unknown[] {
  return findings.filter(
    (f) =>
      typeof f.message !== 'string' || typeof f.object !== 'string' || NOT_A_VALUE.test(`${f.object} ${f.message}`) || !!also?.test(`${f.object} ${f.message}`),
  );
}

/** The objects kubectl kustomize built, or undefined where it refused (exited non-zero). */
const builtBy = (run: KubectlRun): unknown[] | undefined => (run.status === 0 ? YAML.parseAllDocuments(run.stdout).map((d) => d.toJS()) : undefined);

function corpus(): Record<string, unknown>[] {
  const dirs = [path.join(ROOT, 'dist'), path.join(ROOT, '..', 'shared', 'reference')].filter((d) => fs.existsSync(d));
  return readManifests(dirs).manifests.map((m) => m.manifest as Record<string, unknown>);
}

describe('fuzzing', () => {
  const objects = corpus();
  const validator = new SchemaValidator({ cacheDir: null });

  test('a check run leaves the objects as they were: the facts kept past a run rest on it', () => {
    const before = structuredClone(objects);
    runChecks(objects.map((manifest) => ({ manifest })));
    runChecks(objects.map((manifest) => ({ manifest })));
    expect(objects).toStrictEqual(before);
  });

  test(`${ITERATIONS} single-field mutations: check and validate end with findings, no exception, no undefined`, () => {
    expect(objects.length).toBeGreaterThan(10);
    let slowest = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < ITERATIONS; i++) {
      const target = Math.floor(random() * objects.length);
      const mutated = objects.map((o, j) => (j === target ? mutate(o) : o));
      const started = Date.now();
      const findings = runChecks(mutated.map((manifest) => ({ manifest })));
      const schema = validator.validate(mutated[target]);
      slowest = Math.max(slowest, Date.now() - started);
      expect(broken(findings)).toEqual([]);
      expect(Array.isArray(schema)).toBe(true);
    }
    // a guard against a hang or a blow-up (an iteration takes milliseconds), not a speed target: speed lives in the
    // bench, and a loaded CI machine must not fail this
    expect(slowest).toBeLessThan(PROMPTLY_MS);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 2 ** 20);
  });

  test('every number of the corpus at the int32 maximum, then at 1e308: check ends at once, with no verdict on a non-number', () => {
    // counts drive loops (replicas, parallelism, GPUs, quotas): the largest a field takes must cost no more than 1
    const numeric = objects.flatMap((o, target) =>
      paths(o)
        .filter((p) => typeof p.reduce<any>((v, k) => v?.[k], o) === 'number')
        .map((p) => ({ target, p })),
    );
    expect(numeric.length).toBeGreaterThan(50);
    let slowest = 0;
    for (const huge of [2 ** 31 - 1, 1e308]) {
      for (const { target, p } of numeric) {
        const copy = structuredClone(objects[target]);
        let parent: any = copy;
        for (const k of p.slice(0, -1)) parent = parent[k];
        parent[p[p.length - 1]] = huge;
        const started = Date.now();
        const findings = runChecks(objects.map((o, j) => ({ manifest: j === target ? copy : o })));
        slowest = Math.max(slowest, Date.now() - started);
        expect(broken(findings, /\bInfinity\b/)).toEqual([]);
      }
    }
    // a guard against work that grows with the number (two billion charges took minutes), not a speed target
    expect(slowest).toBeLessThan(PROMPTLY_MS);
  });

  test('300 byte-level mutations of the YAML: truncation, junk, stray separators are findings naming the file', () => {
    const files = readManifests([path.join(ROOT, 'dist')]).manifests.map((m) => m.file);
    const texts = [...new Set(files)].map((f) => [f, fs.readFileSync(f, 'utf8')] as const);
    for (let i = 0; i < 300; i++) {
      const [file, text] = pick(texts);
      const at = Math.floor(random() * text.length);
      const op = Math.floor(random() * 4);
      const broken =
        op === 0
          ? text.slice(0, at)
          : op === 1
            ? text.slice(0, at) + String.fromCharCode(...Array.from({ length: 16 }, () => Math.floor(random() * 255) + 1)) + text.slice(at)
            : op === 2
              ? `${text.slice(0, at)}\n---\n${text.slice(at)}`
              : `${text.slice(0, at)}\t: [{${text.slice(at)}`;
      const { manifests, errors } = parseManifests(broken, file);
      for (const e of errors) expect(e.file).toBe(file);
      expect(() => runChecks(manifests)).not.toThrow();
    }
  });

  test(`${KUSTOMIZATIONS} mutations of kustomization files: reading and checking the tree end with findings, never an exception`, () => {
    const src = path.join(ROOT, 'examples', 'dist');
    const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('kustomization.yaml'));
    expect(files.length).toBeGreaterThan(2);
    const work = tempDir('fuzz-kustomize-');
    fs.cpSync(src, work, { recursive: true });
    // the fields a kustomization can have, given values of any shape, besides mutations of what is there
    const FIELDS = ['namespace', 'resources', 'components', 'commonLabels', 'labels', 'commonAnnotations', 'patches', 'namePrefix'];
    let reported = 0;
    for (let i = 0; i < KUSTOMIZATIONS; i++) {
      const file = path.join(work, pick(files));
      const before = fs.readFileSync(file, 'utf8');
      const doc = (YAML.parse(before) ?? {}) as Record<string, unknown>;
      const mutated = random() < 0.5 ? mutate(doc) : { ...doc, [pick(FIELDS)]: structuredClone(pick(VALUES)) };
      fs.writeFileSync(file, YAML.stringify(mutated));
      const { manifests, errors } = readManifests([work]);
      if (errors.length) reported++;
      for (const e of errors) expect(`${e.file} ${e.message}`).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
      expect(broken(runChecks(manifests))).toEqual([]);
      fs.writeFileSync(file, before);
    }
    // the mutations reach the reader's refusals, not only harmless fields
    expect(reported).toBeGreaterThan(KUSTOMIZATIONS / 5);
  });
});

describe('kustomization graphs, fuzzed against kubectl kustomize', () => {
  const graphRandom = prng(20261202);
  const choose = <T>(xs: readonly T[]): T => xs[Math.floor(graphRandom() * xs.length)];
  const FOLDERS = ['a', 'b', 'c', 'b/inner'];
  /** What an entry of resources may be: files in or out of the folder, other folders, cycles, duplicates, remote and junk. */
  const entriesFor = (dir: string): string[] => [
    'cm.yaml',
    'cm.yaml',
    './cm.yaml',
    'merged.yaml',
    '.',
    '..',
    '',
    '../cm-top.yaml',
    'missing.yaml',
    'sub-without-kustomization',
    ...FOLDERS.filter((f) => f !== dir).map((f) => path.relative(dir, f)),
  ];
  const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;
  // merge keys in a resource: the reader must build what kubectl builds
  const mergedYaml = (name: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-merged\n  labels: &l\n    app: ${name}\ndata:\n  <<: *l\n  own: "1"\n`;

  function randomTree(): string {
    const top = tempDir('fuzz-graph-');
    fs.writeFileSync(path.join(top, 'cm-top.yaml'), configMap('top'));
    for (const dir of FOLDERS) {
      const full = path.join(top, dir);
      fs.mkdirSync(path.join(full, 'sub-without-kustomization'), { recursive: true });
      fs.writeFileSync(path.join(full, 'cm.yaml'), configMap(dir.replace('/', '-')));
      fs.writeFileSync(path.join(full, 'merged.yaml'), mergedYaml(dir.replace('/', '-')));
      const resources = Array.from({ length: 1 + Math.floor(graphRandom() * 3) }, () => choose(entriesFor(dir)));
      const extra = choose(['', '', 'namespace: team\n', 'namespace: 42\n', 'nameSuffix: ""\n', 'kind: Component\n', 'resources: x.yaml\n']);
      fs.writeFileSync(path.join(full, 'kustomization.yaml'), `${extra}resources:\n${resources.map((r) => `  - ${JSON.stringify(r)}`).join('\n')}\n`);
    }
    return top;
  }

  test('40 random kustomization graphs: the reader refuses exactly when kubectl kustomize does, and reads the same objects when both build', async () => {
    // every tree written first (the same draws, in the same order) and kubectl started on them a few at a time
    // (kubectlEach): its runs are mostly waits, which overlap with each other and with the reader's work
    const roots = Array.from({ length: 40 }, () => path.join(randomTree(), choose(FOLDERS)));
    const runs = kubectlEach(roots.map((root) => ['kustomize', root]));
    let refused = 0;
    for (const [i, root] of roots.entries()) {
      const { manifests, errors } = readManifests([root]);
      for (const e of errors) expect(`${e.file} ${e.message}`).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
      const readerRefuses = errors.some((e) => e.severity === 'error');
      const built = builtBy(await runs[i]);
      const kustomization = fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8');
      expect({ kustomization, readerRefuses, errors: errors.map((e) => e.message) }).toEqual(expect.objectContaining({ readerRefuses: built === undefined }));
      if (built) {
        const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name} ${JSON.stringify(o.data)}`;
        expect(manifests.map((m) => key(m.manifest)).sort()).toEqual(built.map(key).sort());
      } else refused++;
    }
    // the graphs reach both outcomes
    expect(refused).toBeGreaterThan(10);
    expect(refused).toBeLessThan(40);
  });
});

describe('kustomize patches, fuzzed against kubectl kustomize', () => {
  const patchRandom = prng(20261203);
  const choose = <T>(xs: readonly T[]): T => xs[Math.floor(patchRandom() * xs.length)];
  const DEPLOYMENT = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'registry.example.com/web:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 8080 }] },
            { name: 'side', image: 'registry.example.com/side:1' },
          ],
          tolerations: [{ key: 'gpu', operator: 'Exists' }],
        },
      },
    },
  };
  // values of the type each path holds: kustomize's later transformers refuse objects of the wrong shape (a string
  // among containers), which the reader does not model; here the patches themselves are what varies
  const PATH_VALUES: Record<string, readonly unknown[]> = {
    '/spec/replicas': [3, 0],
    '/spec/paused': [true],
    '/spec/template/spec/containers/0/image': ['registry.example.com/web:2'],
    '/spec/template/spec/containers/1': [{ name: 'extra', image: 'registry.example.com/extra:1' }],
    '/spec/template/spec/containers/-': [{ name: 'extra', image: 'registry.example.com/extra:1' }],
    '/spec/template/spec/containers/5': [{ name: 'far', image: 'registry.example.com/far:1' }],
    '/spec/template/spec/containers/0/env/0/value': ['9'],
    '/spec/template/spec/containers/0/args': [['--a']],
    '/spec/template/spec/nodeSelector/x': ['y'],
    '/metadata/labels/tier': ['t'],
    '/metadata/annotations': [{ a: 'b' }],
    '/spec/template/spec/tolerations/0': [{ key: 'k', operator: 'Exists' }],
    '/nope/deeper': [3],
  };
  const SCALAR_PATHS = ['/spec/replicas', '/spec/paused', '/metadata/labels/tier', '/spec/template/spec/nodeSelector/x', '/nope/deeper'];
  const OPS_6902 = ['add', 'remove', 'replace', 'copy', 'move', 'test', 'ad'];
  const randomOp = () => {
    const name = choose(OPS_6902);
    if (name === 'copy' || name === 'move') return { op: name, from: choose(SCALAR_PATHS), path: choose(SCALAR_PATHS) };
    const where = choose(Object.keys(PATH_VALUES));
    const op: Record<string, unknown> = { op: name, path: where };
    // an operation without value sets null: only where null is harmless
    if (!SCALAR_PATHS.includes(where) || patchRandom() < 0.85) op.value = choose(PATH_VALUES[where]);
    return op;
  };
  const randomSmp = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: choose(['web', 'web', 'other']) },
    spec: {
      ...(patchRandom() < 0.5 ? { replicas: choose([2, null]) } : {}),
      template: {
        spec: {
          containers: [
            {
              name: choose(['web', 'side', 'new']),
              image: 'registry.example.com/p:2',
              ...(patchRandom() < 0.5 ? { env: [{ name: choose(['A', 'B']), value: '9' }] } : {}),
            },
          ],
          ...(patchRandom() < 0.3 ? { tolerations: [{ key: 'other', operator: 'Exists' }] } : {}),
        },
      },
    },
  });

  test('40 random patches: the reader refuses exactly when kubectl kustomize does, and builds the same objects', async () => {
    // every folder written first (the same draws, in the same order), kubectl run on them a few at a time (kubectlEach)
    const cases = Array.from({ length: 40 }, () => {
      const dir = tempDir('fuzz-patch-');
      fs.writeFileSync(path.join(dir, 'd.yaml'), YAML.stringify(DEPLOYMENT));
      const patch =
        patchRandom() < 0.6
          ? { target: { kind: 'Deployment', name: 'web' }, patch: YAML.stringify(Array.from({ length: 1 + Math.floor(patchRandom() * 2) }, randomOp)) }
          : { patch: YAML.stringify(randomSmp()) };
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({ resources: ['d.yaml'], patches: [patch] }));
      return { dir, patch };
    });
    const runs = kubectlEach(cases.map(({ dir }) => ['kustomize', dir]));
    let refused = 0;
    for (const [i, { dir, patch }] of cases.entries()) {
      const { manifests, errors } = readManifests([dir]);
      const readerRefuses = errors.some((e) => e.severity === 'error');
      const built = builtBy(await runs[i]);
      expect({ patch, readerRefuses, errors: errors.map((e) => e.message) }).toEqual(expect.objectContaining({ readerRefuses: built === undefined }));
      if (built) expect({ patch, objects: manifests.map((m) => m.manifest) }).toEqual({ patch, objects: built });
      else refused++;
    }
    expect(refused).toBeGreaterThan(5);
    expect(refused).toBeLessThan(40);
  });
});
