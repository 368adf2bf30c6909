import { GpuModel } from '../catalog/gpu-model';
import { LabelledGpus, SelectedGpu, UNCHECKED } from './gpu-labels';
import type { Problem } from './rule';

/**
 * Verdicts on every GPU a pod's labels admit: `judge` says why the workload does not start on one. An error only
 * when it fails on every GPU the selector admits (and every value was recognised); otherwise a warning naming the
 * values it fails on, since the scheduler may pick a node where it fits. Where those nodes may not exist
 * (`mayNotExist`), a warning saying why.
 */
export function labelledVerdicts(labelled: LabelledGpus, judge: (gpu: GpuModel) => string | undefined): Problem[] {
  const pairs = labelled.options.flatMap((o) => o.gpus.map((gpu) => ({ o, gpu, failure: judge(gpu) })));
  const failed = pairs.filter((p) => p.failure);
  if (!failed.length) return [];
  const unrecognised = labelled.options.filter((o) => o.unrecognised);
  const unchecked = labelled.words?.unchecked ?? UNCHECKED;
  if (failed.length === pairs.length && !unrecognised.length) {
    const may = labelled.mayNotExist;
    return failed.map((p) => ({
      ...(may ? { severity: 'warning' as const } : {}),
      message: `${p.failure} (${p.o.selected}; ${unchecked}${may ? `; ${may}` : ''})`,
    }));
  }
  const fits = [...pairs.filter((p) => !p.failure).map((p) => optionLabel(p.o, p.gpu)), ...unrecognised.map((o) => `${o.selected} (not recognised)`)];
  return [
    {
      severity: 'warning',
      message:
        `${labelled.words?.several ?? 'the node selection admits several GPUs'} and the model does not start on some: ${failed.map((p) => `${optionLabel(p.o, p.gpu)}: ${p.failure}`).join('; ')}. ` +
        `It may start on ${fits.join(', ')}; ${labelled.words?.narrow ?? 'select only those'} (${unchecked}${labelled.mayNotExist ? `; ${labelled.mayNotExist}` : ''})`,
    },
  ];
}

/** How a message names the GPU of an option. */
function optionLabel(o: SelectedGpu, gpu: GpuModel): string {
  return `${gpu.name} (${o.selected})`;
}
