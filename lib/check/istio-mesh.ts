import { Loose, mapping, stringMap, text } from '../manifests/access';
import { ISTIO_INJECT, ISTIO_INJECTION_LABEL, ISTIO_REVISION_LABEL } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { containersOf, podAnnotationsOf, podLabelsOf, runsPods } from './pods';

/**
 * The ConfigMap of Istio's root certificate, which istiod's namespace controller writes into every namespace it
 * watches (istio pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go CACertNamespaceConfigMap); gateways
 * and sidecars mount it.
 */
export const ISTIO_CA_ROOT_CERT = 'istio-ca-root-cert';

/** The namespaces the namespace controller skips: inject.IgnoredNamespaces less kube-system (namespacecontroller.go NewNamespaceController). */
const CONTROLLER_SKIPS = ['kube-public', 'kube-node-lease', 'local-path-storage'];

/** The kinds that install an Istio control plane, with their groups: the Sail operator's Istio, istioctl's IstioOperator, Maistra's ServiceMeshControlPlane. */
export const ISTIO_CONTROL_PLANE_KINDS: Readonly<Record<string, string>> = {
  Istio: 'sailoperator.io',
  IstioOperator: 'install.istio.io',
  ServiceMeshControlPlane: 'maistra.io',
};

/** istiod's image (istio/pilot) and the proxy's (istio/proxyv2), under any registry. */
const ISTIOD_IMAGE = /(^|\/)pilot(:|@|$)/;
const PROXY_IMAGE = /(^|\/)proxyv2(:|@|$)/;

/** Whether a workload is istiod: a Deployment named istiod (istiod-<revision>) or running Istio's pilot image. */
function isIstiod(m: Loose): boolean {
  if (m.kind !== 'Deployment') return false;
  return /^istiod(-|$)/.test(text(mapping(m.metadata).name) ?? '') || containersOf(m).some((c) => ISTIOD_IMAGE.test(text(c.container.image) ?? ''));
}

/**
 * Whether a pod is one of the mesh's: injected (sidecar.istio.io/inject "true" as label or annotation), or a gateway
 * running the proxy itself (the container istio-proxy, Istio's proxyv2 image).
 */
function meshPod(m: Loose): boolean {
  const inject = [podLabelsOf(m)[ISTIO_INJECT], podAnnotationsOf(m)[ISTIO_INJECT]];
  if (inject.some((v) => String(v) === 'true')) return true;
  return containersOf(m).some((c) => c.name === 'istio-proxy' || PROXY_IMAGE.test(text(c.container.image) ?? ''));
}

/** Whether a Namespace is labelled for injection (istio-injection: enabled, or istio.io/rev naming a revision). */
function injectedNamespace(m: Loose): boolean {
  const labels = stringMap(mapping(m.metadata).labels);
  return labels[ISTIO_INJECTION_LABEL] === 'enabled' || !!labels[ISTIO_REVISION_LABEL];
}

/**
 * Whether the tree shows an Istio control plane in the cluster: it installs istiod (its Deployment, an IstioOperator,
 * a Sail Istio, a ServiceMeshControlPlane), labels a namespace for injection, or runs injected or gateway pods, which
 * istiod serves.
 */
export function istioShown(graph: ObjectGraph): boolean {
  return graph.once('istio-shown', () =>
    graph.objects.some(({ manifest: m }) => {
      const kind = String(m.kind);
      if (Object.hasOwn(ISTIO_CONTROL_PLANE_KINDS, kind)) return String(m.apiVersion).startsWith(`${ISTIO_CONTROL_PLANE_KINDS[kind]}/`);
      if (kind === 'Namespace') return injectedNamespace(m);
      return runsPods(m) && (isIstiod(m) || meshPod(m));
    }),
  );
}

/** Whether istiod writes the ConfigMap of that name into the namespace: its root certificate, where the tree shows Istio. */
export function madeByIstiod(graph: ObjectGraph, name: string, ns: string): boolean {
  return name === ISTIO_CA_ROOT_CERT && !CONTROLLER_SKIPS.includes(ns) && istioShown(graph);
}
