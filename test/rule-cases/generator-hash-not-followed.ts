import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { kubectlBinary } from '../setup/kubectl';
import { standalone } from '../setup/scratch';
import { cliInProcess, ROOT, writeTree } from '../util';

/**
 * kustomize appends a content hash to the names of the objects its generators make, and renames the references to
 * them only in the fields of its nameReference configuration: a custom resource's own field keeps the plain name.
 */
const FIXTURES = path.join(ROOT, 'test', 'rules', 'generator-hash-not-followed');
/** The fixtures as standalone trees, checked without this repository around them (test/setup/scratch.ts standalone). */
const copied = (...parts: string[]) => path.join(standalone(FIXTURES), ...parts);

/** The objects `kubectl kustomize` builds from a folder, as [kind, name, the object]. */
function kubectlBuild(dir: string): [string, string, Record<string, unknown>][] {
  const run = spawnSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return parseAllDocuments(run.stdout).map((d) => {
    const o = d.toJSON() as Record<string, unknown> & { kind: string; metadata: { name: string } };
    return [o.kind, o.metadata.name, o];
  });
}

/** The rule's findings on a folder, as [severity, object, message]. */
async function found(dir: string): Promise<[string, string, string][]> {
  const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'generator-hash-not-followed')
    .map((f) => [f.severity, f.object, f.message]);
}

const configMapName = (o: Record<string, unknown>) => (o.spec as { server: { userConfig: { configMapName?: string } } }).server.userConfig.configMapName ?? '';

describe('generator-hash-not-followed, against the real kustomize', () => {
  test('kubectl kustomize hashes the generated name and leaves the custom resource field plain; the finding names the same hashed name', async () => {
    const dir = path.join(FIXTURES, 'fires', 'stack');
    const built = kubectlBuild(dir);
    const generated = built.find(([kind]) => kind === 'ConfigMap')!;
    expect(generated[1]).toMatch(/^llama-stack-config-[a-z0-9]{10}$/);
    const stack = built.find(([kind]) => kind === 'LlamaStackDistribution')!;
    expect(configMapName(stack[2])).toBe('llama-stack-config');
    const f = await found(copied('fires', 'stack'));
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'LlamaStackDistribution/assistant/assistant-stack']]);
    expect(f[0][2]).toContain(`ConfigMap '${generated[1]}'`);
    expect(f[0][2]).toContain('path: spec/server/userConfig/configMapName');
  });

  test('near misses as kustomize builds them: the hash turned off, or the field listed in a configurations: nameReference', async () => {
    const off = kubectlBuild(path.join(FIXTURES, 'near-miss', 'stack'));
    expect(off.filter(([kind]) => kind === 'ConfigMap').map(([, name]) => name)).toEqual(['llama-stack-config']);
    const configured = kubectlBuild(path.join(FIXTURES, 'near-miss', 'configured'));
    const name = configured.find(([kind]) => kind === 'ConfigMap')![1];
    expect(name).toMatch(/^llama-stack-config-[a-z0-9]{10}$/);
    // kustomize follows the listed field to the hashed name
    expect(configMapName(configured.find(([kind]) => kind === 'LlamaStackDistribution')![2])).toBe(name);
    expect(await found(copied('near-miss'))).toEqual([]);
  });
});

describe('generator-hash-not-followed: which fields say what they name', () => {
  const kustomization = (generator: string) =>
    `namespace: models\nresources: [service.yaml, deployment.yaml]\n${generator}:\n  - name: model-settings\n    literals: [MODE=fast]\n`;
  /** An InferenceService (a custom resource kustomize's configuration does not list) reading the object in `field`. */
  const service = (field: string) =>
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: granite\nspec:\n  predictor:\n    model:\n' +
    `      modelFormat: {name: vLLM}\n      storageUri: hf://ibm-granite/granite-3.1-8b-instruct\n${field}`;
  /** A Deployment reading the same object: kustomize renames its reference. */
  const deployment =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reader\nspec:\n  selector: {matchLabels: {app: reader}}\n  template:\n    metadata: {labels: {app: reader}}\n' +
    '    spec:\n      containers:\n        - name: c\n          image: busybox:1.36\n          envFrom:\n            - configMapRef: {name: model-settings}\n';
  const tree = (generator: string, field: string) =>
    writeTree('generator-hash-', { 'kustomization.yaml': kustomization(generator), 'service.yaml': service(field), 'deployment.yaml': deployment });
  const secretEnv = '      env:\n        - name: MODE\n          valueFrom:\n            secretKeyRef: {name: model-settings, key: MODE}\n';

  test("a secretGenerator's name in the predictor's secretKeyRef: an error (kustomize follows secretKeyRef in workloads, not in an InferenceService)", async () => {
    const dir = tree('secretGenerator', secretEnv);
    const built = kubectlBuild(dir);
    const service = built.find(([kind]) => kind === 'InferenceService')![2];
    expect(JSON.stringify(service)).toContain('"name":"model-settings"');
    expect(built.find(([kind]) => kind === 'Secret')![1]).toMatch(/^model-settings-[a-z0-9]{10}$/);
    const f = await found(dir);
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'InferenceService/models/granite']]);
    expect(f[0][2]).toMatch(/^spec\.predictor\.model\.env\[0\]\.valueFrom\.secretKeyRef\.name is 'model-settings'/);
  });

  test('a field that only says it names some object is a warning; one that says the other kind, or a plain value, is not judged', async () => {
    expect((await found(tree('configMapGenerator', '      runtimeConfigName: model-settings\n'))).map(([s]) => s)).toEqual(['warning']);
    expect(await found(tree('configMapGenerator', secretEnv))).toEqual([]);
    expect(await found(tree('configMapGenerator', '      args: [model-settings]\n'))).toEqual([]);
  });

  test('near misses: the hash turned off for the generator, or a plain object of that name beside it', async () => {
    const off = `secretGenerator:\n  - name: model-settings\n    literals: [MODE=fast]\n    options: {disableNameSuffixHash: true}\n`;
    const dir = writeTree('generator-hash-', {
      'kustomization.yaml': `namespace: models\nresources: [service.yaml]\n${off}`,
      'service.yaml': service(secretEnv),
    });
    expect(await found(dir)).toEqual([]);
    const plain = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: model-settings\n  namespace: models\ntype: Opaque\nstringData: {MODE: slow}\n';
    const beside = writeTree('generator-hash-', {
      'app/kustomization.yaml': `namespace: models\nresources: [service.yaml]\nsecretGenerator:\n  - name: model-settings\n    literals: [MODE=fast]\n`,
      'app/service.yaml': service(secretEnv),
      'secrets/plain.yaml': plain,
    });
    expect(await found(beside)).toEqual([]);
  });
});
