import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as YAML from 'yaml';
import { createS3Client, parseS3Uri, uploadModel } from '../lib/s3';
import { tempDir } from './setup/scratch';
import { CLI, cli, cliProcess, faultServer, freePort, keys, listingXml, makeModel, other, s3, useS3Server, xml } from './setup/s3-cli';

useS3Server();

describe('upload → verify → damage → verify → repair, against a real S3 server on 127.0.0.1', () => {
  const dir = makeModel();

  test('upload puts every file (not hidden ones) under the prefix, multipart for the large shard, and verifies', async () => {
    const r = await cli(['upload', dir, 's3://models/mistral/', '--endpoint', s3.endpoint, '--part-size-mib', '5', '--concurrency', '2']);
    expect(r.out).toMatch(/6 uploaded, 0 skipped/);
    expect(r.out).toMatch(/complete: s3:\/\/models\/mistral\/ \(6 files\)/);
    expect(r.code).toBe(0);
    const sizes = Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .map((f) => [f, fs.statSync(path.join(dir, f)).size]),
    );
    expect(Object.keys(sizes)).toHaveLength(6);
    expect(await keys('mistral/')).toEqual(sizes);
  });

  test('verify says complete with the total size', async () => {
    const r = await cli(['verify', 's3://models/mistral/', '--endpoint', s3.endpoint]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^complete {4}s3:\/\/models\/mistral\/ \(6 files, 0\.01 GB, 2 weight shards\)/m);
  });

  test('a shard removed by another client is named by verify, and a re-upload repairs only it', async () => {
    await other.send(new DeleteObjectCommand({ Bucket: 'models', Key: 'mistral/model-00002-of-00002.safetensors' }));
    const broken = await cli(['verify', 's3://models/mistral/', '--endpoint', s3.endpoint, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out).models[0]).toMatchObject({ complete: false, missing: ['model-00002-of-00002.safetensors'], empty: [] });
    const repair = await cli(['upload', dir, 's3://models/mistral/', '--endpoint', s3.endpoint]);
    expect(repair.out).toMatch(/uploaded {2}model-00002-of-00002.safetensors/);
    expect(repair.out).toMatch(/1 uploaded, 5 skipped/);
    expect((await cli(['verify', 's3://models/mistral/', '--endpoint', s3.endpoint])).code).toBe(0);
  });

  test('an empty shard is named as empty; a changed local file is uploaded again (checksum, not just size)', async () => {
    await other.send(new PutObjectCommand({ Bucket: 'models', Key: 'mistral/model-00002-of-00002.safetensors', Body: Buffer.alloc(0) }));
    const r = await cli(['verify', 's3://models/mistral/', '--endpoint', s3.endpoint]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/empty: {3}model-00002-of-00002.safetensors/);
    // same size, different bytes: only the checksum can tell
    const tok = path.join(dir, 'tokenizer.json');
    const text = fs.readFileSync(tok, 'utf8');
    fs.writeFileSync(tok, text.replace('BPE', 'XYZ'));
    const client = createS3Client({ endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const result = await uploadModel(client, dir, parseS3Uri('s3://models/mistral/'), { endpoint: s3.endpoint });
    expect(result.uploaded).toEqual(['model-00002-of-00002.safetensors', 'tokenizer.json']);
    expect(result.verify.complete).toBe(true);
    client.destroy();
  });
});

describe('interrupted uploads', () => {
  test('a killed upload leaves no half object under a final key, and the next run resumes', async () => {
    const dir = makeModel(40);
    const child: ChildProcess = spawn(
      'node',
      [CLI, 'upload', dir, 's3://models/resume/', '--endpoint', s3.endpoint, '--part-size-mib', '5', '--concurrency', '1'],
      {
        env: { PATH: process.env.PATH!, HOME: os.tmpdir(), AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey },
      },
    );
    // files go in sorted order: kill once the first has landed, while the 40 MiB shard is in flight
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d) => {
        if (/uploaded {2}config.json/.test(String(d))) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.on('exit', r));
    const expected: Record<string, number> = Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .map((f) => [f, fs.statSync(path.join(dir, f)).size]),
    );
    const present = await keys('resume/');
    for (const [k, size] of Object.entries(present)) expect({ k, size }).toEqual({ k, size: expected[k] });
    expect(Object.keys(present).length).toBeLessThan(Object.keys(expected).length);
    // the next run as a process too: its exit code is the process's
    const rerun = await cliProcess(['upload', dir, 's3://models/resume/', '--endpoint', s3.endpoint]);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toMatch(new RegExp(`${Object.keys(expected).length - Object.keys(present).length} uploaded, ${Object.keys(present).length} skipped`));
    expect(await keys('resume/')).toEqual(expected);
  });
});

describe('inspect', () => {
  test("reads config.json and the index from S3 into the planner's profile, and saves them with --out", async () => {
    const dir = makeModel(1);
    await cli(['upload', dir, 's3://models/inspect/', '--endpoint', s3.endpoint]);
    const out = tempDir('inspect-');
    const r = await cli(['inspect', 's3://models/inspect/', '--endpoint', s3.endpoint, '--json', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      layers: 40,
      hiddenSize: 5120,
      attentionHeads: 32,
      kvHeads: 8,
      headDim: 128,
      vocabSize: 131072,
      dtype: 'bfloat16',
      quantization: null,
      weightBytes: 47144806400,
      weightSource: 'index',
    });
    expect(fs.readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors.index.json']);
    const plan = await cli(['plan', '--model', out, '--gpu', 'L4', '--tensor-parallel-size', '4', '--max-model-len', '32768', '--json']);
    expect(JSON.parse(plan.out).outcome).toBe('ok');
  });
});

describe('errors say what is wrong and what to do', () => {
  test('wrong credentials', async () => {
    const r = await cli(['verify', 's3://models/mistral/', '--endpoint', s3.endpoint], { AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY000000' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the access key id is not known to http:\/\/127\.0\.0\.1:\d+ \(InvalidAccessKeyId\); check AWS_ACCESS_KEY_ID/);
  });

  test('a missing bucket is named', async () => {
    const r = await cli(['verify', 's3://no-such-bucket/m/', '--endpoint', s3.endpoint]);
    expect(r.out).toMatch(/bucket 'no-such-bucket' does not exist at http:\/\/127\.0\.0\.1:\d+/);
  });

  test('an unreachable endpoint is named', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await cli(['verify', 's3://models/m/', '--endpoint', dead]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`cannot reach ${dead}`);
  });

  test('an empty prefix: verify says nothing was uploaded, inspect says so too', async () => {
    const v = await cli(['verify', 's3://models/nothing-here/', '--endpoint', s3.endpoint]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/INCOMPLETE {2}s3:\/\/models\/nothing-here\/ \(the prefix is empty: nothing was uploaded there\)/);
    const i = await cli(['inspect', 's3://models/nothing-here/', '--endpoint', s3.endpoint]);
    expect(i.out).toMatch(/is empty: nothing is stored under that prefix/);
  });

  test('throttling is retried with backoff; when it persists the message says so', async () => {
    const { explainS3Error } = await import('../lib/s3');
    expect(explainS3Error({ name: 'SlowDown', $metadata: { attempts: 5 } }, { action: 'listing s3://m/x/', endpoint: 'http://minio:9000' })).toBe(
      'listing s3://m/x/: http://minio:9000 kept throttling after 5 attempts with backoff; lower --concurrency or retry later',
    );
    expect(explainS3Error({ name: 'SignatureDoesNotMatch' }, { action: 'a', endpoint: 'e' })).toMatch(
      /secret access key does not match .*AWS_SECRET_ACCESS_KEY/,
    );
    expect(explainS3Error({ name: 'AccessDenied' }, { action: 'a', location: { bucket: 'models', prefix: '' } })).toMatch(/access denied to bucket 'models'/);
    const client = createS3Client({ endpoint: s3.endpoint });
    expect(await client.config.maxAttempts()).toBe(3);
    client.destroy();
  });
});

describe('endpoints that do not answer as S3 does', () => {
  test('verify against an endpoint that accepts connections and never replies ends within 30 s, naming it', async () => {
    const silent = require('net').createServer(() => undefined); // accepts, reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${silent.address().port}`;
    const started = Date.now();
    const r = await cli(['verify', 's3://models/m/', '--endpoint', endpoint]);
    const seconds = (Date.now() - started) / 1000;
    silent.close();
    expect(seconds).toBeLessThan(30);
    expect(r.code).toBe(1);
    expect(r.out).toContain(endpoint);
    expect(r.out).toMatch(/accepted no request in time/);
  }, 60_000);

  test('https:// against a plain HTTP server is explained, not a raw OpenSSL error', async () => {
    // a process: Node's TLS error comes from outside jest's realm, where the AWS SDK takes it for no Error and wraps it
    const r = await cliProcess(['verify', 's3://models/m/', '--endpoint', s3.endpoint.replace('http://', 'https://'), '--max-attempts', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/does not speak TLS .*write http:\/\//);
  });

  test('timeouts and attempts are options, checked as numbers', async () => {
    // a process: a usage error's exit code is the process's
    const r = await cliProcess(['verify', 's3://models/m/', '--endpoint', s3.endpoint, '--request-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--request-timeout must be a number/);
  });
});

describe('verify without a location reads the rendered tree', () => {
  test('every s3:// location of the InferenceServices under --tree is verified', async () => {
    const tree = tempDir('tree-');
    const isvc = (name: string, uri: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, storageUri: uri } } },
    });
    fs.writeFileSync(
      path.join(tree, 'a.yaml'),
      [isvc('a', 's3://models/mistral/'), isvc('b', 's3://models/absent/')].map((m) => YAML.stringify(m)).join('---\n'),
    );
    const r = await cli(['verify', '--tree', tree, '--endpoint', s3.endpoint, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).models.map((m: any) => [m.location, m.complete])).toEqual([
      ['s3://models/absent/', false],
      ['s3://models/mistral/', true],
    ]);
  });
});

describe('verify reads the weight index and the listing without trusting their types', () => {
  const put = (key: string, body: string) => other.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: body }));
  async function modelWithIndex(prefix: string, index: string, shards: string[] = ['model-00001-of-00001.safetensors']) {
    await put(`${prefix}config.json`, '{"model_type": "mistral"}');
    await put(`${prefix}tokenizer.json`, '{}');
    await put(`${prefix}model.safetensors.index.json`, index);
    for (const s of shards) await put(`${prefix}${s}`, 'weights');
  }

  test.each([
    ['that is null', 'null', [/model\.safetensors\.index\.json is null, not a JSON object with a weight_map/]],
    ['that is an array', '[1, 2]', [/is an array \(\[1,2\]\), not a JSON object/]],
    ['that is a string', '"weights"', [/is the string "weights", not a JSON object/]],
    ['that is not JSON', '{"weight_map": ', [/model\.safetensors\.index\.json is not valid JSON/]],
    ['without weight_map', '{"metadata": {}}', [/has no weight_map/]],
    ['with a weight_map list', '{"weight_map": ["a.safetensors"]}', [/weight_map is an array \(\["a\.safetensors"\]\), not an object/]],
    [
      'with entries that are not file names',
      '{"weight_map": {"lm_head.weight": 42, "embed": {"file": "x"}, "norm": null, "ok": "model-00001-of-00001.safetensors"}}',
      [
        /weight_map\["lm_head\.weight"\] is 42, not a file name/,
        /weight_map\["embed"\] is an object \(\{"file":"x"\}\), not a file name/,
        /weight_map\["norm"\] is null/,
      ],
    ],
    [
      'naming a path out of its folder',
      '{"weight_map": {"a": "../other/model.safetensors"}}',
      [/weight_map\["a"\] names "\.\.\/other\/model\.safetensors", outside the model folder/],
    ],
    [
      'with a negative total_size',
      '{"metadata": {"total_size": -5}, "weight_map": {"a": "model-00001-of-00001.safetensors"}}',
      [/metadata\.total_size is -5, not a whole non-negative number of bytes/],
    ],
    ['with an empty weight_map', '{"weight_map": {}}', [/weight_map is empty/]],
  ])('a weight index %s: a finding naming the field, never a crash', async (what, index, messages) => {
    const prefix = `index-${what.replace(/\W+/g, '-')}/`;
    await modelWithIndex(prefix, index);
    const r = await cli(['verify', `s3://models/${prefix}`, '--endpoint', s3.endpoint, '--json']);
    expect(r.code).toBe(1);
    const model = JSON.parse(r.out).models[0];
    expect(model.complete).toBe(false);
    for (const m of messages) expect(model.invalid.join('\n')).toMatch(m);
    const text = await cli(['verify', `s3://models/${prefix}`, '--endpoint', s3.endpoint]);
    expect(text.out).toMatch(/^ {14}invalid: model\.safetensors\.index\.json/m);
    expect(text.out).not.toMatch(/TypeError|\[object Object\]|Cannot read/);
  });

  test('inspect refuses a null index with a message, not a TypeError', async () => {
    await modelWithIndex('inspect-null/', 'null');
    const r = await cli(['inspect', 's3://models/inspect-null/', '--endpoint', s3.endpoint]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('cdk8s-vllm inspect: s3://models/inspect-null/model.safetensors.index.json is null, not a JSON object with a weight_map');
  });

  test('a negative or fractional size in the listing never counts as complete', async () => {
    const files = (size: number | string) => [
      { key: 'm/config.json', size: 40 },
      { key: 'm/tokenizer.json', size: 2 },
      { key: 'm/model.safetensors', size },
    ];
    const negative = await faultServer((_req, res) => xml(res, 200, listingXml(files(-5))));
    const fraction = await faultServer((_req, res) => xml(res, 200, listingXml(files('1.5'))));
    try {
      for (const [f, shown] of [
        [negative, '-5'],
        [fraction, '1.5'],
      ] as const) {
        const r = await cli(['verify', 's3://models/m/', '--endpoint', f.endpoint, '--json']);
        expect(r.code).toBe(1);
        const model = JSON.parse(r.out).models[0];
        expect(model.complete).toBe(false);
        expect(model.invalid).toEqual([`the listing gives model.safetensors a size of ${shown}, not a whole non-negative number of bytes`]);
        expect(model.totalBytes).toBe(42);
      }
    } finally {
      await negative.close();
      await fraction.close();
    }
  });
});
