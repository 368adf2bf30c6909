import { S3Location } from './s3-location';

/** Context for turning an SDK error into advice. */
export interface S3ErrorContext {
  readonly location?: S3Location;
  readonly endpoint?: string;
  readonly action: string;
}

/**
 * Explains an S3 error in the user's terms: what is wrong and what to do. Covers wrong credentials, missing
 * buckets, unreachable endpoints, TLS failures and throttling (which the client already retried).
 */
export function explainS3Error(e: unknown, ctx: S3ErrorContext): string {
  const err = e as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const name = err.name ?? err.Code ?? '';
  const code = err.code ?? '';
  const where = ctx.endpoint ?? 'AWS S3';
  const bucket = ctx.location?.bucket;
  const msg = err.message ?? String(e);
  const attempts = err.$metadata?.attempts;
  // the bounded HTTP handler already said what the server sent, naming it
  if (name === 'S3EndpointError') return `${ctx.action}: ${msg}${attempts && attempts > 1 && !/attempts/.test(msg) ? ` (${attempts} attempts)` : ''}`;
  const known = byErrorName(name, ctx.action, where, bucket, attempts) ?? byTransport(ctx.action, where, code, msg, name, attempts);
  if (known) return known;
  const status = err.$metadata?.httpStatusCode;
  if ((name === 'UnknownError' || name === 'Unknown' || !name) && status) {
    return `${ctx.action}: ${where} answered HTTP ${status} without an S3 error code (an empty or unreadable error document); check that --endpoint is the S3 API`;
  }
  return `${ctx.action}: ${name ? `${name}: ` : ''}${msg}`;
}

/** The S3 error codes a user can act on: credentials, permissions, a missing bucket, throttling. */
function byErrorName(name: string, action: string, where: string, bucket: string | undefined, attempts: number | undefined): string | undefined {
  switch (name) {
    case 'InvalidAccessKeyId':
      return `${action}: the access key id is not known to ${where} (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID or the profile in use`;
    case 'SignatureDoesNotMatch':
      return `${action}: the secret access key does not match the access key id (SignatureDoesNotMatch) at ${where}; check AWS_SECRET_ACCESS_KEY`;
    case 'AccessDenied':
    case 'Forbidden':
      return `${action}: access denied to ${bucket ? `bucket '${bucket}'` : where}; the credentials are valid but lack permission (s3:ListBucket, s3:GetObject, s3:PutObject)`;
    case 'NoSuchBucket':
      return `${action}: bucket '${bucket}' does not exist at ${where}; create it (mc mb / aws s3 mb) or fix the bucket name`;
    case 'CredentialsProviderError':
      return `${action}: no credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`;
    case 'SlowDown':
    case 'Throttling':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return `${action}: ${where} kept throttling after ${attempts ?? 'several'} attempts with backoff; lower --concurrency or retry later`;
    default:
      return undefined;
  }
}

/** Transport failures: a reset or refused connection, a timeout, TLS spoken to plain HTTP or the reverse, an untrusted certificate. */
function byTransport(action: string, where: string, code: string, msg: string, name: string, attempts: number | undefined): string | undefined {
  // before the timeout test: the SDK's HTTP handler names a reset connection TimeoutError
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    const tls = where.startsWith('http://') && /socket hang up/i.test(msg) ? '; if the server speaks HTTPS, write https://' : '';
    return (
      `${action}: ${where} reset the connection (${code}: ${msg}${attempts ? `, ${attempts} attempts` : ''}): ` +
      `the server or a proxy in between closed it before answering${tls}`
    );
  }
  if (name === 'TimeoutError' || (code === 'ETIMEDOUT' && /timeout/i.test(msg)) || /timed out|timeout/i.test(msg)) {
    return (
      `${action}: ${where} accepted no request in time (${msg}${attempts ? `, ${attempts} attempts` : ''}); ` +
      'check that the endpoint is an S3 server that answers (a load balancer in front of a stopped MinIO accepts connections and never replies), or raise --request-timeout'
    );
  }
  if (/wrong version number|packet length too long|EPROTO|ERR_SSL/i.test(`${code} ${msg}`)) {
    return `${action}: ${where} does not speak TLS (${code || msg}): the URL says https:// but the server answers plain HTTP; write http:// (or enable TLS on the server)`;
  }
  if (/plain HTTP request was sent to HTTPS port|HPE_INVALID/i.test(msg) && where.startsWith('http://')) {
    return `${action}: ${where} expects TLS (${msg}): the URL says http:// but the server speaks HTTPS; write https://`;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(msg)) {
    return `${action}: cannot reach ${where} (${code || msg}); check the endpoint URL (--endpoint or AWS_ENDPOINT_URL) and that the server runs and is reachable from here`;
  }
  if (/self[- ]signed|unable to verify|certificate/i.test(msg)) {
    return `${action}: TLS verification of ${where} failed (${msg}); pass the CA that signed its certificate with --ca-bundle <pem>`;
  }
  return undefined;
}
