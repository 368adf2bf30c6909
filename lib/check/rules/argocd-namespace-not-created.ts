import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliveredBy, deliverersOf } from '../argocd/application';
import { objectsAt, placedSources } from '../argocd-paths';
import { workTreeSourceOf } from '../argocd-outside-sources';
import { destinationNamespace } from '../argocd/destination-namespace';
import { generatedFrom } from '../application-sets';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { JudgedPlatform, operatorCreatedNamespace } from '../operator-namespaces';
import { Problem, Rule } from '../rule';
import { managedServiceNamespace } from '../managed-namespaces';
import { repositoryObjectsOf } from '../found-elsewhere';
import type { RepositoryObject } from '../../manifests/repository-objects';
import { componentNamespace, createdWithoutTree, createsNamespace, NAMESPACE_KINDS, namespaceCreator, syncsKnown } from '../tree-namespaces';

/**
 * The objects of the input that make each namespace, with whether an Application syncs them; an Application with
 * CreateNamespace=true makes its destination namespace whatever its source (a remote chart, another repository:
 * gitops-engine creates spec.destination.namespace before it applies anything), as it is itself applied.
 */
function namespaceMakers(graph: ObjectGraph): Map<string, { object: GraphObject; synced: boolean }[]> {
  return graph.once('argocd-namespace-makers', () => {
    const by = new Map<string, { object: GraphObject; synced: boolean }[]>();
    const add = (name: string, object: GraphObject, synced: boolean) => by.set(name, [...(by.get(name) ?? []), { object, synced }]);
    for (const o of NAMESPACE_KINDS.flatMap((k) => graph.ofKind(k))) {
      const name = text(mapping(o.manifest.metadata).name);
      if (name) add(name, o, deliverersOf(o, graph).length > 0);
    }
    for (const app of graph.ofKind('Application')) {
      const ns = destinationNamespace(app.manifest);
      if (ns && createsNamespace(app.manifest)) add(ns, app, true);
    }
    return by;
  });
}

/**
 * The manifest of the git repository around the checked folder that makes the namespace outside it: a Namespace (or
 * Project) of that name, or another Application (of the same app-of-apps: the repository) whose destination it is,
 * with CreateNamespace=true.
 */
function repositoryNamespaceMaker(graph: ObjectGraph, ns: string): RepositoryObject | undefined {
  const all = repositoryObjectsOf(graph);
  return (
    all.find((r) => NAMESPACE_KINDS.includes(r.kind) && r.name === ns) ??
    all.find((r) => r.kind === 'Application' && destinationNamespace(r.manifest) === ns && createsNamespace(r.manifest))
  );
}

/**
 * A missing namespace the repository makes outside the checked folder (repositoryNamespaceMaker): a note naming the
 * file, to be synced first, then what happens without it; the problem unchanged elsewhere.
 */
function unlessRepositoryMakesNamespace(graph: ObjectGraph, ns: string, problem: Problem): Problem {
  const maker = repositoryNamespaceMaker(graph, ns);
  if (!maker) return problem;
  const how =
    maker.kind === 'Application'
      ? `Application '${maker.name}' there syncs into it with CreateNamespace=true`
      : `a ${maker.kind} manifest of the same repository, deploys it`;
  return {
    ...problem,
    severity: 'info',
    message: `namespace '${ns}' is made outside the checked folder: ${maker.file} (line ${maker.line}), ${how}; make sure it is synced first. Without it: ${problem.message}`,
    summary: 'namespaces a manifest or Application of the repository outside the checked folder makes',
  };
}

/** The namespace upstream Argo CD's install manifests put it in (argo-cd manifests/install.yaml, applied with -n argocd), and OpenShift GitOps'. */
const ARGO_CD_HOMES = ['argocd', 'openshift-gitops'];

/**
 * The namespaces Argo CD runs in, which exist wherever it does: its usual homes, the namespace of the Application
 * syncing (Argo CD reconciles it there), and those of the tree's ArgoCD instances (argocd-operator's ArgoCD resource).
 */
function argoCdNamespaces(app: GraphObject, graph: ObjectGraph): Set<string> {
  const own = text(mapping(app.manifest.metadata).namespace);
  const instances = graph.ofKind('ArgoCD').map((o) => graph.namespaceOf(o.manifest));
  return new Set([...ARGO_CD_HOMES, ...(own ? [own] : []), ...instances.filter((n): n is string => n !== undefined)]);
}

/** The namespaces the Application's namespaced objects land in (their own, else the destination's), each with its first object. */
function namespacesUsed(app: GraphObject, graph: ObjectGraph): Map<string, GraphObject> {
  const used = new Map<string, GraphObject>();
  for (const o of deliveredBy(app, graph)) {
    if (isClusterScoped(String(o.manifest.kind))) continue;
    const ns = graph.namespaceOf(o.manifest);
    if (ns && !ns.includes('{{') && !used.has(ns)) used.set(ns, o);
  }
  return used;
}

/** One Application syncing objects into a namespace nothing creates. */
interface Missing {
  readonly app: GraphObject;
  readonly first: GraphObject;
  readonly severity: 'error' | 'warning';
  /** Namespaces of the tree no Application syncs, where they are. */
  readonly unsynced: string[];
  /** The path of the Application's directory source below which those Namespaces lie, unread without directory.recurse. */
  readonly unrecursed?: string;
  /** The file of a Namespace of that name in a kustomize folder that no kustomization lists: written, never built. */
  readonly forgotten?: string;
  readonly destination: boolean;
}

/**
 * The path of a directory source of the Application that does not recurse, below whose folder the object lies in a
 * subfolder: Argo CD reads only the folder's own files there (reposerver findManifests walks subfolders only with
 * directory.recurse).
 */
function unrecursedPath(app: GraphObject, graph: ObjectGraph, o: GraphObject): string | undefined {
  const s = placedSources(graph, app).find(
    (x) => x.place !== undefined && x.selection && !x.selection.recurse && !x.objects.includes(o) && objectsAt(graph, x.place).includes(o),
  );
  return s?.path;
}

/** What one Application syncs into namespaces nothing creates, by namespace. */
function missingOf(app: GraphObject, graph: ObjectGraph, judged: JudgedPlatform): [string, Missing][] {
  if (!syncsKnown(app, graph)) return [];
  // a tree without any Namespace leaves making namespaces to others (the dashboard's projects, a bootstrap step),
  // unless it writes that one in a file its kustomization leaves out
  const holdsNamespaces = NAMESPACE_KINDS.some((k) => graph.ofKind(k).length);
  const destination = destinationNamespace(app.manifest);
  const makers = namespaceMakers(graph);
  // the Application makes its namespaces (it syncs a Namespace), just not this one: surely an error; where only other
  // Applications do, the namespace may be a project made on the cluster (the dashboard's), which the tree does not show
  const managed = deliveredBy(app, graph).some((o) => NAMESPACE_KINDS.includes(String(o.manifest.kind)));
  const out: [string, Missing][] = [];
  const argoCd = argoCdNamespaces(app, graph);
  for (const [ns, first] of namespacesUsed(app, graph)) {
    const made = makers.get(ns) ?? [];
    if (createdWithoutTree(graph, ns) || operatorCreatedNamespace(ns, graph, judged) || argoCd.has(ns) || made.some((m) => m.synced)) continue;
    if (managedServiceNamespace(graph, ns, first)) continue;
    // objects that name a component's own namespace themselves (a KServe setting in 'kserve') go where its install put them
    if (ns !== destination && componentNamespace(ns)) continue;
    const forgotten = graph.leftOutFile('Namespace', ns, undefined);
    if (!holdsNamespaces && !forgotten) continue;
    const unsynced = made.map((m) => locationOf(m.object)).filter((l): l is string => l !== undefined);
    const unrecursed = made.map((m) => unrecursedPath(app, graph, m.object)).find((p) => p !== undefined);
    // certain only for the destination namespace, which the Application owns; a namespace its objects name
    // themselves may be an operator's or another team's
    // a Namespace written for it but left out of the build is the tree's own, forgotten: surely nothing else makes it
    const severity = (managed && !unsynced.length && ns === destination) || forgotten ? 'error' : 'warning';
    const extra = { ...(unrecursed ? { unrecursed } : {}), ...(forgotten ? { forgotten } : {}) };
    out.push([ns, { app, first, severity, unsynced, ...extra, destination: ns === destination }]);
  }
  return out;
}

/**
 * Each namespace nothing creates, with the Applications syncing into it: said once, on the first Application (an
 * error's, if one is), not once per Application and per copy of the tree's environment folders.
 */
function missingNamespaces(graph: ObjectGraph, judged: JudgedPlatform): Map<string, Missing[]> {
  // per platform judged: the engine judges an error again on a platform the tree's signals point to
  return graph.once(`argocd-namespace-missing:${judged.platform}:${judged.platformConflict ? 'conflict' : ''}`, () => {
    const by = new Map<string, Missing[]>();
    for (const app of graph.ofKind('Application')) for (const [ns, m] of missingOf(app, graph, judged)) by.set(ns, [...(by.get(ns) ?? []), m]);
    for (const list of by.values()) list.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return by;
  });
}

/** The message for a namespace nothing creates, said on its first Application, naming the others. */
function missingMessage(graph: ObjectGraph, ns: string, list: readonly Missing[]): string {
  const [m, ...others] = list;
  const how = m.destination && !text(mapping(m.first.manifest.metadata).namespace) ? ' (the destination namespace, which it gives namespace-less objects)' : '';
  const set = generatedFrom(m.app);
  const also = [...new Set(others.map((o) => `${graph.id(o.app)}${locationOf(o.app) ? ` at ${locationOf(o.app)}` : ''}`))];
  return (
    `syncs ${graph.id(m.first)} into namespace '${ns}'${how}, which nothing creates: no Application of the input syncs a Namespace '${ns}' or creates it with CreateNamespace=true` +
    (m.unrecursed
      ? ` (the one at ${m.unsynced.join(', ')} lies in a subfolder of its path '${m.unrecursed}', whose directory source reads only the folder's own files without directory.recurse: true)`
      : m.unsynced.length
        ? ` (the one at ${m.unsynced.join(', ')} is synced by none: applied by hand, if at all)`
        : m.forgotten
          ? ` (the one in ${m.forgotten} lies in a kustomize folder whose kustomization does not list it in resources: the build leaves it out)`
          : '') +
    `; the first sync fails (namespaces "${ns}" not found): ` +
    (m.unrecursed ? `set directory.recurse: true on the source or move the Namespace into '${m.unrecursed}', ` : '') +
    (m.forgotten ? `list ${m.forgotten} in the kustomization's resources, ` : '') +
    `deliver the Namespace with this Application${m.destination ? ', set CreateNamespace=true,' : ''} or send the objects to a namespace the tree creates` +
    (set ? ` (the Application is generated by ${set})` : '') +
    (also.length
      ? `; ${also.length} more Application${also.length > 1 ? 's' : ''} sync${also.length > 1 ? '' : 's'} into it: ${also.slice(0, 4).join(', ')}${also.length > 4 ? ', …' : ''}`
      : '')
  );
}

/** An Application whose destination namespace nothing of the input makes, and whether its own source may make it or need none. */
interface Unseen {
  readonly ns: string;
  /** Its source is a folder of the checked work tree, read, that needs no namespace made first (placesItsObjects). */
  readonly sourceMayMake: boolean;
}

/**
 * An Application whose source the input does not show (a remote chart, another repository), syncing into a destination
 * namespace that nothing of the input makes: the namespace must exist before the sync, or come from the source itself
 * (a chart's own Namespace), which the input cannot tell: a warning. Not said where the namespace is already reported
 * for an Application of the input (missingNamespaces), where Argo CD runs (its own namespace), or where anything else
 * makes it (namespaceCreator: a script of the tree, the platform, a component's install).
 */
function unseenDestination(app: GraphObject, graph: ObjectGraph, judged: JudgedPlatform): Unseen | undefined {
  const ns = destinationNamespace(app.manifest);
  if (!ns || ns.includes('{{') || createsNamespace(app.manifest)) return undefined;
  // a path the input does not hold (another repository's) is placed all the same, but delivers nothing seen here
  if (syncsKnown(app, graph) && deliveredBy(app, graph).length) return undefined;
  if (ns === text(mapping(app.manifest.metadata).namespace) || namespaceCreator(graph, ns, judged) || missingNamespaces(graph, judged).has(ns))
    return undefined;
  return { ns, sourceMayMake: placesItsObjects(app, graph, ns) };
}

/**
 * Whether every git source of the Application is a folder of the checked folder's git work tree (its repository or a
 * fork of it), read, that does not need the destination namespace made first: it ships a Namespace of that name, or no
 * object it shows lands there for sure: none of a kind namespaced for sure names no namespace (Argo CD gives the
 * destination namespace only to namespaced objects without one: gitops-engine sync_context), none names that one, and
 * what it does not show (a Helm chart's templates, a remote base, objects of a custom kind whose scope no CRD of the
 * input says: a ClusterPodPlacementConfig is cluster-scoped) may make the namespace or need none.
 */
function placesItsObjects(app: GraphObject, graph: ObjectGraph, ns: string): boolean {
  const spec = mapping(app.manifest.spec);
  const sources = [mapping(spec.source), ...(Array.isArray(spec.sources) ? spec.sources.map(mapping) : [])].filter((s) => text(s.repoURL));
  const read = sources.map((s) => workTreeSourceOf(graph, s));
  return (
    read.length > 0 &&
    read.every((w) => w !== undefined && (w.namespaces.includes(ns) || (w.unplaced === 0 && !w.named.includes(ns) && (w.objects > 0 || !w.complete))))
  );
}

/** The paths of the Application's sources read from the checked folder's git work tree (workTreeSourceOf: rendered when asked). */
function workTreeRead(app: GraphObject, graph: ObjectGraph): string[] {
  const spec = mapping(app.manifest.spec);
  const sources = [mapping(spec.source), ...(Array.isArray(spec.sources) ? spec.sources.map(mapping) : [])];
  return sources.flatMap((s) => workTreeSourceOf(graph, s)?.path ?? []);
}

/**
 * The message for an unseen source's destination namespace: the sync may fail; or, where the source may make the
 * namespace itself, only the managedNamespaceMetadata that never applies (argo-cd controller/sync.go sets the namespace
 * modifier that writes it only for CreateNamespace=true; sync-options docs, "Namespace Metadata").
 */
function unseenMessage(app: GraphObject, graph: ObjectGraph, unseen: Unseen, more: string): string | undefined {
  const { ns } = unseen;
  const metadataOnly = namespaceMetadata(app);
  if (unseen.sourceMayMake)
    return metadataOnly
      ? `sets syncPolicy.managedNamespaceMetadata for destination namespace '${ns}' without the CreateNamespace=true sync option: Argo CD writes those labels and annotations only on a namespace it creates, so they never reach '${ns}'; add CreateNamespace=true to syncPolicy.syncOptions, or put them on a Namespace '${ns}' of the source${more}`
      : undefined;
  // a folder of the input whose objects the source's settings leave out (a directory source that does not recurse) is
  // seen, not hidden: it delivers none of them
  const placed = placedSources(graph, app);
  const unselected = placed.length > 0 && placed.every((s) => s.place !== undefined && !s.objects.length && objectsAt(graph, s.place).length > 0);
  const read = workTreeRead(app, graph);
  const what = unselected
    ? 'a folder of the input whose objects its source settings leave out'
    : read.length
      ? `${read.map((p) => `'${p}'`).join(', ')} of the checked work tree, whose objects go`
      : 'a source the input does not show';
  return (
    `syncs ${what} into destination namespace '${ns}', which nothing of the input creates (no Namespace '${ns}', no Application with CreateNamespace=true for it)` +
    (metadataOnly ? ' and whose managedNamespaceMetadata takes effect only with CreateNamespace=true' : '') +
    `${more}: the namespace must exist before the sync or come from the source itself, else the sync fails (namespaces "${ns}" not found); ` +
    `set syncPolicy.syncOptions CreateNamespace=true, or deliver a Namespace '${ns}' from the tree`
  );
}

/** Whether the Application sets syncPolicy.managedNamespaceMetadata. */
function namespaceMetadata(app: GraphObject): boolean {
  return mapping(mapping(app.manifest.spec).syncPolicy).managedNamespaceMetadata !== undefined;
}

/** The warning on the first Application with an unseen source into a namespace nothing makes, naming how many more do. */
function unseenSourceProblem(app: GraphObject, graph: ObjectGraph, judged: JudgedPlatform): Problem[] {
  const unseen = unseenDestination(app, graph, judged);
  if (!unseen) return [];
  // said once per namespace: where the source may make it, among those setting managedNamespaceMetadata
  const all = graph.ofKind('Application').filter((a) => {
    const u = unseenDestination(a, graph, judged);
    return u?.ns === unseen.ns && u.sourceMayMake === unseen.sourceMayMake && (!u.sourceMayMake || namespaceMetadata(a));
  });
  if (all[0] !== app) return [];
  const more =
    all.length > 1
      ? ` (${all.length - 1} more Application${all.length > 2 ? 's' : ''} ${unseen.sourceMayMake ? 'set' : 'sync'}${all.length > 2 ? '' : 's'} ${unseen.sourceMayMake ? 'it' : 'into it'} the same way: ${all
          .slice(1, 5)
          .map((a) => graph.id(a))
          .join(', ')})`
      : '';
  const message = unseenMessage(app, graph, unseen, more);
  if (!message) return [];
  const problem: Problem = { severity: 'warning', message };
  return [unseen.sourceMayMake ? problem : unlessRepositoryMakesNamespace(graph, unseen.ns, problem)];
}

export const argocdNamespaceNotCreated: Rule = {
  id: 'argocd-namespace-not-created',
  title: 'an Argo CD Application syncs objects into a namespace nothing creates: its first sync fails with namespaces "…" not found',
  severity: 'error',
  appliesTo: ['Application'],
  judgesDelivery: true,
  premise:
    "every source of the Application is a folder of the checked input; a namespaced object it syncs lands in its own namespace, else the destination's; the namespace is made by nothing: no Namespace (or OpenShift Project) that an Application of the input syncs, no Application with CreateNamespace=true for it as destination (whatever its source: a remote chart, another repository), not Argo CD's own (argocd, openshift-gitops, the syncing Application's namespace, an ArgoCD instance's), not one the platform creates (default, kube-*, the openshift-* namespaces of the cluster's own release payload and of OpenShift GitOps and Pipelines (not those an operator's installer makes: openshift-nfd, openshift-serverless, …), redhat-ods-*, rhods-notebooks, opendatahub, on the OpenShift AI release judged where it is stated or inferred without conflicting signals those its operator makes (models-as-a-service on 3.3 and later where a DataScienceCluster of the tree sets kserve.modelsAsService Managed, a DSCInitialization's applicationsNamespace and Managed monitoring namespace, a DataScienceCluster's workbenchNamespace), the Serverless, Service Mesh and GPU operators'), nor one a managed Kubernetes service makes itself where the tree targets that service (an object reads its keys: cloud.google.com/gke-*, eks.amazonaws.com/*, kubernetes.azure.com/*) or the object's file is a variant marked for it (its name or a folder says gke, eks or aks): GKE's gke-managed-*, gmp-system, gmp-public and gke-gmp-system, the EKS add-ons' amazon-cloudwatch and amazon-guardduty, the AKS add-ons' app-routing-system, gatekeeper-system and aks-istio-*; a namespace the tree installs an operator into (an OLM Subscription there) is the installer's to make, whatever the platform's list says, except the cluster's own (openshift-operators); nor, for objects that name it themselves, one a component's install makes (kueue-system, lws-system, kserve, keda, jobset-system, metallb-system, ingress-nginx, flux-system); a Namespace of the input that lies in a subfolder of a directory source's path without directory.recurse is not synced by it (reposerver findManifests), and the finding says so; an error for the destination namespace where the Application syncs a Namespace itself (it makes its namespaces, just not this one), else a warning (a namespace its objects name themselves may be an operator's or another team's) (the namespace may be a project made on the cluster), as is a Namespace of the tree no Application syncs (it may be applied by hand); a Namespace of that name written in a file of a kustomize folder that no kustomization lists (kustomize builds only the resources listed) makes nothing, and the namespace it was written for is an error (the tree means to make it itself); a tree that holds no Namespace at all, not even one left out of its build, leaves namespaces to others and is not judged; an Application whose source the input does not show (a remote chart, another repository) is judged for its destination namespace only, as a warning (the source may hold the Namespace), where it lacks CreateNamespace=true, its source is not a folder of the checked folder's git work tree (the repoURL that repository or a fork of it: a remote of the same repository name) rendered as Argo CD renders it (a kustomization's build; the folder's manifest files, its subfolders' with directory.recurse; include or exclude globs leave it unknown) that ships the Namespace or none of whose objects lands in it for sure (none of a kind namespaced for sure (a Kubernetes kind, a custom kind a CRD of the input declares Namespaced) without a namespace of its own, none naming that one) while the rest may make it or need none (a Helm chart's templates, a remote base, objects of a custom kind whose scope nothing says), and nothing makes that namespace (not the input, not a script of the tree, not Argo CD's own namespace, not a platform one nor one a component's install makes: kueue-system, lws-system, kserve, keda, jobset-system, metallb-system, ingress-nginx, flux-system); each namespace is said once, on the first Application syncing into it (an error's first), naming the others; an Application whose work-tree source may make its destination namespace but that sets syncPolicy.managedNamespaceMetadata without CreateNamespace=true is warned that the metadata never applies (Argo CD writes it only on a namespace it creates); a namespace the git repository around the checked folder makes outside it (a Namespace or Project manifest of that name in another folder, or another Application there, of the same app-of-apps, with that destination and CreateNamespace=true) is a note naming that file, to be synced first",
  example: "an Application's destination `namespace: llm-prod` with `CreateNamespace=false`, while the Namespace of its folder is `name: llm-serving`",
  fix: 'deliver a Namespace object of that name with the Application (or an earlier one), set syncPolicy.syncOptions CreateNamespace=true, or send the objects to a namespace the tree creates',
  source:
    'argo-cd reposerver/repository/repository.go findManifests (subfolders walked only with directory.recurse); gitops-engine pkg/sync/sync_context.go: namespace-less namespaced objects get the destination namespace, and a namespace is created only for CreateNamespace=true (syncNamespace); the API server refuses an object in a missing namespace (namespaces "…" not found), so the sync fails; argo-cd controller/sync.go adds the namespace modifier that writes managedNamespaceMetadata only for CreateNamespace=true (sync-options docs, "Namespace Metadata"); namespaces managed services make: GKE docs "Collect and view DCGM metrics" (gke-managed-system) and Managed Service for Prometheus (gmp-system, gke-gmp-system, gmp-public), the CloudWatch Observability and GuardDuty EKS add-ons, the AKS application routing, Azure Policy and Istio add-ons',
  check(app, ctx) {
    const { graph } = ctx;
    const problems: Problem[] = [];
    for (const [ns, list] of missingNamespaces(graph, ctx)) {
      if (list[0].app !== app) continue;
      problems.push(unlessRepositoryMakesNamespace(graph, ns, { severity: list[0].severity, message: missingMessage(graph, ns, list), on: list[0].first }));
    }
    return [...problems, ...unseenSourceProblem(app, graph, ctx)];
  },
};
