/**
 * A CRD pattern (Go's RE2, as the API server evaluates it) as a JavaScript one: RE2's case-insensitive flag `(?i)` has
 * no inline form in JavaScript, so each ASCII letter outside escapes and classes that the flag covers becomes a class
 * of both cases. The flag holds from where it is written to the end of its group, or of the pattern at the top
 * (prometheus-operator writes `^(?i)(abort|warn)?$`, and `^((?i)january|…)(?:((:((?i)january|…))$)|$)` in
 * AlertmanagerConfig's time intervals).
 */
export function goPattern(pattern: string): string {
  if (!pattern.includes('(?i)')) return pattern;
  let out = '';
  let inClass = false;
  // whether (?i) covers each open group, the top level first
  const folded = [false];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      inClass = c !== ']';
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (pattern.startsWith('(?i)', i)) {
      folded[folded.length - 1] = true;
      i += 3;
    } else if (c === '(' || c === ')') {
      if (c === '(') folded.push(folded[folded.length - 1]);
      else if (folded.length > 1) folded.pop();
      out += c;
    } else if (folded[folded.length - 1] && /[a-z]/i.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}
