/**
 * Kubernetes resource quantities (`500m`, `16`, `64Gi`, `1.5G`, `1e3`) as numbers.
 * Follows apimachinery's grammar: a signed decimal number followed by a binary-SI (Ki…Ei),
 * decimal-SI (n, u, m, "", k, M, G, T, P, E) or decimal exponent (e3, E-2) suffix.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The pattern the CRDs use for `x-kubernetes-int-or-string` quantities. */
export const QUANTITY_PATTERN = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/**
 * Parses a quantity into its value in base units (cores for CPU, bytes for memory, a count for GPUs).
 * @returns undefined when the value is not a valid quantity or not a finite number
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (!QUANTITY_PATTERN.test(s)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(s)!;
  const num = Number(m[1]);
  const suffix = m[2];
  const result = suffix in BINARY ? num * BINARY[suffix] : suffix in DECIMAL ? num * DECIMAL[suffix] : num * 10 ** Number(suffix.slice(1));
  // '1e400' matches the grammar but overflows a double: no verdict may be built on Infinity
  return Number.isFinite(result) ? result : undefined;
}

/** Whether `value` is written as a quantity but is too large to be a finite number (`1e400`). */
export function isOutOfRangeQuantity(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  return typeof value === 'string' && QUANTITY_PATTERN.test(value.trim()) && parseQuantity(value) === undefined;
}

/** CPU quantity in millicores (rounded up, as the scheduler does). */
export function cpuMillis(value: unknown): number | undefined {
  const v = parseQuantity(value);
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-9);
}

/** Memory quantity in MiB. */
export function memoryMiB(value: unknown): number | undefined {
  const v = parseQuantity(value);
  return v === undefined ? undefined : v / 2 ** 20;
}

/** Formats MiB as the shortest exact binary quantity: `65536` → `64Gi`, `1536` → `1536Mi`. */
export function formatMiB(mib: number): string {
  const whole = Math.floor(mib);
  if (whole % 1024 === 0 && whole > 0) return `${whole / 1024}Gi`;
  return `${whole}Mi`;
}

/** Formats millicores: `16000` → `16`, `1500` → `1500m`. */
export function formatMillis(millis: number): string {
  const whole = Math.floor(millis);
  return whole % 1000 === 0 ? String(whole / 1000) : `${whole}m`;
}

/**
 * MiB of a storage amount given as a prop (a cdk8s `Size`). cdk8s's own error on `Size.gibibytes(NaN)` names neither
 * the object nor the field; this one does, and says what to write.
 */
export function sizeMiB(where: string, field: string, size: unknown): number {
  const convert = (size as { toMebibytes?: unknown } | null)?.toMebibytes;
  if (typeof convert !== 'function') throw new Error(`${where}: ${field} must be a Size, e.g. Size.gibibytes(64), got ${describeValue(size)}`);
  let mib: number;
  try {
    mib = convert.call(size) as number;
  } catch {
    mib = NaN;
  }
  if (!Number.isFinite(mib) || mib < 0) throw new Error(`${where}: ${field} is not a finite, non-negative whole number of MiB: give e.g. Size.gibibytes(64)`);
  return mib;
}

/** Millicores of a CPU amount given as a prop (a cdk8s-plus `Cpu`): finite and non-negative, or an error naming the field. */
export function cpuPropMillis(where: string, field: string, cpu: unknown): number {
  const amount = (cpu as { amount?: unknown } | null)?.amount;
  const millis = cpuMillis(amount);
  if (millis === undefined || millis < 0) {
    throw new Error(`${where}: ${field} ${describeValue(amount ?? cpu)} is not a finite, non-negative CPU amount: give e.g. Cpu.units(8) or Cpu.millis(500)`);
  }
  return millis;
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v));
}
