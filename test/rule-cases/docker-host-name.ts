import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const RULE = 'docker-host-name';
const deployment = (container: Doc, volumes: Doc[] = []): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'bot', namespace: 'chat' },
  spec: {
    selector: { matchLabels: { app: 'bot' } },
    template: { metadata: { labels: { app: 'bot' } }, spec: { containers: [{ name: 'bot', image: 'ghcr.io/org/bot:2.0', ...container }], volumes } },
  },
});
const configMap = (data: Record<string, string>): Doc => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bot-config', namespace: 'chat' }, data });
const found = (docs: Doc[], options: Record<string, unknown> = {}) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [RULE], ...options },
  ).map((f) => [f.severity, f.message.split(', a name only')[0]]);

describe(RULE, () => {
  test('fires: an env value, args, and a ConfigMap the pod reads, each naming a Docker Desktop host: a warning', () => {
    expect(found([deployment({ env: [{ name: 'OLLAMA_BASE_URL', value: 'http://host.docker.internal:11434' }] })])).toEqual([
      ['warning', "container 'bot' env OLLAMA_BASE_URL names host.docker.internal"],
    ]);
    expect(found([deployment({ args: ['--db', 'postgres://gateway.docker.internal:5432/app'] })])).toEqual([
      ['warning', "container 'bot' args names gateway.docker.internal"],
    ]);
    expect(
      found([deployment({ envFrom: [{ configMapRef: { name: 'bot-config' } }] }), configMap({ LLM_URL: 'http://docker.for.mac.localhost:8000/v1' })]),
    ).toEqual([['warning', "ConfigMap 'bot-config' key LLM_URL names docker.for.mac.localhost"]]);
  });

  test('near misses: the tree targets Docker Desktop (its kubectl context, its hostpath StorageClass); a Service name; a ConfigMap no pod reads', () => {
    const hostEnv = deployment({ env: [{ name: 'OLLAMA_BASE_URL', value: 'http://host.docker.internal:11434' }] });
    const context = {
      file: 'README.md',
      line: 3,
      distribution: 'docker-desktop',
      command: 'kubectl config use-context docker-desktop',
      creates: false,
      addsNodes: false,
    };
    expect(found([hostEnv], { devClusters: [context] })).toEqual([]);
    expect(
      found([hostEnv, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'hostpath' }, provisioner: 'docker.io/hostpath' }]),
    ).toEqual([]);
    expect(found([deployment({ env: [{ name: 'OLLAMA_BASE_URL', value: 'http://ollama.chat.svc:11434' }] })])).toEqual([]);
    expect(found([deployment({}), configMap({ LLM_URL: 'http://host.docker.internal:8000/v1' })])).toEqual([]);
    // a name that only contains the words
    expect(found([deployment({ env: [{ name: 'NOTE', value: 'see docs/host-docker-internal.md' }] })])).toEqual([]);
  });
});
