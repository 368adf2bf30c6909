import { tagPolicy } from '../private/names';
import { Problem } from './rule';

/** How a rule names an image reference it judges: a container's image, a modelcar's storage URI. */
export interface PinnedReference {
  /** What names the reference, before it: `container 'c' uses`. */
  readonly subject: string;
  /** The pinned form to write, ending in `…`: `image@sha256:…`. */
  readonly digestForm: string;
  /** What a moved tag does, after "each pull may": `run other bytes`. */
  readonly moved: string;
  /** The phrase version-tag notes are counted under in the text output. */
  readonly summary: string;
}

/** An image of OpenShift's internal registry, by its Service name: the namespace/stream it names. */
const INTERNAL_REGISTRY = /^image-registry\.openshift-image-registry\.svc(?:\.cluster\.local)?(?::\d+)?\/([^/@:]+\/[^/@:]+)/;

/**
 * The one tag policy of container images and modelcars (`tagPolicy`): a digest is pinned; a malformed digest is
 * image-reference-invalid's; no tag or a moving tag is the rule's warning; a version tag is a note.
 */
export function pinningProblems(ref: string, r: PinnedReference): Problem[] {
  const policy = tagPolicy(ref);
  if (policy.kind === 'digest') return [];
  // a malformed digest does not parse: image-reference-invalid's (reference.go Parse refuses it), one finding
  if (policy.kind === 'malformed-digest') return [];
  // OpenShift's internal registry serves the cluster's own ImageStreams (openshift/tools, a BuildConfig's output): the
  // tag follows the stream, which the cluster moves (an upgrade, a build), and no digest is the same on two clusters
  const stream = INTERNAL_REGISTRY.exec(ref);
  if (policy.kind === 'moving' && stream)
    return [
      {
        severity: 'info',
        summary: "images of the cluster's own ImageStreams (internal registry), which move with the stream",
        message: `${r.subject} ${ref}, ImageStream tag ${stream[1]}:${policy.tag ?? 'latest'} of the cluster's internal registry: it moves when the stream is updated (a cluster upgrade, a build), so pods started after an update run the new image; to resolve it to a digest when each pod is made, annotate the workload alpha.image.policy.openshift.io/resolve-names: '*' (the stream with lookupPolicy local) or set an image.openshift.io/triggers annotation`,
      },
    ];
  if (policy.kind === 'moving')
    return [
      {
        message: `${r.subject} ${ref}, ${policy.tag === undefined ? 'no tag (latest)' : `the moving tag '${policy.tag}'`}: each pull may ${r.moved} than were reviewed, and replicas may differ; pin a version tag, or a digest (${r.digestForm})`,
      },
    ];
  // a version tag is the common practice and rarely moves: a note, counted on one line in the text output
  return [
    {
      severity: 'info',
      summary: r.summary,
      message: `${r.subject} ${ref}: a version tag can still be re-pushed; a digest (${r.digestForm}) cannot`,
    },
  ];
}
