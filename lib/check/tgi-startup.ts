import { checkpointSizeOfName } from '../catalog/model-families';
import { parseImageReference } from '../catalog/vllm-images';
import { Loose, mapping, mappings, text } from '../manifests/access';
import { FAST_READ_MIB_PER_S, MIN_WARM_UP_SECONDS, READ_MIB_PER_S, weightOriginOf, WeightOrigin } from '../planning/startup-budget';
import { commandLineOf } from './command-line';
import { GraphObject } from './graph-object';
import { HUB_ID } from './hub-download';
import { containersOf } from './pods';
import { CheckContext } from './rule';
import { storageLocationOf } from './serving-model';
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
/**
 * IBM's text-generation-inference (TGIS, OpenShift AI's `quay.io/modh/text-generation-inference`), a fork whose
 * launcher keeps the name but not the arguments: `--model-name` (MODEL_NAME), `--port` 3000 for HTTP and
 * `--grpc-port` 8033 (IBM/text-generation-inference launcher/src/main.rs Args); it starts the router once every shard
 * reports ready, with no warm-up of its own (only PT2 compilation, when asked for, warms up).
 */
const TGIS_REPOSITORY = /(^|\/)(modh|opendatahub|ibm)\/text-generation-inference$/i;
const TGIS_FLAGS = ['--model-name', '--grpc-port', '--deployment-framework'];
const TGIS_PORT = 3000;
/**
 * TGI's router warm-up: a prefill of the largest batch and, since 2.0, CUDA-graph capture per batch size, which vLLM's
 * own capture shows at 20-40 s (startup-budget.ts MIN_WARM_UP_SECONDS); an estimate, never counted toward an error.
 */
const TGI_WARM_UP_SECONDS = MIN_WARM_UP_SECONDS;
/**
 * What a model of unknown size is assumed to be, for a warning only: a 7B model at 16 bits (about 14 GB), the size of
 * the Llama 2 7B and Mistral 7B examples TGI's and OpenShift AI's documentation serve.
 */
const ASSUMED_BYTES = 14e9;
const ASSUMED_WORDS = 'a 7B model at 16 bits (about 14 GB)';

/** The kinds whose containers are written where the serving container runs: a runtime's spec.containers. */
const RUNTIME_KINDS = ['ServingRuntime', 'ClusterServingRuntime'];

/** Which of the two servers a launcher container runs, and what that server's start-up involves. */
interface Server {
  readonly name: 'TGI' | 'TGIS';
  readonly modelFlag: string;
  readonly modelVariable: string;
  readonly warmUpSeconds: number;
}
const TGI: Server = { name: 'TGI', modelFlag: '--model-id', modelVariable: 'MODEL_ID', warmUpSeconds: TGI_WARM_UP_SECONDS };
const TGIS: Server = { name: 'TGIS', modelFlag: '--model-name', modelVariable: 'MODEL_NAME', warmUpSeconds: 0 };

/** A TGI or TGIS container and how long it is expected to take before /health answers. */
export interface TgiStartup extends WorkloadStartup {
  readonly server: 'TGI' | 'TGIS';
  /** The model's size is assumed (ASSUMED_WORDS), not known: at most a warning. */
  readonly assumed?: boolean;
}

/** A flag's value in TGI's clap arguments (`--flag value` or `--flag=value`), else the variable clap reads it from. */
function setting(words: readonly string[], env: Loose[], flag: string, variable: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === flag) return words[i + 1];
    if (words[i].startsWith(`${flag}=`)) return words[i].slice(flag.length + 1);
  }
  return text(env.find((e) => text(e.name) === variable)?.value);
}

function repositoryOf(container: Loose): string {
  return parseImageReference(text(container.image) ?? '').repository;
}

/** Which server a container runs: TGI's launcher named as its program or the TGI image's own entrypoint, TGIS by its image or flags. */
function serverOf(container: Loose, words: readonly string[]): Server | undefined {
  const launcher = words.length > 0 && TGI_PROGRAM.test(words[0]);
  const repository = repositoryOf(container);
  if (!launcher && !(container.command === undefined && (TGI_REPOSITORY.test(repository) || TGIS_REPOSITORY.test(repository)))) return undefined;
  const tgisFlag = words.some((w) => TGIS_FLAGS.some((f) => w === f || w.startsWith(`${f}=`)));
  const tgisEnv = mappings(container.env).some((e) => text(e.name) === 'MODEL_NAME');
  return TGIS_REPOSITORY.test(repository) || tgisFlag || (tgisEnv && !TGI_REPOSITORY.test(repository)) ? TGIS : TGI;
}

/** The port TGI or TGIS listens on for HTTP, when the tree says (--port, PORT, or the image's default). */
export function tgiPort(container: Loose): number | undefined {
  const words = commandLineOf(container);
  const repository = repositoryOf(container);
  const byImage = TGI_REPOSITORY.test(repository) ? TGI_IMAGE_PORT : serverOf(container, words) === TGIS ? TGIS_PORT : NaN;
  const port = Number(setting(words, mappings(container.env), '--port', 'PORT') ?? byImage);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** A model known by size: where it comes from and its checkpoint's bytes. */
interface SizedModel {
  readonly model: string;
  readonly bytes: number;
  readonly origin: WeightOrigin;
}

/**
 * The model a runtime's container serves: whatever each InferenceService using the runtime mounts at /mnt/models; known
 * only when every such service's storage names a size, the smallest of them (a probe too short for it is too short for all).
 */
function runtimeModel(o: GraphObject, ctx: CheckContext): SizedModel | string {
  const services = ctx.graph.servicesOf(o);
  if (!services.length) return 'no InferenceService of the tree uses this runtime, so the model it serves is not known';
  const sized: SizedModel[] = [];
  for (const s of services) {
    const location = storageLocationOf(s.manifest);
    const named = location ? checkpointSizeOfName(location) : undefined;
    const service = `InferenceService ${text(mapping(s.manifest.metadata).name) ?? ''}`;
    if (!location || !named) return `${service} names ${location ? `its model by ${location}, which spells no size` : 'no model storage'}`;
    sized.push({ model: location, bytes: named.bytes, origin: weightOriginOf(location) });
  }
  return sized.reduce((a, b) => (b.bytes < a.bytes ? b : a));
}

/** The model a workload's launcher serves, sized by the parameter count its name spells. */
function launcherModel(model: string | undefined): SizedModel | string {
  const named = model && !model.includes('$') ? checkpointSizeOfName(model) : undefined;
  if (!model || !named) return `its model${model ? ` ${model}` : ''} has no size its name spells`;
  return { model, bytes: named.bytes, origin: HUB_ID.test(model) ? 'hf' : 'pvc' };
}

function seconds(bytes: number, mibPerSecond: number): number {
  return Math.ceil(bytes / (1024 * 1024) / mibPerSecond);
}

/**
 * How long before /health answers: the weights' read at the assumed rate and the warm-up; a probe is certainly too
 * short only when it misses the read alone at a fast node's rate (fastest: FAST_READ_MIB_PER_S), the warm-up being an
 * estimate. A model of unknown size is judged as ASSUMED_WORDS, and says so.
 */
function expectation(server: Server, sized: SizedModel | string): Omit<TgiStartup, 'where' | 'container'> {
  const warm = server.warmUpSeconds ? ` and warmed up (about ${server.warmUpSeconds} s)` : '';
  if (typeof sized === 'string') {
    const total = seconds(ASSUMED_BYTES, READ_MIB_PER_S.pvc) + server.warmUpSeconds;
    return {
      server: server.name,
      assumed: true,
      seconds: total,
      fastest: 0,
      basis:
        `${server.name} opens its port only once its shards have loaded the model${warm}; ${sized}: ${ASSUMED_WORDS} read at ` +
        `${READ_MIB_PER_S.pvc} MiB/s${warm ? ', then warmed up,' : ''} would take about ${total} s`,
    };
  }
  const read = READ_MIB_PER_S[sized.origin];
  const total = seconds(sized.bytes, read) + server.warmUpSeconds;
  return {
    server: server.name,
    seconds: total,
    fastest: seconds(sized.bytes, FAST_READ_MIB_PER_S),
    fastestWords: `the weights read at ${FAST_READ_MIB_PER_S} MiB/s and no warm-up counted`,
    basis:
      `${server.name} opens its port only once its shards have loaded ${sized.model} (about ${Math.round(sized.bytes / 1e9)} GB by its name)${warm}: ` +
      `about ${total} s at ${read} MiB/s, a download not counted`,
  };
}

/** The containers of a workload or serving runtime that run TGI's or TGIS's launcher, each with its expected start-up. */
export function tgiStartups(o: GraphObject, ctx: CheckContext): TgiStartup[] {
  const m = o.manifest;
  const runtime = RUNTIME_KINDS.includes(String(m.kind));
  const containers = runtime
    ? mappings(mapping(m.spec).containers).map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c, init: false }))
    : m.kind === 'InferenceService'
      ? [] // a service's serving container is its runtime's, judged there
      : containersOf(m);
  return containers.flatMap(({ name, container, init }) => {
    const words = commandLineOf(container);
    const server = init ? undefined : serverOf(container, words);
    if (!server) return [];
    const model = setting(words, mappings(container.env), server.modelFlag, server.modelVariable);
    const sized = runtime && (!model || model.startsWith('/mnt/models')) ? runtimeModel(o, ctx) : launcherModel(model);
    return [{ where: `container '${name}' (${server.name})`, container, ...expectation(server, sized) }];
  });
}

/**
 * The shards a TGI launcher container starts, where its arguments (`--num-shard N`, which clap prefers) or its env
 * (NUM_SHARD) say a literal number: launcher/src/main.rs find_num_shards starts one shard process per count, and each
 * shard takes one GPU (server/text_generation_server/utils/dist.py initialize_torch_distributed: `assert WORLD_SIZE <=
 * torch.cuda.device_count(), "Each process is one gpu"`). Not TGIS, whose launcher is another program.
 */
export function tgiShards(container: Loose): { shards: number; said: string } | undefined {
  const words = commandLineOf(container);
  if (serverOf(container, words) !== TGI) return undefined;
  const value = setting(words, mappings(container.env), '--num-shard', 'NUM_SHARD');
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const inArgs = words.some((w) => w === '--num-shard' || w.startsWith('--num-shard='));
  return { shards: Number(value), said: inArgs ? `--num-shard ${value}` : `NUM_SHARD=${value}` };
}
