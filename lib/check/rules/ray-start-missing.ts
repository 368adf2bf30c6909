import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** KubeRay's annotation that leaves the Ray container's command as written (ray-operator controllers/ray/utils/constant.go). */
const OVERWRITE = 'ray.io/overwrite-container-cmd';

/** A RayCluster spec and the annotations the RayCluster built from it carries, with the field it is written at. */
interface ClusterSpec {
  readonly spec: Loose;
  readonly annotations: Readonly<Record<string, string>>;
  readonly at: string;
}

/**
 * Where a kind writes a RayCluster spec: RayCluster itself; RayJob in spec.rayClusterSpec and RayService in spec.rayClusterConfig, whose
 * cluster copies their annotations (kuberay rayjob_controller.go constructRayClusterForRayJob, rayservice_controller.go
 * constructRayClusterForRayService); AIBrix's RayClusterFleet in spec.template, a RayCluster template.
 */
function clusterSpecsOf(m: Loose): ClusterSpec[] {
  const own = stringMap(mapping(m.metadata).annotations);
  const spec = mapping(m.spec);
  switch (m.kind) {
    case 'RayCluster':
      return [{ spec, annotations: own, at: 'spec' }];
    case 'RayJob':
      return [{ spec: mapping(spec.rayClusterSpec), annotations: own, at: 'spec.rayClusterSpec' }];
    case 'RayService':
      return [{ spec: mapping(spec.rayClusterConfig), annotations: own, at: 'spec.rayClusterConfig' }];
    case 'RayClusterFleet': {
      const template = mapping(spec.template);
      return [{ spec: mapping(template.spec), annotations: stringMap(mapping(template.metadata).annotations), at: 'spec.template.spec' }];
    }
    default:
      return [];
  }
}

/** The head and worker group pod templates of a RayCluster spec, with their fields. */
function groupTemplates(c: ClusterSpec): { template: Loose; at: string }[] {
  const head = [{ template: mapping(mapping(c.spec.headGroupSpec).template), at: `${c.at}.headGroupSpec.template` }];
  const workers = mappings(c.spec.workerGroupSpecs).map((g, i) => ({
    template: mapping(g.template),
    at: `${c.at}.workerGroupSpecs[${i}] (${text(g.groupName) ?? 'unnamed'}).template`,
  }));
  return [...head, ...workers];
}

const isTrue = (v: string | undefined) => v !== undefined && v.toLowerCase() === 'true';

export const rayStartMissing: Rule = {
  id: 'ray-start-missing',
  title: 'ray.io/overwrite-container-cmd is "true" and a Ray head or worker container has no command or args, so nothing runs ray start',
  severity: 'error',
  appliesTo: ['RayCluster', 'RayJob', 'RayService', 'RayClusterFleet'],
  premise:
    "the annotation ray.io/overwrite-container-cmd is \"true\" on the object whose RayCluster spec it is (for AIBrix's RayClusterFleet, its template's metadata) or on a group's pod template, and that group's first container (the Ray container) has neither command nor args",
  example: 'a RayClusterFleet template with `ray.io/overwrite-container-cmd: "true"` and a worker container `name: ray-worker` with only an image',
  fix: 'give the Ray container a command that starts Ray, e.g. `/bin/bash -c` with args that run `eval "$KUBERAY_GEN_RAY_START_CMD"` (plus --block on workers), or drop the annotation so KubeRay writes ray start itself',
  source:
    'kuberay ray-operator/controllers/ray/common/pod.go BuildPod: with the annotation "true" KubeRay leaves the Ray container\'s command and args as written and only exports the generated ray start command in KUBERAY_GEN_RAY_START_CMD (setContainerEnvVars); without a command the image\'s own entrypoint runs (vllm/vllm-openai: vllm serve) and the pod never joins the Ray cluster',
  check(o) {
    const out: Problem[] = [];
    for (const cluster of clusterSpecsOf(o.manifest)) {
      for (const g of groupTemplates(cluster)) {
        const own = stringMap(mapping(g.template.metadata).annotations)[OVERWRITE];
        if (!isTrue(own ?? cluster.annotations[OVERWRITE])) continue;
        const ray = mappings(mapping(g.template.spec).containers)[0];
        if (!ray || strings(ray.command).length || strings(ray.args).length) continue;
        out.push({
          message:
            `${g.at}: ray.io/overwrite-container-cmd is "true", so KubeRay does not write ray start into container '${text(ray.name) ?? 'unnamed'}', and it has no command or args: ` +
            `it runs its image's entrypoint and never joins the Ray cluster; give it a command that runs eval "$KUBERAY_GEN_RAY_START_CMD" (workers: with --block), or remove the annotation`,
        });
      }
    }
    return out;
  },
};
