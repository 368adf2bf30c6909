/**
 * How the words of a command line start a model server other than vLLM: the server's program as a word of its own
 * (`tritonserver`, `/app/llama-server`), or Python running its module (`python3 -m sglang.launch_server`) or its
 * command's subcommand (`sglang serve`). Each gives the index where the server's own arguments start, or -1.
 */
type Invocation = (words: readonly string[]) => number;

const programAt =
  (program: RegExp): Invocation =>
  (words) => {
    const i = words.findIndex((w) => program.test(w));
    return i < 0 ? -1 : i + 1;
  };

const moduleAt =
  (module: string, subcommand: RegExp): Invocation =>
  (words) => {
    for (let i = 0; i < words.length; i++) {
      if (words[i] === module && words[i - 1] === '-m') return i + 1;
      if (subcommand.test(words[i]) && words[i + 1] === 'serve') return i + 2;
    }
    return -1;
  };

/** Words after which a program starts: command separators, exec, and the tracers LiteLLM's image may run it under. */
const COMMAND_STARTS = ['&&', '||', ';', '|', '&', 'exec', 'nohup', 'ddtrace-run', 'run-python'];

/** The invocation of each server of model-servers.ts, by the name it has there. */
export const SERVER_INVOCATIONS = {
  triton: programAt(/(^|\/)tritonserver$/),
  tgi: programAt(/(^|\/)text-generation-launcher$/),
  tei: programAt(/(^|\/)text-embeddings-router$/),
  llamaCpp: programAt(/(^|\/)llama-server$/),
  ollama: (words: readonly string[]) => {
    const i = words.findIndex((w, j) => /(^|\/)ollama$/.test(w) && words[j + 1] === 'serve');
    return i < 0 ? -1 : i + 2;
  },
  sglang: moduleAt('sglang.launch_server', /(^|\/)sglang$/),
  localAi: programAt(/(^|\/)local-ai$/),
  // the `litellm` console script where a command starts (a folder named litellm is a common argument), run alone or
  // under exec or a tracer (docker/prod_entrypoint.sh: ddtrace-run, newrelic-admin run-python); or its module
  litellm: (words: readonly string[]) => {
    const i = words.findIndex(
      (w, j) => (/(^|\/)litellm$/.test(w) && (j === 0 || COMMAND_STARTS.includes(words[j - 1]))) || (w === 'litellm.proxy.proxy_cli' && words[j - 1] === '-m'),
    );
    return i < 0 ? -1 : i + 1;
  },
} as const satisfies Record<string, Invocation>;

/**
 * Whether a command's words (its program first) start one of the servers: the program itself (`llama-server -m …`,
 * `ollama serve`), or a Python interpreter running its module (`python3 -m sglang.launch_server`).
 */
export function startsModelServer(words: readonly string[]): boolean {
  const program = (words[0] ?? '').replace(/^.*\//, '');
  return Object.values(SERVER_INVOCATIONS).some((invocation) => {
    const start = invocation(words);
    // the program is the first word (`ollama serve`: its arguments start at 2), or an interpreter runs its module
    return start >= 0 && (start <= 2 || (/^python[\d.]*$/.test(program) && start <= 4));
  });
}
