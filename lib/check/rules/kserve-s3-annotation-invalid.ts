import { mapping, stringMap } from '../../manifests/access';
import { editDistance } from '../../private/edit-distance';
import { Problem, Rule } from '../rule';

/** The prefix of the S3 annotations KServe reads on a storage Secret. */
const PREFIX = 'serving.kserve.io/s3-';

/**
 * The S3 annotations KServe reads on a Secret its ServiceAccount lists (kserve pkg/credentials/s3/s3_secret.go:
 * InferenceServiceS3Secret*Annotation), after the prefix.
 */
const KNOWN = ['endpoint', 'region', 'verifyssl', 'usehttps', 'usevirtualbucket', 'useaccelerate', 'useanoncredential', 'cabundle-configmap', 'cabundle'];

/** The known key a written one misspells: the same with `-` and `_` dropped, or at most two edits away. */
function meantKey(written: string): string | undefined {
  const bare = written.replace(/[-_]/g, '');
  return KNOWN.find((k) => k.replace(/[-_]/g, '') === bare) ?? KNOWN.find((k) => editDistance(k, written) <= 2);
}

export const kserveS3AnnotationInvalid: Rule = {
  id: 'kserve-s3-annotation-invalid',
  title: "a storage Secret's serving.kserve.io/s3-* annotation KServe cannot use: an endpoint with a scheme, or a misspelled key it never reads",
  severity: 'error',
  appliesTo: ['Secret'],
  premise: `a Secret annotated serving.kserve.io/s3-*: the endpoint written with a scheme (http://, https://), to which KServe prefixes its own, and a key close to one KServe reads (${KNOWN.map((k) => `s3-${k}`).join(', ')}) by spelling ( - or _ dropped, or two edits) but not one of them; other serving.kserve.io/s3-* keys are left alone`,
  example: 'a Secret annotated `serving.kserve.io/s3-endpoint: "http://minio.minio.svc:9000"` and `serving.kserve.io/s3-use-https: "0"`',
  fix: 'write the endpoint as host:port and say the scheme with serving.kserve.io/s3-usehttps ("0" for http); spell the key as KServe reads it',
  source:
    'kserve pkg/credentials/s3/s3_secret.go (the annotation keys) and BuildS3EnvVars (AWS_ENDPOINT_URL is "https://" + the endpoint, "http://" when s3-usehttps is "0")',
  check(o) {
    const annotations = stringMap(mapping(o.manifest.metadata).annotations);
    const out: Problem[] = [];
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(PREFIX)) continue;
      const written = key.slice(PREFIX.length);
      if (written === 'endpoint' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) {
        const endpoint = value.trim();
        const scheme = endpoint.slice(0, endpoint.indexOf('://'));
        const given = annotations[`${PREFIX}usehttps`] === '0' ? 'http' : 'https';
        const plainHttp = scheme.toLowerCase() === 'http' && given === 'https';
        out.push({
          message: `annotation ${key} '${value}' holds a scheme: KServe prefixes https:// to it (http:// when ${PREFIX}usehttps is "0"), so the storage initializer is given AWS_ENDPOINT_URL=${given}://${endpoint} and cannot reach the store; write '${endpoint.slice(scheme.length + 3)}'${plainHttp ? ` and ${PREFIX}usehttps: "0"` : ''}`,
        });
        continue;
      }
      if (KNOWN.includes(written)) continue;
      const meant = meantKey(written);
      if (meant)
        out.push({
          message: `annotation ${key} is no key KServe reads, so it is ignored (KServe reads ${PREFIX}${meant}, and without it uses its default); write ${PREFIX}${meant}`,
        });
    }
    return out;
  },
};
