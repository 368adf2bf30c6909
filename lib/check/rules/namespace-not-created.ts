import * as path from 'path';
import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliverersOf } from '../argocd/application';
import { deployedByRepository, REPOSITORY_PREMISE, repositoryObjectsOf, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { firstById } from '../one-per-cause';
import { Applied, appliesObject } from '../script-delivery';
import { INSTALL_TARGET_KIND, ScriptCreated } from '../../manifests/script-creations';
import { ANY_KIND, CheckContext, Problem, Rule } from '../rule';
import {
  NAMESPACE_KINDS,
  namespaceCreatorInTree,
  namespaceMadeOutside,
  namespacesCreated,
  scriptNamespaces,
  unseenInstalls,
  unseenInstallsSaid,
} from '../tree-namespaces';
import { fluxDeliverersOf, isFluxKustomization } from '../flux-kustomizations';
import { undeliveredExample } from '../applied-together';
import { onOpenShift } from '../platform';
import { JudgedPlatform } from '../operator-namespaces';
import { readmeCreatesNamespace } from '../../manifests/readme-prerequisites';

/**
 * Kinds that attach to what already runs in their namespace rather than run there themselves: routes (Gateway API,
 * OpenShift, Ingress), policies (Kuadrant, Istio, NetworkPolicy), RBAC, monitors and autoscalers. A namespace the tree
 * fills only with these is one whose workloads were made outside the tree (a model deployed from the dashboard).
 */
const ATTACHMENT_KINDS = [
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'Route',
  'Ingress',
  'Role',
  'RoleBinding',
  'AuthPolicy',
  'RateLimitPolicy',
  'TokenRateLimitPolicy',
  'NetworkPolicy',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'RequestAuthentication',
  'DestinationRule',
  'VirtualService',
  'EnvoyFilter',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'PodDisruptionBudget',
];

/**
 * The command of a script that applies the object from a heredoc (`cat <<EOF | kubectl apply -f -`): the object is
 * read from the script itself, and delivered as any file the script applies.
 */
function heredocApplying(graph: ObjectGraph, o: GraphObject): Applied | undefined {
  if (!o.file) return undefined;
  const file = path.resolve(o.file);
  const name = text(mapping(o.manifest.metadata).name);
  const c = graph.scriptCreated.find((s) => s.heredoc && s.file && path.resolve(s.file) === file && s.kind === o.manifest.kind && s.name === name);
  if (!c?.command) return undefined;
  const { script, line, command, namespace } = c;
  return { script, line, command: command.trim(), target: file, kustomize: false, recursive: false, file: c.file, ...(namespace ? { namespace } : {}) };
}

/** What the tree delivers into one namespace nothing creates: the objects, first by id, and the first command applying them. */
interface Unmade {
  readonly objects: GraphObject[];
  /** The first command of the tree's scripts applying them; undefined where nothing of the tree delivers them (applied as the folder stands). */
  readonly by?: Applied;
  /** An install command of the tree pointed at the namespace, which may make it (INSTALL_TARGET_KIND). */
  readonly installer?: ScriptCreated;
}

/**
 * An install command of the tree's scripts or guides pointed at the namespace (`./installer.sh --namespace NAME`, `helm
 * install … -n NAME`), not one that runs after the apply in the same file: it may make the namespace, so nothing
 * creating it is no certainty.
 */
function installerInto(graph: ObjectGraph, ns: string, by: Applied | undefined): ScriptCreated | undefined {
  const after = (c: ScriptCreated) =>
    by !== undefined && c.file !== undefined && by.file !== undefined && path.resolve(c.file) === path.resolve(by.file) && c.line > by.line;
  return graph.scriptCreated.find((c) => c.kind === INSTALL_TARGET_KIND && c.name === ns && !after(c));
}

/** A namespace as written, not a variable or template the delivery fills in. */
const LITERAL_NAMESPACE = /^[a-z0-9][a-z0-9-]*$/;

/** The namespaced objects the scripts apply (not those an Argo CD Application syncs), each with its namespace and the first command applying it. */
function scriptDelivered(graph: ObjectGraph): { o: GraphObject; ns: string; by?: Applied }[] {
  const out: { o: GraphObject; ns: string; by?: Applied }[] = [];
  for (const o of graph.objects) {
    const by = graph.scriptApplied.find((a) => appliesObject(a, o)) ?? heredocApplying(graph, o);
    if (!by || isClusterScoped(String(o.manifest.kind)) || deliverersOf(o, graph).length) continue;
    // an object without a namespace goes to the command's -n, else to the kubeconfig context's, which the tree does not say
    const ns = text(mapping(o.manifest.metadata).namespace) ?? by.namespace;
    if (ns && LITERAL_NAMESPACE.test(ns)) out.push({ o, ns, by });
  }
  return out;
}

/** The file name the reader gives objects read from stdin (folder-reader.ts). */
const STDIN = '<stdin>';

/** The kinds whose objects deliver others: a tree that holds one delivers with it, and what it leaves out may be applied by none. */
const DELIVERY_KINDS = ['Application', 'ApplicationSet', 'HelmRelease'];

/**
 * The namespaced objects of a tree that delivers nothing itself (no script applies any of it, no Argo CD Application,
 * ApplicationSet, Flux Kustomization or HelmRelease is in it, none outside syncs the object): applied as the folder
 * stands (`kubectl apply -f`, `-k` for a kustomization), each into the namespace it names after its build. Not the
 * objects whose text is filled before they are applied (a template, a Helm chart's render, an OpenShift Template's
 * objects, a heredoc), nor those of an example file.
 */
function folderDelivered(graph: ObjectGraph, judged: JudgedPlatform): { o: GraphObject; ns: string; by?: Applied }[] {
  const delivers = graph.scriptApplied.length > 0 || DELIVERY_KINDS.some((k) => graph.ofKind(k).some((x) => !x.outside));
  // a file that does not parse may be the delivery (an Application with a misaligned key): what it would say is unknown
  const unparsed = graph.unread.some((u) => u.kind === 'unparsable');
  if (delivers || unparsed || graph.ofKind('Kustomization').some((k) => isFluxKustomization(k.manifest))) return [];
  const found = graph.objects.flatMap((o) => {
    const filled = o.helmRendering || o.template || o.renderedWith || o.fromTemplate || o.shellFills?.length || o.envsubstFills;
    // objects read from stdin (`kubectl kustomize base | check -`) come with no tree that says how they are delivered
    if (!o.file || o.file === STDIN || o.origin || o.outside || filled || isClusterScoped(String(o.manifest.kind))) return [];
    // a root kustomize refuses to build delivers nothing (kustomize-build-fails says so)
    if (deliverersOf(o, graph).length || fluxDeliverersOf(o, graph).length || undeliveredExample(o, graph) || graph.inFailedBuild(o)) return [];
    const ns = text(mapping(o.manifest.metadata).namespace);
    return ns && LITERAL_NAMESPACE.test(ns) && !namespaceCreatorInTree(graph, ns, judged, o) ? [{ o, ns }] : [];
  });
  // an Application, ApplicationSet, Flux Kustomization or HelmRelease elsewhere in the repository may deliver the folder (and make its namespace)
  return found.length && repositoryObjectsOf(graph).some((r) => DELIVERY_KINDS.includes(r.kind) || isFluxKustomization(r.manifest)) ? [] : found;
}

/** Whether the tree makes a namespace whose name a variable or template gives (a script's `$NAMESPACE`, a Namespace's `${NAMESPACE}`). */
function variableNamespaceMade(graph: ObjectGraph): boolean {
  const variable = (name: string | undefined) => name !== undefined && /\$|\{\{/.test(name);
  return (
    graph.scriptCreated.some((c) => NAMESPACE_KINDS.includes(c.kind) && variable(c.name)) ||
    NAMESPACE_KINDS.some((k) => graph.ofKind(k).some((o) => variable(text(mapping(o.manifest.metadata).name))))
  );
}

/**
 * Whether the README that runs the apply has the reader make the namespace by hand in its prose (a project created in
 * the OpenShift AI dashboard, "create a project named NAME"): a step of the delivery, as a command would be.
 */
function readmeMakes(graph: ObjectGraph, by: Applied | undefined, ns: string): boolean {
  const file = by?.file;
  return !!file && graph.once(`namespace-not-created:readme:${file}:${ns}`, () => !!readmeCreatesNamespace(file, ns));
}

/** Each namespace the tree delivers objects into that nothing creates, with whether the tree makes namespaces itself. */
function unmadeNamespaces(graph: ObjectGraph, judged: JudgedPlatform): { by: Map<string, Unmade>; makesOthers: boolean } {
  // per platform judged: the engine judges an error again on a platform the tree's signals point to
  return graph.once(`namespace-not-created:${judged.platform}:${judged.platformConflict ? 'conflict' : ''}`, () => {
    // a namespace the tree makes under a name it fills in when it runs (`oc new-project "$NAMESPACE"`, a rendered
    // Namespace `name: ${NAMESPACE}`) may be any of those the scripts apply into: none is surely made by nothing
    const delivered = variableNamespaceMade(graph) ? [] : [...scriptDelivered(graph), ...folderDelivered(graph, judged)];
    const objects = new Map<string, GraphObject[]>();
    const first = new Map<string, Applied | undefined>();
    for (const { o, ns, by } of delivered) {
      if (namespaceCreatorInTree(graph, ns, judged, o) || readmeMakes(graph, by, ns)) continue;
      objects.set(ns, [...(objects.get(ns) ?? []), o]);
      if (!first.has(ns)) first.set(ns, by);
    }
    // the tree makes namespaces itself (a Namespace or Project of it, a script creating one): one it leaves out is a mistake
    const by = new Map(
      [...firstById(graph, objects)].map(([ns, list]) => {
        const command = first.get(ns);
        const installer = installerInto(graph, ns, command);
        return [ns, { objects: list, ...(command ? { by: command } : {}), ...(installer ? { installer } : {}) }];
      }),
    );
    return { by, makesOthers: scriptNamespaces(graph).size > 0 || namespacesCreated(graph).size > 0 };
  });
}

/**
 * Namespaces the usual install of a stack the tree adds to makes, which the tree may not show: kube-prometheus'
 * (prometheus-operator/kube-prometheus manifests/setup namespace.yaml; the kube-prometheus-stack chart's documented
 * `helm install … --namespace monitoring --create-namespace`) and Argo CD's (argo-cd docs "Getting Started": `kubectl
 * create namespace argocd`). The namespaces of the operators the platform lists are createdByPlatform's.
 */
const STACK_NAMESPACES = ['monitoring', 'argocd'];

/** Why the cluster may hold a namespace nothing of the tree makes, or undefined where only one made by hand before the apply would do. */
function mayHold(graph: ObjectGraph, ns: string, u: Unmade, makesOthers: boolean, judged: CheckContext): string | undefined {
  const { objects, installer } = u;
  if (installer)
    return `${installer.file ?? installer.script}:${installer.line} runs \`${installer.command}\` into '${ns}' first, which may make it (an installer or chart may create its namespace) or expect it to exist`;
  if (objects.every((x) => ATTACHMENT_KINDS.includes(String(x.manifest.kind))))
    return `the tree only attaches ${[...new Set(objects.map((x) => String(x.manifest.kind)))].join(', ')} there, to what runs there already, so the namespace is presumably made outside the tree with it`;
  const unseen = unseenInstalls(graph, ns);
  if (unseen.length) return unseenInstallsSaid(unseen, ns).replace(/^but /, '');
  if (STACK_NAMESPACES.includes(ns))
    return `'${ns}' is where the usual install of the stack these objects add to runs, which the tree does not show and which makes the namespace`;
  if (!makesOthers && onOpenShift(judged))
    return 'the tree makes no namespace itself, and on OpenShift a project is commonly made by hand (`oc new-project`) or in the OpenShift AI dashboard (a Data Science Project) before anything is applied';
  return undefined;
}

/** The finding on the first object of a namespace nothing creates, naming how it is delivered and the other objects. */
function unmadeProblem(graph: ObjectGraph, ns: string, u: Unmade, makesOthers: boolean, judged: CheckContext): Problem {
  const { objects, by } = u;
  const others = objects.slice(1).map((x) => graph.id(x));
  const more = others.length
    ? ` (and ${others.length} more object${others.length > 1 ? 's' : ''}: ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})`
    : '';
  const may = mayHold(graph, ns, u, makesOthers, judged);
  const how = may
    ? `unless the cluster holds it, which it may: ${may}`
    : makesOthers
      ? 'the tree makes its other namespaces itself, not this one'
      : `nothing of the repository makes it, and it is no namespace a cluster, its platform or an install the tree shows has of its own: only one made by hand before the apply would hold it`;
  const applied = by ? `, applied by ${by.file ?? by.script}:${by.line} (\`${by.command}\`)` : '';
  const what = objects[0].kustomizations?.length ? `the kustomization at ${objects[0].kustomizations[0]}` : 'its folder';
  const asItStands = by
    ? ''
    : `; nothing of the tree delivers ${what} (no script, Argo CD Application or Flux Kustomization), so it is applied as it stands (\`kubectl apply -f\`, \`-k\` for a kustomization), which creates no namespace`;
  return {
    severity: may ? 'warning' : 'error',
    message:
      `goes into namespace '${ns}'${more}${applied}, and nothing creates '${ns}': no Namespace or Project of the tree, ` +
      `no \`kubectl create namespace\`, \`oc new-project\` or \`helm --create-namespace\` in its scripts, no Argo CD CreateNamespace=true${asItStands}; the apply fails (namespaces "${ns}" not found)${may ? ' ' : ': '}${how}; ` +
      `create it before the apply (\`oc new-project ${ns}\`, \`kubectl create namespace ${ns}\`, or a Namespace manifest applied first)`,
  };
}

export const namespaceNotCreated: Rule = {
  id: 'namespace-not-created',
  title:
    'a script of the tree applies objects, or a tree nothing of it delivers holds objects, in a namespace nothing creates: the apply fails with namespaces "…" not found',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a script, Makefile or README (its fenced blocks) of the tree applies a file, folder (-R: and its subfolders) or kustomization of the tree (`kubectl|oc apply|create -f|-k PATH`), or a manifest of its own from a heredoc (`cat <<EOF | kubectl apply -f -`, the variables it set expanded); a namespaced object there that no Argo CD Application syncs (argocd-namespace-not-created's) goes into its own namespace, else the command's -n (else the context's, not judged); where nothing of the tree delivers anything (no script applies any of it, no Argo CD Application, ApplicationSet, Flux Kustomization or HelmRelease is in it, none outside syncs the object, and the git repository around the checked folder holds none of those kinds outside it either), a namespaced object is applied as the folder stands (`kubectl apply -f`, `-k` for a kustomization) into the namespace it names after its build (not the objects of a template, a Helm chart's render, an OpenShift Template or a file named as an example); nothing creates that namespace (not judged at all where the tree makes a namespace under a name it fills in when it runs: `oc new-project $NAMESPACE`, a rendered Namespace `name: ${NAMESPACE}`): no Namespace or OpenShift Project of the tree (wherever it is), no `kubectl|oc create namespace`, `oc new-project` or `helm … --create-namespace -n` in the tree's scripts or the repository's (a Markdown guide's fenced blocks, and such a namespace command its prose writes bare or in backticks: `2. Run oc new-project NAME`), no Argo CD Application with CreateNamespace=true for it, no Flux HelmRelease with install.createNamespace whose targetNamespace (else its own) it is, no step of the README running the apply that has the reader make it by hand in its prose (`create a data science project named NAME`, 'Create `NAME`' under a heading or in a sentence about projects or namespaces, `oc new-project NAME` in a sentence; naming it only in a command that applies into it, or as where another object is made, is no such step), not one every cluster has or the platform's operators make (default, kube-*, the openshift-* namespaces of the cluster's own release payload and of OpenShift GitOps and Pipelines (not those an operator's installer makes: openshift-nfd, openshift-serverless, …), redhat-ods-*, rhods-notebooks, opendatahub, on the OpenShift AI release judged where it is stated or inferred without conflicting signals those its operator makes (models-as-a-service on 3.3 and later where a DataScienceCluster of the tree sets kserve.modelsAsService Managed, a DSCInitialization's applicationsNamespace and Managed monitoring namespace, a DataScienceCluster's workbenchNamespace), the Serverless, Service Mesh, cert-manager and GPU operators', and those a managed Kubernetes service makes itself where the tree targets that service (an object reads its keys: cloud.google.com/gke-*, eks.amazonaws.com/*, kubernetes.azure.com/*) or the object's file is a variant marked for it (its name or a folder says gke, eks or aks): GKE's gke-managed-* (the managed DCGM exporter's gke-managed-system), gmp-system, gmp-public and gke-gmp-system, the EKS add-ons' amazon-cloudwatch and amazon-guardduty, the AKS add-ons' app-routing-system, gatekeeper-system and aks-istio-*, never on other clusters); a namespace the tree installs an operator into (an OLM Subscription there) is the installer's to make, whatever the platform's list says, except the cluster's own (openshift-operators), nor one the install of a component makes (kueue-system, lws-system, kserve, keda, jobset-system, metallb-system, ingress-nginx, flux-system), nor, for an object of an operator's API group, the namespace that operator's install makes and reads its resources in (sriovnetwork.openshift.io in openshift-sriov-network-operator, nfd.openshift.io in openshift-nfd, local.storage.openshift.io in openshift-local-storage, ocs.openshift.io in openshift-storage, logging.openshift.io in openshift-logging, hco.kubevirt.io in openshift-cnv: the kind is served only once the operator is installed there) unless the tree installs that operator itself (its Subscription there), nor the namespace of a ManagedCluster of the tree, which the Open Cluster Management hub makes when it accepts the cluster; an error (nothing of the repository makes it, so only a namespace made by hand before the apply would hold it), except a warning where the cluster may hold it: an install command of its scripts or README (one not after the apply in the same file) is pointed at the namespace (`./installer.sh --namespace NAME`, `helm install|upgrade … -n NAME`, helmfile, another program's `--namespace NAME`; not kubectl or oc, which make none that way) and may make it, the tree puts only routes, policies, RBAC, monitors or autoscalers there (they attach to workloads made outside the tree, whose namespace exists with them), something the input does not show installs into it (tree-namespaces unseenInstalls), it is monitoring or argocd (where the usual installs of kube-prometheus and Argo CD put them), or the tree makes no namespace itself (no Namespace or Project, no script making one) and is judged on OpenShift (stated, inferred, or marked by `oc` and the like), where a project is commonly made by hand or in the OpenShift AI dashboard before anything is applied; said once per namespace, on its first object, naming the others; where a command of a script, Makefile, README (its code) or CI workflow anywhere in the git repository around the checked folder, outside it and its test data, makes the namespace under a literal name (`oc new-project NAME`, `kubectl|oc create namespace|ns NAME`, `helm … --create-namespace -n NAME`), a note naming that file, line and command: made outside the checked folder, to be run before the apply" +
    REPOSITORY_PREMISE,
  example: '`oc apply -k deploy/` in a script that runs `oc new-project llm-infra` first, while deploy/ holds objects of `namespace: llm-serving`',
  fix: 'create the namespace before the apply (`oc new-project NAME`, `kubectl create namespace NAME`, or a Namespace manifest applied first), or put the objects in a namespace the tree creates',
  source:
    'the API server refuses a namespaced object whose namespace does not exist (kube-apiserver NamespaceLifecycle admission plugin: namespaces "…" not found); kubectl apply creates no namespace (only helm --create-namespace, oc new-project and Argo CD CreateNamespace=true do); a Data Science Project the OpenShift AI dashboard creates is an OpenShift project, a namespace labelled opendatahub.io/dashboard=true (odh-dashboard, Data Science Projects); namespaces managed services make: GKE docs "Collect and view DCGM metrics" (cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics: the managed DCGM exporter in gke-managed-system) and Managed Service for Prometheus (managed collection in gmp-system, gke-gmp-system on Autopilot; gmp-public), the Amazon CloudWatch Observability and GuardDuty EKS add-ons (amazon-cloudwatch, amazon-guardduty), the AKS application routing, Azure Policy and Istio add-ons (app-routing-system, gatekeeper-system, aks-istio-system)',
  check(o, ctx) {
    const { graph } = ctx;
    const { by, makesOthers } = unmadeNamespaces(graph, ctx);
    // a Namespace (or Project) a manifest of the repository makes outside the checked folder: to be applied first
    const made = (ns: string, p: Problem) => {
      // a command of the repository outside the checked folder (a README's `oc new-project`, a CI step) makes it
      const outside = namespaceMadeOutside(graph, ns);
      if (outside)
        return {
          severity: 'info' as const,
          message: `namespace '${ns}' is made outside the checked folder: ${outside.script} (line ${outside.line}), a file of the same repository, runs \`${outside.command ?? 'its command'}\`; run it before the apply. Without it: ${p.message}`,
          summary: 'namespaces a command of the repository outside the checked folder makes (a README, script, Makefile or CI workflow)',
        };
      return deployedByRepository(graph, 'Project', ns, undefined)
        ? unlessRepositoryMakes(graph, p, 'Project', ns, undefined)
        : unlessRepositoryMakes(graph, p, 'Namespace', ns, undefined);
    };
    return [...by].filter(([, u]) => u.objects[0] === o).map(([ns, u]) => made(ns, unmadeProblem(graph, ns, u, makesOthers, ctx)));
  },
};
