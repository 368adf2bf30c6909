import { markdownProse } from './repository-scripts';
import { TreeScript } from './script-text';

/** A line of a tree's Markdown prose that says which GPU the tree runs on. */
export interface ProseGpuMention {
  readonly file: string;
  readonly line: number;
  /** The line as written, trimmed to at most 160 characters, for a message. */
  readonly text: string;
  /** The GPUs it names, each as canonical words: a model (`RTX 2080 Ti`, `T4`, `A100 80GB`) or a size (`24 GB`). */
  readonly gpus: readonly string[];
}

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * A GPU model as prose writes it: GeForce and workstation RTX cards (`RTX 2080 Ti`, `RTX 4090`, `RTX A6000`, `RTX 6000
 * Ada`) and NVIDIA's data-center GPUs (`Tesla T4`, `V100`, `A10G`, `L4`, `L40S`, `A100 80GB`, `H100`), a size after
 * the name kept (`A100-80GB`, `V100 (32 GB)`).
 */
const MODEL =
  /\b(?:NVIDIA\s+)?(?:GeForce\s+)?(RTX\s*(?:A\d{4}|\d{4}(?:\s*Ti)?(?:\s*Super)?(?:\s*Ada)?)|(?:Tesla\s+)?(?:T4|V100|A10G|A10|L40S|L4|A100|H100|H200))(?:[\s-]*\(?(\d{2,3})\s*GB\)?)?(?![\w-])/gi;
/** A GPU told by its memory alone: `a 24 GB GPU`, `16GB of VRAM`, `a GPU with 24 GB`. */
const SIZES = [
  /\b(\d{1,3})\s*(?:GB|GiB)\s+(?:of\s+)?(?:GPU|VRAM|video memory|graphics memory)\b/gi,
  /\b(?:GPU|graphics card)\s+with\s+(\d{1,3})\s*(?:GB|GiB)\b/gi,
];
/** Words by which a line says the tree runs on the GPU it names: tested, runs, deployed, requires, a `GPU:` label. */
const CONTEXT =
  /\b(?:tested|runs?\s+on|running\s+on|ran\s+on|deployed\s+(?:on|to)|developed\s+on|verified\s+on|validated\s+on|benchmarked\s+on|works?\s+on|requires?|requirements?|needs?|minimum|hardware|we\s+use[ds]?)\b|(?:^|[|*-])\s*\**GPUs?\**\s*[:|]/i;
/**
 * Words by which a line names a GPU the tree does not run on, or only a bound: `not tested on a T4`, `instead of`,
 * `more than 16 GB` (a size it does not name).
 */
const NOT_THE_TREES = /\b(?:not|never|untested|instead|unlike|rather|except|more\s+than|greater\s+than|larger\s+than|over|above|beyond)\b|n't\b/i;

/** The canonical words of a model match: `RTX 2080 Ti`, `T4`, `A100 80GB`. */
function modelWords(m: RegExpMatchArray): string {
  const name = m[1]
    .replace(/^Tesla\s+/i, '')
    .replace(/^RTX\s*/i, 'RTX ')
    .replace(/\s+/g, ' ')
    .replace(/(\d)(Ti|Super|Ada)\b/gi, '$1 $2')
    .toUpperCase()
    .replace(/ TI\b/, ' Ti')
    .replace(/ SUPER\b/, ' Super')
    .replace(/ ADA\b/, ' Ada');
  return m[2] ? `${name} ${m[2]}GB` : name;
}

/** The GPUs a prose line names, where its words say the tree runs on them; none otherwise. */
function lineGpus(line: string): string[] {
  if (!CONTEXT.test(line) || NOT_THE_TREES.test(line)) return [];
  const models = [...line.matchAll(MODEL)].map(modelWords);
  const sizes = SIZES.flatMap((re) => [...line.matchAll(re)].map((m) => `${Number(m[1])} GB`));
  return [...new Set([...models, ...sizes])];
}

/**
 * The lines of the Markdown prose of a tree's scripts (READMEs and guides; their code blocks left out) that say which
 * GPU the tree runs on: a GPU model or a GPU memory size, on a line whose words tell it is the tree's own (`tested on an
 * RTX 2080 Ti`, `requires a 24 GB GPU`, `GPU: T4`), and not one it is not (`not tested on`, `more than 16 GB`).
 */
export function proseGpuMentions(scripts: readonly TreeScript[]): ProseGpuMention[] {
  return scripts
    .filter((s) => MARKDOWN.test(s.script))
    .flatMap((s) =>
      markdownProse(s.text)
        .split('\n')
        .flatMap((raw, i) => {
          const gpus = raw.trim() ? lineGpus(raw) : [];
          const text = raw.trim().replace(/\s+/g, ' ');
          return gpus.length ? [{ file: s.script, line: i + 1, text: text.length > 160 ? `${text.slice(0, 157)}...` : text, gpus }] : [];
        }),
    );
}
