import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { NOT_SERVER_ENTRYPOINTS, shellScriptIndex, vllmServerEntrypoint } from '../command-line';
import { idleCommand } from '../idle-command';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { scriptCommands } from '../shell-commands';

/**
 * The subcommands of vLLM's CLI, every release's (vllm-project/vllm vllm/entrypoints/cli/_utils.py CLI_COMMANDS: chat,
 * complete, serve, launch, bench, collect-env, run-batch): any other first word is refused by its argparse subparsers
 * ("argument subparser: invalid choice"), and the program exits at once.
 */
const VLLM_SUBCOMMANDS = ['serve', 'chat', 'complete', 'launch', 'bench', 'collect-env', 'run-batch'];

/** Flags only vLLM's server takes: args made of them are meant for it. */
const SERVER_FLAGS =
  /^--(model|tensor-parallel-size|pipeline-parallel-size|served-model-name|max-model-len|gpu-memory-utilization|dtype|quantization|max-num-seqs)(=|$)/;

function containerProblem(name: string, c: Loose): Problem[] {
  // an empty command list is none: the image's entrypoint runs
  if (c.command !== undefined && c.command !== null && !(Array.isArray(c.command) && c.command.length === 0)) return [];
  const args = strings(c.args);
  const image = text(c.image) ?? '';
  const known = NOT_SERVER_ENTRYPOINTS.find((e) => e.image.test(image));
  // args that begin with a program (`python -m vllm.entrypoints.api_server …`) give it themselves
  if (!known || !args.length || !args[0].startsWith('-')) return [];
  const flags = args.filter((a) => SERVER_FLAGS.test(a));
  if (!flags.length) return [];
  return [
    {
      message:
        `container '${name}' gives vLLM server flags (${flags.slice(0, 3).join(' ')}) as args with no command, but ${known.described} (${image}) does not start vLLM's server by itself: ` +
        `the args take the place of a program and the container never serves; set command: [${known.command.map((w) => JSON.stringify(w)).join(', ')}] ` +
        '(vllm.entrypoints.openai.api_server for the OpenAI API), or use an image whose entrypoint is the server (vllm/vllm-openai)',
    },
  ];
}

/**
 * Whether a container is the one meant to serve: a ServingRuntime's or a predictor's kserve-container (or its only
 * container), a workload's container that declares a port or a probe. A container with neither (a debug shell, a
 * sidecar that idles) is not judged.
 */
function servingContainer(kind: unknown, name: string, c: Loose, count: number): boolean {
  if (kind === 'ServingRuntime' || kind === 'InferenceService') return name === 'kserve-container' || count === 1;
  return mappings(c.ports).length > 0 || ['readinessProbe', 'livenessProbe', 'startupProbe'].some((p) => Object.keys(mapping(c[p])).length > 0);
}

/** A vLLM-image serving container whose command runs only idlers (sleep, tail -f, cat): it never serves. */
function idleProblem(name: string, c: Loose): Problem[] {
  const image = text(c.image);
  const entrypoint = vllmServerEntrypoint(image);
  const idle = entrypoint && idleCommand(strings(c.command), strings(c.args));
  if (!idle) return [];
  return [
    {
      message:
        `container '${name}' runs \`${idle}\` on ${image}: its command replaces the image's entrypoint (${entrypoint.join(' ')}), so vLLM's server never starts, ` +
        `nothing answers on its port and the pod never becomes ready; remove the command and give vLLM's flags as args (the image starts the server), or set command: [${entrypoint.map((w) => JSON.stringify(w)).join(', ')}]`,
    },
  ];
}

/**
 * Args that name the subcommand again on an image whose entrypoint is vLLM's server: with no command the args follow
 * the entrypoint, so `serve <model>` runs `vllm serve serve <model>` on vllm/vllm-openai (ENTRYPOINT ["vllm", "serve"],
 * vllm-project/vllm docker/Dockerfile, since late 2025) and `… api_server serve <model>` on the images whose entrypoint
 * is the api_server module (vllm-openai before, Open Data Hub's, Red Hat's): both parsers refuse the extra positional
 * ("unrecognized arguments: serve", vllm-project/vllm#22072, #37133).
 */
function doubledSubcommand(name: string, c: Loose): Problem[] {
  if (c.command !== undefined && c.command !== null && !(Array.isArray(c.command) && c.command.length === 0)) return [];
  const args = strings(c.args);
  const entrypoint = vllmServerEntrypoint(text(c.image));
  const repeated = args[0] === 'serve' ? 1 : args[0] === 'vllm' && args[1] === 'serve' ? 2 : 0;
  if (!entrypoint || !repeated) return [];
  return [
    {
      message:
        `container '${name}' sets no command and its args begin with \`${args.slice(0, repeated).join(' ')}\`, but the args follow the entrypoint of ${text(c.image)} (${entrypoint.join(' ')}): ` +
        `it runs \`${[...entrypoint, ...args.slice(0, repeated + 1)].join(' ')} …\` and vLLM's parser refuses the extra positional ("unrecognized arguments"), so the container exits at start; ` +
        `drop \`${args.slice(0, repeated).join(' ')}\` from the args (the image starts the server), or set command: ["vllm"] and keep args: [serve, …]`,
    },
  ];
}

/** The vLLM subcommands a container runs, as `vllm <word>` in its command and args or in a `sh -c` script of them. */
function vllmSubcommands(c: Loose): string[] {
  const words = [...strings(c.command), ...strings(c.args)];
  const at = shellScriptIndex(words);
  const lines = at === undefined ? [words] : scriptCommands(words[at]).map((cmd) => cmd.words);
  return lines.flatMap((line) =>
    line.flatMap((w, i) => (/(^|\/)vllm$/.test(w) && i + 1 < line.length && i === line.findIndex((x) => !/^[A-Za-z_]\w*=/.test(x)) ? [line[i + 1]] : [])),
  );
}

/** A `vllm <word>` whose word is no subcommand of vLLM's CLI (`vllm server`): the CLI refuses it and the container exits. */
function unknownSubcommand(name: string, c: Loose): Problem[] {
  const unknown = vllmSubcommands(c).filter((w) => !w.startsWith('-') && !/[$`'"]/.test(w) && !VLLM_SUBCOMMANDS.includes(w));
  return unknown.slice(0, 1).map((w) => ({
    message: `container '${name}' runs \`vllm ${w}\`, but ${JSON.stringify(w)} is no subcommand of vLLM's CLI (${VLLM_SUBCOMMANDS.join(', ')}): its parser refuses it ("argument subparser: invalid choice: '${w}'") and the container exits at start; ${w.startsWith('serv') ? 'write `vllm serve`' : 'write one of them (`vllm serve` starts the server)'}`,
  }));
}

export const vllmServerNotStarted: Rule = {
  id: 'vllm-server-not-started',
  title:
    "a vLLM serving container never starts vLLM's server: flags as args to an image whose entrypoint is not the server, a command that only idles, or a vLLM subcommand that does not exist (`vllm server`): nothing serves",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime'],
  premise:
    "a container of an image whose entrypoint is vLLM's server (vllm/vllm-openai: `vllm serve`; the api_server module in its older tags and in Open Data Hub's and Red Hat's images) sets no command and its args begin with `serve` (or `vllm serve`): the subcommand doubles up; or a container sets no command, its args start with a flag and include one only vLLM's server takes (--model, --tensor-parallel-size, --served-model-name, --max-model-len, …), and its image is one known to need the program named (Vertex AI Model Garden's pytorch-vllm-serve); vllm/vllm-openai and the Red Hat vLLM images start the server themselves, other images are unknown and not judged. Or: the serving container (a ServingRuntime's or predictor's kserve-container, a workload container with a port or a probe) of an image whose entrypoint is vLLM's server (vllm-openai, Open Data Hub's, Red Hat AI Inference Server's) sets a command whose every program only idles (sleep, tail, cat, echo; a sh -c script of nothing else); a script that runs any other program (vllm, python, a script file, \"$@\") is not judged, nor init containers or idle sidecars; and any container that runs `vllm <word>` (as its command or in a sh -c script of it) whose word is no subcommand of vLLM's CLI (serve, chat, complete, launch, bench, collect-env, run-batch; `vllm server`): the CLI refuses it and the container exits",
  example:
    '`args: [serve, TheBloke/Mistral-7B-Instruct-v0.2-AWQ` with no command on `vllm/vllm-openai:v0.14.1`; image `pytorch-vllm-serve` with `args: [--model=$(MODEL_ID), --tensor-parallel-size=2]` and no command; `command: [sleep]` on `vllm/vllm-openai`',
  fix: 'drop a leading `serve` from the args of an image whose entrypoint is the server; set command: ["python3", "-m", "vllm.entrypoints.api_server"] (or the OpenAI server module), or use an image whose entrypoint starts vLLM; drop an idling command so the image\'s entrypoint starts the server',
  source:
    'vllm-project/vllm vllm/entrypoints/cli/_utils.py CLI_COMMANDS and cli/main.py (the subcommands; argparse refuses any other); vllm-project/vllm docker/Dockerfile (the vllm-openai stage: ENTRYPOINT ["vllm", "serve"], the api_server module before) and vllm-project/vllm#22072, #37133 (`serve` given again: "unrecognized arguments"); Kubernetes: a command replaces the image ENTRYPOINT, args without command replace the image CMD and keep its ENTRYPOINT (k8s.io/kubernetes pkg/kubelet/kuberuntime, containers/define-command-argument-container); GoogleCloudPlatform/kubernetes-engine-samples ai-ml/llm-serving-gemma/vllm (every pytorch-vllm-serve manifest sets command python3 -m vllm.entrypoints.api_server); GoogleCloudPlatform/vertex-ai-samples Model Garden notebooks (the program is the first of the serving container args)',
  check(o) {
    const containers = containersOf(o.manifest).filter((c) => !c.init);
    return containers.flatMap((c) => [
      ...containerProblem(c.name, c.container),
      ...doubledSubcommand(c.name, c.container),
      ...unknownSubcommand(c.name, c.container),
      ...(servingContainer(o.manifest.kind, c.name, c.container, containers.length) ? idleProblem(c.name, c.container) : []),
    ]);
  },
};
