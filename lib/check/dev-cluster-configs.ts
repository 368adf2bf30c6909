import { Loose, mapping, mappings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';

/** The cluster a local development tool's configuration file of the tree creates. */
export interface DevClusterConfig {
  /** The tool that reads the file: kind (`kind create cluster --config`) or k3d (`k3d cluster create --config`). */
  readonly tool: 'kind' | 'k3d';
  /** The file's id, for a message. */
  readonly id: string;
  /** The nodes pods can be scheduled on (no control-plane taint), when the file tells it. */
  readonly schedulable?: number;
}

/**
 * kind's nodes: none listed gives one control-plane node (kind pkg/apis/config/v1alpha4 default.go SetDefaultsCluster);
 * kubeadm taints control-plane nodes NoSchedule and kind removes the taint only when the cluster has one node
 * (kind pkg/cluster/internal/create/actions/kubeadminit init.go: `if len(allNodes) == 1`), so with workers only the
 * workers take pods. Several control-plane nodes and no worker: left unknown.
 */
function kindSchedulable(spec: Loose): number | undefined {
  const roles = mappings(spec.nodes).map((n) => text(n.role) ?? 'control-plane');
  if (roles.length <= 1) return 1;
  const workers = roles.filter((r) => r === 'worker').length;
  return workers > 0 ? workers : undefined;
}

/**
 * k3d's nodes: `servers` (default 1) and `agents` (default 0) of its Simple configuration (k3d-io/k3d pkg/config
 * v1alpha5 SimpleConfig); k3s servers run workloads unless tainted (k3s --node-taint), so a taint option leaves it unknown.
 */
function k3dSchedulable(spec: Loose): number | undefined {
  const count = (v: unknown, d: number) => (typeof v === 'number' ? v : v === undefined ? d : NaN);
  const total = count(spec.servers, 1) + count(spec.agents, 0);
  const tainted = JSON.stringify(mapping(spec.options)).includes('node-taint');
  return Number.isInteger(total) && !tainted ? total : undefined;
}

/** The kind (kind.x-k8s.io Cluster) and k3d (k3d.io Simple) configuration files of the tree: the clusters its objects go to. */
export function devClusterConfigs(graph: ObjectGraph): DevClusterConfig[] {
  return graph.objects.flatMap((o): DevClusterConfig[] => {
    const m = o.manifest;
    const group = (text(m.apiVersion) ?? '').split('/')[0];
    if (group === 'kind.x-k8s.io' && m.kind === 'Cluster') return [{ tool: 'kind', id: graph.id(o), schedulable: kindSchedulable(m) }];
    if (group === 'k3d.io' && m.kind === 'Simple') return [{ tool: 'k3d', id: graph.id(o), schedulable: k3dSchedulable(m) }];
    return [];
  });
}
