import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_FILE } from '../lib/check/platform';
import { INPUT_RULES, REGISTERED_RULES, SYNTH_RULES } from '../lib/check/registry';
import { exampleFragments } from '../lib/check/rules-table';
import { kubectlEach, KubectlRun } from './setup/kubectl';
import { inPlace, standalone } from './setup/scratch';
import { cliInProcess, ROOT } from './util';

/**
 * Each rule's own fixtures, in the manner of kube-linter's tests/checks: a folder per rule, test/rules/<rule-id>/,
 * holding `fires/` (a small manifest tree as a user writes it, showing the rule's `example`) and `near-miss/` (the
 * same tree with the one fix the rule asks for). Each folder is checked as `cdk8s-vllm check <folder>` reads it, on
 * OpenShift AI 3.0 unless the folder holds its own .cdk8s-vllm.json; a fires/ folder may name another severity than
 * the rule's in a file `severity` (one word).
 */
const FIXTURES = path.join(ROOT, 'test', 'rules');

/** The findings made at synth on the constructs (json-patch-dropped), which no manifest tree can produce: test/cli/registry.ts makes them. */
const TREE_RULES = REGISTERED_RULES.filter((r) => !SYNTH_RULES.includes(r));
const INPUT_IDS = INPUT_RULES.map((r) => r.id);

const folderOf = (id: string, which: 'fires' | 'near-miss') => path.join(FIXTURES, id, which);

interface Checked {
  readonly findings: { rule: string; severity: string; message: string }[];
}

/**
 * Checks a fixture folder (test/rules/…) as a standalone tree: in a copy of test/rules made once per run outside any git
 * work tree (standalone), not with this repository around it as its context. The findings' paths name the test/rules files.
 */
async function check(dir: string): Promise<Checked> {
  const copy = path.join(standalone(FIXTURES), path.relative(FIXTURES, dir));
  // the platform: the fixture's own project file, else OpenShift AI 3.0 (not inferred: a fixture may show a version out of step)
  const project = path.join(copy, PROJECT_FILE);
  const expected = fs.existsSync(project) ? (JSON.parse(fs.readFileSync(project, 'utf8')) as { platform: string }).platform : 'rhoai-3.0';
  const run = await cliInProcess(['check', copy, '--format', 'json', ...(fs.existsSync(project) ? [] : ['--platform', expected])]);
  const [code, out, err] = [run.code, inPlace(run.out), inPlace(run.err)];
  expect({ dir, code, err }).toEqual({ dir, code: expect.any(Number), err: '' });
  expect([0, 1]).toContain(code);
  const json = JSON.parse(out) as { platform: { id: string }; findings: Checked['findings'] };
  expect({ dir, platform: json.platform.id }).toEqual({ dir, platform: expected });
  return { findings: json.findings };
}

/** The text of every file of a fixture folder, whitespace runs read as one space. */
function textOf(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n')
    .replace(/\s+/g, ' ');
}

/**
 * A problem of the input other than the one a fixture is about: a mis-indented fixture must fail, not be checked as a
 * broken tree. A note (a remote chart not rendered) says what was not read, and breaks nothing.
 */
const inputProblems = (c: Checked, id: string) =>
  c.findings.filter((f) => INPUT_IDS.includes(f.rule) && f.rule !== id && f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`);

describe("each rule's own fixtures", () => {
  test('every rule a tree can produce has fires/ and near-miss/, each with a manifest; every folder names a rule', () => {
    const ids = REGISTERED_RULES.map((r) => r.id);
    const missing = TREE_RULES.flatMap((r) =>
      (['fires', 'near-miss'] as const)
        .filter(
          (w) => !fs.existsSync(folderOf(r.id, w)) || !fs.readdirSync(folderOf(r.id, w), { recursive: true, encoding: 'utf8' }).some((f) => /\.ya?ml$/.test(f)),
        )
        .map((w) => `${r.id}/${w}`),
    );
    expect(missing).toEqual([]);
    const folders = fs.readdirSync(FIXTURES);
    expect(folders.filter((f) => !ids.includes(f))).toEqual([]);
    expect(
      folders.flatMap((f) =>
        fs
          .readdirSync(path.join(FIXTURES, f))
          .filter((w) => w !== 'fires' && w !== 'near-miss')
          .map((w) => `${f}/${w}`),
      ),
    ).toEqual([]);
    // the synth findings are made on constructs, not read from a tree: they have no folder, and no other rule lacks one
    expect(REGISTERED_RULES.filter((r) => !folders.includes(r.id)).map((r) => r.id)).toEqual(SYNTH_RULES.map((r) => r.id));
  });

  test.each(TREE_RULES.map((r) => [r.id, r] as const))('%s fires on its fires/ tree, with its severity', async (id, rule) => {
    const dir = folderOf(id, 'fires');
    const named = path.join(dir, 'severity');
    const severity = fs.existsSync(named) ? fs.readFileSync(named, 'utf8').trim() : rule.severity;
    const checked = await check(dir);
    expect(inputProblems(checked, id)).toEqual([]);
    const mine = checked.findings.filter((f) => f.rule === id);
    expect(mine.length).toBeGreaterThan(0);
    expect([...new Set(mine.map((f) => f.severity))]).toEqual([severity]);
  });

  test.each(TREE_RULES.map((r) => [r.id] as const))('%s is silent on its near-miss/ tree', async (id) => {
    const checked = await check(folderOf(id, 'near-miss'));
    expect(inputProblems(checked, id)).toEqual([]);
    expect(checked.findings.filter((f) => f.rule === id)).toEqual([]);
  });

  test.each(TREE_RULES.map((r) => [r.id, r.example] as const))('%s: the fragments of its example (in backticks) are in its fires/ tree', (id, example) => {
    const fragments = exampleFragments(example);
    expect({ id, fragments: fragments.length > 0 }).toEqual({ id, fragments: true });
    const text = textOf(folderOf(id, 'fires'));
    expect(fragments.filter((f) => !text.includes(f.replace(/\s+/g, ' ')))).toEqual([]);
  });

  /** The trees whose fault is one kustomize itself refuses: the rule says so in its source. */
  const KUSTOMIZE_REFUSES = ['kustomize-build-fails/fires', 'kustomize-patch-invalid/fires'];
  // Flux entries listing the cluster folder's files (`../web.yaml`): kustomize-controller builds them with
  // LoadRestrictionsNone (fluxcd/pkg kustomize SecureBuild), and so does this test; so does the tree's own script build
  // the near miss's runtimes overlay, which reads a patch of a sibling folder
  const FLUX_ENTRIES = ['file-not-delivered/', 'kustomize-build-fails/near-miss/runtimes'];

  /** The kustomization roots of a fixture folder: folders with a kustomization.yaml below no other one. */
  function rootsOf(dir: string): string[] {
    // a missing folder is the first test's failure, not this suite's
    if (!fs.existsSync(dir)) return [];
    if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) return [dir];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => rootsOf(path.join(dir, e.name)));
  }

  const roots = TREE_RULES.flatMap((r) => (['fires', 'near-miss'] as const).flatMap((w) => rootsOf(folderOf(r.id, w)))).map((d) => path.relative(FIXTURES, d));

  test('the fixtures hold kustomization roots of both kinds', () => {
    expect(KUSTOMIZE_REFUSES.filter((k) => !roots.some((r) => r === k || r.startsWith(`${k}/`)))).toEqual([]);
    expect(roots.length).toBeGreaterThan(KUSTOMIZE_REFUSES.length * 4);
  });

  const argsOf = (root: string) => [
    'kustomize',
    ...(FLUX_ENTRIES.some((k) => root.startsWith(k)) ? ['--load-restrictor', 'LoadRestrictionsNone'] : []),
    path.join(FIXTURES, root),
  ];
  /**
   * What a root's build depends on, where that is the root's own files alone: the kubectl arguments but the folder,
   * and every file below it, named and byte for byte; undefined where a file names `..` (a resource, patch or
   * component outside the root, which another root's copy may not share). A fires/ and a near-miss/ tree often hold
   * the same folder (the fault is elsewhere): such roots build alike, so kubectl builds the first of them for all.
   */
  function contentKey(root: string): string | undefined {
    const hash = createHash('sha256').update(argsOf(root).slice(0, -1).join(' '));
    const dir = path.join(FIXTURES, root);
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!fs.statSync(path.join(dir, file)).isFile()) continue;
      const text = fs.readFileSync(path.join(dir, file));
      if (text.includes('..')) return undefined;
      hash.update(`\0${file}\0${text.length}\0`).update(text);
    }
    return hash.digest('hex');
  }

  // every root's build started by the first of these tests, a few at a time (kubectlEach), once for roots of the same
  // content (contentKey); each test judges its own
  let builds: Map<string, Promise<KubectlRun>> | undefined;
  const buildOf = (root: string) => {
    if (!builds) {
      const keyOf = new Map(roots.map((r) => [r, contentKey(r) ?? r]));
      const built = [...new Set(keyOf.values())];
      const runs = kubectlEach(built.map((key) => argsOf(roots.find((r) => keyOf.get(r) === key)!)));
      builds = new Map(roots.map((r) => [r, runs[built.indexOf(keyOf.get(r)!)]]));
    }
    return builds.get(root)!;
  };

  test.each(roots.map((r) => [r]))('kubectl kustomize %s builds, unless its fault is one kustomize refuses', async (root) => {
    const run = await buildOf(root);
    const refused = KUSTOMIZE_REFUSES.some((k) => root === k || root.startsWith(`${k}/`));
    expect({ root, builds: run.status === 0, stderr: refused ? '' : run.stderr }).toEqual({ root, builds: !refused, stderr: '' });
  });
});
