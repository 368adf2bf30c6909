import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, strings, text } from './access';
import { isFluxKustomizationManifest } from './flux-followed';
import { GitCheckout, gitCheckoutOf } from './git-checkout';
import { isRemote, KUSTOMIZATION_FILES } from './kustomization';
import { isWithin, repositoryScriptsAbove } from './repository-scripts';
import { RenderIndex } from './render-scripts';
import { sedEdited } from './sed-program';
import { terraformManifests } from './terraform-manifests';
import { inSkippedFolder, workTreeOf } from './work-tree';
import { parseDocuments, parsePatchDocuments, templateMarkers } from './yaml-documents';

/** An object a manifest file of the repository holds, outside the checked folder, as it lands on the cluster. */
export interface RepositoryObject {
  readonly kind: string;
  /** Its name, with the namePrefix/nameSuffix of the kustomizations that list it. */
  readonly name: string;
  /** Its own namespace, or the one a kustomization listing it (or an overlay of that one) sets; undefined when neither says. */
  readonly namespace?: string;
  /** The file, named as the checked folder is (`repo/deploy/base/x.yaml` for the folder `repo/deploy/demo`), '/'-separated. */
  readonly file: string;
  readonly line: number;
  /** The manifest as the file writes it (a rule asking what the object says, not only that it exists). */
  readonly manifest: Loose;
}

/** A kustomization of the repository: its folder, what it lists, and what it sets on the objects it builds. */
interface Kustomization {
  readonly dir: string;
  readonly listed: readonly string[];
  readonly namespace?: string;
  readonly prefix: string;
  readonly suffix: string;
}

/** Where a listed file or folder lands: the namespace and the name affixes the kustomizations above it set. */
interface Placement {
  readonly namespace?: string;
  readonly prefix: string;
  readonly suffix: string;
}

/** A kustomization file's entries (resources, and the older bases) as absolute paths, remote ones left out, and what it sets. */
function kustomizationOf(file: string, source: string): Kustomization | undefined {
  const parsed = parsePatchDocuments(source);
  const doc = 'values' in parsed ? parsed.values[0] : undefined;
  if (!isMapping(doc)) return undefined;
  const dir = path.dirname(file);
  const listed = [...strings(doc.resources), ...strings(doc.bases)].filter((r) => !isRemote(r)).map((r) => path.resolve(dir, r));
  return { dir, listed, namespace: text(doc.namespace), prefix: text(doc.namePrefix) ?? '', suffix: text(doc.nameSuffix) ?? '' };
}

/**
 * A Flux Kustomization of the repository that sets spec.targetNamespace, as a kustomization listing what it builds:
 * the folder of its spec.path from the work tree's root where that folder has a kustomization file, else each file
 * under it (kustomize-controller generates one listing them all). kustomize-controller sets targetNamespace on every
 * object it applies, over the namespace the manifests or their kustomizations give (fluxcd/kustomize-controller
 * internal/controller/kustomization_controller.go build: the generator's namespace transformer, outermost).
 */
function fluxListings(root: string, files: readonly { file: string; text: string }[]): [string, Kustomization][] {
  return files.flatMap(({ file, text: source }) => {
    if (!/^\s*targetNamespace:/m.test(source)) return [];
    return parseDocuments(source).objects.flatMap((o): [string, Kustomization][] => {
      const spec = mapping(o.manifest.spec);
      const namespace = text(spec.targetNamespace);
      const written = text(spec.path) ?? '.';
      if (!isFluxKustomizationManifest(o.manifest) || !namespace || namespace.includes('${') || written.includes('${')) return [];
      const folder = path.resolve(root, written.replace(/^\/+/, ''));
      const k: Kustomization = { dir: `${file}#${o.line}`, listed: [folder], namespace, prefix: '', suffix: '' };
      if (files.some((f) => path.dirname(f.file) === folder && KUSTOMIZATION_FILES.includes(path.basename(f.file)))) return [[folder, k]];
      return files.filter((f) => isWithin(f.file, folder) && !KUSTOMIZATION_FILES.includes(path.basename(f.file))).map((f) => [f.file, k]);
    });
  });
}

/**
 * Where a file or kustomization folder lands (kustomize's namespace transformer of the outermost kustomization
 * setting one wins; name affixes add up, the outer outside): once per kustomization listing it, followed through the
 * overlays that list that one; unlisted, where its own manifest says.
 */
function placements(target: string, listedBy: ReadonlyMap<string, readonly Kustomization[]>, seen: ReadonlySet<string> = new Set()): Placement[] {
  const listers = (listedBy.get(target) ?? []).filter((k) => !seen.has(k.dir));
  if (!listers.length) return [{ prefix: '', suffix: '' }];
  return listers.flatMap((k) =>
    placements(k.dir, listedBy, new Set([...seen, k.dir])).map((p) => ({
      namespace: p.namespace ?? k.namespace,
      prefix: `${p.prefix}${k.prefix}`,
      suffix: `${k.suffix}${p.suffix}`,
    })),
  );
}

/**
 * The objects the manifest files of the git work tree a checked folder lies in deploy outside that folder: each with
 * its kind, its name and the namespace it lands in (its own, or that of the kustomizations listing it, through their
 * overlays, as far as their `resources` read simply). Taken from the work tree's files as the checkout's read holds
 * them (WorkTree.manifestFiles; walked here for a checkout without); none where the folder is no subfolder of a work
 * tree, or lies in its test data (a fixture stands alone). Only read, never judged: a rule about to call an object
 * missing asks whether the repository deploys it elsewhere.
 */
export function repositoryObjects(folder: string, checkout: GitCheckout | undefined = gitCheckoutOf(folder)): RepositoryObject[] {
  const tree = checkout && !inSkippedFolder(checkout.within) ? workTreeOf(checkout) : undefined;
  if (!tree) return [];
  const checked = fs.realpathSync(folder);
  // a Helm (or other renderer's) template is no manifest until rendered; KServe's own runtime fields ({{.Name}}) and
  // markers inside quoted scalars leave a file a manifest (templateMarkers)
  const texts = tree.manifestFiles().filter((f) => !templateMarkers(f.text));
  const listedBy = new Map<string, Kustomization[]>();
  for (const { file, text: source } of texts) {
    if (!KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
    const k = kustomizationOf(file, source);
    for (const l of k?.listed ?? []) listedBy.set(l, [...(listedBy.get(l) ?? []), k!]);
  }
  for (const [l, k] of fluxListings(fs.realpathSync(tree.root), texts)) listedBy.set(l, [...(listedBy.get(l) ?? []), k]);
  const out: RepositoryObject[] = [];
  const edits = scriptEdits(folder);
  for (const { file, text: written } of texts) {
    if (isWithin(file, checked) || KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
    const named = path.join(folder, path.relative(checked, file)).split(path.sep).join('/');
    const where = placements(file, listedBy);
    const { source, namespaceUnknown } = edits(file, written);
    for (const o of parseDocuments(source).objects) {
      const meta = mapping(o.manifest.metadata);
      const kind = text(o.manifest.kind);
      const name = text(meta.name);
      if (!kind || !name) continue;
      for (const p of where)
        out.push({
          kind,
          name: `${p.prefix}${name}${p.suffix}`,
          namespace: namespaceUnknown ? undefined : (p.namespace ?? text(meta.namespace)),
          file: named,
          line: o.line,
          manifest: o.manifest,
        });
    }
  }
  return [...out, ...terraformObjects(tree.root, folder, checked)];
}

/**
 * A file's text as the sed of a script of the repository above the checked folder leaves it on its way to the cluster
 * (`sed "s/NAMESPACE/models/" pvc/claim.yaml | oc apply -f -`, `sed -i` before `oc apply -f`): its literal edits made,
 * its namespace unknown where an edit puts there a value the script does not give. The scripts are read when first asked.
 */
function scriptEdits(folder: string): (file: string, text: string) => { source: string; namespaceUnknown: boolean } {
  let index: RenderIndex | null | undefined;
  return (file, written) => {
    if (index === undefined) {
      const above = repositoryScriptsAbove(folder);
      index = above?.scripts.some((s) => /\b(?:sed|envsubst)\b/.test(s.text)) ? new RenderIndex(above.root, above.scripts) : null;
    }
    const by = index?.renderedBy(file, true);
    if (!by?.sedEdits) return { source: written, namespaceUnknown: false };
    const edited = sedEdited(written, by.sedEdits);
    return { source: edited.text, namespaceUnknown: edited.namespaceUnknown };
  };
}

/**
 * The objects the repository's Terraform configuration applies as whole manifests (terraformManifests: a
 * kubectl_manifest's yaml_body, a kubernetes_manifest's yamldecode heredoc), outside the checked folder; a name
 * holding an interpolation (`${var.x}`) names no known object.
 */
function terraformObjects(root: string, folder: string, checked: string): RepositoryObject[] {
  return terraformManifests(root).flatMap((m) => {
    if (isWithin(m.file, checked)) return [];
    const named = path.join(folder, path.relative(checked, m.file)).split(path.sep).join('/');
    return parseDocuments(m.yaml).objects.flatMap((o) => {
      const meta = mapping(o.manifest.metadata);
      const kind = text(o.manifest.kind);
      const name = text(meta.name);
      if (!kind || !name || /\$\{|%\{/.test(name)) return [];
      const namespace = text(meta.namespace);
      return [{ kind, name, ...(namespace ? { namespace } : {}), file: named, line: m.line + o.line - 1, manifest: o.manifest }];
    });
  });
}

/** A YAML document of the repository that is no object (no kind): a Helm values file, a tool's input. */
export interface RepositoryValues {
  /** The file, named as the checked folder is, '/'-separated. */
  readonly file: string;
  readonly values: Loose;
}

/**
 * The YAML documents of the work tree's files outside the checked folder that are mappings without a `kind` (Helm
 * values files above all, which an install passes with -f or an Argo CD Application names): read, never judged, so
 * that a rule can ask what the repository's installs set (KServe's default deployment mode). A values file may hold
 * `{{ }}` inside its strings (a domain template) and still parse; a document that does not parse is left out.
 */
export function repositoryValues(folder: string, checkout: GitCheckout | undefined = gitCheckoutOf(folder)): RepositoryValues[] {
  const tree = checkout && !inSkippedFolder(checkout.within) ? workTreeOf(checkout) : undefined;
  if (!tree) return [];
  const checked = fs.realpathSync(folder);
  const out: RepositoryValues[] = [];
  for (const { file, text: source } of tree.manifestFiles()) {
    if (isWithin(file, checked) || KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
    const parsed = parsePatchDocuments(source);
    if (!('values' in parsed)) continue;
    const named = path.join(folder, path.relative(checked, file)).split(path.sep).join('/');
    for (const doc of parsed.values) if (isMapping(doc) && doc.kind === undefined) out.push({ file: named, values: doc });
  }
  return out;
}
