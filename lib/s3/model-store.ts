import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ModelProfile } from '../planning/model-profile';
import { explainS3Error } from './s3-errors';
import { formatS3Uri, S3Location } from './s3-location';
import { describe, isByteCount, readWeightIndex, WEIGHT_INDEX } from './weight-index';
import { Loose } from '../manifests/access';

/** An object under a model prefix. */
export interface StoredFile {
  /** Key relative to the prefix. */
  readonly name: string;
  /** Bytes, as the listing gives them (a server may give a negative or missing size: see `isByteCount`). */
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
  /** What makes the model unusable besides missing and empty files: a weight index vLLM cannot read, a size that is no size. */
  readonly invalid: string[];
  /** Weight shards the index names (or the single model.safetensors). */
  readonly shards: string[];
}

/** Tokenizer files vLLM can load: Loose one of these sets. */
const TOKENIZER_SETS = [['tokenizer.json'], ['tokenizer.model'], ['tekken.json'], ['vocab.json', 'merges.txt']];

/**
 * Pages of one listing before it is called a loop: 1000 pages of 1000 keys (S3's page size) is a million objects,
 * where the largest Hugging Face repositories hold a few thousand files.
 */
export const MAX_LIST_PAGES = 1000;

/**
 * Lists every object under a prefix (all pages). Errors are explained; a listing that repeats a continuation token,
 * claims more pages without giving a token, or runs past `MAX_LIST_PAGES` pages is an error that says so.
 */
export async function listModelFiles(client: S3Client, loc: S3Location, endpoint?: string): Promise<Map<string, StoredFile>> {
  const out = new Map<string, StoredFile>();
  const action = `listing ${formatS3Uri(loc)}`;
  const where = endpoint ?? 'AWS S3';
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.prefix, ContinuationToken: token }));
    } catch (e) {
      throw new Error(explainS3Error(e, { location: loc, endpoint, action }));
    }
    for (const o of page.Contents ?? []) {
      const name = (o.Key ?? '').slice(loc.prefix.length);
      if (name && !name.endsWith('/')) out.set(name, { name, size: o.Size ?? NaN });
    }
    if (!page.IsTruncated) return out;
    token = page.NextContinuationToken;
    if (!token) throw new Error(`${action}: ${where} says page ${pages} is truncated but gives no continuation token; its listing cannot be followed`);
    if (seen.has(token))
      throw new Error(
        `${action}: ${where} sent continuation token '${clipToken(token)}' a second time (page ${pages}): its listing loops; it is not a working S3 listing`,
      );
    if (pages >= MAX_LIST_PAGES)
      throw new Error(
        `${action}: ${where} still says 'truncated' after ${pages} pages (${out.size} objects), more than any model holds; its listing does not end`,
      );
    seen.add(token);
  }
}

function clipToken(token: string): string {
  return token.length > 60 ? `${token.slice(0, 60)}…` : token;
}

/** A JSON file under the prefix, parsed; a file that is not JSON is an error naming it. */
async function readJson(client: S3Client, loc: S3Location, name: string, endpoint?: string): Promise<unknown> {
  let text: string;
  try {
    const o = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + name }));
    text = o.Body ? await o.Body.transformToString('utf8') : '';
  } catch (e) {
    throw new Error(explainS3Error(e, { location: loc, endpoint, action: `reading ${formatS3Uri(loc)}${name}` }));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${formatS3Uri(loc)}${name} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Checks that a model under a prefix is complete for vLLM: `config.json`, a tokenizer, and every shard that
 * `model.safetensors.index.json` names (or the single `model.safetensors`), each present and non-empty.
 */
export async function verifyModel(client: S3Client, loc: S3Location, endpoint?: string): Promise<VerifyResult> {
  const files = await listModelFiles(client, loc, endpoint);
  const location = formatS3Uri(loc);
  const totalBytes = [...files.values()].reduce((n, f) => n + (isByteCount(f.size) ? f.size : 0), 0);
  if (!files.size) {
    return {
      location,
      complete: false,
      files: 0,
      totalBytes: 0,
      missing: ['config.json', 'tokenizer', `weights (${WEIGHT_INDEX} or model.safetensors)`],
      empty: [],
      invalid: [],
      shards: [],
    };
  }
  const required: string[] = ['config.json'];
  const invalid: string[] = [];
  const tokenizer = TOKENIZER_SETS.find((set) => set.every((f) => files.has(f)));
  let shards: string[] = [];
  if (files.has(WEIGHT_INDEX)) {
    required.push(WEIGHT_INDEX);
    let index: unknown;
    try {
      index = await readJson(client, loc, WEIGHT_INDEX, endpoint);
    } catch (e) {
      // S3 errors stop the verification; a file that is not JSON is a finding about the model
      if (!/is not valid JSON/.test((e as Error).message)) throw e;
      invalid.push(`${WEIGHT_INDEX} is not valid JSON`);
    }
    if (!invalid.length) {
      const reading = readWeightIndex(index);
      shards = reading.shards;
      invalid.push(...reading.problems);
    }
  } else {
    shards = ['model.safetensors'];
  }
  required.push(...shards);
  const missing = required.filter((f) => !files.has(f));
  if (!tokenizer) missing.push(`tokenizer (one of ${TOKENIZER_SETS.map((s) => s.join(' + ')).join(', ')})`);
  const needed = [...required, ...(tokenizer ?? [])];
  // a size that is no byte count (negative, fractional, missing) never counts as a complete file
  for (const f of needed) {
    const size = files.get(f)?.size;
    if (size !== undefined && !isByteCount(size)) invalid.push(`the listing gives ${f} a size of ${describe(size)}, not a whole non-negative number of bytes`);
  }
  const empty = needed.filter((f) => files.get(f)?.size === 0);
  return { location, complete: !missing.length && !empty.length && !invalid.length, files: files.size, totalBytes, missing, empty, invalid, shards };
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
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new Error(`${formatS3Uri(loc)}config.json is ${describe(config)}, not a JSON object of the model's architecture`);
  const index = files.has(WEIGHT_INDEX) ? await readJson(client, loc, WEIGHT_INDEX, endpoint) : undefined;
  if (index !== undefined) {
    const { problems } = readWeightIndex(index);
    if (problems.length) throw new Error(`${formatS3Uri(loc)}${problems.join('; ')}`);
  }
  const weights = [...files.values()].filter((f) => f.name.endsWith('.safetensors'));
  const badSize = weights.find((f) => !isByteCount(f.size));
  if (index === undefined && badSize)
    throw new Error(`${formatS3Uri(loc)}: the listing gives ${badSize.name} a size of ${describe(badSize.size)}, not a whole non-negative number of bytes`);
  // without an index the stored sizes of the safetensors files stand in (headers are a negligible part)
  const safetensorsBytes = index ? undefined : weights.reduce((n, f) => n + f.size, 0) || undefined;
  const profile = ModelProfile.fromConfig(config, { name: loc.prefix.replace(/\/$/, '').split('/').pop() || loc.bucket, index, safetensorsBytes });
  return { profile, config, index: index as Loose | undefined, safetensorsBytes };
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

  const explain = (e: unknown, file: string) => new Error(explainS3Error(e, { location: loc, endpoint: options.endpoint, action: action(file) }));

  const one = async (file: string) => {
    const full = path.join(dir, file);
    const size = fs.statSync(full).size;
    const sha = await sha256File(full);
    if (remote.get(file)?.size === size) {
      const there = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + file })).catch((e: unknown) => {
        throw explain(e, file);
      });
      if (there.Metadata?.sha256 === sha) {
        skipped.push(file);
        emit({ type: 'skip', file, bytes: size });
        return;
      }
    }
    emit({ type: 'start', file, bytes: size });
    const t0 = Date.now();
    const head = await putFile(client, loc, { full, file, size, sha }, partSize, emit).catch((e: unknown) => {
      throw explain(e, file);
    });
    if (head.ContentLength !== size || head.Metadata?.sha256 !== sha) {
      throw new Error(
        `${formatS3Uri(loc)}${file} reads back with ${head.ContentLength} bytes and checksum ${head.Metadata?.sha256 ?? 'none'}, expected ${size} and ${sha}; upload again`,
      );
    }
    uploaded.push(file);
    bytesUploaded += size;
    emit({ type: 'done', file, bytes: size, seconds: (Date.now() - t0) / 1000 });
  };

  await inPool(files, concurrency, one);
  const verify = await verifyModel(client, loc, options.endpoint);
  return { uploaded: uploaded.sort(), skipped: skipped.sort(), bytesUploaded, seconds: (Date.now() - started) / 1000, verify };
}

/**
 * Uploads one file with its SHA-256 in the metadata and as the checksum S3 verifies (multipart when large: the object
 * appears under its key only when complete), and reads its head back.
 */
async function putFile(
  client: S3Client,
  loc: S3Location,
  f: { readonly full: string; readonly file: string; readonly size: number; readonly sha: string },
  partSize: number,
  emit: (e: UploadEvent) => void,
): Promise<{ ContentLength?: number; Metadata?: Record<string, string> }> {
  const upload = new Upload({
    client,
    params: {
      Bucket: loc.bucket,
      Key: loc.prefix + f.file,
      Body: f.size ? fs.createReadStream(f.full) : Buffer.alloc(0),
      ChecksumAlgorithm: 'SHA256',
      Metadata: { sha256: f.sha },
    },
    partSize,
    queueSize: 4,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (p) => emit({ type: 'progress', file: f.file, loaded: p.loaded ?? 0, bytes: f.size }));
  await upload.done();
  return client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + f.file }));
}

/** Runs `work` on the files, `concurrency` at a time in sorted order; after a failure the others finish their current file and stop. */
async function inPool(files: readonly string[], concurrency: number, work: (file: string) => Promise<void>): Promise<void> {
  const queue = [...files];
  let failed = false;
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let f = queue.shift(); f !== undefined && !failed; f = queue.shift()) {
      try {
        await work(f);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  });
  await Promise.all(workers);
}
