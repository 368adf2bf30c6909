import { text } from '../manifests/access';
import { architectureOfModelReference } from '../catalog/model-families';
import { catalogProfileOf } from '../planning/model-catalog';
import { commandLineOf } from './command-line';
import { containersOf } from './pods';
import { GraphObject } from './graph-object';
import { storageLocationOf } from './serving-model';
import { CheckContext } from './rule';
import { VllmArgs } from './vllm-args';
import { serviceImage } from './vllm-image';

/** A container that runs vLLM's server: its name, image and vLLM's reading of its command line. */
export interface VllmContainer {
  readonly name: string;
  readonly image: string;
  /** Where the image is set, when not on the container itself (a service runs its runtime's). */
  readonly imageFrom?: string;
  readonly args?: VllmArgs;
}

/** The model a service serves, and how its architecture is known. */
export interface ServedModel {
  readonly model: string;
  readonly architecture: string;
  readonly how: string;
  /** The checkpoint's stored dtype (config.json torch_dtype), known only from a profile. */
  readonly storedDtype?: string;
}

/** The containers of an object that start vLLM's server (for a service, its predictor's or runtime's). */
export function servingContainers(o: GraphObject, ctx: CheckContext): VllmContainer[] {
  const kind = o.manifest.kind;
  if (kind === 'InferenceService' || kind === 'LLMInferenceService') {
    const served = serviceImage(o, ctx);
    return served ? [{ ...served, args: ctx.graph.vllmCommand(o)?.args }] : [];
  }
  return containersOf(o.manifest)
    .filter((c) => !c.init && text(c.container.image))
    .map((c) => ({ name: c.name, image: String(c.container.image), args: VllmArgs.of(commandLineOf(c.container)) }))
    .filter((c) => c.args.invoked);
}

/** The recorded or given profile's architecture (and its config's dtype), else the family the model's name belongs to. */
export function servedModel(o: GraphObject, ctx: CheckContext, args: VllmArgs | undefined): ServedModel | undefined {
  let profile;
  try {
    profile = ctx.modelOf(o);
  } catch {
    profile = undefined; // an invalid recorded profile is gpu-memory-fit's finding
  }
  if (profile) {
    return { model: profile.name, architecture: profile.architecture, how: `its config.json names ${profile.architecture}`, storedDtype: profile.torchDtype };
  }
  const serving = o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService';
  const fromArgs = args && !args.unknown('--model') ? args.model() : undefined;
  // a workload's --model naming the Hugging Face id of a bundled profile: its config.json, as gpu-memory-fit plans it
  const bundled = !serving && fromArgs ? catalogProfileOf(fromArgs) : undefined;
  if (bundled && fromArgs)
    return {
      model: fromArgs,
      architecture: bundled.architecture,
      how: `its config.json (bundled profile ${bundled.name}) names ${bundled.architecture}`,
      storedDtype: bundled.torchDtype,
    };
  const reference = (serving ? storageLocationOf(o.manifest) : undefined) ?? fromArgs;
  const found = reference ? architectureOfModelReference(reference) : undefined;
  return found && reference ? { model: reference, architecture: found.architecture, how: `a ${found.family} model by its name` } : undefined;
}

/**
 * Flags under which the architecture is not the one config.json names, or not looked up in vLLM's registry: Mistral's
 * own format (params.json), overrides of the config, the Transformers implementation forced; and a config file not read.
 */
export function architectureElsewhere(args: VllmArgs | undefined): boolean {
  if (!args) return false;
  if (args.unreadConfig !== undefined) return true;
  if (args.value('--config-format') === 'mistral' || args.value('--load-format') === 'mistral') return true;
  if ((args.value('--hf-overrides') ?? '').includes('architectures')) return true;
  return args.value('--model-impl') === 'transformers';
}
