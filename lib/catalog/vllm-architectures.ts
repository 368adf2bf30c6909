import data from './data/vllm-architectures.json';

/** The vLLM releases that register an architecture, from the derived table (lib/catalog/data/vllm-architectures.json). */
export interface ArchitectureSupport {
  /** The first release whose model registry names the architecture, e.g. `0.8.4`. */
  readonly since: string;
  /** The last release that names it, for an architecture the newest release read no longer has. */
  readonly until?: string;
}

/** Where the table of first releases comes from (the derivation script writes it). */
export const ARCHITECTURE_TABLE_SOURCE: string = data.source;

/** The releases the table was derived from, oldest first (`0.1.0` … the newest read). */
export const VLLM_RELEASES: readonly string[] = data.releases.map((r) => r.version);

const TABLE: Readonly<Record<string, ArchitectureSupport>> = data.architectures;

/**
 * The first vLLM release that can fall back to the Transformers library for an architecture it has no implementation
 * of: before it, an unregistered architecture always stops the engine (vllm/model_executor/model_loader/utils.py,
 * resolve_transformers_fallback, added in v0.7.2).
 */
export const TRANSFORMERS_FALLBACK_SINCE = '0.7.2';

/** The releases that register an architecture; undefined when no release read names it. */
export function architectureSupport(architecture: string): ArchitectureSupport | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, architecture) ? TABLE[architecture] : undefined;
}

/** The keys of the versions compared so far: a check run compares the same few releases some hundred thousand times. */
const VERSION_KEYS = new Map<string, readonly number[]>();

/** The numbers a vLLM version orders by: `0.8.5.post1` → [0, 8, 5, 1], `0.9.0.1` → [0, 9, 0, 1]. */
function versionKey(version: string): readonly number[] {
  const known = VERSION_KEYS.get(version);
  if (known) return known;
  const m = /^(\d+)\.(\d+)\.(\d+)(?:\.post(\d+)|\.(\d+))?$/.exec(version);
  if (!m) throw new Error(`'${version}' is not a vLLM release version (X.Y.Z, X.Y.Z.postN or X.Y.Z.N)`);
  const key = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? m[5] ?? 0)];
  // bounded: versions come from the catalogue and the tree's image tags
  if (VERSION_KEYS.size >= 4096) VERSION_KEYS.clear();
  VERSION_KEYS.set(version, key);
  return key;
}

/** Orders two vLLM release versions: negative when a is older. */
export function compareVllmVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}

/** How a vLLM release stands to an architecture. */
export type ArchitectureVerdict =
  | { readonly status: 'supported' | 'unknown-architecture' }
  | { readonly status: 'not-yet'; readonly since: string }
  | { readonly status: 'removed'; readonly until: string };

/** Whether vLLM `version` registers `architecture`: not yet (older than its first release), removed, or supported. */
export function architectureVerdict(version: string, architecture: string): ArchitectureVerdict {
  const support = architectureSupport(architecture);
  if (!support) return { status: 'unknown-architecture' };
  if (compareVllmVersions(version, support.since) < 0) return { status: 'not-yet', since: support.since };
  if (support.until && compareVllmVersions(version, support.until) > 0) {
    // a version between two releases read (a release newer than the table is not judged for removal)
    const newest = VLLM_RELEASES[VLLM_RELEASES.length - 1];
    if (compareVllmVersions(version, newest) <= 0) return { status: 'removed', until: support.until };
  }
  return { status: 'supported' };
}
