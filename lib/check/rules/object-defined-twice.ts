import * as fs from 'fs';
import * as path from 'path';
import { isClusterScoped } from '../../manifests/scope';
import { parseDocuments } from '../../manifests/yaml-documents';
import { appliedToOtherClusters, deliveryOf, scriptApplying, undeliveredExample } from '../applied-together';
import { generatedFrom } from '../application-sets';
import { GraphObject, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';
import { deletedOnly } from '../script-delivery';
import { clusterObjectConflict } from './cluster-object-conflict';
import { groupedOnce, identity, keptCopy, named, scriptRun } from './duplicate-object';

/** The files kubectl reads from a folder (cli-runtime pkg/resource/visitor.go FileExtensions: .json, .yaml, .yml). */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/**
 * Whether the file is one `kubectl apply -f <folder>` reads as manifests: a .yaml, .yml or .json file whose text parses
 * as go-yaml reads it (the reader's parse, which takes a quoted string or flow collection continued on a line indented
 * no deeper than its key, as go-yaml does: kubectl applies such a file). A notes file of shell commands that apply
 * heredocs is refused by kubectl as a whole: its objects are applied by running the commands, one at a time, not by
 * applying the folder.
 */
function folderManifestFile(file: string, graph: ObjectGraph): boolean {
  if (!MANIFEST_FILE.test(file)) return false;
  return graph.once(`object-defined-twice:parses:${file}`, () => {
    try {
      const read = parseDocuments(fs.readFileSync(file, 'utf8'), /\.json$/i.test(file));
      return !read.problems.some((p) => p.severity === 'error' && UNREADABLE.test(p.message));
    } catch {
      // a file read by the reader but gone since: taken as read
      return true;
    }
  });
}

/** The reader's words for a text, or a document of it, that does not parse (yaml-documents parseDocuments). */
const UNREADABLE = /is not valid (YAML|JSON)/;

/**
 * Whether the object is a loose file's declaration, in a file `kubectl apply -f <folder> -R` would apply, that no
 * kustomize build, cdk8s app or Argo CD Application delivers (those are duplicate-object's): nothing applies it, or a
 * command of a script or README applies its file (each such command applies one delivery; copies one script run applies
 * together are duplicate-object's too, see apart); and it is no template rendered first, example to copy, or file only deleted.
 */
function looseApplied(x: GraphObject, graph: ObjectGraph): boolean {
  return looseDeclaration(x, graph) && folderManifestFile(x.file!, graph);
}

/** looseApplied but for the file's parse, which reads the file again: asked first, of every object. */
function looseDeclaration(x: GraphObject, graph: ObjectGraph): boolean {
  if (!x.file || unitOf(x) || x.unit !== undefined || x.outside || x.template !== undefined || !named(x) || generatedFrom(x)) return false;
  const delivery = deliveryOf(x, graph);
  return !(delivery && !delivery.startsWith('script:')) && !undeliveredExample(x, graph) && !deletedOnly(graph, x);
}

/**
 * Whether two copies are not both applied by one run of a script (duplicate-object judges those: one cause, one finding),
 * nor each by the scripts to a cluster of its own (appliedToOtherClusters: a manager's and a worker's copy never meet).
 */
function apart(x: GraphObject, o: GraphObject, graph: ObjectGraph): boolean {
  const [dx, dobj] = [deliveryOf(x, graph), deliveryOf(o, graph)];
  // each copy is applied only to a cluster the scripts name, never the same one: they never meet
  if (appliedToOtherClusters(x, o, graph)) return false;
  return !dx || !dobj || scriptRun(x, dx, graph) !== scriptRun(o, dobj, graph);
}

/** The script and README commands that apply the copies' files, for a message: `README.md:110 applies a.yaml` (the script as named from the tree). */
function commandsApplying(copies: readonly GraphObject[], graph: ObjectGraph, dir: string): string[] {
  return copies.flatMap((x) => {
    const a = scriptApplying(x, graph);
    return a ? [`${a.script}:${a.line} applies ${path.relative(dir, x.file!)}`] : [];
  });
}

/** The objects a file declares, by identity. */
function idsOf(file: string, graph: ObjectGraph): string {
  return graph.once(`object-defined-twice:ids:${file}`, () =>
    [...new Set(graph.objects.filter((x) => x.file === file).map((x) => identity(x, graph.namespaceOf(x.manifest))))].sort().join('\n'),
  );
}

/**
 * Whether the copies are variants the tree's commands offer one for another: a command of a script or README applies
 * each copy's file, and every file declares the same objects (`httproute.yaml` or `httproute.gke.yaml`, each the one
 * route). Files that declare other objects beside the copy are parts of one install, each applied for what only it holds.
 */
function offeredAsAlternatives(copies: readonly GraphObject[], graph: ObjectGraph): boolean {
  if (!copies.every((x) => scriptApplying(x, graph))) return false;
  return new Set(copies.map((x) => idsOf(x.file!, graph))).size === 1;
}

/** The deepest folder holding every file. */
function commonFolder(files: readonly string[]): string {
  const parts = files.map((f) => path.dirname(f).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) common.push(parts[0][i]);
  return common.join(path.sep) || '.';
}

export const objectDefinedTwice: Rule = {
  id: 'object-defined-twice',
  title:
    'an object is declared twice, differently, in the loose files of a plain tree: applying the folder, or its files one by one, keeps whichever copy is applied last',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    'two declarations of one object (apiVersion group, kind, namespace, name; the cluster-scoped kinds cluster-object-conflict judges are its) in two loose files that no kustomize build, cdk8s app or Argo CD Application delivers, ' +
    "each applied by nothing, or by a script or README command of its own (copies one script run applies together are duplicate-object's; a README command applying one file, and another applying the other, both stay with the copy applied last, unless the files declare the same objects: variants the commands offer one for another), " +
    'the one in the folder of the other or below it, with different content: a plain folder is applied whole (`kubectl apply -f dir/ -R`), which reads its files in name order and applies each, so the copy read last stays, and an Argo CD directory source keeps the last one too (RepeatedResourceWarning); ' +
    'a warning, since the files may be variants applied one at a time. Not judged: copies the scripts apply each to a cluster they name, never the same one (`kubectl config use-context`, `--context`, `--kubeconfig`, `KUBECONFIG=`, `oc login` before the apply), an object whose name or namespace holds a token that the sed of a script replaces in its file (its name is not known before the script runs), copies in sibling folders (environments or variants side by side), the same content twice, a file kubectl does not read as manifests (not .yaml, .yml or .json, or a notes file of shell commands that does not parse as YAML as go-yaml reads it, whose heredocs are applied by running them; a file go-yaml reads though strict YAML 1.2 refuses it, such as a quoted string continued at the indent of its key, is applied and judged), an example to copy (`*.example.yaml`), a template rendered first, a file only deleted, and objects of kustomize builds (kustomize refuses a repeated id in one build; two roots are alternatives)',
  example:
    'a `DataSciencePipelinesApplication` `dspa` of namespace `pipeline-test` in pipeline-server.yaml, and another with `externalDB` in the same file name of a subfolder alternatives/',
  fix: 'keep one declaration in the applied tree; move the variant out of it (an overlay, or a folder of its own applied instead)',
  source:
    'kubectl apply -f DIR -R: cli-runtime pkg/resource/visitor.go ExpandPathsToFileVisitors walks the folder with filepath.Walk (name order) and applies every .json, .yaml and .yml file, each document in turn; argo-cd controller/state.go DeduplicateTargetObjects keeps the last target read and sets RepeatedResourceWarning ("Resource %s appeared %d times among application resources.")',
  check(o, { graph }) {
    // the cluster-scoped kinds cluster-object-conflict judges are its own
    const kind = String(o.manifest.kind);
    if ((isClusterScoped(kind) && clusterObjectConflict.appliesTo.includes(kind)) || !looseDeclaration(o, graph)) return [];
    const groups = groupedOnce(graph, 'loose-files', String(o.manifest.kind), (x) =>
      looseDeclaration(x, graph) ? identity(x, graph.namespaceOf(x.manifest)) : undefined,
    );
    // copies in one file are duplicate-object's (whoever applies the file applies both)
    const declared = (groups.get(identity(o, graph.namespaceOf(o.manifest))) ?? []).filter((x) => x === o || (x.file !== o.file && apart(x, o, graph)));
    // the files are parsed again only for an object declared twice: kubectl must read each copy's file
    if (declared.length < 2 || !looseApplied(o, graph)) return [];
    const same = declared.filter((x) => folderManifestFile(x.file!, graph));
    const { kept, differ } = keptCopy(same);
    if (same.length < 2 || kept !== o || !differ || offeredAsAlternatives(same, graph)) return [];
    const dir = commonFolder(same.map((x) => x.file!));
    // copies in sibling folders (dev/, prod/) are alternatives side by side: one of them must be in the folder holding the others
    if (!same.some((x) => path.dirname(x.file!) === dir)) return [];
    const others = same.filter((x) => x !== o).map((x) => path.relative(dir, x.file!));
    const oneFolder = same.every((x) => path.dirname(x.file!) === dir);
    const apply = `kubectl apply -f ${path.basename(dir)}/${oneFolder ? '' : ' -R'}`;
    return [problem(others, oneFolder, apply, path.relative(dir, o.file!), commandsApplying(same, graph, dir))];
  },
};

function problem(others: readonly string[], oneFolder: boolean, apply: string, here: string, commands: readonly string[]): Problem {
  // where the tree's commands apply the files one by one, the copy applied last stays just the same
  const byCommands = commands.length
    ? `; the tree's commands apply the files one by one (${commands.join(', ')}), and whichever copy is applied last replaces the other`
    : '';
  return {
    message:
      `is declared again, with other content, in ${others.join(', ')} of the same ${oneFolder ? 'folder' : 'tree'}: ` +
      `\`${apply}\` applies every file in name order, so this copy, ${here}, read last, replaces the other ` +
      `(an Argo CD Application syncing the folder keeps the last one too, with "Resource … appeared 2 times among application resources")${byCommands}; ` +
      'if the files are variants applied one at a time, nothing is lost, but the folder cannot be applied whole. Keep one declaration, or move the variant out of the applied tree (an overlay, or a folder of its own applied instead)',
  };
}
