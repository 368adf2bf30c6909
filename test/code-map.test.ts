import * as fs from 'fs';
import * as path from 'path';
import { fixtureLinks, rulesMarkdownTable, RULES_TABLE_END, RULES_TABLE_START } from '../lib/check/rules-table';
import { REGISTERED_RULES } from '../lib/check/registry';
import { runCli } from '../lib/cli/main';
import { ROOT } from './setup/scratch';

/**
 * The folders of lib/ are layers; an import may only point down (or stay in its folder). The order is the
 * architecture: apps and the CLI on top, then delivery and the tree writer, constructs, checks, planning, catalog,
 * reading and validating manifests, the Kubernetes vocabulary (well-known keys) and small private helpers at the bottom.
 */
const LAYERS: readonly string[][] = [
  ['cli'],
  ['delivery'],
  ['gitops'],
  ['serving', 'jobs'],
  ['sources', 'cluster'],
  ['storage', 'placement'],
  ['check'],
  ['s3', 'openai'],
  ['planning'],
  ['validation'],
  ['platform'],
  ['catalog', 'manifests'],
  ['helm'],
  ['k8s'],
  ['private'],
];

function layerOf(folder: string): number {
  const i = LAYERS.findIndex((l) => l.includes(folder));
  if (i < 0) throw new Error(`lib/${folder} is in no layer of the code map: add it to LAYERS`);
  return i;
}

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the code map', () => {
  test('no lib/ folder imports from a folder above it or beside it in another layer', () => {
    const lib = path.join(ROOT, 'lib');
    const upward: string[] = [];
    for (const file of sources(lib)) {
      const from = path.relative(lib, file).split(path.sep)[0];
      if (from === 'index.ts') continue;
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(lib, path.resolve(path.dirname(file), m[1])).split(path.sep)[0];
        if (target.startsWith('..') || target === from || target === 'index') continue;
        if (layerOf(target) < layerOf(from)) upward.push(`${path.relative(ROOT, file)} → lib/${target} (upward)`);
        else if (layerOf(target) === layerOf(from)) upward.push(`${path.relative(ROOT, file)} → lib/${target} (sideways)`);
      }
    }
    expect([...new Set(upward)]).toEqual([]);
  });

  test('no construct calls the check registration: every construct extends VllmConstruct, which registers the checks once per app', () => {
    const lib = path.join(ROOT, 'lib');
    const calls: string[] = [];
    const direct: string[] = [];
    for (const file of sources(lib)) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (rel.startsWith('lib/check/') || rel.startsWith('lib/imports/')) continue;
      const text = fs.readFileSync(file, 'utf8');
      // the tree writer is no construct: it registers the checks for apps made of plain ApiObjects only
      if (/\bregisterAppChecks\b/.test(text) && rel !== 'lib/gitops/kustomize-tree.ts') calls.push(rel);
      for (const m of text.matchAll(/export class (\w+)\s+extends\s+Construct\b/g)) direct.push(`${rel}: ${m[1]}`);
    }
    expect(calls).toEqual([]);
    expect(direct).toEqual([]);
  });

  test('well-known keys are spelled once, in lib/k8s; no construct imports from the rules', () => {
    const lib = path.join(ROOT, 'lib');
    const keys = [...fs.readFileSync(path.join(lib, 'k8s', 'keys.ts'), 'utf8').matchAll(/export const \w+ = ('[^']+');/g)]
      .map((m) => m[1])
      // qualified names only: 'HF_TOKEN' is also the environment variable the Hugging Face client reads
      .filter((k) => k.includes('/'));
    expect(keys).toContain("'argocd.argoproj.io/sync-wave'");
    const spelled: string[] = [];
    const intoRules: string[] = [];
    for (const file of sources(lib)) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (rel.startsWith('lib/k8s/') || rel.startsWith('lib/imports/')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const k of keys) if (text.includes(k)) spelled.push(`${rel}: ${k}`);
      if (!rel.startsWith('lib/check/') && /from '[./]*check\/rules(\/|')/.test(text)) intoRules.push(rel);
    }
    expect(spelled).toEqual([]);
    expect(intoRules).toEqual([]);
  });

  test("the rules table (docs/reference/validate-and-check.md) is generated from the rules' metadata (npm run docs)", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'docs', 'reference', 'validate-and-check.md'), 'utf8');
    const section = readme.slice(readme.indexOf(RULES_TABLE_START) + RULES_TABLE_START.length, readme.indexOf(RULES_TABLE_END)).trim();
    expect(section).toBe(rulesMarkdownTable(REGISTERED_RULES, fixtureLinks(ROOT)));
  });

  test('check --rules --json lists every rule with its metadata', async () => {
    let out = '';
    const code = await runCli(['check', '--rules', '--json'], {
      out: (t) => {
        out += t;
      },
      err: () => undefined,
      stdin: () => '',
    });
    expect(code).toBe(0);
    const rules = JSON.parse(out).rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(REGISTERED_RULES.map((r) => r.id));
    for (const r of rules) expect(Object.keys(r).sort()).toEqual(['appliesTo', 'example', 'fix', 'id', 'premise', 'severity', 'source', 'title']);
  });
});
