import { createHash } from 'crypto';
import { deepEqual, empty, strval, toInt64 } from './go-cast';
import { expandReplacement, goRegExp } from './go-regexp';
import { isNil, kindOf, NotRendered, TemplateError, typeOf } from './go-values';
import { parseVersion, satisfies, versionFields } from './semver';
import { TemplateFunc } from './template-exec';

function semverOf(s: unknown, fn: string) {
  const v = parseVersion(strval(s));
  if (!v) throw new TemplateError(`error calling ${fn}: Invalid Semantic Version`);
  return v;
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return 'illegal base64 data at input byte 0';
  return Buffer.from(s, 'base64').toString('utf8');
}

/** Sprig's defaults, type tests, encodings, regular expressions and versions (Masterminds/sprig v3 functions.go). */
export const SPRIG_MISC: [string, TemplateFunc][] = [
  ['default', ([d, ...given]) => (!given.length || empty(given[0]) ? d : given[0])],
  ['empty', ([v]) => empty(v)],
  ['coalesce', (args) => args.find((a) => !empty(a)) ?? null],
  ['all', (args) => args.every((a) => !empty(a))],
  ['any', (args) => args.some((a) => !empty(a))],
  ['ternary', ([t, f, c]) => (c === true ? t : f)],
  ['kindOf', ([v]) => kindOf(v)],
  ['kindIs', ([k, v]) => kindOf(v) === strval(k)],
  ['typeOf', ([v]) => typeOf(v)],
  ['typeIs', ([t, v]) => typeOf(v) === strval(t)],
  ['typeIsLike', ([t, v]) => typeOf(v) === strval(t) || `*${typeOf(v)}` === strval(t)],
  ['deepEqual', ([a, b]) => deepEqual(a, b)],
  ['b64enc', ([s]) => Buffer.from(strval(s), 'utf8').toString('base64')],
  ['b64dec', ([s]) => b64dec(strval(s))],
  ['sha256sum', ([s]) => createHash('sha256').update(strval(s)).digest('hex')],
  ['sha1sum', ([s]) => createHash('sha1').update(strval(s)).digest('hex')],
  ['regexMatch', ([re, s]) => goRegExp(strval(re)).test(strval(s))],
  ['regexFind', ([re, s]) => goRegExp(strval(re)).exec(strval(s))?.[0] ?? ''],
  ['regexFindAll', ([re, s, n]) => regexFindAll(strval(re), strval(s), Number(toInt64(n)))],
  ['regexReplaceAll', ([re, s, r]) => strval(s).replace(goRegExp(strval(re), true), expandReplacement(strval(r)))],
  ['regexReplaceAllLiteral', ([re, s, r]) => strval(s).replace(goRegExp(strval(re), true), () => strval(r))],
  ['regexSplit', ([re, s, n]) => regexSplit(strval(re), strval(s), Number(toInt64(n)))],
  ['regexQuoteMeta', ([s]) => strval(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')],
  ['semverCompare', ([c, v]) => satisfies(semverOf(v, 'semverCompare'), strval(c))],
  ['semver', ([v]) => versionFields(semverOf(v, 'semver'))],
];

function regexFindAll(re: string, s: string, n: number): string[] {
  const all = [...s.matchAll(goRegExp(re, true))].map((m) => m[0]);
  return n < 0 ? all : all.slice(0, n);
}

function regexSplit(re: string, s: string, n: number): string[] {
  const parts = s.split(goRegExp(re, true));
  if (n < 0 || parts.length <= n) return n === 0 ? [] : parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join('')];
}

const unknowable =
  (why: string): TemplateFunc =>
  () => {
    throw new NotRendered(why);
  };

/**
 * Functions whose output differs at each render (random text, keys, certificates, the clock, UUIDs): what a sync
 * applies is not knowable from the files, so a chart calling one is left unrendered rather than given made-up output.
 */
export const NONDETERMINISTIC: [string, TemplateFunc][] = [
  ...['randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'randBytes', 'randInt', 'shuffle', 'uuidv4'].map((n): [string, TemplateFunc] => [
    n,
    unknowable(`the templates call ${n}, whose output is random at each render`),
  ]),
  ...[
    'genCA',
    'genCAWithKey',
    'genPrivateKey',
    'genSelfSignedCert',
    'genSelfSignedCertWithKey',
    'genSignedCert',
    'genSignedCertWithKey',
    'derivePassword',
    'htpasswd',
    'bcrypt',
    'encryptAES',
    'decryptAES',
  ].map((n): [string, TemplateFunc] => [n, unknowable(`the templates call ${n}, which makes keys or secrets anew at each render`)]),
  ...['now', 'date', 'dateInZone', 'unixEpoch', 'dateModify', 'ago', 'toDate', 'mustToDate', 'htmlDate', 'htmlDateInZone', 'duration', 'durationRound'].map(
    (n): [string, TemplateFunc] => [n, unknowable(`the templates call ${n}, which reads the clock or dates this check does not render`)],
  ),
  ['getHostByName', unknowable('the templates call getHostByName, which asks DNS at render time')],
  ['env', unknowable('the templates call env, which reads the environment of the machine that renders')],
  ['expandenv', unknowable('the templates call expandenv, which reads the environment of the machine that renders')],
];

export { isNil };
