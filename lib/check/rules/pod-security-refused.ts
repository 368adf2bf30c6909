import { text } from '../../manifests/access';
import { ADMITTED_KINDS, AdmittedPod, admittedPods } from '../admitted-pods';
import { locationOf } from '../graph-object';
import { RESTRICTED_SCCS, restrictedRefusals, sccsGranted } from '../openshift-scc';
import { onOpenShift } from '../platform';
import { admittedSpec, SECURE_POD_DEFAULTS, securePodDefaults, withRestrictedV2 } from '../pod-admission-defaults';
import { ModePolicy, modePolicy, OPENSHIFT_LABEL_SYNC, treeNamespace } from '../pod-security-labels';
import { certainViolations, PodSecurityViolation } from '../pod-security-standards';
import { CheckContext, Problem, Rule } from '../rule';

/**
 * The checks whose violations remain once OpenShift's restricted-v2 SCC has admitted and mutated a pod: it sets the
 * seccomp profile, drops ALL, denies privilege escalation and gives a non-root uid where the pod leaves them unset, and
 * refuses itself what scc-refuses-pod reports (host namespaces, ports and paths, privileged, added capabilities, a uid
 * or SELinux option outside its range) and other volume types and unsafe sysctls; what is left is an explicit value
 * restricted forbids (runAsNonRoot: false) and what the SCC does not read (AppArmor, probe hosts, Windows host process).
 */
const LEFT_BY_SCC = new Set([
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'allowPrivilegeEscalation',
  'capabilities_restricted',
  'appArmorProfile',
  'hostProbesAndHostLifecycle',
  'windowsHostProcess',
]);

/** Who creates the pods and so meets the refusal (a FailedCreate event on it). */
function creator(kind: string, pod: AdmittedPod): string {
  if (kind === 'InferenceService') return pod.knative ? "the ReplicaSet of KServe's Knative revision" : "the ReplicaSet of KServe's Deployment";
  if (kind === 'Deployment' || kind === 'Rollout') return 'its ReplicaSet';
  if (kind === 'DeploymentConfig') return 'its ReplicationController';
  if (kind === 'CronJob') return 'its Jobs';
  if (kind === 'Pod') return 'the API server (the Pod itself is refused)';
  return `the ${kind}'s controller`;
}

/** The pod, in words. */
function podSaid(kind: string, pod: AdmittedPod): string {
  if (kind === 'InferenceService' && pod.where === 'spec.predictor')
    return `the predictor pod KServe builds (spec.predictor${pod.runtime ? ` merged with ${pod.runtime}` : ''}${pod.injected ? `, with ${pod.injected.said}` : ''})`;
  return pod.where ? `the pod of ${pod.where}` : 'the pod template';
}

const listed = (vs: readonly PodSecurityViolation[]) => vs.map((v) => `${v.reason} (${v.detail})`).join(', ');

interface Judged {
  readonly violations: readonly PodSecurityViolation[];
  /** The violations that hold whatever the files leave open (Knative's flag, the platform where it is assumed). */
  readonly certain: readonly PodSecurityViolation[];
  readonly assumptions: readonly string[];
}

/** Whether the pod is judged on OpenShift at all: its account may use only restricted-v2, which admits it (else scc-refuses-pod speaks). */
function sccAdmits(pod: AdmittedPod, ctx: CheckContext, ns: string): boolean {
  const account = text(pod.spec.serviceAccountName) ?? text(pod.spec.serviceAccount) ?? 'default';
  if (sccsGranted(ctx.graph, account, ns).some((s) => !RESTRICTED_SCCS.includes(s))) return false;
  return restrictedRefusals(pod.spec).length === 0;
}

function judge(pod: AdmittedPod, ctx: CheckContext, ns: string, enforce: ModePolicy): Judged | undefined {
  const written = securePodDefaults(ctx.graph);
  const openShift = onOpenShift(ctx);
  if (openShift && !sccAdmits(pod, ctx, ns)) return undefined;
  const evaluate = (spec: ReturnType<typeof admittedSpec>, afterScc: boolean) => {
    const vs = certainViolations({ annotations: pod.annotations, spec: afterScc ? withRestrictedV2(spec) : spec }, enforce.level, enforce.minor);
    return afterScc ? vs.filter((v) => LEFT_BY_SCC.has(v.check)) : vs;
  };
  const violations = evaluate(admittedSpec(pod, written ?? 'disabled'), openShift);
  if (!violations.length) return undefined;
  const knativeAssumed = pod.knative !== undefined && written === undefined;
  // OpenShift only assumed, upstream Kubernetes still a candidate: its SCC may not be there to set the missing fields
  // (a tree without OpenShift marks is judged as upstream, which an explicit enforce label bears out)
  const platformOpen = !openShift && ctx.platformAssumed === true && ctx.platform !== 'kserve';
  const certain = evaluate(admittedSpec(pod, knativeAssumed ? 'enabled' : (written ?? 'disabled')), openShift || (platformOpen && sccAdmits(pod, ctx, ns)));
  const assumptions = [
    ...(knativeAssumed && pod.knative === 'assumed'
      ? [
          "the service runs in Knative mode: it sets no serving.kserve.io/deploymentMode and the cluster's default is taken to be Knative's (upstream KServe's install); in raw deployment mode the refusal is certain",
        ]
      : []),
    ...(knativeAssumed
      ? [
          `Knative's ${SECURE_POD_DEFAULTS} is off, its default (the tree writes no config-features or KnativeServing setting it); set to Enabled, Knative would set the missing fields on the revision's own containers`,
        ]
      : []),
    ...(platformOpen
      ? [
          'the cluster is upstream Kubernetes (the platform is not told, and OpenShift is only assumed); on OpenShift the restricted-v2 SCC sets seccompProfile, capabilities, allowPrivilegeEscalation and a non-root uid before admission: pass --platform',
        ]
      : []),
  ];
  return { violations, certain, assumptions };
}

export const podSecurityRefused: Rule = {
  id: 'pod-security-refused',
  title:
    "a pod the tree makes in a namespace whose Namespace enforces a Pod Security level (pod-security.kubernetes.io/enforce) violates that level: admission refuses it, and the workload's controller never creates a pod",
  severity: 'error',
  appliesTo: ADMITTED_KINDS,
  premise:
    "the object's namespace is a Namespace of the tree labelled pod-security.kubernetes.io/enforce baseline or restricted (with enforce-version v1.N, or latest or none: then only what every Kubernetes minor from 1.25 to 1.37 refuses), and a pod it makes fails that level's checks as Pod Security admission runs them " +
    "(the pod templates of workloads, Argo Rollouts, DeploymentConfigs, the multi-pod kinds (Ray, training jobs, JobSet, LeaderWorkerSet, Argo Workflows, AIBrix); an InferenceService's predictor merged with its runtime (the one it names, or the first that auto-selects its model: the tree's, or on upstream KServe one KServe installs, whose kserve-container sets no seccompProfile), with the storage-initializer init container (no securityContext; not judged when the tree holds a ClusterStorageContainer) or the modelcar containers (a uid only) KServe's webhook adds, and its transformer and explainer; " +
    "a Knative revision's own containers get Knative's secure-pod-defaults when config-features in the tree turns it on; sidecars a mesh injects, and LLMInferenceService pods, whose controller merges them with its own configs, are not judged). " +
    'The warn and audit labels only report, and are not judged. On OpenShift (a platform told, or a tree whose marks leave OpenShift AI only) the restricted-v2 SCC mutates the pod first: only what it leaves is judged (runAsNonRoot: false, AppArmor, probe hosts), not a pod whose account is granted another SCC or that restricted-v2 refuses (scc-refuses-pod), nor a namespace labelled security.openshift.io/scc.podSecurityLabelSync: "true", whose PSA labels the syncer rewrites. ' +
    "A tree with no OpenShift mark is judged as upstream Kubernetes, as the explicit enforce label bears out. An error when the refusal holds whatever the files leave open; a warning when it rests on Knative's secure-pod-defaults being off (its default) or on the cluster not being OpenShift where OpenShift is only assumed",
  example: '`pod-security.kubernetes.io/enforce: restricted` on Namespace `mlops` and a Deployment there whose container sets no `seccompProfile`',
  fix: 'make the pod meet the level (for restricted: pod securityContext seccompProfile.type RuntimeDefault and runAsNonRoot: true; in each container allowPrivilegeEscalation: false and capabilities.drop [ALL]; no privileged, host namespaces, hostPath or host ports), or label the namespace with a level its pods meet',
  source:
    'kubernetes/pod-security-admission policy/check_*.go (each check and its versions), policy/registry.go (restricted checks override baseline ones) and admission/admission.go (a pod that fails the enforce level is refused: "violates PodSecurity"; warn and audit only report); ' +
    'kserve config/runtimes (kserve-container securityContext without seccompProfile), pkg/utils/storage.go CreateInitContainerWithConfig and CreateModelcarContainer; knative/serving pkg/apis/serving/v1/revision_defaults.go defaultSecurityContext; ' +
    'openshift/apiserver-library-go sccmatching/provider.go (the SCC mutation before admission) and openshift/cluster-policy-controller pkg/psalabelsyncer (labels another manager owns are left alone unless scc.podSecurityLabelSync is "true")',
  check(o, ctx) {
    const ns = ctx.graph.namespaceOf(o.manifest);
    const namespace = ns === undefined ? undefined : treeNamespace(ctx.graph, ns);
    const enforce = namespace ? modePolicy(namespace.labels, 'enforce') : undefined;
    if (!ns || !namespace || !enforce || enforce.level === 'privileged') return [];
    if (onOpenShift(ctx) && namespace.labels[OPENSHIFT_LABEL_SYNC] === 'true') return [];
    const kind = String(o.manifest.kind);
    const where = locationOf(namespace.o);
    return admittedPods(o, ctx.graph, ctx.platform).flatMap((pod): Problem[] => {
      const judged = judge(pod, ctx, ns, enforce);
      if (!judged) return [];
      const assumed = judged.certain.length ? '' : ` (assumed: ${judged.assumptions.join('; ')})`;
      return [
        {
          ...(judged.certain.length ? {} : { severity: 'warning' as const }),
          message:
            `${podSaid(kind, pod)} violates PodSecurity "${enforce.shown}", which Namespace ${ns}${where ? ` (${where})` : ''} enforces (${enforce.labels}): ${listed(judged.violations)}${assumed}; ` +
            `${creator(kind, pod)} cannot create the pods (FailedCreate: forbidden: violates PodSecurity "${enforce.shown}") and none runs: ` +
            `set what the level requires in the pod template, or label the namespace with a level its pods meet`,
        },
      ];
    });
  },
};
