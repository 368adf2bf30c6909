import { mapping, mappings, text } from '../../manifests/access';
import { describeUnpinned, imagePinning } from '../../private/names';
import { containersOf, modelSpecOf } from '../graph';
import { Problem, Rule } from '../rule';

/** Tags that name a stream of builds rather than one build: each push moves them. */
const MOVING_TAG = /^(latest|main|master|nightly|dev|devel|develop|edge|stable|head|canary|rolling|snapshot|release|next|fast)$/i;

/** The tag of an image reference (after the last '/', the part after ':'), undefined when it has none. */
function tagOf(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1).split('@')[0];
  const i = last.indexOf(':');
  return i < 0 ? undefined : last.slice(i + 1);
}

export const imageNotPinned: Rule = {
  id: 'image-not-pinned',
  title: 'a container image is referenced by a moving tag (latest, none, a branch name); a version tag without a digest is a note',
  severity: 'warning',
  appliesTo: ['ServingRuntime', 'InferenceService', 'LLMInferenceService', 'Pod', 'Job', 'CronJob', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  premise:
    "the container names an image (an InferenceService runs its runtime's unless it sets one); a malformed digest is an error, since nothing can pull it",
  example: '`image: quay.io/vllm/vllm:latest`',
  fix: 'pin a version tag, or better a digest: image@sha256:…',
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
    return containers.flatMap(({ name, container }): Problem[] => {
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
      const tag = tagOf(image);
      if (tag === undefined || MOVING_TAG.test(tag)) {
        return [
          {
            message: `container '${name}' uses ${image}, ${tag === undefined ? 'no tag (latest)' : `the moving tag '${tag}'`}: each pull may run other bytes than were reviewed, and replicas may differ; pin a version tag, or a digest (image@sha256:…)`,
          },
        ];
      }
      // a version tag is the common practice and rarely moves: a note, counted on one line in the text output
      return [
        {
          severity: 'info',
          summary: 'images pinned by a version tag, not a digest',
          message: `container '${name}' uses ${image}: a version tag can still be re-pushed; a digest (image@sha256:…) cannot`,
        },
      ];
    });
  },
};
