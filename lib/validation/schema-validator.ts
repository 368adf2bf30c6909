import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { packagePath } from '../private/package-root';
import { apiServerProblems } from './api-server-checks';
import { celViolations } from './cel';
import { unknownFieldMessage, unknownFields } from './unknown-fields';
import { Loose, objectId } from '../manifests/access';
import { DEFAULT_PLATFORM_ID, platformById, PlatformId } from '../platform/platform';
import { PrecompiledPlace, precompiledValidator } from '../private/precompiled';
import { AJV_VERSION, CONVERTER_VERSION, defaultCacheDir, newAjv, precompiledModule, sha256, writeCache } from './compiled-validators';
import { readCrdDir, readShippedCrds } from './crd-files';
import { crdSchema, toAjv } from './ajv-schemas';
import { dedupe, fieldOf, messageOf, valueAt } from './schema-messages';

/** One schema violation. */
export interface SchemaFinding {
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds. */
  readonly object: string;
  /** Field path, dotted: `spec.predictor.model.args[0]`. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** File the object came from, when known. */
  readonly file?: string;
}

/** Where the schemas come from. */
export interface SchemaValidatorOptions {
  /**
   * A folder of CustomResourceDefinitions (YAML or JSON, as a cluster exports them, or in the description-free form
   * of the package's schemas/crds) read in addition to the platform's shipped schemas; a kind and version defined
   * there replaces the shipped one.
   * @default - only the description-free CRD schemas of the platform's schema sets under schemas/crds/
   */
  readonly crdDir?: string;
  /**
   * The platform whose CRDs (its schema sets under schemas/crds/: KServe, Kueue, MachineSet, HardwareProfile, Argo CD
   * at the releases the platform runs) custom resources are checked against; `crdDir` adds to them.
   * @default 'rhoai-3.0'
   */
  readonly platform?: PlatformId;
  /**
   * Folder for compiled validators; null disables the cache.
   * @default - node_modules/.cache/cdk8s-vllm/validators in a project, else the system temp folder
   */
  readonly cacheDir?: string | null;
  /**
   * Folder of the validators `npm run build` precompiled for the shipped schemas; null compiles every validator.
   * @default - build/lib/validation/precompiled in the package
   */
  readonly precompiledDir?: string | null;
}

interface KindSchema {
  readonly namespaced: boolean;
  readonly source: string;
  /** Identifies the schema's content, for the on-disk cache of compiled validators. */
  readonly cacheKey: string;
  /** Where the build put its validator, when the schema is a shipped one. */
  readonly precompiled: PrecompiledPlace;
  /** Produces the ajv schema (converted on first use only). */
  readonly schema: () => object;
  /** The CRD's OpenAPI schema as written, for its CEL rules. */
  readonly openApi?: unknown;
  /** The schema unknown fields are judged on (`unknownFields`, shared with check's field-unknown rule). */
  readonly fields: Loose;
}

/** The schema folder shipped with the package. */
export function schemaRoot(): string {
  return packagePath('schemas');
}

/**
 * Strict structural validation of Kubernetes manifests: built-in kinds against the Kubernetes 1.33 schema,
 * custom resources against the openAPIV3Schema of their CRD, with unknown fields rejected (as the API server's
 * strict field validation, kubectl's default, rejects them), required fields, enums, patterns,
 * `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`, embedded resources and namespace scope.
 *
 * CEL rules (`x-kubernetes-validations`) are not evaluated. Validators are compiled on first use of a kind.
 */
export class SchemaValidator {
  private ajvInstance?: Ajv;
  private readonly kinds = new Map<string, KindSchema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly cacheDir: string | null;
  private readonly precompiledDir: string | null;
  private readonly coreSchema: () => object;
  private readonly coreDefinitions: Record<string, Loose>;
  private coreAdded = false;
  /** How messages name where the CRDs come from: the platform, or the folder given. */
  private readonly crdOrigin: string;

  constructor(options: SchemaValidatorOptions = {}) {
    this.cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
    // where scripts/precompile-validators.js writes them
    this.precompiledDir = options.precompiledDir === undefined ? path.join(__dirname, 'precompiled') : options.precompiledDir;

    const root = schemaRoot();
    const coreFile = path.join(root, 'k8s', 'k8s-1.33.json');
    const coreText = fs.readFileSync(coreFile, 'utf8');
    const core = JSON.parse(coreText);
    const coreHash = sha256(coreText);
    this.coreDefinitions = core.definitions;
    this.coreSchema = () => ({ $id: 'k8s', definitions: toAjv(core.definitions) });
    // the built-in kinds share one module: their validators share most definitions (PodSpec, ObjectMeta)
    const coreModule = precompiledModule('k8s', coreHash);
    for (const [key, k] of Object.entries<Loose>(core.kinds)) {
      this.kinds.set(key, {
        namespaced: k.namespaced,
        source: 'Kubernetes 1.33',
        cacheKey: `${coreHash}:${k.definition}`,
        precompiled: { module: coreModule, name: k.definition },
        schema: () => ({ $ref: `k8s#/definitions/${k.definition}` }),
        fields: { $ref: `#/definitions/${k.definition}` },
      });
    }
    this.kinds.set('#ObjectMeta', {
      namespaced: false,
      source: 'ObjectMeta',
      cacheKey: `${coreHash}:ObjectMeta`,
      precompiled: { module: coreModule, name: 'ObjectMeta' },
      schema: () => ({ $ref: 'k8s#/definitions/ObjectMeta' }),
      fields: { $ref: '#/definitions/ObjectMeta' },
    });
    const platform = platformById(options.platform ?? DEFAULT_PLATFORM_ID, 'SchemaValidator platform');
    this.crdOrigin = options.crdDir ? `${platform.label} and the CRDs in ${options.crdDir}` : platform.label;
    const crds = [
      ...platform.schemaSets.flatMap((set) => readShippedCrds(path.join(root, 'crds', set))),
      ...(options.crdDir ? readCrdDir(options.crdDir) : []),
    ];
    for (const crd of crds) {
      for (const v of crd.versions) {
        this.kinds.set(`${crd.group}/${v.name}/${crd.kind}`, {
          namespaced: crd.scope === 'Namespaced',
          source: `CRD ${crd.plural}.${crd.group}`,
          cacheKey: `${crd.hash}:${v.name}`,
          precompiled: { module: precompiledModule('crd', `${crd.hash}:${v.name}`), name: 'default' },
          schema: () => crdSchema(v.schema),
          openApi: v.schema,
          fields: v.schema,
        });
      }
    }
  }

  /** ajv, loaded on the first validator to compile: validators compiled by earlier runs are read from the cache. */
  private get ajv(): Ajv {
    this.ajvInstance ??= newAjv(__dirname + path.sep + 'formats');
    return this.ajvInstance;
  }

  /**
   * @internal The standalone code (ajv/dist/standalone) of the validators of this validator's kinds, by module, for
   * the modules `wanted` names (asked once per module); their formats are required from `formatsModule` (a path relative to where the modules
   * are written). scripts/precompile-validators.js writes them at build time.
   */
  public standaloneModules(formatsModule: string, wanted: (module: string) => boolean): Map<string, string> {
    const ajv = newAjv(formatsModule);
    ajv.addSchema(this.coreSchema(), 'k8s');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only the build writes standalone code
    const standalone = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
    const exportsOf = new Map<string, Record<string, string>>();
    const out = new Map<string, string>();
    const chosen = new Map<string, boolean>();
    for (const kind of this.kinds.values()) {
      const { module, name } = kind.precompiled;
      if (!chosen.has(module)) chosen.set(module, wanted(module));
      if (!chosen.get(module) || out.has(module)) continue;
      if (name === 'default') {
        // compiled as validatorFor compiles it, so that its code and errors are those of the compiled path
        out.set(module, standalone(ajv, ajv.compile(kind.schema())));
        continue;
      }
      const id = `${module}.${name}`; // a relative id: the schema's $ref to k8s# resolves as in validatorFor
      ajv.addSchema(kind.schema(), id);
      exportsOf.set(module, { ...exportsOf.get(module), [name]: id });
    }
    for (const [module, refs] of exportsOf) out.set(module, standalone(ajv, refs));
    return out;
  }

  /** `apiVersion/kind` of every kind this validator knows. */
  public knownKinds(): string[] {
    return [...this.kinds.keys()].filter((k) => !k.startsWith('#')).sort();
  }

  /** Validates one manifest; an empty list means it conforms. */
  public validate(object: unknown, file?: string): SchemaFinding[] {
    const manifest = object as Loose;
    const id = objectId(manifest);
    const at = (field: string, message: string): SchemaFinding => ({ object: id, field, message, ...(file ? { file } : {}) });
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
      return [at('', 'not a Kubernetes object (a YAML mapping with apiVersion and kind)')];
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return [at('apiVersion', 'apiVersion and kind are required')];
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    const kind = this.kinds.get(key);
    if (!kind) {
      const versions = this.knownKinds()
        .filter((k) => k.endsWith(`/${manifest.kind}`))
        .map((k) => k.slice(0, -manifest.kind.length - 1));
      return [
        at(
          'apiVersion',
          versions.length
            ? `${key} is not served on ${this.crdOrigin}; ${manifest.kind} is served as ${versions.join(', ')}`
            : `no schema for ${key} on ${this.crdOrigin}: pass the CRD folder with --crds <dir>`,
        ),
      ];
    }
    const findings: SchemaFinding[] = [];
    const validate = this.validatorFor(key, kind);
    if (!validate(manifest)) findings.push(...dedupe(validate.errors ?? []).map((e) => at(fieldOf(e), messageOf(e, valueAt(manifest, e.instancePath)))));
    const meta = this.validatorFor('#ObjectMeta', this.kinds.get('#ObjectMeta')!);
    if (manifest.metadata && !meta(manifest.metadata)) {
      findings.push(
        ...dedupe(meta.errors ?? []).map((e) => at(`metadata${fieldOf(e) ? `.${fieldOf(e)}` : ''}`, messageOf(e, valueAt(manifest.metadata, e.instancePath)))),
      );
    }
    findings.push(...unknownFields(manifest, kind.fields, this.coreDefinitions).map((u) => at(u.field, unknownFieldMessage(u, kind.source))));
    if (!manifest.metadata?.name) findings.push(at('metadata.name', 'metadata.name is required'));
    if (kind.namespaced && !manifest.metadata?.namespace) {
      findings.push(at('metadata.namespace', `${manifest.kind} is namespaced: set metadata.namespace (or a namespace in the kustomization)`));
    }
    if (!kind.namespaced && manifest.metadata?.namespace) {
      findings.push(at('metadata.namespace', `${manifest.kind} is cluster-scoped: remove metadata.namespace`));
    }
    // CEL rules decide only on objects that are structurally right (as in the API server, after the schema)
    if (!findings.length && kind.openApi)
      findings.push(...celViolations(kind.openApi, manifest).map((v) => at(v.field, `${v.message} (CEL rule of ${kind.source})`)));
    const reported = new Set(findings.map((f) => f.field));
    findings.push(
      ...apiServerProblems(manifest)
        .filter((p) => !reported.has(p.field))
        .map((p) => at(p.field, p.message)),
    );
    return findings;
  }

  /**
   * @internal ajv's errors for `object` against its kind's schema and, under `metadata`, ObjectMeta's (undefined for a
   * kind this validator does not know): what the findings are made of; `module` names the precompiled module of the
   * kind's validator when both validators were precompiled.
   */
  public schemaErrors(
    object: Loose,
  ): { readonly errors: readonly ErrorObject[]; readonly metadata: readonly ErrorObject[]; readonly module?: string } | undefined {
    const key = `${object?.apiVersion}/${object?.kind}`;
    const kind = this.kinds.get(key);
    if (!kind) return undefined;
    const meta = this.kinds.get('#ObjectMeta')!;
    const validate = this.validatorFor(key, kind);
    const errors = validate(object) ? [] : [...(validate.errors ?? [])];
    const validateMeta = this.validatorFor('#ObjectMeta', meta);
    const metadata = !object.metadata || validateMeta(object.metadata) ? [] : [...(validateMeta.errors ?? [])];
    const precompiled = [kind, meta].every((k) => precompiledValidator(this.precompiledDir, k.precompiled) !== undefined);
    return { errors, metadata, ...(precompiled ? { module: kind.precompiled.module } : {}) };
  }

  /**
   * Compiling the InferenceService schema takes about half a second; the compiled code is cached on disk
   * (keyed by the schema's content) so that later runs, such as every synth, only load it.
   */
  private validatorFor(key: string, kind: KindSchema): ValidateFunction {
    let v = this.compiled.get(key) ?? precompiledValidator(this.precompiledDir, kind.precompiled);
    if (v) {
      this.compiled.set(key, v);
      return v;
    }
    const file = this.cacheDir
      ? path.join(this.cacheDir, `${sha256(`${CONVERTER_VERSION}:${AJV_VERSION}:${kind.cacheKey}:${__dirname}`).slice(0, 32)}.js`)
      : undefined;
    if (file && fs.existsSync(file)) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        v = require(file) as ValidateFunction;
      } catch {
        v = undefined;
      }
    }
    if (!v) {
      if (!this.coreAdded) {
        this.ajv.addSchema(this.coreSchema(), 'k8s');
        this.coreAdded = true;
      }
      v = this.ajv.compile(kind.schema());
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, with ajv
      if (file) writeCache(file, (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default(this.ajv, v));
    }
    this.compiled.set(key, v);
    return v;
  }
}
