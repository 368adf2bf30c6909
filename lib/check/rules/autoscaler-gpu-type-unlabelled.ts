import { mapping, mappings, text } from '../../manifests/access';
import { ACCELERATOR_LABEL, knownMachineSets } from '../machine-set-nodes';
import { Rule } from '../rule';

/** A label value (k8s.io/apimachinery pkg/util/validation IsValidLabelValue): at most 63 characters, no `/`. */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const autoscalerGpuTypeUnlabelled: Rule = {
  id: 'autoscaler-gpu-type-unlabelled',
  title: "a ClusterAutoscaler's GPU limit names a type no MachineSet labels its nodes with: the limit counts no GPU",
  severity: 'warning',
  appliesTo: ['ClusterAutoscaler'],
  premise:
    "a ClusterAutoscaler's spec.resourceLimits.gpus[] type is the value of the cluster-api/accelerator label of the nodes whose GPUs it counts; judged only where the tree holds MachineAutoscalers and knows every MachineSet they scale (from its manifests, or a script that clones or labels it), and none of the MachineSets it knows carries that value: the entry then limits nothing (a resource name such as amd.com/gpu is no label value); silent where a MachineAutoscaler scales a MachineSet the tree does not show, since that one may carry the label",
  example: 'ClusterAutoscaler `default` with gpus type `amd.com/gpu` and MachineAutoscaler `gpu-l4` of MachineSet labelled `nvidia-l4`',
  fix: 'set the type to the cluster-api/accelerator value of the GPU MachineSets, or label the MachineSets meant with that value',
  source:
    'openshift/cluster-autoscaler-operator pkg/controller/clusterautoscaler/clusterautoscaler.go (ResourceArgs: each gpus entry becomes --gpu-total=<type>:<min>:<max>); kubernetes/autoscaler cluster-autoscaler cloudprovider/clusterapi (a node GPU type is its cluster-api/accelerator label) and core/scaleup/resource/manager.go (the GPUs of a type are counted over the nodes of that type); OpenShift docs "ClusterAutoscaler resource definition" (gpus type: the node label value of the GPU type)',
  check(o, { graph }) {
    const sets = knownMachineSets(graph);
    const targets = graph
      .ofKind('MachineAutoscaler')
      .map((ma) => mapping(mapping(ma.manifest.spec).scaleTargetRef))
      .filter((t) => t.kind === 'MachineSet')
      .map((t) => text(t.name) ?? '');
    // a MachineSet the tree does not show may carry any label
    if (targets.length === 0 || targets.some((t) => !sets.has(t))) return [];
    const carried = [...new Set([...sets.values()].map((l) => l[ACCELERATOR_LABEL]).filter((v): v is string => !!v))].sort();
    return mappings(mapping(mapping(o.manifest.spec).resourceLimits).gpus).flatMap((g) => {
      const type = text(g.type);
      if (!type || carried.includes(type)) return [];
      const known = carried.length ? `they carry ${carried.join(', ')}` : `none carries the label`;
      // a resource name such as amd.com/gpu can be no node's label value: only renaming the type helps
      const fix = LABEL_VALUE.test(type)
        ? `set the type to the label value of the GPU MachineSets, or label the MachineSet meant ${ACCELERATOR_LABEL}=${type}`
        : `${type} can be no label value (a resource name, not a GPU type); set the type to the label value of the GPU MachineSets`;
      return [
        {
          message:
            `spec.resourceLimits.gpus type ${type} is the value of no ${ACCELERATOR_LABEL} label of the MachineSets the tree and its scripts make (${known}): ` +
            `the cluster autoscaler counts the GPUs of a type over the nodes labelled with it, so this entry limits nothing; ` +
            fix,
        },
      ];
    });
  },
};
