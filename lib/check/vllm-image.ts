import { vllmVersionOfImageReference, vllmVersionOfRuntimeAnnotation } from '../catalog/vllm-images';
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

/** The runtime-version annotation OpenShift AI's runtime templates carry (odh-model-controller, vllm-*-runtime-template). */
const RUNTIME_VERSION_ANNOTATION = 'opendatahub.io/runtime-version';

/**
 * The vLLM version an InferenceService's server runs and how it is known: its image's reference where that proves it,
 * else, the image being its ServingRuntime's and Red Hat's build of vLLM, the runtime's `opendatahub.io/runtime-version`
 * annotation. Undefined where neither tells.
 */
export function serviceVllmVersion(o: GraphObject, ctx: CheckContext, image: string | undefined): { version: string; how: string } | undefined {
  if (!image) return undefined;
  const own = vllmVersionOfImageReference(image);
  if (own || o.manifest.kind !== 'InferenceService' || text(modelSpecOf(o.manifest).image)) return own;
  const runtime = ctx.graph.runtimeOf(o.manifest);
  const annotations = mapping(mapping(runtime?.manifest.metadata).annotations);
  const version = vllmVersionOfRuntimeAnnotation(text(annotations[RUNTIME_VERSION_ANNOTATION]), image);
  const name = text(mapping(runtime?.manifest.metadata).name) ?? '';
  return version
    ? { version, how: `ServingRuntime '${name}' states ${RUNTIME_VERSION_ANNOTATION}: ${text(annotations[RUNTIME_VERSION_ANNOTATION])}` }
    : undefined;
}
