import { describeSelection, excludeFor } from '../argocd/directory-source';
import { PlacedSource, placedSources } from '../argocd-paths';
import { generatedDirectoryHint } from '../application-sets';
import { Problem, Rule } from '../rule';

function sourceProblem(s: PlacedSource, suffix: string): Problem[] {
  // Argo CD walks the folder in name order and stops at the first file it refuses: named first
  const refused = s.unread.filter((u) => u.unread.kind === 'kindless').sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  if (!refused.length) return [];
  const files = refused.map((u) => u.relPath);
  const one = refused.length === 1;
  const what = refused
    .slice(0, 3)
    .map((u) => `${u.relPath}: ${u.unread.holds}`)
    .join('; ');
  return [
    {
      message:
        `directory source '${s.path}' (${describeSelection(s.selection!)}) reads ${one ? 'a YAML file' : `${refused.length} YAML files`} that Argo CD cannot decode as manifests: ` +
        `${what}${refused.length > 3 ? '; …' : ''}; its repo server fails to generate the manifests (Failed to unmarshal "${refused[0].relPath.split('/').pop()}") ` +
        `and the Application never syncs (ComparisonError): leave ${one ? 'it' : 'them'} out with directory.exclude: ` +
        `'${excludeFor(s.selection, files)}', move ${one ? 'it' : 'them'} out of the synced folder, or write # +argocd:skip-file-rendering in ${one ? 'it' : 'each'} (on a release that honours the marker); ` +
        `a Helm values file is read by a Helm source (helm.valueFiles), not a directory one${suffix}`,
    },
  ];
}

export const argocdYamlNotManifest: Rule = {
  id: 'argocd-yaml-not-manifest',
  title:
    'an Argo CD directory source reads a YAML file that is no Kubernetes object but looks like one (a Helm values file holding manifests), or that follows an object with another document: the Application never syncs',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    'the source is a directory source (no kustomization or Chart.yaml in the folder, no helm/kustomize/plugin/chart, or `directory` set) whose folder the checked input holds, and its settings (recurse, include, exclude) select a .yaml/.yml file with a document that is no object with a kind (a mapping without kind, a list without kind, a scalar) that Argo CD refuses: ' +
    'an object with a kind comes before it in the file, or no object does and the file holds all of the words `apiVersion:`, `kind:` and `metadata:` (a values file whose settings hold manifests, a kustomize configuration); ' +
    "a file without all three words whose first document is no object (a plain Helm values file) is passed over by Argo CD and not judged, nor is one holding +argocd:skip-file-rendering; a document with a kind and no apiVersion is argocd-directory-file-invalid's, a .json file argocd-json-not-manifest's",
  example: '`path: serving` whose folder holds `values.yaml` with `extraObjects:` (`apiVersion: v1`, `kind: ConfigMap`, `metadata:`) beside the manifests',
  fix: "leave the file out with directory.exclude (e.g. exclude: 'values.yaml'), move it out of the synced folder, write # +argocd:skip-file-rendering in it (on an Argo CD release that honours the marker), or deliver the chart it configures with a Helm source",
  source:
    'argo-cd reposerver/repository/repository.go findManifests → getObjsFromYAMLOrJSON and splitYAMLOrJSON: documents decode in order into unstructured objects, which need a kind ("Object \'Kind\' is missing"); the error fails the file when an object came before it ("Failed to unmarshal", testdata partially-valid-yaml) or the file holds apiVersion:, kind: and metadata: ("let\'s see if it looks like a resource"), and is ignored otherwise (testdata irrelevant-yaml); the ComparisonError stops every sync. Argo CD user guide, Directory, "Skipping File Rendering": Helm values.yaml files with apiVersion, kind and metadata fields "could result in errors"',
  check(o, { graph }) {
    const suffix = generatedDirectoryHint(o);
    return placedSources(graph, o).flatMap((s) => sourceProblem(s, suffix));
  },
};
