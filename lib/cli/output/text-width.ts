/**
 * Graphemes (a letter with its combining marks, an emoji sequence): a line is never broken inside one. Made on first
 * use: making the segmenter loads ICU's break data, a cost every run paid though most output is ASCII.
 */
let segmenter: Intl.Segmenter | undefined;
const graphemes = (text: string) => (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text);

// Zero-width: combining marks and format characters such as the zero-width joiner (Unicode general categories Mn, Me, Cf).
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
// Two columns in a terminal: emoji shown as pictures (Unicode Emoji_Presentation) and the East Asian Wide and
// Fullwidth ranges of Unicode's EastAsianWidth.txt (UAX #11: Hangul Jamo, CJK, Hangul syllables, fullwidth forms).
const WIDE =
  /\p{Emoji_Presentation}|[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** The columns one grapheme takes in a terminal: 0, 1 or 2. */
function graphemeWidth(g: string): number {
  if (ZERO_WIDTH.test(g)) return 0;
  return WIDE.test(g) ? 2 : 1;
}

/** The columns a single-line string takes in a terminal (not its UTF-16 length: `é` as e + U+0301 is 1, `模型` is 4). */
export function displayWidth(text: string): number {
  // ASCII, the common case, without segmenting
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` padded with spaces to `width` columns. */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Splits a word wider than `width`: after the last `/`, `-`, `.`, `,`, `:` or `=` that keeps at least half the line
 * (object names and paths break at their separators), else at the last grapheme that fits.
 */
function breakWord(word: string, width: number): [string, string] {
  let used = 0;
  let end = 0;
  let lastSeparator = -1;
  for (const { segment, index } of graphemes(word)) {
    const w = graphemeWidth(segment);
    if (used + w > width && end > 0) break;
    used += w;
    end = index + segment.length;
    if ('/-.,:='.includes(segment) && used >= width / 2) lastSeparator = end;
  }
  const at = lastSeparator > 0 && lastSeparator < word.length ? lastSeparator : end;
  return [word.slice(0, at), word.slice(at)];
}

/**
 * Wraps text to lines of at most `width` columns: at spaces, a longer word at its separators or where it must; an
 * embedded newline starts a new line. Never returns an empty list.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (displayWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      while (displayWidth(word) > width) {
        const [head, rest] = breakWord(word, width);
        lines.push(head);
        word = rest;
      }
      line = word;
    }
    lines.push(line);
  }
  return lines;
}
