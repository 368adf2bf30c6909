import { Loose, strings, text } from '../../manifests/access';
import { NOT_SERVER_ENTRYPOINTS } from '../command-line';
import { containersOf, WORKLOAD_KINDS } from '../graph';
import { Problem, Rule } from '../rule';

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

export const vllmServerNotStarted: Rule = {
  id: 'vllm-server-not-started',
  title: "vLLM flags are given as args with no command to an image whose entrypoint is not vLLM's server: nothing serves",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime'],
  premise:
    "a container sets no command, its args start with a flag and include one only vLLM's server takes (--model, --tensor-parallel-size, --served-model-name, --max-model-len, …), and its image is one known to need the program named (Vertex AI Model Garden's pytorch-vllm-serve); vllm/vllm-openai and the Red Hat vLLM images start the server themselves, other images are unknown and not judged",
  example: 'image `pytorch-vllm-serve` with `args: [--model=$(MODEL_ID), --tensor-parallel-size=2]` and no command',
  fix: 'set command: ["python3", "-m", "vllm.entrypoints.api_server"] (or the OpenAI server module), or use an image whose entrypoint starts vLLM',
  source:
    'Kubernetes: args without command replace the image CMD and keep its ENTRYPOINT (k8s.io/kubernetes pkg/kubelet/kuberuntime, containers/define-command-argument-container); GoogleCloudPlatform/kubernetes-engine-samples ai-ml/llm-serving-gemma/vllm (every pytorch-vllm-serve manifest sets command python3 -m vllm.entrypoints.api_server); GoogleCloudPlatform/vertex-ai-samples Model Garden notebooks (the program is the first of the serving container args)',
  check(o) {
    return containersOf(o.manifest)
      .filter((c) => !c.init)
      .flatMap((c) => containerProblem(c.name, c.container));
  },
};
