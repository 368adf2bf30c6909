import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, mappings, stringMap, text } from './access';
import { FluxVariable, substitute } from './flux-envsubst';
import { patchedByParent, patchesChildren } from './flux-parent-patches';
import { hasBranch, type GitCheckout } from './git-checkout';
import { KUSTOMIZATION_FILES } from './kustomization';
import type { FluxSubstitution, LoadedManifest, ManifestReadError } from './loaded';
import { isClusterScoped } from './scope';
import { type WorkTree, workTreeAt, workTreeOf, workTreeRoot } from './work-tree';
import { fluxInstanceObjects, fluxInstanceSync } from './flux-instance-sync';
import { parseDocuments } from './yaml-documents';

/**
 * Flux Kustomizations followed as kustomize-controller follows them, inside a git work tree: spec.path from the
 * repository's root (fluxcd/kustomize-controller internal/controller/kustomization_controller.go: the artifact's root
 * joined with spec.path), the objects built there given its targetNamespace and its post-build substitution (fluxcd/pkg
 * kustomize/kustomize_varsub.go SubstituteVariables), a path outside the checked folders read as theirs.
 */

/** The label or annotation that turns substitution off for one object, and its value (kustomize_varsub.go). */
const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';
const DISABLED = 'disabled';

/** The name Flux's `flux bootstrap` gives the GitRepository of the repository it syncs. */
const BOOTSTRAP_SOURCE = 'flux-system';

/** At most this many folders are followed in one read (a repository of a few hundred apps). */
const MAX_FOLLOWED = 400;

/** A Flux Kustomization (kustomize.toolkit.fluxcd.io). */
export function isFluxKustomizationManifest(m: unknown): m is Loose {
  return isMapping(m) && m.kind === 'Kustomization' && String(m.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/');
}

/** `Kustomization <namespace>/<name>`, as messages name a Flux Kustomization. */
export function fluxName(ks: Loose): string {
  const meta = mapping(ks.metadata);
  return `Kustomization ${text(meta.namespace) ?? BOOTSTRAP_SOURCE}/${text(meta.name) ?? ''}`;
}

/**
 * What a Flux Kustomization's substitution knows of a variable, or undefined where it substitutes nothing: no inline
 * substitute and no substituteFrom (SubstituteVariables runs envsubst only where it has variables). Inline values lose
 * their newlines; a substituteFrom ConfigMap the read holds gives the values of its data (kustomize_varsub.go: the
 * sources in order, a later one over an earlier, inline substitute over them all); a Secret, or a ConfigMap the read
 * lacks (optional or not), may give any other variable.
 */
export function fluxVariables(ks: Loose, settings: SettingsLookup = () => undefined): ((name: string) => FluxVariable) | undefined {
  const post = mapping(mapping(ks.spec).postBuild);
  const inline = new Map(Object.entries(stringMap(post.substitute)).map(([k, v]) => [k, v.split('\n').join('')]));
  const sources = mappings(post.substituteFrom);
  const from = sources.length > 0;
  if (!inline.size && !from) return undefined;
  // a substituteFrom ConfigMap the read holds gives its data; a later one overrides an earlier, substitute overrides both
  const namespace = text(mapping(ks.metadata).namespace) ?? BOOTSTRAP_SOURCE;
  const known = new Map<string, string>();
  // every source a ConfigMap the read holds: a variable none of them defines is unset, as one no source names
  let whole = true;
  for (const r of sources) {
    const name = text(r.name);
    const data = r.kind === 'ConfigMap' && name ? settings(name, namespace) : undefined;
    if (data === undefined) whole = false;
    for (const [k, v] of Object.entries(data ?? {})) known.set(k, v.split('\n').join(''));
  }
  return (name) => (inline.has(name) ? { value: inline.get(name)! } : known.has(name) ? { value: known.get(name)! } : from && !whole ? 'unknown' : 'unset');
}

/** The data of a ConfigMap the read holds, by name and namespace. */
export type SettingsLookup = (name: string, namespace: string) => Record<string, string> | undefined;

/**
 * The ConfigMaps of a read, for substituteFrom (one written without a namespace is taken for any). Several of one name
 * (one per cluster folder of the repository) give the first one's values and the keys any of them defines.
 */
function settingsOf(read: readonly LoadedManifest[]): SettingsLookup {
  let maps: Loose[] | undefined;
  return (name, namespace) => {
    maps ??= read.map((l) => l.manifest).filter((m): m is Loose => isMapping(m) && m.kind === 'ConfigMap' && m.apiVersion === 'v1');
    const named = maps.filter((m) => text(mapping(m.metadata).name) === name);
    const here = named.filter((x) => text(mapping(x.metadata).namespace) === namespace);
    const found = here.length ? here : named.filter((x) => !text(mapping(x.metadata).namespace));
    return found.length ? Object.assign({}, ...found.map((m) => stringMap(m.data)).reverse()) : undefined;
  };
}

/** A plain YAML scalar that the substituted text becomes once the YAML is read again: an integer or a boolean. */
function retyped(written: string, filled: string): unknown {
  // the resource's YAML is substituted as text (AsYAML, then YAMLToJSON): `replicas: ${N}` becomes the number
  if (/^[\s'"!&*|>%@`[{-]/.test(written) || written.includes(': ') || written.includes(' #')) return filled;
  if (/^-?(0|[1-9]\d*)$/.test(filled)) return Number(filled);
  return filled === 'true' ? true : filled === 'false' ? false : filled;
}

interface Walk {
  readonly lookup: (name: string) => FluxVariable;
  readonly empty: Set<string>;
  readonly unknown: Set<string>;
  /** Where each variable rendered empty is written: its field's path (`data.entrypoint.sh`). */
  readonly emptyIn: { variable: string; field: string; block: boolean }[];
  error?: string;
}

function substitutedValue(v: unknown, w: Walk, at = ''): unknown {
  if (typeof v === 'string') {
    if (!v.includes('$')) return v;
    const r = substitute(v, w.lookup);
    r.empty.forEach((x) => w.empty.add(x));
    r.empty.forEach((x) => w.emptyIn.push({ variable: x, field: at, block: v.includes('\n') }));
    r.unknown.forEach((x) => w.unknown.add(x));
    w.error ??= r.error;
    return r.complete && r.text !== v ? retyped(v, r.text) : r.text;
  }
  if (Array.isArray(v)) return v.map((x, i) => substitutedValue(x, w, `${at}[${i}]`));
  if (isMapping(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [String(substitutedValue(k, w, at)), substitutedValue(x, w, at ? `${at}.${k}` : k)]));
  return v;
}

/** An object of a Flux Kustomization's build as Flux applies it: its targetNamespace set, its variables substituted. */
export function fluxBuilt(l: LoadedManifest, ks: Loose, settings?: SettingsLookup, by: string = fluxName(ks)): LoadedManifest {
  if (!isMapping(l.manifest)) return l;
  let m: Loose = l.manifest;
  const meta = mapping(m.metadata);
  const target = text(mapping(ks.spec).targetNamespace);
  const moved = target && !isClusterScoped(String(m.kind)) && text(meta.namespace) !== target;
  if (moved) m = { ...m, metadata: { ...meta, namespace: target } };
  const lookup = fluxVariables(ks, settings);
  const off = [stringMap(meta.labels), stringMap(meta.annotations)].some((x) => x[SUBSTITUTE_KEY] === DISABLED);
  if (!lookup || off) return moved ? { ...l, manifest: m, ...(text(meta.namespace) ? { movedFrom: text(meta.namespace) } : {}) } : l;
  const w: Walk = { lookup, empty: new Set(), unknown: new Set(), emptyIn: [] };
  const substituted = substitutedValue(m, w) as Loose;
  const fluxSubstitution: FluxSubstitution = {
    by,
    empty: [...w.empty],
    unknown: [...w.unknown],
    ...(w.emptyIn.length ? { emptyIn: w.emptyIn } : {}),
    ...(w.error ? { error: w.error } : {}),
  };
  return {
    ...l,
    manifest: w.error ? m : substituted,
    fluxSubstitution,
    ...(moved && text(meta.namespace) ? { movedFrom: text(meta.namespace) } : {}),
  };
}

/** Real paths already asked for in this read: every followed folder is compared with every object's file. */
let realPaths: Map<string, string> | undefined;

/** A folder's real path, or the path resolved where it cannot be read. */
function real(p: string): string {
  const known = realPaths?.get(p);
  if (known !== undefined) return known;
  let r: string;
  try {
    r = fs.realpathSync(p);
  } catch {
    r = path.resolve(p);
  }
  realPaths?.set(p, r);
  return r;
}

/** Runs `f` with real paths remembered, for one follow of a read (never across reads: a watch sees changes). */
function withRealPaths<T>(f: () => T): T {
  const outer = realPaths;
  realPaths = outer ?? new Map();
  try {
    return f();
  } finally {
    realPaths = outer;
  }
}

/**
 * Where the repository of a file lies: a git work tree of the checked folders (the checkout, the tree's root and the
 * checked folder, real paths), or a checked folder that is no work tree, taken as the repository's root (`checkout`
 * undefined) where a path is a folder of it.
 */
interface Place {
  readonly checkout?: GitCheckout;
  /** The checked folder as given (as the reader names folders). */
  readonly given: string;
  readonly root: string;
  readonly checked: string;
}

const within = (f: string, folder: string) => f === folder || f.startsWith(`${folder}${path.sep}`);

function placeOf(file: string, checkouts: readonly GitCheckout[], checkedFolders: readonly string[]): Place | undefined {
  const f = real(file);
  for (const c of checkouts) {
    const checked = real(c.folder);
    const root = workTreeRoot(c, checked);
    if (within(f, root)) return { checkout: c, given: c.folder, root, checked };
  }
  const given = checkedFolders.find((g) => within(f, real(g)) && !checkouts.some((c) => real(c.folder) === real(g)));
  return given === undefined ? undefined : { given, root: real(given), checked: real(given) };
}

/** The GitRepository objects of a work tree (its manifest files, within the work tree's budget), read once per root. */
function gitRepositories(p: Place, cache: Map<string, Loose[]>, read: readonly LoadedManifest[]): Loose[] {
  if (!p.checkout) return read.flatMap((l) => withOperatorMade(l.manifest)).filter((m) => m.kind === 'GitRepository');
  if (!cache.has(p.root)) {
    const tree = workTreeOf(p.checkout) ?? workTreeAt(p.root);
    // a FluxInstance's sync (or the flux-instance chart's values) writes `kind: GitRepository` too
    const found = tree
      .manifestFiles()
      .filter((f) => /^\s*kind:\s*["']?GitRepository\b/m.test(f.text))
      .flatMap((f) => parseDocuments(f.text).objects.flatMap((o) => withOperatorMade(o.manifest)))
      .filter((m) => m.kind === 'GitRepository' && String(m.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/'));
    cache.set(p.root, found);
  }
  return cache.get(p.root)!;
}

/** A manifest, and the source and Kustomization the Flux Operator makes of it where it is a FluxInstance with a sync. */
function withOperatorMade(m: unknown): Loose[] {
  if (!isMapping(m)) return [];
  const sync = fluxInstanceSync(m);
  return sync ? [m, ...fluxInstanceObjects(sync)] : [m];
}

/**
 * A git URL's host (no user, no port) and repository path (no `.git`, no trailing slash), lower case: the same
 * repository however its URL is written (https://host/owner/repo.git, ssh://git@host:22/owner/repo,
 * git@host:owner/repo), which source-controller and git fetch over https or ssh alike.
 */
export function gitRepositoryKey(url: string): string {
  const u = url.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?(\/.*)?$/.exec(u);
  const scp = scheme ? undefined : /^(?:[^@/]*@)?([^/:]+):(.*)$/.exec(u);
  const [host, repo] = scheme ? [scheme[1], scheme[2] ?? ''] : scp ? [scp[1], scp[2]] : ['', u];
  return `${host}/${repo
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')}`;
}

/** A repository key's host, owner path and name (gitRepositoryKey: `host/owner/…/name`). */
function keyParts(key: string): { host: string; owner: string; name: string } {
  const [host, ...rest] = key.split('/');
  return { host, owner: rest.slice(0, -1).join('/'), name: rest[rest.length - 1] ?? '' };
}

/**
 * Whether a URL may name the work tree's repository as it was once called: the same host and either the same owner
 * (a renamed repository) or the same name (a transferred one). GitHub and GitLab redirect both old URLs, so Flux keeps
 * fetching this repository through them; a URL of another owner and another name is another repository.
 */
function formerName(url: string, remotes: readonly string[]): boolean {
  const u = keyParts(gitRepositoryKey(url));
  return remotes.some((r) => {
    const o = keyParts(gitRepositoryKey(r));
    return o.host === u.host && (o.owner === u.owner || o.name === u.name);
  });
}

/** A remote the host of a URL can be compared with: a URL or scp-like address, not a local path (a mirror, a bundle). */
const networkRemote = (r: string) => {
  const t = r.trim();
  return (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) && !/^file:/i.test(t)) || /^[^/]+@[^/:]+:/.test(t);
};

/**
 * Whether a GitRepository's url and branch may name the work tree's repository: its url the remote's former name
 * (formerName); where no remote is a network address (a clone of a local mirror), what the url says cannot be
 * compared, and the branch it follows (spec.ref.branch) must be one of the repository's.
 */
function mayBeThisRepository(g: Loose, p: Place): boolean {
  const url = text(mapping(g.spec).url);
  const remotes = p.checkout?.remotes ?? [];
  if (url === undefined) return false;
  if (remotes.some(networkRemote)) return formerName(url, remotes);
  const branch = text(mapping(mapping(g.spec).ref).branch);
  return branch === undefined || hasBranch(p.root, branch);
}

/** Whether a GitRepository's url is one of the work tree's remotes. */
const remoteOf = (g: Loose, p: Place) => {
  const url = text(mapping(g.spec).url);
  return url !== undefined && !!p.checkout?.remotes.some((r) => gitRepositoryKey(r) === gitRepositoryKey(url));
};

/** The Flux Kustomizations of a work tree (its manifest files, within its budget), read once per root. */
function workTreeKustomizations(p: Place, cache: Map<string, Loose[]>): Loose[] {
  if (!p.checkout) return [];
  const key = `kustomizations\0${p.root}`;
  if (!cache.has(key))
    cache.set(
      key,
      workTreeKustomizationFiles(p).map((x) => x.manifest),
    );
  return cache.get(key)!;
}

/** A Flux Kustomization's spec.path resolved from the work tree's root, or undefined where it holds a variable. */
function pathFolder(ks: Loose, p: Place): string | undefined {
  const written = text(mapping(ks.spec).path) ?? '.';
  return written.includes('${') ? undefined : path.resolve(p.root, written.split('\\').join('/').replace(/^\/+/, ''));
}

/**
 * Whether the work tree shows a Kustomization to be its own though its GitRepository's url is not the remote (the
 * repository renamed since, its old URL redirected): its spec.path is a folder of the work tree, the checked files
 * lie under it, the GitRepository may name this repository (mayBeThisRepository), and no other Kustomization of the
 * tree building the same path has a source whose url is the remote.
 */
function ownByTree(ks: Loose, g: Loose, p: Place, cache: Map<string, Loose[]>, read: readonly LoadedManifest[]): boolean {
  const folder = pathFolder(ks, p);
  if (!folder || !p.checkout || !mayBeThisRepository(g, p)) return false;
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return false;
  const children = within(p.checked, folder) || read.some((l) => l.file !== '-' && l.manifest !== ks && within(real(l.file), folder));
  if (!children) return false;
  const repositories = gitRepositories(p, cache, read);
  const evident = (other: Loose) => {
    const name = text(mapping(mapping(other.spec).sourceRef).name) ?? '';
    return name === BOOTSTRAP_SOURCE || repositories.some((g) => text(mapping(g.metadata).name) === name && remoteOf(g, p));
  };
  return !workTreeKustomizations(p, cache).some((o) => o !== ks && pathFolder(o, p) === folder && evident(o));
}

/**
 * Why a Flux Kustomization's source is not the repository of the work tree, or undefined where it is: the GitRepository
 * `flux-system` (flux bootstrap's), or one that the work tree holds with the work tree's remote as its url, or the only
 * GitRepository of the work tree, or one the work tree does not hold (its path is a folder of the work tree: checked
 * by the caller), or one the tree shows to be its own under a former name (ownByTree).
 */
function otherSource(ks: Loose, p: Place, cache: Map<string, Loose[]>, read: readonly LoadedManifest[] = []): string | undefined {
  const ref = mapping(mapping(ks.spec).sourceRef);
  const kind = text(ref.kind) ?? 'GitRepository';
  const name = text(ref.name) ?? '';
  if (kind !== 'GitRepository') return `its source is ${kind} '${name}', an artifact check does not fetch`;
  if (name === BOOTSTRAP_SOURCE) return undefined;
  const all = gitRepositories(p, cache, read);
  const named = all.filter((g) => text(mapping(g.metadata).name) === name);
  if (!named.length) return undefined;
  const urls = new Set(
    all
      .map((g) => text(mapping(g.spec).url))
      .filter((u): u is string => !!u)
      .map(gitRepositoryKey),
  );
  const own = named.some((g) => {
    const url = text(mapping(g.spec).url);
    return url !== undefined && (remoteOf(g, p) || urls.size === 1 || ownByTree(ks, g, p, cache, read));
  });
  return own ? undefined : `its source GitRepository '${name}' names ${text(mapping(named[0].spec).url) ?? 'no url'}, not this work tree's remote`;
}

/** The folder a Flux Kustomization builds, resolved in the work tree its file lies in, or why it is not followed. */
function fluxFolder(l: LoadedManifest, ks: Loose, follow: Follow): { folder: string; place: Place } | { why: string } {
  const spec = mapping(ks.spec);
  if (spec.suspend === true) return { why: 'it is suspended (spec.suspend: true), so Flux applies nothing of it now' };
  const place = placeOf(l.file, follow.checkouts, follow.checkedFolders);
  if (!place) return { why: "it was read from no checked folder, so the repository's root its spec.path starts from is not known" };
  const written = text(spec.path) ?? '.';
  if (written.includes('${')) return { why: `its spec.path '${written}' holds a variable that no Flux Kustomization of the tree substitutes` };
  const folder = path.resolve(place.root, written.split('\\').join('/').replace(/^\/+/, ''));
  if (folder !== place.root && !folder.startsWith(`${place.root}${path.sep}`)) return { why: `its spec.path '${written}' leaves the repository` };
  const other = otherSource(ks, place, follow.cache, follow.read);
  if (other) return { why: other };
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    return place.checkout
      ? { why: `its spec.path '${written}' names no folder of the work tree (kustomize-controller fails "kustomization path not found")` }
      : { why: `the checked folder is no git work tree and its spec.path '${written}' names no folder of it, so where the repository's root is is not known` };
  return { folder, place };
}

/** What the follower reads a Flux Kustomization's place with: the checked folders, their work trees, the read's objects. */
interface Follow {
  readonly checkouts: readonly GitCheckout[];
  readonly checkedFolders: readonly string[];
  /** The GitRepository objects of each work tree, by its root. */
  readonly cache: Map<string, Loose[]>;
  readonly read: readonly LoadedManifest[];
}

/** What readManifests lends the follower: its manifests, folders and problems, and a read of a folder outside the checked ones. */
export interface FluxFollowHost {
  readonly manifests: LoadedManifest[];
  readonly folders: Set<string>;
  problem(file: string, message: string, severity: ManifestReadError['severity'], line: number | undefined, kind: ManifestReadError['kind']): void;
  /** Reads a folder as Flux builds it (load restrictor lifted), its manifests, folders, builds and problems joined to the read's. */
  read(folder: string): LoadedManifest[];
}

/** Whether a folder holds a kustomization file. */
function kustomized(folder: string): boolean {
  const key = `kustomized\0${folder}`;
  const known = realPaths?.get(key);
  if (known !== undefined) return known === 'yes';
  const is = KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(folder, f)));
  realPaths?.set(key, is ? 'yes' : 'no');
  return is;
}

/**
 * Whether Flux's generated kustomization of a folder without one reaches an object (fluxcd/pkg kustomize_generator.go
 * scanManifests): the YAML files below it, and the build of each folder below it holding a kustomization, whose
 * folders it does not walk into further.
 */
function scanned(m: LoadedManifest, folder: string): boolean {
  if (m.file === '-') return false;
  const at = m.kustomizations?.length ? real(m.kustomizations[0]) : path.dirname(real(m.file));
  if (at !== folder && !at.startsWith(`${folder}${path.sep}`)) return false;
  const rel = path.relative(folder, at).split(path.sep).filter(Boolean);
  // a folder between with a kustomization is built as written: what it does not list is not applied
  for (let i = 1; i < rel.length; i++) if (kustomized(path.join(folder, ...rel.slice(0, i)))) return false;
  return !!m.kustomizations?.length || !kustomized(at);
}

/** The indices of the manifests a followed folder builds: its kustomization's build, or what Flux's generated one reaches. */
function builtFrom(manifests: readonly LoadedManifest[], folder: string): number[] {
  const own = kustomized(folder);
  return manifests.flatMap((m, i) => {
    const at = own ? [...(m.kustomizations ?? []), ...(m.alsoBuiltBy ?? [])].some((k) => real(k) === folder) : scanned(m, folder);
    return at ? [i] : [];
  });
}

/**
 * Follows the Flux Kustomizations of the read inside git work trees: each one's spec.path from the repository's root,
 * read where no object of the read comes from it (a folder outside the checked ones, or one the read passed over), its
 * objects given its targetNamespace and substitution; one whose path is not followed gets a note saying why.
 */
export function followFlux(host: FluxFollowHost, checkouts: readonly GitCheckout[], checkedFolders: readonly string[]): void {
  withRealPaths(() => followAll(host, checkouts, checkedFolders));
}

function followAll(host: FluxFollowHost, checkouts: readonly GitCheckout[], checkedFolders: readonly string[]): void {
  const follow: Follow = { checkouts, checkedFolders, cache: new Map(), read: host.manifests };
  // a Kustomization by its document (file and index), not by object: the copy a second build of its file makes (a
  // flux-system Kustomization building the folder that holds it) is the same Kustomization, followed once
  patchChildren(host, follow);
  const done = new Set<string>();
  const original = new Map<number, LoadedManifest>();
  const read = new Set<string>();
  const followed = new Set<string>();
  for (let i = 0; i < host.manifests.length && read.size < MAX_FOLLOWED; i++) {
    const l = host.manifests[i];
    const key = `${l.file}\0${l.index}`;
    if (done.has(key) || !isFluxKustomizationManifest(l.manifest)) continue;
    done.add(key);
    const at = fluxFolder(l, l.manifest, follow);
    if ('why' in at) {
      host.problem(l.file, `${fluxName(l.manifest)} is not followed: ${at.why}; what it deploys is not checked`, 'info', l.line, 'input-not-followed');
      continue;
    }
    let built = builtFrom(host.manifests, at.folder);
    if (!built.length && !read.has(at.folder)) {
      read.add(at.folder);
      host.read(path.join(at.place.given, path.relative(at.place.checked, at.folder)));
      built = builtFrom(host.manifests, at.folder);
    }
    followed.add(at.folder);
    applyBuild(host, built, l.manifest, at.folder, original);
  }
  for (const outside of outsideDeliverers(follow, followed))
    applyBuild(host, builtFrom(host.manifests, outside.folder), outside.manifest, outside.folder, original, outside.by);
}

/** A Flux Kustomization of the work tree, outside the checked folder, that builds a folder of it. */
interface OutsideDeliverer {
  readonly manifest: Loose;
  readonly folder: string;
  /** As messages name it: the Kustomization and the file it is written in. */
  readonly by: string;
}

/**
 * The Flux Kustomizations of the git work trees around the checked folders that the read does not hold, whose
 * spec.path is a checked folder or a folder in one (the user checks the folder an app's Kustomization builds, as
 * kustomize-controller builds it): written outside the checked folder (a parent folder's ks.yaml, a clusters/ tree), or
 * in it beside a kustomization that does not list them (an app's ks.yaml, which the folder above lists instead); not
 * suspended, of the repository the work tree is (otherSource), and building a folder no Kustomization of the read
 * follows. Their targetNamespace and post-build substitution are the objects' own when Flux applies them.
 */
function outsideDeliverers(follow: Follow, followed: ReadonlySet<string>): OutsideDeliverer[] {
  const out: OutsideDeliverer[] = [];
  // the read's own are followed (or said not followed) by followAll
  const inRead = new Set(
    follow.read.filter((l) => l.file !== '-' && isFluxKustomizationManifest(l.manifest)).map((l) => documentKey(real(l.file), l.manifest as Loose)),
  );
  for (const c of follow.checkouts.filter((x) => x.within !== '.')) {
    const checked = real(c.folder);
    const place: Place = { checkout: c, given: c.folder, checked, root: workTreeRoot(c, checked) };
    for (const { file, manifest } of workTreeKustomizationFiles(place)) {
      const folder = pathFolder(manifest, place);
      if (inRead.has(documentKey(real(file), manifest)) || !folder || !within(folder, checked) || followed.has(folder)) continue;
      if (mapping(manifest.spec).suspend === true || otherSource(manifest, place, follow.cache, follow.read)) continue;
      if (out.some((o) => o.folder === folder)) continue;
      out.push({ manifest, folder, by: `${fluxName(manifest)} (in ${path.relative(place.root, file).split(path.sep).join('/')})` });
    }
  }
  return out;
}

/** A Flux Kustomization by its file and name, the same whether the read or a work tree's files hold it. */
const documentKey = (file: string, ks: Loose) => `${file}\0${fluxName(ks)}`;

/** The Flux Kustomizations of each work tree read, parsed once per read of it. */
const kustomizationFiles = new WeakMap<WorkTree, { file: string; manifest: Loose }[]>();

/** The Flux Kustomizations of a work tree with the files they are written in (its manifest files, within its budget). */
function workTreeKustomizationFiles(p: Place): { file: string; manifest: Loose }[] {
  const tree = p.checkout ? (workTreeOf(p.checkout) ?? workTreeAt(p.root)) : undefined;
  if (!tree) return [];
  const known = kustomizationFiles.get(tree);
  if (known) return known;
  const found = tree
    .manifestFiles()
    .filter((f) => FLUX_KUSTOMIZATION_TEXT.test(f.text))
    .flatMap((f) => parseDocuments(f.text).objects.map((o) => ({ file: f.file, manifest: o.manifest })))
    .filter((x): x is { file: string; manifest: Loose } => isFluxKustomizationManifest(x.manifest));
  kustomizationFiles.set(tree, found);
  return found;
}

/** A Flux Kustomization that patches the Flux Kustomizations it builds, with the folder it builds. */
interface PatchingParent {
  readonly manifest: Loose;
  readonly folder: string;
}

/** The Flux Kustomizations of the read, and of the work trees around the checked folders, that patch their children (patchesChildren), with their folders. */
function patchingParents(host: FluxFollowHost, follow: Follow): PatchingParent[] {
  const read = host.manifests
    .filter((l) => isFluxKustomizationManifest(l.manifest) && patchesChildren(l.manifest))
    .flatMap((l) => {
      const at = fluxFolder(l, l.manifest as Loose, follow);
      return 'why' in at ? [] : [{ manifest: l.manifest as Loose, folder: at.folder }];
    });
  const outside = follow.checkouts.flatMap((c) => {
    const place: Place = { checkout: c, given: c.folder, checked: real(c.folder), root: workTreeRoot(c, real(c.folder)) };
    return (workTreeOf(c) ?? workTreeAt(place.root))
      .manifestFiles()
      .filter((f) => FLUX_KUSTOMIZATION_TEXT.test(f.text) && /\bpatches:/.test(f.text))
      .flatMap((f) => parseDocuments(f.text).objects.map((o) => o.manifest))
      .filter((m): m is Loose => isFluxKustomizationManifest(m) && patchesChildren(m) && mapping(m.spec).suspend !== true)
      .flatMap((m) => {
        const written = text(mapping(m.spec).path) ?? '.';
        if (written.includes('${') || otherSource(m, place, follow.cache, follow.read)) return [];
        return [{ manifest: m, folder: path.resolve(place.root, written.replace(/^\/+/, '')) }];
      });
  });
  return [...read, ...outside];
}

/**
 * Each Flux Kustomization of the read as the parents whose folder holds its file patch it (patchedByParent), before any
 * is followed: the substitution and decryption a parent adds are the child's own when kustomize-controller applies it.
 */
function patchChildren(host: FluxFollowHost, follow: Follow): void {
  const parents = patchingParents(host, follow);
  if (!parents.length) return;
  host.manifests.forEach((l, i) => {
    if (!isFluxKustomizationManifest(l.manifest)) return;
    let manifest: Loose = l.manifest;
    let by: string[] = [];
    for (const p of parents.filter((x) => x.manifest !== l.manifest && within(real(l.file), x.folder))) {
      const patched = patchedByParent(p.manifest, manifest);
      if (patched) [manifest, by] = [patched, [...by, fluxName(p.manifest)]];
    }
    if (manifest === l.manifest) return;
    // the spec.patches entries the child does not write itself: its parent's defaults for every child
    const own = new Set(listOf(mapping(l.manifest.spec).patches).map((e) => JSON.stringify(e)));
    const patches = listOf(mapping(manifest.spec).patches).flatMap((e, j) => (own.has(JSON.stringify(e)) ? [] : [j]));
    host.manifests[i] = { ...l, manifest, fluxParentPatched: { by: [...new Set(by)].join(', '), patches } };
  });
}

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Gives the objects of a followed build the Kustomization's namespace and substitution; a copy for an object another Kustomization built first. */
function applyBuild(host: FluxFollowHost, built: readonly number[], ks: Loose, folder: string, original: Map<number, LoadedManifest>, by?: string): void {
  const settings = settingsOf(host.manifests);
  for (const j of built) {
    const first = original.get(j);
    if (!first) {
      original.set(j, host.manifests[j]);
      host.manifests[j] = fluxBuilt(host.manifests[j], ks, settings, by);
      continue;
    }
    // one file two Flux Kustomizations build (a shared template): each applies its own copy, with its own variables
    const { alsoBuiltBy: _also, ...rest } = first;
    host.manifests.push(fluxBuilt({ ...rest, kustomizations: [folder] }, ks, settings, by));
  }
}

/** A quick test before parsing a work tree's file: it may hold a Flux Kustomization. */
const FLUX_KUSTOMIZATION_TEXT = /kustomize\.toolkit\.fluxcd\.io\//;

/**
 * What builds a kustomization folder among the Flux Kustomizations of the git work trees around the checked folders
 * (their manifest files, within the work tree's budget, read when first asked): one whose source is the repository and
 * whose spec.path, from the repository's root, is the folder. kustomize-controller builds that folder whatever the
 * checked folder holds, so a refusal of its build is a refusal of that Kustomization.
 */
export function workTreeFluxBuilder(checkouts: readonly GitCheckout[]): (dir: string) => string | undefined {
  let built: Map<string, string> | undefined;
  const cache = new Map<string, Loose[]>();
  return (dir) => {
    built ??= new Map(
      checkouts.flatMap((c) => {
        const place: Place = { checkout: c, given: c.folder, checked: real(c.folder), root: workTreeRoot(c, real(c.folder)) };
        const tree = workTreeOf(c) ?? workTreeAt(place.root);
        return tree
          .manifestFiles()
          .filter((f) => FLUX_KUSTOMIZATION_TEXT.test(f.text))
          .flatMap((f) => parseDocuments(f.text).objects.map((o) => ({ file: f.file, manifest: o.manifest })))
          .filter((x): x is { file: string; manifest: Loose } => isFluxKustomizationManifest(x.manifest) && mapping(x.manifest.spec).suspend !== true)
          .flatMap((x): [string, string][] => {
            const written = text(mapping(x.manifest.spec).path) ?? '.';
            if (written.includes('${') || otherSource(x.manifest, place, cache)) return [];
            const folder = path.resolve(place.root, written.replace(/^\/+/, ''));
            return [[folder, `${fluxName(x.manifest)} (path ${written}, in ${path.relative(place.root, x.file).split(path.sep).join('/')})`]];
          });
      }),
    );
    return built.get(real(dir));
  };
}
