import { KUEUE_GROUP } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isStdBase64 } from '../../private/base64';
import { parseOne } from '../../manifests/yaml-documents';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { namesOf } from '../reference-targets';
import { meantAmong } from '../near-names';

/** The controller name of MultiKueue's admission checks (kubernetes-sigs/kueue apis/kueue kueue.MultiKueueControllerName). */
const MULTIKUEUE_CONTROLLER = 'kueue.x-k8s.io/multikueue';

/** The admission check controller of Open Cluster Management's Kueue add-on. */
const PLACEMENT_CONTROLLER = 'open-cluster-management.io/placement';

/**
 * The namespaces Kueue reads a MultiKueueCluster's kubeconfig Secret from: its own (config/default's kueue-system;
 * openshift-kueue-operator for the Red Hat build of Kueue), multikueuecluster.go loading `location` from its namespace.
 */
const KUEUE_NAMESPACES = ['kueue-system', 'openshift-kueue-operator'];

/** What an inactive MultiKueue check does to the workloads behind it (clusterqueue.go: AdmissionCheckInactive). */
const PENDING =
  'so every ClusterQueue that lists the check is inactive (Active=False, reason AdmissionCheckInactive) and its workloads stay pending, never dispatched to a worker cluster';

/** A reference the tree does not settle: an error where it holds objects of the kind (just not this one), else a warning. */
function unresolved(head: string, name: string, kind: string, defined: readonly string[], consequence: string, fix: string): Problem {
  if (defined.length)
    return {
      message: `${head}, which the tree does not define (it defines ${defined.map((d) => `'${d}'`).join(', ')})${meantAmong(name, defined)}: ${consequence}; ${fix}`,
    };
  return { severity: 'warning', message: `${head}, and the tree defines no ${kind}; unless the cluster has it, ${consequence}: ${fix}` };
}

/**
 * Whether Open Cluster Management's Kueue add-on makes the config: its placement admission check (controllerName
 * open-cluster-management.io/placement) generates a MultiKueueConfig, and the MultiKueueClusters, named after the
 * Placement its parameters name (open-cluster-management-io/addon-contrib kueue-addon, its admission check controller).
 */
function placementGenerated(graph: ObjectGraph, config: string): boolean {
  return graph
    .ofKind('AdmissionCheck')
    .some((c) => text(mapping(c.manifest.spec).controllerName) === PLACEMENT_CONTROLLER && text(mapping(mapping(c.manifest.spec).parameters).name) === config);
}

/** An AdmissionCheck of MultiKueue: its parameters must name a MultiKueueConfig (admissioncheck.ConfigHelper.ConfigFromRef). */
function admissionCheckProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(o.manifest.spec);
  if (text(spec.controllerName) !== MULTIKUEUE_CONTROLLER) return [];
  const params = mapping(spec.parameters);
  const inactive = `Kueue marks the check inactive (Active=False, reason BadConfig: "Cannot load the AdmissionChecks parameters"), ${PENDING}`;
  const name = text(params.name);
  if (!name || text(params.kind) !== 'MultiKueueConfig' || text(params.apiGroup) !== KUEUE_GROUP)
    return [
      {
        message: `spec.parameters ${name ? `names ${text(params.apiGroup) ?? '(no apiGroup)'} ${text(params.kind) ?? '(no kind)'} '${name}'` : 'names no object'}, where MultiKueue reads a ${KUEUE_GROUP} MultiKueueConfig: ${inactive}; set parameters to {apiGroup: ${KUEUE_GROUP}, kind: MultiKueueConfig, name: <config>}`,
      },
    ];
  const configs = namesOf(graph, 'MultiKueueConfig', KUEUE_GROUP);
  if (configs.includes(name) || placementGenerated(graph, name)) return [];
  return [
    unresolved(
      `spec.parameters names MultiKueueConfig '${name}'`,
      name,
      'MultiKueueConfig',
      configs,
      inactive,
      `add MultiKueueConfig '${name}' or name one that exists`,
    ),
  ];
}

/** A MultiKueueConfig's clusters: all missing leave its checks inactive (NoUsableClusters), some missing keep them partly active. */
function configProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const listed = strings(mapping(o.manifest.spec).clusters);
  const defined = namesOf(graph, 'MultiKueueCluster', KUEUE_GROUP);
  const missing = listed.filter((c) => !defined.includes(c));
  if (!missing.length) return [];
  const names = missing.map((c) => `'${c}'`).join(', ');
  if (missing.length < listed.length)
    return [
      {
        severity: 'warning',
        message: `spec.clusters names MultiKueueCluster ${names}, which the tree does not define: its checks stay active on the other clusters (reason SomeActiveClusters), but no workload is ever dispatched to ${names}; add it or drop it from the list`,
      },
    ];
  const inactive = `the checks that use this config are inactive (Active=False, reason NoUsableClusters: "Missing clusters"), ${PENDING}`;
  return [
    unresolved(
      `spec.clusters names MultiKueueCluster ${names}`,
      missing.length === 1 ? missing[0] : '',
      'MultiKueueCluster',
      defined,
      inactive,
      `add the MultiKueueCluster or name one that exists`,
    ),
  ];
}

/** Hosts that, from inside Kueue's manager pod, are the pod itself: a worker there is never reached. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0)$/i;

/**
 * A kubeconfig Secret whose server is a loopback address (`https://localhost:6444`, as a local cluster's kubeconfig
 * writes it): Kueue's manager connects from its own pod, where localhost is the pod, so the worker is never reached and
 * the MultiKueueCluster never becomes Active (multikueuecluster.go: the remote client's watch fails, Active=False).
 */
function loopbackServer(secret: string, kubeconfig: string | undefined, where: string): Problem[] {
  if (kubeconfig === undefined) return [];
  const parsed = parseOne(kubeconfig);
  if (!('value' in parsed)) return [];
  const servers = mappings(mapping(parsed.value).clusters)
    .map((c) => text(mapping(c.cluster).server))
    .filter((u): u is string => u !== undefined);
  const local = servers.find((u) => LOOPBACK.test(/^[a-z]+:\/\/(\[[^\]]*\]|[^/:]+)/i.exec(u)?.[1] ?? ''));
  if (!local) return [];
  return [
    {
      message:
        `spec.kubeConfig.location names Secret '${secret}' (${where}), whose kubeconfig points at server ${local}: Kueue's manager connects from its own pod, where that address is the pod itself, ` +
        `so the worker is never reached and the MultiKueueCluster never becomes Active, ${PENDING}: write the worker's address as the manager cluster reaches it (its API server's host name or IP)`,
    },
  ];
}

/**
 * The kubeconfig a Secret of the tree holds: stringData's (which the API server merges over data), else data's
 * decoded as the API server decodes a `format: byte` field (Go's StdEncoding); undefined where neither reads.
 */
function heldKubeconfig(secret: Loose): string | undefined {
  const plain = text(mapping(secret.stringData).kubeconfig);
  if (plain !== undefined) return plain;
  const encoded = text(mapping(secret.data).kubeconfig);
  return encoded !== undefined && isStdBase64(encoded) ? Buffer.from(encoded.replace(/[\r\n]/g, ''), 'base64').toString('utf8') : undefined;
}

/** A MultiKueueCluster's kubeconfig Secret (locationType Secret, the default), looked up in Kueue's namespace. */
function clusterProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const kubeConfig = mapping(mapping(o.manifest.spec).kubeConfig);
  const secret = text(kubeConfig.location);
  if (!secret || (text(kubeConfig.locationType) ?? 'Secret') !== 'Secret') return [];
  const held = KUEUE_NAMESPACES.map((ns) => graph.find('Secret', secret, ns)).find((x) => x !== undefined);
  if (held) return loopbackServer(secret, heldKubeconfig(held.manifest), graph.id(held));
  const made = KUEUE_NAMESPACES.map((ns) => graph.scriptCreating('Secret', secret, ns)).find((c) => c !== undefined);
  if (made) return loopbackServer(secret, made.data?.kubeconfig, `made by ${made.script}:${made.line}`);
  if (KUEUE_NAMESPACES.some((ns) => graph.secretInTree(secret, ns))) return [];
  const consequence = `Kueue cannot load the worker's kubeconfig and keeps the MultiKueueCluster inactive (Active=False, reason BadConfig), so no workload is dispatched to it; where it is a config's only cluster, ${PENDING}`;
  const elsewhere = graph.ofKind('Secret').find((s) => text(mapping(s.manifest.metadata).name) === secret);
  if (elsewhere)
    return [
      {
        severity: 'warning',
        message: `spec.kubeConfig.location names Secret '${secret}', which the tree holds in namespace '${text(mapping(elsewhere.manifest.metadata).namespace) ?? 'unset'}', while Kueue reads it from its own namespace (${KUEUE_NAMESPACES.join(' upstream, ')} for the Red Hat build): unless that is where Kueue runs, ${consequence}; create the Secret (key kubeconfig) in Kueue's namespace`,
      },
    ];
  const kueueSecrets = KUEUE_NAMESPACES.flatMap((ns) => graph.ofKind('Secret').filter((s) => text(mapping(s.manifest.metadata).namespace) === ns));
  const defined = kueueSecrets.map((s) => text(mapping(s.manifest.metadata).name) ?? '?');
  return [
    unresolved(
      `spec.kubeConfig.location names Secret '${secret}' in Kueue's namespace`,
      secret,
      "Secret in Kueue's namespace",
      defined,
      consequence,
      `create Secret '${secret}' with key kubeconfig in Kueue's namespace`,
    ),
  ];
}

export const multikueueReferenceMissing: Rule = {
  id: 'multikueue-reference-missing',
  title:
    "MultiKueue's wiring names an object that does not exist (an AdmissionCheck's MultiKueueConfig, a config's MultiKueueCluster, a cluster's kubeconfig Secret): the check is inactive and the workloads behind it stay pending",
  severity: 'error',
  appliesTo: ['AdmissionCheck', 'MultiKueueConfig', 'MultiKueueCluster'],
  premise:
    "the object is in the tree: an AdmissionCheck with controllerName kueue.x-k8s.io/multikueue whose parameters are not a kueue.x-k8s.io MultiKueueConfig (an error), or name one the tree does not define while it defines others; a MultiKueueConfig all of whose clusters are missing while the tree defines other MultiKueueClusters (some missing: a warning, the check stays partly active); a MultiKueueCluster whose kubeConfig Secret (locationType Secret) is not in Kueue's namespace (kueue-system, or openshift-kueue-operator) while the tree holds other Secrets there. Where the tree defines none of the kind, or holds the Secret in another namespace, a warning: the cluster may have it; a config Open Cluster Management's placement admission check generates (named after its Placement) counts as defined. A kubeconfig Secret the tree holds (stringData, or data as base64) or a script makes (`kubectl create secret generic S --from-file=kubeconfig=F`, F a file of the tree or written by a heredoc of the script before it, its variables expanded) whose clusters[].cluster.server is a loopback address (localhost, 127.0.0.0/8, ::1, 0.0.0.0): an error, since from inside Kueue's manager pod that address is the pod",
  example:
    'an AdmissionCheck `controllerName: kueue.x-k8s.io/multikueue` whose parameters name `MultiKueueConfig` `multikueue-config` where the tree defines only MultiKueueConfig `name: workers`',
  fix: "add the missing MultiKueueConfig, MultiKueueCluster or kubeconfig Secret (in Kueue's namespace, key kubeconfig), or name one that exists",
  source:
    "Kueue pkg/controller/admissionchecks/multikueue admissioncheck.go (ACReconciler.Reconcile: BadConfig when ConfigFromRef fails, NoUsableClusters when every cluster is missing or inactive, SomeActiveClusters otherwise), multikueuecluster.go (kubeconfig loaded from the Secret in Kueue's namespace) and their tests; pkg/cache clusterqueue.go (AdmissionCheckInactive)",
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== KUEUE_GROUP) return [];
    if (o.manifest.kind === 'AdmissionCheck') return admissionCheckProblems(o, graph);
    if (o.manifest.kind === 'MultiKueueConfig') return configProblems(o, graph);
    return clusterProblems(o, graph);
  },
};
