import type { Loose } from '../manifests/access';
import { gluedVersion } from '../catalog/misspelt-images';
import { imageReferenceProblem } from '../k8s/image-reference-grammar';
import { ISTIO_INJECT } from '../k8s/keys';
import { imageHoldsPlaceholder } from './template-syntax';

export { imageReferenceProblem };

/**
 * What is wrong with an image reference as image-reference-invalid judges it: template syntax another tool renders, or a
 * `<PROJECT-ID>` a reader fills in by hand (unrendered-placeholder reports both), is no reference yet.
 */
export function judgedReferenceProblem(ref: string): string | undefined {
  return imageHoldsPlaceholder(ref) ? undefined : imageReferenceProblem(ref);
}

/**
 * What image-reference-invalid says of a reference after its name: one that does not parse (judgedReferenceProblem),
 * or a well-known repository with a version glued on without `:` (`vllm/vllm-openaiv0.10.0`), which parses but names
 * a repository no registry holds; undefined when neither.
 */
export function referenceFault(ref: string): string | undefined {
  const problem = judgedReferenceProblem(ref);
  if (problem !== undefined)
    return `is not a valid image reference: ${problem}; the kubelet refuses to pull it (InvalidImageName) and the pod never starts: retype it`;
  const glued = gluedVersion(ref);
  return (
    glued &&
    `names the repository ${glued.repository}, ${glued.intended} with a version glued on without its ':', which no registry holds: the pull fails (ErrImagePull, ImagePullBackOff) and the pod never starts; write '${glued.meant}'`
  );
}

/**
 * Istio's injection placeholder: `image: auto` in a pod Istio injects (the sidecar.istio.io/inject label or annotation,
 * the inject.istio.io/templates annotation, a Gateway API gateway's own Deployment labelled
 * gateway.networking.k8s.io/gateway-name, or the container istio-proxy), which Istio's webhook replaces with its proxy
 * image (Istio docs, "Installing Gateways": `image: auto`, "the image will automatically update each time the pod starts").
 */
export function istioInjectionPlaceholder(image: string, container: string, labels: Loose, annotations: Loose): boolean {
  if (image !== 'auto') return false;
  const marks = [labels[ISTIO_INJECT], annotations[ISTIO_INJECT], annotations['inject.istio.io/templates'], labels['gateway.networking.k8s.io/gateway-name']];
  return container === 'istio-proxy' || marks.some((v) => v !== undefined);
}
