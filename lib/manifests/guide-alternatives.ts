/**
 * Where a Markdown guide offers a step as an alternative to another. A guide is read by a person who picks among the
 * steps it offers, not run top to bottom as a script is: "Or apply secret.yaml after replacing the placeholder" below
 * a `kubectl create secret` block, or "Alternatively, use Kustomize" above a `kubectl apply -k` block, offers two ways
 * to one end, of which the reader runs one.
 */

/** What the prose around a guide's step says of it. */
export interface GuideOffer {
  /** The prose leading into the step's block offers it as another way to an earlier step ("Or use Kustomize …"). */
  readonly offeredInstead?: true;
  /** The prose right after the step's block offers another way to what it does ("Or apply secret.yaml …"). */
  readonly otherOffered?: true;
}

/**
 * Prose that offers a step as another way: a sentence or list item opening with "Or", "Alternatively" or "Instead",
 * "(Alternative)", "alternative(ly)" or "instead" in it, or a step run only "after replacing/fixing/filling in/editing"
 * the file (the reader writes the value the other step gives).
 */
const OFFERS_ALTERNATIVE =
  /^\s*(?:[-*+]\s+|\d+[.)]\s+|#+\s+)?(?:[*_]{1,2})?(?:or|alternatively|instead)\b|\balternative(?:ly)?\b|\binstead\b|\bafter\s+(?:replacing|fixing|filling\s+in|editing|updating)\b/i;
/** A fence line of a Markdown text (``` or ~~~). */
const FENCE = /^\s*(`{3,}|~{3,})/;
/** A heading: the prose before it belongs to another section. */
const HEADING = /^\s*#{1,6}\s/;
/** How many prose lines next to a block are read: the step's own sentence, not the section. */
const NEAR_LINES = 8;

/** The fenced blocks of a Markdown text, each as its opening and closing line (1-based). */
function blocksOf(lines: readonly string[]): { open: number; close: number }[] {
  const out: { open: number; close: number }[] = [];
  let open: { fence: string; line: number } | undefined;
  lines.forEach((l, i) => {
    const fence = FENCE.exec(l);
    if (!fence) return;
    if (open === undefined) open = { fence: fence[1], line: i + 1 };
    else if (fence[1].startsWith(open.fence)) {
      out.push({ open: open.line, close: i + 1 });
      open = undefined;
    }
  });
  return out;
}

/**
 * The prose lines from a line on, one way (`step` 1 down, -1 up), until a fenced block or, past a heading, the next
 * section: a heading above the block is read (it may name the step), one below is not.
 */
function proseFrom(lines: readonly string[], from: number, step: 1 | -1): string[] {
  const out: string[] = [];
  for (let i = from; i >= 1 && i <= lines.length && out.length < NEAR_LINES; i += step) {
    const l = lines[i - 1];
    if (FENCE.test(l) || (step === 1 && HEADING.test(l))) break;
    out.push(l);
    if (HEADING.test(l)) break;
  }
  return out;
}

/** What the prose around the block of a guide's command (its line, 1-based) says of it (GuideOffer). */
export function guideOffer(text: string, line: number): GuideOffer {
  const lines = text.split('\n');
  const block = blocksOf(lines).find((b) => b.open < line && line < b.close);
  if (!block) return {};
  const offers = (prose: string[]) => prose.some((l) => OFFERS_ALTERNATIVE.test(l));
  return {
    ...(offers(proseFrom(lines, block.open - 1, -1)) ? { offeredInstead: true as const } : {}),
    ...(offers(proseFrom(lines, block.close + 1, 1)) ? { otherOffered: true as const } : {}),
  };
}
