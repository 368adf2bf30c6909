import { HOOK_ANNOTATION } from '../../k8s/keys';
import { mapping, stringMap } from '../../manifests/access';
import type { GraphObject } from '../graph-object';

/** Helm's hook annotation: Argo CD maps Helm hooks to its own phases (argo-cd docs user-guide/helm.md "Helm Hooks"). */
export const HELM_HOOK = 'helm.sh/hook';

/** An Argo CD hook: annotated argocd.argoproj.io/hook, or helm.sh/hook, which Argo CD reads as one. */
export function isHook(o: GraphObject): boolean {
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  return annotations[HOOK_ANNOTATION] !== undefined || annotations[HELM_HOOK] !== undefined;
}
