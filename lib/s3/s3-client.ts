import * as fs from 'fs';
import * as https from 'https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

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
}

/**
 * Defaults that bound a request to a silent endpoint: 3 attempts of a 5 s connect or 5 s idle timeout (the HTTP handler
 * arms the idle timer 3 s after the request starts), under 30 s with the SDK's backoff and far above what a healthy S3
 * or MinIO needs to answer.
 */
export const S3_DEFAULTS = { maxAttempts: 3, connectTimeoutSeconds: 5, requestTimeoutSeconds: 5 } as const;

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
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: seconds('connect timeout', options.connectTimeoutSeconds, S3_DEFAULTS.connectTimeoutSeconds),
    // an idle-socket timeout, not a total one: a large part upload may take minutes while bytes keep flowing
    socketTimeout: seconds('request timeout', options.requestTimeoutSeconds, S3_DEFAULTS.requestTimeoutSeconds),
    ...(caFile ? { httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true }) } : {}),
  });
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
