import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, resolveEndpoint, S3_DEFAULTS } from '../s3/s3-client';
import { parseS3Uri, S3Location } from '../s3/s3-location';
import { Io, numberOption, UsageError } from './command';

/** An s3:// argument; a malformed one is a usage error (exit 2), found before any request is made. */
export function s3UriArgument(uri: string): S3Location {
  try {
    return parseS3Uri(uri);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** parseArgs options shared by the S3 commands. */
export const S3_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'ca-bundle': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-attempts': { type: 'string' },
  deadline: { type: 'string' },
} as const;

export const S3_USAGE = `  --endpoint <url>     S3 endpoint, e.g. http://minio.minio-storage.svc:9000 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS S3)
  --region <r>         (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
  --ca-bundle <pem>    CA of a self-signed endpoint (default: AWS_CA_BUNDLE); TLS is always verified
  --connect-timeout <s>   seconds to wait for a connection (default ${S3_DEFAULTS.connectTimeoutSeconds})
  --request-timeout <s>   seconds a request may wait without receiving a byte (default ${S3_DEFAULTS.requestTimeoutSeconds})
  --max-attempts <n>      attempts per request: throttling, server errors and timeouts are retried (default ${S3_DEFAULTS.maxAttempts})
  --deadline <s>          seconds one request may take in total: all attempts, headers and body (default ${S3_DEFAULTS.deadlineSeconds}),
                          plus ${S3_DEFAULTS.uploadSecondsPerMiB} s per MiB it uploads; an endpoint that trickles its answer fails after this

  Credentials follow the AWS SDK: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, shared config files.`;

/** The client and the endpoint it uses (for messages); a redirect the client followed is noted on `io.err`, once per address. */
export function s3From(
  values: {
    endpoint?: string;
    region?: string;
    'ca-bundle'?: string;
    'connect-timeout'?: string;
    'request-timeout'?: string;
    'max-attempts'?: string;
    deadline?: string;
  },
  io?: Pick<Io, 'err'>,
): { client: S3Client; endpoint?: string } {
  const noted = new Set<string>();
  const opts = {
    endpoint: values.endpoint,
    region: values.region,
    caBundle: values['ca-bundle'],
    connectTimeoutSeconds: numberOption('connect-timeout', values['connect-timeout'], { min: 0.001, max: 3600 }),
    requestTimeoutSeconds: numberOption('request-timeout', values['request-timeout'], { min: 0.001, max: 3600 }),
    deadlineSeconds: numberOption('deadline', values.deadline, { min: 0.001, max: 3600 }),
    maxAttempts: numberOption('max-attempts', values['max-attempts'], { integer: true, min: 1, max: 20 }),
    onRedirect: (from: string, to: string, status: number) => {
      const origins = `${new URL(from).origin} → ${new URL(to).origin}`;
      if (noted.has(origins)) return;
      noted.add(origins);
      io?.err(
        `note: ${new URL(from).origin} redirects (HTTP ${status}) to ${new URL(to).origin}; pass --endpoint ${new URL(to).origin} to skip the redirect\n`,
      );
    },
  };
  return { client: createS3Client(opts), endpoint: resolveEndpoint(opts) };
}
