import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { builtInGroup } from '../../k8s/api-version';
import { selectorMatches } from '../argocd/label-selector';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { Platform } from '../platform';
import { rawDeploymentMode } from '../kserve-mode';
import { INFERENCE_SERVICE_POD_LABEL } from '../../k8s/keys';
import { misvaluedServiceLabel, serviceLabelReason } from '../kserve-name-label';
import { operatorNote, operatorTargetOf } from '../operator-targets';
import { kindsSaid, MadeService, operatorMadeServices, operatorResources, podOperatorOf } from '../operator-made';
import { Problem, Rule } from '../rule';
import { sameCauseCopies } from '../one-per-cause';
import { declared } from '../declarations';
import { ANGLE_PLACEHOLDER, holdsRendererSyntax, holdsTemplate } from '../template-syntax';
import { commandLineOf } from '../command-line';
import { VllmArgs } from '../vllm-args';
import { selectedWorkloads } from '../request-servers';
import { chartFullname, chartReleases } from '../chart-releases';
import { appliesObject } from '../script-delivery';
import { adapterScaledHpas } from '../adapter-hpas';
import { asSelected, rayGroupPods, shownPodLabels } from '../controller-pod-labels';
import { close, otherPodMaker, podLabelSets, TEMPLATE_KINDS } from './service-selector-unmatched';
import { unseenHedged, unseenInstalls, UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';
import { repositoryObjectsOf } from '../found-elsewhere';
import { platformComponentsNamespace } from '../managed-namespaces';

type Labels = Readonly<Record<string, string>>;

/** What a monitor scrapes: the Services of a ServiceMonitor, the pod-making workloads of a PodMonitor. */
interface Target {
  readonly o: GraphObject;
  readonly labelSets: Labels[];
  /**
   * The containers of pods a controller makes from `o` (an InferenceService's predictor): null where their ports
   * are not known (a runtime outside the tree, Knative's revision, which renames the port); absent for a workload
   * of the tree, whose template is read.
   */
  readonly containers?: Loose[] | null;
  /** A Ray group's pods: the port its Ray node exports metrics on (rayGroupPods), undefined where not known. */
  readonly rayExport?: { readonly port: number | undefined };
}

/**
 * The predictor pods KServe makes of an InferenceService, as a PodMonitor sees them: labelled with the runtime's pod
 * labels, the service's, the predictor's and KServe's own (kserve pkg/controller/v1beta1/inferenceservice/components/
 * predictor.go buildObjectMeta: serving.kserve.io/inferenceservice and component; reconcilers/deployment/
 * deployment_reconciler.go: app isvc.<name>-predictor in raw deployment mode), their containers the runtime's with the
 * model merged in, ports as written. Knative renames a revision's port, so only raw deployment pods have known ports.
 */
function predictorTargets(graph: ObjectGraph, inScope: (o: GraphObject) => boolean, platform: Platform): Target[] {
  return graph
    .ofKind('InferenceService')
    .filter(inScope)
    .map((o) => {
      const m = o.manifest;
      const name = text(mapping(m.metadata).name) ?? '';
      const runtime = graph.runtimeOf(m);
      const raw = rawDeploymentMode(m, platform, graph);
      const labels: Labels = {
        ...stringMap(mapping(runtime?.manifest.spec).labels),
        ...stringMap(mapping(m.metadata).labels),
        ...stringMap(mapping(mapping(m.spec).predictor).labels),
        [INFERENCE_SERVICE_POD_LABEL]: name,
        component: 'predictor',
        ...(raw ? { app: `isvc.${name}-predictor` } : {}),
      };
      const containers = raw && runtime ? containersOf(m, runtime.manifest).map((c) => c.container) : null;
      return { o, labelSets: [labels], containers };
    });
}

/**
 * The namespaces a monitor looks in, as prometheus-operator reads spec.namespaceSelector (pkg/prometheus/promcfg.go
 * getNamespacesFromNamespaceSelector): every namespace with `any: true`, else matchNames, else the monitor's own.
 * Undefined for every namespace.
 */
function namespacesOf(monitor: GraphObject, graph: ObjectGraph): string[] | undefined {
  const selector = mapping(mapping(monitor.manifest.spec).namespaceSelector);
  if (selector.any === true) return undefined;
  const names = strings(selector.matchNames);
  return names.length ? names : placedIn(graph, monitor);
}

/**
 * The namespaces an object lands in: its own, else those the tree's scripts apply it into (`kubectl apply -f FILE -n
 * NS`), else default (a context's usual namespace).
 */
function placedIn(graph: ObjectGraph, o: GraphObject): string[] {
  const own = graph.namespaceOf(o.manifest);
  if (own !== undefined) return [own];
  const applied = graph.scriptApplied.filter((a) => a.namespace !== undefined && appliesObject(a, o)).map((a) => a.namespace!);
  return applied.length ? [...new Set(applied)] : ['default'];
}

/** Whether the object lands in one of the namespaces (undefined: every namespace). */
const inNamespaces = (graph: ObjectGraph, o: GraphObject, namespaces: string[] | undefined) =>
  namespaces === undefined || placedIn(graph, o).some((ns) => namespaces.includes(ns));

/** Whether the namespace an object lands in is the apply's to choose: its manifest gives none, and no script of the tree applies it into one. */
const unplaced = (graph: ObjectGraph, o: GraphObject) =>
  graph.namespaceOf(o.manifest) === undefined && !graph.scriptApplied.some((a) => a.namespace !== undefined && appliesObject(a, o));

/**
 * Whether an operator's Service may be one the monitor looks at: its resource lands in one of the monitor's namespaces,
 * or neither it nor the monitor names a namespace (a Flux Kustomization's targetNamespace or the apply's -n puts both where the tree does not
 * say, which may well be the namespace the monitor's matchNames names).
 */
const monitoredBy = (graph: ObjectGraph, monitor: GraphObject, namespaces: string[] | undefined) => (o: GraphObject) =>
  inNamespaces(graph, o, namespaces) || (unplaced(graph, o) && unplaced(graph, monitor));

function targetsOf(monitor: GraphObject, graph: ObjectGraph, namespaces: string[] | undefined, platform: Platform): Target[] {
  // the tree's own Services and pods where they land (a kustomize base's namespace-less copy is not the overlay's);
  // an operator's Service of a resource placed as the monitor is (madeServicesSelected) may land beside it
  const inScope = (o: GraphObject) => inNamespaces(graph, o, namespaces);
  if (monitor.manifest.kind === 'ServiceMonitor') {
    // Knative's serving.knative.dev Service is another kind
    return graph
      .ofKind('Service')
      .filter((s) => s.manifest.apiVersion === 'v1' && inScope(s))
      .map((o) => ({ o, labelSets: [stringMap(mapping(o.manifest.metadata).labels)] }));
  }
  const workloads = TEMPLATE_KINDS.flatMap((k) => graph.ofKind(k))
    .filter(inScope)
    .flatMap((o): Target[] => {
      // a Ray cluster's groups are pods of their own labels and ports: a monitor of the workers is judged on the workers' ports
      const groups = rayGroupPods(o.manifest);
      return groups
        ? groups.map((g) => ({ o, labelSets: [g.labels], containers: g.containers, rayExport: { port: g.metricsExportPort } }))
        : [{ o, labelSets: podLabelSets(o.manifest) }];
    });
  return [...workloads, ...predictorTargets(graph, inScope, platform)];
}

/**
 * A target the monitor was evidently written for: its name or one of its label values is close to a selected value,
 * or, for a Service, a value of its own selector (the monitor asks the Service for the label its pods carry).
 */
function evidentlyMeant(values: string[], t: Target): boolean {
  const selected = t.o.manifest.kind === 'Service' ? Object.values(stringMap(mapping(t.o.manifest.spec).selector)) : [];
  const names = [text(mapping(t.o.manifest.metadata).name) ?? '', ...t.labelSets.flatMap((l) => Object.values(l)), ...selected];
  return values.some((v) => names.some((n) => close(v, n)));
}

/**
 * Whether the tree settles that an evidently meant target is the one the monitor was written for: no label it carries
 * under a selected key has a value unlike the selected one (`ray.io/cluster: chat` where the monitor asks for
 * `assistant` names another instance, which may run elsewhere).
 */
function settledMeant(selector: Loose, t: Target): boolean {
  const wanted = Object.entries(stringMap(selector.matchLabels));
  return t.labelSets.some((l) => wanted.every(([k, v]) => l[k] === undefined || close(v, l[k])));
}

/**
 * The one workload of the namespaces a ServiceMonitor was evidently written for (its name or a pod label value close
 * to a selected value): the Service it needs would be delivered with it, so the tree settles that none has the labels.
 */
function meantWorkload(values: string[], graph: ObjectGraph, namespaces: string[]): GraphObject | undefined {
  const meant = TEMPLATE_KINDS.flatMap((k) => graph.ofKind(k))
    .filter((w) => inNamespaces(graph, w, namespaces))
    .filter((w) => evidentlyMeant(values, { o: w, labelSets: podLabelSets(w.manifest) }));
  return meant.length === 1 ? meant[0] : undefined;
}

/**
 * The label values a selector names: its matchLabels values and those an In expression accepts (the names a monitor
 * was written for, whichever way the selector spells them).
 */
function selectedValues(selector: Loose): string[] {
  const accepted = mappings(selector.matchExpressions).filter((e) => e.operator === 'In');
  return [...Object.values(stringMap(selector.matchLabels)), ...accepted.flatMap((e) => strings(e.values))];
}

/** The matchExpressions a set of labels fails (apimachinery labels.Requirement.Matches), as written. */
function unmetExpressions(selector: Loose, labelSets: readonly Labels[]): string[] {
  return mappings(selector.matchExpressions)
    .filter((e) => !labelSets.some((l) => selectorMatches({ matchExpressions: [e] }, l) === true))
    .map((e) => `${text(e.key)} ${text(e.operator)}${strings(e.values).length ? ` (${strings(e.values).join(', ')})` : ''}`);
}

/** The selector as written, for messages. */
function written(selector: Loose): string {
  const pairs = Object.entries(stringMap(selector.matchLabels)).map(([k, v]) => `${k}=${v}`);
  const expressions = mappings(selector.matchExpressions).map((e) => `${text(e.key)} ${text(e.operator)} (${strings(e.values).join(', ')})`);
  return [...pairs, ...expressions].join(', ') || '{}';
}

/**
 * A namespace of spec.namespaceSelector.matchNames left as a placeholder (`<your-namespace>`, `${NAMESPACE}`): the
 * cause of a monitor that selects nothing, not the targets' labels. Applied as written, prometheus-operator looks in
 * a namespace of that literal name, where nothing runs. A warning, as for a value a reader fills by hand
 * (unrendered-placeholder); the KEDA scalers beside the monitor (its own namespace) are named, as they read the
 * missing series as 0.
 */
function placeholderNamespaces(monitor: GraphObject, graph: ObjectGraph, namespaces: string[] | undefined): Problem[] {
  const held = (namespaces ?? []).filter((n) => ANGLE_PLACEHOLDER.test(n) || holdsTemplate(n));
  if (!held.length || !strings(mapping(mapping(monitor.manifest.spec).namespaceSelector).matchNames).length) return [];
  const kind = monitor.manifest.kind === 'ServiceMonitor' ? 'Services' : 'pods';
  const scalers = prometheusScalers(graph, placedIn(graph, monitor)).map(
    (o) => `${String(o.manifest.kind)} '${text(mapping(o.manifest.metadata).name) ?? ''}'`,
  );
  const keda = scalers.length
    ? `. ${scalers.join(', ')} scales on Prometheus queries: KEDA reads the missing series as 0, so the workload never scales up`
    : '';
  return [
    {
      message: `spec.namespaceSelector.matchNames holds ${held.map((n) => `'${n}'`).join(', ')}, a placeholder left to be replaced: applied as written, Prometheus looks for the ${kind} in a namespace of that literal name, where nothing runs, and scrapes nothing: replace it with the namespace the ${kind} it is for run in${keda}`,
      severity: 'warning',
    },
  ];
}

/**
 * A selector on labels an operator puts on the pods it makes (KubeRay's ray.io/node-type, LeaderWorkerSet's
 * leaderworkerset.sigs.k8s.io/name, KServe's serving.kserve.io/inferenceservice: podOperatorOf) while the tree holds
 * no resource of that operator: the pods are made from a resource outside the checked folders, so the tree cannot
 * say they are missing. A note; where the tree holds the resource, its pods are judged as the operator labels them.
 */
function operatorPodsElsewhere(selector: Loose, graph: ObjectGraph): Problem | undefined {
  const keys = Object.fromEntries([
    ...Object.entries(stringMap(selector.matchLabels)),
    ...mappings(selector.matchExpressions).map((e): [string, string] => [text(e.key) ?? '', '']),
  ]);
  const maker = podOperatorOf(keys);
  if (!maker || operatorResources(graph, maker).length) return undefined;
  return {
    severity: 'info',
    message: `spec.selector ${written(selector)} selects labels ${maker.operator} puts on the pods it makes for a ${kindsSaid(maker)}, and the tree holds none: its targets are made by ${maker.operator} outside this folder, so whether they carry these labels and ports is not checked here`,
  };
}

/**
 * A selector on KServe's InferenceService label whose value names no InferenceService (misvaluedServiceLabel): it
 * matches nothing KServe makes, wherever KServe runs, as a problem; none otherwise.
 */
function misvaluedKserveSelector(monitor: GraphObject, selector: Loose, graph: ObjectGraph, namespaces: string[] | undefined): Problem[] {
  const kserve = misvaluedServiceLabel(selector, namespaces, graph);
  if (kserve === undefined) return [];
  const kind = monitor.manifest.kind === 'ServiceMonitor' ? 'Service' : 'pod';
  const fix = `select ${INFERENCE_SERVICE_POD_LABEL} Exists (a matchExpressions entry) or the InferenceService's name`;
  return [
    {
      message: `spec.selector ${written(selector)} matches no ${kind} KServe makes: ${serviceLabelReason(kserve)}. Prometheus discovers no target and scrapes nothing; ${fix}`,
    },
  ];
}

/**
 * The labels a selector names, by key: its matchLabels, and the keys of its expressions (an In of one value as that
 * value, any other with no value), so that a selector of an operator's label key is known whichever way it is written.
 */
function selectedKeys(selector: Loose): Record<string, string> {
  const expressions = mappings(selector.matchExpressions).map((e): [string, string] => {
    const values = strings(e.values);
    return [text(e.key) ?? '', e.operator === 'In' && values.length === 1 ? values[0] : ''];
  });
  return { ...Object.fromEntries(expressions), ...stringMap(selector.matchLabels) };
}

/** Where no target of the monitor's namespaces carries the selected labels. */
function nothingSelected(monitor: GraphObject, graph: ObjectGraph, namespaces: string[] | undefined, targets: Target[]): Judged[] {
  const spec = mapping(monitor.manifest.spec);
  const selector = mapping(spec.selector);
  const values = selectedValues(selector);
  // a selected value a renderer fills (`app: ${POOL_NAME}`) names labels only the rendering decides
  if (values.some(holdsRendererSyntax)) return [];
  const placeholder = placeholderNamespaces(monitor, graph, namespaces);
  if (placeholder.length) return placeholder;
  const kserve = misvaluedKserveSelector(monitor, selector, graph, namespaces);
  if (kserve.length) return kserve;
  // an operator of the namespace (KServe for an InferenceService) may make the Services or pods with these labels
  const looked = namespaces ?? [...new Set(graph.objects.map((x) => graph.namespaceOf(x.manifest)))];
  if (looked.some((ns) => otherPodMaker(stringMap(selector.matchLabels), ns, graph, false, mappings(selector.matchExpressions)))) return [];
  // labels an operator gives what it makes: the tree that installs it holds no Service or pod of them
  const operator = operatorTargetOf(selectedKeys(selector), graph);
  if (operator?.by) return [];
  // made by an operator the tree does not install: made outside the folder, as operatorPodsElsewhere's pods are
  if (operator) return [{ severity: 'info', message: `spec.selector ${written(selector)} selects ${operatorNote(operator)}` }];
  const madeElsewhere = operatorPodsElsewhere(selector, graph);
  if (madeElsewhere) return [madeElsewhere];
  const outside = deliveredOutside(monitor, selector, graph, namespaces);
  if (outside) return [outside];
  // a monitor of the platform's own components, or of targets another folder of the repository defines
  if (platformMonitored(namespaces) || repositoryTarget(monitor, selector, graph, namespaces)) return [];
  return absent(monitor, graph, namespaces, targets, values);
}

/**
 * Whether every namespace the monitor looks in holds what the platform runs (platformComponentsNamespace: kube-system,
 * openshift-*, GKE's gke-managed-system and gmp-system, …): its targets are the platform's, not the tree's.
 */
function platformMonitored(namespaces: string[] | undefined): boolean {
  return namespaces !== undefined && namespaces.length > 0 && namespaces.every((ns) => platformComponentsNamespace(ns) !== undefined);
}

/**
 * A Service (for a ServiceMonitor) or a pod-making workload (for a PodMonitor) that a manifest of the git repository
 * around the checked folder defines outside it, in a namespace the monitor looks in (or none stated: it lands where it
 * is applied), whose labels the selector matches: the targets are delivered from a sibling folder.
 */
function repositoryTarget(monitor: GraphObject, selector: Loose, graph: ObjectGraph, namespaces: string[] | undefined): boolean {
  const service = monitor.manifest.kind === 'ServiceMonitor';
  return repositoryObjectsOf(graph).some((r) => {
    if (service ? r.kind !== 'Service' || r.manifest.apiVersion !== 'v1' : !TEMPLATE_KINDS.includes(r.kind)) return false;
    if (namespaces !== undefined && r.namespace !== undefined && !namespaces.includes(r.namespace)) return false;
    const labelSets = service ? [stringMap(mapping(r.manifest.metadata).labels)] : podLabelSets(r.manifest);
    return labelSets.some((l) => selectorMatches(selector, asSelected(l, selector)) === true);
  });
}

/** Spec keys that say a custom resource runs containers: what its operator makes pods of (an image, containers, replicas, a pod template, compute resources). */
const POD_MAKING_KEYS: ReadonlySet<string> = new Set(['image', 'containers', 'replicas', 'minReplicas', 'template', 'resources']);

/** Whether a value holds one of POD_MAKING_KEYS, a few levels down. */
function podMakingSpec(v: unknown, depth = 0): boolean {
  if (depth > 5 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => podMakingSpec(x, depth + 1));
  return Object.entries(v).some(([k, x]) => POD_MAKING_KEYS.has(k) || podMakingSpec(x, depth + 1));
}

/**
 * The custom resources of the namespaces a PodMonitor looks in whose operator makes pods of them (a model-serving
 * operator's resource naming an image, replicas or resources): an operator labels the pods it makes with labels of its
 * own, which no pod template of the tree shows, so pods selected by labels no workload of the tree carries may be
 * theirs. Not Argo CD's, Flux's or prometheus-operator's own kinds, which make no pods of the namespace.
 */
function operatorPodMakers(monitor: GraphObject, graph: ObjectGraph, namespaces: string[] | undefined): GraphObject[] {
  if (monitor.manifest.kind !== 'PodMonitor') return [];
  return graph.objects.filter((o) => {
    const m = o.manifest;
    const group = String(m.apiVersion ?? '').split('/')[0];
    if (builtInGroup(m.apiVersion) || !group.includes('.') || NO_POD_GROUPS.some((g) => group === g || group.endsWith(`.${g}`))) return false;
    if (TEMPLATE_KINDS.includes(String(m.kind)) || m.kind === 'CustomResourceDefinition') return false;
    const ns = graph.namespaceOf(m);
    return ns !== undefined && (namespaces === undefined || namespaces.includes(ns)) && podMakingSpec(m.spec);
  });
}

/** API groups whose kinds make no pods in their own namespace: prometheus-operator's, Argo CD's and Flux's, cert-manager's, OLM's. */
const NO_POD_GROUPS: readonly string[] = ['monitoring.coreos.com', 'argoproj.io', 'toolkit.fluxcd.io', 'cert-manager.io', 'operators.coreos.com'];

/** The note where the pods selected may be those an operator of the namespaces makes of its custom resources (operatorPodMakers). */
function operatorPodsNote(monitor: GraphObject, graph: ObjectGraph, where: string, makers: readonly GraphObject[]): Problem {
  const selector = mapping(mapping(monitor.manifest.spec).selector);
  const named = makers.slice(0, 3).map((x) => graph.id(x));
  const more = makers.length > named.length ? ` and ${makers.length - named.length} more` : '';
  return {
    severity: 'info',
    message:
      `spec.selector ${written(selector)} matches no pod template of the tree in ${where}, which holds ${named.join(', ')}${more}, custom resources whose operator makes pods: ` +
      'those pods are not in the tree, and the operator labels them as it does, so whether they carry these labels and ports is not checked here',
  };
}

/** What follows where the target a monitor was evidently written for is settled not to be scraped. */
const MEANT_CONSEQUENCE = 'none of the metrics it was written for ever arrive: dashboards and alerts on them see no data';

/** The built-in workloads, whose Services nothing makes but the tree (an operator makes those of its resources). */
const BUILT_IN_WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'];

/** Whether the monitor's manifest states where it looks: its own namespace, or spec.namespaceSelector.matchNames. */
function statedNamespace(graph: ObjectGraph, monitor: GraphObject): boolean {
  return graph.namespaceOf(monitor.manifest) !== undefined || strings(mapping(mapping(monitor.manifest.spec).namespaceSelector).matchNames).length > 0;
}

/** The finding where nothing of the tree (nor a release of it) explains the missing targets: an error where the tree shows the target meant. */
function absent(monitor: GraphObject, graph: ObjectGraph, namespaces: string[] | undefined, targets: Target[], values: string[]): Judged[] {
  const selector = mapping(mapping(monitor.manifest.spec).selector);
  const kind = monitor.manifest.kind === 'ServiceMonitor' ? 'Service' : 'pod template';
  const where = namespaces === undefined ? 'any namespace' : `namespace ${namespaces.map((n) => `'${n}'`).join(', ')}`;
  const seen = targets.map((t) => `${graph.id(t.o)} (${t.labelSets.map((l) => shownPodLabels(l) || 'no labels').join('; ')})`);
  const meant = targets.filter((t) => evidentlyMeant(values, t));
  // no workload of the tree was meant, and an operator of the namespaces makes pods the tree does not show
  const makers = meant.length ? [] : operatorPodMakers(monitor, graph, namespaces);
  if (makers.length) return [operatorPodsNote(monitor, graph, where, makers)];
  const certain = namespaces !== undefined && (meant.length > 0 || targets.length === 1);
  const fix = `label the ${kind} as spec.selector asks, or select the labels it carries`;
  if (certain) {
    const explained = meant.length ? meant : targets;
    const held = targets.map((t, i) => {
      const differs = explained.includes(t) ? whatDiffers(monitor, graph, t) : '';
      return differs ? `${seen[i]}, which ${differs}` : seen[i];
    });
    // the target the monitor was evidently written for lacks the labels: nothing it was meant to scrape ever is (an
    // error); the only target of a namespace, not evidently meant, may not be the one (a warning)
    return [
      {
        message: `spec.selector ${written(selector)} matches no ${kind} of ${where}; the tree holds ${held.join('; ')}. Prometheus discovers no target and scrapes nothing; ${fix}`,
        ...(meant.some((t) => settledMeant(selector, t)) ? { certain: true as const, consequence: MEANT_CONSEQUENCE } : {}),
      },
    ];
  }
  const workload = kind === 'Service' && namespaces !== undefined ? meantWorkload(values, graph, namespaces) : undefined;
  if (workload) {
    // the workload it was written for, with no Service: settled as a Service lacking the labels is (absentCertain)
    // (an operator's resource, a RayService, has its Services made with labels the tree may not show: not settled)
    const settled =
      BUILT_IN_WORKLOADS.includes(String(workload.manifest.kind)) &&
      statedNamespace(graph, monitor) &&
      settledMeant(selector, { o: workload, labelSets: podLabelSets(workload.manifest) });
    return [
      {
        ...(settled ? { certain: true as const, consequence: MEANT_CONSEQUENCE } : {}),
        message:
          `spec.selector ${written(selector)} matches no Service of ${where}, where the tree holds ${graph.id(workload)}, the workload it was written for, ` +
          `but ${seen.length ? `only ${seen.join(', ')}` : 'no Service'}: no Service of the tree carries these labels, so Prometheus scrapes nothing; label a Service that selects ${graph.id(workload)}'s pods as spec.selector asks (or add one)`,
      },
    ];
  }
  const held = seen.length ? `it holds only ${seen.join(', ')}` : `it holds no ${kind} there`;
  return [
    {
      message: `spec.selector ${written(selector)} matches no ${kind} of the tree in ${where} (${held}); unless one delivered elsewhere carries these labels, Prometheus scrapes nothing; ${fix}`,
      severity: 'warning',
    },
  ];
}

/**
 * The targets the tree itself says run outside it, where the monitor selects nothing of the tree: a chart release of
 * the tree (an Argo CD Application's chart source, a Flux HelmRelease) installed into the monitor's namespaces whose
 * release name or fullname is a selected value (charts label what they make with the release name:
 * app.kubernetes.io/instance: {{ .Release.Name }} in Helm's starter chart), or, for a PodMonitor, a Service of the tree
 * there whose own selector the monitor's selector matches while no pod template of the tree is behind it (the Service
 * states the pods' labels; the workload is delivered elsewhere, as a ServiceMonitor of that Service is judged). A note
 * naming that object: the labels and ports of what the chart or the other delivery makes are not in the files.
 */
function deliveredOutside(monitor: GraphObject, selector: Loose, graph: ObjectGraph, namespaces: string[] | undefined): Problem | undefined {
  const values = new Set(selectedValues(selector));
  const release = chartReleases(graph).find(
    (r) =>
      (namespaces === undefined || (r.namespace !== undefined && namespaces.includes(r.namespace))) &&
      (values.has(r.release) || values.has(chartFullname(r, r.values, 63))),
  );
  if (release) {
    return {
      severity: 'info',
      message: `spec.selector ${written(selector)} names the release of chart ${release.chart} that ${graph.id(release.object)} installs into namespace '${release.namespace ?? ''}' as '${release.release}': its pods and Services are rendered from that chart, outside the files, so whether they carry these labels and ports is not checked here (render it with helm template and check the output to judge them)`,
    };
  }
  if (monitor.manifest.kind !== 'PodMonitor') return undefined;
  const twin = graph
    .ofKind('Service')
    .filter((s) => s.manifest.apiVersion === 'v1' && inNamespaces(graph, s, namespaces))
    .find((s) => {
      const own = stringMap(mapping(s.manifest.spec).selector);
      return Object.keys(own).length > 0 && selectorMatches(selector, own) === true && !selectedWorkloads(s, graph).length;
    });
  if (!twin) return undefined;
  return {
    severity: 'info',
    message: `spec.selector ${written(selector)} selects the pods ${graph.id(twin)} selects, and no pod template of the tree makes them: the workload is delivered outside this folder, so whether its pods carry these labels and ports is not checked here`,
  };
}

/**
 * What keeps the monitor from a target it was written for: the selected labels it lacks (a Service whose own selector
 * carries them is selected by its pods' label, not its own), where it lands when its manifest gives no namespace, and
 * for a Service the endpoint ports it does not name (an unnamed port cannot be selected by name), which would keep
 * Prometheus from scraping it once the labels match.
 */
function whatDiffers(monitor: GraphObject, graph: ObjectGraph, t: Target): string {
  const selector = mapping(mapping(monitor.manifest.spec).selector);
  const asked = stringMap(selector.matchLabels);
  const missing = Object.entries(asked).filter(([k, v]) => !t.labelSets.some((l) => l[k] === v));
  const parts: string[] = [];
  const unmet = unmetExpressions(selector, t.labelSets);
  if (unmet.length) parts.push(`fails ${unmet.join(', ')}`);
  if (missing.length) {
    const own = t.o.manifest.kind === 'Service' ? stringMap(mapping(t.o.manifest.spec).selector) : {};
    const pods = missing.filter(([k, v]) => own[k] === v);
    parts.push(
      `lacks ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}` +
        (pods.length ? ` (${pods.map(([k, v]) => `${k}=${v}`).join(', ')} is the label of the pods its own selector picks, not of the Service)` : ''),
    );
  }
  // a manifest without a namespace lands where its delivery puts it, known (a script's -n) or not (the context's)
  if (!text(mapping(t.o.manifest.metadata).namespace)) {
    const placed = placedIn(graph, t.o);
    parts.push(`gives no namespace in its manifest (the tree applies it to ${placed.map((n) => `'${n}'`).join(', ')})`);
  }
  if (monitor.manifest.kind === 'ServiceMonitor' && t.o.manifest.kind === 'Service') parts.push(...unnamedEndpointPorts(monitor, t.o));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}

/** The endpoints of a ServiceMonitor whose port names no port of the Service, each said with the ports it has. */
function unnamedEndpointPorts(monitor: GraphObject, service: GraphObject): string[] {
  const ports = mappings(mapping(service.manifest.spec).ports);
  const names = new Set(ports.map((p) => text(p.name)).filter((n): n is string => n !== undefined));
  const shown = ports.map((p) => (text(p.name) ? `${text(p.name)} (${String(p.port)})` : `an unnamed port ${String(p.port)}`)).join(', ') || 'none';
  return mappings(mapping(monitor.manifest.spec).endpoints).flatMap((e, i) => {
    const port = text(e.port);
    return port !== undefined && !names.has(port) && !DIGITS_ONLY.test(port)
      ? [
          `has no port named '${port}', which spec.endpoints[${i}].port names (its ports: ${shown}), so even labelled it would not be scraped: name that port '${port}'`,
        ]
      : [];
  });
}

export const monitorSelectsNothing: Rule = {
  id: 'monitor-selects-nothing',
  title:
    'a ServiceMonitor or PodMonitor whose selector matches no Service or pod of the tree, or whose endpoint names a port they do not have: Prometheus scrapes nothing (an error where a KEDA scaler, or an HPA through prometheus-adapter, scales on it)',
  severity: 'error',
  appliesTo: ['ServiceMonitor', 'PodMonitor'],
  premise:
    "a monitoring.coreos.com/v1 ServiceMonitor or PodMonitor with a valid spec.selector (matchLabels and matchExpressions In, NotIn, Exists, DoesNotExist, ANDed as apimachinery's LabelSelectorAsSelector; an In expression's values count as selected values wherever a matchLabels value does, and the message names the expressions a target fails), looking in the namespaces of spec.namespaceSelector (its own by default); an object whose manifest gives no namespace is in those the tree's scripts apply it into (`kubectl apply -f FILE -n NS`), else in default, but where the monitor's manifest gives none either (no script placing either), both land where the apply puts them, which may be a namespace the monitor names: such an object is looked at; " +
    "where nothing matches while the tree holds in that namespace the Service or workload it was evidently meant for (a name or label value close to a selected one, a value of a Service's own selector, or the only one there), or where an endpoint `port` names no port of the matched Services (or, for a PodMonitor, no named containerPort of the matched pods): " +
    "an error only where a KEDA ScaledObject or ScaledJob of those namespaces scales on a Prometheus trigger (it reads the missing series as 0 and never scales up), or where a HorizontalPodAutoscaler scales a workload the monitor scrapes (or was meant for) on metrics the tree's prometheus-adapter serves (a rule of its config, in a ConfigMap or a prometheus-adapter chart release's values, whose seriesQuery and name give the metric: `rules` for Pods and Object metrics, `externalRules` for External ones; every metric of the HPA, as one other metric keeps it scaling), or where the monitor's namespace is stated and holds the Service (pod template for a PodMonitor) it was evidently written for (a name or label value close to a selected one, a value of a Service's own selector), which lacks the selected labels, and nothing of the tree says targets are made elsewhere (below): none of the metrics it was meant for ever arrive; else a warning (a monitor that scrapes nothing makes no pod fail, and the targets may be delivered elsewhere: dashboards and alerts see no data); " +
    "the message says what keeps the monitor from the target it was meant for: the selected labels it lacks (and where a Service's own selector carries them, that they are its pods' labels), that its manifest gives no namespace and where the tree applies it, and the endpoint ports it does not name (an unnamed port cannot be selected by name); " +
    'a ServiceMonitor whose namespace holds no such Service but the one workload it was evidently written for (name or pod label close to a selected value) is said definitely, and is an error on the same terms as a Service lacking the labels (the namespace stated, a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod, no selected key of the pods of the workload holding another value): severity follows one rule for every cause, an error where the tree settles that nothing the monitor was written for is scraped or something scales on it, a warning where it does not settle it; an error where the Service port an endpoint names forwards to a targetPort no container behind it declares while every container there declares its ports (vLLM serves /metrics on its API port); a warning also where the namespace holds no such candidate (it may be delivered elsewhere), except where the tree says the targets are delivered outside its files: a selected value is the release name or fullname of a chart an Argo CD Application or Flux HelmRelease of the tree installs into those namespaces, or (a PodMonitor) a Service of the tree there selects the same pods and no pod template of the tree is behind it, as its twin ServiceMonitor is judged (a note naming that object); or where a ServiceMonitor targetPort is no port the pods behind the Services declare (a container may listen undeclared); ' +
    "a PodMonitor sees a LeaderWorkerSet's and a Ray cluster's pods with the labels their controllers add (leaderworkerset.sigs.k8s.io/*, ray.io/*; per-pod values match any selected value), not the objects' own metadata.labels; each group of a RayCluster, RayService or RayJob is judged as its own pods, their ports the group template's with the `metrics` port 8080 KubeRay adds to the Ray container where it names none; a PodMonitor endpoint `port: metrics` on a group whose rayStartParams metrics-export-port is another number than that `metrics` container port is an error (Ray's metrics agent listens on the exported port only, so the port scraped has no listener); " +
    "a PodMonitor also sees the predictor pods KServe makes of an InferenceService (labelled serving.kserve.io/inferenceservice: <name>, component: predictor, in raw deployment mode app: isvc.<name>-predictor, with the runtime's, the service's and the predictor's labels), whose ports are its runtime's containers' as written: judged in raw deployment mode where the runtime is in the tree, not under Knative (which renames the port); " +
    'an endpoint `port` is a name (prometheus-operator matches it as a regex, so a pattern is not judged; `portNumber` takes a number); a ServiceMonitor endpoint `port` that names no port of the Services of the tree its selector matches is an error whatever scales on it: those Services list their ports, so no metrics of that endpoint ever arrive; ' +
    'an endpoint `port` of digits only is an error whatever the tree holds: a port name needs a letter, so no port has that name (use targetPort on a ServiceMonitor, portNumber on a PodMonitor, or the port name); ' +
    "a namespaceSelector.matchNames entry left as a placeholder (`<your-namespace>`, `${NAMESPACE}`) is said as the cause, not the targets' labels: a warning, as for any value a reader fills by hand, naming the KEDA scalers of the monitor's own namespace that read the missing series as 0; " +
    "A ServiceMonitor selecting a Service KServe makes for an LLMInferenceService of the tree (its workload Service `<name>-kserve-workload-svc`, labelled app.kubernetes.io/part-of: llminferenceservice, app.kubernetes.io/name: <name>, app.kubernetes.io/component: llminferenceservice-workload and its spec.labels; the scheduler's Service where it gives spec.router.scheduler without a pool ref, component llminferenceservice-router-scheduler) or for an InferenceService (the predictor's Service: the runtime's, the service's and the predictor's labels, serving.kserve.io/inferenceservice: <name>, component: predictor) selects something, whose ports the controller's configuration decides: not judged. " +
    "not judged: a selected label value holding a renderer's syntax (`app: ${POOL_NAME}`, which envsubst or Helm fills before the apply), a namespace where another object is named by a selected value or carries the selected labels (an operator makes the Services and pods), and a selector of the labels an operator gives what it makes " +
    "(Kuadrant's authorino-resource and limitador-resource, and app: limitador, which the Limitador operator puts on the Service limitador-<name> it makes of a Limitador, the NVIDIA GPU Operator's app: nvidia-dcgm-exporter, KServe's control-plane: kserve-controller-manager) where the tree installs that operator (its resource: Kuadrant, Authorino, Limitador, ClusterPolicy, DataScienceCluster; an OLM Subscription or a Helm chart of it; a script's `helm install|upgrade` of the GPU Operator's chart as ALIAS/gpu-operator, ALIAS added by `helm repo add` as https://helm.ngc.nvidia.com/nvidia, or `nvidia` where no repo add names it otherwise, which makes its ClusterPolicy); where it does not, the operator is installed outside the tree and makes the targets there: a note saying whose labels they are. " +
    "A selector on a label an operator puts on the pods it makes (KubeRay ray.io/cluster, ray.io/node-type, ray.io/group; LeaderWorkerSet leaderworkerset.sigs.k8s.io/*; KServe serving.kserve.io/inferenceservice) is judged against the operator's resources of the tree as it labels their pods, and is a note (made by the operator outside the folder) where the tree holds none; but a value of serving.kserve.io/inferenceservice that names no InferenceService (a switch word such as `true`, or no valid name: KServe sets the label to the InferenceService's name), where no InferenceService of those namespaces has that name and no object of the tree carries the pair, selects nothing KServe makes wherever it runs: a warning (an error beside the scalers above). " +
    'A PodMonitor whose selected labels no pod template of the tree carries, where no workload of the tree was evidently meant, while the namespaces it looks in hold a custom resource whose spec names an image, containers, replicas, a pod template or compute resources (not a kind of prometheus-operator, Argo CD, Flux, cert-manager or OLM): the operator of that resource makes pods the tree does not show and labels them itself, a note. ' +
    'A ServiceMonitor selecting the head Service KubeRay makes of a RayCluster, RayService or RayJob of the tree (ray.io/node-type: head, ray.io/identifier <cluster>-head, ray.io/cluster, app.kubernetes.io/name: kuberay, app.kubernetes.io/created-by: kuberay-operator; its ports include `metrics`) selects something: not judged; likewise the Service the ToolHive operator makes of an MCPServer (`mcp-<name>-proxy`), MCPRemoteProxy (`mcp-<name>-remote-proxy`) or VirtualMCPServer (`vmcp-<name>`) of the tree (app and app.kubernetes.io/name mcpserver, mcpremoteproxy or virtualmcpserver, app.kubernetes.io/instance and toolhive-name <name>, toolhive: "true", and spec.resourceOverrides.proxyService.labels under them; its port `http`). ' +
    'A ServiceMonitor selecting the Service the litellm-operator makes of a LiteLLMProxy of the tree (litellm.home-operations.com; named after the proxy, labelled app.kubernetes.io/name: litellm, app.kubernetes.io/instance: <proxy>, app.kubernetes.io/managed-by: litellm-operator, port `http`) selects something: not judged. ' +
    "The same operator-label reading covers Istio (istiod's app: istiod and istio: pilot; the istio-prometheus-ignore key its envoy-stats PodMonitor selects the mesh's proxies by; installed by an IstioOperator, Istio or ServiceMeshControlPlane, or its charts and OLM packages), the Seldon Core operator (app.kubernetes.io/managed-by: seldon-core on what it makes of a SeldonDeployment), Knative Serving (app.kubernetes.io/name: knative-serving), Kueue (app.kubernetes.io/name: kueue) and NVIDIA's dcgm-exporter chart (app.kubernetes.io/name: dcgm-exporter); an expression on such a key counts as selecting it. " +
    "not judged either where the selected targets are defined in another folder of the git repository around the checked folder (a Service, or for a PodMonitor a pod-making workload, whose labels the selector matches, in a namespace looked in or with none stated), nor where every namespace looked in holds what the platform runs, not the tree: kube-system (the cluster's own add-ons: kubeadm's CoreDNS and kube-proxy, a managed cloud's system add-ons), openshift and openshift-* (OpenShift's cluster operators, and operators installed from OperatorHub), GKE's gke-managed-* and Managed Service for Prometheus namespaces (gmp-system, gmp-public, gke-gmp-system), the EKS add-ons' amazon-cloudwatch and amazon-guardduty, the AKS add-ons' app-routing-system, gatekeeper-system and aks-istio-*. " +
    'The problems of one monitor are said in one finding, the gravest first; a monitor declared alike in several files is judged once, on the first file' +
    UNSEEN_INSTALLS_PREMISE,
  example: '`selector: {matchLabels: {app: vllm-metrics}}` on a ServiceMonitor beside a Service labelled `app: vllm`',
  fix: 'label the Service (or pod template) as the selector asks, and name the Service or container port the endpoint names',
  source:
    "prometheus-operator pkg/prometheus/promcfg.go (generateServiceMonitorConfig, generatePodMonitorConfig): targets are discovered by the selector in the namespaceSelector's namespaces, and an endpoint `port` keeps only targets whose Service port name (__meta_kubernetes_endpoint_port_name) or container port name (__meta_kubernetes_pod_container_port_name) matches it, portNumber the container port number; ServiceMonitor API docs; KEDA pkg/scalers/prometheus_scaler.go (an empty query result is 0 while ignoreNullValues, the default, is true); kubernetes-sigs/prometheus-adapter pkg/config and pkg/naming metric_namer.go (rules serve custom.metrics.k8s.io, externalRules external.metrics.k8s.io, a metric named by name.matches and name.as from the series its seriesQuery finds); kubernetes pkg/controller/podautoscaler/horizontal.go computeReplicasForMetrics (when no metric of an HPA can be read it sets ScalingActive False, reason FailedGetPodsMetric, FailedGetObjectMetric or FailedGetExternalMetric, and keeps the replicas); operator labels: kuadrant authorino-operator and limitador-operator (authorino-resource, limitador-resource; limitador-operator pkg/limitador k8s_objects.go Service, ServiceName and labels: app: limitador), NVIDIA/gpu-operator assets/state-dcgm-exporter (app: nvidia-dcgm-exporter), kserve config/manager (control-plane: kserve-controller-manager), istio manifests/charts/istio-control/istio-discovery templates and samples/addons/extras/prometheus-operator.yaml, seldon-core operator/apis/machinelearning.seldon.io/v1 (Label_managed_by, Label_value_seldon), knative serving config/core/deployments, kubernetes-sigs/kueue config/components, NVIDIA/dcgm-exporter deployment/helm/dcgm-exporter; ray-project/kuberay ray-operator/controllers/ray/common/service.go BuildServiceForHeadPod and HeadServiceLabels (the head Service's labels and ports); home-operations/litellm-operator internal/controller/resources.go buildService and selectorLabels (a LiteLLMProxy's Service, its name and labels); stacklok/toolhive cmd/thv-operator/controllers (labelsForMCPServer, labelsForMCPRemoteProxy, labelsForVirtualMCPServer, serviceForMCPServer, serviceForMCPRemoteProxy, serviceForVirtualMCPServer; pkg/controllerutil CreateProxyServiceName, MergeLabels); ray-project/kuberay ray-operator/controllers/ray/utils/constant.go and common/pod.go labelPod (and DefaultHeadPodTemplate, DefaultWorkerPodTemplate: the metrics port added to the Ray container; metrics-export-port set to DefaultMetricsPort where rayStartParams give none), kubernetes-sigs/lws api/leaderworkerset/v1 leaderworkerset_types.go (the pod labels those controllers set); kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go buildObjectMeta and reconcilers/deployment/deployment_reconciler.go (predictor pod labels, the runtime's containers), reconcilers/service/service_reconciler.go and reconcilers/knative/ksvc_reconciler.go (the predictor Service's labels); kserve pkg/controller/v1alpha2/llmisvc workload.go reconcileWorkloadService and scheduler.go SchedulerLabels, pkg/constants LLMInferenceServicePartOfValue (the labels of the Services the LLMInferenceService controller makes); kserve pkg/constants InferenceServicePodLabelKey (set to the InferenceService's name on every pod and Service KServe makes); Kubernetes apimachinery pkg/util/validation/validation.go IsValidPortName (a Service or container port name is an IANA_SVC_NAME: lowercase letters, digits and hyphens, at least one letter); kubernetes cmd/kubeadm/app/phases/addons (CoreDNS and kube-proxy deployed in kube-system); GKE docs \"Collect and view DCGM metrics\" (gke-managed-system) and Managed Service for Prometheus (gmp-system, gke-gmp-system, gmp-public)",
  check(o, { graph, platform }) {
    if (o.manifest.apiVersion !== 'monitoring.coreos.com/v1') return [];
    // the same monitor declared alike in several files is one monitor of the cluster: judged once, on the first
    if (sameCauseCopies(graph, o, (x) => declared(x) === declared(o))[0] !== o) return [];
    const selector = mapping(o.manifest.spec).selector;
    const namespaces = namespacesOf(o, graph);
    const targets = targetsOf(o, graph, namespaces, platform);
    // a label value the controller chooses per pod (an index, a hash) may be the selected one
    const matched = targets.filter((t) => t.labelSets.some((l) => selectorMatches(selector, asSelected(l, selector)) === true));
    // a selector that does not compile is the operator's refusal, not this rule's
    if (targets.some((t) => t.labelSets.some((l) => selectorMatches(selector, l) === undefined))) return [];
    // a Service KServe makes for a resource of the tree carries labels its controller stamps: selected, it is a target
    const made = o.manifest.kind === 'ServiceMonitor' ? madeServicesSelected(selector, graph, monitoredBy(graph, o, namespaces)) : [];
    const problems = !matched.length
      ? made.length
        ? []
        : nothingSelected(o, graph, namespaces, targets)
      : o.manifest.kind === 'ServiceMonitor'
        ? serviceEndpointProblems(o, graph, matched)
        : podEndpointProblems(o, graph, matched);
    const hpas = problems.length ? adapterScaledHpas(graph, scrapedWorkloads(o, graph, matched, targets, namespaces)) : [];
    // where nothing is selected, a release check did not render into a namespace looked in may make the targets: hedged, naming it
    const unseen = matched.length ? undefined : (namespaces ?? []).find((ns) => unseenInstalls(graph, ns).length);
    const judged = withConsequence(problems, prometheusScalers(graph, namespaces), hpas).map((p) =>
      p.severity === 'info' ? p : unseenHedged(graph, unseen, p),
    );
    return oneLine([...numberNamedPorts(o), ...judged]);
  },
};

/**
 * The Services operators make for the tree's resources (operatorMadeServices: KServe's, KubeRay's head Services, the
 * litellm-operator's proxy Service) in the monitor's namespaces that its selector matches. Their ports come from the
 * controller's configuration and the runtime, so they are not judged.
 */
function madeServicesSelected(selector: unknown, graph: ObjectGraph, inScope: (o: GraphObject) => boolean): MadeService[] {
  return operatorMadeServices(graph).filter((s) => inScope(s.owner) && selectorMatches(selector, asSelected(s.labels, selector)) === true);
}

/** The problems of one monitor said on one line, the gravest first: they share one consequence, nothing scraped. */
function oneLine(problems: Problem[]): Problem[] {
  if (problems.length < 2) return problems;
  const sorted = [...problems].sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
  return [{ severity: sorted[0].severity, message: sorted.map((p, i) => (i ? `Also, ${p.message}` : p.message)).join('. ') }];
}

/** An endpoint `port` of digits only: a port number written where a port name goes. */
const DIGITS_ONLY = /^\d+$/;

/**
 * The endpoints whose `port` is digits only: a port name is an IANA_SVC_NAME, which needs a letter (Kubernetes
 * apimachinery validation.go IsValidPortName: "must contain at least one letter (a-z)"), so the API server admits no
 * Service or container port of that name and no target is ever kept, whatever the tree holds; said on its own, as
 * the mistake it is.
 */
function numberNamedPorts(monitor: GraphObject): Problem[] {
  const service = monitor.manifest.kind === 'ServiceMonitor';
  const field = service ? 'endpoints' : 'podMetricsEndpoints';
  return mappings(mapping(monitor.manifest.spec)[field]).flatMap((e, i): Problem[] => {
    const port = text(e.port);
    if (port === undefined || !DIGITS_ONLY.test(port)) return [];
    const fix = service
      ? `write targetPort: ${port} (the pods' port number) in place of port, or port: the name of the Service port`
      : `write portNumber: ${port} in place of port, or port: the name of the containerPort`;
    return [
      {
        severity: 'error',
        message: `spec.${field}[${i}].port '${port}' is a number where a port name goes: a port name must contain a letter (IsValidPortName), so no ${service ? 'Service port' : 'containerPort'} is named '${port}' and Prometheus keeps no target: it scrapes nothing; ${fix}`,
      },
    ];
  });
}

/**
 * The KEDA ScaledObjects and ScaledJobs in the namespaces that scale on a Prometheus query. With nothing scraped the
 * query returns no series, which KEDA's prometheus scaler reads as 0 (pkg/scalers/prometheus_scaler.go: an empty
 * result is 0 while ignoreNullValues, its default, is true): the workload never scales up.
 */
function prometheusScalers(graph: ObjectGraph, namespaces: string[] | undefined): GraphObject[] {
  return ['ScaledObject', 'ScaledJob']
    .flatMap((k) => graph.ofKind(k))
    .filter((s) => String(s.manifest.apiVersion).startsWith('keda.sh/'))
    .filter((s) => inNamespaces(graph, s, namespaces))
    .filter((s) => mappings(mapping(s.manifest.spec).triggers).some((t) => t.type === 'prometheus'));
}

/**
 * The severity, one rule for every cause: an error where the tree settles that the monitor keeps no target of what it
 * was written for (certain: a port the matched Services do not name, the Service or the one workload it was evidently
 * written for lacking the labels or a Service, in a namespace the monitor states; a number-named port and a dead
 * targetPort say so themselves), or where a KEDA scaler of those namespaces, or an HPA through prometheus-adapter,
 * reads its series; a warning where the tree does not settle it (no candidate there: the targets may be delivered
 * elsewhere; the one target there may not be the one meant), as a monitor that scrapes nothing makes no pod fail.
 */
function withConsequence(problems: Judged[], scalers: GraphObject[], hpas: { hpa: GraphObject; metrics: string[] }[]): Problem[] {
  const named = (o: GraphObject) => `${String(o.manifest.kind)} '${text(mapping(o.manifest.metadata).name) ?? ''}'`;
  return problems.map(({ certain, consequence, ...p }) => {
    if (p.severity !== undefined) return p;
    if (!scalers.length && !hpas.length && certain)
      return {
        ...p,
        severity: 'error',
        message: `${p.message} (${consequence ?? 'no metrics of this endpoint ever arrive: dashboards and alerts on them see no data'})`,
      };
    if (!scalers.length && !hpas.length)
      return { ...p, severity: 'warning', message: `${p.message} (no pod fails for it: dashboards and alerts on these metrics see no data)` };
    const keda = scalers.length
      ? `; ${scalers.map(named).join(', ')} scales on Prometheus queries: KEDA reads the missing series as 0, so the workload never scales up`
      : '';
    const hpa = hpas.length
      ? `; ${hpas.map((h) => `${named(h.hpa)} (on ${h.metrics.join(', ')})`).join(', ')} scales ${hpas.length > 1 ? 'their workloads' : 'its workload'} on metrics the tree's prometheus-adapter serves from these series: ` +
        'with nothing scraped the adapter has no value, so the HPA cannot read its metrics (ScalingActive False, FailedGetPodsMetric, FailedGetObjectMetric or FailedGetExternalMetric) and never scales'
      : '';
    return { ...p, message: `${p.message}${keda}${hpa}` };
  });
}

/**
 * The workloads the monitor scrapes, or was evidently written for where it matches nothing: those behind the Services
 * it matches (or means), the pod templates a PodMonitor matches (or means), the one workload a ServiceMonitor was
 * written for (meantWorkload). An HPA of these on adapter-served metrics depends on its series.
 */
function scrapedWorkloads(monitor: GraphObject, graph: ObjectGraph, matched: Target[], targets: Target[], namespaces: string[] | undefined): GraphObject[] {
  const values = selectedValues(mapping(mapping(monitor.manifest.spec).selector));
  const chosen = matched.length ? matched : targets.filter((t) => evidentlyMeant(values, t));
  const workloads = chosen.flatMap((t) => (t.o.manifest.kind === 'Service' ? selectedWorkloads(t.o, graph) : [t.o]));
  const meant = !workloads.length && !matched.length && namespaces !== undefined ? meantWorkload(values, graph, namespaces) : undefined;
  return meant ? [meant] : workloads;
}

/** The ports a workload's containers declare (init containers too: Prometheus discovers their ports as well). */
function containerPorts(workloads: GraphObject[]): { names: Set<string>; numbers: Set<number>; everyContainer: boolean } {
  return declaredPorts(workloads.flatMap((w) => containersOf(w.manifest)).map((c) => c.container));
}

/** The ports containers declare: their names, numbers, and whether every container lists some. */
function declaredPorts(containers: Loose[]): { names: Set<string>; numbers: Set<number>; everyContainer: boolean } {
  const ports = containers.flatMap((c) => mappings(c.ports));
  return {
    names: new Set(ports.map((p) => text(p.name)).filter((n): n is string => n !== undefined)),
    numbers: new Set(ports.map((p) => p.containerPort).filter((n): n is number => typeof n === 'number')),
    everyContainer: containers.length > 0 && containers.every((c) => mappings(c.ports).length > 0),
  };
}

/**
 * A problem, and whether the tree settles it: the Services a ServiceMonitor matches are the tree's, with the ports
 * they list, so an endpoint port none of them names keeps every target away wherever the cluster runs.
 */
/** A problem the tree settles (certain: an error even where nothing scales on the metrics), and what follows from it. */
type Judged = Problem & { readonly certain?: true; readonly consequence?: string };

function serviceEndpointProblems(monitor: GraphObject, graph: ObjectGraph, matched: Target[]): Judged[] {
  const services = matched.map((t) => t.o);
  const ports = services.flatMap((s) => mappings(mapping(s.manifest.spec).ports));
  const named = new Set(ports.map((p) => text(p.name)).filter((n): n is string => n !== undefined));
  const listed = services.map((s) => graph.id(s)).join(', ');
  const shown = ports.map((p) => (text(p.name) ? `${text(p.name)} (${String(p.port)})` : `an unnamed port ${String(p.port)}`)).join(', ');
  const out: Judged[] = [];
  for (const [i, e] of mappings(mapping(monitor.manifest.spec).endpoints).entries()) {
    const port = text(e.port);
    // a number-named port is numberNamedPorts'
    if (port !== undefined && !named.has(port) && !DIGITS_ONLY.test(port)) {
      out.push({
        message: `spec.endpoints[${i}].port '${port}' is the name of no port of ${listed}, which the selector matches (ports: ${shown || 'none'}); Prometheus keeps only targets whose Service port is named '${port}' and scrapes nothing; name the Service port '${port}' (an unnamed port cannot be selected by name) or set port to its name`,
        certain: true,
      });
    }
    if (port !== undefined && named.has(port)) out.push(...deadScrapedPort(`spec.endpoints[${i}].port '${port}'`, port, services, graph));
    if (e.targetPort !== undefined) out.push(...targetPortProblems(`spec.endpoints[${i}].targetPort`, e.targetPort, services, graph));
  }
  return out;
}

/**
 * The Service port an endpoint names forwards to a port no container behind it declares, where every container
 * declares its ports: the endpoint's target is down on every scrape (kube-proxy forwards to a closed port). An error,
 * as the containers list what they listen on; a vLLM container serves /metrics on its API port.
 */
function deadScrapedPort(where: string, port: string, services: GraphObject[], graph: ObjectGraph): Problem[] {
  return services.flatMap((s) => {
    const p = mappings(mapping(s.manifest.spec).ports).find((x) => text(x.name) === port);
    const target = p?.targetPort ?? p?.port;
    const backends = selectedWorkloads(s, graph);
    if (!p || target === undefined || !backends.length) return [];
    const declared = containerPorts(backends);
    const dead = typeof target === 'number' ? !declared.numbers.has(target) : typeof target === 'string' && !declared.names.has(target);
    if (!declared.everyContainer || !dead) return [];
    const vllm = backends.flatMap((b) => containersOf(b.manifest)).find((c) => !c.init && VllmArgs.of(commandLineOf(c.container)).invoked);
    const api = vllm ? mappings(vllm.container.ports)[0] : undefined;
    const hint = api
      ? `; vLLM serves /metrics on its API port, ${String(api.containerPort)}: point the Service port's targetPort there`
      : '; target a declared container port';
    return [
      {
        severity: 'error' as const,
        message:
          `${where} is ${graph.id(s)}'s port ${String(p.port)}, whose targetPort ${String(target)} no container of ${backends.map((b) => graph.id(b)).join(', ')} declares ` +
          `(they declare ${[...declared.numbers].join(', ') || 'none'}${declared.names.size ? `; names ${[...declared.names].join(', ')}` : ''}): every scrape finds the target down${hint}`,
      },
    ];
  });
}

/** A targetPort no pod behind the Services declares: a warning only, as a container may listen on a port it does not declare. */
function targetPortProblems(where: string, target: unknown, services: GraphObject[], graph: ObjectGraph): Problem[] {
  const backends = services.flatMap((s) => selectedWorkloads(s, graph));
  if (!backends.length) return [];
  const declared = containerPorts(backends);
  const judged =
    typeof target === 'number' ? declared.everyContainer && !declared.numbers.has(target) : typeof target === 'string' && !declared.names.has(target);
  if (!judged) return [];
  return [
    {
      message: `${where} ${String(target)} is no port the containers of ${backends.map((b) => graph.id(b)).join(', ')} declare (names: ${[...declared.names].join(', ') || 'none'}; numbers: ${[...declared.numbers].join(', ') || 'none'}); unless a container listens there undeclared, Prometheus scrapes nothing; target a declared container port`,
      severity: 'warning',
    },
  ];
}

/**
 * An endpoint that scrapes a Ray group's `metrics` container port where its Ray node exports on another port
 * (rayStartParams metrics-export-port): KubeRay adds `metrics` 8080 to the Ray container whatever the parameter says,
 * so the port scraped has no listener and every scrape finds the target down. An error: Ray's metrics agent listens
 * on the exported port only.
 */
function rayExportProblems(monitor: GraphObject, graph: ObjectGraph, matched: Target[]): Problem[] {
  return mappings(mapping(monitor.manifest.spec).podMetricsEndpoints).flatMap((e, i) =>
    matched.flatMap((t): Problem[] => {
      const exported = t.rayExport?.port;
      const ray = t.containers?.[0];
      if (text(e.port) !== RAY_METRICS_NAME || exported === undefined || !ray) return [];
      const scraped = mappings(ray.ports).find((p) => text(p.name) === RAY_METRICS_NAME)?.containerPort;
      if (typeof scraped !== 'number' || scraped === exported) return [];
      return [
        {
          severity: 'error',
          message:
            `spec.podMetricsEndpoints[${i}].port '${RAY_METRICS_NAME}' is container port ${scraped} of the Ray pods of ${graph.id(t.o)} (group ${t.labelSets[0]?.['ray.io/group'] ?? '?'}), while their rayStartParams metrics-export-port has Ray export its metrics on ${exported}: ` +
            `nothing listens on ${scraped}, so every scrape finds the target down and no Ray or vLLM metrics arrive; declare a container port named '${RAY_METRICS_NAME}' with containerPort ${exported} in the Ray container, or drop metrics-export-port`,
        },
      ];
    }),
  );
}

/** KubeRay's metrics port name (ray-project/kuberay ray-operator/controllers/ray/utils/constant.go MetricsPortName). */
const RAY_METRICS_NAME = 'metrics';

function podEndpointProblems(monitor: GraphObject, graph: ObjectGraph, matched: Target[]): Problem[] {
  const containers = matched.map((t) => (t.containers === undefined ? containersOf(t.o.manifest).map((c) => c.container) : t.containers));
  // a kind whose containers this reader does not list (training jobs), or pods whose ports are not known, are not judged
  if (containers.some((c) => c === null || !c.length)) return [];
  return [...portNameProblems(monitor, graph, matched, containers as Loose[][]), ...rayExportProblems(monitor, graph, matched)];
}

/** Endpoint ports that name no containerPort of the pods the monitor matches. */
function portNameProblems(monitor: GraphObject, graph: ObjectGraph, matched: Target[], containers: Loose[][]): Problem[] {
  const declared = declaredPorts(containers.flat());
  const listed = matched.map((t) => graph.id(t.o)).join(', ');
  return mappings(mapping(monitor.manifest.spec).podMetricsEndpoints).flatMap((e, i) => {
    const port = text(e.port);
    // the operator writes port into a relabel regex: a pattern is not judged as a name
    // a number-named port is numberNamedPorts'
    if (port === undefined || declared.names.has(port) || /[\\^$.|?*+()[\]{}]/.test(port) || DIGITS_ONLY.test(port)) return [];
    return [
      {
        message: `spec.podMetricsEndpoints[${i}].port '${port}' is the name of no containerPort of the pods of ${listed}, which the selector matches (named ports: ${[...declared.names].join(', ') || 'none'}); Prometheus keeps only targets whose container port is named '${port}' and scrapes nothing; name the containerPort '${port}' or set port to the name it has`,
      },
    ];
  });
}
