import { mapping, stringMap } from '../../manifests/access';
import { editDistance } from '../../private/edit-distance';
import { KEEPS_SCHEME_SINCE, KEEPS_SCHEME_SOURCE, schemeVerdict, SchemeVerdict } from '../kserve-s3-endpoint';
import { CheckContext, Problem, Rule } from '../rule';

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

/** A scheme written at the start of an endpoint (`http`, `https`, `s3`), lower case; undefined for host:port. */
function schemeOf(endpoint: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint.trim())?.[1].toLowerCase();
}

const isHttp = (scheme: string | undefined) => scheme === 'http' || scheme === 'https';

/** The finding on an endpoint written with a scheme, by how the judged KServe builds the URL from it. */
function endpointProblem(key: string, value: string, annotations: Record<string, string>, verdict: SchemeVerdict): Problem | undefined {
  const endpoint = value.trim();
  const scheme = schemeOf(endpoint)!;
  const given = annotations[`${PREFIX}usehttps`] === '0' ? 'http' : 'https';
  const host = endpoint.slice(scheme.length + 3);
  const fix = `write '${host}'${scheme === 'http' && given === 'https' ? ` and ${PREFIX}usehttps: "0"` : ''}`;
  const url = `AWS_ENDPOINT_URL=${given}://${endpoint}`;
  if (!isHttp(scheme))
    return {
      message: `annotation ${key} '${value}' holds the scheme ${scheme}://, which no KServe release reads: it prefixes https:// (http:// when ${PREFIX}usehttps is "0"), so the storage initializer is given ${url} and cannot reach the store; ${fix}`,
    };
  if (verdict.verdict === 'kept') return undefined;
  if (verdict.verdict === 'prefixed')
    return {
      message: `annotation ${key} '${value}' holds a scheme: on ${verdict.on} KServe prefixes https:// to it (http:// when ${PREFIX}usehttps is "0"), so the storage initializer is given ${url} and cannot reach the store (KServe keeps a written scheme from 0.${KEEPS_SCHEME_SINCE}, OpenShift AI from 3.0); ${fix}`,
    };
  return {
    severity: 'warning',
    message: `annotation ${key} '${value}' holds a scheme: on ${verdict.on} KServe keeps it and takes use-https from it, but on ${verdict.elsewhere} it prefixes https:// to it (${url}) and the store is not reached; ${fix} to serve on every release, or pass --platform`,
  };
}

/** The finding on a key KServe does not read but one it does is meant: an error where ignoring it changes what KServe does. */
function misspeltProblem(key: string, meant: string, value: string, annotations: Record<string, string>, verdict: () => SchemeVerdict): Problem {
  const ignored = `annotation ${key} is no key KServe reads, so it is ignored (KServe reads ${PREFIX}${meant})`;
  if (meant !== 'usehttps') return { message: `${ignored}, and without it uses its default; write ${PREFIX}${meant}` };
  const scheme = schemeOf(annotations[`${PREFIX}endpoint`] ?? '');
  const v = isHttp(scheme) ? verdict() : undefined;
  if (v && v.verdict !== 'prefixed')
    return {
      severity: 'info',
      message: `${ignored}; on ${v.on} KServe takes use-https from the endpoint's ${scheme}:// instead, so nothing changes; drop it, or write ${PREFIX}${meant}`,
    };
  if (value.trim() !== '0')
    return {
      severity: 'warning',
      message: `${ignored}; KServe's default, https, applies, as '${value}' asks (unless the cluster's inferenceservice-config sets s3 usehttps "0"); write ${PREFIX}${meant}`,
    };
  return { message: `${ignored}, and without it KServe builds an https:// endpoint URL, not the http:// that "0" asks for; write ${PREFIX}${meant}` };
}

function check(annotations: Record<string, string>, ctx: CheckContext): Problem[] {
  let judged: SchemeVerdict | undefined;
  const verdict = () => (judged ??= schemeVerdict(ctx));
  const out: Problem[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(PREFIX)) continue;
    const written = key.slice(PREFIX.length);
    if (written === 'endpoint') {
      const p = schemeOf(value) ? endpointProblem(key, value, annotations, verdict()) : undefined;
      if (p) out.push(p);
      continue;
    }
    if (KNOWN.includes(written)) continue;
    const meant = meantKey(written);
    if (meant) out.push(misspeltProblem(key, meant, value, annotations, verdict));
  }
  return out;
}

export const kserveS3AnnotationInvalid: Rule = {
  id: 'kserve-s3-annotation-invalid',
  title:
    "a storage Secret's serving.kserve.io/s3-* annotation KServe cannot use: an endpoint with a scheme its release prefixes, or a misspelled key it never reads",
  severity: 'error',
  appliesTo: ['Secret'],
  premise:
    `a Secret annotated serving.kserve.io/s3-*. The endpoint written with a scheme, by the KServe release judged: http:// or https:// is an error on a release that prefixes its own scheme to the endpoint (OpenShift AI 2.x, upstream KServe before 0.${KEEPS_SCHEME_SINCE} as the tree shows it), nothing on one that keeps it and takes use-https from it (OpenShift AI 3.x, upstream KServe 0.${KEEPS_SCHEME_SINCE} and later), a warning where that release is only assumed and a candidate prefixes (OpenShift AI 2.x, or upstream KServe whose release the tree does not show); any other scheme (s3://) is an error on every release. ` +
    `A key close to one KServe reads (${KNOWN.map((k) => `s3-${k}`).join(', ')}) by spelling ( - or _ dropped, or two edits) but not one of them: an error, but for a misspelt s3-usehttps, which is a note where the endpoint's http:// or https:// decides use-https on the release judged, and a warning where its value is not "0" (KServe's default, https, is what it asks); other serving.kserve.io/s3-* keys are left alone`,
  example: 'a Secret annotated `serving.kserve.io/s3-endpoint: "http://minio.minio.svc:9000"` and `serving.kserve.io/s3-use-https: "0"` on OpenShift AI 2.x',
  fix: 'write the endpoint as host:port and say the scheme with serving.kserve.io/s3-usehttps ("0" for http), which every release reads; spell the key as KServe reads it',
  source: `kserve pkg/credentials/s3/s3_secret.go (the annotation keys); ${KEEPS_SCHEME_SOURCE}`,
  check(o, ctx) {
    return check(stringMap(mapping(o.manifest.metadata).annotations), ctx);
  },
};
