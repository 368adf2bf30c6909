import { Loose, mapping, text } from '../../manifests/access';
import { deployedByRepository, foundElsewhere, repositoryMadeProblem } from '../found-elsewhere';
import { GpuOperatorSettings, gpuOperatorSettings, operandOff, settingsName } from '../gpu-operator-settings';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';

/**
 * The ClusterPolicy fields (and gpu-operator chart values) that name a ConfigMap of the operator's namespace, with the
 * operand that reads it and what it is (NVIDIA/gpu-operator api/nvidia/v1 clusterpolicy_types.go: DriverRepoConfigSpec
 * configMapName, DriverCertConfigSpec name, DriverLicensingConfigSpec configMapName, KernelModuleConfigSpec name,
 * VirtualTopologyConfigSpec config, DevicePluginConfig name, DCGMExporterMetricsConfig name, MIGPartedConfigSpec name,
 * MIGGPUClientsConfigSpec name, VGPUDevicesConfigSpec name). `made`: the name the operator makes itself when none is
 * given (controllers/object_controls.go MigPartedDefaultConfigMapName, MigDefaultGPUClientsConfigMapName,
 * VgpuDMDefaultConfigMapName). `chartCreates`: the chart makes it from its values where `<component>.config.create` is
 * true (deployments/gpu-operator values.yaml).
 */
const CONFIG_MAP_FIELDS: readonly { path: readonly string[]; operand: string; made?: string; chartCreates?: true }[] = [
  { path: ['driver', 'repoConfig', 'configMapName'], operand: 'the driver' },
  { path: ['driver', 'certConfig', 'name'], operand: 'the driver' },
  { path: ['driver', 'licensingConfig', 'configMapName'], operand: 'the driver' },
  { path: ['driver', 'kernelModuleConfig', 'name'], operand: 'the driver' },
  { path: ['driver', 'virtualTopology', 'config'], operand: 'the driver' },
  { path: ['devicePlugin', 'config', 'name'], operand: 'the device plugin and GPU feature discovery', chartCreates: true },
  { path: ['dcgmExporter', 'config', 'name'], operand: 'the DCGM exporter', chartCreates: true },
  { path: ['migManager', 'config', 'name'], operand: 'the MIG manager', made: 'default-mig-parted-config', chartCreates: true },
  { path: ['migManager', 'gpuClientsConfig', 'name'], operand: 'the MIG manager', made: 'default-gpu-clients' },
  { path: ['vgpuDeviceManager', 'config', 'name'], operand: 'the vGPU device manager', made: 'default-vgpu-devices-config' },
];

/** The value at a path of the settings. */
function at(settings: Loose, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => mapping(v)[k], settings);
}

/** Whether the tree, a script of it, the chart (config.create) or the operator makes the ConfigMap. */
function made(graph: ObjectGraph, s: GpuOperatorSettings, f: (typeof CONFIG_MAP_FIELDS)[number], name: string, ns: string): boolean {
  if (name === f.made) return true;
  if (f.chartCreates && s.root === 'values' && at(s.settings, [...f.path.slice(0, -1), 'create']) === true) return true;
  return (
    graph.find('ConfigMap', name, ns) !== undefined ||
    graph.scriptCreating('ConfigMap', name, ns) !== undefined ||
    graph.leftOutFile('ConfigMap', name, ns) !== undefined
  );
}

/** The finding for one field naming a ConfigMap the operator's namespace lacks, where the tree creates that namespace. */
function missing(graph: ObjectGraph, s: GpuOperatorSettings, f: (typeof CONFIG_MAP_FIELDS)[number]): Problem | undefined {
  const name = text(at(s.settings, f.path));
  const ns = s.namespace;
  if (!name || !ns || /\$\{|\{\{/.test(name) || operandOff(s.settings, f.path[0]) || made(graph, s, f, name, ns)) return undefined;
  const how = namespacesCreated(graph).get(ns);
  if (!how) return undefined;
  const field = `${settingsName(s)}.${f.path.join('.')}`;
  const where = s.namespaceVariable ? `namespace '${ns}' (the default of ${s.namespaceVariable})` : `namespace '${ns}'`;
  const problem: Problem = {
    message:
      `${field} names ConfigMap '${name}', which the GPU operator reads in its own ${where}; the tree creates that namespace (${how}) and no ConfigMap '${name}' is in it` +
      `${foundElsewhere(graph, 'ConfigMap', name, ns, "the operator reads its own namespace's only")}: the operator cannot build ${f.operand}'s pods (the ConfigMap is mounted into them), so they never start; ` +
      `add ConfigMap '${name}' to namespace '${ns}'${f.chartCreates && s.root === 'values' ? ` (or set ${settingsName(s)}.${f.path.slice(0, -1).join('.')}.create: true with its data)` : ''}, or remove ${field}`,
  };
  const elsewhere = deployedByRepository(graph, 'ConfigMap', name, ns);
  if (elsewhere) return repositoryMadeProblem(problem, elsewhere, 'ConfigMap', name, ns);
  // configuration files no object carries are what `kubectl create configmap --from-file` makes a ConfigMap of
  const loose = graph.unread.filter((u) => u.kind === 'skipped').map((u) => u.file);
  if (!loose.length) return problem;
  return {
    severity: 'warning',
    message: `${problem.message} (the tree holds configuration files no object carries, ${loose.slice(0, 3).join(', ')}${loose.length > 3 ? ' …' : ''}: if a command makes the ConfigMap from them, check does not see it; put the ConfigMap in the tree)`,
  };
}

export const gpuOperatorConfigmapMissing: Rule = {
  id: 'gpu-operator-configmap-missing',
  title: "a GPU operator setting names a ConfigMap that the operator's namespace, which the tree creates, does not hold: the operand's pods never start",
  severity: 'error',
  appliesTo: ['ClusterPolicy', 'HelmRelease', 'Application'],
  premise:
    "a nvidia.com ClusterPolicy, or the values of a release of the gpu-operator chart (Flux HelmRelease, Argo CD Application), sets a field that names a ConfigMap: driver.repoConfig.configMapName, driver.certConfig.name, driver.licensingConfig.configMapName, driver.kernelModuleConfig.name, driver.virtualTopology.config, devicePlugin.config.name, dcgmExporter.config.name, migManager.config.name, migManager.gpuClientsConfig.name, vgpuDeviceManager.config.name (from the operator's api/nvidia/v1 types), its component not turned off (enabled: false); " +
    "the operator's namespace is known (the release's target namespace, a Flux variable's default such as `${namespace_name:=gpu-operator}` taken as written, or the namespace of the tree's gpu-operator-certified Subscription for a ClusterPolicy) and the tree creates it (a Namespace object, an Application with CreateNamespace=true), and no ConfigMap of that name is there: not in the tree, not made by its scripts, not by the chart (`<component>.config.create: true`), and not one the operator makes itself (default-mig-parted-config, default-gpu-clients, default-vgpu-devices-config). " +
    'One a manifest of the repository outside the checked folder deploys there turns it into a note (a warning where it lands elsewhere); a warning where the tree holds YAML files that are no object (configuration a kubectl create configmap --from-file may make the ConfigMap of); a namespace the tree does not create is not judged (the ConfigMap may be made beside the namespace)',
  example:
    'a gpu-operator HelmRelease with `configMapName: yum-mirrors` under values.driver.repoConfig, its namespace gpu-system a Namespace of the tree, and no ConfigMap yum-mirrors',
  fix: "add the ConfigMap to the operator's namespace (or let the chart create it with config.create: true), or remove the setting",
  source:
    'NVIDIA/gpu-operator api/nvidia/v1 clusterpolicy_types.go (the ConfigMap name fields), controllers/object_controls.go (createConfigMapVolumeMounts gets the ConfigMap from the operator namespace and fails the driver state without it: "could not get ConfigMap"; handleDevicePluginConfig and the DCGM exporter, MIG manager and vGPU device manager transforms mount the named ConfigMap as a volume: a missing one keeps the pods in ContainerCreating; MigPartedDefaultConfigMapName, MigDefaultGPUClientsConfigMapName, VgpuDMDefaultConfigMapName made by the operator), deployments/gpu-operator values.yaml (config.create)',
  check(o, { graph }) {
    return gpuOperatorSettings(graph)
      .filter((s) => s.object === o)
      .flatMap((s) => CONFIG_MAP_FIELDS.flatMap((f) => missing(graph, s, f) ?? []));
  },
};
