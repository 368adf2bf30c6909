import { checkpointSizeOfName } from '../catalog/model-families';
import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { podSpecOf } from './pods';
import { podTemplatesOf } from './pod-templates';
import { ModelProfile } from '../planning/model-profile';
import { FAST_DOWNLOAD_MIB_PER_S, FAST_READ_WORDS, LEAST_WARM_UP_WORDS, MIN_WARM_UP_SECONDS, startupBudget, WARM_UP_SECONDS } from '../planning/startup-budget';
import { GraphObject } from './graph-object';
import { CheckContext } from './rule';
import { startupExpectation } from './startup-expectation';
import { HUB_ID, hubOffline } from './hub-download';
import { ContainerLine, workloadVllmLines } from './workload-lines';

/** A container of a workload that visibly starts vLLM's server, and how long it is expected to take to serve. */
export interface WorkloadStartup {
  /** The container as messages name it; none for an InferenceService's serving container merged with its runtime's. */
  readonly where?: string;
  readonly container: Loose;
  readonly seconds: number;
  /** Why, in words. */
  readonly basis: string;
  /**
   * The least it may take on a fast node (lib/planning/startup-budget.ts FAST_DOWNLOAD_MIB_PER_S, FAST_READ_MIB_PER_S,
   * MIN_WARM_UP_SECONDS): a probe shorter than this fails on any plausible node.
   */
  readonly fastest: number;
  /** What `fastest` assumes, in words (startup-budget.ts FAST_READ_WORDS when none is given). */
  readonly fastestWords?: string;
  /**
   * The start counts a download into an emptyDir: empty at each new pod, kept across container restarts, so a restart
   * resumes the download (huggingface_hub's .incomplete files) and the pod serves after restarts: never certain.
   */
  readonly resumes?: boolean;
}

/** The variables huggingface_hub and transformers read the cache folder from (huggingface_hub constants.py). */
const CACHE_ENV = ['HF_HUB_CACHE', 'HF_HOME', 'TRANSFORMERS_CACHE', 'HUGGINGFACE_HUB_CACHE'];

/**
 * Whether the Hugging Face cache of a container is on a volume, so that a download survives a container restart
 * (every volume does, an emptyDir too; the container's own writable layer does not): a mount at a cache folder the
 * environment or --download-dir names, or under `.cache` or `huggingface` (the default ~/.cache/huggingface, whatever
 * the image's home). A cache folder set from a Secret or ConfigMap is not known here: counted as on a volume.
 */
function cacheOnVolume(c: ContainerLine): boolean {
  return cacheMount(c) !== undefined;
}

/** The mount of the container's Hugging Face cache (see cacheOnVolume); `unknown` when a Secret or ConfigMap names the folder. */
function cacheMount(c: ContainerLine): Loose | 'unknown' | undefined {
  const named = c.env.filter((e) => CACHE_ENV.includes(e.name));
  if (named.some((e) => e.value === undefined)) return 'unknown';
  const folders = [...named.map((e) => e.value!), ...(c.args.value('--download-dir') ? [c.args.value('--download-dir')!] : [])];
  return mappings(c.container.volumeMounts).find((m) => {
    const at = (text(m.mountPath) ?? '').replace(/\/+$/, '');
    return /(^|\/)\.cache(\/|$)|huggingface/.test(at) || folders.some((f) => f === at || f.startsWith(`${at}/`));
  });
}

/**
 * Whether the cache is an emptyDir volume: empty whenever a pod starts (each rollout, each reschedule), so every new
 * pod downloads the model, though a restarted container keeps what it has fetched (Kubernetes docs, "Volumes":
 * emptyDir "initially empty", kept "for as long as that Pod is running", "a container crashing does not remove a Pod
 * from a node").
 */
function cacheOnEmptyDir(c: ContainerLine, m: Loose): boolean {
  const mount = cacheMount(c);
  if (mount === undefined || mount === 'unknown') return false;
  const name = text(mount.name);
  const pods = [podSpecOf(m), ...podTemplatesOf(m).map((t) => mapping(t.template.spec))].filter((p): p is Loose => p !== undefined);
  return pods.some((p) => mappings(p.volumes).some((v) => text(v.name) === name && isMapping(v.emptyDir)));
}

/**
 * Whether the cache is a claim's volume (persistentVolumeClaim, an ephemeral claim, or a StatefulSet's claim template of
 * that name): network storage, from which vLLM reads the weights at a PVC's bandwidth, not a local disk's.
 */
function cacheOnClaim(c: ContainerLine, m: Loose): boolean {
  const mount = cacheMount(c);
  if (mount === undefined || mount === 'unknown') return false;
  const name = text(mount.name);
  const pods = [podSpecOf(m), ...podTemplatesOf(m).map((t) => mapping(t.template.spec))].filter((p): p is Loose => p !== undefined);
  const claimed = pods.some((p) => mappings(p.volumes).some((v) => text(v.name) === name && (isMapping(v.persistentVolumeClaim) || isMapping(v.ephemeral))));
  return claimed || mappings(mapping(m.spec).volumeClaimTemplates).some((t) => text(mapping(t.metadata).name) === name);
}

/** Whether vLLM downloads the model in the container at every start: a hub id, not offline, its cache on no volume. */
function downloadsAtStart(c: ContainerLine, model: string): boolean {
  if (!HUB_ID.test(model) || hubOffline(c.env)) return false;
  return !cacheOnVolume(c);
}

function profileOf(o: GraphObject, ctx: CheckContext): ModelProfile | undefined {
  try {
    return ctx.modelOf(o);
  } catch {
    return undefined; // an invalid recorded profile is reported by gpu-memory-fit
  }
}

/** The model a vLLM container serves and its checkpoint's size: from a recorded profile, else the parameter count its name spells. */
export interface ServedModelSize {
  readonly model: string;
  readonly bytes: number;
  /** The model and how its size is known, in words. */
  readonly size: string;
}

/** What a vLLM container serves and its size (see ServedModelSize); undefined when either is not known here. */
export function servedModelSize(c: ContainerLine, o: GraphObject, ctx: CheckContext): ServedModelSize | undefined {
  const model = c.args.unknown('--model') ? undefined : c.args.model();
  if (!model || model.includes('$')) return undefined;
  const profile = profileOf(o, ctx);
  const named = checkpointSizeOfName(model);
  const bytes = profile?.weightBytes ?? named?.bytes;
  if (bytes === undefined) return undefined;
  const size = profile
    ? profile.name
    : `${model} (about ${Math.round(bytes / 1e9)} GB by its name: ${named!.parameters / 1e9}B parameters at ${named!.bits} bits)`;
  return { model, bytes, size };
}

/** How long one vLLM container is expected to take to serve, with the reason (model known by its profile or its name's size). */
function expectationOf(c: ContainerLine, o: GraphObject, ctx: CheckContext): Omit<WorkloadStartup, 'where' | 'container'> {
  const served = servedModelSize(c, o, ctx);
  if (!served) {
    return {
      seconds: WARM_UP_SECONDS,
      basis: `vLLM's warm-up alone takes about ${WARM_UP_SECONDS} s (the model's size is unknown, so its load time is not counted)`,
      fastest: MIN_WARM_UP_SECONDS,
      fastestWords: LEAST_WARM_UP_WORDS,
    };
  }
  const { model, bytes, size } = served;
  const download = downloadsAtStart(c, model);
  // a hub model cached on a claim is read from that claim once downloaded, at network storage's bandwidth
  const budget = startupBudget({ checkpointBytes: bytes, origin: HUB_ID.test(model) && !cacheOnClaim(c, o.manifest) ? 'hf' : 'pvc' });
  if (!download && HUB_ID.test(model) && !hubOffline(c.env) && cacheOnEmptyDir(c, o.manifest)) {
    const seconds = budget.downloadSeconds + budget.expectedSeconds;
    return {
      seconds,
      basis:
        `its Hugging Face cache is an emptyDir, empty whenever a pod starts, so vLLM downloads ${size} at each new pod's start, ` +
        `then reads and warms it up: about ${seconds} s in all (the download at ${budget.downloadMiBps} MiB/s)`,
      fastest: budget.fastestDownloadSeconds + budget.fastestSeconds,
      fastestWords: `the download at ${FAST_DOWNLOAD_MIB_PER_S} MiB/s, a fast cloud link's to the hub's CDN, ${FAST_READ_WORDS}`,
      resumes: true,
    };
  }
  if (!download)
    return {
      seconds: budget.expectedSeconds,
      basis: `${size} needs about ${budget.expectedSeconds} s to read its weights and warm up`,
      fastest: budget.fastestSeconds,
      // a hub model cached on a volume is downloaded on the first start, which the estimate leaves out: the volume
      // outlives a container restart and huggingface_hub resumes an interrupted download (its .incomplete files), so
      // the restarts only lengthen the first start, and each later start reads files the node's page cache has just read
      ...(HUB_ID.test(model) ? { fastestWords: `the cache filled by earlier restarts, which resume the download, ${FAST_READ_WORDS}` } : {}),
    };
  const seconds = budget.downloadSeconds + budget.expectedSeconds;
  return {
    seconds,
    basis:
      `vLLM downloads ${size} from Hugging Face at every container start (no volume holds its cache, and a restarted container starts with an empty one), ` +
      `then reads and warms it up: about ${seconds} s in all (the download at ${budget.downloadMiBps} MiB/s)`,
    // a verdict on the assumed download rate is a guess about the link: only a start too long even at a fast link's
    // rate is certain
    fastest: budget.fastestDownloadSeconds + budget.fastestSeconds,
    fastestWords: `the download at ${FAST_DOWNLOAD_MIB_PER_S} MiB/s, a fast cloud link's to the hub's CDN, ${FAST_READ_WORDS}`,
  };
}

/**
 * The containers of a workload's pods (a Deployment's, a LeaderWorkerSet's leader and workers, an InferenceService's
 * own containers) that visibly start vLLM's server, each with its expected start-up. vLLM downloads a hub model itself
 * (no storage initializer runs before it), so a download counts unless the cache is on a volume.
 */
export function workloadStartups(o: GraphObject, ctx: CheckContext): WorkloadStartup[] {
  return workloadVllmLines(o.manifest)
    .filter((c) => c.args.invoked)
    .map((c) => ({ where: c.where, container: c.container, ...expectationOf(c, o, ctx) }));
}

/**
 * The vLLM containers of a service or workload whose start-up the probe rules judge: an InferenceService on a vLLM
 * runtime by its merged serving container (the storage initializer downloads before it starts), any other workload
 * (and an InferenceService's own containers) by each container that visibly starts vLLM's server.
 */
export function servingStartups(o: GraphObject, ctx: CheckContext): WorkloadStartup[] {
  const kind = o.manifest.kind === 'InferenceService' ? ctx.graph.servingKindOf(o) : undefined;
  if (kind === 'vllm-gpu' || kind === 'vllm-cpu') {
    const e = startupExpectation(o, ctx);
    return e ? [e] : [];
  }
  return workloadStartups(o, ctx);
}
