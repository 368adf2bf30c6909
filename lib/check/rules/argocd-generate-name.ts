import * as path from 'path';
import { mapping, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { ANY_KIND, Problem, Rule } from '../rule';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Applied, appliesObject } from '../script-delivery';

export const argocdGenerateName: Rule = {
  id: 'argocd-generate-name',
  title:
    'an object with metadata.generateName and no name that kubectl apply receives (an Argo CD Application syncing it as a plain resource, not a hook; a script or README `kubectl|oc apply -f`; a warning in a folder of named manifests whose delivery the tree does not show): the apply refuses it',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'an Application of the tree delivers the object from a directory source (a kustomization refuses a resource without a name itself: kustomize-build-fails), the object has generateName and no name, and it is no hook (argocd.argoproj.io/hook or helm.sh/hook); ' +
    'or a command of a script or README of the tree or of the repository above it (its README, Makefile, scripts/ folder, docs), `kubectl|oc apply -f` (client- or server-side), reads its file (the file, its folder, or a folder above with -R; a warning where the command runs after a `cd` check cannot follow and the file is taken for the one of that name); ' +
    '`kubectl|oc create -f` accepts it (it sends generateName to the API server, which makes the name): a file only created is not judged, and an Application that syncs one a command creates is said to be what fails; `replace` is not judged. ' +
    'Where nothing in the tree delivers the file (no Application of the tree, no command reads it) and its folder holds objects with fixed names, a folder applied whole, a warning; a file alone in its folder, or one a command creates, is not judged',
  example: '`generateName: nightly-eval-` on a PipelineRun with no hook annotation',
  fix: 'make it a hook (argocd.argoproj.io/hook: PostSync, or Sync, with argocd.argoproj.io/hook-delete-policy), which Argo CD creates with a generated name on each sync; or give it a fixed metadata.name; or keep it out of the synced or applied folder and create it with kubectl create -f',
  source:
    'kubernetes/kubectl pkg/cmd/apply (apply.go applyOneObject, before the client- and server-side paths part: "from <generateName>: cannot use generate name with apply"); pkg/cmd/create (create sends the object as written, the API server fills the name from generateName); Argo CD applies resources with kubectl apply semantics and creates generateName objects only for hooks ' +
    '(argo-cd docs user-guide/resource_hooks.md "Generate Name"; gitops-engine/pkg/sync/doc.go: "the equivalent of kubectl apply" for each resource, generateName for hooks re-created on each sync; argoproj/argo-cd #1639)',
  check(o, { graph }) {
    const meta = mapping(o.manifest.metadata);
    const generateName = text(meta.generateName);
    if (!generateName || text(meta.name)) return [];
    if (isHook(o)) return [];
    // through a kustomization, kustomize refuses it first ("missing metadata.name in object"): kustomize-build-fails says so
    if (o.kustomizations?.length) return [];
    const apps = deliverersOf(o, graph);
    if (!apps.length) return appliedByScript(o, generateName, graph) ?? inAppliedFolder(o, generateName, graph);
    const names = apps.map((a) => `Application '${text(mapping(a.manifest.metadata).name)}'`).join(', ');
    // a script or README that creates the file too is a path that works: the finding says which one fails
    const created = commandsReading(o, graph).find((a) => a.subcommand === 'create');
    const also = created ? ` (${shownCommand(created, graph)} creates it, which works; the Application's sync is what fails)` : '';
    return [
      {
        message:
          `metadata.generateName '${generateName}' without a name, synced by ${names} as a plain resource${also}: Argo CD applies it and the apply refuses it ("cannot use generate name with apply"), so the sync fails; ` +
          'annotate it argocd.argoproj.io/hook: PostSync (or Sync) to have a new one created on each sync, or give it a fixed metadata.name',
      },
    ];
  },
};

/**
 * The -f commands that read the object's file: those of the checked folder's scripts and READMEs, and those of the
 * scripts, Makefiles and guides of the repository above it (the root README's `kubectl create -f bench/job.yaml`).
 */
function commandsReading(o: GraphObject, graph: ObjectGraph): Applied[] {
  return [...graph.scriptApplied, ...graph.repositoryApplied].filter((a) => !a.kustomize && appliesObject(a, o));
}

/** A command as a message names it: the command and where it is written (a script above the folder by its path from where the check runs). */
const shownCommand = (a: Applied, graph: ObjectGraph) =>
  `\`${a.command}\` (${graph.repositoryApplied.includes(a) ? (a.file ?? a.script) : a.script}:${a.line})`;

/**
 * The commands of the tree's scripts and READMEs (and of the repository above it) that give the object's file to
 * `kubectl|oc apply -f`, which refuses an object with only a generateName (kubectl pkg/cmd/apply applyOneObject);
 * `create` accepts it. A warning where the command runs after a `cd` the reader could not follow (the file is assumed).
 */
function appliedByScript(o: GraphObject, generateName: string, graph: ObjectGraph): Problem[] | undefined {
  const read = commandsReading(o, graph);
  // a command that creates (or replaces) it says how it is delivered: only an apply is judged
  if (read.length && !read.some((a) => a.subcommand === 'apply')) return [];
  const by = read.filter((a) => a.subcommand === 'apply');
  if (!by.length) return undefined;
  const sure = by.filter((a) => !a.afterCd);
  const shown = (sure.length ? sure : by).slice(0, 2);
  const commands = shown.map((a) => shownCommand(a, graph)).join(' and ');
  const assumed = sure.length ? '' : ` (after \`${by[0].afterCd}\`, which check cannot follow, taken for the one file of the tree of that name)`;
  return [
    {
      ...(sure.length ? {} : { severity: 'warning' as const }),
      message:
        `metadata.generateName '${generateName}' without a name, applied by ${commands}${assumed}: kubectl apply refuses it ("cannot use generate name with apply"), ` +
        'so it is never created and the command exits with an error; create it with `kubectl create -f` (which lets the API server make the name), or give it a fixed metadata.name',
    },
  ];
}

/**
 * An object nothing in the tree delivers (no Application, no script or README command reads its file) in a folder
 * whose other objects have fixed names: a folder of manifests, which `kubectl apply -f <folder>` or an Argo CD
 * Application applies whole, and the apply refuses the generateName object. A warning: the tree does not show the
 * delivery, and `kubectl create -f` of the file makes it. A file alone in its folder, or beside other generateName
 * objects only, is taken for one meant for `kubectl create`.
 */
function inAppliedFolder(o: GraphObject, generateName: string, graph: ObjectGraph): Problem[] {
  if (!o.file || o.file === '-') return [];
  const folder = path.dirname(path.resolve(o.file));
  const beside = graph.objects.filter(
    (b) =>
      b !== o &&
      b.file &&
      b.file !== '-' &&
      !b.kustomizations?.length &&
      path.dirname(path.resolve(b.file)) === folder &&
      text(mapping(b.manifest.metadata).name),
  );
  if (!beside.length) return [];
  const named = beside.slice(0, 2).map((b) => `${String(b.manifest.kind)}/${text(mapping(b.manifest.metadata).name)}`);
  const more = beside.length > 2 ? ` and ${beside.length - 2} more` : '';
  return [
    {
      severity: 'warning',
      message:
        `metadata.generateName '${generateName}' without a name, in a folder of manifests with fixed names (${named.join(', ')}${more}) that nothing in the tree shows the delivery of: ` +
        'applied as a folder (kubectl apply -f, or an Argo CD Application syncing it, where it is no hook) it is refused ("cannot use generate name with apply"); only `kubectl create -f` makes it. ' +
        'Create it with `kubectl create -f` and keep it out of the applied folder, or give it a fixed metadata.name',
    },
  ];
}
