import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, strings, text } from './access';
import { argoBuildOptions, buildOptionsNote, liftsRestrictor } from './argocd-build-options';
import { folderBuilder, kustomizeVersionFor } from './folder-builders';
import { decodeText, DEFAULT_MAX_FILE_BYTES, isSymlink, readBounded, readStdin } from './files';
import { commentRenderer, RenderIndex } from './render-scripts';
import { ScriptCreated, scriptCreatedObjects } from './script-creations';
import { applyTransforms, ENTRY_FIELDS, isNoOp, isRemote, KUSTOMIZATION_FILES, NOT_APPLIED, ADDS_OBJECTS, shapeProblems } from './kustomization';
import { markedReadAgain, movedNamespace, needsHash, originalNamespace, readAgain, renamed, resourceId, withoutBuildAnnotations } from './build-ids';
import { absorb, contentHash, generate } from './generators';
import { GitCheckout, gitCheckoutOf } from './git-checkout';
import { missingLocalCharts } from './helm-charts';
import { readJsonFile } from './json-files';
import { catalogueId, emittedBy, knownRemoteBase, RemoteBase, RemoteEmitted, throughKustomization } from './remote-bases';
import { KustomizationBuild, LoadedManifest, ManifestReadError, UnreadFile } from './loaded';
import { unreadOf } from './unread-files';
import { FieldSpec } from './field-specs';
import { BackReference, fixNameReferences, nameReferenceConfig } from './name-reference';
import { applyPatches } from './patches';
import { applyReplacements } from './replacements';
import { declaredVars, resolveVars, tieVars, Var } from './vars';
import {
  API_VERSION_REFUSED,
  NO_API_VERSION,
  NOT_AN_OBJECT,
  ParsedObject,
  parseDocuments,
  parseFirstDocument,
  parseOne,
  TEMPLATE_DOCUMENT,
  TextProblem,
} from './yaml-documents';

export type { LoadedManifest, ManifestReadError, UnreadFile } from './loaded';

/** kustomize's `--load-restrictor` values. */
export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

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
  readonly stdin?: (maxBytes: number) => Uint8Array | string;
  /**
   * Builds a kustomization root with the real kustomize (the CLI passes `kubectl kustomize`), so that patches,
   * generators, images and Helm charts are applied exactly; its output is read instead of the root's files.
   * @default - the reader follows resources itself and reports what it does not apply
   */
  readonly build?: (dir: string, flags?: readonly string[]) => { readonly output: string } | { readonly error: string; readonly unreachable?: boolean };
  /**
   * kustomize's `--load-restrictor`: `LoadRestrictionsNone` lets a kustomization list files outside its folder (Argo
   * CD's `kustomize.buildOptions`), for every root or per root folder. readManifests sets it when the input declares
   * those options.
   * @default LoadRestrictionsRootOnly
   */
  readonly loadRestrictor?: LoadRestrictor | ((root: string) => LoadRestrictor);
}

/** Real manifests are kilobytes; the largest CRDs a few MiB. Larger files are almost always mistakes (logs, dumps). */

/** The kinds whose sources can be Argo CD directory sources over kustomize folders. */
const DIRECTORY_SOURCE_KINDS = ['Application', 'ApplicationSet'];

/** The advice of a finding about a kustomize build the reader did not follow whole: check the real build. */
const checkTheBuild = (dir: string) => `check the build instead (add --kustomize kubectl, or kubectl kustomize ${dir} | cdk8s-vllm check -)`;

/**
 * Reads manifests from files, folders and `-` (standard input), multi-document files included.
 *
 * A folder with a `kustomization.yaml` is read as kustomize builds it: its `resources` (and `components`, `bases`),
 * files and folders, recursively, with the kustomization's namespace, name prefix and suffix, labels, annotations,
 * images, replicas, generators, patches (those that name their target; strategic-merge ones with their `$patch`
 * directives) and replacements applied, and the references to renamed objects renamed and `vars` replaced when the
 * root's build ends; files it does not list are not read. What kustomize refuses is an error of kind
 * `kustomize-build-fails` (or `kustomize-patch-invalid`); remote bases and fields the reader does not apply (Helm
 * charts, custom transformers) are reported, not guessed at. A folder without one is read whole
 * (`*.yaml`/`*.yml`/`*.json`, sorted), as kubectl and Argo CD's directory source read it: a .json file holds one object
 * or a stream of them; one that does not look like a manifest (package.json) is passed over quietly, and `*.jsonnet`
 * files are reported, not evaluated. Both are told in `unread`, with what Argo CD makes of them.
 *
 * Only regular files are read: FIFOs, devices and sockets are reported, symlink loops are detected by real path,
 * files over the size cap are refused, UTF-16 and BOMs are decoded, binary files reported. Every problem names the
 * file (and line); the rest of the input is still read.
 */
export function readManifests(
  paths: readonly string[],
  options: ReadOptions = {},
): {
  manifests: LoadedManifest[];
  errors: ManifestReadError[];
  folders: string[];
  charts: string[];
  leftOut: LoadedManifest[];
  unread: UnreadFile[];
  plain: LoadedManifest[];
  ownBuilds: LoadedManifest[];
  remoteBases: Reader['remoteBases'];
  builds: KustomizationBuild[];
  checkouts: GitCheckout[];
  scriptCreated: ScriptCreated[];
} {
  let reader = new Reader(options);
  for (const p of paths) reader.read(p);
  // an input that declares Argo CD's kustomize build options is built as Argo CD builds it
  const argo = options.loadRestrictor === undefined ? argoBuildOptions(reader.manifests) : undefined;
  if (argo && [argo.flags, ...Object.values(argo.versions)].some(liftsRestrictor) && reader.restricted()) {
    // each root with the options of the kustomize version its Application names, else the default ones
    const manifests = reader.manifests;
    const rootOf = (dir: string) => paths.find((p) => p !== '-' && !path.relative(p, dir).startsWith('..'));
    const restrictor = (dir: string): LoadRestrictor => {
      const version = kustomizeVersionFor(manifests, dir, rootOf(dir));
      return liftsRestrictor(version === undefined ? argo.flags : (argo.versions[version] ?? '')) ? 'LoadRestrictionsNone' : 'LoadRestrictionsRootOnly';
    };
    reader = new Reader({ ...options, loadRestrictor: restrictor });
    for (const p of paths) reader.read(p);
  }
  if (argo) reader.errors.push(buildOptionsNote(argo));
  reader.placeholderErrors(folderBuilder(reader.manifests));
  reader.versionlessApplied();
  // the files as written matter only to an Argo CD directory source: read them again only when an Application is here
  const plain = reader.manifests.some((m) => isMapping(m.manifest) && DIRECTORY_SOURCE_KINDS.includes(String(m.manifest.kind))) ? reader.plain() : [];
  return {
    manifests: reader.manifests,
    errors: reader.errors,
    folders: [...reader.folders],
    charts: [...reader.charts],
    leftOut: reader.leftOut(),
    unread: reader.unread,
    plain,
    ownBuilds: reader.ownBuilds,
    remoteBases: reader.remoteBases,
    builds: [...reader.builds].map(([folder, b]) => ({ folder, ...b })),
    // where each checked folder sits in its git work tree: an Argo CD path is judged from the repository's root
    checkouts: paths.flatMap((p) => (p !== '-' && isFolder(p) ? [gitCheckoutOf(p)] : [])).filter((c): c is GitCheckout => c !== undefined),
    // what the tree's scripts create when they run: a reference to one names no missing object
    scriptCreated: paths.flatMap((p) => (p !== '-' && isFolder(p) ? scriptCreatedObjects(p) : [])),
  };
}

/** The ids one kustomization's accumulator holds so far: local catalogued objects by file, remote ones, and every remote one added. */
interface RemoteRegistry {
  readonly local: Map<string, string>;
  readonly remote: Map<string, RemoteEmitted>;
  readonly emitted: RemoteEmitted[];
}

function remoteClashMessage(remote: RemoteEmitted, localFile: string): string {
  return (
    `adds ${remote.kind} '${remote.name}' twice: ${localFile} declares it, and the remote resource '${remote.entry}' (${remote.described}, listed in ${remote.listedIn}) ` +
    `creates it too: kustomize refuses the build ("may not add resource with an already registered id"), so nothing of this root is applied; ` +
    `drop the local ${remote.kind} (the remote resource creates it) or list one of the two only`
  );
}

/** What kustomize's load restrictor refuses of a kustomization: the files it lists outside its folder. */
function outsideMessage(dir: string, entries: readonly string[], firstReal: string): string {
  if (entries.length === 1)
    return (
      `lists '${entries[0]}', a file outside the kustomization's folder (${firstReal}): kustomize's load restrictor refuses it ("security; file … is not in or below ${dir}"); ` +
      'move the file into the folder, or give its folder a kustomization.yaml and list the folder'
    );
  const named = entries
    .slice(0, 3)
    .map((e) => `'${e}'`)
    .join(', ');
  return (
    `lists ${entries.length} files outside the kustomization's folder (${named}${entries.length > 3 ? ` and ${entries.length - 3} more` : ''}; the first is ${firstReal}): ` +
    `kustomize's load restrictor refuses them ("security; file … is not in or below ${dir}"); move the files into the folder, or give their folder a ` +
    "kustomization.yaml and list the folder (or, when Argo CD builds it, set --load-restrictor=LoadRestrictionsNone in argocd-cm's kustomize.buildOptions)"
  );
}

/** Parses a multi-document YAML text; problems name `file`. */
export function parseManifests(source: string, file: string): { manifests: LoadedManifest[]; errors: ManifestReadError[] } {
  const reader = new Reader({});
  reader.parse(source, file);
  return { manifests: reader.manifests, errors: reader.errors };
}

/**
 * Folders of a Helm chart that hold no manifests as written: templates (read apart), chart-testing values (ci) and
 * the files templates read with .Files.Get (files, by Helm's convention).
 */
const HELM_OWN_FOLDERS = new Set(['templates', 'ci', 'files']);

/** The files Argo CD's directory source reads (argo-cd reposerver/repository/repository.go `manifestFile`). */
const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;

/** File names that mark a template: a .tmpl, .tpl or .template part (`secret.tmpl.yaml`, `secret.yaml.template`). */
const TEMPLATE_NAME = /\.(tmpl|tpl|template)(\.|$)/i;

/**
 * A template document in a file a kustomization lists is no template to kustomize: it renders nothing and reads every
 * resource as YAML (api/resource/factory.go SliceFromBytes), so the build fails on it (an error, where a template
 * no kustomization lists is only not read).
 */
function listedTemplate(p: TextProblem, dir: string): TextProblem {
  const m = TEMPLATE_DOCUMENT.exec(p.message);
  if (!m) return p;
  return {
    message:
      `document ${m[1]} is not valid YAML (line ${m[2]}: ${m[3]}) and holds {{ … }} markers: kustomize renders no templates, it reads the file as YAML, ` +
      `so the build of ${dir} fails; fix the YAML (quote a marker a later tool fills), or render the file before kustomize lists it`,
    severity: 'error',
    line: Number(m[2]),
  };
}

/** The warning parseDocuments gives a document that is not a Kubernetes object, with the document's number. */

/** The files a kustomization may list as resources that the reader tells apart when none lists them. */
const RESOURCE_FILE = /\.(ya?ml|json)$/;

/** Every string of a kustomization, at any depth: the paths it names (resources, patches, generators' files, configurations). */
function stringsIn(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  return isMapping(v) ? Object.values(v).flatMap(stringsIn) : [];
}

/** Whether a path is a folder (following links). */
function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A path with its symlinks resolved, or made absolute when it cannot be. */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

class Reader {
  public readonly manifests: LoadedManifest[] = [];
  public readonly errors: ManifestReadError[] = [];
  private readonly maxFileBytes: number;
  /** Real paths of the folders being walked (a symlink back into one is a loop), and of the files already read with their namespace. */
  private readonly walking = new Set<string>();
  private readonly readFiles = new Set<string>();
  private readonly said = new Set<string>();
  /** Whether the reader builds a root itself although the real kustomize was given (kustomize stopped at a missing file). */
  private readerBuilds = false;
  /** How many steps of a build the reader has not followed so far (refusals after one are not kustomize's verdict). */
  private unfollowed = 0;
  /** How many refusals of a build (kustomize-build-fails) were said, and how many before each kustomization began. */
  private refusals = 0;
  private readonly refusalsAt = new Map<string, number>();
  /**
   * Steps not followed that may add objects to a build (remote resources, Helm charts, generator plugins), and how many
   * before each kustomization began: after one, an object a patch or replicas entry names may be in the build.
   */
  private unbuilt = 0;
  private readonly unbuiltAt = new Map<string, number>();
  /** Per kustomization root, the files (real path and namespace) its build has read. */
  private readonly rootReads = new Map<string, Set<string>>();
  /** Every folder entered, read or not. */
  public readonly folders = new Set<string>();
  /** Every folder holding a Chart.yaml outside kustomize folders: a Helm chart. */
  public readonly charts = new Set<string>();
  /** Files outside kustomize folders that Argo CD's directory source reads but that gave no object (Jsonnet, JSON that is no manifest). */
  public readonly unread: UnreadFile[] = [];
  /** YAML files met inside kustomize folders, and the patch files kustomizations read: what is left out is their difference. */
  private readonly kustomizedFiles: string[] = [];
  /**
   * The objects each kustomization that another includes builds on its own (its own step, before the including ones
   * transform them), attributed to its folder alone: what an Argo CD source on that folder builds.
   */
  public readonly ownBuilds: LoadedManifest[] = [];
  private readonly ownBuilt = new Set<string>();
  /** The files of kustomize folders that Argo CD's directory source would read (kustomization files included). */
  private readonly plainFiles: string[] = [];
  private readonly patchFiles = new Set<string>();
  /** Per folder, the README that renders its files with envsubst (undefined: none). */
  private readonly readmes = new Map<string, string | undefined>();
  /** The folder given as input being read (its scripts may render its files), and the renderings of each such folder. */
  private root: string | undefined;
  private readonly renderIndexes = new Map<string, RenderIndex>();
  /** The name references the kustomizations of the root being built configure (`configurations:`). */
  private configured: BackReference[] = [];
  /** The vars the kustomizations of the root being built declare, and where else `configurations:` has them replaced. */
  private vars: Var[] = [];
  private varReferences: FieldSpec[] = [];
  /** What the roots built so far, by file and object: a later root that builds the same adds nothing. */
  private readonly builtBefore = new Set<string>();
  /** Per kustomization file, its entries outside its folder: said in one finding, at index `at` of the errors. */
  private readonly outside = new Map<string, { at: number; entries: Set<string>; first: string }>();
  /** Per kustomization folder: whether it renames (namespace, namePrefix, nameSuffix), and whether its build has steps the reader did not follow. */
  public readonly builds = new Map<string, KustomizationBuild>();
  /** The well-known remote resources the builds list (lib/manifests/remote-bases.ts), with the kustomization that lists each. */
  public readonly remoteBases: { readonly file: string; readonly entry: string; readonly base: RemoteBase }[] = [];
  /** Per kustomization folder, the catalogued objects the remote resources of its build add, as its transformers leave them. */
  private readonly remoteEmitted = new Map<string, RemoteEmitted[]>();
  /** The folder of the root being built. */
  private currentRoot: string | undefined;
  /** Whether the root being built was met walking a folder (not given, not listed), and the empty ones so met. */
  private walkedRoot = false;
  private readonly placeholders: { file: string; dir: string; root: string | undefined; error: ManifestReadError; at: number }[] = [];
  /** Whether the real kustomize refused a file outside a kustomization's folder. */
  private restrictedBuild = false;

  constructor(private readonly options: ReadOptions) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Whether the root being built may list files outside its folders (`--load-restrictor LoadRestrictionsNone`). */
  private unrestricted(): boolean {
    const r = this.options.loadRestrictor;
    return (typeof r === 'function' ? (this.currentRoot === undefined ? undefined : r(this.currentRoot)) : r) === 'LoadRestrictionsNone';
  }

  /** Whether the load restrictor refused a file of the input. */
  public restricted(): boolean {
    return this.outside.size > 0 || this.restrictedBuild;
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
      const kustomization = this.kustomizationFile(p);
      if (kustomization) {
        this.kustomization(p, kustomization, undefined);
        // its files, to tell which the build leaves out
        this.collect(p, [], true);
      } else this.walk(p);
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
      if (included.has(fs.realpathSync(k.dir))) continue;
      // a Component is built only inside the kustomization that lists it (its patches edit that one's objects): one that
      // none of the input lists delivers nothing, and kustomize building it alone would find its patch targets missing
      if (this.kindOf(k.file) === 'Component') {
        this.problem(
          k.file,
          'is a Component that no kustomization of the input lists: kustomize applies it only inside a kustomization, so it is not checked on its own',
          'warning',
        );
        continue;
      }
      this.walkedRoot = true;
      try {
        this.kustomization(k.dir, k.file, undefined);
      } finally {
        this.walkedRoot = false;
      }
    }
  }

  private collect(dir: string, kustomizations: { dir: string; file: string }[], insideKustomize = false): void {
    this.enter(dir, () => {
      const entries = this.list(dir);
      if (!entries) return;
      // a Helm chart's templates are Go templates, not manifests, until helm renders them; static ones render as written
      if (entries.includes('Chart.yaml') && !insideKustomize) {
        this.charts.add(dir);
        this.problem(
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
        const kustomizedChart = this.kustomizationFile(dir, entries) !== undefined;
        for (const e of entries) {
          const full = path.join(dir, e);
          if (HELM_OWN_FOLDERS.has(e) || e.startsWith('.') || !this.stat(full)?.isDirectory()) continue;
          this.collect(full, kustomizations, kustomizedChart);
        }
        return;
      }
      const kustomization = this.kustomizationFile(dir, entries);
      if (kustomization) kustomizations.push({ dir, file: kustomization });
      const kustomized = insideKustomize || kustomization !== undefined;
      for (const e of entries) {
        if (e === 'node_modules') continue;
        const full = path.join(dir, e);
        if (e.startsWith('.')) {
          if (!kustomized) this.dotFile(full);
          continue;
        }
        const st = this.stat(full);
        if (!st) continue;
        if (st.isDirectory()) this.collect(full, kustomizations, kustomized);
        else if (!kustomized && MANIFEST_FILE.test(e)) this.file(full, st, undefined, [], true);
        else if (RESOURCE_FILE.test(e) && st.isFile()) {
          this.plainFiles.push(full);
          if (!KUSTOMIZATION_FILES.includes(e)) this.kustomizedFiles.push(full);
        }
      }
    });
  }

  /**
   * A root as the real kustomize builds it: its objects, attributed to the root's kustomization file; kustomize's error
   * when it stopped at a file that is not there (said by the reader's own build instead, which reads what exists).
   */
  private built(dir: string, file: string, build: NonNullable<ReadOptions['build']>): string | undefined {
    const result = build(dir, this.unrestricted() ? ['--load-restrictor', 'LoadRestrictionsNone'] : []);
    if ('error' in result) {
      if (/is not in or below/.test(result.error)) this.restrictedBuild = true;
      // a remote the machine cannot reach says nothing about the tree: Argo CD's repo server may reach it
      if (result.unreachable) this.problem(file, `was not checked: kustomize could not fetch a remote resource from here (${result.error})`, 'warning');
      else if (/no such file or directory/.test(result.error)) return result.error;
      else if (/kustomization\.yaml is empty/.test(result.error)) this.empty(file, `is empty: kustomize refuses it (${result.error})`, this.walkedRoot);
      else this.refused(file, `kustomize build fails, so Argo CD cannot sync this root: ${result.error}`);
      return undefined;
    }
    const before = this.manifests.length;
    this.parse(result.output, file, [dir]);
    // built objects have no line of their own in the repository: they are found by the root's kustomization
    for (let i = before; i < this.manifests.length; i++) this.manifests[i] = { ...this.manifests[i], line: 1 };
    return undefined;
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

  /** The local entries a kustomization lists (resources, bases, components); nothing when it does not parse. */
  private resourcesOf(file: string): string[] {
    const k = this.peek(file);
    return isMapping(k) ? [...strings(k.resources), ...strings(k.bases), ...strings(k.components)].filter((e) => !isRemote(e)) : [];
  }

  /** The kind a kustomization file declares (Kustomization when it names none); undefined when it does not parse. */
  private kindOf(file: string): string | undefined {
    const k = this.peek(file);
    return isMapping(k) ? text(k.kind) || 'Kustomization' : undefined;
  }

  /** A kustomization file parsed without reporting anything (its problems are said when it is read). */
  private peek(file: string): unknown {
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseFirstDocument(source);
    return 'value' in parsed ? parsed.value : undefined;
  }

  /**
   * The kustomization file of a folder, or undefined; more than one is refused as kustomize refuses it
   * (api/konfig RecognizedKustomizationFileNames, "Found multiple kustomization files"), and the first is read.
   */
  private kustomizationFile(dir: string, entries?: readonly string[]): string | undefined {
    const found = KUSTOMIZATION_FILES.filter((f) => (entries ? entries.includes(f) : fs.existsSync(path.join(dir, f))));
    if (found.length > 1)
      this.refused(
        dir,
        `holds ${found.join(' and ')}: kustomize refuses a folder with more than one kustomization file ("Found multiple kustomization files"); keep one`,
      );
    return found.length ? path.join(dir, found[0]) : undefined;
  }

  /**
   * A kustomization as kustomize v5 builds it (api/internal/target/kusttarget.go accumulateResources, with the file
   * loader of api/internal/loader/fileloader.go): its shape, then each entry of resources, bases and components —
   * remote ones reported, files read only inside the kustomization's folder, folders only if they are no ancestor of a
   * kustomization being built (a cycle), Components only under components.
   */
  private kustomization(
    dir: string,
    file: string,
    namespace: string | undefined,
    chain: readonly string[] = [],
    role: 'resources' | 'components' | 'root' = 'root',
    accumulated?: number,
  ): void {
    if (chain.length === 0) this.currentRoot = dir;
    if (this.options.build && chain.length === 0 && !this.readerBuilds) {
      let missing: string | undefined;
      this.enter(dir, () => (missing = this.built(dir, file, this.options.build!)));
      if (missing === undefined) return;
      // kustomize stopped at a missing file: the reader builds what exists, and says what is missing
      const refusals = this.errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').length;
      this.readerBuilds = true;
      try {
        this.kustomization(dir, file, undefined);
      } finally {
        this.readerBuilds = false;
      }
      // kustomize's own words when the reader found nothing missing
      if (this.errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').length === refusals)
        this.refused(file, `kustomize build fails, so Argo CD cannot sync this root: ${missing}`);
      return;
    }
    // a root read again (the same path given twice) is a new build
    if (chain.length === 0) {
      this.rootReads.delete(dir);
      this.configured = [];
      this.vars = [];
      this.varReferences = [];
    }
    this.enter(dir, () => {
      const k = this.kustomizationOf(file, this.walkedRoot && chain.length === 0);
      if (!k) return;
      const unfollowedBefore = this.unfollowed;
      this.refusalsAt.set(file, this.refusals);
      this.unbuiltAt.set(file, this.unbuilt);
      this.reportShape(dir, file, k, role);
      this.configure(dir, file, k);
      // the namespace the objects end in (the outermost kustomization's wins): a file read under two is two sets of objects
      const ns = namespace ?? text(k.namespace);
      // a Component adds to the accumulator of the kustomization that lists it, and its patches and transformers edit all
      // of that one's objects so far (kusttarget.go accumulateDirectory: "Components don't create a new accumulator")
      const built = role === 'components' && accumulated !== undefined ? accumulated : this.manifests.length;
      this.accumulate(dir, file, k, ns, [...chain, dir], built);
      this.generate(dir, file, k, [...chain, dir], built);
      this.patchAndTransform(dir, file, k, built, unfollowedBefore);
      this.declareVars(file, k, built);
      if (chain.length && role === 'resources' && !this.ownBuilt.has(dir)) {
        this.ownBuilt.add(dir);
        this.ownBuilds.push(...this.manifests.slice(built).map((m) => ({ ...m, kustomizations: [dir] })));
      }
      if (chain.length === 0) {
        this.finishBuild(file, built, unfollowedBefore);
        this.dropRepeats(built);
      }
    });
  }

  /**
   * Each entry of a kustomization's resources, bases and components, in order (kusttarget.go accumulateResources,
   * accumulateComponents); `chain` ends with the kustomization's folder. The objects an entry adds join the build as
   * kustomize appends them (resWrangler.AppendAll): a file reached a second time in one build adds its objects again,
   * which kustomize refuses unless they were renamed on the way (a prefix, a patch of the name).
   */
  private accumulate(dir: string, file: string, k: Loose, ns: string | undefined, chain: readonly string[], built: number): void {
    const seen = new Set<string>();
    const missing: string[] = [];
    const registry: RemoteRegistry = { local: new Map(), remote: new Map(), emitted: [] };
    for (const field of ENTRY_FIELDS) {
      for (const entry of strings(k[field]).filter((e) => e !== '')) {
        const before = this.manifests.length;
        if (
          this.entry(dir, file, entry, field === 'components' ? 'components' : 'resources', seen, ns, chain, built) === 'missing' &&
          RESOURCE_FILE.test(entry)
        )
          missing.push(entry);
        const ids = new Set(this.manifests.slice(built, before).map((m) => resourceId(m.manifest)));
        const kept = this.manifests.slice(before).filter((m) => {
          const again = isMapping(m.manifest) && readAgain(m.manifest) && ids.has(resourceId(m.manifest));
          if (again)
            this.refused(
              file,
              `${m.file} is reached twice in the build of ${chain[0]} (last through '${entry}'), and adds ${String(m.manifest.kind)} '${String(mapping(m.manifest.metadata).name)}' again: kustomize refuses the build ("may not add resource with an already registered id"); include it once, or rename one copy (namePrefix, nameSuffix)`,
            );
          return !again;
        });
        this.manifests.splice(before, this.manifests.length - before, ...kept);
        this.remoteClashes(file, dir, entry, kept, registry, ns);
      }
    }
    this.remoteEmitted.set(path.resolve(dir), throughKustomization(registry.emitted, text(k.namespace)));
    if (missing.length) this.unlistedInstead(dir, file, k, missing, ns, chain);
  }

  /**
   * kustomize appends each entry's objects to the kustomization's accumulator and refuses an id already there
   * (api/resmap/reswrangler.go Append): a local object that a well-known remote resource of the same build also emits
   * (lib/manifests/remote-bases.ts) is refused although the reader does not fetch the remote one. An outer namespace
   * renames Namespace objects on the way, so those are compared only where none is set.
   */
  private remoteClashes(file: string, dir: string, entry: string, added: readonly LoadedManifest[], registry: RemoteRegistry, ns: string | undefined): void {
    const base = isRemote(entry) ? knownRemoteBase(entry) : undefined;
    if (base) this.remoteBases.push({ file, entry, base });
    const emitted = base ? emittedBy(base, entry, file) : isRemote(entry) ? [] : (this.remoteEmitted.get(path.resolve(dir, entry)) ?? []);
    const comparable = (id: string) => ns === undefined || !id.startsWith('Namespace/');
    for (const m of added) {
      const id = isMapping(m.manifest) ? catalogueId(m.manifest) : undefined;
      if (id === undefined || !comparable(id)) continue;
      const remote = registry.remote.get(id);
      if (remote) this.refused(file, remoteClashMessage(remote, m.file));
      else registry.local.set(id, m.file);
    }
    for (const o of emitted) {
      const id = `${o.kind}/${o.name}`;
      const local = registry.local.get(id);
      if (local !== undefined && comparable(id)) this.refused(file, remoteClashMessage(o, local));
      registry.remote.set(id, o);
    }
    registry.emitted.push(...emitted);
  }

  /**
   * kustomize stops at the first resource that is missing (api/internal/accumulator), so the author sees one error
   * per fix, and nothing of the root is built; the usual cause is a renamed file. The resource files of the
   * kustomization's folder that it names nowhere are read as if listed, so that their objects are checked with the
   * kustomization's transformers (objects are never read twice: they leave the left-out files), and that is said once.
   */
  private unlistedInstead(dir: string, file: string, k: Loose, missing: readonly string[], ns: string | undefined, chain: readonly string[]): void {
    const named = new Set(stringsIn(k).map((s) => realPath(path.join(dir, s))));
    const done = this.rootReads.get(chain[0]) ?? new Set<string>();
    const read: string[] = [];
    for (const e of this.list(dir) ?? []) {
      const full = path.join(dir, e);
      if (!RESOURCE_FILE.test(e) || KUSTOMIZATION_FILES.includes(e) || named.has(realPath(full)) || done.has(`${realPath(full)}\0${ns ?? ''}`)) continue;
      const st = fs.statSync(full, { throwIfNoEntry: false });
      if (!st?.isFile() || !this.resourceLike(full, st)) continue;
      this.file(full, st, ns, chain);
      read.push(e);
    }
    if (!read.length) return;
    const [they, are] = read.length > 1 ? ['they', 'are'] : ['it', 'is'];
    this.problem(
      file,
      `lists ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length > 1 ? 'do' : 'does'} not exist, and names nowhere ${read.join(', ')} of its folder ` +
        `(likely the renamed resource${missing.length > 1 ? 's' : ''}): ${they} ${are} checked as if listed, although kustomize build fails; ` +
        `list ${read.length > 1 ? 'them' : 'it'} in resources instead of the missing name${missing.length > 1 ? 's' : ''}`,
      'warning',
      undefined,
      'kustomize-build-fails',
    );
  }

  /** Whether a file holds only documents kustomize takes as resources (a kind and a name each): no patch, no config. */
  private resourceLike(file: string, st: fs.Stats): boolean {
    const read = readBounded(file, st, this.maxFileBytes);
    if (!('text' in read)) return false;
    const { objects, problems } = parseDocuments(read.text, file.endsWith('.json'));
    return (
      objects.length > 0 &&
      !problems.some((p) => p.severity === 'error' || NOT_AN_OBJECT.test(p.message)) &&
      objects.every(({ manifest }) => !!text(mapping(manifest.metadata).name) && !/^kustomize\.config\.k8s\.io\//.test(String(manifest.apiVersion)))
    );
  }

  /** What kustomize refuses in the file's shape and kind, and the fields check does not apply (a warning each). */
  private reportShape(dir: string, file: string, k: Loose, role: 'resources' | 'components' | 'root'): void {
    for (const p of shapeProblems(k)) this.refused(file, p);
    for (const p of missingLocalCharts(dir, k)) this.refused(file, p);
    const kind = text(k.kind) || 'Kustomization';
    // kusttarget.go accumulateDirectory: "expected kind 'Component' …" / "expected kind != 'Component' …"
    if (role === 'components' && kind !== 'Component')
      this.refused(file, `is a ${kind} listed under components: kustomize refuses it (expected kind 'Component'); list it under resources`);
    if (role === 'resources' && kind === 'Component')
      this.refused(file, `is a Component listed under resources: kustomize refuses it (expected kind != 'Component'); list it under components`);
    for (const field of NOT_APPLIED) {
      if (!isNoOp(k[field])) {
        if (ADDS_OBJECTS.includes(field)) this.unbuilt++;
        this.problem(file, `uses '${field}', which check does not apply: the built objects may differ; ${checkTheBuild(dir)}`, 'warning');
      }
    }
  }

  /**
   * The name references of the kustomization's `configurations:` files, for its root's whole build (kustomize merges
   * every transformer configuration of a build into the root's: resAccumulator.MergeConfig).
   */
  private configure(dir: string, file: string, k: Loose): void {
    for (const entry of strings(k.configurations)) {
      const source = this.patchFile(dir, file, entry, 'file');
      if (source === undefined) continue;
      const parsed = parseOne(source);
      const config =
        'error' in parsed
          ? { references: [], varReferences: [], unapplied: [], problems: [`is not valid YAML: ${parsed.error}`] }
          : nameReferenceConfig(parsed.value);
      for (const p of config.problems) this.refused(file, `configurations entry '${entry}' ${p}: kustomize refuses it`);
      this.configured.push(...config.references);
      this.varReferences.push(...config.varReferences);
      if (config.unapplied.length)
        this.problem(
          file,
          `configurations entry '${entry}' configures ${config.unapplied.join(', ')}, which check does not apply (only nameReference): the built objects may differ; ${checkTheBuild(dir)}`,
          'warning',
        );
    }
  }

  /**
   * The objects of the kustomization's ConfigMap and Secret generators, after those of its resources, or merged into
   * the object they edit (kusttarget.go runGenerators, resAccumulator.AbsorbAll).
   */
  private generate(dir: string, file: string, k: Loose, chain: readonly string[], built: number): void {
    const { made, problems, notApplied } = generate(k, (p) => this.generatorFile(dir, file, p));
    for (const p of problems) this.refused(file, p);
    for (const p of notApplied) this.problem(file, `${p}; ${checkTheBuild(dir)}`, 'warning');
    const absorbed = absorb(
      this.manifests.slice(built).map((m) => m.manifest),
      made,
      originalNamespace,
    );
    for (const p of absorbed.problems) this.refused(file, p);
    absorbed.objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
    absorbed.appended.forEach((manifest, index) => this.manifests.push({ file, index, line: 1, manifest, kustomizations: chain }));
  }

  /** Applies the kustomization's patches, then its transformers, to the objects it built from `built` on. */
  private patchAndTransform(dir: string, file: string, k: Loose, built: number, unfollowedBefore: number): void {
    // kustomize's order (configureBuiltinTransformers): strategic-merge patches and patches, the namespace, names,
    // labels and annotations, JSON 6902 patches, replicas, images, replacements
    const { patchesJson6902, ...early } = k;
    const component = text(k.kind) === 'Component';
    // a bare file name in patches (a form kustomize refuses, reported below) still names a patch, not an object
    for (const entry of Array.isArray(k.patches) ? k.patches : []) if (typeof entry === 'string') this.notePatchFile(dir, entry);
    const patched = this.patched(
      dir,
      file,
      early,
      this.manifests.slice(built).map((m) => m.manifest),
      component,
    );
    const transformed = applyTransforms(k, patched, (objects) => this.patched(dir, file, { patchesJson6902 }, objects, component));
    for (const p of transformed.problems) this.refused(file, p);
    for (const p of transformed.unmatched) this.refusedUnlessUnbuilt(dir, file, p, 'kustomize-build-fails');
    const { objects, problems } = applyReplacements(k, transformed.objects, (p) => this.patchFile(dir, file, p, 'file'));
    for (const p of problems) this.refusedUnlessUnfollowed(dir, file, p, unfollowedBefore);
    objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
    // a strategic-merge patch's `$patch: delete` removed these objects from the build
    for (let i = this.manifests.length - 1; i >= built; i--) if (this.manifests[i].manifest === null) this.manifests.splice(i, 1);
    // what this build did, for the patches a Flux Kustomization adds to it
    this.builds.set(dir, { renames: ['namespace', 'namePrefix', 'nameSuffix'].some((f) => !!text(k[f])), partlyBuilt: this.partlyBuilt(file) });
  }

  /** The kustomization's vars, tied to the objects it built (resAccumulator.MergeVars, after its transformers). */
  private declareVars(file: string, k: Loose, built: number): void {
    const { vars, problems } = declaredVars(k);
    const objects = this.manifests.slice(built).map((m) => m.manifest);
    problems.push(...tieVars(vars, objects, this.vars));
    for (const p of problems) this.refused(file, p);
    objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
  }

  /** The objects with a kustomization's patches applied, and what kustomize refuses or the reader does not apply reported. */
  private patched(dir: string, file: string, k: Loose, objects: readonly unknown[], component: boolean): unknown[] {
    const patched = applyPatches(k, objects, (p) => this.patchFile(dir, file, p));
    for (const p of patched.invalid) this.problem(file, p, 'error', undefined, 'kustomize-patch-invalid');
    for (const p of patched.unmatched) this.refusedUnlessUnbuilt(dir, file, p, 'kustomize-patch-invalid');
    for (const p of patched.suspicious) this.problem(file, p, 'warning', undefined, 'kustomize-patch-invalid');
    for (const p of patched.mistargeted) this.unselected(dir, file, p, component, true);
    for (const p of patched.unselected) this.unselected(dir, file, p, component, false);
    for (const p of patched.notApplied) this.problem(file, `${p}: the built objects may differ; ${checkTheBuild(dir)}`, 'warning');
    return patched.objects;
  }

  /**
   * A patch whose target selects nothing: kustomize builds without it, silently, so the patch has no effect. An error
   * where the target was meant for an object of the whole build the reader followed (`mistaken`: a version written as
   * group/version, another group...); a warning where it names nothing of the build (a patch kept for an optional
   * component is common), in a Component (meant for several builds) or after a step the reader did not follow.
   */
  private unselected(dir: string, file: string, message: string, component: boolean, mistaken: boolean): void {
    // a build refused below this kustomization (a missing resource) lacks objects and fails anyway: nothing to say
    if (this.refusals > (this.refusalsAt.get(file) ?? this.refusals)) return;
    if (!component && !this.partlyBuilt(file)) return this.problem(file, message, mistaken ? 'error' : 'warning', undefined, 'kustomize-patch-invalid');
    const why = component
      ? 'this Component is meant for several builds, and another may hold the object'
      : `the reader did not follow all of this build (see the warnings above), so the object may come from what it did not read: ${checkTheBuild(dir)}`;
    this.problem(file, `${message}; ${why}`, 'warning', undefined, 'kustomize-patch-invalid');
  }

  /**
   * What kustomize does once a root's objects are all built (kusttarget.go makeCustomizeResMap): generated objects
   * get their content hash, the names that refer to renamed objects follow them, and its build annotations go.
   */
  private finishBuild(file: string, start: number, unfollowedBefore: number): void {
    // generated objects get their content hash first (addHashesToNames), so that references follow it too
    const hashed = this.manifests
      .slice(start)
      .map(({ manifest: m }) => (isMapping(m) && needsHash(m) ? renamed(m, `${text(mapping(m.metadata).name) ?? ''}-${contentHash(m)}`) : m));
    const named = fixNameReferences(hashed, this.configured);
    // with the references fixed, the vars take their objects' final values (kusttarget.go makeCustomizeResMap)
    const { objects, problems } = resolveVars(this.vars, named.objects, this.varReferences);
    for (const p of [...named.problems, ...problems]) this.refusedUnlessUnfollowed(path.dirname(file), file, p, unfollowedBefore);
    objects.forEach((o, i) => {
      const movedFrom = movedNamespace(o);
      this.manifests[start + i] = { ...this.manifests[start + i], manifest: withoutBuildAnnotations(o), ...(movedFrom ? { movedFrom } : {}) };
    });
  }

  /**
   * Drops the objects of the root built from `start` on that an earlier root built the same (same file, same object):
   * a base several overlays include is checked once, and once more for each overlay that changes it.
   */
  private dropRepeats(start: number): void {
    const kept = this.manifests.slice(start).filter((m) => {
      const signature = `${m.file}\0${JSON.stringify(m.manifest)}`;
      if (this.builtBefore.has(signature)) return false;
      this.builtBefore.add(signature);
      return true;
    });
    this.manifests.splice(start, this.manifests.length - start, ...kept);
  }

  /** The text of a patch (or generator, replacement) file a kustomization names, read under the load restrictor; undefined when reported. */
  private patchFile(dir: string, file: string, entry: string, what: 'patch' | 'file' = 'patch'): string | undefined {
    const found = this.listedFile(dir, file, entry, what);
    return found && this.load(found.target, found.st);
  }

  /** The bytes of a file a generator names (any bytes: a keystore, a certificate), read as patch files are. */
  private generatorFile(dir: string, file: string, entry: string): Buffer | undefined {
    const found = this.listedFile(dir, file, entry, 'file');
    if (!found) return undefined;
    if (found.st.size > this.maxFileBytes) {
      this.problem(found.target, `is more than the ${this.maxFileBytes} bytes a file may have: not read`);
      return undefined;
    }
    try {
      return fs.readFileSync(found.target);
    } catch (e) {
      this.problem(found.target, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  }

  /** A file named as a patch in a form kustomize refuses: not an object of the folder, whatever else is said of it. */
  private notePatchFile(dir: string, entry: string): void {
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    if (fs.existsSync(target)) this.patchFiles.add(realPath(target));
  }

  /** A file a kustomization lists (a patch, a generator's or a replacement's file), under the load restrictor; undefined when reported. */
  private listedFile(dir: string, file: string, entry: string, what: 'patch' | 'file'): { target: string; st: fs.Stats } | undefined {
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    const st = this.stat(target, () =>
      this.refused(file, `lists the ${what} '${entry}', which does not exist (${target}): kustomize build fails, so Argo CD cannot sync this root`),
    );
    if (!st) return undefined;
    if (this.outsideRoot(dir, file, entry, target)) return undefined;
    if (!st.isFile()) {
      this.refused(file, `lists the ${what} '${entry}', which is not a regular file: kustomize build fails`);
      return undefined;
    }
    this.patchFiles.add(realPath(target));
    return { target, st };
  }

  /** A kustomization file parsed, or undefined with the problem reported. */
  private kustomizationOf(file: string, walked: boolean): Loose | undefined {
    const st = this.stat(file);
    if (!st) return undefined;
    const source = this.load(file, st);
    if (source === undefined) return undefined;
    const parsed = parseFirstDocument(source);
    if ('error' in parsed) {
      this.refused(file, `is not valid YAML: ${parsed.error}`);
      return undefined;
    }
    if (parsed.value === null || parsed.value === undefined) {
      this.empty(file, 'is empty: kustomize refuses it ("kustomization.yaml is empty")', walked);
      return undefined;
    }
    if (!isMapping(parsed.value)) {
      this.refused(file, 'is not a kustomization (a YAML mapping)');
      return undefined;
    }
    // kusttarget.go Load: a kustomization equal to the empty one once apiVersion and kind are set is refused
    if (Object.entries(parsed.value).every(([key, v]) => key === 'apiVersion' || key === 'kind' || v === null)) {
      this.empty(file, 'is empty (it sets nothing but apiVersion and kind): kustomize refuses it ("kustomization.yaml is empty")', walked);
      return undefined;
    }
    return parsed.value;
  }

  /** One entry of a kustomization's resources or components. `chain` ends with the folder of the kustomization. */
  private entry(
    dir: string,
    file: string,
    entry: string,
    role: 'resources' | 'components',
    seen: Set<string>,
    ns: string | undefined,
    chain: readonly string[],
    accumulated?: number,
  ): 'missing' | undefined {
    if (isRemote(entry)) {
      this.unbuilt++;
      this.problem(
        file,
        `${role === 'components' ? 'component' : 'resource'} '${entry}' is remote: not followed (check the real build: cdk8s-vllm check --kustomize kubectl <tree>, or kubectl kustomize … | cdk8s-vllm check -)`,
        'warning',
      );
      return undefined;
    }
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    if (seen.has(target)) {
      this.refused(file, `lists '${entry}' twice: kustomize refuses the build ("may not add resource with an already registered id"); list it once`);
      return undefined;
    }
    seen.add(target);
    // a listed path that is not there fails the build: say so at the kustomization that lists it
    let missing = false;
    const tst = this.stat(target, () => {
      missing = true;
      this.refused(file, `lists '${entry}', which does not exist (${target}): kustomize build fails, so Argo CD cannot sync this root`);
    });
    if (!tst) return missing ? 'missing' : undefined;
    if (!tst.isDirectory()) {
      if (this.outsideRoot(dir, file, entry, target)) return undefined;
      this.file(target, tst, ns, chain);
      return undefined;
    }
    if (this.cycle(file, entry, target, chain)) return undefined;
    const inner = this.kustomizationFile(target);
    if (inner) this.kustomization(target, inner, ns, chain, role, accumulated);
    else
      this.refused(
        file,
        `${role} entry '${entry}' is a folder without a kustomization file (${target}): kustomize refuses the build ("unable to find one of ` +
          `${KUSTOMIZATION_FILES.map((f) => `'${f}'`).join(', ')} in directory"), so Argo CD cannot sync this root; add a kustomization.yaml to ` +
          `${entry} that lists its manifests`,
      );
    return undefined;
  }

  /**
   * kustomize's load restrictor (api/internal/loader/loadrestrictions.go RestrictionRootOnly): a file, its symlinks
   * resolved, must be in or below the folder of the kustomization that lists it. Folders are not restricted: they are
   * kustomizations of their own (`../base`).
   */
  private outsideRoot(dir: string, file: string, entry: string, target: string): boolean {
    if (this.unrestricted()) return false;
    let real: string;
    let root: string;
    try {
      real = fs.realpathSync(target);
      root = fs.realpathSync(dir);
    } catch {
      return false;
    }
    if (real.startsWith(root + path.sep)) return false;
    // one finding per kustomization, naming how many files and the first few
    const group = this.outside.get(file);
    if (group?.entries.has(entry)) return true;
    if (!group) {
      const at = this.errors.length;
      this.refused(file, outsideMessage(dir, [entry], real));
      if (this.errors.length > at) this.outside.set(file, { at, entries: new Set([entry]), first: real });
      return true;
    }
    group.entries.add(entry);
    this.refusals++;
    this.errors[group.at] = { ...this.errors[group.at], message: outsideMessage(dir, [...group.entries], group.first) };
    return true;
  }

  /**
   * kustomize refuses a folder that is, or contains, a kustomization being built (fileloader.go errIfArgEqualOrHigher:
   * "cycle detected: candidate root … contains visited root …"): `.`, an empty entry, a parent, or a → b → a.
   */
  private cycle(file: string, entry: string, target: string, chain: readonly string[]): boolean {
    let candidate: string;
    try {
      candidate = fs.realpathSync(target);
    } catch {
      return false;
    }
    for (const visited of chain) {
      let real: string;
      try {
        real = fs.realpathSync(visited);
      } catch {
        continue;
      }
      if (real === candidate || real.startsWith(candidate + path.sep)) {
        this.refused(
          file,
          `lists '${entry}' (${target}), which contains ${visited}, a kustomization already being built: a cycle, kustomize refuses it ("cycle detected")`,
        );
        return true;
      }
    }
    return false;
  }

  /**
   * A file of a folder or a path given on its own (`walked`: met in a folder): `namespace` and `chain` are those of the
   * kustomization that lists it.
   */
  private file(file: string, st: fs.Stats, namespace: string | undefined, chain: readonly string[] = [], walked = false): void {
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
      this.problem(file, `is ${what}: not read`);
      return;
    }
    const real = realPath(file);
    // one file is one set of objects per namespace: a base that overlays put into different namespaces is read for each
    const key = `${real}\0${namespace ?? ''}`;
    // within one build, a file reached twice (two overlays of one base) adds its objects twice: marked, so that the
    // kustomization that merges them can tell a copy renamed on the way from one kustomize refuses
    let again = false;
    if (chain.length) {
      const root = this.rootReads.get(chain[0]) ?? new Set<string>();
      this.rootReads.set(chain[0], root);
      again = root.has(key);
      root.add(key);
    }
    // a file of a kustomization is read again for each root that builds it (the root's patches may edit it otherwise);
    // what a root builds exactly as an earlier root did is dropped when the root ends
    if (this.readFiles.has(key) && !chain.length) return;
    this.readFiles.add(key);
    if (!chain.length && file.endsWith('.jsonnet')) return this.jsonnet(file);
    const source = this.load(file, st);
    if (source === undefined) return;
    const before = this.manifests.length;
    if (!chain.length && file.endsWith('.json')) this.jsonFile(source, file, walked);
    else this.parse(source, file, chain, again);
    if (chain.length) return;
    // what no kustomization lists: how it reached the input, and whether it looks like a template someone renders first
    const template = this.templateReason(file, source);
    for (let i = before; i < this.manifests.length; i++)
      this.manifests[i] = { ...this.manifests[i], ...(walked ? { walked } : {}), ...(template ? { template } : {}) };
  }

  /**
   * Why a file read outside kustomizations is a template rather than a manifest applied as it is: its name says so
   * (`secret.tmpl.yaml`, `secret.yaml.template`), or a README beside it renders the folder with envsubst.
   */
  private templateReason(file: string, source: string): string | undefined {
    const name = path.basename(file);
    if (TEMPLATE_NAME.test(name)) return `its name ${name} marks a template`;
    const dir = path.dirname(file);
    if (!this.readmes.has(dir)) this.readmes.set(dir, this.readmeRenders(dir));
    const readme = this.readmes.get(dir);
    if (readme) return `${readme} beside it renders it with envsubst`;
    // the rest matters only to a file with template syntax: the tree's scripts are read for the first such file
    if (!/\$\{|\{\{|\$\(/.test(source)) return undefined;
    const comment = commentRenderer(source);
    if (comment) return `its own comment renders it ('${comment}')`;
    const by = this.root ? this.renderIndex(this.root).renderedBy(file) : undefined;
    return by ? `${by.script} (line ${by.line}) renders it with ${by.renderer} before applying it` : undefined;
  }

  /** The renderings of the scripts of a tree given as input, read once per tree. */
  private renderIndex(root: string): RenderIndex {
    const known = this.renderIndexes.get(root) ?? new RenderIndex(root);
    this.renderIndexes.set(root, known);
    return known;
  }

  /** The README of a folder that says to run envsubst, if any. */
  private readmeRenders(dir: string): string | undefined {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir).filter((e) => /^readme(\.\w+)?$/i.test(e));
    } catch {
      return undefined;
    }
    for (const e of entries.sort()) {
      const full = path.join(dir, e);
      const st = fs.statSync(full, { throwIfNoEntry: false });
      const read = st?.isFile() ? readBounded(full, st, this.maxFileBytes) : undefined;
      if (read && 'text' in read && /\benvsubst\b/.test(read.text)) return e;
    }
    return undefined;
  }

  /**
   * A .json file read on its own, as kubectl and Argo CD's directory source read it: one object (a List's items), or
   * a stream of them; one that is not one object is told in `unread`, as Argo CD refuses it.
   */
  private jsonFile(source: string, file: string, walked: boolean): void {
    const read = readJsonFile(source, walked);
    for (const p of read.problems) this.problem(file, p.message, p.severity, p.line, p.kind);
    for (const { index, line, manifest } of read.objects) this.manifests.push({ file, index, line, manifest });
    if (read.notManifest) this.unread.push({ file, kind: 'not-manifest', holds: read.notManifest });
  }

  /** A Jsonnet file: its objects exist once evaluated, which check does not do. */
  private jsonnet(file: string): void {
    this.problem(
      file,
      "is Jsonnet: check does not evaluate it, so the objects it yields are not checked (Argo CD's directory source evaluates it, " +
        'with directory.jsonnet extVars, tlas and libs); check its output instead: argocd app manifests <app> | cdk8s-vllm check -, ' +
        `or jsonnet ${file} | cdk8s-vllm check - (jsonnet -y for a file that yields an array)`,
      'warning',
    );
    this.unread.push({ file, kind: 'jsonnet' });
  }

  /**
   * A dot file of a folder outside kustomize folders: not read as a manifest (.cdk8s-vllm.json, editor settings), but
   * Argo CD's directory source reads it like any other, so one it would evaluate or refuse is told in `unread`.
   */
  private dotFile(file: string): void {
    if (!/\.json(net)?$/.test(file)) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      // a dangling link: Argo CD skips it too ("destination of symlink is missing")
      return;
    }
    if (!st.isFile()) return;
    if (file.endsWith('.jsonnet')) {
      this.unread.push({ file, kind: 'jsonnet' });
      return;
    }
    const read = readBounded(file, st, this.maxFileBytes);
    const holds = 'text' in read ? readJsonFile(read.text, true).notManifest : 'no text (binary, unreadable or too large)';
    if (holds) this.unread.push({ file, kind: 'not-manifest', holds });
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
      const real = realPath(file);
      if (read.has(real) || this.patchFiles.has(real)) continue;
      out.push(...this.asWritten(file));
    }
    return out;
  }

  /**
   * An input with no delivery of its own (no kustomization, Helm chart, Argo CD Application or Flux Kustomization) is
   * applied as it is read (kubectl apply -f <folder>): a document there with a kind but no apiVersion fails that apply,
   * an error; elsewhere it is a file no root delivers (or one a directory source reads, which
   * argocd-directory-file-invalid judges) and stays a warning.
   */
  public versionlessApplied(): void {
    const delivers = this.manifests.some((m) => isMapping(m.manifest) && [...DIRECTORY_SOURCE_KINDS, 'Kustomization'].includes(String(m.manifest.kind)));
    if (this.builds.size || this.charts.size || delivers) return;
    this.errors.forEach((e, i) => {
      const versionless = e.severity === 'warning' ? NO_API_VERSION.exec(e.message) : null;
      if (versionless)
        this.errors[i] = {
          ...e,
          severity: 'error',
          message: `${versionless[1]}: the input has no kustomization, chart or Argo CD Application, so its files are applied as they are (kubectl apply -f), and ${API_VERSION_REFUSED}`,
        };
    });
  }

  /** The objects of a file as written (no kustomization applied); none when it is gone, too large or not text. */
  private asWritten(file: string): LoadedManifest[] {
    const written = this.writtenText(file);
    if (written === undefined) return [];
    return parseDocuments(written, file.endsWith('.json')).objects.map(({ index, line, manifest }) => ({ file, index, line, manifest }));
  }

  /** A file's text; undefined when it is gone, too large or not text. */
  private writtenText(file: string): string | undefined {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return undefined;
    }
    const result = readBounded(file, st, this.maxFileBytes);
    return 'text' in result ? result.text : undefined;
  }

  /**
   * The objects of the files in kustomize folders as they are written, kustomization files included: what Argo CD's
   * directory source applies when a source sets `directory` on such a folder (it reads files, it does not build).
   */
  public plain(): LoadedManifest[] {
    const built = new Set([...this.readFiles].map((k) => k.slice(0, k.indexOf('\0'))));
    return this.plainFiles.flatMap((file) => {
      const written = this.writtenText(file);
      if (written === undefined) return [];
      const { objects, problems } = parseDocuments(written, file.endsWith('.json'));
      // what a directory source reads here that does not parse, told once: reported already when a kustomization reads the file
      this.unread.push(...unreadOf(file, written, problems, built.has(realPath(file))));
      return objects.map(({ index, line, manifest }) => ({ file, index, line, manifest }));
    });
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

  public parse(source: string, file: string, chain: readonly string[] = [], again = false): void {
    const { objects, problems } = parseDocuments(source, file.endsWith('.json'));
    // a file read again in one build says its problems once
    // in a kustomization's resources a document that is no object is refused below, not skipped
    const skipped = chain.length ? problems.filter((p) => !NOT_AN_OBJECT.test(p.message) && !NO_API_VERSION.test(p.message)) : problems;
    if (!again)
      for (const p of skipped.map((x) => (chain.length ? listedTemplate(x, chain[chain.length - 1]) : x)))
        this.problem(file, p.message, p.severity, p.line, p.kind);
    // a file of a folder read whole is what Argo CD's directory source reads there too
    if (!chain.length && !again) this.unread.push(...unreadOf(file, source, problems, true));
    if (chain.length && !again) this.resourceMetadata(file, chain[chain.length - 1], problems, objects);
    // a nameless resource fails the build (refused above): it is no object of it
    const kept = chain.length ? objects.filter(({ manifest }) => String(manifest.kind).endsWith('List') || text(mapping(manifest.metadata).name)) : objects;
    for (const { index, line, manifest: read, comment } of kept) {
      // a kustomization's namespace is set by its transformers, as kustomize sets it, not as the file is read
      const manifest = again ? markedReadAgain(read) : read;
      this.manifests.push({ file, index, line, manifest, ...(chain.length ? { kustomizations: chain } : {}), ...(comment ? { comment } : {}) });
    }
  }

  /**
   * kustomize's resource factory takes every document of a resource file only with a kind and a name (kyaml
   * rnode.go GetValidatedMetadata, called by api/resource/factory.go dropBadNodes): a document with no apiVersion,
   * kind or metadata ("missing Resource metadata"), one without a kind, or one without metadata.name (a List excepted)
   * fails the build. A kustomization file listed as a resource is the usual case: it has a kind but no name.
   */
  private resourceMetadata(file: string, dir: string, problems: readonly TextProblem[], objects: readonly ParsedObject[]): void {
    const what = (n: number, says: string) =>
      `document ${n} ${says}: kustomize refuses it as a resource of ${dir} (every resource needs a kind and metadata.name)`;
    const listedKustomization = KUSTOMIZATION_FILES.includes(path.basename(file));
    const drop = "a kustomization file never goes in resources: remove it (list its folder instead when it is another kustomization's)";
    for (const p of problems.filter((x) => NOT_AN_OBJECT.test(x.message)))
      this.refused(
        file,
        `${what(Number(NOT_AN_OBJECT.exec(p.message)![1]), 'is no object with a kind ("missing Resource metadata")')}; ${listedKustomization ? drop : 'remove the file from resources, or complete it'}`,
      );
    // kustomize builds a document with a kind and a name but no apiVersion; the apply refuses it
    for (const p of problems.filter((x) => NO_API_VERSION.test(x.message)))
      this.problem(file, `${NO_API_VERSION.exec(p.message)![1]}: kustomize builds it into ${dir}, but ${API_VERSION_REFUSED}`, 'error', p.line);
    for (const { index, manifest } of objects) {
      const kind = String(manifest.kind);
      if (kind.endsWith('List') || text(mapping(manifest.metadata).name)) continue;
      const kustomization = /^kustomize\.config\.k8s\.io\//.test(String(manifest.apiVersion)) || listedKustomization;
      this.refused(
        file,
        kustomization
          ? `${what(index + 1, `is a ${kind}, not a resource ("missing metadata.name in object {${String(manifest.apiVersion)} ${kind}}")`)}; ${drop}`
          : `${what(index + 1, `(${kind}) has no metadata.name ("missing metadata.name in object")`)}; give it a name`,
      );
    }
  }

  /**
   * An empty kustomization: refused when something builds it (a parent lists it, or it is the folder checked); one met
   * walking a folder is said as a note until readManifests finds an Application path or a script that builds it.
   */
  private empty(file: string, message: string, walked: boolean): void {
    if (!walked) return this.refused(file, message);
    this.placeholders.push({
      file,
      dir: path.dirname(file),
      root: this.root,
      error: { file, message, severity: 'error', kind: 'kustomize-build-fails' },
      at: this.errors.length,
    });
    this.problem(
      file,
      `is a placeholder kustomization: kustomize refuses to build it ("kustomization.yaml is empty"); nothing in the input builds it (no kustomization lists it, no Application path or script names it)`,
      'info',
      undefined,
      'kustomize-build-fails',
    );
  }

  /** The empty kustomizations met walking a folder, and the error each is when something of the input builds it. */
  public placeholderErrors(builds: (dir: string, root: string | undefined) => string | undefined): void {
    for (const p of this.placeholders) {
      const by = this.errors[p.at]?.file === p.file ? builds(p.dir, p.root) : undefined;
      if (by) this.errors[p.at] = { ...p.error, message: `${p.error.message}, and ${by} builds it; give it resources, or stop building it` };
    }
  }

  /** A problem that makes kustomize refuse the build of the root (rule kustomize-build-fails). */
  private refused(file: string, message: string): void {
    this.problem(file, message, 'error', undefined, 'kustomize-build-fails');
  }

  /**
   * A refusal that depends on the objects' content (a replacement's field, a name reference) is kustomize's verdict
   * only when the reader applied all of the build so far: after a step it did not follow (a strategic-merge directive,
   * a remote base, a plugin), the field may well be there in kustomize's build, so it is said as a warning.
   */
  private refusedUnlessUnfollowed(
    dir: string,
    file: string,
    message: string,
    unfollowedBefore: number,
    rule: 'kustomize-build-fails' | 'kustomize-patch-invalid' = 'kustomize-build-fails',
  ): void {
    this.refusedOrWarned(
      this.unfollowed === unfollowedBefore,
      dir,
      file,
      message,
      rule,
      'the reader did not follow all of this build (see the warnings above), so kustomize may build it',
    );
  }

  /**
   * kustomize's refusal as an error where the reader's build is certain; else a warning saying why kustomize may build
   * it after all, and to check the real build.
   */
  private refusedOrWarned(certain: boolean, dir: string, file: string, message: string, rule: NonNullable<ManifestReadError['kind']>, why: string): void {
    if (certain) return this.problem(file, message, 'error', undefined, rule);
    this.problem(file, `${message}; ${why}: ${checkTheBuild(dir)}`, 'warning');
  }

  /** Whether a step the reader did not follow may have added objects to the kustomization's build. */
  private partlyBuilt(file: string): boolean {
    return this.unbuilt > (this.unbuiltAt.get(file) ?? this.unbuilt);
  }

  /**
   * A refusal because an object a patch or replicas entry names is not in the build: kustomize's verdict only when
   * the reader built all of it; after a remote base, a Helm chart or a generator plugin, the object may come from
   * there, so it is said as a warning.
   */
  private refusedUnlessUnbuilt(dir: string, file: string, message: string, rule: 'kustomize-build-fails' | 'kustomize-patch-invalid'): void {
    this.refusedOrWarned(!this.partlyBuilt(file), dir, file, message, rule, 'the object may come from what the reader did not build (see the warnings above)');
  }

  private problem(file: string, message: string, severity: ManifestReadError['severity'] = 'error', line?: number, kind?: ManifestReadError['kind']): void {
    // a base or component that several roots include is read once per root: say each thing once
    const key = `${file}\0${line ?? ''}\0${message}`;
    // a warning of no rule is a step of the build the reader did not follow (counted each time: a base read again for
    // another root is not followed there either)
    if (severity === 'warning' && kind === undefined) this.unfollowed++;
    if (severity === 'error' && kind === 'kustomize-build-fails') this.refusals++;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.errors.push({ file, message, severity, ...(line ? { line } : {}), ...(kind ? { kind } : {}) });
  }
}
