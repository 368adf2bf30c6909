import * as path from 'path';
import { runChecks } from '../../lib';
import { cliInProcess, writeTree } from '../util';

/** Findings of one rule on objects given with where they were read. */
const findingsOf = (rule: string, objects: { manifest: unknown; file?: string; unit?: string; kustomizations?: string[] }[], platform = 'rhoai-3.0' as const) =>
  runChecks(objects, { rules: [rule], platform }).map((f) => [f.severity, f.object, f.message]);

describe('cluster-object-conflict: an empty spec, labels or annotations is the absent one', () => {
  const namespace = (extra: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'llm-serving', ...metadata },
    ...extra,
  });
  const flavor = (spec?: unknown) => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ResourceFlavor',
    metadata: { name: 'l4' },
    ...(spec === undefined ? {} : { spec }),
  });

  test('spec: {} and labels: {} against none, in one cdk8s app (one cluster): the same object', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: namespace({ spec: {} }, { labels: {}, annotations: null }), unit: '' },
        { manifest: namespace({}), unit: '' },
      ]),
    ).toEqual([]);
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor({}), unit: '' },
        { manifest: flavor(), unit: '' },
      ]),
    ).toEqual([]);
  });

  test('spec: null against none, built by two kustomization roots: the same object', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor(null), file: 'a/flavor.yaml', kustomizations: ['a'] },
        { manifest: flavor(), file: 'b/flavor.yaml', kustomizations: ['b'] },
      ]),
    ).toEqual([]);
  });

  test('a spec that says something still differs from none, and a label from none', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: flavor({ nodeLabels: { 'node.kubernetes.io/instance-type': 'g6.xlarge' } }), unit: '' },
        { manifest: flavor(), unit: '' },
      ]),
    ).toEqual([['error', 'ResourceFlavor/l4', expect.stringMatching(/^ResourceFlavor 'l4' is declared differently by another document in the same cluster/)]]);
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: namespace({}, { labels: { 'kueue.openshift.io/managed': 'true' } }), unit: '' },
        { manifest: namespace({ spec: {} }), unit: '' },
      ]),
    ).toEqual([['error', 'Namespace/llm-serving', expect.stringMatching(/declared differently/)]]);
  });

  test('an empty mapping deeper down is kept: a namespaceSelector {} selects every namespace, an absent one none', () => {
    const queue = (spec: Record<string, unknown>) => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'cq' }, spec });
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: queue({ namespaceSelector: {}, resourceGroups: [] }), unit: '' },
        { manifest: queue({ resourceGroups: [] }), unit: '' },
      ]),
    ).toEqual([['error', 'ClusterQueue/cq', expect.stringMatching(/declared differently/)]]);
  });
});

describe('modelcar-not-pinned judges a modelcar on the tag policy of image-not-pinned', () => {
  const service = (storageUri: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri } } },
  });
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'c', image }] } });
  const severities = (rule: string, manifest: unknown) => runChecks([{ manifest }], { rules: [rule], platform: 'rhoai-3.0' }).map((f) => f.severity);
  const DIGEST = `sha256:${'3'.repeat(64)}`;

  test.each([
    ['quay.io/org/granite-modelcar:latest', ['warning']],
    ['quay.io/org/granite-modelcar', ['warning']],
    ['registry.local:5000/granite-modelcar', ['warning']],
    ['quay.io/org/granite-modelcar:main', ['warning']],
    ['quay.io/org/granite-modelcar:1.5.0', ['info']],
    ['registry.local:5000/granite-modelcar:v2', ['info']],
    [`quay.io/org/granite-modelcar@${DIGEST}`, []],
    [`quay.io/org/granite-modelcar:1.5.0@${DIGEST}`, []],
    // a malformed digest does not parse: image-reference-invalid's, below
    ['quay.io/org/granite-modelcar@sha256:abc', []],
  ])('%s: %j, as the same reference in a container image', (ref, expected) => {
    expect(severities('modelcar-not-pinned', service(`oci://${ref}`))).toEqual(expected);
    expect(severities('image-not-pinned', pod(ref))).toEqual(expected);
  });

  test('a malformed digest, in a modelcar or a container image, is one error of image-reference-invalid', () => {
    expect(severities('image-reference-invalid', service('oci://quay.io/org/granite-modelcar@sha256:abc'))).toEqual(['error']);
    expect(severities('image-reference-invalid', pod('quay.io/org/granite-modelcar@sha256:abc'))).toEqual(['error']);
  });

  test('the messages name the URI, the tag and the pinned form', () => {
    const messages = (uri: string) =>
      runChecks([{ manifest: service(uri) }], { rules: ['modelcar-not-pinned'], platform: 'rhoai-3.0' }).map((f) => [f.severity, f.message, f.summary]);
    expect(messages('oci://quay.io/org/m:nightly')).toEqual([
      [
        'warning',
        "the storage URI names the model image oci://quay.io/org/m:nightly, the moving tag 'nightly': each pull may serve other weights than were reviewed, and replicas may differ; pin a version tag, or a digest (oci://…@sha256:…)",
        undefined,
      ],
    ]);
    expect(messages('oci://quay.io/org/m:3.1')).toEqual([
      [
        'info',
        'the storage URI names the model image oci://quay.io/org/m:3.1: a version tag can still be re-pushed; a digest (oci://…@sha256:…) cannot',
        'modelcars pinned by a version tag, not a digest',
      ],
    ]);
  });
});

describe('secret-not-in-tree is silent on Secrets the platform writes', () => {
  const mounting = (secretName: string, namespace = 'ai') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'proxy', namespace },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'tls', mountPath: '/tls' }] }],
          volumes: [{ name: 'tls', secret: { secretName } }],
        },
      },
    },
  });
  const service = (annotation: string, secret: string, namespace = 'ai') => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'proxy', namespace, annotations: { [annotation]: secret } },
    spec: { ports: [{ port: 8443 }] },
  });
  const missing = (manifests: unknown[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { rules: ['secret-not-in-tree'], platform },
    ).map((f) => [f.object, neededSecret(f.message)]);
  // the Secret a finding says is needed: a storage key's data connection (OpenShift AI), else the storage Secret it is an entry of, else the one referenced
  const neededSecret = (message: string) =>
    (/data connection Secret '([^']+)'/.exec(message) ?? /is an entry of Secret (\S+) in/.exec(message) ?? /references Secrets? (\S+) in/.exec(message))![1];

  test("a serving certificate OpenShift's service CA writes for a Service of the tree, beta or alpha annotation", () => {
    expect(missing([mounting('proxy-tls'), service('service.beta.openshift.io/serving-cert-secret-name', 'proxy-tls')])).toEqual([]);
    expect(missing([mounting('proxy-tls'), service('service.alpha.openshift.io/serving-cert-secret-name', 'proxy-tls')])).toEqual([]);
  });

  test('still firing: a Secret of another name, another namespace, or one no Service asks for', () => {
    expect(missing([mounting('proxy-tls'), service('service.beta.openshift.io/serving-cert-secret-name', 'other-tls')])).toEqual([
      ['Deployment/ai/proxy', 'proxy-tls'],
    ]);
    expect(missing([mounting('proxy-tls'), service('service.beta.openshift.io/serving-cert-secret-name', 'proxy-tls', 'other')])).toEqual([
      ['Deployment/ai/proxy', 'proxy-tls'],
    ]);
    expect(missing([mounting('proxy-tls')])).toEqual([['Deployment/ai/proxy', 'proxy-tls']]);
  });

  const isvc = (annotations: Record<string, string> = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai', annotations },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: 's3://models/m/', storage: { key: 'minio' } } } },
  });
  const storageConfig = (keys: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'storage-config', namespace: 'ai' },
    stringData: keys,
  });

  test('a storage key that the storage-config of the tree holds needs no Secret of its name', () => {
    expect(missing([isvc(), storageConfig({ minio: '{"type": "s3"}' })])).toEqual([]);
    // without it, OpenShift AI builds storage-config from the connection Secret of the key's name: that one is needed
    expect(missing([isvc(), storageConfig({ other: '{"type": "s3"}' })])).toEqual([['InferenceService/ai/llm', 'minio']]);
    expect(missing([isvc()])).toEqual([['InferenceService/ai/llm', 'minio']]);
  });

  test("storage-config itself is odh-model-controller's on OpenShift AI; on upstream KServe someone must create it", () => {
    expect(missing([isvc({ 'serving.kserve.io/storageSecretName': 'storage-config' })])).toEqual([]);
    expect(missing([isvc()], 'kserve')).toEqual([['InferenceService/ai/llm', 'storage-config']]);
    expect(missing([isvc(), storageConfig({ minio: '{"type": "s3"}' })], 'kserve')).toEqual([]);
    // a Secret the service names itself is still its own to create
    expect(missing([isvc({ 'serving.kserve.io/storageSecretName': 'llm-storage' })])).toEqual([['InferenceService/ai/llm', 'llm-storage']]);
  });
});

describe('unrendered-placeholder: an error where the file is delivered raw, a warning in a template nothing delivers', () => {
  const SECRET = (name: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ai}\nstringData:\n  AWS_SECRET_ACCESS_KEY: '\${AWS_SECRET_ACCESS_KEY}'\n`;
  const tree = (files: Record<string, string>): string => writeTree('placeholder.', files);
  /** An Argo CD Application whose directory source is a folder of the repository. */
  const APP = (folder: string) =>
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: secrets, namespace: openshift-gitops}',
      'spec:',
      '  project: default',
      `  source: {repoURL: https://github.com/org/gitops.git, path: ${folder}}`,
      '  destination: {server: https://kubernetes.default.svc, namespace: ai}',
      '',
    ].join('\n');
  const placeholders = async (args: string[], stdin = '') => {
    const { out } = await cliInProcess(['check', ...args, '--platform', 'rhoai-3.0', '--format', 'json'], stdin);
    return (JSON.parse(out).findings as { rule: string; severity: string; object: string; message: string }[])
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, f.object, f.message.replace(/^.*judged as a template, since (.*?);.*$/, '$1')]);
  };

  test('a kustomization delivers one Secret; a loose copy in another folder of the tree is a template', async () => {
    const dir = tree({
      'deploy/kustomization.yaml': 'resources: [secret.yaml]\n',
      'deploy/secret.yaml': SECRET('delivered'),
      'templates/secret.yaml': SECRET('loose'),
    });
    expect(await placeholders([dir])).toEqual([
      ['error', 'Secret/ai/delivered', expect.stringMatching(/holds '\$\{AWS_SECRET_ACCESS_KEY\}': template syntax that nothing renders here/)],
      ['warning', 'Secret/ai/loose', 'no kustomization or Argo CD Application of the tree delivers it'],
    ]);
  });

  test("an Argo CD Application's directory source delivers a folder raw; a folder no Application names is a template", async () => {
    const dir = tree({
      'apps/secrets.yaml': APP('clusters/prod/secrets'),
      'clusters/prod/secrets/secret.yaml': SECRET('synced'),
      'clusters/dev/secrets/secret.yaml': SECRET('unsynced'),
    });
    expect(await placeholders([dir])).toEqual([
      ['error', 'Secret/ai/synced', expect.stringMatching(/template syntax that nothing renders here/)],
      ['warning', 'Secret/ai/unsynced', 'no kustomization or Argo CD Application of the tree delivers it'],
    ]);
  });

  test('a README beside the file that names envsubst, or a .tmpl/.template name, marks a template even in a plain folder; one that pipes it through envsubst into the apply fills it', async () => {
    const readme = tree({ 'README.md': 'Render before applying:\n\n    envsubst < secret.yaml > /tmp/secret.yaml\n', 'secret.yaml': SECRET('rendered') });
    expect(await placeholders([readme])).toEqual([['warning', 'Secret/ai/rendered', 'README.md beside it renders it with envsubst']]);
    const piped = tree({ 'README.md': 'Render as you apply:\n\n    envsubst < secret.yaml | oc apply -f -\n', 'secret.yaml': SECRET('rendered') });
    expect(await placeholders([piped])).toEqual([]);
    const named = tree({
      'secret.tmpl.yaml': SECRET('named'),
      'other.template.yml': SECRET('other'),
      'job-template.yaml': SECRET('joined'),
      'templates.yaml': SECRET('plain'),
    });
    // nothing in the plain folder delivers or renders it, and it lies in no work tree: a Secret keeps its error, saying so
    expect(await placeholders([named])).toEqual([
      ['error', 'Secret/ai/plain', expect.stringMatching(/template syntax, and nothing in the input renders it; if a script outside the input runs envsubst/)],
      ['warning', 'Secret/ai/joined', 'its name job-template.yaml marks a template'],
      ['warning', 'Secret/ai/named', 'its name secret.tmpl.yaml marks a template'],
      ['warning', 'Secret/ai/other', 'its name other.template.yml marks a template'],
    ]);
  });

  test("the file's own comment renders it; a comment that applies it raw does not", async () => {
    const dir = tree({
      'manifests/app.yaml': '# App\n#\n# Usage:\n#   export AWS_SECRET_ACCESS_KEY=…\n#   envsubst < app.yaml | oc apply -f -\n---\n' + SECRET('commented'),
      'manifests/raw.yaml': '# Usage: oc apply -f raw.yaml\n' + SECRET('raw'),
    });
    expect(await placeholders([dir])).toEqual([
      ['error', 'Secret/ai/raw', expect.stringMatching(/template syntax, and nothing in the input renders it/)],
      ['warning', 'Secret/ai/commented', "its own comment renders it ('envsubst < app.yaml | oc apply -f -')"],
    ]);
  });

  test('a head comment that submits the file through a tool of its own names that tool; a README command or an Application applying the file raw keeps the error', async () => {
    const job = (name: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}, namespace: ai}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      serviceAccountName: '\${TEAM}-runner'\n      containers:\n      - {name: train, image: 'quay.io/org/train@sha256:${'a'.repeat(64)}'}\n`;
    const HEAD = '# Nightly fine-tune.\n#\n# Submit with:\n#   QUIET=1 trainctl submit \\\n#     -f jobs/finetune.yaml \\\n#     --name "ft-$RANDOM"\n\n';
    const dir = tree({
      'submitted/finetune.yaml': HEAD + job('submitted'),
      'applied/finetune.yaml': HEAD + job('applied'),
      'README.md': 'Run the applied one as it is:\n\n```sh\nkubectl apply -f applied/finetune.yaml\n```\n',
    });
    const raw = expect.stringMatching(/serviceAccountName holds '\$\{TEAM\}': template syntax that nothing renders here/);
    // an Application that syncs the folder applies the file as it is, whatever its comment says
    const synced = tree({ 'apps/synced.yaml': APP('synced'), 'synced/finetune.yaml': HEAD + job('synced') });
    expect(await placeholders([synced])).toEqual([['error', 'Job/ai/synced', raw]]);
    expect(await placeholders([dir])).toEqual([
      ['error', 'Job/ai/applied', raw],
      [
        'warning',
        'Job/ai/submitted',
        `its own comment submits it with trainctl submit ('trainctl submit -f jobs/finetune.yaml --name "ft-$RANDOM"'), which fills its placeholders, and nothing of the tree applies it as it is`,
      ],
    ]);
  });

  test('a script anywhere in the tree renders the file: by a variable folder, a loop over its folder, a Makefile (envsubst piped into the apply fills it: nothing to say)', async () => {
    const dir = tree({
      'demo/deploy.sh': '#!/bin/bash\nSCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"\nenvsubst < "$SCRIPT_DIR/manifests/app.yaml" | oc apply -f -\n',
      'demo/manifests/app.yaml': SECRET('by-path'),
      'demo/manifests/other.yaml': SECRET('not-named'),
      'scripts/apply-all.sh': 'for f in stack/*.yaml; do\n  envsubst < "$f" | kubectl apply -f -\ndone\n',
      'stack/secret.yaml': SECRET('by-loop'),
      Makefile: 'deploy:\n\tsed -e "s/PLACEHOLDER/$(KEY)/" k8s/made.yaml | oc apply -f -\n',
      'k8s/made.yaml': SECRET('by-make'),
    });
    expect(await placeholders([dir])).toEqual([
      // the Makefile's sed replaces PLACEHOLDER only: the variable it leaves is applied as written
      [
        'error',
        'Secret/ai/by-make',
        "stringData.AWS_SECRET_ACCESS_KEY holds '${AWS_SECRET_ACCESS_KEY}': Makefile (line 2) renders it with sed (replacing 'PLACEHOLDER') before applying it, but its sed replaces only 'PLACEHOLDER', so this is applied literally: add a substitution for it to that sed, or write the value",
      ],
      // a file beside rendered ones that no script applies: the tree renders its manifests, and nothing delivers this one
      [
        'warning',
        'Secret/ai/not-named',
        expect.stringMatching(/^no script of the tree applies it, while demo\/deploy\.sh \(line 3\) renders the tree's other manifests with envsubst/),
      ],
    ]);
  });

  test('a job template no script applies, in a tree whose scripts render their manifests, is a template; applied by a script or in a tree that renders nothing, it is delivered raw', async () => {
    const JOB =
      "apiVersion: batch/v1\nkind: Job\nmetadata: {name: post, namespace: ai}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: post, image: '${POST_IMAGE}'}\n";
    const GATEWAY = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: options, namespace: ai}\ndata: {owner: "${OWNER}"}\n';
    const RUN = '#!/bin/bash\nenvsubst < "$DIR/serving/options.yaml" | kubectl -n ai apply -f -\n';
    const unused = tree({ 'orchestrator/run.sh': RUN, 'serving/options.yaml': GATEWAY, 'post/job.yaml': JOB });
    expect((await placeholders([unused])).filter(([, o]) => o === 'Job/ai/post')).toEqual([
      ['warning', 'Job/ai/post', expect.stringMatching(/^no script of the tree applies it, while orchestrator\/run\.sh \(line 2\) renders/)],
    ]);
    // near misses: a script applies the job's folder as it is; the only rendering names a file the tree lacks
    const applied = tree({ 'orchestrator/run.sh': `${RUN}kubectl apply -f post/\n`, 'serving/options.yaml': GATEWAY, 'post/job.yaml': JOB });
    expect((await placeholders([applied])).filter(([, o]) => o === 'Job/ai/post').map(([s]) => s)).toEqual(['error']);
    const elsewhere = tree({ 'orchestrator/run.sh': RUN, 'post/job.yaml': JOB });
    expect((await placeholders([elsewhere])).map(([s]) => s)).toEqual(['error']);
  });

  test('an Argo CD Application that syncs the folder delivers the file raw, whatever script renders it too', async () => {
    const dir = tree({
      'apps/secrets.yaml': APP('secrets'),
      'deploy.sh': 'envsubst < secrets/secret.yaml | oc apply -f -\n',
      'secrets/secret.yaml': '# Usage: envsubst < secret.yaml | oc apply -f -\n' + SECRET('synced'),
    });
    expect(await placeholders([dir])).toEqual([['error', 'Secret/ai/synced', expect.stringMatching(/template syntax that nothing renders here/)]]);
  });

  test('delivered raw: a plain folder (kubectl apply -f), a file given on its own, standard input', async () => {
    const plain = tree({ 'secret.yaml': SECRET('plain'), 'README.md': 'Apply with oc apply -f .\n' });
    expect((await placeholders([plain])).map(([s]) => s)).toEqual(['error']);
    const dir = tree({ 'deploy/kustomization.yaml': 'resources: []\n', 'templates/secret.yaml': SECRET('given') });
    expect((await placeholders([path.join(dir, 'templates', 'secret.yaml')])).map(([s]) => s)).toEqual(['error']);
    expect((await placeholders(['-'], SECRET('piped'))).map(([s]) => s)).toEqual(['error']);
  });
});

describe('kind-not-served: what the API server answers "no matches for kind"', () => {
  const served = (apiVersion: string, kind: string, platform: 'rhoai-3.0' | 'rhoai-3.4' | 'kserve' = 'rhoai-3.0') =>
    runChecks([{ manifest: { apiVersion, kind, metadata: { name: 'x', namespace: 'ai' } } }], { rules: ['kind-not-served'], platform }).map((f) => [
      f.severity,
      f.message,
    ]);

  test.each([
    ['kueue.x-k8s.io/v1beta1', 'ClusterQueue', 'rhoai-3.0'],
    ['kueue.x-k8s.io/v1beta1', 'Topology', 'rhoai-3.0'],
    ['kueue.x-k8s.io/v1beta2', 'Cohort', 'rhoai-3.4'],
    ['kueue.x-k8s.io/v1beta1', 'Cohort', 'rhoai-3.4'],
    ['serving.kserve.io/v1alpha1', 'LLMInferenceServiceConfig', 'rhoai-3.0'],
    ['serving.kserve.io/v1alpha2', 'LLMInferenceService', 'rhoai-3.4'],
    ['serving.kserve.io/v1alpha1', 'InferenceGraph', 'kserve'],
    ['v1', 'Event', 'rhoai-3.0'],
    ['apps/v1', 'Deployment', 'kserve'],
    ['infrastructure.opendatahub.io/v1alpha1', 'HardwareProfile', 'rhoai-3.0'],
    ['datasciencecluster.opendatahub.io/v2', 'DataScienceCluster', 'rhoai-3.4'],
    // groups known only by some kinds, or not at all: not judged
    ['argoproj.io/v1alpha1', 'Rollout', 'rhoai-3.0'],
    ['route.openshift.io/v1', 'Route', 'rhoai-3.0'],
    ['infrastructure.opendatahub.io/v1', 'HardwareProfile', 'kserve'],
  ] as const)('%s %s on %s is served, or not judged', (apiVersion, kind, platform) => {
    expect(served(apiVersion, kind, platform)).toEqual([]);
  });

  test('an unknown kind in a group judged whole names the kind, the group and what to write', () => {
    expect(served('datasciencecluster.opendatahub.io/v1', 'DataScienceProject')).toEqual([
      [
        'error',
        'kind DataScienceProject is not served in datasciencecluster.opendatahub.io on OpenShift AI 3.0 (KServe 0.15, Kueue 0.14): the apply fails with "no matches for kind \\"DataScienceProject\\" in version \\"datasciencecluster.opendatahub.io/v1\\""; it serves only DataScienceCluster',
      ],
    ]);
    expect(served('kueue.x-k8s.io/v1beta1', 'Clusterqueue')).toEqual([
      [
        'error',
        expect.stringMatching(
          /kind Clusterqueue is not served in kueue.x-k8s.io .*; write kind: ClusterQueue \(it serves AdmissionCheck, ClusterQueue, .*, WorkloadPriorityClass\)$/,
        ),
      ],
    ]);
    expect(served('apps/v1', 'Deployments')).toEqual([
      [
        'error',
        expect.stringMatching(
          /kind Deployments is not served in apps .*; write kind: Deployment \(it serves ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet\)$/,
        ),
      ],
    ]);
  });

  test('a version the platform no longer serves, or does not serve yet', () => {
    expect(served('batch/v1beta1', 'CronJob')).toEqual([['error', expect.stringMatching(/^batch\/v1beta1 is not served for CronJob .*; write batch\/v1$/)]]);
    // Kueue's release is only assumed here (no Subscription, setting or v1beta2 object tells it): a warning naming it
    expect(served('kueue.x-k8s.io/v1alpha1', 'Cohort')).toEqual([
      ['warning', expect.stringMatching(/write kueue.x-k8s.io\/v1beta1\. Kueue 0\.14 .* is assumed/)],
    ]);
    expect(served('serving.kserve.io/v1alpha2', 'LLMInferenceService')).toEqual([['error', expect.stringMatching(/write serving.kserve.io\/v1alpha1$/)]]);
    expect(served('serving.kserve.io/v1beta1', 'ServingRuntime')).toEqual([['error', expect.stringMatching(/write serving.kserve.io\/v1alpha1$/)]]);
    expect(served('argoproj.io/v1beta1', 'Application')).toEqual([['error', expect.stringMatching(/write argoproj.io\/v1alpha1$/)]]);
  });
});

describe('cluster-object-conflict: a field the API server refuses to update fails the second apply', () => {
  const storageClass = (provisioner: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard' },
    provisioner,
    ...extra,
  });

  test('two loose files of one folder with other provisioners: an error naming the field', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: storageClass('kubernetes.io/aws-ebs'), file: 'yaml/0-storage-class.yaml' },
        { manifest: storageClass('ebs.csi.aws.com'), file: 'yaml/9-storage-class.yaml' },
      ]),
    ).toEqual([
      [
        'error',
        'StorageClass/standard',
        'StorageClass \'standard\' is declared differently at yaml/0-storage-class.yaml, in the same folder, which kubectl apply -f applies together (they differ in provisioner, which the API server refuses to change: the second apply fails, "provisioner: Forbidden: updates to provisioner are forbidden", rather than overwriting): give each a unique name, or declare it once and share it',
      ],
    ]);
  });

  test('the defaults count: reclaimPolicy Delete written out on one of them is no difference; Retain is', () => {
    const quiet = findingsOf('cluster-object-conflict', [
      { manifest: storageClass('ebs.csi.aws.com', { reclaimPolicy: 'Delete', allowVolumeExpansion: true }), file: 'yaml/a.yaml' },
      { manifest: storageClass('ebs.csi.aws.com'), file: 'yaml/b.yaml' },
    ]);
    // allowVolumeExpansion may change: the mutable difference stays a warning
    expect(quiet).toEqual([['warning', 'StorageClass/standard', expect.not.stringMatching(/Forbidden/)]]);
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: storageClass('ebs.csi.aws.com', { reclaimPolicy: 'Retain' }), file: 'yaml/a.yaml' },
        { manifest: storageClass('ebs.csi.aws.com'), file: 'yaml/b.yaml' },
      ]),
    ).toEqual([['error', 'StorageClass/standard', expect.stringMatching(/they differ in reclaimPolicy/)]]);
  });

  test('in two folders they may be alternatives: a warning, naming the field', () => {
    expect(
      findingsOf('cluster-object-conflict', [
        { manifest: storageClass('kubernetes.io/aws-ebs'), file: 'aws/storage-class.yaml' },
        { manifest: storageClass('pd.csi.storage.gke.io', { parameters: { type: 'pd-ssd' } }), file: 'gcp/storage-class.yaml' },
      ]),
    ).toEqual([
      [
        'warning',
        'StorageClass/standard',
        expect.stringMatching(/in another file; if both are deployed to one cluster, .*they differ in provisioner, parameters/),
      ],
    ]);
  });
});

describe('plaintext-secret: a Secret a script applies from a heredoc, with the variables it set to literals', () => {
  const job = (script: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'create-root-user', namespace: 'minio' },
    spec: {
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'create', image: 'quay.io/example/tools:1.0', command: ['/bin/bash'], args: ['-ec', script] }] },
      },
    },
  });
  const heredoc = (assignments: string, delimiter = 'EOF') =>
    `${assignments}\ncat << ${delimiter} | oc apply -f-\napiVersion: v1\nkind: Secret\nmetadata:\n  name: minio-root-user\nstringData:\n  MINIO_ROOT_USER: \${id}\n  MINIO_ROOT_PASSWORD: \${secret}\nEOF\n`;

  test('secret="…" then ${secret} in the heredoc: the password is in the script', () => {
    expect(findingsOf('plaintext-secret', [{ manifest: job(heredoc('#secret=$(genpass)\nid="minio"\nsecret="minio123"')) }])).toEqual([
      [
        'warning',
        'Job/minio/create-root-user',
        "container 'create' runs a script that holds a credential literally (MINIO_ROOT_PASSWORD of the Secret 'minio-root-user' it applies); set it as an environment variable from a Secret (valueFrom.secretKeyRef) and use ${VAR} in the script",
      ],
    ]);
  });

  test('generated, read from the environment, or in a quoted heredoc (no expansion): no literal', () => {
    expect(findingsOf('plaintext-secret', [{ manifest: job(heredoc('id="minio"\nsecret=$(genpass)')) }])).toEqual([]);
    expect(findingsOf('plaintext-secret', [{ manifest: job(heredoc('id="minio"\nsecret="$MINIO_PASSWORD"')) }])).toEqual([]);
    expect(findingsOf('plaintext-secret', [{ manifest: job(heredoc('id="minio"\nsecret="minio123"\nsecret=$(genpass)')) }])).toEqual([]);
    expect(findingsOf('plaintext-secret', [{ manifest: job(heredoc('secret="minio123"', "'EOF'")) }])).toEqual([]);
  });
});

describe('names holding template syntax in an object left unrendered: said once, by unrendered-placeholder', () => {
  const job = (account: string, secret = '${TEAM}-token') => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'finetune', namespace: 'ai', labels: { 'kueue.x-k8s.io/queue-name': '${TEAM}-queue' } },
    spec: {
      suspend: true,
      template: {
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: account,
          containers: [
            {
              name: 'train',
              image: `quay.io/org/train@sha256:${'a'.repeat(64)}`,
              env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }],
            },
          ],
        },
      },
    },
  });
  const rules = ['unrendered-placeholder', 'queue-not-found', 'secret-not-in-tree'];
  const found = (manifest: unknown) => runChecks([{ manifest }], { platform: 'kserve', rules }).map((f) => [f.rule, f.message.replace(/:.*$/, '')]);

  test('the queue and the Secret a ${…} name stands for are not looked up where the object is reported unrendered', () => {
    expect(found(job('${TEAM}-runner'))).toEqual([
      ['unrendered-placeholder', "serviceAccountName holds '${TEAM}', container 'train' env HF_TOKEN Secret name holds '${TEAM}'"],
    ]);
  });

  test('near miss: where nothing else of the object is reported, the names are looked up as written', () => {
    expect(found(job('runner', 'team-token')).map(([rule]) => rule)).toEqual(['queue-not-found', 'secret-not-in-tree']);
  });
});
