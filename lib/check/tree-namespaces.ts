import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { destinationNamespace } from './argocd/destination-namespace';
import { chartAt, chartRenderedFor, placedSources } from './argocd-paths';
import { GraphObject, locationOf } from './graph-object';
import { ObjectGraph } from './graph';
import { managedServiceNamespace } from './managed-namespaces';
import { createdByPlatform, madeByCluster } from './platform-namespaces';
import { JudgedPlatform, operatorCreatedNamespace } from './operator-namespaces';
import { deliversInto, unexpandedApplicationSets, unexpandedWhy } from './appset-unexpanded';
import type { ScriptCreated } from '../manifests/script-creations';
import { deliverySaid, fluxTargetNamespace, scriptInstalls, UnseenInstall, unrenderedHelmReleases } from './unrendered-releases';

/** The kinds whose object of a name is that namespace (an OpenShift Project request makes one too). */
export const NAMESPACE_KINDS = ['Namespace', 'Project', 'ProjectRequest'];

/** Whether the Application's syncOptions have Argo CD create its destination namespace (gitops-engine sync_context.go autoCreateNamespace). */
export function createsNamespace(app: Loose): boolean {
  return strings(mapping(mapping(app.spec).syncPolicy).syncOptions).includes('CreateNamespace=true');
}

/** Whether the Application's sources are all folders of the input, so that what it syncs is known. */
export function syncsKnown(app: GraphObject, graph: ObjectGraph): boolean {
  const spec = mapping(app.manifest.spec);
  const sources = [mapping(spec.source), ...mappings(spec.sources)].filter((s) => text(s.repoURL));
  const placed = placedSources(graph, app);
  // a source without path (a Helm chart from a registry) syncs objects the input does not show
  return sources.length > 0 && placed.length === sources.length && placed.every((s) => s.place !== undefined);
}

/**
 * The namespaces the tree creates, each with how: a Namespace (or OpenShift Project) object, or an Argo CD Application
 * whose destination namespace CreateNamespace=true creates (managedNamespaceMetadata takes effect only with it).
 */
export function namespacesCreated(graph: ObjectGraph): ReadonlyMap<string, string> {
  return graph.once('tree-namespaces:created', () => {
    const made = new Map<string, string>();
    for (const o of NAMESPACE_KINDS.flatMap((k) => graph.ofKind(k))) {
      const name = text(mapping(o.manifest.metadata).name);
      const where = locationOf(o);
      if (name && !made.has(name)) made.set(name, `${o.manifest.kind} ${name}${where ? ` at ${where}` : ''}`);
    }
    // an Application read outside the checked folder as its delivery makes its namespace, but the tree does not own
    // it: the repository's other Applications, not read, may deliver more there
    for (const app of graph.ofKind('Application').filter((a) => !a.outside)) {
      const ns = destinationNamespace(app.manifest);
      if (ns && createsNamespace(app.manifest) && !made.has(ns))
        made.set(ns, `Application ${text(mapping(app.manifest.metadata).name) ?? ''} with CreateNamespace=true`);
    }
    // a Flux HelmRelease with install.createNamespace makes its release namespace (helm-controller: the install action's
    // CreateNamespace, spec.targetNamespace else the HelmRelease's own; helm.toolkit.fluxcd.io HelmReleaseSpec Install)
    for (const release of graph.ofKind('HelmRelease').filter((r) => String(r.manifest.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/'))) {
      const spec = mapping(release.manifest.spec);
      const ns = text(spec.targetNamespace) ?? text(mapping(release.manifest.metadata).namespace);
      if (ns && mapping(spec.install).createNamespace === true && !made.has(ns))
        made.set(ns, `HelmRelease ${text(mapping(release.manifest.metadata).name) ?? ''} with install.createNamespace`);
    }
    return made;
  });
}

/**
 * Namespaces the install of a component the tree runs on creates, beside the platform's (createdByPlatform): each
 * project's release manifests hold the Namespace. Kueue: kubernetes-sigs/kueue config/default (namespace kueue-system);
 * LeaderWorkerSet: kubernetes-sigs/lws config/default (lws-system); KServe: kserve/kserve config/default (kserve);
 * KEDA: kedacore/keda config/general (keda); JobSet: kubernetes-sigs/jobset config/default (jobset-system); MetalLB:
 * metallb/metallb config/native (metallb-system, the namespace its CRs must live in); ingress-nginx:
 * kubernetes/ingress-nginx deploy/static/provider/* deploy.yaml (ingress-nginx); Flux: fluxcd/flux2 manifests/install
 * (flux-system, where `flux install` and `flux bootstrap` put its controllers).
 */
const COMPONENT_NAMESPACES = ['kueue-system', 'lws-system', 'kserve', 'keda', 'jobset-system', 'metallb-system', 'ingress-nginx', 'flux-system'];

/** Whether a component's own install makes the namespace (COMPONENT_NAMESPACES). */
export const componentNamespace = (namespace: string): boolean => COMPONENT_NAMESPACES.includes(namespace);

/**
 * The namespace an operator's install makes and its custom resources live in, by the resources' API group: an object
 * of the group is served only once the operator is installed, and the install (OperatorHub's recommended namespace, or
 * the namespace the install steps create first) puts the operator there, where it reads its resources. OpenShift docs:
 * "Installing the SR-IOV Network Operator" (openshift-sriov-network-operator; SriovNetwork and SriovNetworkNodePolicy
 * objects are created there), "Node Feature Discovery Operator" (openshift-nfd, its NodeFeatureDiscovery instance),
 * "Persistent storage using local volumes" (openshift-local-storage, LocalVolume), OpenShift Data Foundation
 * deployment guides (openshift-storage, StorageCluster), "Installing logging" (openshift-logging, ClusterLogging) and
 * "Installing OpenShift Virtualization" (openshift-cnv, HyperConverged).
 */
const OPERATOR_INSTALL_NAMESPACES: Readonly<Record<string, string>> = {
  'sriovnetwork.openshift.io': 'openshift-sriov-network-operator',
  'nfd.openshift.io': 'openshift-nfd',
  'local.storage.openshift.io': 'openshift-local-storage',
  'ocs.openshift.io': 'openshift-storage',
  'logging.openshift.io': 'openshift-logging',
  'hco.kubevirt.io': 'openshift-cnv',
};

/**
 * The operator install that makes the namespace of an object of its API group placed there (OPERATOR_INSTALL_NAMESPACES),
 * unless the tree installs that operator itself (an OLM Subscription in the namespace: the installer's to make).
 */
function operatorInstallOf(graph: ObjectGraph, namespace: string, from: GraphObject | undefined): string | undefined {
  const group = from ? String(from.manifest.apiVersion ?? '').split('/')[0] : '';
  if (!from || OPERATOR_INSTALL_NAMESPACES[group] !== namespace || operatorInstallNamespaces(graph).has(namespace)) return undefined;
  return `the install of the operator serving ${group}, whose resources live in ${namespace}`;
}

/**
 * Whether a namespace exists without the tree making it (createdByPlatform), given what the tree does there: where the
 * tree installs an operator into it (an OLM Subscription there), the namespace is the installer's to make, even one the
 * running operator's platform lists (cert-manager-operator): OLM creates no namespace for a Subscription (the
 * Subscription and its OperatorGroup are refused with 'namespaces "…" not found'), and the operators' install
 * documents have the installer create it first (OpenShift's cert-manager Operator: "Create a namespace
 * cert-manager-operator"). Only the cluster's own namespaces (openshift-operators) stay made.
 */
export function createdWithoutTree(graph: ObjectGraph, namespace: string): boolean {
  if (!createdByPlatform(namespace)) return false;
  return madeByCluster(namespace) || !operatorInstallNamespaces(graph).has(namespace);
}

/** The namespaces that hold an OLM Subscription of the tree. */
function operatorInstallNamespaces(graph: ObjectGraph): ReadonlySet<string> {
  return graph.once('tree-namespaces:subscriptions', () => {
    const namespaces = graph
      .ofKind('Subscription')
      .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('operators.coreos.com/'))
      .map((o) => text(mapping(o.manifest.metadata).namespace));
    return new Set(namespaces.filter((ns): ns is string => ns !== undefined));
  });
}

/** The namespaces the tree's scripts make (`create namespace`, `oc new-project`, `helm --create-namespace`). */
export function scriptNamespaces(graph: ObjectGraph): Set<string> {
  return new Set(graph.scriptCreated.filter((c) => !c.outside && NAMESPACE_KINDS.includes(c.kind)).map((c) => c.name));
}

/**
 * The command of a script, README, Makefile or CI workflow of the repository outside the checked folder that makes the
 * namespace (`oc new-project NAME`, `kubectl create namespace NAME`): made outside the checked folder, as a manifest
 * elsewhere in the repository is.
 */
export function namespaceMadeOutside(graph: ObjectGraph, namespace: string): ScriptCreated | undefined {
  return graph.scriptCreated.find((c) => c.outside && NAMESPACE_KINDS.includes(c.kind) && c.name === namespace);
}

/**
 * Who creates the namespace, in a few words, or undefined where nothing does: the tree (a Namespace or Project
 * object, an Application with CreateNamespace=true: namespacesCreated), a script of the tree, the cluster or the
 * platform's operators (createdByPlatform; with the platform judged, also those OpenShift AI's operator makes on it:
 * operatorCreatedNamespace), a managed Kubernetes service the tree or the file of `from` targets
 * (managedServiceNamespace: GKE's gke-managed-system), or the install of a component the tree runs on; else a command
 * of the repository outside the checked folder (namespaceMadeOutside). The namespace rules and PREREQUISITES.md ask
 * this one question, so a namespace the report asks for is the one the rules warn about.
 */
export function namespaceCreator(graph: ObjectGraph, namespace: string, judged?: JudgedPlatform, from?: GraphObject): string | undefined {
  const outside = namespaceMadeOutside(graph, namespace);
  return namespaceCreatorInTree(graph, namespace, judged, from) ?? (outside && `${outside.script}:${outside.line}, outside the checked folder`);
}

/** namespaceCreator without the scripts of the repository outside the checked folder (namespaceMadeOutside). */
export function namespaceCreatorInTree(graph: ObjectGraph, namespace: string, judged?: JudgedPlatform, from?: GraphObject): string | undefined {
  const made = namespacesCreated(graph).get(namespace);
  if (made) return made;
  const script = graph.scriptCreated.find((c) => !c.outside && NAMESPACE_KINDS.includes(c.kind) && c.name === namespace);
  if (script) return `${script.script}:${script.line}`;
  if (createdWithoutTree(graph, namespace)) return 'the cluster or its platform operators';
  // Open Cluster Management's hub makes a namespace of each ManagedCluster's name once it accepts the cluster
  // (open-cluster-management-io/ocm registration: the managedcluster controller creates the cluster namespace)
  const managedCluster = graph
    .ofKind('ManagedCluster')
    .find((c) => c.manifest.metadata?.name === namespace && String(c.manifest.apiVersion ?? '').startsWith('cluster.open-cluster-management.io/'));
  if (managedCluster) return `the hub's registration of ManagedCluster ${namespace}`;
  const managed = managedServiceNamespace(graph, namespace, from);
  if (managed) return managed;
  const operator = judged ? operatorCreatedNamespace(namespace, graph, judged) : undefined;
  if (operator) return operator;
  return COMPONENT_NAMESPACES.includes(namespace) ? "the component's install" : operatorInstallOf(graph, namespace, from);
}

/**
 * What delivers into the namespace objects the input does not show: the Applications syncing into it (their
 * destination) a source that is no folder of the input (a chart from a registry, another repository) or a Helm chart
 * folder that check did not render with the Application's values, and the Flux HelmReleases installing into it
 * (spec.targetNamespace, else their own) a chart check did not render (one of a registry or an OCI artifact).
 */
export function unseenDeliveries(graph: ObjectGraph, namespace: string): GraphObject[] {
  const apps = graph.ofKind('Application').filter((app) => {
    if (destinationNamespace(app.manifest) !== namespace) return false;
    return (
      !syncsKnown(app, graph) ||
      placedSources(graph, app).some((s) => s.place !== undefined && chartAt(graph, s.place) && !chartRenderedFor(graph, s.place, app))
    );
  });
  // an ApplicationSet whose generators check cannot expand makes Applications into its template's namespace (any, where a parameter makes it)
  const sets = unexpandedApplicationSets(graph).filter((s) => deliversInto(s, namespace));
  return [...apps, ...unrenderedHelmReleases(graph).filter((o) => fluxTargetNamespace(graph, o) === namespace), ...sets];
}

/**
 * The one predicate of what may make, in namespace `ns`, an object the graph lacks there: the deliveries the input does
 * not show (unseenDeliveries) and the scripts' helm installs into it whose chart check did not render, each named.
 */
export function unseenInstalls(graph: ObjectGraph, ns: string | undefined): UnseenInstall[] {
  if (ns === undefined) return [];
  return [
    ...unseenDeliveries(graph, ns).map((o) => ({ said: unseenSaid(graph, o), namespace: ns, object: o })),
    ...scriptInstalls(graph).filter((r) => r.namespace === ns),
  ];
}

/** A delivery the input does not show, named: an ApplicationSet with why its Applications are not seen (unexpandedWhy). */
function unseenSaid(graph: ObjectGraph, o: GraphObject): string {
  return o.manifest.kind === 'ApplicationSet'
    ? `${graph.id(o)} (whose Applications check does not expand: ${unexpandedWhy(graph, o) ?? ''})`
    : deliverySaid(graph, o);
}

/** What the premise of a rule that hedges with unseenHedged says of it. */
export const UNSEEN_INSTALLS_PREMISE =
  "; where something the input does not show installs into the namespace the object is missing from (a Flux HelmRelease whose chart check does not render: a chart of a Helm repository, an OCIRepository or a HelmChart named by chartRef; an Argo CD Application's chart source or a source the input does not show; an ApplicationSet whose generators check cannot expand offline (SCM provider, pull request, plugin or cluster decision generators, a clusters generator selecting by labels, a git generator on a repository the input does not show), into its template's destination namespace, any namespace where a parameter makes it; a script's helm install, upgrade or template with -n), the finding is a warning at most and names it, as what may make the object";

/** The clause a finding of an absent object adds where unseen installs deliver into its namespace, naming them. */
export function unseenInstallsSaid(installs: readonly UnseenInstall[], ns: string): string {
  const shown = installs.slice(0, 3).map((r) => r.said);
  const more = installs.length > 3 ? ` and ${installs.length - 3} more` : '';
  return `but ${shown.join('; ')}${more} install${installs.length > 1 ? '' : 's'} into namespace '${ns}' what check does not render, which may make it`;
}

/**
 * A finding that an object of namespace `ns` is absent, hedged where something the input does not show delivers into
 * that namespace (unseenInstalls): at most a warning, naming what may make the object. Unchanged elsewhere. The
 * object the finding is on (`self`) is not counted: a release does not make what it needs to install.
 */
export function unseenHedged<P extends { message: string; severity?: 'error' | 'warning' | 'info' }>(
  graph: ObjectGraph,
  ns: string | undefined,
  problem: P,
  self?: GraphObject,
): P {
  const installs = unseenInstalls(graph, ns).filter((i) => i.object === undefined || i.object !== self);
  if (!installs.length) return problem;
  return { ...problem, severity: problem.severity === 'info' ? 'info' : 'warning', message: `${problem.message}; ${unseenInstallsSaid(installs, ns!)}` };
}

/**
 * The namespace of a workload and how the tree creates it, when the tree does and nothing delivers into it what the
 * input does not show (unseenInstalls): only then is an object the tree does not hold there made by nothing.
 */
export function judgedNamespace(graph: ObjectGraph, o: GraphObject): { ns: string; how: string } | undefined {
  const ns = graph.namespaceOf(o.manifest);
  const how = ns === undefined ? undefined : namespacesCreated(graph).get(ns);
  return ns === undefined || how === undefined || unseenInstalls(graph, ns).length ? undefined : { ns, how };
}
