import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, resolveEndpoint, S3_DEFAULTS } from '../s3/s3-client';
import { numberOption } from './command';

/** parseArgs options shared by the S3 commands. */
export const S3_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'ca-bundle': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-attempts': { type: 'string' },
} as const;

export const S3_USAGE = `  --endpoint <url>     S3 endpoint, e.g. http://minio.minio-storage.svc:9000 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS S3)
  --region <r>         (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
  --ca-bundle <pem>    CA of a self-signed endpoint (default: AWS_CA_BUNDLE); TLS is always verified
  --connect-timeout <s>   seconds to wait for a connection (default ${S3_DEFAULTS.connectTimeoutSeconds})
  --request-timeout <s>   seconds a request may wait for a reply (default ${S3_DEFAULTS.requestTimeoutSeconds}); a silent endpoint fails after
                          --max-attempts × this (default ${S3_DEFAULTS.maxAttempts} attempts)

  Credentials follow the AWS SDK: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, shared config files.`;

/** The client and the endpoint it uses (for messages). */
export function s3From(values: {
  endpoint?: string;
  region?: string;
  'ca-bundle'?: string;
  'connect-timeout'?: string;
  'request-timeout'?: string;
  'max-attempts'?: string;
}): { client: S3Client; endpoint?: string } {
  const opts = {
    endpoint: values.endpoint,
    region: values.region,
    caBundle: values['ca-bundle'],
    connectTimeoutSeconds: numberOption('connect-timeout', values['connect-timeout'], { min: 0.001, max: 3600 }),
    requestTimeoutSeconds: numberOption('request-timeout', values['request-timeout'], { min: 0.001, max: 3600 }),
    maxAttempts: numberOption('max-attempts', values['max-attempts'], { integer: true, min: 1, max: 20 }),
  };
  return { client: createS3Client(opts), endpoint: resolveEndpoint(opts) };
}
