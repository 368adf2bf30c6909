import { formatFloat, formatValue, goExponent, isGoMap, isNil, typeOf } from './go-values';

/**
 * fmt.Sprintf as Go's fmt/print.go and format.go write the verbs templates use: %s %v %d %q %t %f %e %g %x %X %c %%,
 * the flags - + 0 space #, width and precision; a verb given the wrong type prints `%!d(string=x)`, a missing
 * argument `%!d(MISSING)`, extra ones `%!(EXTRA type=value, …)`.
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, w, p, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const width = w === '*' ? Number(args[argi++]) : w ? Number(w) : undefined;
    const prec = p === '*' ? Number(args[argi++]) : p !== undefined ? Number(p || 0) : undefined;
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(verbOf(verb, args[argi++], flags, prec), width, flags);
  }
  out += format.slice(last);
  if (argi < args.length)
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => `${typeOf(a)}=${formatValue(a)}`)
      .join(', ')})`;
  return out;
}

function pad(s: string, width: number | undefined, flags: string): string {
  if (width === undefined || s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && /^[+-]?\d/.test(s)) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

const bad = (verb: string, v: unknown) => `%!${verb}(${typeOf(v)}=${formatValue(v)})`;

function verbOf(verb: string, v: unknown, flags: string, prec: number | undefined): string {
  switch (verb) {
    case 'v':
    case 's':
      return stringVerb(verb, v, prec);
    case 'd':
      return typeof v === 'bigint' ? signed(String(v), flags) : Array.isArray(v) ? `[${v.map((x) => verbOf('d', x, flags, prec)).join(' ')}]` : bad(verb, v);
    case 'q':
      return typeof v === 'string' ? goQuote(v) : typeof v === 'bigint' ? `'${String.fromCodePoint(Number(v))}'` : bad(verb, v);
    case 't':
      return typeof v === 'boolean' ? String(v) : bad(verb, v);
    case 'T':
      return typeOf(v);
    case 'c':
      return typeof v === 'bigint' ? String.fromCodePoint(Number(v)) : bad(verb, v);
    case 'x':
    case 'X':
      return hex(v, verb === 'X') ?? bad(verb, v);
    case 'f':
    case 'F':
    case 'e':
    case 'g':
      return typeof v === 'number' ? signed(floatVerb(verb, v, prec), flags) : bad(verb, v);
    default:
      return bad(verb, v);
  }
}

function stringVerb(verb: string, v: unknown, prec: number | undefined): string {
  if (verb === 's' && (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || isNil(v))) return isNil(v) ? '%!s(<nil>)' : bad(verb, v);
  const s = formatValue(v);
  return prec !== undefined && typeof v === 'string' ? [...s].slice(0, prec).join('') : s;
}

function signed(s: string, flags: string): string {
  if (s.startsWith('-')) return s;
  return flags.includes('+') ? `+${s}` : flags.includes(' ') ? ` ${s}` : s;
}

function floatVerb(verb: string, v: number, prec: number | undefined): string {
  if (verb === 'e') return goExponent(Number(v.toExponential(prec ?? 6))).replace(/e/, prec === 0 ? 'e' : 'e');
  if (verb === 'g') return prec === undefined ? formatFloat(v) : formatFloat(Number(v.toPrecision(prec)));
  return v.toFixed(prec ?? 6);
}

function hex(v: unknown, upper: boolean): string | undefined {
  let s: string | undefined;
  if (typeof v === 'bigint') s = (v < 0n ? '-' : '') + (v < 0n ? -v : v).toString(16);
  else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
  return upper ? s?.toUpperCase() : s;
}

/** strconv.Quote: a double-quoted Go string literal (printable runes kept, the rest escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fmt.Sprint: operands joined, a space between two neither of which is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: operands joined with spaces, and a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map((a) => formatValue(a)).join(' ')}\n`;
}

export { isGoMap };
