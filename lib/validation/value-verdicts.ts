import { cacheDir } from '../private/cache-dir';
import { packagePath } from '../private/package-root';
import { perObject } from '../private/run-memo';
import { PlatformId } from '../platform/platform';
import { fieldSchemaOf } from './field-schemas';
import { missingFields } from './required-fields';
import { ValueProblem, valueProblems } from './value-problems';
import { schemaFiles, VerdictCache } from './verdict-cache';

/** The values of a custom resource its CRD refuses, with how messages name the CRD. */
export interface ValueVerdict {
  /** `CRD clusterqueues.kueue.x-k8s.io`. */
  readonly source: string;
  readonly problems: readonly ValueProblem[];
}

const caches = new Map<string, VerdictCache<ValueVerdict | null> | undefined>();

/**
 * The values of `manifest` that the CRD of its kind (of the platform's schema sets, or of `sets`) refuses; undefined
 * for a built-in kind (its Go validation is not a schema's) and a kind or version no shipped CRD knows. Kept on
 * disk as the unknown-field verdicts are (VerdictCache): a run over objects judged before evaluates no CEL rule.
 */
export function valueVerdict(
  manifest: Record<string, unknown>,
  apiVersion: string,
  kind: string,
  platform: PlatformId,
  sets?: readonly string[],
): ValueVerdict | undefined {
  const choice = `values:${platform}:${sets?.join(',') ?? ''}`;
  if (!caches.has(choice)) caches.set(choice, VerdictCache.open<ValueVerdict | null>(cacheDir('fields'), schemaFiles(packagePath('schemas')), choice));
  const cache = caches.get(choice);
  const fresh = (): ValueVerdict | null => {
    if (fieldSchemaOf(apiVersion, kind, undefined)) return null;
    const schema = fieldSchemaOf(apiVersion, kind, platform, sets);
    if (!schema) return null;
    // only asked when a CEL rule fails: most objects break none
    const requiredMissing = () => missingFields(manifest, schema.schema, schema.definitions, false).length > 0;
    return { source: schema.source, problems: valueProblems(manifest, schema.schema, requiredMissing) };
  };
  // kept past the run while the object is unchanged, as the cache keys it: by its JSON and the choice (run-memo.ts)
  return perObject(`values:${choice}`, manifest, () => (cache ? cache.verdict(manifest, fresh) : fresh())) ?? undefined;
}
