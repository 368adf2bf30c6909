/**
 * A CRD pattern (Go's RE2, as the API server evaluates it) as a JavaScript one: RE2's leading case-insensitive flag
 * `(?i)` (prometheus-operator writes `^(?i)(abort|warn)?$`) has no inline form in JavaScript, so each ASCII letter
 * outside escapes and classes becomes a class of both cases.
 */
export function goPattern(pattern: string): string {
  const m = /^(\^?)\(\?i\)/.exec(pattern);
  if (!m) return pattern;
  const rest = pattern.slice(m[0].length);
  let out = m[1];
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      out += c + (rest[i + 1] ?? '');
      i++;
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (!inClass && /[a-z]/i.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}
