import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { alsoBy, firstById } from '../one-per-cause';
import { namespaceLabel, ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { groupVersionOf } from '../../k8s/api-version';
import { KUEUE_RELEASES, kueueRelease } from '../../platform/kueue-releases';
import { EXTERNAL_CLUSTER_QUEUE_ANNOTATION, EXTERNAL_LOCAL_QUEUE_ANNOTATION, KUEUE_GROUP, QUEUE_LABEL } from '../../k8s/keys';
import { kueueManaged } from './namespace-not-kueue-managed';
import { operatorCreated, queueLabelAdmission, recentOperatorNote } from '../operator-kueue';
import { KueueChoice, kueueAssumption, kueueName } from '../kueue-version';
import { holdsTemplate } from '../template-syntax';
import { reportsTemplateSyntax } from './unrendered-placeholder';
import { didYouMean, objectCandidates } from '../near-names';
import { deliverersOf } from '../argocd/application';
import { destinationNamespace } from '../argocd/destination-namespace';
import { appliesObject } from '../script-delivery';
import { integrationOff } from '../kueue-frameworks';

/**
 * Kinds other than the pod-template ones that Kueue queues by the label on their own metadata: its job integrations
 * (kubernetes-sigs/kueue pkg/controller/jobs: jobset, rayjob, raycluster, leaderworkerset, kubeflow's mpijob,
 * pytorchjob, tfjob, xgboostjob, paddlejob, jaxjob, trainjob, appwrapper).
 */
const QUEUED_JOB_KINDS = [
  'JobSet',
  'RayJob',
  'RayCluster',
  'LeaderWorkerSet',
  'MPIJob',
  'PyTorchJob',
  'TFJob',
  'XGBoostJob',
  'PaddleJob',
  'JAXJob',
  'TrainJob',
  'AppWrapper',
];

/**
 * A LocalQueue's spec.clusterQueue that names no ClusterQueue of a tree that defines some: an error, unless the
 * platform's operator creates that ClusterQueue (`default` on OpenShift AI) or the app declares it existing.
 */
function missingClusterQueue(ctx: CheckContext, o: GraphObject): Problem[] {
  const { graph } = ctx;
  const m = o.manifest;
  const cq = text(mapping(m.spec).clusterQueue);
  const clusterQueues = graph.ofKind('ClusterQueue');
  if (!cq || !clusterQueues.length || graph.find('ClusterQueue', cq)) return [];
  if (stringMap(mapping(m.metadata).annotations)[EXTERNAL_CLUSTER_QUEUE_ANNOTATION] === 'true') return [];
  const operator = operatorCreated(ctx, 'ClusterQueue', cq);
  if (operator === 'always') return [];
  const meant = didYouMean(cq, objectCandidates(clusterQueues));
  const defined = clusterQueues.map((c) => text(c.manifest.metadata?.name)).join(', ') + (meant ? `; ${meant}` : '');
  // the author's note says the ClusterQueue comes from elsewhere (a platform team, an operator): Kueue takes the
  // LocalQueue and keeps it inactive ("ClusterQueueDoesNotExist") until the ClusterQueue exists
  if (saysProvidedElsewhere(o.comment))
    return [
      {
        severity: 'warning',
        message:
          `spec.clusterQueue '${cq}' is not a ClusterQueue of the tree (${defined}); the comment of its file says it is provided outside the tree, ` +
          `so the LocalQueue stays inactive until it exists: make sure it does before the first workload, or annotate ${EXTERNAL_CLUSTER_QUEUE_ANNOTATION}: "true"`,
      },
    ];
  if (operator === 'recent' || operator === 'assumed')
    return [
      {
        severity: 'warning',
        message: `spec.clusterQueue '${cq}' is not a ClusterQueue of the tree (${defined}); ${recentOperatorNote('ClusterQueue', cq, operator, graph)}: define it in the tree to be sure`,
      },
    ];
  return [{ message: `spec.clusterQueue '${cq}' is not a ClusterQueue of the tree (${defined}); the field is immutable, so fix it before the first sync` }];
}

/**
 * Whether an author's comment says a ClusterQueue is made outside the tree: it names a ClusterQueue and a way it comes
 * to exist elsewhere (`# The operator must provision the referenced ClusterQueue before applying this LocalQueue`).
 */
function saysProvidedElsewhere(comment: string | undefined): boolean {
  if (!comment || !/cluster\s*queue/i.test(comment)) return false;
  return /\b(provision|provided|pre-?exist|already exists?|must exist|created? (by|outside|separately|elsewhere)|platform team|cluster admin|administrator|managed (by|outside))/i.test(
    comment,
  );
}

/** The names of the tree's LocalQueues in a namespace, each once: one queue declared in two files (a manager's and a worker's copy) is one name. */
function queuesIn(graph: ObjectGraph, ns: string | undefined): (string | undefined)[] {
  const names = graph
    .ofKind('LocalQueue')
    .filter((q) => ns !== undefined && graph.namespaceOf(q.manifest) === ns)
    .map((q) => text(q.manifest.metadata?.name));
  return [...new Set(names)];
}

/**
 * The finding for a workload whose queue name (`key` says where it is written) names no LocalQueue of the tree in its
 * namespace: an error where the tree shows the namespace's queues or the name elsewhere, else a warning.
 */
function missingLocalQueue(ctx: CheckContext, o: GraphObject, name: string, key: string): Problem[] {
  const { graph } = ctx;
  const m = o.manifest;
  const ns = graph.namespaceOf(m);
  const others = queuesIn(graph, ns);
  // OpenShift AI's operator creates LocalQueue default in every Kueue-managed namespace, whatever others it holds
  const operator = operatorCreated(ctx, 'LocalQueue', name);
  // a namespace the tree neither declares nor gives a LocalQueue (or none known: applied where the user says) may be
  // Kueue-managed, and then the operator's queue exists; if it is not, the workload is not queued at all
  // (namespace-not-kueue-managed's concern where it is declared)
  const undeclared = ns === undefined || (!graph.find('Namespace', ns) && !others.length);
  if (operator !== 'never' && (kueueManaged(graph, ns) || undeclared)) {
    return operator === 'always' ? [] : [{ severity: 'warning', message: `${key} '${name}': ${recentOperatorNote('LocalQueue', name, operator, graph)}` }];
  }
  if (others.length) {
    const meant = didYouMean(name, objectCandidates(graph.ofKind('LocalQueue').filter((q) => graph.namespaceOf(q.manifest) === ns)));
    return [
      {
        message: `${key} '${name}' names no LocalQueue in ${namespaceLabel(ns)} (it has ${others.join(', ')}${meant ? `; ${meant}` : ''}); Kueue never admits the pods ("LocalQueue ${name} doesn't exist"): use one of those names`,
      },
    ];
  }
  // the tree defines a LocalQueue of that very name, in another namespace: LocalQueues are namespaced and Kueue looks
  // only in the workload's own (pkg/controller/jobframework: QueueNameForObject, then the LocalQueue key namespace/name).
  // Not for the LocalQueue OpenShift AI creates in each Kueue-managed namespace.
  const elsewhere =
    ns === undefined || operator !== 'never'
      ? []
      : graph
          .ofKind('LocalQueue')
          .filter((q) => text(q.manifest.metadata?.name) === name && graph.namespaceOf(q.manifest) !== undefined)
          .map((q) => graph.namespaceOf(q.manifest)!);
  if (elsewhere.length) {
    return [
      {
        message: `${key} '${name}' names a LocalQueue the tree defines in ${[...new Set(elsewhere)].map((n) => `'${n}'`).join(', ')}, not in ${namespaceLabel(ns)}; a workload only reaches the LocalQueues of its own namespace, so Kueue never admits it ("LocalQueue ${name} doesn't exist"): define the LocalQueue in ${namespaceLabel(ns)} or move the workload`,
      },
    ];
  }
  // one cause, one finding: the workloads of the namespace that name the same absent queue are said on the first
  const [first, ...rest] = namingQueue(graph, ns, name);
  if (first && first !== o) return [];
  const openShiftAi = ctx.platform !== 'kserve' ? "OpenShift AI creates a 'default' LocalQueue in Kueue-managed namespaces, " : '';
  // where the workload's namespace is unknown, any LocalQueue of the tree may be the one it lands beside
  const meant = ns === undefined ? didYouMean(name, objectCandidates(graph.ofKind('LocalQueue'))) : undefined;
  return [
    {
      severity: 'warning',
      message: `${key} '${name}' names a LocalQueue the tree does not define in ${namespaceLabel(ns)}${alsoBy(
        'labelled so',
        rest.map((x) => graph.id(x)),
        graph.id(o),
      )}; ${openShiftAi}${openShiftAi ? 'any other name' : 'it'} must exist on the cluster${meant ? ` (${meant})` : ''}`,
    },
  ];
}

/**
 * A workload without a namespace matches a LocalQueue of any namespace (references from a namespace-less object match
 * any), but it is applied into one: kubectl's -n, else the context's namespace (`default` unless set). Where the
 * tree defines its queue only in one namespace and nothing of the input places the workload there (an Argo CD
 * destination namespace, a script's -n), it lands elsewhere and Kueue leaves it pending.
 */
function namespacelessElsewhere(graph: ObjectGraph, o: GraphObject, name: string): Problem[] {
  if (graph.namespaceOf(o.manifest) !== undefined) return [];
  const namespaces = new Set(
    graph
      .ofKind('LocalQueue')
      .filter((q) => text(q.manifest.metadata?.name) === name)
      .map((q) => graph.namespaceOf(q.manifest)),
  );
  const [ns] = namespaces;
  if (namespaces.size !== 1 || ns === undefined) return [];
  if (deliverersOf(o, graph).some((app) => destinationNamespace(app.manifest) !== undefined)) return [];
  if (graph.scriptApplied.some((a) => a.namespace !== undefined && appliesObject(a, o))) return [];
  return [
    {
      severity: 'warning',
      message:
        `has no metadata.namespace, and its ${QUEUE_LABEL} '${name}' names a LocalQueue the tree defines only in '${ns}': applied without -n ${ns}, it goes to the ` +
        `current context's namespace ('default' unless set), where Kueue finds no such LocalQueue and leaves it pending ("LocalQueue ${name} doesn't exist"): ` +
        `set metadata.namespace: ${ns}, or apply it with -n ${ns}`,
    },
  ];
}

/** The LocalQueues a workload declares existing on the cluster (its ExistingLocalQueue annotation). */
const declaredQueues = (m: Loose) => (stringMap(mapping(m.metadata).annotations)[EXTERNAL_LOCAL_QUEUE_ANNOTATION] ?? '').split(',').map((n) => n.trim());

/** The workloads of a namespace whose queue name is `name` and that no LocalQueue of the tree serves, in order of their ids. */
function namingQueue(graph: ObjectGraph, ns: string | undefined, name: string): GraphObject[] {
  const all = graph.once(`queue-not-found:naming`, () => {
    const by = new Map<string, GraphObject[]>();
    for (const kind of queueNotFound.appliesTo.filter((k) => k !== 'LocalQueue'))
      for (const x of graph.ofKind(kind)) {
        const q = graph.localQueueOf(x.manifest);
        if (!q.name || q.queue || declaredQueues(x.manifest).includes(q.name)) continue;
        const k = `${graph.namespaceOf(x.manifest) ?? ''}\0${q.name}`;
        by.set(k, [...(by.get(k) ?? []), x]);
      }
    return firstById(graph, by);
  });
  return all.get(`${ns ?? ''}\0${name}`) ?? [];
}

/**
 * A Kueue object in a version only releases before 0.15 serve (Cohort or Topology v1alpha1), which the judged release
 * does not: evidence that the cluster's Kueue may be one that still reads the annotation.
 */
function olderKueueEvidence(graph: ObjectGraph, kueue: KueueChoice): string | undefined {
  for (const o of graph.objects) {
    const { group, version } = groupVersionOf(o.manifest.apiVersion);
    const kind = text(o.manifest.kind) ?? '';
    if (group !== KUEUE_GROUP || (kueue.apis.kinds?.[kind] ?? kueue.apis.served).includes(version)) continue;
    const readers = KUEUE_RELEASES.map((r) => kueueRelease(r)!).filter((r) => r.readsQueueAnnotation && (r.kinds[kind] ?? r.served).includes(version));
    if (readers.length)
      return `${kind} '${text(mapping(o.manifest.metadata).name)}' is ${text(o.manifest.apiVersion)}, which only Kueue ${readers.map((r) => r.release).join(', ')} serve, and those read the annotation`;
  }
  return undefined;
}

/**
 * A queue name written only in the annotation, which the judged Kueue (0.15 on) no longer reads: the workload is not
 * queued under it. An error on the judged release — stated, told by the tree, or a lower
 * bound from the tree (v1beta2 objects) and every newer (the annotation is gone for good, kubernetes-sigs/kueue#7271) —
 * and a warning where the release is only assumed (an error cannot rest on it) or an older Kueue remains plausible: the platform itself is only assumed, or an object of the tree
 * is in a version only Kueue 0.14 or before serves. A kind the platform's admission checks, in a Kueue-managed Namespace, is queue-label-missing's
 * (the check denies it).
 */
function unreadAnnotation(graph: ObjectGraph, m: Loose, name: string, ctx: CheckContext): Problem[] {
  const { platform, kueue } = ctx;
  if (queueLabelAdmission(platform, m.apiVersion, m.kind) && kueueManaged(graph, graph.namespaceOf(m))) return [];
  const assumed = kueue.source === 'default' || kueue.lowerBound === true;
  // the platform's Kueue release is judged as it is assumed: only a tree that shows an older Kueue, or a platform
  // itself unstated, leaves a reader of the annotation plausible
  // an error cannot rest on a release nothing named: on upstream KServe's default release (any Kueue may run there; no
  // setting, nothing in the tree) a warning; an OpenShift AI release the user or the tree names brings its Kueue
  const older = ctx.platformAssumed
    ? 'the platform itself is only assumed (no --platform)'
    : kueue.source === 'default' && platform === 'kserve'
      ? 'nothing names the release the cluster runs, and Kueue up to 0.14 reads it'
      : assumed
        ? olderKueueEvidence(graph, kueue)
        : undefined;
  const message =
    `the queue name '${name}' is only in the annotation ${QUEUE_LABEL}, which ${kueueName(kueue)} no longer reads (Kueue 0.15 dropped it for the label): ` +
    `the workload is not queued under '${name}' (Kueue treats it as naming no queue); move it to metadata.labels (${QUEUE_LABEL}: ${name})`;
  if (older) return [{ severity: 'warning', message: `${message}. ${kueueAssumption(kueue)}; an older Kueue that reads it is possible: ${older}` }];
  return [{ severity: 'error', message: assumed ? `${message}. ${kueueAssumption(kueue)}; no newer Kueue reads it either` : message }];
}

/**
 * A queue name written only in the annotation, which the judged Kueue still reads as a fallback (0.14 and before):
 * the workload is queued today, but Kueue 0.15 no longer reads it (kubernetes-sigs/kueue#7271), so an upgrade leaves
 * it unqueued. An info on a release the tree or a setting tells; a warning where the release is only assumed.
 */
function readAnnotation(name: string, ctx: CheckContext): Problem[] {
  const { kueue } = ctx;
  const message =
    `the queue name '${name}' is only in the deprecated annotation ${QUEUE_LABEL}, which ${kueueName(kueue)} still reads when the label is absent, ` +
    `but Kueue 0.15 and later read only the label (the workload is then not queued): move it to metadata.labels (${QUEUE_LABEL}: ${name})`;
  return kueue.source === 'default' ? [{ severity: 'warning', message: `${message}. ${kueueAssumption(kueue)}` }] : [{ severity: 'info', message }];
}

/**
 * A missing queue on a kind whose Kueue integration is off (integrationOff): Kueue ignores the label, so the workload
 * is not held back, it runs at once outside any queue. A warning saying so in place of the finding, never "never
 * admitted"; where only the release's shipped configuration leaves the integration off, the cluster's may enable it.
 */
function ignoredLabel(ctx: CheckContext, o: GraphObject, name: string, problems: Problem[]): Problem[] {
  const off = problems.length ? integrationOff(ctx.graph, o.manifest, ctx.kueue) : undefined;
  if (!off) return problems;
  const kind = String(o.manifest.kind);
  const unless = off.certain ? '' : `; if the cluster's Kueue configuration enables it, Kueue never admits the ${kind} ("LocalQueue ${name} doesn't exist")`;
  return [
    {
      severity: 'warning',
      message:
        `label ${QUEUE_LABEL} '${name}' names no LocalQueue of the tree in ${namespaceLabel(ctx.graph.namespaceOf(o.manifest))}, and has no effect: Kueue manages a ${kind} only under its '${off.integration}' integration, ` +
        `which ${off.by} does not enable, so the ${kind} runs at once, outside any queue${unless}: drop the label, or enable the integration and name a LocalQueue that exists`,
    },
  ];
}

export const queueNotFound: Rule = {
  id: 'queue-not-found',
  title: 'a kueue.x-k8s.io/queue-name label names a LocalQueue that the tree does not define (pods stay pending), or a LocalQueue names a missing ClusterQueue',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...QUEUED_JOB_KINDS, 'LocalQueue'],
  premise:
    `the tree defines LocalQueues in the namespace, or one of that name only in other namespaces (a workload without a namespace whose queue the tree defines only in one namespace, and that no Argo CD destination namespace or script -n places, is a warning naming that namespace: applied without -n it lands in the context's namespace; else only a warning: OpenShift AI creates default; on OpenShift AI, 'default' in a Kueue-managed Namespace of the tree, in a namespace the tree neither declares nor gives a LocalQueue, or for a workload whose namespace the tree does not give, always exists) or ClusterQueues (OpenShift AI 3.x's operator creates ClusterQueue default, 2.x's only from opendatahub-operator 2.32: a warning there, as where OpenShift AI is only assumed: no --platform and no mark of OpenShift AI in the tree, an OpenShift mark alone (a Route, oc in a script) leaving the standalone Red Hat build of Kueue, which creates none; a LocalQueue whose file's comment says its ClusterQueue is provided outside the tree, by an operator or a platform team, is a warning too, since Kueue keeps the LocalQueue inactive until the ClusterQueue exists); a workload annotated ${EXTERNAL_LOCAL_QUEUE_ANNOTATION} with the queue's name (an ExistingLocalQueue) declares it existing on the cluster; a queue name only in the deprecated annotation ${QUEUE_LABEL} is the workload's queue where Kueue reads it (0.14 and before: OpenShift AI 2.x, 3.0, 3.3; said as an info that Kueue 0.15 no longer reads it, a warning where the release is only assumed) and no queue on Kueue 0.15+ (OpenShift AI 3.4, kserve): an error on the judged release (stated, or told by the tree: a Subscription, Kueue's controller, a chart, a script's or README's install of a release such as \`kubectl apply -f …/kueue/releases/download/$VERSION/manifests.yaml\` with VERSION set; a lower bound from v1beta2 objects and every newer), a warning where the release is only assumed (upstream KServe's default: nothing names it) or an older Kueue remains plausible (no --platform, or a Kueue object in a version only Kueue 0.14 or before serves); a kind whose Kueue integration is off (no framework of integrations.frameworks manages it in any Kueue Configuration the tree gives: ConfigMap data controller_manager_config.yaml, a script's \`kubectl create configmap … --from-literal=controller_manager_config.yaml=…\`, the chart value managerConfig.controllerManagerConfigYaml; a Configuration naming no frameworks gets batch/job alone; where the tree gives none, Kueue up to 0.15 ships pod, deployment, statefulset and leaderworkerset off) has the label ignored: a warning that it has no effect; a queue name holding template syntax ('\${TEAM}-queue') in an object unrendered-placeholder reports for template syntax is not looked up: only rendering names the queue, and that finding says the cause` +
    REPOSITORY_PREMISE,
  example: '`kueue.x-k8s.io/queue-name: default` where the namespace has only LocalQueue `{name: gpu, namespace: ai}`',
  fix: 'name a LocalQueue of the namespace; point a LocalQueue at a ClusterQueue that exists',
  source:
    'Kueue: "LocalQueue <name> doesn\'t exist"; LocalQueue.spec.clusterQueue is immutable; apis/config/v1beta1 and v1beta2 defaults.go (frameworks default to batch/job), config/components/manager/controller_manager_config.yaml (pod-based integrations off up to 0.15, on from 0.16: #8096); pkg/controller/jobframework QueueNameForObject (label, else the deprecated annotation, up to 0.14; label only from 0.15, #7271); opendatahub-operator kueue_controller_actions.go manageDefaultKueueResourcesAction (ClusterQueue default)',
  check(o, ctx) {
    const { graph, kueue } = ctx;
    if (o.manifest.kind === 'LocalQueue')
      return missingClusterQueue(ctx, o).map((p) =>
        unlessRepositoryMakes(ctx.graph, p, 'ClusterQueue', text(mapping(o.manifest.spec).clusterQueue) ?? '', undefined),
      );
    const { name, queue, from, unread } = graph.localQueueOf(o.manifest);
    if (unread !== undefined) return unreadAnnotation(graph, o.manifest, unread, ctx);
    if (!name) return [];
    if (queue) return [...(from === 'annotation' ? readAnnotation(name, ctx) : []), ...namespacelessElsewhere(graph, o, name)];
    // the app declares the LocalQueue as one the cluster has already (ExistingLocalQueue), as it declares external Secrets
    if (declaredQueues(o.manifest).includes(name)) return [];
    // a queue name holding template syntax in an object left unrendered is unrendered-placeholder's
    if (holdsTemplate(name) && reportsTemplateSyntax(o.manifest)) return [];
    // Kueue up to 0.14 reads the deprecated annotation when the label is absent: the name there is the workload's queue
    const key = from === 'annotation' ? `deprecated annotation ${QUEUE_LABEL} (read by ${kueueName(kueue)})` : `label ${QUEUE_LABEL}`;
    const problems = ignoredLabel(
      ctx,
      o,
      name,
      missingLocalQueue(ctx, o, name, key).map((p) => unlessRepositoryMakes(ctx.graph, p, 'LocalQueue', name, ctx.graph.namespaceOf(o.manifest))),
    );
    // whether the annotation names the queue at all depends on the Kueue release: on an assumed one, a warning
    if (from !== 'annotation' || kueue.source !== 'default') return problems;
    return problems.map((p) => ({ severity: 'warning' as const, message: `${p.message}. ${kueueAssumption(kueue)}` }));
  },
};
