/** A bucket and key prefix, from an `s3://bucket/prefix/` URI. */
export interface S3Location {
  readonly bucket: string;
  /** Key prefix ending in '/', or '' for the whole bucket. */
  readonly prefix: string;
}

/** Parses `s3://bucket/prefix/`; the prefix is treated as a folder (a trailing '/' is added). */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/.exec(uri.trim());
  if (!m) throw new Error(`'${uri}' is not an S3 URI; write s3://<bucket>/<prefix>/, e.g. s3://models/mistral-small-24b/`);
  const prefix = m[2].replace(/^\/+/, '');
  return { bucket: m[1], prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
}

/** `s3://bucket/prefix/`. */
export function formatS3Uri(l: S3Location): string {
  return `s3://${l.bucket}/${l.prefix}`;
}
