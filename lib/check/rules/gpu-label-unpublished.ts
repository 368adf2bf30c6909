import { mapping, text } from '../../manifests/access';
import { chartReleases } from '../chart-releases';
import { ObjectGraph } from '../graph';
import { admittedValues, nodeSelectionOf } from '../node-selection';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Rule } from '../rule';

/**
 * Node labels of NVIDIA GPUs by who publishes them. GPU Feature Discovery (NVIDIA/k8s-device-plugin internal/lm:
 * nvidia.com/gpu.product, gpu.memory, gpu.count, gpu.family, gpu.machine, gpu.compute.*, gpu.replicas, cuda.*, mig.*)
 * runs in the GPU operator (its gfd operand, on by default), as its own chart, or in the nvidia-device-plugin chart
 * where gfd.enabled is true (deployments/helm/nvidia-device-plugin values.yaml: gfd.enabled false; Chart.yaml: the
 * node-feature-discovery dependency's condition nfd.enabled,gfd.enabled). nvidia.com/gpu.present and
 * nvidia.com/gpu.deploy.* are the GPU operator's own (NVIDIA/gpu-operator controllers/state_manager.go labels GPU nodes).
 */
const PUBLISHERS: readonly { prefix: RegExp; publisher: string }[] = [
  { prefix: /^nvidia\.com\/gpu\.(present$|deploy\.)/, publisher: 'the NVIDIA GPU operator' },
  {
    prefix: /^nvidia\.com\/(gpu\.|cuda\.|mig\.)/,
    publisher: 'GPU Feature Discovery (the GPU operator, its own chart, or the device-plugin chart with gfd.enabled: true)',
  },
];

/** The device-plugin chart of NVIDIA (deployments/helm/nvidia-device-plugin, Chart.yaml name nvidia-device-plugin). */
const DEVICE_PLUGIN_CHART = 'nvidia-device-plugin';

/**
 * Whether the tree's GPU software is NVIDIA's device-plugin chart alone, with GFD off (gfd.enabled not true, its
 * values all inline): no GPU operator (its chart, ClusterPolicy or OLM Subscription), no GFD chart or DaemonSet.
 */
function pluginAloneWithoutGfd(graph: ObjectGraph): string | undefined {
  return graph.once('gpu-label-publishers', () => {
    const releases = chartReleases(graph);
    const plugins = releases.filter((r) => r.chart === DEVICE_PLUGIN_CHART);
    if (!plugins.length || plugins.some((r) => r.valuesElsewhere || mapping(r.values.gfd).enabled === true)) return undefined;
    if (releases.some((r) => /(^|\/)(gpu-operator|gpu-feature-discovery|node-feature-discovery)$/.test(r.chart))) return undefined;
    if (graph.ofKind('ClusterPolicy').some((o) => String(o.manifest.apiVersion ?? '').startsWith('nvidia.com/'))) return undefined;
    if (graph.ofKind('Subscription').some((o) => /gpu-operator/.test(text(mapping(o.manifest.spec).name) ?? ''))) return undefined;
    if (graph.objects.some((o) => o.manifest.kind === 'DaemonSet' && /gpu-feature-discovery/.test(JSON.stringify(o.manifest)))) return undefined;
    const p = plugins[0];
    return `${String(p.object.manifest.kind)}/${text(mapping(p.object.manifest.metadata).namespace) ?? ''}/${text(mapping(p.object.manifest.metadata).name) ?? ''}`;
  });
}

/** Whether an object of the tree other than a workload names the label (a Node, a MachineSet or node pool, a NodeFeatureRule). */
function labelledByTree(graph: ObjectGraph, key: string): boolean {
  return graph.objects.some((o) => !podSpecOf(o.manifest) && JSON.stringify(o.manifest).includes(JSON.stringify(key)));
}

export const gpuLabelUnpublished: Rule = {
  id: 'gpu-label-unpublished',
  title:
    'a workload requires an NVIDIA GPU node label that nothing of the tree publishes (GFD off in the device-plugin chart, no GPU operator): its pods stay Pending',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "the pod's nodeSelector, or every term of its required node affinity, requires a label GPU Feature Discovery publishes (nvidia.com/gpu.product, gpu.memory, gpu.count, gpu.family, gpu.compute.*, cuda.*, mig.*) or the GPU operator's own (nvidia.com/gpu.present, gpu.deploy.*), and the tree's only NVIDIA GPU software is the nvidia-device-plugin chart (a Flux HelmRelease or Argo CD Application, values inline) with gfd.enabled not true (its default false): no GPU operator (chart, ClusterPolicy, OLM Subscription), no gpu-feature-discovery or node-feature-discovery chart or GFD DaemonSet, and no other object of the tree names the label (a Node, MachineSet, node pool or NodeFeatureRule); a warning: a node may be labelled by hand or by software outside the tree",
  example: 'a Deployment with `nodeSelector: {nvidia.com/gpu.product: NVIDIA-L4}` beside an nvidia-device-plugin HelmRelease whose values leave `gfd:` off',
  fix: 'turn GFD on in the device-plugin chart (values gfd.enabled: true, which also installs node-feature-discovery), or select nodes by a label they carry (one set on the node pool or by hand, with the command in the tree)',
  source:
    'NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin values.yaml (gfd.enabled: false) and Chart.yaml (the node-feature-discovery dependency, condition nfd.enabled,gfd.enabled), internal/lm (the labels GFD sets); NVIDIA/gpu-operator controllers/state_manager.go (nvidia.com/gpu.present, nvidia.com/gpu.deploy.* set by the operator); the scheduler places a pod only on a node whose labels meet its nodeSelector and required affinity (NodeAffinity)',
  scope: 'graph',
  check(o, { graph }) {
    const pod = podSpecOf(o.manifest);
    if (!pod) return [];
    const selection = nodeSelectionOf(pod);
    const keys = [...new Set([...Object.keys(selection.nodeSelector), ...(selection.terms ?? []).flatMap((t) => t.expressions.map((e) => e.key))])];
    const unpublished = keys
      .filter((k) => PUBLISHERS.some((p) => p.prefix.test(k)) && admittedValues(selection, k).required)
      .sort()
      .filter((k) => !labelledByTree(graph, k));
    if (!unpublished.length) return [];
    const plugin = pluginAloneWithoutGfd(graph);
    if (!plugin) return [];
    const publisher = PUBLISHERS.find((p) => p.prefix.test(unpublished[0]))!.publisher;
    return [
      {
        message:
          `requires the node label ${unpublished.join(', ')}, which only ${publisher} publishes; the tree's NVIDIA GPU software is ${plugin} (the nvidia-device-plugin chart) with gfd.enabled not set true, and nothing else of the tree labels nodes with it: ` +
          "no node carries the label, so the pods stay Pending (\"didn't match Pod's node affinity/selector\"); set gfd.enabled: true in the chart's values, or select by a label the nodes carry",
      },
    ];
  },
};
