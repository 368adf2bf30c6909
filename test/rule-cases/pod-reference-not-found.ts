import { execFileSync } from 'child_process';
import * as path from 'path';
import { runChecks } from '../../lib';
import { Platform } from '../../lib/check/platform';
import { appTemplateTree } from '../setup/app-template-release';
import { cliInProcess, ruleFound, severityMessages, severityObjectMessages, treeRuleFound, writeTree } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: Platform = 'rhoai-3.0', leftOut: Doc[] = []) =>
  severityObjectMessages(
    ruleFound(
      'pod-reference-not-found',
      docs.map((manifest) => ({ manifest })),
      { platform, leftOut: leftOut.map((manifest) => ({ manifest, file: 'config/extra.yaml' })) },
    ),
  );

const namespace = (name: string, annotations: Record<string, string> = {}): Doc => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations } });
const configMap = (name: string, ns?: string): Doc => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  data: { a: 'b' },
});
const claim = (name: string, ns = 'ml'): Doc => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
const job = (pod: Doc, ns = 'ml'): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: ns },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }], ...pod } } },
});
const envJob = (name: string, optional?: boolean) =>
  job({
    containers: [{ name: 'c', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name, key: 'x', ...(optional ? { optional } : {}) } } }] }],
  });
const mounting = [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] }];
const volumeJob = (volume: Doc, containers: Doc[] = mounting) => job({ containers, volumes: [{ name: 'v', ...volume }] });

describe('pod-reference-not-found: ConfigMaps', () => {
  test('an env reference to a ConfigMap nothing makes, in a namespace the tree creates: an error naming field, namespace and fix', () => {
    expect(findings([namespace('ml'), envJob('settings')])).toEqual([
      [
        'error',
        'Job/ml/j',
        "spec.template.spec container 'c' env X reads ConfigMap 'settings': namespace 'ml' is created by the tree (Namespace ml), and no ConfigMap 'settings' is in it; " +
          "nothing else makes one there (it is not kube-root-ca.crt, a platform's CA bundle nor Istio's root certificate of a mesh the tree shows), so the Job's pods stay in CreateContainerConfigError (configmap \"settings\" not found): " +
          "add ConfigMap 'settings' to namespace 'ml' in the tree (a configMapGenerator will do), or mark the reference optional: true if the pod can run without it",
      ],
    ]);
  });

  test('one ConfigMap read by several env variables of a container: one finding per container, naming the variables', () => {
    const env = (names: string[], map = 'settings') => names.map((name) => ({ name, valueFrom: { configMapKeyRef: { name: map, key: name.toLowerCase() } } }));
    const two = job({
      containers: [
        { name: 'c', image: 'busybox', env: [...env(['DB_HOST', 'DB_PORT']), ...env(['MODE'], 'other')] },
        { name: 'd', image: 'busybox', env: env(['DB_HOST']) },
      ],
    });
    expect(findings([namespace('ml'), two, configMap('other', 'ml')]).map((f) => String(f[2]).split(' reads ')[0])).toEqual([
      "spec.template.spec container 'c' env DB_HOST, DB_PORT",
      "spec.template.spec container 'd' env DB_HOST",
    ]);
  });

  test('the ConfigMap in the namespace (or namespace-less), or the reference optional: no finding', () => {
    expect(findings([namespace('ml'), envJob('settings'), configMap('settings', 'ml')])).toEqual([]);
    expect(findings([namespace('ml'), envJob('settings'), configMap('settings')])).toEqual([]);
    expect(findings([namespace('ml'), envJob('settings', true)])).toEqual([]);
  });

  test('a namespace the tree does not create: not judged', () => {
    expect(findings([envJob('settings')])).toEqual([]);
    expect(findings([namespace('other'), envJob('settings')])).toEqual([]);
  });

  test('the ConfigMap in another namespace or a left-out file: the message says so', () => {
    expect(findings([namespace('ml'), envJob('settings'), configMap('settings', 'tools')])[0][2]).toContain(
      "no ConfigMap 'settings' is in it (the tree has one in namespace tools: a pod reads ConfigMaps of its own namespace only);",
    );
    expect(findings([namespace('ml'), envJob('settings')], 'rhoai-3.0', [configMap('settings', 'ml')])[0][2]).toContain(
      '(one is defined in config/extra.yaml, which no kustomization lists: the build leaves it out)',
    );
  });

  test('a configMap volume and a projected source are read too; a volume stays in ContainerCreating', () => {
    const [volume] = findings([namespace('ml'), volumeJob({ configMap: { name: 'certs' } })]);
    expect(volume[2]).toMatch(
      /^spec.template.spec volume 'v' items reads ConfigMap 'certs'.* stay in ContainerCreating \(FailedMount: configmap "certs" not found\)/,
    );
    const projected = volumeJob({ projected: { sources: [{ configMap: { name: 'certs' } }, { configMap: { name: 'extra', optional: true } }] } });
    expect(findings([namespace('ml'), projected]).map((f) => f[2].split(':')[0])).toEqual([
      "spec.template.spec volume 'v' projected configMap reads ConfigMap 'certs'",
    ]);
  });

  // kubelet desired_state_of_world_populator.go processPodVolumes skips a volume no container mounts or maps as a device
  test('a configMap volume no container uses is never set up: no finding; an init container or a device mapping uses it', () => {
    const idle = [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'other', mountPath: '/o' }] }];
    expect(findings([namespace('ml'), volumeJob({ configMap: { name: 'certs' } }, idle)])).toEqual([]);
    expect(findings([namespace('ml'), volumeJob({ projected: { sources: [{ configMap: { name: 'certs' } }] } }, idle)])).toEqual([]);
    const init = job({
      initContainers: [{ name: 'i', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] }],
      volumes: [{ name: 'v', configMap: { name: 'certs' } }],
    });
    expect(findings([namespace('ml'), init]).map((f) => f[0])).toEqual(['error']);
    const device = volumeJob({ configMap: { name: 'certs' } }, [{ name: 'c', image: 'busybox', volumeDevices: [{ name: 'v', devicePath: '/dev/x' }] }]);
    expect(findings([namespace('ml'), device]).map((f) => f[0])).toEqual(['error']);
  });

  // kube-controller-manager root-ca-cert-publisher, OpenShift's service-ca publisher, opendatahub-operator's trusted CA bundle
  test.each(['kube-root-ca.crt', 'openshift-service-ca.crt', 'odh-trusted-ca-bundle'])('%s is made in every namespace on OpenShift AI', (name) => {
    expect(findings([namespace('ml'), envJob(name)])).toEqual([]);
  });

  test('on upstream KServe only kube-root-ca.crt is made', () => {
    expect(findings([namespace('ml'), envJob('kube-root-ca.crt')], 'kserve')).toEqual([]);
    expect(findings([namespace('ml'), envJob('openshift-service-ca.crt')], 'kserve').map((f) => f[0])).toEqual(['error']);
    expect(findings([namespace('ml'), envJob('odh-trusted-ca-bundle')], 'kserve').map((f) => f[0])).toEqual(['error']);
  });

  describe('istio-ca-root-cert, which istiod writes into every namespace it watches', () => {
    const gateway = (name: string, ns = 'mesh-edge'): Doc => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [{ name: 'proxy', image: 'docker.io/istio/proxyv2:1.22.0', volumeMounts: [{ name: 'root-ca', mountPath: '/var/run/secrets/istio' }] }],
            volumes: [{ name: 'root-ca', configMap: { name: 'istio-ca-root-cert' } }],
          },
        },
      },
    });
    const istiod: Doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: {
        selector: { matchLabels: { app: 'istiod' } },
        template: { metadata: { labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.22.0' }] } },
      },
    };
    const reading = volumeJob({ configMap: { name: 'istio-ca-root-cert' } });

    test('a gateway pod running the proxy, or istiod installed by the tree: not missing', () => {
      expect(findings([namespace('mesh-edge'), gateway('edge-gateway')], 'kserve')).toEqual([]);
      expect(findings([namespace('ml'), istiod, reading], 'kserve')).toEqual([]);
    });

    test('a namespace labelled for injection, or an injected pod: not missing', () => {
      const labelled = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml', labels: { 'istio-injection': 'enabled' } } };
      expect(findings([labelled, reading], 'kserve')).toEqual([]);
      const injected = job({
        containers: mounting,
        volumes: [{ name: 'v', configMap: { name: 'istio-ca-root-cert' } }],
      });
      (((injected.spec as Doc).template as Doc).metadata as Doc) = { labels: { 'sidecar.istio.io/inject': 'true' } };
      expect(findings([namespace('ml'), injected], 'kserve')).toEqual([]);
    });

    test('near miss: no Istio anywhere in the tree, or a namespace istiod skips: still an error', () => {
      expect(findings([namespace('ml'), reading], 'kserve').map((f) => [f[0], f[1]])).toEqual([['error', 'Job/ml/j']]);
      const skipped = job({ containers: mounting, volumes: [{ name: 'v', configMap: { name: 'istio-ca-root-cert' } }] }, 'kube-node-lease');
      expect(findings([namespace('kube-node-lease'), istiod, skipped], 'kserve').map((f) => [f[0], f[1]])).toEqual([['error', 'Job/kube-node-lease/j']]);
    });
  });

  test('odh-trusted-ca-bundle is not made where the namespace opts out or the DSCInitialization stops managing it', () => {
    const optedOut = namespace('ml', { 'security.opendatahub.io/inject-trusted-ca-bundle': 'false' });
    expect(findings([optedOut, envJob('odh-trusted-ca-bundle')]).map((f) => f[0])).toEqual(['error']);
    const dsci = {
      apiVersion: 'dscinitialization.opendatahub.io/v1',
      kind: 'DSCInitialization',
      metadata: { name: 'default-dsci' },
      spec: { trustedCABundle: { managementState: 'Removed' } },
    };
    expect(findings([namespace('ml'), dsci, envJob('odh-trusted-ca-bundle')]).map((f) => f[0])).toEqual(['error']);
    expect(findings([namespace('ml', { 'security.opendatahub.io/inject-trusted-ca-bundle': 'true' }), envJob('odh-trusted-ca-bundle')])).toEqual([]);
  });
});

describe('pod-reference-not-found: PersistentVolumeClaims', () => {
  const claimJob = (claimName: string) => volumeJob({ persistentVolumeClaim: { claimName } });

  // kube-scheduler's VolumeBinding plugin reads every claim of pod.spec.volumes, mounted or not
  test('a claim no container mounts still holds the pod Pending: an error', () => {
    const idle = volumeJob({ persistentVolumeClaim: { claimName: 'weights' } }, [{ name: 'c', image: 'busybox' }]);
    expect(findings([namespace('ml'), idle]).map((f) => f[0])).toEqual(['error']);
  });

  test('a claim nothing makes: an error; the claim in the namespace: none', () => {
    expect(findings([namespace('ml'), claimJob('cache')])).toEqual([
      [
        'error',
        'Job/ml/j',
        "spec.template.spec.volumes[v].persistentVolumeClaim.claimName 'cache': namespace 'ml' is created by the tree (Namespace ml), and no PersistentVolumeClaim 'cache' is in it; " +
          'no StatefulSet volumeClaimTemplate or ephemeral volume of the tree makes it, so the Job\'s pods stay Pending (persistentvolumeclaim "cache" not found): ' +
          "add the PersistentVolumeClaim 'cache' to namespace 'ml' in the tree, or name a claim that exists there",
      ],
    ]);
    expect(findings([namespace('ml'), claimJob('cache'), claim('cache')])).toEqual([]);
  });

  test("a StatefulSet's template claim <template>-<set>-<ordinal> is made by the StatefulSet controller", () => {
    const set = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'ml' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      },
    };
    expect(findings([namespace('ml'), set, claimJob('data-db-0')])).toEqual([]);
    expect(findings([namespace('ml'), set, claimJob('data-db-x')]).map((f) => f[0])).toEqual(['error']);
    expect(findings([namespace('ml'), set, claimJob('logs-db-0')]).map((f) => f[0])).toEqual(['error']);
  });

  test('an ephemeral volume claim <pod>-<volume> is made by the ephemeral volume controller', () => {
    const eph = {
      ...volumeJob({ ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }),
      metadata: { name: 'gen', namespace: 'ml' },
    };
    expect(findings([namespace('ml'), eph, claimJob('gen-x7k2p-v')])).toEqual([]);
  });

  test('an InferenceService pvc:// storageUri: KServe mounts the claim', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ml' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: 'pvc://weights/models/chat' } } },
    };
    expect(findings([namespace('ml'), isvc]).map((f) => [f[1], f[2].split(':')[0]])).toEqual([
      ['InferenceService/ml/chat', "spec.predictor.model.storageUri 'weights' (KServe mounts the claim of a pvc"],
    ]);
    expect(findings([namespace('ml'), isvc, claim('weights')])).toEqual([]);
  });

  test('an LLMInferenceService pvc:// model URI too', () => {
    const llm = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'chat', namespace: 'ml' },
      spec: { model: { uri: 'pvc://weights/chat' } },
    };
    expect(findings([namespace('ml'), llm]).map((f) => f[2].split(' (')[0])).toEqual(["spec.model.uri 'weights'"]);
  });

  test("a Notebook's claim is an error: the dashboard makes a claim only for a workbench it creates, not one of the tree", () => {
    const notebook = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      metadata: { name: 'wb', namespace: 'ml' },
      spec: { template: { spec: { containers: [{ name: 'wb', image: 'x' }], volumes: [{ name: 'home', persistentVolumeClaim: { claimName: 'wb' } }] } } },
    };
    expect(findings([namespace('ml'), notebook]).map((f) => [f[0], f[2].split(':')[0]])).toEqual([
      ['error', "spec.template.spec.volumes[home].persistentVolumeClaim.claimName 'wb'"],
    ]);
    // near miss: the tree holds the claim in the namespace
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wb', namespace: 'ml' }, spec: {} };
    expect(findings([namespace('ml'), notebook, claim])).toEqual([]);
  });

  test("a Notebook's pod is judged as a Deployment's: a ConfigMap it reads, a claim it mounts (a Notebook of another group is not)", () => {
    const notebook = (apiVersion: string): Doc => ({
      apiVersion,
      kind: 'Notebook',
      metadata: { name: 'wb', namespace: 'ml' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'wb', image: 'x', envFrom: [{ configMapRef: { name: 'wb-env' } }] }],
            volumes: [{ name: 'home', persistentVolumeClaim: { claimName: 'wb' } }],
          },
        },
      },
    });
    expect(findings([namespace('ml'), notebook('kubeflow.org/v1'), claim('wb')])).toEqual([
      [
        'error',
        'Notebook/ml/wb',
        expect.stringMatching(
          /^spec\.template\.spec container 'wb' envFrom reads ConfigMap 'wb-env': namespace 'ml' is created by the tree .*the Notebook's pods stay in CreateContainerConfigError/,
        ),
      ],
    ]);
    expect(findings([namespace('ml'), notebook('kubeflow.org/v1'), claim('wb'), configMap('wb-env', 'ml')])).toEqual([]);
    expect(findings([namespace('ml'), notebook('example.org/v1')])).toEqual([]);
  });

  test('a RayCluster worker group is judged too, at its own path', () => {
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'r', namespace: 'ml' },
      spec: {
        headGroupSpec: { template: { spec: { containers: [{ name: 'head', image: 'x' }] } } },
        workerGroupSpecs: [
          {
            groupName: 'g',
            template: {
              spec: {
                containers: [{ name: 'w', image: 'x', envFrom: [{ configMapRef: { name: 'ray-env' } }] }],
                volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'datasets' } }],
              },
            },
          },
        ],
      },
    };
    expect(findings([namespace('ml'), ray]).map((f) => f[2].split(':')[0])).toEqual([
      "spec.workerGroupSpecs[0].template.spec container 'w' envFrom reads ConfigMap 'ray-env'",
      "spec.workerGroupSpecs[0].template.spec.volumes[data].persistentVolumeClaim.claimName 'datasets'",
    ]);
  });
});

describe('pod-reference-not-found: claims in a namespace the tree does not create', () => {
  const placed = (file: string, manifest: Doc) => ({ manifest, file });
  const inFolder = (...docs: { manifest: Doc; file: string }[]) => severityObjectMessages(ruleFound('pod-reference-not-found', docs, { platform: 'kserve' }));
  const bare = (m: Doc): Doc => ({ ...m, metadata: { ...(m.metadata as Doc), namespace: undefined } });
  const isvc = (uri: string): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'tiny' },
    spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: uri } } },
  });

  test('the folder makes another claim where the workload runs and not the one it mounts: an error naming both', () => {
    expect(inFolder(placed('pvc/store.yaml', bare(claim('download-claim'))), placed('pvc/isvc.yaml', isvc('pvc://model-claim')))).toEqual([
      [
        'error',
        'InferenceService/tiny',
        expect.stringMatching(
          /^spec\.predictor\.model\.storageUri 'model-claim' \(KServe mounts the claim of a pvc:\/\/ URI in the predictor pod\): the folder makes PersistentVolumeClaim 'download-claim' in the namespace it is applied to, but not 'model-claim'.*renamed or never made.*stay Pending/,
        ),
      ],
    ]);
    expect(
      inFolder(placed('jobs/store.yaml', claim('cache')), placed('jobs/job.yaml', volumeJob({ persistentVolumeClaim: { claimName: 'weights' } }))),
    ).toEqual([
      [
        'error',
        'Job/ml/j',
        expect.stringMatching(
          /^spec\.template\.spec\.volumes\[v\]\.persistentVolumeClaim\.claimName 'weights': the folder makes PersistentVolumeClaim 'cache' in namespace 'ml', but not 'weights'/,
        ),
      ],
    ]);
  });

  test('no claim in the folder, one in another folder or namespace, or the claim itself there: not judged', () => {
    expect(inFolder(placed('pvc/isvc.yaml', isvc('pvc://model-claim')))).toEqual([]);
    expect(inFolder(placed('other/store.yaml', bare(claim('download-claim'))), placed('pvc/isvc.yaml', isvc('pvc://model-claim')))).toEqual([]);
    expect(inFolder(placed('pvc/store.yaml', claim('download-claim', 'data')), placed('pvc/isvc.yaml', isvc('pvc://model-claim')))).toEqual([]);
    expect(inFolder(placed('pvc/store.yaml', bare(claim('model-claim'))), placed('pvc/isvc.yaml', isvc('pvc://model-claim/models/tiny')))).toEqual([]);
  });
});

describe('pod-reference-not-found: a namespace the tree does not create but shows the contents of', () => {
  const placed = (file: string, manifest: Doc) => ({ manifest, file });
  const judged = (...docs: { manifest: Doc; file: string }[]) => severityMessages(ruleFound('pod-reference-not-found', docs, { platform: 'kserve' }));
  const claimJob = (name: string) => volumeJob({ persistentVolumeClaim: { claimName: name } });

  test('a claim whose name shares a stem with one the tree holds in that namespace: an error naming it', () => {
    expect(judged(placed('storage/claim.yaml', claim('shared-weights-ml')), placed('serve/job.yaml', claimJob('shared-weights')))).toEqual([
      [
        'error',
        expect.stringMatching(
          /'shared-weights': the tree holds PersistentVolumeClaim 'shared-weights-ml' in namespace 'ml' but not 'shared-weights': did you mean shared-weights-ml\?/,
        ),
      ],
    ]);
    // a typo away, either way round
    expect(judged(placed('storage/claim.yaml', claim('datasets')), placed('serve/job.yaml', claimJob('dataset')))[0]).toEqual([
      'error',
      expect.stringMatching(/did you mean datasets\?/),
    ]);
  });

  test('a claim with no close name among those the namespace holds: a warning saying what is assumed', () => {
    expect(judged(placed('storage/claim.yaml', claim('scratch')), placed('serve/job.yaml', claimJob('model-store')))).toEqual([
      [
        'warning',
        expect.stringMatching(
          /the tree holds PersistentVolumeClaim 'scratch' in namespace 'ml' but not 'model-store'; the tree does not create the namespace, so 'model-store' may be made elsewhere \(assumed not\)/,
        ),
      ],
    ]);
  });

  test('a ConfigMap the namespace lacks beside others the tree holds there: judged alike', () => {
    expect(judged(placed('config/settings.yaml', configMap('serve-settings', 'ml')), placed('serve/job.yaml', envJob('serve-setting')))).toEqual([
      [
        'error',
        expect.stringMatching(
          /container 'c' env X 'serve-setting': the tree holds ConfigMap 'serve-settings' in namespace 'ml'.*did you mean serve-settings\?/,
        ),
      ],
    ]);
  });

  test('near misses: nothing of the kind in that namespace, only in another, the object itself there, or a controller makes it', () => {
    expect(judged(placed('serve/job.yaml', claimJob('shared-weights')))).toEqual([]);
    expect(judged(placed('storage/claim.yaml', claim('shared-weights-ml', 'data')), placed('serve/job.yaml', claimJob('shared-weights')))).toEqual([]);
    expect(judged(placed('storage/claim.yaml', claim('shared-weights')), placed('serve/job.yaml', claimJob('shared-weights')))).toEqual([]);
    expect(judged(placed('config/settings.yaml', configMap('serve-settings', 'ml')), placed('serve/job.yaml', envJob('kube-root-ca.crt')))).toEqual([]);
  });
});

describe('pod-reference-not-found: a root kustomize refuses to build', () => {
  const pvc =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: train-data, namespace: ml}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n';
  const pod = (kind: string) =>
    kind === 'Job'
      ? 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: ml}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n      volumes: [{name: data, persistentVolumeClaim: {claimName: train-data}}, {name: scratch, persistentVolumeClaim: {claimName: scratch}}]\n'
      : 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: export, namespace: ml}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox}]\n          volumes: [{name: data, persistentVolumeClaim: {claimName: export-data}}]\n';

  test('the objects of a root whose listed claim file the load restrictor refuses are not judged; a root that builds without the claim is', async () => {
    const dir = writeTree('refused-root-', {
      'components/train/kustomization.yaml': 'resources: [namespace.yaml, job.yaml]\n',
      'components/train/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n',
      'components/train/job.yaml': pod('Job'),
      'components/export/kustomization.yaml': 'resources: [cronjob.yaml]\n',
      'components/export/cronjob.yaml': pod('CronJob'),
      // the claims file sits in the folder of a kustomization that does not list it
      'overlays/kustomization.yaml': 'resources: [export]\n',
      'overlays/claims.yaml': pvc,
      // refused: ../claims.yaml is above the root ("security; file … is not in or below …")
      'overlays/train/kustomization.yaml': 'resources: [../../components/train, ../claims.yaml]\n',
      // builds, but no claim export-data is anywhere in the namespace the tree creates
      'overlays/export/kustomization.yaml': 'resources: [../../components/export]\n',
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    const rules = (id: string) =>
      report.findings
        .filter((f: { rule: string }) => f.rule === id)
        .map((f: { severity: string; object: string }) => [f.severity, f.object.replace(`${dir}/`, '')]);
    expect(rules('kustomize-build-fails')).toEqual([['error', 'overlays/train/kustomization.yaml']]);
    // the failed root's claim scratch is defined nowhere: judged as in any root; train-data follows from the failed build
    expect(rules('pod-reference-not-found')).toEqual([
      ['error', 'CronJob/ml/export'],
      ['error', 'Job/ml/train'],
    ]);
    expect(report.findings.filter((f: { rule: string; object: string }) => f.object === 'Job/ml/train').map((f: { message: string }) => f.message)).toEqual([
      expect.stringMatching(/^spec\.template\.spec\.volumes\[scratch\]\.persistentVolumeClaim\.claimName 'scratch'/),
    ]);
  });
});

describe('pod-reference-not-found: ConfigMaps a script makes with a piped dry run', () => {
  const deployment =
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: observe}\n---\n' +
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dashboards, namespace: observe}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n' +
    '    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: busybox, volumeMounts: [{name: sources, mountPath: /etc/sources}]}]\n' +
    '      volumes: [{name: sources, configMap: {name: panel-sources}}]\n';
  const verdicts = async (script: string) => {
    const dir = writeTree('piped-dry-run-', { 'deploy/dashboards.yaml': deployment, 'deploy/install.sh': script });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'pod-reference-not-found')
      .map((f: { severity: string; object: string }) => [f.severity, f.object]);
  };
  const heredocArgument = (name: string, ns: string) =>
    [
      'set -e',
      'TARGET=observe',
      `oc create cm ${name} -n ${ns} --dry-run=client -o yaml \\`,
      '  --from-literal=sources.yaml="$(cat <<EOF',
      'sources:',
      '  - url: https://${HOST}',
      'EOF',
      ')" | oc apply -f -',
      'oc apply -f dashboards.yaml',
    ].join('\n');

  test('`create cm … --dry-run=client -o yaml --from-literal=k="$(cat <<EOF …)" | oc apply -f -` makes the ConfigMap, in the namespace the script sets', async () => {
    // the script makes it: a note that the pods wait for the script, no error
    expect(await verdicts(heredocArgument('panel-sources', '$TARGET'))).toEqual([['info', 'Deployment/observe/dashboards']]);
    expect(
      await verdicts('kubectl create configmap panel-sources -n observe --from-file=sources.yaml --dry-run=client -o yaml | kubectl apply -f -\n'),
    ).toEqual([['info', 'Deployment/observe/dashboards']]);
  });

  test('near misses: another name, another namespace, or a dry run only printed to a file', async () => {
    expect(await verdicts(heredocArgument('panel-source', '$TARGET'))).toEqual([['error', 'Deployment/observe/dashboards']]);
    expect(await verdicts(heredocArgument('panel-sources', 'elsewhere'))).toEqual([['error', 'Deployment/observe/dashboards']]);
    expect(await verdicts('kubectl create configmap panel-sources -n observe --from-file=sources.yaml --dry-run=client -o yaml > sources-cm.yaml\n')).toEqual([
      ['error', 'Deployment/observe/dashboards'],
    ]);
  });
});

describe('pod-reference-not-found: the ConfigMap of a generator whose build kustomize refuses', () => {
  const job = (configMap: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata: {name: setup, namespace: gpu}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, volumeMounts: [{name: scripts, mountPath: /scripts}]}]\n      volumes: [{name: scripts, configMap: {name: ${configMap}}}]\n`;
  const component = (generatorFiles: string) =>
    `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [job.yaml]\ngeneratorOptions: {disableNameSuffixHash: true}\nconfigMapGenerator:\n  - name: setup-scripts\n    files: [${generatorFiles}]\n`;
  const tree = (generatorFiles: string, configMap: string) => ({
    'base/kustomization.yaml': 'resources: [namespace.yaml]\n',
    'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: gpu}\n',
    'setup/kustomization.yaml': component(generatorFiles),
    'setup/job.yaml': job(configMap),
    'setup/job.sh': 'echo ready\n',
    'overlays/a/kustomization.yaml': 'namespace: gpu\nresources: [../../base]\ncomponents: [../../setup]\n',
    'overlays/b/kustomization.yaml': 'namespace: gpu\nresources: [../../base]\ncomponents: [../../setup]\n',
  });
  const judge = async (files: Record<string, string>) => {
    const dir = writeTree('failed-generator-', files);
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return (id: string) =>
      report.findings
        .filter((f: { rule: string }) => f.rule === id)
        .map((f: { severity: string; object: string }) => [f.severity, f.object.replace(`${dir}/`, '')]);
  };

  test("a generator listing a missing file fails the build; the ConfigMap it would make is not reported again for each overlay's copy", async () => {
    const rules = await judge(tree('job.sh, missing-patch.yaml', 'setup-scripts'));
    expect(rules('kustomize-build-fails')).toEqual([['error', 'setup/kustomization.yaml']]);
    expect(rules('pod-reference-not-found')).toEqual([]);
  });

  test('near misses: a ConfigMap no generator of the build makes is still judged; the generator that builds makes it', async () => {
    const other = await judge(tree('job.sh, missing-patch.yaml', 'other-scripts'));
    expect(other('pod-reference-not-found').length).toBeGreaterThan(0);
    expect(other('pod-reference-not-found').every(([, object]: string[]) => object === 'Job/gpu/setup')).toBe(true);
    const built = await judge(tree('job.sh', 'setup-scripts'));
    expect(built('kustomize-build-fails')).toEqual([]);
    expect(built('pod-reference-not-found')).toEqual([]);
  });
});

describe('pod-reference-not-found: a name holding template syntax is no name', () => {
  const placed = (file: string, manifest: Doc) => ({ manifest, file });
  const judged = (...docs: { manifest: Doc; file: string }[]) =>
    runChecks(docs, { platform: 'kserve' })
      .filter((f) => f.rule === 'pod-reference-not-found' || f.rule === 'unrendered-placeholder')
      .map((f) => [f.rule, f.severity, f.message]);
  const isvc = (uri: string): Doc => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris' },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: uri } } },
  });
  const unnamespaced = (m: Doc): Doc => ({ ...m, metadata: { ...(m.metadata as Doc), namespace: undefined } });

  test('a pvc:// URI whose claim is `${CLAIM}`, beside the claim the folder makes: not a missing claim (it was reported as one)', () => {
    expect(judged(placed('guide/claim.yaml', unnamespaced(claim('iris-data'))), placed('guide/isvc.yaml', isvc('pvc://${CLAIM}/model.joblib')))).toEqual([
      ['unrendered-placeholder', 'warning', expect.stringMatching(/^spec\.predictor\.model\.storageUri holds '\$\{CLAIM\}'/)],
    ]);
  });

  test('a claimName or a ConfigMap name of `${…}` in a namespace the tree creates: unrendered-placeholder says it, once, as an error', () => {
    const claimed = volumeJob({ persistentVolumeClaim: { claimName: '${CLAIM}' } });
    expect(judged(placed('ml/ns.yaml', namespace('ml')), placed('ml/job.yaml', claimed))).toEqual([
      ['unrendered-placeholder', 'error', expect.stringMatching(/^spec\.template\.spec\.volumes\[v\]\.persistentVolumeClaim\.claimName holds '\$\{CLAIM\}'/)],
    ]);
    expect(judged(placed('ml/ns.yaml', namespace('ml')), placed('ml/job.yaml', envJob('${SETTINGS}')))).toEqual([
      ['unrendered-placeholder', 'error', expect.stringMatching(/^container 'c' env X ConfigMap name holds '\$\{SETTINGS\}'/)],
    ]);
  });

  test('near miss: a literal name the folder does not make is still a missing claim', () => {
    expect(judged(placed('guide/claim.yaml', unnamespaced(claim('iris-data'))), placed('guide/isvc.yaml', isvc('pvc://iris-dta/model.joblib')))).toEqual([
      ['pod-reference-not-found', 'error', expect.stringMatching(/storageUri 'iris-dta'.*the folder makes PersistentVolumeClaim 'iris-data'/)],
    ]);
  });
});

describe('pod-reference-not-found: ConfigMaps the repository around the checked folder makes outside it', () => {
  const app =
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: serving}\n---\n' +
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: serving}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n' +
    '    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: c, image: busybox, envFrom: [{configMapRef: {name: api-settings}}]}]\n';
  /** The verdicts on the folder `checked` of a git repository holding `files` besides k8s/app.yaml, as [severity, message]. */
  const verdicts = async (files: Record<string, string>, checked = 'k8s') => {
    const repo = writeTree('outside-creators-', { '.git/HEAD': 'ref: refs/heads/main\n', 'k8s/app.yaml': app, ...files });
    const report = JSON.parse((await cliInProcess(['check', `${repo}/${checked}`, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'pod-reference-not-found')
      .map((f: { severity: string; message: string }) => [f.severity, f.message]);
  };
  const workflow = (command: string) =>
    `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: settings\n        run: |\n          ${command}\n      - run: kubectl apply -f k8s/\n`;
  const task = (module: string) => `- name: api settings\n  hosts: localhost\n  tasks:\n    - name: settings\n${module}`;
  const definition = (name: string, ns: string) =>
    `      kubernetes.core.k8s:\n        state: present\n        definition:\n          apiVersion: v1\n          kind: ConfigMap\n          metadata:\n            name: ${name}\n            namespace: ${ns}\n          data:\n            MODE: "{{ mode }}"\n`;

  test('a CI workflow step that creates it (`create configmap … --dry-run=client -o yaml | kubectl apply -f -`): a note naming the workflow, its line and that check does not see its content', async () => {
    expect(
      await verdicts({
        '.github/workflows/deploy.yml': workflow(
          'kubectl create configmap api-settings -n serving --from-env-file=config/api.env --dry-run=client -o yaml | kubectl apply -f -',
        ),
      }),
    ).toEqual([
      [
        'info',
        "ConfigMap 'api-settings' is not a manifest of the tree: ../.github/workflows/deploy.yml (line 10), outside the checked folder, creates it " +
          '(kubectl create configmap api-settings -n serving --from-env-file=config/api.env --dry-run=client -o yaml | kubectl apply -f -), so check does not see what it holds; ' +
          'until it has run the pods wait for it: make sure it runs before the sync, or move the ConfigMap into the tree',
      ],
    ]);
    // a GitLab pipeline, a Makefile at the root, a Tekton Task's script
    const gitlab = 'deploy:\n  script:\n    - oc create cm api-settings --from-file=settings.yaml -n serving\n    - oc apply -f k8s/\n';
    const makefile = 'deploy:\n\toc create configmap api-settings --from-file=settings.yaml\n\toc apply -f k8s/\n';
    const tekton =
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: settings}\nspec:\n  steps:\n    - name: create\n      image: quay.io/openshift/origin-cli\n      script: |\n        oc create configmap api-settings --from-literal=MODE=fast -n serving\n';
    const creators: Record<string, string>[] = [{ '.gitlab-ci.yml': gitlab }, { Makefile: makefile }, { '.tekton/settings-task.yaml': tekton }];
    for (const files of creators) expect((await verdicts(files)).map((v: string[]) => v[0])).toEqual(['info']);
  });

  test('an Ansible task that makes it (kubernetes.core.k8s definition, src of a template, kind and name, oc create configmap): a note', async () => {
    expect(await verdicts({ 'ansible/site.yml': task(definition('api-settings', 'serving')) })).toEqual([
      [
        'info',
        expect.stringMatching(
          /^ConfigMap 'api-settings' is not a manifest of the tree: \.\.\/ansible\/site\.yml \(line 5\), outside the checked folder, creates it \(kubernetes\.core\.k8s task\)/,
        ),
      ],
    ]);
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-settings\n  namespace: {{ target_namespace }}\ndata:\n  MODE: {{ mode }}\n';
    const fromTemplate = {
      'roles/api/tasks/main.yml': '- name: settings\n  k8s:\n    state: present\n    template: settings.yaml.j2\n',
      'roles/api/templates/settings.yaml.j2': template,
    };
    const byName = {
      'playbooks/api.yml': task('      community.kubernetes.k8s:\n        kind: ConfigMap\n        name: api-settings\n        namespace: serving\n'),
    };
    const command = {
      'ansible/roles/api/tasks/main.yml': '- name: settings\n  ansible.builtin.shell: oc create configmap api-settings --from-file=settings.yaml -n {{ ns }}\n',
    };
    for (const files of [fromTemplate, byName, command]) expect((await verdicts(files)).map((v: string[]) => v[0])).toEqual(['info']);
    // the repository's root checked: the tree's own roles are read as tasks too
    expect((await verdicts({ 'ansible/site.yml': task(definition('api-settings', 'serving')) }, '.')).map((v: string[]) => v[0])).toEqual(['info']);
  });

  test('a guide outside the folder that creates it and names the folder: a note; one that does not name the folder makes nothing for it', async () => {
    const guide = (apply: string) => `# Deploy\n\n\`\`\`sh\nkubectl create configmap api-settings -n serving --from-file=settings.yaml\n${apply}\n\`\`\`\n`;
    expect((await verdicts({ 'docs/deploy.md': guide('kubectl apply -f k8s/') })).map((v: string[]) => v[0])).toEqual(['info']);
    expect((await verdicts({ 'docs/deploy.md': guide('kubectl apply -f elsewhere/') })).map((v: string[]) => v[0])).toEqual(['error']);
  });

  test('near misses: a creator of another name, in another namespace, or one that deletes it: still an error', async () => {
    const create = (name: string, ns: string) =>
      workflow(`kubectl create configmap ${name} -n ${ns} --from-env-file=config/api.env --dry-run=client -o yaml | kubectl apply -f -`);
    expect((await verdicts({ '.github/workflows/deploy.yml': create('api-setting', 'serving') })).map((v: string[]) => v[0])).toEqual(['error']);
    expect((await verdicts({ '.github/workflows/deploy.yml': create('api-settings', 'staging') })).map((v: string[]) => v[0])).toEqual(['error']);
    expect((await verdicts({ 'ansible/site.yml': task(definition('api-settings', 'staging')) })).map((v: string[]) => v[0])).toEqual(['error']);
    const absent = task('      kubernetes.core.k8s:\n        state: absent\n        kind: ConfigMap\n        name: api-settings\n        namespace: serving\n');
    expect((await verdicts({ 'ansible/site.yml': absent })).map((v: string[]) => v[0])).toEqual(['error']);
  });
});

describe('pod-reference-not-found: the objects of one OpenShift Template', () => {
  const template = (objects: Doc[]): Doc => ({
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'lab' },
    objects,
    parameters: [
      { name: 'NAME', value: 'lab' },
      { name: 'NS', value: 'ml' },
    ],
  });
  const claimed = (claimName: string): Doc => ({ ...job({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }], containers: mounting }, '${NS}') });
  const templateClaim = { ...claim('${NAME}', '${NS}') };

  test('a claim the same Template makes, both named by a parameter: `oc process` makes them together, nothing found', () => {
    expect(findings([namespace('ml'), template([templateClaim, claimed('${NAME}')])])).toEqual([]);
  });

  test('a claim the Template does not make is still named, with the parameter it was filled from', () => {
    const found = findings([namespace('ml'), template([templateClaim, claimed('${NAME}-data')])]);
    expect(found.map(([severity, object]) => [severity, object])).toEqual([['warning', 'Job/ml/j']]);
    expect(found[0][2]).toContain("no PersistentVolumeClaim 'lab-data' is in it");
    expect(found[0][2]).toContain('an object of Template/lab');
  });
});

describe('pod-reference-not-found: a ConfigMap the CI workflows of the repository create', () => {
  const DAEMON_SET = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: node-setup, namespace: ops}',
    'spec:',
    '  selector: {matchLabels: {app: node-setup}}',
    '  template:',
    '    metadata: {labels: {app: node-setup}}',
    '    spec:',
    '      containers:',
    '        - name: setup',
    '          image: quay.io/acme/setup:1.0',
    '          command: [sh, /opt/setup/setup.sh]',
    '          volumeMounts: [{name: script, mountPath: /opt/setup}]',
    '      volumes:',
    '        - name: script',
    '          configMap: {name: script}',
    '',
  ].join('\n');
  const tree = {
    'k8s/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ops}\n',
    'k8s/daemonset.yaml': DAEMON_SET,
    'scripts/setup.sh': 'echo ready\n',
  };
  const workflow = (create: string) =>
    `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Apply\n        run: |\n          ${create}\n          kubectl apply -f k8s/\n`;
  const gitlab = (create: string) => `deploy:\n  stage: deploy\n  script:\n    - ${create}\n    - kubectl apply -f k8s/\n`;
  const CREATE = 'kubectl create configmap script --from-file=scripts/setup.sh -n ops';
  const found = async (files: Record<string, string>, checked = '.') => {
    const dir = writeTree('ci-configmap-', { ...tree, ...files });
    execFileSync('git', ['init', '-q', dir]);
    const { out } = await cliInProcess(['check', path.join(dir, checked), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'pod-reference-not-found')
      .map((f) => [f.severity, f.message]);
  };

  test('a run: step of .github/workflows and a script: entry of .gitlab-ci.yml make it, as a shell script does: a note, at the root and from the subfolder', async () => {
    const note = [
      'info',
      expect.stringMatching(
        /^ConfigMap 'script' is not a manifest of the tree: .*(\.github\/workflows\/deploy\.yml|\.gitlab-ci\.yml) \(line \d+\).*creates it/,
      ),
    ];
    expect(await found({ '.github/workflows/deploy.yml': workflow(CREATE) })).toEqual([note]);
    expect(await found({ '.gitlab-ci.yml': gitlab(CREATE) })).toEqual([note]);
    expect(await found({ '.github/workflows/deploy.yml': workflow(CREATE) }, 'k8s')).toEqual([note]);
  });

  test('a composite action a workflow uses (.github/actions/<name>/action.yml) and a GitLab CI file of .gitlab/ make it too (they were errors)', async () => {
    const action = `name: deploy\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: |\n        ${CREATE}\n        kubectl apply -f k8s/\n`;
    const uses =
      'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/deploy\n';
    const note = (file: string) => [
      'info',
      expect.stringMatching(new RegExp(`^ConfigMap 'script' is not a manifest of the tree: .*${file.replace(/\./g, '\\.')} \\(line \\d+\\).*creates it`)),
    ];
    const composite = { '.github/workflows/deploy.yml': uses, '.github/actions/deploy/action.yml': action };
    expect(await found(composite)).toEqual([note('.github/actions/deploy/action.yml')]);
    expect(await found(composite, 'k8s')).toEqual([note('.github/actions/deploy/action.yml')]);
    const included = { '.gitlab-ci.yml': 'include:\n  - local: .gitlab/ci/deploy.yml\n', '.gitlab/ci/deploy.yml': gitlab(CREATE) };
    expect(await found(included)).toEqual([note('.gitlab/ci/deploy.yml')]);
    expect(await found(included, 'k8s')).toEqual([note('.gitlab/ci/deploy.yml')]);
  });

  test('still fires: a workflow that creates a ConfigMap of another name leaves the error', async () => {
    expect(await found({ '.github/workflows/deploy.yml': workflow(CREATE.replace('configmap script', 'configmap other-script')) })).toEqual([
      ['error', expect.stringMatching(/ConfigMap 'script'/)],
    ]);
  });
});

describe('pod-reference-not-found: a name holding a token the sed of its file replaces before the apply', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'runner', namespace: 'web' },
    spec: { containers: [{ name: 'runner', image: 'quay.io/acme/runner:1.0', envFrom: [{ configMapRef: { name: 'settings-V_ACC' } }] }] },
  };
  const rendered = {
    file: '/tree/manifests/runner.yaml',
    template: "deploy.sh (line 4) fills it with sed (replacing 'V_ACC') before applying it",
    sedFills: ['V_ACC'],
    renderedWith: 'sed',
  };
  const judged = (marks: Record<string, unknown>) =>
    runChecks([{ manifest: namespace }, { manifest: pod, ...marks }], { platform: 'kserve', rules: ['pod-reference-not-found'] }).map((f) => [
      f.severity,
      f.message,
    ]);

  test('the error rests on the token: a warning, saying the rendering replaces it (as an OpenShift Template parameter is)', () => {
    expect(judged(rendered)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec container 'runner' envFrom reads ConfigMap 'settings-V_ACC'.* \(judged as a template, since deploy\.sh \(line 4\) fills it with sed \(replacing 'V_ACC'\) before applying it: the finding rests on 'V_ACC', which that rendering replaces\)$/,
        ),
      ],
    ]);
  });

  test('still fires: the same pod in a file nothing renders, or a sed that replaces another token', () => {
    expect(judged({ file: '/tree/manifests/runner.yaml' }).map(([severity]) => severity)).toEqual(['error']);
    expect(judged({ ...rendered, sedFills: ['V_REGION'] }).map(([severity]) => severity)).toEqual(['error']);
  });
});

describe('pod-reference-not-found: a release into the namespace whose chart check does not render', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } };
  const pod = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'registry.example.org/web:1.0', envFrom: [{ configMapRef: { name: 'web-settings' } }] }] },
      },
    },
  };
  const release = (namespace: string) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'settings', namespace: 'flux-system' },
    spec: { interval: '1h', targetNamespace: namespace, chart: { spec: { chart: 'app-settings', sourceRef: { kind: 'HelmRepository', name: 'internal' } } } },
  });
  const found = (objects: object[]) =>
    severityMessages(
      ruleFound(
        'pod-reference-not-found',
        objects.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
    );

  test('a HelmRelease of a registry chart into the created namespace may make the ConfigMap: no error', () => {
    expect(found([ns, pod, release('llm')])).toEqual([]);
  });

  test('near miss: the release installs into another namespace, so nothing else makes it: the error', () => {
    expect(found([ns, pod, release('tools')])).toEqual([
      ['error', expect.stringMatching(/^spec\.template\.spec container 'web' envFrom reads ConfigMap 'web-settings': namespace 'llm' is created by the tree/)],
    ]);
  });
});

describe('pod-reference-not-found: the pods of an app-template release, rendered from its values', () => {
  const values = (claim: string) =>
    `controllers:\n  chat:\n    containers:\n      app:\n        image: {repository: docker.io/ollama/ollama, tag: 0.12.3}\n` +
    `persistence:\n  models:\n    existingClaim: ${claim}\n    globalMounts:\n      - path: /root/.ollama\n`;
  const pvc =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: chat-models, namespace: assistants}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 40Gi}}\n';

  test("persistence.models.existingClaim names a claim the folder does not make: an error on the rendered Deployment, naming the release's values", async () => {
    const found = await treeRuleFound('pod-reference-not-found', 'app-template-claim-', {
      ...appTemplateTree('chat', 'assistants', '4.1.1', values('chat')),
      'claim.yaml': pvc,
    });
    expect(severityObjectMessages(found)).toEqual([
      [
        'error',
        'Deployment/assistants/chat',
        "spec.template.spec.volumes[models].persistentVolumeClaim.claimName 'chat': the folder makes PersistentVolumeClaim 'chat-models' in namespace 'assistants', but not 'chat', and nothing else in the tree makes it: the folder provisions its pods' storage, so a claim it lacks was renamed or never made, and the Deployment's pods stay Pending (persistentvolumeclaim \"chat\" not found): name a claim the folder makes, or add PersistentVolumeClaim 'chat' beside them (Deployment/assistants/chat as rendered from the app-template 4.1.1 values of HelmRelease assistants/chat)",
      ],
    ]);
  });

  test('near misses: the claim the folder makes; a claim the chart makes itself (no existingClaim); a major the model does not port', async () => {
    expect(
      await treeRuleFound('pod-reference-not-found', 'app-template-claim-', {
        ...appTemplateTree('chat', 'assistants', '4.1.1', values('chat-models')),
        'claim.yaml': pvc,
      }),
    ).toEqual([]);
    const own = values('x').replace('    existingClaim: x\n', '    accessMode: ReadWriteOnce\n    size: 40Gi\n');
    expect(
      await treeRuleFound('pod-reference-not-found', 'app-template-claim-', { ...appTemplateTree('chat', 'assistants', '4.1.1', own), 'claim.yaml': pvc }),
    ).toEqual([]);
    expect(
      await treeRuleFound('pod-reference-not-found', 'app-template-claim-', {
        ...appTemplateTree('chat', 'assistants', '6.0.0', values('chat')),
        'claim.yaml': pvc,
      }),
    ).toEqual([]);
  });
});

describe('pod-reference-not-found: a claim a script of the repository renders with sed before applying it', () => {
  const claim =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: weights-cache\n  namespace: TARGET_NS\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 20Gi\n';
  const serve = {
    'serve/kustomization.yaml': 'namespace: inference\nresources: [namespace.yaml, deployment.yaml]\n',
    'serve/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: inference}\n',
    'serve/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: server}\nspec:\n  strategy: {type: Recreate}\n  selector: {matchLabels: {app: server}}\n  template:\n' +
      '    metadata: {labels: {app: server}}\n    spec:\n      containers: [{name: server, image: quay.io/acme/server:1.0, volumeMounts: [{name: cache, mountPath: /cache}]}]\n' +
      '      volumes: [{name: cache, persistentVolumeClaim: {claimName: weights-cache}}]\n',
  };
  /** The severities on the folder checked (serve/, or the repository's root) of a repository whose hack/setup.sh runs `script`. */
  const verdicts = async (script: string, checked: string) => {
    const repo = writeTree('sed-claim-', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'claims/cache-claim.yaml': claim,
      ...serve,
      'hack/setup.sh': `#!/bin/bash\nset -e\n${script}\noc apply -k serve\n`,
    });
    const report = JSON.parse((await cliInProcess(['check', `${repo}/${checked}`, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'pod-reference-not-found')
      .map((f: { severity: string }) => f.severity)
      .filter((s: string) => s !== 'info');
  };

  test.each([
    ['sed "s/X/Y/" | oc apply -f -', 'sed "s/TARGET_NS/inference/" claims/cache-claim.yaml | oc apply -f -'],
    ['several -e, | delimiters, flag g', "sed -e 's|TARGET_NS|inference|g' -e 's|20Gi|40Gi|' claims/cache-claim.yaml | kubectl apply -f -"],
    ['sed -i, then oc apply -f the file', 'sed -i "s#TARGET_NS#inference#" claims/cache-claim.yaml\noc apply -f claims/cache-claim.yaml'],
    ['a variable the script sets', 'NS=inference\nsed "s/TARGET_NS/${NS}/g" claims/cache-claim.yaml | oc apply -f -'],
    ['flag i', 'sed "s/target_ns/inference/I" claims/cache-claim.yaml | oc apply -f -'],
  ])('%s: the claim lands in inference, no error (checked from serve/ or from the root)', async (_how, script) => {
    expect(await verdicts(script, 'serve')).toEqual([]);
    expect(await verdicts(script, '.')).toEqual([]);
  });

  test('a namespace the sed takes from an argument, or a regular expression: unknown, no error (a warning where the claim is made outside the checked folder)', async () => {
    expect(await verdicts('sed "s/TARGET_NS/$1/" claims/cache-claim.yaml | oc apply -f -', 'serve')).toEqual(['warning']);
    expect(await verdicts('sed "s/TARGET_NS/$1/" claims/cache-claim.yaml | oc apply -f -', '.')).toEqual([]);
    expect(await verdicts('sed -E "s/TARGET_[A-Z]+/inference/" claims/cache-claim.yaml | oc apply -f -', 'serve')).toEqual(['warning']);
  });

  test('envsubst piped into the apply: a namespace the script exports is filled; one it does not export is unknown', async () => {
    const withVariable = async (script: string, checked: string) => {
      const repo = writeTree('envsubst-claim-', {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'claims/cache-claim.yaml': claim.replace('TARGET_NS', '${NS}'),
        ...serve,
        'hack/setup.sh': `#!/bin/bash\n${script}\nenvsubst < claims/cache-claim.yaml | oc apply -f -\n`,
      });
      const report = JSON.parse((await cliInProcess(['check', `${repo}/${checked}`, '--platform', 'kserve', '--json'])).out);
      return report.findings.filter((f: { rule: string }) => f.rule === 'pod-reference-not-found').map((f: { severity: string }) => f.severity);
    };
    expect(await withVariable('export NS=inference', 'serve')).toEqual(['info']);
    expect(await withVariable('export NS=inference', '.')).toEqual([]);
    expect(await withVariable('export NS=staging', '.')).toEqual(['error']);
    expect(await withVariable('NS=inference', 'serve')).toEqual(['warning']);
  });

  test('near misses: a sed that puts the claim in another namespace, or one that replaces another token: the error stays', async () => {
    expect(await verdicts('sed "s/TARGET_NS/staging/" claims/cache-claim.yaml | oc apply -f -', 'serve')).toEqual(['error']);
    expect(await verdicts('sed "s/TARGET_NS/staging/" claims/cache-claim.yaml | oc apply -f -', '.')).toEqual(['error']);
    expect(await verdicts('sed "s/20Gi/40Gi/" claims/cache-claim.yaml | oc apply -f -', 'serve')).toEqual(['error']);
  });
});
