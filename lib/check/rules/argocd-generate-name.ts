import { mapping, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { isHook } from '../argocd/hooks';
import { ANY_KIND, Rule } from '../rule';

export const argocdGenerateName: Rule = {
  id: 'argocd-generate-name',
  title: 'an object with metadata.generateName and no name that an Argo CD Application syncs as a plain resource (not a hook): the apply refuses it',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    'an Application of the tree delivers the object from a directory source (a kustomization refuses a resource without a name itself: kustomize-build-fails), the object has generateName and no name, and it is no hook (argocd.argoproj.io/hook or helm.sh/hook); ' +
    'a file no Application delivers is not judged (kubectl create accepts it)',
  example: '`generateName: nightly-eval-` on a PipelineRun with no hook annotation',
  fix: 'make it a hook (argocd.argoproj.io/hook: PostSync, or Sync, with argocd.argoproj.io/hook-delete-policy), which Argo CD creates with a generated name on each sync; or give it a fixed metadata.name; or keep it out of the synced folder and create it with kubectl create',
  source:
    'kubernetes/kubectl pkg/cmd/apply (apply.go: "from <generateName>: cannot use generate name with apply"); Argo CD applies resources with kubectl apply semantics and creates generateName objects only for hooks ' +
    '(argo-cd docs user-guide/resource_hooks.md "Generate Name"; argoproj/argo-cd #1639)',
  check(o, { graph }) {
    const meta = mapping(o.manifest.metadata);
    const generateName = text(meta.generateName);
    if (!generateName || text(meta.name)) return [];
    if (isHook(o)) return [];
    // through a kustomization, kustomize refuses it first ("missing metadata.name in object"): kustomize-build-fails says so
    if (o.kustomizations?.length) return [];
    const apps = deliverersOf(o, graph);
    if (!apps.length) return [];
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
