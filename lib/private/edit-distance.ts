/** The Levenshtein distance between two strings: insertions, deletions and substitutions of one character each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/**
 * How far a word may be from a name and still be taken for it: one edit per so many characters of a length, with a floor. Each caller names
 * its bound, for the names it compares differ: a configuration key is measured by the known key, a command-line flag
 * by the word written (less its dashes), two object names by the longer.
 */
export interface NearBound {
  /** The characters of the measured length per edit allowed: 3 allows one edit in three characters. */
  readonly charactersPerEdit: number;
  /** Whose length is measured: the word written, the candidate it may mean, or the longer of the two. */
  readonly of: 'word' | 'candidate' | 'longer';
  /** The edits allowed however short the names. */
  readonly atLeast: number;
  /** Characters at the start of the measured name not counted (the `--` of a long option). */
  readonly uncounted?: number;
}

/** The edits a bound allows between a word and a candidate. */
export function editsAllowed(word: string, candidate: string, bound: NearBound): number {
  const length = bound.of === 'word' ? word.length : bound.of === 'candidate' ? candidate.length : Math.max(word.length, candidate.length);
  return Math.max(bound.atLeast, Math.floor((length - (bound.uncounted ?? 0)) / bound.charactersPerEdit));
}

/**
 * The candidates within the bound of a word, nearest first (ties in the order given), with their distance.
 * `distance` measures a pair (edit distance unless the caller counts something else, such as a prefix, as one edit).
 */
export function nearWithin(
  word: string,
  candidates: readonly string[],
  bound: NearBound,
  distance: (word: string, candidate: string) => number = editDistance,
): { readonly candidate: string; readonly distance: number }[] {
  return candidates
    .map((candidate) => ({ candidate, distance: distance(word, candidate) }))
    .filter((x) => x.distance <= editsAllowed(word, x.candidate, bound))
    .sort((a, b) => a.distance - b.distance);
}
