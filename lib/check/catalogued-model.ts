import { catalogProfileOf } from '../planning/model-catalog';
import { ModelProfile } from '../planning/model-profile';
import { ObjectGraph } from './graph';
import { GraphObject } from './graph-object';
import { storageLocationOf } from './serving-model';
import { VllmArgs } from './vllm-args';

/**
 * The bundled profile a service names by its Hugging Face id: its storage location (`hf://org/name`, or a path that
 * ends in `org/name`), else the model its vLLM command line serves (`--model`, `vllm serve <id>`, the Hugging Face
 * server's `--model_id`). Undefined for a name the catalog lacks, or a value not known here.
 */
export function cataloguedServiceModel(o: GraphObject, graph: ObjectGraph): ModelProfile | undefined {
  const kind = o.manifest.kind;
  if (kind !== 'InferenceService' && kind !== 'LLMInferenceService') return undefined;
  const location = storageLocationOf(o.manifest);
  const byLocation = location ? catalogProfileOf(location) : undefined;
  if (byLocation || kind !== 'InferenceService') return byLocation;
  const args = graph.vllmCommand(o)?.args;
  const named = args && commandModelOf(args);
  return named ? catalogProfileOf(named) : undefined;
}

/**
 * The model a vLLM (or KServe Hugging Face server) command line names: undefined when not written or not known here.
 * The Hugging Face server's `--model_id` is read as `--model-id`, as VllmArgs spells every flag (underscores as dashes).
 */
export function commandModelOf(args: VllmArgs): string | undefined {
  if (args.unknown('--model') || args.unknown('--model-id')) return undefined;
  return args.model() ?? args.value('--model-id');
}
