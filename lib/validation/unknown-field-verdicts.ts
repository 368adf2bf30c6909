import { cacheDir } from '../private/cache-dir';
import { packagePath } from '../private/package-root';
import { perObject } from '../private/run-memo';
import { PlatformId } from '../platform/platform';
import { fieldSchemaOf } from './field-schemas';
import { MissingField, missingFields } from './required-fields';
import { UnknownField, unknownFields } from './unknown-fields';
import { schemaFiles, VerdictCache } from './verdict-cache';

/**
 * What the API server's field validation says of one object: the schema it is judged by, the fields that schema lacks
 * (strict field validation) and the fields it requires that the object lacks after defaulting.
 */
export interface UnknownFieldsVerdict {
  /** How messages name the schema: `Kubernetes 1.33`, `CRD servingruntimes.serving.kserve.io`. */
  readonly source: string;
  /** The schema is a Kubernetes built-in kind's, not a CRD's. */
  readonly builtIn: boolean;
  readonly unknown: readonly UnknownField[];
  readonly missing: readonly MissingField[];
}

/** A verdict as stored: null when no schema knows the kind. */
type Stored = UnknownFieldsVerdict | null;

const caches = new Map<string, VerdictCache<Stored> | undefined>();

/**
 * The unknown and missing required fields of `manifest` by the schema of its kind: a Kubernetes built-in kind's, else the CRD of the given
 * schema sets (those of `platform` by default); undefined when neither knows the kind. Verdicts are kept on disk as
 * the schema validator's are (VerdictCache, keyed by the object, the shipped schemas and this code): a run that
 * judges objects judged before parses no schema (the InferenceService CRD alone is 0.35 MB of JSON).
 */
export function unknownFieldsVerdict(
  manifest: Record<string, unknown>,
  apiVersion: string,
  kind: string,
  platform: PlatformId | undefined,
  sets?: readonly string[],
): UnknownFieldsVerdict | undefined {
  // an object judged as another apiVersion than it names (field-schema-choice.ts) is cached apart from its own verdict
  const as = apiVersion === manifest.apiVersion ? '' : `:as:${apiVersion}`;
  const choice = `fields:${platform ?? ''}:${sets?.join(',') ?? ''}${as}`;
  if (!caches.has(choice)) caches.set(choice, VerdictCache.open<Stored>(cacheDir('fields'), schemaFiles(packagePath('schemas')), choice));
  const cache = caches.get(choice);
  const fresh = () => judge(manifest, apiVersion, kind, platform, sets) ?? null;
  // kept past the run while the object is unchanged, as the cache keys it: by its JSON and the choice (run-memo.ts)
  return perObject(`unknown-fields:${choice}`, manifest, () => (cache ? cache.verdict(manifest, fresh) : fresh())) ?? undefined;
}

function judge(
  manifest: Record<string, unknown>,
  apiVersion: string,
  kind: string,
  platform: PlatformId | undefined,
  sets: readonly string[] | undefined,
): UnknownFieldsVerdict | undefined {
  const builtIn = fieldSchemaOf(apiVersion, kind, undefined);
  const schema = builtIn ?? fieldSchemaOf(apiVersion, kind, platform, sets);
  if (!schema) return undefined;
  return {
    source: schema.source,
    builtIn: builtIn !== undefined,
    unknown: unknownFields(manifest, schema.schema, schema.definitions),
    missing: missingFields(manifest, schema.schema, schema.definitions, builtIn !== undefined),
  };
}
