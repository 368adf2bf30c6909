/**
 * A Go program's command-line flags as its flag parser reads them: Go's flag package (src/flag/flag.go FlagSet.parseOne)
 * and spf13/pflag (flag.go parseArgs, parseLongArg), which both accept `-name value`, `--name value`, `-name=value` and
 * `--name=value`, take a boolean's value only after `=` (`--name`, `--name=false`), give a valued flag the next word
 * whatever it is (`-name -1`), and stop at `--`. Go's flag package also stops at the first word that is no flag; pflag
 * reads on past it (interspersed, its default).
 */

/** How the program declares a flag: a boolean takes no value word; a valued flag takes the next one; undefined, not known. */
export type GoFlagKind = 'bool' | 'value' | undefined;

/** One flag as written: its name without dashes, the dashes, and its value (after `=` or the next word) if it has one. */
export interface GoFlag {
  readonly name: string;
  readonly dashes: string;
  readonly value?: string;
  /** The flag's word as written (`--vllm-port`, `-poolName=x`). */
  readonly word: string;
  /** The flag as written with its value word when the value is the next word (`--vllm-port 8000`), else the word. */
  readonly written: string;
}

export interface GoFlagReading {
  /** The kind of a flag by its name; a flag not known takes the next word as its value when that word is no flag. */
  readonly kind?: (name: string) => GoFlagKind;
  /** Whether flags go on after a word that is no flag (pflag's default); false stops there, as Go's flag package does. */
  readonly interspersed?: boolean;
}

/**
 * A word that is a flag: one or two dashes, then a name. Go's parsers refuse `---x` and `-=x` (bad flag syntax); a
 * name starting with no letter (`-1`) is read as no flag here, so that a negative number stays a value.
 */
const FLAG = /^(--?)([A-Za-z][\w.-]*)(?:=([\s\S]*))?$/;

/** Whether a word reads as a flag (`--name`, `-name=value`). */
export function isGoFlagWord(word: string): boolean {
  return FLAG.test(word);
}

/** The flags of a command line's words (after the program), in order. */
export function goFlags(words: readonly string[], reading: GoFlagReading = {}): GoFlag[] {
  const out: GoFlag[] = [];
  const interspersed = reading.interspersed ?? true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '--') break;
    const m = FLAG.exec(word);
    if (!m) {
      if (!interspersed) break;
      continue;
    }
    const [, dashes, name, inline] = m;
    const kind = reading.kind?.(name);
    if (inline !== undefined || kind === 'bool') {
      out.push({ name, dashes, value: inline, word, written: word });
      continue;
    }
    const next = words[i + 1];
    const takes = next !== undefined && (kind === 'value' || !FLAG.test(next));
    out.push(takes ? { name, dashes, value: next, word, written: `${word} ${next}` } : { name, dashes, word, written: word });
    if (takes) i++;
  }
  return out;
}

/** The last of the flags given under any of the names (Go's flag package and pflag keep the last value set). */
export function lastGoFlag<F extends GoFlag>(flags: readonly F[], ...names: string[]): F | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (names.includes(flags[i].name)) return flags[i];
  return undefined;
}
