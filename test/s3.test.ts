import { ChildProcess, execFile, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as YAML from 'yaml';
import { createS3Client, inspectModel, parseS3Uri, uploadModel } from '../lib/s3';
import { startS3Server, TestS3Server } from './setup/s3-server';
import { ROOT, tempDir } from './util';

const CLI = path.join(ROOT, 'scripts', 'run-cli.js');
let s3: TestS3Server;
let other: S3Client; // "another client": plain SDK, not the tool under test

interface CliResult {
  code: number;
  out: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [CLI, ...args],
      {
        env: {
          PATH: process.env.PATH!,
          HOME: os.tmpdir(),
          AWS_ACCESS_KEY_ID: s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
          ...env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as any).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** A small Hugging Face-shaped model: config, tokenizer, index and two shards (one large enough to go multipart). */
function makeModel(bigMiB = 12): string {
  const dir = tempDir('model-');
  fs.copyFileSync(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501', 'config.json'), path.join(dir, 'config.json'));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE' } }));
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), '{}');
  fs.writeFileSync(path.join(dir, 'model-00001-of-00002.safetensors'), crypto.randomBytes(bigMiB * 1024 * 1024));
  fs.writeFileSync(path.join(dir, 'model-00002-of-00002.safetensors'), crypto.randomBytes(300 * 1024));
  fs.writeFileSync(
    path.join(dir, 'model.safetensors.index.json'),
    JSON.stringify({
      metadata: { total_size: 47144806400 },
      weight_map: { 'model.embed_tokens.weight': 'model-00001-of-00002.safetensors', 'lm_head.weight': 'model-00002-of-00002.safetensors' },
    }),
  );
  fs.mkdirSync(path.join(dir, '.cache'));
  fs.writeFileSync(path.join(dir, '.cache', 'lock'), 'not uploaded');
  return dir;
}

async function keys(prefix: string): Promise<Record<string, number>> {
  const r = await other.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: prefix }));
  return Object.fromEntries((r.Contents ?? []).map((o) => [o.Key!.slice(prefix.length), o.Size!]));
}

beforeAll(async () => {
  s3 = await startS3Server(['models']);
  other = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
});
afterAll(async () => {
  other.destroy();
  await s3.close();
});

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
    const rerun = await cli(['upload', dir, 's3://models/resume/', '--endpoint', s3.endpoint]);
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
    const r = await cli(['verify', 's3://models/m/', '--endpoint', s3.endpoint.replace('http://', 'https://'), '--max-attempts', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/does not speak TLS .*write http:\/\//);
  });

  test('timeouts and attempts are options, checked as numbers', async () => {
    const r = await cli(['verify', 's3://models/m/', '--endpoint', s3.endpoint, '--request-timeout', 'soon']);
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

/** A small HTTP server on 127.0.0.1 that answers as a faulty S3 endpoint would; `sent` counts the body bytes it wrote. */
interface FaultServer {
  endpoint: string;
  port: number;
  sent: number;
  close(): Promise<void>;
}

async function faultServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, server: FaultServer) => void): Promise<FaultServer> {
  const srv = http.createServer((req, res) => handler(req, res, fault));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  const fault: FaultServer = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    sent: 0,
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
  return fault;
}

/** A ListObjectsV2 page as S3 writes it (S3 API reference, ListObjectsV2 response syntax). */
function listingXml(contents: { key: string; size: number | string }[], page: { truncated?: boolean; token?: string } = {}): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>models</Name><Prefix>m/</Prefix>' +
    `<KeyCount>${contents.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${page.truncated ? 'true' : 'false'}</IsTruncated>` +
    (page.token ? `<NextContinuationToken>${page.token}</NextContinuationToken>` : '') +
    contents.map((c) => `<Contents><Key>${c.key}</Key><Size>${c.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
    '</ListBucketResult>'
  );
}

function xml(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(body);
}

async function timed(run: Promise<CliResult>): Promise<CliResult & { seconds: number }> {
  const started = Date.now();
  const r = await run;
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

describe('hostile and broken endpoints: bounded in time and memory, and named', () => {
  const faults: FaultServer[] = [];
  const servers: net.Server[] = [];
  afterAll(async () => {
    await Promise.all(faults.map((f) => f.close()));
    for (const s of servers) s.close();
  });
  const start = async (handler: Parameters<typeof faultServer>[0]) => {
    const f = await faultServer(handler);
    faults.push(f);
    return f;
  };

  test('an endpoint that trickles one byte every 2 s (headers or body) fails verify, inspect and upload within 30 s with default options', async () => {
    // headers: a raw socket that writes the status line one byte at a time
    const headers = net.createServer((socket) => {
      const reply = 'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n';
      let i = 0;
      const t = setInterval(() => i < reply.length && socket.write(reply[i++]), 2000);
      socket.on('error', () => undefined);
      socket.on('close', () => clearInterval(t));
    });
    servers.push(headers);
    await new Promise<void>((resolve) => headers.listen(0, '127.0.0.1', resolve));
    const headersEndpoint = `http://127.0.0.1:${(headers.address() as AddressInfo).port}`;
    const body = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const t = setInterval(() => res.write('<'), 2000);
      res.on('close', () => clearInterval(t));
    });
    const dir = makeModel(1);
    const runs = await Promise.all(
      [headersEndpoint, body.endpoint].flatMap((endpoint) => [
        timed(cli(['verify', 's3://models/m/', '--endpoint', endpoint])),
        timed(cli(['inspect', 's3://models/m/', '--endpoint', endpoint])),
        timed(cli(['upload', dir, 's3://models/m/', '--endpoint', endpoint])),
      ]),
    );
    for (const [i, r] of runs.entries()) {
      const endpoint = i < 3 ? headersEndpoint : body.endpoint;
      expect({ i, code: r.code, fast: r.seconds < 30 }).toEqual({ i, code: 1, fast: true });
      expect(r.out).toContain(endpoint);
      expect(r.out).toMatch(
        i < 3
          ? /sent no complete answer \(status line and headers\) within 20 s, the deadline of one request/
          : /answered HTTP 200 but sent only \d+ bytes of the body within 20 s/,
      );
    }
  }, 60_000);

  test('--deadline is an option, checked as a number, and shortens the bound', async () => {
    const body = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const t = setInterval(() => res.write(' '), 500);
      res.on('close', () => clearInterval(t));
    });
    const r = await timed(cli(['verify', 's3://models/m/', '--endpoint', body.endpoint, '--deadline', '2']));
    expect(r.code).toBe(1);
    expect(r.seconds).toBeLessThan(8);
    expect(r.out).toMatch(/within 2 s, the deadline of one request \(--deadline\)/);
    expect((await cli(['verify', 's3://models/m/', '--deadline', 'soon'])).out).toMatch(/--deadline must be a number/);
  });

  test('the deadline and the size cap hold while an object is read, after a good listing', async () => {
    const files = [
      { key: 'm/config.json', size: 1_000_000 },
      { key: 'm/tokenizer.json', size: 2 },
    ];
    const trickle = await start((req, res) => {
      if (req.url?.includes('list-type=2')) return xml(res, 200, listingXml(files));
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 300);
      res.on('close', () => clearInterval(t));
    });
    const slow = await timed(cli(['inspect', 's3://models/m/', '--endpoint', trickle.endpoint, '--deadline', '2']));
    expect(slow.code).toBe(1);
    expect(slow.seconds).toBeLessThan(8);
    expect(slow.out).toMatch(
      /reading s3:\/\/models\/m\/config\.json: http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 but sent only \d+ bytes of the body within 2 s/,
    );

    const big = await start((req, res) => {
      if (req.url?.includes('list-type=2')) return xml(res, 200, listingXml(files));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad": "${'x'.repeat(1_000_000)}"}`);
    });
    const client = createS3Client({ endpoint: big.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxResponseBytes: 64 * 1024 });
    await expect(inspectModel(client, parseS3Uri('s3://models/m/'), big.endpoint)).rejects.toThrow(
      new RegExp(`reading s3://models/m/config.json: .*${big.endpoint} sent more than 64 KiB for one object; the answer was not read further`),
    );
    client.destroy();
  });

  test('a listing that repeats its continuation token, gives none, or never ends is an error naming it', async () => {
    let n = 0;
    const same = await start((_req, res) => xml(res, 200, listingXml([], { truncated: true, token: 'same' })));
    const none = await start((_req, res) => xml(res, 200, listingXml([{ key: 'm/config.json', size: 10 }], { truncated: true })));
    const endless = await start((_req, res) => xml(res, 200, listingXml([], { truncated: true, token: `t${n++}` })));
    const [a, b, c] = await Promise.all([same, none, endless].map((f) => timed(cli(['verify', 's3://models/m/', '--endpoint', f.endpoint]))));
    expect(a.out).toContain(`listing s3://models/m/: ${same.endpoint} sent continuation token 'same' a second time (page 2): its listing loops`);
    expect(b.out).toContain(`${none.endpoint} says page 1 is truncated but gives no continuation token`);
    expect(c.out).toContain(`${endless.endpoint} still says 'truncated' after 1000 pages (0 objects), more than any model holds`);
    expect(n).toBe(1000);
    for (const r of [a, b, c]) expect(r.code).toBe(1);
  }, 60_000);

  test('redirects: another host is named with its location; the same resource over another port is followed and noted; loops and long chains end', async () => {
    const elsewhere = await start((req, res) => {
      res.writeHead(301, { location: `https://s3.eu-west-1.example.com${req.url}`, 'x-amz-bucket-region': 'eu-west-1' });
      res.end();
    });
    const r = await cli(['verify', 's3://models/m/', '--endpoint', elsewhere.endpoint]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /redirected \(HTTP 301 Moved Permanently\) to https:\/\/s3\.eu-west-1\.example\.com\/models\/\?list-type=2&prefix=m%2F \(the bucket is in region eu-west-1: pass --region eu-west-1\)/,
    );
    expect(r.out).not.toMatch(/UnknownError/);

    // 307 to the real server, same host, path and query: the signed request stays valid there
    const proxy = await start((req, res) => {
      res.writeHead(307, { location: `${s3.endpoint}${req.url}` });
      res.end();
    });
    const followed = await cli(['verify', 's3://models/mistral/', '--endpoint', proxy.endpoint]);
    expect(followed.out).toMatch(/^complete {4}s3:\/\/models\/mistral\//m);
    expect(followed.out).toContain(`note: ${proxy.endpoint} redirects (HTTP 307) to ${s3.endpoint}; pass --endpoint ${s3.endpoint} to skip the redirect`);
    expect(followed.code).toBe(0);

    // S3's own answer to a bucket in another region carries no Location, only the region
    const region = await start((_req, res) => {
      res.writeHead(301, { 'x-amz-bucket-region': 'eu-west-1', 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>',
      );
    });
    expect((await cli(['verify', 's3://models/m/', '--endpoint', region.endpoint])).out).toContain(
      `${region.endpoint} answered HTTP 301 Moved Permanently without a Location to go to (the bucket is in region eu-west-1: pass --region eu-west-1)`,
    );

    // an upload is never sent twice, even to the same resource
    const putRedirect = await start((req, res) => {
      if (req.method === 'GET') return xml(res, 200, listingXml([]));
      res.writeHead(307, { location: `${s3.endpoint}${req.url}` });
      res.end();
    });
    const put = await cli(['upload', makeModel(1), 's3://models/m/', '--endpoint', putRedirect.endpoint, '--concurrency', '1']);
    expect(put.code).toBe(1);
    expect(put.out).toMatch(/redirected \(HTTP 307 Temporary Redirect\) to http:\/\/127\.0\.0\.1:\d+\/models\/m\/config\.json.*; an upload is not sent twice/);

    const loop = await start((req, res) => {
      res.writeHead(302, { location: req.url });
      res.end();
    });
    expect((await cli(['verify', 's3://models/m/', '--endpoint', loop.endpoint])).out).toMatch(
      /redirects in a loop \(HTTP 302 Found\): http:\/\/127\.0\.0\.1:\d+\/models\/\?list-type=2&prefix=m%2F → http/,
    );

    // a chain of 12 servers, each sending the same request to the next port
    const chain: FaultServer[] = [];
    for (let i = 0; i < 12; i++) {
      chain.push(
        await start((req, res) => {
          res.writeHead(308, { location: `${chain[(i + 1) % chain.length].endpoint}${req.url}` });
          res.end();
        }),
      );
    }
    const long = await cli(['verify', 's3://models/m/', '--endpoint', chain[0].endpoint]);
    expect(long.code).toBe(1);
    expect(long.out).toMatch(/redirected more than 10 times \(HTTP 308 Permanent Redirect\)/);
  }, 60_000);

  test('what the server sent is named: an HTML page, an S3 error code, a non-S3 error body, a reset connection', async () => {
    const console_ = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>MinIO Console</title></head><body></body></html>');
    });
    const code = await start((_req, res) =>
      xml(res, 403, '<?xml version="1.0"?><Error><Code>AccountProblem</Code><Message>The account is suspended.</Message></Error>'),
    );
    const gateway = await start((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream connect error or disconnect/reset before headers\nretried and the latest reset reason: connection failure');
    });
    const reset = await start((req) => req.socket.destroy());
    const [html, xmlCode, plain, rst, inspectHtml] = await Promise.all([
      cli(['verify', 's3://models/m/', '--endpoint', console_.endpoint]),
      cli(['verify', 's3://models/m/', '--endpoint', code.endpoint]),
      cli(['verify', 's3://models/m/', '--endpoint', gateway.endpoint, '--max-attempts', '1']),
      cli(['verify', 's3://models/m/', '--endpoint', reset.endpoint]),
      cli(['inspect', 's3://models/m/', '--endpoint', console_.endpoint]),
    ]);
    for (const r of [html, inspectHtml]) {
      expect(r.out).toContain(`the endpoint ${console_.endpoint} answered with an HTML page, not S3 (is it the console URL?): HTTP 200, page 'MinIO Console'`);
      expect(r.out).not.toMatch(/nothing (was uploaded|is stored)/);
    }
    expect(xmlCode.out).toMatch(/AccountProblem: The account is suspended\./);
    expect(plain.out).toContain(
      `${gateway.endpoint} answered HTTP 502 Bad Gateway, not an S3 error document: 'upstream connect error or disconnect/reset before headers'`,
    );
    expect(rst.out).toMatch(/reset the connection \(ECONNRESET/);
    expect(rst.out).not.toMatch(/in time|timeout|timed out/i);
    for (const r of [html, xmlCode, plain, rst, inspectHtml]) expect(r.code).toBe(1);
  }, 60_000);

  test('a 400 MB error body is read only up to its cap: the client hangs up after kilobytes, in well under the deadline', async () => {
    const huge = await start((_req, res, self) => {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>');
      const chunk = Buffer.alloc(1 << 20, 'a');
      const pump = () => {
        while (self.sent < 400 * 2 ** 20 && !res.destroyed) {
          self.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('</Message></Error>');
      };
      pump();
    });
    const r = await timed(cli(['verify', 's3://models/m/', '--endpoint', huge.endpoint]));
    expect(r.code).toBe(1);
    expect(r.seconds).toBeLessThan(10);
    expect(r.out).toMatch(/answered HTTP 400 \(InvalidArgument\) with an error document over 64 KiB, which no S3 server sends; not read further/);
    // what was written before the client closed: socket buffers, not the 400 MB
    expect(huge.sent).toBeLessThan(64 * 2 ** 20);
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = require('net').createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
