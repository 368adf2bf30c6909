import { Loose, mapping, text } from '../../manifests/access';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';
import { RESTRICTED_SCCS, restrictedRefusals, sccsGranted } from '../openshift-scc';
import { onOpenShift } from '../platform';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { podSpecOf, predictorPodOf } from '../pods';
import { Problem, Rule } from '../rule';
import { judgedNamespace } from '../tree-namespaces';

/** The kinds whose pod template the tree writes itself. */
const POD_KINDS = POD_TEMPLATE_KINDS;
/** KServe builds the predictor pod of an InferenceService from it and its ServingRuntime. */
const SERVING_KINDS = ['InferenceService', 'ServingRuntime'];
/** OpenShift's own namespaces: run-level ones skip SCC admission, and their accounts hold platform grants. */
const PLATFORM_NAMESPACE = /^(openshift|kube)(-|$)/;

/** Who creates the pods, as the refusal is reported (the ReplicaSet for a Deployment or a Rollout). */
function creator(kind: string): string {
  if (kind === 'InferenceService') return "KServe's predictor ReplicaSet";
  if (kind === 'ServingRuntime') return 'the predictor ReplicaSets of the InferenceServices that use it';
  if (kind === 'Deployment') return 'its ReplicaSet';
  // Argo Rollouts makes a ReplicaSet per revision; an OpenShift DeploymentConfig a ReplicationController per version
  if (kind === 'Rollout') return 'its ReplicaSet';
  if (kind === 'DeploymentConfig') return 'its ReplicationController';
  if (kind === 'CronJob') return 'its Jobs';
  return kind === 'Pod' ? 'the API server' : `the ${kind}`;
}

/** Why the verdict is an error, when the tree settles which SCCs the account may use; undefined when it does not. */
function settled(granted: readonly string[], account: string, namespaceMade: string | undefined): string | undefined {
  if (granted.length) return `the tree grants it only ${granted.join(', ')}, which refuse the same`;
  if (account === 'default' && namespaceMade)
    return `it is the default account of a namespace the tree creates (${namespaceMade}), which nothing else grants an SCC`;
  return undefined;
}

export const sccRefusesPod: Rule = {
  id: 'scc-refuses-pod',
  title: 'on OpenShift, a pod that restricted-v2 refuses while the tree grants its ServiceAccount no other SCC: its pods are never created',
  severity: 'error',
  appliesTo: [...POD_KINDS, ...SERVING_KINDS],
  premise:
    "on OpenShift (a platform told, or a tree whose marks leave OpenShift AI releases only), a pod template outside OpenShift's own namespaces " +
    "(an InferenceService's predictor pod is read merged with its ServingRuntime, as KServe builds it, and runs as the predictor's ServiceAccount; a ServingRuntime no InferenceService of the tree uses is read alone, a warning, its services' account unknown) asks for what the restricted-v2 SCC refuses " +
    '(privileged, allowPrivilegeEscalation: true, capabilities added other than NET_BIND_SERVICE, hostNetwork, hostPID, hostIPC, a hostPort, a hostPath volume, a runAsUser or fsGroup below 1000000000, ' +
    'a seccomp type other than RuntimeDefault, an SELinux user, role or type) and the tree grants its ServiceAccount no other SCC ' +
    "(a RoleBinding or ClusterRoleBinding of the account, or of a group it is in, to system:openshift:scc:<name> or a role allowing `use` of securitycontextconstraints; an SCC listing it in users or groups; a script's or README's `oc adm policy add-scc-to-user|add-scc-to-group`, its -z account without -n taken as of the pod's namespace); " +
    'an error when the tree settles it (the account is the default one of a namespace the tree creates, or the tree grants it only restricted-v2 or restricted-v3), else a warning that assumes no grant is made outside the tree; ' +
    "a bare Pod is always a warning: admission also tries the SCCs of the user who creates it (a cluster-admin may use privileged), so it is refused only for a user without such a grant, while a controller's pods get the ServiceAccount's SCCs alone",
  example: '`add: ["SYS_ADMIN"]` in a Deployment of namespace `gpu-tests`, which the tree creates, running as its default ServiceAccount',
  fix: 'drop what restricted-v2 refuses, or grant the ServiceAccount an SCC that allows it in the tree (a RoleBinding to ClusterRole system:openshift:scc:<name>, as `oc adm policy add-scc-to-user <name> -z <account>` makes)',
  source:
    'openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission/admission.go (the SCCs the pod\'s ServiceAccount or the requester may use, tried by priority and restriction; none validating: "unable to validate against any security context constraint") and sccmatching/provider.go; ' +
    'openshift/cluster-kube-apiserver-operator bindata/bootkube/scc-manifests 0000_20_kube-apiserver-operator_00_scc-restricted-v2.yaml (granted to system:authenticated) and cr-scc-<name>.yaml (the system:openshift:scc:<name> ClusterRoles)',
  check(o, ctx) {
    const judged = judgedPod(o, ctx.graph);
    if (!judged || !onOpenShift(ctx)) return [];
    const { pod, account } = judged;
    const ns = ctx.graph.namespaceOf(o.manifest) ?? 'default';
    if (PLATFORM_NAMESPACE.test(ns)) return [];
    const refused = restrictedRefusals(pod);
    if (!refused.length) return [];
    const granted = sccsGranted(ctx.graph, account, ns);
    if (granted.some((scc) => !RESTRICTED_SCCS.includes(scc))) return [];
    const why = judged.runtimeAlone ? undefined : settled(granted, account, judgedNamespace(ctx.graph, o)?.how);
    const kind = String(o.manifest.kind);
    const assumed = why ? `; ${why}` : `; the tree grants it no other SCC (assumed: none is granted outside it, e.g. by \`oc adm policy add-scc-to-user\`)`;
    const who = judged.runtimeAlone
      ? `The ServiceAccount of the InferenceServices that use this runtime ('${account}' unless they name one) in ${ctx.graph.namespaceOf(o.manifest) ? `namespace '${ns}'` : 'the namespace it is applied to'}`
      : `ServiceAccount '${account}' in namespace '${ns}'`;
    if (kind === 'Pod') return [barePod(who, account, refused, assumed)];
    const problem: Problem = {
      ...(why ? {} : { severity: 'warning' as const }),
      message:
        `${who} may use only restricted-v2${assumed}, and restricted-v2 refuses this pod: ${refused.join('; ')}; ` +
        `${creator(kind)} cannot create the pods (FailedCreate: "unable to validate against any security context constraint"): ` +
        `drop those settings, or grant '${account}' an SCC that allows them in the tree (a RoleBinding to ClusterRole system:openshift:scc:<name>)`,
    };
    return [problem];
  },
};

/**
 * A Pod created directly: SCC admission tries the SCCs its ServiceAccount may use and those of the user creating it
 * (sccadmission admission.go), so whether it is refused depends on who applies it (a cluster-admin may use privileged).
 * A warning however the tree settles the account's SCCs; a controller's pods are created by the controller, whose own
 * grants do not reach them, so only there the account's SCCs decide.
 */
function barePod(who: string, account: string, refused: readonly string[], assumed: string): Problem {
  return {
    severity: 'warning',
    message:
      `${who} may use only restricted-v2${assumed}, and restricted-v2 refuses this pod: ${refused.join('; ')}; ` +
      'a Pod created directly is admitted by the SCCs of its ServiceAccount and of the user who creates it: applied by a user who may use an SCC allowing these settings (cluster-admin may use privileged) it is created, ' +
      'by any other user the API server refuses it ("unable to validate against any security context constraint"): ' +
      `drop those settings, or grant '${account}' an SCC that allows them in the tree (a RoleBinding to ClusterRole system:openshift:scc:<name>), so that it does not depend on who applies it`,
  };
}

/**
 * The pod an object makes and the account it runs as: a workload's template; an InferenceService's predictor pod merged
 * with its ServingRuntime; a ServingRuntime that no InferenceService of the tree binds to, alone (the default account,
 * as its services' is not known). Undefined for a runtime a service of the tree binds to: judged on that service.
 */
function judgedPod(o: GraphObject, graph: ObjectGraph): { pod: Loose; account: string; runtimeAlone?: boolean } | undefined {
  const account = (pod: Loose) => text(pod.serviceAccountName) ?? text(pod.serviceAccount) ?? 'default';
  if (o.manifest.kind === 'InferenceService') {
    const pod = podSpecOf(o.manifest) && predictorPodOf(o.manifest, graph.runtimeOf(o.manifest)?.manifest);
    return pod ? { pod, account: account(pod) } : undefined;
  }
  if (o.manifest.kind === 'ServingRuntime') {
    if (graph.servicesOf(o).length) return undefined;
    return { pod: { ...mapping(o.manifest.spec) }, account: 'default', runtimeAlone: true };
  }
  const pod = podSpecOf(o.manifest);
  return pod ? { pod, account: account(pod) } : undefined;
}
