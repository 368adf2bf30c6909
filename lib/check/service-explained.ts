import { isPodTemplateKind } from '../k8s/pod-kinds';
import { Loose, mapping, text } from '../manifests/access';
import { isClusterScoped } from '../manifests/scope';
import type { ObjectGraph } from './graph';

/**
 * Kinds that never make a Service of their own name: Kubernetes' own workloads and configuration, and OpenShift's
 * Route (it exposes a Service, it makes none). The pod-template kinds (lib/k8s/pod-kinds.ts) make none either, but a
 * Notebook (makesServiceNamed).
 */
const KINDS_MAKING_NO_SERVICE: ReadonlySet<string> = new Set([
  'Service',
  'Deployment',
  'Job',
  'CronJob',
  'Pod',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'DaemonSet',
  'ReplicaSet',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Route',
  'Ingress',
  'StatefulSet',
  'LimitRange',
  'ResourceQuota',
]);

/**
 * The Services of kinds whose controllers name them exactly, after the object's name (`$` here): any other name that
 * begins with the object's is not one of its Services.
 * - InferenceService: KServe's `<name>` and its components' `<name>-predictor`, `-transformer`, `-explainer`
 *   (`-default` before 0.9), kserve pkg/constants/constants.go DefaultPredictorServiceName and friends; in serverless
 *   mode Knative's revision Services of a component, `<component service>-<5-digit generation>[-private]`
 *   (knative/serving pkg/reconciler/configuration/resources names.go, pkg/reconciler/serverlessservice).
 * - ModelRegistry: the registry's own Service `<name>` (opendatahub-io/model-registry-operator
 *   internal/controller/config/templates/service.yaml.tmpl): its database is another's.
 */
const EXACT_SERVICES: Readonly<Record<string, (own: string, name: string) => boolean>> = {
  InferenceService: (own, name) =>
    name === own || (name.startsWith(`${own}-`) && /^(predictor|transformer|explainer)(-default)?(-\d{5}(-private)?)?$/.test(name.slice(own.length + 1))),
  ModelRegistry: (own, name) => name === own,
};

/**
 * Whether the controller of an object (a manifest of the tree, or one the repository deploys outside it) may make a
 * Service `name` in the object's namespace: its own name `own` (lower case), or that and a suffix (EXACT_SERVICES narrows).
 */
export function makesServiceNamed(m: Loose, own: string | undefined, name: string): boolean {
  const kind = String(m.kind);
  if (!own || KINDS_MAKING_NO_SERVICE.has(kind) || isClusterScoped(kind)) return false;
  // the Kubeflow notebook controller makes a Service of the Notebook's name (generateService); other pod-template kinds none
  if (isPodTemplateKind(m) && kind !== 'Notebook') return false;
  if (Object.hasOwn(EXACT_SERVICES, kind)) return EXACT_SERVICES[kind](own, name);
  return name === own || name.startsWith(`${own}-`);
}

/**
 * Whether the tree explains a Service `name` (lower case) in namespace `ns` (undefined: namespace-less objects), as
 * the host of an address a pod connects to: Kubernetes DNS answers `<name>` and `<name>.<ns>[.svc[.cluster.local]]`
 * only for a Service of that namespace (kubernetes.io/docs/concepts/services-networking/dns-pod-service), so a Service
 * or object of another namespace explains nothing. Explained: a Service of that name there, of any type (an
 * ExternalName Service answers with its CNAME, a headless one with its pods' addresses); an object there whose
 * controller names its Services after it (an operator's custom resource: its name, or its name and a suffix, as
 * EXACT_SERVICES narrows); `localhost` (the pod itself, never a Service); and `kubernetes` in `default`, the API
 * server's Service every cluster has (pkg/controlplane/controller/kubernetesservice).
 */
export function serviceExplained(graph: ObjectGraph, name: string, ns: string | undefined): boolean {
  if (name === 'localhost' || (name === 'kubernetes' && ns === 'default')) return true;
  const there = namespaceServices(graph).get(ns);
  return there !== undefined && (there.services.has(name) || there.makers.some((x) => makesServiceNamed(x.manifest, x.own, name)));
}

/** What explains Services in each namespace (serviceExplained): the names of its Services, and its other named objects. */
function namespaceServices(graph: ObjectGraph): Map<string | undefined, { services: Set<string>; makers: { manifest: Loose; own: string }[] }> {
  return graph.once('service-explained', () => {
    const out = new Map<string | undefined, { services: Set<string>; makers: { manifest: Loose; own: string }[] }>();
    for (const o of graph.objects) {
      const own = text(mapping(o.manifest.metadata).name)?.toLowerCase();
      if (!own) continue;
      const ns = graph.namespaceOf(o.manifest);
      const there = out.get(ns) ?? { services: new Set<string>(), makers: [] };
      out.set(ns, there);
      if (o.manifest.kind === 'Service') there.services.add(own);
      else there.makers.push({ manifest: o.manifest, own });
    }
    return out;
  });
}
