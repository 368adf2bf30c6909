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
  /** Attempts per request (throttling and transient errors are retried with backoff). @default 5 */
  readonly maxAttempts?: number;
}

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
  let requestHandler: NodeHttpHandler | undefined;
  if (caFile) {
    if (!fs.existsSync(caFile)) throw new Error(`CA bundle ${caFile} does not exist`);
    requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true }) });
  }
  return new S3Client({
    endpoint,
    forcePathStyle: endpoint ? true : undefined,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'adaptive',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(requestHandler ? { requestHandler } : {}),
  });
}
