import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { GPU_RESOURCE } from '../../k8s/keys';
import { clusterSpecsOf } from '../ray-clusters';
import { acceleratorMismatch } from '../ray-accelerator-types';
import { serveCodeGpuDemands, serveLlms } from '../ray-serve-llm';
import { deployedByRepository } from '../found-elsewhere';
import { Problem, Rule } from '../rule';

/** A group's GPUs as Ray counts them: rayStartParams num-gpus, else (KubeRay) the Ray container's nvidia.com/gpu limit or request; undefined when neither says (Ray then detects what the container sees). */
function groupGpus(group: Loose): { gpus: number | undefined; stated: boolean } {
  // a quantity is a number or a string in YAML (`nvidia.com/gpu: 1`, `num-gpus: "0"`)
  const param = finite(mapping(group.rayStartParams)['num-gpus']);
  if (param !== undefined) return { gpus: param, stated: true };
  const resources = mapping(mappings(mapping(mapping(group.template).spec).containers)[0]?.resources);
  const asked = finite(mapping(resources.limits)[GPU_RESOURCE]) ?? finite(mapping(resources.requests)[GPU_RESOURCE]);
  return asked !== undefined ? { gpus: asked, stated: true } : { gpus: undefined, stated: false };
}

/** What asks for GPUs: each Serve deployment's ray_actor_options.num_gpus in serveConfigV2, or a RayJob's entrypointNumGpus. */
function gpuDemands(m: Loose): { what: string; gpus: number }[] {
  const spec = mapping(m.spec);
  if (m.kind === 'RayJob') {
    const n = finite(spec.entrypointNumGpus);
    return n && n > 0 ? [{ what: `spec.entrypointNumGpus (${n})`, gpus: n }] : [];
  }
  if (m.kind !== 'RayService' || typeof spec.serveConfigV2 !== 'string') return [];
  const parsed = parseOne(spec.serveConfigV2);
  if ('error' in parsed) return [];
  // the Serve code an application imports from a mounted ConfigMap asks in its @serve.deployment options
  return [...configDemands(parsed.value), ...serveCodeGpuDemands(m)];
}

/** Each serveConfigV2 deployment's ray_actor_options.num_gpus above 0. */
function configDemands(config: unknown): { what: string; gpus: number }[] {
  return mappings(mapping(config).applications).flatMap((app) =>
    mappings(app.deployments).flatMap((d) => {
      const n = finite(mapping(d.ray_actor_options).num_gpus);
      return n && n > 0
        ? [{ what: `serveConfigV2 application '${text(app.name) ?? ''}' deployment '${text(d.name) ?? ''}' ray_actor_options.num_gpus ${n}`, gpus: n }]
        : [];
    }),
  );
}

/** The Serve deployments of a RayService that ask for GPUs with a replica count the config fixes: num_replicas, or autoscaling min_replicas and max_replicas. */
interface ReplicaDemand {
  readonly what: string;
  readonly gpus: number;
  readonly least: number;
  readonly most: number;
}

/** Ray Serve's replica counts from serveConfigV2 (ray python/ray/serve/schema.py DeploymentSchema: num_replicas, or autoscaling_config); none when the config sets target_capacity or leaves the count to the code. */
function replicaDemands(m: Loose): ReplicaDemand[] {
  const spec = mapping(m.spec);
  if (m.kind !== 'RayService' || typeof spec.serveConfigV2 !== 'string') return [];
  const parsed = parseOne(spec.serveConfigV2);
  if ('error' in parsed || mapping(parsed.value).target_capacity !== undefined) return [];
  return [...deploymentDemands(parsed.value), ...llmDemands(m)];
}

/**
 * The replicas of Ray Serve LLM configs written in serveConfigV2: each replica's placement group holds one GPU per
 * vLLM worker (tensor × pipeline parallel), counted where the config fixes its replica counts.
 */
function llmDemands(m: Loose): ReplicaDemand[] {
  return serveLlms(m).flatMap((l) =>
    l.gpusPerReplica && l.replicas && l.replicas.most > 0
      ? [
          {
            what: `${l.what} (${l.replicas.said} × ${l.gpusPerReplica} GPU(s) per replica, one per tensor × pipeline parallel rank)`,
            gpus: l.gpusPerReplica,
            least: l.replicas.least,
            most: l.replicas.most,
          },
        ]
      : [],
  );
}

/** The replica demands of serveConfigV2's plain deployments (ray_actor_options.num_gpus). */
function deploymentDemands(config: unknown): ReplicaDemand[] {
  return mappings(mapping(config).applications).flatMap((app) =>
    mappings(app.deployments).flatMap((d) => {
      const gpus = finite(mapping(d.ray_actor_options).num_gpus);
      const fixed = typeof d.num_replicas === 'number' ? d.num_replicas : undefined;
      const auto = mapping(d.autoscaling_config);
      const least = fixed ?? finite(auto.min_replicas) ?? 0;
      const most = fixed ?? finite(auto.max_replicas) ?? least;
      if (!gpus || gpus <= 0 || most <= 0) return [];
      return [
        {
          what: `application '${text(app.name) ?? 'default'}' deployment '${text(d.name) ?? ''}' (${fixed !== undefined ? `num_replicas ${fixed}` : `autoscaling min_replicas ${least}, max_replicas ${most}`} × num_gpus ${gpus})`,
          gpus,
          least,
          most,
        },
      ];
    }),
  );
}

/**
 * The most GPUs a RayCluster spec's Ray nodes can hold together: the head's, plus each worker group's per-node GPUs
 * times its most pods (maxReplicas under in-tree autoscaling, else replicas; times numOfHosts), as kuberay's
 * ray-operator/apis/ray/v1 raycluster_types.go WorkerGroupSpec bounds them. Undefined when a worker group does not
 * state its GPUs or its pod count (maxReplicas left to the CRD default is unbounded). A head that states no GPUs is
 * counted as none, with `certain` false: without an nvidia.com/gpu request the device plugin gives its container none,
 * but a node's runtime may show it every GPU.
 */
function clusterGpuCeiling(cluster: Loose): { total: number; certain: boolean } | undefined {
  const head = groupGpus(mapping(cluster.headGroupSpec));
  const autoscaling = cluster.enableInTreeAutoscaling === true;
  let total = head.gpus ?? 0;
  for (const g of mappings(cluster.workerGroupSpecs)) {
    const own = groupGpus(g);
    const pods = finite(autoscaling ? g.maxReplicas : g.replicas);
    if (!own.stated || pods === undefined) return undefined;
    total += (own.gpus ?? 0) * pods * Math.max(finite(g.numOfHosts) ?? 1, 1);
  }
  return { total, certain: head.stated };
}

/** A RayService whose Serve deployments together ask for more GPUs than its cluster can ever hold: an error for the replicas Serve always keeps, a warning for the autoscaling ceiling. */
function totalProblem(m: Loose, at: string, cluster: Loose): Problem | undefined {
  const demands = replicaDemands(m);
  const found = demands.length ? clusterGpuCeiling(cluster) : undefined;
  if (found === undefined) return undefined;
  const ceiling = found.total;
  const sum = (n: (d: ReplicaDemand) => number) => demands.reduce((t, d) => t + n(d) * d.gpus, 0);
  const [least, most] = [sum((d) => d.least), sum((d) => d.most)];
  const asks = demands.map((d) => d.what).join('; ');
  const has = `the Ray nodes of ${at} hold at most ${ceiling} GPU(s) together (the head's${found.certain ? '' : ', counted as none: it requests no nvidia.com/gpu and sets no num-gpus,'} and each worker group's GPUs times its ${cluster.enableInTreeAutoscaling === true ? 'maxReplicas' : 'replicas'} and numOfHosts)`;
  if (least > ceiling)
    return {
      ...(found.certain ? {} : { severity: 'warning' as const }),
      message: `serveConfigV2 keeps ${least} GPU(s) of replicas running (${asks}), but ${has}: the replicas beyond them stay pending, the application never reaches RUNNING and the RayService never becomes ready; raise the worker group's replicas (or maxReplicas) and GPUs, or lower the replica count`,
    };
  if (most > ceiling)
    return {
      severity: 'warning',
      message: `serveConfigV2 lets autoscaling grow to ${most} GPU(s) of replicas (${asks}), but ${has}: replicas above that stay pending under load; raise the worker group's maxReplicas or lower max_replicas`,
    };
  return undefined;
}

/** A replica that fits no single Ray node of the cluster (Ray places an actor on one node). */
function perReplicaProblem(demands: { what: string; gpus: number }[], cluster: { spec: Loose; at: string }): Problem | undefined {
  const groups = [mapping(cluster.spec.headGroupSpec), ...mappings(cluster.spec.workerGroupSpecs)].map(groupGpus);
  const most = Math.max(...groups.map((g) => g.gpus ?? 0));
  const need = Math.max(...demands.map((d) => d.gpus));
  if (most >= need || groups.some((g) => !g.stated && most > 0)) return undefined;
  const asks = demands
    .filter((d) => d.gpus > most)
    .map((d) => d.what)
    .join('; ');
  const allStated = groups.every((g) => g.stated);
  const problem: Problem = {
    ...(allStated ? {} : { severity: 'warning' as const }),
    message: allStated
      ? `${asks} asks for GPUs, but the most any Ray node of ${cluster.at} has is ${most} (rayStartParams num-gpus, or the Ray container's nvidia.com/gpu): Ray never places the replica and it stays pending; request nvidia.com/gpu in a worker group (KubeRay starts Ray with that many GPUs) and drop num-gpus "0", or set num_gpus to 0`
      : `${asks} asks for GPUs, but no group of ${cluster.at} requests nvidia.com/gpu or sets num-gpus above 0: Ray counts only the GPUs a container sees, and without a request the device plugin gives it none, so the replica would stay pending; request nvidia.com/gpu in a worker group's Ray container`,
  };
  return problem;
}

export const rayGpuDemandUnplaceable: Rule = {
  id: 'ray-gpu-demand-unplaceable',
  title: 'a Ray Serve deployment or RayJob entrypoint that asks for GPUs no Ray node of the cluster has: it is never placed',
  severity: 'error',
  appliesTo: ['RayService', 'RayJob'],
  premise:
    "a RayService whose serveConfigV2 gives a deployment ray_actor_options.num_gpus above 0 (or whose imported Serve code does, in a `@serve.deployment(ray_actor_options={...})` literal, where a ConfigMap of the tree, or one a script or README of the tree makes `--from-file` from a file the tree holds, mounts the module where import_path finds it), or a RayJob with spec.entrypointNumGpus above 0 and its own rayClusterSpec; each group's GPUs are rayStartParams num-gpus, else the Ray container's nvidia.com/gpu limit (or request), which KubeRay passes as --num-gpus; " +
    'an error when every group states its GPUs and none has as many as one replica asks (Ray places an actor on one node); a warning when no group states any GPU and some state none (Ray then counts only the GPUs the container sees, and with no nvidia.com/gpu request the device plugin gives it none); ' +
    "Ray Serve LLM deployments count too: the LLMConfigs of a serveConfigV2 application built by ray.serve.llm (args.llm_configs, args.llm_config), and those of Serve code a ConfigMap of the tree mounts where the application's import_path finds it (its LLMConfig(...) keyword literals; computed values are not read), each replica holding tensor × pipeline parallel GPUs; " +
    "and, when every replica fits a node, a RayService whose deployments with a fixed num_replicas (or autoscaling min_replicas) ask for more GPUs in all than the cluster's nodes hold together (the head's GPUs plus each worker group's per-node GPUs times replicas, or maxReplicas under enableInTreeAutoscaling, times numOfHosts): an error, the surplus replicas stay pending and the application never reaches RUNNING; a warning when only autoscaling max_replicas exceeds it, or when the head states no GPUs and is counted as none; not judged when a worker group leaves its GPUs or pod count unsaid, or the config sets target_capacity; " +
    "and a warning for an accelerator_type (an LLMConfig's, or a deployment's ray_actor_options') whose GPU model no GPU group of the cluster can carry, where every such group's nodes are pinned (an instance type, the Karpenter NodePools of the tree, or one of the repository the pod selects by name, a label naming the GPU): Ray advertises accelerator_type:<model> from the GPU's device name, and a replica asking for another model is never placed",
  example: 'a RayService whose serveConfigV2 has `ray_actor_options: {num_gpus: 1}` while its head and worker groups set `num-gpus: "0"`',
  fix: 'request nvidia.com/gpu in a worker group\'s Ray container (KubeRay then starts Ray with that many GPUs) and drop num-gpus "0", or set num_gpus to 0 for a CPU deployment',
  source:
    'ray python/ray/_private/resource_spec.py (the node\'s GPU resource is ray start --num-gpus, else the GPUs detected in the container), and Ray\'s scheduler keeps a task or actor whose demand fits no node infeasible (pending; the autoscaler reports "No available node types can fulfill resource request"); ' +
    "kuberay ray-operator controllers/ray/common/pod.go (addWellKnownAcceleratorResources: num-gpus from the container's nvidia.com/gpu limit when rayStartParams lacks it); Ray Serve keeps the replica PENDING_CREATION, so the RayService never becomes ready; ray python/ray/serve/schema.py DeploymentSchema (num_replicas, autoscaling_config) and kuberay ray-operator/apis/ray/v1 raycluster_types.go WorkerGroupSpec (replicas, maxReplicas, numOfHosts); " +
    'ray python/ray/llm/_internal/serve/engines/vllm/vllm_models.py VLLMEngineConfig.placement_bundles (one {GPU: 1, accelerator_type:<type>: 0.001} bundle per tensor × pipeline parallel rank) and python/ray/_private/accelerators/nvidia_gpu.py NVIDIA_GPU_NAME_PATTERN (the accelerator type a node advertises)',
  check(o, { graph }) {
    const demands = gpuDemands(o.manifest);
    const cluster = clusterSpecsOf(o.manifest)[0];
    if (!cluster || !Object.keys(cluster.spec).length) return [];
    const perReplica = demands.length ? perReplicaProblem(demands, cluster) : undefined;
    const total = perReplica ? undefined : totalProblem(o.manifest, cluster.at, cluster.spec);
    const elsewhere = (name: string) => {
      const made = deployedByRepository(graph, 'NodePool', name, undefined);
      return made && made.object.manifest.apiVersion?.toString().startsWith('karpenter.sh/')
        ? { manifest: made.object.manifest, file: made.object.file }
        : undefined;
    };
    const accelerator = perReplica ? undefined : acceleratorMismatch(graph, o.manifest, cluster, elsewhere);
    return [perReplica ?? total ?? [], accelerator ? { severity: 'warning' as const, message: accelerator } : []].flat();
  },
};
