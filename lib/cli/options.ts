import { parseArgs } from 'util';
import { closest } from '../private/json-config';
import { Command, Io, UsageError } from './command';
import { OptionSpec, OptionSpecs, OptionValues } from './option-spec';
import { CommandName, SUMMARIES } from './summaries';
import { displayWidth, padDisplay, wrapText } from './output/text-width';

/** The options and positional arguments of one command line. */
export interface ParsedArgs<T extends OptionSpecs> {
  readonly values: OptionValues<T>;
  readonly positionals: string[];
}

/** The width the usage texts are written to (their prose paragraphs are wrapped by hand to it). */
export const USAGE_WIDTH = 120;

/** Where option rows start, and the widest option column before a row's help moves to the next line. */
const INDENT = 2;
const MAX_FLAG_COLUMN = 32;

/**
 * Parses a command line against the declared options. A usage error, naming the option, for an option not declared
 * (with the declared one it was probably meant to be), a value missing or given to a switch, and a positional
 * argument to a command that takes none. Node's parser runs loose and its tokens are judged here, so that every
 * refusal is a message of this tool rather than Node's.
 */
export function parseOptions<T extends OptionSpecs>(argv: readonly string[], options: T, opts: { positionals: boolean }): ParsedArgs<T> {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, multiple: o.multiple === true, ...(o.short ? { short: o.short } : {}) }]),
  );
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !opts.positionals) throw new UsageError(`unexpected argument '${token.value}': this command takes options only`);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown option '${token.rawName}'${suggestion(token.rawName, options)}`);
    const flag = `--${token.name}`;
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`${flag} takes no value, got '${token.value}'`);
    if (spec.type === 'string' && token.value === undefined) throw new UsageError(`${flag} needs a value: ${flag} ${spec.value}`);
    // as Node's strict parser: `--model --gpu` is a forgotten value, not a model named '--gpu'
    if (spec.type === 'string' && !token.inlineValue && token.value!.length > 1 && token.value!.startsWith('-'))
      throw new UsageError(`${flag} needs a value, got the option '${token.value}'; a value that starts with '-' is written ${flag}=${token.value}`);
  }
  return { values: values as OptionValues<T>, positionals };
}

/** `; did you mean --x?` for the declared option nearest to what was typed, when it is a plausible typo; else nothing. */
function suggestion(raw: string, options: OptionSpecs): string {
  const near = closest(raw.replace(/^-+/, ''), Object.keys(options));
  return near ? `; did you mean --${near}?` : '';
}

/** An option as its usage row starts: `-n, --namespace <ns>`, or `--namespace <ns>` under a column that has aliases. */
function flagOf(name: string, o: OptionSpec, aliased: boolean): string {
  const alias = o.short ? `-${o.short}, ` : aliased ? '    ' : '';
  return `${alias}--${name}${o.value ? ` ${o.value}` : ''}`;
}

/** The help of a row: its text, then whether it repeats and its default. */
function helpOf(o: OptionSpec): string {
  const notes = [o.multiple ? 'repeatable' : '', o.default !== undefined ? `default: ${o.default}` : ''].filter(Boolean);
  return notes.length ? `${o.help} (${notes.join('; ')})` : o.help;
}

/** The flag column for these option groups: as wide as their widest flag, up to MAX_FLAG_COLUMN, and two spaces. */
function flagColumn(groups: readonly OptionSpecs[]): number {
  const flags = groups.flatMap((options) => {
    const aliased = Object.values(options).some((o) => o.short);
    return Object.entries(options).map(([name, o]) => displayWidth(flagOf(name, o, aliased)));
  });
  return Math.min(MAX_FLAG_COLUMN, Math.max(0, ...flags)) + 2;
}

/**
 * The options as usage rows: the flags in a column (as wide as the widest flag of `alignWith`, up to MAX_FLAG_COLUMN;
 * a wider flag has its help on the next line), the help wrapped to `width` beside them, continuation lines under its
 * first.
 */
export function optionsUsage(options: OptionSpecs, alignWith: readonly OptionSpecs[] = [options], width = USAGE_WIDTH): string {
  const aliased = Object.values(options).some((o) => o.short);
  const column = flagColumn(alignWith);
  const pad = ' '.repeat(INDENT + column);
  const lines: string[] = [];
  for (const [name, o] of Object.entries(options)) {
    const flag = flagOf(name, o, aliased);
    const text = wrapText(helpOf(o), Math.max(20, width - INDENT - column));
    if (displayWidth(flag) + 2 > column) lines.push(`${' '.repeat(INDENT)}${flag}`);
    else lines.push(`${' '.repeat(INDENT)}${padDisplay(flag, column)}${text.shift()}`);
    lines.push(...text.map((t) => `${pad}${t}`));
  }
  return lines.join('\n');
}

/** A part of a usage text: a paragraph (wrapped by hand to USAGE_WIDTH, indented, printed as written) or a group of options. */
export type UsageBlock = string | OptionSpecs;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The options a usage declares: those of all its groups. */
export type OptionsOf<B extends readonly UsageBlock[]> = UnionToIntersection<Extract<B[number], OptionSpecs>> extends infer T extends OptionSpecs ? T : never;

/** A command as declared: its forms, its usage (paragraphs and option groups) and what it does with the parsed line. */
export interface CommandSpec<B extends readonly UsageBlock[]> {
  readonly name: CommandName;
  /** Its forms, each as typed after `cdk8s-vllm `: `check <path>... [options]`. */
  readonly synopsis: readonly string[];
  /** The usage after the forms, in order; the options parsed are exactly those of its groups, listed in one column. */
  readonly usage: B;
  /** Whether it takes arguments besides options (paths, URLs). */
  readonly positionals: boolean;
  run(args: ParsedArgs<OptionsOf<B>>, io: Io): Promise<number> | number;
}

/**
 * A command from its declaration: the usage text and the parser made from the same option groups. An option declared
 * in two groups is a mistake in the declaration, refused when the command is made.
 */
export function defineCommand<const B extends readonly UsageBlock[]>(spec: CommandSpec<B>): Command {
  const groups = spec.usage.filter((b): b is OptionSpecs => typeof b !== 'string');
  const options: Record<string, OptionSpec> = {};
  for (const group of groups) {
    for (const [name, o] of Object.entries(group)) {
      if (Object.hasOwn(options, name)) throw new Error(`cdk8s-vllm ${spec.name}: option --${name} is declared twice`);
      options[name] = o;
    }
  }
  const forms = spec.synopsis.map((s, i) => `${i ? '       ' : ''}cdk8s-vllm ${s}`);
  // written when first printed: a run that prints no usage does not lay out its columns (measuring them loads ICU's
  // grapheme data, some tens of milliseconds)
  let usage: string | undefined;
  return {
    name: spec.name,
    summary: SUMMARIES[spec.name],
    get usage() {
      return (usage ??= [forms.join('\n'), ...spec.usage.map((b) => (typeof b === 'string' ? b : optionsUsage(b, groups)))].join('\n\n'));
    },
    options,
    run: (argv, io) => spec.run(parseOptions(argv, options as OptionsOf<B>, { positionals: spec.positionals }), io),
  };
}
