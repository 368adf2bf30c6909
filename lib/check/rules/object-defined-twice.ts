import * as fs from 'fs';
import * as path from 'path';
import { isClusterScoped } from '../../manifests/scope';
import { yamlLib } from '../../manifests/yaml-documents';
import { deliveryOf, undeliveredExample } from '../applied-together';
import { generatedFrom } from '../application-sets';
import { GraphObject, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';
import { deletedOnly } from '../script-delivery';
import { groupedOnce, identity, keptCopy, named } from './duplicate-object';

/** The files kubectl reads from a folder (cli-runtime pkg/resource/visitor.go FileExtensions: .json, .yaml, .yml). */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/**
 * Whether the file is one `kubectl apply -f <folder>` reads as manifests: a .yaml, .yml or .json file whose text parses
 * as YAML. A notes file of shell commands that apply heredocs is refused by kubectl as a whole: its objects are applied
 * by running the commands, one at a time, not by applying the folder.
 */
function folderManifestFile(file: string, graph: ObjectGraph): boolean {
  if (!MANIFEST_FILE.test(file)) return false;
  return graph.once(`object-defined-twice:parses:${file}`, () => {
    try {
      return yamlLib()
        .parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: false })
        .every((d) => !d.errors.length);
    } catch {
      // a file read by the reader but gone since: taken as read
      return true;
    }
  });
}

/**
 * Whether the object is a loose file's declaration that nothing of the tree delivers, in a file `kubectl apply -f
 * <folder> -R` would apply: no kustomize build, cdk8s app, Argo CD Application or script applies it (those are
 * duplicate-object's), and it is no template rendered first, example to copy, or file only deleted.
 */
function looseApplied(x: GraphObject, graph: ObjectGraph): boolean {
  return looseDeclaration(x, graph) && folderManifestFile(x.file!, graph);
}

/** looseApplied but for the file's parse, which reads the file again: asked first, of every object. */
function looseDeclaration(x: GraphObject, graph: ObjectGraph): boolean {
  if (!x.file || unitOf(x) || x.unit !== undefined || x.outside || x.template !== undefined || !named(x) || generatedFrom(x)) return false;
  return !deliveryOf(x, graph) && !undeliveredExample(x, graph) && !deletedOnly(graph, x);
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
  title: 'a namespaced object is declared twice, differently, in the loose files of a plain tree: applying the folder keeps whichever copy is read last',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    'two declarations of one namespaced object (apiVersion group, kind, namespace, name) in two loose files that nothing of the tree delivers otherwise (no kustomize build, cdk8s app, Argo CD Application or script command applies them: duplicate-object judges those), ' +
    'the one in the folder of the other or below it, with different content: a plain folder is applied whole (`kubectl apply -f dir/ -R`), which reads its files in name order and applies each, so the copy read last stays, and an Argo CD directory source keeps the last one too (RepeatedResourceWarning); ' +
    'a warning, since the files may be variants applied one at a time. Not judged: copies in sibling folders (environments or variants side by side), the same content twice, a file kubectl does not read as manifests (not .yaml, .yml or .json, or a notes file of shell commands that does not parse as YAML, whose heredocs are applied by running them), an example to copy (`*.example.yaml`), a template rendered first, a file only deleted, and objects of kustomize builds (kustomize refuses a repeated id in one build; two roots are alternatives)',
  example:
    'a `DataSciencePipelinesApplication` `dspa` of namespace `pipeline-test` in pipeline-server.yaml, and another with `externalDB` in the same file name of a subfolder alternatives/',
  fix: 'keep one declaration in the applied tree; move the variant out of it (an overlay, or a folder of its own applied instead)',
  source:
    'kubectl apply -f DIR -R: cli-runtime pkg/resource/visitor.go ExpandPathsToFileVisitors walks the folder with filepath.Walk (name order) and applies every .json, .yaml and .yml file, each document in turn; argo-cd controller/state.go DeduplicateTargetObjects keeps the last target read and sets RepeatedResourceWarning ("Resource %s appeared %d times among application resources.")',
  check(o, { graph }) {
    if (isClusterScoped(String(o.manifest.kind)) || !looseDeclaration(o, graph)) return [];
    const groups = groupedOnce(graph, 'loose-files', String(o.manifest.kind), (x) =>
      looseDeclaration(x, graph) ? identity(x, graph.namespaceOf(x.manifest)) : undefined,
    );
    // copies in one file are duplicate-object's (whoever applies the file applies both)
    const declared = (groups.get(identity(o, graph.namespaceOf(o.manifest))) ?? []).filter((x) => x.file !== o.file || x === o);
    // the files are parsed again only for an object declared twice: kubectl must read each copy's file
    if (declared.length < 2 || !looseApplied(o, graph)) return [];
    const same = declared.filter((x) => folderManifestFile(x.file!, graph));
    const { kept, differ } = keptCopy(same);
    if (same.length < 2 || kept !== o || !differ) return [];
    const dir = commonFolder(same.map((x) => x.file!));
    // copies in sibling folders (dev/, prod/) are alternatives side by side: one of them must be in the folder holding the others
    if (!same.some((x) => path.dirname(x.file!) === dir)) return [];
    const others = same.filter((x) => x !== o).map((x) => path.relative(dir, x.file!));
    const oneFolder = same.every((x) => path.dirname(x.file!) === dir);
    const apply = `kubectl apply -f ${path.basename(dir)}/${oneFolder ? '' : ' -R'}`;
    return [problem(others, oneFolder, apply, path.relative(dir, o.file!))];
  },
};

function problem(others: readonly string[], oneFolder: boolean, apply: string, here: string): Problem {
  return {
    message:
      `is declared again, with other content, in ${others.join(', ')} of the same ${oneFolder ? 'folder' : 'tree'}: ` +
      `\`${apply}\` applies every file in name order, so this copy, ${here}, read last, replaces the other ` +
      '(an Argo CD Application syncing the folder keeps the last one too, with "Resource … appeared 2 times among application resources"); ' +
      'if the files are variants applied one at a time, nothing is lost, but the folder cannot be applied whole. Keep one declaration, or move the variant out of the applied tree (an overlay, or a folder of its own applied instead)',
  };
}
