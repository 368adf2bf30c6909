import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';
import { cliInProcess, ruleFound, severityObjectMessages, writeTree } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: Platform = 'rhoai-3.0', leftOut: Doc[] = []) =>
  severityObjectMessages(
    ruleFound(
      'service-account-not-found',
      docs.map((manifest) => ({ manifest })),
      { platform, leftOut: leftOut.map((manifest) => ({ manifest, file: 'accounts/sa.yaml' })) },
    ),
  );

const container = { name: 'c', image: 'busybox' };
const namespace = (name: string): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const account = (name: string, ns?: string): Doc => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...(ns ? { namespace: ns } : {}) } });
const job = (serviceAccountName: string, ns = 'ml'): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: ns },
  spec: { template: { spec: { serviceAccountName, restartPolicy: 'Never', containers: [container] } } },
});
const isvc = (serviceAccountName: string, annotations: Record<string, string> = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'bielik', annotations },
  spec: { predictor: { serviceAccountName, model: { modelFormat: { name: 'vLLM' }, storageUri: 'pvc://models/chat' } } },
});
const application = (name: string, ns: string, createNamespace: boolean, source: Doc): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'openshift-gitops' },
  spec: {
    project: 'default',
    source,
    destination: { server: 'https://kubernetes.default.svc', namespace: ns },
    ...(createNamespace ? { syncPolicy: { syncOptions: ['CreateNamespace=true'] } } : {}),
  },
});

const TAIL = (name: string, ns: string) =>
  `nothing else makes one there (it is not default, nor an account a platform controller makes), so the Job's pods are never created (serviceaccount "${name}" not found): ` +
  `add a ServiceAccount '${name}' to namespace '${ns}' in the tree, or name an account that exists there`;

// kubernetes plugin/pkg/admission/serviceaccount: a pod naming a missing account is refused
describe('service-account-not-found', () => {
  test('a Job in a namespace the tree creates, its account nowhere: an error', () => {
    expect(findings([namespace('ml'), job('runner')])).toEqual([
      [
        'error',
        'Job/ml/j',
        "spec.template.spec.serviceAccountName 'runner': namespace 'ml' is created by the tree (Namespace ml), and no ServiceAccount 'runner' is in it; " +
          TAIL('runner', 'ml'),
      ],
    ]);
  });

  test('the account in that namespace, or namespace-less: no finding', () => {
    expect(findings([namespace('ml'), job('runner'), account('runner', 'ml')])).toEqual([]);
    expect(findings([namespace('ml'), job('runner'), account('runner')])).toEqual([]);
  });

  test('the account only in another namespace: an error that says so', () => {
    const [f] = findings([namespace('ml'), job('runner'), account('runner', 'tools')]);
    expect(f[2]).toContain("no ServiceAccount 'runner' is in it (the tree has one in namespace tools: a pod takes its account from its own namespace only);");
  });

  test('the account in a file no kustomization lists: an error naming the file', () => {
    const [f] = findings([namespace('ml'), job('runner')], 'rhoai-3.0', [account('runner', 'ml')]);
    expect(f[2]).toContain('(one is defined in accounts/sa.yaml, which no kustomization lists: the build leaves it out)');
  });

  test('a namespace the tree does not create: not judged (the account may exist there)', () => {
    expect(findings([job('runner')])).toEqual([]);
    expect(findings([namespace('other'), job('runner')])).toEqual([]);
  });

  test('a namespace the tree does not create, the account only in other namespaces of the tree: a warning naming them', () => {
    expect(findings([job('runner'), account('runner', 'tools')])).toEqual([
      [
        'warning',
        'Job/ml/j',
        "spec.template.spec.serviceAccountName 'runner': the tree creates ServiceAccount 'runner' only in namespace 'tools', not in 'ml', where the pods run, and a pod takes its account from its own namespace only; " +
          "the tree does not create namespace 'ml', so the account may exist there, else the Job's pods are never created (serviceaccount \"runner\" not found): " +
          "create the ServiceAccount (and its bindings and secrets) in 'ml' in the tree, or run the Job in 'tools'",
      ],
    ]);
    expect(findings([isvc('kserve-sa'), account('kserve-sa', 'kubeflow'), account('kserve-sa', 'serving')])).toEqual([
      [
        'warning',
        'InferenceService/bielik/chat',
        expect.stringMatching(
          /^spec\.predictor\.serviceAccountName 'kserve-sa': the tree creates ServiceAccount 'kserve-sa' only in namespaces 'kubeflow', 'serving', not in 'bielik'.*KServe's predictor pods are never created/,
        ),
      ],
    ]);
  });

  test('near misses of the other-namespace warning: the account also in its namespace, a namespace-less account, a controller-made one', () => {
    expect(findings([job('runner'), account('runner', 'tools'), account('runner', 'ml')])).toEqual([]);
    expect(findings([job('runner'), account('runner')])).toEqual([]);
    expect(findings([job('default'), account('default', 'tools')], 'kserve')).toEqual([]);
    expect(findings([job('builder'), account('builder', 'tools')])).toEqual([]);
  });

  test('an OpenShift Project of the namespace counts as creating it', () => {
    const project = { apiVersion: 'project.openshift.io/v1', kind: 'Project', metadata: { name: 'ml' } };
    expect(findings([project, job('runner')]).map((f) => f[0])).toEqual(['error']);
  });

  test('an InferenceService predictor: KServe gives the pods its account', () => {
    // the connection of that name is the tree's, in another namespace
    const connection = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'nieruchomosci', namespace: 'nieruchomosci' },
      stringData: { AWS_S3_BUCKET: 'b' },
    };
    expect(findings([namespace('bielik'), isvc('nieruchomosci-sa'), connection])).toEqual([
      [
        'error',
        'InferenceService/bielik/chat',
        "spec.predictor.serviceAccountName 'nieruchomosci-sa': namespace 'bielik' is created by the tree (Namespace bielik), and no ServiceAccount 'nieruchomosci-sa' is in it; " +
          'nothing else makes one there (it is not default, nor an account a platform controller makes), so KServe gives the predictor pods this account, and their ReplicaSet (or Knative revision) cannot create them (serviceaccount "nieruchomosci-sa" not found): ' +
          "add a ServiceAccount 'nieruchomosci-sa' to namespace 'bielik' in the tree, or name an account that exists there",
      ],
    ]);
  });

  test('default is made in every namespace by Kubernetes', () => {
    expect(findings([namespace('ml'), job('default')], 'kserve')).toEqual([]);
  });

  // openshift-controller-manager's managed names, OpenShift Pipelines, odh-model-controller, data-science-pipelines-operator
  test.each(['builder', 'deployer', 'pipeline', 'modelmesh-serving-sa', 'pipeline-runner-dspa', 'ds-pipeline-dspa'])(
    '%s is made by a controller on OpenShift AI',
    (name) => {
      expect(findings([namespace('ml'), job(name)])).toEqual([]);
    },
  );

  test('OpenShift accounts are not made on upstream KServe', () => {
    expect(findings([namespace('ml'), job('builder')], 'kserve').map((f) => f[0])).toEqual(['error']);
  });

  test("a Notebook's account takes its name (odh-notebook-controller)", () => {
    const notebook = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      metadata: { name: 'wb', namespace: 'ml' },
      spec: { template: { spec: { containers: [container] } } },
    };
    expect(findings([namespace('ml'), notebook, job('wb')])).toEqual([]);
    expect(findings([namespace('ml'), notebook, job('wb2')]).map((f) => f[0])).toEqual(['error']);
  });

  test("<connection>-sa of a service annotated opendatahub.io/connections is the connection webhook's", () => {
    expect(findings([namespace('bielik'), isvc('models-sa', { 'opendatahub.io/connections': 'models' })])).toEqual([]);
    // without the annotation only a connection made outside Git may bring it
    expect(findings([namespace('bielik'), isvc('models-sa')]).map((f) => f[0])).toEqual(['warning']);
  });

  test('a Deployment and a RayCluster worker group are judged too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ml' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { serviceAccountName: 'api', containers: [container] } },
      },
    };
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'r', namespace: 'ml' },
      spec: {
        headGroupSpec: { template: { spec: { containers: [container] } } },
        workerGroupSpecs: [{ groupName: 'g', template: { spec: { serviceAccountName: 'ray-worker', containers: [container] } } }],
      },
    };
    expect(findings([namespace('ml'), deployment, ray]).map((f) => [f[1], f[2].split(':')[0]])).toEqual([
      ['Deployment/ml/d', "spec.template.spec.serviceAccountName 'api'"],
      ['RayCluster/ml/r', "spec.workerGroupSpecs[0].template.spec.serviceAccountName 'ray-worker'"],
    ]);
  });

  describe('Argo CD', () => {
    const source = (path: string) => ({ repoURL: 'https://github.com/example-org/gitops.git', targetRevision: 'main', path });
    const inFolder = (doc: Doc, file: string) => ({ manifest: doc, file });
    const run = (docs: { manifest: Doc; file?: string }[]) =>
      runChecks(docs, { platform: 'rhoai-3.0', folders: ['serving', 'accounts'] })
        .filter((f) => f.rule === 'service-account-not-found')
        .map((f) => f.severity);
    const nsLessJob = { ...job('runner'), metadata: { name: 'j' } };

    test('CreateNamespace=true creates the destination namespace: an error', () => {
      expect(run([{ manifest: application('serving', 'ml', true, source('serving')) }, inFolder(nsLessJob, 'serving/job.yaml')])).toEqual(['error']);
    });

    test('without CreateNamespace=true the namespace is not the tree’s: not judged', () => {
      expect(run([{ manifest: application('serving', 'ml', false, source('serving')) }, inFolder(nsLessJob, 'serving/job.yaml')])).toEqual([]);
    });

    test('an account another Application delivers into that namespace: no finding', () => {
      expect(
        run([
          { manifest: application('serving', 'ml', true, source('serving')) },
          { manifest: application('accounts', 'ml', false, source('accounts')) },
          inFolder(nsLessJob, 'serving/job.yaml'),
          inFolder(account('runner'), 'accounts/sa.yaml'),
        ]),
      ).toEqual([]);
    });

    test('an Application syncing a Helm chart from a registry into the namespace may make it: not judged', () => {
      const chart = { repoURL: 'https://charts.example.org', chart: 'accounts', targetRevision: '1.0.0' };
      expect(
        run([
          { manifest: application('serving', 'ml', true, source('serving')) },
          { manifest: application('accounts', 'ml', false, chart) },
          inFolder(nsLessJob, 'serving/job.yaml'),
        ]),
      ).toEqual([]);
    });
  });
});

describe('service-account-not-found: the accounts of data connections', () => {
  const secret = (name: string, ns: string): Doc => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    stringData: { AWS_S3_BUCKET: 'b' },
  });

  test('<connection>-sa whose connection is nowhere in the tree: a warning (the dashboard connection may bring it)', () => {
    const [f] = findings([namespace('bielik'), isvc('minio-models-sa')]);
    expect(f[0]).toBe('warning');
    expect(f[2]).toContain(
      "it may come with the data connection 'minio-models', which is not in the tree either (the connection webhook makes 'minio-models-sa' for a service annotated opendatahub.io/connections: minio-models)",
    );
  });

  test('<connection>-sa whose connection the tree holds only in another namespace: an error', () => {
    expect(findings([namespace('bielik'), isvc('nieruchomosci-sa'), secret('nieruchomosci', 'nieruchomosci')]).map((f) => f[0])).toEqual(['error']);
  });

  test('a service naming another connection: an error naming the account the webhook makes', () => {
    const [f] = findings([namespace('bielik'), isvc('nieruchomosci-sa', { 'opendatahub.io/connections': 'bielik' })]);
    expect(f[0]).toBe('error');
    expect(f[2]).toMatch(
      /or name an account that exists there \(the connection webhook makes 'bielik-sa' for the connection this service names, opendatahub.io\/connections: bielik\)$/,
    );
  });

  test('upstream KServe has no connection webhook: an error', () => {
    expect(findings([namespace('bielik'), isvc('minio-models-sa')], 'kserve').map((f) => f[0])).toEqual(['error']);
  });

  describe('a kustomize build that makes other ServiceAccounts for the namespace', () => {
    /** The rule's findings on a folder, as [severity, object, message]. */
    async function found(dir: string): Promise<string[][]> {
      const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
      return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
        .filter((f) => f.rule === 'service-account-not-found')
        .map((f) => [f.severity, f.object, f.message]);
    }
    const server = (account: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: decode\nspec:\n  selector: {matchLabels: {app: decode}}\n  template:\n    metadata: {labels: {app: decode}}\n` +
      `    spec:\n      serviceAccountName: ${account}\n      containers:\n        - name: c\n          image: busybox:1.36\n`;
    const tree = (patched: string | undefined, extra: Record<string, string> = {}) =>
      writeTree('sa-renamed-', {
        'base/kustomization.yaml': 'resources: [sa.yaml, deployment.yaml]\n',
        'base/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n',
        'base/deployment.yaml': server('runner'),
        'overlay/kustomization.yaml': `resources: [../base]\nnamePrefix: chat-\n${patched ? 'patches:\n  - path: patch.yaml\n' : ''}`,
        ...(patched
          ? {
              'overlay/patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: decode\nspec:\n  template:\n    spec:\n      serviceAccountName: ${patched}\n`,
            }
          : {}),
        ...extra,
      });

    test("a patch's literal that is not the account's original name stays as written: a warning naming the accounts the build makes", async () => {
      // kustomize renames runner to chat-runner and follows only references equal to 'runner'
      const f = await found(path.join(tree('chat-runer'), 'overlay'));
      expect(f).toEqual([
        [
          'warning',
          'Deployment/chat-decode',
          expect.stringMatching(
            /^spec\.template\.spec\.serviceAccountName 'chat-runer', but the kustomize build of .*overlay makes ServiceAccount 'chat-runner' and none of that name \(did you mean chat-runner\?\):/,
          ),
        ],
      ]);
      expect((await found(path.join(tree('vllm-sa'), 'overlay'))).map((x) => x[0])).toEqual(['warning']);
    });

    test('near misses: the original name (kustomize renames it), the renamed name written by the patch, default, a build without ServiceAccounts', async () => {
      expect(await found(path.join(tree(undefined), 'overlay'))).toEqual([]);
      expect(await found(path.join(tree('runner'), 'overlay'))).toEqual([]);
      expect(await found(path.join(tree('chat-runner'), 'overlay'))).toEqual([]);
      expect(await found(path.join(tree('default'), 'overlay'))).toEqual([]);
      const noAccounts = writeTree('sa-none-', { 'kustomization.yaml': 'resources: [deployment.yaml]\n', 'deployment.yaml': server('elsewhere') });
      expect(await found(noAccounts)).toEqual([]);
    });
  });
});

describe('service-account-not-found: a template a script renders and applies as it comes out', () => {
  const tree = (script: string) => ({
    'manifests/job.yaml':
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n---\n' +
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: ml}\nspec:\n  template:\n    spec:\n' +
      '      serviceAccountName: trainer\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n',
    'manifests/trainer-sa.yaml.template': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: trainer\n  namespace: ${NAMESPACE}\n',
    'scripts/deploy.sh': script,
  });
  const verdicts = async (script: string) => {
    const dir = writeTree('rendered-template-', tree(script));
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'service-account-not-found')
      .map((f: { severity: string; message: string }) => [f.severity, f.message.replace(`${dir}/`, '')]);
  };

  test('`envsubst < x.yaml.template | oc apply -f -` makes its objects, in the namespace the renderer fills: a note naming the script', async () => {
    const script =
      'set -e\nenvsubst \'${NAMESPACE}\' \\\n  < "${REPO_DIR}/manifests/trainer-sa.yaml.template" | oc apply -f -\noc apply -f manifests/job.yaml\n';
    expect(await verdicts(script)).toEqual([
      [
        'info',
        expect.stringMatching(/^spec\.template\.spec\.serviceAccountName 'trainer' is not a manifest of the tree: scripts\/deploy\.sh \(line 2\) creates it/),
      ],
    ]);
  });

  test("other template names a renderer reads through a pipe (a bare .tmpl, autoconf's .yaml.in, `cat x | envsubst`, sed): the same note", async () => {
    const renamed = async (name: string, line: string) => {
      const files: Record<string, string> = { ...tree(line.replace('TEMPLATE', `manifests/${name}`)) };
      files[`manifests/${name}`] = files['manifests/trainer-sa.yaml.template'];
      delete files['manifests/trainer-sa.yaml.template'];
      const dir = writeTree('rendered-template-', files);
      const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
      return report.findings.filter((f: { rule: string }) => f.rule === 'service-account-not-found').map((f: { severity: string }) => f.severity);
    };
    expect(await renamed('trainer-sa.tmpl', 'envsubst < TEMPLATE | oc apply -f -\n')).toEqual(['info']);
    expect(await renamed('trainer-sa.tmpl', 'cat TEMPLATE | envsubst | oc apply -f -\n')).toEqual(['info']);
    expect(await renamed('trainer-sa.yaml.in', 'sed "s/X/$NAMESPACE/" TEMPLATE | kubectl apply -f -\n')).toEqual(['info']);
    expect(await renamed('trainer-sa.yaml.in', 'envsubst < TEMPLATE > /tmp/sa.yaml\n')).toEqual(['error']);
  });

  test('the rendering written to a file that a later command applies (`envsubst < t > /tmp/sa.yaml`, then `oc apply -f /tmp/sa.yaml`): the same note', async () => {
    const script =
      'set -e\nenvsubst < manifests/trainer-sa.yaml.template > "/tmp/trainer-sa.yaml"\noc apply -f /tmp/trainer-sa.yaml\noc apply -f manifests/job.yaml\n';
    expect(await verdicts(script)).toEqual([
      [
        'info',
        expect.stringMatching(/^spec\.template\.spec\.serviceAccountName 'trainer' is not a manifest of the tree: scripts\/deploy\.sh \(line 2\) creates it/),
      ],
    ]);
    // another file applied after the write is not the rendering
    const other = await verdicts('set -e\nenvsubst < manifests/trainer-sa.yaml.template > /tmp/trainer-sa.yaml\noc apply -f /tmp/other.yaml\n');
    expect(other.map(([severity]: string[]) => severity)).toEqual(['error']);
  });

  test('near misses: the rendering written to a file, or only printed: the account stays missing', async () => {
    const written = await verdicts('envsubst < manifests/trainer-sa.yaml.template > /tmp/sa.yaml\n');
    expect(written.map(([severity]: string[]) => severity)).toEqual(['error']);
    const printed = await verdicts('envsubst < manifests/trainer-sa.yaml.template\n');
    expect(printed.map(([severity]: string[]) => severity)).toEqual(['error']);
  });
});

describe('service-account-not-found: an account another folder of the repository deploys', () => {
  const yamlOf = (docs: Doc[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
  /** The findings of the folder `app` (Namespace ml and a Job running as `trainer`) of a git work tree holding the files given. */
  async function inRepository(files: Record<string, string>): Promise<string[][]> {
    const root = writeTree('account-repository-', { 'app/job.yaml': yamlOf([namespace('ml'), job('trainer')]), ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'app'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'service-account-not-found')
      .map((f) => [f.severity, f.object, f.message]);
  }

  test('in the namespace through the kustomization that lists it: a note naming the file', async () => {
    const f = await inRepository({
      'rbac/kustomization.yaml': 'namespace: ml\nresources:\n  - sa.yaml\n',
      'rbac/sa.yaml': yamlOf([account('trainer')]),
    });
    expect(f).toEqual([
      [
        'info',
        'Job/ml/j',
        expect.stringMatching(/^ServiceAccount 'trainer' is made outside the checked folder: .*rbac\/sa\.yaml .*in namespace 'ml'; apply it first/),
      ],
    ]);
  });

  test('near miss: the repository has no account of that name (only a fixture of its tests): the error stays', async () => {
    const f = await inRepository({ 'tests/sa.yaml': yamlOf([account('trainer', 'ml')]) });
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'Job/ml/j']]);
  });
});

describe('service-account-not-found: a namespace another folder of the repository creates', () => {
  const yamlOf = (docs: Doc[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
  /** The findings of the folder `serving` (a Job in namespace ml, running as `sa`, no Namespace) of a git work tree holding the files given. */
  async function inRepository(files: Record<string, string>, account = 'sa'): Promise<string[][]> {
    const root = writeTree('account-sibling-', { 'serving/job.yaml': yamlOf([job(account)]), ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'serving'), '--platform', 'rhoai-3.0', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'service-account-not-found')
      .map((f) => [f.severity, f.object, f.message]);
  }
  const project = { 'projects/ml/namespace.yaml': yamlOf([namespace('ml')]) };

  test('the Namespace in a sibling folder, no account of that name anywhere in the repository: a warning naming the file', async () => {
    expect(await inRepository(project)).toEqual([
      [
        'warning',
        'Job/ml/j',
        expect.stringMatching(
          /^spec\.template\.spec\.serviceAccountName 'sa': namespace 'ml' is created by .*projects\/ml\/namespace\.yaml \(line 1\), a manifest of the same repository outside the checked folder, and nothing of the repository makes a ServiceAccount 'sa'.*the Job's pods are never created/,
        ),
      ],
    ]);
  });

  test('near misses: an account of that name in another folder, a script that makes it, no folder creating the namespace, default', async () => {
    expect(await inRepository({ ...project, 'projects/ml/sa.yaml': yamlOf([account('sa', 'ml')]) })).toEqual([]);
    expect(await inRepository({ ...project, 'scripts/setup.sh': '#!/bin/sh\noc create serviceaccount sa -n ml\n' })).toEqual([]);
    expect(await inRepository({ 'projects/other/namespace.yaml': yamlOf([namespace('other')]) })).toEqual([]);
    expect(await inRepository(project, 'default')).toEqual([]);
  });
});

describe('service-account-not-found: a reference the kustomize build did not rename with its object', () => {
  const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: scorer, namespace: scoring}\n';
  const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: churn, namespace: scoring}
spec:
  predictor:
    serviceAccountName: scorer
    model: {modelFormat: {name: sklearn}, runtime: kserve-sklearnserver, storageUri: 'pvc://models/churn'}
`;
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: feeder, namespace: scoring}
spec:
  selector: {matchLabels: {app: feeder}}
  template:
    metadata: {labels: {app: feeder}}
    spec:
      serviceAccountName: scorer
      containers: [{name: feeder, image: registry.example.com/feeder:1.0}]
`;
  const judged = async (workload: string, overlay: string) => {
    const dir = writeTree('renamed-account-', {
      'base/kustomization.yaml': 'resources: [namespace.yaml, account.yaml, workload.yaml]\n',
      'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: scoring}\n',
      'base/account.yaml': SA,
      'base/workload.yaml': workload,
      'overlays/dev/kustomization.yaml': `resources: [../../base]\n${overlay}`,
      'overlays/dev/refs.yaml':
        'nameReference:\n  - kind: ServiceAccount\n    fieldSpecs:\n      - kind: InferenceService\n        path: spec/predictor/serviceAccountName\n',
    });
    const { out } = await cliInProcess(['check', `${dir}/overlays/dev`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings.filter(
      (f) => f.rule === 'service-account-not-found',
    );
  };

  test('nameSuffix renames the ServiceAccount but not the InferenceService field: an error saying the reference dangles, with the fix', async () => {
    const [f, ...rest] = await judged(ISVC, 'nameSuffix: -dev\n');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('InferenceService/scoring/churn-dev');
    expect(f.message).toContain("ServiceAccount 'scorer' is in the build as 'scorer-dev'");
    expect(f.message).toContain('add a `configurations:` file with a nameReference entry of ServiceAccount');
  });

  test('near misses: a Deployment, whose field kustomize renames, and a configurations entry for the InferenceService field', async () => {
    expect(await judged(DEPLOY, 'nameSuffix: -dev\n')).toEqual([]);
    expect(await judged(ISVC, 'nameSuffix: -dev\nconfigurations: [refs.yaml]\n')).toEqual([]);
  });
});

describe("service-account-not-found: a Notebook's own account where the tree says no namespace", () => {
  test('a kustomize build of a Notebook naming itself as account, no namespace written: the controller makes it, nothing found', async () => {
    const notebook = (account: string) =>
      `apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata:\n  name: lab\n  annotations: {notebooks.opendatahub.io/inject-oauth: "true"}\nspec:\n  template:\n    spec:\n      serviceAccountName: ${account}\n      containers: [{name: lab, image: "quay.io/example/lab:1.0"}]\n`;
    const tree = (account: string) =>
      writeTree('notebook-account-', {
        'kustomization.yaml': 'resources:\n  - sa.yaml\n  - nb.yaml\n',
        'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: proxy}\n',
        'nb.yaml': notebook(account),
      });
    const found = async (account: string) =>
      (JSON.parse((await cliInProcess(['check', tree(account), '--platform', 'rhoai-3.0', '--json'])).out) as { findings: { rule: string }[] }).findings.filter(
        (f) => f.rule === 'service-account-not-found',
      );
    expect(await found('lab')).toEqual([]);
    expect((await found('lab-runner')).length).toBe(1);
  });
});

describe("service-account-not-found: a Notebook's own account in an OpenShift Template", () => {
  const template = (account: string): Doc => ({
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'workbench' },
    objects: [
      {
        apiVersion: 'kubeflow.org/v1',
        kind: 'Notebook',
        metadata: { name: '${NAME}', namespace: 'ml', annotations: { 'notebooks.opendatahub.io/inject-oauth': 'true' } },
        spec: { template: { spec: { serviceAccountName: account, containers: [container] } } },
      },
    ],
    parameters: [{ name: 'NAME', value: 'lab' }],
  });

  test('the Notebook names its own account through the parameter: odh-notebook-controller makes it, nothing found', () => {
    expect(findings([namespace('ml'), template('${NAME}')])).toEqual([]);
  });

  test('another account of the Template Notebook is still named', () => {
    const found = findings([namespace('ml'), template('${NAME}-runner')]);
    expect(found.map(([severity, object]) => [severity, object])).toEqual([['warning', 'Notebook/ml/lab']]);
    expect(found[0][2]).toContain("'lab-runner'");
  });
});

describe('service-account-not-found: the accounts of prometheus-operator resources', () => {
  const resource = (kind: string, serviceAccountName?: string): Doc => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: { name: 'main', namespace: 'ml' },
    spec: serviceAccountName ? { serviceAccountName } : {},
  });

  test.each(['Prometheus', 'Alertmanager', 'ThanosRuler'])('a %s naming an account the namespace lacks: an error, its StatefulSet creates no pods', (kind) => {
    expect(findings([namespace('ml'), resource(kind, 'metrics-reader')])).toEqual([
      [
        'error',
        `${kind}/ml/main`,
        expect.stringMatching(
          new RegExp(
            `^spec\\.serviceAccountName 'metrics-reader': namespace 'ml' is created by the tree .*the StatefulSet prometheus-operator makes for the ${kind} never creates its pods`,
          ),
        ),
      ],
    ]);
  });

  test('near misses: the account in the tree, none named (the operator makes its default), another group of the kind name', () => {
    expect(findings([namespace('ml'), account('metrics-reader', 'ml'), resource('Prometheus', 'metrics-reader')])).toEqual([]);
    expect(findings([namespace('ml'), resource('Prometheus')])).toEqual([]);
    expect(findings([namespace('ml'), { ...resource('Prometheus', 'metrics-reader'), apiVersion: 'example.io/v1' }])).toEqual([]);
  });
});

describe('service-account-not-found: namespace default, which every cluster has', () => {
  const deployment = (namespace?: string, account = 'runner') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: lab\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  selector: {matchLabels: {app: lab}}\n  template:\n    metadata: {labels: {app: lab}}\n    spec:\n      serviceAccountName: ${account}\n      containers:\n        - name: main\n          image: registry.example.com/lab@sha256:${'e'.repeat(64)}\n`;
  const found = (files: Record<string, string>) => {
    const dir = writeTree('sa-default-', files);
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['service-account-not-found'], ...read }).map((f) => `${f.severity} ${f.message}`);
  };

  test('an account nothing of the repository makes, in default: an error; with no namespace, a Workload Identity grant in Terraform named as evidence: a warning', () => {
    expect(found({ 'app.yaml': deployment('default') })).toEqual([
      "error spec.template.spec.serviceAccountName 'runner': no ServiceAccount 'runner' is made by anything of the repository (manifests, scripts, Terraform, charts) for namespace 'default', which every cluster has; " +
        `the Deployment's pods are never created (serviceaccount "runner" not found): add a ServiceAccount 'runner' to the tree`,
    ]);
    const tf =
      'resource "google_project_iam_member" "lab" {\n  role   = "roles/storage.objectViewer"\n  member = "serviceAccount:${var.project}.svc.id.goog[default/runner]"\n}\n';
    expect(found({ 'app.yaml': deployment(), 'infra/iam.tf': tf })).toEqual([
      expect.stringMatching(
        /^warning .*for the namespace it is applied to \('default' unless the context sets another\); the tree's Terraform grants a cloud identity to default\/runner \(Workload Identity or IRSA\), so the account is meant to exist/,
      ),
    ]);
  });

  test.each([
    ['the default account', { 'app.yaml': deployment('default', 'default') }],
    ['a script makes it', { 'app.yaml': deployment('default'), 'setup.sh': '#!/bin/sh\nkubectl create serviceaccount runner -n default\n' }],
    ['a README makes it', { 'app.yaml': deployment(), 'README.md': '# lab\n\n```sh\nkubectl create serviceaccount runner --namespace default\n```\n' }],
    [
      'Terraform makes it',
      {
        'app.yaml': deployment('default'),
        'infra/sa.tf': 'resource "kubernetes_service_account" "runner" {\n  metadata {\n    name      = "runner"\n    namespace = "default"\n  }\n}\n',
      },
    ],
    ['another namespace the tree does not create', { 'app.yaml': deployment('lab') }],
    ['no namespace and no cloud identity grant (it may be applied anywhere)', { 'app.yaml': deployment() }],
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});

test('in default, an account the tree makes only in another namespace: the warning naming that namespace, not the error', () => {
  const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: lab, namespace: default}\nspec:\n  selector: {matchLabels: {app: lab}}\n  template:\n    metadata: {labels: {app: lab}}\n    spec:\n      serviceAccountName: runner\n      containers: [{name: main, image: registry.example.com/lab:1.0}]\n`;
  const read = readManifests([
    writeTree('sa-default-', { 'app.yaml': deployment, 'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner, namespace: lab}\n' }),
  ]);
  const got = runChecks(read.manifests, { platform: 'kserve', rules: ['service-account-not-found'], ...read }).map((f) => `${f.severity} ${f.message}`);
  expect(got).toEqual([
    expect.stringMatching(/^warning spec\.template\.spec\.serviceAccountName 'runner': the tree creates ServiceAccount 'runner' only in namespace 'lab' /),
  ]);
});

describe('service-account-not-found: a RayCluster in default', () => {
  const ray = (account: string) =>
    [
      'apiVersion: ray.io/v1',
      'kind: RayCluster',
      'metadata: {name: lab, namespace: default}',
      'spec:',
      '  headGroupSpec:',
      '    rayStartParams: {}',
      '    template:',
      '      spec:',
      `        serviceAccountName: ${account}`,
      '        containers: [{name: ray-head, image: "rayproject/ray:2.41.0"}]',
      '  workerGroupSpecs:',
      '    - groupName: gpu',
      '      replicas: 1',
      '      rayStartParams: {}',
      '      template:',
      '        spec:',
      `          serviceAccountName: ${account}`,
      '          containers: [{name: ray-worker, image: "rayproject/ray:2.41.0"}]',
      '',
    ].join('\n');
  const found = (files: Record<string, string>) => {
    const read = readManifests([writeTree('sa-ray-', files)]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['service-account-not-found'], ...read }).map((f) => `${f.severity} ${f.message}`);
  };

  test("the head and worker groups' account nothing makes: an error for each group, KubeRay's pod creates refused", () => {
    expect(found({ 'ray.yaml': ray('ray-runner') })).toEqual([
      expect.stringMatching(
        /^error spec\.headGroupSpec\.template\.spec\.serviceAccountName 'ray-runner': .*namespace 'default', which every cluster has; the RayCluster's pods are never created/,
      ),
      expect.stringMatching(/^error spec\.workerGroupSpecs\[0\]\.template\.spec\.serviceAccountName 'ray-runner': /),
    ]);
  });

  test('near misses: the account in the tree; a script installing a chart into default that check does not render (a warning at most)', () => {
    const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ray-runner, namespace: default}\n';
    expect(found({ 'ray.yaml': ray('ray-runner'), 'sa.yaml': account })).toEqual([]);
    const install = '#!/bin/sh\nhelm install ray-infra oci://registry.example.com/charts/ray-infra -n default\n';
    expect(found({ 'ray.yaml': ray('ray-runner'), 'install.sh': install }).map((f) => f.split(' ')[0])).toEqual(['warning', 'warning']);
  });
});

describe('service-account-not-found: the account made only in another namespace by the delivery that applies the workload', () => {
  const file = (jobNamespace: string) =>
    [
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: tools\n',
      `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: ${jobNamespace}\nspec:\n  template:\n    spec:\n      serviceAccountName: runner\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: registry.example/c:1\n`,
    ].join('---\n');
  async function found(files: Record<string, string>): Promise<string[]> {
    const dir = writeTree('sa-elsewhere-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'service-account-not-found')
      .map((f) => `${f.severity} ${f.message.split('; ')[1]?.split(',')[0] ?? ''}`);
  }

  test('one file puts the two apart: an error; in two folders nothing delivers together, a warning as before', async () => {
    expect(await found({ 'job.yaml': file('ml') })).toEqual(['error the same delivery applies both']);
    const [account, job] = file('ml').split('---\n');
    expect(await found({ 'accounts/sa.yaml': account, 'jobs/job.yaml': job })).toEqual(["warning the tree does not create namespace 'ml'"]);
  });
});
