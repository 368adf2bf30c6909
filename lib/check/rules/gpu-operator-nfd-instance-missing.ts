import { Loose, mapping, text } from '../../manifests/access';
import { madeByScriptNote, repositoryObjectsOf } from '../found-elsewhere';
import { locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';

/** The OLM packages of the NVIDIA GPU operator and of OpenShift's Node Feature Discovery operator (lib/platform/operator-apis.ts). */
const GPU_OPERATOR_PACKAGE = 'gpu-operator-certified';
const NFD_OPERATOR_PACKAGE = 'nfd';
/**
 * The NFD label vendor 10de (NVIDIA) the GPU operator takes for a GPU node (NVIDIA/gpu-operator v26.3.0
 * controllers/state_manager.go gpuNodeLabels: pci-10de, pci-0302_10de and pci-0300_10de .present = "true").
 */
const NVIDIA_PCI_LABEL = 'feature.node.kubernetes.io/pci-10de.present';
const NVIDIA_PCI_MARK = /pci-(?:030[02]_)?10de/;
/** The NodeFeatureDiscovery to add, as a message shows it (OpenShift docs "Creating a NodeFeatureDiscovery CR"). */
const INSTANCE_EXAMPLE =
  '{apiVersion: nfd.openshift.io/v1, kind: NodeFeatureDiscovery, metadata: {name: nfd-instance, namespace: openshift-nfd}, spec: {operand: {}}}';

function isSubscriptionTo(m: Loose, pkg: string): boolean {
  return m.kind === 'Subscription' && (text(m.apiVersion) ?? '').startsWith('operators.coreos.com/') && text(mapping(m.spec).name) === pkg;
}

/** Whether a manifest installs or configures the NVIDIA GPU operator: its ClusterPolicy, or its OLM Subscription. */
function isGpuOperator(m: Loose): boolean {
  return (m.kind === 'ClusterPolicy' && (text(m.apiVersion) ?? '').startsWith('nvidia.com/')) || isSubscriptionTo(m, GPU_OPERATOR_PACKAGE);
}

/**
 * Whether anything the tree or its repository holds gives nodes the NVIDIA PCI label: an NFD instance (NodeFeatureDiscovery
 * of any group: its nfd-worker labels PCI vendors by default) of the tree, a heredoc of its scripts or a manifest of the
 * repository, a manifest naming the label (a NodeFeatureRule, a MachineSet setting it by hand), or a Helm release of
 * NFD or of the GPU operator's chart (which deploys NFD unless told not to).
 */
function nodesLabelled(graph: ObjectGraph): boolean {
  const manifests = [
    ...graph.objects.map((o) => o.manifest),
    ...graph.scriptCreated.flatMap((c) => (c.manifest ? [c.manifest] : [])),
    ...repositoryObjectsOf(graph).map((o) => o.manifest),
  ];
  if (manifests.some((m) => m.kind === 'NodeFeatureDiscovery' || (m.kind !== 'ClusterPolicy' && NVIDIA_PCI_MARK.test(JSON.stringify(m))))) return true;
  return graph.helmCommands.some((h) => h.positionals.some((p) => /node-feature-discovery|gpu-operator/.test(p)));
}

/** The nfd Subscription: the tree's own, else one a manifest of its repository outside the checked folder holds (with its file). */
function nfdSubscription(graph: ObjectGraph): { inTree: boolean; where: string } | undefined {
  const own = graph.ofKind('Subscription').find((s) => isSubscriptionTo(s.manifest, NFD_OPERATOR_PACKAGE));
  if (own) return { inTree: true, where: `Subscription '${text(mapping(own.manifest.metadata).name)}'${locationOf(own) ? ` (${locationOf(own)})` : ''}` };
  const made = repositoryObjectsOf(graph).find((o) => isSubscriptionTo(o.manifest, NFD_OPERATOR_PACKAGE));
  return made && { inTree: false, where: `Subscription '${made.name}' (${made.file}:${made.line}, outside the checked folder)` };
}

export const gpuOperatorNfdInstanceMissing: Rule = {
  id: 'gpu-operator-nfd-instance-missing',
  title:
    'the NVIDIA GPU operator is installed on OpenShift with the Node Feature Discovery operator but no NodeFeatureDiscovery instance: no node gets the NFD label the GPU operator finds GPU nodes by, so no driver or device plugin runs',
  severity: 'warning',
  appliesTo: ['ClusterPolicy', 'Subscription'],
  premise:
    "the tree installs or configures the NVIDIA GPU operator (a nvidia.com ClusterPolicy, or a gpu-operator-certified Subscription) and the tree or a manifest of its git repository subscribes OpenShift's NFD operator (package nfd), and neither the tree, its scripts nor the repository's manifests hold a NodeFeatureDiscovery, a manifest naming the NVIDIA PCI label (feature.node.kubernetes.io/pci-10de.present: a NodeFeatureRule, a MachineSet setting it) or a Helm release of NFD or of the GPU operator chart. " +
    'A script that applies one it computes makes it: a jq or yq filter selecting `.kind == "NodeFeatureDiscovery"`, or a read of the NFD operator\'s ClusterServiceVersion alm-examples (a command naming nfd or openshift-nfd) with a filter selecting no kind (`.[0]`: its first example is the instance), piped or echoed into `oc apply -f -` or expanded in an unquoted heredoc it applies; ' +
    'silent where a script of the checked folder does, a note naming the file where a script, CI workflow or guide of the repository outside it does. ' +
    "Otherwise a warning, never an error: the operator's behaviour is certain, but the instance is commonly made by hand (OpenShift's documented path is the console's Create NodeFeatureDiscovery) or from another repository, which the tree cannot show; " +
    "a tree without the nfd Subscription is not judged (on upstream Kubernetes the GPU operator's Helm chart deploys its own NFD)",
  example: 'ClusterPolicy `gpu-cluster-policy` and Subscription `nfd` with no NodeFeatureDiscovery',
  fix: `add a NodeFeatureDiscovery instance for the NFD operator, e.g. ${INSTANCE_EXAMPLE}`,
  source:
    'OLM: the metadata.annotations alm-examples of a ClusterServiceVersion holds example instances of its owned CRDs (operator-framework/api), the NFD operator\'s a NodeFeatureDiscovery nfd-instance first (openshift/cluster-nfd-operator bundle/manifests nfd.clusterserviceversion.yaml); NVIDIA/gpu-operator v26.3.0 controllers/state_manager.go (gpuNodeLabels: feature.node.kubernetes.io/pci-10de.present; labelGPUNodes sets nvidia.com/gpu.present only on nodes with it, and resets a hand-set one to false without it) and controllers/clusterpolicy_controller.go ("NFD labels missing in the cluster, GPU nodes cannot be discovered"); openshift/cluster-nfd-operator (the operator deploys nfd-master/nfd-worker only for a NodeFeatureDiscovery); NVIDIA docs "Installing the NVIDIA GPU Operator on OpenShift" (install the NFD operator, then create a NodeFeatureDiscovery instance), and OpenShift docs "Creating a NodeFeatureDiscovery CR by using the web console" (the instance made by hand)',
  check(o, { graph }) {
    if (!isGpuOperator(o.manifest)) return [];
    // one finding per tree, on its first ClusterPolicy or GPU operator Subscription
    if (graph.objects.find((x) => isGpuOperator(x.manifest)) !== o) return [];
    const nfd = nfdSubscription(graph);
    if (!nfd || nodesLabelled(graph)) return [];
    const consequence =
      `the NFD operator deploys nfd-master and nfd-worker only for one, so no node gets ${NVIDIA_PCI_LABEL}; the GPU operator takes only nodes with that label for GPU nodes ` +
      '(it resets a hand-set nvidia.com/gpu.present to false), so no driver, container toolkit or device plugin runs and no pod gets nvidia.com/gpu';
    // a script makes it: the tree's own runs with it; one elsewhere in the repository is named
    const scripted = graph.scriptCreated.filter((c) => c.kind === 'NodeFeatureDiscovery');
    if (scripted.some((c) => !c.outside)) return [];
    if (scripted.length) return [madeByScriptNote('the NodeFeatureDiscovery instance', 'NodeFeatureDiscovery', scripted[0], consequence)];
    return [
      {
        message:
          `the NVIDIA GPU operator is installed here and ${nfd.where} installs the Node Feature Discovery operator, but no NodeFeatureDiscovery instance is defined in the tree${nfd.inTree ? ' or its scripts' : ', its scripts or the repository'}; ` +
          `unless one is made by hand (the console's Create NodeFeatureDiscovery) or elsewhere, ${consequence}; add ${INSTANCE_EXAMPLE}`,
      },
    ];
  },
};
