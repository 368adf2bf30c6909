import { finite, Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { APP_CREATED_BY_LABEL, APP_NAME_LABEL, RAY_CLUSTER_LABEL } from '../k8s/keys';

type Labels = Readonly<Record<string, string>>;

/**
 * The value of a label the controller sets per pod (an index, a hash, a generated name): it may equal any value a
 * selector asks for. No label value can be `*` (label values are alphanumerics, `-`, `_` and `.`), so it stands for none.
 */
export const ANY_LABEL_VALUE = '*';

/** The labels the StatefulSet controller puts on each pod (pkg/controller/statefulset/stateful_set_utils.go). */
const STATEFUL_SET_POD_LABELS: Labels = {
  'statefulset.kubernetes.io/pod-name': ANY_LABEL_VALUE,
  'apps.kubernetes.io/pod-index': ANY_LABEL_VALUE,
  'controller-revision-hash': ANY_LABEL_VALUE,
};

/**
 * The pod labels of a LeaderWorkerSet: each template's own plus LWS's (kubernetes-sigs/lws api/leaderworkerset/v1
 * leaderworkerset_types.go keys; pkg/controllers leader StatefulSet template: name and worker-index 0; the pod webhook
 * adds group-index, group-key and the template-revision-hash, and subgroup-index/-key under a subGroupPolicy), and the
 * StatefulSet controller's, as LWS runs leaders and each group's workers as StatefulSets. A missing leaderTemplate is
 * the workerTemplate. The LWS's own metadata.labels are not copied to its pods.
 */
function leaderWorkerSetLabels(m: Loose): Labels[] {
  const name = text(mapping(m.metadata).name) ?? ANY_LABEL_VALUE;
  const t = mapping(mapping(m.spec).leaderWorkerTemplate);
  const size = finite(t.size) ?? 1;
  const subGroup: Labels =
    t.subGroupPolicy != null
      ? { 'leaderworkerset.sigs.k8s.io/subgroup-index': ANY_LABEL_VALUE, 'leaderworkerset.sigs.k8s.io/subgroup-key': ANY_LABEL_VALUE }
      : {};
  const lws = (workerIndex: string): Labels => ({
    ...STATEFUL_SET_POD_LABELS,
    'leaderworkerset.sigs.k8s.io/name': name,
    'leaderworkerset.sigs.k8s.io/worker-index': workerIndex,
    'leaderworkerset.sigs.k8s.io/group-index': ANY_LABEL_VALUE,
    'leaderworkerset.sigs.k8s.io/group-key': ANY_LABEL_VALUE,
    'leaderworkerset.sigs.k8s.io/template-revision-hash': ANY_LABEL_VALUE,
    ...subGroup,
  });
  const own = (template: unknown) => stringMap(mapping(mapping(template).metadata).labels);
  const leader = { ...own(t.leaderTemplate ?? t.workerTemplate), ...lws('0') };
  return size > 1 ? [leader, { ...own(t.workerTemplate), ...lws(ANY_LABEL_VALUE) }] : [leader];
}

/** Where each Ray kind keeps its RayClusterSpec, and whether KubeRay names the cluster after the object (a RayJob's and a RayService's get a random suffix). */
const RAY_CLUSTER_SPECS: Readonly<Record<string, { spec: (m: Loose) => unknown; named: boolean }>> = {
  RayCluster: { spec: (m) => m.spec, named: true },
  RayJob: { spec: (m) => mapping(m.spec).rayClusterSpec, named: false },
  RayService: { spec: (m) => mapping(m.spec).rayClusterConfig, named: false },
};

/**
 * The pod labels of a Ray cluster's head and worker groups, as KubeRay's labelPod makes them (ray-project/kuberay
 * ray-operator/controllers/ray/common/pod.go DefaultHeadPodTemplate, DefaultWorkerPodTemplate, labelPod; constants in
 * controllers/ray/utils/constant.go): ray.io/is-ray-node yes, ray.io/cluster, ray.io/node-type head|worker,
 * ray.io/group (headgroup for the head), ray.io/identifier <cluster>-<type>, app.kubernetes.io/name kuberay and
 * app.kubernetes.io/created-by kuberay-operator, merged with the template's labels and the group's `labels` field;
 * the template may override all but node-type, group and cluster. Only the template's labels reach the pods: the
 * head and worker templates pass headSpec.Template's (workerSpec.Template's) labels and the group's `labels` to
 * labelPod, never the RayCluster's own metadata.labels, and a RayJob's or RayService's labels go to the RayCluster
 * it makes, not its pods. A RayService's pods also get ray.io/serve from its controller.
 */
function rayLabels(m: Loose): Labels[] {
  const how = RAY_CLUSTER_SPECS[String(m.kind)];
  const spec = mapping(how.spec(m));
  const cluster = how.named ? (text(mapping(m.metadata).name) ?? ANY_LABEL_VALUE) : ANY_LABEL_VALUE;
  const identifier = (type: string) => (cluster === ANY_LABEL_VALUE ? ANY_LABEL_VALUE : `${cluster}-${type}`.slice(0, 63));
  const pod = (group: Loose, type: string, groupName: string): Labels => ({
    'ray.io/is-ray-node': 'yes',
    'ray.io/identifier': identifier(type),
    [APP_NAME_LABEL]: 'kuberay',
    [APP_CREATED_BY_LABEL]: 'kuberay-operator',
    ...(m.kind === 'RayService' ? { 'ray.io/serve': ANY_LABEL_VALUE } : {}),
    ...stringMap(mapping(mapping(group.template).metadata).labels),
    ...stringMap(group.labels),
    [RAY_CLUSTER_LABEL]: cluster,
    'ray.io/node-type': type,
    'ray.io/group': groupName,
  });
  const head = spec.headGroupSpec != null ? [pod(mapping(spec.headGroupSpec), 'head', 'headgroup')] : [];
  return [...head, ...mappings(spec.workerGroupSpecs).map((g) => pod(g, 'worker', text(g.groupName) ?? ANY_LABEL_VALUE))];
}

/** KubeRay's metrics port, added to the Ray container (the first) where it declares none named so (ray-project/kuberay ray-operator/controllers/ray/utils/constant.go MetricsPortName, DefaultMetricsPort). */
const RAY_METRICS_PORT = { name: 'metrics', containerPort: 8080 };

/**
 * The port a group's Ray node exports its metrics on: rayStartParams `metrics-export-port`, which KubeRay passes to
 * `ray start` and otherwise sets to DefaultMetricsPort (ray-project/kuberay ray-operator/controllers/ray/common/pod.go
 * generateRayStartCommand's caller: "Add a metrics port to expose the metrics to Prometheus"); undefined where the
 * value is no port number (a variable).
 */
function metricsExportPort(group: Loose): number | undefined {
  const written = mapping(group.rayStartParams)['metrics-export-port'];
  if (written === undefined) return RAY_METRICS_PORT.containerPort;
  const port = typeof written === 'number' ? written : /^\d+$/.test(String(written)) ? Number(written) : undefined;
  return port !== undefined && port > 0 && port < 65536 ? port : undefined;
}

/**
 * The pods of each group of a Ray cluster (the head, then each worker group), with the labels KubeRay gives them
 * (rayLabels) and their containers as KubeRay builds them: the template's, the first (the Ray container) with a port
 * `metrics` 8080 where it declares none of that name (common/pod.go DefaultHeadPodTemplate, DefaultWorkerPodTemplate:
 * "If the metrics port does not exist in the Ray container, add a default one"). Undefined for other kinds.
 */
export function rayGroupPods(m: Loose): { labels: Labels; containers: Loose[]; metricsExportPort: number | undefined }[] | undefined {
  const how = RAY_CLUSTER_SPECS[String(m.kind)];
  if (!how) return undefined;
  const spec = mapping(how.spec(m));
  const groups = [...(spec.headGroupSpec != null ? [mapping(spec.headGroupSpec)] : []), ...mappings(spec.workerGroupSpecs)];
  const labels = rayLabels(m);
  return groups.map((g, i) => {
    const containers = mappings(mapping(mapping(g.template).spec).containers);
    const ray = containers[0];
    const hasMetrics = ray !== undefined && mappings(ray.ports).some((p) => text(p.name) === RAY_METRICS_PORT.name);
    const built = ray && !hasMetrics ? [{ ...ray, ports: [...mappings(ray.ports), RAY_METRICS_PORT] }, ...containers.slice(1)] : containers;
    return { labels: labels[i], containers: built, metricsExportPort: metricsExportPort(g) };
  });
}

/**
 * The pods the Ollama operator makes for an ollama.ayaka.io Model (nekomeowww/ollama-operator pkg/model/model.go
 * ModelLabels, MergePodTemplate, ImageStoreLabels): the model's Deployment pods carry spec.podTemplate's labels with
 * app: ollama-model-<name> and model.ollama.ayaka.io: <name> over them; the type and name keys changed between
 * releases, so they may hold any value. The namespace's image store (a StatefulSet the operator adds) is labelled
 * ollama-image-store or ollama-models-store by release.
 */
function ollamaModelLabels(m: Loose): Labels[] {
  const name = text(mapping(m.metadata).name) ?? ANY_LABEL_VALUE;
  const template = stringMap(mapping(mapping(mapping(m.spec).podTemplate).metadata).labels);
  const varying = { 'ollama.ayaka.io/type': ANY_LABEL_VALUE, 'model.ollama.ayaka.io/type': ANY_LABEL_VALUE };
  return [
    { ...template, ...varying, app: `ollama-model-${name}`, 'model.ollama.ayaka.io': name, 'model.ollama.ayaka.io/name': ANY_LABEL_VALUE },
    { ...varying, app: ANY_LABEL_VALUE, 'model.ollama.ayaka.io': ANY_LABEL_VALUE },
  ];
}

/** Whether an object is an Ollama operator Model (its kind name alone is too common to tell). */
export function isOllamaModel(m: Loose): boolean {
  return m.kind === 'Model' && String(m.apiVersion).startsWith('ollama.ayaka.io/');
}

/** The kinds whose controllers label their pods with more than the templates say, as this module knows them. */
export const CONTROLLER_LABELLED_KINDS: readonly string[] = ['LeaderWorkerSet', ...Object.keys(RAY_CLUSTER_SPECS)];

/** The labels each kind of pod of a LeaderWorkerSet, Ray object or Ollama Model carries; undefined for other kinds. */
export function controllerPodLabels(m: Loose): Labels[] | undefined {
  if (m.kind === 'LeaderWorkerSet') return leaderWorkerSetLabels(m);
  if (isOllamaModel(m)) return ollamaModelLabels(m);
  return String(m.kind) in RAY_CLUSTER_SPECS ? rayLabels(m) : undefined;
}

/** Whether pods with these labels may carry every selected pair (a controller-chosen value may be the selected one). */
export function mayHoldLabels(labels: Labels, selector: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v || labels[k] === ANY_LABEL_VALUE);
}

/**
 * The labels with each controller-chosen value replaced by the one a label selector asks for (matchLabels, or an In
 * value), so that a selector is judged against what the pods may carry.
 */
export function asSelected(labels: Labels, selector: unknown): Labels {
  const wanted: Record<string, string> = {};
  for (const e of mappings(mapping(selector).matchExpressions)) {
    const key = text(e.key);
    if (key && e.operator === 'In' && strings(e.values).length) wanted[key] = strings(e.values)[0];
  }
  Object.assign(wanted, stringMap(mapping(selector).matchLabels));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (v !== ANY_LABEL_VALUE) out[k] = v;
    // a value outside a NotIn list, when the selector only excludes some
    else out[k] = wanted[k] ?? `${ANY_LABEL_VALUE}other`;
  }
  return out;
}

/** The controller labels a message leaves out: the same on every pod of the controller, they tell one pod from none. */
const UNTOLD: Labels = {
  'ray.io/is-ray-node': 'yes',
  [APP_NAME_LABEL]: 'kuberay',
  [APP_CREATED_BY_LABEL]: 'kuberay-operator',
};

/** A pod label set as a message shows it: `k=v` pairs, without the controller's per-pod values and its constant labels. */
export function shownPodLabels(labels: Labels): string {
  return Object.entries(labels)
    .filter(([k, v]) => v !== ANY_LABEL_VALUE && UNTOLD[k] !== v && k !== 'ray.io/identifier')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
