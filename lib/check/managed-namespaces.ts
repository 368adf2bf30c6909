import * as path from 'path';
import { isMapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * Namespaces a managed Kubernetes service makes itself, for its own components or an add-on it installs, and how a
 * tree or a file says it targets that service. Judged as made only there: on another cluster nothing makes them.
 */
interface ManagedService {
  readonly name: string;
  /** The namespaces it makes, each with the page that says so. */
  readonly namespaces: readonly { readonly pattern: RegExp; readonly doc: string }[];
  /** Label, annotation, node selector and API group domains only that service's clusters read. */
  readonly domains: readonly string[];
  /** The word a file or folder name of a variant written for it carries (`service-gke.yaml`, `eks/`). */
  readonly word: string;
}

const MANAGED_SERVICES: readonly ManagedService[] = [
  {
    name: 'GKE',
    namespaces: [
      // GKE's managed DCGM exporter (on by default from 1.32.1-gke.1357000) and its other managed components
      {
        pattern: /^gke-managed-[a-z0-9-]+$/,
        doc: 'cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics (the managed DCGM exporter runs in gke-managed-system)',
      },
      // Managed Service for Prometheus: the managed collectors and the OperatorConfig's namespace
      {
        pattern: /^(gmp-system|gmp-public|gke-gmp-system)$/,
        doc: 'cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed (managed collection: gmp-system, gke-gmp-system on Autopilot, gmp-public)',
      },
    ],
    domains: ['cloud.google.com', 'gke.io', 'googleapis.com'],
    word: 'gke',
  },
  {
    name: 'EKS',
    namespaces: [
      {
        pattern: /^amazon-cloudwatch$/,
        doc: 'docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html (the Amazon CloudWatch Observability add-on)',
      },
      { pattern: /^amazon-guardduty$/, doc: 'docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html (the GuardDuty security agent add-on)' },
    ],
    domains: ['eks.amazonaws.com', 'k8s.aws', 'eksctl.io'],
    word: 'eks',
  },
  {
    name: 'AKS',
    namespaces: [
      { pattern: /^app-routing-system$/, doc: 'learn.microsoft.com/azure/aks/app-routing (the application routing add-on)' },
      { pattern: /^gatekeeper-system$/, doc: 'learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes (the Azure Policy add-on)' },
      { pattern: /^aks-istio-(system|ingress|egress)$/, doc: 'learn.microsoft.com/azure/aks/istio-about (the Istio-based service mesh add-on)' },
    ],
    domains: ['kubernetes.azure.com', 'azure.workload.identity'],
    word: 'aks',
  },
];

const within = (key: string, domains: readonly string[]) => {
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : key;
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
};

/** Every mapping key, `key:` value (node affinity terms, tolerations) and API group of an object. */
function keysOf(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  if (!isMapping(v)) return;
  const termKey = text(v.key);
  if (termKey) out.add(termKey);
  const apiVersion = text(v.apiVersion);
  if (apiVersion?.includes('/')) out.add(apiVersion.split('/')[0]);
  for (const [k, x] of Object.entries(v)) {
    out.add(k);
    keysOf(x, out);
  }
}

/** The managed services the tree targets: one of its objects reads a key or serves an API group of the service's domains (cloud.google.com/gke-accelerator, eks.amazonaws.com/nodegroup). */
function targetedServices(graph: ObjectGraph): ReadonlySet<string> {
  return graph.once('managed-namespaces:targeted', () => {
    const keys = new Set<string>();
    for (const o of graph.objects) keysOf(o.manifest, keys);
    return new Set(MANAGED_SERVICES.filter((s) => [...keys].some((k) => within(k, s.domains))).map((s) => s.name));
  });
}

/** The object's file as the reader sees it: its path under the checked folder that holds it, else its name and folder. */
function shownPath(graph: ObjectGraph, file: string): string {
  const abs = path.resolve(file);
  const top = (graph.folders ?? []).map((f) => path.resolve(f)).find((f) => !path.relative(f, abs).startsWith('..'));
  return top ? path.relative(top, abs) : path.join(path.basename(path.dirname(abs)), path.basename(abs));
}

/** Whether the file is a variant written for the service: its name or a folder of it carries the service's word (`-gke.yaml`, `gke/`). */
function markedFor(graph: ObjectGraph, o: GraphObject | undefined, s: ManagedService): boolean {
  return !!o?.file && new RegExp(`(^|[^a-z0-9])${s.word}([^a-z0-9]|$)`, 'i').test(shownPath(graph, o.file));
}

/**
 * Who makes the namespace, where a managed Kubernetes service does and the tree targets it (its objects read that
 * service's keys) or the object's file is marked for it (its name or folder says gke, eks or aks); undefined otherwise.
 */
export function managedServiceNamespace(graph: ObjectGraph, namespace: string, o?: GraphObject): string | undefined {
  for (const s of MANAGED_SERVICES) {
    const made = s.namespaces.find((n) => n.pattern.test(namespace));
    if (made && (targetedServices(graph).has(s.name) || markedFor(graph, o, s))) return `${s.name} itself (${made.doc})`;
  }
  return undefined;
}

/**
 * Why a namespace holds components the platform runs, not the tree's: kube-system (the cluster's own add-ons: kubeadm
 * deploys CoreDNS and kube-proxy there, kubernetes cmd/kubeadm/app/phases/addons; GKE, EKS and AKS run their system
 * add-ons there), openshift and openshift-* (OpenShift's cluster operators, and by convention the operators installed
 * from OperatorHub), and the namespaces a managed Kubernetes service makes for its own components (MANAGED_SERVICES:
 * GKE's gke-managed-*, gmp-system, gmp-public, gke-gmp-system; the EKS and AKS add-ons'); undefined for any other. A
 * monitor there watches what the platform deploys, which no manifest tree shows.
 */
export function platformComponentsNamespace(namespace: string): string | undefined {
  if (namespace === 'kube-system') return "kube-system holds the cluster's own add-ons (kubeadm's CoreDNS and kube-proxy, a managed cloud's system add-ons)";
  if (/^openshift(-|$)/.test(namespace))
    return `${namespace} is OpenShift's (its cluster operators, and operators installed from OperatorHub, run in openshift-* namespaces)`;
  for (const s of MANAGED_SERVICES) {
    const made = s.namespaces.find((n) => n.pattern.test(namespace));
    if (made) return `${namespace} is ${s.name}'s (${made.doc})`;
  }
  return undefined;
}
