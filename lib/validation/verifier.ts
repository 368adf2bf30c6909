import { TreeVerifier } from '../manifests/rendered';
import type { SchemaFinding, SchemaValidator, SchemaValidatorOptions } from './schema-validator';
// the folder alone: compiled-validators resolves ajv when it loads, which a synth whose verdicts are kept never needs
import { defaultCacheDir } from './validator-cache-dir';
import { platformOf } from '../platform/platform';
import { deferCompileCacheWrite } from '../private/compile-cache';
import { packagePath } from '../private/package-root';
import { schemaFiles, VerdictCache } from './verdict-cache';

/**
 * A KustomizeTree verifier that stops synth on any schema violation, naming object, file, field and fix. The CRDs are
 * those of the app's platform (`setPlatform`) unless `options` name a platform or a CRD folder.
 * Verdicts are cached beside the compiled validators (see VerdictCache): the validator, and with it ajv and the
 * CEL library, is loaded only for objects not validated before (the CRDs' folder is schemaRoot()'s, named here so
 * that loading the verifier loads none of the validator).
 */
export function schemaVerifier(options: SchemaValidatorOptions = {}): TreeVerifier {
  return (objects, app) => {
    const effective: SchemaValidatorOptions = { ...(app ? { platform: platformOf(app).id } : {}), ...options };
    const cache = VerdictCache.open(
      effective.cacheDir === undefined ? defaultCacheDir() : effective.cacheDir,
      schemaFiles(packagePath('schemas'), effective.crdDir),
      effective.crdDir ? `crds:${effective.crdDir}` : `platform:${effective.platform ?? 'default'}`,
    );
    let validator: SchemaValidator | undefined;
    const verdict = (manifest: unknown, file: string): SchemaFinding[] => {
      const fresh = () => {
        // a repeated synth reads the verdict back: the validator's code is left out of the library's compile cache entry
        if (!validator) deferCompileCacheWrite();
        // the validator (ajv, the schema tables, the CEL evaluator) is loaded for the first object not judged before
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
        validator ??= new (require('./schema-validator') as typeof import('./schema-validator')).SchemaValidator(effective);
        return validator.validate(manifest, file).map(({ file: _file, ...rest }) => rest);
      };
      return (cache ? cache.verdict(manifest, fresh) : fresh()).map((f) => ({ ...f, file }));
    };
    return objects.flatMap((o) => verdict(o.manifest, o.file)).map((f) => `${f.object} (${f.file}): ${f.field ? `${f.field}: ` : ''}${f.message}`);
  };
}
