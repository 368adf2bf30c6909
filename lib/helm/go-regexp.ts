import { NotRendered } from './go-values';

/**
 * A Go regular expression (RE2 syntax, go/src/regexp/syntax) as a JavaScript RegExp, where both read it alike: named
 * groups `(?P<n>…)`, leading flags `(?i)`, `(?s)`, `(?m)`, `\A` and `\z`. What RE2 reads otherwise or refuses (POSIX
 * classes, \p, \Q…\E, backreferences, lookaround, flags inside the pattern) leaves the chart unrendered.
 */
export function goRegExp(pattern: string, global = false): RegExp {
  let p = pattern;
  let flags = global ? 'g' : '';
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    if (lead[1].includes('U')) refuse(pattern);
    flags += lead[1].replace(/[^ims]/g, '');
    p = p.slice(lead[0].length);
  }
  if (/\(\?[^:P]|\[\[:|\\[pPQEC]|\\[1-9]/.test(p.replace(/\\\\/g, ''))) refuse(pattern);
  p = p.replace(/\(\?P</g, '(?<');
  // without (?m), ^ and $ are the text's ends in both, as \A and \z are in RE2
  if (/\\[Az]/.test(p.replace(/\\\\/g, ''))) {
    if (flags.includes('m')) refuse(pattern);
    p = p.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2$');
  }
  try {
    return new RegExp(p, flags);
  } catch {
    throw new Error(`error parsing regexp: invalid pattern: \`${pattern}\``);
  }
}

function refuse(pattern: string): never {
  throw new NotRendered(`the regular expression \`${pattern}\` uses syntax that Go's RE2 and JavaScript read differently`);
}

/** regexp.Expand's template: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name that is no group is empty. */
export function expandReplacement(template: string): (match: string, ...rest: unknown[]) => string {
  return (match, ...rest) => {
    const groupsAt = rest.findIndex((r) => typeof r === 'number');
    const numbered = rest.slice(0, groupsAt) as (string | undefined)[];
    const named = (rest[groupsAt + 2] ?? {}) as Record<string, string | undefined>;
    return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_, all: string, braced?: string, bare?: string) => {
      if (all === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return Number(name) === 0 ? match : (numbered[Number(name) - 1] ?? '');
      return named[name] ?? '';
    });
  };
}
