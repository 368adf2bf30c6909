import * as fs from 'fs';
import * as https from 'https';
import { S3Client } from '@aws-sdk/client-s3';
import { BoundedHttpHandler } from './bounded-http-handler';
import { S3_DEFAULTS } from './s3-defaults';

// the defaults live apart so that the CLI's usage can show them without loading the AWS SDK
export { S3_DEFAULTS } from './s3-defaults';

/** How to reach S3; everything else follows the AWS SDK's conventions (environment, shared config and credentials files, profiles). */
export interface S3ClientOptions {
  /**
   * Endpoint URL, e.g. `http://minio.minio-storage.svc:9000`.
   * @default - AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS S3
   */
  readonly endpoint?: string;
  /** @default - AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1 */
  readonly region?: string;
  /**
   * PEM file with the CA that signed a self-signed MinIO's certificate.
   * @default - AWS_CA_BUNDLE, else the system's CAs
   */
  readonly caBundle?: string;
  /** @default - the SDK's default credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /**
   * Attempts per request (throttling, transient errors and timeouts are retried with backoff).
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Seconds to wait for the TCP (and TLS) connection.
   * @default 5
   */
  readonly connectTimeoutSeconds?: number;
  /**
   * Seconds a request may wait without receiving a byte: an endpoint that accepts connections and never answers
   * (a half-open MinIO behind a load balancer) fails after this, per attempt.
   * @default 5
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Seconds one request may take in total: every attempt, the headers and the whole body of the answer. The idle
   * timeout above never trips on a server that trickles a byte every few seconds; this does. Requests that send data
   * (upload parts) get `uploadSecondsPerMiB` more per MiB they send.
   * @default 20
   */
  readonly deadlineSeconds?: number;
  /**
   * Seconds added to the deadline of a request per MiB it sends: the slowest upload rate a request is allowed.
   * @default 4 (256 KiB/s)
   */
  readonly uploadSecondsPerMiB?: number;
  /**
   * Bytes of one successful answer read at most (a listing page, a JSON file); a larger answer is an error.
   * @default 64 MiB
   */
  readonly maxResponseBytes?: number;
  /** Told about each redirect that was followed (an http:// endpoint that redirects to https://), to suggest the address to use. */
  readonly onRedirect?: (from: string, to: string, status: number) => void;
}

/**
 * Answers larger than this are not S3's: a ListObjectsV2 page holds at most 1000 keys of at most 1 KiB (S3 API
 * reference), about 1.5 MB of XML, and the largest weight indexes (DeepSeek-V3-class MoE checkpoints) are about 10 MB.
 */
const MAX_RESPONSE_BYTES = 64 * 2 ** 20;

/** S3 error documents are a few hundred bytes (S3 API reference, Error responses); a few KiB more is kept for messages. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Redirects followed per request: Go's net/http client and Python's urllib stop after 10. */
const MAX_REDIRECTS = 10;

/** The endpoint the client will use, for messages. */
export function resolveEndpoint(options: S3ClientOptions): string | undefined {
  return options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
}

/**
 * An S3 client for AWS S3 and S3-compatible stores. A custom endpoint gets path-style addressing (MinIO serves
 * buckets as paths); TLS certificates are verified, against `caBundle` when given. Checksums are sent only where
 * S3 requires them, since many S3-compatible servers reject the SDK's default streaming trailers; object
 * integrity is checked with our own SHA-256 metadata instead.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const endpoint = resolveEndpoint(options);
  if (endpoint) {
    try {
      const u = new URL(endpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw new Error(`endpoint '${endpoint}' is not an http(s) URL; write it with its scheme, e.g. http://minio.minio-storage.svc:9000`);
    }
  }
  const caFile = options.caBundle ?? process.env.AWS_CA_BUNDLE;
  if (caFile && !fs.existsSync(caFile)) throw new Error(`CA bundle ${caFile} does not exist`);
  const seconds = (name: string, v: number | undefined, fallback: number) => {
    const n = v ?? fallback;
    if (!(Number.isFinite(n) && n > 0 && n <= 3600)) throw new Error(`${name} must be a number of seconds from 0 to 3600, got ${v}`);
    return n * 1000;
  };
  const perMiB = options.uploadSecondsPerMiB ?? S3_DEFAULTS.uploadSecondsPerMiB;
  if (!(Number.isFinite(perMiB) && perMiB >= 0 && perMiB <= 3600)) throw new Error(`upload seconds per MiB must be a number from 0 to 3600, got ${perMiB}`);
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0))
    throw new Error(`max response bytes must be a positive whole number, got ${maxResponseBytes}`);
  const requestHandler = new BoundedHttpHandler(
    {
      connectionTimeout: seconds('connect timeout', options.connectTimeoutSeconds, S3_DEFAULTS.connectTimeoutSeconds),
      // an idle-socket timeout, not a total one: the deadline below bounds the whole request
      socketTimeout: seconds('request timeout', options.requestTimeoutSeconds, S3_DEFAULTS.requestTimeoutSeconds),
      ...(caFile ? { httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true }) } : {}),
    },
    {
      deadlineMs: seconds('deadline', options.deadlineSeconds, S3_DEFAULTS.deadlineSeconds),
      uploadMsPerMiB: perMiB * 1000,
      maxResponseBytes,
      maxErrorBodyBytes: Math.min(MAX_ERROR_BODY_BYTES, maxResponseBytes),
      maxRedirects: MAX_REDIRECTS,
      onRedirect: options.onRedirect,
    },
  );
  const maxAttempts = options.maxAttempts ?? S3_DEFAULTS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20)
    throw new Error(`max attempts must be a whole number from 1 to 20, got ${maxAttempts}`);
  return new S3Client({
    endpoint,
    forcePathStyle: endpoint ? true : undefined,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: options.credentials,
    maxAttempts,
    retryMode: 'adaptive',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler,
  });
}
