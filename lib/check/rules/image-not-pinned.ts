import { mapping, mappings, text } from '../../manifests/access';
import { describeUnpinned, imagePinning } from '../../private/names';
import { containersOf, modelSpecOf } from '../graph';
import { Rule } from '../rule';

export const imageNotPinned: Rule = {
  id: 'image-not-pinned',
  title: 'a container image is referenced by a mutable tag instead of a digest',
  severity: 'warning',
  appliesTo: ['ServingRuntime', 'InferenceService', 'LLMInferenceService', 'Pod', 'Job', 'CronJob', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  premise:
    "the container names an image (an InferenceService runs its runtime's unless it sets one); a malformed digest is an error, since nothing can pull it",
  example: 'image: quay.io/vllm/vllm:latest',
  fix: 'pin it by digest: image@sha256:…',
  source: 'a tag can be moved to other bytes; a digest cannot (OCI distribution spec)',
  check(o) {
    // a service's model container runs its runtime's image unless it names one; custom containers name their own
    const containers =
      o.manifest.kind === 'InferenceService'
        ? [
            ...(text(modelSpecOf(o.manifest).image) ? [{ name: 'kserve-container', container: modelSpecOf(o.manifest) }] : []),
            ...mappings(mapping(mapping(o.manifest.spec).predictor).containers).map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c })),
          ]
        : containersOf(o.manifest);
    return containers.flatMap(({ name, container }) => {
      const image = text(container.image);
      if (!image) return [];
      const pinning = imagePinning(image);
      if (pinning.pinned) return [];
      if (pinning.problem === 'malformed-digest') {
        return [
          {
            severity: 'error' as const,
            message: `container '${name}' uses ${describeUnpinned(image, pinning)}: the pod cannot pull it; write image@sha256:<64 hex digits>`,
          },
        ];
      }
      return [
        {
          message: `container '${name}' uses ${image}, a tag that can point at other bytes tomorrow; pin it by digest (image@sha256:…) so that every sync runs the image that was reviewed`,
        },
      ];
    });
  },
};
