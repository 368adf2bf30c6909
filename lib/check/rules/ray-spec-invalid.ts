import { kubeRayReleasesIn, RayValidationFailure, rayValidationFailures, releaseAtLeast } from '../kuberay-validation';
import { Problem, Rule } from '../rule';

/**
 * The first KubeRay release that validates RayJob specs (ray-project/kuberay v1.1.0 rayjob_controller.go validateRayJobSpec):
 * a check present since then holds on any KubeRay a tree is assumed to run, a later one only on the releases that have it.
 */
const FIRST_VALIDATING_RELEASE = '1.1.0';

/** The finding for one failed check, given the KubeRay releases the tree deploys (none when it does not say). */
function problemOf(f: RayValidationFailure, deployed: readonly string[]): Problem | undefined {
  const refusing = deployed.filter((r) => releaseAtLeast(r, f.since));
  if (deployed.length > 0 && refusing.length === 0) return undefined;
  const settled = deployed.length > 0 || f.since === FIRST_VALIDATING_RELEASE;
  const said = `KubeRay's operator finds the spec invalid (since v${f.since}): ${f.message}; it records the failure in the status and an event and creates no cluster`;
  if (settled) return { message: said };
  return {
    message: `${said}. The tree does not say which KubeRay runs it: releases before v${f.since} accept the spec`,
    severity: 'warning',
  };
}

export const raySpecInvalid: Rule = {
  id: 'ray-spec-invalid',
  title: "a RayJob, RayCluster or RayService spec KubeRay's own validation refuses: the operator reports it invalid and creates no Ray cluster",
  severity: 'error',
  appliesTo: ['RayJob', 'RayCluster', 'RayService'],
  premise:
    "always, for the checks of KubeRay's spec validation that need nothing outside the object (field combinations, bounds, the head group's containers; not the feature gates, names or the Ray version's auth checks); a check that arrived after v1.1.0 is a warning naming its release unless the tree deploys KubeRay's operator (image kuberay/operator:vX.Y.Z), and no finding where every deployed release predates it",
  example: 'a RayJob with `ttlSecondsAfterFinished: 60` and `shutdownAfterJobFinishes: false`',
  fix: 'change the fields the message names (e.g. set shutdownAfterJobFinishes: true to use ttlSecondsAfterFinished, or drop the TTL)',
  source:
    'ray-project/kuberay ray-operator/controllers/ray/utils/validation.go (feeaf72f) ValidateRayJobSpec, validateDeletionConfiguration, ValidateRayClusterSpec, ValidateRayServiceSpec: the RayJob, RayCluster and RayService controllers call them before creating anything and on failure set the status and emit an InvalidRayJobSpec / InvalidRayClusterSpec / InvalidRayServiceSpec event; the release of each check is the first tag whose source holds its message',
  check(o, ctx) {
    const failures = rayValidationFailures(o.manifest);
    if (failures.length === 0) return [];
    const deployed = kubeRayReleasesIn(ctx.graph);
    return failures.flatMap((f) => problemOf(f, deployed) ?? []);
  },
};
