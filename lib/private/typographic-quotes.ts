/**
 * Quote characters YAML does not read as quotes: the typographic ones a word processor, a chat or a web page puts for
 * " and ' (U+2018 to U+201F). A value written between them keeps them as characters of a plain scalar.
 */
export const TYPOGRAPHIC_QUOTE = /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f]/;

/** A value with its typographic quotes removed, and the straight ones they pair with (`“1"`); undefined when it holds none. */
export function withoutTypographicQuotes(value: string): string | undefined {
  if (!TYPOGRAPHIC_QUOTE.test(value)) return undefined;
  return value.replace(new RegExp(TYPOGRAPHIC_QUOTE.source, 'g'), '').replace(/["']/g, '').trim();
}
