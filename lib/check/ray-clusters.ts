import { Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';

/** KubeRay's annotation that leaves the Ray container's command as written (ray-operator controllers/ray/utils/constant.go). */
export const OVERWRITE = 'ray.io/overwrite-container-cmd';

/** A RayCluster spec and the annotations the RayCluster built from it carries, with the field it is written at. */
export interface ClusterSpec {
  readonly spec: Loose;
  readonly annotations: Readonly<Record<string, string>>;
  readonly at: string;
}

/**
 * Where a kind writes a RayCluster spec: RayCluster itself; RayJob in spec.rayClusterSpec and RayService in spec.rayClusterConfig, whose
 * cluster copies their annotations (kuberay rayjob_controller.go constructRayClusterForRayJob, rayservice_controller.go
 * constructRayClusterForRayService); AIBrix's RayClusterFleet in spec.template, a RayCluster template.
 */
export function clusterSpecsOf(m: Loose): ClusterSpec[] {
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
export function groupTemplates(c: ClusterSpec): { template: Loose; at: string }[] {
  const head = [{ template: mapping(mapping(c.spec.headGroupSpec).template), at: `${c.at}.headGroupSpec.template` }];
  const workers = mappings(c.spec.workerGroupSpecs).map((g, i) => ({
    template: mapping(g.template),
    at: `${c.at}.workerGroupSpecs[${i}] (${text(g.groupName) ?? 'unnamed'}).template`,
  }));
  return [...head, ...workers];
}

const isTrue = (v: string | undefined) => v !== undefined && v.toLowerCase() === 'true';

/** Whether KubeRay leaves a group's Ray container command as written by annotation: the template's own annotation, else the cluster's (BuildPod reads the pod template's, initTemplateAnnotations copies the cluster's there). */
export function overwritesCommand(cluster: ClusterSpec, template: Loose): boolean {
  const own = stringMap(mapping(template.metadata).annotations)[OVERWRITE];
  return isTrue(own ?? cluster.annotations[OVERWRITE]);
}

/** kuberay common/pod.go convertCmdToString: each word padded with a blank on both sides, joined, no quoting. */
export const convertCmdToString = (words: readonly string[]) => words.map((w) => ` ${w} `).join('');

/**
 * Whether KubeRay runs a group's Ray container (the first of its pod) with its command and args as written: kuberay
 * common/pod.go BuildPod leaves them when the ray.io/overwrite-container-cmd annotation is "true" or their joined text
 * (convertCmdToString) holds "ray start"; otherwise it replaces the command with `/bin/bash -lc --`
 * (utils.GetContainerCommand) and the args with one word, `<command and args> && ulimit -n 65536; ray start …`.
 */
export function keepsCommandAsWritten(cluster: ClusterSpec, template: Loose, ray: Loose): boolean {
  return overwritesCommand(cluster, template) || convertCmdToString([...strings(ray.command), ...strings(ray.args)]).includes('ray start');
}

/** The Ray containers (the first of each head and worker group pod) whose command and args KubeRay hands to a shell. */
export function rayContainersRunByShell(m: Loose): ReadonlySet<Loose> {
  const out = new Set<Loose>();
  for (const cluster of clusterSpecsOf(m)) {
    for (const g of groupTemplates(cluster)) {
      const ray = mappings(mapping(g.template.spec).containers)[0];
      if (ray && !keepsCommandAsWritten(cluster, g.template, ray)) out.add(ray);
    }
  }
  return out;
}
