import { copiesOf } from '../argocd/work-tree-copy';
import { exportedWhole, LEFT_OUT_HEDGE, placedSources, sourcePathMissing, templatedRepository } from '../argocd-paths';
import { missingFromWorkTree } from '../argocd-work-tree-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { firstById } from '../one-per-cause';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { generatedSuffix } from './argocd-path-missing';

/** A source path the input does not hold, with the reading of the repository that placed it (the finding's hedge). */
interface Unplaced {
  readonly path: string;
  readonly assumed: string;
  /** The hedge of the finding: LEFT_OUT_HEDGE unless a work tree around the checked folder was read. */
  readonly hedge?: string;
}

/**
 * A path of another repository than the work tree around the checked folder, where that work tree is a fork or copy of
 * it (it holds the repository's other paths) and lacks this folder.
 */
function missingInCopy(graph: ObjectGraph, s: { repoURL?: string; path: string }): Unplaced | undefined {
  if (!s.repoURL || templatedRepository(s.repoURL) || s.path === '.') return undefined;
  const copy = copiesOf(graph, s.repoURL, s.path)[0];
  if (!copy) return undefined;
  const held = copy.held.slice(0, 3).map((p) => `'${p}'`);
  const remote = copy.checkout.remotes[0] ? ` (remote ${copy.checkout.remotes[0]})` : '';
  return {
    path: s.path,
    assumed: `the git work tree around the checked folder${remote} is no clone of ${s.repoURL} but holds its other paths (${held.join(', ')}${copy.held.length > 3 ? ', …' : ''}): a fork or copy of it`,
    hedge: 'the folder is missing from that copy, so it is likely missing from the repository as well',
  };
}

function unplacedOf(graph: ObjectGraph, o: GraphObject): Unplaced[] {
  return placedSources(graph, o).flatMap((s) => {
    // a clone around the checked folder that lacks the path: argocd-path-missing's error
    if (holdsTemplate(s.path) || s.root?.whole || exportedWhole(graph, s) || missingFromWorkTree(graph, s.repoURL, s.path)) return [];
    if (!sourcePathMissing(graph, s)) return missingInCopy(graph, s) ?? [];
    const assumed = s.root
      ? `${s.root.reading}, taken as the repository's root`
      : "matched by its trailing folders, the checked folders taken as the repository's";
    return [{ path: s.path, assumed }];
  });
}

/** A cause: the reading of the repository, and for a generated Application its ApplicationSet (whose parameter is the fix). */
const causeOf = (app: GraphObject, u: Unplaced) => `${u.assumed}\0${generatedSuffix(app, 'path')}`;

/** The Applications of each cause (the input is a part of the repository), the first by id first. */
function byReading(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('argocd-path-not-in-input:readings', () => {
    const by = new Map<string, GraphObject[]>();
    for (const app of graph.ofKind('Application'))
      for (const u of unplacedOf(graph, app))
        if (!(by.get(causeOf(app, u)) ?? []).includes(app)) by.set(causeOf(app, u), [...(by.get(causeOf(app, u)) ?? []), app]);
    return firstById(graph, by);
  });
}

export const argocdPathNotInInput: Rule = {
  id: 'argocd-path-not-in-input',
  title: 'an Argo CD Application points at a path the checked input does not hold, where the input may be a part of the repository',
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    "one finding per reading of the repository (and ApplicationSet, for generated Applications), on the first Application (by kind, namespace and name) it leaves a path out for, naming the paths of the others; the path is read as argocd-path-missing reads it (the repository the input shows, the root the input's Applications' paths start from, or their trailing folders), but no git work tree of the repository is checked: a folder copied out of a repository, or a subfolder of one, leaves out folders the repository does have, so the path may exist there; in a git clone, or an export of the whole repository at the Application's revision (a root holding a README where another path at the same targetRevision names a folder), a missing path is argocd-path-missing's error; a path that is a folder of the git work tree holding the checked folder (a subfolder of the clone checked), whose remote is the repository, a fork or a mirror of it, is there: not said; " +
    "a path of another repository than the work tree around the checked folder (no remote of it names the repoURL) that is no folder of that work tree, while it holds at least two other paths the input's Applications name in that repository (a fork or copy of it), is said with that reading: the folder is likely missing from the repository as well",
  example: '`path: monitoring/dashboards` in a checked folder with no monitoring folder and no .git; `path: gitops/serve` beside gitops/serving',
  fix: "point source.path at a folder of the repository; check the repository's git clone to have a missing path judged",
  source:
    'Argo CD: "app path does not exist" (ComparisonError) when the repository has no such folder (reposerver GenerateManifests, appPath = repoRoot + path)',
  check(o, { graph }) {
    const mine = unplacedOf(graph, o);
    const readings = byReading(graph);
    return [...new Set(mine.map((u) => causeOf(o, u)))].flatMap((cause): Problem[] => {
      const apps = readings.get(cause) ?? [o];
      if (apps[0] !== o) return [];
      const paths = apps.flatMap((app) =>
        unplacedOf(graph, app)
          .filter((u) => causeOf(app, u) === cause)
          .map((u) => ({ app, path: u.path })),
      );
      const first = mine.find((u) => causeOf(o, u) === cause);
      const assumed = first?.assumed ?? '';
      const said =
        paths.length === 1
          ? `source path '${paths[0].path}' is`
          : `source paths ${paths.map((p) => `'${p.path}'${p.app === o ? '' : ` (${graph.id(p.app)})`}`).join(', ')} are`;
      return [
        {
          message:
            `${said} not in the checked input (${assumed}; ${first?.hedge ?? LEFT_OUT_HEDGE}): ` +
            `if the repository has no such folder, Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository's clone to judge it${generatedSuffix(o, 'path')}`,
        },
      ];
    });
  },
};
