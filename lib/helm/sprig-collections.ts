import { deepCopy, deepEqual, empty, listOf, strval, toInt64 } from './go-cast';
import { GoMap, isGoMap, isNil, TemplateError } from './go-values';
import { TemplateFunc } from './template-exec';

const dictOf = (v: unknown, fn: string): GoMap => {
  if (isGoMap(v)) return v;
  throw new TemplateError(`error calling ${fn}: wrong type for value; expected map[string]interface {}`);
};

/** Sprig's list and dict functions (Masterminds/sprig v3 list.go, dict.go). */
export const SPRIG_COLLECTIONS: [string, TemplateFunc][] = [
  ['list', (args) => [...args]],
  ['first', ([l]) => listOf(l, 'first')[0] ?? null],
  ['last', ([l]) => listOf(l, 'last').at(-1) ?? null],
  ['rest', ([l]) => (listOf(l, 'rest').length ? listOf(l, 'rest').slice(1) : null)],
  ['initial', ([l]) => (listOf(l, 'initial').length ? listOf(l, 'initial').slice(0, -1) : null)],
  ['append', ([l, v]) => [...listOf(l, 'append'), v]],
  ['push', ([l, v]) => [...listOf(l, 'push'), v]],
  ['prepend', ([l, v]) => [v, ...listOf(l, 'prepend')]],
  ['concat', (ls) => ls.flatMap((l) => listOf(l, 'concat'))],
  ['uniq', ([l]) => listOf(l, 'uniq').filter((x, i, all) => all.findIndex((y) => deepEqual(x, y)) === i)],
  ['has', ([needle, l]) => listOf(l, 'has').some((x) => deepEqual(x, needle))],
  ['without', ([l, ...omit]) => listOf(l, 'without').filter((x) => !omit.some((o) => deepEqual(o, x)))],
  ['compact', ([l]) => listOf(l, 'compact').filter((x) => !empty(x))],
  ['reverse', ([l]) => [...listOf(l, 'reverse')].reverse()],
  ['slice', ([l, ...idx]) => sliceList(listOf(l, 'slice'), idx)],
  ['until', ([n]) => range(0n, toInt64(n), toInt64(n) >= 0n ? 1n : -1n)],
  ['untilStep', ([a, b, s]) => range(toInt64(a), toInt64(b), toInt64(s))],
  ['dict', (args) => dict(args)],
  ['get', ([d, k]) => (Object.prototype.hasOwnProperty.call(dictOf(d, 'get'), strval(k)) ? dictOf(d, 'get')[strval(k)] : '')],
  ['set', ([d, k, v]) => Object.assign(dictOf(d, 'set'), { [strval(k)]: v })],
  ['unset', ([d, k]) => (delete dictOf(d, 'unset')[strval(k)], d)],
  ['hasKey', ([d, k]) => Object.prototype.hasOwnProperty.call(dictOf(d, 'hasKey'), strval(k))],
  // Go's map order is random: sorted is one order Helm may give (templates that need one sort them: sortAlpha)
  ['keys', (ds) => ds.flatMap((d) => Object.keys(dictOf(d, 'keys')).sort())],
  [
    'values',
    ([d]) =>
      Object.keys(dictOf(d, 'values'))
        .sort()
        .map((k) => dictOf(d, 'values')[k]),
  ],
  ['pluck', ([k, ...ds]) => ds.filter((d) => isGoMap(d) && strval(k) in d).map((d) => (d as GoMap)[strval(k)])],
  [
    'pick',
    ([d, ...ks]) =>
      Object.fromEntries(
        ks
          .map(strval)
          .filter((k) => k in dictOf(d, 'pick'))
          .map((k) => [k, dictOf(d, 'pick')[k]]),
      ),
  ],
  ['omit', ([d, ...ks]) => Object.fromEntries(Object.entries(dictOf(d, 'omit')).filter(([k]) => !ks.map(strval).includes(k)))],
  ['dig', (args) => dig(args)],
  ['merge', ([dst, ...srcs]) => srcs.reduce<GoMap>((d, s) => mergeInto(d, dictOf(s, 'merge'), false), dictOf(dst, 'merge'))],
  ['mergeOverwrite', ([dst, ...srcs]) => srcs.reduce<GoMap>((d, s) => mergeInto(d, dictOf(s, 'mergeOverwrite'), true), dictOf(dst, 'mergeOverwrite'))],
  ['deepCopy', ([v]) => deepCopy(v)],
];

function sliceList(l: unknown[], idx: unknown[]): unknown[] {
  const from = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
  const to = idx.length > 1 ? Number(toInt64(idx[1])) : l.length;
  return l.slice(from, to);
}

function range(from: bigint, to: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (step === 0n) return out;
  for (let i = from; step > 0n ? i < to : i > to; i += step) {
    out.push(i);
    if (out.length > 1_000_000) throw new TemplateError('error calling until: the list passes a million elements (a bound of this check)');
  }
  return out;
}

function dict(args: unknown[]): GoMap {
  const d: GoMap = {};
  for (let i = 0; i < args.length; i += 2) d[strval(args[i])] = i + 1 < args.length ? args[i + 1] : '';
  return d;
}

function dig(args: unknown[]): unknown {
  const d = args.at(-1);
  const dflt = args.at(-2);
  let v: unknown = d;
  for (const k of args.slice(0, -2)) {
    if (!isGoMap(v) || !(strval(k) in v)) return dflt;
    v = v[strval(k)];
  }
  return v;
}

/**
 * mergo.Merge (sprig merge: a destination's value kept unless it is empty) and with WithOverride (mergeOverwrite: a
 * source's non-empty value wins); maps in both are merged key by key.
 */
export function mergeInto(dst: GoMap, src: GoMap, override: boolean): GoMap {
  for (const [k, v] of Object.entries(src)) {
    const d = dst[k];
    if (isGoMap(d) && isGoMap(v)) mergeInto(d, v, override);
    else if (!(k in dst) || isNil(d) || (override ? !empty(v) : empty(d))) dst[k] = v;
  }
  return dst;
}
