import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { namesSecretByName } from '../../lib/check/credentials/names';
import { inPlace, standalone } from '../setup/scratch';
import { writeTree } from '../util';

/** The rule's fixtures, read as standalone trees (not with this repository around them: test/setup/scratch.ts standalone). */
const FIXTURES = path.join(__dirname, '..', 'rules', 'plaintext-secret');
const fixtureFile = (...parts: string[]) => path.join(standalone(FIXTURES), ...parts);

/** plaintext-secret beyond env, args and Secrets: a ConfigMap's scripts, a custom resource's credential-named fields. */
const errorsOf = (folder: string) =>
  runChecks(readManifests([fixtureFile(folder, 'lab-scripts.yaml')]).manifests, { platform: 'rhoai-2' })
    .filter((f) => f.rule === 'plaintext-secret')
    .map((f) => [f.severity, f.object, f.message]);

describe('plaintext-secret: scripts in ConfigMaps and fields of custom resources', () => {
  test('a script key with --cos_password <literal>, and a KameletBinding property secretKey: <literal>', () => {
    expect(errorsOf('fires')).toEqual([
      [
        'warning',
        'ConfigMap/mnist/lab-scripts',
        "key 'register-runtime.sh' is a script that holds a credential literally (--cos_password …); keep it in a Secret, set it as an environment variable of the pod that runs the script (valueFrom.secretKeyRef) and use ${VAR} in the script",
      ],
      [
        'warning',
        'KameletBinding/mnist/images-source',
        'spec.source.properties.secretKey holds a credential in plain text in the KameletBinding; keep it in a Secret and refer to it as the KameletBinding allows (a Secret reference, or a property placeholder the operator resolves)',
      ],
    ]);
  });

  test('a reference, --password-stdin, a non-script value, a property placeholder, a …Ref field and an ExternalSecret key name: nothing', () => {
    expect(errorsOf('near-miss')).toEqual([]);
  });
});

describe('plaintext-secret: custom resource fields that name a Secret, not a credential', () => {
  const crErrors = (manifest: Record<string, unknown>) => runChecks([{ manifest }], { platform: 'rhoai-2' }).filter((f) => f.rule === 'plaintext-secret');

  test('a Secret by name (authSecret), the keys of one (s3CredentialsSecret.accessKey), an embedded manifest: nothing', () => {
    expect(
      crErrors({
        apiVersion: 'apps.nvidia.com/v1alpha1',
        kind: 'NIMService',
        metadata: { name: 'llama', namespace: 'nim' },
        spec: { authSecret: 'ngc-api-secret', storage: { pvc: { name: 'cache' } } },
      }),
    ).toEqual([]);
    expect(
      crErrors({
        apiVersion: 'datasciencepipelinesapplications.opendatahub.io/v1alpha1',
        kind: 'DataSciencePipelinesApplication',
        metadata: { name: 'dspa', namespace: 'ds' },
        spec: {
          objectStorage: {
            externalStorage: { s3CredentialsSecret: { secretName: 'minio', accessKey: 'AWS_ACCESS_KEY_ID', secretKey: 'AWS_SECRET_ACCESS_KEY' } },
          },
        },
      }),
    ).toEqual([]);
    expect(
      crErrors({
        apiVersion: 'chainsaw.kyverno.io/v1alpha1',
        kind: 'Test',
        metadata: { name: 't' },
        spec: { steps: [{ try: [{ apply: { resource: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'cGFzcw==' } } } }] }] },
      }),
    ).toEqual([]);
  });

  test('a Grafana admin password written in its config is one', () => {
    expect(
      crErrors({
        apiVersion: 'grafana.integreatly.org/v1beta1',
        kind: 'Grafana',
        metadata: { name: 'grafana', namespace: 'obs' },
        spec: { config: { security: { admin_user: 'rhel', admin_password: 'rhel' } } },
      }).map((f) => f.message),
    ).toEqual([expect.stringMatching(/^spec\.config\.security\.admin_password holds a credential in plain text in the Grafana/)]);
  });

  test('a field named credentials says where they travel (3scale userkey credentials: headers); a key in the form of a credential is one anywhere', () => {
    const product = (credentials: string) => ({
      apiVersion: 'capabilities.3scale.net/v1beta1',
      kind: 'Product',
      metadata: { name: 'llm', namespace: '3scale' },
      spec: { deployment: { apicastHosted: { authentication: { userkey: { authUserKey: 'api_key', credentials } } } } },
    });
    expect(crErrors(product('headers'))).toEqual([]);
    expect(crErrors(product('AKIAIOSFODNN7EXAMPLE')).map((f) => f.message)).toEqual([
      expect.stringMatching(/^spec\.deployment\.apicastHosted\.authentication\.userkey\.credentials holds a credential/),
    ]);
  });
});

describe('plaintext-secret: a credential-named option of the container command itself', () => {
  const proxy = (arg: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'ai' },
    spec: {
      template: { spec: { containers: [{ name: 'oauth-proxy', image: 'quay.io/openshift/origin-oauth-proxy:4.16', args: ['--provider=openshift', arg] }] } },
    },
  });
  const messages = (arg: string, severity = 'warning') =>
    runChecks([{ manifest: proxy(arg) }], { platform: 'rhoai-2' })
      .filter((f) => f.rule === 'plaintext-secret' && f.severity === severity)
      .map((f) => f.message);

  test('--cookie-secret=<literal> is passed on the command line; a reference, a file or the slot named in capitals is not', () => {
    expect(messages('--cookie-secret=N2Fk3wQ9pLx7Rt4v')).toEqual([
      "container 'oauth-proxy' passes a credential on the command line (--cookie-secret=…); read it from an environment variable set from a Secret",
    ]);
    expect(messages('--cookie-secret=$(COOKIE_SECRET)')).toEqual([]);
    // the documentation's slot, not a value: but the proxy signs its cookies with it, so anyone can forge them
    expect(messages('--cookie-secret=SECRET')).toEqual([
      "container 'oauth-proxy' passes 'SECRET' as --cookie-secret: a placeholder, but the program runs with it as the credential, which anyone reading the manifest can reproduce; set the real one from a Secret through an environment variable",
    ]);
    expect(messages('--cookie-secret=$(COOKIE_SECRET)', 'warning')).toEqual([]);
    expect(messages('--cookie-secret-file=/etc/proxy/secrets/session_secret')).toEqual([]);
  });
});

describe('plaintext-secret: a script read as the shell reads it', () => {
  const job = (script: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'mirror', namespace: 'ai' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'mc', image: 'quay.io/minio/mc:RELEASE.2025-01-17T23-25-50Z', command: ['/bin/sh', '-c', script] }],
        },
      },
    },
  });
  const messages = (script: string) =>
    runChecks([{ manifest: job(script) }], { platform: 'rhoai-2' })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => f.message);

  test('mc alias set split over lines with backslashes: ${VAR} keys are references, a literal key is one', () => {
    expect(
      messages('mc alias set src \\\n  http://minio:9000 \\\n  ${MINIO_ROOT_USER} \\\n  ${MINIO_ROOT_PASSWORD}\nmc mirror src/models /mnt/models'),
    ).toEqual([]);
    expect(messages('mc alias set src \\\n  http://minio:9000 \\\n  minio \\\n  minio123\n')).toEqual([
      expect.stringMatching(/the secret key of 'mc alias set'/),
    ]);
  });
});

describe('plaintext-secret: a secret-named key given the name of a Secret', () => {
  test.each<[string, string, boolean]>([
    // Elyra's kfp.json runtime schema: cos_secret is the Kubernetes Secret in the user's namespace
    ['cos_secret', 'aws-connection-shared-minio---pipelines', true],
    ['COS_SECRET', 'aws-connection-minio', true],
    ['dbSecret', 'postgres-creds', true],
    ['PIPELINE_SECRET', 'data-science-pipelines-s3', true],
    ['STORAGE_SECRETS', 'minio.pipeline.creds', true],
    // the key holds the secret itself, or the value does not read as a name
    ['secret_key', 'minio-root-creds', false],
    ['aws_secret_access_key', 'minio-root-creds', false],
    ['client_secret', 'portal-app-secret', false],
    ['JWT_SECRET', 'my-jwt-secret', false],
    ['cos_secret', 's3cretminio', false],
    ['cos_secret', '3kf9-x2q7-mm81', false],
    ['cos_secret', 'Minio-Creds', false],
    ['cos_password', 'aws-connection-minio', false],
  ])('%s: %s is a Secret name: %s', (key, value, expected) => {
    expect(namesSecretByName(key, value)).toBe(expected);
  });
});

describe('plaintext-secret: configuration files in ConfigMap values', () => {
  const configErrors = (data: Record<string, string>) =>
    runChecks([{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'rag' }, data } }], { platform: 'rhoai-3.0' })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => f.message.replace(/ in plain text \((.*)\), readable.*/, ': $1'));

  test('a .env line, a JSON value under a key without extension, a nested YAML setting: the setting named', () => {
    expect(
      configErrors({
        '.env': '# local\nDB_HOST=pg\nexport DB_PASSWORD="pg-Xq71"\n',
        pipeline: '{"endpoint": "http://minio:9000", "s3": {"secret_key": "m1n10-Secret"}}',
        'app.yml': 'cache:\n  redis:\n    host: redis\n    password: r3dis-pass\n',
      }),
    ).toEqual([
      "key '.env' is a configuration file that holds a credential: DB_PASSWORD",
      "key 'app.yml' is a configuration file that holds a credential: cache.redis.password",
      "key 'pipeline' is a configuration file that holds a credential: s3.secret_key",
    ]);
  });

  test('${VAR} templates, placeholders, switches, a Secret named by key, a single line of text and a .txt file are no credentials', () => {
    expect(
      configErrors({
        'app.yaml': 'db:\n  password: ${DB_PASSWORD}\n  passwordSecret: pg-credentials\ntoken:\n  enabled: "true"\n',
        'server.ini': '[auth]\npassword = <your-password>\nrequire_password = yes\n',
        motd: 'password: ask the admin',
        'notes.txt': 'password: rotate-monthly\nuser: ops\n',
      }),
    ).toEqual([]);
  });
});

test("a LiteLLM config's keys for local backends (`local`, Ollama's `ollama`, vLLM's `EMPTY`) are stand-ins; a chosen key beside them is a credential", () => {
  const config = (keys: readonly string[]) =>
    'model_list:\n' +
    keys
      .map(
        (k, i) =>
          `  - model_name: m${i}\n    litellm_params:\n      model: openai/m${i}\n      api_base: http://llama-${i}.ai.svc:8000/v1\n      api_key: ${k}\n`,
      )
      .join('');
  const found = (keys: readonly string[]) =>
    runChecks([{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gateway', namespace: 'ai' }, data: { 'config.yaml': config(keys) } } }], {
      platform: 'kserve',
    })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => f.message.replace(/ in plain text \((.*)\), readable.*/, ': $1'));
  expect(found(['local', 'ollama', 'EMPTY'])).toEqual([]);
  expect(found(['local', 'lk-7Hq2mZ9pRt'])).toEqual([
    "key 'config.yaml' is a configuration file that holds a credential: model_list[1].litellm_params.api_key",
  ]);
});

describe('plaintext-secret: a credential-named variable of a script that holds a file path', () => {
  const scriptErrors = (script: string) =>
    runChecks([{ manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'minio', namespace: 'minio' }, data: { 'add-user': script } } }], {
      platform: 'rhoai-3.0',
    })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => f.message);

  test('a path under /tmp, a relative path or one under the home folder names where the key is kept: nothing', () => {
    expect(
      scriptErrors('MINIO_ACCESSKEY_SECRETKEY_TMP="/tmp/accessKey_and_secretKey_tmp"\nSECRET_KEY_FILE=./keys/secret\nTOKEN_PATH=~/.config/token\n'),
    ).toEqual([]);
  });

  test('a key that begins with a slash but under no such folder is still a credential', () => {
    expect(scriptErrors('#!/bin/sh\nset -e\nMINIO_SECRET_KEY="/K7MDENGbPxRfiCYp9xq2LwZ"\nmc admin user add myminio app "$MINIO_SECRET_KEY"\n')).toEqual([
      expect.stringMatching(/key 'add-user' is a script that holds a credential literally \(MINIO_SECRET_KEY=…\)/),
    ]);
  });
});

describe('plaintext-secret: probe headers, files no build applies, Secrets a delivery script creates', () => {
  const fixture = (which: string) => path.join(FIXTURES, which);
  const found = (which: string, file: string) => runChecks(readManifests([fixtureFile(which, file)]).manifests, { platform: 'rhoai-3.0' });
  // a folder of the fixtures, read standalone; the findings name the files of test/rules
  const of = (folder: string) => {
    const read = readManifests([path.join(standalone(FIXTURES), path.relative(FIXTURES, folder))]);
    return runChecks(read.manifests, { platform: 'rhoai-3.0', leftOut: read.leftOut, scriptCreated: read.scriptCreated })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => [f.severity, f.object, f.file && inPlace(f.file), f.message]);
  };

  test('Authorization and X-API-Key headers of probes with a literal key: one warning naming both fields', () => {
    expect(
      found('fires', 'probe-headers.yaml')
        .filter((f) => f.rule === 'plaintext-secret')
        .map((f) => [f.severity, f.object, f.message]),
    ).toEqual([
      [
        'warning',
        'Deployment/assistants/chat-server',
        "container 'server' sends a literal credential in livenessProbe.httpGet.httpHeaders X-API-Key, readinessProbe.httpGet.httpHeaders Authorization; anyone who reads the manifest holds the key: probe an endpoint that needs no key (vLLM's /health), or use an exec or tcpSocket probe",
      ],
    ]);
  });

  test('other headers, `Bearer <your-api-key>` and a bare `Bearer`: nothing', () => {
    expect(found('near-miss', 'probe-headers.yaml').filter((f) => f.rule === 'plaintext-secret')).toEqual([]);
  });

  test('a Secret file the kustomization leaves out, and a Secret a script creates from variables it assigns literals', () => {
    expect(of(path.join(fixture('fires'), 'object-store'))).toEqual([
      [
        'warning',
        'Secret/object-store/store-admin',
        path.join(fixture('fires'), 'object-store', 'store-admin.yaml'),
        'holds credentials in root-password in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard (the file is in no kustomization of its folder, but it is in the repository all the same)',
      ],
      [
        'warning',
        'Secret/serving/store-connection',
        path.join(fixture('fires'), 'object-store', 'install.sh'),
        'holds credentials in AWS_SECRET_ACCESS_KEY in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard (install.sh creates it at line 6 from values written in the script: have the script read them from its environment instead)',
      ],
    ]);
  });

  test('a left-out file with a placeholder, a script reading its values from the environment: nothing', () => {
    expect(of(path.join(fixture('near-miss'), 'object-store'))).toEqual([]);
  });
});

// A gateway's list of client keys: `API_KEYS` names keys (plural), and a comma-separated list is a placeholder only if
// each of its items is one.
describe('plaintext-secret: a Secret holding a comma-separated list of API keys', () => {
  const secret = (key: string, value: string) => ({
    manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gateway-keys', namespace: 'llm' }, stringData: { [key]: value } },
  });
  const verdicts = (key: string, value: string) =>
    runChecks([secret(key, value)], { platform: 'kserve' })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => `${f.severity}: ${f.message}`);
  /** A verdict that a credential is written out (not a placeholder note). */
  const leak = (v: string) => /^(warning|error): holds credentials in/.test(v);

  test('API_KEYS with literal client keys: a warning', () => {
    expect(verdicts('API_KEYS', 'sk-demo,sk-team-a')).toEqual([
      'warning: holds credentials in API_KEYS in plain text (base64 is an encoding, not encryption); keep the Secret out of Git and create it with External Secrets, Sealed Secrets or the dashboard',
    ]);
    expect(verdicts('ACCESS_KEYS', 'k7Rq2,Zp91x')).toHaveLength(1);
  });

  test('near misses: a list of stand-ins or of fill-ins is what its items are (no leak); KEYS alone names no credential', () => {
    expect(verdicts('API_KEYS', 'sk-demo,sk-example').filter(leak)).toEqual([]);
    expect(verdicts('API_KEYS', 'changeme,changeme').filter(leak)).toEqual([]);
    expect(verdicts('KEYS', 'sk-demo,sk-team-a')).toEqual([]);
    // one stand-in key per backend, semicolon-separated (Open WebUI's OPENAI_API_KEYS)
    expect(verdicts('OPENAI_API_KEYS', 'not-used;not-used;not-used').filter(leak)).toEqual([]);
    expect(verdicts('OPENAI_API_KEYS', 'test_token;test_token').filter(leak)).toEqual([]);
    expect(verdicts('OPENAI_API_KEYS', 'not-used;k7Rq2Zp91x').filter(leak)).toHaveLength(1);
    // `test` alone is a password someone chose, not a stand-in
    expect(verdicts('DB_PASSWORD', 'test').filter(leak)).toHaveLength(1);
  });
});

describe('plaintext-secret: timing options named after tokens, and no-auth fillers', () => {
  const findingsOf = (folder: string) =>
    runChecks(readManifests([fixtureFile(folder, 'latency-simulator.yaml')]).manifests, { platform: 'kserve' })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => [f.severity, f.message]);

  test('--api-key with a literal beside --time-to-first-token 350ms: only the key and the literal env token', () => {
    expect(findingsOf('fires')).toEqual([
      ['warning', "container 'sim' passes a credential on the command line (--api-key …); read it from an environment variable set from a Secret"],
      ['warning', "container 'sim' sets env UPSTREAM_TOKEN to a literal value; move it into a Secret and use valueFrom.secretKeyRef"],
    ]);
  });

  test('--time-to-first-token, --inter-token-latency, --prefill-time-per-token and --token with a number: nothing', () => {
    expect(findingsOf('near-miss')).toEqual([]);
  });

  test('an API key of not-needed, no-key or sk-no-key-required is a placeholder (info), not a credential', () => {
    const env = [
      { name: 'LLM_API_KEY', value: 'not-needed' },
      { name: 'OTHER_API_KEY', value: 'no-key' },
      { name: 'LOCAL_API_KEY', value: 'sk-no-key-required' },
      { name: 'REAL_API_KEY', value: 'not-a-filler-9f3k' },
    ];
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'bench' },
      spec: { containers: [{ name: 'client', image: 'ghcr.io/example/chat-client:2.0.0', env }] },
    };
    const found = runChecks([{ manifest }], { platform: 'kserve' }).filter((f) => f.rule === 'plaintext-secret');
    expect(found.map((f) => [f.severity, /env (\w+)/.exec(f.message)?.[1]])).toEqual([
      ['warning', 'REAL_API_KEY'],
      ['info', 'LLM_API_KEY'],
      ['info', 'LOCAL_API_KEY'],
      ['info', 'OTHER_API_KEY'],
    ]);
  });
});

describe('plaintext-secret on a Secret a script applies from a heredoc', () => {
  const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: connection\nstringData:\n  AWS_SECRET_ACCESS_KEY: ${value}\n`;
  const found = (script: string) =>
    runChecks(readManifests([writeTree('heredoc-secret-', { 'setup.sh': script })]).manifests, { platform: 'rhoai-3.0' })
      .filter((f) => f.rule === 'plaintext-secret')
      .map((f) => f.message);

  test('the shell fills a $VAR it expands: no placeholder applied as it is (unrendered-placeholder judges it as a template)', () => {
    expect(found(`#!/bin/bash\ncat <<EOF | oc apply -f -\n${secret('$AWS_SECRET_ACCESS_KEY')}EOF\n`)).toEqual([]);
  });

  test("in a quoted heredoc the shell expands nothing: the literal '$VAR' is applied, a placeholder", () => {
    expect(found(`#!/bin/bash\ncat <<'EOF' | oc apply -f -\n${secret('$AWS_SECRET_ACCESS_KEY')}EOF\n`)).toEqual([
      expect.stringMatching(/^holds placeholder values in AWS_SECRET_ACCESS_KEY/),
    ]);
  });
});
