import { isGoMap } from './go-values';

/**
 * What the templates of one render read of the values: each key asked of a map (`.Values.a.b`, `index`, `get`,
 * `hasKey`, `dig`, `pluck`, a range over the map's keys), and the values read whole (printed, serialized, copied,
 * compared or given to any function not known to pass a value on untouched). Values keep their identity through
 * variables, `with`, `include`, `tpl`, `dict` and `default`, so a key read through any of them is counted on the map it
 * belongs to. A value read whole counts every key under it as read: what this cannot see is taken as read.
 */
export class ValueReads {
  private readonly keys = new WeakMap<object, Set<string>>();
  private readonly whole = new WeakSet<object>();

  /** A key asked of a map (read or not there). */
  public key(map: unknown, key: string): void {
    if (!isGoMap(map)) return;
    let known = this.keys.get(map);
    if (!known) this.keys.set(map, (known = new Set()));
    known.add(key);
  }

  /** The keys asked of a map, there or not. */
  public asked(map: object): readonly string[] {
    return [...(this.keys.get(map) ?? [])];
  }

  /** A value read whole, with everything under it. */
  public all(v: unknown): void {
    if (!v || typeof v !== 'object' || this.whole.has(v)) return;
    this.whole.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) this.all(x);
  }

  /** What a function call reads of its arguments. */
  public call(name: string, args: readonly unknown[]): void {
    const base = /^must[A-Z]/.test(name) ? name[4].toLowerCase() + name.slice(5) : name;
    if (PASSED_ON.has(base)) return;
    switch (base) {
      case 'index':
        return this.path(args[0], args.slice(1));
      case 'get':
      case 'hasKey':
        return this.key(args[0], String(args[1]));
      case 'dig':
        return this.path(args[args.length - 1], args.slice(0, -2));
      case 'pluck':
        for (const d of args.slice(1)) this.key(d, String(args[0]));
        return;
      default:
        for (const a of args) this.all(a);
    }
  }

  /** Keys asked one inside another (`index .Values "a" "b"`). */
  private path(root: unknown, keys: readonly unknown[]): void {
    let v = root;
    for (const k of keys) {
      if (!isGoMap(v)) return this.all(v);
      this.key(v, String(k));
      v = v[String(k)];
    }
  }

  /** Whether the value at `path` under `root` was read: each key asked of its map, or a map on the way read whole. */
  public wasRead(root: unknown, path: readonly string[]): boolean {
    let v = root;
    for (const k of path) {
      if (!v || typeof v !== 'object' || this.whole.has(v)) return true;
      if (!this.keys.get(v)?.has(k)) return false;
      v = (v as Record<string, unknown>)[k];
    }
    return true;
  }
}

/**
 * Functions that hand a value on without reading into it (text/template's, Sprig's and Helm's, by their Go
 * definitions): what the receiver then asks of it is counted where it is asked.
 */
const PASSED_ON: ReadonlySet<string> = new Set([
  'include',
  'tpl',
  'default',
  'coalesce',
  'ternary',
  'required',
  'empty',
  'len',
  'dict',
  'list',
  'tuple',
  'set',
  'kindIs',
  'kindOf',
  'typeOf',
  'typeIs',
  'typeIsLike',
  'not',
  'fail',
]);
