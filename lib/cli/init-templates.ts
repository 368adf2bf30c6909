/**
 * The files `cdk8s-vllm init` writes: a cdk8s app that renders one model served by vLLM, its quota and its Argo CD
 * delivery, for one of two starting points. Each file is built here as text, so the package ships no template folder
 * to resolve at run time.
 */

/** The starting points of `cdk8s-vllm init`. */
export const TEMPLATES = {
  'aws-machinesets': 'GPU nodes added by a MachineSet this app renders (OpenShift on AWS)',
  'existing-nodes': 'GPU nodes that already exist (an admin MachineSet, Google Cloud, Azure, bare metal)',
} as const;

export type TemplateName = keyof typeof TEMPLATES;

/** What the files depend on. */
export interface TemplateInput {
  readonly template: TemplateName;
  /** The app's npm name. */
  readonly name: string;
  /** The dependency spec of cdk8s-vllm (a version range, a tarball path, a git URL). */
  readonly packageSpec: string;
  /** Version ranges of cdk8s, constructs and cdk8s-plus-33: the library's peer dependencies. */
  readonly peers: Readonly<Record<string, string>>;
  /** The bundled model profile copied into models/. */
  readonly model: string;
}

/** The folder the app writes its tree to: not cdk8s synth's output folder, which cdk8s synth empties first. */
export const TREE_DIR = 'rendered';

/** cdk8s synth's output folder in the generated cdk8s.yaml (the app writes nothing there). */
const CDK8S_OUTPUT = 'cdk8s.out';

/** Llama-3.1-8B-Instruct on Hugging Face, pinned to a commit (the revision of its repository's main branch). */
const HF_REPO = 'meta-llama/Llama-3.1-8B-Instruct';
const HF_REVISION = '0e9e39f249a16976918f6564b8830bc894c89659';

/** The files of the app, by path relative to its folder. */
export function templateFiles(input: TemplateInput): Map<string, string> {
  const files = new Map<string, string>();
  files.set('package.json', packageJson(input));
  files.set('tsconfig.json', TSCONFIG);
  files.set('cdk8s.yaml', CDK8S_YAML);
  files.set('.gitignore', 'node_modules/\nbuild/\ncdk8s.out/\n');
  files.set('settings.ts', input.template === 'aws-machinesets' ? AWS_SETTINGS : EXISTING_SETTINGS);
  files.set('main.ts', mainTs(input));
  files.set('README.md', readme(input));
  return files;
}

function packageJson(input: TemplateInput): string {
  const pkg = {
    name: input.name,
    version: '0.1.0',
    private: true,
    scripts: {
      build: 'tsc',
      synth: `tsc && node build/main.js`,
      validate: `cdk8s-vllm validate ${TREE_DIR}`,
      check: `cdk8s-vllm check ${TREE_DIR}`,
    },
    dependencies: {
      'cdk8s-vllm': input.packageSpec,
      ...input.peers,
    },
    devDependencies: {
      '@types/node': '^20.0.0',
      typescript: '^5.9.3 || ^7.0.0',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Strict settings that TypeScript 5.9 and 7 read alike (no options TypeScript 7 removed: node10 resolution, baseUrl, ES5). */
const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      lib: ['es2022'],
      types: ['node'],
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      outDir: 'build',
      rootDir: '.',
    },
    include: ['*.ts'],
  },
  null,
  2,
)}\n`;

const CDK8S_YAML = `language: typescript
app: npm run --silent synth
# cdk8s synth empties this folder before it runs the app; the app writes its tree to ${TREE_DIR}/, which it never touches
output: ${CDK8S_OUTPUT}
`;

const AWS_SETTINGS = `/**
 * What differs between clusters. The values are examples of the right form: replace each with your cluster's.
 */
export const settings = {
  /** Serving namespace (created by this app, managed by Kueue). */
  namespace: 'team-a',
  /** oc get infrastructure cluster -o jsonpath='{.status.infrastructureName}' */
  clusterId: 'mycluster-x7k2q',
  /** The AWS region and zone of an existing worker MachineSet. */
  region: 'us-east-2',
  availabilityZone: 'us-east-2b',
  /** The workers' RHCOS AMI: oc get machineset -n openshift-machine-api -o jsonpath='{.items[0].spec.template.spec.providerSpec.value.ami.id}' */
  amiId: 'ami-0123456789abcdef0',
  /** Secret with key HF_TOKEN in the serving namespace (see PREREQUISITES.md after synth). */
  huggingFaceTokenSecret: 'hf-token',
  /** Where this folder's rendered/ tree is committed, for the Argo CD Applications. */
  repoURL: 'https://github.com/example-org/llm-gitops.git',
  targetRevision: 'main',
  pathPrefix: '${TREE_DIR}',
} as const;
`;

const EXISTING_SETTINGS = `/**
 * What differs between clusters. The values are examples of the right form: replace each with your cluster's.
 */
export const settings = {
  /** Serving namespace (created by this app, managed by Kueue). */
  namespace: 'team-a',
  /** How many of the existing GPU nodes this team's quota holds. */
  nodeCount: 1,
  /** The admin's MachineSet that runs them, named in messages (omit on bare metal). */
  machineSet: 'admin-gpu-l4',
  /** Secret with key HF_TOKEN in the serving namespace (see PREREQUISITES.md after synth). */
  huggingFaceTokenSecret: 'hf-token',
  /** Where this folder's rendered/ tree is committed, for the Argo CD Applications. */
  repoURL: 'https://github.com/example-org/llm-gitops.git',
  targetRevision: 'main',
  pathPrefix: '${TREE_DIR}',
} as const;
`;

/** The placement part of main.ts, per starting point. */
const PLACEMENT: Record<TemplateName, { imports: string[]; code: string }> = {
  'aws-machinesets': {
    imports: ['GpuInstanceType', 'GpuMachineSetScale'],
    code: `// one g6.xlarge (1 × NVIDIA L4) per replica; the MachineSet's replicas follow the services placed on it
const nodes = new GpuMachineSetScale(cluster, 'L4', {
  clusterId: settings.clusterId,
  region: settings.region,
  availabilityZone: settings.availabilityZone,
  amiId: settings.amiId,
  instanceType: GpuInstanceType.G6_XLARGE,
});`,
  },
  'existing-nodes': {
    imports: ['GpuInstanceType', 'ExistingGpuNodes'],
    code: `// nodes that already exist. A catalog type of any cloud (GpuInstanceType.G6_XLARGE on AWS, AZURE_… on Azure), or on
// bare metal a shape: { gpu: GpuModel.L4, gpusPerNode: 1, vcpu: 16, memoryGiB: 64 } with its nodeSelector
const nodes = new ExistingGpuNodes(cluster, 'L4', {
  shape: GpuInstanceType.GCP_G2_STANDARD_8,
  nodeCount: settings.nodeCount,
  machineSet: settings.machineSet,
});`,
  },
};

function mainTs(input: TemplateInput): string {
  return [mainHeader(input), mainCluster(input), mainServing(input), mainDelivery()].join('\n');
}

/** main.ts: what the app does and how to run it, its imports, the app and its tree. */
function mainHeader(input: TemplateInput): string {
  const imports = [
    'ArgoCdDelivery',
    'KueueQuota',
    'KustomizeTree',
    'ModelProfile',
    'ModelSource',
    'ServingNamespace',
    'VllmInferenceService',
    'VllmRuntime',
    'planReportOf',
    'prerequisitesReport',
    'schemaVerifier',
    ...PLACEMENT[input.template].imports,
  ].sort((a, b) => a.localeCompare(b));
  return `/**
 * ${input.name}: one model served by vLLM on OpenShift AI (KServe), with its GPU nodes, a Kueue quota and Argo CD delivery.
 *
 *   npm run synth       renders ${TREE_DIR}/ (the kustomize tree, PLAN.md, PREREQUISITES.md); nothing is written when a check fails
 *   npm run validate    every object against its schema
 *   npm run check       the cross-object rules
 */
import { App, Chart } from 'cdk8s';
import {
${imports.map((i) => `  ${i},`).join('\n')}
} from 'cdk8s-vllm';
import { settings } from './settings';

const app = new App();
const tree = new KustomizeTree(app, { appName: 'main.ts' });
`;
}

/** main.ts: the cluster-admin chart (GPU nodes, the namespace, the quota). */
function mainCluster(input: TemplateInput): string {
  return `// cluster-admin objects: GPU nodes, the namespace, the quota (synced by a privileged Argo CD Application)
const cluster = new Chart(app, 'cluster');
${PLACEMENT[input.template].code}
new ServingNamespace(cluster, 'Namespace', { name: settings.namespace });
// not the LocalQueue 'default', which OpenShift AI creates in a Kueue-managed namespace
const quota = new KueueQuota(cluster, 'Quota', {
  placements: [nodes],
  namespace: settings.namespace,
  clusterQueueName: settings.namespace,
  localQueueName: 'gpus',
});
tree.place('cluster/cluster.yaml', cluster);
`;
}

/** main.ts: the team's chart (the vLLM runtime and the model). */
function mainServing(input: TemplateInput): string {
  return `// the team's objects: the vLLM runtime and the model (synced by a least-privilege Argo CD Application)
const serving = new Chart(app, 'serving', { namespace: settings.namespace });
new VllmInferenceService(serving, 'llama-8b', {
  runtime: new VllmRuntime(serving, 'Runtime'),
  source: ModelSource.huggingFace('${HF_REPO}', {
    revision: '${HF_REVISION}',
    tokenSecret: settings.huggingFaceTokenSecret,
  }),
  // the model's config.json: the GPU-fit check and PLAN.md plan with it
  model: ModelProfile.fromDirectory('models/${input.model}'),
  placement: nodes,
  queue: quota,
  maxModelLen: 8192,
});
tree.place('serving/serving.yaml', serving);
tree.kustomization('cluster').kustomization('serving');
`;
}

/** main.ts: the Argo CD delivery, the reports beside the tree, and the write that refuses a tree that fails a check. */
function mainDelivery(): string {
  return `// an Argo CD Application and AppProject per root: oc apply -k ${TREE_DIR}/argocd once
const delivery = new Chart(app, 'argocd');
new ArgoCdDelivery(delivery, 'Delivery', {
  tree,
  repoURL: settings.repoURL,
  targetRevision: settings.targetRevision,
  pathPrefix: settings.pathPrefix,
});
tree.place('argocd/applications.yaml', delivery).kustomization('argocd');

tree.addFile('PLAN.md', () => planReportOf(app));
tree.addFile('PREREQUISITES.md', (objects) => prerequisitesReport(objects.map((o) => o.manifest)));
tree.addVerifier(schemaVerifier());

try {
  tree.write('${TREE_DIR}');
  // cdk8s synth (cdk8s.yaml) expects the app to fill its own output folder: the plain per-chart YAML goes there
  if (process.env.CDK8S_OUTDIR) app.synth();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
`;
}

function readme(input: TemplateInput): string {
  return `# ${input.name}

A cdk8s app that serves Llama-3.1-8B-Instruct with vLLM on Red Hat OpenShift AI, made by \`cdk8s-vllm init --template
${input.template}\` (${TEMPLATES[input.template]}).

## Every day

\`\`\`bash
npm install
npm run synth       # writes ${TREE_DIR}/: the kustomize tree, PLAN.md (GPU fit and cost), PREREQUISITES.md
npm run validate    # every object against its schema (Kubernetes 1.33, OpenShift AI, Kueue, Argo CD)
npm run check       # the cross-object rules cdk8s-vllm knows
\`\`\`

Commit \`${TREE_DIR}/\` and review the YAML in the pull request that changes the code. Synth writes nothing when a
check fails: the message names the object, the field and the fix.

## Before the first sync

1. Replace the example values in \`settings.ts\` with your cluster's.
2. Read \`${TREE_DIR}/PREREQUISITES.md\`: the operators the tree needs, and each Secret it references but does not
   contain (the Hugging Face token, key \`HF_TOKEN\`), with the \`oc create secret\` command that creates it.
3. \`oc apply -k ${TREE_DIR}/argocd\` once; each Application then syncs its folder from Git.

## What is where

| file | what |
|---|---|
| \`main.ts\` | the app: GPU nodes, namespace, Kueue quota, runtime, the model, Argo CD delivery |
| \`settings.ts\` | what differs between clusters |
| \`models/${input.model}/config.json\` | the model's architecture, for the GPU-memory plan (any model: its config.json and model.safetensors.index.json) |
| \`cdk8s.yaml\` | \`cdk8s synth\` runs the same app; its output folder (${CDK8S_OUTPUT}/) is not the tree's |
| \`${TREE_DIR}/\` | the rendered tree (after synth) |
`;
}
