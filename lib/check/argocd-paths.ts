import { mapping, mappings, text } from '../manifests/access';
import { GraphObject, ObjectGraph } from './graph';

/** The source paths of an Argo CD Application (`source.path`, or every `sources[].path`). */
export function applicationPaths(app: GraphObject): string[] {
  const spec = mapping(app.manifest.spec);
  const paths = [text(mapping(spec.source).path), ...mappings(spec.sources).map((s) => text(s.path))];
  return paths.filter((p): p is string => !!p).map((p) => p.replace(/^\.\/|\/+$/g, ''));
}

const slash = (p: string) => p.split('\\').join('/').replace(/^\.\//, '');

/** Whether a folder of the checked input is the repository folder a path names (by its trailing segments). */
function samePlace(folder: string, repoPath: string): boolean {
  const f = slash(folder).replace(/\/+$/, '');
  return f === repoPath || f.endsWith(`/${repoPath}`) || (repoPath.includes('/') && repoPath.endsWith(`/${f}`) && f.includes('/'));
}

/**
 * The objects an Application's path delivers: those a kustomization at that path built, else (for folders without
 * a kustomization) those read from files below it.
 */
export function objectsAt(graph: ObjectGraph, repoPath: string): GraphObject[] {
  return graph.once(`argocd-path:${repoPath}`, () =>
    graph.objects.filter((o) => {
      if (o.kustomizations?.length) return o.kustomizations.some((k) => samePlace(k, repoPath));
      const file = o.file ? slash(o.file) : '';
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      return !!dir && (samePlace(dir, repoPath) || dir.split('/').some((_, i, parts) => samePlace(parts.slice(0, i + 1).join('/'), repoPath)));
    }),
  );
}

/** Whether a folder of the checked input is the one a path names, whether or not objects were read from it. */
export function folderExists(graph: ObjectGraph, repoPath: string): boolean {
  return (graph.folders ?? []).some((f) => samePlace(f, repoPath));
}

/** Whether the checked input holds the part of the repository a path points into (else no verdict on it). */
export function inputCoversRepoOf(graph: ObjectGraph, repoPath: string): boolean {
  const top = repoPath.split('/')[0];
  return graph.objects.some((o) => !!o.file && slash(o.file).split('/').includes(top)) || (graph.folders ?? []).some((f) => slash(f).split('/').includes(top));
}
