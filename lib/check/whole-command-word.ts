import { CommandLine, LinePieces, shellWords } from './command-line';
import { SourcedWord, vllmInvocation } from './vllm-args';

/**
 * Images whose entrypoint runs its arguments as a program: NVIDIA's NGC framework images and CUDA base images run
 * /opt/nvidia/nvidia_entrypoint.sh, which sources /opt/nvidia/entrypoint.d/ and ends in `exec "$@"` (NVIDIA
 * container-images/cuda, entrypoint/nvidia_entrypoint.sh; the NGC vLLM image's docs run it as
 * `docker run … nvcr.io/nvidia/vllm:<tag> vllm serve <model>`), so a container's first args element is the program.
 */
const EXEC_ARGS_IMAGE =
  /^(nvcr\.io\/nvidia\/(vllm|pytorch|cuda|tritonserver|tensorrt|tensorrt-llm\/release|nemo|sglang|dynamo)|(docker\.io\/)?nvidia\/cuda)[:@]/;

/** Whether the image's entrypoint is known to exec its arguments, the first of them being the program. */
export function entrypointExecsArgs(image: string | undefined): boolean {
  return EXEC_ARGS_IMAGE.test(image ?? '');
}

/** A program word holding a whole command line (`vllm serve org/model`): its first word and what follows. */
const WHOLE_COMMAND = /^\s*[\w./][\w./-]*\s+\S/;

/** Whether a word meant as the program holds a whole command line (`wget -q localhost:7474 || exit 1`). */
export function holdsCommandLine(word: string): boolean {
  return WHOLE_COMMAND.test(word);
}

/**
 * The word the kubelet runs as the program when it holds a whole command line (`"vllm serve org/model"`): the
 * command's first element, or the first args element where no command is set and the image's entrypoint execs its
 * arguments. `known` is false where no command is set and the entrypoint is not known (it may split its arguments).
 */
export function wholeCommandWord(pieces: LinePieces, line: CommandLine): { word: SourcedWord; known: boolean } | undefined {
  const first = pieces.command[0] ?? pieces.args[0];
  const program = line.words[0];
  if (!first || !program || program.from !== first.from || !holdsCommandLine(program.word)) return undefined;
  const known = pieces.command.length > 0 || entrypointExecsArgs(pieces.image);
  // under an unknown entrypoint only a word that plainly starts vLLM is taken for a command line
  if (!known && !startsVllm(shellWords(program.word))) return undefined;
  return { word: program, known };
}

/** Whether split words start vLLM's server as their program (`vllm serve`, `python3 -m vllm.entrypoints.openai.api_server`). */
function startsVllm(words: readonly string[]): boolean {
  return vllmInvocation(words) !== undefined && /(^|\/)(vllm|python[\d.]*)$/.test(words[0] ?? '');
}

/**
 * The line as its author meant it when its program word is a whole vLLM command line (`"vllm serve org/model"`,
 * `"python3 -m vllm.entrypoints.openai.api_server"`): the word split as a shell would, so the vLLM rules read the
 * flags that follow; undefined when the line is not of that shape. The exec itself fails (argument-not-split says so).
 */
export function meantVllmLine(pieces: LinePieces, line: CommandLine): CommandLine | undefined {
  const whole = wholeCommandWord(pieces, line);
  if (!whole) return undefined;
  const split = shellWords(whole.word.word);
  if (!startsVllm(split)) return undefined;
  // an unknown entrypoint's env hooks are left out: the program is the word itself, run by the kubelet or by an
  // entrypoint that execs it
  const written = new Set([...pieces.command, ...pieces.args].map((w) => w.from));
  const rest = line.words.slice(1).filter((w) => written.has(w.from));
  const words = [...split.map((word) => ({ word, from: whole.word.from })), ...rest];
  return { ...line, words, programKnown: true };
}
