import { GpuModel } from '../catalog/gpu-model';
import { GpuInstanceType } from '../catalog/instance-type';
import { migSliceGpu } from '../catalog/gpu-labels';
import { Loose } from '../manifests/access';
import type { ObjectGraph } from './graph';
import { LabelledGpus } from './gpu-labels';
import { nodePoolAdmitted } from './karpenter-shapes';
import { migSliceOf } from './mig-slices';

/** The GPUs a workload's memory fit is judged on: the node shapes it lands on, else the GPUs its labels name. */
export interface GpuFitShape {
  readonly types: readonly GpuInstanceType[];
  readonly labelled?: LabelledGpus;
}

/**
 * The GPUs a workload's pod sees, for its memory fit: where its GPU is a MIG slice (a nvidia.com/mig-<profile>
 * resource, or nvidia.com/gpu on nodes cut into one profile), that slice of each GPU its node shapes or labels name
 * (of a GPU not named, the slice alone), judged as a labelled GPU; else the instance types it lands on, else the GPUs
 * its labels name.
 */
export function gpuFitShapeOf(graph: ObjectGraph, m: Loose): GpuFitShape {
  const types = graph.instanceTypesOf(m);
  const slice = migSliceOf(m, graph, nodePoolAdmitted(m, graph.karpenterNodePools()));
  if (!slice) return { types, labelled: types.length ? undefined : graph.labelledGpusOf(m) };
  const wholes: (GpuModel | undefined)[] = types.length ? types.map((t) => t.gpu) : (graph.labelledGpusOf(m)?.options.flatMap((o) => o.gpus) ?? []);
  const slices = new Map<string, GpuModel>();
  for (const whole of wholes.length ? wholes : [undefined]) {
    // a GFD product that already names a slice is that slice, not a GPU to cut
    const gpu = whole && /\bMIG\b/.test(whole.name) ? whole : migSliceGpu(slice.profile, whole);
    if (gpu) slices.set(gpu.name, gpu);
  }
  return { types: [], labelled: { options: [...slices.values()].map((gpu) => ({ selected: slice.how, gpus: [gpu] })) } };
}
