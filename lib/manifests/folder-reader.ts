import * as fs from 'fs';
import * as path from 'path';
import { gitIgnoredBy } from './git-ignored';
import { isMapping, mapping, strings, text } from './access';
import { decodeText, DEFAULT_MAX_FILE_BYTES, isFolder, readBounded, readStdin, isSymlink, realPath } from './files';
import { RenderedBy, RenderIndex } from './render-scripts';
import { sedEdited } from './sed-program';
import type { RepositoryScripts } from './repository-scripts';
import { TemplateFiles, unrenderedTemplateProblem } from './template-files';
import { directorySourceObjects, objectsAsWritten, unreadDotFile } from './files-as-written';
import { listedMalformed, listedRepeat, listedTemplate, refuseResourceMetadata, RESOURCE_FILE } from './listed-resources';
import { asKustomizationFields, isRemote, KUSTOMIZATION_FILES } from './kustomization';
import { markedReadAgain } from './build-ids';
import { ownKustomizationOf } from './own-kustomization';
import { readJsonFile } from './json-files';
import { LoadedManifest, UnreadFile } from './loaded';
import {
  API_VERSION_REFUSED,
  KIND_REFUSED,
  KINDLESS_LIST,
  NO_API_VERSION,
  NOT_AN_OBJECT,
  ParsedObject,
  parseDocuments,
  parseFirstDocument,
} from './yaml-documents';
import { unreadOf } from './unread-files';
import type { ReadOptions } from './read-options';
import { ReadProblems } from './read-problems';
import { KustomizeBuild } from './kustomize-build';

/**
 * The reading of files, folders and standard input: folders walked (symlink loops caught, Helm charts' static
 * templates read), each file loaded within the size cap and parsed, and a folder with a kustomization handed to the
 * kustomize build it composes. What the Argo CD directory source would read of kustomize folders is kept apart.
 */

/** The kinds whose sources can be Argo CD directory sources over kustomize folders. */
export const DIRECTORY_SOURCE_KINDS = ['Application', 'ApplicationSet'];

/**
 * Folders of a Helm chart that hold no manifests as written: templates (read apart), chart-testing values (ci) and
 * the files templates read with .Files.Get (files, by Helm's convention).
 */
const HELM_OWN_FOLDERS = new Set(['templates', 'ci', 'files']);

/**
 * Dot-folders that hold no deployable manifests by convention, not read: version control, CI configuration (workflows
 * are read as scripts, apart), editors' settings, and tool and package caches. Other dot-folders (`.k8s/`, where
 * kubenix, cdk8s or `helm template` output is kept) are read as any folder.
 */
const UNREAD_DOT_FOLDERS = new Set([
  '.git',
  '.github',
  '.gitlab',
  '.circleci',
  '.husky',
  '.vscode',
  '.idea',
  '.devcontainer',
  '.terraform',
  '.terragrunt-cache',
  '.venv',
  '.tox',
  '.cache',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.next',
  '.nuxt',
  '.yarn',
  '.pnpm-store',
  '.npm',
  '.gradle',
]);

/** The files Argo CD's directory source reads (argo-cd reposerver/repository/repository.go `manifestFile`). */
const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;

export class Reader {
  public readonly manifests: LoadedManifest[] = [];
  /** Resources a kustomization lists that kustomize refuses for want of a metadata.name (a Job with only generateName): no object of any build. */
  public readonly refused: LoadedManifest[] = [];
  /** What was said of the input, once each. */
  public readonly problems = new ReadProblems();
  /** The kustomize build of the kustomizations met. */
  public readonly kustomize: KustomizeBuild;
  public readonly maxFileBytes: number;
  /** Real paths of the folders being walked (a symlink back into one is a loop), and of the files already read with their namespace. */
  private readonly walking = new Set<string>();
  private readonly readFiles = new Set<string>();
  /** Every folder entered, read or not. */
  public readonly folders = new Set<string>();
  /** Every folder holding a Chart.yaml outside kustomize folders: a Helm chart. */
  public readonly charts = new Set<string>();
  /** The folders not read by convention (UNREAD_DOT_FOLDERS, node_modules) met walking the input. */
  public readonly skipped: string[] = [];
  /** Files outside kustomize folders that Argo CD's directory source reads but that gave no object (Jsonnet, JSON that is no manifest). */
  public readonly unread: UnreadFile[] = [];
  /** YAML files met inside kustomize folders, and the patch files kustomizations read: what is left out is their difference. */
  private readonly kustomizedFiles: string[] = [];
  /** The files of kustomize folders that Argo CD's directory source would read (kustomization files included). */
  private readonly plainFiles: string[] = [];
  /** The folder given as input being read (its scripts may render its files), and the renderings of each such folder. */
  public root: string | undefined;
  /** What renders or writes the tree's files before they are applied. */
  private readonly templates: TemplateFiles;
  /** The roots built (given or met walking), each with the checked folder and the range of findings its build said. */
  public readonly rootBuilds: { dir: string; from: number; to: number; root: string | undefined }[] = [];
  /** Kustomization files parsed quietly, by path: a walk asks each for its entries and its kind. */
  private readonly peeked = new Map<string, unknown>();
  /** Paths with their links resolved, by path: the left-out files are told by them, each file and build folder asked once per object. */
  private readonly realPaths = new Map<string, string>();

  constructor(private readonly options: ReadOptions) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.kustomize = new KustomizeBuild(this, this.problems, options);
    this.templates = new TemplateFiles(this.maxFileBytes);
  }

  public read(p: string): void {
    if (p === '-') {
      const raw = this.options.stdin ? this.options.stdin(this.maxFileBytes) : readStdin(this.maxFileBytes);
      const buf = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const decoded = this.bounded(decodeText(buf, this.maxFileBytes), '<stdin>');
      if (decoded !== undefined) this.parse(decoded, '<stdin>');
      return;
    }
    const st = this.stat(p);
    if (!st) return;
    this.root = st.isDirectory() ? p : undefined;
    if (st.isDirectory()) {
      const kustomization = this.notFluxObject(this.kustomize.kustomizationFile(p));
      if (!kustomization) return this.walk(p);
      const refusals = this.problems.errors.length;
      // a chart folder whose kustomization is built (Argo CD's type detection makes it a kustomize source): its chart is
      // still one an Application of the build, or of the tree, may deliver with its own values
      if (this.selfListingChart(p, kustomization)) this.charts.add(p);
      this.buildRoot(p, kustomization, false);
      // a root that kustomize refuses delivers nothing: what it would have hidden (Flux or Argo CD objects beside it,
      // other kustomize roots, plain files it does not list) is read as in a folder without one, so that its one
      // failure does not leave the rest of the tree unjudged
      if (this.problems.refusedSince(kustomization) || this.refusedAfter(refusals)) this.walk(p, kustomization);
      // its files, to tell which the build leaves out
      else this.collect(p, [], true);
    } else {
      this.file(p, st, undefined);
    }
  }

  /** A folder's entries, sorted, or undefined with the problem reported. */
  public list(dir: string): string[] | undefined {
    try {
      return fs.readdirSync(dir).sort();
    } catch (e) {
      this.problems.problem(dir, `cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  }

  /** The path's stats, or undefined with the problem reported; `missing` reports a path that is not there (no dangling link). */
  public stat(p: string, missing?: () => void): fs.Stats | undefined {
    try {
      return fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && missing && !isSymlink(p)) {
        missing();
        return undefined;
      }
      this.problems.problem(
        p,
        code === 'ELOOP' ? 'a symlink loop: not read' : code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? (e as Error).message})`,
      );
      return undefined;
    }
  }

  public enter(dir: string, body: () => void): void {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      this.problems.problem(dir, 'a symlink loop or a dangling link: not read');
      return;
    }
    if (this.walking.has(real)) {
      this.problems.problem(dir, `a symlink back to ${real}, which is already being read (a loop): not followed`, 'warning');
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
  private walk(dir: string, refusedRoot?: string): void {
    const kustomizations: { dir: string; file: string }[] = [];
    this.collect(dir, kustomizations, false, refusedRoot);
    const included = new Set<string>();
    // a refused root still lists its entries: a Component it names is listed, not one of the input's own
    for (const k of [...kustomizations, ...(refusedRoot ? [{ dir: path.dirname(refusedRoot), file: refusedRoot }] : [])]) {
      for (const entry of this.resourcesOf(k.file)) {
        try {
          included.add(fs.realpathSync(path.join(k.dir, entry)));
        } catch {
          // reported when the root that lists it is read
        }
      }
    }
    const roots = kustomizations.filter((k) => !included.has(fs.realpathSync(k.dir)));
    const unlisted = roots.filter((k) => this.kindOf(k.file) === 'Component');
    const built = roots.filter((k) => this.kindOf(k.file) !== 'Component');
    const beside = (c: { dir: string }) => built.filter((k) => path.dirname(k.dir) === path.dirname(c.dir));
    for (const c of unlisted) this.reportUnlistedComponent(c, beside(c));
    for (const k of built)
      this.buildRoot(
        k.dir,
        k.file,
        true,
        unlisted.filter((c) => beside(c).includes(k)).map((c) => c.dir),
      );
  }

  /**
   * A Component is built only inside the kustomization that lists it (its patches edit that one's objects): one that
   * none of the input lists is read with the kustomizations of the folders beside it, which are the ones that could
   * list it (`../enable-x` from an overlay of the same parent); without such a folder it is not checked.
   */
  private reportUnlistedComponent(c: { dir: string; file: string }, beside: readonly { dir: string }[]): void {
    if (!beside.length) {
      this.problems.problem(
        c.file,
        'is a Component that no kustomization of the input lists: kustomize applies it only inside a kustomization, so it is not checked on its own',
        'warning',
      );
      return;
    }
    const names = beside.map((k) => path.relative(path.dirname(c.dir), k.dir)).join(', ');
    this.problems.problem(
      c.file,
      `is a Component that no kustomization of the input lists: it is checked as if the kustomization beside it (${names}) listed it last under components, its resources added and its patches applied to that build`,
      'info',
    );
  }

  /** A root built, with the range of the findings its build said. */
  private buildRoot(dir: string, file: string, walked: boolean, extraComponents: readonly string[] = []): void {
    const from = this.problems.errors.length;
    this.kustomize.buildRoot(dir, file, walked, extraComponents);
    this.rootBuilds.push({ dir, from, to: this.problems.errors.length, root: this.root });
  }

  /** realPath, once per path and read. */
  private real(p: string): string {
    let real = this.realPaths.get(p);
    if (real === undefined) this.realPaths.set(p, (real = realPath(p)));
    return real;
  }

  /** Whether a build read a file below the folder, as resource or patch. */
  private builtWithin(dir: string): boolean {
    const real = realPath(dir) + path.sep;
    const read = [...this.readFiles].map((k) => k.slice(0, k.indexOf('\0')));
    return [...read, ...this.kustomize.files.patchFiles].some((f) => f.startsWith(real));
  }

  /** Whether a build refusal was said since the reader held `count` findings. */
  private refusedAfter(count: number): boolean {
    return this.problems.errors.slice(count).some((e) => e.severity === 'error' && e.kind === 'kustomize-build-fails');
  }

  /** `refusedRoot`: the kustomization of `dir` already built and refused, whose folder is read as one without it. */
  private collect(dir: string, kustomizations: { dir: string; file: string }[], insideKustomize = false, refusedRoot?: string): void {
    this.enter(dir, () => {
      const entries = this.list(dir);
      if (!entries) return;
      // a Helm chart's templates are Go templates, not manifests, until helm renders them; static ones render as written
      if (entries.includes('Chart.yaml') && !insideKustomize) {
        this.charts.add(dir);
        this.problems.problem(
          dir,
          `is a Helm chart: its templated files become manifests only when rendered and are not read (files without {{ … }} are, and its other folders are read as any folder); ` +
            `check the rendered output instead (helm template ${dir} | cdk8s-vllm check -)`,
          'warning',
        );
        this.staticTemplates(path.join(dir, 'templates'));
        // helm renders templates/ only (and its subcharts): the chart's other folders, such as kustomizations an Argo CD
        // Application points at, are read as any folder; its own files (Chart.yaml, values) are no manifests
        // a chart with a kustomization beside it (Argo CD's helm-then-kustomize plugins) keeps its patches in its
        // folders: they are the kustomization's files, not objects applied as written
        const own = this.kustomize.kustomizationFile(dir, entries);
        const kustomizedChart = own !== undefined;
        // a kustomization beside the chart that lists only files of its own (an Application syncing this very folder
        // as a Helm source, which an app of apps syncs as a kustomize source): built as any root, so that Application is read
        if (own !== undefined && !insideKustomize && this.selfListingChart(dir, own)) kustomizations.push({ dir, file: own });
        for (const e of entries) {
          const full = path.join(dir, e);
          if (HELM_OWN_FOLDERS.has(e) || e.startsWith('.') || !this.stat(full)?.isDirectory()) continue;
          this.collect(full, kustomizations, kustomizedChart);
        }
        return;
      }
      const found = this.notFluxObject(this.kustomize.kustomizationFile(dir, entries));
      // a refused root keeps its own files (its resources, patches, leftovers) and the folders its build read; its
      // other folders are read as any folder
      const refused = found !== undefined && found === refusedRoot;
      if (found && !refused) kustomizations.push({ dir, file: found });
      const kustomized = insideKustomize || found !== undefined;
      for (const e of entries) {
        const full = path.join(dir, e);
        if (e === 'node_modules' || UNREAD_DOT_FOLDERS.has(e)) {
          if (e !== '.git') this.skipped.push(full);
          continue;
        }
        if (e.startsWith('.') && !isFolder(full)) {
          if (!kustomized) this.unread.push(...[unreadDotFile(full, this.maxFileBytes)].filter((u) => u !== undefined));
          continue;
        }
        const st = this.stat(full);
        if (!st) continue;
        if (st.isDirectory()) this.collect(full, kustomizations, kustomized && !(refused && !this.builtWithin(full)));
        else if (!kustomized && MANIFEST_FILE.test(e)) this.file(full, st, undefined, [], true);
        else if (RESOURCE_FILE.test(e) && st.isFile()) {
          this.plainFiles.push(full);
          if (!KUSTOMIZATION_FILES.includes(e)) this.kustomizedFiles.push(full);
        }
      }
    });
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
        if (source !== undefined && !source.includes('{{')) this.parse(source, full);
      }
    });
  }

  /**
   * Whether a chart folder's kustomization lists only manifests that are there, outside the chart's templates: one
   * built as written (an app of apps' kustomize source). One listing what a helm-then-kustomize plugin renders first
   * (a file not there, a template) is the plugin's, not built.
   */
  private selfListingChart(dir: string, kustomization: string): boolean {
    if (!this.list(dir)?.includes('Chart.yaml')) return false;
    const k = this.peek(kustomization);
    if (!isMapping(k) || k.helmCharts !== undefined) return false;
    const listed = this.resourcesOf(kustomization);
    return (
      listed.length > 0 &&
      strings(k.resources).length === listed.length &&
      listed.every((e) => !e.split('/').some((part) => HELM_OWN_FOLDERS.has(part)) && fs.existsSync(path.join(dir, e)))
    );
  }

  /** The local entries a kustomization lists (resources, bases, components); nothing when it does not parse. */
  private resourcesOf(file: string): string[] {
    const k = this.peek(file);
    return isMapping(k) ? [...strings(k.resources), ...strings(k.bases), ...strings(k.components)].filter((e) => !isRemote(e)) : [];
  }

  /**
   * A kustomization file, unless it holds a Flux Kustomization (kustomize.toolkit.fluxcd.io), which some trees keep
   * under that name beside their other Flux objects: Flux and `kubectl apply -f` read it as an object, and nothing
   * builds its folder with kustomize (a kustomization that lists the folder still builds it, and is refused).
   */
  private notFluxObject(file: string | undefined): string | undefined {
    if (file === undefined) return undefined;
    const k = this.peek(file);
    return isMapping(k) && text(k.apiVersion)?.startsWith('kustomize.toolkit.fluxcd.io/') ? undefined : file;
  }

  /** The kind a kustomization file declares (Kustomization when it names none); undefined when it does not parse. */
  private kindOf(file: string): string | undefined {
    const k = this.peek(file);
    return isMapping(k) ? text(k.kind) || 'Kustomization' : undefined;
  }

  /**
   * A kustomization file parsed without reporting anything (its problems are said when it is read), once per walk: its
   * entries and its kind are both asked for.
   */
  private peek(file: string): unknown {
    if (this.peeked.has(file)) return this.peeked.get(file);
    let value: unknown;
    try {
      const parsed = parseFirstDocument(fs.readFileSync(file, 'utf8'));
      value = 'value' in parsed && isMapping(parsed.value) ? asKustomizationFields(parsed.value) : undefined;
    } catch {
      value = undefined;
    }
    this.peeked.set(file, value);
    return value;
  }

  /**
   * A file of a folder or a path given on its own (`walked`: met in a folder): `namespace` and `chain` are those of the
   * kustomization that lists it.
   */
  public file(file: string, st: fs.Stats, namespace: string | undefined, chain: readonly string[] = [], walked = false): void {
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
      this.problems.problem(file, `is ${what}: not read`);
      return;
    }
    const real = this.real(file);
    // one file is one set of objects per namespace: a base that overlays put into different namespaces is read for each
    const key = `${real}\0${namespace ?? ''}`;
    // within one build, a file reached twice (two overlays of one base) adds its objects twice: marked, so that the
    // kustomization that merges them can tell a copy renamed on the way from one kustomize refuses; reached again under
    // another namespace too, since a cluster-scoped object (a Namespace) keeps its id whatever the overlay's namespace
    // (kustomize api/filters/namespace skips cluster-scoped kinds), while a namespaced copy moved elsewhere has a new id
    const again = chain.length > 0 && this.kustomize.readAgain(chain[0], real);
    // a file of a kustomization is read again for each root that builds it (the root's patches may edit it otherwise);
    // what a root builds exactly as an earlier root did is dropped when the root ends
    if (this.readFiles.has(key) && !chain.length) return;
    this.readFiles.add(key);
    if (!chain.length && file.endsWith('.jsonnet')) return this.jsonnet(file);
    const source = this.load(file, st);
    if (source === undefined) return;
    const before = this.manifests.length;
    // what no kustomization lists: how it reached the input, and whether it looks like a template someone renders first
    const template = chain.length ? undefined : this.templates.templateReason(file, source, this.root);
    if (!chain.length && file.endsWith('.json')) this.jsonFile(source, file, walked);
    else this.parse(template?.sedEdits ? sedEdited(source, template.sedEdits).text : source, file, chain, again, template?.why);
    if (chain.length) return;
    // a script's sed that puts its own value where the namespace is written, unknown here: the namespace is not known
    if (template?.sedEdits && sedEdited(source, template.sedEdits).namespaceUnknown) this.namespacesUnknown(before);
    const marks = {
      ...(walked ? { walked } : {}),
      ...(template ? { template: template.why } : {}),
      ...(template?.sedFills ? { sedFills: template.sedFills } : {}),
      ...(template?.sedExact ? { sedExact: template.sedExact } : {}),
      ...(template?.renderedWith ? { renderedWith: template.renderedWith } : {}),
      ...(template?.envsubstFills ? { envsubstFills: template.envsubstFills } : {}),
    };
    for (let i = before; i < this.manifests.length; i++) this.manifests[i] = { ...this.manifests[i], ...marks };
  }

  /** The script of the tree given as input that writes a file (one a kustomization lists) before the build. */
  public writtenBy(file: string): string | undefined {
    return this.templates.writtenBy(file, this.root);
  }

  /** The .gitignore line that makes git ignore a file a kustomization lists, read up to the work tree or the input folder. */
  public ignoredBy(file: string): string | undefined {
    return gitIgnoredBy(file, this.root);
  }

  /** The renderings of the scripts of a tree given as input, read once per tree. */
  public renderIndex(root: string): RenderIndex {
    return this.templates.renderIndex(root);
  }

  /** The scripts of the git repository above a tree given as input, read once per tree, when it lies below the repository's root. */
  public repositoryScripts(root: string): RepositoryScripts | undefined {
    return this.templates.repositoryScripts(root);
  }

  /** What renders the kustomize build of a folder before it is applied: a script of the tree `root`, or of the git repository above it. */
  public buildRenderedBy(folder: string, root: string): RenderedBy | undefined {
    return this.templates.buildRenderedBy(folder, root);
  }

  /** What renders a file before it is applied: a script of the tree `root`, or of the git repository above it. */
  public renderedBy(file: string, root: string): RenderedBy | undefined {
    return this.templates.renderedBy(file, root);
  }

  /** The README of a folder that says to run envsubst, if any. */
  public readmeRendering(dir: string): string | undefined {
    return this.templates.readmeRendering(dir);
  }

  /** The objects read from `from` on with no namespace: where they land is not known (a script's sed sets it to a value unknown here). */
  private namespacesUnknown(from: number): void {
    for (let i = from; i < this.manifests.length; i++) {
      const m = this.manifests[i].manifest;
      if (!isMapping(m) || !isMapping(m.metadata) || m.metadata.namespace === undefined) continue;
      const { namespace: _unknown, ...metadata } = m.metadata;
      this.manifests[i] = { ...this.manifests[i], manifest: { ...m, metadata } };
    }
  }

  /**
   * A .json file read on its own, as kubectl and Argo CD's directory source read it: one object (a List's items), or
   * a stream of them; one that is not one object is told in `unread`, as Argo CD refuses it.
   */
  private jsonFile(source: string, file: string, walked: boolean): void {
    const read = readJsonFile(source, walked);
    for (const p of read.problems) this.problems.problem(file, p.message, p.severity, p.line, p.kind);
    for (const { index, line, manifest, droppedEnv } of read.objects)
      this.manifests.push({ file, index, line, manifest, ...(droppedEnv ? { droppedEnv } : {}) });
    if (read.notManifest) this.unread.push({ file, kind: 'not-manifest', holds: read.notManifest });
  }

  /** A Jsonnet file: its objects exist once evaluated, which check does not do. */
  private jsonnet(file: string): void {
    this.problems.problem(
      file,
      "is Jsonnet: check does not evaluate it, so the objects it yields are not checked (Argo CD's directory source evaluates it, " +
        'with directory.jsonnet extVars, tlas and libs); check its output instead: argocd app manifests <app> | cdk8s-vllm check -, ' +
        `or jsonnet ${file} | cdk8s-vllm check - (jsonnet -y for a file that yields an array)`,
      'warning',
    );
    this.unread.push({ file, kind: 'jsonnet' });
  }

  /**
   * The objects of YAML files that sit in a kustomize folder but that no kustomization read, as resource or patch: the
   * build leaves them out, so they are not checked, but a reference to one of them tells a file forgotten in
   * `resources` from an object created outside the tree. Nothing when the real kustomize builds the roots (it reads
   * the files itself); unreadable files are passed over, since they are not part of any build.
   */
  public leftOut(): LoadedManifest[] {
    if (this.options.build) return [];
    const read = new Set([...this.readFiles].map((k) => k.slice(0, k.indexOf('\0'))));
    const out: LoadedManifest[] = [];
    for (const file of this.kustomizedFiles) {
      const real = this.real(file);
      if (read.has(real) || this.kustomize.files.patchFiles.has(real)) continue;
      const own = ownKustomizationOf(file);
      out.push(...objectsAsWritten(file, this.maxFileBytes).map((m) => (own ? { ...m, ownKustomization: own } : m)));
    }
    for (const file of this.besideBuildsOutside(read)) out.push(...objectsAsWritten(file, this.maxFileBytes).map((m) => ({ ...m, besideBuild: true })));
    return out;
  }

  /**
   * The files of the folders of kustomizations a build reads outside the checked folders (`../../base/api`) that
   * neither it nor any other build reads: a file forgotten in `resources` beside them, told apart from the checked
   * folders' own left-out files, which the rules judge as unapplied.
   */
  private besideBuildsOutside(read: ReadonlySet<string>): string[] {
    const walked = new Set(this.kustomizedFiles.map((f) => path.dirname(this.real(f))));
    const folders = new Set(this.manifests.flatMap((m) => (m.kustomizations ?? []).map((k) => this.real(k)).filter((d) => !walked.has(d))));
    return [...folders].flatMap((dir) => {
      let entries: string[];
      try {
        entries = fs.readdirSync(dir);
      } catch {
        return [];
      }
      return entries
        .filter((e) => RESOURCE_FILE.test(e) && !KUSTOMIZATION_FILES.includes(e))
        .map((e) => path.join(dir, e))
        .filter((f) => !read.has(this.real(f)) && !this.kustomize.files.patchFiles.has(this.real(f)) && this.stat(f)?.isFile());
    });
  }

  /**
   * An input with no delivery of its own (no kustomization, Helm chart, Argo CD Application or Flux Kustomization) is
   * applied as it is read (kubectl apply -f <folder>): a document there with a kind but no apiVersion fails that apply,
   * an error; elsewhere it is a file no root delivers (or one a directory source reads, which
   * argocd-directory-file-invalid judges) and stays a warning.
   */
  public versionlessApplied(): void {
    const delivers = this.manifests.some((m) => isMapping(m.manifest) && [...DIRECTORY_SOURCE_KINDS, 'Kustomization'].includes(String(m.manifest.kind)));
    if (this.kustomize.builds.size || this.charts.size || delivers) return;
    const errors = this.problems.errors;
    errors.forEach((e, i) => {
      // a program's data (input-not-followed) is not taken to be applied: no delivery of the tree is shown to apply it
      const versionless = e.severity === 'warning' && e.kind === undefined ? NO_API_VERSION.exec(e.message) : null;
      const kindless = e.severity === 'warning' && e.kind === undefined ? KINDLESS_LIST.exec(e.message) : null;
      const applied = 'the input has no kustomization, chart or Argo CD Application, so its files are applied as they are (kubectl apply -f), and';
      if (versionless) errors[i] = { ...e, severity: 'error', message: `${versionless[1]}: ${applied} ${API_VERSION_REFUSED}` };
      if (kindless) errors[i] = { ...e, severity: 'error', message: `${kindless[1]}: ${applied} ${KIND_REFUSED}` };
    });
  }

  /**
   * The objects of the files in kustomize folders as they are written, kustomization files included: what Argo CD's
   * directory source applies when a source sets `directory` on such a folder (it reads files, it does not build).
   */
  public plain(): LoadedManifest[] {
    const built = new Set([...this.readFiles].map((k) => k.slice(0, k.indexOf('\0'))));
    const { manifests, unread } = directorySourceObjects(this.plainFiles, built, this.maxFileBytes);
    this.unread.push(...unread);
    return manifests;
  }

  /** The file's text, or undefined (reported) when it is too large, binary or unreadable. */
  public load(file: string, st: fs.Stats): string | undefined {
    return this.bounded(readBounded(file, st, this.maxFileBytes), file);
  }

  private bounded(result: ReturnType<typeof decodeText>, file: string): string | undefined {
    if ('text' in result) return result.text;
    this.problems.problem(file, result.problem);
    return undefined;
  }

  public parse(source: string, file: string, chain: readonly string[] = [], again = false, template?: string): void {
    const { objects, problems } = parseDocuments(source, file.endsWith('.json'));
    // a file read again in one build says its problems once
    // in a kustomization's resources a document that is no object is refused below, not skipped
    const skipped = chain.length ? problems.filter((p) => ![NOT_AN_OBJECT, NO_API_VERSION, KINDLESS_LIST].some((r) => r.test(p.message))) : problems;
    const told = skipped.map((x) =>
      chain.length
        ? listedRepeat(listedMalformed(listedTemplate(x, chain[chain.length - 1]), chain[chain.length - 1]), chain[chain.length - 1])
        : template
          ? unrenderedTemplateProblem(x, source, template)
          : x,
    );
    if (!again) for (const p of told) if (p) this.problems.problem(file, p.message, p.severity, p.line, p.kind);
    // a file of a folder read whole is what Argo CD's directory source reads there too (it renders no template: a
    // parse failure told as a template's warning is still Argo CD's to refuse)
    const reported = told.some((p) => p?.severity === 'error' && p.kind === undefined);
    if (!chain.length && !again) this.unread.push(...unreadOf(file, source, problems, reported, objects));
    if (chain.length && !again) refuseResourceMetadata(this.problems, file, chain[chain.length - 1], problems, objects);
    // a nameless resource fails the build (refused above): it is no object of it
    const named = ({ manifest }: ParsedObject) => String(manifest.kind).endsWith('List') || !!text(mapping(manifest.metadata).name);
    const kept = chain.length ? objects.filter(named) : objects;
    // kept aside, so that what they would have made (a Secret a Job's script creates) is told as refused, not absent
    if (chain.length && !again)
      for (const { index, line, manifest } of objects.filter((x) => !named(x) && !/^kustomize\.config\.k8s\.io\//.test(String(x.manifest.apiVersion))))
        this.refused.push({ file, index, line, manifest, kustomizations: chain });
    for (const { index, line, manifest: read, comment, droppedEnv } of kept) {
      // a kustomization's namespace is set by its transformers, as kustomize sets it, not as the file is read
      const manifest = again ? markedReadAgain(read) : read;
      this.manifests.push({
        file,
        index,
        line,
        manifest,
        ...(chain.length ? { kustomizations: chain } : {}),
        ...(comment ? { comment } : {}),
        ...(droppedEnv ? { droppedEnv } : {}),
      });
    }
  }
}
