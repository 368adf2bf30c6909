import { GoMap, TemplateError } from './go-values';

/** A version as Masterminds/semver v3 NewVersion reads it (lenient: a `v` prefix, missing minor and patch). */
export interface SemVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
  readonly meta: string;
  readonly original: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseVersion(s: string): SemVersion | undefined {
  const m = VERSION.exec(s.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '', meta: m[5] ?? '', original: s };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const [pa, pb] = [a.split('.'), b.split('.')];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const [na, nb] = [/^\d+$/.test(pa[i]), /^\d+$/.test(pb[i])];
    if (na && nb && Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) < Number(pb[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: SemVersion, b: SemVersion): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

/** One constraint's bound: the version and which parts were wildcards or left out (`1.2`, `1.x`). */
interface Bound {
  readonly v: SemVersion;
  /** How many of major, minor, patch were given as numbers. */
  readonly fixed: number;
}

function bound(s: string): Bound {
  const parts = s.replace(/^v/, '').split(/[-+]/)[0].split('.');
  const fixed = parts.findIndex((p) => /^[xX*]$/.test(p) || p === '');
  const n = fixed < 0 ? Math.min(parts.length, 3) : fixed;
  const clean = s.replace(/(^|\.)[xX*](?=$|\.|-|\+)/g, '$10');
  const v = parseVersion(clean === '' || /^[xX*]$/.test(s) ? '0.0.0' : clean);
  if (!v) throw new TemplateError(`improper constraint: ${s}`);
  return { v, fixed: /^[xX*]?$/.test(s) ? 0 : n };
}

/** The version just above a bound's fixed parts (`1.2` → 1.3.0): the end of what `=1.2` or `<=1.2` takes. */
function next(b: Bound, level = b.fixed): SemVersion {
  const { major, minor, patch } = b.v;
  if (level <= 1) return { ...b.v, major: major + 1, minor: 0, patch: 0, pre: '' };
  if (level === 2) return { ...b.v, minor: minor + 1, patch: 0, pre: '' };
  return { ...b.v, patch: patch + 1, pre: '' };
}

function between(v: SemVersion, lo: SemVersion, hi: SemVersion | undefined): boolean {
  return compareVersions(v, lo) >= 0 && (!hi || compareVersions(v, hi) < 0);
}

/** Whether `v` meets one operator constraint (Masterminds/semver v3 constraints.go). */
function meets(v: SemVersion, op: string, b: Bound): boolean {
  const c = b.v;
  if (v.pre && !c.pre) return false;
  const exact = b.fixed === 3 || (b.fixed === 0 && false);
  switch (op) {
    case '':
    case '=':
      return b.fixed === 0 ? true : exact ? compareVersions(v, c) === 0 : between(v, c, next(b));
    case '!=':
      return b.fixed === 0 ? false : exact ? compareVersions(v, c) !== 0 : !between(v, c, next(b));
    case '>':
      return exact ? compareVersions(v, c) > 0 : b.fixed === 0 ? false : compareVersions(v, next(b)) >= 0;
    case '<':
      return compareVersions(v, c) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, c) >= 0;
    case '<=':
    case '=<':
      return exact ? compareVersions(v, c) <= 0 : b.fixed === 0 ? true : compareVersions(v, next(b)) < 0;
    case '~':
    case '~>':
      return between(v, c, b.fixed === 0 ? undefined : next(b, b.fixed === 1 ? 1 : 2));
    case '^':
      return between(v, c, caretEnd(b));
  }
  throw new TemplateError(`improper constraint: ${op}`);
}

function caretEnd(b: Bound): SemVersion | undefined {
  const { major, minor } = b.v;
  if (b.fixed === 0) return undefined;
  if (major > 0 || b.fixed === 1) return next(b, 1);
  if (minor > 0 || b.fixed === 2) return next(b, 2);
  return next(b, 3);
}

/** Whether a version meets a constraint string: `||` alternatives of comma- or space-separated terms, hyphen ranges. */
export function satisfies(version: SemVersion, constraint: string): boolean {
  return constraint.split('||').some((alt) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    const terms = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alt
          .trim()
          .replace(/([<>=~^!]+)\s+/g, '$1')
          .split(/[\s,]+/)
          .filter(Boolean);
    return terms.every((t) => {
      const m = /^(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*(.*)$/.exec(t)!;
      return meets(version, m[1] ?? '', bound(m[2]));
    });
  });
}

/** sprig semver: the version's parts as fields (Major, Minor, Patch, Prerelease, Metadata, Original). */
export function versionFields(v: SemVersion): GoMap {
  return { Major: BigInt(v.major), Minor: BigInt(v.minor), Patch: BigInt(v.patch), Prerelease: v.pre, Metadata: v.meta, Original: v.original };
}
