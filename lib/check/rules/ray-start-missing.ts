import { mapping, mappings, strings, text } from '../../manifests/access';
import { clusterSpecsOf, groupTemplates, overwritesCommand } from '../ray-clusters';
import { Problem, Rule } from '../rule';

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
  scope: 'object',
  check(o) {
    const out: Problem[] = [];
    for (const cluster of clusterSpecsOf(o.manifest)) {
      for (const g of groupTemplates(cluster)) {
        if (!overwritesCommand(cluster, g.template)) continue;
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
