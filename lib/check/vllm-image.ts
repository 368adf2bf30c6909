import { Loose, mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { mainContainerOf } from './llm-pools';
import { CheckContext } from './rule';
import { modelSpecOf } from './serving-model';

/** The container that runs a service's model server, its image and where the image is set. */
export interface ServiceImage {
  /** The container's name as the platform names it (`kserve-container`, `main`). */
  readonly name: string;
  readonly image: string;
  /** Where the image is set, when not on the service itself (a service runs its runtime's). */
  readonly imageFrom?: string;
}

/**
 * The image an InferenceService (its own, else its ServingRuntime's) or LLMInferenceService (its template's main
 * container) runs; undefined when none is written (an LLMInferenceService without one runs its preset's, which the
 * platform fills in).
 */
export function serviceImage(o: GraphObject, ctx: CheckContext): ServiceImage | undefined {
  const kind = o.manifest.kind;
  const container: Loose | undefined = kind === 'InferenceService' ? ctx.graph.servingContainer(o) : mainContainerOf(mapping(o.manifest.spec).template);
  const image = text(container?.image);
  if (!image) return undefined;
  const runtime = kind === 'InferenceService' && !text(modelSpecOf(o.manifest).image) ? ctx.graph.runtimeOf(o.manifest) : undefined;
  const imageFrom = runtime ? `of ServingRuntime '${text(mapping(runtime.manifest.metadata).name) ?? ''}'` : undefined;
  return { name: kind === 'InferenceService' ? 'kserve-container' : 'main', image, imageFrom };
}
