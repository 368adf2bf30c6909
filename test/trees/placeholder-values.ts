import { readManifests, runChecks } from '../../lib';
import * as YAML from 'yaml';
import { writeTree } from '../util';

type Doc = Record<string, unknown>;
const found = (doc: Doc) => runChecks([{ manifest: doc }], { platform: 'kserve' }).filter((f) => f.rule === 'unrendered-placeholder');

const deployment = (pod: Doc, metadata: Doc = { name: 'server', namespace: 'ai' }): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata,
  spec: { selector: { matchLabels: { app: 'server' } }, template: { metadata: { labels: { app: 'server' } }, spec: pod } },
});
const container = (extra: Doc): Doc => ({ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', ...extra });

// a bare $VAR where no shell runs: a name admits no `$`, so the API server refuses the object
describe('a bare $VAR in a name, namespace or service account', () => {
  test.each([
    ['serviceAccountName', deployment({ serviceAccountName: '$KSA_NAME', containers: [container({})] }), 'serviceAccountName', '$KSA_NAME'],
    ['metadata.namespace', deployment({ containers: [container({})] }, { name: 'server', namespace: '$NAMESPACE' }), 'metadata.namespace', '$NAMESPACE'],
  ])('%s: an error naming the field and the token', (_, doc, where, token) => {
    expect(found(doc).map((f) => [f.severity, f.message.startsWith(`${where} holds '${token}'`)])).toEqual([['error', true]]);
  });

  test("a LeaderWorkerSet template's service account is named with its path", () => {
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'server', namespace: 'ai' },
      spec: { leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { serviceAccountName: '${KSA}', containers: [container({})] } } } },
    };
    expect(found(lws).map((f) => f.message)).toEqual([
      expect.stringContaining("spec.leaderWorkerTemplate.workerTemplate.spec.serviceAccountName holds '${KSA}'"),
    ]);
  });

  test('a <KSA_NAME> fill-in is a warning, as in other names', () => {
    expect(found(deployment({ serviceAccountName: '<KSA_NAME>', containers: [container({})] })).map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('a hand-filled <NAME> standing for a whole env value or argument', () => {
  test('a warning saying the container reads the literal', () => {
    const doc = deployment({
      containers: [container({ args: ['--model=<MODEL_ID>'], env: [{ name: 'HF_TOKEN', value: '<your-hf-token>' }] })],
    });
    const [f, ...rest] = found(doc);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toBe(
      "container 'vllm' command line holds '<MODEL_ID>', container 'vllm' env HF_TOKEN holds '<your-hf-token>': a placeholder left to be replaced by hand, and " +
        'the container reads the literal text (a token the server refuses, a model or path that does not exist); write the real value',
    );
  });

  test('quiet: a shell script, chat-model tokens, <…> inside a longer value, annotations, bare $VAR in env values', () => {
    const doc = deployment(
      {
        containers: [
          container({
            args: ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--reasoning-parser', '<think>', '--reasoning-config', '{"reasoning_start_str":"<think>"}'],
            env: [
              { name: 'STOP', value: '<s>' },
              { name: 'PROMPT', value: 'Answer in <LANGUAGE> please' },
              { name: 'PASSWORD', value: 'abc$KEY' },
            ],
          }),
          { name: 'sidecar', image: 'quay.io/acme-tools/proxy:1.0', command: ['sh', '-c', 'exec proxy --user "$KSA_NAME" --token <TOKEN>'] },
        ],
      },
      { name: 'server', namespace: 'ai', annotations: { description: 'replace <MODEL_ID> before applying' } },
    );
    expect(found(doc)).toEqual([]);
  });
});

describe('a file whose own comment asks for a variable to be filled in is a sample, judged as a template', () => {
  const sample = (comment: string) =>
    // a script applies the file as it is, so a placeholder no comment asks about reaches the cluster
    writeTree('fill-in-', {
      'deploy.sh': '#!/bin/sh\nkubectl apply -f samples/\n',
      'samples/server.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: server
  namespace: ai
spec:
  selector:
    matchLabels: {app: server}
  template:
    metadata:
      labels: {app: server}
    spec:
${comment}      serviceAccountName: $KSA_NAME
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1
`,
    });
  const verdicts = (dir: string) => {
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder')
      .map((f) => [f.severity, /judged as a template, since its own comment asks for a value to be filled in/.test(f.message)]);
  };

  test('`# replace $KSA_NAME with your service account` beside the field: a warning naming the comment', () => {
    expect(verdicts(sample('      # replace $KSA_NAME with your Kubernetes service account\n'))).toEqual([['warning', true]]);
  });

  test('near misses: no comment, or a comment that asks for nothing, leave the bare $VAR an error', () => {
    expect(verdicts(sample(''))).toEqual([['error', false]]);
    expect(verdicts(sample('      # the service account of the server\n'))).toEqual([['error', false]]);
  });
});

describe('a hand-filled <NAME> left as the whole value of any other field of a delivered object', () => {
  const volume = (attributes: Doc, extra: Doc = {}): Doc => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'weights', ...extra },
    spec: {
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteMany'],
      csi: { driver: 'fsx.csi.aws.com', volumeHandle: 'weights', volumeAttributes: attributes },
    },
  });

  test('a CSI volume attribute: a warning naming the field, saying its reader takes the literal', () => {
    const [f, ...rest] = found(volume({ dnsname: '<FSX_DNS_NAME>', mountname: '<mount-name>' }));
    expect(rest).toEqual([]);
    expect([f.severity, f.message]).toEqual([
      'warning',
      "spec.csi.volumeAttributes.dnsname holds '<FSX_DNS_NAME>', spec.csi.volumeAttributes.mountname holds '<mount-name>': a placeholder left to be replaced by hand, " +
        'and whatever reads the field takes the literal text (a bucket, volume, host or ID that does not exist); write the real value',
    ]);
  });

  test('a custom resource field and a ConfigMap value count too; a name beside them keeps its own wording', () => {
    const pool = {
      apiVersion: 'example.com/v1',
      kind: 'ModelCache',
      metadata: { name: 'cache', namespace: 'ai' },
      spec: { source: { bucket: '<YOUR_BUCKET>' } },
    };
    expect(found(pool).map((f) => f.message.split(':')[0])).toEqual(["spec.source.bucket holds '<YOUR_BUCKET>'"]);
    const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'ai' }, data: { REGION: '<AWS_REGION>' } };
    expect(found(settings).map((f) => [f.severity, f.message.split(':')[0]])).toEqual([['warning', "data.REGION holds '<AWS_REGION>'"]]);
  });

  test('quiet: text around the brackets, chat tokens, e-mail addresses, generic types, HTML, redirects, descriptions and annotations', () => {
    const quiet = volume({
      bucketName: 'models-<suffix>',
      stop: '<s>',
      eos: '<|im_end|>',
      owner: '<ops@example.com>',
      schema: 'List<String>',
      banner: '<b>',
      redirect: '< input.txt',
      description: '<FILL_IN_LATER>',
      notes: 'replace <BUCKET> before applying\nwith the real one',
    });
    expect(found({ ...quiet, metadata: { name: 'weights', annotations: { owner: '<TEAM_NAME>' } } })).toEqual([]);
  });

  test('quiet: a file a script of the tree renders (sed) before applying it; the same file with no such script is a warning', () => {
    const dir = writeTree('angle-value-', {
      'fsx-pv.yaml': YAML.stringify(volume({ fileSystemId: '<fs-id>' })),
      'deploy.sh': '#!/bin/bash\nsed -e "s/<fs-id>/$FS_ID/" fsx-pv.yaml | kubectl apply -f -\n',
    });
    const read = readManifests([dir]);
    const verdicts = runChecks(read.manifests, { platform: 'kserve' }).filter((f) => f.rule === 'unrendered-placeholder');
    expect(verdicts).toEqual([]);
    const delivered = writeTree('angle-value-', { 'fsx-pv.yaml': YAML.stringify(volume({ fileSystemId: '<fs-id>' })) });
    const plain = readManifests([delivered]);
    expect(
      runChecks(plain.manifests, { platform: 'kserve' })
        .filter((f) => f.rule === 'unrendered-placeholder')
        .map((f) => f.severity),
    ).toEqual(['warning']);
  });
});

describe('a Secret in an example file (*.example.yaml, *.sample.yaml, *-example.yaml)', () => {
  const secret = YAML.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'langfuse', namespace: 'obs' },
    stringData: { 'postgres-password': 'CHANGE_ME_POSTGRES', 'database-url': '<DATABASE_URL>' },
  });
  const verdicts = (files: Record<string, string>) => {
    const read = readManifests([writeTree('example-file-', files)]);
    const { manifests, errors: _e, remoteBases: _r, scriptInstalled: _i, scriptPlatform: _p, ...delivery } = read;
    return runChecks(manifests, { platform: 'kserve', ...delivery })
      .filter((f) => f.rule === 'unrendered-placeholder' || f.rule === 'plaintext-secret')
      .map((f) => [f.rule, f.severity, / looks like an example: no kustomization/.test(f.message)]);
  };

  test.each(['secrets/langfuse.example.yaml', 'secrets/langfuse.sample.yml', 'secrets/langfuse-example.yaml'])(
    '%s that nothing applies: info, saying it looks like an example',
    (file) => {
      expect(verdicts({ [file]: secret, 'deploy.sh': '#!/bin/sh\n./gen-secrets.sh | kubectl apply -f -\n' })).toEqual([
        ['plaintext-secret', 'info', true],
        ['unrendered-placeholder', 'info', true],
      ]);
    },
  );

  test('near miss: a script applies the example file, or the file has no example name: the warnings stay', () => {
    const applied = verdicts({ 'secrets/langfuse.example.yaml': secret, 'deploy.sh': '#!/bin/sh\nkubectl apply -f secrets/langfuse.example.yaml\n' });
    expect(applied).toEqual([
      ['plaintext-secret', 'warning', false],
      ['unrendered-placeholder', 'warning', false],
    ]);
    expect(verdicts({ 'secrets/langfuse.yaml': secret }).map(([, severity]) => severity)).toEqual(['warning', 'warning']);
  });
});

describe('a <NAME> in metadata.namespace', () => {
  const settings = (namespace: string) =>
    YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trainer-settings', namespace }, data: { epochs: '3' } });
  const verdicts = (files: Record<string, string>) =>
    runChecks(readManifests([writeTree('namespace-fill-', files)]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder' || f.rule === 'metadata-invalid')
      .map((f) => [f.rule, f.severity, f.message.replace(/:.*/s, '')]);

  test('nothing of the tree fills it: refused by the API server, an error said once', () => {
    expect(verdicts({ 'settings.yaml': settings('<your-namespace>') })).toEqual([
      ['unrendered-placeholder', 'error', "metadata.namespace holds '<your-namespace>'"],
    ]);
  });

  test('near miss: a script replaces it with sed (the namespace its variable gives when it runs), or the file holds ${NS} an envsubst piped into the apply fills: nothing', () => {
    const sed = verdicts({
      'settings.yaml': settings('<your-namespace>'),
      'deploy.sh': '#!/bin/sh\nsed "s/<your-namespace>/$NAMESPACE/" settings.yaml | kubectl apply -f -\n',
    });
    expect(sed).toEqual([]);
    const envsubst = verdicts({
      'settings.yaml': settings('${NS}'),
      'deploy.sh': '#!/bin/sh\nexport NS=team-a\nenvsubst < settings.yaml | kubectl apply -f -\n',
    });
    expect(envsubst).toEqual([]);
  });
});

// A CI pipeline's tokens (`__NAME__` for a sed step, `#{Name}#` for Azure DevOps Replace Tokens): the pipeline fills them before the apply.
describe("a CI pipeline's token in a name or value", () => {
  const files = {
    'k8s/namespace.yml': YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: '__TEAM_NAMESPACE__' } }),
    'k8s/flags.yaml': YAML.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'flags', namespace: 'shop' },
      data: { RERANK: '__RerankEnabled__', ZONE: '#{Zone}#', ENTRYPOINT: '__main__' },
    }),
  };
  const verdicts = (tree: Record<string, string>) =>
    runChecks(readManifests([writeTree('ci-token-', tree)]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder' || f.rule === 'metadata-invalid')
      .map((f) => [f.rule, f.severity, f.message]);

  test('no step of the tree replaces them: a warning saying what was assumed, and no metadata-invalid error on the literal', () => {
    expect(verdicts(files)).toEqual([
      [
        'unrendered-placeholder',
        'warning',
        expect.stringMatching(
          /^data\.RERANK holds '__RerankEnabled__', data\.ZONE holds '#\{Zone\}#': a CI pipeline's token .* assumed filled by a pipeline kept outside the tree/,
        ),
      ],
      ['unrendered-placeholder', 'warning', expect.stringMatching(/^metadata\.name holds '__TEAM_NAMESPACE__': a CI pipeline's token/)],
    ]);
  });

  test('an Azure Pipelines file seds one and runs Replace Tokens on the other: each warning names its step', () => {
    const pipeline = [
      'steps:',
      '  - bash: |',
      '      sed -i "s/__TEAM_NAMESPACE__/$(teamNamespace)/g" k8s/namespace.yml',
      '  - task: replacetokens@5',
      '    inputs:',
      "      targetFiles: 'k8s/flags.yaml'",
      '  - task: KubernetesManifest@1',
      '    inputs:',
      '      manifests: |',
      '        k8s/namespace.yml',
      '        k8s/flags.yaml',
      '',
    ].join('\n');
    expect(verdicts({ ...files, 'azure-pipelines.yml': pipeline })).toEqual([
      [
        'unrendered-placeholder',
        'warning',
        expect.stringContaining('judged as a template, since azure-pipelines.yml (line 4) renders it with the Replace Tokens task'),
      ],
      [
        'unrendered-placeholder',
        'warning',
        expect.stringContaining("judged as a template, since azure-pipelines.yml (line 3) renders it with sed (replacing '__TEAM_NAMESPACE__')"),
      ],
    ]);
  });

  test('near miss: a lower-case dunder (`__main__`) alone is text, and a capital name with no token is still refused', () => {
    const plain = {
      'k8s/flags.yaml': YAML.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'flags', namespace: 'shop' },
        data: { ENTRYPOINT: '__main__' },
      }),
      'k8s/namespace.yml': YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Team_A' } }),
    };
    expect(verdicts(plain).map(([rule, severity]) => [rule, severity])).toEqual([['metadata-invalid', 'error']]);
  });
});

// A repository or URL holding a capital fill-in word: git-sync and an entrypoint's clone fetch it before the server runs.
describe('a placeholder word in a repository or URL an env value gives', () => {
  const gitSync = (value: string, init = true): Doc => {
    const sync = { name: 'git-sync', image: 'registry.k8s.io/git-sync/git-sync:v4.2.1', env: [{ name: 'GITSYNC_REPO', value }] };
    return deployment(init ? { initContainers: [sync], containers: [container({})] } : { containers: [container({}), sync] });
  };
  const verdict = (doc: Doc) => found(doc).map((f) => [f.severity, f.message.replace(/: a placeholder left.*/, '')]);

  test.each([
    ['the owner', 'https://github.com/YOUR_USERNAME/YOUR_REPO', 'YOUR_USERNAME'],
    ['the host of a git remote', 'git@YOUR_GIT_HOST:team/models.git', 'YOUR_GIT_HOST'],
    ['the whole value', 'REPLACE_ME', 'REPLACE_ME'],
  ])("%s of an init container's repository: an error", (_, value, token) => {
    expect(verdict(gitSync(value))).toEqual([['error', `init container 'git-sync' env GITSYNC_REPO holds '${token}'`]]);
    expect(found(gitSync(value))[0].message).toContain('the container fetches from it before the pod can start');
  });

  test('the repository part only: a warning (the owner may hold a repository of that name)', () => {
    expect(verdict(gitSync('https://github.com/vllm-project/YOUR_REPO'))).toEqual([
      ['warning', "init container 'git-sync' env GITSYNC_REPO holds 'YOUR_REPO'"],
    ]);
  });

  test('a URL a serving container reads, not a repository: a warning', () => {
    const doc = deployment({ containers: [container({ env: [{ name: 'OPENAI_BASE_URL', value: 'https://YOUR_ENDPOINT/v1' }] })] });
    expect(verdict(doc)).toEqual([['warning', "container 'vllm' env OPENAI_BASE_URL holds 'YOUR_ENDPOINT'"]]);
  });

  test.each([
    ['a real repository', 'https://github.com/vllm-project/production-stack'],
    ['a lower-case your- in a real path', 'https://github.com/acme/your-first-model'],
    ['TODO inside a longer word', 'https://github.com/acme/TODO-app'],
  ])('near miss, %s: nothing', (_, value) => {
    expect(found(gitSync(value))).toEqual([]);
  });

  test('a capital value of a variable that is no URL or repository: nothing', () => {
    const doc = deployment({
      containers: [
        container({
          env: [
            { name: 'NCCL_DEBUG', value: 'NONE' },
            { name: 'MODE', value: 'TODO' },
          ],
        }),
      ],
    });
    expect(found(doc)).toEqual([]);
  });
});

// An Ingress host holding a capital fill-in word: no hostname admits capitals or underscores.
test('a YOUR_DOMAIN in an Ingress host: an error, as a <NAME> there (no DNS subdomain: the API server refuses the Ingress)', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'chat', namespace: 'ai' },
    spec: {
      rules: [
        { host: 'chat.YOUR_DOMAIN.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'chat', port: { number: 80 } } } }] } },
      ],
    },
  };
  expect(found(ingress).map((f) => [f.severity, f.message])).toEqual([
    [
      'error',
      "spec.rules[0].host holds 'YOUR_DOMAIN': a placeholder left to be replaced by hand, and no name or hostname admits capitals or underscores: applied as it is, the API server refuses the object; write the real value",
    ],
  ]);
});

describe('a placeholder in a Secret: one finding, not one per rule', () => {
  const secret = (value: string): Doc => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'hf-secret', namespace: 'ai' },
    stringData: { hf_api_token: value },
  });
  const rules = (doc: Doc) =>
    runChecks([{ manifest: doc }], { platform: 'kserve' })
      .filter((f) => f.rule === 'unrendered-placeholder' || f.rule === 'plaintext-secret')
      .map((f) => [f.rule, f.severity]);

  test('a <NAME> delivered as it is: said by unrendered-placeholder, left by plaintext-secret', () => {
    expect(rules(secret('<your_huggingface_token>'))).toEqual([['unrendered-placeholder', 'warning']]);
  });

  test('near miss: a placeholder word unrendered-placeholder does not read (changeme) stays plaintext-secret’s', () => {
    expect(rules(secret('changeme'))).toEqual([['plaintext-secret', 'warning']]);
  });
});
