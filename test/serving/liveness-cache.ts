import { runChecks } from '../../lib';

/**
 * liveness-kills-loading on a hub model whose Hugging Face cache is on a volume: the volume outlives a container
 * restart and huggingface_hub resumes an interrupted download, so the restarts lengthen only the first start and a
 * later one reads the filled cache; the verdict is certain (an error) only when even the fastest start from a filled
 * cache misses the probe. Without a cache volume every start downloads again: no start ever ends.
 */
function vllm(liveness: { initialDelaySeconds: number; periodSeconds: number }, cache?: object): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.11.0',
              command: ['vllm', 'serve', 'meta-llama/Llama-3.1-8B-Instruct'],
              livenessProbe: { httpGet: { path: '/health', port: 8000 }, failureThreshold: 3, ...liveness },
              resources: { limits: { 'nvidia.com/gpu': '1' } },
              ...(cache ? { volumeMounts: [{ name: 'hf', mountPath: '/root/.cache/huggingface' }] } : {}),
            },
          ],
          ...(cache ? { volumes: [{ name: 'hf', ...cache }] } : {}),
        },
      },
    },
  };
}

const severities = (manifest: object) => runChecks([{ manifest }], { platform: 'kserve', rules: ['liveness-kills-loading'] }).map((f) => f.severity);

describe('liveness-kills-loading with the hub cache on a volume', () => {
  test('a 90 s probe on a node-disk cache: a start from the filled cache may fit it, a warning', () => {
    expect(severities(vllm({ initialDelaySeconds: 60, periodSeconds: 10 }, { hostPath: { path: '/var/lib/hf' } }))).toEqual(['warning']);
  });

  test('a 30 s probe: even the fastest start from a filled cache misses it, an error', () => {
    expect(severities(vllm({ initialDelaySeconds: 0, periodSeconds: 10 }, { hostPath: { path: '/var/lib/hf' } }))).toEqual(['error']);
  });

  test('no cache volume: every restart downloads again, an error', () => {
    expect(severities(vllm({ initialDelaySeconds: 60, periodSeconds: 10 }))).toEqual(['error']);
  });
});
