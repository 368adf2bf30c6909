import { checkpointSizeOfName } from '../catalog/model-families';
import { parseImageReference } from '../catalog/vllm-images';
import { Loose, mapping, mappings, text } from '../manifests/access';
import { MIN_WARM_UP_SECONDS, startupBudget, WARM_UP_SECONDS } from '../planning/startup-budget';
import { commandLineOf } from './command-line';
import { GraphObject } from './graph-object';
import { HUB_ID } from './hub-download';
import { containersOf } from './pods';
import { WorkloadStartup } from './workload-startup';

/**
 * Hugging Face text-generation-inference: its image's entrypoint is the launcher (huggingface/text-generation-inference
 * Dockerfile: ENTRYPOINT ["text-generation-launcher"], ENV PORT=80), which downloads the weights, starts a shard per
 * GPU, loads and warms them up, and only then starts the router that serves /health (launcher/src/main.rs: download,
 * spawn_shards, then spawn_webserver; router warmup).
 */
const TGI_PROGRAM = /(^|\/)text-generation-launcher$/;
const TGI_REPOSITORY = /(^|\/)huggingface\/text-generation-inference$/;
/** The port the official image sets (ENV PORT=80); the launcher's own default, 3000, applies outside it. */
const TGI_IMAGE_PORT = 80;

/** The kinds whose containers are written where the serving container runs: a runtime's spec.containers. */
const RUNTIME_KINDS = ['ServingRuntime', 'ClusterServingRuntime'];

/** A flag's value in TGI's clap arguments (`--flag value` or `--flag=value`), else the variable clap reads it from. */
function setting(words: readonly string[], env: Loose[], flag: string, variable: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === flag) return words[i + 1];
    if (words[i].startsWith(`${flag}=`)) return words[i].slice(flag.length + 1);
  }
  return text(env.find((e) => text(e.name) === variable)?.value);
}

/** Whether a container runs TGI's launcher: named as its program, or the TGI image's own entrypoint left in place. */
function runsTgi(container: Loose, words: readonly string[]): boolean {
  if (words.length && TGI_PROGRAM.test(words[0])) return true;
  return container.command === undefined && TGI_REPOSITORY.test(parseImageReference(text(container.image) ?? '').repository);
}

/** The port TGI listens on, when the tree says (--port, PORT, or the official image's default). */
export function tgiPort(container: Loose): number | undefined {
  const words = commandLineOf(container);
  const port = Number(
    setting(words, mappings(container.env), '--port', 'PORT') ??
      (TGI_REPOSITORY.test(parseImageReference(text(container.image) ?? '').repository) ? TGI_IMAGE_PORT : NaN),
  );
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** How long a TGI container takes before /health answers: its weights' read by the size its model id spells, and the warm-up. */
function expectation(model: string | undefined): Omit<WorkloadStartup, 'where' | 'container'> {
  const named = model && !model.includes('$') ? checkpointSizeOfName(model) : undefined;
  if (!named) {
    return {
      seconds: WARM_UP_SECONDS,
      basis: `TGI opens its port only once its shards have loaded the model and warmed up, which takes about ${WARM_UP_SECONDS} s for the warm-up alone (the model's size is unknown, so its load time is not counted)`,
      fastest: MIN_WARM_UP_SECONDS,
      quicker: WARM_UP_SECONDS,
    };
  }
  const budget = startupBudget({ checkpointBytes: named.bytes, origin: HUB_ID.test(model!) ? 'hf' : 'pvc' });
  return {
    seconds: budget.expectedSeconds,
    basis: `TGI opens its port only once its shards have loaded ${model} (about ${Math.round(named.bytes / 1e9)} GB by its name) and warmed up: about ${budget.expectedSeconds} s, a download not counted`,
    fastest: budget.fastestSeconds,
    quicker: budget.quickerSeconds,
  };
}

/** The containers of a workload or serving runtime that run TGI's launcher, each with its expected start-up. */
export function tgiStartups(o: GraphObject): WorkloadStartup[] {
  const m = o.manifest;
  const containers = RUNTIME_KINDS.includes(String(m.kind))
    ? mappings(mapping(m.spec).containers).map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c, init: false }))
    : m.kind === 'InferenceService'
      ? [] // a service's serving container is its runtime's, judged there
      : containersOf(m);
  return containers.flatMap(({ name, container, init }) => {
    const words = commandLineOf(container);
    if (init || !runsTgi(container, words)) return [];
    const model = setting(words, mappings(container.env), '--model-id', 'MODEL_ID');
    return [{ where: `container '${name}' (TGI)`, container, ...expectation(model) }];
  });
}
