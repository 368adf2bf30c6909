import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { isMapping, Loose, mapping, strings, text } from './access';
import { isClusterScoped } from './scope';

/** A manifest read from disk or a stream, with where it came from. */
export interface LoadedManifest {
  /** File path as given (relative paths stay relative), or `<stdin>`. */
  readonly file: string;
  /** Index of the document in a multi-document file. */
  readonly index: number;
  /** 1-based line of the file where the document starts. */
  readonly line: number;
  /** The object as parsed (a mapping for a Kubernetes object). */
  readonly manifest: unknown;
  /** The kustomization folders that built it, outermost first (empty for a file read on its own). */
  readonly kustomizations?: readonly string[];
}

/** Something in the input that could not be read, or a kustomization feature that is not applied. */
export interface ManifestReadError {
  readonly file: string;
  /** 1-based line, when the problem is at one. */
  readonly line?: number;
  readonly message: string;
  /** What kind of problem: the input rule id (`unreadable-input` for errors, `input-not-followed` for warnings, unless set). */
  readonly kind?: 'duplicate-key';
  /** Errors lose objects (a file that does not parse); warnings only mean the result may differ from the build. */
  readonly severity: 'error' | 'warning';
}

/** Options of reading. */
export interface ReadOptions {
  /**
   * Largest file read, in bytes; a larger one is reported, not read (YAML parsing needs many times the file size).
   * @default 16 MiB
   */
  readonly maxFileBytes?: number;
  /** Standard input, for the path `-` (tests pass a string). @default - file descriptor 0 */
  readonly stdin?: () => Buffer | string;
  /**
   * Builds a kustomization root with the real kustomize (the CLI passes `kubectl kustomize`), so that patches,
   * generators, images and Helm charts are applied exactly; its output is read instead of the root's files.
   * @default - the reader follows resources itself and reports what it does not apply
   */
  readonly build?: (dir: string) => { readonly output: string } | { readonly error: string; readonly unreachable?: boolean };
}

/** Real manifests are kilobytes; the largest CRDs a few MiB. Larger files are almost always mistakes (logs, dumps). */
const DEFAULT_MAX_FILE_BYTES = 16 * 2 ** 20;
/**
 * The expanded-size budget of YAML aliases (the yaml library counts nodes an alias expands to): generous for
 * anchors in real manifests, and far below what a "billion laughs" document needs.
 */
const MAX_ALIAS_EXPANSION = 10_000;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Kustomization fields that change what is built in ways this reader does not apply. */
const NOT_APPLIED = [
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'namePrefix',
  'nameSuffix',
  'configMapGenerator',
  'secretGenerator',
  'helmCharts',
  'helmChartInflationGenerator',
  'generators',
  'transformers',
  'replacements',
  'vars',
];

/**
 * Reads manifests from files, folders and `-` (standard input), multi-document files included.
 *
 * A folder with a `kustomization.yaml` is read as kustomize builds it: its `resources` (and `components`, `bases`),
 * files and folders, recursively, with the kustomization's `namespace` set on namespaced objects; files it does not
 * list are not read. Remote bases and fields that change the build (patches, generators, name prefixes, images, …)
 * are reported, not guessed at. A folder without one is read whole (`*.yaml`/`*.yml`, sorted).
 *
 * Only regular files are read: FIFOs, devices and sockets are reported, symlink loops are detected by real path,
 * files over the size cap are refused, UTF-16 and BOMs are decoded, binary files reported. Every problem names the
 * file (and line); the rest of the input is still read.
 */
export function readManifests(
  paths: readonly string[],
  options: ReadOptions = {},
): { manifests: LoadedManifest[]; errors: ManifestReadError[]; folders: string[] } {
  const reader = new Reader(options);
  for (const p of paths) reader.read(p);
  return { manifests: reader.manifests, errors: reader.errors, folders: [...reader.folders] };
}

/** Parses a multi-document YAML text; problems name `file`. */
export function parseManifests(source: string, file: string): { manifests: LoadedManifest[]; errors: ManifestReadError[] } {
  const reader = new Reader({});
  reader.parse(source, file, undefined);
  return { manifests: reader.manifests, errors: reader.errors };
}

class Reader {
  public readonly manifests: LoadedManifest[] = [];
  public readonly errors: ManifestReadError[] = [];
  private readonly maxFileBytes: number;
  /** Real paths of the folders being walked (a symlink back into one is a loop), and of the files already read with their namespace. */
  private readonly walking = new Set<string>();
  private readonly readFiles = new Set<string>();
  private readonly said = new Set<string>();
  /** Every folder entered, read or not. */
  public readonly folders = new Set<string>();

  constructor(private readonly options: ReadOptions) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  public read(p: string): void {
    if (p === '-') {
      const raw = this.options.stdin ? this.options.stdin() : readStdin(this.maxFileBytes);
      const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
      const decoded = this.decode(buf, '<stdin>');
      if (decoded !== undefined) this.parse(decoded, '<stdin>', undefined);
      return;
    }
    const st = this.stat(p);
    if (!st) return;
    if (st.isDirectory()) {
      const kustomization = KUSTOMIZATION_FILES.map((f) => path.join(p, f)).find((f) => fs.existsSync(f));
      if (kustomization) this.kustomization(p, kustomization, undefined);
      else this.walk(p);
    } else {
      this.file(p, st, undefined);
    }
  }

  /** A folder's entries, sorted, or undefined with the problem reported. */
  private list(dir: string): string[] | undefined {
    try {
      return fs.readdirSync(dir).sort();
    } catch (e) {
      this.problem(dir, `cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  }

  /** The path's stats, or undefined with the problem reported; `missing` reports a path that is not there (no dangling link). */
  private stat(p: string, missing?: () => void): fs.Stats | undefined {
    try {
      return fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && missing && !isSymlink(p)) {
        missing();
        return undefined;
      }
      this.problem(
        p,
        code === 'ELOOP' ? 'a symlink loop: not read' : code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? (e as Error).message})`,
      );
      return undefined;
    }
  }

  private enter(dir: string, body: () => void): void {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      this.problem(dir, 'a symlink loop or a dangling link: not read');
      return;
    }
    if (this.walking.has(real)) {
      this.problem(dir, `a symlink back to ${real}, which is already being read (a loop): not followed`, 'warning');
      return;
    }
    this.walking.add(real);
    this.folders.add(dir);
    try {
      body();
    } finally {
      this.walking.delete(real);
    }
  }

  /**
   * A folder without a kustomization: its YAML files outside kustomize folders, and every kustomization below it that
   * no other one includes (each is a root, like an optional helper applied by hand). Files inside a kustomize folder
   * count only when a kustomization lists them, as in the build.
   */
  private walk(dir: string): void {
    const kustomizations: { dir: string; file: string }[] = [];
    this.collect(dir, kustomizations);
    const included = new Set<string>();
    for (const k of kustomizations) {
      for (const entry of this.resourcesOf(k.file)) {
        try {
          included.add(fs.realpathSync(path.join(k.dir, entry)));
        } catch {
          // reported when the root that lists it is read
        }
      }
    }
    for (const k of kustomizations) {
      if (!included.has(fs.realpathSync(k.dir))) this.kustomization(k.dir, k.file, undefined);
    }
  }

  private collect(dir: string, kustomizations: { dir: string; file: string }[], insideKustomize = false): void {
    this.enter(dir, () => {
      const entries = this.list(dir);
      if (!entries) return;
      // a Helm chart's templates are Go templates, not manifests, until helm renders them; static ones render as written
      if (entries.includes('Chart.yaml') && !insideKustomize) {
        this.problem(
          dir,
          `is a Helm chart: its templated files become manifests only when rendered and are not read (files without {{ … }} are); ` +
            `check the rendered output instead (helm template ${dir} | cdk8s-vllm check -)`,
          'warning',
        );
        this.staticTemplates(path.join(dir, 'templates'));
        return;
      }
      const kustomization = KUSTOMIZATION_FILES.find((f) => entries.includes(f));
      if (kustomization) kustomizations.push({ dir, file: path.join(dir, kustomization) });
      const kustomized = insideKustomize || kustomization !== undefined;
      for (const e of entries) {
        if (e === 'node_modules' || e.startsWith('.')) continue;
        const full = path.join(dir, e);
        const st = this.stat(full);
        if (!st) continue;
        if (st.isDirectory()) this.collect(full, kustomizations, kustomized);
        else if (!kustomized && /\.ya?ml$/.test(e)) this.file(full, st, undefined);
      }
    });
  }

  /** A root as the real kustomize builds it: its objects, attributed to the root's kustomization file. */
  private built(dir: string, file: string, build: NonNullable<ReadOptions['build']>): void {
    const result = build(dir);
    if ('error' in result) {
      // a remote the machine cannot reach says nothing about the tree: Argo CD's repo server may reach it
      if (result.unreachable) this.problem(file, `was not checked: kustomize could not fetch a remote resource from here (${result.error})`, 'warning');
      else this.problem(file, `kustomize build fails, so Argo CD cannot sync this root: ${result.error}`);
      return;
    }
    const before = this.manifests.length;
    this.parse(result.output, file, undefined, [dir]);
    // built objects have no line of their own in the repository: they are found by the root's kustomization
    for (let i = before; i < this.manifests.length; i++) this.manifests[i] = { ...this.manifests[i], line: 1 };
  }

  /** The files of a chart's templates folder that hold no template markers: helm renders them unchanged. */
  private staticTemplates(dir: string): void {
    // a chart without a templates folder has nothing to read
    const st = this.stat(dir, () => undefined);
    if (!st?.isDirectory()) return;
    this.enter(dir, () => {
      const entries = this.list(dir);
      if (!entries) return;
      for (const e of entries) {
        const full = path.join(dir, e);
        const fst = this.stat(full);
        if (!fst) continue;
        if (fst.isDirectory()) {
          this.staticTemplates(full);
          continue;
        }
        if (!/\.ya?ml$/.test(e) || !fst.isFile()) continue;
        const source = this.load(full, fst);
        if (source !== undefined && !source.includes('{{')) this.parse(source, full, undefined);
      }
    });
  }

  /** The local entries a kustomization lists (resources, bases, components); nothing when it does not parse. */
  private resourcesOf(file: string): string[] {
    try {
      const k: unknown = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_EXPANSION });
      return isMapping(k) ? [...strings(k.resources), ...strings(k.bases), ...strings(k.components)].filter((e) => !e.includes('://')) : [];
    } catch {
      return [];
    }
  }

  private kustomization(dir: string, file: string, namespace: string | undefined, chain: readonly string[] = []): void {
    if (this.options.build && chain.length === 0) {
      this.enter(dir, () => this.built(dir, file, this.options.build!));
      return;
    }
    this.enter(dir, () => {
      const st = this.stat(file);
      if (!st) return;
      const source = this.load(file, st);
      if (source === undefined) return;
      let k: unknown;
      try {
        k = YAML.parse(source, { maxAliasCount: MAX_ALIAS_EXPANSION });
      } catch (e) {
        this.problem(file, `is not valid YAML: ${firstLine((e as Error).message)}`);
        return;
      }
      if (!isMapping(k)) {
        this.problem(file, 'is not a kustomization (a YAML mapping)');
        return;
      }
      // the outermost kustomization's namespace wins, as kustomize applies transformers from the inside out
      const ns = namespace ?? text(k.namespace);
      const built = this.manifests.length;
      for (const field of NOT_APPLIED) {
        if (k[field] !== undefined) {
          this.problem(
            file,
            `uses '${field}', which check does not apply: the built objects may differ; check the build instead (add --kustomize kubectl, or kubectl kustomize ${dir} | cdk8s-vllm check -)`,
            'warning',
          );
        }
      }
      for (const entry of [...strings(k.resources), ...strings(k.bases), ...strings(k.components)]) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes('?ref=')) {
          this.problem(file, `resource '${entry}' is remote: not followed (check the build with kubectl kustomize … | cdk8s-vllm check -)`, 'warning');
          continue;
        }
        const target = path.join(dir, entry);
        // a listed path that is not there fails the build: say so at the kustomization that lists it
        const tst = this.stat(target, () =>
          this.problem(file, `lists '${entry}', which does not exist (${target}): kustomize build fails, so Argo CD cannot sync this root`),
        );
        if (!tst) continue;
        if (tst.isDirectory()) {
          const inner = KUSTOMIZATION_FILES.map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
          if (inner) this.kustomization(target, inner, ns, [...chain, dir]);
          else this.problem(file, `resource '${entry}' is a folder without a kustomization.yaml; kustomize refuses it`);
        } else {
          this.file(target, tst, ns, [...chain, dir]);
        }
      }
      // kustomize's label and annotation transformers run after the inner builds: the outer value of a key wins
      const { transforms: metadata, problems } = metadataTransforms(k);
      const { overrides: images, problems: imageProblems } = imageOverrides(k);
      const { counts: replicas, problems: replicaProblems } = replicaCounts(k);
      for (const p of [...problems, ...imageProblems, ...replicaProblems]) this.problem(file, p);
      if (metadata.length || images.length || replicas.size) {
        for (let i = built; i < this.manifests.length; i++) {
          const m = this.manifests[i];
          if (!isMapping(m.manifest)) continue;
          const labelled = metadata.reduce((o, t) => withMetadata(o, t), m.manifest);
          const imaged = images.length ? withImages(labelled, images) : labelled;
          this.manifests[i] = { ...m, manifest: replicas.size ? withReplicas(imaged, replicas) : imaged };
        }
      }
      // kustomize refuses a replicas entry that names no object of a kind it can scale
      for (const name of replicas.keys()) {
        const scaled = this.manifests
          .slice(built)
          .some((m) => isMapping(m.manifest) && REPLICATED_KINDS.has(String(m.manifest.kind)) && text(mapping(m.manifest.metadata).name) === name);
        if (!scaled) {
          this.problem(
            file,
            `replicas names '${name}', which is no Deployment, StatefulSet, ReplicaSet or ReplicationController of this build: kustomize refuses it`,
          );
        }
      }
    });
  }

  private file(file: string, st: fs.Stats, namespace: string | undefined, chain: readonly string[] = []): void {
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
      this.problem(file, `is ${what}: not read`);
      return;
    }
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      real = path.resolve(file);
    }
    // one file is one set of objects per namespace: a base that overlays put into different namespaces is read for each
    const key = `${real}\0${namespace ?? ''}`;
    if (this.readFiles.has(key)) return;
    this.readFiles.add(key);
    const source = this.load(file, st);
    if (source !== undefined) this.parse(source, file, namespace, chain);
  }

  /** The file's text, or undefined (reported) when it is too large, binary or unreadable. */
  private load(file: string, st: fs.Stats): string | undefined {
    if (st.size > this.maxFileBytes) {
      this.problem(
        file,
        `is ${(st.size / 2 ** 20).toFixed(1)} MiB, more than the ${(this.maxFileBytes / 2 ** 20).toFixed(0)} MiB a manifest file may have: not read (split it, or raise the limit)`,
      );
      return undefined;
    }
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      this.problem(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    return this.decode(buf, file);
  }

  private decode(buf: Buffer, file: string): string | undefined {
    if (buf.length > this.maxFileBytes) {
      this.problem(file, `is more than the ${(this.maxFileBytes / 2 ** 20).toFixed(0)} MiB a manifest file may have: not read`);
      return undefined;
    }
    if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
    if (buf[0] === 0xfe && buf[1] === 0xff) return swap16(buf.subarray(2)).toString('utf16le');
    // UTF-16 without a BOM: every other byte is zero in ASCII text
    if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0) return buf.toString('utf16le');
    if (buf.length >= 4 && buf[0] === 0 && buf[2] === 0 && buf[1] !== 0) return swap16(buf).toString('utf16le');
    if (buf.includes(0)) {
      this.problem(file, 'is binary (it holds NUL bytes), not YAML: not read');
      return undefined;
    }
    const s = buf.toString('utf8');
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  }

  public parse(source: string, file: string, namespace: string | undefined, chain: readonly string[] = []): void {
    const lineCounter = new YAML.LineCounter();
    let docs: YAML.Document.Parsed[];
    try {
      docs = YAML.parseAllDocuments(source, { lineCounter }) as YAML.Document.Parsed[];
    } catch (e) {
      this.problem(file, `is not valid YAML: ${firstLine((e as Error).message)}`);
      return;
    }
    if (!Array.isArray(docs)) docs = [docs];
    docs.forEach((doc, index) => {
      const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
      const line = lineCounter.linePos(start).line;
      // a repeated key leaves the object readable (the last value wins, as in most YAML readers): report it and go on
      const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
      for (const e of duplicates) {
        const key = source.slice(e.pos[0]).split(/[:\n]/)[0].trim();
        this.problem(
          file,
          `document ${index + 1}: the key '${key}' appears twice in one mapping; kubectl's strict field validation refuses the object ("duplicate field") and ` +
            'other tools silently keep one of the values: keep one',
          'error',
          e.linePos?.[0]?.line ?? line,
          'duplicate-key',
        );
      }
      const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
      if (fatal.length && /\{\{[^}]*\}\}/.test(source.slice(doc.range[0], doc.range[2]))) {
        this.problem(
          file,
          `document ${index + 1} is a template ({{ … }} markers), not a manifest: not read; check the rendered output instead`,
          'warning',
          line,
        );
        return;
      }
      if (fatal.length) {
        const e = fatal[0];
        this.problem(file, `document ${index + 1} is not valid YAML: ${firstLine(e.message)}`, 'error', e.linePos?.[0]?.line ?? line);
        return;
      }
      let manifest: unknown;
      try {
        manifest = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
      } catch (e) {
        this.problem(
          file,
          `document ${index + 1}: ${firstLine((e as Error).message)} (YAML aliases expand beyond ${MAX_ALIAS_EXPANSION} nodes): not read`,
          'error',
          line,
        );
        return;
      }
      if (manifest === null || manifest === undefined) return;
      if (!isMapping(manifest) || typeof manifest.kind !== 'string' || typeof manifest.apiVersion !== 'string') {
        this.problem(file, `document ${index + 1} is not a Kubernetes object (a mapping with apiVersion and kind): skipped`, 'warning', line);
        return;
      }
      const items = manifest.kind.endsWith('List') && Array.isArray(manifest.items) ? manifest.items : [manifest];
      for (const item of items) {
        if (!isMapping(item)) {
          this.problem(file, `document ${index + 1}: a List item is not an object: skipped`, 'warning', line);
          continue;
        }
        this.manifests.push({ file, index, line, manifest: withNamespace(item, namespace), ...(chain.length ? { kustomizations: chain } : {}) });
      }
    });
  }

  private problem(file: string, message: string, severity: 'error' | 'warning' = 'error', line?: number, kind?: ManifestReadError['kind']): void {
    // a base or component that several roots include is read once per root: say each thing once
    const key = `${file}\0${line ?? ''}\0${message}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.errors.push({ file, message, severity, ...(line ? { line } : {}), ...(kind ? { kind } : {}) });
  }
}

/** Labels or annotations a kustomization adds, and whether pod templates get them too. */
interface MetadataTransform {
  readonly field: 'labels' | 'annotations';
  readonly pairs: Record<string, string>;
  readonly templates: boolean;
}

/**
 * commonAnnotations, commonLabels and labels of a kustomization. kustomize puts common ones on pod templates too;
 * `labels` entries reach templates only with includeTemplates or includeSelectors (selectors are not read by any rule).
 */
function metadataTransforms(k: Loose): { transforms: MetadataTransform[]; problems: string[] } {
  const transforms: MetadataTransform[] = [];
  const problems: string[] = [];
  // kustomize reads these fields as map[string]string: anything else fails the whole build
  const pairs = (field: string, v: unknown): Record<string, string> | undefined => {
    const bad = !isMapping(v) ? 'is not a mapping' : Object.entries(v).find(([, value]) => typeof value !== 'string');
    if (!bad) return v as Record<string, string>;
    problems.push(
      `${field} ${typeof bad === 'string' ? bad : `maps '${bad[0]}' to ${JSON.stringify(bad[1])}, not a string`}: kustomize refuses the kustomization (values must be strings; quote them)`,
    );
    return undefined;
  };
  const common = k.commonLabels === undefined ? undefined : pairs('commonLabels', k.commonLabels);
  if (common) transforms.push({ field: 'labels', pairs: common, templates: true });
  if (k.labels !== undefined && !Array.isArray(k.labels))
    problems.push('labels is not a list of {pairs, includeSelectors, includeTemplates}: kustomize refuses the kustomization');
  for (const [i, entry] of (Array.isArray(k.labels) ? k.labels : []).entries()) {
    if (!isMapping(entry)) {
      problems.push(`labels[${i}] is not a mapping with pairs: kustomize refuses the kustomization`);
      continue;
    }
    const p = pairs(`labels[${i}].pairs`, entry.pairs ?? {});
    if (p) transforms.push({ field: 'labels', pairs: p, templates: entry.includeTemplates === true || entry.includeSelectors === true });
  }
  const annotations = k.commonAnnotations === undefined ? undefined : pairs('commonAnnotations', k.commonAnnotations);
  if (annotations) transforms.push({ field: 'annotations', pairs: annotations, templates: true });
  return { transforms, problems };
}

/** A kustomization's `replicas`: count by object name. */
function replicaCounts(k: Loose): { counts: Map<string, number>; problems: string[] } {
  const counts = new Map<string, number>();
  if (k.replicas === undefined) return { counts, problems: [] };
  if (!Array.isArray(k.replicas)) return { counts, problems: ['replicas is not a list of {name, count}: kustomize refuses the kustomization'] };
  const problems: string[] = [];
  k.replicas.forEach((entry, i) => {
    const e = mapping(entry);
    const name = text(e.name);
    if (!name || !(typeof e.count === 'number' && Number.isInteger(e.count) && e.count >= 0)) {
      problems.push(`replicas[${i}] needs a name and a whole count: kustomize refuses the kustomization`);
      return;
    }
    counts.set(name, e.count);
  });
  return { counts, problems };
}

/** kustomize's replica transformer reaches spec.replicas of these kinds (its default field specs). */
const REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

function withReplicas(m: Loose, counts: ReadonlyMap<string, number>): Loose {
  const count = counts.get(text(mapping(m.metadata).name) ?? '');
  if (count === undefined || !REPLICATED_KINDS.has(String(m.kind))) return m;
  return { ...m, spec: { ...mapping(m.spec), replicas: count } };
}

/** One entry of a kustomization's `images`: which image it matches and what it sets. */
interface ImageOverride {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

function imageOverrides(k: Loose): { overrides: ImageOverride[]; problems: string[] } {
  if (k.images === undefined) return { overrides: [], problems: [] };
  if (!Array.isArray(k.images))
    return { overrides: [], problems: ['images is not a list of {name, newName, newTag, digest}: kustomize refuses the kustomization'] };
  const overrides: ImageOverride[] = [];
  const problems: string[] = [];
  k.images.forEach((entry, i) => {
    const e = mapping(entry);
    const name = text(e.name);
    if (!name) {
      problems.push(`images[${i}] has no name: kustomize cannot match it to a container image`);
      return;
    }
    overrides.push({ name, newName: text(e.newName), newTag: e.newTag === undefined ? undefined : String(e.newTag), digest: text(e.digest) });
  });
  return { overrides, problems };
}

/** An image reference split as kustomize splits it: name, then `:tag` and/or `@digest`. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return { name: tagged ? rest.slice(0, colon) : rest, tag: tagged ? rest.slice(colon + 1) : undefined, digest };
}

/** kustomize's image transformer: a digest replaces tag and digest, a new tag replaces both too, a new name only the name. */
function overrideImage(image: string, overrides: readonly ImageOverride[]): string {
  const parts = splitImage(image);
  const o = overrides.find((x) => x.name === parts.name);
  if (!o) return image;
  const name = o.newName ?? parts.name;
  if (o.digest) return `${name}@${o.digest}`;
  if (o.newTag !== undefined) return `${name}:${o.newTag}`;
  return `${name}${parts.tag !== undefined ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}

/**
 * kustomize's image transformer: the images of every `containers` and `initContainers` list, wherever it sits (pod
 * templates, a ServingRuntime's or a predictor's containers; a model's `image` field is not one of them).
 */
function withImages(node: unknown, overrides: readonly ImageOverride[]): Loose {
  return walkImages(node, overrides) as Loose;
}

function walkImages(node: unknown, overrides: readonly ImageOverride[]): unknown {
  if (Array.isArray(node)) return node.map((x) => walkImages(x, overrides));
  if (!isMapping(node)) return node;
  const out: Loose = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      (k === 'containers' || k === 'initContainers') && Array.isArray(v)
        ? v.map((c) =>
            isMapping(c) ? { ...(walkImages(c, overrides) as Loose), ...(typeof c.image === 'string' ? { image: overrideImage(c.image, overrides) } : {}) } : c,
          )
        : walkImages(v, overrides);
  }
  return out;
}

/** Where kustomize's label and annotation transformers reach into a workload's pod template. */
const TEMPLATE_PATHS: Record<string, readonly (readonly string[])[]> = {
  Deployment: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [
    ['spec', 'jobTemplate'],
    ['spec', 'jobTemplate', 'spec', 'template'],
  ],
};

function withMetadata(m: Loose, t: MetadataTransform): Loose {
  const add = (holder: Loose): Loose => {
    const meta = mapping(holder.metadata);
    return { ...holder, metadata: { ...meta, [t.field]: { ...mapping(meta[t.field]), ...t.pairs } } };
  };
  let out = add(m);
  if (!t.templates) return out;
  for (const p of TEMPLATE_PATHS[String(m.kind)] ?? []) out = updateAt(out, p, add);
  return out;
}

/** A copy of `o` with the mapping at `path` replaced by `f` of it; unchanged when the path is missing. */
function updateAt(o: Loose, p: readonly string[], f: (m: Loose) => Loose): Loose {
  if (!p.length) return f(o);
  const child = o[p[0]];
  if (!isMapping(child)) return o;
  return { ...o, [p[0]]: updateAt(child, p.slice(1), f) };
}

/** Whether a path is a symbolic link (a dangling one does not exist, yet is reported as a link). */
function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** kustomize's namespace transformer: every namespaced object gets the kustomization's namespace. */
function withNamespace(m: Loose, namespace: string | undefined): Loose {
  if (!namespace || isClusterScoped(String(m.kind))) return m;
  return { ...m, metadata: { ...mapping(m.metadata), namespace } };
}

function swap16(buf: Buffer): Buffer {
  const out = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  return out.swap16();
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** All of standard input, up to the cap (a larger stream is cut and reported by decode). */
function readStdin(cap: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > cap) break;
  }
  return Buffer.concat(chunks);
}
