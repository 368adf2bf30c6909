import * as fs from 'fs';
import { packagePath } from '../private/package-root';
import { ModelProfile } from './model-profile';

/**
 * The bundled profiles found by the Hugging Face id a manifest names them by. models/index.json maps each id to its
 * folder; it is read once, on the first lookup, and a folder's config.json only when a name matches it, so a check of
 * a tree that names no catalogued model reads one small file.
 */

/** Hugging Face id, lower case (the Hub resolves ids case-insensitively) → folder under models/. */
let catalogIndex: ReadonlyMap<string, string> | undefined;
const profiles = new Map<string, ModelProfile>();

function indexOfCatalog(): ReadonlyMap<string, string> {
  if (!catalogIndex) {
    const raw = JSON.parse(fs.readFileSync(packagePath('models', 'index.json'), 'utf8')) as Record<string, string>;
    catalogIndex = new Map(Object.entries(raw).map(([id, folder]) => [id.toLowerCase(), folder]));
  }
  return catalogIndex;
}

/** A Hugging Face id: organisation and repository, each of the Hub's name characters. */
const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

/**
 * The Hugging Face id a model reference spells whole: `org/name` itself, `hf://org/name` (KServe's storage URI, an
 * optional `:revision` after it), or a path or URI whose last two segments are `org/name` (`/models/org/name`,
 * `pvc://claim/org/name`, `s3://bucket/org/name/`). A name without its organisation spells no id: nothing is guessed
 * from a family or a size.
 */
export function hubIdOf(reference: string): string | undefined {
  const ref = reference.trim();
  if (!ref || /[$<{]/.test(ref)) return undefined;
  if (ref.startsWith('hf://')) {
    const id = ref
      .slice(5)
      .replace(/\/+$/, '')
      .replace(/:[\w.-]+$/, '');
    return HUB_ID.test(id) ? id : undefined;
  }
  if (HUB_ID.test(ref)) return ref;
  const local = ref.startsWith('/');
  const uri = /^(pvc|s3|gs|file):\/\/[^/]+\/(.+)$/.exec(ref);
  if (!local && !uri) return undefined;
  const segments = (uri ? uri[2] : ref).split('/').filter((s) => s && s !== '.');
  const id = segments.slice(-2).join('/');
  return segments.length >= 2 && HUB_ID.test(id) ? id : undefined;
}

/** The catalog's folder of a model reference (see hubIdOf), compared case-insensitively; undefined when none matches. */
export function catalogFolderOf(reference: string): string | undefined {
  const id = hubIdOf(reference);
  return id ? indexOfCatalog().get(id.toLowerCase()) : undefined;
}

/** The bundled profile a model reference names (see hubIdOf), read once per folder; undefined when none matches. */
export function catalogProfileOf(reference: string): ModelProfile | undefined {
  const folder = catalogFolderOf(reference);
  if (!folder) return undefined;
  let profile = profiles.get(folder);
  if (!profile) {
    profile = ModelProfile.bundled(folder);
    profiles.set(folder, profile);
  }
  return profile;
}
