import { spawnSync } from 'child_process';
import { runChecks } from '../../lib';
import { cliInProcess, writeTree } from '../util';

type Doc = Record<string, unknown>;
const RULE = 'kserve-storage-credentials-missing';
const found = (docs: Doc[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve', rules: [RULE] },
  ).map((f) => [f.severity, f.object, f.message]);

const isvc = (predictor: Doc, annotations: Doc = {}): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'llm', annotations },
  spec: { predictor: { serviceAccountName: 'reader', model: { modelFormat: { name: 'vLLM' }, storageUri: 's3://team-models/chat-7b' }, ...predictor } },
});
const account = (extra: Doc = {}, annotations: Doc = {}): Doc => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'reader', namespace: 'llm', annotations },
  ...extra,
});
const secret = (name: string, stringData: Doc): Doc => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'llm' }, stringData });
const S3_KEYS = { AWS_ACCESS_KEY_ID: 'reader', AWS_SECRET_ACCESS_KEY: 'not-a-real-key' };

describe(RULE, () => {
  test('the ServiceAccount lists no secrets: a warning naming the URI, the account and the unlinked S3 Secret', () => {
    expect(found([isvc({}), account(), secret('bucket', S3_KEYS)])).toEqual([
      [
        'warning',
        'InferenceService/llm/chat',
        "spec.predictor.model.storageUri 's3://team-models/chat-7b' is downloaded by KServe's storage initializer with the credentials of the predictor's ServiceAccount/llm/reader, which lists no secrets; Secret/llm/bucket of the namespace holds S3 keys, but nothing links it to the account: " +
          'KServe gives the initializer no S3 keys and no serving.kserve.io/s3-endpoint, so it may read only a public AWS bucket; from a private bucket or a store other than AWS (MinIO, Ceph, OpenShift Data Foundation) the download fails and the predictor pod stays in its init container. ' +
          "List a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (annotated serving.kserve.io/s3-endpoint and serving.kserve.io/s3-usehttps for a store other than AWS) in the ServiceAccount's secrets:, or give spec.predictor.model.storage.key (the storage-config Secret's entry)",
      ],
    ]);
  });

  test("no serviceAccountName reads the namespace's default account; a listed Secret without the S3 key does not count", () => {
    const noName = isvc({ serviceAccountName: undefined });
    const defaultAccount = { ...account({ secrets: [{ name: 'pull' }] }), metadata: { name: 'default', namespace: 'llm' } };
    expect(found([noName, defaultAccount, secret('pull', { '.dockerconfigjson': '{}' })]).map((f) => f[2])).toEqual([
      expect.stringContaining(
        "with the credentials of the predictor's ServiceAccount/llm/default (no serviceAccountName: the namespace's default), which lists only 'pull', none with AWS_SECRET_ACCESS_KEY:",
      ),
    ]);
  });

  test('near misses: a linked S3 Secret, one not in the tree, a workload identity, a storage spec, a connection annotation, no account in the tree, another scheme', () => {
    expect(found([isvc({}), account({ secrets: [{ name: 'bucket' }] }), secret('bucket', S3_KEYS)])).toEqual([]);
    expect(found([isvc({}), account({ secrets: [{ name: 'made-elsewhere' }] })])).toEqual([]);
    expect(found([isvc({}), account({}, { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/model-reader' })])).toEqual([]);
    const storageSpec = isvc({ model: { modelFormat: { name: 'vLLM' }, storage: { key: 'team-bucket', path: 'chat-7b' } } });
    expect(found([storageSpec, account()])).toEqual([]);
    expect(found([isvc({}, { 'opendatahub.io/connections': 'team-bucket' }), account()])).toEqual([]);
    expect(found([isvc({})])).toEqual([]);
    expect(found([isvc({ model: { modelFormat: { name: 'vLLM' }, storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct' } }), account()])).toEqual([]);
  });

  test('an account a script creates with `create sa` and never links: judged as one with no secrets; a script that links one: not judged', async () => {
    const files = (extra: string) => ({
      'deploy/isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: chat, namespace: llm}\n' +
        'spec:\n  predictor:\n    serviceAccountName: reader\n    model: {modelFormat: {name: vLLM}, storageUri: "s3://team-models/chat-7b"}\n',
      'deploy/setup.sh': `#!/bin/sh\nkubectl create sa reader -n llm\n${extra}kubectl apply -f deploy/isvc.yaml\n`,
    });
    const messages = async (extra: string) => {
      const dir = writeTree('storage-credentials-', files(extra));
      expect(spawnSync('git', ['init', '-q'], { cwd: dir }).status).toBe(0);
      const { out } = await cliInProcess(['check', `${dir}/deploy`, '--platform', 'kserve', '--json']);
      return (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === RULE).map((f) => f.message);
    };
    expect(await messages('')).toEqual([
      expect.stringContaining(
        "with the credentials of the predictor's ServiceAccount 'reader' (setup.sh:2 creates it with no secrets), which lists no secrets:",
      ),
    ]);
    expect(await messages('kubectl patch sa reader -n llm -p \'{"secrets":[{"name":"bucket"}]}\'\n')).toEqual([]);
  });
});
