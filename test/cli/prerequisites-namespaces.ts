import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { acknowledgeFinding, ArgoCdDelivery, KustomizeTree, prerequisitesOf, prerequisitesReport } from '../../lib';
import { writeTree } from '../setup/kustomize-build';
import { CONFIG, ROOT } from '../setup/scratch';
import { cliInProcess, tempDir, testApp } from '../util';

/**
 * PREREQUISITES.md lists the namespaces a tree deploys into that nothing creates, with the labels its objects rely on
 * and the commands that make them; "nothing creates" is the namespace rules' own question (namespaceCreator).
 */

type Manifest = Record<string, unknown>;

const DASHBOARD = { 'opendatahub.io/dashboard': 'true' };
const QUEUED = { 'kueue.x-k8s.io/queue-name': 'team-queue' };

const isvc = (name: string, namespace: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, namespace, labels },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'pvc://models/llm' } } },
});
const runtime = (namespace: string): Manifest => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm', namespace, labels: DASHBOARD },
  spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.11.0' }] },
});
const localQueue = (namespace: string): Manifest => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'LocalQueue',
  metadata: { name: 'team-queue', namespace },
  spec: { clusterQueue: 'gpus' },
});
const clusterQueue = (namespaceSelector: unknown): Manifest => ({
  apiVersion: 'kueue.x-k8s.io/v1beta1',
  kind: 'ClusterQueue',
  metadata: { name: 'gpus' },
  spec: { namespaceSelector, resourceGroups: [] },
});
const configMap = (name: string, namespace: string): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} });
const namespaceObject = (name: string, kind = 'Namespace'): Manifest => ({
  apiVersion: kind === 'Namespace' ? 'v1' : 'project.openshift.io/v1',
  kind,
  metadata: { name },
});
const application = (name: string, destination: string, syncOptions: string[] = ['CreateNamespace=false'], namespace = 'openshift-gitops'): Manifest => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/example-org/llm-gitops.git', targetRevision: 'main', path: `gitops/${name}` },
    destination: { server: 'https://kubernetes.default.svc', namespace: destination },
    syncPolicy: { syncOptions },
  },
});

/** A team's serving tree in 'llm': two dashboard-labelled, queued services, their runtime and queue, and an Application into it. */
const servingTree = (): Manifest[] => [
  application('serving', 'llm'),
  isvc('granite', 'llm', { ...DASHBOARD, ...QUEUED }),
  isvc('mistral', 'llm', { ...DASHBOARD, ...QUEUED }),
  runtime('llm'),
  localQueue('llm'),
  clusterQueue({
    matchLabels: { team: 'ml' },
    matchExpressions: [
      // set by the API server on every namespace: nothing to add
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['llm'] },
      { key: 'tier', operator: 'In', values: ['gpu'] },
      // several values: the tree does not say which one the namespace carries
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
    ],
  }),
];

describe('PREREQUISITES.md: namespaces the tree deploys into but does not create', () => {
  test('a namespace nothing creates is listed with what deploys there, the labels its objects rely on, and the commands', () => {
    const p = prerequisitesOf([...servingTree(), configMap('settings', 'tools')]);
    expect(p.namespaces.map((n) => [n.name, n.usedBy])).toEqual([
      [
        'llm',
        ['Application/serving (its destination)', 'InferenceService/granite', 'InferenceService/mistral', 'LocalQueue/team-queue', 'ServingRuntime/vllm'],
      ],
      ['tools', ['ConfigMap/settings']],
    ]);
    const [llm, tools] = p.namespaces;
    expect(llm.labels.map((l) => `${l.key}=${l.value}`)).toEqual(['opendatahub.io/dashboard=true', 'kueue.openshift.io/managed=true', 'team=ml', 'tier=gpu']);
    expect(llm.labels[0].why).toMatch(
      /^an OpenShift AI Data Science Project: .*InferenceService\/granite, InferenceService\/mistral, ServingRuntime\/vllm carry opendatahub.io\/dashboard=true/,
    );
    // the runtime is no workload: only the queued services need Kueue to manage the namespace
    expect(llm.labels[1].why).toMatch(
      /^Red Hat build of Kueue manages workloads only in namespaces so labelled.*, and InferenceService\/granite, InferenceService\/mistral carry kueue.x-k8s.io\/queue-name$/,
    );
    expect(llm.labels[2].why).toMatch(/namespaceSelector of ClusterQueue gpus admits workloads only from namespaces with it/);
    expect(tools.labels).toEqual([]);

    const report = prerequisitesReport([...servingTree(), configMap('settings', 'tools')]);
    expect(report).toContain(
      '## Namespaces the tree deploys into but does not create\n\n' +
        'Nothing of the tree creates these (no Namespace or Project object, no Argo CD Application with CreateNamespace=true) and the platform does not',
    );
    expect(report).toContain(
      '```bash\noc new-project llm   # or, without the project template: oc create namespace llm\n' +
        'oc label namespace llm opendatahub.io/dashboard=true kueue.openshift.io/managed=true team=ml tier=gpu\n```',
    );
    // a namespace whose objects need no label gets the command that creates it, and no label command
    expect(report).toContain(
      '### tools\n\nDeployed into by ConfigMap/settings.\n\nCreate it:\n\n```bash\noc new-project tools   # or, without the project template: oc create namespace tools\n```',
    );
    // the section comes before the Secrets, which are created in these namespaces
    expect(report.indexOf('## Namespaces the tree')).toBeLessThan(report.indexOf('## Secrets the tree'));
  });

  test.each([
    ['a Namespace object', [namespaceObject('llm')]],
    ['an OpenShift Project object', [namespaceObject('llm', 'Project')]],
    ['an Application with CreateNamespace=true for it', [application('namespace-maker', 'llm', ['CreateNamespace=true'])]],
  ])('a namespace the tree creates with %s is not listed', (_, makers) => {
    expect(prerequisitesOf([...servingTree(), ...makers]).namespaces).toEqual([]);
    expect(prerequisitesReport([...servingTree(), ...makers])).not.toMatch(/Namespaces the tree deploys into|oc new-project/);
  });

  test("platform and component namespaces, Argo CD's own and templated destinations are not listed", () => {
    const machineSet = {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'gpu', namespace: 'openshift-machine-api' },
      spec: {},
    };
    const objects = [
      machineSet,
      configMap('dashboard-settings', 'redhat-ods-applications'),
      configMap('kueue-settings', 'kueue-system'),
      application('machines', 'openshift-machine-api'),
      // Argo CD in a namespace of its own: its Applications live where its install runs
      application('fleet', 'openshift-machine-api', ['CreateNamespace=false'], 'argocd'),
      application('templated', '{{.namespace}}'),
    ];
    expect(prerequisitesOf(objects).namespaces).toEqual([]);
    // near miss: the same Application into a namespace of the team's is listed
    expect(prerequisitesOf([...objects, application('team', 'team-a')]).namespaces).toEqual([
      { name: 'team-a', usedBy: ['Application/team (its destination)'], labels: [] },
    ]);
  });

  test('the many objects of one namespace are named up to twelve, then counted', () => {
    const many = Array.from({ length: 15 }, (_, i) => configMap(`c${String(i).padStart(2, '0')}`, 'bulk'));
    expect(prerequisitesReport(many)).toContain('Deployed into by ConfigMap/c00, ConfigMap/c01,');
    expect(prerequisitesReport(many)).toContain('ConfigMap/c11 and 3 more.');
  });
});

describe('argocd-namespace-not-created asks the same question: who creates the namespace', () => {
  const remote = (namespace: string) => ({
    'apps/rag.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: rag\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
      '  source:\n    repoURL: https://github.com/example-org/rag-app.git\n    targetRevision: main\n    path: deploy/rag\n' +
      `  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${namespace}\n`,
  });
  async function ruleFindings(files: Record<string, string>): Promise<{ severity: string; message: string }[]> {
    const r = await cliInProcess(['check', writeTree(files, 'prereq-ns-'), '--platform', 'rhoai-3.0', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[]).filter((f) => f.rule === 'argocd-namespace-not-created');
  }

  test('a remote source into a namespace a script of the tree makes, or a component install makes, is not warned about', async () => {
    expect(await ruleFindings({ ...remote('rag'), 'setup.sh': '#!/bin/sh\noc new-project rag\noc apply -f apps/\n' })).toEqual([]);
    expect(await ruleFindings(remote('keda'))).toEqual([]);
    // near miss: the same Application, nothing making its namespace
    expect(await ruleFindings({ ...remote('rag'), 'setup.sh': '#!/bin/sh\noc apply -f apps/\n' })).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^syncs a source the input does not show into destination namespace 'rag'/),
      }),
    ]);
  });
});

describe('acknowledging a finding on a construct of several objects', () => {
  /** A user's app: a ConfigMap in 'llm' delivered by an ArgoCdDelivery, no Namespace, warnings collected. */
  function deliveredApp() {
    const app = testApp();
    const warnings: string[] = [];
    const tree = new KustomizeTree(app, { report: (line) => warnings.push(line) });
    const serving = new Chart(app, 'serving', { namespace: 'llm' });
    new ApiObject(serving, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} });
    tree.place('team/serving/settings.yaml', serving).kustomization('team/serving');
    const argo = new Chart(app, 'argocd');
    const delivery = new ArgoCdDelivery(argo, 'Delivery', { tree, repoURL: 'https://github.com/example-org/llm-gitops.git', roots: ['team/serving'] });
    tree.place('team/argocd/applications.yaml', argo);
    return { tree, serving, delivery, warnings };
  }
  const REASON = "the namespace 'llm' is the team's Data Science Project, made before the tree";

  test('without an acknowledgement, a user app delivering into a namespace nothing creates gets the warning', () => {
    const { tree, warnings } = deliveredApp();
    tree.render();
    const found = warnings.filter((w) => w.startsWith('warning argocd-namespace-not-created '));
    expect(found).toEqual([expect.stringMatching(/^warning argocd-namespace-not-created Application\/openshift-gitops\/serving: .*namespace 'llm'/)]);
    expect(found[0]).not.toContain('[acknowledged');
  });

  test("acknowledged on the delivery, it lands on the delivery's Applications (not its AppProjects) and the warning carries the reason", () => {
    const { tree, delivery, warnings } = deliveredApp();
    acknowledgeFinding(delivery, 'argocd-namespace-not-created', REASON);
    const { objects } = tree.render();
    const annotation = (kind: string) =>
      objects
        .filter((o) => o.manifest.kind === kind)
        .map((o) => (o.manifest.metadata as { annotations?: Record<string, string> }).annotations?.['checks.cdk8s-vllm.io/argocd-namespace-not-created']);
    expect(annotation('Application')).toEqual([REASON]);
    expect(annotation('AppProject')).toEqual([undefined]);
    expect(warnings.filter((w) => w.startsWith('warning argocd-namespace-not-created '))).toEqual([
      expect.stringMatching(/\[acknowledged: the namespace 'llm' is the team's/),
    ]);
  });

  test('a construct holding no object the rule judges is refused, naming the kinds', () => {
    const { serving } = deliveredApp();
    expect(() => acknowledgeFinding(serving, 'argocd-namespace-not-created', REASON)).toThrow(
      /serving: holds no object 'argocd-namespace-not-created' judges \(Application\), so acknowledging it there silences nothing/,
    );
  });
});

describe('the step-05 app', () => {
  test('synth prints the namespace finding acknowledged, and its PREREQUISITES.md lists private-ai with its labels', () => {
    const out = tempDir('step05-ns-');
    const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: path.join(out, 'dist'), CDK8S_VLLM_CONFIG: CONFIG };
    delete env.CDK8S_VLLM_STRICT;
    const run = spawnSync('node', [path.join(ROOT, 'build', 'main.js')], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.includes(' argocd-namespace-not-created '));
    expect(lines).toEqual([
      expect.stringMatching(
        /^warning argocd-namespace-not-created Application\/openshift-gitops\/step-05-base: .*'private-ai'.* \[acknowledged: the namespace 'private-ai' is the Data Science Project of the earlier steps, not created here: PREREQUISITES\.md says how to create and label it\]$/,
      ),
    ]);
    const report = fs.readFileSync(path.join(out, 'dist', 'PREREQUISITES.md'), 'utf8');
    expect(report).toContain('### private-ai\n\nDeployed into by Application/step-05-base (its destination), ');
    expect(report).toContain('oc label namespace private-ai opendatahub.io/dashboard=true kueue.openshift.io/managed=true\n');
  });
});
