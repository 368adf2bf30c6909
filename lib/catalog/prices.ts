import * as fs from 'fs';
import { GpuInstanceType, InstancePrice } from './instance-type';

/** The most a price file may hold: a team's price list is a few kilobytes. */
const MAX_PRICE_FILE_BYTES = 1024 * 1024;

/** One price of a price file in its richer form. */
export interface PriceEntry {
  /** USD per hour of one node. */
  readonly usdPerHour: number;
  /** What the price is (`1-year committed`, `spot`). @default - the file's label */
  readonly label?: string;
  /** The region it is for. @default - the file's region */
  readonly region?: string;
}

/**
 * A team's own prices per instance type — committed-use, reserved, spot or negotiated, in the team's region — which
 * replace the catalog's on-demand list prices in `plan --shapes`, `PlannedPlacement` and PLAN.md.
 *
 * A price file is JSON, either a plain object of instance type → USD per hour (`{"g6e.12xlarge": 8.1}`) or
 * `{"label": "1-year committed", "region": "eu-west-1", "prices": {"g6e.12xlarge": 8.1, "p5.48xlarge": {"usdPerHour": 40, "label": "spot"}}}`.
 */
export class PriceList {
  /** Reads a price file; every error names the file, the entry and the fix. */
  public static fromFile(file: string): PriceList {
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) throw new Error('it is not a regular file');
      if (stat.size > MAX_PRICE_FILE_BYTES) throw new Error(`it has ${stat.size} bytes, more than the ${MAX_PRICE_FILE_BYTES} a price file may have`);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new Error(`price file ${file}: cannot be read: ${reason}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`price file ${file}: not JSON: ${(e as Error).message}`);
    }
    return PriceList.fromJson(json, file);
  }

  /** A price list from the parsed JSON of a price file (or the config file's `prices`); `origin` names it in messages and reports. */
  public static fromJson(json: unknown, origin: string): PriceList {
    const where = `price file ${origin}`;
    if (!isObject(json)) throw new Error(`${where}: must be a JSON object of instance type → USD per hour, got ${describe(json)}`);
    const rich = 'prices' in json;
    const label = rich ? optionalString(json.label, `${where}: label`) : undefined;
    const region = rich ? optionalString(json.region, `${where}: region`) : undefined;
    if (rich) {
      const unknown = Object.keys(json).filter((k) => !['prices', 'label', 'region', '$comment'].includes(k));
      if (unknown.length)
        throw new Error(`${where}: unknown field ${unknown.map((k) => `'${short(k)}'`).join(', ')}; a price file has prices, label and region`);
    }
    const prices = rich ? json.prices : json;
    if (!isObject(prices)) throw new Error(`${where}: prices must be an object of instance type → USD per hour, got ${describe(prices)}`);
    const entries = new Map<string, InstancePrice>();
    for (const [name, value] of Object.entries(prices)) {
      if (name === '$comment') continue;
      const at = `${where}: ${short(name)}`;
      const entry: Readonly<Record<string, unknown>> = typeof value === 'number' ? { usdPerHour: value } : isObject(value) ? value : { usdPerHour: NaN };
      if (typeof value !== 'number' && !isObject(value))
        throw new Error(`${at}: must be a number of USD per hour or {"usdPerHour": …}, got ${describe(value)}`);
      if (!(typeof entry.usdPerHour === 'number' && Number.isFinite(entry.usdPerHour) && entry.usdPerHour >= 0)) {
        throw new Error(`${at}: usdPerHour must be a finite number of USD per hour, 0 or more, got ${describe(entry.usdPerHour)}`);
      }
      const entryLabel = optionalString(entry.label, `${at}: label`) ?? label;
      const entryRegion = optionalString(entry.region, `${at}: region`) ?? region;
      entries.set(name.toLowerCase(), {
        usdPerHour: entry.usdPerHour,
        region: entryRegion,
        label: [`${origin}`, entryLabel, entryRegion].filter(Boolean).join(', '),
        document: origin,
        read: 'at synth',
      });
    }
    return new PriceList(origin, entries);
  }

  private constructor(
    /** Where the prices come from (the file), for reports. */
    public readonly origin: string,
    private readonly entries: ReadonlyMap<string, InstancePrice>,
  ) {}

  /** The instance types the list prices, as written (lower case). */
  public get names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The price of `type`: the list's own, else the catalog's (or the custom type's), else none. */
  public priceOf(type: GpuInstanceType): InstancePrice | undefined {
    return this.entries.get(type.name.toLowerCase()) ?? type.price;
  }

  /**
   * Names the list prices that are not among `known` (typos, or types the catalog does not have): an error, since a
   * misspelt name would silently leave the list price in place.
   */
  public requireKnown(known: readonly GpuInstanceType[]): void {
    const names = new Set(known.map((t) => t.name.toLowerCase()));
    const unknown = this.names.filter((n) => !names.has(n));
    if (unknown.length) {
      throw new Error(
        `price file ${this.origin}: ${unknown.map((n) => `'${short(n)}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a known instance type; ` +
          'use the names `cdk8s-vllm catalog` lists (or the name of a custom type of the app)',
      );
    }
  }
}

/** The price of `type` in `prices`, or the catalog's. */
export function priceOf(type: GpuInstanceType, prices?: PriceList): InstancePrice | undefined {
  return prices ? prices.priceOf(type) : type.price;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 200) throw new Error(`${where}: must be a short string, got ${describe(v)}`);
  return v;
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${short(v)}"`;
  if (typeof v === 'object' || typeof v === 'function') return 'an object';
  return typeof v === 'symbol' ? v.toString() : `${v as string | number | boolean | bigint | undefined}`;
}
