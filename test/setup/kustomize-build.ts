import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { tempDir } from './scratch';
import { kubectlBinary, kubectlEach, kubectlEnv, KubectlRun } from './kubectl';
import { readManifests } from '../../lib';

/** A Deployment whose pod spec is `spec` (YAML, indented as a pod spec's fields). */
export const DEPLOYMENT = (name: string, spec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n${spec.replace(/^/gm, '      ')}\n`;

/** A temporary tree of files (relative path → text or bytes). */
export function writeTree(files: Record<string, string | Buffer>, prefix = 'kustomize-tree-'): string {
  const dir = tempDir(prefix);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

/** What kubectl kustomize builds from a folder: its objects, or its error (what it wrote on stderr). */
export type KubectlBuilt = { objects: unknown[] } | { error: string };

/** What kubectl kustomize builds from a folder: its objects, or its error. */
export function kubectlBuild(dir: string): KubectlBuilt {
  try {
    const out = execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() });
    return { objects: YAML.parseAllDocuments(out).map((d) => d.toJS()) };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

const builtOf = (run: KubectlRun): KubectlBuilt =>
  run.status === 0 ? { objects: YAML.parseAllDocuments(run.stdout).map((d) => d.toJS()) } : { error: run.stderr || `kubectl exited ${run.status}` };

/** A case's folder, written ahead, and its kubectl kustomize build: the run as kubectl ended it, and what it built. */
export interface BuildAhead {
  readonly dir: string;
  readonly run: Promise<KubectlRun>;
  readonly built: Promise<KubectlBuilt>;
}

/**
 * The folders of a table of cases, each written and its kubectl kustomize build started when the first case asks, the
 * builds a few at a time (kubectlEach): each case then finds its folder and awaits its own build, which has mostly run
 * while the cases before it were judged. The same kubectl on the same folder as kubectlBuild, not one after the other.
 */
export function buildsAhead<K>(keys: readonly K[], write: (key: K) => string): (key: K) => BuildAhead {
  let made: Map<K, BuildAhead> | undefined;
  return (key) => {
    if (made === undefined) {
      const dirs = keys.map(write);
      const runs = kubectlEach(dirs.map((d) => ['kustomize', d]));
      made = new Map(keys.map((k, i) => [k, { dir: dirs[i], run: runs[i], built: runs[i].then(builtOf) }]));
      if (made.size !== keys.length) throw new Error('the cases repeat a key');
    }
    const found = made.get(key);
    if (!found) throw new Error(`no case ${String(key)}`);
    return found;
  };
}

/** buildsAhead for a table of cases named by their first element: each case's folder is `write(case)`. */
export function casesAhead<C extends readonly [string, ...unknown[]]>(cases: readonly C[], write: (c: C) => string): (name: string) => BuildAhead {
  return buildsAhead(
    cases.map((c) => c[0]),
    (name) => write(cases.find((c) => c[0] === name)!),
  );
}

/** Objects in a fixed order (kubectl sorts by kind, the reader keeps file order): by kind, namespace and name. */
export function sorted(objects: readonly unknown[]): unknown[] {
  const key = (o: unknown) => {
    const m = o as { kind?: string; metadata?: { namespace?: string; name?: string } };
    return `${m?.kind}/${m?.metadata?.namespace ?? ''}/${m?.metadata?.name}`;
  };
  return [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * The reader builds the folder as kubectl kustomize does: the same objects (in kubectl's order), or, where `refusal`
 * is given, a kustomize-build-fails error matching it where kubectl fails too.
 */
export function expectBuildAsKubectl(dir: string, refusal?: string | RegExp): void {
  judgeAsKubectl(readManifests([dir]), kubectlBuild(dir), refusal);
}

/** expectBuildAsKubectl with the build made ahead (buildsAhead): the reader reads the folder while kubectl may still run. */
export async function expectBuiltAsKubectl(ahead: BuildAhead, refusal?: string | RegExp): Promise<void> {
  const read = readManifests([ahead.dir]);
  judgeAsKubectl(read, await ahead.built, refusal);
}

function judgeAsKubectl({ manifests, errors }: ReturnType<typeof readManifests>, built: KubectlBuilt, refusal?: string | RegExp): void {
  if (refusal) {
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', kind: 'kustomize-build-fails', message: expect.stringMatching(refusal) })]);
    expect(built).toEqual({ error: expect.any(String) });
    return;
  }
  expect(errors).toEqual([]);
  expect('error' in built ? built.error : '').toBe('');
  if ('objects' in built) expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(built.objects));
}

/** A kustomize tree, written as its files, and the refusal both the reader and kubectl give (undefined: both build it). */
export type KubectlCase = [name: string, files: Record<string, string>, refusal: RegExp | undefined];

/**
 * One test per case: the reader builds the tree as the real kubectl kustomize does (kubectl runs ahead, while the
 * reader reads): where the case names a refusal, both refuse (the reader with a kustomize-build-fails error matching
 * it); else both give the same objects and the reader warns of nothing.
 */
export function describeAgainstKubectl(title: string, cases: readonly KubectlCase[], prefix: string): void {
  describe(title, () => {
    const ahead = casesAhead(cases, ([, files]) => writeTree(files, prefix));
    test.each(cases)('%s', async (name, _files, says) => {
      const { dir, built: building } = ahead(name);
      const { manifests, errors } = readManifests([dir]);
      const built = await building;
      expect('error' in built).toBe(says !== undefined);
      expect(errors.filter((e) => e.severity === 'warning')).toEqual([]);
      const refusals = errors.filter((e) => e.severity === 'error');
      if (says) {
        expect(refusals).toEqual([expect.objectContaining({ kind: 'kustomize-build-fails', message: expect.stringMatching(says) })]);
        return;
      }
      expect(refusals).toEqual([]);
      expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted('objects' in built ? built.objects : []));
    });
  });
}
