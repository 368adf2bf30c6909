import { finite, isMapping, Loose, mapping, mappings, strings } from '../manifests/access';
import type { AdmittedPod } from './admitted-pods';
import type { ObjectGraph } from './graph';
import { treeFeatures } from './knative-features';

/**
 * What sets security fields on a pod before Pod Security admission validates it: Knative's secure-pod-defaults on a
 * revision's containers, KServe's webhook adding containers, OpenShift's restricted-v2 SCC.
 */

/** Knative's config-features flag (knative/serving pkg/apis/config/features.go SecurePodDefaults, default Disabled). */
export const SECURE_POD_DEFAULTS = 'secure-pod-defaults';
export type SecurePodDefaults = 'disabled' | 'allowrootbounded' | 'enabled';

/** The flag as the tree writes it (case-insensitive, an unknown value read as Disabled, as asSecurePodDefaultsFlag does); undefined when unwritten. */
export function securePodDefaults(graph: ObjectGraph): SecurePodDefaults | undefined {
  const raw = treeFeatures(graph).values[SECURE_POD_DEFAULTS];
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  return v === 'enabled' || v === 'allowrootbounded' ? v : 'disabled';
}

/**
 * A container as Knative's revision defaulting leaves it (pkg/apis/serving/v1/revision_defaults.go
 * defaultSecurityContext): under Enabled or AllowRootBounded, allowPrivilegeEscalation false, seccomp RuntimeDefault
 * where the pod sets none, capabilities drop ALL (adding NET_BIND_SERVICE for a port below 1024) where unset;
 * under Enabled also runAsNonRoot true where neither the pod nor the container sets it.
 */
function knativeContainer(c: Loose, pod: Loose, flag: SecurePodDefaults): Loose {
  const sc: Loose = { ...mapping(c.securityContext) };
  if (sc.allowPrivilegeEscalation === undefined || sc.allowPrivilegeEscalation === null) sc.allowPrivilegeEscalation = false;
  const podSeccomp = mapping(mapping(pod.securityContext).seccompProfile).type;
  if (!podSeccomp && !mapping(sc.seccompProfile).type) sc.seccompProfile = { ...mapping(sc.seccompProfile), type: 'RuntimeDefault' };
  if (!isMapping(sc.capabilities)) {
    const lowPort = mappings(c.ports).some((p) => (finite(p.containerPort) ?? 1024) < 1024);
    sc.capabilities = { drop: ['ALL'], ...(lowPort ? { add: ['NET_BIND_SERVICE'] } : {}) };
  }
  const podNonRoot = mapping(pod.securityContext).runAsNonRoot;
  if (flag === 'enabled' && (podNonRoot === undefined || podNonRoot === null) && (sc.runAsNonRoot === undefined || sc.runAsNonRoot === null))
    sc.runAsNonRoot = true;
  return { ...c, securityContext: sc };
}

/** The pod spec admission validates: Knative's defaults on a revision's own containers (under `flag`), then the containers KServe's webhook adds. */
export function admittedSpec(pod: AdmittedPod, flag: SecurePodDefaults): Loose {
  const defaulted = pod.knative && flag !== 'disabled';
  const own = (list: unknown) => mappings(list).map((c) => (defaulted ? knativeContainer(c, pod.spec, flag) : c));
  return {
    ...pod.spec,
    initContainers: [...own(pod.spec.initContainers), ...(pod.injected?.init ?? [])],
    containers: [...own(pod.spec.containers), ...(pod.injected?.containers ?? [])],
  };
}

/** A uid inside the range OpenShift allocates a namespace (openshift-controller-manager's UID allocator starts at 1000000000). */
const ALLOCATED_UID = 1000000000;

/**
 * A pod as OpenShift's restricted-v2 SCC mutates it before admission validates it (openshift/apiserver-library-go
 * pkg/securitycontextconstraints/sccmatching/provider.go CreatePodSecurityContext and CreateContainerSecurityContext):
 * the pod's seccomp profile runtime/default where unset; in each container a uid from the namespace's range where
 * none is set, runAsNonRoot true where unset and the uid is not 0, capabilities.drop ALL (requiredDropCapabilities),
 * allowPrivilegeEscalation false where unset.
 */
export function withRestrictedV2(spec: Loose): Loose {
  const podSc: Loose = { ...mapping(spec.securityContext) };
  if (!mapping(podSc.seccompProfile).type) podSc.seccompProfile = { type: 'RuntimeDefault' };
  const container = (c: Loose): Loose => {
    const sc: Loose = { ...mapping(c.securityContext) };
    const uid = finite(sc.runAsUser) ?? finite(podSc.runAsUser) ?? ALLOCATED_UID;
    if (finite(sc.runAsUser) === undefined && finite(podSc.runAsUser) === undefined) sc.runAsUser = ALLOCATED_UID;
    if ((sc.runAsNonRoot === undefined || sc.runAsNonRoot === null) && uid > 0) sc.runAsNonRoot = true;
    const caps = mapping(sc.capabilities);
    sc.capabilities = { ...caps, drop: [...new Set([...strings(caps.drop), 'ALL'])] };
    if (sc.allowPrivilegeEscalation === undefined || sc.allowPrivilegeEscalation === null) sc.allowPrivilegeEscalation = false;
    return { ...c, securityContext: sc };
  };
  return {
    ...spec,
    securityContext: podSc,
    initContainers: mappings(spec.initContainers).map(container),
    containers: mappings(spec.containers).map(container),
  };
}
