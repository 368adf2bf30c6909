import { mapping, stringMap, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { declaredGpus, HOSTNAME_LABEL, pinnedGpuPods } from '../pinned-node-gpus';
import { Problem, Rule } from '../rule';

export const pinnedNodeGpusOversubscribed: Rule = {
  id: 'pinned-node-gpus-oversubscribed',
  title: 'the workloads pinned to one node (kubernetes.io/hostname, nodeName) request more nvidia.com/gpu than the tree says the node has: some stay Pending',
  severity: 'error',
  appliesTo: ['Node'],
  premise:
    "a Node of the tree whose nvidia.com/gpu the tree states: its status.allocatable (else capacity), or GPU feature discovery's nvidia.com/gpu.count label times nvidia.com/gpu.replicas, or times the time-slicing replicas of the tree's device-plugin config (a ConfigMap holding `version: v1` with sharing.timeSlicing; the one the node's nvidia.com/device-plugin.config label names, or every config when they agree; not judged when the config renames the resource or the configs differ); " +
    'and the running workloads of the tree (Pods, Deployments, StatefulSets, ReplicaSets, Rollouts, DeploymentConfigs, and InferenceServices by the minReplicas of their predictor, not the maxReplicas load may never reach: not Jobs, which may run at other times; not those scaled to zero) pinned to that node (spec.nodeName, the kubernetes.io/hostname node selector, or a required node affinity whose every term names that one host) request more nvidia.com/gpu in all (pods × GPUs per pod) than it has. Without a stated count nothing is judged',
  example: 'a Node `nvidia.com/gpu.count: "1"` and two Deployments with `kubernetes.io/hostname: gpu-node-1`, each requesting `nvidia.com/gpu: 1`',
  fix: 'lower the GPU requests or replicas, pin a workload to another node, or share the GPU (device-plugin time-slicing with replicas)',
  source:
    'kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/fit.go (a pod fits a node only where its extended resource request fits the allocatable left: "Insufficient nvidia.com/gpu"), ' +
    'kserve/kserve pkg/apis/serving/v1beta1/component.go (ComponentExtensionSpec minReplicas, default 1; the nodeSelector of the predictor is that of its pod); nodename and nodeaffinity plugins (a pod pinned by nodeName or the hostname label has no other node); NVIDIA/k8s-device-plugin README (time-slicing: replicas advertised per GPU, renameByDefault and rename give another resource name) and GPU feature discovery labels (nvidia.com/gpu.count, nvidia.com/gpu.replicas)',
  check(o, { graph }) {
    const node = o.manifest;
    const name = text(mapping(node.metadata).name);
    const hostname = stringMap(mapping(node.metadata).labels)[HOSTNAME_LABEL] ?? name;
    const declared = declaredGpus(node, graph);
    if (!declared || !name) return [];
    const pinned = pinnedGpuPods(graph).filter((p) => p.host === name || p.host === hostname);
    const total = pinned.reduce((sum, p) => sum + p.pods * p.gpusPerPod, 0);
    if (total <= declared.gpus) return [];
    const each = pinned.map((p) => `${graph.id(p.object)} (${p.by}: ${p.pods} pod${p.pods > 1 ? 's' : ''} × ${p.gpusPerPod})`).join(', ');
    const problem: Problem = {
      failsIn: pinned.map((p) => p.object),
      message:
        `the node offers ${declared.gpus} ${GPU_RESOURCE} (${declared.how}), but the workloads pinned to it request ${total}: ${each}; ` +
        `the scheduler binds pods to the node while its GPUs last, and the rest stay Pending (Insufficient ${GPU_RESOURCE}), with no other node to go to; ` +
        'lower the requests or replicas, pin a workload to another node, or share the GPU (device-plugin time-slicing replicas)',
    };
    return [problem];
  },
};
