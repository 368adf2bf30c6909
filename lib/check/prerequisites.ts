import { mapping, mappings, stringMap, text, Loose } from '../manifests/access';
import { modelSpecOf } from './serving-model';
import { ObjectGraph } from './graph';
import { WORKLOAD_KINDS } from './pods';
import { podReferences } from './pod-references';
import { AUTOSCALER_CLASS_ANNOTATION, DEPLOYMENT_MODE_ANNOTATION, ENABLE_AUTH_ANNOTATION, GPU_RESOURCE, HF_TOKEN_KEY, QUEUE_LABEL } from '../k8s/keys';
import { compareText } from '../private/collate';

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
    needed: (os) => (os.some((o) => ['Application', 'AppProject', 'ApplicationSet'].includes(o.kind)) ? 'Argo CD Applications and AppProjects' : undefined),
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
  return { features, secrets: missing };
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

/** PREREQUISITES.md: what the cluster must have before the tree syncs. */
export function prerequisitesReport(objects: readonly Loose[]): string {
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
