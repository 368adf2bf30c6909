import { GoMap, GoMethod, NotRendered } from './go-values';
import { STRUCTS } from './template-exec';

/**
 * The API group versions `helm template` reports with no cluster (helm pkg/chart/common/capabilities.go
 * DefaultVersionSet, the client-go scheme of helm v4.1.4): group/version only, no kinds.
 */
export const HELM_DEFAULT_API_VERSIONS: readonly string[] = (
  'v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 ' +
  'apps/v1 apps/v1beta1 apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 authentication.k8s.io/v1beta1 authorization.k8s.io/v1 ' +
  'authorization.k8s.io/v1beta1 autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 batch/v1beta1 certificates.k8s.io/v1 ' +
  'certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 coordination.k8s.io/v1 ' +
  'discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 ' +
  'flowcontrol.apiserver.k8s.io/v1beta1 flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 ' +
  'networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 policy/v1beta1 rbac.authorization.k8s.io/v1 ' +
  'rbac.authorization.k8s.io/v1beta1 rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 resource.k8s.io/v1beta1 ' +
  'resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 ' +
  'storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 apiextensions.k8s.io/v1'
).split(' ');

/** The Kubernetes version `helm template` reports with no cluster (helm v4.1.4, built with client-go v0.35). */
export const HELM_DEFAULT_KUBE_VERSION = 'v1.35.0';

/**
 * Where the capabilities come from: `helm template` with its defaults (or the given --kube-version and
 * --api-versions), or a cluster the files do not show (an Argo CD sync sends the destination's): then reading the
 * version, or asking for an API outside the given ones, leaves the chart unrendered.
 */
export interface CapabilitySource {
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** The cluster's own answers are unknown: only what is given is known. */
  readonly clusterUnknown: boolean;
  /** helm's own default Kubernetes version is unknown (a helm of another version renders): reading it leaves the chart unrendered. */
  readonly kubeVersionUnknown?: boolean;
}

function struct(m: GoMap): GoMap {
  STRUCTS.add(m);
  return m;
}

function kubeVersion(v: string): GoMap {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  const text = v.startsWith('v') ? v : `v${v}`;
  return struct({ Version: text, GitVersion: text, Major: m?.[1] ?? '', Minor: m?.[2] ?? '' });
}

/** .Capabilities for a render. */
export function capabilities(src: CapabilitySource): GoMap {
  const given = [...(src.apiVersions ?? [])];
  const known = src.clusterUnknown ? given : [...HELM_DEFAULT_API_VERSIONS, ...given];
  const has = new GoMethod('Has', (v) => {
    const name = String(v);
    if (known.includes(name)) return true;
    if (src.clusterUnknown)
      throw new NotRendered(`its templates ask whether the cluster serves ${name} (.Capabilities.APIVersions.Has), which the files do not show`);
    return false;
  });
  const apiVersions = Object.assign(Object.create(null) as GoMap, { Has: has });
  const kv = src.kubeVersion ?? (src.clusterUnknown || src.kubeVersionUnknown ? undefined : HELM_DEFAULT_KUBE_VERSION);
  const caps: GoMap = { APIVersions: apiVersions, HelmVersion: struct({ Version: 'v4.1.4' }) };
  if (kv) caps.KubeVersion = kubeVersion(kv);
  else
    Object.defineProperty(caps, 'KubeVersion', {
      enumerable: true,
      get: () => {
        throw new NotRendered("its templates read the cluster's Kubernetes version (.Capabilities.KubeVersion), which the files do not show");
      },
    });
  return struct(caps);
}
