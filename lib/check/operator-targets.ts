import { mapping, text } from '../manifests/access';
import { APP_NAME_LABEL } from '../k8s/keys';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import type { ScriptCreated } from '../manifests/script-creations';
import { podLabelsOf, podRunners, SERVICE_BACKEND_KINDS } from './pods';

/**
 * Services and pods that operators make, known by the labels they carry: a monitor selecting them scrapes what the
 * operator makes, which the tree holds only as the operator's install (its custom resource, its OLM Subscription, its
 * Helm chart).
 */
interface OperatorTargets {
  /** The operator, as messages name it. */
  readonly operator: string;
  /** What it makes, as messages name it. */
  readonly makes: string;
  /** A selected label (key, and value when it must be that) that only its objects carry. */
  readonly label: { readonly key: string; readonly value?: string };
  /** The kinds whose objects make the operator make them. */
  readonly kinds: readonly string[];
  /** OLM package names (Subscription spec.name) and Helm chart names that install it. */
  readonly packages: RegExp;
}

/** Kuadrant's own resource, from which its operator installs Authorino and Limitador (kuadrant-operator). */
const KUADRANT_KINDS = ['Kuadrant'];

/**
 * Istio's install resources (install.istio.io IstioOperator; the Sail operator's Istio; OpenShift Service Mesh 2's
 * ServiceMeshControlPlane) and its OLM packages and Helm charts (istio-discovery is the chart istiod comes from).
 */
const ISTIO_KINDS = ['IstioOperator', 'Istio', 'ServiceMeshControlPlane'];
const ISTIO_PACKAGES = /^(istiod|istio-discovery|servicemeshoperator|servicemeshoperator3|sailoperator|sail-operator)$/;

const OPERATOR_TARGETS: readonly OperatorTargets[] = [
  // authorino-operator controllers/authorino_controller.go labels what it makes of an Authorino with authorino-resource: <name>
  {
    operator: "Kuadrant's Authorino operator",
    makes: 'the Authorino Services',
    label: { key: 'authorino-resource' },
    kinds: [...KUADRANT_KINDS, 'Authorino'],
    packages: /^(kuadrant-operator|rhcl-operator|authorino-operator)$/,
  },
  // limitador-operator pkg/limitador labels what it makes of a Limitador with app: limitador, limitador-resource: <name>
  {
    operator: "Kuadrant's Limitador operator",
    makes: 'the Limitador Services',
    label: { key: 'limitador-resource' },
    kinds: [...KUADRANT_KINDS, 'Limitador'],
    packages: /^(kuadrant-operator|rhcl-operator|limitador-operator)$/,
  },
  // limitador-operator pkg/limitador k8s_objects.go labels(): the Service `limitador-<name>` and the Deployment it makes
  // of a Limitador carry app: limitador (releases before limitador-resource carry nothing else)
  {
    operator: "Kuadrant's Limitador operator",
    makes: 'the Limitador Services',
    label: { key: 'app', value: 'limitador' },
    kinds: [...KUADRANT_KINDS, 'Limitador'],
    packages: /^(kuadrant-operator|rhcl-operator|limitador-operator)$/,
  },
  // NVIDIA/gpu-operator assets/state-dcgm-exporter: the DaemonSet's pods and its Service carry app: nvidia-dcgm-exporter
  {
    operator: 'the NVIDIA GPU Operator',
    makes: 'the DCGM exporter DaemonSet and Service',
    label: { key: 'app', value: 'nvidia-dcgm-exporter' },
    kinds: ['ClusterPolicy'],
    packages: /^(gpu-operator|gpu-operator-certified)$/,
  },
  // kserve config/manager: the controller's Deployment and metrics Service carry control-plane: kserve-controller-manager
  {
    operator: 'KServe (or OpenShift AI, which installs it)',
    makes: "the KServe controller's Services",
    label: { key: 'control-plane', value: 'kserve-controller-manager' },
    kinds: ['DataScienceCluster'],
    packages: /^(kserve|rhods-operator|opendatahub-operator)$/,
  },
  // istio manifests/charts/istio-control/istio-discovery templates (deployment.yaml, service.yaml): istiod's pods and
  // Service carry app: istiod and istio: pilot
  {
    operator: 'Istio',
    makes: "istiod's Deployment and Service",
    label: { key: 'istio', value: 'pilot' },
    kinds: ISTIO_KINDS,
    packages: ISTIO_PACKAGES,
  },
  {
    operator: 'Istio',
    makes: "istiod's Deployment and Service",
    label: { key: 'app', value: 'istiod' },
    kinds: ISTIO_KINDS,
    packages: ISTIO_PACKAGES,
  },
  // istio samples/addons/extras/prometheus-operator.yaml: the envoy-stats PodMonitor selects the pods lacking
  // istio-prometheus-ignore, keeping the istio-proxy containers the mesh injects into every pod it serves
  {
    operator: 'Istio',
    makes: 'the sidecar proxies it injects into the pods of its mesh (and its gateways)',
    label: { key: 'istio-prometheus-ignore' },
    kinds: ISTIO_KINDS,
    packages: ISTIO_PACKAGES,
  },
  // seldon-core operator/apis/machinelearning.seldon.io/v1 (Label_managed_by, Label_value_seldon): the operator labels
  // the Deployments, pod templates and Services it makes of a SeldonDeployment app.kubernetes.io/managed-by: seldon-core
  {
    operator: 'the Seldon Core operator',
    makes: 'the pods and Services of a SeldonDeployment',
    label: { key: 'app.kubernetes.io/managed-by', value: 'seldon-core' },
    kinds: ['SeldonDeployment'],
    packages: /^(seldon-core-operator|seldon-operator)$/,
  },
  // knative serving config/core/deployments: the control plane's Deployments and Services carry
  // app.kubernetes.io/name: knative-serving
  {
    operator: 'Knative Serving',
    makes: 'its control-plane Deployments and Services (activator, autoscaler, controller, webhook)',
    label: { key: APP_NAME_LABEL, value: 'knative-serving' },
    kinds: ['KnativeServing'],
    packages: /^(knative-operator|serverless-operator)$/,
  },
  // kubernetes-sigs/kueue config/components/manager and rbac (metrics Service): the controller's pods and Services
  // carry app.kubernetes.io/name: kueue with control-plane: controller-manager
  {
    operator: 'Kueue',
    makes: "the controller manager's Deployment and metrics Service",
    label: { key: APP_NAME_LABEL, value: 'kueue' },
    kinds: [],
    packages: /^(kueue|kueue-operator)$/,
  },
  // NVIDIA/dcgm-exporter deployment/helm/dcgm-exporter templates (_helpers.tpl dcgm-exporter.name): the chart's
  // DaemonSet pods and Service carry app.kubernetes.io/name: dcgm-exporter
  {
    operator: "NVIDIA's dcgm-exporter chart",
    makes: 'the DCGM exporter DaemonSet and Service',
    label: { key: APP_NAME_LABEL, value: 'dcgm-exporter' },
    kinds: [],
    packages: /^dcgm-exporter$/,
  },
];

/** The package or chart an object installs: a Subscription's spec.name, an Argo CD Application's or Flux HelmRelease's chart. */
function installed(o: GraphObject): string | undefined {
  const spec = mapping(o.manifest.spec);
  if (o.manifest.kind === 'Subscription') return text(spec.name);
  if (o.manifest.kind === 'Application') return text(mapping(spec.source).chart);
  if (o.manifest.kind === 'HelmRelease') return text(mapping(mapping(spec.chart).spec).chart) ?? text(spec.chart);
  return undefined;
}

/**
 * Whether the tree runs such a target itself: a workload of its own (a DaemonSet of the exporter written by hand)
 * whose pods carry the label. Then the tree, not the operator, is what the monitor was written for, and whether the
 * tree gives it a Service is judged as for any workload.
 */
function runByTree(known: OperatorTargets, graph: ObjectGraph): boolean {
  return podRunners(graph, SERVICE_BACKEND_KINDS).some((o) => {
    const value = text(mapping(podLabelsOf(o.manifest))[known.label.key]);
    return value !== undefined && (known.label.value === undefined || value === known.label.value);
  });
}

/** The operator whose objects the selected labels name, and the object of the tree that installs it (none when the tree does not). */
export function operatorTargetOf(
  selected: Readonly<Record<string, string>>,
  graph: ObjectGraph,
): { known: OperatorTargets; by?: GraphObject | ScriptCreated } | undefined {
  const known = OPERATOR_TARGETS.find((t) => t.label.key in selected && (t.label.value === undefined || selected[t.label.key] === t.label.value));
  if (!known || runByTree(known, graph)) return undefined;
  const byKind = known.kinds.flatMap((k) => graph.ofKind(k))[0];
  const byPackage = ['Subscription', 'Application', 'HelmRelease'].flatMap((k) => graph.ofKind(k)).find((o) => known.packages.test(installed(o) ?? ''));
  // a script's `helm install` of the operator's chart makes its resource (script-creations, OPERATOR_CHARTS)
  const byScript = graph.scriptCreated.find((c) => known.kinds.includes(c.kind));
  return { known, by: byKind ?? byPackage ?? byScript };
}

/**
 * One sentence on the operator the labels belong to, for a monitor whose targets that operator makes while the tree
 * does not install it: installed outside the tree, it makes them there.
 */
export function operatorNote(found: { known: OperatorTargets }): string {
  return (
    `the labels ${found.known.operator} gives ${found.known.makes}, and the tree does not install it (${found.known.kinds.length ? `no ${found.known.kinds.join(' or ')} object, nor a Subscription or chart of it` : 'no Subscription or chart of it'}): ` +
    'installed outside the tree, it makes the targets there, so whether they carry these labels and ports is not checked here'
  );
}
