import { ModelProfile } from '../planning/model-profile';
import { StartupBudget, startupBudget, weightOriginOf } from '../planning/startup-budget';

/** What bounds a vLLM pod's start: the start-up probe is sized from the model's bytes and where they come from. */
export interface StartupBudgetOptions {
  /**
   * How fast the container reads the weights, MiB/s.
   * @default - 250 for weights on the node's disk (S3, Hugging Face, modelcar), 150 for a PVC
   */
  readonly readMiBps?: number;
  /**
   * How fast the storage initializer downloads them, MiB/s (reported in PLAN.md; no probe covers the download).
   * @default - 100 from S3, 40 from Hugging Face
   */
  readonly downloadMiBps?: number;
}

/** The start-up budget of a service's pods from its model's bytes and where the weights come from; none without a model. */
export function serviceStartupBudget(
  self: string,
  model: ModelProfile | undefined,
  storageUri: string,
  options: StartupBudgetOptions | undefined,
): StartupBudget | undefined {
  if (!model) {
    if (options) throw new Error(`${self}: startupBudget is sized from the checkpoint's bytes: give the service its model (ModelProfile)`);
    return undefined;
  }
  try {
    return startupBudget({
      checkpointBytes: model.weightBytes,
      origin: weightOriginOf(storageUri),
      readMiBps: options?.readMiBps,
      downloadMiBps: options?.downloadMiBps,
    });
  } catch (e) {
    throw new Error(`${self}: ${(e as Error).message}`);
  }
}
