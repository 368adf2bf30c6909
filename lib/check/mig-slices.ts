import { isMapping, Loose, mapping, mappings, stringMap } from '../manifests/access';
import { perRun } from '../private/run-memo';
import { parseOne } from '../manifests/yaml-documents';
import { GPU_RESOURCE } from '../k8s/keys';
import { MIG_PROFILE } from '../catalog/gpu-labels';
import type { ObjectGraph } from './graph';
import { statedStrategies } from './mig-strategies';
import { admittedValues, nodeSelectionOf } from './node-selection';
import { containersOf, podSpecOf } from './pods';
import { containerGpus } from './gpu-supply';

/** The MIG slice a pod's GPU is: its profile (`1g.10gb`) and how the tree says so. */
export interface MigSlice {
  readonly profile: string;
  readonly how: string;
}

/** The resource of a MIG slice under the mixed strategy (k8s-device-plugin: nvidia.com/mig-<profile>, `.shared` when time-sliced). */
const MIG_RESOURCE = new RegExp(`^nvidia\\.com/mig-(${MIG_PROFILE.source})(?:\\.shared)?$`);

/**
 * The label the GPU Operator's MIG manager reads to partition a node: the name of a config of its mig-parted
 * configuration (NVIDIA GPU Operator docs, "GPU Operator with MIG": nvidia.com/mig.config).
 */
const MIG_CONFIG_LABEL = 'nvidia.com/mig.config';

/** The name of a config of the GPU Operator's default mig-parted configuration that cuts every GPU into one profile (`all-1g.10gb`). */
const DEFAULT_UNIFORM_CONFIG = new RegExp(`^all-(${MIG_PROFILE.source})$`);

/** The MIG resource a container asks for (`nvidia.com/mig-1g.10gb`): its profile, else undefined. */
export function migResourceProfile(container: Loose): string | undefined {
  const r = mapping(container.resources);
  for (const key of Object.keys({ ...mapping(r.limits), ...mapping(r.requests) })) {
    const m = MIG_RESOURCE.exec(key);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The one profile a mig-parted config cuts every GPU into, from the mig-parted configurations in ConfigMaps of the
 * tree (`mig-configs: {<name>: [{devices, mig-enabled, mig-devices: {<profile>: n}}]}`, NVIDIA mig-parted
 * examples/config.yaml), else from the default configuration's `all-<profile>` names; undefined when the config
 * mixes profiles or is not known.
 */
function uniformProfile(graph: ObjectGraph, config: string): string | undefined {
  for (const cm of graph.ofKind('ConfigMap')) {
    for (const body of Object.values(stringMap(cm.manifest.data))) {
      if (!/mig-configs/.test(body)) continue;
      const parsed = parseOne(body);
      const configs = 'value' in parsed && isMapping(parsed.value) ? mapping(parsed.value['mig-configs']) : {};
      if (!(config in configs)) continue;
      const entries = mappings(configs[config]);
      const profiles = new Set(entries.flatMap((e) => (e['mig-enabled'] === true ? Object.keys(mapping(e['mig-devices'])) : ['none'])));
      const [only] = [...profiles];
      return profiles.size === 1 && only !== 'none' && MIG_PROFILE.test(only) ? only : undefined;
    }
  }
  return DEFAULT_UNIFORM_CONFIG.exec(config)?.[1];
}

/**
 * The MIG slice a pod's GPU is: a nvidia.com/mig-<profile> resource (the mixed strategy); or nvidia.com/gpu on nodes
 * the pod selects by a nvidia.com/mig.config that cuts every GPU into one profile, where the tree sets no strategy but
 * single (the GPU Operator's default; under single the device plugin advertises each slice as nvidia.com/gpu:
 * k8s-device-plugin docs "MIG support"). `elsewhere` gives the label's values where the pod leaves it open (the node
 * labels of the Karpenter NodePools that take it). Undefined when the pod's GPU is a whole one, or not known.
 */
export function migSliceOf(m: Loose, graph: ObjectGraph, elsewhere?: (key: string) => readonly string[] | undefined): MigSlice | undefined {
  const containers = containersOf(m).filter((c) => !c.init);
  const requested = [...new Set(containers.flatMap((c) => migResourceProfile(c.container) ?? []))];
  if (requested.length === 1) return { profile: requested[0], how: `resource nvidia.com/mig-${requested[0]}` };
  if (requested.length > 1) return undefined;
  if (!containers.some((c) => containerGpus(c.container) > 0)) return undefined;
  const configs = admittedValues(nodeSelectionOf(mapping(podSpecOf(m))), MIG_CONFIG_LABEL).values ?? elsewhere?.(MIG_CONFIG_LABEL);
  if (!configs?.length) return undefined;
  const profiles = new Set(configs.map((c) => uniformProfile(graph, c)));
  const [profile] = [...profiles];
  if (profiles.size !== 1 || !profile) return undefined;
  if (perRun('mig-strategies', [graph], () => statedStrategies(graph)).some((s) => s.strategy !== 'single')) return undefined;
  return {
    profile,
    how: `${MIG_CONFIG_LABEL}=${configs.join(',')} (every GPU cut into ${profile}, advertised as ${GPU_RESOURCE} under the single MIG strategy)`,
  };
}
