import { cliInProcess, ruleFindings, writeTree } from '../util';

/** A Job whose container runs `script` with sh -c, with extra container fields (env, envFrom, volumeMounts) and pod fields. */
function job(script: string, containerFields = '', podFields = ''): string {
  const body = script
    .split('\n')
    .map((l) => `              ${l}`)
    .join('\n');
  return (
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: writer\n  namespace: jobs\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n' +
    podFields +
    '      containers:\n        - name: write\n          image: registry.example.com/tools/cli:1.0\n' +
    containerFields +
    `          command:\n            - /bin/bash\n            - -c\n            - |\n${body}\n`
  );
}

/** A script writing `${written}` into a heredoc after setting SOURCE_BUCKET (and whatever `before` sets). */
const script = (written: string, before = '', delimiter = 'EOF') =>
  `${before}SOURCE_BUCKET=$(cat /etc/bucket)\ncat > /tmp/settings.json <<${delimiter}\n{"bucket": "${written}"}\n${delimiter.replace(/'/g, '')}\ncp /tmp/settings.json /out/`;

/** The script-variable-unset findings of a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('script-variable-unset-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'script-variable-unset')
    .map((f) => [f.severity, f.message]);
}
const severities = async (files: Record<string, string>) => (await found(files)).map(([s]) => s);

describe('script-variable-unset: a variable a heredoc expands that nothing sets', () => {
  test('a name like one the script sets (a shared distinctive part, or a near spelling): an error naming the likely one', async () => {
    const f = await found({ 'job.yaml': job(script('${BUCKET}')) });
    expect(f.map(([s]) => s)).toEqual(['error']);
    expect(f[0][1]).toContain('writes ${BUCKET} into the heredoc of line 2 (`cat > /tmp/settings.json <<EOF`)');
    expect(f[0][1]).toContain('the script sets SOURCE_BUCKET, which is likely the one meant: write ${SOURCE_BUCKET}');
    expect(await severities({ 'job.yaml': job(script('$SOURCE_BUCKT')) })).toEqual(['error']);
  });

  test('a name like none that is set: a warning, as the image may set it; so is a like name where an envFrom source the tree lacks may set it', async () => {
    expect(await severities({ 'job.yaml': job(script('${REGION}')) })).toEqual(['warning']);
    const envFrom = '          envFrom:\n            - secretRef:\n                name: bucket-settings\n';
    const f = await found({ 'job.yaml': job(script('${BUCKET}'), envFrom) });
    expect(f.map(([s]) => s)).toEqual(['warning']);
    expect(f[0][1]).toContain('unless Secret bucket-settings, which the container');
  });

  test('set by the container: its env, or the keys of an envFrom ConfigMap of the tree (with its prefix)', async () => {
    expect(await found({ 'job.yaml': job(script('${BUCKET}'), '          env:\n            - name: BUCKET\n              value: models\n') })).toEqual([]);
    const envFrom = '          envFrom:\n            - configMapRef:\n                name: bucket-settings\n              prefix: S3_\n';
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bucket-settings\n  namespace: jobs\ndata:\n  BUCKET: models\n';
    expect(await found({ 'job.yaml': job(script('${S3_BUCKET}'), envFrom), 'cm.yaml': cm })).toEqual([]);
    // without the prefix the key is set under another name
    expect(await severities({ 'job.yaml': job(script('${BUCKET}'), envFrom), 'cm.yaml': cm })).toEqual(['error']);
  });

  test('set by the script: read, for, getopts, export, ${NAME:=…}; a default at the use; the shell and kubelet variables', async () => {
    for (const before of [
      'read -r -p "bucket? " BUCKET\n',
      'for BUCKET in a b; do :; done\n',
      'while getopts b: BUCKET; do :; done\n',
      'export BUCKET=models\n',
      ': "${BUCKET:=models}"\n',
    ])
      expect({ before, found: await found({ 'job.yaml': job(script('${BUCKET}', before)) }) }).toEqual({ before, found: [] });
    expect(await found({ 'job.yaml': job(script('${BUCKET:-models}')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('${HOSTNAME}-$HOME')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('${MODELS_SERVICE_HOST}')) })).toEqual([]);
  });

  test('not judged: a quoted delimiter (nothing expands), an escaped $, a script that sources a file or evals', async () => {
    expect(await found({ 'job.yaml': job(script('${BUCKET}', '', "'EOF'")) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('\\${BUCKET}')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('${BUCKET}', '. /etc/profile.d/buckets.sh\n')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('${BUCKET}', 'source ./env\n')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(script('${BUCKET}', 'eval "$(cat /etc/vars)"\n')) })).toEqual([]);
  });

  test('a script file of a ConfigMap volume the container runs is read as its script', async () => {
    const mounted = (written: string) => ({
      'job.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: writer\n  namespace: jobs\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n' +
        '      containers:\n        - name: write\n          image: registry.example.com/tools/cli:1.0\n          command: [/bin/bash, /scripts/write.sh]\n' +
        '          volumeMounts:\n            - name: scripts\n              mountPath: /scripts\n      volumes:\n        - name: scripts\n          configMap:\n            name: writer-scripts\n',
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: writer-scripts\n  namespace: jobs\ndata:\n  write.sh: |\n' +
        script(written)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n') +
        '\n',
    });
    const f = await found(mounted('${BUCKET}'));
    expect(f.map(([s]) => s)).toEqual(['error']);
    expect(f[0][1]).toContain('/scripts/write.sh (ConfigMap writer-scripts, key write.sh) writes ${BUCKET}');
    expect(await found(mounted('${SOURCE_BUCKET}'))).toEqual([]);
  });
});

describe('script-variable-unset: a Job a setup script applies from its own heredoc', () => {
  /** setup.sh reads the bucket from the cluster and applies the Job inside `cat <<${outer} | oc apply -f -`. */
  const setup = (outer: string) =>
    [
      '#!/bin/bash',
      'BUCKET=$(oc get configmap models -n jobs -o jsonpath={.data.bucket})',
      `cat <<${outer} | oc apply -f -`,
      job('cat > /tmp/settings.json <<EOF\n{"bucket": "$BUCKET"}\nEOF\ncp /tmp/settings.json /out/').trimEnd(),
      outer.replace(/'/g, ''),
      '',
    ].join('\n');

  test("the setup script's shell fills $BUCKET before the Job exists (its heredoc is unquoted): nothing for the container to set", async () => {
    expect(await found({ 'setup.sh': setup('EOF') })).toEqual([]);
  });

  test("near miss: the setup script's heredoc is quoted, so the Job keeps $BUCKET and its container sets nothing: a warning", async () => {
    expect(await severities({ 'setup.sh': setup("'EOF'") })).toEqual(['warning']);
  });
});

describe('script-variable-unset: the model of a server started by a mounted script, from a variable nothing sets', () => {
  const tree = (script: string, env: Record<string, unknown>[] = []) => [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'start', namespace: 'ai' }, data: { 'start.sh': script } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'srv', namespace: 'ai' },
      spec: {
        selector: { matchLabels: { app: 'srv' } },
        template: {
          metadata: { labels: { app: 'srv' } },
          spec: {
            containers: [
              {
                name: 'server',
                image: 'vllm/vllm-openai:v0.11.0',
                command: ['bash', '/scripts/start.sh'],
                env,
                volumeMounts: [{ name: 's', mountPath: '/scripts' }],
              },
            ],
            volumes: [{ name: 's', configMap: { name: 'start' } }],
          },
        },
      },
    },
  ];
  const RULE = 'script-variable-unset';

  test('vllm serve $MODEL_LOCATION, and llama-server -m $GGUF, with the variable set nowhere: a warning naming it', () => {
    expect(ruleFindings(RULE, tree('#!/bin/bash\nexec vllm serve $MODEL_LOCATION --port 8000\n'))).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ai\/srv: container 'server': \/scripts\/start\.sh line 2 .*starts vLLM with its model from \$MODEL_LOCATION, but neither the script nor the container's env sets MODEL_LOCATION/,
      ),
    ]);
    expect(ruleFindings(RULE, tree('#!/bin/sh\nexec /app/llama-server -m $GGUF --host 0.0.0.0\n'))).toEqual([
      expect.stringMatching(/starts llama\.cpp server with its model from \$GGUF/),
    ]);
    expect(ruleFindings(RULE, tree('#!/bin/bash\nset -e\nvllm serve "${MODEL_LOCATION}" --port 8000\n'))).toHaveLength(1);
  });

  test('near misses: the env sets it, the script sets it, the script reads it with a default', () => {
    expect(ruleFindings(RULE, tree('#!/bin/bash\nexec vllm serve $MODEL_LOCATION\n', [{ name: 'MODEL_LOCATION', value: '/models/m' }]))).toEqual([]);
    expect(ruleFindings(RULE, tree('#!/bin/bash\nMODEL_LOCATION=/models/m\nexec vllm serve $MODEL_LOCATION\n'))).toEqual([]);
    expect(ruleFindings(RULE, tree('#!/bin/bash\nexec vllm serve ${MODEL_LOCATION:-/models/m}\n'))).toEqual([]);
    const fromSecret = [{ name: 'MODEL_LOCATION', valueFrom: { secretKeyRef: { name: 'm', key: 'path' } } }];
    expect(ruleFindings(RULE, tree('#!/bin/bash\nexec vllm serve $MODEL_LOCATION\n', fromSecret))).toEqual([]);
  });
});

describe("script-variable-unset: a tree script's heredoc applied to the cluster", () => {
  const deploy = (before: string, first = '#!/bin/sh\nset -e\n') =>
    `${first}${before}NAMESPACE=serving\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: $MODEL_ID\n  namespace: $NAMESPACE\ndata:\n  model: granite\nEOF\n`;

  test('a name the script never sets: a warning naming the script line and the empty name', async () => {
    const f = await found({ 'deploy.sh': deploy('') });
    expect(f).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^deploy\.sh applies it from an unquoted heredoc \(line 4, `cat <<EOF \| kubectl apply -f -`\) that writes \$MODEL_ID, which the script never sets.*empty name/,
        ),
      ],
    ]);
  });

  test('near misses: the script sets it, reads it, or sources other code; a README shows the command', async () => {
    expect(await found({ 'deploy.sh': deploy('MODEL_ID=granite-8b\n') })).toEqual([]);
    expect(await found({ 'deploy.sh': deploy('read -r MODEL_ID\n') })).toEqual([]);
    expect(await found({ 'deploy.sh': deploy('. ./settings.env\n') })).toEqual([]);
    expect(await found({ 'README.md': '# Deploy\n\n```sh\n' + deploy('', '') + '```\n' })).toEqual([]);
  });
});

describe('script-variable-unset: the unset variable is the name or namespace of an object the heredoc applies', () => {
  const applying = (name: string) =>
    `oc whoami\ncat <<EOF | oc apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: jobs\ndata:\n  ready: "true"\nEOF`;

  test('metadata.name from a variable nothing sets: an error, the API server refusing an empty name', async () => {
    expect(await found({ 'job.yaml': job(applying('${MODEL_CONFIG}')) })).toEqual([
      [
        'error',
        "container 'write': the script of /bin/bash -c writes ${MODEL_CONFIG} into the heredoc of line 2 (`cat <<EOF | oc apply -f -`), but neither the script (no assignment, export, read, for or getopts) nor the container's env sets MODEL_CONFIG, so the shell writes an empty string there (only an image that sets it itself would give it a value), and it is the metadata.name of the object the heredoc applies: the API server refuses an object with an empty name; set MODEL_CONFIG before the heredoc, or add it to the container's env",
      ],
    ]);
  });

  test('near miss: a default ${X:-y}, the Job env setting it, a data value (a warning, as before), a heredoc that is not applied', async () => {
    expect(await found({ 'job.yaml': job(applying('${MODEL_CONFIG:-chat-model}')) })).toEqual([]);
    expect(await found({ 'job.yaml': job(applying('${MODEL_CONFIG}'), '          env:\n            - {name: MODEL_CONFIG, value: chat-model}\n') })).toEqual(
      [],
    );
    expect(await severities({ 'job.yaml': job(applying('chat-model').replace('ready: "true"', 'ready: "${READY}"')) })).toEqual(['warning']);
    expect(await severities({ 'job.yaml': job(applying('${MODEL_CONFIG}').replace('| oc apply -f -', '> /tmp/cm.yaml')) })).toEqual(['warning']);
  });
});
