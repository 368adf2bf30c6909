import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, strings, text } from './access';
import { ENTRY_FIELDS, isRemote, KUSTOMIZATION_FILES, remoteBranchInPath } from './kustomization';
import { IdScan, objectsNamed, readAgain, repeatedIds } from './build-ids';
import { KustomizationBuild, LoadedManifest } from './loaded';
import { accumulatorClashes, emittedBy, knownRemoteBase, ListedRemoteBase, RemoteEmitted, RemoteRegistry, throughKustomization } from './remote-bases';
import type { ReadOptions } from './read-options';
import { ReadProblems } from './read-problems';
import { ListedFiles } from './listed-files';
import { parseKustomization } from './kustomization-files';
import { RESOURCE_FILE } from './listed-resources';
import { readRenamedInstead, renamedInsteadMessage } from './renamed-resources';
import { KustomizationSteps } from './kustomize-steps';

/**
 * A kustomization root built as kustomize v5 builds it, by the real kustomize when one is given, else by the reader:
 * its resources, bases and components accumulated (files read only inside the kustomization's folder, folders only
 * when no ancestor of a kustomization being built, remote ones reported), then the kustomization's steps
 * (kustomize-steps.ts) applied; what kustomize refuses is said where it refuses it.
 */

/** What the build needs of the reader that composes it: the objects read so far, and how it reads folders and files. */
export interface BuildHost {
  readonly manifests: LoadedManifest[];
  readonly maxFileBytes: number;
  /** The folder given as input being read. */
  readonly root: string | undefined;
  enter(dir: string, body: () => void): void;
  list(dir: string): string[] | undefined;
  stat(p: string, missing?: () => void): fs.Stats | undefined;
  load(file: string, st: fs.Stats): string | undefined;
  file(file: string, st: fs.Stats, namespace: string | undefined, chain?: readonly string[]): void;
  parse(source: string, file: string, chain?: readonly string[]): void;
  /** The script of the tree that writes a file before the build, said as where and how. */
  writtenBy(file: string): string | undefined;
  /** The .gitignore line that makes git ignore a file, said as where. */
  ignoredBy(file: string): string | undefined;
}

export class KustomizeBuild {
  /** Whether the reader builds a root itself although the real kustomize was given (kustomize stopped at a missing file). */
  private readerBuilds = false;
  /** Per kustomization root, the files (real path and namespace) its build has read. */
  private readonly rootReads = new Map<string, Set<string>>();
  /**
   * The objects each kustomization that another includes builds on its own (its own step, before the including ones
   * transform them), attributed to its folder alone: what an Argo CD source on that folder builds.
   */
  public readonly ownBuilds: LoadedManifest[] = [];
  private readonly ownBuilt = new Set<string>();
  /** What the roots built so far, by file and object: a later root that builds the same adds nothing but its name to the first copy. */
  private readonly builtBefore = new Map<string, LoadedManifest>();
  /** The well-known remote resources the builds list (lib/manifests/remote-bases.ts), with the kustomization that lists each. */
  public readonly remoteBases: ListedRemoteBase[] = [];
  /** Per kustomization folder, the catalogued objects the remote resources of its build add, as its transformers leave them. */
  private readonly remoteEmitted = new Map<string, RemoteEmitted[]>();
  /** The folder of the root being built. */
  private currentRoot: string | undefined;
  /** Whether the root being built was met walking a folder (not given, not listed). */
  private walkedRoot = false;
  /** Whether the real kustomize refused a file outside a kustomization's folder. */
  private restrictedBuild = false;
  /** The files the kustomizations list, read under the load restrictor. */
  public readonly files: ListedFiles;
  private readonly steps: KustomizationSteps;
  private readonly manifests: LoadedManifest[];

  constructor(
    private readonly host: BuildHost,
    private readonly problems: ReadProblems,
    private readonly options: Pick<ReadOptions, 'build' | 'loadRestrictor' | 'enableHelm'>,
  ) {
    this.manifests = host.manifests;
    this.files = new ListedFiles(
      {
        maxFileBytes: host.maxFileBytes,
        stat: (p, missing) => host.stat(p, missing),
        load: (f, st) => host.load(f, st),
        unrestricted: () => this.unrestricted(),
        writtenBy: (f) => host.writtenBy(f),
        ignoredBy: (f) => host.ignoredBy(f),
      },
      problems,
    );
    this.steps = new KustomizationSteps(this.manifests, problems, this.files, {
      helmEnabled: () => this.helmEnabled(),
      unrestricted: () => this.unrestricted(),
    });
  }

  /** Per kustomization folder: whether it renames (namespace, namePrefix, nameSuffix), and whether its build has steps the reader did not follow. */
  public get builds(): ReadonlyMap<string, KustomizationBuild> {
    return this.steps.builds;
  }

  /** Takes the builds of another read (a folder a Flux Kustomization builds outside the checked ones) as this read's. */
  public joinBuilds(other: ReadonlyMap<string, KustomizationBuild>): void {
    for (const [k, b] of other) if (!this.steps.builds.has(k)) this.steps.builds.set(k, b);
  }

  /** Builds a root kustomization (`walked`: met walking a folder, neither given nor listed). */
  public buildRoot(dir: string, file: string, walked: boolean, extraComponents: readonly string[] = []): void {
    this.walkedRoot = walked;
    this.extraComponents = extraComponents;
    try {
      this.kustomization(dir, file, undefined);
    } finally {
      this.walkedRoot = false;
      this.extraComponents = [];
    }
  }

  /**
   * Component folders the root being built is read with as if its kustomization listed them last under components: an
   * unlisted Component beside it (folder-reader walk), whose patches are meant for a kustomization like it.
   */
  private extraComponents: readonly string[] = [];

  /** Whether the root `root`'s build read the file (real path and namespace) before: marked read, as reaching it again adds its objects again. */
  public readAgain(root: string, key: string): boolean {
    const reads = this.rootReads.get(root) ?? new Set<string>();
    this.rootReads.set(root, reads);
    const again = reads.has(key);
    reads.add(key);
    return again;
  }

  /** Whether the root being built may list files outside its folders (`--load-restrictor LoadRestrictionsNone`). */
  public unrestricted(): boolean {
    const r = this.options.loadRestrictor;
    return (typeof r === 'function' ? (this.currentRoot === undefined ? undefined : r(this.currentRoot)) : r) === 'LoadRestrictionsNone';
  }

  /** Whether a kustomization of the read has helmCharts entries. */
  public get helmChartsMet(): boolean {
    return this.steps.helmChartsMet;
  }

  /** Whether the root being built is built with Helm enabled (`--enable-helm`): its helmCharts are inflated. */
  public helmEnabled(): boolean {
    const h = this.options.enableHelm;
    return typeof h === 'function' ? this.currentRoot !== undefined && h(this.currentRoot) : h === true;
  }

  /** Whether the load restrictor refused a file of the input. */
  public restricted(): boolean {
    return this.files.refusedOutside() || this.restrictedBuild;
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
      if (result.unreachable)
        this.problems.problem(file, `was not checked: kustomize could not fetch a remote resource from here (${result.error})`, 'warning');
      else if (/no such file or directory/.test(result.error)) return result.error;
      else if (/kustomization\.yaml is empty/.test(result.error))
        this.problems.empty(file, `is empty: kustomize refuses it (${result.error})`, this.walkedRoot, this.host.root);
      else this.problems.refused(file, `kustomize build fails, so Argo CD cannot sync this root: ${result.error}`);
      return undefined;
    }
    const before = this.manifests.length;
    this.host.parse(result.output, file, [dir]);
    // built objects have no line of their own in the repository: they are found by the root's kustomization
    for (let i = before; i < this.manifests.length; i++) this.manifests[i] = { ...this.manifests[i], line: 1 };
    return undefined;
  }

  /**
   * The kustomization file of a folder, or undefined; more than one is refused as kustomize refuses it
   * (api/konfig RecognizedKustomizationFileNames, "Found multiple kustomization files"), and the first is read.
   */
  public kustomizationFile(dir: string, entries?: readonly string[]): string | undefined {
    const found = KUSTOMIZATION_FILES.filter((f) => (entries ? entries.includes(f) : fs.existsSync(path.join(dir, f))));
    if (found.length > 1)
      this.problems.refused(
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
      this.host.enter(dir, () => (missing = this.built(dir, file, this.options.build!)));
      if (missing === undefined) return;
      // kustomize stopped at a missing file: the reader builds what exists, and says what is missing
      const refusals = this.problems.errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').length;
      this.readerBuilds = true;
      try {
        this.kustomization(dir, file, undefined);
      } finally {
        this.readerBuilds = false;
      }
      // kustomize's own words when the reader found nothing missing
      if (this.problems.errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').length === refusals)
        this.problems.refused(file, `kustomize build fails, so Argo CD cannot sync this root: ${missing}`);
      return;
    }
    // a root read again (the same path given twice) is a new build
    if (chain.length === 0) {
      this.rootReads.delete(dir);
      this.steps.newRoot();
    }
    this.host.enter(dir, () => {
      const k = parseKustomization(file, this.walkedRoot && chain.length === 0, this.host, this.problems);
      if (!k) return;
      const unfollowedBefore = this.problems.unfollowedSteps;
      this.problems.buildBegins(file);
      this.steps.reportShape(dir, file, k, role);
      this.steps.configure(dir, file, k);
      // the namespace the objects end in (the outermost kustomization's wins): a file read under two is two sets of objects
      const ns = namespace ?? text(k.namespace);
      // a Component adds to the accumulator of the kustomization that lists it, and its patches and transformers edit all
      // of that one's objects so far (kusttarget.go accumulateDirectory: "Components don't create a new accumulator")
      const built = role === 'components' && accumulated !== undefined ? accumulated : this.manifests.length;
      this.accumulate(dir, file, k, ns, [...chain, dir], built);
      this.steps.patchAndTransform(dir, file, k, built, unfollowedBefore);
      this.steps.declareVars(file, k, built);
      if (chain.length && role === 'resources' && !this.ownBuilt.has(dir)) {
        this.ownBuilt.add(dir);
        this.ownBuilds.push(...this.manifests.slice(built).map((m) => ({ ...m, kustomizations: [dir] })));
      }
      if (chain.length === 0) {
        this.steps.finishBuild(file, built, unfollowedBefore);
        this.dropRepeats(built);
      }
    });
  }

  /**
   * Each entry of a kustomization's resources and bases, then its generators, then each of its components, in order
   * (kusttarget.go accumulateTarget: accumulateResources, runGenerators, accumulateComponents — components run after
   * the generators since kustomize v5.1, so a component's replacements and patches see the objects its parent
   * generates); `chain` ends with the kustomization's folder. The objects an entry adds join the build as kustomize
   * appends them (resWrangler.AppendAll): a file reached a second time in one build adds its objects again, which
   * kustomize refuses unless they were renamed on the way (a prefix, a patch of the name).
   */
  private accumulate(dir: string, file: string, k: Loose, ns: string | undefined, chain: readonly string[], built: number): void {
    const entries: EntryAccumulation = {
      seen: new Set(),
      missing: [],
      registry: { local: new Map(), remote: new Map(), emitted: [] },
      again: [],
      ids: { entries: [], seen: new Map() },
    };
    for (const field of ENTRY_FIELDS.filter((f) => f !== 'components'))
      this.accumulateEntries(dir, file, strings(k[field]), 'resources', ns, chain, built, entries);
    this.steps.generate(dir, file, k, chain, built);
    this.accumulateEntries(dir, file, strings(k.components), 'components', ns, chain, built, entries);
    // the root's extra Components come after its own entries, as the last of its components
    if (chain.length === 1)
      for (const extra of this.extraComponents)
        this.entry(dir, file, path.relative(dir, extra).split(path.sep).join('/'), 'components', entries.seen, ns, chain, built);
    for (const p of declaredAgainMessages(entries.again, chain[0])) this.problems.refused(file, p);
    this.remoteEmitted.set(path.resolve(dir), throughKustomization(entries.registry.emitted, text(k.namespace)));
    if (entries.missing.length) this.unlistedInstead(dir, file, k, entries.missing, ns, chain);
  }

  /** The entries of one field (resources and bases, or components) added to the build, what they add checked as accumulate says. */
  private accumulateEntries(
    dir: string,
    file: string,
    list: readonly string[],
    role: 'resources' | 'components',
    ns: string | undefined,
    chain: readonly string[],
    built: number,
    acc: EntryAccumulation,
  ): void {
    for (const entry of list.filter((e) => e !== '')) {
      const before = this.manifests.length;
      if (this.entry(dir, file, entry, role, acc.seen, ns, chain, built) === 'missing' && RESOURCE_FILE.test(entry)) acc.missing.push(entry);
      const kept = this.withoutAddedAgain(file, entry, chain, built, before, acc);
      this.remoteClashes(file, dir, entry, kept, acc.registry, ns);
    }
  }

  /**
   * The objects an entry added (from `before`), less those whose id an object of the accumulator (from `built`) already
   * has, each refused as kustomize refuses it: it appends every object of a listed file, and every object an included
   * kustomization built, to the accumulator one at a time (kusttarget.go accumulateFile, accumulateDirectory →
   * ResAccumulator.AppendAll), and resWrangler.Append refuses an id it holds (kyaml/resid ResId.Equals on the current
   * ids, after the included build's own namespace and name affixes, before the including one's): "may not add resource
   * with an already registered id". A Component adds to the accumulator of the kustomization that lists it, so its
   * objects meet those of that kustomization's earlier resources and components. kustomize keeps the first; so does the
   * reader, and goes on with the rest of the build.
   */
  private withoutAddedAgain(
    file: string,
    entry: string,
    chain: readonly string[],
    built: number,
    before: number,
    { again: declaredAgain, ids }: EntryAccumulation,
  ): LoadedManifest[] {
    const again = repeatedIds(this.manifests, built, ids);
    if (!again.length) return this.manifests.slice(before);
    // the same file reached twice (two overlays of one base) and two declarations of one id are told apart
    const twice = again.filter(({ later, first }) => isMapping(later.manifest) && readAgain(later.manifest) && later.file === first.file);
    // two declarations of one id: said once per id when the kustomization's entries are all added
    declaredAgain.push(...again.filter((a) => !twice.includes(a)).map((a) => ({ ...a, entry })));
    // kustomize stops at the first: one finding per entry, naming each object added again
    if (twice.length) {
      const files = [...new Set(twice.map(({ later }) => later.file))];
      this.problems.refused(
        file,
        `${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} reached twice in the build of ${chain[0]} (last through '${entry}'), and ${files.length > 1 ? 'add' : 'adds'} ${objectsNamed(
          twice.map((a) => a.later),
          false,
        )} again: kustomize refuses the build ("may not add resource with an already registered id"); include it once, or rename one copy (namePrefix, nameSuffix)`,
      );
    }
    const dropped = new Set(again.map((a) => a.later));
    const kept = this.manifests.slice(built).filter((m) => !dropped.has(m));
    this.manifests.splice(built, this.manifests.length - built, ...kept);
    return this.manifests.slice(Math.min(before, this.manifests.length));
  }

  /** Registers the objects an entry added, and the objects a well-known remote resource emits, refusing an id added twice. */
  private remoteClashes(file: string, dir: string, entry: string, added: readonly LoadedManifest[], registry: RemoteRegistry, ns: string | undefined): void {
    const base = isRemote(entry) ? knownRemoteBase(entry) : undefined;
    if (base) this.remoteBases.push({ file, entry, base });
    const emitted = base ? emittedBy(base, entry, file) : isRemote(entry) ? [] : (this.remoteEmitted.get(path.resolve(dir, entry)) ?? []);
    for (const p of accumulatorClashes(emitted, added, registry, ns)) this.problems.refused(file, p);
  }

  /** The files of the kustomization's folder likely renamed from its missing entries, read as if listed, and that said once. */
  private unlistedInstead(dir: string, file: string, k: Loose, missing: readonly string[], ns: string | undefined, chain: readonly string[]): void {
    const done = this.rootReads.get(chain[0]) ?? new Set<string>();
    const read = readRenamedInstead(
      dir,
      k,
      missing,
      this.host.list(dir) ?? [],
      this.host.maxFileBytes,
      (real) => done.has(`${real}\0${ns ?? ''}`),
      (full, st) => this.host.file(full, st, ns, chain),
    );
    if (read.length) this.problems.problem(file, renamedInsteadMessage(missing, read), 'warning', undefined, 'kustomize-build-fails');
  }

  /**
   * Drops the objects of the root built from `start` on that an earlier root built the same (same file, same object):
   * a base several overlays include is checked once, and once more for each overlay that changes it. The copy kept
   * names the later roots (alsoBuiltBy), whose builds still hold it.
   */
  private dropRepeats(start: number): void {
    const kept = this.manifests.slice(start).filter((m) => {
      const signature = `${m.file}\0${JSON.stringify(m.manifest)}`;
      const first = this.builtBefore.get(signature);
      const root = m.kustomizations?.[0];
      if (first && root !== undefined) alsoBuiltBy(first, root);
      if (first) return false;
      this.builtBefore.set(signature, m);
      return true;
    });
    this.manifests.splice(start, this.manifests.length - start, ...kept);
  }

  /**
   * A remote entry that names a branch in its path (remoteBranchInPath): kustomize fetches the default branch and looks
   * for a folder of that path, which the repository most likely lacks. A warning, the repository not being fetched.
   */
  private branchInPath(file: string, entry: string): void {
    const misread = remoteBranchInPath(entry);
    if (!misread) return;
    const [repoPart] = entry.split(`/${misread.folder}`);
    const rest = misread.web ? misread.folder.split('/').slice(2).join('/') : misread.folder.split('/').slice(1).join('/');
    this.problems.problem(
      file,
      `remote entry '${entry}' has no ?ref=: kustomize takes the two segments after the host as the repository and the rest as a folder of its default branch, so it looks for '${misread.folder}' there` +
        `${misread.web ? ' (a web page address: tree/ or blob/ and the branch are no folders of the repository)' : ` ('${misread.branch}' read as a folder, not the branch)`}` +
        ` and the build fails ("evalsymlink failure on …: no such file or directory") unless the repository has such a folder; write '${repoPart}/${rest}?ref=${misread.branch}'`,
      'warning',
      undefined,
      'kustomize-build-fails',
    );
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
      this.problems.remoteNotFollowed(
        file,
        `${role === 'components' ? 'component' : 'resource'} '${entry}' is remote: not followed (check the real build: cdk8s-vllm check --kustomize kubectl <tree>, or kubectl kustomize … | cdk8s-vllm check -)`,
      );
      this.branchInPath(file, entry);
      return undefined;
    }
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    if (seen.has(target)) {
      this.problems.refused(file, `lists '${entry}' twice: kustomize refuses the build ("may not add resource with an already registered id"); list it once`);
      return undefined;
    }
    seen.add(target);
    // a listed path that is not there fails the build: say so at the kustomization that lists it
    let missing = false;
    const tst = this.host.stat(target, () => {
      missing = true;
      const by = this.host.writtenBy(target);
      if (by)
        this.problems.writtenResourcesMissing(file, by.split(' (')[0], entry, (entries) =>
          writtenResourcesMessage(dir, entries, by, this.host.writtenBy(file)),
        );
      else this.problems.missingEntry(file, dir, entry, target);
    });
    if (!tst) return missing ? 'missing' : undefined;
    if (!tst.isDirectory()) {
      if (this.files.outsideRoot(dir, file, entry, target)) return undefined;
      this.host.file(target, tst, ns, chain);
      return undefined;
    }
    if (this.cycle(file, entry, target, chain)) return undefined;
    const inner = this.kustomizationFile(target);
    if (inner) this.kustomization(target, inner, ns, chain, role, accumulated);
    else
      this.problems.refused(
        file,
        `${role} entry '${entry}' is a folder without a kustomization file (${target}): kustomize refuses the build ("unable to find one of ` +
          `${KUSTOMIZATION_FILES.map((f) => `'${f}'`).join(', ')} in directory"), so Argo CD cannot sync this root; add a kustomization.yaml to ` +
          `${entry} that lists its manifests`,
      );
    return undefined;
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
        this.problems.refused(
          file,
          `lists '${entry}' (${target}), which contains ${visited}, a kustomization already being built: a cycle, kustomize refuses it ("cycle detected")`,
        );
        return true;
      }
    }
    return false;
  }
}

/** An object an entry of a kustomization added under the id of one already in its accumulator. */
/** What the entries of one kustomization add up to across its fields: the entries seen, the files missing, remote clashes, objects added again. */
interface EntryAccumulation {
  readonly seen: Set<string>;
  readonly missing: string[];
  readonly registry: RemoteRegistry;
  readonly again: AddedAgain[];
  /** The accumulator's ids as the last entry left it (repeatedIds). */
  readonly ids: IdScan;
}

interface AddedAgain {
  readonly entry: string;
  readonly later: LoadedManifest;
  readonly first: LoadedManifest;
}

/** A file and, past its first line, the line of an object, for a message. */
const placeOf = (m: LoadedManifest) => `${m.file}${m.line > 1 ? `:${m.line}` : ''}`;

/** One refusal per id declared again by a kustomization's entries, naming the entries, the copies and the first declaration. */
function declaredAgainMessages(again: readonly AddedAgain[], root: string): string[] {
  const byFirst = new Map<LoadedManifest, AddedAgain[]>();
  for (const a of again) byFirst.set(a.first, [...(byFirst.get(a.first) ?? []), a]);
  return [...byFirst].map(([first, copies]) => {
    const entries = [...new Set(copies.map((c) => `'${c.entry}'`))];
    return (
      `${entries.join(' and ')} ${entries.length > 1 ? 'add' : 'adds'} ${objectsNamed([first])} again (${copies.map((c) => placeOf(c.later)).join(', ')}), ` +
      `which ${placeOf(first)} already added to the build of ${root}: kustomize refuses the build ("may not add resource with an already registered id"), ` +
      'so nothing of this root deploys; declare each object once (in one component or base), or give the copies other names'
    );
  });
}

/** Records that the root `root` builds the object too (the reader keeps one copy of what several roots build alike). */
function alsoBuiltBy(first: LoadedManifest, root: string): void {
  const roots = (first as { alsoBuiltBy?: string[] }).alsoBuiltBy;
  if (roots === undefined) (first as { alsoBuiltBy?: string[] }).alsoBuiltBy = [root];
  else if (!roots.includes(root)) roots.push(root);
}

/**
 * The warning for resources a script of the tree writes before it builds the root (`envsubst < x.yaml.template >
 * x.yaml.local`, then `oc apply -k`): the delivery is the script, so the files are no missing resources, but the reader
 * cannot build what they will hold.
 */
function writtenResourcesMessage(dir: string, entries: readonly string[], by: string, rewritesRoot: string | undefined): string {
  const listed = entries.map((e) => `'${e}'`).join(', ');
  const root = rewritesRoot ? ` (${rewritesRoot} rewrites this kustomization too)` : '';
  return (
    `lists ${entries.length === 1 ? 'the resource' : `${entries.length} resources`} ${listed}, not in the tree: ${by} writes ${entries.length === 1 ? 'it' : 'them'} before the build${root}, ` +
    `so this root is delivered by that script, not synced as committed; the reader built it without ${entries.length === 1 ? 'it' : 'them'} (what ${entries.length === 1 ? 'it holds' : 'they hold'} is not judged); ` +
    `run the script, then check the build: kubectl kustomize ${dir} | cdk8s-vllm check -`
  );
}
