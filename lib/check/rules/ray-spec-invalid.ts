import { Loose } from '../../manifests/access';
import { kubeRayReleasesIn, RayValidationFailure, rayValidationFailures, releaseAtLeast } from '../kuberay-validation';
import { Problem, Rule } from '../rule';
import { serveConfigError, serveConfigSchemaError } from '../ray-serve-config';

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

/** A RayService whose serveConfigV2 KubeRay cannot read as YAML: every release parses it before it submits the Serve applications. */
function serveConfigProblems(m: Loose): Problem[] {
  const e = serveConfigError(m);
  const refused = e ? undefined : serveConfigSchemaError(m);
  if (refused) {
    return [
      {
        message:
          `spec.serveConfigV2 is not a config Ray Serve accepts: ${refused}. KubeRay sends it to the Ray dashboard, which refuses it (ServeDeploySchema), ` +
          `so no application is deployed and the RayService never becomes ready; write \`applications:\` as a list of applications, each with its import_path and a unique name and route_prefix`,
      },
    ];
  }
  if (!e) return [];
  return [
    {
      message:
        `spec.serveConfigV2 is not valid YAML: line ${e.line} of it, '${e.text}', does not parse (${e.reason}; go-yaml fails there too, e.g. "could not find expected ':'" for a key with no space after its colon). ` +
        `KubeRay unmarshals the string before it submits the Serve applications, so it never submits them: the Ray cluster starts, but no application is deployed and the RayService never becomes ready; ` +
        `write a space after each key's colon (KEY: "value") and check the string parses as YAML`,
    },
  ];
}

export const raySpecInvalid: Rule = {
  id: 'ray-spec-invalid',
  title: "a RayJob, RayCluster or RayService spec KubeRay's own validation refuses: the operator reports it invalid and creates no Ray cluster",
  severity: 'error',
  appliesTo: ['RayJob', 'RayCluster', 'RayService'],
  premise:
    "always, for the checks of KubeRay's spec validation that need nothing outside the object (field combinations, bounds, the head group's containers; not the feature gates, names or the Ray version's auth checks); a check that arrived after v1.1.0 is a warning naming its release unless the tree deploys KubeRay's operator (image kuberay/operator:vX.Y.Z), and no finding where every deployed release predates it; " +
    'also a RayService whose spec.serveConfigV2 string is not YAML go-yaml reads (a key with no space after its colon, `KEY:"v"`, between other keys; a bare word among keys; a tab as indentation), an error on every release, naming the line: KubeRay unmarshals it before it submits the Serve applications; not judged: a templated string, and failures of the YAML library go-yaml is not known to share (a repeated key, flow collections indented less than their key); ' +
    "and a serveConfigV2 that parses but that Ray Serve's ServeDeploySchema refuses, an error on every release: no `applications:`, `applications:` a mapping (or nested in another `applications:`) instead of a list, an application that is not a mapping or has no import_path, two applications of one name (unset: 'default') or one route_prefix (unset: '/'), an empty name",
  example: 'a RayJob with `ttlSecondsAfterFinished: 60` and `shutdownAfterJobFinishes: false`',
  fix: 'change the fields the message names (e.g. set shutdownAfterJobFinishes: true to use ttlSecondsAfterFinished, or drop the TTL)',
  source:
    'ray-project/kuberay ray-operator/controllers/ray/utils/validation.go (feeaf72f) ValidateRayJobSpec, validateDeletionConfiguration, ValidateRayClusterSpec, ValidateRayServiceSpec: the RayJob, RayCluster and RayService controllers call them before creating anything and on failure set the status and emit an InvalidRayJobSpec / InvalidRayClusterSpec / InvalidRayServiceSpec event; the release of each check is the first tag whose source holds its message; rayservice_controller.go updateServeDeployment (yaml.Unmarshal of spec.serveConfigV2, the error returned before the Serve applications are submitted, then the config sent to the dashboard); ray-project/ray python/ray/serve/schema.py ServeDeploySchema (applications: List[ServeApplicationSchema], required; application_names_unique, application_routes_unique, application_names_nonempty) and ServeApplicationSchema (import_path required, name default "default", route_prefix default "/"), read by the dashboard\'s PUT /api/serve/applications/',
  check(o, ctx) {
    const failures = rayValidationFailures(o.manifest);
    const serve = serveConfigProblems(o.manifest);
    if (failures.length === 0) return serve;
    const deployed = kubeRayReleasesIn(ctx.graph);
    return [...failures.flatMap((f) => problemOf(f, deployed) ?? []), ...serve];
  },
};
