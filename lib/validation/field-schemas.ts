import * as fs from 'fs';
import { Loose } from '../manifests/access';
import { packagePath } from '../private/package-root';
import { PLATFORMS, PlatformId } from '../platform/platform';
import { crdSchemaFile, groupFiles } from '../platform/schema-sets';
import { Definitions } from './unknown-fields';

/** The schema of one kind, with where it comes from, for `unknownFields`. */
export interface FieldSchema {
  readonly schema: Loose;
  readonly definitions: Definitions;
  /** How messages name it: `Kubernetes 1.33`, `CRD servingruntimes.serving.kserve.io`. */
  readonly source: string;
}

interface CoreSchemas {
  readonly kinds: Readonly<Record<string, { readonly definition: string }>>;
  readonly definitions: Definitions;
}

/** How messages name the built-in kinds' schema (schemas/k8s/k8s-1.33.json). */
export const CORE_SCHEMA_SOURCE = 'Kubernetes 1.33';

let core: CoreSchemas | undefined;
/** The Kubernetes 1.33 definitions of schemas/k8s, read on first use. */
export function coreSchemas(): CoreSchemas {
  core ??= JSON.parse(fs.readFileSync(packagePath('schemas', 'k8s', 'k8s-1.33.json'), 'utf8')) as CoreSchemas;
  return core;
}

/** The schema of a Kubernetes 1.33 kind; undefined for any other apiVersion and kind. */
export function coreFieldSchema(apiVersion: string, kind: string): FieldSchema | undefined {
  const { kinds, definitions } = coreSchemas();
  const builtIn = kinds[`${apiVersion}/${kind}`];
  return builtIn ? { schema: { $ref: `#/definitions/${builtIn.definition}` }, definitions, source: CORE_SCHEMA_SOURCE } : undefined;
}

/**
 * The schema of an apiVersion and kind: a Kubernetes 1.33 kind, or a custom resource of the platform's shipped schema
 * sets; undefined when neither knows it. Cheap for `check`: no validator is compiled, and a schema set's files are
 * read only for the API group asked (their names end in `.<group>.json`), each once.
 */
export function fieldSchemaOf(
  apiVersion: string,
  kind: string,
  platform: PlatformId | undefined,
  sets: readonly string[] = platform ? PLATFORMS[platform].schemaSets : [],
): FieldSchema | undefined {
  const builtIn = coreFieldSchema(apiVersion, kind);
  if (builtIn) return builtIn;
  const slash = apiVersion.indexOf('/');
  if (!platform || slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  // a later set replaces an earlier one's kind, as in SchemaValidator
  for (const set of [...sets].reverse()) {
    for (const file of groupFiles(set, group, kind)) {
      const crd = crdSchemaFile(file);
      if (crd.kind !== kind || crd.group !== group) continue;
      const v = crd.versions.find((x) => x.name === version);
      if (v) return { schema: v.schema, definitions: coreSchemas().definitions, source: `CRD ${crd.plural}.${crd.group}` };
    }
  }
  return undefined;
}
