import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { cacheDir } from '../private/cache-dir';
import { packagePath } from '../private/package-root';
import { apiServerProblems } from './api-server-checks';
import { celViolations } from './cel';
import { formats, LENIENT_FORMATS } from './formats';
import { goPattern } from './go-pattern';
import { unknownFieldMessage, unknownFields } from './unknown-fields';
import { Loose, objectId } from '../manifests/access';
import { DEFAULT_PLATFORM_ID, platformById, PlatformId } from '../platform/platform';
import { compareText } from '../private/collate';
import { PrecompiledPlace, precompiledValidator } from '../private/precompiled';

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

/** Bump when the conversion from CRD schema to ajv schema changes, so cached validators are recompiled. */
const CONVERTER_VERSION = 5;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION: string = require('ajv/package.json').version;

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

/** The name of a precompiled module: what it validates against, and the converter and ajv that wrote it. */
function precompiledModule(prefix: string, schemaKey: string): string {
  return `${prefix}-${sha256(`${CONVERTER_VERSION}:${AJV_VERSION}:${schemaKey}`).slice(0, 24)}`;
}

/** ajv as the validators are compiled: every error, formats checked, compiled code kept for the standalone modules. */
function newAjv(formatsModule: string): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  const { default: AjvClass, _ } = require('ajv') as typeof import('ajv');
  const ajv = new AjvClass({
    allErrors: true,
    strict: false,
    validateFormats: true,
    logger: false,
    code: { source: true, formats: _`require(${formatsModule}).formats` },
  });
  for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def);
  for (const f of LENIENT_FORMATS) ajv.addFormat(f, true);
  return ajv;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** node_modules/.cache/cdk8s-vllm/validators when run in a project, else the system temp folder. */
export function defaultCacheDir(): string | null {
  return cacheDir('validators');
}

function writeCache(file: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only or full disk only costs the next run a recompile
  }
}

interface CrdSchemaFile {
  readonly hash: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: string;
  readonly versions: { readonly name: string; readonly schema: Loose }[];
}

function readShippedCrds(dir: string): CrdSchemaFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return { ...JSON.parse(text), hash: sha256(text) };
    });
}

/** The description-free form scripts/import-crds.js writes to schemas/crds: group, kind, plural, scope, versions with their schema. */
function isShippedForm(doc: unknown): doc is Omit<CrdSchemaFile, 'hash'> {
  const d = doc as Loose;
  return (
    !!d &&
    typeof d === 'object' &&
    d.kind !== 'CustomResourceDefinition' &&
    typeof d.group === 'string' &&
    typeof d.kind === 'string' &&
    typeof d.scope === 'string' &&
    Array.isArray(d.versions) &&
    d.versions.every((v: Loose) => typeof v?.name === 'string' && v.schema && typeof v.schema === 'object')
  );
}

/** Reads CustomResourceDefinitions from YAML files (the upstream CRD files, or any cluster's export). */
function readCrdDir(dir: string): CrdSchemaFile[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const out: CrdSchemaFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$|\.json$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        for (const doc of YAML.parseAllDocuments(text)) {
          const crd = doc.toJS();
          if (isShippedForm(crd)) {
            out.push({ ...crd, hash: sha256(`${p}:${text}`) });
            continue;
          }
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          out.push({
            hash: sha256(`${p}:${text}`),
            group: crd.spec.group,
            kind: crd.spec.names.kind,
            plural: crd.spec.names.plural,
            scope: crd.spec.scope,
            versions: crd.spec.versions.filter((v: Loose) => v.served).map((v: Loose) => ({ name: v.name, schema: v.schema?.openAPIV3Schema ?? {} })),
          });
        }
      }
    }
  };
  walk(dir);
  if (!out.length) throw new Error(`no CustomResourceDefinition found under ${dir}`);
  return out;
}

/**
 * Turns a structural openAPIV3Schema into a JSON schema for ajv: types, enums, patterns, bounds, required fields.
 * Unknown fields are left to `unknownFields`, which `validate` and `check` share.
 */
function crdSchema(openapi: Loose): object {
  const convert = (s: Loose, top: boolean): Loose => {
    if (!s || typeof s !== 'object') return {};
    const out: Loose = {};
    if (s['x-kubernetes-int-or-string']) {
      out.anyOf = [{ type: 'integer' }, { type: 'string', ...(s.pattern ? { pattern: goPattern(s.pattern) } : {}) }];
    } else if (s.type) {
      out.type = s.nullable ? [s.type, 'null'] : s.type;
    }
    for (const k of [
      'enum',
      'pattern',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
      'minLength',
      'maxLength',
      'minItems',
      'maxItems',
      'uniqueItems',
      'minProperties',
      'maxProperties',
      'format',
      'required',
    ]) {
      if (s[k] !== undefined && !(k === 'pattern' && s['x-kubernetes-int-or-string'])) out[k] = k === 'pattern' ? goPattern(s[k]) : s[k];
    }
    if (out.enum && s.nullable) out.enum = [...out.enum, null];
    if (s.items) out.items = convert(s.items, false);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      // int-or-string fields carry anyOf [integer, string] as an annotation; the pattern is applied above instead
      if (s[k] && !(k === 'anyOf' && s['x-kubernetes-int-or-string'])) out[k] = [...(out[k] ?? []), ...s[k].map((x: Loose) => convert(x, false))];
    }
    if (s.not) out.not = convert(s.not, false);
    const embedded = s['x-kubernetes-embedded-resource'];
    if (s.properties || embedded) {
      out.properties = Object.fromEntries(Object.entries<Loose>(s.properties ?? {}).map(([k, v]) => [k, convert(v, false)]));
      if (embedded || top) {
        out.properties.apiVersion ??= { type: 'string' };
        out.properties.kind ??= { type: 'string' };
        out.properties.metadata = { type: 'object' }; // validated separately against ObjectMeta
      }
    }
    // unknown fields are unknownFields' judgement, not ajv's
    if (typeof s.additionalProperties === 'object') out.additionalProperties = convert(s.additionalProperties, false);
    return out;
  };
  const schema = convert(openapi, true);
  // status is written by controllers, never by a manifest author, but the server accepts and drops it
  if (schema.properties?.status) schema.properties.status = {};
  return shareRepeatedSubschemas(schema);
}

/**
 * Moves subschemas that occur more than once into `$defs`, so ajv compiles each once. The InferenceService CRD
 * repeats the full container and pod schemas for every component and framework; sharing them cuts its
 * compile time several-fold without changing what is accepted.
 */
function shareRepeatedSubschemas(schema: Loose): Loose {
  const counts = new Map<string, number>();
  const key = new Map<Loose, string>();
  const count = (node: Loose): string => {
    const k = JSON.stringify(node);
    key.set(node, k);
    if (node && typeof node === 'object' && (node.properties || node.items) && k.length > 256) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const child of children(node)) count(child);
    return k;
  };
  count(schema);
  const defs: Record<string, Loose> = {};
  const names = new Map<string, string>();
  const rebuild = (node: Loose, root: boolean): Loose => {
    if (!node || typeof node !== 'object') return node;
    const k = key.get(node)!;
    if (!root && (counts.get(k) ?? 0) > 1) {
      let name = names.get(k);
      if (!name) {
        name = `s${names.size}`;
        names.set(k, name);
        defs[name] = rebuildChildren(node);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return rebuildChildren(node);
  };
  const rebuildChildren = (node: Loose): Loose => {
    const out: Loose = { ...node };
    if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties as Loose).map(([k, v]) => [k, rebuild(v as Loose, false)]));
    if (node.items) out.items = rebuild(node.items, false);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = rebuild(node.additionalProperties, false);
    for (const c of ['allOf', 'anyOf', 'oneOf']) if (node[c]) out[c] = node[c].map((x: Loose) => rebuild(x, false));
    return out;
  };
  const out = rebuild(schema, true);
  return Object.keys(defs).length ? { ...out, $defs: defs } : out;
}

function children(node: Loose): Loose[] {
  if (!node || typeof node !== 'object') return [];
  const out: Loose[] = [];
  if (node.properties) out.push(...(Object.values(node.properties as Loose) as Loose[]));
  if (node.items) out.push(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(node.additionalProperties);
  for (const c of ['allOf', 'anyOf', 'oneOf']) if (node[c]) out.push(...node[c]);
  return out;
}

/** Built-in definitions: Quantity and IntOrString fields become int-or-string; refs point into the 'k8s' schema. */
function toAjv(defs: Record<string, Loose>): Record<string, Loose> {
  // walks schema positions only: a properties map may itself have a property named like a keyword
  const fix = (s: Loose): Loose => {
    if (!s || typeof s !== 'object') return s;
    if (s['x-kubernetes-int-or-string']) {
      return { anyOf: [{ type: 'integer' }, { type: 'string', ...(s.format === 'quantity' ? { format: 'quantity' } : {}) }] };
    }
    const out: Loose = { ...s };
    // unknown fields are unknownFields' judgement, not ajv's
    if (out.additionalProperties === false) delete out.additionalProperties;
    if (s.$ref) out.$ref = s.$ref.replace('#/definitions/', 'k8s#/definitions/');
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Loose).map(([k, v]) => [k, fix(v as Loose)]));
    if (s.items) out.items = fix(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = fix(s.additionalProperties);
    return out;
  };
  return Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, fix(v)]));
}

function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push((e.params as Loose).missingProperty);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** The value at a JSON pointer of ajv's error (ajv leaves it out unless run verbose, which costs on every call). */
function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

function messageOf(e: ErrorObject, value: unknown): string {
  const f = fieldOf(e) || '(object)';
  switch (e.keyword) {
    case 'required':
      return `missing required field '${f}'`;
    case 'type':
      return `'${f}' must be of type ${(e.params as Loose).type}`;
    case 'enum':
      return `'${f}' must be one of ${((e.params as Loose).allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return QUANTITY_PATTERN_MARK.test(String((e.params as Loose).pattern))
        ? quantityMessage(f, value)
        : `'${f}' is ${JSON.stringify(value)}, which does not match ${(e.params as Loose).pattern}`;
    case 'format':
      return (e.params as Loose).format === 'quantity' ? quantityMessage(f, value) : `'${f}' is not a valid ${(e.params as Loose).format}`;
    case 'anyOf':
      if (typeof value === 'number' && !Number.isInteger(value)) return fractionMessage(f, value);
      return `'${f}' must be an integer or a string${e.schemaPath.includes('quantity') ? ' quantity' : ''}`;
    default:
      return `'${f}' ${e.message}`;
  }
}

/** The suffix alternatives of apimachinery's quantity pattern (resource.Quantity), which CRDs copy for quantity fields. */
const QUANTITY_PATTERN_MARK = /\(\[KMGTPE\]i\)\|\[numkMGTPE\]/;

/** A value that is not a Kubernetes quantity, with the likely fix: 16GB and 16gi are common slips for 16Gi. */
function quantityMessage(f: string, value: unknown): string {
  const v = String(value);
  const unit = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpPeE])(i?)[bB]?\s*$/.exec(v);
  // a binary suffix is what a memory size usually means; the decimal one is named too (kilo is a lower-case k)
  const decimal = unit && (unit[2].toLowerCase() === 'k' ? 'k' : unit[2].toUpperCase());
  const hint = unit ? `; did you mean ${unit[1]}${unit[2].toUpperCase()}i (or ${unit[1]}${decimal})?` : '';
  return `'${f}' is ${JSON.stringify(value)}, which is not a Kubernetes quantity (a number with an optional suffix: 500m, 16, 16Gi, 16G)${hint}`;
}

/** A fractional number where the API server wants an integer or a quantity string; extended resources only take whole numbers. */
function fractionMessage(f: string, value: number): string {
  const extended = /\.(requests|limits)\.[^.]*\.[^.]*\/[^/]+$/.test(f) && !/\.(cpu|memory|ephemeral-storage)$/.test(f);
  return extended
    ? `'${f}' is ${value}, but an extended resource such as a GPU is counted in whole units: request 1 or more`
    : `'${f}' is the number ${value}, which the API server does not take here: write it as a quantity string (e.g. '${Math.round(value * 1000)}m')`;
}

/** ajv reports an anyOf failure once per branch and once for the anyOf; keep one message per field. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const byField = new Map<string, ErrorObject[]>();
  for (const e of errors) byField.set(fieldOf(e), [...(byField.get(fieldOf(e)) ?? []), e]);
  const out: ErrorObject[] = [];
  for (const list of byField.values()) {
    const anyOf = list.find((e) => e.keyword === 'anyOf');
    const format = list.find((e) => e.keyword === 'format' || e.keyword === 'pattern');
    if (anyOf) out.push(format ?? anyOf);
    else out.push(...list);
  }
  return out;
}
