// The S3 model-store tooling is a separate entry point (cdk8s-vllm/s3) so that synthesizing charts never loads the AWS SDK.
export * from './s3-location';
export * from './s3-client';
export * from './s3-errors';
export * from './model-store';
