import { mapping, text } from '../../manifests/access';
import { devicePluginConfigs, GpuOperatorSettings, gpuOperatorSettings, operandOff, settingsName } from '../gpu-operator-settings';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The node label the device plugin's config-manager reads a node's config name from (k8s-device-plugin cmd/config-manager main.go DefaultConfigLabel). */
const CONFIG_LABEL = 'nvidia.com/device-plugin.config';

/** Whether an object of the tree names the config label (a MachineSet or node pool labelling nodes, a NodeFeatureRule). */
function nodesLabelled(graph: ObjectGraph): boolean {
  return graph.objects.some((o) => o.manifest.kind !== 'ConfigMap' && JSON.stringify(o.manifest).includes(CONFIG_LABEL));
}

/** The finding for a device-plugin config named with no default. */
function noDefault(graph: ObjectGraph, s: GpuOperatorSettings): Problem | undefined {
  const config = mapping(mapping(s.settings.devicePlugin).config);
  const name = text(config.name);
  if (!name || text(config.default) || operandOff(s.settings, 'devicePlugin') || nodesLabelled(graph)) return undefined;
  // values from elsewhere (valuesFrom, valueFiles) may set the default
  if (s.valuesElsewhere) return undefined;
  const found = devicePluginConfigs(graph, s, name);
  const single = found?.keys.length === 1 ? found.keys[0] : undefined;
  const holds = found ? `${found.where} holds ${found.keys.map((k) => `'${k}'`).join(', ')}` : `ConfigMap '${name}' is not in the tree`;
  const consequence =
    `the GPU operator runs the device plugin's config-manager with DEFAULT_CONFIG empty and FALLBACK_STRATEGIES=empty, so a node without the ${CONFIG_LABEL} label gets the empty config: ` +
    'no time-slicing or MPS sharing, each GPU advertised once (unlike the standalone device-plugin chart, whose fallback takes a single config)';
  const fix = `set ${settingsName(s)}.devicePlugin.config.default to ${single ? `'${single}'` : 'the config nodes without the label should get'}, or label every GPU node ${CONFIG_LABEL}=<config>`;
  return {
    // a single config is meant for every node, and reaches none that is not labelled by hand; several are meant per node label
    ...(single ? {} : { severity: 'warning' as const }),
    message: `${settingsName(s)}.devicePlugin.config.name is '${name}' with no devicePlugin.config.default, and ${holds}: ${consequence}; nothing in the tree labels nodes with it; ${fix}`,
  };
}

export const gpuOperatorDevicePluginDefaultUnset: Rule = {
  id: 'gpu-operator-device-plugin-default-unset',
  title:
    'the GPU operator is given a device-plugin config ConfigMap with no default config: nodes without the nvidia.com/device-plugin.config label get no sharing config',
  severity: 'error',
  appliesTo: ['ClusterPolicy', 'HelmRelease', 'Application'],
  premise:
    'a nvidia.com ClusterPolicy, or the inline values of a gpu-operator chart release (Flux HelmRelease, Argo CD Application; not judged where values come from elsewhere), sets devicePlugin.config.name and no devicePlugin.config.default, the device plugin not turned off, and no object of the tree names the nvidia.com/device-plugin.config label (a MachineSet or node pool labelling nodes); ' +
    "an error where the ConfigMap (the tree's, in the operator's namespace, or the chart's config.data with create: true) holds a single config, which is then meant for every node and reaches only nodes labelled by hand; a warning where it holds several (a per-node-label design) or is not in the tree",
  example: 'a gpu-operator HelmRelease with `name: sharing-config` under values.devicePlugin.config and no default, the ConfigMap holding one config `any`',
  fix: 'set devicePlugin.config.default to the config unlabelled nodes should get (e.g. `default: any`), or label every GPU node nvidia.com/device-plugin.config=<config>',
  source:
    'NVIDIA/gpu-operator controllers/object_controls.go transformConfigManagerInitContainer and transformConfigManagerSidecarContainer (DEFAULT_CONFIG from devicePlugin.config.default, FALLBACK_STRATEGIES "empty"), api/nvidia/v1 clusterpolicy_types.go DevicePluginConfig (name, default; no default value), deployments/gpu-operator values.yaml (devicePlugin.config.default ""); ' +
    'NVIDIA/k8s-device-plugin cmd/config-manager/main.go updateConfigName (no label value and no default: the fallback strategies in order; "empty" selects the empty config), deployments/helm/nvidia-device-plugin (the standalone chart passes the fallbacks named,single); NVIDIA GPU operator docs "Time-Slicing GPUs in Kubernetes" (devicePlugin.config.default applies a config to every node)',
  check(o, { graph }) {
    return gpuOperatorSettings(graph)
      .filter((s) => s.object === o)
      .flatMap((s) => noDefault(graph, s) ?? []);
  },
};
