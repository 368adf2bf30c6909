import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Rule } from '../rule';
import { admittedValues, nodeSelectionOf } from '../node-selection';
import { MACHINE_ONLY_LABELS } from '../../k8s/keys';

export const nodeSelectorMachineLabel: Rule = {
  id: 'node-selector-machine-label',
  title: 'a workload selects nodes by a label the Machine API puts on Machines, not on Nodes: its pods never schedule',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'the pod nodeSelector, or every term of its required node affinity (In, Exists, Gt or Lt), requires a machine.openshift.io/cluster-api-* label: no Node carries it (a NotIn or DoesNotExist on it lets every Node through)',
  example: '`nodeSelector: {machine.openshift.io/cluster-api-machineset: ocp-gpu-l4-us-east-1a}`',
  fix: "select by a label of the MachineSet's spec.template.spec.metadata.labels (copied to its Nodes), or by node.kubernetes.io/instance-type",
  source: 'Machine API: spec.template.metadata.labels label the Machines; only spec.template.spec.metadata.labels are copied to the Node',
  scope: 'object',
  check(o) {
    const pod = podSpecOf(o.manifest);
    if (!pod) return [];
    // a label no Node carries keeps the pods off every node only where every node they may run on must carry it
    const selection = nodeSelectionOf(pod);
    const machine = [...MACHINE_ONLY_LABELS].filter((k) => admittedValues(selection, k).required).sort();
    if (!machine.length) return [];
    return [
      {
        message: `selects nodes by ${machine.join(', ')}, which the Machine API puts on Machines, not on Nodes: the pods stay Pending ("didn't match Pod's node affinity/selector"); select by a label of the MachineSet's spec.template.spec.metadata.labels, or by node.kubernetes.io/instance-type`,
      },
    ];
  },
};
