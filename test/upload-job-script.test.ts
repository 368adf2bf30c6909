import { execFile, execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Chart, Testing } from 'cdk8s';
import { ModelUploadJob, S3Connection } from '../lib';
import { startS3Server, TestS3Server } from './setup/s3-server';
import { keptWarnings, ROOT, tempDir, testApp } from './util';

/**
 * The upload Job's script, run with the real boto3 against a real S3 server on 127.0.0.1. The Hugging Face Hub
 * cannot be reached from here, so `huggingface_hub` is a small stand-in that serves a local folder as the
 * repository and logs what it is asked to download.
 */
const hasBoto3 = (() => {
  try {
    execFileSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasBoto3 && !process.env.CI) console.warn('skipped: python3 with boto3 is not on this machine (it is on the CI image)');
const suite = hasBoto3 || process.env.CI ? describe : describe.skip;

const FAKE_HUB = `
import fnmatch, json, os, shutil
SOURCE = os.environ["FAKE_HF_SOURCE"]
LOG = os.environ["FAKE_HF_LOG"]
class _Sibling:
    def __init__(self, name, size):
        self.rfilename, self.size = name, size
class _Info:
    def __init__(self, siblings):
        self.siblings, self.sha = siblings, "c0ffee0000000000000000000000000000000000"
class HfApi:
    def __init__(self, token=None):
        pass
    def model_info(self, repo, revision=None, files_metadata=False):
        assert files_metadata, "sizes are needed to judge completeness"
        out = []
        for root, _, files in os.walk(SOURCE):
            for f in files:
                p = os.path.join(root, f)
                out.append(_Sibling(os.path.relpath(p, SOURCE).replace(os.sep, "/"), os.path.getsize(p)))
        return _Info(sorted(out, key=lambda s: s.rfilename))
def snapshot_download(repo, revision=None, local_dir=None, allow_patterns=None, token=None):
    names = [s.rfilename for s in HfApi().model_info(repo, files_metadata=True).siblings
             if allow_patterns is None or any(fnmatch.fnmatch(s.rfilename, p) for p in allow_patterns)]
    with open(LOG, "a") as log:
        log.write(json.dumps(names) + "\\n")
    for n in names:
        os.makedirs(os.path.dirname(os.path.join(local_dir, n)) or local_dir, exist_ok=True)
        shutil.copyfile(os.path.join(SOURCE, n), os.path.join(local_dir, n))
    return local_dir
`;

suite('the upload Job script', () => {
  let s3: TestS3Server;
  let other: S3Client;
  const work = tempDir('upload-job-');
  const source = path.join(work, 'hub');
  const log = path.join(work, 'downloads.log');
  let script = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    s3 = await startS3Server(['models']);
    other = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    fs.mkdirSync(path.join(work, 'stub', 'huggingface_hub'), { recursive: true });
    fs.writeFileSync(path.join(work, 'stub', 'huggingface_hub', '__init__.py'), FAKE_HUB);
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'config.json'), '{"model_type": "mistral"}');
    fs.writeFileSync(path.join(source, 'tokenizer.json'), '{}');
    fs.writeFileSync(path.join(source, 'model-00001-of-00002.safetensors'), crypto.randomBytes(2 * 1024 * 1024));
    fs.writeFileSync(path.join(source, 'model-00002-of-00002.safetensors'), crypto.randomBytes(64 * 1024));
    fs.writeFileSync(
      path.join(source, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } }),
    );
    fs.writeFileSync(path.join(source, 'consolidated.safetensors'), crypto.randomBytes(1024)); // Mistral's duplicate, ignored
    fs.writeFileSync(path.join(source, '.gitattributes'), '*.safetensors filter=lfs');

    // the script and environment exactly as the construct renders them, pointed at the local server
    const chart = new Chart(testApp(), 'c', { namespace: 'ai' });
    const connection = new S3Connection(chart, 'S3', { secretName: 'models-s3', endpoint: s3.endpoint, bucket: 'models' });
    new ModelUploadJob(chart, 'Up', { connection, modelPath: 'mistral/', huggingFaceRepo: 'mistralai/Mistral-Small-24B-Instruct-2501' });
    // the connection's Secret is made outside the app (a warning of synth, test/apps/jobs.ts reads it)
    const warnings = keptWarnings(chart);
    const objects = Testing.synth(chart);
    expect(warnings).toEqual([expect.stringMatching(/^warning secret-not-in-tree Job\/ai\/upload-mistral: references Secret models-s3 in 'ai'/)]);
    script = objects.find((o: any) => o.kind === 'ConfigMap').data['upload_model.py'];
    const container = objects.find((o: any) => o.kind === 'Job').spec.template.spec.containers[0];
    env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    fs.writeFileSync(path.join(work, 'upload_model.py'), script);
  });
  afterAll(async () => {
    other.destroy();
    await s3.close();
  });

  const runJob = () =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        'python3',
        [path.join(work, 'upload_model.py')],
        {
          env: {
            ...env,
            PATH: process.env.PATH!,
            HOME: work,
            PYTHONPATH: path.join(work, 'stub'),
            LOCAL_DIR: path.join(work, 'pvc', 'mistral'),
            AWS_ACCESS_KEY_ID: s3.accessKeyId,
            AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
            FAKE_HF_SOURCE: source,
            FAKE_HF_LOG: log,
          },
        },
        (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
  const stored = async () =>
    Object.fromEntries(
      ((await other.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: 'mistral/' }))).Contents ?? []).map((o) => [
        o.Key!.slice('mistral/'.length),
        o.Size,
      ]),
    );
  const downloads = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];

  test('first run: downloads and uploads every file of the snapshot except the ignored ones', async () => {
    const r = await runJob();
    expect(r).toEqual({ code: 0, out: expect.stringContaining('complete: s3://models/mistral/ (5 files)') });
    expect(Object.keys(await stored()).sort()).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
      'tokenizer.json',
    ]);
    expect(downloads()).toHaveLength(1);
    const head = await other.send(new HeadObjectCommand({ Bucket: 'models', Key: 'mistral/model-00001-of-00002.safetensors' }));
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(source, 'model-00001-of-00002.safetensors')))
      .digest('hex');
    expect(head.Metadata).toMatchObject({ sha256: sha, 'hf-repo': 'mistralai/Mistral-Small-24B-Instruct-2501' });
  });

  test('second run: the model is complete, nothing is downloaded or uploaded', async () => {
    const r = await runJob();
    expect(r.out).toContain('already holds every file with the right size; nothing to do');
    expect(downloads()).toHaveLength(1);
  });

  test('a shard deleted from S3 is the only file fetched and uploaded again; the CLI agrees it is complete', async () => {
    await other.send(new DeleteObjectCommand({ Bucket: 'models', Key: 'mistral/model-00002-of-00002.safetensors' }));
    const r = await runJob();
    expect(r.out).toContain('1 of 5 files missing or different');
    expect(downloads()[1]).toEqual(['model-00002-of-00002.safetensors']);
    expect((await stored())['model-00002-of-00002.safetensors']).toBe(64 * 1024);
    // asynchronously: the S3 server runs in this process
    const v = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        'node',
        [path.join(ROOT, 'scripts', 'run-cli.js'), 'verify', 's3://models/mistral/', '--endpoint', s3.endpoint],
        {
          env: { ...process.env, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
        },
        (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
    expect(v).toEqual({ code: 0, out: expect.stringMatching(/^complete {4}s3:\/\/models\/mistral\/ \(5 files/) });
  });
});
