import { ruleFound, severityObjectMessages, treeRuleFound } from '../util';
import { stringify } from 'yaml';

const isvc = (storageUri: string) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'granite', namespace: 'llm' },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri } } },
});

const job = (name: string, container: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'llm' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'copy', image: 'amazon/aws-cli:2.17.0', ...container }] } } },
});

const shellJob = (name: string, script: string, env: Record<string, string>[] = []) => job(name, { command: ['/bin/sh', '-c'], args: [script], env });

const findings = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      'storage-uri-not-uploaded',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('storage-uri-not-uploaded', () => {
  test('a prefix beside the one the only uploader writes, with script variables resolved: a warning naming both', () => {
    const upload = shellJob('copy-granite', 'BUCKET=models\nexport MODEL_DIR=${MODEL_DIR:-granite-3b}\naws s3 sync /data/granite s3://$BUCKET/$MODEL_DIR');
    expect(findings(upload, isvc('s3://models/granite/3b'))).toEqual([
      [
        'warning',
        'InferenceService/llm/granite',
        "storageUri 's3://models/granite/3b': KServe's storage initializer finds no objects under s3://models/granite/3b (the tree uploads to s3://models/granite-3b, Job/copy-granite container 'copy'), so the download fails and the predictor never starts; write storageUri: s3://models/granite-3b or upload to granite/3b",
      ],
    ]);
  });

  test("mc mirror to an alias, s5cmd cp, the container's literal env, and the library's upload Job each count as the uploader", () => {
    const mc = shellJob('mirror', 'mc mirror --overwrite /data minio/models/llama-8b/');
    expect(findings(mc, isvc('s3://models/llama/8b')).map(([s]) => s)).toEqual(['warning']);
    const s5 = shellJob('s5', 's5cmd --numworkers 8 cp "/data/*" s3://${DEST_BUCKET}/llama-8b/', [{ name: 'DEST_BUCKET', value: 'models' }]);
    expect(findings(s5, isvc('s3://models/llama')).map(([s]) => s)).toEqual(['warning']);
    const library = job('upload', {
      env: [
        { name: 'HF_REPO', value: 'org/llama-8b' },
        { name: 'S3_BUCKET', value: 'models' },
        { name: 'S3_PREFIX', value: 'llama-8b/' },
      ],
    });
    expect(findings(library, isvc('s3://models/meta/llama-8b'))).toEqual([
      ['warning', 'InferenceService/llm/granite', expect.stringContaining('(the tree uploads to s3://models/llama-8b, Job/upload container')],
    ]);
  });

  test('near misses: the same prefix, a sub-path, a parent, an unresolved variable, two uploaders, another bucket, a download', () => {
    const upload = shellJob('copy', 'aws s3 cp --recursive /data s3://models/granite-3b');
    expect(findings(upload, isvc('s3://models/granite-3b'))).toEqual([]);
    expect(findings(upload, isvc('s3://models/granite-3b/'))).toEqual([]);
    expect(findings(upload, isvc('s3://models/granite-3b/snapshot'))).toEqual([]);
    expect(findings(shellJob('deep', 'aws s3 cp --recursive /data s3://models/granite-3b/snapshot'), isvc('s3://models/granite-3b'))).toEqual([]);
    expect(findings(shellJob('unknown', 'aws s3 sync /data s3://models/$MODEL_DIR'), isvc('s3://models/granite/3b'))).toEqual([]);
    expect(findings(shellJob('sub', 'DIR=$(date +%F)\naws s3 sync /data s3://models/$DIR'), isvc('s3://models/granite/3b'))).toEqual([]);
    const other = shellJob('copy-other', 'aws s3 sync /data s3://models/granite/3b');
    expect(findings(upload, other, isvc('s3://models/granite/3b'))).toEqual([]);
    const both = shellJob('two', 'aws s3 sync /a s3://models/granite-3b\naws s3 sync /b s3://models/llama-8b');
    expect(findings(both, isvc('s3://models/granite/3b'))).toEqual([]);
    expect(findings(upload, isvc('s3://weights/granite/3b'))).toEqual([]);
    expect(findings(shellJob('fetch', 'aws s3 cp s3://models/granite-3b /data --recursive'), isvc('s3://models/granite/3b'))).toEqual([]);
    // another object naming the prefix may write it in a way not read here
    const named = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'paths', namespace: 'llm' }, data: { MODEL_PATH: 'granite/3b' } };
    expect(findings(upload, named, isvc('s3://models/granite/3b'))).toEqual([]);
  });

  test('a script of the tree is the uploader: the finding names its file and line; an unresolved script destination keeps it silent', async () => {
    const script = '#!/bin/sh\nset -eu\nexport BUCKET=models\naws s3 sync ./granite "s3://${BUCKET}/granite-3b/"\n';
    const found = await treeRuleFound('storage-uri-not-uploaded', 'uri-not-uploaded-', {
      'upload.sh': script,
      'isvc.yaml': stringify(isvc('s3://models/granite/3b')),
    });
    expect(
      found.map((f) => [f.severity, f.object, f.message.replace(/^.*\(the tree uploads to s3:\/\/models\/granite-3b, \S*\/uri-not-uploaded-\w+\//, '')]),
    ).toEqual([
      [
        'warning',
        'InferenceService/llm/granite',
        'upload.sh:4), so the download fails and the predictor never starts; write storageUri: s3://models/granite-3b or upload to granite/3b',
      ],
    ]);
    const unresolved = await treeRuleFound('storage-uri-not-uploaded', 'uri-not-uploaded-', {
      'upload.sh': 'aws s3 sync ./granite "s3://${BUCKET}/granite-3b/"\n',
      'isvc.yaml': stringify(isvc('s3://models/granite/3b')),
    });
    expect(unresolved).toEqual([]);
  });
});
