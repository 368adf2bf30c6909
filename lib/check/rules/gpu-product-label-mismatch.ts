import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { GFD_PRODUCT_LABEL, gfdProductCorrection } from '../../catalog/gpu-labels';
import { podSpecOf } from '../pods';
import { podTemplatesOf } from '../pod-templates';
import { machineSetNodes } from '../machine-set-nodes';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Rule } from '../rule';

/** Where an object asks for nodes by label: a ResourceFlavor's nodeLabels, a pod spec's or pod template's nodeSelector. */
function selectedLabels(m: Loose): { where: string; labels: Record<string, string> }[] {
  if (m.kind === 'ResourceFlavor' && (text(m.apiVersion) ?? '').startsWith('kueue.x-k8s.io/'))
    return [{ where: 'spec.nodeLabels', labels: stringMap(mapping(m.spec).nodeLabels) }];
  const own = podSpecOf(m);
  return [
    ...(own ? [{ where: "the pod's nodeSelector", labels: stringMap(own.nodeSelector) }] : []),
    ...podTemplatesOf(m).map((t) => ({ where: `${t.path}.spec.nodeSelector`, labels: stringMap(mapping(t.template.spec).nodeSelector) })),
  ];
}

/** Whether the tree gives nodes that product label itself: a MachineSet's node labels, or a NodeFeatureRule naming the value. */
function labelledByTree(graph: ObjectGraph, value: string): boolean {
  if (machineSetNodes(graph).some((n) => n.labels[GFD_PRODUCT_LABEL] === value)) return true;
  return graph.ofKind('NodeFeatureRule').some((r) => JSON.stringify(r.manifest).includes(JSON.stringify(value)));
}

export const gpuProductLabelMismatch: Rule = {
  id: 'gpu-product-label-mismatch',
  title:
    'a node selector or ResourceFlavor asks for an nvidia.com/gpu.product value GPU Feature Discovery never sets (no NVIDIA- prefix, other case): no node matches',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "a ResourceFlavor's spec.nodeLabels or a pod spec's nodeSelector holds nvidia.com/gpu.product with a value that differs from the product GFD sets for a GPU of the catalog only by the NVIDIA- prefix or by case (`A100-SXM4-80GB` for NVIDIA-A100-SXM4-80GB, `nvidia-l4` for NVIDIA-L4; a -MIG-… or -SHARED suffix kept), or names without the prefix a GPU model released after driver R470 (H100, H200, H20, H800, GH200, L4, L40, L40S, L20, B200, GB200), whose NVML name always starts `NVIDIA `, in any other form (`H100-SXM4-80GB`: the values known for that model are named), and no MachineSet or NodeFeatureRule of the tree sets that value on nodes; a warning: drivers older than R470 named data-center GPUs without NVIDIA, and a node may be labelled by hand",
  example: 'a ResourceFlavor with nodeLabels `nvidia.com/gpu.product: A100-SXM4-80GB`',
  fix: 'write the value GFD sets (`oc get nodes -L nvidia.com/gpu.product` shows it), e.g. NVIDIA-A100-SXM4-80GB',
  source:
    "NVIDIA/k8s-device-plugin internal/lm (GFD's resource labeler: nvidia.com/gpu.product is the NVML device name with spaces replaced by '-', `-SHARED` appended when shared, `-MIG-<profile>` for MIG); NVML names data-center GPUs `NVIDIA <model>` from driver R470 on; Kubernetes label selectors compare values exactly; the catalog's products (lib/catalog/data/gpus.json) and the exact public GFD labels NVIDIA's Dynamo operator lists (ai-dynamo/dynamo deploy/operator webhook validation powerRanges: NVIDIA-H100-PCIe, NVIDIA-H100-80GB-HBM3, NVIDIA-H200, NVIDIA-B200, NVIDIA-GH200-480GB, NVIDIA-L40S, Tesla-T4, …)",
  check(o, { graph }) {
    return selectedLabels(o.manifest).flatMap(({ where, labels }) => {
      const value = labels[GFD_PRODUCT_LABEL];
      const rights = value === undefined ? undefined : gfdProductCorrection(value);
      if (!rights || labelledByTree(graph, value)) return [];
      const right = rights.length === 1 ? `'${rights[0]}'` : `one of ${rights.map((r) => `'${r}'`).join(', ')} (by form factor and memory)`;
      const pods = o.manifest.kind === 'ResourceFlavor' ? 'pods admitted to this flavor get it as a nodeSelector and' : 'the pods';
      return [
        {
          message:
            `${where} asks for ${GFD_PRODUCT_LABEL}=${value}, which GPU Feature Discovery never sets: it labels that GPU ${right} (the NVML name with spaces as dashes, NVIDIA- included from driver R470 on; values compare exactly), ` +
            `so no GPU node matches and ${pods} stay Pending; write ${right}`,
        },
      ];
    });
  },
};
