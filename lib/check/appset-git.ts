import * as fs from 'fs';
import * as path from 'path';
import { mapping, stringMap, text } from '../manifests/access';
import { applicationsFromParams } from './application-sets';
import { generatorKind, GeneratorInputs, generatorParams, hasContent, RepositoryFile } from './appset-generators';
import { CLUSTER_SECRET_LABEL } from './argocd/clusters';
import { mirrorCheckoutRoot, repositoryFolders, repositoryInputFolders, repositoryRoot, RepositoryRoot } from './argocd-paths';
import { GraphObject } from './graph-object';
import { GraphOptions, ObjectGraph } from './graph';

/** The root of a repository a generator lists: as the input shows it (repositoryRoot), else a clone of a local mirror of it. */
const generatorRoot = (graph: ObjectGraph, repoURL: string): RepositoryRoot | undefined => repositoryRoot(graph, repoURL) ?? mirrorCheckoutRoot(graph, repoURL);

/** The files of the input folders at and below a repository root, as paths from the root, read when asked. */
function repositoryFiles(graph: ObjectGraph, repoURL: string): RepositoryFile[] | undefined {
  const root = generatorRoot(graph, repoURL);
  if (!root) return undefined;
  return repositoryInputFolders(graph, root).flatMap(([folder, repoPath]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isFile())
      .map((e) => ({
        path: path.posix.join(repoPath, e.name),
        content: () => {
          try {
            return fs.readFileSync(path.join(folder, e.name), 'utf8');
          } catch {
            return undefined;
          }
        },
      }));
  });
}

/**
 * What an ApplicationSet's generators read from the graph: the folders and files of repositories whose root the
 * input shows (a git clone of it, or the folder its other paths start in: argocd-paths repositoryRoot), and the
 * Secrets labelled as Argo CD clusters in the ApplicationSet's namespace (or in none). Only what the input holds is
 * listed, so a tree checked from a part of the repository makes only that part's Applications, and a clusters
 * generator makes those of the declared clusters only: the live Argo CD may know more.
 */
function generatorInputs(graph: ObjectGraph, set: GraphObject): GeneratorInputs {
  const namespace = text(mapping(set.manifest.metadata).namespace);
  return {
    folders: (repoURL) => {
      const root = generatorRoot(graph, repoURL);
      return root && repositoryFolders(graph, root);
    },
    files: (repoURL) => graph.once(`argocd-files:${repoURL}`, () => repositoryFiles(graph, repoURL)),
    clusterSecrets: graph
      .ofKind('Secret')
      .map((s) => s.manifest)
      .filter((s) => stringMap(mapping(s.metadata).labels)[CLUSTER_SECRET_LABEL] === 'cluster')
      .filter((s) => [undefined, namespace].includes(text(mapping(s.metadata).namespace))),
  };
}

/**
 * The Applications an ApplicationSet's generators make beyond its top-level list generators (which the graph expands
 * itself): git directories and files of a repository the input shows, the clusters the tree declares, and matrix and
 * merge generators over those and lists (appset-generators generatorParams). A generator whose sets the tree does
 * not tell (another repository, SCM providers, pull requests, plugins), or that has its own template, makes none.
 */
export function treeGeneratedApplications(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('ApplicationSet').flatMap((set) => setGeneratedApplications(graph, set));
}

/** The Applications one ApplicationSet's generators other than top-level lists make from what the graph shows (treeGeneratedApplications'). */
export function setGeneratedApplications(graph: ObjectGraph, set: GraphObject): GraphObject[] {
  const spec = mapping(set.manifest.spec);
  const go = spec.goTemplate === true;
  const inputs = generatorInputs(graph, set);
  const params = (Array.isArray(spec.generators) ? (spec.generators as unknown[]) : []).flatMap((g) => {
    const kind = generatorKind(mapping(g));
    if (!kind || kind === 'list' || hasContent(mapping(mapping(g)[kind]).template)) return [];
    return generatorParams(mapping(g), inputs, go) ?? [];
  });
  return applicationsFromParams(set, params);
}

/**
 * The graph of the objects with the Applications of the ApplicationSets' other generators added. Which folders and
 * files a generator lists depends on where the repository's root is, which the graph of the written objects tells;
 * the graph is then made again with the generated Applications, so that every rule judges them as written ones.
 */
export function graphWithGenerated(objects: readonly GraphObject[], options: GraphOptions): ObjectGraph {
  const graph = new ObjectGraph(objects, options);
  const generated = treeGeneratedApplications(graph);
  return generated.length ? new ObjectGraph([...objects, ...generated], options) : graph;
}
