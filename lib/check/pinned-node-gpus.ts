import { finite, isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { GPU_RESOURCE } from '../k8s/keys';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { podCount, podSpecOf } from './pods';

/** The well-known label of a node's hostname (k8s.io/api core/v1 LabelHostname). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** GPU feature discovery's labels: the node's physical GPUs and the replicas time-slicing makes of each (NVIDIA/k8s-device-plugin internal/lm). */
const GFD_COUNT = 'nvidia.com/gpu.count';
const GFD_REPLICAS = 'nvidia.com/gpu.replicas';
/** The node label the GPU Operator's config manager reads to pick a node's device-plugin config. */
const CONFIG_LABEL = 'nvidia.com/device-plugin.config';

/** The pods that stay on running (not Jobs, which may run at other times). */
export const PINNED_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout', 'DeploymentConfig', 'InferenceService'];

/** The pods a workload surely runs: an InferenceService its predictor's minReplicas (default 1, KServe v1beta1 ComponentExtensionSpec), not the maxReplicas load may never reach. */
function runningPods(m: GraphObject['manifest']): number {
  if (m.kind === 'Pod') return 1;
  if (m.kind !== 'InferenceService') return podCount(m);
  const min = mapping(mapping(m.spec).predictor).minReplicas;
  return typeof min === 'number' && Number.isInteger(min) && min >= 0 ? min : 1;
}

/** The one node a pod spec pins its pods to: spec.nodeName, the hostname node selector, or a required affinity whose every term names one host. */
export function pinnedHost(spec: Loose): { host: string; by: string } | undefined {
  const nodeName = text(spec.nodeName);
  if (nodeName) return { host: nodeName, by: 'nodeName' };
  const selected = stringMap(spec.nodeSelector)[HOSTNAME_LABEL];
  if (selected) return { host: selected, by: `nodeSelector ${HOSTNAME_LABEL}` };
  const terms = mappings(mapping(mapping(mapping(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
  const hosts = terms.map((t) => {
    const e = mappings(t.matchExpressions).find((x) => text(x.key) === HOSTNAME_LABEL && text(x.operator) === 'In');
    const values = e ? strings(e.values) : [];
    return values.length === 1 ? values[0] : undefined;
  });
  if (hosts.length > 0 && hosts.every((h) => h !== undefined && h === hosts[0])) return { host: hosts[0]!, by: `node affinity ${HOSTNAME_LABEL} In` };
  return undefined;
}

/** The replicas time-slicing makes of nvidia.com/gpu in one device-plugin config: 1 without sharing, undefined when it renames the resource. */
function timeSlicedReplicas(config: Loose): number | undefined {
  const slicing = mapping(mapping(config.sharing).timeSlicing);
  const own = mappings(slicing.resources).find((r) => text(r.name) === GPU_RESOURCE);
  if (!own) return 1;
  if (text(own.rename) || slicing.renameByDefault === true) return undefined;
  return finite(own.replicas) ?? 1;
}

/** Every device-plugin config of the tree's ConfigMaps (api/config/v1 Config: `version: v1` with sharing), by its data key. */
function deviceConfigs(graph: ObjectGraph): { key: string; replicas: number | undefined }[] {
  return graph.once('device-plugin-time-slicing', () =>
    graph.ofKind('ConfigMap').flatMap((o) =>
      Object.entries(stringMap(o.manifest.data)).flatMap(([key, body]) => {
        const parsed = parseOne(body);
        if (!('value' in parsed) || !isMapping(parsed.value) || parsed.value.version !== 'v1' || !isMapping(parsed.value.sharing)) return [];
        return [{ key, replicas: timeSlicedReplicas(parsed.value) }];
      }),
    ),
  );
}

/** The nvidia.com/gpu a node offers, as the tree states it, with how: its status, or GFD's count times the time-slicing replicas. */
export function declaredGpus(node: Loose, graph: ObjectGraph): { gpus: number; how: string } | undefined {
  const status = mapping(node.status);
  for (const field of ['allocatable', 'capacity']) {
    const n = finite(mapping(status[field])[GPU_RESOURCE]);
    if (n !== undefined) return { gpus: n, how: `status.${field} ${GPU_RESOURCE}: ${n}` };
  }
  const labels = stringMap(mapping(node.metadata).labels);
  const count = finite(labels[GFD_COUNT]);
  if (count === undefined) return undefined;
  const labelled = finite(labels[GFD_REPLICAS]);
  if (labelled !== undefined) return { gpus: count * labelled, how: `label ${GFD_COUNT}: ${count} × ${GFD_REPLICAS}: ${labelled}` };
  const configs = deviceConfigs(graph);
  const chosen = labels[CONFIG_LABEL] ? configs.filter((c) => c.key === labels[CONFIG_LABEL]) : configs;
  const replicas = [...new Set(chosen.map((c) => c.replicas))];
  if (replicas.length > 1 || (replicas[0] === undefined && chosen.length > 0)) return undefined;
  const r = replicas[0] ?? 1;
  return { gpus: count * r, how: `label ${GFD_COUNT}: ${count}${r > 1 ? ` × ${r} time-slicing replicas` : ''}` };
}

/** A workload whose pods are pinned to one node, with the GPUs they hold there. */
export interface PinnedGpuPods {
  readonly object: GraphObject;
  readonly host: string;
  readonly by: string;
  readonly pods: number;
  readonly gpusPerPod: number;
}

/** The GPU workloads of the tree pinned to one node each (running pods only: a workload scaled to zero holds none). */
export function pinnedGpuPods(graph: ObjectGraph): PinnedGpuPods[] {
  return graph.once('pinned-gpu-pods', () =>
    PINNED_KINDS.flatMap((kind) => graph.ofKind(kind)).flatMap((object) => {
      const spec = podSpecOf(object.manifest);
      const pinned = spec && pinnedHost(spec);
      const gpusPerPod = graph.gpusOf(object);
      const pods = runningPods(object.manifest);
      return pinned && gpusPerPod > 0 && pods > 0 ? [{ object, ...pinned, pods, gpusPerPod }] : [];
    }),
  );
}
