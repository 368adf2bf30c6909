import { mapping, mappings, stringMap, strings, text, Loose } from '../manifests/access';
import { isClusterScoped } from '../manifests/scope';
import { modelSpecOf } from './serving-model';
import { destinationNamespace } from './argocd/destination-namespace';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { WORKLOAD_KINDS } from './pods';
import { podReferences } from './pod-references';
import { namespaceCreator } from './tree-namespaces';
import { inferPlatform } from './platform';
import { queuedWorkloads } from './rules/namespace-not-kueue-managed';
import { KUEUE_MANAGED_LABELS, NAMESPACE_NAME_LABEL } from '../k8s/keys';
import {
  AUTOSCALER_CLASS_ANNOTATION,
  DASHBOARD_LABEL,
  DEPLOYMENT_MODE_ANNOTATION,
  ENABLE_AUTH_ANNOTATION,
  GPU_RESOURCE,
  HF_TOKEN_KEY,
  QUEUE_LABEL,
} from '../k8s/keys';
import { compareText } from '../private/collate';
import { isDnsLabel } from '../private/names';

/** What a tree needs on the cluster before it syncs: operators and features, and Secrets it names but does not hold. */
export interface Prerequisites {
  /** Operators and platform features, each with why the tree needs it. */
  readonly features: readonly { readonly name: string; readonly why: string; readonly check: string }[];
  /** Secrets referenced and not in the tree, with the keys read from them. */
  readonly secrets: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly keys: readonly string[];
    readonly usedBy: readonly string[];
    readonly kind: SecretKind;
  }[];
  /** Namespaces the tree deploys into that nothing creates, with the labels its objects need on them. */
  readonly namespaces: readonly MissingNamespace[];
}

/** A namespace the tree deploys into that nothing creates (no Namespace or Project object, no CreateNamespace=true, not the platform's). */
export interface MissingNamespace {
  readonly name: string;
  /** The Applications whose destination it is (`Application/<name> (its destination)`), then the objects in it, by kind and name. */
  readonly usedBy: readonly string[];
  /** The labels the objects there rely on the namespace having. */
  readonly labels: readonly NamespaceLabel[];
}

/** A label a namespace needs, with why: what relies on it, naming the objects. */
export interface NamespaceLabel {
  readonly key: string;
  readonly value: string;
  readonly why: string;
}

/** What a Secret is for, which decides the command that creates it. */
export type SecretKind = 's3-connection' | 'hf-token' | 'generic';

/** The keys of an OpenShift AI S3 connection (what odh-model-controller copies into KServe's storage-config). */
const S3_CONNECTION_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_S3_ENDPOINT', 'AWS_S3_BUCKET', 'AWS_DEFAULT_REGION'];

/** The deployment modes the InferenceServices name (RawDeployment up to OpenShift AI 3.3, Standard from 3.4), else RawDeployment. */
function deploymentModes(objects: readonly Loose[]): string {
  const modes = objects
    .filter((o) => o.kind === 'InferenceService')
    .map((o) => text(mapping(mapping(o.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION]))
    .filter((m): m is string => !!m);
  return [...new Set(modes)].sort().join(', ') || 'RawDeployment';
}

/** Argo CD's kinds: they live in Argo CD's own namespace, which its install (OpenShift GitOps) creates. */
const ARGO_CD_KINDS = ['Application', 'AppProject', 'ApplicationSet'];

const FEATURES: readonly { name: string | ((objects: readonly Loose[]) => string); check: string; needed(objects: readonly Loose[]): string | undefined }[] = [
  {
    name: (os) => `Red Hat OpenShift AI with KServe (single-model serving, ${deploymentModes(os)})`,
    check: 'oc get datasciencecluster -o jsonpath={.items[0].spec.components.kserve.managementState}   # Managed',
    needed: (os) => (os.some((o) => ['InferenceService', 'ServingRuntime'].includes(o.kind)) ? 'InferenceServices and ServingRuntimes' : undefined),
  },
  {
    name: 'OpenShift AI LLMInferenceService (llm-d) with Gateway API and the inference scheduler',
    check: 'oc get crd llminferenceservices.serving.kserve.io',
    needed: (os) => (os.some((o) => o.kind === 'LLMInferenceService') ? 'LLMInferenceServices' : undefined),
  },
  {
    name: 'LeaderWorkerSet operator',
    check: 'oc get crd leaderworkersets.leaderworkerset.x-k8s.io',
    needed: (os) =>
      os.some((o) => o.kind === 'LLMInferenceService' && mapping(o.spec).worker) || os.some((o) => o.kind === 'LeaderWorkerSet')
        ? 'multi-node workers'
        : undefined,
  },
  {
    // odh-v3.0 pkg/controller/llmisvc/router_discovery.go: "Either disable authentication with
    // security.opendatahub.io/enable-auth=false annotation or install Red Hat Connectivity Link"; auth is on unless the annotation says false
    name: 'Red Hat Connectivity Link (Kuadrant), which enforces token auth on LLMInferenceService routes',
    check: 'oc get crd authpolicies.kuadrant.io',
    needed: (os) =>
      os.some(
        (o) => o.kind === 'LLMInferenceService' && mapping(o.spec).router && stringMap(mapping(o.metadata).annotations)[ENABLE_AUTH_ANNOTATION] !== 'false',
      )
        ? 'LLMInferenceServices with token auth (the default)'
        : undefined,
  },
  {
    name: 'NVIDIA GPU Operator and Node Feature Discovery',
    check: "oc get nodes -o jsonpath='{.items[*].status.allocatable.nvidia\\.com/gpu}'",
    needed: (os) => (os.some((o) => JSON.stringify(o).includes(`"${GPU_RESOURCE}"`)) ? `pods requesting ${GPU_RESOURCE}` : undefined),
  },
  {
    name: 'Red Hat build of Kueue, with the serving namespaces managed (label kueue.openshift.io/managed=true)',
    check: 'oc get clusterqueues,localqueues -A',
    needed: (os) =>
      os.some((o) => String(o.apiVersion ?? '').startsWith('kueue.x-k8s.io/')) || os.some((o) => text(mapping(mapping(o.metadata).labels)[QUEUE_LABEL]))
        ? 'Kueue queues and workloads labelled with a queue'
        : undefined,
  },
  {
    name: 'OpenShift Machine API (an installer-provisioned cluster) on the cloud the MachineSets name',
    check: 'oc get machinesets -n openshift-machine-api',
    needed: (os) => (os.some((o) => o.kind === 'MachineSet') ? 'GPU MachineSets' : undefined),
  },
  {
    name: 'Red Hat OpenShift GitOps (Argo CD)',
    check: 'oc get argocd -A',
    needed: (os) => (os.some((o) => ARGO_CD_KINDS.includes(o.kind)) ? 'Argo CD Applications and AppProjects' : undefined),
  },
  {
    name: 'Custom Metrics Autoscaler operator (KEDA)',
    check: 'oc get crd scaledobjects.keda.sh triggerauthentications.keda.sh',
    needed: (os) =>
      os.some((o) => String(o.apiVersion ?? '').startsWith('keda.sh/')) ||
      os.some((o) => text(mapping(mapping(o.metadata).annotations)[AUTOSCALER_CLASS_ANNOTATION]) === 'keda')
        ? 'autoscaling on vLLM metrics (KServe creates KEDA ScaledObjects)'
        : undefined,
  },
  {
    name: 'OpenShift user-workload monitoring (cluster-monitoring-config: enableUserWorkload: true)',
    check: 'oc get pods -n openshift-user-workload-monitoring',
    needed: (os) =>
      os.some((o) => String(o.apiVersion ?? '').startsWith('monitoring.coreos.com/')) || os.some((o) => String(o.apiVersion ?? '').startsWith('keda.sh/'))
        ? 'PodMonitors, PrometheusRules, and KEDA queries of the cluster Prometheus'
        : undefined,
  },
  {
    name: 'OpenShift AI Model Registry',
    check: 'oc get modelregistries -A',
    needed: (os) => (os.some((o) => o.kind === 'Job' && JSON.stringify(o).includes('"REGISTRY_URL"')) ? 'the model registration Job' : undefined),
  },
];

/** Finds what the objects need on the cluster. */
export function prerequisitesOf(objects: readonly Loose[]): Prerequisites {
  const graph = new ObjectGraph(objects.map((manifest) => ({ manifest })));
  const features = FEATURES.flatMap((f) => {
    const why = f.needed(objects);
    return why ? [{ name: typeof f.name === 'string' ? f.name : f.name(objects), why, check: f.check }] : [];
  });
  const secrets = new Map<string, { namespace: string; name: string; keys: Set<string>; usedBy: Set<string>; kind: SecretKind }>();
  const add = (ns: string, name: string, user: string, kind: SecretKind, keys: readonly string[]) => {
    const id = `${ns}/${name}`;
    const s = secrets.get(id) ?? { namespace: ns, name, keys: new Set<string>(), usedBy: new Set<string>(), kind };
    keys.forEach((k) => s.keys.add(k));
    s.usedBy.add(user);
    if (kind !== 'generic') s.kind = kind;
    secrets.set(id, s);
  };
  for (const o of graph.objects) {
    const m = o.manifest;
    const ns = graph.namespaceOf(m) ?? '<namespace>';
    const user = `${String(m.kind)}/${text(mapping(m.metadata).name) ?? '?'}`;
    if (WORKLOAD_KINDS.includes(String(m.kind)) || m.kind === 'ServingRuntime') {
      for (const r of podReferences(m)) {
        if (r.kind !== 'Secret') continue;
        const kind = r.via === 'env' && r.envName === 'HF_TOKEN' ? 'hf-token' : 'generic';
        add(
          ns,
          r.name,
          user,
          kind,
          r.keys.map((k) => k ?? ''),
        );
      }
    }
    if (m.kind === 'InferenceService') {
      const key = text(mapping(modelSpecOf(m).storage).key);
      if (key) add(ns, key, user, 's3-connection', S3_CONNECTION_KEYS);
    }
    // KServe's storage initializer reads a Hugging Face token from the Secrets the predictor's account lists (key HF_TOKEN)
    if (m.kind === 'ServiceAccount') for (const r of mappings(m.secrets)) if (text(r.name)) add(ns, r.name, user, 'hf-token', [HF_TOKEN_KEY]);
  }
  const missing = [...secrets.values()]
    .filter((s) => !graph.secretInTree(s.name, s.namespace))
    .map((s) => ({ namespace: s.namespace, name: s.name, keys: [...s.keys].filter(Boolean).sort(), usedBy: [...s.usedBy].sort(), kind: s.kind }))
    .sort((a, b) => compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  return { features, secrets: missing, namespaces: missingNamespaces(graph) };
}

/** How many objects a namespace's paragraph names before it counts the rest. */
const NAMED_USERS = 12;

/** Names listed, the first NAMED_USERS of them, then how many more. */
function listed(names: readonly string[]): string {
  const more = names.length - NAMED_USERS;
  return more > 0 ? `${names.slice(0, NAMED_USERS).join(', ')} and ${more} more` : names.join(', ');
}

/** An object as the report names it: kind and name. */
function kindAndName(o: GraphObject): string {
  return `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? '?'}`;
}

/**
 * The namespaces the tree deploys into (Applications' destinations, the namespaces of its namespaced objects) that
 * nothing creates: not the tree, its scripts, the platform or a component's install (namespaceCreator, the question
 * the namespace rules ask). Argo CD's own objects are left out: they live where Argo CD runs, which its install makes.
 */
function missingNamespaces(graph: ObjectGraph): MissingNamespace[] {
  // the namespaces OpenShift AI's operator makes count where the objects tell that platform, as check infers it
  const { platform, candidates, conflict } = inferPlatform(graph.objects);
  const judged = { platform, platformCandidates: candidates, platformConflict: conflict };
  const users = new Map<string, { apps: Set<string>; objects: GraphObject[] }>();
  const usersOf = (ns: string) => users.get(ns) ?? users.set(ns, { apps: new Set(), objects: [] }).get(ns)!;
  for (const o of graph.objects) {
    const kind = String(o.manifest.kind);
    const destination = kind === 'Application' ? destinationNamespace(o.manifest) : undefined;
    if (destination) usersOf(destination).apps.add(`${kindAndName(o)} (its destination)`);
    const ns = ARGO_CD_KINDS.includes(kind) || isClusterScoped(kind) ? undefined : graph.namespaceOf(o.manifest);
    if (ns) usersOf(ns).objects.push(o);
  }
  return [...users]
    .filter(([ns]) => isDnsLabel(ns) && !namespaceCreator(graph, ns, judged))
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, { apps, objects }]) => ({
      name,
      usedBy: [...[...apps].sort(compareText), ...[...new Set(objects.map(kindAndName))].sort(compareText)],
      labels: namespaceLabels(graph, name, objects),
    }));
}

/**
 * The labels the objects in a namespace rely on it having: the dashboard's, where objects are labelled to be shown in
 * the OpenShift AI dashboard; Red Hat build of Kueue's, where workloads carry a queue label; and what the
 * namespaceSelector of the ClusterQueues behind their LocalQueues asks for.
 */
function namespaceLabels(graph: ObjectGraph, ns: string, objects: readonly GraphObject[]): NamespaceLabel[] {
  const labels = new Map<string, NamespaceLabel>();
  const add = (key: string, value: string, why: string) => {
    const had = labels.get(`${key}=${value}`);
    labels.set(`${key}=${value}`, { key, value, why: had ? `${had.why}; ${why}` : why });
  };
  const named = (os: readonly GraphObject[]) => listed([...new Set(os.map(kindAndName))].sort(compareText));
  // a Data Science Project is a namespace so labelled: the dashboard labels the projects it makes (odh-dashboard
  // backend/src/routes/api/namespaces/namespaceUtils.ts, DSG_CREATION) and lists only those (frontend/src/api/k8s/projects.ts getDSGProjects)
  const shown = objects.filter((o) => stringMap(mapping(o.manifest.metadata).labels)[DASHBOARD_LABEL] === 'true');
  if (shown.length) {
    add(
      DASHBOARD_LABEL,
      'true',
      `an OpenShift AI Data Science Project: the dashboard lists only namespaces so labelled, and ${named(shown)} carry ${DASHBOARD_LABEL}=true to be shown there`,
    );
  }
  // the label Red Hat build of Kueue selects managed namespaces by (namespace-not-kueue-managed names the sources)
  const queued = queuedWorkloads(graph, ns);
  if (queued.length) {
    add(
      KUEUE_MANAGED_LABELS[0],
      'true',
      `Red Hat build of Kueue manages workloads only in namespaces so labelled (elsewhere they run outside the queues, without quota), and ${named(queued)} carry ${QUEUE_LABEL}`,
    );
  }
  for (const [label, queues] of selectorLabels(graph, queued)) {
    const [key, value] = label.split('=');
    add(key, value, `the namespaceSelector of ClusterQueue ${[...queues].sort(compareText).join(', ')} admits workloads only from namespaces with it`);
  }
  return [...labels.values()];
}

/**
 * The labels (`key=value`) the namespaceSelector of each ClusterQueue behind the workloads' LocalQueues asks for, with
 * the ClusterQueues: its matchLabels and its `In` expressions of one value. Not kubernetes.io/metadata.name, which the
 * API server sets on every namespace. Kueue admits a workload only from a namespace its ClusterQueue's selector
 * matches (kueue pkg/cache clusterqueue.go: metav1.LabelSelectorAsSelector(spec.namespaceSelector)).
 */
function selectorLabels(graph: ObjectGraph, workloads: readonly GraphObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const w of workloads) {
    const cq = graph.flavorsOf(graph.localQueueOf(w.manifest).queue).clusterQueue;
    if (!cq) continue;
    const selector = mapping(mapping(cq.manifest.spec).namespaceSelector);
    const wanted = Object.entries(stringMap(selector.matchLabels)).map(([k, v]) => `${k}=${v}`);
    for (const e of mappings(selector.matchExpressions)) {
      const values = strings(e.values);
      if (e.operator === 'In' && values.length === 1 && text(e.key) && e.key !== NAMESPACE_NAME_LABEL) wanted.push(`${String(e.key)}=${values[0]}`);
    }
    const name = text(mapping(cq.manifest.metadata).name) ?? '?';
    for (const label of wanted) out.set(label, (out.get(label) ?? new Set()).add(name));
  }
  return out;
}

/** The `oc` commands that create a Secret of the tree's, with placeholders for the values. */
export function createSecretCommand(s: Prerequisites['secrets'][number]): string {
  const keys = s.keys.length ? s.keys : ['<key>'];
  const lines = [
    `oc create secret generic ${s.name} -n ${s.namespace} \\`,
    ...keys.map((k, i) => `  --from-literal=${k}=<${k.toLowerCase().replace(/_/g, '-')}>${i < keys.length - 1 ? ' \\' : ''}`),
  ];
  if (s.kind === 's3-connection') {
    // OpenShift AI's dashboard shows it as a connection, and odh-model-controller builds KServe's storage-config from it
    lines.push(`oc label secret ${s.name} -n ${s.namespace} opendatahub.io/dashboard=true`);
    // OpenShift AI 3.0–3.3 read connection-type-ref, 3.4+ connection-type-protocol (the former deprecated): both are harmless
    lines.push(`oc annotate secret ${s.name} -n ${s.namespace} opendatahub.io/connection-type-ref=s3 opendatahub.io/connection-type-protocol=s3`);
  }
  return lines.join('\n');
}

/** The `oc` commands that create a namespace of the tree's and give it the labels its objects need. */
function createNamespaceCommand(n: MissingNamespace): string {
  const lines = [`oc new-project ${n.name}   # or, without the project template: oc create namespace ${n.name}`];
  if (n.labels.length) lines.push(`oc label namespace ${n.name} ${n.labels.map((l) => `${l.key}=${l.value}`).join(' ')}`);
  return lines.join('\n');
}

/** The report's section on namespaces the tree deploys into but does not create; none when there is none. */
function namespacesSection(namespaces: readonly MissingNamespace[]): string[] {
  if (!namespaces.length) return [];
  const lines = [
    '',
    '## Namespaces the tree deploys into but does not create',
    '',
    'Nothing of the tree creates these (no Namespace or Project object, no Argo CD Application with CreateNamespace=true) and the platform does not: each must exist, with its labels, before the first sync.',
    '',
  ];
  for (const n of namespaces) {
    lines.push(`### ${n.name}`, '', `Deployed into by ${listed(n.usedBy)}.`, '');
    if (n.labels.length) lines.push('Labels its objects need on it:', '', ...n.labels.map((l) => `- \`${l.key}=${l.value}\` — ${l.why}.`), '');
    const how = n.labels.length
      ? `Create it with its labels; where it exists already (a Data Science Project made in the dashboard), \`oc get namespace ${n.name} --show-labels\` shows which are missing:`
      : 'Create it:';
    lines.push(how, '', '```bash', createNamespaceCommand(n), '```', '');
  }
  return lines.slice(0, -1);
}

/** PREREQUISITES.md computed afresh (prerequisitesReport keeps it between runs). */
export function prerequisitesText(objects: readonly Loose[]): string {
  const p = prerequisitesOf(objects);
  const lines = [
    '# Prerequisites',
    '',
    'Generated by cdk8s-vllm from the objects of this tree: what the cluster must have before it syncs.',
    '',
    '## Operators and platform features',
    '',
  ];
  lines.push(...(p.features.length ? p.features.map((f) => `- **${f.name}** — for ${f.why}. Check: \`${f.check}\``) : ['- none detected']));
  lines.push(...namespacesSection(p.namespaces));
  lines.push('', '## Secrets the tree references but does not contain', '');
  if (!p.secrets.length) lines.push('None: every Secret the objects name is in the tree.');
  for (const s of p.secrets) {
    lines.push(
      `### ${s.namespace}/${s.name}`,
      '',
      `Used by ${s.usedBy.join(', ')}; keys: ${s.keys.length ? s.keys.map((k) => `\`${k}\``).join(', ') : 'all of its keys are read (envFrom)'}.` +
        (s.kind === 's3-connection' ? ' An OpenShift AI S3 connection.' : s.kind === 'hf-token' ? " KServe's storage initializer reads the key HF_TOKEN." : ''),
      '',
      'Create it outside Git (values are placeholders; or use the dashboard, External Secrets or Sealed Secrets):',
      '',
      '```bash',
      createSecretCommand(s),
      '```',
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
