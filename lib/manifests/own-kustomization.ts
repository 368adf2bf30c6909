import * as fs from 'fs';
import * as path from 'path';
import { mapping, strings } from './access';
import { KUSTOMIZATION_FILES } from './kustomization';
import { parseFirstDocument } from './yaml-documents';

/** How many folders up from a file its own kustomization is looked for: an overlay's files sit in or just below it. */
const LEVELS = 3;

/** The kustomization fields whose entries name files of the build (kustomize api/types/kustomization.go). */
const FILE_FIELDS = ['resources', 'components', 'patchesStrategicMerge', 'bases'];

/**
 * The kustomization file (its path) that lists the file, read from the file's folder up to the nearest folder that
 * has one: a build of its own beside the checked one (an overlay folder below the checked root that no kustomization
 * of the build includes). Undefined when that kustomization does not list it, or none is near.
 */
export function ownKustomizationOf(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < LEVELS; i++) {
    const k = KUSTOMIZATION_FILES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (k) return listsFile(k, file) ? k : undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** Whether the kustomization lists the file among the entries of its file fields (or a patch's path). */
function listsFile(kustomization: string, file: string): boolean {
  let source: string;
  try {
    source = fs.readFileSync(kustomization, 'utf8');
  } catch {
    return false;
  }
  const parsed = parseFirstDocument(source);
  if (!('value' in parsed)) return false;
  const k = mapping(parsed.value);
  const dir = path.dirname(kustomization);
  const entries = [...FILE_FIELDS.flatMap((f) => strings(k[f])), ...(Array.isArray(k.patches) ? k.patches.map((p) => mapping(p).path) : [])];
  const target = path.resolve(file);
  return entries.some((e) => typeof e === 'string' && path.resolve(dir, e) === target);
}
