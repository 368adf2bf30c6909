import { runChecks } from '../../lib';
import { cliInProcess, writeTree } from '../util';
import { ciphertext, sopsBlock } from '../sops-util';
import * as YAML from 'yaml';

/** The plaintext-secret findings of a tree, as [severity, object, message]. */
async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  // a tree with an object of its own: the CLI refuses an input with none
  const dir = writeTree('plaintext-secret-', { 'k8s/settings.yaml': SETTINGS, ...files });
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'plaintext-secret')
    .map((f) => [f.severity, f.object, f.message]);
}

const SETTINGS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: serving\ndata:\n  LOG_LEVEL: info\n';

/** A workflow whose step applies a Secret from a heredoc, its api-key value as given. */
const workflow = (value: string) =>
  [
    'name: deploy',
    'on: [push]',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Apply the key',
    '        run: |',
    '          cat <<EOF | oc apply -f -',
    '          apiVersion: v1',
    '          kind: Secret',
    '          metadata:',
    '            name: gateway-keys',
    '            namespace: serving',
    '          stringData:',
    `            api-key: "${value}"`,
    '          EOF',
    '',
  ].join('\n');

/** A Makefile recipe that creates a Secret from the literal of its api-key, after the lines given. */
const makefile = (before: string[], literal: string) =>
  ['secret:', ...before.map((l) => `\t${l}`), `\tkubectl create secret generic gateway-keys -n serving --from-literal=api-key="${literal}"`, ''].join('\n');

describe('plaintext-secret: values a pipeline fills, which the repository never holds', () => {
  test("a GitHub Actions expression (`${{ secrets.API_KEY }}`) is the runner's to fill from the repository's encrypted secrets: no finding", async () => {
    expect(await found({ '.github/workflows/deploy.yml': workflow('${{ secrets.API_KEY }}') })).toEqual([]);
  });

  test("a Makefile's `$$VAR` is the shell's $VAR (make turns $$ into $): set from a command the recipe runs, no value is written", async () => {
    expect(await found({ Makefile: makefile(["API_KEY=$$(grep -E '^API_KEY=' .env | cut -d= -f2-) && \\"], '$$API_KEY') })).toEqual([]);
  });

  test('near misses: the value written in the workflow step or in the recipe is plain text: a warning', async () => {
    expect(await found({ '.github/workflows/deploy.yml': workflow('k3y-9f2a7c41d0b8e6') })).toEqual([
      ['warning', 'Secret/serving/gateway-keys', expect.stringMatching(/^holds credentials in api-key in plain text/)],
    ]);
    expect(await found({ Makefile: makefile([], 'k3y-9f2a7c41d0b8e6') })).toEqual([
      ['warning', 'Secret/serving/gateway-keys', expect.stringMatching(/^holds credentials in api-key in plain text .*Makefile creates it/)],
    ]);
  });
});

describe("plaintext-secret: a service's live token is a warning, as the rule declares, told as a token to revoke", () => {
  /** A Secret committed with a Hugging Face token in its data (base64, as `kubectl create secret --dry-run -o yaml` writes it). */
  const hfSecret = (token: string) =>
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: hf-token',
      '  namespace: serving',
      'type: Opaque',
      'data:',
      `  token: ${Buffer.from(token).toString('base64')}`,
      '',
    ].join('\n');
  // a made-up token of the live form: hf_ and 34 letters and digits
  const LIVE = 'hf_Tq8WzR3mKp6YvN2cLx9BdF4hJs7GaE1uQo';

  test('a Hugging Face token committed in a Secret: a warning (the Secret applies and the download works) naming the service and saying to revoke it', async () => {
    const [finding, ...more] = await found({ 'k8s/hf-token.yaml': hfSecret(LIVE) });
    expect(more).toEqual([]);
    expect(finding[0]).toBe('warning');
    expect(finding[2]).toMatch(/it holds a Hugging Face token in its live form: .*revoke the token and keep its replacement in a Secret created outside Git/);
    // the rule's metadata says the same severity
    const { out } = await cliInProcess(['check', '--rules', '--json']);
    const { rules } = JSON.parse(out) as { rules: { id: string; severity: string }[] };
    expect(rules.find((r) => r.id === 'plaintext-secret')?.severity).toBe('warning');
  });

  test('a live token in an example file nothing applies stays a warning (the commit exposes it); another credential there is an info', async () => {
    expect((await found({ 'k8s/hf-token.example.yaml': hfSecret(LIVE) })).map(([severity]) => severity)).toEqual(['warning']);
    expect((await found({ 'k8s/hf-token.example.yaml': hfSecret('s3cr3t-Pa55w0rd-9f2a7c') })).map(([severity]) => severity)).toEqual(['info']);
  });

  test('near miss: a bare prefix is the template of a token, not a token: a placeholder to fill, not a token to revoke', async () => {
    expect(await found({ 'k8s/hf-token.yaml': hfSecret('hf_...') })).toEqual([
      ['warning', 'Secret/serving/hf-token', expect.stringMatching(/^holds placeholder values in token \('hf_\.\.\.'\), not credentials/)],
    ]);
  });
});

describe('plaintext-secret: SOPS-encrypted values', () => {
  const secret = (stringData: Record<string, string>) =>
    YAML.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'serving' }, stringData, sops: sopsBlock() });
  const deployment = (value: string) =>
    YAML.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gateway', namespace: 'serving' },
      spec: {
        selector: { matchLabels: { app: 'gateway' } },
        template: {
          metadata: { labels: { app: 'gateway' } },
          spec: { containers: [{ name: 'gateway', image: 'quay.io/example/gateway:1.2', env: [{ name: 'API_KEY', value }] }] },
        },
      },
      sops: sopsBlock(),
    });

  test('ciphertext under a credential key, in a Secret or an env value, is encrypted, not plain text (both were reported)', async () => {
    expect(await found({ 'k8s/keys.yaml': secret({ password: ciphertext(), HF_TOKEN: ciphertext('str', 'hf') }) })).toEqual([]);
    expect(await found({ 'k8s/gateway.yaml': deployment(ciphertext()) })).toEqual([]);
  });

  test('near miss: a plain password beside the ciphertext is still a credential in plain text', async () => {
    expect(await found({ 'k8s/keys.yaml': secret({ password: 'hunter2-is-the-password', HF_TOKEN: ciphertext() }) })).toEqual([
      ['warning', 'Secret/serving/keys', expect.stringMatching(/^holds credentials in password in plain text/)],
    ]);
  });
});

describe('plaintext-secret: names of metadata about a credential', () => {
  const job = (env: Record<string, string>) =>
    YAML.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'sync', namespace: 'ops' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'sync', image: 'quay.io/acme/sync:1.0.0', env: Object.entries(env).map(([name, value]) => ({ name, value })) }],
          },
        },
      },
    });

  test('near misses: a metadata word after the credential word (label, description, scopes) names something about it', async () => {
    const env = { SYNC_CONTROL_PLANE_TOKEN_LABEL: 'sync-control-plane', SYNC_TOKEN_DESCRIPTION: 'PAT for the ticket sync', SYNC_API_KEY_SCOPES: 'read,write' };
    expect(await found({ 'k8s/job.yaml': job(env) })).toEqual([]);
  });

  test('near misses: the namespace or identifier of a Secret (SIGNING_SECRET_NAMESPACE, TOKEN_UUID) names where it is, not what it holds', async () => {
    const env = {
      SERVICE_CA_SIGNING_SECRET_NAMESPACE: 'cert-authority',
      SERVICE_CA_SIGNING_SECRET_NAME: 'cluster-signing-ca',
      SYNC_TOKEN_UUID: '0b9c1a7e-5f4d-4e8a-9d2c-7a1b3c5d7e9f',
    };
    expect(await found({ 'k8s/job.yaml': job(env) })).toEqual([]);
  });

  test('a metadata word before the credential word qualifies it: still a credential, a warning', async () => {
    const f = await found({ 'k8s/job.yaml': job({ LABEL_PRINTER_TOKEN: 'q8Zr2mVx4kPn7Ts1' }) });
    expect(f.map(([s, o]) => [s, o])).toEqual([['warning', 'Job/ops/sync']]);
    expect(f[0][2]).toContain('sets env LABEL_PRINTER_TOKEN to a literal value');
  });
});

describe('plaintext-secret: kubeconfig files', () => {
  const kubeconfig = (user: Record<string, unknown>) =>
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'lab',
      clusters: [{ name: 'lab', cluster: { server: 'https://api.lab.internal:6443' } }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'operator' } }],
      users: [{ name: 'operator', user }],
    });

  test("a client key, token or password written in a kubeconfig of the tree: a warning naming the user's fields", async () => {
    const f = await found({
      'cluster/kubeconfig.yaml': kubeconfig({ 'client-certificate-data': 'Q0VSVA==', token: 'q8Zr2mVx4kPn7Ts1Wc3Lb9Hd', password: 'Tr0ub4dor-lab' }),
    });
    expect(f).toEqual([
      [
        'warning',
        'Config/<no name>',
        expect.stringContaining("is a kubeconfig that holds credentials in plain text (users 'operator' token, users 'operator' password)"),
      ],
    ]);
  });

  test('near misses: a login plugin, a token file, a placeholder to paste', async () => {
    const f = await found({
      'cluster/kubeconfig.yaml': kubeconfig({
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'lab-login' },
        tokenFile: '/run/token',
        token: '<your token>',
      }),
    });
    expect(f).toEqual([]);
  });
});

describe('plaintext-secret: a file left out of the checked build that a kustomization of its own lists', () => {
  // the kustomize root k8s/ is checked, its overlay folder k8s/staging/ is a build of its own the root does not include
  const foundIn = async (files: Record<string, string>) => {
    const dir = writeTree('plaintext-own-build-', { 'k8s/settings.yaml': SETTINGS, ...files });
    const { out } = await cliInProcess(['check', `${dir}/k8s`, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => [f.severity, f.object, f.message]);
  };
  const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: serving\nstringData:\n  api-key: 7Qm2vX9pLk4R8sTz\n`;

  test('an overlay folder below the checked root lists it: the note names that kustomization, once per file', async () => {
    const files = {
      'k8s/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'k8s/staging/kustomization.yaml': 'resources:\n  - gateway-keys.yaml\n',
      'k8s/staging/gateway-keys.yaml': secret('gateway-keys'),
    };
    const results = await foundIn(files);
    expect(results).toEqual([
      [
        'warning',
        'Secret/serving/gateway-keys',
        expect.stringContaining('(staging/kustomization.yaml lists the file, a kustomize build of its own that the checked build does not include'),
      ],
    ]);
  });

  test('near miss: a file no kustomization lists keeps the note that it is in none', async () => {
    const files = {
      'k8s/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'k8s/staging/kustomization.yaml': 'resources: []\n',
      'k8s/staging/gateway-keys.yaml': secret('gateway-keys'),
    };
    const results = await foundIn(files);
    expect(results).toEqual([['warning', 'Secret/serving/gateway-keys', expect.stringContaining('(the file is in no kustomization of its folder')]]);
  });
});

describe('plaintext-secret: chart values that name the entry of an existing Secret', () => {
  const release = (values: string) =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: db\n  namespace: serving\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: postgresql\n  values:\n${values}`;

  test('a …PasswordKey or …SecretKey given a data key name (`postgres-password`, `client_id`): a reference, no finding', async () => {
    const values =
      '    auth:\n      existingSecret: db-auth\n      secretKeys:\n        adminPasswordKey: postgres-password\n    oauth:\n      clientIdSecretKey: client_id\n      clientSecretSecretKey: CLIENT_SECRET\n';
    expect(await found({ 'k8s/db.yaml': release(values) })).toEqual([]);
  });

  test('near misses: a key name given a credential, or a secretKey that is the credential itself (awsSecretKey, secretKey): still a finding', async () => {
    const values =
      '    auth:\n      secretKeys:\n        adminPasswordKey: "Tq7!vB2#rW9z"\n    store:\n      awsSecretKey: wren4417\n      secretKey: heron2290\n';
    expect(await found({ 'k8s/db.yaml': release(values) })).toEqual([
      [
        'warning',
        'HelmRelease/serving/db',
        expect.stringMatching(
          /^spec\.values\.auth\.secretKeys\.adminPasswordKey, spec\.values\.store\.awsSecretKey, spec\.values\.store\.secretKey hold credentials in plain text/,
        ),
      ],
    ]);
  });
});

describe('plaintext-secret: a slot in square brackets in a configuration file', () => {
  const proxyConfig = (key: string) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: proxy-config',
      '  namespace: serving',
      'data:',
      '  config.yaml: |',
      '    model_list:',
      '      - model_name: chat',
      '        litellm_params:',
      '          model: openai/chat',
      `          api_key: "${key}"`,
      '',
    ].join('\n');

  test('api_key "[API_Key]" is text to replace, no credential: no finding', async () => {
    expect(await found({ 'k8s/proxy.yaml': proxyConfig('[API_Key]') })).toEqual([]);
  });

  test('near miss: a key of real-looking characters is still a credential in plain text', async () => {
    expect((await found({ 'k8s/proxy.yaml': proxyConfig('sk-9fQ2kLm3Xv8Rt1Zw') })).map(([severity, object]) => [severity, object])).toEqual([
      ['warning', 'ConfigMap/serving/proxy-config'],
    ]);
  });
});

describe('plaintext-secret: a hash method is no password', () => {
  const config = (key: string, value: string) =>
    YAML.stringify({
      apiVersion: 'stackgres.io/v1',
      kind: 'SGPostgresConfig',
      metadata: { name: 'pg-tuning', namespace: 'serving' },
      spec: { postgresVersion: '16', 'postgresql.conf': { [key]: value } },
    });

  test("PostgreSQL's password_encryption set to scram-sha-256 or md5, a *_PASSWORD_ENCRYPTION env: nothing to say", async () => {
    expect(
      await found({
        'k8s/a.yaml': config('password_encryption', 'scram-sha-256'),
        'k8s/b.yaml': config('password_encryption', 'md5').replace('pg-tuning', 'pg-old'),
      }),
    ).toEqual([]);
    const env = YAML.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'migrate', namespace: 'serving' },
      spec: { containers: [{ name: 'm', image: 'quay.io/acme/migrate:1.0', env: [{ name: 'DB_PASSWORD_ENCRYPTION', value: 'scram-sha-256' }] }] },
    });
    expect(await found({ 'k8s/pod.yaml': env })).toEqual([]);
  });

  test('near miss: a password that is a word, or a key that names the encryption key itself, stays a warning', async () => {
    const f = await found({
      'k8s/a.yaml': config('superuser_password', 'Ledger2024!'),
      'k8s/b.yaml': config('secret_encryption_key', 'k3y-Wq81zT').replace('pg-tuning', 'pg-key'),
    });
    expect(f.map(([severity, object, message]) => [severity, object, message.slice(0, 40)])).toEqual([
      ['warning', 'SGPostgresConfig/serving/pg-key', 'spec.postgresql.conf.secret_encryption_k'],
      ['warning', 'SGPostgresConfig/serving/pg-tuning', 'spec.postgresql.conf.superuser_password '],
    ]);
  });
});

describe('plaintext-secret: a LiteLLM proxy config whose api_key names the model or backend', () => {
  const config = (keys: { model: string; base: string; key: string }[]) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: proxy-config, namespace: gateway}',
      'data:',
      '  config.yaml: |',
      '    model_list:',
      ...keys.flatMap((k) => [
        `      - model_name: ${k.model}`,
        '        litellm_params:',
        `          model: openai/${k.model}`,
        `          api_base: ${k.base}`,
        `          api_key: ${k.key}`,
      ]),
    ].join('\n') + '\n';
  const found = async (text: string) => {
    const r = await cliInProcess(['check', writeTree('litellm-keys-', { 'config.yaml': text }), '--platform', 'kserve', '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => [f.severity, f.message]);
  };

  test('near misses: api_key the model_name, the backend model, the api_base Service, or os.environ/…', async () => {
    expect(
      await found(
        config([
          { model: 'granite-chat', base: 'http://granite-server:8000/v1', key: 'granite-chat' },
          { model: 'qwen', base: 'http://qwen-vllm:8000/v1', key: 'qwen-vllm' },
          { model: 'mistral', base: 'http://mistral:8000/v1', key: 'os.environ/MISTRAL_KEY' },
        ]),
      ),
    ).toEqual([]);
  });

  test('a key that names nothing of its entry is still a credential', async () => {
    expect(await found(config([{ model: 'granite-chat', base: 'http://granite-server:8000/v1', key: 'Zq8w3NcKpL2vT7rY' }]))).toEqual([
      [
        'warning',
        "key 'config.yaml' is a configuration file that holds a credential in plain text (model_list[0].litellm_params.api_key), readable by anyone who can read ConfigMaps in the namespace; keep the file in a Secret and mount it from there, or have the program read the value from an environment variable set from a Secret",
      ],
    ]);
  });
});

describe('plaintext-secret: keys that hold the name of a Secret or of its entry, not a credential', () => {
  const deployment = (annotations: Record<string, string>, env: Record<string, string>) =>
    YAML.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat-ui', namespace: 'serving', annotations },
      spec: {
        selector: { matchLabels: { app: 'chat-ui' } },
        template: {
          metadata: { labels: { app: 'chat-ui' } },
          spec: {
            containers: [{ name: 'ui', image: 'registry.example.com/chat-ui:1.4.2', env: Object.entries(env).map(([name, value]) => ({ name, value })) }],
          },
        },
      },
    });
  const helmApp = (values: Record<string, unknown>) =>
    YAML.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'gateway', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://charts.example.com', chart: 'llm-gateway', targetRevision: '1.2.0', helm: { valuesObject: values } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
      },
    });

  test("a reload annotation listing Secrets by name, a chart's existingSecret, *SecretName, *SecretRef and a masterkeySecretKey: no finding", async () => {
    expect(
      await found({
        'k8s/ui.yaml': deployment(
          { 'secret.reloader.stakater.com/reload': 'app-secret', 'secret.reloader.stakater.com/auto': 'true' },
          { TOKEN_SECRET_NAME: 'chatui', API_KEY_SECRET_REF: 'gateway' },
        ),
        'k8s/gateway.yaml': helmApp({
          masterkeySecretKey: 'masterkey',
          masterkeySecretName: 'gateway-master',
          podAnnotations: { 'secret.reloader.stakater.com/reload': 'gateway-master,gatewaycreds' },
          existingSecret: 'gateway',
          auth: { existingSecret: 'gatewaycreds', passwordSecretName: 'db', apiKeySecretRef: 'keys', tokenSecretKey: 'token' },
        }),
      }),
    ).toEqual([]);
  });

  test('near misses: the credentials themselves, beside them, are still found', async () => {
    expect(
      await found({
        'k8s/ui.yaml': deployment({ 'secret.reloader.stakater.com/reload': 'app-secret' }, { PASSWORD: 'hunter2' }),
        'k8s/gateway.yaml': helmApp({ masterkeySecretKey: 'masterkey', apiKey: 'sk-Jq4nW8eR2tY6uI0oP3aS7dF1gH5jK9lZ' }),
      }),
    ).toEqual([
      ['warning', 'Application/argocd/gateway', expect.stringMatching(/^spec\.source\.helm\.valuesObject\.apiKey holds a credential/)],
      ['warning', 'Deployment/serving/chat-ui', expect.stringMatching(/PASSWORD/)],
    ]);
  });
});

describe('plaintext-secret: a token of a tokenizer is not a credential', () => {
  /** A ConfigMap holding a recipe file with the settings given, one per line. */
  const recipe = (lines: string[]) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: finetune-recipe',
      '  namespace: training',
      'data:',
      '  recipe.yaml: |',
      ...lines.map((l) => `    ${l}`),
      '',
    ].join('\n');
  const message = (fields: string) =>
    `key 'recipe.yaml' is a configuration file that holds a credential in plain text (${fields}), readable by anyone who can read ConfigMaps in the namespace; keep the file in a Secret and mount it from there, or have the program read the value from an environment variable set from a Secret`;

  test('special tokens (pad_token, bos_token), a token strategy or budget, max_tokens: no finding', async () => {
    expect(
      await found({
        'k8s/recipe.yaml': recipe([
          'missing_pad_token_strategy: bos-repurpose',
          'pad_token: "<|pad|>"',
          'bos_token: "<s>"',
          'eos_token: "</s>"',
          'token_budget: forty-two',
          'max_tokens: 2048',
        ]),
      }),
    ).toEqual([]);
  });

  test('a token-named setting given hyphenated words (`auth_token: round-robin`) is a choice from a list: no finding', async () => {
    expect(await found({ 'k8s/recipe.yaml': recipe(['model: acme/tiny-chat-1b', 'auth_token: round-robin']) })).toEqual([]);
  });

  test('near misses: a token as the last word (hf_token, api_token, access_token, HF_TOKEN_VALUE) given a literal is a credential', async () => {
    expect(await found({ 'k8s/recipe.yaml': recipe(['pad_token: "<|pad|>"', 'hf_token: hf_Qz7mK2pLw9xRt4vBn8cYd3sFa6']) })).toEqual([
      ['warning', 'ConfigMap/training/finetune-recipe', message('hf_token')],
    ]);
    expect(await found({ 'k8s/recipe.yaml': recipe(['api_token: q7Wm-2kLx-9vRt', 'access_token: Zp4nY8wQ1rT6', 'HF_TOKEN_VALUE: Lk9sD2fG7hJ3']) })).toEqual([
      ['warning', 'ConfigMap/training/finetune-recipe', expect.stringContaining('(api_token, access_token, HF_TOKEN_VALUE)')],
    ]);
  });

  test('near miss: a password of hyphenated words is still a credential (people choose passwords; machines issue tokens)', async () => {
    expect(await found({ 'k8s/recipe.yaml': recipe(['model: acme/tiny-chat-1b', 'db_password: correct-horse-battery']) })).toEqual([
      ['warning', 'ConfigMap/training/finetune-recipe', message('db_password')],
    ]);
  });
});

describe('plaintext-secret: a format directive or a reference in the password of a URL a script writes', () => {
  /** A ConfigMap whose entrypoint writes git credentials for the URL given, the token coming from the environment. */
  const entrypoint = (url: string) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: agent-entry, namespace: tools}',
      'data:',
      '  entrypoint.sh: |',
      '    #!/bin/sh',
      `    printf '${url}\\n' "\${GITHUB_TOKEN}" > "$HOME/.git-credentials"`,
      '    exec sleep infinity',
      '',
    ].join('\n');
  const SCRIPT_MESSAGE =
    "key 'entrypoint.sh' is a script that holds a credential literally (a URL with a password); keep it in a Secret, set it as an environment variable of the pod that runs the script (valueFrom.secretKeyRef) and use ${VAR} in the script";

  test.each([
    ['printf %s', 'https://x-access-token:%s@github.com'],
    ["Go's %v", 'https://x-access-token:%v@github.com'],
    ["Go's indexed %[1]s", 'https://x-access-token:%[1]s@github.com'],
    ["Python's %(token)s", 'https://x-access-token:%(token)s@github.com'],
    ['str.format {}', 'https://x-access-token:{}@github.com'],
    ['str.format {token}', 'https://x-access-token:{token}@github.com'],
    ['a shell variable $TOKEN', 'https://x-access-token:$TOKEN@github.com'],
    ['a shell variable ${TOKEN}', 'https://x-access-token:${TOKEN}@github.com'],
    ['a command substitution $(cat …)', 'https://x-access-token:$(cat /run/secrets/token)@github.com'],
  ])('%s as the password is a slot the script fills, no credential: no finding', async (_, url) => {
    expect(await found({ 'k8s/entry.yaml': entrypoint(url) })).toEqual([]);
  });

  test('near misses: a literal password, or a literal one in a second URL after a formatted one, is a credential', async () => {
    expect(await found({ 'k8s/entry.yaml': entrypoint('https://x-access-token:Qm7zK2wPx9@github.com') })).toEqual([
      ['warning', 'ConfigMap/tools/agent-entry', SCRIPT_MESSAGE],
    ]);
    expect(await found({ 'k8s/entry.yaml': entrypoint('https://x-access-token:%s@github.com https://ci:Qm7zK2wPx9@git.acme.test') })).toEqual([
      ['warning', 'ConfigMap/tools/agent-entry', SCRIPT_MESSAGE],
    ]);
  });

  test('near miss: a percent sign inside a password is part of it (`p%sw0rd`), not a directive', async () => {
    expect(await found({ 'k8s/entry.yaml': entrypoint('https://ci:p%sw0rd@git.acme.test') })).toEqual([
      ['warning', 'ConfigMap/tools/agent-entry', SCRIPT_MESSAGE],
    ]);
  });
});

describe("plaintext-secret: a custom resource's key that repeats a name of its object, or a no-key word", () => {
  /** A LiteLLMModel of the litellm-operator for a local llama.cpp server, its apiKey as given. */
  const model = (apiKey: string, extra = '') =>
    [
      'apiVersion: litellm.home-operations.com/v1alpha1',
      'kind: LiteLLMModel',
      'metadata: {name: local-chat, namespace: llm}',
      'spec:',
      '  modelName: local-chat',
      '  proxyRef: gateway',
      '  params:',
      '    model: openai/llama-box',
      '    apiBase: http://llama-box-server.llm:8080/v1',
      `    apiKey: ${apiKey}`,
      extra,
    ].join('\n');

  test.each([
    ['the backend model without its provider prefix', 'llama-box'],
    ['the model with its prefix', 'openai/llama-box'],
    ['the modelName and the object name', 'local-chat'],
    ["the api base's Service", 'llama-box-server'],
    ['its own key', 'api-key'],
  ])('apiKey set to %s: a filler, no finding', async (_, key) => {
    expect(await found({ 'k8s/model.yaml': model(key) })).toEqual([]);
  });

  test.each([['EMPTY'], ['sk-no-key-required'], ['none'], ['not-needed'], ['no-key'], ['dummy'], ['ollama']])(
    "the OpenAI-compatible servers' no-key word %s: a stand-in, no finding",
    async (key) => {
      expect(await found({ 'k8s/model.yaml': model(key) })).toEqual([]);
    },
  );

  test('near misses: a random key, a key of the OpenAI form, a name the object does not show: a warning', async () => {
    const warned = [
      'warning',
      'LiteLLMModel/llm/local-chat',
      expect.stringMatching(/^spec\.params\.apiKey holds a credential in plain text in the LiteLLMModel/),
    ];
    expect(await found({ 'k8s/model.yaml': model('Zq8w3NcKpL2vT7rY') })).toEqual([warned]);
    expect(await found({ 'k8s/model.yaml': model(`sk-${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f'}`) })).toEqual([
      ['warning', 'LiteLLMModel/llm/local-chat', expect.stringContaining('an OpenAI API key in its live form')],
    ]);
    expect(await found({ 'k8s/model.yaml': model('mistral-large') })).toEqual([warned]);
  });

  test('near miss: a password set to a name of the object is a password people chose, still a credential', async () => {
    const db = [
      'apiVersion: acid.zalan.do/v1',
      'kind: ChatStore',
      'metadata: {name: chat-store, namespace: llm}',
      'spec:',
      '  url: postgres://chat-store.llm:5432/chat',
      '  password: chat-store',
      '',
    ].join('\n');
    expect(await found({ 'k8s/db.yaml': db })).toEqual([
      ['warning', 'ChatStore/llm/chat-store', expect.stringMatching(/^spec\.password holds a credential in plain text/)],
    ]);
  });
});

describe('plaintext-secret: a placeholder as the key a server signs sessions with', () => {
  const envFindings = (env: Record<string, string>) =>
    runChecks(
      [
        {
          manifest: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'webui', namespace: 'chat' },
            spec: {
              selector: { matchLabels: { app: 'webui' } },
              template: {
                metadata: { labels: { app: 'webui' } },
                spec: {
                  containers: [
                    { name: 'ui', image: 'ghcr.io/open-webui/open-webui:v0.6.5', env: Object.entries(env).map(([name, value]) => ({ name, value })) },
                  ],
                },
              },
            },
          },
        },
      ],
      { platform: 'kserve', rules: ['plaintext-secret'] },
    ).map((f) => [f.severity, f.message]);

  test.each([['WEBUI_SECRET_KEY'], ['NEXTAUTH_SECRET'], ['JWT_SECRET'], ['SESSION_SECRET']])(
    '%s: change-me-in-production is a warning naming the key',
    (key) => {
      expect(envFindings({ [key]: 'change-me-in-production' })).toEqual([
        ['warning', expect.stringContaining(`${key} is the key the server signs sessions with`)],
      ]);
    },
  );

  test('near miss: a placeholder API key the server presents elsewhere stays the note', () => {
    expect(envFindings({ OPENAI_API_KEY: 'change-me' })).toEqual([['info', expect.stringContaining('not a credential')]]);
  });

  test('near miss: a storage secret key (MINIO_SECRET_KEY) is a credential slot, not a signing key: the note', () => {
    expect(envFindings({ MINIO_SECRET_KEY: 'change-me' })).toEqual([['info', expect.stringContaining('not a credential')]]);
  });
});
