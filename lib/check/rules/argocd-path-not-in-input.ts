import { placedSources, sourcePathMissing } from '../argocd-paths';
import { Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { generatedSuffix } from './argocd-path-missing';

export const argocdPathNotInInput: Rule = {
  id: 'argocd-path-not-in-input',
  title: 'an Argo CD Application points at a path the checked input does not hold, where the input may be a part of the repository',
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    "the path is read as argocd-path-missing reads it (the repository the input shows, the root the input's Applications' paths start from, or their trailing folders), but no git work tree of the repository is checked: a folder copied out of a repository, or a subfolder of one, leaves out folders the repository does have, so the path may exist there; in a git clone a missing path is argocd-path-missing's error",
  example: '`path: monitoring/dashboards` in a checked folder with no monitoring folder and no .git; `path: gitops/serve` beside gitops/serving',
  fix: "point source.path at a folder of the repository; check the repository's git clone to have a missing path judged",
  source:
    'Argo CD: "app path does not exist" (ComparisonError) when the repository has no such folder (reposerver GenerateManifests, appPath = repoRoot + path)',
  check(o, { graph }) {
    return placedSources(graph, o).flatMap((s) => {
      if (holdsTemplate(s.path) || s.root?.whole || !sourcePathMissing(graph, s)) return [];
      const assumed = s.root
        ? `${s.root.reading}, taken as the repository's root`
        : "matched by its trailing folders, the checked folders taken as the repository's";
      return [
        {
          message:
            `source path '${s.path}' is not in the checked input (${assumed}; no git work tree of the repository is checked, so the folder may exist in the part of the repository left out): ` +
            `if the repository has no such folder, Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository's clone to judge it${generatedSuffix(o, 'path')}`,
        },
      ];
    });
  },
};
