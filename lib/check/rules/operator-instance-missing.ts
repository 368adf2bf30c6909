import { Loose, mapping, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { jobAppliedFiles } from '../job-applied-files';
import { Rule } from '../rule';
import { KUEUE_GROUP } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { inSkippedFolder, workTreeFiles, workTreeRoot } from '../../manifests/work-tree';
import { KUEUE_INSTANCE_GROUPS, KUEUE_INSTANCE_NAME } from '../kueue-operator-install';
import { kueueComponentStates } from '../operator-kueue';

/** An OLM-installed operator that deploys nothing until its own custom resource exists. */
interface OperatorInstance {
  /** The OLM packages (Subscription spec.name) that install it. */
  readonly packages: readonly string[];
  readonly operator: string;
  /** The custom resource it reconciles: kind, API groups, and the one name it reads when it reads only one. */
  readonly kind: string;
  readonly groups: readonly string[];
  readonly name?: string;
  /** The custom resource to add, as a message shows it. */
  readonly example: string;
  /** A tree where another rule already says it (a finding per cause), or where something else makes the instance. */
  readonly elsewhere?: (graph: ObjectGraph) => boolean;
  /** The first major release of the operator that needs the instance (earlier ones deployed their operands otherwise). */
  readonly sinceMajor?: number;
}

/** A catalog image OpenShift AI or Open Data Hub builds of its own operator (quay.io/modh/qe-catalog-source, …/opendatahub-operator-catalog): its tag is the operator's release, not OpenShift's. */
const OWN_CATALOG_IMAGE = /^(?:quay\.io\/modh|registry\.redhat\.io\/rhoai|quay\.io\/opendatahub)\/[^:@]*(?:catalog|index)[^:@]*:v?(\d+)\.\d+/;

/**
 * The major release of the operator a Subscription installs, where the tree says it: its startingCSV
 * (`rhods-operator.1.15.0`), a channel naming a release (`stable-2.8`, `eus-2.x`), or the image tag of a CatalogSource of
 * the tree it subscribes from that the operator's own project builds (`quay.io/modh/qe-catalog-source:v1.15.0-10`).
 */
function majorOf(graph: ObjectGraph, m: Loose): { major: number; says: string } | undefined {
  const spec = mapping(m.spec);
  const pkg = text(spec.name) ?? '';
  const csv = text(spec.startingCSV) ?? '';
  const fromCsv = csv.startsWith(`${pkg}.`) ? /^v?(\d+)\./.exec(csv.slice(pkg.length + 1)) : null;
  if (fromCsv) return { major: Number(fromCsv[1]), says: `startingCSV ${csv}` };
  const channel = /-(\d+)\.(?:\d+|x)$/.exec(text(spec.channel) ?? '');
  if (channel) return { major: Number(channel[1]), says: `channel ${text(spec.channel)}` };
  const catalog = graph.find('CatalogSource', text(spec.source), text(spec.sourceNamespace) ?? graph.namespaceOf(m));
  const image = text(mapping(catalog?.manifest.spec).image) ?? '';
  const tagged = OWN_CATALOG_IMAGE.exec(image);
  return tagged ? { major: Number(tagged[1]), says: `CatalogSource '${text(spec.source)}' image ${image}` } : undefined;
}

const hasKueueQueues = (graph: ObjectGraph) => graph.objects.some((o) => apiGroupOf(text(o.manifest.apiVersion) ?? '') === KUEUE_GROUP);
const configuresGpuOperator = (graph: ObjectGraph) =>
  graph.objects.some(
    (o) => o.manifest.kind === 'ClusterPolicy' || (o.manifest.kind === 'Subscription' && text(mapping(o.manifest.spec).name) === 'gpu-operator-certified'),
  );

/**
 * The operators whose OLM install makes no instance (the CSV's alm-examples are only the console's samples):
 * - kueue-operator: openshift/kueue-operator pkg/operator/operatorclient/interfaces.go OperatorConfigName "cluster", the
 *   Kueue controller, webhooks and kueue.x-k8s.io CRDs come from reconciling that one Kueue (target_config_reconciler.go);
 *   kueue-instance-missing says it as an error where the tree declares queues; OpenShift AI makes it where its
 *   DataScienceCluster leaves kueue Unmanaged (opendatahub-operator components/kueue createKueueCR).
 * - gpu-operator-certified: NVIDIA/gpu-operator controllers/clusterpolicy_controller.go reconciles a ClusterPolicy; no
 *   driver, toolkit or device plugin without one (NVIDIA docs "Create the cluster policy" on OpenShift).
 * - nfd: openshift/cluster-nfd-operator deploys nfd-master/nfd-worker per NodeFeatureDiscovery; with the GPU operator
 *   gpu-operator-nfd-instance-missing says it.
 * - rhods-operator, opendatahub-operator: opendatahub-operator cmd/main.go makes the DSCInitialization by default but a
 *   DataScienceCluster only on managed OpenShift AI (platform ManagedRhoai: CreateDefaultDSC), so a self-managed
 *   install deploys no component (dashboard, KServe, …) until one is made.
 * - nvidia-network-operator: Mellanox/network-operator controllers/nicclusterpolicy_controller.go deploys its
 *   operands (OFED driver, RDMA device plugins) only for the NicClusterPolicy named nic-cluster-policy.
 */
const OPERATOR_INSTANCES: readonly OperatorInstance[] = [
  {
    packages: ['kueue-operator'],
    operator: 'the Red Hat build of Kueue operator',
    kind: 'Kueue',
    groups: KUEUE_INSTANCE_GROUPS,
    name: KUEUE_INSTANCE_NAME,
    example: `{apiVersion: kueue.openshift.io/v1, kind: Kueue, metadata: {name: ${KUEUE_INSTANCE_NAME}}, spec: {config: {integrations: {frameworks: [BatchJob]}}}}`,
    elsewhere: (graph) => hasKueueQueues(graph) || kueueComponentStates(graph).includes('Unmanaged'),
  },
  {
    packages: ['gpu-operator-certified'],
    operator: 'the NVIDIA GPU operator',
    kind: 'ClusterPolicy',
    groups: ['nvidia.com'],
    example:
      "{apiVersion: nvidia.com/v1, kind: ClusterPolicy, metadata: {name: gpu-cluster-policy}, spec: {…}} (the operator's sample in its CSV alm-examples)",
  },
  {
    packages: ['nfd'],
    operator: "OpenShift's Node Feature Discovery operator",
    kind: 'NodeFeatureDiscovery',
    groups: ['nfd.openshift.io', 'nfd.k8s-sigs.io'],
    example: '{apiVersion: nfd.openshift.io/v1, kind: NodeFeatureDiscovery, metadata: {name: nfd-instance, namespace: openshift-nfd}, spec: {operand: {}}}',
    elsewhere: configuresGpuOperator,
  },
  {
    packages: ['rhods-operator', 'opendatahub-operator'],
    operator: 'the OpenShift AI (Open Data Hub) operator',
    kind: 'DataScienceCluster',
    groups: ['datasciencecluster.opendatahub.io'],
    example: '{apiVersion: datasciencecluster.opendatahub.io/v1, kind: DataScienceCluster, metadata: {name: default-dsc}, spec: {components: {…}}}',
    sinceMajor: 2,
  },
  {
    packages: ['nvidia-network-operator'],
    operator: 'the NVIDIA network operator',
    kind: 'NicClusterPolicy',
    groups: ['mellanox.com'],
    name: 'nic-cluster-policy',
    example: '{apiVersion: mellanox.com/v1alpha1, kind: NicClusterPolicy, metadata: {name: nic-cluster-policy}, spec: {…}}',
  },
];

function entryOf(m: Loose): OperatorInstance | undefined {
  if (m.kind !== 'Subscription' || !(text(m.apiVersion) ?? '').startsWith('operators.coreos.com/')) return undefined;
  const pkg = text(mapping(m.spec).name) ?? '';
  return OPERATOR_INSTANCES.find((e) => e.packages.includes(pkg));
}

const isInstance = (e: OperatorInstance, m: Loose) => m.kind === e.kind && e.groups.includes((text(m.apiVersion) ?? '').split('/')[0]);

/** A Helm template of the repository (no manifest until rendered, so repositoryObjects skips it) that writes the kind. */
function templatedInRepository(graph: ObjectGraph, kind: string): boolean {
  const texts = graph.once('repository-template-texts', () =>
    // as repositoryObjectsOf: a folder that is the work tree's root is the whole tree, and a fixture stands alone
    graph.checkouts
      .filter((c) => c.within !== '.' && !inSkippedFolder(c.within))
      .flatMap((c) =>
        workTreeFiles(workTreeRoot(c))
          .map((f) => f.text)
          .filter((t) => t.includes('{{')),
      ),
  );
  const written = new RegExp(`^\\s*kind:\\s*["']?${kind}["']?\\s*$`, 'm');
  return texts.some((t) => written.test(t));
}

/** The instances of the entry's kind the tree, its scripts and its repository's manifests define, and whether one has the name the operator reads. */
function instancesOf(graph: ObjectGraph, e: OperatorInstance): { any: boolean; named: boolean; names: string[] } {
  const manifests = [
    ...graph.objects.map((o) => o.manifest),
    ...graph.scriptCreated.flatMap((c) => (c.manifest ? [c.manifest] : [])),
    ...repositoryObjectsOf(graph).map((o) => o.manifest),
    // a manifest a Job applies from a ConfigMap it mounts
    ...jobAppliedFiles(graph).flatMap((f) => f.manifests),
  ].filter((m) => isInstance(e, m));
  const names = manifests.map((m) => text(mapping(m.metadata).name) ?? '');
  const scripted = graph.scriptCreated.some((c) => c.kind === e.kind && !c.manifest && (!e.name || c.name === e.name));
  const any = manifests.length > 0 || scripted || templatedInRepository(graph, e.kind);
  return { any, named: scripted || (e.name ? names.includes(e.name) : names.length > 0), names };
}

export const operatorInstanceMissing: Rule = {
  id: 'operator-instance-missing',
  title:
    'an OLM Subscription installs an operator that deploys nothing until its own custom resource exists (Kueue, ClusterPolicy, NodeFeatureDiscovery, DataScienceCluster, NicClusterPolicy), and neither the tree, its scripts nor its repository defines one',
  severity: 'warning',
  appliesTo: ['Subscription'],
  premise:
    "the Subscription's package is one whose operator reconciles only its own custom resource and whose install makes none: kueue-operator (Kueue named cluster), gpu-operator-certified (a nvidia.com ClusterPolicy), nfd (a NodeFeatureDiscovery), rhods-operator / opendatahub-operator (a DataScienceCluster, from release 2.0, which introduced it; the operator makes one itself only on managed OpenShift AI; not judged where the Subscription's startingCSV, a channel naming a release, or the image tag of the tree's CatalogSource it subscribes from, when the operator's project builds that catalog (quay.io/modh, registry.redhat.io/rhoai, quay.io/opendatahub), shows a 1.x release, whose operator deployed its components from its own KfDefs), nvidia-network-operator (NicClusterPolicy nic-cluster-policy); and no object of that kind is in the tree, made by one of its scripts (a Job's `oc apply -f` of a manifest file a ConfigMap it mounts holds among them), or in a manifest or Helm template of its git repository outside the checked folder; a warning, since it may be made by hand or from another repository. Not judged where another rule says it (kueue-instance-missing where the tree declares Kueue queues; gpu-operator-nfd-instance-missing for NFD beside the GPU operator) or where OpenShift AI makes the Kueue (kueue component Unmanaged)",
  example: 'Subscription `kueue-operator` alone in a folder of a repository that defines no Kueue named cluster',
  fix: "add the operator's custom resource beside the Subscription (e.g. {apiVersion: kueue.openshift.io/v1, kind: Kueue, metadata: {name: cluster}, spec: {config: {integrations: {frameworks: [BatchJob]}}}}), ordered after it (an Argo CD sync wave, or SkipDryRunOnMissingResource)",
  source:
    'openshift/kueue-operator pkg/operator/operatorclient/interfaces.go (OperatorConfigName "cluster") and target_config_reconciler.go; NVIDIA/gpu-operator controllers/clusterpolicy_controller.go (reconciles ClusterPolicy); openshift/cluster-nfd-operator controllers (operands per NodeFeatureDiscovery); opendatahub-operator cmd/main.go (CreateDefaultDSC only for ManagedRhoai), its v2.0.0 release (DataScienceCluster and DSCInitialization replace the 1.x KfDef-based deployment); Mellanox/network-operator controllers/nicclusterpolicy_controller.go (nic-cluster-policy); OLM: a CSV\'s alm-examples are samples the console offers, never created',
  check(o, { graph }) {
    const e = entryOf(o.manifest);
    if (!e || e.elsewhere?.(graph)) return [];
    // a release before the instance kind existed deploys its operands otherwise (RHODS 1.x: the operator's own KfDefs)
    const release = e.sinceMajor === undefined ? undefined : majorOf(graph, o.manifest);
    if (release && e.sinceMajor !== undefined && release.major < e.sinceMajor) return [];
    // one finding per operator, on its first Subscription
    if (graph.objects.find((x) => entryOf(x.manifest) === e) !== o) return [];
    const found = instancesOf(graph, e);
    if (found.named) return [];
    const misnamed =
      found.any && e.name ? ` (the ${e.kind} ${found.names.map((n) => `'${n}'`).join(', ')} is not the one it reads: only the name ${e.name} counts)` : '';
    if (found.any && !misnamed) return [];
    return [
      {
        message:
          `this Subscription installs ${e.operator}, which deploys nothing until its ${e.kind} custom resource${e.name ? ` named ${e.name}` : ''} exists, ` +
          `and neither the tree, its scripts nor its repository's manifests define one${misnamed}: the operator runs but installs no operand; add ${e.example}`,
      },
    ];
  },
};
