import { mapping, text } from '../../manifests/access';
import { devicePluginConfigs, gpuOperatorSettings, operandOff, settingsName } from '../gpu-operator-settings';
import { Rule } from '../rule';

export const gpuOperatorDevicePluginDefaultMissing: Rule = {
  id: 'gpu-operator-device-plugin-default-missing',
  title:
    "the GPU operator's devicePlugin.config.default names a config its ConfigMap does not hold: the device plugin's config-manager fails and no GPU is advertised",
  severity: 'error',
  appliesTo: ['ClusterPolicy', 'HelmRelease', 'Application'],
  premise:
    "a nvidia.com ClusterPolicy, the inline values of a gpu-operator chart release (Flux HelmRelease, Argo CD Application), or those under the dependency's key of a local umbrella chart wrapping gpu-operator that an Application delivers (its values.yaml with the Application's values over it, rendered or not), sets devicePlugin.config.name and devicePlugin.config.default, the device plugin not turned off, values not from elsewhere (valuesFrom, valueFiles); " +
    "the ConfigMap's configs are known (a ConfigMap of that name in the operator's namespace in the tree, or the chart's config.data with create: true) and none is the default",
  example:
    'a gpu-operator HelmRelease with `name: time-slicing` and `default: any` under values.devicePlugin.config, and a ConfigMap time-slicing whose data holds only `a100: |-`',
  fix: 'set devicePlugin.config.default to a key of the ConfigMap, or add that key (the config file) to the ConfigMap',
  source:
    "NVIDIA/gpu-operator controllers/object_controls.go transformConfigManagerInitContainer (DEFAULT_CONFIG from devicePlugin.config.default; the ConfigMap mounted as the config files) and api/nvidia/v1 clusterpolicy_types.go DevicePluginConfig; NVIDIA/k8s-device-plugin cmd/config-manager/main.go (the selected config must be one of the files the ConfigMap mounts, else the config-manager errors: the init container fails and the device plugin pod never starts); helm pkg/chartutil/coalesce.go (a parent chart passes its values under a subchart's name or alias to it)",
  check(o, { graph }) {
    return gpuOperatorSettings(graph)
      .filter((s) => s.object === o && !s.valuesElsewhere && !operandOff(s.settings, 'devicePlugin'))
      .flatMap((s) => {
        const config = mapping(mapping(s.settings.devicePlugin).config);
        const name = text(config.name);
        const fallback = text(config.default);
        if (!name || !fallback || /\$\{|\{\{/.test(fallback)) return [];
        const found = devicePluginConfigs(graph, s, name);
        if (!found || found.keys.includes(fallback)) return [];
        const keys = found.keys.map((k) => `'${k}'`).join(', ') || 'no config';
        return [
          {
            message:
              `${settingsName(s)}.devicePlugin.config.default is '${fallback}', but ${found.where} holds ${keys}: the device plugin's config-manager cannot select '${fallback}' for a node without the nvidia.com/device-plugin.config label, ` +
              `so its init container fails and the device plugin pod never starts (no nvidia.com/gpu advertised); set the default to ${found.keys.length ? `one of ${keys}` : 'a config the ConfigMap holds'}, or add '${fallback}' to the ConfigMap`,
          },
        ];
      });
  },
};
