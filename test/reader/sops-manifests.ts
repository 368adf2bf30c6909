import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';
import { ciphertext, sopsBlock } from '../sops-util';

/** The findings of `check` on a tree, as [rule, severity, object, message]. */
async function findings(files: Record<string, string>): Promise<[string, string, string, string][]> {
  const dir = writeTree('sops-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings.map((f) => [
    f.rule,
    f.severity,
    f.object,
    f.message,
  ]);
}

const NAMESPACE = YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'serving' } });

/** A pull secret as `sops --encrypt --encrypted-regex '^(data|stringData)$'` writes it. */
const PULL_SECRET = YAML.stringify({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'registry-pull', namespace: 'serving' },
  type: 'kubernetes.io/dockerconfigjson',
  stringData: { '.dockerconfigjson': ciphertext() },
  sops: sopsBlock(),
});

describe('SOPS-encrypted manifests (getsops/sops), decrypted before the apply', () => {
  test('a kustomization listing an encrypted pull secret: neither its sops block nor its ciphertext is judged', async () => {
    const kustomization = YAML.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['namespace.yaml', 'secrets/pull.sops.yaml'],
    });
    const found = await findings({ 'kustomization.yaml': kustomization, 'namespace.yaml': NAMESPACE, 'secrets/pull.sops.yaml': PULL_SECRET });
    expect(found.filter(([, severity]) => severity !== 'info')).toEqual([]);
  });

  test('a document encrypted whole (its kind and name are ciphertext) is skipped with a note, not judged as a kind no one serves', async () => {
    const whole = YAML.stringify({
      apiVersion: ciphertext('str', 'v1'),
      kind: ciphertext('str', 'Secret'),
      metadata: { name: ciphertext('str', 'name'), namespace: ciphertext('str', 'ns') },
      data: { token: ciphertext() },
      sops: { ...sopsBlock(), encrypted_regex: undefined },
    });
    const found = await findings({ 'namespace.yaml': NAMESPACE, 'token.sops.yaml': whole });
    expect(found).toEqual([
      [
        'input-not-followed',
        'info',
        expect.stringMatching(/token.sops.yaml$/),
        expect.stringMatching(/^document 1 is SOPS-encrypted with its apiVersion, kind or name among the encrypted values/),
      ],
    ]);
  });

  test('a document encrypted beyond its data (a spec) is noted and not judged, and still found by name by the objects that name it', async () => {
    const deployment = (name: string, memory: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'serving' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'server', image: 'quay.io/example/server:1.0', resources: { limits: { memory } } }] },
        },
      },
      ...extra,
    });
    const hpa = YAML.stringify({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'server', namespace: 'serving' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'server' }, minReplicas: 1, maxReplicas: 2 },
    });
    const sealed = YAML.stringify(deployment('server', ciphertext(), { sops: { ...sopsBlock(), encrypted_regex: '^(memory)$' } }));
    const found = await findings({ 'namespace.yaml': NAMESPACE, 'server.yaml': sealed, 'hpa.yaml': hpa });
    expect(found).toEqual([
      [
        'input-not-followed',
        'info',
        expect.stringMatching(/server.yaml$/),
        expect.stringMatching(
          /^document 1 is SOPS-encrypted beyond its data and stringData \(spec.template.spec.containers\[0\].resources.limits.memory is ciphertext\)/,
        ),
      ],
    ]);
    // near miss: the same quantity written in clear, with no sops block, is judged
    const plain = await findings({ 'namespace.yaml': NAMESPACE, 'server.yaml': YAML.stringify(deployment('server', '16GB')), 'hpa.yaml': hpa });
    expect(plain.map(([rule, severity]) => [rule, severity])).toContainEqual(['field-value-invalid', 'error']);
  });

  test('near miss: what an encrypted document writes in clear (its kind) is still judged', async () => {
    const stripped = YAML.stringify({
      apiVersion: 'v1',
      kind: 'Secretz',
      metadata: { name: 'x', namespace: 'serving' },
      data: { token: ciphertext() },
      sops: sopsBlock(),
    });
    const found = await findings({ 'namespace.yaml': NAMESPACE, 'x.yaml': stripped });
    expect(found.map(([rule, severity]) => [rule, severity])).toContainEqual(['kind-not-served', 'error']);
  });
});
