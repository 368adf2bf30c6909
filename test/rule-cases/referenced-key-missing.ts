import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

type Doc = Record<string, unknown>;

/** The referenced-key-missing findings of a tree, as [severity, message]. */
const found = (docs: Doc[]) =>
  severityMessages(
    ruleFound(
      'referenced-key-missing',
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf-token', namespace: 'ml' }, stringData: { token: 'x' } };
const reading = (key: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'picker', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'picker' } },
    template: {
      metadata: { labels: { app: 'picker' } },
      spec: { containers: [{ name: 'epp', image: 'epp:1', env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key } } }] }] },
    },
  },
});

describe('referenced-key-missing: a key holding template syntax', () => {
  test('key `${HF_SECRET_KEY}` of a Secret the tree declares: a key only rendering decides, not judged (it was an error on the literal)', () => {
    expect(found([secret, reading('${HF_SECRET_KEY}')])).toEqual([]);
  });

  test('near miss: a key written out that the Secret lacks is an error', () => {
    expect(found([secret, reading('hf-token')])).toEqual([
      ['error', expect.stringMatching(/reads key 'hf-token' of Secret hf-token in 'ml', which the tree declares with only token/)],
    ]);
  });
});

describe('referenced-key-missing: a Secret or ConfigMap a generator of the build makes', () => {
  /** The rule's findings on a folder, as [severity, object, message]. */
  async function inTree(files: Record<string, string>): Promise<[string, string, string][]> {
    const { out } = await cliInProcess(['check', writeTree('generated-keys-', files), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'referenced-key-missing')
      .map((f) => [f.severity, f.object, f.message]);
  }
  const env = (ref: string) => `          env:\n            - name: REGION\n              valueFrom:\n                ${ref}\n`;
  const worker = (ref: string) =>
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: uploader\nspec:\n  selector: {matchLabels: {app: uploader}}\n  template:\n' +
    '    metadata: {labels: {app: uploader}}\n    spec:\n      containers:\n        - name: c\n          image: busybox:1.36\n' +
    env(ref);
  const predictor = (ref: string) =>
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: scorer\nspec:\n  predictor:\n    sklearn:\n' +
    '      storageUri: pvc://models/scorer\n' +
    env(ref).replace(/^ {4}/gm, '');
  const generator = (kind: string, options = '') => `${kind}:\n  - name: bucket-access\n    literals: [ACCESS_ID=reader, ACCESS_SECRET=hidden]\n${options}`;
  const build = (generated: string, workload: string) => ({
    'kustomization.yaml': `namespace: storage\nresources: [workload.yaml]\n${generated}`,
    'workload.yaml': workload,
  });
  const missingKey = '{secretKeyRef: {name: bucket-access, key: REGION}}';

  test("a Deployment reads a key the generated Secret lacks: kustomize renames the reference to the hashed name, whose keys are the generator's", async () => {
    const f = await inTree(build(generator('secretGenerator'), worker(missingKey)));
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'Deployment/storage/uploader']]);
    expect(f[0][2]).toMatch(/reads key 'REGION' of Secret bucket-access-[a-z0-9]{10} in 'storage', which the tree declares with only ACCESS_ID, ACCESS_SECRET/);
    expect(f[0][2]).toContain('CreateContainerConfigError');
  });

  test("an InferenceService's predictor env reads a key of a generated ConfigMap whose name the build keeps (hash off): the key is the file's name", async () => {
    const files = {
      ...build(
        `configMapGenerator:\n  - name: bucket-access\n    files: [region.txt]\n    options: {disableNameSuffixHash: true}\n`,
        predictor('{configMapKeyRef: {name: bucket-access, key: region}}'),
      ),
      'region.txt': 'eu-west-1\n',
    };
    const f = await inTree(files);
    expect(f.map(([s, o]) => [s, o])).toEqual([['error', 'InferenceService/storage/scorer']]);
    expect(f[0][2]).toMatch(/reads key 'region' of ConfigMap bucket-access in 'storage', which the tree declares with only region\.txt/);
  });

  test('near miss: an InferenceService names the generated Secret plainly while the build hashes it (kustomize does not rename its field): it reads another Secret, whose keys the tree does not show', async () => {
    expect(await inTree(build(generator('secretGenerator'), predictor(missingKey)))).toEqual([]);
  });

  test('near misses: the reference optional, or the generator reading an env file the tree does not hold (keys unknown)', async () => {
    const optional = '{secretKeyRef: {name: bucket-access, key: REGION, optional: true}}';
    expect(await inTree(build(generator('secretGenerator'), worker(optional)))).toEqual([]);
    const fromEnvFile = 'secretGenerator:\n  - name: bucket-access\n    envs: [bucket.env]\n';
    expect(await inTree(build(fromEnvFile, worker(missingKey)))).toEqual([]);
  });
});

describe('referenced-key-missing: a Secret the tree declares with no keys', () => {
  const empty = (annotations?: Record<string, string>): Doc => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'hf-token', namespace: 'ml', ...(annotations ? { annotations } : {}) },
    data: {},
  });

  test('`data: {}` and nothing of the tree fills it: an error, the kubelet finds no key', () => {
    const [[severity, message], ...rest] = found([empty(), reading('token')]);
    expect(rest).toEqual([]);
    expect(severity).toBe('error');
    expect(message).toContain(
      "reads key 'token' of Secret hf-token in 'ml', which the tree declares with no keys at all (no data), and nothing of the tree fills it",
    );
    expect(message).toContain("CreateContainerConfigError (couldn't find key in Secret)");
  });

  test("an annotated shell may be a controller's to fill: a warning naming the annotations", () => {
    const [[severity, message]] = found([empty({ 'filler.example.io/source': 'vault' }), reading('token')]);
    expect(severity).toBe('warning');
    expect(message).toContain('its annotations (filler.example.io/source) may have a controller fill it');
  });

  test('near miss: a Secret with the key', () => {
    expect(found([secret, reading('token')])).toEqual([]);
  });
});

describe('referenced-key-missing: the Secret an ExternalSecret makes, and keys read by subPath', () => {
  const externalSecret = (
    target: Doc,
    data: Doc[] = [{ secretKey: 'master_key', remoteRef: { key: 'gateway', property: 'master_key' } }],
    extra: Doc = {},
  ) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'gateway', namespace: 'ai' },
    spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'gateway-secret', ...target }, data, ...extra },
  });
  const templateFrom = (items: Doc[], more: Doc = {}) => ({
    template: { engineVersion: 'v2', templateFrom: [{ configMap: { name: 'tpl', items } }], ...more },
  });
  const gateway = (container: Doc, volume: Doc = { secret: { secretName: 'gateway-secret' } }) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'gateway', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'gateway' } },
      template: {
        metadata: { labels: { app: 'gateway' } },
        spec: { containers: [{ name: 'proxy', image: 'registry.example.com/gateway:1.0', ...container }], volumes: [{ name: 'config', ...volume }] },
      },
    },
  });
  const mount = (subPath: string) => ({ volumeMounts: [{ name: 'config', mountPath: '/etc/gateway/config.yaml', subPath }] });
  const envKey = (key: string) => ({ env: [{ name: 'MASTER_KEY', valueFrom: { secretKeyRef: { name: 'gateway-secret', key } } }] });

  test("a subPath naming no key of the template's Secret (templateFrom items): an error naming the keys it has and the empty folder in the file's place", () => {
    expect(found([externalSecret(templateFrom([{ key: 'gateway.yaml' }])), gateway(mount('proxy_config.yaml'))])).toEqual([
      [
        'error',
        "container 'proxy' mounts volume 'config' with subPath proxy_config.yaml, so it reads key 'proxy_config.yaml' of Secret gateway-secret in 'ai', which ExternalSecret gateway makes with only gateway.yaml: " +
          'the kubelet finds no file of that name in the volume and makes an empty directory in its place, so /etc/gateway/config.yaml is an empty folder, not the file (or the container fails to start: "failed to create subPath directory"); ' +
          'set subPath to a key the Secret has, or give the Secret that key',
      ],
    ]);
  });

  test("a template replaces the provider's keys (mergePolicy Replace, the default): a key of spec.data read by env is missing", () => {
    expect(found([externalSecret({ template: { data: { MASTER_KEY: '{{ .master_key }}' } } }), gateway(envKey('master_key'))])).toEqual([
      [
        'error',
        "container 'proxy' env MASTER_KEY reads key 'master_key' of Secret gateway-secret in 'ai', which ExternalSecret gateway makes with only MASTER_KEY: the container fails with CreateContainerConfigError; add the key, correct its name, or mark the reference optional",
      ],
    ]);
  });

  test('no template: the keys are spec.data secretKeys', () => {
    expect(found([externalSecret({}), gateway(envKey('masterKey'))]).map(([s, m]) => [s, m.split(':')[0]])).toEqual([
      [
        'error',
        "container 'proxy' env MASTER_KEY reads key 'masterKey' of Secret gateway-secret in 'ai', which ExternalSecret gateway makes with only master_key",
      ],
    ]);
  });

  test.each([
    ['the subPath names the key the template writes', [externalSecret(templateFrom([{ key: 'gateway.yaml' }])), gateway(mount('gateway.yaml'))]],
    ['mergePolicy Merge keeps the provider keys', [externalSecret({ template: { mergePolicy: 'Merge', data: { A: 'x' } } }), gateway(envKey('master_key'))]],
    [
      'a template with neither data nor templateFrom keeps the provider keys',
      [externalSecret({ template: { type: 'Opaque' } }), gateway(envKey('master_key'))],
    ],
    ['dataFrom gives keys the tree does not show', [externalSecret({}, [], { dataFrom: [{ extract: { key: 'gateway' } }] }), gateway(envKey('anything'))]],
    [
      'templateAs KeysAndValues makes keys from values',
      [externalSecret(templateFrom([{ key: 'k', templateAs: 'KeysAndValues' }])), gateway(mount('proxy_config.yaml'))],
    ],
    ['a literal templateFrom', [externalSecret({ template: { templateFrom: [{ literal: '{{ .x }}: y' }] } }), gateway(mount('proxy_config.yaml'))]],
    ['creationPolicy Merge keeps the existing keys', [externalSecret({ creationPolicy: 'Merge' }), gateway(envKey('other'))]],
    [
      'a volume with items: the subPath names an item path',
      [
        externalSecret(templateFrom([{ key: 'gateway.yaml' }])),
        gateway(mount('config.yaml'), { secret: { secretName: 'gateway-secret', items: [{ key: 'gateway.yaml', path: 'config.yaml' }] } }),
      ],
    ],
    [
      'an optional volume',
      [
        externalSecret(templateFrom([{ key: 'gateway.yaml' }])),
        gateway(mount('proxy_config.yaml'), { secret: { secretName: 'gateway-secret', optional: true } }),
      ],
    ],
  ])('near miss, %s: silent', (_, docs) => {
    expect(found(docs as Doc[])).toEqual([]);
  });

  test('a subPath into a ConfigMap the tree declares, naming no key of it: an error too', () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gateway-config', namespace: 'ai' }, data: { 'config.yaml': 'a: 1' } };
    expect(found([config, gateway(mount('proxy_config.yaml'), { configMap: { name: 'gateway-config' } })]).map(([s, m]) => [s, m.split(':')[0]])).toEqual([
      [
        'error',
        "container 'proxy' mounts volume 'config' with subPath proxy_config.yaml, so it reads key 'proxy_config.yaml' of ConfigMap gateway-config in 'ai', which the tree declares with only config.yaml",
      ],
    ]);
  });
});

describe("referenced-key-missing: the keys of a Secret or ConfigMap a README's command makes", () => {
  const app = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: ledger, namespace: books}',
    'spec:',
    '  selector: {matchLabels: {app: ledger}}',
    '  template:',
    '    metadata: {labels: {app: ledger}}',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: busybox:1.36',
    '          env:',
    '            - {name: MODEL, valueFrom: {configMapKeyRef: {name: ledger-settings, key: MODEL}}}',
    '            - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: ledger-db, key: PASSWORD}}}',
  ].join('\n');
  const readme = (settings: string, db: string) =>
    `# Deploy\n\n\`\`\`sh\nkubectl -n books create configmap ledger-settings ${settings}\nkubectl -n books create secret generic ledger-db ${db}\nkubectl apply -f app.yaml\n\`\`\`\n`;
  async function found(files: Record<string, string>): Promise<[string, string][]> {
    const { out } = await cliInProcess(['check', writeTree('script-keys-', { 'app.yaml': app, ...files }), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'referenced-key-missing')
      .map((f) => [f.severity, f.message]);
  }

  test('a ConfigMap made --from-literal and a Secret made --from-env-file of a file of the tree lack the keys read: errors naming the keys made', async () => {
    expect(
      await found({ 'README.md': readme('--from-literal=MODEL_ID=granite', '--from-env-file=db.env'), 'db.env': '# database\nUSER=books\n  PASS=x\n' }),
    ).toEqual([
      [
        'error',
        "container 'api' env DB_PASSWORD reads key 'PASSWORD' of Secret ledger-db in 'books', which README.md (line 5) creates with only PASS, USER: the container fails with CreateContainerConfigError; add the key, correct its name, or mark the reference optional",
      ],
      [
        'error',
        "container 'api' env MODEL reads key 'MODEL' of ConfigMap ledger-settings in 'books', which README.md (line 4) creates with only MODEL_ID: the container fails with CreateContainerConfigError; add the key, correct its name, or mark the reference optional",
      ],
    ]);
  });

  test('near misses: the keys present (a literal, --from-file=KEY=path, an env file line); an env file the tree lacks: no finding', async () => {
    expect(
      await found({
        'README.md': readme('--from-literal=MODEL=granite --from-file=extra.json=conf/extra.json', '--from-env-file=db.env'),
        'db.env': 'USER=books\nPASSWORD=x\n',
      }),
    ).toEqual([]);
    expect(await found({ 'README.md': readme('--from-literal=MODEL=granite', '--from-env-file=secrets/db.env') })).toEqual([]);
  });
});
