import { Construct } from 'constructs';
import { IGpuPlacement } from '../placement/gpu-placement';
import { ModelSource } from '../sources/model-source';
import { S3Connection } from '../storage/s3-connection';
import { VllmInferenceService } from './vllm-inference-service';
import { VllmInferenceServiceProps } from './vllm-inference-service-props';

/**
 * Properties of an `S3ModelInferenceService`: a `VllmInferenceService` whose weights are in an S3 bucket.
 */
export interface S3ModelInferenceServiceProps extends Omit<VllmInferenceServiceProps, 'source' | 'placement'> {
  /** Where the weights are and which Secret holds the credentials. */
  readonly connection: S3Connection;
  /** Prefix of the model directory (the one holding `config.json`) in the connection's bucket, e.g. `mistral-small-24b/`. */
  readonly modelPath: string;
  /**
   * Where the pods run: a `GpuMachineSetScale` or `ExistingGpuNodes`.
   * @default - `machineSet`
   */
  readonly placement?: IGpuPlacement;
  /**
   * Where the pods run (the same as `placement`).
   * @deprecated use `placement`
   * @default - none
   */
  readonly machineSet?: IGpuPlacement;
}

/** A vLLM InferenceService with its weights in S3 or MinIO, pulled by KServe's storage-initializer. */
export class S3ModelInferenceService extends VllmInferenceService {
  constructor(scope: Construct, id: string, props: S3ModelInferenceServiceProps) {
    const placement = props.placement ?? props.machineSet;
    if (!placement || (props.placement && props.machineSet)) {
      throw new Error(`S3ModelInferenceService ${scope.node.path}/${id}: give exactly one of placement or machineSet (the GPU nodes the pods run on)`);
    }
    super(scope, id, { ...props, source: ModelSource.s3(props.connection, props.modelPath), placement });
  }
}
