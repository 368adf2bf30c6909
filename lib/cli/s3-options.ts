import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, resolveEndpoint } from '../s3/s3-client';

/** parseArgs options shared by the S3 commands. */
export const S3_OPTIONS = {
  'endpoint': { type: 'string' },
  'region': { type: 'string' },
  'ca-bundle': { type: 'string' },
} as const;

export const S3_USAGE = `  --endpoint <url>     S3 endpoint, e.g. http://minio.minio-storage.svc:9000 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS S3)
  --region <r>         (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
  --ca-bundle <pem>    CA of a self-signed endpoint (default: AWS_CA_BUNDLE); TLS is always verified

  Credentials follow the AWS SDK: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, shared config files.`;

/** The client and the endpoint it uses (for messages). */
export function s3From(values: { endpoint?: string; region?: string; 'ca-bundle'?: string }): { client: S3Client; endpoint?: string } {
  const opts = { endpoint: values.endpoint, region: values.region, caBundle: values['ca-bundle'] };
  return { client: createS3Client(opts), endpoint: resolveEndpoint(opts) };
}
