import { describeSelection, excludeFor } from '../argocd/directory-source';
import { placedSources } from '../argocd-paths';
import { generatedDirectoryHint } from '../application-sets';
import { Rule } from '../rule';

/**
 * What Argo CD says of a .json file that holds this (argo-cd reposerver/repository/repository.go getObjsFromYAMLOrJSON,
 * and the controller's UnmarshalToUnstructured for an object without a kind since v3.1 passes it on).
 */
function argoSays(holds: string): string {
  if (holds.includes('without a kind')) return "Object 'Kind' is missing";
  if (holds.includes('values one after another')) return 'Only single objects are allowed in JSON files';
  return 'Failed to unmarshal';
}

export const argocdJsonNotManifest: Rule = {
  id: 'argocd-json-not-manifest',
  title: 'an Argo CD directory source reads a .json file that is not a Kubernetes object (package.json, a config file, an array): the Application never syncs',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    'the source is a directory source (no kustomization in the folder, no helm/kustomize/plugin/chart) whose folder the checked input holds, and its settings (recurse, include, exclude) select a .json file, dot files such as .cdk8s-vllm.json included, that holds no object of a kind: another JSON object, an array, several values one after another, nothing, or text that is not JSON; a file with the text +argocd:skip-file-rendering anywhere is skipped by Argo CD and not judged; folders of kustomize sources and Helm charts are not judged',
  example: '`path: serving` whose folder holds `config.json` (`{"models": ["granite"]}`) beside the manifests',
  fix: "leave the file out with directory.exclude (e.g. exclude: 'config.json'), move it out of the synced folder, or make it one object (a List's items for several)",
  source:
    'argo-cd reposerver/repository/repository.go findManifests → getObjsFromYAMLOrJSON: a .json file is decoded as one object with a kind ("Failed to unmarshal", "Object \'Kind\' is missing", "Only single objects are allowed in JSON files"); the ComparisonError stops every sync of the Application (argoproj/argo-cd#10648, #11001)',
  check(o, { graph }) {
    const suffix = generatedDirectoryHint(o);
    return placedSources(graph, o).flatMap((s) => {
      const refused = s.unread.filter((u) => u.unread.kind === 'not-manifest');
      if (!refused.length) return [];
      const files = refused.map((u) => u.relPath).sort();
      const what = refused
        .slice(0, 3)
        .map((u) => `${u.relPath} (${u.unread.holds}: "${argoSays(u.unread.holds ?? '')}")`)
        .join(', ');
      return [
        {
          message:
            `directory source '${s.path}' (${describeSelection(s.selection!)}) reads ${refused.length === 1 ? 'a .json file that is' : `${refused.length} .json files that are`} ` +
            `not a Kubernetes object: ${what}${refused.length > 3 ? ', …' : ''}; Argo CD's repo server fails to generate the manifests and the Application ` +
            `never syncs (ComparisonError): leave ${refused.length === 1 ? 'it' : 'them'} out with directory.exclude: '${excludeFor(s.selection, files)}', or move ` +
            `${refused.length === 1 ? 'it' : 'them'} out of the folder${suffix}`,
        },
      ];
    });
  },
};
