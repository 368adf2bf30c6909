import * as fs from 'fs';
import * as path from 'path';
import { isMapping, strings, text } from './access';
import { decodeText, DEFAULT_MAX_FILE_BYTES, isSymlink, readBounded, readStdin } from './files';
import { applyTransforms, KUSTOMIZATION_FILES, NOT_APPLIED, withNamespace } from './kustomization';
import { LoadedManifest, ManifestReadError } from './loaded';
import { parseDocuments, parseOne } from './yaml-documents';

export type { LoadedManifest, ManifestReadError } from './loaded';

/** Options of reading. */
export interface ReadOptions {
  /**
   * Largest file read, in bytes; a larger one is reported, not read (YAML parsing needs many times the file size).
   * @default 16 MiB
   */
  readonly maxFileBytes?: number;
  /**
   * Standard input, for the path `-` (tests pass a string); given the byte budget, it should read no more than one
   * byte beyond it. @default - file descriptor 0, read in chunks up to the budget
   */
  readonly stdin?: (maxBytes: number) => Buffer | string;
  /**
   * Builds a kustomization root with the real kustomize (the CLI passes `kubectl kustomize`), so that patches,
   * generators, images and Helm charts are applied exactly; its output is read instead of the root's files.
   * @default - the reader follows resources itself and reports what it does not apply
   */
  readonly build?: (dir: string) => { readonly output: string } | { readonly error: string; readonly unreachable?: boolean };
}

/** Real manifests are kilobytes; the largest CRDs a few MiB. Larger files are almost always mistakes (logs, dumps). */

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
      const raw = this.options.stdin ? this.options.stdin(this.maxFileBytes) : readStdin(this.maxFileBytes);
      const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
      const decoded = this.bounded(decodeText(buf, this.maxFileBytes), '<stdin>');
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
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const parsed = parseOne(source);
    const k = 'value' in parsed ? parsed.value : undefined;
    return isMapping(k) ? [...strings(k.resources), ...strings(k.bases), ...strings(k.components)].filter((e) => !e.includes('://')) : [];
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
      const parsed = parseOne(source);
      if ('error' in parsed) {
        this.problem(file, `is not valid YAML: ${parsed.error}`);
        return;
      }
      const k = parsed.value;
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
      const { objects, problems } = applyTransforms(
        k,
        this.manifests.slice(built).map((m) => m.manifest),
      );
      for (const p of problems) this.problem(file, p);
      objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
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
    return this.bounded(readBounded(file, st, this.maxFileBytes), file);
  }

  private bounded(result: ReturnType<typeof decodeText>, file: string): string | undefined {
    if ('text' in result) return result.text;
    this.problem(file, result.problem);
    return undefined;
  }

  public parse(source: string, file: string, namespace: string | undefined, chain: readonly string[] = []): void {
    const { objects, problems } = parseDocuments(source, file.endsWith('.json'));
    for (const p of problems) this.problem(file, p.message, p.severity, p.line, p.kind);
    for (const { index, line, manifest } of objects) {
      this.manifests.push({ file, index, line, manifest: withNamespace(manifest, namespace), ...(chain.length ? { kustomizations: chain } : {}) });
    }
  }

  private problem(file: string, message: string, severity: 'error' | 'warning' = 'error', line?: number, kind?: ManifestReadError['kind']): void {
    // a base or component that several roots include is read once per root: say each thing once
    const key = `${file}\0${line ?? ''}\0${message}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.errors.push({ file, message, severity, ...(line ? { line } : {}), ...(kind ? { kind } : {}) });
  }
}
