/** The S3 server, the CLI runner and the faulty endpoints that the S3 test files share. */
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../../lib/cli/main';
import { startS3Server, TestS3Server } from './s3-server';
import { ROOT, tempDir } from './scratch';

export const CLI = path.join(ROOT, 'scripts', 'run-cli.js');
export let s3: TestS3Server;
export let other: S3Client; // "another client": plain SDK, not the tool under test

export interface CliResult {
  code: number;
  out: string;
}

/** The environment a CLI run sees for its S3 settings: the server's keys and no file of the machine's (HOME is a scratch folder). */
function cliEnv(env: Record<string, string>): Record<string, string> {
  return {
    HOME: os.tmpdir(),
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
}

/** `cdk8s-vllm <args>` in its own node process (scripts/run-cli.js): for what only a process shows (its exit, a signal). */
export function cliProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { PATH: process.env.PATH!, ...cliEnv(env) } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as any).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** The process environment of the in-process runs, and how many run in it now. */
let running: { env: string; count: number; saved: Record<string, string | undefined> } | undefined;

/** Sets `env` as the only AWS_* settings (and HOME) of this process until the last run that uses it ends. */
function enterEnv(env: Record<string, string>): () => void {
  const key = JSON.stringify(env);
  // runs at the same time share one process environment: they must ask for the same one
  if (running && running.env !== key) throw new Error(`CLI runs at the same time with different environments: ${running.env} and ${key}`);
  if (!running) {
    const names = [...Object.keys(process.env).filter((n) => n.startsWith('AWS_')), ...Object.keys(env)];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    for (const n of names) delete process.env[n];
    Object.assign(process.env, env);
    running = { env: key, count: 0, saved };
  }
  running.count++;
  return () => {
    if (--running!.count > 0) return;
    for (const [n, v] of Object.entries(running!.saved)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
    running = undefined;
  };
}

/**
 * `cdk8s-vllm <args>` run in this process (the CLI's runCli with its output collected): the exit code, stdout and
 * stderr after it, as a child process gives them, with the same environment (the server's keys, no AWS file of the
 * machine's). A node process of the CLI costs about 0.5 s of CPU to start and load the AWS SDK; here the SDK loads
 * once a suite. Runs given at once share the process environment, so they must ask for the same one.
 */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const leave = enterEnv(cliEnv(env));
  let stdout = '';
  let stderr = '';
  try {
    const code = await runCli(args, {
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
      stdin: () => {
        throw new Error('the S3 commands read no standard input');
      },
    });
    return { code, out: `${stdout}${stderr}` };
  } finally {
    leave();
  }
}

/** A small Hugging Face-shaped model: config, tokenizer, index and two shards (one large enough to go multipart). */
export function makeModel(bigMiB = 12): string {
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

export async function keys(prefix: string): Promise<Record<string, number>> {
  const r = await other.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: prefix }));
  return Object.fromEntries((r.Contents ?? []).map((o) => [o.Key!.slice(prefix.length), o.Size!]));
}

/** Starts the S3 server (and the other client) before the calling test file, stops it after. */
export function useS3Server(): void {
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
}

/** A small HTTP server on 127.0.0.1 that answers as a faulty S3 endpoint would; `sent` counts the body bytes it wrote. */
export interface FaultServer {
  endpoint: string;
  port: number;
  sent: number;
  close(): Promise<void>;
}

export async function faultServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, server: FaultServer) => void): Promise<FaultServer> {
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
export function listingXml(contents: { key: string; size: number | string }[], page: { truncated?: boolean; token?: string } = {}): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>models</Name><Prefix>m/</Prefix>' +
    `<KeyCount>${contents.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${page.truncated ? 'true' : 'false'}</IsTruncated>` +
    (page.token ? `<NextContinuationToken>${page.token}</NextContinuationToken>` : '') +
    contents.map((c) => `<Contents><Key>${c.key}</Key><Size>${c.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
    '</ListBucketResult>'
  );
}

export function xml(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(body);
}

export async function timed(run: Promise<CliResult>): Promise<CliResult & { seconds: number }> {
  const started = Date.now();
  const r = await run;
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = require('net').createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
