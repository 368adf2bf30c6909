import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('download-error-page-kept', docs);
const server = (script: string, volume: Doc = { persistentVolumeClaim: { claimName: 'weights' } }): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: { labels: { app: 'llm' } },
      spec: {
        initContainers: [{ name: 'fetch', image: 'curlimages/curl:8.8.0', command: ['sh', '-c', script], volumeMounts: [{ name: 'w', mountPath: '/data' }] }],
        containers: [{ name: 'server', image: 'ghcr.io/ggml-org/llama.cpp:server', volumeMounts: [{ name: 'w', mountPath: '/data' }] }],
        volumes: [{ name: 'w', ...volume }],
      },
    },
  },
});

describe('download-error-page-kept', () => {
  test('curl without --fail behind an exists-check on a claim is a warning naming the file', () => {
    expect(found([server('[ ! -f /data/m.gguf ] && curl -L -o /data/m.gguf https://example.com/m.gguf')])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ai\/llm: init container 'fetch' downloads \/data\/m\.gguf with curl without --fail, behind a check .*error page as the model/,
      ),
    ]);
    expect(found([server('if [ ! -e "/data/m.gguf" ]; then curl -sL --output /data/m.gguf https://example.com/m.gguf; fi')])).toHaveLength(1);
    // a name relative to the folder the script moved into
    expect(found([server('cd /data\nif [ ! -f m.gguf ]; then\n  curl -L -o m.gguf https://example.com/m.gguf\nfi')])).toEqual([
      expect.stringMatching(/downloads \/data\/m\.gguf with curl without --fail/),
    ]);
  });

  test('near misses: --fail, -sfL, --fail-with-body, no exists-check, an emptyDir, a file outside the claim', () => {
    for (const flags of ['--fail -L', '-sfL', '--fail-with-body -L'])
      expect(found([server(`[ ! -f /data/m.gguf ] && curl ${flags} -o /data/m.gguf https://example.com/m.gguf`)])).toEqual([]);
    expect(found([server('curl -L -o /data/m.gguf https://example.com/m.gguf')])).toEqual([]);
    expect(found([server('[ ! -f /data/m.gguf ] && curl -L -o /data/m.gguf https://example.com/m.gguf', { emptyDir: {} })])).toEqual([]);
    expect(found([server('[ ! -f /tmp/m.gguf ] && curl -L -o /tmp/m.gguf https://example.com/m.gguf')])).toEqual([]);
  });
});
