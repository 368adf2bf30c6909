import { TreeVerifier } from '../manifests/rendered';
import { SchemaValidator, SchemaValidatorOptions } from './schema-validator';

/**
 * A KustomizeTree verifier that stops synth on any schema violation, naming object, file, field and fix. Give the
 * app's platform (`{ platform: platformOf(app).id }`) to validate against that platform's CRDs.
 */
export function schemaVerifier(options: SchemaValidatorOptions = {}): TreeVerifier {
  return (objects) => {
    const validator = new SchemaValidator(options);
    return objects.flatMap((o) => validator.validate(o.manifest, o.file)).map((f) => `${f.object} (${f.file}): ${f.field ? `${f.field}: ` : ''}${f.message}`);
  };
}
