import { vllmSwitch } from '../catalog/vllm-boolean-flags';
import { isCataloguedFlag } from '../catalog/vllm-flags';
import { perRun } from '../private/run-memo';

/** One word of a command line and the place of the manifests it was written in (for messages). */
export interface SourcedWord {
  readonly word: string;
  readonly from: string;
  /** The word comes from a place the container may or may not read (an env hook of an image whose entrypoint is unknown). */
  readonly uncertain?: boolean;
  /** A shell expansion whose value is not known, standing alone: it may stand for any words, flags among them. */
  readonly opaque?: boolean;
  /** The variable of an opaque word that neither its script nor the container's env sets (the shell expands it to nothing, unless the image sets it). */
  readonly unset?: string;
}

/** One occurrence of a flag on vLLM's command line. */
export interface FlagOccurrence {
  /** The value as written (`true`/`false` for a boolean flag given as `--x`/`--no-x`). */
  readonly value: string;
  readonly from: string;
  readonly uncertain: boolean;
  /** The word as written when it carries its value after `=` (`--enforce-eager=false`). */
  readonly attached?: string;
  /** The word after a switch when it reads as a value (`--enforce-eager false`): argparse takes it for a positional. */
  readonly stray?: string;
}

/** A vLLM config file (`--config <file>`): its flags as vLLM's load_config_file turns them into words, when readable. */
export type ConfigResolver = (path: string) => readonly string[] | undefined;

/** vLLM's short option strings and the long flag each stands for (vllm/engine/arg_utils.py, EngineArgs.add_cli_args). */
const ALIASES: Readonly<Record<string, string>> = {
  '-tp': '--tensor-parallel-size',
  '-pp': '--pipeline-parallel-size',
  '-dp': '--data-parallel-size',
  '-dpl': '--data-parallel-size-local',
  '-q': '--quantization',
};

/**
 * Flags that take no value (argparse store_true or BooleanOptionalAction): the word after them is not theirs. The
 * catalogue's switches, and vLLM's other `--enable-*`/`--disable-*` flags; the listed exceptions take a value.
 */
const BOOLEAN = /^--(enable|disable)-/;
const VALUED_DESPITE_NAME = new Set(['--disable-access-log-for-endpoints', '--enable-log-outputs-max-len']);

/** Words a shell ends a command with: what follows is another command. */
const SHELL_OPERATOR = /^(&&|\|\||;|\||&)$/;

/**
 * vLLM's demo server module (vllm/entrypoints/api_server.py): it parses AsyncEngineArgs (the model and engine options
 * of the OpenAI server) with --host, --port and its SSL options, but serves only /generate and /health.
 */
export const DEMO_SERVER_MODULE = 'vllm.entrypoints.api_server';

/** The program words that start vLLM's server (the demo server too, marked), and where vLLM's own arguments begin. */
export function vllmInvocation(words: readonly string[]): { start: number; serve: boolean; demo?: boolean } | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'serve' && i > 0 && /(^|\/)vllm$/.test(words[i - 1])) return { start: i, serve: true };
    if (words[i] === 'vllm.entrypoints.openai.api_server' && words[i - 1] === '-m') return { start: i + 1, serve: false };
    if (words[i] === DEMO_SERVER_MODULE && words[i - 1] === '-m') return { start: i + 1, serve: false, demo: true };
  }
  return undefined;
}

/**
 * vLLM's argument handling, ported from FlexibleArgumentParser.parse_args (vllm/utils/argparse_utils.py) and argparse:
 * under `vllm serve` the first `--model` moves to the front as the positional model; `--config <file>` inserts the
 * file's flags after the subcommand and model, so the command line overrides them; `--name_with_underscores` is read
 * as `--name-with-underscores`; `-O3` as `--optimization-level 3`; `-tp` and the other short forms as their long flags;
 * `--no-x` turns a boolean off; of a flag given twice, argparse keeps the last value.
 */
export class VllmArgs {
  /** Parses the words of a command line: vLLM's own arguments start after `vllm serve` or the api_server module, else at the first word. */
  public static of(line: readonly (SourcedWord | string)[], config?: ConfigResolver): VllmArgs {
    // once per run for the same words (a memoised command line's) and config reader: the parse is read-only
    return perRun('vllm-args', [line, config], () => VllmArgs.parse(line, config));
  }

  private static parse(line: readonly (SourcedWord | string)[], config?: ConfigResolver): VllmArgs {
    const words = line.map((w) => (typeof w === 'string' ? { word: w, from: 'the command line' } : w));
    const found = vllmInvocation(words.map((w) => w.word));
    const start = found?.start ?? 0;
    const end = words.findIndex((w, i) => i >= start && SHELL_OPERATOR.test(w.word));
    const own = words.slice(start, end < 0 ? undefined : end);
    return new VllmArgs(own, found?.serve ?? false, found !== undefined, config, found?.demo === true);
  }

  /** The arguments vLLM parses, normalised (underscores, -O, the model moved, the config file's flags inserted). */
  public readonly words: readonly SourcedWord[];
  /** Whether the words visibly start vLLM's server (`vllm serve`, the api_server module, the demo server module). */
  public readonly invoked: boolean;
  /** The server started is vLLM's demo server (DEMO_SERVER_MODULE): the engine's options, but no OpenAI routes. */
  public readonly demo: boolean;
  /** A config file whose flags are not known: every flag the command line does not give may be set there. */
  public readonly unreadConfig?: string;
  private readonly flags = new Map<string, FlagOccurrence[]>();
  /** Words that are neither a flag nor a flag's value (after the subcommand): argparse's positionals. */
  private readonly positionals: string[] = [];
  private readonly serve: boolean;
  /** Where the last word that may stand for any flags is (an unknown `$ARGS`): a flag not given after it is not known. */
  private opaqueAt?: number;
  /** Where each flag is last given. */
  private readonly lastAt = new Map<string, number>();
  /** Under `vllm serve`, a positional model and a `--model` both written: each as given, and whether --model was written `--model=x` (modelGivenTwice). */
  public readonly modelTwice?: { readonly positional: SourcedWord; readonly flag: SourcedWord; readonly joined: boolean };

  private constructor(own: readonly SourcedWord[], serve: boolean, invoked: boolean, config?: ConfigResolver, demo = false) {
    this.serve = serve;
    this.invoked = invoked;
    this.demo = demo;
    const twice = serve ? modelGivenTwice(own) : undefined;
    if (twice) this.modelTwice = twice;
    let words = serve ? moveModelToFront(own) : [...own];
    const at = words.findIndex((w) => w.word === '--config');
    if (at >= 0) {
      const path = words[at + 1]?.word;
      const inserted = path !== undefined && !path.includes('$') ? config?.(path) : undefined;
      if (inserted === undefined) this.unreadConfig = path ?? '';
      const fromFile = (inserted ?? []).map((word) => ({ word, from: `config file ${path}` }));
      const rest = [...words.slice(0, at), ...words.slice(at + 2)];
      // vLLM keeps the subcommand and a positional model first, then the file's flags, then the rest of the command line
      const head = serve ? (rest[1] && !rest[1].word.startsWith('-') ? 2 : 1) : 0;
      words = [...rest.slice(0, head), ...fromFile, ...rest.slice(head)];
    }
    this.words = words.flatMap(normalise);
    this.scan();
  }

  /** The effective value of a flag (its long form: `--max-model-len`), the last one given; undefined when not given. */
  public value(flag: string): string | undefined {
    const all = this.flags.get(flag);
    return all?.[all.length - 1]?.value;
  }

  /** Whether the flag's effective value cannot be known: set in a place that may not reach vLLM, or possibly in an unread config file. */
  public unknown(flag: string): boolean {
    const all = this.flags.get(flag) ?? [];
    if (all.some((o) => o.uncertain || o.value.includes('$'))) return true;
    if (this.opaqueAt !== undefined && (this.lastAt.get(flag) ?? -1) < this.opaqueAt) return true;
    return this.unreadConfig !== undefined && !all.length;
  }

  /** A boolean flag: true (`--x`), false (`--no-x`), undefined when not given; the last one counts. */
  public enabled(flag: string): boolean | undefined {
    const v = this.value(flag);
    return v === undefined ? undefined : v !== 'false';
  }

  /** Every occurrence of a flag, in the order vLLM reads them. */
  public occurrences(flag: string): readonly FlagOccurrence[] {
    return this.flags.get(flag) ?? [];
  }

  /** Every flag given, with its occurrences in the order vLLM reads them. */
  public given(): { flag: string; occurrences: readonly FlagOccurrence[] }[] {
    return [...this.flags.entries()].map(([flag, occurrences]) => ({ flag, occurrences }));
  }

  /** The flags given more than once with different values: argparse keeps the last silently. */
  public conflicts(): { flag: string; occurrences: readonly FlagOccurrence[] }[] {
    return [...this.flags.entries()]
      .filter(([, all]) => new Set(all.map((o) => canonicalValue(o.value))).size > 1)
      .map(([flag, occurrences]) => ({ flag, occurrences }));
  }

  /** The model vLLM serves: the positional model of `vllm serve`, else `--model`; undefined when neither is given. */
  public model(): string | undefined {
    return (this.serve ? this.positionals[0] : undefined) ?? this.value('--model');
  }

  private scan(): void {
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      const { word, from, uncertain, opaque } = words[i];
      if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
        // an unknown expansion where vLLM's model is read is taken for the model; anywhere else it may be flags
        if (opaque && !(this.serve && i > 0 && !this.positionals.length)) this.opaqueAt = i;
        if (i > 0 || !this.serve) this.positionals.push(word);
        continue;
      }
      if (word === '--') continue;
      const eq = word.indexOf('=');
      const key = eq > 0 ? word.slice(0, eq) : word;
      let flag = ALIASES[key] ?? key;
      let value: string;
      let stray: string | undefined;
      if (eq > 0) value = word.slice(eq + 1);
      else if (flag.startsWith('--no-') && isBoolean(`--${flag.slice(5)}`)) [flag, value] = [`--${flag.slice(5)}`, 'false'];
      else if (isBoolean(flag)) [value, stray] = ['true', /^(true|false)$/i.test(words[i + 1]?.word ?? '') ? words[i + 1].word : undefined];
      else if (i + 1 >= words.length || (words[i + 1].word.startsWith('-') && !/^-\d/.test(words[i + 1].word))) value = 'true';
      else value = words[++i].word;
      if (!flag.startsWith('--') || flag.includes('.')) continue; // an unknown short option or a dotted JSON key: not a flag read here
      const list = this.flags.get(flag) ?? [];
      list.push({ value, from, uncertain: uncertain === true, ...(eq > 0 ? { attached: word } : {}), ...(stray ? { stray } : {}) });
      this.flags.set(flag, list);
      this.lastAt.set(flag, i);
    }
  }
}

/**
 * Whether a word of vLLM's command line is a flag that takes no following word as its value: a switch (or its
 * `--no-` form), or one of the old optional booleans, which take only `true` or `false` (StoreBoolean, nargs='?').
 * Underscores are read as dashes, as FlexibleArgumentParser does.
 */
export function vllmFlagTakesNoWord(word: string): boolean {
  const flag = word.replace(/_/g, '-');
  return isBoolean(flag) || (flag.startsWith('--no-') && isBoolean(`--${flag.slice(5)}`));
}

/**
 * A switch: one of the catalogue of switches, one named as one, or one whose `--no-` form vLLM's parser has (argparse's
 * BooleanOptionalAction declares `--no-<flag>` beside each bool flag: `--language-model-only`).
 */
function isBoolean(flag: string): boolean {
  return (
    vllmSwitch(flag) !== undefined ||
    (BOOLEAN.test(flag) && !VALUED_DESPITE_NAME.has(flag)) ||
    (flag.startsWith('--') && !flag.startsWith('--no-') && isCataloguedFlag(`--no-${flag.slice(2)}`))
  );
}

/**
 * Under `vllm serve` (words[0]), a positional model written right after the subcommand and a `--model` later: both
 * literal words that surely reach vLLM. Undefined for anything else.
 */
function modelGivenTwice(words: readonly SourcedWord[]): { positional: SourcedWord; flag: SourcedWord; joined: boolean } | undefined {
  const first = words[1];
  const i = words.findIndex((w) => /^--model(=.+|$)/.test(w.word));
  if (i <= 1 || !first || first.word.startsWith('-') || first.opaque || first.uncertain || first.word.includes('$')) return undefined;
  const flag = words[i].word === '--model' ? words[i + 1] : { ...words[i], word: words[i].word.slice('--model='.length) };
  if (!flag || flag.word.startsWith('-') || flag.uncertain || words[i].uncertain) return undefined;
  return { positional: first, flag, joined: words[i].word !== '--model' };
}

/** `vllm serve … --model m …` is read as `vllm serve m …` (FlexibleArgumentParser.parse_args, the first --model). */
function moveModelToFront(words: readonly SourcedWord[]): SourcedWord[] {
  const i = words.findIndex((w) => /^--model(=.+|$)/.test(w.word));
  if (i < 0) return [...words];
  const joined = words[i].word !== '--model';
  if (!joined && (i + 1 >= words.length || words[i + 1].word.startsWith('-'))) return [...words];
  const model = joined ? { ...words[i], word: words[i].word.slice('--model='.length) } : words[i + 1];
  return [words[0], model, ...words.slice(1, i), ...words.slice(i + (joined ? 1 : 2))];
}

/** FlexibleArgumentParser's rewriting of one word: underscores to dashes in a long flag's name (up to a dot), `-O<n>`. */
function normalise(w: SourcedWord): SourcedWord[] {
  const { word } = w;
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const key = eq >= 0 ? word.slice(0, eq) : word;
    const dot = key.indexOf('.');
    const name = dot >= 0 ? key.slice(0, dot).replace(/_/g, '-') + key.slice(dot) : key.replace(/_/g, '-');
    return [{ ...w, word: eq >= 0 ? `${name}${word.slice(eq)}` : name }];
  }
  if (word.startsWith('-O') && word !== '-O') {
    return [
      { ...w, word: '--optimization-level' },
      { ...w, word: word[2] === '=' ? word.slice(3) : word.slice(2) },
    ];
  }
  return [w];
}

/** Values compared as vLLM reads them: numbers by value (`4096` and `4096.0`), everything else as written. */
function canonicalValue(v: string): string {
  const n = humanReadableInt(v);
  return n !== undefined ? String(n) : v.trim();
}

/**
 * vLLM's human_readable_int (vllm/utils/argparse_utils.py), the type of --max-model-len and --max-num-batched-tokens:
 * `25.6k` = 25 600, `1K` = 1 024 (no decimals with binary suffixes), or a plain integer; undefined when it is none.
 */
export function humanReadableInt(value: string): number | undefined {
  const v = value.trim();
  const m = /^(\d+(?:\.\d+)?)([kKmMgGtT])$/.exec(v);
  if (m) {
    const decimal: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
    const binary: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
    if (m[2] in decimal) return Math.trunc(Number(m[1]) * decimal[m[2]]);
    return /^\d+$/.test(m[1]) ? Number(m[1]) * binary[m[2]] : undefined;
  }
  return pythonInt(v);
}

/** Python's int() of a word, the type of vLLM's integer flags: optional blanks and sign, digits with single underscores between them. */
export function pythonInt(value: string): number | undefined {
  const v = value.trim();
  return /^[+-]?\d+(_\d+)*$/.test(v) ? Number(v.replace(/_/g, '')) : undefined;
}

/**
 * vLLM's load_config_file (vllm/utils/argparse_utils.py): a YAML mapping's keys as flags — `true` as the bare flag,
 * `false` as `--no-<key>` (booleans only), a list as the flag and its items, a mapping as JSON, anything else as its
 * text. Undefined when the file is not a mapping (vLLM refuses it).
 */
export function configFileWords(config: unknown): string[] | undefined {
  if (config === null || config === undefined) return []; // an empty file is an empty configuration
  if (typeof config !== 'object' || Array.isArray(config)) return undefined;
  const out: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (typeof value === 'boolean') {
      if (value) out.push(`--${key}`);
      else if (isBoolean(`--${key.replace(/_/g, '-')}`)) out.push(`--no-${key}`);
    } else if (Array.isArray(value)) {
      if (value.length) out.push(`--${key}`, ...value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))));
    } else if (value !== null && typeof value === 'object') {
      out.push(`--${key}`, JSON.stringify(value));
    } else {
      // Python's str(): None is 'None'
      out.push(`--${key}`, typeof value === 'string' ? value : value === null || value === undefined ? 'None' : JSON.stringify(value));
    }
  }
  return out;
}

/**
 * The effective value of a vLLM flag, named by its long form (`--tensor-parallel-size`): short forms, underscores and
 * `--flag=value` read as vLLM reads them, the last one given (argparse); further names are accepted and ignored.
 */
export function argValue(args: readonly string[] | VllmArgs, flag: string, ...aliases: string[]): string | undefined {
  void aliases; // the short forms are vLLM's own (VllmArgs)
  return (args instanceof VllmArgs ? args : VllmArgs.of(args)).value(flag);
}

/** vLLM's tensor-parallel size from its arguments: 1 when unset, undefined when unknown or set to something that is not a size. */
export function tensorParallelSizeOf(args: readonly string[] | VllmArgs): number | undefined {
  const size = sizeFlag(args instanceof VllmArgs ? args : VllmArgs.of(args), '--tensor-parallel-size');
  return typeof size === 'number' ? size : undefined;
}

/**
 * A vLLM parallel size: its effective value (1 when unset), 'unknown' when a variable, a config file not in the tree or
 * an env hook that may not reach vLLM decides it, 'invalid' when it is set to something that is not a size.
 */
export function sizeFlag(args: VllmArgs, flag: string): number | 'unknown' | 'invalid' {
  if (args.unknown(flag)) return 'unknown';
  const v = args.value(flag);
  if (v === undefined) return 1;
  const n = pythonInt(v); // vLLM reads sizes with int()
  return n !== undefined && n >= 1 && n <= 9999 ? n : 'invalid';
}
