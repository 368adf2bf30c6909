import { readManifests, runChecks } from '../lib';
import * as YAML from 'yaml';
import { writeTree } from './util';

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
          { name: 'sidecar', image: 'registry.example.com/tools/proxy:1.0', command: ['sh', '-c', 'exec proxy --user "$KSA_NAME" --token <TOKEN>'] },
        ],
      },
      { name: 'server', namespace: 'ai', annotations: { description: 'replace <MODEL_ID> before applying' } },
    );
    expect(found(doc)).toEqual([]);
  });
});

describe('a file whose own comment asks for a variable to be filled in is a sample, judged as a template', () => {
  const sample = (comment: string) =>
    writeTree('fill-in-', {
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
