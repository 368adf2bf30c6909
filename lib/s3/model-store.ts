import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ModelProfile } from '../planning/model-profile';
import { explainS3Error } from './s3-errors';
import { formatS3Uri, S3Location } from './s3-location';
import { Loose } from '../manifests/access';

/** An object under a model prefix. */
export interface StoredFile {
  /** Key relative to the prefix. */
  readonly name: string;
  readonly size: number;
}

/** What `verifyModel` found. */
export interface VerifyResult {
  readonly location: string;
  readonly complete: boolean;
  /** Objects under the prefix. */
  readonly files: number;
  readonly totalBytes: number;
  /** Files the model needs that are not there. */
  readonly missing: string[];
  /** Files the model needs that are there but empty. */
  readonly empty: string[];
  /** Weight shards the index names (or the single model.safetensors). */
  readonly shards: string[];
}

/** Tokenizer files vLLM can load: Loose one of these sets. */
const TOKENIZER_SETS = [['tokenizer.json'], ['tokenizer.model'], ['tekken.json'], ['vocab.json', 'merges.txt']];

/** Lists every object under a prefix (all pages). Errors are explained. */
export async function listModelFiles(client: S3Client, loc: S3Location, endpoint?: string): Promise<Map<string, StoredFile>> {
  const out = new Map<string, StoredFile>();
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const name = (o.Key ?? '').slice(loc.prefix.length);
        if (name && !name.endsWith('/')) out.set(name, { name, size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw new Error(explainS3Error(e, { location: loc, endpoint, action: `listing ${formatS3Uri(loc)}` }));
  }
  return out;
}

async function readJson(client: S3Client, loc: S3Location, name: string, endpoint?: string): Promise<Loose> {
  try {
    const o = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + name }));
    const text = await o.Body!.transformToString('utf8');
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw new Error(`${formatS3Uri(loc)}${name} is not valid JSON: ${e.message}`);
    throw new Error(explainS3Error(e, { location: loc, endpoint, action: `reading ${formatS3Uri(loc)}${name}` }));
  }
}

/**
 * Checks that a model under a prefix is complete for vLLM: `config.json`, a tokenizer, and every shard that
 * `model.safetensors.index.json` names (or the single `model.safetensors`), each present and non-empty.
 */
export async function verifyModel(client: S3Client, loc: S3Location, endpoint?: string): Promise<VerifyResult> {
  const files = await listModelFiles(client, loc, endpoint);
  const location = formatS3Uri(loc);
  const totalBytes = [...files.values()].reduce((n, f) => n + f.size, 0);
  if (!files.size) {
    return {
      location,
      complete: false,
      files: 0,
      totalBytes: 0,
      missing: ['config.json', 'tokenizer', 'weights (model.safetensors.index.json or model.safetensors)'],
      empty: [],
      shards: [],
    };
  }
  const required: string[] = ['config.json'];
  const tokenizer = TOKENIZER_SETS.find((set) => set.every((f) => files.has(f)));
  let shards: string[] = [];
  if (files.has('model.safetensors.index.json')) {
    const index = await readJson(client, loc, 'model.safetensors.index.json', endpoint);
    shards = [...new Set(Object.values<string>(index.weight_map ?? {}))].sort();
    if (!shards.length) throw new Error(`${location}model.safetensors.index.json has an empty weight_map`);
    required.push('model.safetensors.index.json');
  } else {
    shards = ['model.safetensors'];
  }
  required.push(...shards);
  const missing = required.filter((f) => !files.has(f));
  if (!tokenizer) missing.push(`tokenizer (one of ${TOKENIZER_SETS.map((s) => s.join(' + ')).join(', ')})`);
  const empty = [...required, ...(tokenizer ?? [])].filter((f) => files.get(f)?.size === 0);
  return { location, complete: !missing.length && !empty.length, files: files.size, totalBytes, missing, empty, shards };
}

/** Reads `config.json` and, when present, the weight index from S3 into a model profile. */
export async function inspectModel(
  client: S3Client,
  loc: S3Location,
  endpoint?: string,
): Promise<{ profile: ModelProfile; config: Loose; index?: Loose; safetensorsBytes?: number }> {
  const files = await listModelFiles(client, loc, endpoint);
  if (!files.size)
    throw new Error(`${formatS3Uri(loc)} is empty: nothing is stored under that prefix (upload the model with 'cdk8s-vllm upload <dir> ${formatS3Uri(loc)}')`);
  if (!files.has('config.json')) throw new Error(`${formatS3Uri(loc)} has no config.json; point at the model's folder (the one holding config.json)`);
  const config = await readJson(client, loc, 'config.json', endpoint);
  const index = files.has('model.safetensors.index.json') ? await readJson(client, loc, 'model.safetensors.index.json', endpoint) : undefined;
  // without an index the stored sizes of the safetensors files stand in (headers are a negligible part)
  const safetensorsBytes = index ? undefined : [...files.values()].filter((f) => f.name.endsWith('.safetensors')).reduce((n, f) => n + f.size, 0) || undefined;
  const profile = ModelProfile.fromConfig(config, { name: loc.prefix.replace(/\/$/, '').split('/').pop() || loc.bucket, index, safetensorsBytes });
  return { profile, config, index, safetensorsBytes };
}

/** Progress events of an upload. */
export type UploadEvent =
  | { readonly type: 'skip'; readonly file: string; readonly bytes: number }
  | { readonly type: 'start'; readonly file: string; readonly bytes: number }
  | { readonly type: 'progress'; readonly file: string; readonly loaded: number; readonly bytes: number }
  | { readonly type: 'done'; readonly file: string; readonly bytes: number; readonly seconds: number };

/** Options of `uploadModel`. */
export interface UploadOptions {
  /** Files uploaded in parallel. @default 4 */
  readonly concurrency?: number;
  /** Multipart part size in MiB (files larger than this go multipart, parts in parallel). @default 64 */
  readonly partSizeMiB?: number;
  readonly onEvent?: (e: UploadEvent) => void;
  readonly endpoint?: string;
}

/** What `uploadModel` did. */
export interface UploadResult {
  readonly uploaded: string[];
  readonly skipped: string[];
  readonly bytesUploaded: number;
  readonly seconds: number;
  readonly verify: VerifyResult;
}

/** SHA-256 of a file, streamed. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Files below a folder, relative, '/'-separated, hidden files and folders (.git, .cache) left out, sorted. */
export function localModelFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Uploads a local model folder under a prefix. Files already there with the same size and SHA-256 (kept in the
 * object's `sha256` metadata) are skipped, so an interrupted upload resumes where it stopped; large files go
 * multipart, whose object only appears under its key when complete, so no half object is ever visible. Each
 * upload sends an SHA-256 checksum that S3 verifies, and is checked with a HEAD afterwards. Ends with `verifyModel`.
 */
export async function uploadModel(client: S3Client, dir: string, loc: S3Location, options: UploadOptions = {}): Promise<UploadResult> {
  const started = Date.now();
  const files = localModelFiles(dir);
  if (!files.length) throw new Error(`${dir} holds no file to upload`);
  const remote = await listModelFiles(client, loc, options.endpoint);
  const emit = options.onEvent ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const partSize = Math.max(5, options.partSizeMiB ?? 64) * 1024 * 1024;
  const uploaded: string[] = [];
  const skipped: string[] = [];
  let bytesUploaded = 0;
  const action = (file: string) => `uploading ${file} to ${formatS3Uri(loc)}`;

  const one = async (file: string) => {
    const full = path.join(dir, file);
    const size = fs.statSync(full).size;
    const sha = await sha256File(full);
    if (remote.get(file)?.size === size) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + file }));
        if (head.Metadata?.sha256 === sha) {
          skipped.push(file);
          emit({ type: 'skip', file, bytes: size });
          return;
        }
      } catch (e) {
        throw new Error(explainS3Error(e, { location: loc, endpoint: options.endpoint, action: action(file) }));
      }
    }
    emit({ type: 'start', file, bytes: size });
    const t0 = Date.now();
    let head: { ContentLength?: number; Metadata?: Record<string, string> };
    try {
      const upload = new Upload({
        client,
        params: {
          Bucket: loc.bucket,
          Key: loc.prefix + file,
          Body: size ? fs.createReadStream(full) : Buffer.alloc(0),
          ChecksumAlgorithm: 'SHA256',
          Metadata: { sha256: sha },
        },
        partSize,
        queueSize: 4,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (p) => emit({ type: 'progress', file, loaded: p.loaded ?? 0, bytes: size }));
      await upload.done();
      head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + file }));
    } catch (e) {
      throw new Error(explainS3Error(e, { location: loc, endpoint: options.endpoint, action: action(file) }));
    }
    if (head.ContentLength !== size || head.Metadata?.sha256 !== sha) {
      throw new Error(
        `${formatS3Uri(loc)}${file} reads back with ${head.ContentLength} bytes and checksum ${head.Metadata?.sha256 ?? 'none'}, expected ${size} and ${sha}; upload again`,
      );
    }
    uploaded.push(file);
    bytesUploaded += size;
    emit({ type: 'done', file, bytes: size, seconds: (Date.now() - t0) / 1000 });
  };

  // a small pool: `concurrency` files at a time, in sorted order
  const queue = [...files];
  let failed = false;
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let f = queue.shift(); f !== undefined && !failed; f = queue.shift()) {
      try {
        await one(f);
      } catch (e) {
        failed = true; // the other workers finish their current file and stop
        throw e;
      }
    }
  });
  await Promise.all(workers);
  const verify = await verifyModel(client, loc, options.endpoint);
  return { uploaded: uploaded.sort(), skipped: skipped.sort(), bytesUploaded, seconds: (Date.now() - started) / 1000, verify };
}
