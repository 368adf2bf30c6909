import { Loose, mapping, mappings, text } from '../manifests/access';
import { generatorKind } from './appset-generators';
import { repositoryRoot } from './argocd-paths';
import { Finding } from './rule';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Why a generator's parameters are not known offline (argo-cd applicationset/generators: scm_provider.go and
 * pull_request.go query a Git hosting service, plugin.go an outside service, duck_type.go a cluster's resource,
 * cluster.go the cluster Secrets the live Argo CD holds, selected by labels; git.go reads the repository it names),
 * or undefined where the tree tells them: a list, a git generator on a repository the input shows, a clusters
 * generator without a selector (the tree's own cluster Secrets), and matrix and merge generators of such children.
 */
function generatorWhy(graph: ObjectGraph, generator: Loose, depth = 0): string | undefined {
  const kind = generatorKind(generator);
  const spec = mapping(kind ? generator[kind] : undefined);
  switch (kind) {
    case 'scmProvider':
      return 'its scmProvider generator lists the repositories of a Git hosting service';
    case 'pullRequest':
      return 'its pullRequest generator lists the open pull requests of a Git hosting service';
    case 'plugin':
      return 'its plugin generator asks a service outside the tree for its parameters';
    case 'clusterDecisionResource':
      return 'its clusterDecisionResource generator reads the decisions a resource of the cluster holds';
    case 'clusters': {
      const selector = mapping(spec.selector);
      const labelled = Object.keys(mapping(selector.matchLabels)).length > 0 || mappings(selector.matchExpressions).length > 0;
      return labelled ? 'its clusters generator selects by labels the cluster Secrets the live Argo CD holds' : undefined;
    }
    case 'git': {
      const repoURL = text(spec.repoURL);
      if (repoURL?.includes('{{')) return "its git generator reads a repository another generator's parameters name";
      return repoURL && repositoryRoot(graph, repoURL)
        ? undefined
        : `its git generator reads ${repoURL ?? 'a repository'}, a repository the input does not show`;
    }
    case 'matrix':
    case 'merge':
      return depth < 2
        ? mappings(spec.generators)
            .map((g) => generatorWhy(graph, g, depth + 1))
            .find((w) => w !== undefined)
        : undefined;
    default:
      return undefined;
  }
}

/** Why an ApplicationSet's generators make Applications check does not see: the first generator that cannot be expanded offline. */
export function unexpandedWhy(graph: ObjectGraph, set: GraphObject): string | undefined {
  return graph.once(`appset-unexpanded:${graph.id(set)}`, () =>
    mappings(mapping(set.manifest.spec).generators)
      .map((g) => generatorWhy(graph, g))
      .find((w) => w !== undefined),
  );
}

/** The ApplicationSets of the tree (not outside it) whose generators check cannot expand (unexpandedWhy). */
export function unexpandedApplicationSets(graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('ApplicationSet').filter((s) => !s.outside && String(s.manifest.apiVersion ?? '').startsWith('argoproj.io/') && unexpandedWhy(graph, s));
}

/**
 * The namespace an ApplicationSet's template delivers into: its destination namespace as written; undefined where a
 * generator's parameter makes it (`{{.namespace}}`), which may be any.
 */
export function templateNamespace(set: GraphObject): { readonly namespace?: string; readonly any: boolean } {
  const ns = text(mapping(mapping(mapping(mapping(set.manifest.spec).template).spec).destination).namespace);
  const patched = text(mapping(set.manifest.spec).templatePatch) !== undefined;
  return ns === undefined || ns.includes('{{') || patched ? { any: true } : { namespace: ns, any: false };
}

/**
 * One input-not-followed note per ApplicationSet whose Applications check does not see, naming it and why, as the
 * notes on Helm releases whose chart is not in the input: nothing they deliver is checked.
 */
export function unexpandedSetNotes(graph: ObjectGraph): Finding[] {
  return unexpandedApplicationSets(graph).map((set) => {
    const { namespace } = templateNamespace(set);
    const into = namespace ? ` into namespace '${namespace}'` : '';
    return {
      rule: 'input-not-followed',
      severity: 'info',
      object: graph.id(set),
      message:
        `${graph.id(set)} makes Applications check does not see: ${unexpandedWhy(graph, set)}, which check cannot expand offline, ` +
        `so the Applications it generates${into}, and what they deliver, are not checked (absent objects there are said as warnings at most)`,
      ...(set.file !== undefined ? { file: set.file } : {}),
      ...(set.line !== undefined ? { line: set.line } : {}),
    };
  });
}

/** Whether a template destination reaches a namespace (templateNamespace): its own, or any where a parameter makes it. */
export const deliversInto = (set: GraphObject, namespace: string): boolean => {
  const t = templateNamespace(set);
  return t.any || t.namespace === namespace;
};
