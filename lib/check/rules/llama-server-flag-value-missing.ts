import { FLASH_ATTN_VALUE_BUILD, LLAMA_CPP_ARGS_SOURCE, llamaValueOption } from '../../catalog/llama-cpp-args';
import { text } from '../../manifests/access';
import { runningServer } from '../model-servers';
import { MULTI_POD_KINDS } from '../pod-templates';
import { SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { SourcedWord } from '../vllm-args';
import { workloadVllmLines } from '../workload-lines';

/** llama.cpp's server images (.devops/*.Dockerfile, target server; ggml-org's, and ggerganov's of before the move). */
const SERVER_IMAGE = /^ghcr\.io\/(ggml-org|ggerganov)\/llama\.cpp:server/;

/** The build a server image's tag names (`server-b6327`, `server-cuda-b6327`); the newest build for a tag naming none (`server`, `server-cuda`). */
function buildOf(image: string): number | 'newest' {
  const build = /:server(?:-[a-z0-9]+)*-b(\d+)$/.exec(image)?.[1];
  return build ? Number(build) : 'newest';
}

/** Whether the word reaches the parser as written: not from a place the container may not read, nor a variable that may be any words. */
const plain = (w: SourcedWord) => !w.uncertain && !w.opaque && !w.word.includes('$');

/** What --flash-attn takes, added to its message. */
const FLASH_ATTN_NOTE = ' (--flash-attn takes on, off or auto since the builds of late August 2025; it was a switch before)';

/** The finding on an option given no value of its own: the last word, or followed by another option. */
function judgeOption(words: readonly SourcedWord[], i: number): Problem | undefined {
  const w = words[i];
  const option = llamaValueOption(w.word);
  if (!option) return undefined;
  const note = option.name === '--flash-attn' ? FLASH_ATTN_NOTE : '';
  const fix = `write its value right after it${note}, or drop it`;
  const needed = words.slice(i + 1, i + 1 + option.values);
  if (needed.length < option.values)
    return {
      message: `${w.word} (${w.from}) takes a value and is the last word of the command line: llama-server's parser finds none ("expected value for argument") and the server exits before it loads the model; ${fix}`,
    };
  const next = needed.find((n) => n.word.startsWith('-') && !/^-\.?\d/.test(n.word));
  if (!next || !needed.every(plain)) return undefined;
  const taken = `the word after it, '${next.word}', is taken as its value (llama-server's parser takes the next word whatever it is)`;
  if (option.kind !== 'text')
    return {
      message: `${w.word} (${w.from}) takes a value and ${taken}, which it refuses ("error while handling argument \\"${w.word}\\"") so the server exits before it loads the model; ${fix}`,
    };
  const swallowed = llamaValueOption(next.word);
  if (swallowed)
    return {
      message: `${w.word} (${w.from}) takes a value and ${taken}; the value meant for ${next.word} is then read as an option of its own ("error: invalid argument") and the server exits before it loads the model; ${fix}`,
    };
  return {
    severity: 'warning',
    message: `${w.word} (${w.from}) takes a value and ${taken}: ${next.word} never applies and ${w.word} is set to '${next.word}'; ${fix}`,
  };
}

/** The findings on a server's words, walked as its parser does: each option takes its values, and the walk stops at a word that may be any. */
function judgeWords(words: readonly SourcedWord[], build: number | 'newest'): Problem[] {
  const problems: Problem[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!plain(w)) return problems;
    const option = llamaValueOption(w.word);
    if (!option) continue;
    const oldSwitch = option.name === '--flash-attn' && build !== 'newest' && build < FLASH_ATTN_VALUE_BUILD;
    if (oldSwitch) continue;
    const problem = judgeOption(words, i);
    if (problem) problems.push(problem);
    i += option.values;
  }
  return problems;
}

export const llamaServerFlagValueMissing: Rule = {
  id: 'llama-server-flag-value-missing',
  title: "a llama.cpp server option that takes a value is the last word, or is followed by another option (`--flash-attn` last): the server's parser exits",
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, ...MULTI_POD_KINDS],
  premise:
    'a container runs llama.cpp\'s server (ghcr.io/ggml-org/llama.cpp:server* given args, or `llama-server`) and an option of llama.cpp\'s server table that takes a value (common/arg.cpp: an int handler or a string handler, --flash-attn among them on builds that take on|off|auto) is the last word: the parser throws "expected value for argument" and the server exits; or the next word is another option, which the parser takes as the value whatever it is: an error where the option reads a number or one of a list (it refuses the word) or where the swallowed option takes a value (that value is then an unknown argument), a warning where a text option swallows a switch (the switch never applies). ' +
    'Not judged: --flash-attn on a server image of a build before b6327 (a switch there) or on another image (its build is unknown), options not in the table, and words after one that may stand for any words (an unknown variable)',
  example: '`args: [-m, /models/qwen2.5-7b-instruct-q4_k_m.gguf, --port, "8080", --flash-attn]` on ghcr.io/ggml-org/llama.cpp:server-cuda',
  fix: 'write the value after the option (`--flash-attn on`, `--ctx-size 8192`), or drop it',
  source: `${LLAMA_CPP_ARGS_SOURCE}; -fa/--flash-attn's handler throws "unknown value for --flash-attn" outside on|off|auto`,
  check(o) {
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      if (c.args.invoked) return [];
      const image = text(c.container.image) ?? '';
      const running = runningServer(c.line, c.env, image);
      if (running?.server.name !== 'llama.cpp server') return [];
      // the program's own name is not an option: its words start after it
      const words = running.words.filter((w, i) => !(i === 0 && /(^|\/)llama-server$/.test(w.word)));
      const build = SERVER_IMAGE.test(image) ? buildOf(image) : 0;
      return judgeWords(words, build).map((p) => ({ ...p, message: `${c.where}: ${p.message}` }));
    });
  },
};
