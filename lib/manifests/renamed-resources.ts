import * as fs from 'fs';
import * as path from 'path';
import { NearBound, nearWithin } from '../private/edit-distance';
import { Loose, mapping, stringsIn, text } from './access';
import { readBounded, realPath } from './files';
import { KUSTOMIZATION_FILES } from './kustomization';
import { NOT_AN_OBJECT, parseDocuments } from './yaml-documents';
import { RESOURCE_FILE } from './listed-resources';

/**
 * A kustomization that lists a resource file that is not there: the file of its folder it was likely renamed to,
 * read as if listed so that its objects are checked, and how that is said.
 */

/**
 * kustomize stops at the first resource that is missing (api/internal/accumulator), so the author sees one error
 * per fix, and nothing of the root is built; the usual cause is a renamed file. The resource files of the
 * kustomization `k` in `dir` that it names nowhere, whose names are likely what a missing entry was renamed to and
 * that hold only resources, are handed to `read` in order (`readBefore` passes over those the build has read), so that
 * their objects are checked with the kustomization's transformers; the entries read are returned.
 */
export function readRenamedInstead(
  dir: string,
  k: Loose,
  missing: readonly string[],
  entries: readonly string[],
  maxFileBytes: number,
  readBefore: (real: string) => boolean,
  read: (file: string, st: fs.Stats) => void,
): string[] {
  const named = new Set(stringsIn(k).map((s) => realPath(path.join(dir, s))));
  const done: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e);
    if (!RESOURCE_FILE.test(e) || KUSTOMIZATION_FILES.includes(e) || named.has(realPath(full)) || readBefore(realPath(full))) continue;
    if (!missing.some((m) => likelyRenamed(path.basename(m), e))) continue;
    const st = fs.statSync(full, { throwIfNoEntry: false });
    if (!st?.isFile() || !resourceLike(full, st, maxFileBytes)) continue;
    read(full, st);
    done.push(e);
  }
  return done;
}

/** What a kustomization with missing entries is told when the files of its folder in `read` were checked in their place. */
export function renamedInsteadMessage(missing: readonly string[], read: readonly string[]): string {
  const [they, are] = read.length > 1 ? ['they', 'are'] : ['it', 'is'];
  return (
    `lists ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length > 1 ? 'do' : 'does'} not exist, and names nowhere ${read.join(', ')} of its folder ` +
    `(likely the renamed resource${missing.length > 1 ? 's' : ''}): ${they} ${are} checked as if listed, although kustomize build fails; ` +
    `list ${read.length > 1 ? 'them' : 'it'} in resources instead of the missing name${missing.length > 1 ? 's' : ''}`
  );
}

/** Whether a file holds only documents kustomize takes as resources (a kind and a name each): no patch, no config. */
function resourceLike(file: string, st: fs.Stats, maxFileBytes: number): boolean {
  const read = readBounded(file, st, maxFileBytes);
  if (!('text' in read)) return false;
  const { objects, problems } = parseDocuments(read.text, file.endsWith('.json'));
  return (
    objects.length > 0 &&
    !problems.some((p) => p.severity === 'error' || NOT_AN_OBJECT.test(p.message)) &&
    objects.every(({ manifest }) => !!text(mapping(manifest.metadata).name) && !/^kustomize\.config\.k8s\.io\//.test(String(manifest.apiVersion)))
  );
}

/** Words of file names too common to tell one file from another (`model-serving.yaml` is no rename of `model-registry.yaml`). */
const COMMON_NAME_WORDS = new Set([
  'yaml',
  'json',
  'base',
  'config',
  'configs',
  'model',
  'models',
  'deploy',
  'deployment',
  'manifest',
  'manifests',
  'resources',
  'app',
  'apps',
]);

/** Two file names are taken for one renamed at most a quarter of the longer's length apart, at least two edits. */
const RENAME_TYPO: NearBound = { charactersPerEdit: 4, of: 'longer', atLeast: 2 };

/**
 * Whether an unlisted file is likely what a missing entry was renamed to: the same name but for its punctuation or a
 * suffix (`service.yaml`, `service-v2.yaml`), a few letters apart (`inferenceservice.yaml`, `inference-service.yaml`),
 * or a distinctive word in common. A file with an unrelated name is a leftover, not the missing one: it is not read.
 */
function likelyRenamed(missing: string, candidate: string): boolean {
  const words = (name: string) =>
    name
      .toLowerCase()
      .replace(/\.(ya?ml|json)$/, '')
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  const [a, b] = [words(missing), words(candidate)];
  const [x, y] = [a.join(''), b.join('')];
  if (!x || !y) return false;
  if (x === y || (Math.min(x.length, y.length) >= 3 && (x.includes(y) || y.includes(x)))) return true;
  if (nearWithin(x, [y], RENAME_TYPO).length) return true;
  return a.some((w) => w.length >= 4 && !COMMON_NAME_WORDS.has(w) && b.includes(w));
}
