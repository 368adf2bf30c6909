import { mapping, text } from '../manifests/access';
import { editDistance } from '../private/edit-distance';
import { GraphObject, locationOf } from './graph-object';

/**
 * "Did you mean": the one name of the tree a reference that names nothing most likely meant. A reference rule gives it
 * the names of the right kind and scope (the namespace's, the cluster's), never more: a name of another namespace is
 * not what KServe, Kueue or Argo CD would find.
 */

/** A name the tree holds, and where (`file:line`, or the construct that declared it), for the message. */
export interface NamedCandidate {
  readonly name: string;
  readonly where?: string;
}

/** A name as compared for a near spelling: case, `_` and `.` do not count (`Vllm_Runtime` is `vllm-runtime`). */
const folded = (name: string): string => name.toLowerCase().replace(/[_.]/g, '-');

/**
 * The edits a near spelling may be from the name: one, two where both names have eight characters or more (two edits
 * in a short name make another word: `gpu` and `cpu` are one edit apart, `team-a` and `team-b` too).
 */
const editsAllowed = (a: string, b: string): number => (Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0);

/**
 * Whether two names are siblings rather than one misspelt: they differ only in digits (`llama-3-8b`, `llama-3-70b`;
 * `gpu-1`, `gpu-2`), or in one of their `-`-separated words that is short or holds a digit (`team-a`, `team-b`;
 * `nvidia-l4`, `nvidia-l40s`): a tree holds such series on purpose, and the one missing is no typo of another.
 */
function siblings(a: string, b: string): boolean {
  if (a.replace(/[0-9]+/g, '#') === b.replace(/[0-9]+/g, '#')) return true;
  const wa = a.split('-');
  const wb = b.split('-');
  if (wa.length !== wb.length) return false;
  const differing = wa.map((w, i) => [w, wb[i]] as const).filter(([x, y]) => x !== y);
  if (differing.length !== 1) return false;
  const [x, y] = differing[0];
  return Math.max(x.length, y.length) <= 3 || /[0-9]/.test(x + y);
}

/** How far a name is from a candidate as a misspelling, or undefined when it is not one (too far, or a sibling). */
function spellingDistance(name: string, candidate: string): number | undefined {
  if (name === candidate) return undefined;
  const [a, b] = [folded(name), folded(candidate)];
  // case or separators alone: nearer than any edit
  if (a === b) return 0;
  if (siblings(a, b)) return undefined;
  const d = editDistance(a, b);
  return d <= editsAllowed(a, b) ? d : undefined;
}

/** The distance given a name that is the other with one word left out: farther than any edit. */
const WORD_LEFT_OUT = 3;

/**
 * Whether one name is the other with one `-`-separated word left out (`thanos-metrics-reader` of
 * `thanos-gpu-metrics-reader`): the shorter keeps two words or more, and the word left out holds no digit (`llama-3`
 * and `llama-3-70b` are a series).
 */
function wordLeftOut(name: string, candidate: string): boolean {
  const [a, b] = [folded(name).split('-'), folded(candidate).split('-')];
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1 || short.length < 2) return false;
  return long.some((w, i) => w.length >= 2 && !/[0-9]/.test(w) && [...long.slice(0, i), ...long.slice(i + 1)].join('-') === short.join('-'));
}

/** How near spellings are judged: `words` also takes a name with one word left out or added (wordLeftOut). */
export interface NearOptions {
  readonly words?: boolean;
}

/**
 * The candidate a name most likely misspells: the nearest by spelling (case and `-`/`_`/`.` aside, then one or two
 * edits, then, where asked, one word left out or added), when it is the only one that near; undefined when none is
 * near, or two different names are equally near.
 */
export function meantCandidate(name: string, candidates: readonly NamedCandidate[], options: NearOptions = {}): NamedCandidate | undefined {
  const distance = (c: NamedCandidate) =>
    spellingDistance(name, c.name) ?? (options.words && name !== c.name && wordLeftOut(name, c.name) ? WORD_LEFT_OUT : undefined);
  const near = candidates.map((c) => ({ c, d: distance(c) })).filter((x): x is { c: NamedCandidate; d: number } => x.d !== undefined);
  if (!near.length) return undefined;
  const best = Math.min(...near.map((x) => x.d));
  const at = near.filter((x) => x.d === best);
  return new Set(at.map((x) => x.c.name)).size === 1 ? at[0].c : undefined;
}

/** The objects as candidates: each named object, where it was read. */
export function objectCandidates(objects: readonly GraphObject[]): NamedCandidate[] {
  return objects.flatMap((o) => {
    const name = text(mapping(o.manifest.metadata).name);
    return name === undefined ? [] : [{ name, where: locationOf(o) }];
  });
}

/** `did you mean vllm-runtime (base/runtime.yaml:1)?` for the candidate a name misspells, or undefined. */
export function didYouMean(name: string, candidates: readonly NamedCandidate[]): string | undefined {
  const meant = meantCandidate(name, candidates);
  return meant && `did you mean ${meant.name}${meant.where ? ` (${meant.where})` : ''}?`;
}

/** ` (did you mean …?)` for a name that misspells one of `names` (where the names are all a message has), else ''. */
export function meantAmong(name: string, names: readonly string[]): string {
  const meant = didYouMean(
    name,
    names.map((n) => ({ name: n })),
  );
  return meant ? ` (${meant})` : '';
}
