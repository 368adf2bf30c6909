import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, mappings, text } from './access';
import { readBounded } from './files';
import { LoadedManifest } from './loaded';
import { expansions, KUSTOMIZE_BINARY, scriptsOf } from './render-scripts';
import { repositoryScriptsAbove } from './repository-scripts';
import { logicalLines, TreeScript, variablesOf } from './script-text';
import { withWrappersExpanded } from './script-wrappers';

/** Options before a kustomize build's folder: `--enable-helm`, `--output=x`, `--load-restrictor LoadRestrictionsNone`. */
const BUILD_OPTIONS = String.raw`(?:\s+(?:--load[-_]restrictor\s+[^\s-]\S*|--?[\w-]+(?:=\S+)?))*`;
/**
 * A script line that builds or applies a kustomization: the word after it is the folder. kubectl's global options may
 * come before the subcommand (`kubectl --context kind-dev apply -k overlays/dev`, as a wrapper function runs it).
 */
const BUILDS = new RegExp(
  String.raw`(?:${KUSTOMIZE_BINARY}\s+build${BUILD_OPTIONS}|\b(?:kubectl|oc)\s+kustomize${BUILD_OPTIONS}|\b(?:kubectl|oc)(?:\s+-{1,2}[\w-]+(?:=\S+|\s+[^\s-]\S*)?)*?\s+(?:apply|create|replace|delete|diff)\b[^|;&]*?(?:-k|--kustomize)(?:\s+|=))\s*(["']?)([^\s"'|;&]+)\1`,
  'g',
);
const MAX_SCRIPT_BYTES = 512 * 1024;

/**
 * A folder as a script or an Argo CD path names it, as a test on a folder path: its trailing segments, a variable
 * (`$ENV`, `{{path.basename}}`) standing for one segment; undefined when nothing of it is fixed (`$DIR`), which
 * says nothing about a folder.
 */
function folderPattern(word: string): RegExp | undefined {
  const segments = word
    .replace(/\{\{[^}]*\}\}|\$\{[^}]*\}|\$\(?[A-Za-z_]\w*\)?/g, '*')
    .split('/')
    .filter((s) => s && s !== '.');
  const last = segments.lastIndexOf('..');
  const kept = segments.slice(last + 1);
  if (!kept.some((s) => s !== '*' && s !== '**')) return undefined;
  const body = kept
    .map((s) =>
      s === '**'
        ? '.*'
        : s
            .split('*')
            .map((x) => x.replace(/[.+^${}()|[\]\\?]/g, '\\$&'))
            .join('[^/]*'),
    )
    .join('/');
  return new RegExp(`(^|/)${body}$`);
}

/** A word without the closing parentheses it does not open. */
function balanced(word: string): string {
  let w = word;
  while (w.endsWith(')') && (w.match(/\)/g) ?? []).length > (w.match(/\(/g) ?? []).length) w = w.slice(0, -1);
  return w;
}

/** Whether a path relative to the repository (an Argo CD path) ends with the segments of `relative`. */
function endsWithSegments(repoPath: string, relative: string): boolean {
  const clean = (p: string) => p.split('/').filter((s) => s && s !== '.');
  const a = clean(repoPath);
  const b = clean(relative);
  return b.length > 0 && b.length <= a.length && b.every((s, i) => a[a.length - b.length + i] === s);
}

/**
 * kustomize's flag that lifts its load restrictor: `--load-restrictor LoadRestrictionsNone` (kustomize v4 on, also
 * with `=`) and v3's `--load_restrictor none` (kustomize/commands/build flagsForLoadRestrictor; api/krusty options.go
 * LoadRestrictions): the build may then read files outside the kustomization's folder.
 */
const LIFTS_RESTRICTOR = /--load[-_]restrictor(?:=|\s+)["']?(?:LoadRestrictionsNone|none)\b/;

/** A kustomize build a script runs: the folder as a test, where the script runs it, and whether it lifts the load restrictor. */
interface ScriptBuild {
  readonly test: RegExp;
  readonly by: string;
  readonly lifts: boolean;
  /** The build passes --enable-helm (kustomize/commands/build flagEnableHelm): helmCharts are inflated. */
  readonly helm: boolean;
}

/** kustomize's flag that enables Helm chart inflation (`--enable-helm`, kustomize v4.1 on; kubectl kustomize too). */
const ENABLES_HELM = /(?:^|\s)--enable-helm(?:=true)?(?=\s|$|["';)])/;

/** The scripts of a tree (`scriptsOf`), with their texts, relative to it. */
function treeScripts(root: string): TreeScript[] {
  return scriptsOf(root).flatMap((file) => {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    const read = st?.isFile() ? readBounded(file, st, MAX_SCRIPT_BYTES) : undefined;
    return read && 'text' in read ? [{ script: path.relative(root, file).split(path.sep).join('/'), text: read.text }] : [];
  });
}

/**
 * The variables a script sets to a value holding the lifting flag, however it computes it (`arg=$(kustomize build
 * --help | grep -q load-restrictor && echo "--load-restrictor LoadRestrictionsNone" || echo "--load_restrictor none")`).
 */
function liftingVariables(source: string): string[] {
  return [...source.matchAll(/(?:^|[\s;&(])([A-Za-z_]\w*)=([^\n]*)/gm)].filter((m) => LIFTS_RESTRICTOR.test(m[2])).map((m) => m[1]);
}

/** Whether a script line passes the lifting flag, written out or through a variable that holds it. */
function liftsOnLine(line: string, lifting: readonly string[]): boolean {
  return LIFTS_RESTRICTOR.test(line) || lifting.some((v) => new RegExp(String.raw`\$(?:\{${v}\}|${v}\b)`).test(line));
}

/** The folders scripts build with kustomize (`kustomize build x`, `oc apply -k x`), as tests, `by` naming each script with `prefix`. */
function buildsOf(scripts: readonly TreeScript[], prefix = ''): ScriptBuild[] {
  const out: ScriptBuild[] = [];
  for (const { script, text: raw } of scripts) {
    // a wrapper function's call (`k apply -k overlays/dev`) builds as the command it runs
    const source = withWrappersExpanded(script, raw);
    const vars = variablesOf(source);
    const lifting = liftingVariables(source);
    for (const { line, text: t } of logicalLines(source))
      for (const m of t.matchAll(BUILDS)) {
        // a subshell's closing parenthesis is no part of the folder: `(cd x && oc apply -k y)`
        const word = balanced(m[2]);
        const lifts = liftsOnLine(t, lifting);
        for (const w of expansions(word, vars)) {
          const test = folderPattern(w);
          if (test)
            out.push({
              test,
              lifts,
              helm: ENABLES_HELM.test(t),
              by: `${prefix}${script}:${line} (${m[0].slice(0, m[0].length - m[2].length - m[1].length * 2).trim()} ${word})`,
            });
        }
      }
  }
  return out;
}

/** The folders the scripts of a tree build with kustomize (`kustomize build x`, `oc apply -k x`), as tests. */
function scriptBuilds(root: string): ScriptBuild[] {
  return buildsOf(treeScripts(root));
}

/** The paths of an Application's (or an ApplicationSet's template's and git directories generators') sources. */
function argoPaths(m: Loose): string[] {
  const sources = (spec: Loose) => [mapping(spec.source), ...mappings(spec.sources)].map((s) => text(s.path)).filter((p): p is string => !!p);
  if (m.kind === 'Application') return sources(mapping(m.spec));
  const dirs: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isMapping(v)) {
      for (const d of mappings(v.directories)) if (text(d.path) && d.exclude !== true) dirs.push(text(d.path)!);
      Object.values(v).forEach(visit);
    }
  };
  visit(mapping(m.spec).generators);
  const templated = sources(mapping(mapping(mapping(m.spec).template).spec));
  return [...templated, ...templated.flatMap((p) => listElementPaths(p, mapping(m.spec).generators)), ...dirs];
}

/**
 * A template path filled with each element of the ApplicationSet's list generators (nested in matrix and merge ones
 * too): `{{path}}` or `{{.path}}` with the element's value (applicationset generators/list.go, fasttemplate and Go
 * template rendering), for the elements that fill every parameter of the path.
 */
function listElementPaths(template: string, generators: unknown): string[] {
  if (!template.includes('{{')) return [];
  const elements: Loose[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isMapping(v)) {
      elements.push(...mappings(mapping(v.list).elements));
      Object.values(v).forEach(visit);
    }
  };
  visit(generators);
  return elements.flatMap((e) => {
    const filled = template.replace(/\{\{-?\s*\.?([\w.-]+)\s*-?\}\}/g, (whole, key: string) => text(e[key]) ?? whole);
    return filled.includes('{{') ? [] : [filled];
  });
}

/** A Flux Kustomization (kustomize-controller), whose spec.path (the source's root when unset) it builds. */
export function isFluxKustomization(m: Loose): boolean {
  return m.kind === 'Kustomization' && String(m.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/');
}

/** The folder paths of the input's Applications, ApplicationSets and Flux Kustomizations, as tests, with what names each. */
function deliveryPaths(manifests: readonly LoadedManifest[]): { test: RegExp; path: string; by: string; flux: boolean }[] {
  return manifests.flatMap((l) => {
    const m = l.manifest;
    if (!isMapping(m)) return [];
    const flux = isFluxKustomization(m);
    const paths = m.kind === 'Application' || m.kind === 'ApplicationSet' ? argoPaths(m) : flux ? [text(mapping(m.spec).path) ?? '.'] : [];
    const by = `${String(m.kind)} ${text(mapping(m.metadata).name) ?? ''}`;
    return paths.flatMap((p) => {
      // a path of the repository's root (`.`, `./`) names the checked folder itself
      const test = folderPattern(p) ?? (path.posix.normalize(`${p}/`) === './' ? /^$/ : undefined);
      return test ? [{ test, path: p, by: `${by} (path ${p})`, flux }] : [];
    });
  });
}

/**
 * Every delivery of a kustomization folder the input shows: the Application or ApplicationSet paths and Flux
 * Kustomization paths that name it, and the scripts, Makefiles and READMEs of the checked folder that run kustomize on
 * it. An Argo CD path is relative to the repository, so its trailing segments are matched.
 */
function folderDeliveries(
  manifests: readonly LoadedManifest[],
): (dir: string, root: string | undefined) => { by: string; flux: boolean; lifts?: boolean; helm?: boolean }[] {
  const paths = deliveryPaths(manifests);
  const scripts = new Map<string, ScriptBuild[]>();
  return (dir, root) => {
    const full = path.resolve(dir).split(path.sep).join('/');
    const relative = root === undefined ? undefined : path.relative(root, dir).split(path.sep).join('/');
    // the checked folder may sit anywhere in the repository: a path that ends with the folder's own path names it
    const named = paths.filter((a) => a.test.test(full) || (relative !== undefined && (endsWithSegments(a.path, relative) || a.test.test(relative))));
    if (root === undefined || relative === undefined) return named;
    if (!scripts.has(root)) scripts.set(root, scriptBuilds(root));
    const scripted = scripts.get(root)!.filter((r) => r.test.test(relative) || r.test.test(full));
    return [...named, ...scripted.map((r) => ({ by: r.by, flux: false, lifts: r.lifts, helm: r.helm }))];
  };
}

/** Whether something of the input builds a kustomization folder (folderDeliveries), and what: the first that does. */
export function folderBuilder(manifests: readonly LoadedManifest[]): (dir: string, root: string | undefined) => string | undefined {
  const deliveries = folderDeliveries(manifests);
  return (dir, root) => deliveries(dir, root)[0]?.by;
}

/**
 * Whether only Flux Kustomizations build a kustomization folder: kustomize-controller builds with
 * LoadRestrictionsNone, bounded by the source's root (fluxcd/pkg kustomize/kustomize_generator.go SecureBuild, krusty
 * options), so such a root may list files outside its folder, which `kustomize build`, `kubectl apply -k` and Argo CD
 * (unless its build options lift the restrictor) refuse.
 */
export function fluxOnlyBuilt(manifests: readonly LoadedManifest[]): (dir: string, root: string | undefined) => boolean {
  const deliveries = folderDeliveries(manifests);
  return (dir, root) => {
    const all = deliveries(dir, root);
    return all.length > 0 && all.every((d) => d.flux);
  };
}

/**
 * The kustomize version (`spec.source.kustomize.version`) of the Application whose path names the folder, if one
 * does: Argo CD builds that folder with that version's build options.
 */
export function kustomizeVersionFor(manifests: readonly LoadedManifest[], dir: string, root: string | undefined): string | undefined {
  const full = path.resolve(dir).split(path.sep).join('/');
  const relative = root === undefined ? undefined : path.relative(root, dir).split(path.sep).join('/');
  for (const { manifest: m } of manifests) {
    if (!isMapping(m) || m.kind !== 'Application') continue;
    const spec = mapping(m.spec);
    for (const s of [mapping(spec.source), ...mappings(spec.sources)]) {
      const p = text(s.path);
      const version = text(mapping(s.kustomize).version);
      const test = p === undefined ? undefined : folderPattern(p);
      if (version && p && ((test && test.test(full)) || (relative !== undefined && !relative.startsWith('..') && endsWithSegments(p, relative))))
        return version;
    }
  }
  return undefined;
}

/**
 * The script that builds a kustomization folder with the load restrictor lifted (LIFTS_RESTRICTOR), where nothing else
 * the input shows builds it otherwise: a script of the checked folder, or of its git work tree above it (its scripts
 * folders, Makefiles, docs: repositoryScriptsAbove), runs `kustomize build` on it with `--load-restrictor
 * LoadRestrictionsNone`, and every other delivery of it (folderDeliveries) is a Flux Kustomization or such a script.
 * An Argo CD Application or a script building the folder without the flag keeps the restrictor (Argo CD lifts it only
 * with kustomize.buildOptions, which read-manifests reads). Undefined otherwise; `by` names the script and line.
 */
export function scriptLiftedBuild(manifests: readonly LoadedManifest[]): (dir: string, root: string | undefined) => string | undefined {
  const deliveries = folderDeliveries(manifests);
  const above = new Map<string, ScriptBuild[]>();
  return (dir, root) => {
    if (root === undefined) return undefined;
    if (!above.has(root)) {
      const repository = repositoryScriptsAbove(root);
      above.set(root, repository ? buildsOf(repository.scripts, `${path.relative(root, repository.root).split(path.sep).join('/')}/`) : []);
    }
    const full = path.resolve(dir).split(path.sep).join('/');
    const all = deliveries(dir, root);
    const lifting = [
      ...all.filter((d) => d.lifts).map((d) => d.by),
      ...above
        .get(root)!
        .filter((b) => b.lifts && b.test.test(full))
        .map((b) => b.by),
    ];
    return lifting.length && all.every((d) => d.flux || d.lifts) ? lifting[0] : undefined;
  };
}

/** Whether a script of a checked folder, or of its git work tree above it, passes kustomize's lifting flag at all (a cheap test before reading again). */
export function scriptsLiftRestrictor(root: string): boolean {
  const repository = repositoryScriptsAbove(root);
  return [...treeScripts(root), ...(repository?.scripts ?? [])].some((s) => LIFTS_RESTRICTOR.test(s.text));
}

/**
 * What builds a kustomization folder with Helm enabled, if anything: a script of the checked folder or of its git work
 * tree above it that runs kustomize on it with --enable-helm; else Argo CD, when its kustomize.buildOptions (for the
 * kustomize version the folder's Application names) pass --enable-helm and an Application builds the folder, or
 * nothing of the input names a builder of it at all (an Application elsewhere may). Flux's kustomize-controller never
 * enables Helm. Undefined otherwise; the answer names the builder.
 */
export function helmEnabledBuild(
  manifests: readonly LoadedManifest[],
  argoEnables: (version: string | undefined) => boolean,
): (dir: string, root: string | undefined) => string | undefined {
  const deliveries = folderDeliveries(manifests);
  const above = new Map<string, ScriptBuild[]>();
  return (dir, root) => {
    const all = deliveries(dir, root);
    if (root !== undefined && !above.has(root)) {
      const repository = repositoryScriptsAbove(root);
      above.set(root, repository ? buildsOf(repository.scripts, `${path.relative(root, repository.root).split(path.sep).join('/')}/`) : []);
    }
    const full = path.resolve(dir).split(path.sep).join('/');
    const scripted = [...all.filter((d) => d.helm), ...(root === undefined ? [] : above.get(root)!.filter((b) => b.helm && b.test.test(full)))];
    if (scripted.length) return scripted[0].by;
    const argo = all.filter((d) => !d.flux && d.lifts === undefined);
    if (!argoEnables(kustomizeVersionFor(manifests, dir, root))) return undefined;
    if (argo.length) return argo[0].by;
    return all.length ? undefined : "Argo CD's kustomize.buildOptions";
  };
}
