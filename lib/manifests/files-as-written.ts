import * as fs from 'fs';
import { readBounded, realPath } from './files';
import { readJsonFile } from './json-files';
import { LoadedManifest, UnreadFile } from './loaded';
import { unreadOf } from './unread-files';
import { parseDocuments } from './yaml-documents';

/**
 * Files read as they are written, with no kustomization applied: what Argo CD's directory source reads of a kustomize
 * folder, and the files a kustomize folder holds that no kustomization lists.
 */

/** A file's text; undefined when it is gone, too large or not text. */
export function writtenText(file: string, maxFileBytes: number): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  const result = readBounded(file, st, maxFileBytes);
  return 'text' in result ? result.text : undefined;
}

/** The objects of a file as written (no kustomization applied); none when it is gone, too large or not text. */
export function objectsAsWritten(file: string, maxFileBytes: number): LoadedManifest[] {
  const written = writtenText(file, maxFileBytes);
  if (written === undefined) return [];
  return parseDocuments(written, file.endsWith('.json')).objects.map(({ index, line, manifest }) => ({ file, index, line, manifest }));
}

/**
 * The objects of the files in kustomize folders as they are written, kustomization files included: what Argo CD's
 * directory source applies when a source sets `directory` on such a folder (it reads files, it does not build); with
 * what it reads there that does not parse, told once (`built` holds the real paths a kustomization read, whose problems
 * were reported then).
 */
export function directorySourceObjects(
  files: readonly string[],
  built: ReadonlySet<string>,
  maxFileBytes: number,
): { manifests: LoadedManifest[]; unread: UnreadFile[] } {
  const unread: UnreadFile[] = [];
  const manifests = files.flatMap((file) => {
    const written = writtenText(file, maxFileBytes);
    if (written === undefined) return [];
    const { objects, problems } = parseDocuments(written, file.endsWith('.json'));
    unread.push(...unreadOf(file, written, problems, built.has(realPath(file)), objects));
    return objects.map(({ index, line, manifest }) => ({ file, index, line, manifest }));
  });
  return { manifests, unread };
}

/**
 * A dot file of a folder outside kustomize folders: not read as a manifest (.cdk8s-vllm.json, editor settings), but
 * Argo CD's directory source reads it like any other, so one it would evaluate or refuse is an unread file.
 */
export function unreadDotFile(file: string, maxFileBytes: number): UnreadFile | undefined {
  if (!/\.json(net)?$/.test(file)) return undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    // a dangling link: Argo CD skips it too ("destination of symlink is missing")
    return undefined;
  }
  if (!st.isFile()) return undefined;
  if (file.endsWith('.jsonnet')) return { file, kind: 'jsonnet' };
  const read = readBounded(file, st, maxFileBytes);
  const holds = 'text' in read ? readJsonFile(read.text, true).notManifest : 'no text (binary, unreadable or too large)';
  return holds ? { file, kind: 'not-manifest', holds } : undefined;
}
