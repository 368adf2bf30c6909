import { builtAt, compareOutcome, isKustomizationObject, ownKustomizationLeftOut, plainRead, PlainRead } from '../argocd/directory-outcome';
import { chartAt, kustomizationAt, PlacedSource, placedSources } from '../argocd-paths';
import { generatedFrom } from '../application-sets';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** A list for a message: the first three, and how many more. */
const some = (items: readonly string[]) => `${items.slice(0, 3).join('; ')}${items.length > 3 ? `; and ${items.length - 3} more` : ''}`;

/** A gobwas/glob literal of a path (argo-cd util/glob): its special characters escaped. */
const globLiteral = (name: string) => name.replace(/[\\*?[\]{},]/g, '\\$&');

/**
 * Kustomization files the source reads: Argo CD applies each as an object of kind Kustomization, which no API serves,
 * so the sync fails (argo-cd util/argo/argo.go: "The Kubernetes API could not find … Make sure the … CRD is installed").
 */
function kustomizationRead(s: PlacedSource, read: readonly PlainRead[], own: boolean, suffix: string): Problem[] {
  const files = [...new Set(read.filter((r) => isKustomizationObject(r.manifest)).map((r) => r.relPath))].sort();
  if (!files.length) return [];
  const parts = [...(s.selection?.exclude ? [s.selection.exclude] : []), ...files.map(globLiteral)];
  const exclude = parts.length === 1 ? parts[0] : `{${parts.join(',')}}`;
  return [
    {
      message:
        `source path '${s.path}' sets directory, so Argo CD reads the files as written and applies ${some(files)} as an object of kind Kustomization ` +
        `(kustomize.config.k8s.io), which no API serves: the sync fails ("The Kubernetes API could not find kustomize.config.k8s.io/Kustomization … Make sure the ` +
        `"Kustomization" CRD is installed"); ${own ? 'remove directory from the source (Argo CD then builds the kustomization), or ' : ''}leave ` +
        `${files.length === 1 ? 'the file' : 'the files'} out with directory.exclude: '${exclude}' (exclude matches the path below '${s.path}': ` +
        `'kustomization.yaml' matches only the folder's own)${suffix}`,
    },
  ];
}

/** What is lost when Argo CD applies the files of a kustomize folder as written instead of building them. */
function buildLost(graph: ObjectGraph, s: PlacedSource, read: readonly PlainRead[], suffix: string): Problem[] {
  const built = builtAt(graph, s.place!);
  if (!built.length)
    return [
      {
        severity: 'warning',
        message: `source path '${s.path}' is a kustomization that was not built here as a root, but the source sets directory, so Argo CD applies its files as written, without the kustomization: check that nothing it adds or changes is needed, or remove directory from the source${suffix}`,
      },
    ];
  const diff = compareOutcome(
    built.map((o) => o.manifest),
    read.filter((r) => !isKustomizationObject(r.manifest)).map((r) => r.manifest),
  );
  // a source that leaves the kustomization file out with include or exclude chose directory mode: the files the
  // kustomization does not list are what its author applies; what the build makes and the files lack is still lost
  const chosen = ownKustomizationLeftOut(graph, s);
  const lost = [
    ...(diff.notApplied.length ? [`not applied: ${some(diff.notApplied)}`] : []),
    ...(diff.changed.length ? [`applied without the kustomization's changes: ${some(diff.changed)}`] : []),
    ...(diff.extra.length && !chosen ? [`applied though the kustomization leaves it out: ${some(diff.extra)}`] : []),
  ];
  if (!lost.length) return [];
  return [
    {
      message: `source path '${s.path}' is a kustomization, but the source sets directory, so Argo CD applies the files as written and the cluster does not get what the kustomization builds (${lost.join('; ')}); remove directory from the source${suffix}`,
    },
  ];
}

export const argocdDirectoryOnToolFolder: Rule = {
  id: 'argocd-directory-on-tool-folder',
  title:
    'an Argo CD source sets `directory` on a kustomization or a Helm chart: Argo CD applies the files as written, a kustomization file included, and not what the tool builds',
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "the source sets a `directory` that Argo CD keeps (recurse, include, exclude or jsonnet settings: the controller's NormalizeApplicationSpec drops an empty one, `directory: {recurse: false}` included, and the folder's files then decide the type), which makes its type Directory whatever the folder holds (argo-cd util/app/discovery: an explicit source type wins over detection), and the files it reads (recurse, include, exclude) hold a kustomization file (kind Kustomization or Component), or its folder is a kustomization whose build differs from its files as written (generators, patches, namespace, name prefixes, labels, resources outside the folder, files it leaves out), or its folder holds a Chart.yaml; a kustomization file left out with include or exclude (the author chose directory mode) is judged only on what the build makes and the files lack (a generator's ConfigMap, a patch), not on files the kustomization does not list",
  example: '`directory: {recurse: true}` on `path: infra/lws`, a folder whose `kustomization.yaml` lists the manifests',
  fix: 'remove `directory` from the source (Argo CD then detects kustomize or Helm), or move the plain manifests to a folder of their own',
  source:
    'Argo CD user guide, Directory: "If Argo CD encounters Kustomize, Helm, or Jsonnet files when directory: is set, it will fail to render the manifests"; argo-cd reposerver/repository/repository.go findManifests and getPotentiallyValidManifestFile read every selected .yaml/.yml/.json file as written, kustomization.yaml included as an object of kind Kustomization that no API serves, and build nothing',
  check(o, { graph }) {
    const suffix = generatedFrom(o) ? ` (the Application is generated by ${generatedFrom(o)}: fix its template's source)` : '';
    return placedSources(graph, o).flatMap((s) => {
      if (!s.directorySet || s.place === undefined) return [];
      if (chartAt(graph, s.place))
        return [
          {
            message: `source path '${s.path}' is a Helm chart, but the source sets directory, so Argo CD reads it as plain files instead of rendering it: its templates are no manifests and the sync fails to render (or syncs the files without the chart templates rendered); remove directory from the source${suffix}`,
          },
        ];
      const read = plainRead(graph, s);
      const own = kustomizationAt(graph, s.place);
      const refused = kustomizationRead(s, read, own, suffix);
      if (refused.length) return refused;
      return own ? buildLost(graph, s, read, suffix) : [];
    });
  },
};
