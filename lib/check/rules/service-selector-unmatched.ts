import * as path from 'path';
import { holdsLabels, Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { selectorMatches } from '../argocd/label-selector';
import { builtInGroup } from '../../k8s/api-version';
import { INFERENCE_SERVICE_POD_LABEL } from '../../k8s/keys';
import { misvaluedServiceLabel, serviceLabelReason } from '../kserve-name-label';
import { editDistance } from '../../private/edit-distance';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, podLabelsOf, SERVICE_BACKEND_KINDS, serviceBackends, WORKLOAD_KINDS } from '../pods';
import { namespaceHeldWhole } from '../namespace-held-whole';
import { MULTI_POD_KINDS, podTemplatesOf, templateContainers } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { ANY_LABEL_VALUE, CONTROLLER_LABELLED_KINDS, controllerPodLabels, isOllamaModel, mayHoldLabels, shownPodLabels } from '../controller-pod-labels';

/** The kinds whose pods' labels are the ones their templates write (the controller adds only its own keys). */
export const TEMPLATE_KINDS: readonly string[] = [...SERVICE_BACKEND_KINDS, 'Job', 'CronJob', ...MULTI_POD_KINDS];

type Labels = Readonly<Record<string, string>>;

/**
 * The pod labels an object's pods carry: its pod template's, or each of its several templates', with the labels
 * KubeRay and LeaderWorkerSet add (controllerPodLabels; a controller-chosen value is ANY_LABEL_VALUE).
 */
export function podLabelSets(m: Loose): Labels[] {
  const labelled = controllerPodLabels(m);
  if (labelled) return labelled;
  if (MULTI_POD_KINDS.includes(String(m.kind))) return podTemplatesOf(m).map((t) => stringMap(mapping(t.template.metadata).labels));
  return [stringMap(podLabelsOf(m))];
}

/**
 * Two label values that name the same thing written two ways: one holds the other (`vllm` and `vllm-sim`), or they
 * are a letter or two apart. Unrelated values (`frontend`, `backend`) say the Service selects another workload.
 */
export function close(a: string, b: string): boolean {
  if (a.length >= 3 && b.length >= 3 && (a.includes(b) || b.includes(a))) return true;
  return Math.abs(a.length - b.length) <= 2 && editDistance(a, b) <= 2 && Math.min(a.length, b.length) > 3;
}

/**
 * A workload of the Service's namespace whose pods' labels hold every key of the selector, with each value that
 * differs close to the selector's: the pods the Service was written for, labelled otherwise (a LeaderWorkerSet or a
 * Ray cluster named otherwise than the selector says is one: its controller labels the pods with its name).
 */
function nearMiss(selector: Labels, w: GraphObject): { pairs: [string, string, string][] } | undefined {
  for (const labels of CONTROLLER_LABELLED_KINDS.includes(String(w.manifest.kind)) ? podLabelSets(w.manifest) : [stringMap(podLabelsOf(w.manifest))]) {
    const pairs = Object.entries(selector).filter(([k, v]) => labels[k] !== v && labels[k] !== ANY_LABEL_VALUE);
    if (pairs.length && pairs.every(([k, v]) => labels[k] !== undefined && close(v, labels[k]))) return { pairs: pairs.map(([k, v]) => [k, v, labels[k]]) };
  }
  return undefined;
}

/**
 * The LeaderWorkerSets and Ray objects of the namespace whose own metadata.labels hold a selected pair: the Service
 * was written for their pods, but their controllers label pods with the templates' labels only.
 */
function labelledObjectOnly(selector: Labels, workloads: readonly GraphObject[]): { w: GraphObject; pairs: string[] }[] {
  return workloads
    .filter((w) => CONTROLLER_LABELLED_KINDS.includes(String(w.manifest.kind)))
    .map((w) => {
      const own = stringMap(mapping(w.manifest.metadata).labels);
      return {
        w,
        pairs: Object.entries(selector)
          .filter(([k, v]) => own[k] === v)
          .map(([k, v]) => `${k}=${v}`),
      };
    })
    .filter((x) => x.pairs.length > 0);
}

const CONTROLLER_OF: Readonly<Record<string, string>> = {
  LeaderWorkerSet: 'the LeaderWorkerSet controller',
  RayCluster: 'KubeRay',
  RayJob: 'KubeRay',
  RayService: 'KubeRay',
};

function objectLabelsProblem(selector: Labels, hits: { w: GraphObject; pairs: string[] }[], graph: ObjectGraph): Problem {
  const said = hits
    .map(
      ({ w, pairs }) =>
        `${pairs.join(', ')} ${pairs.length > 1 ? 'are labels' : 'is a label'} of ${graph.id(w)} itself (metadata.labels), which ${CONTROLLER_OF[String(w.manifest.kind)]} does not put on its pods; they carry ${podLabelSets(
          w.manifest,
        )
          .map((l) => `{${shownPodLabels(l)}}`)
          .join(' and ')}`,
    )
    .join('; ');
  return {
    failsIn: hits.map((h) => h.w),
    message: `spec.selector ${Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )} matches no pod of the tree: ${said}. The Service gets no endpoints and its clients' connections are refused; select labels the pods carry, or write the labels into the pod templates' metadata.labels`,
  };
}

/**
 * Whether another object of the namespace may make pods with these labels: a controller or operator usually puts the
 * name or the labels of its custom resource on the pods it makes (KServe, KubeRay, operators of all kinds). Kubernetes'
 * own kinds other than the workloads (a Secret, a PersistentVolumeClaim named like the app) make no pods; a
 * ReplicationController does, from a template this module does not read. `expressions` are a label selector's
 * matchExpressions, ANDed with the pairs as apimachinery's LabelSelectorAsSelector does.
 */
export function otherPodMaker(
  selector: Labels,
  namespace: string | undefined,
  graph: ObjectGraph,
  podLabelsKnown = false,
  expressions: readonly Loose[] = [],
): boolean {
  // the values an In expression accepts name the pods as a matchLabels value does; every expression must hold as well
  const values = new Set([...Object.values(selector), ...expressions.filter((e) => e.operator === 'In').flatMap((e) => strings(e.values))]);
  const held = (labels: Labels) => holdsLabels(labels, selector) && selectorMatches({ matchExpressions: [...expressions] }, labels) === true;
  return graph.objects.some((o) => {
    const m = o.manifest;
    if (m.kind === 'Service' || graph.namespaceOf(m) !== namespace) return false;
    if (TEMPLATE_KINDS.includes(String(m.kind)) || (podLabelsKnown && isOllamaModel(m))) return false;
    if (builtInGroup(m.apiVersion) && m.kind !== 'ReplicationController') return false;
    // prometheus-operator's monitors and rules scrape pods, they make none
    if (String(m.apiVersion).startsWith('monitoring.coreos.com/')) return false;
    return values.has(text(mapping(m.metadata).name) ?? '') || held(stringMap(mapping(m.metadata).labels));
  });
}

/** The port the Ollama operator's server container of a Model's pods declares (pkg/model/pod.go NewOllamaServerContainer). */
const OLLAMA_MODEL_PORTS: readonly Loose[] = [{ name: 'ollama', containerPort: 11434 }];

/** The ports a workload's containers declare: its pod template's, each of its several templates', an Ollama Model's server's. */
function declaredPorts(m: Loose): Loose[] {
  if (isOllamaModel(m)) return [...OLLAMA_MODEL_PORTS];
  const containers = MULTI_POD_KINDS.includes(String(m.kind)) ? templateContainers(m) : containersOf(m);
  return containers.flatMap((c) => mappings(c.container.ports));
}

/** The ports a Service sends to: each port's targetPort, its port when none is written. */
function targetPorts(service: Loose): (number | string)[] {
  return mappings(mapping(service.spec).ports)
    .map((p) => p.targetPort ?? p.port)
    .filter((t): t is number | string => typeof t === 'number' || typeof t === 'string');
}

/**
 * A Service of a namespace the tree holds whole (namespaceHeldWhole) that selects no pod, while workloads of it
 * listen on its targetPort (a containerPort of that number or name): the pods it was written for, labelled otherwise
 * (recommended `app.kubernetes.io/*` keys in the selector, `app` on the pods).
 */
function closedNamespaceMiss(service: GraphObject, selector: Labels, workloads: readonly GraphObject[], graph: ObjectGraph): Problem[] {
  const targets = targetPorts(service.manifest);
  const listening = workloads.filter((w) => listensOn(w, targets));
  if (!listening.length) return [];
  const known = new Set(workloads);
  const namespace = namespaceHeldWhole(graph.namespaceOf(service.manifest), graph, (o) => known.has(o));
  if (!namespace) return [];
  const written = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  const pods = (w: GraphObject) => (isOllamaModel(w.manifest) ? `the pods the Ollama operator makes for ${graph.id(w)}` : `${graph.id(w)}'s pods`);
  const carried = listening.map((w) => `${pods(w)} carry {${shownPodLabels(podLabelSets(w.manifest)[0])}}`);
  const missing = (w: GraphObject) => written.filter((pair) => !podLabelSets(w.manifest).some((l) => mayHoldLabels(l, Object.fromEntries([pair.split('=')]))));
  const fix =
    listening.length === 1 && !isOllamaModel(listening[0].manifest)
      ? `add ${missing(listening[0]).join(', ')} to ${graph.id(listening[0])}'s pod template labels, or select the labels its pods carry`
      : 'select the labels the pods it is for carry, or add the selected labels to their pod template';
  return [
    {
      failsIn: listening,
      message: `spec.selector ${written.join(', ')} matches no pod of namespace '${graph.namespaceOf(service.manifest)}', whose every workload the tree holds (it creates ${graph.id(namespace)} and delivers nothing else into it): of the pods listening on targetPort ${targets.join(', ')}, ${carried.join('; ')}. The Service gets no endpoints and its clients' connections are refused; ${fix}`,
    },
  ];
}

/** Whether a workload declares a containerPort a Service sends to (its number or name). */
function listensOn(w: GraphObject, targets: readonly (number | string)[]): boolean {
  return declaredPorts(w.manifest).some((p) => targets.includes(Number(p.containerPort)) || (typeof p.name === 'string' && targets.includes(p.name)));
}

/**
 * A workload of the Service's namespace (a kind whose pod labels its template states) listening on the Service's
 * targetPort, whose pods carry each selected value they lack under another key (`name: postgresql` selected, `app:
 * postgresql` on the pods): the pods the Service was written for, selected by the wrong key.
 */
function otherKeyMiss(service: GraphObject, selector: Labels, graph: ObjectGraph): Problem[] {
  const targets = targetPorts(service.manifest);
  const namespace = graph.namespaceOf(service.manifest);
  const hits = serviceBackends(graph)
    .filter((w) => graph.namespaceOf(w.manifest) === namespace && listensOn(w, targets))
    .flatMap((w) => {
      const labels = stringMap(podLabelsOf(w.manifest));
      const lacking = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
      const moved = lacking.map(([k, v]) => [k, v, Object.keys(labels).find((other) => other !== k && labels[other] === v)] as const);
      return moved.length && moved.every(([, , other]) => other !== undefined) ? [{ w, moved }] : [];
    });
  if (!hits.length) return [];
  const said = hits
    .map(
      ({ w, moved }) =>
        `${graph.id(w)}'s pods, listening on targetPort ${targets.join(', ')}, carry ${moved.map(([k, v, other]) => `${other}=${v} (not ${k}=${v})`).join(', ')}`,
    )
    .join('; ');
  const written = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return [
    {
      failsIn: hits.map((h) => h.w),
      message: `spec.selector ${written.join(', ')} matches no pod of the tree: ${said}. The Service gets no endpoints and its clients' connections are refused; select the key the pods carry, or add the selected label to the pod template`,
    },
  ];
}

/**
 * A Service of a namespace where the tree places no workload, beside workloads that give no namespace (applied into
 * whatever namespace the apply names) whose pods carry nearly the selected labels: the workload it was written for,
 * labelled otherwise. Wherever that workload lands, its pods do not give the Service endpoints; a warning, as pods
 * delivered elsewhere into the namespace may carry the labels. A workload that does not listen on the Service's
 * targetPort is said so too.
 */
function unplacedMiss(service: GraphObject, selector: Labels, graph: ObjectGraph): Problem[] {
  const namespace = graph.namespaceOf(service.manifest);
  if (namespace === undefined) return [];
  const targets = targetPorts(service.manifest);
  const misses = serviceBackends(graph, [...SERVICE_BACKEND_KINDS, ...CONTROLLER_LABELLED_KINDS])
    .filter((w) => graph.namespaceOf(w.manifest) === undefined)
    .flatMap((w) => {
      const miss = nearMiss(selector, w);
      return miss ? [{ w, ...miss }] : [];
    });
  if (!misses.length) return [];
  const written = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const said = misses.map(({ w, pairs }) => {
    const ports = declaredPorts(w.manifest).map((p) => p.containerPort);
    const deaf = ports.length && !listensOn(w, targets) ? `, and its containers listen on ${ports.join(', ')}, not targetPort ${targets.join(', ')}` : '';
    return `${graph.id(w)}, which gives no namespace (applied into '${namespace}' it is the workload this Service fronts), labels its pods ${pairs.map(([k, , theirs]) => `${k}=${theirs}`).join(', ')}${deaf}`;
  });
  return [
    {
      severity: 'warning',
      failsIn: misses.map((m) => m.w),
      message: `spec.selector ${written} matches no pod of the tree in namespace '${namespace}', where the tree places no workload; ${said.join('; ')}: wherever it is applied, its pods give the Service no endpoints, so unless pods delivered elsewhere carry these labels, clients' connections are refused; select the labels the pods carry (and target the port they listen on), or label the pods as the Service selects`,
    },
  ];
}

function unmatched(service: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(service.manifest.spec);
  const selector = stringMap(spec.selector);
  if (!Object.keys(selector).length || spec.type === 'ExternalName') return [];
  const namespace = graph.namespaceOf(service.manifest);
  const inNamespace = (o: GraphObject) => graph.namespaceOf(o.manifest) === namespace;
  const workloads = [...WORKLOAD_KINDS, ...MULTI_POD_KINDS]
    .flatMap((k) => graph.ofKind(k))
    .concat(graph.ofKind('Model').filter((m) => isOllamaModel(m.manifest)))
    .filter(inNamespace);
  if (workloads.some((w) => podLabelSets(w.manifest).some((labels) => mayHoldLabels(labels, selector)))) return [];
  const kserve = misvaluedServiceLabel({ matchLabels: selector }, [namespace], graph);
  if (kserve !== undefined) {
    const message = `spec.selector ${INFERENCE_SERVICE_POD_LABEL}=${kserve} matches no pod: ${serviceLabelReason(kserve)}. The Service gets no endpoints and its clients' connections are refused; select the InferenceService's name`;
    return [{ message }];
  }
  // a near miss is looked for in the workloads a Service is written against, and those whose controllers label the pods
  const misses = serviceBackends(graph, [...SERVICE_BACKEND_KINDS, ...CONTROLLER_LABELLED_KINDS])
    .filter(inNamespace)
    .flatMap((w) => {
      const miss = nearMiss(selector, w);
      return miss ? [{ w, ...miss }] : [];
    });
  if (otherPodMaker(selector, namespace, graph, true)) return [];
  if (!misses.length) {
    const hits = labelledObjectOnly(selector, workloads);
    if (hits.length) return [objectLabelsProblem(selector, hits, graph)];
    const moved = otherKeyMiss(service, selector, graph);
    if (moved.length) return moved;
    const unplaced = workloads.length ? [] : unplacedMiss(service, selector, graph);
    if (unplaced.length) return unplaced;
    return closedNamespaceMiss(service, selector, workloads, graph);
  }
  const written = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const labelled = misses.map(({ w, pairs }) => `${graph.id(w)}'s pods carry ${pairs.map(([k, , theirs]) => `${k}=${theirs}`).join(', ')}`).join('; ');
  // the endpoints missing are those pods': latent while none of the workloads runs one
  return [
    {
      failsIn: misses.map((m) => m.w),
      message: `spec.selector ${written} matches no pod of the tree: ${labelled}. The Service gets no endpoints and its clients' connections are refused; select the labels the pods carry (or label the pods as the Service selects)`,
    },
  ];
}

/**
 * The files of the tree that do not parse and may hold the selected pods: the Service's own file (a document of it
 * does not parse), or one whose top-level lines declare a workload. kubectl applies nothing of such a file's broken
 * document (its parse error is the cause, an unreadable-input error), so the pods' labels are not known.
 */
function unreadableBeside(service: GraphObject, graph: ObjectGraph): string[] {
  const own = service.file === undefined ? undefined : path.resolve(service.file);
  return graph.unread
    .filter((u) => u.kind === 'unparsable' && (path.resolve(u.file) === own || (u.declares ?? []).some((d) => TEMPLATE_KINDS.includes(d.kind))))
    .map((u) => {
      const workloads = (u.declares ?? []).filter((d) => TEMPLATE_KINDS.includes(d.kind)).map((d) => `${d.kind} '${d.name}'`);
      return `${u.file}${workloads.length ? ` (declaring ${workloads.join(', ')})` : ''}: ${u.holds ?? 'does not parse'}`;
    });
}

/** A selector that matches nothing beside a file that does not parse: a note naming it, the parse error being the cause. */
function unlessUnreadable(service: GraphObject, graph: ObjectGraph, problems: Problem[]): Problem[] {
  const unreadable = unreadableBeside(service, graph);
  if (!unreadable.length) return problems;
  const selector = Object.entries(stringMap(mapping(service.manifest.spec).selector))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    {
      severity: 'info',
      message:
        `spec.selector ${selector} matches no pod of the objects read, but ${unreadable.join('; ')}, so nothing of that document is applied and the pods it declares may carry these labels: ` +
        `mend that document first (its unreadable-input error); until pods with these labels run, the Service gets no endpoints`,
    },
  ];
}

export const serviceSelectorUnmatched: Rule = {
  id: 'service-selector-unmatched',
  title: "a Service's selector matches no pod of the tree, while a workload of its namespace carries nearly the same labels: the Service has no endpoints",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'a v1 Service with a selector (not ExternalName) whose namespace in the tree holds no workload (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Ray, Kubeflow training, JobSet and LeaderWorkerSet templates) with every selected label, while a Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet of that namespace has every selected key with a value close to the selected one (one holds the other, or a letter or two apart): the pods the Service was written for; ' +
    "a LeaderWorkerSet's and a Ray cluster's pods carry their templates' labels and their controllers' (leaderworkerset.sigs.k8s.io/name, worker-index, group-index, …; ray.io/cluster, node-type, group, identifier, is-ray-node), so a LeaderWorkerSet or RayCluster named close to the selected name is such a near miss, and a selected label that only the LeaderWorkerSet's or Ray object's own metadata.labels carry (their controllers do not copy them to pods) is an error too; per-pod values (indexes, hashes, a RayJob's generated cluster name) match any selected value; " +
    "a selector whose keys the pods lack (recommended app.kubernetes.io/* keys against `app`) is an error where the tree holds the namespace whole: it creates the Namespace, holds no Argo CD Application, ApplicationSet, Flux HelmRelease or source, no script's helm install into it, and no object in it but Kubernetes' own kinds, workloads and prometheus-operator monitors, while a workload of it declares a containerPort equal to a targetPort of the Service (its number or name); an Ollama operator Model's pods carry app: ollama-model-<name> and model.ollama.ayaka.io: <name> with its podTemplate's labels; " +
    "a selected value that a Pod's, Deployment's, StatefulSet's, DaemonSet's or ReplicaSet's pods carry under another key (`name: db` selected, `app: db` on the pods) is an error when that workload declares a containerPort equal to a targetPort of the Service; " +
    "not judged: unrelated values (another workload, delivered elsewhere, may carry them), a namespace where another object (a custom resource, not one of Kubernetes' own kinds such as a Secret or PersistentVolumeClaim, which make no pods) is named by a selected value or carries the selected labels (an operator may make the pods), keys only a controller sets (statefulset.kubernetes.io/pod-name); " +
    "a Service of a namespace where the tree places no workload, beside a workload that gives no namespace whose pods carry nearly the selected labels (as above), is a warning (pods delivered elsewhere may carry them), naming the container ports where none is the Service's targetPort; " +
    "a selected serving.kserve.io/inferenceservice value that names no InferenceService (a switch word such as `true`, or no valid name: KServe sets it to the InferenceService's name), where no InferenceService of the namespace has that name and no object of the tree carries the pair, is an error whatever the tree holds; " +
    "where a file of the tree that does not parse is the Service's own or declares a workload, the pods may be in its unreadable document (kubectl applies nothing of it, an unreadable-input error): a note naming it instead",
  example: '`selector: {app: vllm-sim}` on a Service beside a Deployment whose pods are labelled `app: vllm`',
  fix: 'select the labels the pods carry, or label the pod template as the Service selects',
  source:
    'Kubernetes endpointslice controller (pkg/controller/endpointslice): a Service with a selector gets the endpoints of the pods whose labels hold every selected pair, and none when no pod does ("no endpoints available for service"); pod labels of kubernetes-sigs/lws api/leaderworkerset/v1 leaderworkerset_types.go and ray-project/kuberay ray-operator/controllers/ray/common/pod.go labelPod; nekomeowww/ollama-operator pkg/model/model.go ModelLabels and pod.go (server port 11434); kserve pkg/constants InferenceServicePodLabelKey and components/predictor.go buildObjectMeta (the label holds the name of the InferenceService)',
  check(o, { graph }) {
    // Knative's serving.knative.dev Service is another kind
    if (o.manifest.apiVersion !== 'v1') return [];
    const problems = unmatched(o, graph);
    return problems.length ? unlessUnreadable(o, graph, problems) : [];
  },
};
