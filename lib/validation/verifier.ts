import { TreeVerifier } from '../manifests/rendered';
import { SchemaValidator, SchemaValidatorOptions } from './schema-validator';
import { platformOf } from '../platform/platform';

/**
 * A KustomizeTree verifier that stops synth on any schema violation, naming object, file, field and fix. The CRDs are
 * those of the app's platform (`setPlatform`) unless `options` name a platform or a CRD folder.
 */
export function schemaVerifier(options: SchemaValidatorOptions = {}): TreeVerifier {
  return (objects, app) => {
    const validator = new SchemaValidator({ ...(app ? { platform: platformOf(app).id } : {}), ...options });
    return objects.flatMap((o) => validator.validate(o.manifest, o.file)).map((f) => `${f.object} (${f.file}): ${f.field ? `${f.field}: ` : ''}${f.message}`);
  };
}
