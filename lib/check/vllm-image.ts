import { parseImageReference, vllmVersionOfImageReference, vllmVersionOfRuntimeAnnotation } from '../catalog/vllm-images';
import { Loose, mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
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

/** Every image reference a manifest writes (an `image` field holding text, at any depth: containers of any pod template). */
function imagesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => imagesIn(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') out.push(v);
      else imagesIn(v, out);
    }
  }
  return out;
}

/** An image of the tree whose reference proves the vLLM release it runs. */
export interface TreeVllmImage {
  readonly image: string;
  readonly version: string;
  readonly how: string;
}

/** The images of the tree whose reference proves their vLLM release (a release tag of vLLM's images, of a mirror or of a build named as vLLM's). */
export function treeVllmImages(graph: ObjectGraph): readonly TreeVllmImage[] {
  return graph.once('vllm-image:tree-releases', () => {
    const images = [...new Set(graph.objects.flatMap((o) => imagesIn(o.manifest)))];
    return images.flatMap((image) => {
      const known = vllmVersionOfImageReference(image);
      return known ? [{ image, version: known.version, how: known.how }] : [];
    });
  });
}

/**
 * The release of an image pinned by digest alone that the tree names elsewhere with the same digest and a release tag
 * (`vllm/vllm-openai:v0.9.1@sha256:…`): one digest is one image, so that tag's release.
 */
export function releaseOfDigest(graph: ObjectGraph, image: string): { version: string; how: string } | undefined {
  const { repository, digest } = parseImageReference(image);
  if (!digest) return undefined;
  const same = treeVllmImages(graph).find((t) => {
    const other = parseImageReference(t.image);
    return other.digest === digest && other.repository === repository;
  });
  return same && { version: same.version, how: `the tree pins the same digest as ${same.image} elsewhere: ${same.how}` };
}
