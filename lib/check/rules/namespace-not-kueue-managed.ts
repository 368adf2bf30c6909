import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { kueueAssumption, kueueName } from '../kueue-version';
import { KUEUE_GROUP, KUEUE_MANAGED_LABELS, QUEUE_LABEL } from '../../k8s/keys';
import { installsRedHatKueue, isKueueInstance, isKueueOperatorSubscription } from '../kueue-operator-install';
import { repositoryObjectsOf } from '../found-elsewhere';
import { apiGroupOf } from '../../k8s/api-version';

/** Whether the tree's Namespace of that name is labelled Kueue-managed. */
export function kueueManaged(graph: ObjectGraph, ns: string | undefined): boolean {
  const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
  const labels = stringMap(mapping(namespace?.manifest.metadata).labels);
  return KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true');
}

/**
 * Where the Namespace that labels `ns` Kueue-managed is: the tree's own (an empty string), else a manifest of the same
 * repository outside the checked folder (`manifests/base/namespace.yaml (line 1)`), which its scripts or README apply;
 * undefined when neither labels it.
 */
export function kueueManagedWhere(graph: ObjectGraph, ns: string | undefined): string | undefined {
  if (ns === undefined) return undefined;
  if (graph.find('Namespace', ns)) return kueueManaged(graph, ns) ? '' : undefined;
  const labelled = (m: Loose) => KUEUE_MANAGED_LABELS.some((l) => stringMap(mapping(m.metadata).labels)[l] === 'true');
  const made = repositoryObjectsOf(graph).find((r) => r.kind === 'Namespace' && r.name === ns && labelled(r.manifest));
  return made ? `${made.file} (line ${made.line})` : undefined;
}

/** The workloads of the tree in the namespace that carry a queue label: Kueue admits them only where it manages the namespace. */
export function queuedWorkloads(graph: ObjectGraph, ns: string | undefined): GraphObject[] {
  return WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k)).filter(
    (w) => graph.namespaceOf(w.manifest) === ns && stringMap(mapping(w.manifest.metadata).labels)[QUEUE_LABEL],
  );
}

/**
 * Namespaces upstream Kueue's default managedJobsNamespaceSelector leaves out (kubernetes-sigs/kueue
 * apis/config/v1beta1 defaults.go SetDefaults_Configuration: kubernetes.io/metadata.name NotIn kube-system and Kueue's
 * own namespace, kueue-system unless installed elsewhere). Upstream Kueue needs
 * no namespace label: a workload with a queue label is managed in any other namespace, whatever
 * manageJobsWithoutQueueName says; the selector drops the Pod-based integrations (and, with the
 * ManagedJobsNamespaceSelectorAlwaysRespected gate, every one) only in the namespaces it does not match.
 */
const UPSTREAM_UNMANAGED = ['kube-system', 'kueue-system'];

/** Whether a manifest of the repository outside the checked folder installs the Red Hat build of Kueue (its Subscription or Kueue custom resource). */
function repositoryInstallsRedHatKueue(graph: ObjectGraph): boolean {
  return repositoryObjectsOf(graph).some((r) => isKueueOperatorSubscription(r.manifest) || isKueueInstance(r.manifest));
}

/**
 * A Namespace with LocalQueues of the tree but no queue-labelled workload in it, where the tree or its repository
 * installs the Red Hat build of Kueue: the queues are set up for Jobs submitted later, which that Kueue's webhooks skip
 * here (a warning: the Jobs are not in the tree, and may be submitted elsewhere).
 */
function idleLocalQueues(graph: ObjectGraph, name: string): Problem[] {
  const queues = graph
    .ofKind('LocalQueue')
    .filter((q) => apiGroupOf(text(q.manifest.apiVersion) ?? '') === KUEUE_GROUP && graph.namespaceOf(q.manifest) === name)
    .map((q) => `'${text(mapping(q.manifest.metadata).name)}'`);
  if (!queues.length) return [];
  const where = installsRedHatKueue(graph) ? 'this tree' : repositoryInstallsRedHatKueue(graph) ? 'this repository' : undefined;
  if (!where) return [];
  return [
    {
      message:
        `LocalQueue ${queues.join(', ')} is here but the Namespace lacks the label kueue.openshift.io/managed: "true": ${where} installs the Red Hat build of Kueue, ` +
        `whose managedJobsNamespaceSelector and webhooks take only namespaces with that label, so Jobs sent to the queue here are not suspended and run at once, outside its quota; add the label`,
    },
  ];
}

/**
 * The first Kueue release whose job reconciler skips every workload of a namespace managedJobsNamespaceSelector does
 * not match, a queue-labelled one too: the ManagedJobsNamespaceSelectorAlwaysRespected gate, beta and on by default
 * from Kueue 0.15 (kubernetes-sigs/kueue CHANGELOG-0.15 #7493; pkg/features/kube_features.go; pkg/controller/jobframework
 * reconciler.go ReconcileGenericJob returns before creating a Workload); the Red Hat build of Kueue leaves the gate at
 * its default (openshift/kueue-operator pkg/configmap/configmap.go buildFeatureGates sets other gates only).
 */
const ALWAYS_RESPECTED_SINCE = 15;

/** Whether a workload is written suspended: spec.suspend (Job, JobSet, RayJob, TrainJob) or spec.runPolicy.suspend (Kubeflow training jobs, MPIJob). */
function writtenSuspended(m: Loose): boolean {
  const spec = mapping(m.spec);
  return spec.suspend === true || mapping(spec.runPolicy).suspend === true;
}

/**
 * The queue-labelled workloads of an unlabelled namespace that the tree writes suspended, on the Red Hat build of
 * Kueue of 0.15 or later: its webhooks skip the namespace and its reconciler leaves the workload alone, so no Workload
 * is made and nothing ever unsuspends it. An error where the release is told; a warning naming the assumption where
 * it is only the platform's default (Red Hat build of Kueue 1.2, Kueue 0.14, still admits and unsuspends them).
 */
function neverUnsuspended(queued: readonly GraphObject[], ctx: CheckContext): Problem[] {
  const { kueue, graph } = ctx;
  const suspended = queued.filter((w) => writtenSuspended(w.manifest));
  const minor = Number(/^0\.(\d+)$/.exec(kueue.release)?.[1] ?? NaN);
  if (!suspended.length || !kueue.redHat || !(minor >= ALWAYS_RESPECTED_SINCE)) return [];
  const named = suspended.slice(0, 3).map((w) => graph.id(w));
  const more = suspended.length > 3 ? ` and ${suspended.length - 3} more` : '';
  const message =
    `${named.join(', ')}${more} ${suspended.length > 1 ? 'carry' : 'carries'} ${QUEUE_LABEL} and ${suspended.length > 1 ? 'are' : 'is'} written with suspend: true, but the Namespace lacks the label kueue.openshift.io/managed: "true": ` +
    `${kueueName(kueue)} skips unmanaged namespaces (its webhooks and, from Kueue 0.15, its job reconciler: managedJobsNamespaceSelector always respected), ` +
    `so no Workload is made and nothing ever unsuspends ${suspended.length > 1 ? 'them: they never run' : 'it: it never runs'}; add the label`;
  if (kueue.source === 'default') return [{ severity: 'warning', message: `${message}. ${kueueAssumption(kueue)}` }];
  return [{ severity: 'error', message }];
}

export const namespaceNotKueueManaged: Rule = {
  id: 'namespace-not-kueue-managed',
  title: 'workloads carry a queue label in a Namespace of the tree that lacks kueue.openshift.io/managed=true (Kueue ignores them, quotas are not enforced)',
  severity: 'warning',
  appliesTo: ['Namespace'],
  premise:
    "the Namespace is in the tree, no script of the tree, nor a script, README, docs guide or CI workflow of the git repository above the checked folder, labels it so (`oc label namespace NAME kueue.openshift.io/managed=true`, the name a literal or a loop's word), and workloads of the tree in it carry a queue label (or, with none, LocalQueues of the tree are in it and the tree or a manifest of its git repository installs the Red Hat build of Kueue: a warning, the Jobs being sent later); an error where the tree itself installs the Red Hat build of Kueue (a kueue-operator Subscription or a Kueue custom resource: its managedJobsNamespaceSelector is then the fixed kueue.openshift.io/managed=true, and its webhooks, which suspend the Jobs, skip other namespaces, so they run at once without quota), else a warning (the cluster's Kueue is installed elsewhere and may be set up otherwise); where such a workload is written suspended (spec.suspend, or spec.runPolicy.suspend, true) and the cluster runs the Red Hat build of Kueue 1.3 or later (Kueue 0.15 or later, whose job reconciler skips unmanaged namespaces too), an error, since no Workload is made and nothing ever unsuspends it (a warning naming the assumption where that release is only the platform's default); on upstream KServe (upstream Kueue, which manages queue-labelled workloads in any namespace its default managedJobsNamespaceSelector matches) only kube-system and kueue-system, which that selector leaves out",
  example: "a Namespace with only `opendatahub.io/dashboard: 'true'` and an InferenceService with `kueue.x-k8s.io/queue-name: default`",
  fix: 'label the Namespace kueue.openshift.io/managed: "true" (on upstream Kueue: run the workloads in a namespace other than kube-system and kueue-system)',
  source:
    'Red Hat build of Kueue manages only labelled namespaces (OpenShift "AI workloads", Labeling namespaces; openshift/kueue-operator pkg/configmap/configmap.go ManagedJobsNamespaceSelector matchLabels kueue.openshift.io/managed=true, pkg/webhook/pod_webhook.go mergeNamespaceSelectors on every namespaced webhook; buildFeatureGates leaves ManagedJobsNamespaceSelectorAlwaysRespected at its default); kubernetes-sigs/kueue pkg/controller/jobframework reconciler.go ReconcileGenericJob (a job in a namespace the selector does not match is not reconciled under ManagedJobsNamespaceSelectorAlwaysRespected, beta and on by default from 0.15: CHANGELOG-0.15 #7493); upstream Kueue: kubernetes-sigs/kueue site docs tasks/manage/enforce_job_management (manageJobsWithoutQueueName, opt-in namespace management) and apis/config/v1beta1 defaults.go (managedJobsNamespaceSelector)',
  check(o, ctx) {
    const { graph, platform } = ctx;
    const labels = stringMap(mapping(o.manifest.metadata).labels);
    const name = mapping(o.manifest.metadata).name;
    const upstream = platform === 'kserve';
    if (upstream ? !UPSTREAM_UNMANAGED.includes(name) : KUEUE_MANAGED_LABELS.some((l) => labels[l] === 'true')) return [];
    // a script of the tree labels it after it is made (`oc label namespace "$NS" kueue.openshift.io/managed=true`)
    if (!upstream && graph.scriptNamespaceLabels.some((l) => l.namespace === name && KUEUE_MANAGED_LABELS.includes(l.key) && l.value === 'true')) return [];
    const queued = queuedWorkloads(graph, name);
    if (!queued.length) return upstream ? [] : idleLocalQueues(graph, name);
    if (upstream) {
      return [
        {
          message: `${queued.length} workload(s) here carry ${QUEUE_LABEL} but upstream Kueue's default managedJobsNamespaceSelector leaves ${name} out, so Kueue does not admit them and GPU quota is not enforced: run them in another namespace (the OpenShift label kueue.openshift.io/managed means nothing here)`,
        },
      ];
    }
    const never = neverUnsuspended(queued, ctx);
    if (never.length && never[0].severity === 'error') return never;
    const message = `${queued.length} workload(s) here carry ${QUEUE_LABEL} but the Namespace lacks the label kueue.openshift.io/managed: "true"; Red Hat build of Kueue ignores them, so GPU quota is not enforced: add the label`;
    // the tree installs the operator: its namespace selector is the fixed label, and its webhooks do not suspend the Jobs here
    if (installsRedHatKueue(graph)) {
      return [
        {
          severity: 'error',
          message: `${message} (this tree installs the Red Hat build of Kueue, whose webhooks skip unlabelled namespaces: the Jobs are not suspended and run at once, outside the queues)`,
        },
      ];
    }
    return never.length ? never : [{ message }];
  },
};
