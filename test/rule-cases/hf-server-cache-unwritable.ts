import { Finding, runChecks } from '../../lib';

const RULE = 'hf-server-cache-unwritable';

function findings(manifests: any[], platform?: string): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { rules: [RULE], ...(platform ? { platform: platform as any } : {}) },
  );
}

/** A Deployment 'srv' in namespace ai with one container of the image, and the pod fields given. */
function server(image: string, container: any = {}, pod: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'srv', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'srv' } },
      template: { metadata: { labels: { app: 'srv' } }, spec: { ...pod, containers: [{ name: 'main', image, ...container }] } },
    },
  };
}

const TGI = 'ghcr.io/huggingface/text-generation-inference:3.0.1';
const TEI = 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5';
const MODEL = { env: [{ name: 'MODEL_ID', value: 'example-org/chat-7b' }] };
const AS_1000 = { securityContext: { runAsUser: 1000 } };

describe('hf-server-cache-unwritable', () => {
  test('TGI as uid 1000 with no volume at /data: a warning naming the container, the folder, the unused root cache and the fix', () => {
    const mounted = { ...MODEL, volumeMounts: [{ name: 'c', mountPath: '/root/.cache/huggingface' }] };
    expect(findings([server(TGI, mounted, { ...AS_1000, volumes: [{ name: 'c', emptyDir: {} }] })])).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'warning',
        object: 'Deployment/ai/srv',
        message:
          "container 'main' (text-generation-inference) runs as uid 1000 (the pod's securityContext.runAsUser) and downloads example-org/chat-7b into the image's cache folder /data, " +
          "on the image's own filesystem, owned by root, no volume mounted there: the download fails with a permission error and the server exits; " +
          'the volume mounted at /root/.cache/huggingface is never used, the cache being /data; ' +
          'mount a writable volume (an emptyDir, or a claim with fsGroup) at /data, or set HF_HOME to a writable folder such as /tmp/hf',
      }),
    ]);
  });

  test('TEI with --model-id and HF_HOME on a configMap volume; no runAsUser on OpenShift', () => {
    const onConfig = {
      args: ['--model-id', 'example-org/embed-small'],
      env: [{ name: 'HF_HOME', value: '/cfg/hf' }],
      volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
    };
    expect(
      findings([server(TEI, onConfig, { ...AS_1000, volumes: [{ name: 'cfg', configMap: { name: 'x' } }] })]).map((f) => f.message.split(': the download')[0]),
    ).toEqual([
      "container 'main' (text-embeddings-inference) runs as uid 1000 (the pod's securityContext.runAsUser) and downloads example-org/embed-small into HF_HOME=/cfg/hf, on the configMap volume 'cfg' at /cfg, which the kubelet mounts read-only",
    ]);
    expect(findings([server(TGI, MODEL)], 'rhoai-3.0')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/sets no runAsUser, so on OpenShift the restricted-v2/) }),
    ]);
  });

  test('near misses: root, a volume at /data, HF_HOME under /tmp, offline, a local model path, another image', () => {
    expect(findings([server(TGI, MODEL)])).toEqual([]);
    expect(findings([server(TGI, MODEL, { securityContext: { runAsUser: 0 } })])).toEqual([]);
    expect(
      findings([server(TGI, { ...MODEL, volumeMounts: [{ name: 'd', mountPath: '/data' }] }, { ...AS_1000, volumes: [{ name: 'd', emptyDir: {} }] })]),
    ).toEqual([]);
    expect(findings([server(TGI, { env: [...MODEL.env, { name: 'HF_HOME', value: '/tmp/hf' }] }, AS_1000)])).toEqual([]);
    expect(findings([server(TGI, { env: [...MODEL.env, { name: 'HF_HUB_OFFLINE', value: '1' }] }, AS_1000)])).toEqual([]);
    expect(findings([server(TGI, { env: [{ name: 'MODEL_ID', value: '/models/chat-7b' }] }, AS_1000)])).toEqual([]);
    expect(findings([server('example/app:1', MODEL, AS_1000)])).toEqual([]);
  });
});
