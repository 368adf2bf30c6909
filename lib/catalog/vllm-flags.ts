import data from './data/vllm-flags.json';
import { editDistance, NearBound, nearWithin } from '../private/edit-distance';
import { compareVllmVersions, VLLM_RELEASES } from './vllm-architectures';

/** The catalogued releases that have a long option: a first and last, or each one where it comes and goes. */
interface FlagReleases {
  readonly since?: string;
  readonly until?: string;
  readonly releases?: readonly string[];
}

/** Where the option catalogue comes from (the derivation script writes it). */
export const FLAG_TABLE_SOURCE: string = data.source;

/** The releases whose options are catalogued, oldest first. */
export const FLAG_RELEASES: readonly string[] = data.releases.map((r) => r.version);

const TABLE: Readonly<Record<string, FlagReleases>> = data.flags;
const NEWEST = FLAG_RELEASES[FLAG_RELEASES.length - 1];

/** The release that removed an option, where it falls between two catalogued releases, and the vLLM change that did. */
export interface FlagRemoval {
  readonly in: string;
  readonly change: string;
}

/**
 * Removals the catalogued releases cannot place (they skip the releases between the last that has the option and the
 * first that lacks it), read in vLLM's history: the derivation script writes them with the table.
 */
const REMOVALS: Readonly<Record<string, FlagRemoval>> = data.removals;

/** What replaced a removed option (`by`, none where it is dropped outright) and the vLLM change that says so. */
export interface FlagReplacement {
  readonly by: string | null;
  readonly change: string;
}

/** Replacements of removed options, read in the changes that deprecated them: the derivation script writes them with the table. */
const REPLACEMENTS: Readonly<Record<string, FlagReplacement>> = data.replacements;

/**
 * Options vLLM added between two catalogued releases, read in its history: the last release that cannot have one (the
 * change came after it was released) and the change. The derivation script writes them with the table.
 */
const ADDITIONS: Readonly<Record<string, { readonly after: string; readonly change: string }>> = data.additions;

/** The last release that cannot have an option vLLM added in a gap of the catalogue, and the change that added it. */
function additionOf(flag: string): { readonly after: string; readonly change: string } | undefined {
  return Object.prototype.hasOwnProperty.call(ADDITIONS, flag) ? ADDITIONS[flag] : undefined;
}

/** What replaced an option vLLM removed, where a deprecation names it. */
export function replacementOf(flag: string): FlagReplacement | undefined {
  return Object.prototype.hasOwnProperty.call(REPLACEMENTS, flag) ? REPLACEMENTS[flag] : undefined;
}

/** The release that removed an option and the change that did, where the catalogue's gap hides it. */
export function removalOf(flag: string): FlagRemoval | undefined {
  return Object.prototype.hasOwnProperty.call(REMOVALS, flag) ? REMOVALS[flag] : undefined;
}

/** The last release that has an option: the one before its known removal, else the last catalogued with it. */
function lastWith(flag: string, r: FlagReleases): string | undefined {
  const removal = removalOf(flag);
  if (removal) return VLLM_RELEASES[VLLM_RELEASES.indexOf(removal.in) - 1];
  return r.until ?? r.releases?.[r.releases.length - 1];
}

/** The option set of each catalogued release. */
const BY_RELEASE: ReadonlyMap<string, readonly string[]> = new Map(
  FLAG_RELEASES.map((version) => [version, Object.keys(TABLE).filter((flag) => inRelease(TABLE[flag], version))]),
);
const EVERY_FLAG: readonly string[] = Object.keys(TABLE);

function inRelease(r: FlagReleases, version: string): boolean {
  if (r.releases) return r.releases.includes(version);
  const i = FLAG_RELEASES.indexOf(version);
  return FLAG_RELEASES.indexOf(r.since ?? '') <= i && (r.until === undefined || i <= FLAG_RELEASES.indexOf(r.until));
}

/**
 * Whether argparse takes the word as one of the options: the option itself, or a prefix of some (FlexibleArgumentParser
 * leaves allow_abbrev on: a unique prefix stands for its option, several make argparse stop on an ambiguous option,
 * which is not this finding).
 */
function accepts(options: readonly string[], flag: string): boolean {
  return options.some((o) => o.startsWith(flag));
}

/** What the catalogue says of an option vLLM's parser reads. */
export type FlagVerdict =
  /** the release has it, or it cannot be told (a version outside the catalogue's reach) */
  | { readonly kind: 'accepted' }
  /** no catalogued release has it */
  | { readonly kind: 'unknown'; readonly nearest: readonly string[] }
  /** the image's release lacks it; others have it */
  | { readonly kind: 'absent'; readonly when: string; readonly nearest: readonly string[] };

/**
 * The verdict on a long option (`--max-model-len`, underscores already dashes, no `=value`) for a vLLM version, or for
 * any release when the version is unknown. A version between two catalogued releases lacks an option only where both
 * lack it; one newer than the newest catalogued, or older than the oldest, is judged as unknown.
 */
export function vllmFlagVerdict(flag: string, version?: string): FlagVerdict {
  return remembered(VERDICTS, flag, version, () => flagVerdict(flag, version));
}

/**
 * The answers given so far, by option and version: a tree of many services asks the same few options of the same
 * release once per service, and each answer scans the whole catalogue. Bounded: the words come from the tree.
 */
const VERDICTS = new Map<string, FlagVerdict>();
const REMOVED_AROUND = new Map<string, { readonly last: string; readonly next: string } | undefined>();
const REMEMBERED_PER_TABLE = 4096;

function remembered<T>(table: Map<string, T>, flag: string, version: string | undefined, compute: () => T): T {
  // a version never holds a NUL; the first character tells an unknown version from an empty one
  const key = version === undefined ? `-${flag}` : `+${version}\0${flag}`;
  const known = table.get(key);
  if (known !== undefined || table.has(key)) return known as T;
  const value = compute();
  if (table.size >= REMEMBERED_PER_TABLE) table.clear();
  table.set(key, value);
  return value;
}

function flagVerdict(flag: string, version?: string): FlagVerdict {
  if (!EVERY_FLAG.some((o) => o.startsWith(flag))) return { kind: 'unknown', nearest: nearestFlags(flag, EVERY_FLAG) };
  if (version === undefined || compareVllmVersions(version, NEWEST) > 0 || compareVllmVersions(version, FLAG_RELEASES[0]) < 0) return { kind: 'accepted' };
  const after = FLAG_RELEASES.findIndex((r) => compareVllmVersions(r, version) >= 0);
  const neighbours = FLAG_RELEASES[after] === version ? [version] : [FLAG_RELEASES[after - 1], FLAG_RELEASES[after]];
  // an addition read in vLLM's history places the option's start on the releases the catalogue skipped
  const addition = additionOf(flag);
  if (addition && compareVllmVersions(version, addition.after) <= 0) {
    return { kind: 'absent', when: `added after ${addition.after}: ${addition.change}`, nearest: nearestFlags(flag, BY_RELEASE.get(neighbours[0]) ?? []) };
  }
  const removal = removalOf(flag);
  // a removal read in vLLM's history places the option on the releases the catalogue skipped
  const removed = removal !== undefined && compareVllmVersions(version, removal.in) >= 0;
  if (!removed && neighbours.some((r) => accepts(BY_RELEASE.get(r) ?? [], flag))) return { kind: 'accepted' };
  // the options of the later neighbour where the removal is known (the earlier still has this one)
  const options = BY_RELEASE.get(removed ? neighbours[neighbours.length - 1] : neighbours[0]) ?? [];
  return { kind: 'absent', when: whenOf(flag, version), nearest: nearestFlags(flag, options) };
}

/**
 * The two catalogued releases around a version the catalogue did not read, where the earlier has the option and the
 * later lacks it (`--override-pooler-config` on 0.18.0: in 0.11.2, not in 0.19.0): vLLM removed it in between, and
 * whether before or after this version the catalogue cannot tell. Undefined otherwise.
 */
export function removedAround(flag: string, version: string): { readonly last: string; readonly next: string } | undefined {
  return remembered(REMOVED_AROUND, flag, version, () => removedAroundNow(flag, version));
}

function removedAroundNow(flag: string, version: string): { readonly last: string; readonly next: string } | undefined {
  if (!TABLE[flag] || FLAG_RELEASES.includes(version) || removalOf(flag)) return undefined;
  const after = FLAG_RELEASES.findIndex((r) => compareVllmVersions(r, version) > 0);
  if (after < 1) return undefined;
  const [last, next] = [FLAG_RELEASES[after - 1], FLAG_RELEASES[after]];
  return accepts(BY_RELEASE.get(last) ?? [], flag) && !accepts(BY_RELEASE.get(next) ?? [], flag) ? { last, next } : undefined;
}

/**
 * The last catalogued release that has an option the newest catalogued lacks (`--device`: 0.9.1): removed, and taken
 * as absent from any later release too (an option vLLM removed is deprecated first and not brought back). Undefined
 * for an option the newest has, or none catalogued.
 */
export function removedAfter(flag: string): string | undefined {
  const r = TABLE[flag];
  if (!r) return undefined;
  const last = lastWith(flag, r);
  return last !== undefined && last !== NEWEST ? last : undefined;
}

/**
 * The negation vLLM has for a `--disable-X` it lacks: `--no-enable-X`, where `--enable-X` is a boolean option of the
 * newest catalogued release read by argparse's BooleanOptionalAction (vllm/engine/arg_utils.py: enable_prefix_caching
 * and the like), which registers only `--enable-X` and `--no-enable-X`. Undefined otherwise.
 */
export function negationOf(flag: string): string | undefined {
  const m = /^--disable-(.+)$/.exec(flag);
  const negation = m ? `--no-enable-${m[1]}` : undefined;
  return negation && isCataloguedFlag(negation) && removedAfter(negation) === undefined ? negation : undefined;
}

/**
 * The option of the newest catalogued release that a word no release had is a slip of, sure enough to judge a newer
 * release by: the `--no-enable-X` of a `--disable-X`, or an option one or two edits away (a release after the catalogue
 * may add options, rarely one a letter or two from one it keeps).
 */
export function sureSlipOf(flag: string, nearest: readonly string[]): string | undefined {
  return negationOf(flag) ?? nearest.find((n) => removedAfter(n) === undefined && !flag.startsWith(`${n}-`) && editDistance(flag, n) <= 2);
}

/** Whether a catalogued release has exactly this long option (`--max-model-len`). */
export function isCataloguedFlag(flag: string): boolean {
  return Object.prototype.hasOwnProperty.call(TABLE, flag);
}

/** An option as a message shows it: with the releases that have it when the newest catalogued lacks it or its first lacks it. */
export function shownFlag(flag: string): string {
  const r = TABLE[flag];
  if (!r) return flag;
  const first = r.since ?? r.releases?.[0];
  const last = lastWith(flag, r);
  if (last !== undefined && last !== NEWEST) return `${flag} (${first}–${last})`;
  return first !== FLAG_RELEASES[0] ? `${flag} (from ${first})` : flag;
}

/** When the releases have an option (or the one it abbreviates), said for a version that lacks it. */
function whenOf(flag: string, version: string): string {
  const whole = Object.prototype.hasOwnProperty.call(TABLE, flag) ? flag : (EVERY_FLAG.find((o) => o.startsWith(flag)) ?? '');
  const r = TABLE[whole];
  const removal = removalOf(whole);
  if (removal && compareVllmVersions(version, removal.in) >= 0) return `removed in ${removal.in}, ${removal.change}`;
  const first = r.since ?? r.releases?.[0] ?? NEWEST;
  const last = r.until ?? r.releases?.[r.releases.length - 1] ?? NEWEST;
  if (compareVllmVersions(version, first) < 0) {
    const before = FLAG_RELEASES[FLAG_RELEASES.indexOf(first) - 1];
    // releases the catalogue did not read may have brought it earlier
    const gap = before !== undefined && VLLM_RELEASES[VLLM_RELEASES.indexOf(first) - 1] !== before;
    return gap ? `added after ${before}, by ${first}` : `added in ${first}`;
  }
  return compareVllmVersions(version, last) > 0 ? `removed after ${last}` : `not in ${version}, which its neighbours have`;
}

/** A flag is taken for an option at most a quarter of its length (less its dashes) away, at least two edits. */
const FLAG_TYPO: NearBound = { charactersPerEdit: 4, of: 'word', atLeast: 2, uncounted: 2 };

/**
 * Up to three options nearest to a word, nearest first (FLAG_TYPO), an option the word starts with (`--device` of
 * `--device-type`) counting as one edit.
 */
export function nearestFlags(flag: string, options: readonly string[] = EVERY_FLAG): string[] {
  const named = options.filter((o) => !o.startsWith('--no-') || flag.startsWith('--no-')).sort((a, b) => a.localeCompare(b));
  return nearWithin(flag, named, FLAG_TYPO, (f, o) => (f.startsWith(`${o}-`) ? 1 : editDistance(f, o)))
    .slice(0, 3)
    .map((x) => x.candidate);
}
