import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { PLATFORM_IDS, SchemaValidator } from '../lib';
import { configValidatorModule, newConfigAjv } from '../lib/private/json-config';
import { mutator } from './setup/mutation';
import { CONFIG, ROOT } from './util';
import { tempDir } from './setup/scratch';

/**
 * The validators `npm run build` precompiles (scripts/precompile-validators.js) give the verdicts of the validators
 * compiled at run time, error for error: the same objects, valid and broken, go through both paths.
 */

const PRECOMPILED = path.join(ROOT, 'build', 'lib', 'validation', 'precompiled');
type Loose = Record<string, any>;

/** Every object of the rendered trees (dist/ and the examples'), the shapes the library writes. */
function renderedObjects(): Loose[] {
  const out: Loose[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name))
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const o = doc.toJS() as Loose | null;
          if (o && typeof o.kind === 'string' && typeof o.apiVersion === 'string' && o.kind !== 'Kustomization') out.push(o);
        }
    }
  };
  walk(path.join(ROOT, 'dist'));
  for (const d of fs.readdirSync(path.join(ROOT, 'examples'))) if (d.startsWith('dist')) walk(path.join(ROOT, 'examples', d));
  return out;
}

/** A skeleton of every kind the validator knows, with wrong values in fields every kind has (or nearly). */
function skeletons(validator: SchemaValidator): Loose[] {
  return validator.knownKinds().flatMap((key) => {
    const slash = key.lastIndexOf('/');
    const base = { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), metadata: { name: 'x', namespace: 'ns' } };
    return [
      base,
      { ...base, spec: { replicas: 1.5, resources: { limits: { memory: '16GB', 'nvidia.com/gpu': 0.5 } }, containers: [{ name: 7 }] } },
      { ...base, metadata: { name: 'x', labels: { a: 1 }, annotations: [] }, spec: 'none' },
    ];
  });
}

describe('precompiled schema validators', () => {
  test('the build wrote the Kubernetes kinds as one module and a module per shipped CRD version', () => {
    const modules = fs.readdirSync(PRECOMPILED).filter((f) => f.endsWith('.js'));
    expect(modules.filter((f) => f.startsWith('k8s-'))).toHaveLength(1);
    expect(modules.filter((f) => f.startsWith('crd-')).length).toBeGreaterThan(30);
  });

  test('every shipped kind of every platform, valid and broken, gets the errors of the compiled validator', () => {
    const { pick, mutate } = mutator(20261204);
    const rendered = renderedObjects();
    expect(rendered.length).toBeGreaterThan(50);
    const compared = new Set<string>();
    let invalid = 0;
    let valid = 0;
    const platforms: { precompiled: SchemaValidator; compiled: SchemaValidator }[] = [];
    for (const platform of PLATFORM_IDS) {
      const precompiled = new SchemaValidator({ platform, cacheDir: null, precompiledDir: PRECOMPILED });
      platforms.push({ precompiled, compiled: new SchemaValidator({ platform, cacheDir: null, precompiledDir: null }) });
      const objects = [...rendered, ...skeletons(precompiled), ...Array.from({ length: 150 }, () => mutate(pick(rendered)))];
      for (const object of objects) {
        const fast = precompiled.schemaErrors(object);
        if (!fast) continue;
        // each module is compared once: platforms share most schemas, and compiling them all again takes minutes
        expect(fast.module).toBeDefined();
        const seen = `${fast.module}\0${JSON.stringify(object)}`;
        if (compared.has(seen)) continue;
        compared.add(seen);
        // compiled at run time by the first platform that ships the module (a module is one schema's content, the
        // Kubernetes kinds' for all): a platform sharing a schema with an earlier one does not compile it again
        const { compiled } = platforms.find((p) => p.precompiled.schemaErrors(object)?.module === fast.module)!;
        const slow = compiled.schemaErrors(object)!;
        expect(slow.module).toBeUndefined();
        expect(fast.errors).toEqual(slow.errors);
        expect(fast.metadata).toEqual(slow.metadata);
        expect(precompiled.validate(object)).toEqual(compiled.validate(object));
        if (fast.errors.length + fast.metadata.length) invalid++;
        else valid++;
      }
    }
    expect(invalid).toBeGreaterThan(300);
    expect(valid).toBeGreaterThan(50);
  }, 600_000);

  test('a CRD of the user folder has no precompiled module and is compiled', () => {
    // a folder of its own, not under build/: other suites copy build/ while this one runs
    const dir = tempDir('crds-');
    const crd = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'crds', 'kueue-0.14', 'localqueues.kueue.x-k8s.io.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'localqueues.json'), JSON.stringify(crd));
    const validator = new SchemaValidator({ crdDir: dir, cacheDir: null, precompiledDir: PRECOMPILED });
    const queue = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue', metadata: { name: 'q', namespace: 'ns' }, spec: { clusterQueue: 5 } };
    const result = validator.schemaErrors(queue)!;
    expect(result.module).toBeUndefined();
    expect(result.errors.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(['/spec/clusterQueue type']);
    expect(validator.schemaErrors({ ...queue, apiVersion: 'v1', kind: 'ConfigMap' })!.module).toMatch(/^k8s-/);
  });

  test('a validation loads only its kinds precompiled modules, and never ajv', () => {
    const script = `
      const { SchemaValidator } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'validation', 'schema-validator.js'))});
      const loaded = () => Object.keys(require.cache).filter((f) => /precompiled[\\/]/.test(f) || /ajv[\\\\/]dist[\\\\/](core|compile)/.test(f)).map((f) => require('path').basename(f));
      const v = new SchemaValidator({ cacheDir: null });
      const before = loaded();
      const pod = v.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 1 } });
      const afterCore = loaded();
      v.validate({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'i', namespace: 'n' }, spec: {} });
      console.log(JSON.stringify({ before, pod, afterCore, afterCrd: loaded() }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out.before).toEqual([]);
    expect(out.pod.map((f: Loose) => f.field)).toEqual(['data.a']);
    expect(out.afterCore).toEqual([expect.stringMatching(/^k8s-[0-9a-f]+\.js$/)]);
    expect(out.afterCrd).toEqual([expect.stringMatching(/^k8s-/), expect.stringMatching(/^crd-[0-9a-f]+\.js$/)]);
  });

  test('the configuration schema precompiled gives the errors of the compiled one, and a synth of a new configuration loads no ajv', () => {
    const { mutate } = mutator(20261205);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'step-05.schema.json'), 'utf8'));
    const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
    const fast = require(path.join(ROOT, 'build', 'lib', 'private', 'precompiled', `${configValidatorModule(schema)}.js`));
    const slow = newConfigAjv().compile(schema);
    let invalid = 0;
    for (const value of [config, ...Array.from({ length: 200 }, () => mutate(config))]) {
      expect(fast(value)).toBe(slow(value));
      expect(fast.errors).toEqual(slow.errors);
      if (slow.errors?.length) invalid++;
    }
    expect(invalid).toBeGreaterThan(100);
    const script = `
      const { loadConfig } = require(${JSON.stringify(path.join(ROOT, 'build', 'main.js'))});
      let error = '';
      try { loadConfig(process.argv[1]); } catch (e) { error = e.message; }
      console.log(JSON.stringify({ error, ajv: Object.keys(require.cache).some((f) => /ajv[\\/]dist[\\/]core/.test(f)) }));`;
    const broken = path.join(tempDir('config-'), 'c.json');
    fs.writeFileSync(broken, JSON.stringify({ ...config, namespace: 7 }));
    const out = JSON.parse(
      execFileSync(process.execPath, ['-e', script, broken], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_VLLM_NO_CACHE: '1' } })
        .trim()
        .split('\n')
        .pop()!,
    );
    expect(out).toEqual({ error: expect.stringContaining("'namespace' must be a string, got number 7"), ajv: false });
  });
});
