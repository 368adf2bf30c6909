import { PLATFORMS } from '../platform/platform';
import { treeKserveRelease, TreeKserveRelease } from './kserve-release';
import { Platform } from './platform';
import { CheckContext } from './rule';

/**
 * The first upstream KServe minor release whose credential builder keeps a scheme written in the S3 endpoint and
 * derives use-https from it: kserve/kserve fd8f6aa29 (#4797 "Add Support For Protocol in S3 Endpoint", first released in
 * v0.17.0) adds getEndpointConfiguration to pkg/credentials/s3/utils.go. Before it, BuildS3EnvVars writes
 * AWS_ENDPOINT_URL as "https://" (or "http://" under s3-usehttps "0") + the endpoint as written.
 */
export const KEEPS_SCHEME_SINCE = 17;

/**
 * Where OpenShift AI's KServe took the same change: red-hat-data-services/kserve rhoai-3.0 61178ef61 (the cherry-pick
 * of opendatahub-io/kserve #964, 2025-11-04) and every later rhoai-3.x branch; the rhoai-2.x branches (2.6 to 2.25)
 * still prefix. Open Data Hub has it from odh-v3.1 (the odh-v3.0 tag predates it).
 */
export const KEEPS_SCHEME_SOURCE =
  'kserve/kserve pkg/credentials/s3/utils.go BuildS3EnvVars and getEndpointConfiguration (fd8f6aa29, #4797, first in v0.17.0: a given http:// or https:// is kept and sets use-https; any other endpoint gets "https://", or "http://" when s3-usehttps is "0", prefixed; before v0.17.0 every endpoint is prefixed); red-hat-data-services/kserve rhoai-3.0 61178ef61 (opendatahub-io/kserve #964, also in rhoai-3.2 to 3.4) against rhoai-2.25 and earlier, which prefix';

/**
 * How the judged KServe builds AWS_ENDPOINT_URL from an endpoint written with http:// or https://: `kept` (the URL as
 * written), `prefixed` (its own scheme in front: the store is not reached), or `assumed` where the judged release keeps
 * it but the platform is only assumed and a candidate prefixes. `on` names the judged release, `elsewhere` those that
 * prefix where assumed.
 */
export type SchemeVerdict =
  | { readonly verdict: 'kept'; readonly on: string }
  | { readonly verdict: 'prefixed'; readonly on: string }
  | { readonly verdict: 'assumed'; readonly on: string; readonly elsewhere: string };

/** The upstream release the tree shows on one side of 0.17; undefined where none or both. */
function shownRelease(ctx: CheckContext): TreeKserveRelease | undefined {
  const { graph } = ctx;
  return graph.once(`kserve-release:${KEEPS_SCHEME_SINCE}`, () =>
    treeKserveRelease(
      graph.objects.map((o) => ({ manifest: o.manifest, id: graph.id(o) })),
      KEEPS_SCHEME_SINCE,
      graph.installed,
    ),
  );
}

/** How a candidate platform that may prefix is named; undefined where it keeps the scheme. */
function prefixingCandidate(candidate: Platform, shown: TreeKserveRelease | undefined): string | undefined {
  if (candidate === 'rhoai-2') return 'OpenShift AI 2.x';
  if (candidate === 'kserve' && (!shown || shown.minor < KEEPS_SCHEME_SINCE)) return `upstream KServe before 0.${KEEPS_SCHEME_SINCE}`;
  return undefined;
}

export function schemeVerdict(ctx: CheckContext): SchemeVerdict {
  const p = ctx.platform;
  if (p === 'rhoai-2') return { verdict: 'prefixed', on: 'OpenShift AI 2.x' };
  const shown = shownRelease(ctx);
  if (p === 'kserve') {
    if (shown) {
      const on = `upstream KServe ${shown.release} (${shown.from})`;
      return shown.minor >= KEEPS_SCHEME_SINCE ? { verdict: 'kept', on } : { verdict: 'prefixed', on };
    }
    return {
      verdict: 'assumed',
      on: `${PLATFORMS.kserve.kserveLabel}, the newest known (the tree shows no KServe release)`,
      elsewhere: `upstream KServe before 0.${KEEPS_SCHEME_SINCE}`,
    };
  }
  const on = PLATFORMS[p].kserveLabel;
  const others = ctx.platformAssumed ? (ctx.platformCandidates ?? []).filter((c) => c !== p) : [];
  const prefixing = [...new Set(others.map((c) => prefixingCandidate(c, shown)).filter((x): x is string => x !== undefined))];
  if (prefixing.length) return { verdict: 'assumed', on: `${on}, the platform assumed`, elsewhere: prefixing.join(' and ') };
  return { verdict: 'kept', on };
}
