import { Loose, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, commandLineOf, containerPieces, vllmServerEntrypoint } from '../command-line';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { storageLocationOf } from '../serving-model';
import { VllmArgs } from '../vllm-args';
import { Problem, Rule } from '../rule';
import { predictorModelOf } from '../runtime-selection';

/** Variables a wrapper script reads the model from: with one set and an unknown entrypoint, the command line is not the whole story. */
const MODEL_ENV = /^(MODEL|MODEL_(NAME|ID|PATH|DIR|URI|REPO)|HF_MODEL(_ID)?|VLLM_MODEL)$/;

/**
 * How a container starts vLLM's server, when its command line says so: `vllm serve [model]` (the model positional),
 * `python -m vllm.entrypoints.openai.api_server` (`--model`), or the vllm-openai image's entrypoint with args only.
 * Undefined when the container is not visibly vLLM's server or something else may supply the model (a config
 * file, a wrapper's variable, arguments a shell script forwards).
 */
function modelOfCommandLine(container: Loose): { given: boolean } | undefined {
  const words = commandLineOf(container);
  if (!words.length) return undefined;
  if (words.some((w) => /^--config(=|$)/.test(w) || /\$[@*]/.test(w))) return undefined;
  // vLLM reads no MODEL-like variable: one matters only to an entrypoint the tool does not know (a wrapper may read it)
  const programKnown = buildCommandLine(containerPieces(container, 'the container')).programKnown;
  if (!programKnown && mappings(container.env).some((e) => MODEL_ENV.test(String(e.name)))) return undefined;
  // the image's entrypoint (vllm-openai: `vllm serve`) is part of the words when no command is set
  const args = VllmArgs.of(words);
  return args.invoked ? { given: args.model() !== undefined } : undefined;
}

/**
 * An image named after vLLM (a repository `vllm` under any registry or organisation, `ghcr.io/acme/vllm:latest`)
 * whose entrypoint the tool does not know: built from vLLM's Dockerfile its vllm-openai target runs the server and its
 * base target none, so what it runs is not decided here.
 */
const VLLM_NAMED_IMAGE = /(^|\/)vllm([:@]|$)/;

/**
 * A container that gives an image named after vLLM no command and no args: when the image's entrypoint is vLLM's
 * server it names no model, a warning saying what was assumed; with a MODEL-like variable set, none (a wrapper may read it).
 */
function unknownEntrypointWithoutModel(name: string, container: Loose): Problem | undefined {
  const image = text(container.image) ?? '';
  if (strings(container.command).length || strings(container.args).length || !VLLM_NAMED_IMAGE.test(image) || vllmServerEntrypoint(image)) return undefined;
  // given a MODEL-like variable, an entrypoint that is not vLLM's server is likely a wrapper that reads it
  // (substratusai/vllm's entrypoint.sh passes --model $MODEL): what it does is not known here
  if (mappings(container.env).some((e) => MODEL_ENV.test(String(e.name)))) return undefined;
  return {
    severity: 'warning',
    message:
      `container '${name}' runs ${image} with no command and no args, and its entrypoint is not known here: if it is vLLM's OpenAI server (as vllm/vllm-openai's \`vllm serve\`), ` +
      `it names no model and vLLM serves its default model; pass the model in args (--model=<path or id>)`,
  };
}

function servingContainers(o: GraphObject, graph: ObjectGraph): readonly { name: string; container: Loose }[] {
  if (o.manifest.kind !== 'InferenceService') return containersOf(o.manifest).filter((c) => !c.init);
  // a service's model container runs with its runtime's command line: judged only when the runtime is in the tree
  if (predictorModelOf(o.manifest) && !graph.runtimeOf(o.manifest)) return [];
  return containersOf(o.manifest, graph.runtimeOf(o.manifest)?.manifest);
}

export const vllmModelMissing: Rule = {
  id: 'vllm-model-missing',
  title: "a container starts vLLM's server with no model: vLLM serves its default model instead",
  severity: 'error',
  // an LLMInferenceService names its model in spec.model.uri, which the controller passes to vLLM itself
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'LLMInferenceService'),
  premise:
    "the command line visibly starts vLLM's server (vllm serve, the api_server module, or the vllm-openai image with args only; an InferenceService's only with its runtime in the tree) and names no model (positional or --model); not judged with --config, a forwarded \"$@\", or a MODEL-like variable (MODEL_PATH, MODEL_ID, …) when no command is set and the image's entrypoint is unknown (a wrapper may read it); vLLM itself reads no such variable. An image named after vLLM (a repository `vllm` under any registry, whose entrypoint is not known: vLLM's Dockerfile builds one target that runs the server and one that runs none) given no command and no args is a warning that assumes its entrypoint is the server, unless it sets a MODEL-like variable: a wrapper entrypoint may read it (substratusai/vllm's passes --model $MODEL), not judged; vllm-openai under any organisation is vLLM's server image",
  example: '`command: [vllm, serve]` with `args: [--port=8080, --tensor-parallel-size=2]`',
  fix: 'name the model: vllm serve <model> or --model=<path or id> (/mnt/models for the weights a storage URI downloads)',
  source:
    "vLLM's CLI (vllm/entrypoints/cli/serve.py, EngineArgs.model): without a model it loads its default model (facebook/opt-125m, later Qwen/Qwen3-0.6B); KServe's storage initializer only downloads to /mnt/models",
  check(o, { graph }) {
    const out: Problem[] = [];
    for (const { name, container } of servingContainers(o, graph)) {
      const found = modelOfCommandLine(container);
      const unknown = found ? undefined : unknownEntrypointWithoutModel(name, container);
      if (unknown) out.push(unknown);
      if (!found || found.given) continue;
      const location = o.manifest.kind === 'InferenceService' ? storageLocationOf(o.manifest) : undefined;
      out.push({
        message:
          `container '${name}' starts vLLM's server with no model (no positional model, no --model)` +
          (location ? `; the weights of ${location} are downloaded to /mnt/models but vLLM is not told to load them` : '') +
          `: vLLM falls back to its default model and serves that under the service's name; add --model=${location ? '/mnt/models' : '<model>'}`,
      });
    }
    return out;
  },
};
