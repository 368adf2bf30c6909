import { runChecks } from '../../lib';

type Doc = Record<string, any>;
const found = (docs: Doc[], platform: 'rhoai-3.0' | 'kserve' = 'rhoai-3.0') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform, rules: ['vllm-cache-root-unwritable'] },
  ).map((f) => `${f.severity} ${f.object}: ${f.message}`);

const runtime = (env: Doc[], image = 'quay.io/team/vllm-cpu:0.11.2', extra: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'vllm', namespace: 'ai' },
  spec: {
    supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
    containers: [
      {
        name: 'kserve-container',
        image,
        command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
        args: ['--port=8080', '--model=/mnt/models'],
        env,
        ...extra,
      },
    ],
  },
});
const HF = { name: 'HF_HOME', value: '/tmp/hf_home' };

describe('vllm-cache-root-unwritable', () => {
  test('HF_HOME moved, vLLM cache not, an image not built for arbitrary uids, on OpenShift: a warning naming the variable and the fix', () => {
    expect(found([runtime([HF])])).toEqual([
      expect.stringMatching(
        /^warning ServingRuntime\/ai\/vllm: container 'kserve-container': HF_HOME=\/tmp\/hf_home moves the Hugging Face cache off the home folder, but nothing moves vLLM's own .*PermissionError.*set VLLM_CACHE_ROOT/,
      ),
    ]);
    expect(found([runtime([HF], 'vllm/vllm-openai:v0.11.0')])).toHaveLength(1);
    // the same builds' names elsewhere in a path are not their repository
    expect(found([runtime([HF], 'mirror.corp.example/team/rhaiis-vllm-cuda:1')])).toHaveLength(1);
    expect(found([runtime([HF], 'mirror.corp.example/rhaiis/vllm-cuda-rhel9/extra:1')])).toHaveLength(1);
  });

  test('near misses: cache root, XDG_CACHE_HOME or HOME set; Red Hat images; a templated image; runAsUser; eager; not OpenShift; no HF_HOME; an SCC granted', () => {
    for (const name of ['VLLM_CACHE_ROOT', 'XDG_CACHE_HOME', 'HOME']) expect(found([runtime([HF, { name, value: '/tmp/x' }])])).toEqual([]);
    for (const image of [
      'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2',
      'registry.redhat.io/rhaii/vllm-cuda-rhel9@sha256:' + '0'.repeat(64),
      'registry.redhat.io/rhaii/vllm-cpu-rhel9:3.3.0',
      'registry.redhat.io/rhoai/odh-vllm-cuda-rhel9:v3.0',
      'quay.io/modh/vllm:rhoai-2.20',
      'quay.io/modh/vllm-cuda:rhoai-2.25',
      // mirrors keep the path after the registry host (opendatahub-io/vllm Dockerfile.ubi: HOME=/home/vllm, g+rwx)
      'mirror.corp.example:5000/rhaiis/vllm-cuda-rhel9:3.2.2',
      'registry.lab.example/rhoai/odh-vllm-cuda-rhel9:v3.0',
      '$(vllm-image)',
    ])
      expect(found([runtime([HF], image)])).toEqual([]);
    expect(found([runtime([HF], undefined, { securityContext: { runAsUser: 1001 } })])).toEqual([]);
    expect(found([runtime([HF], undefined, { args: ['--model=/mnt/models', '--enforce-eager'] })])).toEqual([]);
    expect(found([runtime([HF])], 'kserve')).toEqual([]);
    expect(found([runtime([])])).toEqual([]);
    expect(found([runtime([HF]), { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'x' } }])).toEqual([]);
  });

  test('an InferenceService of the tree that sets VLLM_CACHE_ROOT for the runtime settles it', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'chat', namespace: 'ai' },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'oci://x/y:1', env: [{ name: 'VLLM_CACHE_ROOT', value: '/tmp/v' }] },
        },
      },
    };
    expect(found([runtime([HF]), isvc])).toEqual([]);
  });
});
