import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as ts from 'typescript';
import { acknowledgeFinding, KustomizeTree, schemaVerifier } from '../lib';
import { flushPackedTexts } from '../lib/private/text-cache';
import { keptWarnings, ROOT, tempDir, testApp } from './util';

/** Runs `script` in a fresh node process from the compiled build; returns what it prints. */
function node(script: string): string {
  return execFileSync('node', ['-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Modules of these packages or folders that a process has loaded, printed as JSON by the script's last line: the
 * validators, the CEL evaluator, the AWS SDK, the commands, and the YAML reader (cdk8s renders with its own copy, under cdk8s/).
 */
const LOADED = `console.log(JSON.stringify(Object.keys(require.cache).map((f) => f.slice(${JSON.stringify(ROOT.length + 1)}))
  .filter((f) => /node_modules\\/(ajv|@bufbuild|@aws-sdk|@smithy)\\/|^node_modules\\/yaml\\/|build\\/lib\\/cli\\/.*-command\\.js$|cel\\.bundle\\.js$/.test(f) && !f.endsWith('package.json'))))`;

describe('a run loads only what it needs', () => {
  test('--help prints every command and loads none of them, nor the AWS SDK', () => {
    const out = node(`
      const lines = [];
      require('./build/lib/cli/main.js').runCli(['--help'], { out: (s) => lines.push(s), err: (s) => lines.push(s) }).then(() => {
        console.log(JSON.stringify(lines.join('')));
        ${LOADED};
      });`).split('\n');
    const help = JSON.parse(out[0]) as string;
    for (const c of ['validate', 'plan', 'catalog', 'check', 'verify', 'inspect', 'upload', 'smoke']) expect(help).toMatch(new RegExp(`^  ${c} +\\w`, 'm'));
    expect(JSON.parse(out[1])).toEqual([]);
  });

  test("a command's --help prints its usage and loads that command only", () => {
    const out = node(`
      const lines = [];
      require('./build/lib/cli/main.js').runCli(['plan', '--help'], { out: (s) => lines.push(s), err: (s) => lines.push(s) }).then(() => {
        console.log(JSON.stringify(lines.join('')));
        ${LOADED};
      });`).split('\n');
    expect(JSON.parse(out[0])).toMatch(/cdk8s-vllm plan/);
    expect(JSON.parse(out[1])).toEqual(['build/lib/cli/plan-command.js']);
  });

  test.each(['verify', 'inspect', 'upload'])("an S3 command's --help (%s) prints its S3 options and loads that command only, no AWS SDK", (name) => {
    const out = node(`
      const lines = [];
      require('./build/lib/cli/main.js').runCli([${JSON.stringify(name)}, '--help'], { out: (s) => lines.push(s), err: (s) => lines.push(s) }).then(() => {
        console.log(JSON.stringify(lines.join('')));
        ${LOADED};
      });`).split('\n');
    expect(JSON.parse(out[0])).toMatch(/^ {2}--endpoint <url> +S3 endpoint/m);
    expect(JSON.parse(out[1])).toEqual([`build/lib/cli/${name}-command.js`]);
  });

  test('check runs from its bundle (scripts/bundle-library.js): one module, not the rules and readers one by one', () => {
    const out = node(`
      let text = '';
      require('./build/lib/cli/main.js').runCli(['check', 'test/rules/vllm-flag-unknown/fires', '--format', 'json'], { out: (s) => (text += s), err: (s) => (text += s) }).then((code) => {
        console.log(JSON.stringify({ code, findings: JSON.parse(text).findings.length }));
        console.log(JSON.stringify(Object.keys(require.cache).map((f) => f.slice(${JSON.stringify(ROOT.length + 1)})).filter((f) => f.startsWith('build/lib/'))));
      });`).split('\n');
    expect(JSON.parse(out[0])).toEqual({ code: 1, findings: expect.any(Number) });
    expect(JSON.parse(out[0]).findings).toBeGreaterThan(0);
    const loaded = JSON.parse(out[1]) as string[];
    expect(loaded).toContain('build/lib/check-command.bundle.js');
    // the CLI's entry and what it loads itself stay single modules the bundle shares
    expect(loaded.filter((f) => /^build\/lib\/(check\/|cli\/check-command|manifests\/(?!files\.js))/.test(f))).toEqual([]);
  });

  test('a second synth of the same app reads the verdicts back: no ajv, no CEL, no AWS SDK, no YAML reader; the same tree', () => {
    const cache = tempDir('verdicts-');
    const synth = (out: string) =>
      node(`
        process.env.CDK8S_VLLM_CONFIG = 'config/step-05.json';
        const { App } = require('cdk8s');
        const { buildStep05, loadConfig } = require('./build/main.js');
        const { schemaVerifier } = require('./build/lib');
        const app = new App({ outdir: ${JSON.stringify(out)} });
        buildStep05(app, loadConfig('config/step-05.json'), { report: () => {} })
          .addVerifier(schemaVerifier({ cacheDir: ${JSON.stringify(cache)} })).write(${JSON.stringify(out)});
        ${LOADED};`);
    const first = tempDir('synth-1-');
    const second = tempDir('synth-2-');
    // the CEL evaluator as the build bundled it (scripts/bundle-library.js), not the package's some 130 modules
    const loaded = JSON.parse(synth(first)) as string[];
    expect(loaded).toContain('build/lib/validation/cel.bundle.js');
    expect(loaded.filter((f) => f.includes('@bufbuild'))).toEqual([]);
    expect(JSON.parse(synth(second))).toEqual([]);
    const files = (d: string) => fs.readdirSync(d, { recursive: true, encoding: 'utf8' }).sort();
    expect(files(second)).toEqual(files(first));
    for (const f of files(first).filter((f) => f.endsWith('.yaml')))
      expect(fs.readFileSync(path.join(second, f), 'utf8')).toBe(fs.readFileSync(path.join(first, f), 'utf8'));
  });
});

/** The verdict files under `cache` (written now) and how many verdicts they hold. */
function verdictFiles(cache: string): { files: string[]; verdicts: number } {
  flushPackedTexts();
  const dir = path.join(cache, 'verdicts');
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f));
  return { files, verdicts: files.reduce((n, f) => n + Object.keys(JSON.parse(fs.readFileSync(f, 'utf8')) as object).length, 0) };
}

describe('cached schema verdicts', () => {
  const render = (cacheDir: string, data: Record<string, unknown>, file = 'x/cfg.yaml') => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'n' });
    // field-value-invalid refuses a number in data first; acknowledged (a warning, kept), the verifier's verdicts are read
    const cfg = new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data });
    acknowledgeFinding(cfg, 'field-value-invalid', 'the schema verifier refuses it at write');
    keptWarnings(app);
    const out = tempDir('verdict-out-');
    const tree = new KustomizeTree(app).place(file, chart).kustomization(path.dirname(file)).addVerifier(schemaVerifier({ cacheDir }));
    return () => tree.write(out);
  };

  test('a refusal read back from the cache is the same refusal, naming the file of this run', () => {
    const cache = tempDir('verdicts-');
    const refusal = /ConfigMap\/n\/cfg \(x\/cfg.yaml\): data.a: 'data.a' must be of type string/;
    expect(render(cache, { a: 1 })).toThrow(refusal);
    // one file for the run's verdicts
    expect(verdictFiles(cache)).toEqual({ files: [expect.any(String)], verdicts: 1 });
    expect(render(cache, { a: 1 })).toThrow(refusal);
    expect(render(cache, { a: 1 }, 'y/cfg.yaml')).toThrow(/ConfigMap\/n\/cfg \(y\/cfg.yaml\): data.a/);
  });

  test('a changed object misses the cache and is validated afresh', () => {
    const cache = tempDir('verdicts-');
    expect(render(cache, { a: 'one' })).not.toThrow();
    expect(render(cache, { a: 2 })).toThrow(/data.a: 'data.a' must be of type string/);
    expect(verdictFiles(cache)).toEqual({ files: [expect.any(String)], verdicts: 2 });
  });

  test("other code's and schemas' verdicts are removed, at most once a day", async () => {
    const cache = tempDir('verdicts-');
    const dir = path.join(cache, 'verdicts');
    fs.mkdirSync(path.join(dir, 'an-older-build'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'an-older-build', 'choice.json'), '{}');
    // one file per verdict, as older versions wrote them
    fs.writeFileSync(path.join(dir, '0123456789abcdef.json'), '[]');
    expect(render(cache, { a: 4 })).toThrow(/must be of type string/);
    // the pruner runs detached and may not have removed the planted files yet: the run's own file is the other one
    const planted = [path.join(dir, 'an-older-build', 'choice.json'), path.join(dir, '0123456789abcdef.json')];
    const current = path.dirname(verdictFiles(cache).files.find((f) => !planted.includes(f))!);
    const left = () => fs.readdirSync(dir).sort();
    for (let i = 0; i < 200 && left().length > 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(left()).toEqual(['.pruned', path.basename(current)].sort());
    // pruned within the day: a stale entry stays until the next day's run
    fs.writeFileSync(path.join(dir, 'fedcba9876543210.json'), '[]');
    expect(render(cache, { a: 5 })).toThrow(/must be of type string/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(left()).toContain('fedcba9876543210.json');
  });

  test('a corrupt verdict file is ignored, not trusted', () => {
    const cache = tempDir('verdicts-');
    expect(render(cache, { a: 3 })).toThrow(/must be of type string/);
    for (const f of verdictFiles(cache).files) fs.writeFileSync(f, '[{"trunc');
    expect(render(cache, { a: 3 })).toThrow(/must be of type string/);
  });
});

describe('cached unknown-field verdicts (field-unknown)', () => {
  /** check of one InferenceService in a fresh process: its field-unknown findings and the CRD schema files it read. */
  const checkIsvc = (cwd: string, spec: Record<string, unknown>) =>
    JSON.parse(
      execFileSync(
        'node',
        [
          '-e',
          `const fs = require('fs'); const read = fs.readFileSync; const schemas = [];
          fs.readFileSync = function (f, ...rest) { if (String(f).includes('/schemas/crds/')) schemas.push(require('path').basename(String(f))); return read.call(this, f, ...rest); };
          const { runChecks } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))});
          const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'llm', namespace: 'ai' }, spec: ${JSON.stringify(spec)} };
          const findings = runChecks([{ manifest: isvc }], { platform: 'rhoai-3.0' }).filter((f) => f.rule === 'field-unknown').map((f) => f.message);
          console.log(JSON.stringify({ findings, schemas }));`,
        ],
        { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_VLLM_NO_CACHE: '' } },
      ),
    ) as { findings: string[]; schemas: string[] };

  test('a second check of the same object reads the verdict back and parses no CRD schema; a changed object is judged afresh', () => {
    // a project folder of its own: the verdicts go to its node_modules/.cache
    const cwd = tempDir('field-verdicts-');
    fs.mkdirSync(path.join(cwd, 'node_modules'));
    const spec = { predictor: { model: { modelFormat: { name: 'vLLM' }, runtme: 'vllm' } } };
    const first = checkIsvc(cwd, spec);
    expect(first.findings).toEqual([expect.stringMatching(/spec\.predictor\.model\.runtme/)]);
    expect(first.schemas).toContain('inferenceservices.serving.kserve.io.json');
    const second = checkIsvc(cwd, spec);
    expect(second.findings).toEqual(first.findings);
    expect(second.schemas).not.toContain('inferenceservices.serving.kserve.io.json');
    expect(fs.readdirSync(path.join(cwd, 'node_modules', '.cache', 'cdk8s-vllm', 'fields', 'verdicts')).length).toBeGreaterThan(0);
    const changed = checkIsvc(cwd, { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUrl: 's3://m' } } });
    expect(changed.findings).toEqual([expect.stringMatching(/spec\.predictor\.model\.storageUrl/)]);
  });
});

/**
 * Each `import * as x from '…/imports/<group>'` in lib/ and every member the library reads off `x` (found in the
 * TypeScript sources' syntax trees, independently of how the build finds them).
 */
function bindingMembersReadByLib(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visitFile = (file: string) => {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const aliases = new Map<string, string>();
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const m = /\/imports\/([^/]+)$/.exec(st.moduleSpecifier.text);
      const ns = st.importClause?.namedBindings;
      if (m && ns && ts.isNamespaceImport(ns) && !st.importClause.isTypeOnly) aliases.set(ns.name.text, m[1]);
    }
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && aliases.has(n.expression.text)) {
        // a type position (kserve.InferenceServiceProps in a type annotation) is not read at run time
        if (!ts.isTypeReferenceNode(n.parent) && !ts.isExpressionWithTypeArguments(n.parent) && !ts.isQualifiedName(n.parent)) {
          const group = aliases.get(n.expression.text)!;
          if (!out.has(group)) out.set(group, new Set());
          out.get(group)!.add(n.name.text);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  };
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) visitFile(p);
    }
  };
  walk(path.join(ROOT, 'lib'));
  return out;
}

describe('the CRD bindings the build ships', () => {
  test('define every class and enum the library uses of them, and not those it never uses', () => {
    execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
    const used = bindingMembersReadByLib();
    expect([...used.keys()].sort()).toEqual(['argoproj.io', 'kueue.x-k8s.io', 'machine.openshift.io', 'serving.kserve.io']);
    const loaded = JSON.parse(
      node(`console.log(JSON.stringify(Object.fromEntries(${JSON.stringify([...used.keys()])}.map((g) => {
        const m = require('./build/imports/' + g + '.js');
        return [g, Object.keys(m).filter((k) => m[k] !== undefined)];
      }))))`),
    ) as Record<string, string[]>;
    for (const [group, members] of used) expect([group, [...members].filter((m) => !loaded[group].includes(m))]).toEqual([group, []]);
    // a class and an enum the library never names are gone from the runtime module; the typings keep what the
    // library's typings name, and what that names in turn (an InferenceService's props reach the explainer's overhead)
    expect(loaded['serving.kserve.io']).not.toContain('InferenceServiceSpecExplainerOverhead');
    expect(loaded['argoproj.io']).not.toContain('ApplicationSetSpecSyncPolicyApplicationsSync');
    expect(fs.readFileSync(path.join(ROOT, 'build', 'imports', 'serving.kserve.io.d.ts'), 'utf8')).toMatch(
      /export declare class InferenceServiceSpecExplainerOverhead /,
    );
    const argo = fs.readFileSync(path.join(ROOT, 'build', 'imports', 'argoproj.io.d.ts'), 'utf8');
    expect(argo).toMatch(/export interface ApplicationSpecIgnoreDifferences /);
    expect(argo).not.toMatch(/export declare enum ApplicationSetSpecSyncPolicyApplicationsSync /);
    // tsc's whole typings are kept outside what the package ships, for the next slimming
    expect(fs.readFileSync(path.join(ROOT, 'build', '.bindings', 'argoproj.io.d.ts'), 'utf8')).toMatch(
      /export declare enum ApplicationSetSpecSyncPolicyApplicationsSync /,
    );
  });
});
