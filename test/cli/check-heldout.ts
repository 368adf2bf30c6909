import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { cliInProcess, tempDir } from '../util';

/**
 * Patterns met in public OpenShift AI / KServe trees the checker had not been tuned on, written as fixtures of our
 * own: each case that fires has a near miss beside it that must stay quiet.
 */

type Doc = Record<string, any>;
const findings = (docs: Doc[], rule: string) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

function service(predictor: Doc, extra: Doc = {}, annotations: Doc = {}): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'team', annotations },
    spec: { predictor, ...extra },
  };
}

const model = { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'hf://org/model' };

describe("a predictor KServe's webhook refuses: not exactly one implementation", () => {
  test('a model with a container named kserve-container beside it (extra vLLM flags in its env) is refused', () => {
    const isvc = service({
      model,
      containers: [{ name: 'kserve-container', env: [{ name: 'EXTRA_ARGS', value: '--max-model-len 4096' }] }],
    });
    expect(findings([isvc], 'predictor-implementation')).toEqual([
      [
        'error',
        'InferenceService/team/chat',
        expect.stringMatching(
          /^spec\.predictor declares 2 implementations \(model, containers\[kserve-container\]\).*move the kserve-container container's settings under spec\.predictor\.model/,
        ),
      ],
    ]);
  });

  test('near misses: the same settings under model, a sidecar beside a model, or containers alone', () => {
    const underModel = service({ model: { ...model, env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len 4096' }] } });
    const sidecar = service({ model, containers: [{ name: 'oauth-proxy', image: 'proxy' }] });
    const custom = service({ containers: [{ name: 'kserve-container', image: 'vllm' }, { name: 'transformer-container' }] });
    const unnamed = service({ containers: [{ image: 'vllm' }] });
    expect(findings([underModel, sidecar, custom, unnamed], 'predictor-implementation')).toEqual([]);
  });

  test('framework fields count as KServe counts them after its defaulting (predictor_test.go TestGetImplementations)', () => {
    // one framework and a transformer-named container: one implementation
    expect(findings([service({ pytorch: { storageUri: 's3://m' }, containers: [{ name: 'transformer-container' }] })], 'predictor-implementation')).toEqual([]);
    // two frameworks: the defaulting turns only the first into model
    expect(findings([service({ pytorch: {}, tensorflow: {} })], 'predictor-implementation')).toEqual([
      ['error', 'InferenceService/team/chat', expect.stringMatching(/declares 2 implementations \(tensorflow, pytorch\)/)],
    ]);
    // a framework beside model: outside ModelMesh the framework replaces model, so one remains
    expect(findings([service({ sklearn: {}, model })], 'predictor-implementation')).toEqual([]);
    // ModelMesh predictors are not defaulted: both count
    expect(findings([service({ sklearn: {}, model }, {}, { 'serving.kserve.io/deploymentMode': 'ModelMesh' })], 'predictor-implementation')).toEqual([
      ['error', 'InferenceService/team/chat', expect.stringMatching(/declares 2 implementations \(sklearn, model\)/)],
    ]);
  });

  test('a predictor, transformer or explainer with nothing in it is refused too; a transformer of containers is fine', () => {
    expect(findings([service({ minReplicas: 1 })], 'predictor-implementation')).toEqual([
      ['error', 'InferenceService/team/chat', expect.stringMatching(/^spec\.predictor declares no implementation/)],
    ]);
    expect(findings([service({ model }, { transformer: { minReplicas: 1 } })], 'predictor-implementation')).toEqual([
      ['error', 'InferenceService/team/chat', expect.stringMatching(/^spec\.transformer declares no implementation/)],
    ]);
    expect(findings([service({ model }, { explainer: { art: { type: 'SquareAttack' }, containers: [{ name: 'x' }] } })], 'predictor-implementation')).toEqual([
      ['error', 'InferenceService/team/chat', expect.stringMatching(/^spec\.explainer declares 2 implementations \(art, containers\)/)],
    ]);
    expect(findings([service({ model }, { transformer: { containers: [{ name: 'kserve-container', image: 't' }] } })], 'predictor-implementation')).toEqual([]);
  });
});

describe('a password inside a connection URL is a credential, whatever the key is called', () => {
  const secret = (stringData: Doc): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'team' }, stringData });
  const deployment = (value: string): Doc => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'team' },
    spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1', env: [{ name: 'DATABASE_URL', value }] }] } } },
  });

  test('a Secret whose *_URL value carries user:password@ leaks the password', () => {
    expect(findings([secret({ DB_CONNECTION_URL: 'postgresql://app:orchid-4417@postgres:5432/app?sslmode=disable' })], 'plaintext-secret')).toEqual([
      ['warning', 'Secret/team/db', expect.stringMatching(/holds credentials in DB_CONNECTION_URL in plain text/)],
    ]);
  });

  test('near misses: no password, a reference, a placeholder', () => {
    const docs = [
      secret({ DB_URL: 'postgresql://app@postgres:5432/app', S3_ENDPOINT: 'https://minio:9000', OTHER_URL: 'mysql://app:${DB_PASSWORD}@db/app' }),
      secret({ BROKER_URL: 'amqp://guest:changeme@rabbit:5672/' }),
    ];
    expect(findings(docs, 'plaintext-secret').filter((f) => f[0] === 'error')).toEqual([]);
  });

  test('an env value with a password in its URL is reported; one built from $(VAR) is not', () => {
    expect(findings([deployment('redis://:tangerine-88@redis:6379/0')], 'plaintext-secret')).toEqual([
      ['warning', 'Deployment/team/api', expect.stringMatching(/sets env DATABASE_URL to a literal value/)],
    ]);
    expect(findings([deployment('postgresql://app:$(DB_PASSWORD)@postgres/app')], 'plaintext-secret')).toEqual([]);
  });
});

describe('a runtime defined in a file the kustomization leaves out is never delivered', () => {
  const SERVICE = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: demo}
spec:
  predictor:
    model:
      modelFormat: {name: onnx, version: "1"}
      runtime: triton
      storageUri: s3://models/iris/
`;
  const RUNTIME = `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: triton, namespace: demo}
spec:
  supportedModelFormats: [{name: onnx, version: "1", autoSelect: true}]
  containers: [{name: kserve-container, image: "nvcr.io/nvidia/tritonserver:24.01-py3"}]
`;
  /** A tree whose serving folder is a kustomization listing `resources`, with the files of `files`. */
  function tree(resources: string[], files: Record<string, string>, extra = ''): string {
    const root = tempDir('heldout-left-out.');
    const dir = path.join(root, 'serving');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources: [${resources.join(', ')}]\n${extra}`);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return root;
  }
  const runtimeFindings = (p: string) => {
    const { manifests, leftOut } = readManifests([p]);
    return runChecks(manifests, { platform: 'rhoai-2', leftOut })
      .filter((f) => f.rule === 'runtime-not-found')
      .map((f) => [f.severity, f.object, f.message]);
  };

  test('the runtime file sits beside the service but is not listed: an error naming the file, from the tree or from the root', () => {
    const root = tree(['service.yaml'], { 'service.yaml': SERVICE, 'runtime.yaml': RUNTIME });
    const expected = [
      ['error', 'InferenceService/demo/iris', expect.stringMatching(/'triton' is defined in .*serving\/runtime\.yaml, which no kustomization lists/)],
    ];
    expect(runtimeFindings(root)).toEqual(expected);
    expect(runtimeFindings(path.join(root, 'serving'))).toEqual(expected);
  });

  test('near misses: the file listed; no such file at all (a warning: the dashboard may create the runtime); a patch file that names it', () => {
    expect(runtimeFindings(tree(['service.yaml', 'runtime.yaml'], { 'service.yaml': SERVICE, 'runtime.yaml': RUNTIME }))).toEqual([]);
    expect(runtimeFindings(tree(['service.yaml'], { 'service.yaml': SERVICE }))).toEqual([
      ['warning', 'InferenceService/demo/iris', expect.stringMatching(/is not a ServingRuntime of the tree/)],
    ]);
    const patch = 'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: triton, namespace: demo}\nspec: {replicas: 2}\n';
    expect(runtimeFindings(tree(['service.yaml'], { 'service.yaml': SERVICE, 'replicas.yaml': patch }, 'patches: [{path: replicas.yaml}]\n'))).toEqual([
      ['warning', 'InferenceService/demo/iris', expect.stringMatching(/is not a ServingRuntime of the tree/)],
    ]);
  });
});

describe('a credential written into the script a container runs', () => {
  const job = (container: Doc): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'bucket-init', namespace: 'storage' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'mc', image: 'minio/mc:RELEASE.2025-01-01T00-00-00Z', ...container }] } } },
  });
  const script = (text: string) => job({ command: ['/bin/sh', '-c'], args: [text] });
  // the credentials written out (a placeholder is said as one)
  const leaks = (docs: Doc[]) => findings(docs, 'plaintext-secret').filter((f) => !/placeholder/.test(String(f[2])));

  test("the MinIO client's keys given literally (alias set, config host add, admin user add) are reported", () => {
    for (const line of [
      'until /usr/bin/mc alias set store http://minio:9000 storeadmin w4lnut-Ridge; do sleep 5; done',
      'mc config host add store http://minio:9000 storeadmin w4lnut-Ridge',
      'mc alias set store http://minio:9000 "$USER" "$KEY" && mc admin user add store reader rEader-pass-42',
    ]) {
      expect(leaks([script(line)])).toEqual([
        [
          'warning',
          'Job/storage/bucket-init',
          expect.stringMatching(/runs a script that holds a credential literally \(the secret key of 'mc (alias|config|admin)/),
        ],
      ]);
    }
  });

  test('a credential variable assigned in the script, or a credential flag whose value is the next argument, is reported', () => {
    expect(leaks([script('export AWS_SECRET_ACCESS_KEY=kT9-quartz-lane\naws s3 ls s3://models')])).toEqual([
      ['warning', 'Job/storage/bucket-init', expect.stringMatching(/holds a credential literally \(AWS_SECRET_ACCESS_KEY=…\)/)],
    ]);
    expect(leaks([job({ args: ['--user', 'admin', '--password', 'kT9-quartz-lane'] })])).toEqual([
      ['warning', 'Job/storage/bucket-init', expect.stringMatching(/passes a credential on the command line \(--password …\)/)],
    ]);
  });

  test('near misses: keys from variables, Python code that reads the environment, settings, placeholders, an option after the flag', () => {
    const docs = [
      script('mc alias set store http://minio:9000 ${MINIO_ROOT_USER} ${MINIO_ROOT_PASSWORD}\nmc admin user add store "$ACCESS" "$SECRET"'),
      script("python -c \"import boto3; boto3.client('s3', aws_access_key_id=os.environ['KEY'], aws_secret_access_key=os.environ['SECRET'])\""),
      script('PASSWORD=$(cat /run/secrets/db/password)\nTOKEN=`cat /var/run/token`\nTOKEN_TTL=3600\nexport API_KEY="${API_KEY:-}"'),
      script('mc alias set store http://minio:9000 admin changeme'),
      job({ args: ['--token', '--port=8080'] }),
      job({ args: ['--password', '$(DB_PASSWORD)'] }),
    ];
    expect(leaks(docs)).toEqual([]);
  });
});

describe('a file that is not YAML is reported once per document, not also for the keys it seems to repeat', () => {
  const read = (text: string) => {
    const dir = tempDir('heldout-script.');
    fs.writeFileSync(path.join(dir, 'steps.yaml'), text);
    return readManifests([dir]).errors.map((e) => [e.kind ?? 'unreadable-input', e.severity, e.message]);
  };
  // a lab script saved as .yaml: shell lines, then heredocs of manifests between --- separators
  const SCRIPT = [
    'oc new-project lab || oc project lab',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: a}',
    'EOF',
    'oc get configmap a',
    'cat <<EOF | oc apply -f -',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: b}',
    '',
  ].join('\n');

  test('a document that does not parse gives its parse error alone', () => {
    const errors = read(SCRIPT);
    expect(errors.filter((e) => e[0] === 'duplicate-key')).toEqual([]);
    expect(errors).toEqual([
      ['unreadable-input', 'warning', 'document 1 is not a Kubernetes object (a mapping with apiVersion and kind): skipped'],
      ['unreadable-input', 'error', expect.stringMatching(/^document 2 is not valid YAML/)],
    ]);
  });

  test('near miss: a document that parses and repeats a key is read, with the repeated key reported', () => {
    expect(read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\ndata: {y: "2"}\n')).toEqual([
      ['duplicate-key', 'warning', expect.stringMatching(/^document 1: the key 'data' appears twice/)],
    ]);
  });

  // a Helm values file (kube-prometheus-stack style) whose top-level block is written twice: helm reads it with
  // sigs.k8s.io/yaml, non-strict, and keeps the second block; no API server ever sees the document
  const VALUES = [
    '# helm upgrade --install monitoring prometheus-community/kube-prometheus-stack -f values.yaml',
    'grafana:',
    '  enabled: true',
    'prometheus:',
    '  prometheusSpec:',
    '    retention: 15d',
    'alertmanager:',
    '  enabled: false',
    'prometheus:',
    '  service:',
    '    type: ClusterIP',
    '',
  ].join('\n');

  test('a repeated key in a document that is no Kubernetes object is a warning naming what Helm keeps, not kubectl refusing it', () => {
    const errors = read(VALUES);
    expect(errors.filter((e) => e[0] === 'duplicate-key')).toEqual([
      [
        'duplicate-key',
        'warning',
        "document 1: the key 'prometheus' appears twice in one mapping; the document is no Kubernetes object, so no API server judges it: read as Helm values (sigs.k8s.io/yaml, helm pkg/chartutil ReadValues) or by most YAML readers, the last value wins, so the different value written at line 4 is dropped silently: keep one (merge the two blocks)",
      ],
    ]);
    expect(errors.some((e) => /strict field validation/.test(String(e[2])))).toBe(false);
  });

  test('a document with a kind but no apiVersion is no object either; one with both is judged as kubectl applies it', () => {
    expect(
      read('kind: scenario\nsteps: [a]\nsteps: [b]\n')
        .filter((e) => e[0] === 'duplicate-key')
        .map((e) => [e[1], /no Kubernetes object/.test(String(e[2]))]),
    ).toEqual([['warning', true]]);
    expect(
      read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nmetadata: {name: b}\n')
        .filter((e) => e[0] === 'duplicate-key')
        .map((e) => [e[1], /applied as written \(kubectl or oc apply/.test(String(e[2]))]),
    ).toEqual([['warning', true]]);
  });
});

describe('a kustomize Component edits the objects of the kustomization that lists it', () => {
  const DSC =
    'apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata: {name: default}\nspec:\n  components:\n    ray: {managementState: Removed}\n';
  const ENABLE_RAY =
    'apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata: {name: default}\nspec:\n  components:\n    ray: {managementState: Managed}\n';
  const COMPONENT = (patch: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatchesStrategicMerge: [${patch}]\n`;
  /** base (the DSC) ← overlays/full (with components/ray), and components/spare that no kustomization lists. */
  function tree(): string {
    const root = tempDir('heldout-component.');
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources: [dsc.yaml]\n',
      'base/dsc.yaml': DSC,
      'overlays/default/kustomization.yaml': 'resources: [../../base]\n',
      'overlays/full/kustomization.yaml': 'resources: [../default]\ncomponents: [../../components/ray]\n',
      'components/ray/kustomization.yaml': COMPONENT('enable-ray.yaml'),
      'components/ray/enable-ray.yaml': ENABLE_RAY,
      'components/spare/kustomization.yaml': COMPONENT('profile.yaml'),
      'components/spare/profile.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: profiles}\ndata: {gpu: "false"}\n',
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }

  test("a listed Component's patch applies to the objects its overlay built through a base", () => {
    const { manifests, errors } = readManifests([path.join(tree(), 'overlays', 'full')]);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(manifests.map((m) => (m.manifest as Doc).spec.components.ray.managementState)).toEqual(['Managed']);
  });

  test('a Component no kustomization lists is not built on its own: a warning, no patch error; the overlays are built', () => {
    const root = tree();
    const { manifests, errors } = readManifests([root]);
    expect(errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'components', 'spare', 'kustomization.yaml'),
        severity: 'warning',
        message: expect.stringMatching(/^is a Component that no kustomization of the input lists: .* not checked on its own$/),
      }),
    ]);
    // overlays/full is the one root (it lists overlays/default), built with its Component's patch
    expect(manifests.map((m) => (m.manifest as Doc).spec.components.ray.managementState)).toEqual(['Managed']);
  });

  test('near miss: a Component given as the path to check is built, and its patch without target is refused', () => {
    const { errors } = readManifests([path.join(tree(), 'components', 'spare')]);
    expect(errors).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/patches ConfigMap 'profiles', which is not in this build/) }),
    ]);
  });
});

describe("an Argo CD path is read from the repository's root once the input shows it", () => {
  const APP = (name: string, p: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: openshift-gitops}\nspec:\n  project: default\n  destination: {server: 'https://kubernetes.default.svc', namespace: demo}\n  source: {repoURL: 'https://github.com/example/gitops.git', targetRevision: main, path: ${p}}\n`;
  const QUEUE = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata: {name: team}\nspec: {clusterQueue: gpu}\n';
  /** A repository: bootstrap/ lists components/argo-apps, whose Applications name `paths`; components/queues holds a LocalQueue. */
  function repo(paths: string[]): string {
    const root = tempDir('heldout-argo-root.');
    const files: Record<string, string> = {
      'bootstrap/kustomization.yaml': 'resources: [../components/argo-apps]\n',
      'components/argo-apps/kustomization.yaml': `resources: [${paths.map((_, i) => `app-${i}.yaml`).join(', ')}]\n`,
      'components/queues/kustomization.yaml': 'resources: [queue.yaml]\n',
      'components/queues/queue.yaml': QUEUE,
    };
    paths.forEach((p, i) => (files[`components/argo-apps/app-${i}.yaml`] = APP(`app-${i}`, p)));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }
  const missing = (input: string) => {
    const { manifests, folders } = readManifests([input]);
    return runChecks(manifests, { platform: 'rhoai-2', folders })
      .filter((f) => f.rule === 'argocd-path-missing' || f.rule === 'argocd-path-not-in-input')
      .map((f) => [f.severity, f.object, f.message]);
  };

  test("a path named by a folder's last name only ('queues' for components/queues) is missing at the root the other paths start from", () => {
    const root = repo(['components/argo-apps', 'queues']);
    expect(missing(root)).toEqual([
      [
        'warning',
        'Application/openshift-gitops/app-1',
        `source path 'queues' is not in the checked input (read from ${root}, which holds the repository's other Application paths, taken as the repository's root; no git work tree of the repository is checked, so the folder may exist in the part of the repository left out): if the repository has no such folder, Argo CD reports "app path does not exist"; point it at a folder of the repository, or check the repository's clone to judge it`,
      ],
    ]);
  });

  test('near misses: the full path; the repository checked from a subfolder (no root shown: trailing folders match); another repository', () => {
    expect(missing(repo(['components/argo-apps', 'components/queues', './components/queues/', '.']))).toEqual([]);
    // only one-folder paths: nothing shows where the repository's root is
    expect(missing(repo(['bootstrap', 'queues']))).toEqual([]);
    expect(missing(path.join(repo(['components/argo-apps', 'queues']), 'components'))).toEqual([]);
    const other = repo(['components/argo-apps']);
    fs.writeFileSync(
      path.join(other, 'components', 'argo-apps', 'app-0.yaml'),
      APP('app-0', 'queues').replace('https://github.com/example/gitops.git', 'https://github.com/example/other.git'),
    );
    expect(missing(other)).toEqual([]);
  });
});

describe('storage-config declared several times (samples applied one at a time): a key is missing only if no declaration has it', () => {
  const storageConfig = (file: string, entries: Doc) => ({
    manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage-config', namespace: 'samples' }, stringData: entries },
    file,
  });
  const sklearn = {
    manifest: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'sklearn', namespace: 'samples' },
      spec: { predictor: { sklearn: { storage: { key: 'localMinIO', path: 'sklearn' } } } },
    },
    file: 'storage-spec/service.yaml',
  };
  const hf = storageConfig('hf/secret.yaml', { HF_TOKEN: '${HF_TOKEN}' });
  const keyFindings = (inputs: { manifest: Doc; file: string }[]) =>
    runChecks(inputs, { platform: 'kserve' })
      .filter((f) => f.rule === 'storage-credentials-missing')
      .map((f) => [f.severity, f.message]);

  test('one declaration (the sample beside the service) has the key: silent, whichever the graph meets first', () => {
    expect(keyFindings([hf, storageConfig('storage-spec/secret.yaml', { localMinIO: '{"type": "s3", "anonymous": "True"}' }), sklearn])).toEqual([]);
  });

  test('none has it: an error listing the keys of every declaration', () => {
    expect(keyFindings([hf, storageConfig('gcs/secret.yaml', { localGCS: '{"type": "gs"}' }), sklearn])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.predictor\.sklearn\.storage\.key 'localMinIO' is not a key of Secret storage-config in the tree \(it has HF_TOKEN, localGCS\)/,
        ),
      ],
    ]);
  });
});

describe('a storage key that names none of the connections the tree defines in its namespace', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } };
  const connection = (name: string, labels: Doc = { 'opendatahub.io/managed': 'true', 'opendatahub.io/dashboard': 'true' }) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'lab', labels, annotations: { 'opendatahub.io/connection-type': 's3' } },
    stringData: { AWS_S3_BUCKET: 'models', AWS_S3_ENDPOINT: 'http://minio.lab.svc:9000' },
  });
  const served = (key: string, ns = 'lab') => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'qwen', namespace: ns },
    spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'qwen', storage: { key, path: 'models/qwen' } } } },
  });
  const keyFindings = (docs: Doc[], platform: 'rhoai-2' | 'kserve' = 'rhoai-2') =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform },
    )
      .filter((f) => f.rule === 'storage-credentials-missing')
      .map((f) => [f.severity, f.object, f.message]);

  test('the key of another project (copied with the service) has no entry in the storage-config built from the connections', () => {
    expect(keyFindings([namespace, connection('aws-connection-lab'), served('aws-connection-trustyai')])).toEqual([
      [
        'error',
        'InferenceService/lab/qwen',
        "spec.predictor.model.storage.key 'aws-connection-trustyai' names no connection of namespace lab, which the tree creates with the connections aws-connection-lab: " +
          'odh-model-controller builds storage-config from those, so the pod is rejected with "specified storage key aws-connection-trustyai not found in storage secret"; use one of their names, or add the connection aws-connection-trustyai to the tree',
      ],
    ]);
  });

  test('secret-not-in-tree leaves that key to this error; with no connection in the tree it warns of the dashboard connection', () => {
    const secretWarnings = (docs: Doc[]) =>
      runChecks(
        docs.map((manifest) => ({ manifest })),
        { platform: 'rhoai-2' },
      )
        .filter((f) => f.rule === 'secret-not-in-tree')
        .map((f) => f.message);
    expect(secretWarnings([namespace, connection('aws-connection-lab'), served('aws-connection-trustyai')])).toEqual([]);
    expect(secretWarnings([namespace, served('aws-connection-trustyai')])).toEqual([
      expect.stringMatching(/^Secret aws-connection-trustyai is created in the dashboard/),
    ]);
  });

  test('a connection the kustomization generates from an env file the README writes counts as one the tree creates', async () => {
    const dir = writeTree('generated-connection-', {
      'README.md': '# Deploy\n\n```shell\ncp ./.env.example ./deploy/.env\noc apply -k ./deploy\n```\n',
      '.env.example': 'AWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\n',
      'deploy/kustomization.yaml': [
        'namespace: lab',
        'generatorOptions: {disableNameSuffixHash: true}',
        'secretGenerator:',
        '  - name: bucket-creds',
        '    envs: [.env]',
        'patches:',
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: Secret',
        '      metadata:',
        '        name: bucket-creds',
        '        labels: {opendatahub.io/dashboard: "true", opendatahub.io/managed: "true"}',
        'resources: [namespace.yaml, isvc.yaml, job.yaml]',
        '',
      ].join('\n'),
      'deploy/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: lab}\n',
      'deploy/isvc.yaml': [
        'apiVersion: serving.kserve.io/v1beta1',
        'kind: InferenceService',
        'metadata: {name: qwen}',
        'spec:',
        '  predictor:',
        '    model: {modelFormat: {name: vLLM}, runtime: qwen, storage: {key: aws-connection-minio, path: qwen}}',
        '',
      ].join('\n'),
      'deploy/job.yaml': [
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata: {name: upload}',
        'spec:',
        '  template:',
        '    spec:',
        '      restartPolicy: Never',
        '      containers: [{name: upload, image: "registry.example.com/upload:1.0", envFrom: [{secretRef: {name: bucket-creds}}]}]',
        '',
      ].join('\n'),
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-2', '--json']);
    const findings = JSON.parse(out).findings as { rule: string; severity: string; object: string; message: string }[];
    expect(
      findings.filter((f) => f.rule === 'secret-not-in-tree' || f.rule === 'storage-credentials-missing').map((f) => [f.rule, f.severity, f.object]),
      // the generator's file, which a README step writes, gives keys only: the build's objects are all known
    ).toEqual([['storage-credentials-missing', 'error', 'InferenceService/lab/qwen']]);
    expect(findings.find((f) => f.rule === 'storage-credentials-missing')?.message).toContain('which the tree creates with the connections bucket-creds');
    // the patch that labels the generated Secret finds it
    expect(findings.filter((f) => /no resource matches/.test(f.message))).toEqual([]);
  });

  test('a namespace the tree does not create but where it defines connections: the tree delivers its connections, so the key has no entry either', () => {
    expect(keyFindings([connection('aws-connection-lab'), served('aws-connection-trustyai')])).toEqual([
      [
        'error',
        'InferenceService/lab/qwen',
        expect.stringMatching(
          /^spec\.predictor\.model\.storage\.key 'aws-connection-trustyai' names no connection of namespace lab, where the tree defines the connections aws-connection-lab: /,
        ),
      ],
    ]);
    // a connection in another namespace is none of this one's
    expect(keyFindings([connection('aws-connection-lab'), served('aws-connection-trustyai', 'other')])).toEqual([]);
  });

  test('near misses: a connection of that name; no connection in the tree; a Secret that is no connection; plain KServe', () => {
    expect(keyFindings([namespace, connection('aws-connection-lab'), served('aws-connection-lab')])).toEqual([]);
    expect(keyFindings([namespace, served('aws-connection-trustyai')])).toEqual([]);
    expect(keyFindings([namespace, connection('aws-connection-lab'), connection('aws-connection-trustyai', {}), served('aws-connection-lab')])).toEqual([]);
    expect(keyFindings([namespace, connection('aws-connection-lab'), served('aws-connection-trustyai')], 'kserve')).toEqual([]);
  });

  test("a storage-config of the tree is judged itself, whatever the location's scheme", () => {
    const storageConfig = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'storage-config', namespace: 'lab' }, stringData: { other: '{}' } };
    expect(keyFindings([namespace, storageConfig, served('aws-connection-lab')])).toEqual([
      [
        'error',
        'InferenceService/lab/qwen',
        expect.stringMatching(/^spec\.predictor\.model\.storage\.key 'aws-connection-lab' is not a key of Secret storage-config in the tree \(it has other\)/),
      ],
    ]);
  });
});

describe('a patch of a folder that several roots build finds its object in each build', () => {
  /** bootstrap/a and bootstrap/b both list shared/overlay, whose patch without target names the Group of its base. */
  function tree(patched = 'admins'): string {
    const root = tempDir('heldout-shared-patch.');
    const files: Record<string, string> = {
      'bootstrap/a/kustomization.yaml': 'resources: [../../shared/overlay]\n',
      'bootstrap/b/kustomization.yaml': 'resources: [../../shared/overlay, cm.yaml]\n',
      'bootstrap/b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'shared/base/kustomization.yaml': 'resources: [group.yaml]\n',
      'shared/base/group.yaml': 'apiVersion: user.openshift.io/v1\nkind: Group\nmetadata: {name: admins}\nusers: [a]\n',
      'shared/overlay/kustomization.yaml': 'namespace: gitops\nresources: [../base]\npatches: [{path: group.yaml}]\n',
      'shared/overlay/group.yaml': `apiVersion: user.openshift.io/v1\nkind: Group\nmetadata: {name: ${patched}}\nusers: [a, b]\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }

  test('the second root reaches the base file the first one read: its patch is not refused', () => {
    expect(readManifests([tree()]).errors.filter((e) => e.severity === 'error')).toEqual([]);
  });

  test('near miss: a patch that names no object of the build is refused, once for the folder both roots build', () => {
    const errors = readManifests([tree('gone')]).errors.filter((e) => e.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/patches Group 'gone', which is not in this build/) })]);
  });
});

describe('a base that several roots build is checked as each root changes it', () => {
  const CM = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team}\ndata: {${data}}\n`;
  /** base/ (a ConfigMap) built by roots a/ and b/; b's patch sets `patchB` when given. */
  function tree(patchB?: string): string {
    const root = tempDir('heldout-variants.');
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': CM('mode: a'),
      'a/kustomization.yaml': 'resources: [../base]\n',
      'b/kustomization.yaml': patchB ? 'resources: [../base]\npatches: [{path: cm.yaml}]\n' : 'resources: [../base]\n',
      ...(patchB ? { 'b/cm.yaml': CM(patchB) } : {}),
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }
  const modes = (root: string) => readManifests([root]).manifests.map((m) => (m.manifest as Doc).data.mode);

  test("each root's own version of the base is read: the second root's patch is not lost", () => {
    expect(modes(tree('mode: b'))).toEqual(['a', 'b']);
  });

  test('near miss: roots that build the base the same add it once', () => {
    expect(modes(tree())).toEqual(['a']);
    expect(modes(tree('mode: a'))).toEqual(['a']);
  });
});

describe('a Secret the tree delivers through External Secrets or Sealed Secrets is in the tree', () => {
  const pod: Doc = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', namespace: 'team' },
    spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }] }] },
  };
  const externalSecret = (namespace: string, target?: string): Doc => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: target ? 'from-vault' : 'api-token', namespace },
    spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, ...(target ? { target: { name: target } } : {}) },
  });

  test('fires: nothing in the tree makes api-token in team (an ExternalSecret writes it in another namespace)', () => {
    expect(findings([pod, externalSecret('other')], 'secret-not-in-tree')).toEqual([
      ['warning', 'Pod/team/client', expect.stringMatching(/references Secret api-token in 'team', not defined in the tree/)],
    ]);
  });

  test('near miss: an ExternalSecret of that name, one whose target names it, or a SealedSecret of that name', () => {
    expect(findings([pod, externalSecret('team')], 'secret-not-in-tree')).toEqual([]);
    expect(findings([pod, externalSecret('team', 'api-token')], 'secret-not-in-tree')).toEqual([]);
    const sealed = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'api-token', namespace: 'team' },
      spec: { encryptedData: { token: 'AgB…' } },
    };
    expect(findings([pod, sealed], 'secret-not-in-tree')).toEqual([]);
  });
});

describe('a Secret a script of the tree creates (a Job applying a heredoc, oc create secret) is created: a note, not a warning', () => {
  const pod: Doc = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', namespace: 'team' },
    spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }] }] },
  };
  const job = (script: string, namespace = 'team'): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'make-token', namespace },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'oc', image: 'x', command: ['/bin/bash', '-c'], args: [script] }] } } },
  });
  const heredoc = (command: string, name = 'api-token') =>
    `set -e\nTOKEN=$(openssl rand -hex 16)\ncat << EOF | ${command}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  token: \${TOKEN}\nEOF\necho done\n`;
  const note = [
    'info',
    'Pod/team/client',
    expect.stringMatching(/^Secret api-token is not a manifest of the tree: the script of Job\/team\/make-token creates it when it runs/),
  ];

  test('a heredoc piped to oc apply -f-, kubectl create secret generic, a script kept in a ConfigMap', () => {
    expect(findings([pod, job(heredoc('oc apply -f-'))], 'secret-not-in-tree')).toEqual([note]);
    expect(findings([pod, job('kubectl create secret generic api-token --from-literal=token=$(openssl rand -hex 8)')], 'secret-not-in-tree')).toEqual([note]);
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'scripts', namespace: 'team' },
      data: { 'setup.sh': heredoc('kubectl apply -f -') },
    };
    expect(findings([pod, configMap], 'secret-not-in-tree')).toEqual([
      ['info', 'Pod/team/client', expect.stringMatching(/the script of ConfigMap\/team\/scripts creates it/)],
    ]);
  });

  test('near miss: a heredoc that is not applied, another Secret, another namespace, a name held in a variable', () => {
    const warning = ['warning', 'Pod/team/client', expect.stringMatching(/references Secret api-token in 'team', not defined in the tree/)];
    expect(findings([pod, job(heredoc('python3'))], 'secret-not-in-tree')).toEqual([warning]);
    expect(findings([pod, job(heredoc('oc apply -f-', 'other-token'))], 'secret-not-in-tree')).toEqual([warning]);
    expect(findings([pod, job(heredoc('oc apply -f-'), 'elsewhere')], 'secret-not-in-tree')).toEqual([warning]);
    expect(findings([pod, job(heredoc('oc apply -n elsewhere -f -'))], 'secret-not-in-tree')).toEqual([warning]);
    expect(findings([pod, job('oc create secret generic $NAME --from-literal=token=x')], 'secret-not-in-tree')).toEqual([warning]);
  });
});

/** Writes `files` (path → text) under a new temporary folder and returns it. */
function writeTree(prefix: string, files: Record<string, string>): string {
  const root = tempDir(prefix);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("an inner kustomization's patches see the namespace it gives, not the one an overlay gives later", () => {
  const DEPLOYMENT = (ns: string, image: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: manager, namespace: ${ns}}\n` +
    `spec: {template: {spec: {containers: [{name: manager, image: '${image}'}]}}}\n`;
  /** install/ (namespace system, patching its Deployment) reached through a Component from overlay/ (namespace platform). */
  function tree(patchNamespace: string, overlayPatch?: string): string {
    return writeTree('heldout-namespace-order.', {
      'install/kustomization.yaml': 'namespace: system\nresources: [manager.yaml]\npatches: [{path: image.yaml}]\n',
      'install/manager.yaml': DEPLOYMENT('system', 'controller:v1'),
      'install/image.yaml': DEPLOYMENT(patchNamespace, 'controller:v2'),
      'feature/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [../install]\n',
      'overlay/kustomization.yaml': 'namespace: platform\ncomponents: [../feature]\n' + (overlayPatch ? `patches: [{path: annotate.yaml}]\n` : ''),
      ...(overlayPatch ? { 'overlay/annotate.yaml': overlayPatch } : {}),
    });
  }
  const built = (root: string) =>
    readManifests([root]).manifests.map((m) => [(m.manifest as Doc).metadata.namespace, (m.manifest as Doc).spec.template.spec.containers[0].image]);
  const errors = (root: string) => readManifests([root]).errors.filter((e) => e.severity === 'error');

  test('the patch naming the inner namespace applies, and the overlay then moves the object (kubectl kustomize builds it)', () => {
    const root = tree('system');
    expect(errors(root)).toEqual([]);
    expect(built(root)).toEqual([['platform', 'controller:v2']]);
  });

  test("an overlay's own patch still finds the object by the namespace the inner build gave it", () => {
    const annotate = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: manager, namespace: system, annotations: {team: ml}}\n';
    expect(errors(tree('system', annotate))).toEqual([]);
  });

  test('near miss: a patch naming the outer namespace matches nothing when it runs: kustomize refuses the build', () => {
    expect(errors(tree('platform'))).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/patches Deployment 'manager' in namespace 'platform', but the build's one is in 'system' when the patches run/),
      }),
    ]);
  });
});

describe('a Helm chart folder that also holds the kustomizations its Applications deliver', () => {
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: store}\nstringData: {password: hunter22}\n';
  function tree(): string {
    return writeTree('heldout-chart-folders.', {
      'bootstrap/Chart.yaml': 'apiVersion: v2\nname: bootstrap\nversion: 0.1.0\n',
      'bootstrap/values.yaml': 'enabled: true\n',
      'bootstrap/templates/app.yaml': '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: rendered}\n{{- end }}\n',
      'bootstrap/templates/static.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: static}\n',
      'bootstrap/ci/test-values.yaml': 'enabled: false\n',
      'bootstrap/files/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\n',
      'bootstrap/store/groups/dev/kustomization.yaml': 'namespace: store\nresources: [../../base]\n',
      'bootstrap/store/base/kustomization.yaml': 'resources: [secret.yaml]\n',
      'bootstrap/store/base/secret.yaml': SECRET,
      'bootstrap/loose/route.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: web}\n',
    });
  }
  const read = (root: string) => readManifests([root]);
  const names = (root: string) =>
    read(root).manifests.map((m) => `${(m.manifest as Doc).kind}/${(m.manifest as Doc).metadata.namespace ?? ''}/${(m.manifest as Doc).metadata.name}`);

  test("the chart's other folders are read: the kustomization root and the plain folder", () => {
    // the chart itself, which no delivery names, is rendered with its defaults (rendered and static) and with its
    // chart-testing values ci/test-values.yaml (enabled: false, static alone)
    expect(names(tree()).sort()).toEqual(['ConfigMap//rendered', 'ConfigMap//static', 'ConfigMap//static', 'Secret/store/store', 'Service/web/web']);
    expect(
      runChecks(read(tree()).manifests)
        .filter((f) => f.rule === 'plaintext-secret')
        .map((f) => f.object),
    ).toEqual(['Secret/store/store']);
  });

  test("near misses: templated files, values, chart-testing values and the chart's files/ are not read as manifests", () => {
    const r = read(tree());
    // a template's objects come from the chart's renders only
    expect(
      r.manifests
        .filter((m) => !m.helmRendering)
        .map((m) => m.file)
        .filter((f) => /values|app\.yaml|settings|templates/.test(f)),
    ).toEqual([]);
    expect(r.manifests.map((m) => m.file).filter((f) => /values|settings/.test(f))).toEqual([]);
    expect(r.errors.filter((e) => e.severity === 'error')).toEqual([]);
  });
});

describe('a Kueue job kind without a pod template of its own names a LocalQueue the tree lacks', () => {
  const queue: Doc = {
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'LocalQueue',
    metadata: { name: 'batch', namespace: 'research' },
    spec: { clusterQueue: 'gpus' },
  };
  const cluster: Doc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'gpus' }, spec: { namespaceSelector: {} } };
  const labelled = (apiVersion: string, kind: string, name: string, queueName: string): Doc => ({
    apiVersion,
    kind,
    metadata: { name, namespace: 'research', labels: { 'kueue.x-k8s.io/queue-name': queueName } },
    spec: {},
  });

  test('a RayJob and a JobSet labelled with a queue the namespace does not have stay suspended; a LeaderWorkerSet, whose integration Kueue enables by default only from 0.16, a warning', () => {
    const wrong = [
      labelled('ray.io/v1', 'RayJob', 'tune', 'training'),
      labelled('jobset.x-k8s.io/v1alpha2', 'JobSet', 'sweep', 'batch-queue'),
      labelled('leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet', 'serve', 'gpu'),
    ];
    expect(findings([queue, cluster, ...wrong], 'queue-not-found').map(([severity, object]) => [severity, object])).toEqual([
      ['error', 'JobSet/research/sweep'],
      ['error', 'RayJob/research/tune'],
      ['warning', 'LeaderWorkerSet/research/serve'],
    ]);
  });

  test("near misses: the namespace's queue named; a RayService (no Kueue integration) is not judged", () => {
    const right = [
      labelled('ray.io/v1', 'RayCluster', 'notebook', 'batch'),
      labelled('kubeflow.org/v1', 'PyTorchJob', 'finetune', 'batch'),
      labelled('ray.io/v1', 'RayService', 'serve', 'elsewhere'),
    ];
    expect(findings([queue, cluster, ...right], 'queue-not-found')).toEqual([]);
  });
});

describe("a ClusterQueue Kueue's validation refuses is never created (cases of kueue's clusterqueue_webhook_test.go)", () => {
  const cq = (spec: Doc, apiVersion = 'kueue.x-k8s.io/v1beta1'): Doc => ({
    apiVersion,
    kind: 'ClusterQueue',
    metadata: { name: 'team' },
    spec: { namespaceSelector: {}, ...spec },
  });
  const group = (covered: string[], ...flavors: Doc[]): Doc => ({ coveredResources: covered, flavors });
  const flavor = (name: string, ...resources: Doc[]): Doc => ({ name, resources });
  const messages = (doc: Doc) => findings([doc], 'cluster-queue-invalid').map(([severity, , message]) => [severity, message]);

  test.each([
    [
      'a lendingLimit without a cohort',
      cq({ resourceGroups: [group(['cpu'], flavor('x', { name: 'cpu', nominalQuota: '2', lendingLimit: '1' }))] }),
      /sets lendingLimit for 'cpu' in a ClusterQueue without a cohort/,
    ],
    [
      'a borrowingLimit without a cohortName (v1beta2)',
      cq({ resourceGroups: [group(['cpu'], flavor('x', { name: 'cpu', nominalQuota: 2, borrowingLimit: 1 }))] }, 'kueue.x-k8s.io/v1beta2'),
      /sets borrowingLimit/,
    ],
    [
      'resources in a flavor in another order',
      cq({ resourceGroups: [group(['cpu', 'memory'], flavor('x', { name: 'memory', nominalQuota: '1Gi' }, { name: 'cpu', nominalQuota: 1 }))] }),
      /lists 'memory' where coveredResources\[0\] is 'cpu'/,
    ],
    [
      'a flavor that leaves out a covered resource',
      cq({
        resourceGroups: [group(['cpu', 'memory', 'nvidia.com/gpu'], flavor('x', { name: 'cpu', nominalQuota: 1 }, { name: 'memory', nominalQuota: '1Gi' }))],
      }),
      /gives 2 resource\(s\) for the 3 covered/,
    ],
    [
      'a resource in two resource groups',
      cq({ resourceGroups: [group(['cpu'], flavor('x', { name: 'cpu', nominalQuota: 1 })), group(['cpu'], flavor('y', { name: 'cpu', nominalQuota: 1 }))] }),
      /resource 'cpu' is covered by two resource groups/,
    ],
    [
      'a flavor in two resource groups',
      cq({
        resourceGroups: [
          group(['cpu'], flavor('x', { name: 'cpu', nominalQuota: 1 })),
          group(['memory'], flavor('x', { name: 'memory', nominalQuota: '1Gi' })),
        ],
      }),
      /flavor 'x' is listed twice/,
    ],
  ])('fires: %s', (_case, doc, reason) => {
    expect(messages(doc)).toEqual([['error', expect.stringMatching(reason)]]);
  });

  test('near misses: limits in a cohort (v1beta1 cohort, v1beta2 cohortName); the resources in order; a group without coveredResources (a schema error for validate)', () => {
    const limits = [
      group(['cpu', 'memory'], flavor('x', { name: 'cpu', nominalQuota: 1, borrowingLimit: 1, lendingLimit: 1 }, { name: 'memory', nominalQuota: '1Gi' })),
    ];
    expect(messages(cq({ cohort: 'org', resourceGroups: limits }))).toEqual([]);
    expect(messages(cq({ cohortName: 'org', resourceGroups: limits }, 'kueue.x-k8s.io/v1beta2'))).toEqual([]);
    expect(messages(cq({ resourceGroups: [{ flavors: [flavor('x', { name: 'cpu', nominalQuota: 1 })] }] }))).toEqual([]);
  });
});

describe('an object declared twice in the folder an Argo CD Application syncs', () => {
  const HPA = (max: number) =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: router, namespace: serving}\n` +
    `spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: router}, minReplicas: 1, maxReplicas: ${max}}\n`;
  const JOB =
    'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: smoke-, namespace: serving}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: s, image: busybox:1.36}]}}}\n';
  /** apps/platform.yaml syncs platform/ (plain files); examples/ is synced by nothing. */
  function repo(files: Record<string, string>): string {
    return writeTree('heldout-argo-duplicate.', {
      'apps/platform.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: platform, namespace: argocd}\nspec:\n  project: default\n' +
        "  destination: {server: 'https://kubernetes.default.svc', namespace: serving}\n  source: {repoURL: 'https://github.com/example/serving.git', targetRevision: main, path: platform}\n",
      ...files,
    });
  }
  const duplicates = (root: string) => {
    const { manifests, folders } = readManifests([root]);
    return runChecks(manifests, { platform: 'kserve', folders })
      .filter((f) => f.rule === 'duplicate-object')
      .map((f) => [f.severity, f.object, f.message]);
  };

  test('two files of the synced folder declare the HorizontalPodAutoscaler differently: Argo CD keeps only the last and syncs, a warning', () => {
    expect(duplicates(repo({ 'platform/scaling.yaml': HPA(8), 'platform/tuning.yaml': HPA(12) }))).toEqual([
      [
        'warning',
        'HorizontalPodAutoscaler/serving/router',
        expect.stringMatching(/^is declared twice \(also at .*scaling\.yaml:1\) in what Application\/argocd\/platform syncs; Argo CD keeps only the last/),
      ],
    ]);
  });

  test('near misses: the copies in a folder nothing syncs; Jobs with a generateName only', () => {
    expect(duplicates(repo({ 'platform/scaling.yaml': HPA(8), 'examples/a.yaml': HPA(8), 'examples/b.yaml': HPA(12) }))).toEqual([]);
    expect(duplicates(repo({ 'platform/a.yaml': JOB, 'platform/b.yaml': JOB }))).toEqual([]);
  });
});

describe('one file read by two builds gives its findings once', () => {
  // a folder an Argo CD Application syncs is also a base of an overlay: the reader yields its objects once per build
  const runtimeArgs = ['--quantization', 'gptq'];
  const isvc = (extraArgs: string[] = []) =>
    service({ model: { ...model, storageUri: 's3://models/mistral-7b-instruct-awq', args: [...runtimeArgs, ...extraArgs] } });
  const quantization = (inputs: { manifest: Doc; file: string; line: number; kustomizations?: string[] }[]) =>
    runChecks(inputs)
      .filter((f) => f.rule === 'quantization-conflict')
      .map((f) => [f.object, f.file, f.line]);

  test('the same object of one file and line, read by the synced folder and by an overlay, is reported once', () => {
    expect(
      quantization([
        { manifest: isvc(), file: 'base/serving/isvc.yaml', line: 1 },
        { manifest: isvc(), file: 'base/serving/isvc.yaml', line: 1, kustomizations: ['overlays/prod', 'base/serving'] },
      ]),
    ).toEqual([['InferenceService/team/chat', 'base/serving/isvc.yaml', 1]]);
  });

  test('near miss: one object declared in two files is reported at each place', () => {
    expect(
      quantization([
        { manifest: isvc(), file: 'a/isvc.yaml', line: 1 },
        { manifest: isvc(), file: 'b/isvc.yaml', line: 1 },
      ]),
    ).toEqual([
      ['InferenceService/team/chat', 'a/isvc.yaml', 1],
      ['InferenceService/team/chat', 'b/isvc.yaml', 1],
    ]);
  });
});

describe('a Namespace file copied for another team but not renamed (its kubernetes.io/metadata.name label names the other team)', () => {
  const namespace = (name: string, labels: Doc = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const conflicts = (inputs: { manifest: Doc; file: string }[]) =>
    runChecks(inputs.map((i) => ({ ...i, line: 1 })))
      .filter((f) => f.rule === 'cluster-object-conflict')
      .map((f) => [f.severity, f.object, f.message]);

  test('fires: team-b-ns.yaml declares team-a labelled for team-b; team-b is never created', () => {
    expect(
      conflicts([
        { manifest: namespace('team-a', { 'kubernetes.io/metadata.name': 'team-a', dashboard: 'true' }), file: 'team-a-ns.yaml' },
        { manifest: namespace('team-a', { 'kubernetes.io/metadata.name': 'team-b', dashboard: 'true' }), file: 'team-b-ns.yaml' },
      ]),
    ).toEqual([
      [
        'error',
        'Namespace/team-a',
        expect.stringMatching(
          /labels itself kubernetes\.io\/metadata\.name=team-b, so it was meant to create Namespace 'team-b', which is never created.*rename it to 'team-b'/,
        ),
      ],
    ]);
  });

  test('near misses: two loose files declaring one namespace differently with the label matching (or absent) stay a warning', () => {
    expect(
      conflicts([
        { manifest: namespace('team-a', { 'kubernetes.io/metadata.name': 'team-a', tier: 'gpu' }), file: 'queues.yaml' },
        { manifest: namespace('team-a', { 'kubernetes.io/metadata.name': 'team-a', tier: 'mig' }), file: 'queues-mig.yaml' },
        { manifest: namespace('team-c', { tier: 'gpu' }), file: 'c.yaml' },
        { manifest: namespace('team-c', { tier: 'mig' }), file: 'c-mig.yaml' },
      ]).map(([severity, object]) => [severity, object]),
    ).toEqual([
      ['warning', 'Namespace/team-a'],
      ['warning', 'Namespace/team-c'],
    ]);
  });
});

describe('Jobs take turns on a queue: only what keeps running adds up', () => {
  const GPU = 'nvidia.com/gpu';
  const kueue = (kind: string, name: string, spec: Doc, namespace?: string): Doc => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec,
  });
  const queueOf = (gpus: number) => [
    kueue('ResourceFlavor', 'a100', {}),
    kueue('ClusterQueue', 'training', {
      namespaceSelector: {},
      resourceGroups: [{ coveredResources: [GPU], flavors: [{ name: 'a100', resources: [{ name: GPU, nominalQuota: gpus }] }] }],
    }),
    kueue('LocalQueue', 'team', { clusterQueue: 'training' }, 'ml'),
  ];
  const pod = (gpus: number) => ({ containers: [{ name: 'c', image: 'x', resources: { limits: { [GPU]: String(gpus) } } }] });
  const job = (name: string, pods: number): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'ml', labels: { 'kueue.x-k8s.io/queue-name': 'team' } },
    spec: { parallelism: pods, template: { spec: { ...pod(1), restartPolicy: 'Never' } } },
  });
  const server = (replicas: number): Doc => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'server', namespace: 'ml', labels: { 'kueue.x-k8s.io/queue-name': 'team' } },
    spec: { replicas, selector: {}, template: { spec: pod(1) } },
  });

  test('near miss: three Jobs of 4 GPUs each on a 4-GPU queue wait their turn, no error', () => {
    expect(findings([...queueOf(4), job('a', 4), job('b', 4), job('c', 4)], 'quota-insufficient')).toEqual([]);
  });

  test('fires: a Job that cannot fit beside a Deployment that keeps 3 of the 4 GPUs, naming it', () => {
    expect(findings([...queueOf(4), server(3), job('a', 2)], 'quota-insufficient')).toEqual([
      [
        'error',
        'Job/ml/a',
        expect.stringMatching(/ClusterQueue 'training' can never hold its 2 pods for nvidia.com\/gpu while Deployment\/ml\/server keeps running/),
      ],
    ]);
  });

  test('near miss: Jobs of two queues of a cohort need more than the cohort holds together, but take turns', () => {
    const member = (name: string) =>
      kueue('ClusterQueue', name, {
        cohort: 'shared',
        namespaceSelector: {},
        resourceGroups: [{ coveredResources: [GPU], flavors: [{ name: 'a100', resources: [{ name: GPU, nominalQuota: 2, borrowingLimit: 2 }] }] }],
      });
    const other = { ...job('b', 2), metadata: { ...job('b', 2).metadata, namespace: 'ops', labels: { 'kueue.x-k8s.io/queue-name': 'ops' } } };
    const docs = [
      kueue('ResourceFlavor', 'a100', {}),
      member('training'),
      member('operations'),
      kueue('LocalQueue', 'team', { clusterQueue: 'training' }, 'ml'),
      kueue('LocalQueue', 'ops', { clusterQueue: 'operations' }, 'ops'),
      job('a', 3),
      other,
    ];
    expect(findings(docs, 'quota-insufficient').filter(([severity]) => severity === 'error')).toEqual([]);
  });

  test('fires: long-running replicas still add up beyond the quota', () => {
    expect(findings([...queueOf(4), server(5), job('a', 1)], 'quota-insufficient')).toEqual([
      ['error', 'ClusterQueue/training', expect.stringMatching(/need more than the nominal quota at full scale \(5 GPU > 4\)/)],
      ['error', 'Job/ml/a', expect.stringMatching(/can never hold its pod/)],
    ]);
  });
});

describe('a queue name the tree defines only in another namespace', () => {
  const localQueue = (name: string, namespace: string): Doc => ({
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'LocalQueue',
    metadata: { name, namespace },
    spec: { clusterQueue: 'cluster-queue' },
  });
  const clusterQueue: Doc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', metadata: { name: 'cluster-queue' }, spec: {} };
  const job = (queue: string): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'sleep', namespace: 'batch', labels: { 'kueue.x-k8s.io/queue-name': queue } },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
  });

  test('fires: user-queue exists in default only, the Job runs in batch', () => {
    expect(findings([clusterQueue, localQueue('user-queue', 'default'), job('user-queue')], 'queue-not-found')).toEqual([
      ['error', 'Job/batch/sleep', expect.stringMatching(/names a LocalQueue the tree defines in 'default', not in 'batch'/)],
    ]);
  });

  test("near misses: the queue in the Job's namespace too; a name the tree defines nowhere; 'default' (OpenShift AI creates it)", () => {
    expect(findings([clusterQueue, localQueue('user-queue', 'default'), localQueue('user-queue', 'batch'), job('user-queue')], 'queue-not-found')).toEqual([]);
    expect(findings([clusterQueue, localQueue('user-queue', 'default'), job('other')], 'queue-not-found').map(([s]) => s)).toEqual(['warning']);
    // on OpenShift AI (a Route marks OpenShift, a dashboard label OpenShift AI)
    const project = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'batch', labels: { 'opendatahub.io/dashboard': 'true' } } };
    expect(findings([project, clusterQueue, localQueue('default', 'team'), job('default')], 'queue-not-found').map(([s]) => s)).toEqual(['warning']);
  });
});

describe('a credential in a manifest that a container script writes and applies', () => {
  const launcher = (params: string): Doc => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'launch', namespace: 'ml' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'oc',
              image: 'origin-cli',
              command: ['/bin/bash', '-c'],
              args: [`cat <<EOF | oc apply -f -\napiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: train\nspec:\n  params:\n${params}EOF\n`],
            },
          ],
        },
      },
    },
  });
  const param = (name: string, value: string) => `    - name: ${name}\n      value: ${value}\n`;

  test('fires: a bucket secret key written as a parameter value', () => {
    expect(findings([launcher(param('BUCKET', '"cars"') + param('S3_SECRET_KEY', '"w3ll-kn0wn"'))], 'plaintext-secret')).toEqual([
      ['warning', 'Job/ml/launch', expect.stringMatching(/holds a credential literally \(S3_SECRET_KEY in a manifest it writes\)/)],
    ]);
  });

  test('near misses: a value the shell expands, a placeholder, a setting that only names a secret, no credential name', () => {
    const quiet = [
      param('S3_SECRET_KEY', '"${SECRET_KEY}"'),
      param('S3_SECRET_KEY', '<secret>'),
      param('SECRET_NAME', 'bucket-creds'),
      param('BUCKET', 'cars'),
    ];
    for (const p of quiet) expect(findings([launcher(p)], 'plaintext-secret')).toEqual([]);
  });
});

describe('a LocalQueue whose ClusterQueue its file says is provided outside the tree', () => {
  const clusterQueue = 'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ClusterQueue\nmetadata:\n  name: agents\nspec:\n  namespaceSelector: {}\n';
  const localQueue = (comment: string) =>
    `${comment}apiVersion: kueue.x-k8s.io/v1beta2\nkind: LocalQueue\nmetadata:\n  name: a100-bench\n  namespace: vllm\nspec:\n  clusterQueue: a100-bench\n`;
  const findings = (comment: string) => {
    const dir = tempDir('external-cq-');
    fs.writeFileSync(path.join(dir, 'cluster-queue.yaml'), clusterQueue);
    fs.writeFileSync(path.join(dir, 'local-queue.yaml'), localQueue(comment));
    return runChecks(readManifests([dir]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'queue-not-found')
      .map((f) => [f.severity, f.message]);
  };

  test("the file's comment says the platform provisions it: a warning (Kueue keeps the LocalQueue inactive until it exists)", () => {
    expect(findings('# The operator must provision the referenced ClusterQueue with A100 flavors before applying this LocalQueue.\n')).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.clusterQueue 'a100-bench' is not a ClusterQueue of the tree \(agents\); the comment of its file says it is provided outside the tree/,
        ),
      ],
    ]);
  });

  test('no such comment, or one that says nothing of where the ClusterQueue comes from: an error, as before', () => {
    expect(findings('').map((f) => f[0])).toEqual(['error']);
    expect(findings('# LocalQueue for the benchmark team\n').map((f) => f[0])).toEqual(['error']);
    expect(findings('# provisioned by the platform team\n').map((f) => f[0])).toEqual(['error']);
  });
});

describe("a Helm chart with a kustomization beside it (Argo CD's helm-then-kustomize plugin): its folders hold the kustomization's patches", () => {
  const patch =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: quay.io/example/web:v5\n';
  const tree = (kustomization: string, chart: boolean) => {
    const dir = tempDir('kustomized-chart-');
    if (chart) fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
    fs.mkdirSync(path.join(dir, 'overlays'));
    fs.writeFileSync(path.join(dir, 'overlays', 'web-deployment.yaml'), patch);
    return dir;
  };
  const objectsFrom = (dir: string) => readManifests([dir]).manifests.filter((m) => m.file.endsWith('web-deployment.yaml'));

  test('the patch file is not read as an object (it has no selector: as an object it would be refused)', () => {
    expect(objectsFrom(tree('resources: [all.yaml]\npatches:\n  - path: overlays/web-deployment.yaml\n', true))).toEqual([]);
    // the form kustomize refuses (a bare file name in patches) still names a patch
    expect(objectsFrom(tree('resources: [all.yaml]\npatches:\n  - overlays/web-deployment.yaml\n', true))).toEqual([]);
  });

  test('near miss: a chart without a kustomization reads its other folders as any folder', () => {
    const dir = tempDir('chart-folders-');
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    fs.mkdirSync(path.join(dir, 'extra'));
    fs.writeFileSync(path.join(dir, 'extra', 'web-deployment.yaml'), patch);
    expect(objectsFrom(dir)).toHaveLength(1);
  });
});
