import { Loose, mapping, mappings } from '../manifests/access';
import { buildCommandLine, containerPieces } from './command-line';
import { tensorParallelSizeOf, VllmArgs } from './vllm-args';
import { parallelismProblems, PoolParallelism, poolTopology } from '../planning/llm-pool';
import { GPU_RESOURCE } from '../k8s/keys';

/** One pool of an LLMInferenceService as written: the main (decode) pool at `spec`, the prefill pool at `spec.prefill`. */
export interface WrittenPool {
  /** `decode` when a prefill pool exists, else `main`; or `prefill`. */
  readonly role: 'main' | 'decode' | 'prefill';
  /** Where the pool is in the object: `spec` or `spec.prefill`. */
  readonly path: string;
  readonly spec: Loose;
  /** `parallelism` as written: numbers kept only when they are numbers (anything else is reported by the schema). */
  readonly parallelism?: PoolParallelism;
  /** Raw parallelism values, for rules that judge what was written. */
  readonly rawParallelism?: Loose;
  readonly multiNode: boolean;
  /** vLLM's arguments of the pool's main container (command, args, and VLLM_ADDITIONAL_ARGS where expanded), as words. */
  readonly args: string[];
  /** The same arguments as vLLM reads them (effective values, booleans, short forms). */
  readonly vllm: VllmArgs;
  /** GPUs one pod of the pool requests (limits, else requests; the larger of template and worker). */
  readonly gpus: number;
  /** A Pod-shaped manifest of the pool's leader template, for placement lookups (labels of the service). */
  readonly podManifest: Loose;
}

/** The pools of an LLMInferenceService manifest. */
export function writtenPools(m: Loose): WrittenPool[] {
  const spec = mapping(m.spec);
  const hasPrefill = mapping(spec.prefill) === spec.prefill && spec.prefill !== undefined;
  const out = [poolOf(m, spec, 'spec', hasPrefill ? 'decode' : 'main')];
  if (hasPrefill) out.push(poolOf(m, mapping(spec.prefill), 'spec.prefill', 'prefill'));
  return out;
}

function poolOf(m: Loose, spec: Loose, path: string, role: WrittenPool['role']): WrittenPool {
  const raw = spec.parallelism === undefined ? undefined : mapping(spec.parallelism);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const parallelism: PoolParallelism | undefined = raw
    ? { tensor: num(raw.tensor), pipeline: num(raw.pipeline), data: num(raw.data), dataLocal: num(raw.dataLocal), expert: raw.expert === true }
    : undefined;
  const main = mainContainerOf(spec.template) ?? mainContainerOf(spec.worker);
  const vllm = VllmArgs.of(main ? buildCommandLine(containerPieces(main, "container 'main'", true)).words : []);
  return {
    role,
    path,
    spec,
    ...(parallelism ? { parallelism, rawParallelism: raw } : {}),
    multiNode: spec.worker !== undefined && spec.worker !== null,
    args: vllm.words.map((w) => w.word),
    vllm,
    gpus: Math.max(gpusOf(mainContainerOf(spec.template)), gpusOf(mainContainerOf(spec.worker))),
    podManifest: { kind: 'Pod', metadata: m.metadata, spec: spec.template ?? spec.worker },
  };
}

/** The `main` container of an LLMInferenceService pod template: the one KServe's presets and vLLM's flags address. */
export function mainContainerOf(pod: unknown): Loose | undefined {
  return mappings(mapping(pod).containers).find((c) => c.name === 'main');
}

/** The GPUs a container asks for (limits, else requests). */
export function gpusOf(c: Loose | undefined): number {
  const r = mapping(c?.resources);
  const n = Number(mapping(r.limits)[GPU_RESOURCE] ?? mapping(r.requests)[GPU_RESOURCE] ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * The pods of an object as the scheduler places them, each with the prefix a message names it by: one per pool of an
 * LLMInferenceService (decode and prefill have their own templates, selectors and tolerations), else the object.
 */
export function placedPods(m: Loose): { manifest: Loose; label: string }[] {
  if (m.kind !== 'LLMInferenceService') return [{ manifest: m, label: '' }];
  return writtenPools(m).map((p) => ({ manifest: p.podManifest, label: p.role === 'main' ? '' : `${poolLabel(p)}: ` }));
}

/** How a message names a pool. */
export function poolLabel(p: WrittenPool): string {
  return p.role === 'main' ? 'the pool' : `the ${p.role} pool (${p.path})`;
}

/**
 * What Kueue admits for each pool of an LLMInferenceService: the pool's pod (its leader template, else its worker) and
 * how many such pods run at full scale (replicas × pods per LeaderWorkerSet group).
 */
export function poolWorkloads(m: Loose): { readonly manifest: Loose; readonly pods: number }[] {
  return writtenPools(m).map((pool) => {
    const replicas = typeof pool.spec.replicas === 'number' && pool.spec.replicas >= 0 ? pool.spec.replicas : 1;
    const valid = !parallelismProblems(pool.parallelism, pool.multiNode).length;
    const perGroup = valid ? poolTopology(pool.parallelism, pool.multiNode).podsPerGroup : 1;
    return { manifest: pool.podManifest, pods: replicas * perGroup };
  });
}

/**
 * An LLMInferenceService's tensor-parallel size: spec.parallelism.tensor, else a size its main container passes on
 * the command line or in VLLM_ADDITIONAL_ARGS (KServe's configs expand it), else 1; undefined when one is given in a
 * form that is no size (a variable, a word).
 */
export function llmTensorParallelSize(m: Loose): number | undefined {
  const tensor = mapping(mapping(m.spec).parallelism).tensor;
  if (typeof tensor === 'number') return Number.isInteger(tensor) && tensor > 0 ? tensor : undefined;
  const main = mainContainerOf(mapping(m.spec).template);
  return tensorParallelSizeOf(VllmArgs.of(main ? buildCommandLine(containerPieces(main, "container 'main'", true)).words : []));
}
