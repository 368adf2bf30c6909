import { holdsLabels, Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { GpuInstanceType } from '../../catalog/instance-type';
import { AMD_GPU_RESOURCE, GPU_RESOURCE, INSTANCE_TYPE_LABEL } from '../../k8s/keys';
import { shownTaint, Taint, tolerates } from '../taints';
import { machineSetNodes } from '../machine-set-nodes';
import { StatedTaint, statedTaints } from '../stated-taints';
import { Problem, Rule } from '../rule';

/** Extended resources of GPU and accelerator device plugins (NVIDIA incl. MIG slices, AMD, Intel, Habana). */
const ACCELERATOR_RESOURCE = /^(nvidia\.com\/(gpu|mig-.+)|amd\.com\/gpu|gpu\.intel\.com\/.+|habana\.ai\/gaudi)$/;

/** What a profile asks for and adds to the pods of the workbenches and models that use it. */
interface ProfileScheduling {
  readonly accelerators: readonly string[];
  readonly tolerations: readonly Loose[];
  readonly nodeSelector: Record<string, string>;
}

/**
 * A HardwareProfile's accelerator identifiers and the node scheduling it injects (infrastructure.opendatahub.io v1
 * and v1alpha1 spec.identifiers, spec.scheduling.node; dashboard.opendatahub.io/v1alpha1 spec.tolerations and spec.nodeSelector), or an AcceleratorProfile's identifier and tolerations
 * (dashboard.opendatahub.io/v1); undefined for a profile that schedules through a Kueue queue (the flavor's
 * tolerations apply then) or asks for no accelerator.
 */
function schedulingOf(m: Loose): ProfileScheduling | undefined {
  const spec = mapping(m.spec);
  if (m.kind === 'AcceleratorProfile') {
    const identifier = text(spec.identifier);
    return identifier && ACCELERATOR_RESOURCE.test(identifier)
      ? { accelerators: [identifier], tolerations: mappings(spec.tolerations), nodeSelector: {} }
      : undefined;
  }
  const scheduling = mapping(spec.scheduling);
  if (scheduling.type === 'Queue' || scheduling.kueue !== undefined) return undefined;
  const accelerators = mappings(spec.identifiers)
    .filter((i) => i.resourceType === 'Accelerator' || ACCELERATOR_RESOURCE.test(text(i.identifier) ?? ''))
    .flatMap((i) => (text(i.identifier) ? [text(i.identifier)!] : []));
  if (!accelerators.length) return undefined;
  // the dashboard's own HardwareProfile of OpenShift AI 2.x (dashboard.opendatahub.io/v1alpha1) holds its tolerations
  // and node selector at spec's top level (odh-dashboard HardwareProfileKind), not under scheduling.node
  const node = String(m.apiVersion ?? '').startsWith('dashboard.opendatahub.io/') ? spec : mapping(scheduling.node);
  return { accelerators, tolerations: mappings(node.tolerations), nodeSelector: stringMap(node.nodeSelector) };
}

/**
 * The MachineSets of the tree whose nodes the profile's pods may run on: those its node selector picks, and of those
 * the GPU ones (tainted with the accelerator's resource name, or of a GPU instance type the catalogue knows).
 */
function gpuMachineSets(graph: Parameters<Rule['check']>[1]['graph'], p: ProfileScheduling): { name: string; taints: Taint[] }[] {
  return machineSetNodes(graph).filter(
    (ms) =>
      holdsLabels(ms.labels, p.nodeSelector) &&
      (ms.taints.some((t) => p.accelerators.includes(t.key)) || GpuInstanceType.tryFind(ms.labels[INSTANCE_TYPE_LABEL] ?? '') !== undefined),
  );
}

/** A taint key that marks accelerator nodes: a device plugin's resource name, or a key naming a GPU or accelerator (`gpu`, `nvidia.com/gpu.present`). */
const ACCELERATOR_TAINT_KEY = /gpu|accelerator|nvidia|amd\.com|habana|gaudi|neuron/i;

/**
 * The taints the tree states (on MachineSets not known as GPU ones, Karpenter NodePools, eksctl node groups, Kueue
 * flavors, `oc adm taint nodes` in its scripts) that mark accelerator nodes and that the profile does not tolerate.
 * The NVIDIA GPU Operator taints no node itself: a GPU node is tainted only where a user or a node template says so.
 */
function untoleratedStated(graph: Parameters<Rule['check']>[1]['graph'], p: ProfileScheduling): StatedTaint[] {
  return statedTaints(graph).filter(
    ({ taint }) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      (p.accelerators.includes(taint.key) || ACCELERATOR_TAINT_KEY.test(taint.key)) &&
      !p.tolerations.some((x) => tolerates(x, taint)),
  );
}

/** The finding where the tree holds no GPU MachineSet: a warning where it taints GPU nodes elsewhere, else a note. */
function withoutMachineSets(graph: Parameters<Rule['check']>[1]['graph'], p: ProfileScheduling, asks: string): Problem[] {
  const stated = untoleratedStated(graph, p);
  if (stated.length) {
    const where = stated.map((s) => `${s.where} (${shownTaint(s.taint)})`).join(', ');
    return [untolerated(asks, `the tree taints its GPU nodes in ${where}, so`, stated[0].taint, 'warning')];
  }
  if (p.tolerations.length) return [];
  const common: Taint = { key: p.accelerators[0].startsWith('amd.com/') ? AMD_GPU_RESOURCE : GPU_RESOURCE, effect: 'NoSchedule' };
  return [
    {
      severity: 'info',
      message:
        `the profile ${asks} and gives no toleration; the tree shows no taint on GPU nodes (no GPU MachineSet, NodePool, node group or taint command), and the GPU operator taints none itself; ` +
        `if this cluster's GPU nodes are tainted (${shownTaint(common)} is a common choice), the pods stay Pending until the profile tolerates it: add spec.scheduling {type: Node, node: {tolerations: [{key: ${common.key}, operator: Exists, effect: NoSchedule}]}} (an AcceleratorProfile or a dashboard.opendatahub.io HardwareProfile: spec.tolerations)`,
    },
  ];
}

export const hardwareProfileUntolerated: Rule = {
  id: 'hardware-profile-untolerated',
  title:
    "a hardware or accelerator profile asks for GPUs but gives no toleration of the GPU nodes' taint: the pods of every workbench and model using it stay Pending",
  severity: 'error',
  appliesTo: ['HardwareProfile', 'AcceleratorProfile'],
  premise:
    "a HardwareProfile whose identifiers ask for an accelerator (resourceType Accelerator, or nvidia.com/gpu, amd.com/gpu and the like) and that schedules by node (no scheduling, or type Node; a Queue profile gets its Kueue flavor's tolerations), or an AcceleratorProfile of such an identifier (the dashboard's HardwareProfile of OpenShift AI 2.x, dashboard.opendatahub.io/v1alpha1, holds its tolerations and nodeSelector at spec's top level), whose tolerations do not tolerate the NoSchedule/NoExecute taints of the tree's GPU nodes: an error when every GPU MachineSet of the tree its nodeSelector picks (tainted with the accelerator's resource name, or of a GPU instance type) carries a taint it misses; " +
    "where the tree holds no GPU MachineSet, a warning when the tree taints accelerator nodes elsewhere (a Karpenter NodePool's or an eksctl node group's taints, a Kueue ResourceFlavor's nodeTaints, an `oc adm taint nodes` of its scripts, with a GPU or accelerator key) and the profile does not tolerate it, else a note when the profile gives no toleration at all (the NVIDIA GPU operator taints no node itself: GPU nodes are tainted only where an administrator or a node template says so, which the tree does not show); " +
    "nothing when a GPU MachineSet of the tree has no taint the profile misses, or the profile is disabled (opendatahub.io/disabled: 'true')",
  example:
    'a HardwareProfile with identifier `nvidia.com/gpu` of resourceType `Accelerator` and no scheduling, beside a MachineSet whose nodes carry `key: nvidia.com/gpu` with `effect: NoSchedule`',
  fix: 'add the toleration to the profile: spec.scheduling {type: Node, node: {tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]}} (an AcceleratorProfile: spec.tolerations)',
  source:
    'OpenShift AI docs "Working with hardware profiles": the profile\'s node tolerations and node selector are added to the workbench and model server pods, which get no other toleration; NVIDIA GPU Operator: its node feature discovery and device plugin label GPU nodes and advertise nvidia.com/gpu but add no taint (nodes are tainted by MachineSet spec.template.spec.taints, a Karpenter NodePool spec.template.spec.taints or by hand); kube-scheduler TaintToleration: "node(s) had untolerated taint"',
  check(o, { graph }) {
    if (stringMap(mapping(o.manifest.metadata).annotations)['opendatahub.io/disabled'] === 'true' || mapping(o.manifest.spec).enabled === false) return [];
    const p = schedulingOf(o.manifest);
    if (!p) return [];
    const machineSets = gpuMachineSets(graph, p);
    const blocked = machineSets.map((ms) => ({ ...ms, untolerated: ms.taints.filter((t) => !p.tolerations.some((x) => tolerates(x, t))) }));
    if (blocked.some((ms) => !ms.untolerated.length)) return [];
    const asks = `asks for ${p.accelerators.join(', ')}`;
    if (!blocked.length) return withoutMachineSets(graph, p, asks);
    const where = blocked.map((ms) => `MachineSet ${ms.name} (tainted ${ms.untolerated.map(shownTaint).join(', ')})`).join(', ');
    return [untolerated(asks, `the tree's GPU nodes are those of ${where}, so`, blocked[0].untolerated[0])];
  },
};

function untolerated(asks: string, context: string, taint: Taint, severity?: 'warning'): Problem {
  return {
    ...(severity ? { severity } : {}),
    message:
      `the profile ${asks} but its scheduling tolerates no ${shownTaint(taint)}: ${context} the pods of every workbench and model server using the profile stay Pending ("node(s) had untolerated taint"); ` +
      `add spec.scheduling {type: Node, node: {tolerations: [{key: ${taint.key}, operator: Exists, effect: ${taint.effect}}]}} (an AcceleratorProfile or a dashboard.opendatahub.io HardwareProfile: spec.tolerations)`,
  };
}
