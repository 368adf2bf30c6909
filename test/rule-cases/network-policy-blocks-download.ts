import { Finding, runChecks } from '../../lib';
import { vllmDeployment } from '../util';

const RULE = 'network-policy-blocks-download';

function findings(manifests: any[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [RULE] },
  );
}

/** vLLM downloading a hub model, its pod labelled app=llm in namespace ai. */
function downloader(env: { name: string; value: string }[] = [], mounts: any[] = []): any {
  const d = vllmDeployment('vllm/vllm-openai:v0.10.1', ['--model', 'Qwen/Qwen2.5-1.5B-Instruct']);
  Object.assign(d.spec.template.spec.containers[0], { env, volumeMounts: mounts });
  return d;
}

/** A NetworkPolicy in namespace ai; policyTypes null leaves the field out (undefined would take the default). */
function policy(name: string, egress: any[] | undefined, policyTypes: string[] | null = ['Egress'], podSelector: any = { matchLabels: { app: 'llm' } }): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'ai' },
    spec: { podSelector, ...(policyTypes !== null ? { policyTypes } : {}), ...(egress ? { egress } : {}) },
  };
}

const CLUSTER_ONLY = [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 443 }] }];
const DNS_ONLY = [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] }];

describe('network-policy-blocks-download', () => {
  test('egress to pods only (namespaceSelector {}, or DNS alone) denies the download: an error naming the policy and the fix', () => {
    for (const egress of [CLUSTER_ONLY, DNS_ONLY, []]) {
      expect(findings([downloader(), policy('egress', egress)])).toEqual([
        expect.objectContaining({
          rule: RULE,
          severity: 'error',
          object: 'Deployment/ai/llm',
          message: expect.stringMatching(/downloads Qwen\/Qwen2\.5-1\.5B-Instruct from huggingface\.co, but NetworkPolicy 'egress' selects its pod .*ipBlock/),
        }),
      ]);
    }
    // policyTypes unset: egress rules make it an egress policy; an ipBlock on another port does not let 443 through
    expect(findings([downloader(), policy('egress', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80 }] }], null)])).toHaveLength(1);
  });

  test('an InferenceService with an hf:// storage URI is judged by the labels KServe gives its predictor pods', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'qwen', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://Qwen/Qwen2.5-1.5B-Instruct' } } },
    };
    const byService = { matchLabels: { 'serving.kserve.io/inferenceservice': 'qwen' } };
    expect(findings([isvc, policy('egress', CLUSTER_ONLY, ['Egress'], byService)])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/the storage initializer downloads hf:\/\/Qwen/) }),
    ]);
    expect(
      findings([
        { ...isvc, spec: { predictor: { model: { ...isvc.spec.predictor.model, storageUri: 's3://m/qwen' } } } },
        policy('egress', CLUSTER_ONLY, ['Egress'], byService),
      ]),
    ).toEqual([]);
  });

  test('a cache volume, or CNI policies in the tree, make it a warning that says why', () => {
    expect(findings([downloader([], [{ name: 'cache', mountPath: '/root/.cache/huggingface' }]), policy('egress', CLUSTER_ONLY)])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/unless a volume at its cache folder may already hold the weights/) }),
    ]);
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'hf', namespace: 'ai' }, spec: {} };
    expect(findings([downloader(), policy('egress', CLUSTER_ONLY), cilium])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/CiliumNetworkPolicy may allow/) }),
    ]);
  });

  test('silent where some policy reaches outside, the policy does not restrict egress or select the pod, or the pod does not download', () => {
    const outside = [
      [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      [{ ports: [{ protocol: 'TCP', port: 443 }] }],
      [{ to: [] }],
      [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 400, endPort: 500 }] }],
    ];
    // policies add up: a second one that reaches outside lets the download through
    for (const egress of outside) expect(findings([downloader(), policy('dns', DNS_ONLY), policy('web', egress)])).toEqual([]);
    expect(findings([downloader(), policy('ingress', undefined, ['Ingress'])])).toEqual([]);
    expect(findings([downloader(), policy('unset', undefined, null)])).toEqual([]);
    expect(findings([downloader(), policy('other', CLUSTER_ONLY, ['Egress'], { matchLabels: { app: 'web' } })])).toEqual([]);
    expect(findings([downloader([{ name: 'HF_HUB_OFFLINE', value: '1' }]), policy('egress', CLUSTER_ONLY)])).toEqual([]);
    expect(findings([downloader([{ name: 'HF_ENDPOINT', value: 'http://hf-mirror.ai.svc:8080' }]), policy('egress', CLUSTER_ONLY)])).toEqual([]);
    const local = vllmDeployment('vllm/vllm-openai:v0.10.1', ['--model', '/models/qwen']);
    expect(findings([local, policy('egress', CLUSTER_ONLY)])).toEqual([]);
  });
});

describe('network-policy-blocks-download: a download in a container script, under a default-deny of the namespace', () => {
  /** A pod whose init container fetches weights with huggingface_hub, then vLLM serves them from the shared folder. */
  function scriptDownloader(script: string, env: { name: string; value: string }[] = []): any {
    const d = vllmDeployment('vllm/vllm-openai:v0.10.1', ['--model', '/weights/opt-125m']);
    d.spec.template.spec.initContainers = [
      { name: 'fetch', image: 'python:3.12-slim', command: ['sh', '-c', script], env, volumeMounts: [{ name: 'w', mountPath: '/weights' }] },
    ];
    return d;
  }
  const SNAPSHOT =
    "pip install huggingface_hub && python -c \"from huggingface_hub import snapshot_download; snapshot_download(repo_id='facebook/opt-125m', local_dir='/weights/opt-125m')\"";
  const DENY_ALL = policy('default-deny-all', undefined, ['Ingress', 'Egress'], {});

  test('fires: snapshot_download, huggingface-cli download and a huggingface.co URL in an init container, the deny-all selecting every pod', () => {
    for (const [script, how] of [
      [SNAPSHOT, 'snapshot_download()'],
      ['huggingface-cli download facebook/opt-125m --local-dir /weights/opt-125m', 'huggingface-cli download'],
      ['git clone https://huggingface.co/facebook/opt-125m /weights/opt-125m', 'a huggingface.co URL'],
    ]) {
      expect(
        findings([scriptDownloader(script), DENY_ALL]).map((f) => [
          f.severity,
          f.message.split(', but ')[0],
          f.message.includes("NetworkPolicy 'default-deny-all' selects its pod"),
        ]),
      ).toEqual([['error', `init container 'fetch' downloads from huggingface.co (${how} in its command)`, true]]);
    }
  });

  test('near misses: no policy, a policy that lets 443 out, offline or a mirror, a script that downloads nothing from the Hub', () => {
    expect(findings([scriptDownloader(SNAPSHOT)])).toEqual([]);
    expect(
      findings([scriptDownloader(SNAPSHOT), DENY_ALL, policy('out', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }], ['Egress'], {})]),
    ).toEqual([]);
    expect(findings([scriptDownloader(SNAPSHOT, [{ name: 'HF_HUB_OFFLINE', value: '1' }]), DENY_ALL])).toEqual([]);
    expect(findings([scriptDownloader(SNAPSHOT, [{ name: 'HF_ENDPOINT', value: 'https://hf-mirror.internal' }]), DENY_ALL])).toEqual([]);
    expect(findings([scriptDownloader('cp -r /seed/opt-125m /weights/'), DENY_ALL])).toEqual([]);
  });
});

describe('network-policy-blocks-download: text-generation-inference, text-embeddings-inference and Ollama pulls', () => {
  /** A Deployment 'srv' in namespace ai, pod labelled app=llm, with one container. */
  function server(container: any): any {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'srv', namespace: 'ai' },
      spec: { selector: { matchLabels: { app: 'llm' } }, template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [container] } } },
    };
  }
  const EGRESS = policy('egress', CLUSTER_ONLY);
  const tgi = (extra: any = {}) => server({ name: 'tgi', image: 'ghcr.io/huggingface/text-generation-inference:3.0.1', ...extra });
  const ollama = (extra: any = {}) => server({ name: 'ollama', image: 'ollama/ollama:0.6.2', ...extra });

  test('fires: MODEL_ID or --model-id of TGI and TEI, ollama pull in a postStart hook or ollama run in args', () => {
    const head = (m: any[]) => findings(m).map((f) => [f.severity, f.message.split(', but ')[0]]);
    expect(head([tgi({ env: [{ name: 'MODEL_ID', value: 'example-org/chat-7b' }] }), EGRESS])).toEqual([
      ['error', "container 'tgi' (text-generation-inference) downloads example-org/chat-7b from huggingface.co"],
    ]);
    const tei = server({ name: 'embed', image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5', args: ['--model-id', 'example-org/embed-small'] });
    expect(head([tei, EGRESS])).toEqual([['error', "container 'embed' (text-embeddings-inference) downloads example-org/embed-small from huggingface.co"]]);
    const hook = { postStart: { exec: { command: ['/bin/sh', '-c', 'sleep 5 && ollama pull llama3.2:3b'] } } };
    expect(head([ollama({ lifecycle: hook }), EGRESS])).toEqual([
      ['error', "container 'ollama' pulls the Ollama model llama3.2:3b from registry.ollama.ai (ollama pull in its command)"],
    ]);
    expect(head([ollama({ command: ['/bin/sh', '-c'], args: ['ollama serve & sleep 3; ollama run hf.co/example-org/tiny-gguf; wait'] }), EGRESS])).toEqual([
      ['error', "container 'ollama' pulls the Ollama model hf.co/example-org/tiny-gguf from huggingface.co (ollama run in its command)"],
    ]);
    expect(findings([ollama({ args: ['ollama pull llama3.2'], volumeMounts: [{ name: 'm', mountPath: '/root/.ollama' }] }), EGRESS])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/unless a volume at its cache folder may already hold the weights/) }),
    ]);
  });

  test('near misses: a local model path, offline, an ipBlock on 443, Ollama serving what it has', () => {
    expect(findings([tgi({ env: [{ name: 'MODEL_ID', value: '/data/chat-7b' }] }), EGRESS])).toEqual([]);
    expect(
      findings([
        tgi({
          env: [
            { name: 'MODEL_ID', value: 'example-org/chat-7b' },
            { name: 'HF_HUB_OFFLINE', value: '1' },
          ],
        }),
        EGRESS,
      ]),
    ).toEqual([]);
    const out = policy('web', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(findings([tgi({ env: [{ name: 'MODEL_ID', value: 'example-org/chat-7b' }] }), EGRESS, out])).toEqual([]);
    expect(findings([ollama({ args: ['serve'] }), EGRESS])).toEqual([]);
    // MODEL_ID of an image that is neither TGI nor TEI is the application's own variable
    expect(findings([server({ name: 'app', image: 'example/app:1', env: [{ name: 'MODEL_ID', value: 'example-org/chat-7b' }] }), EGRESS])).toEqual([]);
  });
});
