import { mapping, text } from '../../manifests/access';
import { deliverersOf, deliveredBy } from '../argocd/application';
import { projectName } from '../argocd/app-project';
import { placedSources, samePlace } from '../argocd-paths';
import { generatedFrom } from '../application-sets';
import { scriptApplying } from '../applied-together';
import { GraphObject, locationOf, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { didYouMean } from '../near-names';
import { Problem, Rule } from '../rule';

/** The id application-sets.ts gives the Applications an ApplicationSet generates. */
const setId = (set: GraphObject) => `ApplicationSet/${text(mapping(set.manifest.metadata).namespace) ?? ''}/${text(mapping(set.manifest.metadata).name) ?? ''}`;

/** The Application and every Application it delivers, transitively: its children, and those of its ApplicationSets. */
function appTree(app: GraphObject, graph: ObjectGraph): Set<GraphObject> {
  const seen = new Set<GraphObject>();
  const queue = [app];
  while (queue.length) {
    const a = queue.pop()!;
    if (seen.has(a)) continue;
    seen.add(a);
    const delivered = deliveredBy(a, graph);
    const sets = new Set(delivered.filter((x) => x.manifest.kind === 'ApplicationSet').map(setId));
    queue.push(...delivered.filter((x) => x.manifest.kind === 'Application'));
    queue.push(...graph.ofKind('Application').filter((g) => sets.has(generatedFrom(g) ?? '')));
  }
  return seen;
}

/**
 * Whether something other than the Applications of `tree` applies the AppProject: another Application, a kustomize
 * build none of them syncs (a bootstrap kustomization), a script or README command, or the build that applies the
 * root Application itself (whoever applies the root applies the project with it).
 */
function deliveredOtherwise(project: GraphObject, app: GraphObject, tree: Set<GraphObject>, graph: ObjectGraph): boolean {
  if (deliverersOf(project, graph).some((d) => !tree.has(d))) return true;
  if (scriptApplying(project, graph)) return true;
  if (project.file !== undefined && project.file === app.file) return true;
  const roots = [unitOf(project), ...(project.alsoBuiltBy ?? [])].filter((r) => r !== '');
  if (roots.some((r) => r === unitOf(app) || app.alsoBuiltBy?.includes(r))) return true;
  const places = [...tree].flatMap((a) => placedSources(graph, a).map((s) => s.place)).filter((p): p is string => p !== undefined);
  return roots.some((r) => !places.some((p) => samePlace(r, p)));
}

/** The finding for an AppProject only the Application's own tree delivers. */
function selfDelivered(app: GraphObject, name: string, projects: GraphObject[], graph: ObjectGraph): Problem[] {
  const tree = appTree(app, graph);
  const only = projects.every((p) => deliverersOf(p, graph).length > 0 && !deliveredOtherwise(p, app, tree, graph));
  if (!only) return [];
  const by = [...new Set(projects.flatMap((p) => deliverersOf(p, graph)))].map((d) => `'${text(mapping(d.manifest.metadata).name) ?? ''}'`);
  const where = projects.map(locationOf).filter((l) => l !== undefined);
  return [
    {
      message: `spec.project '${name}' names an AppProject (${where.join(', ') || name}) that only this Application's own sync delivers (through Application ${by.join(', ')}): until the project exists Argo CD refuses the Application ("Application referencing project ${name} which does not exist") and never syncs it, so nothing ever creates the project; apply the AppProject before the Application (a bootstrap kustomization or step listing both), or give this Application project default and let it deliver the project to its children`,
    },
  ];
}

export const argocdProjectNotCreated: Rule = {
  id: 'argocd-project-not-created',
  title: "an Application's AppProject is delivered only by that Application's own sync, or is not in the tree",
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "the Application names a project other than default; the tree's AppProject of that name is delivered only by this Application or the Applications it delivers (no other Application, kustomize build, script or README step applies it); a name no AppProject of the tree has, while the tree defines others, may be created outside the tree: a warning, when it misspells one of them",
  example: '`project: platform` on the root Application whose own folder holds the AppProject platform beside its child Applications',
  fix: 'apply the AppProject before the Application (with it in one bootstrap kustomization), or give the root Application project default and let it deliver the project its children use',
  source:
    'Argo CD controller/appcontroller.go refreshAppConditions (projectErrorToCondition in later releases) after util/argo/argo.go GetAppProject: an Application whose project is not found gets condition InvalidSpecError "Application referencing project <name> which does not exist" and is not synced; the controller retries on its resync period, so a child whose project appears later recovers',
  check(o, { graph }) {
    const name = text(mapping(o.manifest.spec).project) || 'default';
    if (name === 'default') return [];
    const all = graph.ofKind('AppProject');
    const projects = all.filter((p) => projectName(p.manifest) === name);
    if (projects.length) return selfDelivered(o, name, projects, graph);
    const meant = didYouMean(
      name,
      all.map((p) => ({ name: projectName(p.manifest), where: locationOf(p) })),
    );
    if (!meant) return [];
    return [
      {
        severity: 'warning',
        message: `spec.project '${name}' names no AppProject of the tree, which defines others (${meant}); unless '${name}' is created outside the tree, Argo CD refuses the Application ("Application referencing project ${name} which does not exist"): correct spec.project`,
      },
    ];
  },
};
