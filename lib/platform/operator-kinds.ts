import * as fs from 'fs';
import { packagePath } from '../private/package-root';
import { crdHeader, schemaSetFiles } from './schema-sets';

/** A kind one project's operator serves, in the one group and the versions its CRD gives it. */
export interface OperatorKind {
  readonly group: string;
  readonly versions: readonly string[];
  /** The operator that serves it, for messages. */
  readonly by?: string;
}

/**
 * Kinds of the operators an OpenShift AI cluster runs beside the platform (its own components' and those of the
 * operators it asks for) whose CRDs the project does not ship: each in the group and versions its CRD serves.
 */
const OPERATOR_KINDS: Readonly<Record<string, OperatorKind>> = {
  // llamastack/llama-stack-k8s-operator api/v1alpha1 (groupversion_info.go: llamastack.io v1alpha1), OpenShift AI's llamastackoperator component
  LlamaStackDistribution: {
    group: 'llamastack.io',
    versions: ['v1alpha1'],
    by: "the Llama Stack operator (llama-stack-k8s-operator, OpenShift AI's llamastackoperator component)",
  },
  // NVIDIA/gpu-operator api/nvidia/v1alpha1 NVIDIADriver
  NVIDIADriver: { group: 'nvidia.com', versions: ['v1alpha1'], by: 'the NVIDIA GPU operator' },
  // openshift/cluster-nfd-operator api/v1 NodeFeatureDiscovery
  NodeFeatureDiscovery: { group: 'nfd.openshift.io', versions: ['v1'], by: 'the Node Feature Discovery operator' },
  // openshift-pipelines/operator (tektoncd/operator pkg/apis/operator/v1alpha1 TektonConfig)
  TektonConfig: { group: 'operator.tekton.dev', versions: ['v1alpha1'], by: 'OpenShift Pipelines' },
  // knative/operator pkg/apis/operator/v1beta1 KnativeServing, KnativeEventing
  KnativeServing: { group: 'operator.knative.dev', versions: ['v1beta1'], by: 'OpenShift Serverless (the Knative operator)' },
  KnativeEventing: { group: 'operator.knative.dev', versions: ['v1beta1'], by: 'OpenShift Serverless (the Knative operator)' },
  // maistra/istio-operator api/v2 ServiceMeshControlPlane, api/v1 ServiceMeshMemberRoll
  ServiceMeshControlPlane: { group: 'maistra.io', versions: ['v2'], by: 'OpenShift Service Mesh 2' },
  ServiceMeshMemberRoll: { group: 'maistra.io', versions: ['v1'], by: 'OpenShift Service Mesh 2' },
};

/**
 * Kind names more than one project uses (Kueue's Workload, Cluster API's and CloudNativePG's Cluster, Argo CD's and
 * the Application CRD of kubernetes-sigs/application, Karpenter's and HyperShift's NodePool, MachineSet of Cluster API
 * and OpenShift, HardwareProfile of OpenShift AI's dashboard and infrastructure groups, the Prometheus operator's
 * ServiceMonitor and PodMonitor, which Azure Monitor's managed Prometheus serves in azmonitoring.coreos.com): written
 * under another group they may be that project's own.
 */
const SHARED_KINDS = new Set([
  'Workload',
  'Topology',
  'Cohort',
  'Cluster',
  'Config',
  'Application',
  'NodePool',
  'MachineSet',
  'HardwareProfile',
  'Probe',
  'Istio',
  'ClusterPolicy',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
]);

let shipped: Map<string, OperatorKind> | undefined;

/**
 * The kinds one project serves, by name: those of the CRDs the project ships (schemas/crds, every set) that only one
 * group defines, and the operators' kinds above; kinds several groups define (InferencePool, v1 and its alpha) and
 * the shared names are left out. Read once.
 */
export function projectKinds(): ReadonlyMap<string, OperatorKind> {
  if (shipped) return shipped;
  const groups = new Map<string, { groups: Set<string>; versions: Set<string> }>();
  for (const set of fs.readdirSync(packagePath('schemas', 'crds')).sort()) {
    for (const header of schemaSetFiles(set).map(crdHeader)) {
      const entry = groups.get(header.kind) ?? { groups: new Set<string>(), versions: new Set<string>() };
      entry.groups.add(header.group);
      header.versions.forEach((v) => entry.versions.add(v));
      groups.set(header.kind, entry);
    }
  }
  const out = new Map<string, OperatorKind>();
  for (const [kind, entry] of groups)
    if (entry.groups.size === 1 && !SHARED_KINDS.has(kind)) out.set(kind, { group: [...entry.groups][0], versions: [...entry.versions].sort() });
  for (const [kind, served] of Object.entries(OPERATOR_KINDS)) if (!out.has(kind)) out.set(kind, served);
  shipped = out;
  return out;
}

/** Whether a kind name is one several projects use (see SHARED_KINDS). */
export function sharedKind(kind: string): boolean {
  return SHARED_KINDS.has(kind);
}
