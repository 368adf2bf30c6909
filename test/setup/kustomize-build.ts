import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { tempDir } from './scratch';
import { kubectlBinary } from './kubectl';
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

/** What kubectl kustomize builds from a folder: its objects, or its error. */
export function kubectlBuild(dir: string): { objects: unknown[] } | { error: string } {
  try {
    const out = execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' });
    return { objects: YAML.parseAllDocuments(out).map((d) => d.toJS()) };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
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
  const { manifests, errors } = readManifests([dir]);
  const built = kubectlBuild(dir);
  if (refusal) {
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', kind: 'kustomize-build-fails', message: expect.stringMatching(refusal) })]);
    expect(built).toEqual({ error: expect.any(String) });
    return;
  }
  expect(errors).toEqual([]);
  expect('error' in built ? built.error : '').toBe('');
  if ('objects' in built) expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(built.objects));
}
