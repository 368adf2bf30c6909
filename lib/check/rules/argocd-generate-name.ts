import { mapping, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { ANY_KIND, Problem, Rule } from '../rule';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { appliesObject } from '../script-delivery';

export const argocdGenerateName: Rule = {
  id: 'argocd-generate-name',
  title:
    'an object with metadata.generateName and no name that kubectl apply receives (an Argo CD Application syncing it as a plain resource, not a hook; a script or README `kubectl|oc apply -f`): the apply refuses it',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'an Application of the tree delivers the object from a directory source (a kustomization refuses a resource without a name itself: kustomize-build-fails), the object has generateName and no name, and it is no hook (argocd.argoproj.io/hook or helm.sh/hook); ' +
    'or a command of a script or README of the tree, `kubectl|oc apply -f` (client- or server-side), reads its file (the file, its folder, or a folder above with -R; a warning where the command runs after a `cd` check cannot follow and the file is taken for the one of that name); ' +
    '`kubectl|oc create -f` accepts it (it sends generateName to the API server, which makes the name), and `replace` is not judged; a file nothing applies is not judged',
  example: '`generateName: nightly-eval-` on a PipelineRun with no hook annotation',
  fix: 'make it a hook (argocd.argoproj.io/hook: PostSync, or Sync, with argocd.argoproj.io/hook-delete-policy), which Argo CD creates with a generated name on each sync; or give it a fixed metadata.name; or keep it out of the synced or applied folder and create it with kubectl create -f',
  source:
    'kubernetes/kubectl pkg/cmd/apply (apply.go applyOneObject, before the client- and server-side paths part: "from <generateName>: cannot use generate name with apply"); pkg/cmd/create (create sends the object as written, the API server fills the name from generateName); Argo CD applies resources with kubectl apply semantics and creates generateName objects only for hooks ' +
    '(argo-cd docs user-guide/resource_hooks.md "Generate Name"; argoproj/argo-cd #1639)',
  check(o, { graph }) {
    const meta = mapping(o.manifest.metadata);
    const generateName = text(meta.generateName);
    if (!generateName || text(meta.name)) return [];
    if (isHook(o)) return [];
    // through a kustomization, kustomize refuses it first ("missing metadata.name in object"): kustomize-build-fails says so
    if (o.kustomizations?.length) return [];
    const apps = deliverersOf(o, graph);
    if (!apps.length) return appliedByScript(o, generateName, graph);
    const names = apps.map((a) => `Application '${text(mapping(a.manifest.metadata).name)}'`).join(', ');
    return [
      {
        message:
          `metadata.generateName '${generateName}' without a name, synced by ${names} as a plain resource: Argo CD applies it and the apply refuses it ("cannot use generate name with apply"), so the sync fails; ` +
          'annotate it argocd.argoproj.io/hook: PostSync (or Sync) to have a new one created on each sync, or give it a fixed metadata.name',
      },
    ];
  },
};

/**
 * The commands of the tree's scripts and READMEs that give the object's file to `kubectl|oc apply -f`, which refuses an
 * object with only a generateName (kubectl pkg/cmd/apply applyOneObject); `create` accepts it. A warning where the
 * command runs after a `cd` the reader could not follow (the file is assumed).
 */
function appliedByScript(o: GraphObject, generateName: string, graph: ObjectGraph): Problem[] {
  const by = graph.scriptApplied.filter((a) => !a.kustomize && a.subcommand === 'apply' && appliesObject(a, o));
  if (!by.length) return [];
  const sure = by.filter((a) => !a.afterCd);
  const shown = (sure.length ? sure : by).slice(0, 2);
  const commands = shown.map((a) => `\`${a.command}\` (${a.script}:${a.line})`).join(' and ');
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
