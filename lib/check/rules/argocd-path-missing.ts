import { applicationPaths, folderExists, inputCoversRepoOf, objectsAt } from '../argocd-paths';
import { Rule } from '../rule';

export const argocdPathMissing: Rule = {
  id: 'argocd-path-missing',
  title: 'an Argo CD Application points at a path that holds nothing in the checked tree',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    'the checked input holds the repository folder the path starts in (a tree checked without it is not judged); a folder that exists but was not read (a Helm chart) counts as there',
  example: 'source.path: dist/gitops/step-05/bse, a folder that does not exist',
  fix: 'point source.path at a folder of the tree (with its kustomization.yaml)',
  source: 'Argo CD: "app path does not exist" (ComparisonError); the Application never syncs',
  check(o, { graph }) {
    return applicationPaths(o)
      .filter((p) => inputCoversRepoOf(graph, p) && objectsAt(graph, p).length === 0 && !folderExists(graph, p))
      .map((p) => ({
        message: `source path '${p}' holds no object of the checked tree; Argo CD reports "app path does not exist": point it at a folder of the tree`,
      }));
  },
};
