/**
 * The declaration of a command's options, one entry per option: the parser and the usage text are both made from it
 * (lib/cli/options.ts), so that they cannot say different things.
 */

export interface OptionBase {
  /** May be given more than once, every value kept in order. @default false */
  readonly multiple?: boolean;
  /** A one-letter alias, `-n` for `--namespace`. @default - none */
  readonly short?: string;
  /** What the option does: one or a few sentences, wrapped to the usage's width. */
  readonly help: string;
  /** The default, shown after the help as `(default: …)`; the command applies it. @default - none shown */
  readonly default?: string;
}

/** An option that takes a value: `--name <value>` or `--name=<value>`. */
export interface StringOption extends OptionBase {
  readonly type: 'string';
  /** The value as the usage shows it: `<ns>`, `<uri>=<dir>`, `<auto|fp8>`. */
  readonly value: string;
}

/** A switch: `--name`, no value. */
export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
  readonly value?: never;
}

/** One option of a command, declared once: how it parses and how its usage line reads. */
export type OptionSpec = StringOption | BooleanOption;

/** A command's options by long name (without `--`), in the order its usage lists them. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O extends { type: 'boolean' }
  ? O extends { multiple: true }
    ? boolean[]
    : boolean
  : O extends { multiple: true }
    ? string[]
    : string;

/** What the parser gives for each option: absent when not given. */
export type OptionValues<T extends OptionSpecs> = { -readonly [K in keyof T]?: ValueOf<T[K]> };
