import { IWorkloadQueue } from '../cluster/workload-queue';
import { ModelProfile } from '../planning/model-profile';
import { quantizationConflict } from '../planning/vllm-startup-checks';
import { ModelSource } from '../sources/model-source';

/** Checks both vLLM service constructs make of their props; errors name the service, the field and the fix. */

/** A prop's value as a message shows it: strings quoted, other types named. */
export function shown(v: unknown): string {
  return typeof v === 'string'
    ? `'${v}'`
    : typeof v === 'number' || v === undefined
      ? String(v)
      : `${JSON.stringify(v) ?? typeof v} (a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v})`;
}

/** The weights' source is a ModelSource (plain JavaScript callers can pass anything). */
export function requireModelSource(self: string, source: unknown): void {
  if (!(source instanceof ModelSource)) {
    throw new Error(`${self}: source must be a ModelSource (ModelSource.s3(…), .oci(…), .pvc(…) or .huggingFace(…)), got ${shown(source)}`);
  }
}

/** A workload can only use a LocalQueue of its own namespace (Kueue looks the queue up in the workload's). */
export function requireQueueInNamespace(self: string, queue: IWorkloadQueue | undefined, namespace: string): void {
  if (queue && queue.namespace !== namespace) {
    throw new Error(
      `${self}: queue '${queue.localQueueName}' is a LocalQueue of namespace '${queue.namespace}'; ` +
        'a workload can only use a LocalQueue of its own namespace',
    );
  }
}

/** `quantization` agrees with what a pre-quantized checkpoint says (vLLM refuses another method). */
export function requireQuantizationMatches(self: string, model: ModelProfile | undefined, quantization: string | undefined): void {
  if (!model || !quantization) return;
  const conflict = quantizationConflict(model.quantization, quantization);
  if (conflict) throw new Error(`${self}: ${conflict}`);
}
