import type { ContainerLine } from './container-line';

/**
 * Whether a container runs vLLM's server, and what says so: the one predicate of the rules that judge the server as a
 * whole (how it scales, what its name collides with), beside VllmArgs.invoked, which the rules that read vLLM's flags
 * need (a wrapper's own flags are not vLLM's).
 */
export interface VllmServerEvidence {
  /** 'argv': the command line starts vLLM's server; 'named': a program or word of it names vllm; 'env': vLLM-only env names. */
  readonly how: 'argv' | 'named' | 'env';
  /** What the message says: "its command line starts vLLM's server", "its command runs /opt/run-vllm.sh", … */
  readonly said: string;
}

/** Words after which a shell's next word is a program (the line's `;` stands for a newline too: shellCommandWords). */
const BEFORE_PROGRAM = new Set([';', '&&', '||', '|', '&', 'exec', 'then', 'do', 'else', 'nohup']);

/** A program or script whose name has vllm as a word of its own: vllm, run-vllm.sh, vllm_server.py, start.vllm. */
const NAMES_VLLM = /(^|[-_.])vllm([-_.]|$)/i;

/** Interpreters whose first operand is the program run: `python3 serve_vllm.py`, `bash /opt/start-vllm.sh`. */
const INTERPRETER = /^(python[0-9.]*|bash|sh|dash|zsh|ash)$/;

/**
 * Env variables of a client of a vLLM server rather than of the server: where it is (VLLM_URL, VLLM_ENDPOINT,
 * VLLM_API_BASE, VLLM_HOST, VLLM_SERVICE) and how to call it (VLLM_API_KEY is a client's and a server's alike).
 */
const CLIENT_ENV = /(URL|URI|ENDPOINT|API_BASE|BASE|HOST|ADDR|ADDRESS|SERVICE|SERVER|API_KEY|TOKEN|TIMEOUT)$/;

/**
 * vLLM reads its settings from VLLM_* variables (vllm/envs.py), and wrappers of it name theirs the same way
 * (VLLM_GPU_MEMORY_UTILIZATION, VLLM_MAX_MODEL_LEN): two such names, not a client's, on a container whose program
 * is not visibly another, tell a vLLM server where its image and entrypoint are not known. One is not enough: a
 * single VLLM_LOGGING_LEVEL or VLLM_USE_V1 is set by clients and other tools too.
 */
export const VLLM_ENV_NAMES_NEEDED = 2;

const basename = (word: string) => word.replace(/^.*\//, '');

/** The words of a line in a program's place: the first, the first after an operator or `exec`, an interpreter's script. */
function programWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && !BEFORE_PROGRAM.has(words[i - 1]) && !words[i - 1].endsWith(';')) continue;
    out.push(words[i]);
    // the script an interpreter runs: its first operand that is no option
    if (INTERPRETER.test(basename(words[i]))) {
      const script = words.slice(i + 1).find((w) => !w.startsWith('-'));
      if (script) out.push(script);
    }
  }
  return out;
}

/** The vLLM-only env names a container sets (literal or from a Secret or ConfigMap: the name is what counts). */
export function vllmEnvNames(line: ContainerLine): string[] {
  return [...new Set(line.env.map((e) => e.name))].filter((n) => n.startsWith('VLLM_') && !CLIENT_ENV.test(n));
}

/**
 * What says a container runs vLLM's server, strongest first: its command line starts it (`vllm serve`, the api_server
 * modules, a known vLLM image's entrypoint, a shell line running them); a program of its line or a word of its args
 * names vllm (`/opt/run-vllm.sh`, `/entrypoint.sh vllm`: its first operand); or, where the program is a wrapper the tree does not show (no
 * command and an unknown image's entrypoint, or a shell script), at least two vLLM-only env names. Undefined when
 * nothing does: a custom image is not taken for vLLM on its name alone.
 */
export function vllmServerEvidence(line: ContainerLine): VllmServerEvidence | undefined {
  if (line.args.invoked) return { how: 'argv', said: "its command line starts vLLM's server" };
  const words = line.line.words.map((w) => w.word);
  const program = programWords(words).find((w) => NAMES_VLLM.test(basename(w)));
  if (program) return { how: 'named', said: `its command line runs ${program}` };
  // a dispatching entrypoint told which server to start: `/entrypoint.sh vllm …`
  if (words[1] === 'vllm') return { how: 'named', said: `its command line runs ${words[0]} vllm` };
  const env = vllmEnvNames(line);
  const first = basename(words[0] ?? '');
  const wrapper = !line.line.programKnown || /\.sh$/.test(first) || /^(entrypoint|docker-entrypoint|start|run)(\.\w+)?$/.test(first);
  if (wrapper && env.length >= VLLM_ENV_NAMES_NEEDED) {
    return {
      how: 'env',
      said: `its env sets ${env.slice(0, 3).join(', ')}${env.length > 3 ? ', …' : ''} (vLLM's settings) for a program the tree does not show`,
    };
  }
  return undefined;
}
