/**
 * Printable ASCII in the order of the Unicode collation of the root and English locales (CLDR root, which ICU's
 * `localeCompare` follows): blanks and punctuation, symbols, digits, then letters, each lowercase letter just before
 * its uppercase one. Read off ICU by sorting these characters with `localeCompare`; the tests check it the same way.
 */
const ROOT_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ';

/** Primary weight by character code (letters of either case alike), and whether the character is an uppercase letter. */
const PRIMARY = new Int16Array(128).fill(-1);
for (let i = 0, weight = 0; i < ROOT_ORDER.length; i++) {
  const c = ROOT_ORDER.charCodeAt(i);
  const upper = c >= 65 && c <= 90;
  PRIMARY[c] = upper ? PRIMARY[c + 32] : weight++;
}

/**
 * Compares two strings as `a.localeCompare(b, 'en')` does (-1, 0 or 1), without loading ICU's collator when both are
 * printable ASCII, as the names, paths and keys synth sorts are: ICU's first use costs more than a small synth's
 * sorting (its collation data is loaded and parsed). Tertiary strength, as `localeCompare`'s default: the
 * characters' primary weights first (case aside), then case at the first difference, lowercase first.
 * Anything else (accents, tabs, other scripts) is compared by ICU in the English locale.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let caseOrder = 0;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const px = x < 128 ? PRIMARY[x] : -1;
    const py = y < 128 ? PRIMARY[y] : -1;
    if (px < 0 || py < 0) return a.localeCompare(b, 'en');
    if (px !== py) return restIsAscii(a, i) && restIsAscii(b, i) ? (px < py ? -1 : 1) : a.localeCompare(b, 'en');
    // same letter, other case: the lowercase one sorts first, unless a primary difference comes later
    if (x !== y && caseOrder === 0) caseOrder = x > y ? -1 : 1;
  }
  if (!restIsAscii(a, n) || !restIsAscii(b, n)) return a.localeCompare(b, 'en');
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return caseOrder;
}

function restIsAscii(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || PRIMARY[c] < 0) return false;
  }
  return true;
}
