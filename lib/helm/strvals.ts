import { GoMap, isGoMap } from './go-values';

/**
 * helm pkg/strvals: a `--set` (or `--set-string`) expression `a.b=v,c[0]=w,d={x,y}` into values. Typed values (not
 * with --set-string): true/false, null, and integers that do not start with 0 become bool, nil and int64.
 */
export function parseSet(expr: string, values: GoMap, asString: boolean): GoMap {
  for (const part of splitUnescaped(expr, ',', true)) {
    const eq = indexUnescaped(part, '=');
    if (eq < 0) throw new Error(`key "${part}" has no value`);
    const key = part.slice(0, eq);
    const raw = part.slice(eq + 1);
    const value =
      raw.startsWith('{') && raw.endsWith('}')
        ? splitUnescaped(raw.slice(1, -1), ',', false).map((x) => typed(unescape(x), asString))
        : typed(unescape(raw), asString);
    setPath(values, keyPath(key), value);
  }
  return values;
}

function typed(v: string, asString: boolean): unknown {
  if (asString) return v;
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'null') return null;
  if (v !== '' && v[0] !== '0' && /^[+-]?\d+$/.test(v)) return BigInt(v);
  if (v === '0') return 0n;
  return v;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function indexUnescaped(s: string, ch: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

/** Splits at unescaped separators; outside a list's braces only, when `braces`. */
function splitUnescaped(s: string, sep: string, braces: boolean): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (braces && c === '{') depth++;
    if (braces && c === '}') depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((x, i) => x !== '' || i < out.length - 1 || out.length === 1);
}

/** `a.b[0].c` as keys and list indexes (an escaped dot stays in its key). */
function keyPath(key: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of splitUnescaped(key, '.', false)) {
    const m = /^(.*?)((?:\[\d+\])*)$/.exec(seg)!;
    if (m[1]) out.push(unescape(m[1]));
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function setPath(root: GoMap, keys: (string | number)[], value: unknown): void {
  let cur: GoMap | unknown[] = root;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    const nextIsIndex = typeof keys[i + 1] === 'number';
    const slot = (cur as Record<string | number, unknown>)[k];
    if (last) {
      (cur as Record<string | number, unknown>)[k] = value;
      if (Array.isArray(cur)) for (let j = 0; j < cur.length; j++) if (cur[j] === undefined) cur[j] = null;
      return;
    }
    const fresh = nextIsIndex ? (Array.isArray(slot) ? slot : []) : isGoMap(slot) ? slot : {};
    (cur as Record<string | number, unknown>)[k] = fresh;
    if (Array.isArray(cur)) for (let j = 0; j < cur.length; j++) if (cur[j] === undefined) cur[j] = null;
    cur = fresh;
  });
}

/** --set-file key=path: the key set to the file's text (helm strvals ParseIntoString with the file reader). */
export function setFileValue(values: GoMap, key: string, text: string): GoMap {
  setPath(values, keyPath(key), text);
  return values;
}
