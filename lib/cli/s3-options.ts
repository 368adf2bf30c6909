import type { S3Client } from '@aws-sdk/client-s3';
import { S3_DEFAULTS } from '../s3/s3-defaults';
import { parseS3Uri, S3Location } from '../s3/s3-location';
import { Io, numberOption, UsageError } from './command';
import { OptionValues } from './option-spec';

/** An s3:// argument; a malformed one is a usage error (exit 2), found before any request is made. */
export function s3UriArgument(uri: string): S3Location {
  try {
    return parseS3Uri(uri);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The options shared by the S3 commands; declaring them loads nothing of the AWS SDK, so that `--help` does not either. */
export const S3_OPTIONS = {
  endpoint: {
    type: 'string',
    value: '<url>',
    help: 'S3 endpoint, e.g. http://minio.minio-storage.svc:9000',
    default: 'AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS S3',
  },
  region: { type: 'string', value: '<r>', help: 'the S3 region', default: 'AWS_REGION, AWS_DEFAULT_REGION, us-east-1' },
  'ca-bundle': { type: 'string', value: '<pem>', help: 'CA of a self-signed endpoint; TLS is always verified', default: 'AWS_CA_BUNDLE' },
  'connect-timeout': { type: 'string', value: '<s>', help: 'seconds to wait for a connection', default: String(S3_DEFAULTS.connectTimeoutSeconds) },
  'request-timeout': {
    type: 'string',
    value: '<s>',
    help: 'seconds a request may wait without receiving a byte',
    default: String(S3_DEFAULTS.requestTimeoutSeconds),
  },
  'max-attempts': {
    type: 'string',
    value: '<n>',
    help: 'attempts per request: throttling, server errors and timeouts are retried',
    default: String(S3_DEFAULTS.maxAttempts),
  },
  deadline: {
    type: 'string',
    value: '<s>',
    help:
      `seconds one request may take in total: all attempts, headers and body, plus ${S3_DEFAULTS.uploadSecondsPerMiB} s per MiB it uploads; ` +
      'an endpoint that trickles its answer fails after this',
    default: String(S3_DEFAULTS.deadlineSeconds),
  },
} as const;

/** What the S3 commands' usage says after their options. */
export const S3_NOTE = '  Credentials follow the AWS SDK: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, shared config files.';

/**
 * The client and the endpoint it uses (for messages); a redirect the client followed is noted on `io.err`, once per
 * address. The AWS SDK is loaded here, when a command runs.
 */
export async function s3From(values: OptionValues<typeof S3_OPTIONS>, io?: Pick<Io, 'err'>): Promise<{ client: S3Client; endpoint?: string }> {
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
  const { createS3Client, resolveEndpoint } = await import('../s3/s3-client');
  return { client: createS3Client(opts), endpoint: resolveEndpoint(opts) };
}
