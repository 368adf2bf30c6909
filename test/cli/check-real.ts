import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { runChecks } from '../../lib';
import { commandLineOf, shellWords } from '../../lib/check/command-line';
import { ObjectGraph } from '../../lib/check/graph';
import { flagValue, placeholderKind } from '../../lib/check/credentials/placeholders';
import { readManifests } from '../../lib/manifests/read-manifests';
import { cliInProcess, tempDir } from '../util';

/**
 * Patterns of public GitOps trees (OpenShift AI, KServe, llm-d), written as fixtures of our own: each rule judges
 * only the kind of runtime it describes, reads vLLM's arguments where vLLM gets them, and reports placeholders,
 * template leftovers and missing models for what they are.
 */

type Doc = Record<string, any>;
const digest = (repo: string) => `${repo}@sha256:${'d'.repeat(64)}`;
const findings = (docs: Doc[], rule: string) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === rule)
    .map((f) => [f.severity, f.object, f.message]);

function runtime(container: Doc, spec: Doc = {}): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      ...spec,
      containers: [{ name: 'kserve-container', image: digest('quay.io/modh/vllm'), ...container }],
    },
  };
}

function service(model: Doc = {}, gpus = '2'): Doc {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'vLLM' },
          runtime: 'vllm',
          storageUri: 's3://models/granite/',
          resources: { requests: { 'nvidia.com/gpu': gpus }, limits: { 'nvidia.com/gpu': gpus } },
          ...model,
        },
      },
    },
  };
}

describe("vLLM's arguments are read where vLLM reads them", () => {
  test('shell words keep quotes together and drop line continuations', () => {
    expect(shellWords(`vllm serve "my model" --x="a b" --y='c d' \\\n --tp 2`)).toEqual(['vllm', 'serve', 'my model', '--x=a b', '--y=c d', '--tp', '2']);
    // quotes inside a word, a backslash in double quotes (kept as written in single quotes), an empty and an unclosed quote
    expect(shellWords(`a"b c"d '\\n' "say \\"hi\\"" "" 'open end`)).toEqual(['ab cd', '\\n', 'say "hi"', '', 'open end']);
    // the script expands the hook where it names it; a script that does not name it leaves it out
    expect(
      commandLineOf({
        command: ['/bin/sh', '-c'],
        args: ['vllm serve $MODEL -tp 2 $VLLM_ADDITIONAL_ARGS'],
        env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len=4096 -tp 4' }],
      }),
    ).toEqual(['/bin/sh', '-c', 'vllm', 'serve', '$MODEL', '-tp', '2', '--max-model-len=4096', '-tp', '4']);
    expect(
      commandLineOf({
        command: ['/bin/sh', '-c'],
        args: ['vllm serve $MODEL -tp 2'],
        env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len=4096 -tp 4' }],
      }),
    ).toEqual(['/bin/sh', '-c', 'vllm', 'serve', '$MODEL', '-tp', '2']);
    expect(commandLineOf({ command: ['bash', '-ec', 'vllm serve m -tp 2'] })).toEqual(['bash', '-ec', 'vllm', 'serve', 'm', '-tp', '2']);
    // near-miss: a program that is not a shell keeps its argument whole
    expect(commandLineOf({ command: ['python', '-c', 'import vllm; print(1)'] })).toEqual(['python', '-c', 'import vllm; print(1)']);
  });

  test('a tensor-parallel size in VLLM_ADDITIONAL_ARGS: no advice to request 1 GPU on a guess; counted where a shell expands it', () => {
    const rt = runtime({
      args: ['--port=8080', '--model=/mnt/models'],
      env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--tensor-parallel-size=2 --max-model-len=8192' }],
    });
    expect(findings([rt, service()], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    // near-miss: a runtime whose shell expands the hook, asking for 4 on 2 GPUs, fails at start-up
    const four = runtime({
      command: ['/bin/bash', '-c', 'exec python3 -m vllm.entrypoints.openai.api_server "$@" $VLLM_ADDITIONAL_ARGS', '--'],
      args: ['--model=/mnt/models'],
      env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '-tp 4' }],
    });
    expect(findings([four, service()], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['error', 'InferenceService/ai/llm', expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but resources give 2/)],
    ]);
  });

  test('a size set in the service env hook of the model container counts too', () => {
    const svc = service({ env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--tensor-parallel-size 2' }] });
    expect(findings([runtime({ args: ['--model=/mnt/models'] }), svc], 'tensor-parallel-gpu-mismatch')).toEqual([]);
  });

  test("an LLMInferenceService's size in VLLM_ADDITIONAL_ARGS counts like spec.parallelism", () => {
    const llm = (extra: string, gpus: string) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'ultra', namespace: 'ai' },
      spec: {
        model: { uri: 'hf://org/model' },
        template: {
          containers: [
            {
              name: 'main',
              env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: extra }],
              resources: { limits: { 'nvidia.com/gpu': gpus }, requests: { 'nvidia.com/gpu': gpus } },
            },
          ],
        },
      },
    });
    expect(findings([llm('--trust-remote-code --tensor-parallel-size=8', '8')], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    expect(findings([llm('--tensor-parallel-size=8', '4')], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['error', 'LLMInferenceService/ai/ultra', expect.stringMatching(/gives 8 tensor-parallel rank\(s\) = 8 GPUs per pod but container 'main' requests 4/)],
    ]);
    // /dev/shm comes from KServe's config, which a template volume of the same name resizes; only a mount of its own is judged
    const resized = llm('--tensor-parallel-size=8', '8');
    (resized.spec.template as Doc).volumes = [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '40Gi' } }];
    expect(findings([resized], 'shm-missing')).toEqual([]);
    const ownMount = llm('--tensor-parallel-size=8', '8');
    (ownMount.spec.template as Doc).volumes = [{ name: 'scratch', emptyDir: {} }];
    (ownMount.spec.template.containers[0] as Doc).volumeMounts = [{ name: 'scratch', mountPath: '/dev/shm' }];
    expect(findings([ownMount], 'shm-missing').map(([s]) => s)).toEqual(['warning']);
    // near-miss: no size anywhere, 2 GPUs: one stays idle
    expect(findings([llm('--max-model-len=4096', '2')], 'tensor-parallel-gpu-mismatch').map(([s]) => s)).toEqual(['warning']);
  });

  test('idle GPUs are reported only on a command line read whole', () => {
    const rt = runtime({ args: ['--model=/mnt/models'] });
    expect(findings([rt, service()], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['warning', 'InferenceService/ai/llm', expect.stringMatching(/1 GPU\(s\) stay idle/)],
    ]);
    // the runtime is not in the tree: its template may pass the size
    expect(findings([service()], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    // the size comes from a variable
    expect(findings([runtime({ args: ['--model=/mnt/models', '--tensor-parallel-size=$(TP)'] }), service()], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    // near-miss: a size that is no number at all
    expect(findings([runtime({ args: ['--model=/mnt/models', '--tensor-parallel-size=two'] }), service()], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['error', 'InferenceService/ai/llm', expect.stringMatching(/is not a positive whole number/)],
    ]);
    expect(
      findings([runtime({ command: ['sh', '-c'], args: ['exec vllm serve /mnt/models ${EXTRA_ARGS}'] }), service()], 'tensor-parallel-gpu-mismatch'),
    ).toEqual([]);
  });
});

describe('rules judge the kind of runtime they describe', () => {
  test('a multi-model (ModelMesh) runtime keeps its own container names', () => {
    const mm = runtime({ name: 'triton' }, { multiModel: true, grpcDataEndpoint: 'port:8001' });
    mm.spec.containers[0].name = 'triton';
    expect(findings([mm], 'runtime-container-name')).toEqual([]);
    // near-miss: a single-model runtime with the same containers
    const single = runtime({});
    single.spec.containers[0].name = 'triton';
    expect(findings([single], 'runtime-container-name')).toEqual([
      ['error', 'ServingRuntime/ai/vllm', expect.stringMatching(/no container named 'kserve-container'/)],
    ]);
  });
});

describe('placeholders are placeholders, not credentials', () => {
  test('the documented forms', () => {
    for (const v of ['changeme', 'CHANGE_ME', '<your-token>', 'xxx', 'placeholder', 'your-api-key', 'TODO', 'REPLACE_WITH_VAULT_VALUE'])
      expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    for (const v of ['fake', 'dummy', 'unused-local-backend', 'example', 'dummy-key', 'sample', 'EMPTY', 'ollama', 'local', 'Local'])
      expect([v, placeholderKind(v)]).toEqual([v, 'stand-in']);
    // near-misses: the local-backend words with more to them are chosen values
    for (const v of ['local-9f3kQ2', 'ollama-prod-key', 'locally']) expect([v, placeholderKind(v)]).toEqual([v, undefined]);
    for (const v of ['${TOKEN}', '$(TOKEN)', '$TOKEN']) expect([v, placeholderKind(v)]).toEqual([v, 'reference']);
    // near-misses: real-looking values
    for (const v of ['minio123', 'fakeroot-9f8e7d', 'examples3cret!', 'password', 'emptykey42']) expect([v, placeholderKind(v)]).toEqual([v, undefined]);
  });

  test('a format directive a program fills (printf, Go fmt, Python %-format and str.format) is a reference, no value', () => {
    for (const v of ['%s', '%v', '%+v', '%#v', '%q', '%-8s', '%.20s', '%1$s', '%[1]s', '%(token)s', '{}', '{0}', '{token}', '{token!r}', '{token:>8}'])
      expect([v, placeholderKind(v)]).toEqual([v, 'reference']);
    // near-misses: a percent sign or braces inside a chosen value, and conversions no printf has
    for (const v of ['%sw0rd', 'p%s', '100%', '%z', '{a b}', '{token}x', 'k3y{1}']) expect([v, placeholderKind(v)]).toEqual([v, undefined]);
  });

  test('a slot in square brackets, its words capitalised, is a placeholder; a bracketed value of other characters is not', () => {
    for (const v of ['[API_Key]', '[YOUR TOKEN]', '[Access-Key]', '[HF_TOKEN]']) expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    for (const v of ['[k3y-9f8e7d]', '[a1b2c3d4]', '[Tok3n]x']) expect([v, placeholderKind(v)]).toEqual([v, undefined]);
  });

  test('a fill-in sentence is a placeholder; the same verbs in a chosen phrase are not', () => {
    for (const v of ['Insert your token here', 'Enter the password here', 'paste-your-hf-token-here', 'Put your API key in here', 'ADD_YOUR_KEY'])
      expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    // near-misses: no your/here, the verb not first, another word, digits
    for (const v of ['insert-token', 'token-insert-here', 'Enter the dragon here', 'paste-here-42', 'set-the-key'])
      expect([v, placeholderKind(v)]).toEqual([v, undefined]);
  });

  test('a bare vendor token prefix is the template of a token; a prefix followed by a token is a credential', () => {
    for (const v of ['xoxb-', 'ghp_', 'sk-', 'hf_', 'AKIA', 'glpat-', 'github_pat_', 'hf_...', 'sk-…', 'ghp_xxxxxxxx', 'xoxp-<token>', 'sk-proj-***'])
      expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    // near-misses: the prefix then characters of the token's alphabet
    for (const v of [
      'xoxb-2417713590-4407711234-Qm7ZrT2pXv9LkD3sWn8HbYcE',
      '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',
      'AKIAQ7ZR2TXV9LKD3SWN',
      'ghp_Qm7ZrT2pXv9LkD3sWn8HbYcEaFgJhKiMoNuP',
    ])
      expect([v, placeholderKind(v)]).toEqual([v, undefined]);
    const secret = (token: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'slack-bot', namespace: 'ai' },
      type: 'Opaque',
      stringData: { SLACK_BOT_TOKEN: token, SLACK_TEAM_ID: 'T...' },
    });
    expect(findings([secret('xoxb-')], 'plaintext-secret')).toEqual([
      [
        'warning',
        'Secret/ai/slack-bot',
        expect.stringMatching(/^holds placeholder values in SLACK_BOT_TOKEN \('xoxb-'\), not credentials: applied as they are/),
      ],
    ]);
    expect(findings([secret('xoxb-2417713590-4407711234-Qm7ZrT2pXv9LkD3sWn8HbYcE')], 'plaintext-secret')).toEqual([
      [
        'warning',
        'Secret/ai/slack-bot',
        expect.stringMatching(/^holds credentials in SLACK_BOT_TOKEN in plain text.*\(it holds a Slack token in its live form/),
      ],
    ]);
  });

  // Helm, Go and handlebars templates: {{ X }} quoted stays text; unquoted YAML reads it as the mapping { '{ X }': null }
  test('a {{ X }} template is a reference a tool renders, quoted or not, in env and in Secret data', () => {
    expect(placeholderKind('{{AWS_SECRET_ACCESS_KEY}}')).toBe('reference');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'loader', namespace: 'ai' },
      spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: '{{AWS_SECRET_ACCESS_KEY}}' }] }] },
    };
    expect(findings([pod], 'plaintext-secret').filter(([, , message]) => !/placeholder/.test(String(message)))).toEqual([]);
    const withData = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3', namespace: 'ai' }, data });
    expect(findings([withData({ AWS_SECRET_ACCESS_KEY: { '{AWS_SECRET_ACCESS_KEY}': null } })], 'plaintext-secret')).toEqual([]);
    // a base64 value that decodes to a literal key stays a leaked credential
    expect(findings([withData({ AWS_SECRET_ACCESS_KEY: 'c2VjcmV0LXZhbHVlLTEyMw==' })], 'plaintext-secret').map(([severity]) => severity)).toEqual(['warning']);
  });

  test('placeholder words, whole, after a vendor prefix and among filler words only; a phrase with any other word is a secret', () => {
    for (const v of ['sk-YOUR-OPENAI-API-KEY', 'your-api-key-here', 'REPLACE_ME', 'xxxxxxxx', 'hf_your_token_here', 'sk-proj-REPLACE-ME', 'todo-token'])
      expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    for (const v of ['demo-key', 'example-token', 'sample_api_key', 'Fake-Token', 'mock.password']) expect([v, placeholderKind(v)]).toEqual([v, 'stand-in']);
    // near-misses: `demo` not a whole word, a word that is no filler (a chosen phrase), a part with entropy
    for (const v of ['demo123!Abc', 'super-secret-example-token', 'change-this-in-production', 'demo-Xk29fj2LQ', 'yourP4ss', 'key-token-secret'])
      expect([v, placeholderKind(v)]).toEqual([v, undefined]);
  });

  test('a value in capitals that names its slot is a placeholder; capitals with anything else stay a secret', () => {
    for (const v of ['SECRET', 'PASSWORD', 'TOKEN', 'API_KEY', 'COOKIE_SECRET', 'CLIENT-SECRET', 'DB_PASSWORD', 'HF_TOKEN', 'CHANGEME'])
      expect([v, placeholderKind(v)]).toEqual([v, 'to-replace']);
    // near misses: a digit or a word that names nothing, lower case (a weak password in use), a name with no credential word
    for (const v of ['SECRET2024', 'PASSWORDX', 'ORCHID_SECRET', 'secret', 'Password', 'ADMIN', 'MINIO_ROOT', 'SECRET_TANGERINE'])
      expect([v, placeholderKind(v)]).toEqual([v, undefined]);
    const proxy = (args: string[]) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'proxy', namespace: 'ai' },
      spec: { containers: [{ name: 'oauth-proxy', image: 'x', args }] },
    });
    // the proxy runs with the slot's name as its secret, which anyone can reproduce: said, whether the value is
    // joined to the option or the next argument
    expect(findings([proxy(['--cookie-secret=SECRET', '--client-secret', 'CLIENT_SECRET'])], 'plaintext-secret').map((f) => f[2])).toEqual([
      "container 'oauth-proxy' passes 'CLIENT_SECRET' as --client-secret: a placeholder, but the program runs with it as the credential, which anyone reading the manifest can reproduce; set the real one from a Secret through an environment variable",
      "container 'oauth-proxy' passes 'SECRET' as --cookie-secret: a placeholder, but the program runs with it as the credential, which anyone reading the manifest can reproduce; set the real one from a Secret through an environment variable",
    ]);
    // any option whose name says credential, its value in the next argument; not a file, a name or a reference
    expect(findings([proxy(['--db-password', 'Kestrel-88', '--admin-token', 'q7Rw2LpX'])], 'plaintext-secret').map((f) => f[2])).toEqual([
      "container 'oauth-proxy' passes a credential on the command line (--admin-token …); read it from an environment variable set from a Secret",
      "container 'oauth-proxy' passes a credential on the command line (--db-password …); read it from an environment variable set from a Secret",
    ]);
    expect(
      findings(
        [proxy(['--token-file', '/var/run/secrets/token', '--secret-name', 'proxy-tls', '--db-password', '$(DB_PASSWORD)', '--max-tokens', '4096'])],
        'plaintext-secret',
      ),
    ).toEqual([]);
    expect(findings([proxy(['--cookie-secret=SECRET_TANGERINE'])], 'plaintext-secret')).toEqual([
      [
        'warning',
        'Pod/ai/proxy',
        "container 'oauth-proxy' passes a credential on the command line (--cookie-secret=…); read it from an environment variable set from a Secret",
      ],
    ]);
    // vLLM started with the key its documentation gives clients of a keyless server: a stand-in, nothing to say
    expect(findings([proxy(['--api-key', 'EMPTY'])], 'plaintext-secret')).toEqual([]);
    expect(findings([proxy(['--api-key', 'sk-live-4f9a2c'])], 'plaintext-secret').map((f) => f[0])).toEqual(['warning']);
    // a key of OpenAI's live form: a warning naming the service, to revoke (the pod runs with it all the same)
    expect(findings([proxy(['--api-key', 'sk-proj-Rk3vQ9mZx2LpW8tYb4NcH6jDf1GsA7eUo5KiT0qVy'])], 'plaintext-secret')).toEqual([
      ['warning', 'Pod/ai/proxy', expect.stringMatching(/\(--api-key …\).*\(it holds an OpenAI API key in its live form: .*revoke the token/)],
    ]);
  });

  test("an Argo CD Helm source's values string, valuesObject and parameters are judged by their keys, placeholders staying placeholders", () => {
    const app = (helm: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'store', namespace: 'openshift-gitops' },
      spec: { project: 'default', destination: { namespace: 'store' }, source: { repoURL: 'https://charts.min.io/', chart: 'minio', helm } },
    });
    expect(findings([app({ values: 'rootUser: admin\nrootPassword: "minio-2290"\nmode: standalone\n' })], 'plaintext-secret')).toEqual([
      [
        'warning',
        'Application/openshift-gitops/store',
        expect.stringMatching(/^spec\.source\.helm\.values: rootPassword holds a credential in plain text in the Application: Argo CD passes/),
      ],
    ]);
    expect(
      findings(
        [app({ parameters: [{ name: 'auth.rootPassword', value: 'heron-5512' }], valuesObject: { env: [{ name: 'DB_PASSWORD', value: 'mlflowpass' }] } })],
        'plaintext-secret',
      ),
    ).toEqual([
      [
        'warning',
        'Application/openshift-gitops/store',
        expect.stringMatching(
          /^spec\.source\.helm\.parameters\[0\] \(auth\.rootPassword\), spec\.source\.helm\.valuesObject\.env\[0\] \(DB_PASSWORD\) hold credentials/,
        ),
      ],
    ]);
    // near misses: placeholders, a template, an existing Secret's name, a setting about a password, a values string that does not parse
    const quiet = [
      { values: 'rootPassword: PASSWORD\nadminPassword: changeme\nauth:\n  existingSecret: minio-root\npasswordLength: 24\n' },
      { values: 'rootPassword: {{ .Values.password }}\n' },
      { values: 'rootPassword: [unclosed\n' },
      {
        parameters: [
          { name: 'auth.rootPassword', value: '' },
          { name: 'auth.existingSecret', value: 'minio-root' },
          { name: 'tokenTtl', value: '1h' },
        ],
      },
    ];
    for (const helm of quiet) expect([helm, findings([app(helm)], 'plaintext-secret')]).toEqual([helm, []]);
  });

  test("an ApplicationSet template's Helm values are said once, on the ApplicationSet, not again on each Application it generates", () => {
    const set = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'teams', namespace: 'openshift-gitops' },
      spec: {
        generators: [{ list: { elements: [{ team: 'a' }, { team: 'b' }] } }],
        template: {
          metadata: { name: 'team-{{team}}' },
          spec: {
            project: 'default',
            source: { repoURL: 'https://charts.min.io/', chart: 'minio', targetRevision: '5.2.0', helm: { values: 'rootPassword: kestrel-2290\n' } },
            destination: { server: 'https://kubernetes.default.svc', namespace: '{{team}}' },
          },
        },
      },
    };
    expect(findings([set], 'plaintext-secret')).toEqual([
      [
        'warning',
        'ApplicationSet/openshift-gitops/teams',
        expect.stringMatching(/^spec\.template\.spec\.source\.helm\.values: rootPassword holds a credential/),
      ],
    ]);
  });

  test('flags and settings about a credential are no credentials; a number in a Secret still is one', () => {
    for (const v of ['yes', 'No', 'TRUE', 'false', 'on', 'off', 'enabled', 'disabled', '0', '1', '"yes"']) expect([v, flagValue(v)]).toEqual([v, true]);
    for (const v of ['yes-please', '5241590000000000', 'onward']) expect([v, flagValue(v)]).toEqual([v, false]);
    const deployment = (env: { name: string; value: string }[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'redis', namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: 'redis' } },
        template: { metadata: { labels: { app: 'redis' } }, spec: { containers: [{ name: 'redis', image: 'redis:7.4.1', env }] } },
      },
    });
    const settings = [
      { name: 'ALLOW_EMPTY_PASSWORD', value: 'yes' },
      { name: 'REDIS_AUTH_ENABLED', value: 'false' },
      { name: 'REDIS_PASSWORD_FILE', value: '/run/secrets/redis-password' },
      { name: 'REDIS_SECRET_NAME', value: 'redis-auth' },
      { name: 'TLS_SECRET_REF', value: 'redis-tls' },
      { name: 'REDIS_PASSWORD', value: 'on' },
    ];
    expect(findings([deployment(settings)], 'plaintext-secret')).toEqual([]);
    expect(findings([deployment([{ name: 'REDIS_PASSWORD', value: 'demo123!Abc' }])], 'plaintext-secret')).toEqual([
      ['warning', 'Deployment/ai/redis', expect.stringMatching(/sets env REDIS_PASSWORD to a literal value/)],
    ]);
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis', namespace: 'ai' }, data });
    expect(findings([secret({ password: Buffer.from('5241590000000000').toString('base64') })], 'plaintext-secret')).toEqual([
      ['warning', 'Secret/ai/redis', expect.stringMatching(/^holds credentials in password in plain text/)],
    ]);
  });

  test("a bare $VAR in a Secret is a placeholder left for a script (not base64 to decode); ${VAR} is unrendered-placeholder's", () => {
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf-token', namespace: 'ai' }, data });
    expect(findings([secret({ 'hf-token': '$HUGGING_FACE_HUB_TOKEN' })], 'plaintext-secret')).toEqual([
      ['warning', 'Secret/ai/hf-token', expect.stringMatching(/^holds placeholder values in hf-token \('\$HUGGING_FACE_HUB_TOKEN'\), not credentials/)],
    ]);
    expect(findings([secret({ 'hf-token': '${HUGGING_FACE_HUB_TOKEN}' })], 'plaintext-secret')).toEqual([]);
  });

  test('an access key ID names a key and is no credential alone; its secret access key is', () => {
    const secret = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'storage', namespace: 'ai' },
      stringData: data,
    });
    expect(findings([secret({ AWS_ACCESS_KEY_ID: 'admin', AWS_S3_BUCKET: 'models' })], 'plaintext-secret')).toEqual([]);
    expect(findings([secret({ AWS_ACCESS_KEY_ID: 'admin', AWS_SECRET_ACCESS_KEY: 'minio123' })], 'plaintext-secret')).toEqual([
      ['warning', 'Secret/ai/storage', expect.stringMatching(/in AWS_SECRET_ACCESS_KEY in plain text/)],
    ]);
  });

  test('a password in a JSON body a script sends is a credential; a variable there is not', () => {
    const job = (body: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'es-admin', namespace: 'ai' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'curl', image: 'curlimages/curl:8.10.1', command: ['sh', '-c', `curl -X POST -d '${body}' http://es:9200/_security/user/admin`] },
            ],
          },
        },
      },
    });
    expect(findings([job('{"password":"newpassword123","roles":["superuser"]}')], 'plaintext-secret')).toEqual([
      ['warning', 'Job/ai/es-admin', expect.stringMatching(/"password" in a JSON body/)],
    ]);
    expect(findings([job('{"password":"$ES_PASSWORD","roles":["superuser"]}')], 'plaintext-secret')).toEqual([]);
    expect(findings([job('{"max_tokens":"512"}')], 'plaintext-secret')).toEqual([]);
  });

  test('VLLM_API_TOKEN: fake is a note, a real-looking token a warning, a Hugging Face token a warning naming it, to revoke', () => {
    const deployment = (value: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'llama-stack', namespace: 'ai' },
      spec: { template: { spec: { containers: [{ name: 'c', image: digest('quay.io/x/y'), env: [{ name: 'VLLM_API_TOKEN', value }] }] } } },
    });
    expect(findings([deployment('fake')], 'plaintext-secret')).toEqual([
      ['info', 'Deployment/ai/llama-stack', expect.stringMatching(/sets env VLLM_API_TOKEN to the placeholder 'fake', not a credential/)],
    ]);
    expect(findings([deployment('q8Zr2kLw0pXv')], 'plaintext-secret')).toEqual([
      ['warning', 'Deployment/ai/llama-stack', expect.stringMatching(/to a literal value/)],
    ]);
    expect(findings([deployment('hf_Qk7rTz2LmW9xVb4NpC8sYd3FgH6jKa1Ue0')], 'plaintext-secret')).toEqual([
      [
        'warning',
        'Deployment/ai/llama-stack',
        expect.stringMatching(/to a literal value.*\(it holds a Hugging Face token in its live form: .*revoke the token/),
      ],
    ]);
  });

  test("in a Secret: a stand-in is a note, a value meant to be replaced a warning, a real one a warning, a service's live token a warning naming it, to revoke", () => {
    const secret = (stringData: Doc) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ai' }, stringData });
    expect(findings([secret({ 'api-key': 'unused-local-backend' })], 'plaintext-secret')).toEqual([
      ['info', 'Secret/ai/s', expect.stringMatching(/placeholder values in api-key \('unused-local-backend'\), not credentials: stand-ins/)],
    ]);
    expect(findings([secret({ AWS_SECRET_ACCESS_KEY: 'changeme' })], 'plaintext-secret')).toEqual([
      ['warning', 'Secret/ai/s', expect.stringMatching(/replace the real values on every sync/)],
    ]);
    expect(findings([secret({ AWS_SECRET_ACCESS_KEY: 'minio123' })], 'plaintext-secret').map(([s]) => s)).toEqual(['warning']);
    expect(
      findings([secret({ 'api-key': 'sk-ant-api03-Zx8Qw2Lm7Rt4Yp9Kv3Nb6Hc1Jd5Fg0Sa2Xe8Wu4Io7Pl' })], 'plaintext-secret').map(([s, , m]) => [s, m]),
    ).toEqual([['warning', expect.stringMatching(/holds credentials in api-key .*\(it holds an Anthropic API key in its live form:/)]]);
    // AWS's documented example key is no account's key
    expect(findings([secret({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'minio123' })], 'plaintext-secret').map(([s]) => s)).toEqual([
      'warning',
    ]);
  });
});

describe('image-not-pinned warns on moving tags only', () => {
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'c', image }] } });
  test.each([
    ['quay.io/vllm/vllm-openai:latest', 'warning', /the moving tag 'latest'/],
    ['quay.io/vllm/vllm-openai', 'warning', /no tag \(latest\)/],
    ['registry.local:5000/vllm:nightly', 'warning', /the moving tag 'nightly'/],
    ['quay.io/vllm/vllm-openai:v0.10.1', 'info', /a version tag can still be re-pushed/],
    ['registry.local:5000/vllm', 'warning', /no tag/],
    ['ghcr.io/example/gateway:main-latest', 'warning', /the moving tag 'main-latest'/],
    ['quay.io/example/tool:latest-cuda', 'warning', /the moving tag 'latest-cuda'/],
    ['quay.io/example/tool:v2-latestfix', 'info', /a version tag can still be re-pushed/],
    // the cluster's own ImageStream: it moves with the stream, a note counted on one line
    [
      'image-registry.openshift-image-registry.svc:5000/openshift/cli:latest',
      'info',
      /ImageStream tag openshift\/cli:latest of the cluster's internal registry/,
    ],
    ['image-registry.openshift-image-registry.svc:5000/team/builder:v1.2', 'info', /a version tag can still be re-pushed/],
  ])('%s', (image, severity, message) => {
    expect(findings([pod(image)], 'image-not-pinned')).toEqual([[severity, 'Pod/ai/p', expect.stringMatching(message)]]);
  });
  test('near-miss: a digest', () => {
    expect(findings([pod(digest('quay.io/vllm/vllm-openai'))], 'image-not-pinned')).toEqual([]);
  });
  test("near-miss: imagePullPolicy Never runs the node's own copy, pulled from nowhere; IfNotPresent and Always still pull", () => {
    const withPolicy = (policy: string) => ({
      ...pod('kuberay-batch:latest'),
      spec: { containers: [{ name: 'c', image: 'kuberay-batch:latest', imagePullPolicy: policy }] },
    });
    expect(findings([withPolicy('Never')], 'image-not-pinned')).toEqual([]);
    expect(findings([withPolicy('IfNotPresent')], 'image-not-pinned')).toEqual([['warning', 'Pod/ai/p', expect.stringMatching(/the moving tag 'latest'/)]]);
    expect(findings([withPolicy('Always')], 'image-not-pinned')).toEqual([['warning', 'Pod/ai/p', expect.stringMatching(/the moving tag 'latest'/)]]);
  });
  test('near-miss: a placeholder a script fills in is no reference yet (unrendered-placeholder judges it)', () => {
    expect(findings([pod('${VLLM_IMAGE}')], 'image-not-pinned')).toEqual([]);
    expect(findings([pod('${REGISTRY}/vllm-openai:latest')], 'image-not-pinned')).toEqual([]);
  });
});

describe('vllm-model-missing', () => {
  const deployment = (container: Doc, env: Doc[] = []) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vllm', namespace: 'ai' },
    spec: { template: { spec: { containers: [{ name: 'vllm', image: digest('docker.io/vllm/vllm-openai'), env, ...container }] } } },
  });
  const missing = (docs: Doc[]) => findings(docs, 'vllm-model-missing');

  test.each([
    ['vllm serve with flags only', { command: ['vllm', 'serve'], args: ['--port=8000', '--tensor-parallel-size=2'] }],
    ['the api_server module without --model', { command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--port', '8000'] }],
    ['a shell script running vllm serve with flags', { command: ['/bin/bash', '-c'], args: ['vllm serve --port 8000 --max-model-len 4096'] }],
    ['the vllm-openai image with flags only', { args: ['--port=8000', '--dtype=auto'] }],
  ])('fires: %s', (_, container) => {
    expect(missing([deployment(container)])).toEqual([
      ['error', 'Deployment/ai/vllm', expect.stringMatching(/starts vLLM's server with no model .*falls back to its default model/)],
    ]);
  });

  test.each([
    ['a positional model', { command: ['vllm', 'serve'], args: ['ibm-granite/granite-3.3-8b-instruct', '--port=8000'] }],
    ['--model=', { command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--model=/models/granite'] }],
    ['--model value', { args: ['--model', 'Qwen/Qwen3-8B'] }],
    ['a positional from a variable', { command: ['sh', '-c'], args: ['vllm serve $MODEL_PATH --port 8000'] }],
    ['a config file', { command: ['vllm', 'serve'], args: ['--config', '/etc/vllm/config.yaml'] }],
    ['arguments forwarded by the script', { command: ['sh', '-c', 'exec vllm serve "$@"', '--'], args: ['granite'] }],
    ['a positional model on the image entrypoint', { args: ['ibm-granite/granite-3.3-8b-instruct'] }],
    ['another image without a command line', { image: digest('quay.io/example/server') }],
  ])('near-miss: %s', (_, container) => {
    expect(missing([deployment(container)])).toEqual([]);
  });

  test('near-miss: a MODEL variable a wrapper may read, on an image whose entrypoint is unknown', () => {
    expect(
      missing([deployment({ image: digest('quay.io/example/server'), args: ['vllm', 'serve', '--port=8000'] }, [{ name: 'MODEL_ID', value: 'granite' }])]),
    ).toEqual([]);
  });

  test("a MODEL variable beside vLLM's own entrypoint, which reads none: fires", () => {
    expect(missing([deployment({ args: ['--port=8000'] }, [{ name: 'MODEL_ID', value: 'granite' }])])).toHaveLength(1);
  });

  test('an InferenceService whose runtime never passes --model downloads weights vLLM does not load', () => {
    const rt = runtime({ command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--port=8080', '--served-model-name={{.Name}}'] });
    expect(missing([rt, service()])).toEqual([
      [
        'error',
        'InferenceService/ai/llm',
        expect.stringMatching(
          /the weights of s3:\/\/models\/granite\/ are downloaded to \/mnt\/models but vLLM is not told to load them.*--model=\/mnt\/models/,
        ),
      ],
    ]);
    // near-misses: the runtime passes it, or the runtime is not in the tree
    expect(missing([runtime({ command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--model=/mnt/models'] }), service()])).toEqual([]);
    expect(missing([service()])).toEqual([]);
  });
});

describe('unrendered-placeholder', () => {
  const secret = (stringData: Doc, data?: Doc) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'aws', namespace: 'ai' },
    ...(data ? { data } : { stringData }),
  });
  const left = (docs: Doc[]) => findings(docs, 'unrendered-placeholder');

  test('a Secret with ${VAR} or {{ … }} values is an error, decoded from base64 too; Argo CD is spoken of only where the tree holds an Application', () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'ai', namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: 'https://git.example.com/ai.git', path: 'ai' }, destination: { namespace: 'ai' } },
    };
    expect(left([secret({ AWS_ACCESS_KEY_ID: '${AWS_ACCESS_KEY_ID}', bucket: 'models' }), application])).toEqual([
      ['error', 'Secret/ai/aws', expect.stringMatching(/stringData.AWS_ACCESS_KEY_ID holds '\$\{AWS_ACCESS_KEY_ID\}'.*self-healing Argo CD/)],
    ]);
    expect(left([secret({ AWS_ACCESS_KEY_ID: '${AWS_ACCESS_KEY_ID}', bucket: 'models' })])).toEqual([
      ['error', 'Secret/ai/aws', expect.not.stringContaining('Argo CD')],
    ]);
    expect(left([secret({}, { token: Buffer.from('{{ .Values.token }}').toString('base64') })])).toEqual([
      ['error', 'Secret/ai/aws', expect.stringMatching(/data.token holds '\{\{ .Values.token \}\}'/)],
    ]);
    expect(left([secret({ endpoint: 'https://$(HOST):9000' })]).map(([s]) => s)).toEqual(['error']);
    // near-misses: a rendered value, and a file that templates itself
    expect(left([secret({ AWS_ACCESS_KEY_ID: 'AKIA-rendered', 'config.yaml': 'url: ${URL}\nname: x\n' })])).toEqual([]);
  });

  test('an image with a placeholder is an error; a name too', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ai' },
      spec: { containers: [{ name: 'c', image: 'quay.io/${ORG}/vllm:v1' }] },
    };
    expect(left([pod])).toEqual([['error', 'Pod/ai/p', expect.stringMatching(/container 'c' image holds '\$\{ORG\}'/)]]);
  });

  test("the kubelet's $(VAR) in command, args and env is expanded: not a leftover; ${VAR} there is, unless a shell runs it", () => {
    const job = (container: Doc) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'ai' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: digest('quay.io/x/y'), ...container }] } } },
    });
    expect(left([job({ args: ['--bucket=$(BUCKET)'], env: [{ name: 'URL', value: 'http://$(HOST):80' }] })])).toEqual([]);
    expect(left([job({ command: ['sh', '-c'], args: ['aws s3 cp s3://${BUCKET}/x .'] })])).toEqual([]);
    expect(left([job({ command: ['/bin/sh', '-ce', 'mc alias set local http://minio:9000 ${MINIO_ROOT_USER} x'] })])).toEqual([]);
    expect(left([job({ command: ['/bin/bash'], args: ['-e', '-c', 'git clone "${GIT_URL}"'] })])).toEqual([]);
    expect(left([job({ args: ['--bucket=${BUCKET}'] })])).toEqual([['warning', 'Job/ai/j', expect.stringMatching(/command line holds '\$\{BUCKET\}'/)]]);
    expect(left([job({ env: [{ name: 'MODEL', value: '{{ model_name }}' }] })])).toEqual([
      ['warning', 'Job/ai/j', expect.stringMatching(/env MODEL holds '\{\{ model_name \}\}'/)],
    ]);
  });

  test("KServe's {{.Name}} in a runtime is rendered by KServe; a Jinja chat template inline in kserve-container breaks KServe's own Go template parse", () => {
    expect(left([runtime({ args: ['--model=/mnt/models', '--served-model-name={{.Name}}'] })])).toEqual([]);
    // KServe parses the whole runtime container as a Go template (ReplacePlaceholders): `{{ bos_token }}` names no function
    const inline = runtime({
      args: ['--model=/mnt/models', '--served-model-name={{.Name}}', '--chat-template', '{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}'],
    });
    expect(left([inline])).toEqual([['error', 'ServingRuntime/ai/vllm', expect.stringMatching(/function "bos_token" not defined .*no Deployment is made/)]]);
    // near-miss: a storage URI left as a template
    expect(left([runtime({ args: ['--model=/mnt/models'] }), service({ storageUri: 's3://${BUCKET}/granite/' })])).toEqual([
      ['warning', 'InferenceService/ai/llm', expect.stringMatching(/spec.predictor.model.storageUri holds '\$\{BUCKET\}'/)],
    ]);
  });

  test("an LLMInferenceService's spec is a Go template KServe renders; ${VAR} in it is not", () => {
    const llm = (args: string[]) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'qwen', namespace: 'ai' },
      spec: {
        model: { uri: 'hf://Qwen/Qwen3-0.6B' },
        router: { scheduler: { template: { containers: [{ name: 'main', args: ['--pool-name', '{{ ChildName .ObjectMeta.Name `-inference-pool` }}'] }] } } },
        template: { containers: [{ name: 'main', args }] },
      },
    });
    expect(left([llm(['--served-model-name={{.Name}}', '--model=/mnt/models'])])).toEqual([]);
    const hook = llm(['--model=/mnt/models']);
    (hook.spec.template.containers[0] as Doc).env = [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--kv-events-config {"endpoint":"tcp://${POD_IP}:5557"}' }];
    expect(left([hook])).toEqual([]);
    expect(left([llm(['--tool-call-parser=${TOOL_PARSER}'])])).toEqual([
      ['warning', 'LLMInferenceService/ai/qwen', expect.stringMatching(/holds '\$\{TOOL_PARSER\}'/)],
    ]);
  });

  test('in a ConfigMap only a value that is nothing but the placeholder', () => {
    const cm = (data: Doc) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ai' }, data });
    expect(left([cm({ MODEL_NAME: '${MODEL_NAME}' })])).toEqual([['warning', 'ConfigMap/ai/c', expect.stringMatching(/data.MODEL_NAME holds/)]]);
    expect(left([cm({ start: 'exec serve --name ${MODEL_NAME}', 'alert.tmpl': '{{ .Labels.alertname }}\nfired' })])).toEqual([]);
  });
});

describe('repeated limitations are one line in the text output', () => {
  test('YAML beside the manifests that is no Kubernetes object (a compose file, Helm values) is one line; --verbose lists each', async () => {
    const dir = tempDir('real-');
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 1\n');
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const text = await cliInProcess(['check', dir, '--wide', '--platform', 'kserve']);
    expect(text.out.split('\n').filter((l) => /input-not-followed/.test(l))).toEqual([
      expect.stringMatching(
        /2 documents +YAML documents that are no Kubernetes object .*: skipped: 2 documents in 2 files \(.*docker-compose\.yml, .*values\.yaml\); --verbose lists each/,
      ),
    ]);
    // one finding in JSON too: nothing to act on in each file
    const json = JSON.parse((await cliInProcess(['check', dir, '--json', '--platform', 'kserve'])).out) as { findings: { rule: string; object: string }[] };
    expect(json.findings.filter((f) => f.rule === 'input-not-followed').map((f) => f.object)).toEqual(['2 documents']);
    const verbose = await cliInProcess(['check', dir, '--verbose', '--platform', 'kserve']);
    expect(verbose.out.split('\n').filter((l) => /input-not-followed/.test(l))).toHaveLength(2);
  });

  test("a tool's input alone (Helm values, Fleet's fleet.yaml) is the summary line, a note; another file alone keeps its own warning", async () => {
    const dir = tempDir('real-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'defaultNamespace: serving\nhelm:\n  releaseName: api\n');
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const json = async () =>
      (
        JSON.parse((await cliInProcess(['check', dir, '--json', '--platform', 'kserve'])).out) as {
          findings: { rule: string; severity: string; object: string }[];
        }
      ).findings
        .filter((f) => f.rule === 'input-not-followed')
        .map((f) => [f.severity, f.object]);
    expect(await json()).toEqual([['info', '1 document']]);
    fs.renameSync(path.join(dir, 'fleet.yaml'), path.join(dir, 'prod-values.yaml'));
    expect(await json()).toEqual([['info', '1 document']]);
    fs.renameSync(path.join(dir, 'prod-values.yaml'), path.join(dir, 'settings.yaml'));
    expect(await json()).toEqual([['warning', expect.stringMatching(/settings\.yaml$/)]]);
  });

  test('three services of unknown models: one line with the count; --verbose lists each; JSON keeps and marks all', async () => {
    const dir = tempDir('real-');
    const services = ['a', 'b', 'c'].map((n): Doc => ({ ...service({ args: ['--tensor-parallel-size=2'] }), metadata: { name: n, namespace: 'ai' } }));
    for (const s of services) s.spec.predictor.nodeSelector = { 'node.kubernetes.io/instance-type': 'g6.12xlarge' };
    fs.writeFileSync(path.join(dir, 'all.yaml'), [runtime({ args: ['--model=/mnt/models'] }), ...services].map((d) => YAML.stringify(d)).join('---\n'));
    // --wide: each row on one line, as a grep of the output sees it
    const text = await cliInProcess(['check', dir, '--wide']);
    const lines = text.out.split('\n').filter((l) => /gpu-memory-fit/.test(l));
    expect(lines).toEqual([expect.stringMatching(/3 objects +model unknown: GPU fit not checked .*\(3 objects; --verbose lists each\)/)]);
    const verbose = await cliInProcess(['check', dir, '--verbose']);
    expect(verbose.out.split('\n').filter((l) => /gpu-memory-fit/.test(l))).toHaveLength(3);
    const json = JSON.parse((await cliInProcess(['check', dir, '--json'])).out);
    const fit = json.findings.filter((f: Doc) => f.rule === 'gpu-memory-fit');
    expect(fit.map((f: Doc) => [f.severity, f.summary, f.limitation])).toEqual(
      Array(3).fill(['info', expect.stringMatching(/^model unknown: GPU fit not checked/), true]),
    );
  });

  test('three two-GPU Deployments with no node shape: "cannot decide" is one line with the count; --verbose lists each', async () => {
    const dir = tempDir('real-');
    const deployment = (name: string): Doc => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'w', image: `quay.io/x/w@sha256:${'b'.repeat(64)}`, resources: { limits: { 'nvidia.com/gpu': gpus } } }] },
        },
      },
    });
    let gpus = '2';
    fs.writeFileSync(path.join(dir, 'all.yaml'), ['a', 'b', 'c'].map((n) => YAML.stringify(deployment(n))).join('---\n'));
    const text = await cliInProcess(['check', dir, '--wide']);
    expect(text.out.split('\n').filter((l) => /gpu-count-exceeds-node/.test(l))).toEqual([
      expect.stringMatching(/3 objects +node shape unknown: GPU count, CPU and memory not checked against a node .*\(3 objects; --verbose lists each\)/),
    ]);
    const verbose = await cliInProcess(['check', dir, '--verbose', '--wide']);
    const each = verbose.out.split('\n').filter((l) => /gpu-count-exceeds-node/.test(l));
    expect(each).toEqual(['a', 'b', 'c'].map((n) => expect.stringMatching(new RegExp(`Deployment/ai/${n} +cannot decide whether one pod`))));
    // near miss: one GPU fits every GPU node, so no node shape could decide otherwise: no note
    gpus = '1';
    fs.writeFileSync(path.join(dir, 'all.yaml'), ['a', 'b', 'c'].map((n) => YAML.stringify(deployment(n))).join('---\n'));
    expect((await cliInProcess(['check', dir, '--verbose', '--wide'])).out).not.toMatch(/gpu-count-exceeds-node/);
  });

  test('near-miss: a single such finding is printed as it is', async () => {
    const dir = tempDir('real-');
    fs.writeFileSync(path.join(dir, 'one.yaml'), [runtime({ args: ['--model=/mnt/models'] }), service()].map((d) => YAML.stringify(d)).join('---\n'));
    const text = await cliInProcess(['check', dir, '--wide']);
    expect(text.out).toMatch(/InferenceService\/ai\/llm +the model at s3:\/\/models\/granite\/ is unknown/);
  });
});

describe('public-tree patterns that are not defects', () => {
  test('a ModelMesh service reads storage-config with its own puller (default_bucket): storage-config-invalid does not judge it', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'storage-config', namespace: 'mm' },
      stringData: { conn: JSON.stringify({ type: 's3', access_key_id: 'AKIAEXAMPLE', secret_access_key: 'EXAMPLESECRET', default_bucket: 'models' }) },
    };
    const isvc = (mode: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm', namespace: 'mm', annotations: { 'serving.kserve.io/deploymentMode': mode } },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, runtime: 'mlserver', storage: { key: 'conn', path: 'sklearn/model.joblib' } } } },
    });
    expect(findings([secret, isvc('ModelMesh')], 'storage-config-invalid')).toEqual([]);
    // near-miss: the same entry for a single-model service lacks the bucket the storage initializer reads
    expect(findings([secret, isvc('RawDeployment')], 'storage-config-invalid')).toEqual([
      ['error', 'InferenceService/mm/m', expect.stringMatching(/has no "bucket"/)],
    ]);
    // the example keys in the JSON are placeholders, not credentials; real-looking ones are
    expect(findings([secret], 'plaintext-secret').filter(([, , message]) => !/placeholder/.test(String(message)))).toEqual([]);
    const real = {
      ...secret,
      stringData: { conn: JSON.stringify({ type: 's3', access_key_id: 'AKIAIOSFODNN7EXAMPL3', secret_access_key: 'wJalrXUtnFEMI/K7MDENG' }) },
    };
    expect(findings([real], 'plaintext-secret').map(([s]) => s)).toEqual(['warning']);
  });

  test('two loose files declaring one ClusterQueue differently are alternatives (a warning); one file declaring it twice is an error', () => {
    const dir = tempDir('real-');
    const cq = (cpu: number) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: { namespaceSelector: {}, resourceGroups: [], cohort: `c${cpu}` },
    });
    fs.writeFileSync(path.join(dir, 'setup-a.yaml'), YAML.stringify(cq(1)));
    fs.writeFileSync(path.join(dir, 'setup-b.yaml'), YAML.stringify(cq(2)));
    const conflicts = (paths: string[]) =>
      runChecks(readManifests(paths).manifests)
        .filter((f) => f.rule === 'cluster-object-conflict')
        .map((f) => f.severity);
    expect(conflicts([dir])).toEqual(['warning']);
    const one = tempDir('real-');
    fs.writeFileSync(path.join(one, 'both.yaml'), `${YAML.stringify(cq(1))}---\n${YAML.stringify(cq(2))}`);
    expect(conflicts([one])).toEqual(['error']);
  });
});

describe("an LLMInferenceService's prefill pool is placed on its own", () => {
  const machineSet: Doc = {
    apiVersion: 'machine.openshift.io/v1beta1',
    kind: 'MachineSet',
    metadata: { name: 'gpu-l40s', namespace: 'openshift-machine-api' },
    spec: {
      template: {
        spec: {
          metadata: { labels: { 'gpu-pool': 'l40s' } },
          providerSpec: { value: { instanceType: 'g6e.12xlarge' } },
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
        },
      },
    },
  };
  const toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
  const pod = (memory: string, tolerations: Doc[]) => ({
    nodeSelector: { 'gpu-pool': 'l40s' },
    tolerations,
    containers: [{ name: 'main', resources: { requests: { cpu: '8', memory, 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } } }],
  });
  const llm = (prefill: Doc): Doc => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'split', namespace: 'ai' },
    spec: { model: { uri: 'hf://ibm-granite/granite-3.3-8b-instruct' }, template: pod('64Gi', [toleration]), prefill: { template: prefill } },
  });

  test('a prefill pool without the toleration stays Pending: named as the prefill pool', () => {
    expect(findings([machineSet, llm(pod('64Gi', []))], 'taint-not-tolerated')).toEqual([
      ['error', 'LLMInferenceService/ai/split', expect.stringMatching(/^the prefill pool \(spec\.prefill\): selects the nodes of MachineSet gpu-l40s/)],
    ]);
  });

  test('a prefill pool asking more memory than g6e.12xlarge allocates is reported; the decode pool that fits is not', () => {
    expect(findings([machineSet, llm(pod('500Gi', [toleration]))], 'resources-exceed-node')).toEqual([
      ['error', 'LLMInferenceService/ai/split', expect.stringMatching(/^the prefill pool \(spec\.prefill\): one pod requests more than a g6e\.12xlarge node/)],
    ]);
  });

  test('near miss: both pools tolerate the taint and fit the node', () => {
    const ok = [machineSet, llm(pod('64Gi', [toleration]))];
    expect(findings(ok, 'taint-not-tolerated')).toEqual([]);
    expect(findings(ok, 'resources-exceed-node')).toEqual([]);
  });
});

describe("checks use the effective value of a flag (the service's after the runtime's, a mounted config file, placeholders)", () => {
  test("the service's size overrides the runtime's: TP 2 on 2 GPUs is right; the reverse leaves a GPU idle", () => {
    const rt = runtime({ args: ['--model=/mnt/models', '--tensor-parallel-size=1'] });
    expect(findings([rt, service({ args: ['--tensor_parallel_size', '2'] })], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    expect(findings([rt, service({ args: ['--tensor_parallel_size', '2'] })], 'vllm-flag-repeated')).toEqual([
      [
        'warning',
        'InferenceService/ai/llm',
        "--tensor-parallel-size is given 2 times with different values: --tensor-parallel-size=1 (ServingRuntime 'vllm' args), --tensor-parallel-size=2 (the InferenceService's args); vLLM keeps the last, --tensor-parallel-size=2: remove the others so the manifests say what runs",
      ],
    ]);
    // a size as Python's int() reads it: '02' is 2
    expect(findings([runtime({ args: ['--model=/mnt/models'] }), service({ args: ['--tensor-parallel-size', '02'] })], 'tensor-parallel-gpu-mismatch')).toEqual(
      [],
    );
    const reverse = runtime({ args: ['--model=/mnt/models', '--tensor-parallel-size=2'] });
    expect(findings([reverse, service({ args: ['-tp', '1'] })], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['warning', 'InferenceService/ai/llm', expect.stringMatching(/2 nvidia.com\/gpu requested but vLLM uses 1/)],
    ]);
  });

  test('a --config file mounted from a ConfigMap of the tree counts; the command line overrides it; one not in the tree is unknown', () => {
    const cm = (tp: number) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vllm-config', namespace: 'ai' },
      data: { 'vllm.yaml': `tensor-parallel-size: ${tp}\n` },
    });
    const mounted = (args: string[]) =>
      runtime(
        { args: ['--model=/mnt/models', '--config', '/etc/vllm/vllm.yaml', ...args], volumeMounts: [{ name: 'config', mountPath: '/etc/vllm' }] },
        { volumes: [{ name: 'config', configMap: { name: 'vllm-config' } }] },
      );
    expect(findings([mounted([]), service(), cm(4)], 'tensor-parallel-gpu-mismatch')).toEqual([
      ['error', 'InferenceService/ai/llm', expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but resources give 2/)],
    ]);
    expect(findings([mounted(['-tp', '2']), service(), cm(4)], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    expect(findings([mounted([]), service(), cm(2)], 'tensor-parallel-gpu-mismatch')).toEqual([]);
    // near-miss: the ConfigMap is not in the tree, so the size is not known and nothing is said
    expect(findings([mounted([]), service()], 'tensor-parallel-gpu-mismatch')).toEqual([]);
  });

  test("{{.Name}} in the runtime's args is the service's name", () => {
    const docs = [runtime({ args: ['--served-model-name={{.Name}}', '--model=/mnt/models'] }), service()];
    const graph = new ObjectGraph(docs.map((manifest) => ({ manifest })));
    const isvc = graph.ofKind('InferenceService')[0];
    expect(graph.vllmCommand(isvc)?.args.value('--served-model-name')).toBe('llm');
    expect(graph.servingContainer(isvc)?.args).toEqual(['--served-model-name=llm', '--model=/mnt/models']);
  });
});
