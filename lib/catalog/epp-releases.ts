import data from './data/epp-flags.json';

/**
 * The endpoint picker (EPP) of the Gateway API Inference Extension at each release: the flags its command line
 * declares (lib/catalog/data/epp-flags.json, derived by scripts/derive-epp-flags.js from the release tags), the
 * InferencePool group it watches, and how it finds the pool's namespace; and the release an image runs, read off its
 * reference (the extension's epp image, llm-d's inference scheduler, which embeds the extension's runner).
 */

/** Where the flag table comes from. */
export const EPP_FLAG_SOURCE: string = data.source;

/** The InferencePool groups: v1 (GIE v1.0 on) and the alpha group (v0.x; v1alpha2 served up to GIE v1.4). */
export const POOL_GROUP_V1 = 'inference.networking.k8s.io';
export const POOL_GROUP_ALPHA = 'inference.networking.x-k8s.io';

/** A flag's kind: a boolean takes no value word after it (Go's flag package, spf13/pflag). */
export type FlagKind = 'bool' | 'value';

/** A release of the picker whose flags the table holds. */
export interface EppRelease {
  /** `v1.0.0`, or llm-d's scheduler `0.0.3` for one that declared its own flags. */
  readonly release: string;
  /** How messages name it: `gateway-api-inference-extension v1.0.0`. */
  readonly label: string;
  readonly flags: Readonly<Record<string, FlagKind>>;
  /** From v1.3.0 the runner parses with spf13/pflag (pkg/epp/server/options.go AddFlags), before with Go's flag package. */
  readonly parser: 'go-flag' | 'pflag';
  /** The group it watches InferencePools in when --pool-group is not given (v0.x has no such flag). */
  readonly poolGroup: string;
  /** Whether an empty --pool-namespace falls back to the env NAMESPACE (cmd/epp/runner/runner.go from v1.1.0), else to `default`. */
  readonly namespaceFromEnv: boolean;
}

/** The release an image reference names, as the picker runs it. */
export interface ImageRelease {
  readonly release: EppRelease;
  /** The tag moves (main, latest, dev builds) or names a release the table does not hold: judged by the newest known. */
  readonly moving: boolean;
  /** The tag as written. */
  readonly tag: string;
}

const KEY = (v: string): number[] => (/(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
const atLeast = (v: string, min: string): boolean => {
  const [a, b] = [KEY(v), KEY(min)];
  const i = a.findIndex((x, j) => x !== b[j]);
  return i === -1 || a[i] > b[i];
};

/** The table's flags with their kinds (JSON holds them as strings). */
function kinds(flags: Readonly<Record<string, string | undefined>>): Record<string, FlagKind> {
  return Object.fromEntries(Object.entries(flags).flatMap(([k, v]) => (v === undefined ? [] : [[k, v === 'bool' ? 'bool' : 'value']])));
}

function gieRelease(r: (typeof data.releases)[number]): EppRelease {
  const v1 = atLeast(r.release, 'v1.0.0');
  return {
    release: r.release,
    label: `gateway-api-inference-extension ${r.release}`,
    flags: kinds(r.flags),
    parser: atLeast(r.release, 'v1.3.0') ? 'pflag' : 'go-flag',
    // pkg/epp/server/runserver.go DefaultPoolGroup from v1.0.0; v0.x watches v1alpha1/v1alpha2 pools of the alpha group
    poolGroup: v1 ? POOL_GROUP_V1 : POOL_GROUP_ALPHA,
    namespaceFromEnv: atLeast(r.release, 'v1.1.0'),
  };
}

const GIE: readonly EppRelease[] = data.releases.map(gieRelease);
const NEWEST = GIE[GIE.length - 1];
const byRelease = (release: string) => GIE.find((r) => r.release === release);

/** llm-d's scheduler releases 0.0.1 to v0.1.0, whose cmd/epp/main.go declared the flags (camelCase, the alpha group, GIE of May 2025). */
const LLMD_OWN: readonly EppRelease[] = data.llmdScheduler.map((r) => ({
  release: r.release,
  label: `llm-d-inference-scheduler ${r.release}`,
  flags: kinds(r.flags),
  parser: 'go-flag',
  poolGroup: POOL_GROUP_ALPHA,
  namespaceFromEnv: false,
}));

/**
 * The extension release each later llm-d scheduler release runs (llm-d/llm-d-inference-scheduler go.mod at the tag:
 * sigs.k8s.io/gateway-api-inference-extension). v0.6.x pins a main commit of 2026-01-28, between v1.3.1 and v1.4.0,
 * whose flag tables are the same.
 */
const LLMD_ON_GIE: Readonly<Record<string, string>> = {
  'v0.2.0': 'v0.5.0',
  'v0.2.1': 'v0.5.1',
  'v0.3.0': 'v1.0.0',
  'v0.3.1': 'v1.0.0',
  'v0.3.2': 'v1.0.0',
  'v0.4.0': 'v1.2.0',
  'v0.5.0': 'v1.3.0',
  'v0.5.1': 'v1.3.1',
  'v0.6.0': 'v1.3.1',
  'v0.6.1': 'v1.3.1',
  'v0.7.0': 'v1.4.0',
  'v0.7.1': 'v1.4.0',
  'v0.8.0': 'v1.5.0',
};

/** The extension's epp image (registry.k8s.io and the staging registry) and its tag. */
const GIE_IMAGE = /gateway-api-inference-extension\/epp:([^@\s]+)/;
/** llm-d's scheduler image, under its first name and the router's (llm-d/llm-d-router, the same repository renamed). */
const LLMD_IMAGE = /ghcr\.io\/llm-d\/(?:llm-d-inference-scheduler|llm-d-router-endpoint-picker):([^@\s]+)/;
/** Tags that move with a branch: judged by the newest release, which every later build is. */
const MOVING_TAG = /^(main|latest|nightly)$/;

function llmdRelease(tag: string): ImageRelease | undefined {
  const own = LLMD_OWN.find((r) => r.release === tag);
  if (own) return { release: own, moving: false, tag };
  const gie = LLMD_ON_GIE[tag] ?? LLMD_ON_GIE[tag.replace(/-rc\.?\d+$/i, '')];
  if (gie) {
    const base = byRelease(gie)!;
    return {
      release: { ...base, label: `llm-d-inference-scheduler ${tag} (gateway-api-inference-extension ${gie})` },
      moving: tag !== tag.replace(/-rc\.?\d+$/i, ''),
      tag,
    };
  }
  // a later release than the table holds, or a moving tag: the newest extension release it may run
  if (MOVING_TAG.test(tag) || (/^v\d+\.\d+\.\d+/.test(tag) && atLeast(tag, 'v0.8.0'))) return { release: NEWEST, moving: true, tag };
  return undefined;
}

/**
 * The picker release an image runs: the extension's epp image by its tag (a release candidate by its release, not
 * exactly: moving), llm-d's scheduler by the extension release its go.mod names; `main` or `latest` the newest release
 * the table holds, moving. Undefined for an image of no known picker or a tag that is not read (a placeholder, a digest).
 */
export function eppImageRelease(image: string): ImageRelease | undefined {
  const gie = GIE_IMAGE.exec(image);
  if (gie) {
    const tag = gie[1];
    if (MOVING_TAG.test(tag)) return { release: NEWEST, moving: true, tag };
    const exact = byRelease(tag);
    if (exact) return { release: exact, moving: false, tag };
    const rc = /^(v\d+\.\d+\.\d+)-rc\.\d+$/.exec(tag);
    const base = rc ? byRelease(rc[1]) : undefined;
    return base ? { release: base, moving: true, tag } : undefined;
  }
  const llmd = LLMD_IMAGE.exec(image);
  return llmd ? llmdRelease(llmd[1]) : undefined;
}

/** Every flag name some release declares, with the releases that do (oldest first). */
export function releasesDeclaring(flag: string): EppRelease[] {
  return [...LLMD_OWN, ...GIE].filter((r) => Object.prototype.hasOwnProperty.call(r.flags, flag));
}

/** The spelling of a flag in the other style: poolName ↔ pool-name. */
export function otherSpelling(flag: string): string {
  return flag.includes('-') ? flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) : flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A flag's kind as the releases declare it: a boolean where every release that declares it does; undefined where none does. */
export function eppFlagKind(flag: string): FlagKind | undefined {
  const rs = releasesDeclaring(flag);
  if (!rs.length) return undefined;
  return rs.every((r) => r.flags[flag] === 'bool') ? 'bool' : 'value';
}

/** The newest release the table holds. */
export const NEWEST_EPP: EppRelease = NEWEST;
