import { runChecks } from '../../lib';
import { podWorkload } from '../util';

type Doc = Record<string, any>;

/** Findings of one rule as [severity, message]; the platform told (as --platform does) unless `assumed`. */
const findings = (docs: Doc[], rule: string, platform: 'rhoai-3.0' | 'kserve' | 'assumed' = 'kserve') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { rules: [rule], ...(platform === 'assumed' ? {} : { platform }) },
  ).map((f) => [f.severity, f.message]);

/** A Deployment ai/chat of one vLLM container serving `model`, with more container and pod fields. */
const chat = (container: Doc = {}, pod: Doc = {}, model = 'Qwen/Qwen2.5-1.5B-Instruct') =>
  podWorkload('chat', 'ai', { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', model], ...container }], ...pod });

const RULE = 'vllm-cache-not-writable';
const NON_ROOT = { securityContext: { runAsUser: 1000 } };

describe('vllm-cache-not-writable: who the container runs as', () => {
  test('uid 1000 with no cache variable: an error naming /.cache and the fix', () => {
    expect(findings([chat(NON_ROOT)], RULE)).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'vllm': vllm\/vllm-openai:v0.10.1 is built to run as root .* but runs as uid 1000 \(the container's securityContext.runAsUser\); .*HOME=\/ .*\/\.cache\/huggingface\/hub.*set HF_HOME/,
        ),
      ],
    ]);
  });

  test("a cache volume mounted under root's /root/.cache: said to be unused, with the HF_HOME that would use it", () => {
    const mounted = chat(
      { securityContext: { runAsUser: 1000, runAsNonRoot: true }, volumeMounts: [{ name: 'hub-cache', mountPath: '/root/.cache/huggingface' }] },
      { volumes: [{ name: 'hub-cache', hostPath: { path: '/srv/hub-cache', type: 'DirectoryOrCreate' } }] },
    );
    expect(findings([mounted], RULE)).toEqual([
      [
        'error',
        expect.stringContaining(
          "fails with PermissionError, and the pod crash-loops; the volume mounted at /root/.cache/huggingface is root's cache folder, which this uid's HOME does not name, so it is never used: set HF_HOME to a folder on it (HF_HOME=/root/.cache/huggingface), and VLLM_CACHE_ROOT, or HOME for both",
        ),
      ],
    ]);
    // near miss: HF_HOME names the mount, and the cache is where the volume is
    const named = chat(
      {
        securityContext: { runAsUser: 1000 },
        env: [{ name: 'HF_HOME', value: '/root/.cache/huggingface' }],
        volumeMounts: [{ name: 'hub-cache', mountPath: '/root/.cache/huggingface' }],
      },
      { volumes: [{ name: 'hub-cache', emptyDir: {} }] },
    );
    expect(findings([named], RULE)).toEqual([]);
  });

  test('root, the image user 2000, a placeholder uid, or no user on Kubernetes: not judged', () => {
    expect(findings([chat({ securityContext: { runAsUser: 0 } })], RULE)).toEqual([]);
    expect(findings([chat({}, { securityContext: { runAsUser: 2000 } })], RULE)).toEqual([]);
    expect(findings([chat({ securityContext: { runAsUser: '{{ .Values.uid }}' } })], RULE)).toEqual([]);
    expect(findings([chat()], RULE)).toEqual([]);
  });

  test("the container's runAsUser 0 overrides the pod's 1000", () => {
    expect(findings([chat({ securityContext: { runAsUser: 0 } }, { securityContext: { runAsUser: 1000 } })], RULE)).toEqual([]);
  });

  test('runAsNonRoot with no uid on Kubernetes: the kubelet refuses the root image, whatever the model', () => {
    const refused = [
      'error',
      expect.stringMatching(
        /runAsNonRoot is true \(the pod's securityContext\) and no runAsUser is set.*"container has runAsNonRoot and image will run as root"/,
      ),
    ];
    expect(findings([chat({}, { securityContext: { runAsNonRoot: true } })], RULE)).toEqual([refused]);
    expect(findings([chat({}, { securityContext: { runAsNonRoot: true } }, '/models/qwen')], RULE)).toEqual([refused]);
  });

  test('on a told OpenShift platform no runAsUser is restricted-v2 uid: a warning; not when assumed, nor with an SCC granted', () => {
    expect(findings([chat()], RULE, 'rhoai-3.0')).toEqual([['warning', expect.stringMatching(/restricted-v2 SecurityContextConstraints run it as a uid/)]]);
    // runAsNonRoot with no uid: the SCC assigns one, the kubelet does not refuse
    expect(findings([chat({}, { securityContext: { runAsNonRoot: true } })], RULE, 'rhoai-3.0')).toEqual([['warning', expect.any(String)]]);
    expect(findings([chat()], RULE, 'assumed')).toEqual([]);
    const anyuid = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'anyuid', namespace: 'ai' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:anyuid' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'ai' }],
    };
    expect(findings([chat(), anyuid], RULE, 'rhoai-3.0')).toEqual([]);
  });

  test('a tree whose marks place it on OpenShift is judged so even where its release is only assumed', () => {
    const route = {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: { to: { kind: 'Service', name: 'chat' } },
    };
    expect(findings([chat(), route], RULE, 'assumed')).toEqual([
      ['warning', expect.stringMatching(/restricted-v2 SecurityContextConstraints run it as a uid/)],
    ]);
    // a tree with no mark of OpenShift (or one of another cloud) is not judged as OpenShift
    const gke = { ...route, apiVersion: 'networking.gke.io/v1', kind: 'ManagedCertificate', spec: {} };
    expect(findings([chat(), gke], RULE, 'assumed')).toEqual([]);
  });
});

describe('vllm-cache-not-writable: the images judged', () => {
  test.each([
    ['registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.1'],
    ['quay.io/modh/vllm:rhoai-2.20-cuda'],
    ['vllm/vllm-openai-nonroot:v0.21.0'],
    ['vllm/vllm-openai-rocm:v0.10.1'],
    ['registry.example.com/team/vllm-openai:v1'],
  ])('%s is not judged', (image) => {
    expect(findings([chat({ ...NON_ROOT, image })], RULE)).toEqual([]);
  });

  test("the CPU image and a docker.io prefix are (a command that starts vLLM: the tool does not read the CPU image's entrypoint)", () => {
    const cpu = { ...NON_ROOT, image: 'docker.io/vllm/vllm-openai-cpu:v0.13.0', command: ['vllm', 'serve'], args: ['Qwen/Qwen2.5-0.5B-Instruct'] };
    expect(findings([chat(cpu)], RULE)).toEqual([
      ['error', expect.stringMatching(/^container 'vllm': docker.io\/vllm\/vllm-openai-cpu:v0.13.0 is built to run as root/)],
    ]);
  });
});

describe('vllm-cache-not-writable: where the cache is', () => {
  const cache = (env: Doc[], mounts: Doc[] = [], volumes: Doc[] = [], extra: Doc = {}) =>
    chat({ ...NON_ROOT, env, volumeMounts: mounts, ...extra }, { volumes });
  const EMPTY_DIR = [{ name: 'cache', emptyDir: {} }];

  test('near misses: HF_HOME on an emptyDir, HOME on a claim, HF_HUB_CACHE under /tmp, a variable from a Secret', () => {
    expect(findings([cache([{ name: 'HF_HOME', value: '/cache/hf' }], [{ name: 'cache', mountPath: '/cache' }], EMPTY_DIR)], RULE)).toEqual([]);
    const claim = [{ name: 'cache', persistentVolumeClaim: { claimName: 'hf' } }];
    expect(findings([cache([{ name: 'HOME', value: '/home/vllm' }], [{ name: 'cache', mountPath: '/home/vllm' }], claim)], RULE)).toEqual([]);
    expect(findings([cache([{ name: 'HF_HUB_CACHE', value: '/tmp/hub' }])], RULE)).toEqual([]);
    expect(findings([cache([{ name: 'HF_HOME', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }])], RULE)).toEqual([]);
    // a volume at the default cache of HOME=/ works too
    expect(findings([cache([], [{ name: 'cache', mountPath: '/.cache' }], EMPTY_DIR)], RULE)).toEqual([]);
  });

  test('near misses: offline, --download-dir, a local model', () => {
    expect(findings([cache([{ name: 'HF_HUB_OFFLINE', value: '1' }])], RULE)).toEqual([]);
    expect(findings([chat({ ...NON_ROOT, args: ['--model', 'Qwen/Qwen2.5-1.5B-Instruct', '--download-dir', '/data'] })], RULE)).toEqual([]);
    expect(findings([chat(NON_ROOT, {}, '/mnt/models')], RULE)).toEqual([]);
  });

  test('HF_HOME on a root-owned folder, a read-only mount, /tmp of a read-only root filesystem, a ConfigMap volume: errors saying why', () => {
    expect(findings([cache([{ name: 'HF_HOME', value: '/models/hf' }])], RULE)).toEqual([
      ['error', expect.stringMatching(/HF_HOME=\/models\/hf puts the Hugging Face cache at \/models\/hf\/hub, on the image's own filesystem/)],
    ]);
    expect(findings([cache([{ name: 'HF_HOME', value: '/cache' }], [{ name: 'cache', mountPath: '/cache', readOnly: true }], EMPTY_DIR)], RULE)).toEqual([
      ['error', expect.stringMatching(/on the volume 'cache', mounted readOnly at \/cache/)],
    ]);
    const readOnlyRoot = { securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true } };
    expect(findings([cache([{ name: 'HF_HOME', value: '/tmp/hf' }], [], [], readOnlyRoot)], RULE)).toEqual([
      ['error', expect.stringMatching(/on the read-only root filesystem/)],
    ]);
    const configMap = [{ name: 'cache', configMap: { name: 'c' } }];
    expect(findings([cache([{ name: 'XDG_CACHE_HOME', value: '/cache' }], [{ name: 'cache', mountPath: '/cache' }], configMap)], RULE)).toEqual([
      ['error', expect.stringMatching(/XDG_CACHE_HOME=\/cache puts the Hugging Face cache at \/cache\/huggingface\/hub, on the configMap volume 'cache'/)],
    ]);
  });

  test('a LeaderWorkerSet worker is judged with its own template', () => {
    const worker = {
      spec: {
        securityContext: { runAsUser: 1000 },
        containers: [{ name: 'w', image: 'vllm/vllm-openai:v0.10.1', args: ['--model', 'Qwen/Qwen2.5-7B-Instruct'] }],
      },
    };
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'q', namespace: 'ai' },
      spec: { leaderWorkerTemplate: { size: 2, workerTemplate: worker } },
    };
    expect(findings([lws], RULE)).toEqual([['error', expect.stringMatching(/^spec\.leaderWorkerTemplate\.workerTemplate container 'w': /)]]);
  });
});

describe('hf-token-unreachable: an empty token is no token', () => {
  const isvc = (env: Doc[], serviceAccountName?: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llama', namespace: 'ai' },
    spec: {
      predictor: {
        ...(serviceAccountName ? { serviceAccountName } : {}),
        model: { modelFormat: { name: 'vLLM' }, storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct', env },
      },
    },
  });
  const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'hf', namespace: 'ai' }, secrets: [{ name: 'hf' }] };
  const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', namespace: 'ai' }, stringData: { HF_TOKEN: value } });

  test("an InferenceService's serving container with HF_TOKEN: '' downloads a gated repository anonymously", () => {
    expect(findings([isvc([{ name: 'HF_TOKEN', value: '' }])], 'hf-token-unreachable', 'rhoai-3.0')).toEqual([
      ['error', expect.stringMatching(/with no token: on the serving container HF_TOKEN is set to an empty value, and ServiceAccount default/)],
    ]);
  });

  test("the account's Secret with an empty HF_TOKEN gives the storage initializer nothing; a filled one does", () => {
    expect(findings([isvc([], 'hf'), account, secret('')], 'hf-token-unreachable', 'rhoai-3.0')).toEqual([
      ['error', expect.stringMatching(/ServiceAccount hf \(hf\)/)],
    ]);
    expect(findings([isvc([], 'hf'), account, secret('hf_x')], 'hf-token-unreachable', 'rhoai-3.0')).toEqual([]);
    // the serving container sets a token, which the storage initializer does not read: the account's empty one is named
    const tokenEnv = [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'other', key: 'HF_TOKEN' } } }];
    expect(findings([isvc(tokenEnv, 'hf'), account, secret('')], 'hf-token-unreachable', 'rhoai-3.0')).toEqual([
      ['warning', expect.stringMatching(/^no Secret of ServiceAccount hf \(hf\) has a value at the key HF_TOKEN \(hf hold it empty\)/)],
    ]);
  });

  test('a workload: an empty token is named; a Mistral 7B v0.2 repository is gated, v0.3 and Mistral Small are not judged', () => {
    const mistral = (model: string) => chat({ env: [{ name: 'HUGGING_FACE_HUB_TOKEN', value: '' }] }, {}, model);
    expect(findings([mistral('mistralai/Mistral-7B-Instruct-v0.2')], 'hf-token-unreachable')).toEqual([
      [
        'error',
        expect.stringMatching(
          /mistralai\/Mistral-7B-Instruct-v0.2, a gated Hugging Face model, with no token \(HUGGING_FACE_HUB_TOKEN is set to an empty value\)/,
        ),
      ],
    ]);
    // a key of a Secret in the tree whose value is empty; the same key filled is a token
    const fromSecret = chat({ env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } }] }, {}, 'google/gemma-2-9b-it');
    expect(findings([fromSecret, secret('')], 'hf-token-unreachable')).toEqual([
      ['error', expect.stringMatching(/with no token \(HF_TOKEN comes from the key HF_TOKEN of Secret hf, whose value is empty\)/)],
    ]);
    expect(findings([fromSecret, secret('hf_' + 'Ab3dE'.repeat(7))], 'hf-token-unreachable')).toEqual([]);
    expect(findings([mistral('mistralai/Mistral-7B-Instruct-v0.3')], 'hf-token-unreachable')).toEqual([]);
    expect(findings([mistral('mistralai/Mistral-Small-24B-Instruct-2501')], 'hf-token-unreachable')).toEqual([]);
  });
});
