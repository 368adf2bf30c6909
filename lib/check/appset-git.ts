import { Loose, mapping } from '../manifests/access';
import { applicationsFromParams, fillPlaceholders } from './application-sets';
import { directoryParams, filterApps, GitDirectoryGenerator, gitDirectoryGenerators } from './argocd/git-directories';
import { repositoryFolders, repositoryRoot } from './argocd-paths';
import { GraphObject, GraphOptions, ObjectGraph } from './graph';

/**
 * A directory's parameters with the generator's `values` added, each filled from the path parameters
 * (argo-cd applicationset/generators/generator_spec_processor.go appendTemplatedValues): flat `values.<key>` with
 * fasttemplate, a `values` object with goTemplate. A value whose placeholders do not fill is left out, so a template
 * that uses it is not expanded.
 */
function withValues(params: Loose, generator: GitDirectoryGenerator, go: boolean): Loose {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(generator.values)) {
    const filled = fillPlaceholders(value, params, go);
    if (typeof filled === 'string') values[key] = filled;
  }
  if (go) return Object.keys(values).length ? { ...params, values } : params;
  return { ...params, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`values.${k}`, v])) };
}

/**
 * The Applications an ApplicationSet's git directory generators make, for generators whose repoURL is a repository
 * whose root the input shows (a git clone of it, or the folder its other paths start in: argocd-paths
 * repositoryRoot): one per folder of the repository that an include item matches and no exclude item does
 * (git-directories filterApps), the template filled with that folder's path parameters. Only the folders the input
 * holds are listed, so a tree checked from a part of the repository makes only that part's Applications.
 */
export function gitGeneratedApplications(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('ApplicationSet').flatMap((set) => {
    const spec = mapping(set.manifest.spec);
    const go = spec.goTemplate === true;
    const params = gitDirectoryGenerators(spec).flatMap((generator) => {
      const root = repositoryRoot(graph, generator.repoURL);
      if (!root) return [];
      return filterApps(generator.directories, repositoryFolders(graph, root)).map((dir) =>
        withValues(directoryParams(dir, go, generator.prefix), generator, go),
      );
    });
    return applicationsFromParams(set, params);
  });
}

/**
 * The graph of the objects with the Applications of the ApplicationSets' git directory generators added. Which folders
 * a generator lists depends on where the repository's root is, which the graph of the written objects tells; the
 * graph is then made again with the generated Applications, so that every rule judges them as written ones.
 */
export function graphWithGitGenerated(objects: readonly GraphObject[], options: GraphOptions): ObjectGraph {
  const graph = new ObjectGraph(objects, options);
  const generated = gitGeneratedApplications(graph);
  return generated.length ? new ObjectGraph([...objects, ...generated], options) : graph;
}
