import { endsHeredoc, HEREDOC_OPENING } from './heredocs';

/**
 * The arms of the shell's conditionals a script's line is in: each `if … then`, `elif`, `else` of an if and each
 * pattern of a `case` is one arm, of which the shell runs at most one per pass (bash manual, Conditional
 * Constructs). An arm is written `<kind>@<line of its if or case>#<arm number>`, outermost first.
 */
export type ArmPath = readonly string[];

/** A line that opens an if (`if …`, `if …; then`) and does not close it on the same line. */
const IF_OPEN = /^\s*if\s/;
const ELSE_ARM = /^\s*(?:elif\s|else\b)/;
const FI = /(?:^|[;&\s])fi\s*(?:[;#|&)].*)?$/;
const CASE_OPEN = /^\s*case\s.*\sin\s*(?:#.*)?$/;
const ESAC = /^\s*esac\b/;
/** A case pattern opening an arm: `gpu)`, `"cpu"|cpu-only)`, `*)`, optionally parenthesised, maybe with a command after it. */
const CASE_PATTERN = /^\s*\(?\s*[^\s()#][^()]*\)/;

interface Open {
  readonly id: string;
  arm: number;
  readonly kind: 'if' | 'case';
}

/** The arm path of each line of a script (1-based; index 0 unused). */
export function armPaths(text: string): ArmPath[] {
  const stack: Open[] = [];
  const out: ArmPath[] = [[]];
  // a heredoc's body is text for a command, not the script's own lines
  let heredoc: RegExpExecArray | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (heredoc) {
      if (endsHeredoc(raw, heredoc[3], heredoc[1] === '-')) heredoc = null;
      out.push(out[line - 1]);
      return;
    }
    const top = stack[stack.length - 1];
    if (IF_OPEN.test(raw) && !FI.test(raw)) stack.push({ id: `if@${line}`, arm: 0, kind: 'if' });
    else if (top?.kind === 'if' && ELSE_ARM.test(raw)) top.arm++;
    else if (top?.kind === 'if' && /^\s*fi\b/.test(raw)) stack.pop();
    else if (CASE_OPEN.test(raw)) stack.push({ id: `case@${line}`, arm: -1, kind: 'case' });
    else if (top?.kind === 'case' && ESAC.test(raw)) stack.pop();
    else if (top?.kind === 'case' && CASE_PATTERN.test(raw) && !/^\s*;;/.test(raw)) top.arm++;
    out.push(stack.map((s) => `${s.id}#${s.arm}`));
    heredoc = HEREDOC_OPENING.exec(raw);
  });
  return out;
}

/** Whether two lines' arm paths are in different arms of one if or case: the shell runs one of them, never both in one pass. */
export function alternativeArms(a: ArmPath | undefined, b: ArmPath | undefined): boolean {
  if (!a || !b) return false;
  return a.some((x) => {
    const id = x.slice(0, x.indexOf('#'));
    return b.some((y) => y !== x && y.startsWith(`${id}#`));
  });
}
