import * as fs from 'fs';
import * as path from 'path';
import { isMapping, mapping, mappings, text } from './access';
import { realPath } from './files';
import { isFluxKustomization } from './folder-builders';
import type { Reader } from './folder-reader';
import { KUSTOMIZATION_FILES } from './kustomization';
import { appliesFile, scriptAppliedPaths } from './script-applies';
import type { LoadedManifest } from './loaded';

/** A kustomization that lists files of a folder other than its own, and the root build it is part of. */
interface Lister {
  /** The kustomization's folder, as the reader names it. */
  readonly kustomization: string;
  readonly root: string;
}

/**
 * Per folder without a kustomization, the kustomizations that list files of it (`../namespaces.yaml` from a Flux
 * entry's flux-system folder): a folder listed file by file is meant to be applied whole by that list.
 */
function listersByFolder(manifests: readonly LoadedManifest[]): Map<string, Lister[]> {
  const by = new Map<string, Lister[]>();
  for (const m of manifests) {
    const chain = m.kustomizations;
    if (!chain?.length || m.walked) continue;
    const kustomization = chain[chain.length - 1];
    const own = path.resolve(kustomization);
    const folder = path.dirname(path.resolve(m.file));
    // a file of the kustomization's own folder (or below it) is a kustomize folder's, whose left-out files are told apart
    if (folder === own || folder.startsWith(own + path.sep)) continue;
    const listers = by.get(folder) ?? [];
    if (!listers.some((l) => l.kustomization === kustomization)) listers.push({ kustomization, root: chain[0] });
    by.set(folder, listers);
  }
  return by;
}

/** The kustomization file of a folder and its text, when readable. */
function kustomizationText(folder: string): { file: string; text: string } | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(folder, name);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Whether the kustomization names the file in a comment (`# - ../catalyst-llm.yaml`): left out on purpose. */
function commentedOut(kustomization: string, file: string): boolean {
  const base = path.basename(file);
  return kustomization.split('\n').some((line) => /^\s*#/.test(line) && line.includes(base));
}

/** Whether every object of the file is a Flux Kustomization with spec.suspend true: switched off on purpose. */
function allSuspended(objects: readonly LoadedManifest[]): boolean {
  return objects.every((o) => isMapping(o.manifest) && isFluxKustomization(o.manifest) && mapping(o.manifest.spec).suspend === true);
}

const describe = (objects: readonly LoadedManifest[]) =>
  objects
    .slice(0, 2)
    .map((o) => (isMapping(o.manifest) ? `${String(o.manifest.kind)} ${text(mapping(o.manifest.metadata).name) ?? ''}` : ''))
    .join(', ') + (objects.length > 2 ? ', …' : '');

/**
 * Files met walking a folder (no kustomization of their own) beside files that a delivered kustomization lists, but
 * that it does not list: kustomize builds only what a kustomization names (api/krusty: resources are read by entry), so
 * the delivery (a Flux Kustomization, an Argo CD Application, a script's `apply -k`) never applies them. Patches,
 * generator and replacement files a kustomization reads are its inputs, not missing resources; a file the
 * kustomization names in a comment, or whose Flux Kustomizations are all suspended, is left out on purpose. And the
 * files of such a kustomization's own folder that it leaves out (ownFolderOrphansWarned).
 */
export function unlistedFilesWarned(reader: Reader, builder: (dir: string, root: string | undefined) => string | undefined): void {
  ownFolderOrphansWarned(reader, builder);
  const listers = listersByFolder(reader.manifests);
  if (!listers.size) return;
  // a file a kustomization lists is also met walking its folder: only those no build holds are unlisted
  const built = new Set(reader.manifests.filter((m) => m.kustomizations?.length).map((m) => path.resolve(m.file)));
  const walked = new Map<string, LoadedManifest[]>();
  for (const m of reader.manifests) if (m.walked && !built.has(path.resolve(m.file))) walked.set(m.file, [...(walked.get(m.file) ?? []), m]);
  // what applies the file some other way: a delivery naming its folder itself (an Argo CD directory source, a Flux path
  // whose generated kustomization takes every file), a script's `kubectl apply -f` of the file or its folder
  const root = reader.root;
  let scripted: ReturnType<typeof scriptAppliedPaths> | undefined;
  const appliedOtherwise = (file: string) =>
    builder(path.dirname(file), root) !== undefined ||
    (root !== undefined && (scripted ??= scriptAppliedPaths(root, reader.renderIndex(root).scripts)).some((a) => appliesFile(a, path.resolve(file))));
  for (const [file, objects] of walked) {
    const folder = path.dirname(path.resolve(file));
    if (reader.kustomize.files.patchFiles.has(realPath(file)) || allSuspended(objects) || !listers.has(folder) || appliedOtherwise(file)) continue;
    for (const l of listers.get(folder) ?? []) {
      const by = builder(l.root, reader.root) ?? builder(l.kustomization, reader.root);
      const own = kustomizationText(l.kustomization);
      if (!by || !own || commentedOut(own.text, file)) continue;
      reader.problems.problem(
        file,
        `holds ${describe(objects)}, beside files that ${own.file} lists, but that kustomization does not list it: ${by} builds it, and kustomize applies only what it lists, so this file is never applied; add it to the kustomization's resources (or remove the file if it is retired)`,
        'warning',
        objects[0].line,
        'file-not-delivered',
      );
      break;
    }
  }
}

/** A file named as an example or sample (`hpa.example.yaml`, `sample-ingress.yaml`): kept beside a build on purpose. */
const EXAMPLE_NAME = /(^|[._-])(examples?|samples?)([._-]|$)/i;

/**
 * Whether an object delivers or builds rather than is delivered: a Flux Kustomization (ks.yaml) or an Argo CD
 * Application or ApplicationSet (app.yaml) kept beside the folder it delivers, a kustomize Kustomization or Component.
 */
function delivering(m: unknown): boolean {
  if (!isMapping(m)) return true;
  const api = String(m.apiVersion ?? '');
  return isFluxKustomization(m) || api.startsWith('argoproj.io/') || api.startsWith('kustomize.config.k8s.io/') || !text(m.kind) || !api;
}

/**
 * Whether an Argo CD Application of the input reads the folder as a directory source (its source sets `directory`):
 * Argo CD then applies the folder's files, not the kustomization's build.
 */
function readAsDirectory(manifests: readonly LoadedManifest[], folder: string): boolean {
  const full = folder.split(path.sep).join('/');
  return manifests.some(({ manifest: m }) => {
    if (!isMapping(m) || m.kind !== 'Application' || !String(m.apiVersion ?? '').startsWith('argoproj.io/')) return false;
    const spec = mapping(m.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].some((src) => {
      const p = text(src.path)?.replace(/^\.\//, '').replace(/\/+$/, '');
      return src.directory !== undefined && !!p && (full === p || full.endsWith(`/${p}`));
    });
  });
}

/** Per kustomization folder a build reads, the root of a build that reads it (resolved paths). */
function builtFolders(manifests: readonly LoadedManifest[]): Map<string, string> {
  const roots = new Map<string, string>();
  for (const m of manifests) for (const k of m.kustomizations ?? []) if (!roots.has(path.resolve(k))) roots.set(path.resolve(k), m.kustomizations![0]);
  return roots;
}

/**
 * Manifest files in the folder of a delivered kustomization that its resources do not list (nor another
 * kustomization, nor a script's `kubectl apply -f` of the file or folder): kustomize builds only what a kustomization
 * names (api/krusty: resources are read by entry), so the delivery never applies them. Not a file that delivers (a
 * Flux Kustomization, an Argo CD Application), a patch or generator input, a file named as an example, a Namespace
 * (the namespace rules say it where something needs it), one the kustomization names in a comment, nor a folder an
 * Application reads as a directory source.
 */
function ownFolderOrphansWarned(reader: Reader, builder: (dir: string, root: string | undefined) => string | undefined): void {
  const roots = builtFolders(reader.manifests);
  const orphans = reader.leftOut().filter((m) => !m.besideBuild && !m.ownKustomization && roots.has(path.dirname(path.resolve(m.file))));
  if (!orphans.length) return;
  const root = reader.root;
  const applied = root === undefined ? [] : scriptAppliedPaths(root, reader.renderIndex(root).scripts).filter((a) => !a.kustomize);
  const byFile = new Map<string, LoadedManifest[]>();
  for (const m of orphans) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);
  for (const [file, objects] of byFile) {
    const folder = path.dirname(path.resolve(file));
    // a Namespace left out is said by the namespace rules, where an object needs it
    const namespaces = objects.every((o) => isMapping(o.manifest) && o.manifest.kind === 'Namespace');
    if (EXAMPLE_NAME.test(path.basename(file)) || namespaces || objects.some((o) => delivering(o.manifest))) continue;
    if (readAsDirectory(reader.manifests, folder)) continue;
    if (applied.some((a) => appliesFile(a, path.resolve(file)))) continue;
    const own = kustomizationText(folder);
    const by = builder(roots.get(folder)!, root) ?? builder(folder, root);
    if (!by || !own || commentedOut(own.text, file)) continue;
    reader.problems.problem(
      file,
      `holds ${describe(objects)} in the folder of ${own.file}, which does not list it in resources or components: ${by} builds that kustomization, and kustomize applies only what it lists, so this file is never applied; add it to the kustomization's resources (or remove the file if it is retired)`,
      'warning',
      objects[0].line,
      'file-not-delivered',
    );
  }
}
