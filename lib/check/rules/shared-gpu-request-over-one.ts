import { isMapping, Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { parseQuantity } from '../../private/quantity';
import { ObjectGraph } from '../graph';
import { perRun } from '../../private/run-memo';
import { placedPods } from '../llm-pools';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The node label the GPU Operator's config manager reads to pick a node's device-plugin config (gpu-operator: devicePlugin.config). */
const CONFIG_LABEL = 'nvidia.com/device-plugin.config';

/** How one named device-plugin config shares resources: the resource names whose requests over 1 it refuses. */
interface SharingConfig {
  readonly key: string;
  /** Resource name → the sharing strategy that refuses requests over 1. */
  readonly refusing: ReadonlyMap<string, string>;
}

/**
 * The resources a device-plugin config (api/config/v1 Config) refuses requests over 1 for: each resource of
 * sharing.mps (NewConfig sets failRequestsGreaterThanOne for MPS: "explicitly set … = true"), and of
 * sharing.timeSlicing when failRequestsGreaterThanOne is true, replicated more than once; by its renamed name
 * (rename, or `<name>.shared` with renameByDefault) when renamed.
 */
function refusingResources(config: Loose): Map<string, string> {
  const out = new Map<string, string>();
  const sharing = mapping(config.sharing);
  const strategies: [string, Loose, boolean][] = [
    ['MPS', mapping(sharing.mps), sharing.mps !== undefined && mapping(sharing.mps).failRequestsGreaterThanOne !== false],
    ['time-slicing', mapping(sharing.timeSlicing), mapping(sharing.timeSlicing).failRequestsGreaterThanOne === true],
  ];
  for (const [strategy, replicated, refuses] of strategies) {
    if (!refuses) continue;
    for (const r of mappings(replicated.resources)) {
      const name = text(r.name);
      if (!name || !(Number(r.replicas) > 1)) continue;
      const renamed = text(r.rename) ?? (replicated.renameByDefault === true ? `${name}.shared` : name);
      out.set(renamed, strategy);
    }
  }
  return out;
}

/**
 * The device-plugin configs the GPU Operator hands its nodes: the ConfigMap a ClusterPolicy (or the gpu-operator
 * chart's values in a Flux HelmRelease) names under devicePlugin.config, each key one config, `default` the one a
 * node without the nvidia.com/device-plugin.config label gets.
 */
function operatorConfigs(graph: ObjectGraph): { configs: SharingConfig[]; defaultKey?: string; source: string } | undefined {
  const holders = [
    ...graph.ofKind('ClusterPolicy').map((o) => ({ o, spec: mapping(o.manifest.spec) })),
    ...graph.ofKind('HelmRelease').map((o) => ({ o, spec: mapping(mapping(o.manifest.spec).values) })),
  ];
  for (const { o, spec } of holders) {
    const ref = mapping(mapping(spec.devicePlugin).config);
    const name = text(ref.name);
    if (!name) continue;
    const map = graph.find('ConfigMap', name, text(mapping(ref).namespace) ?? graph.namespaceOf(o.manifest)) ?? graph.find('ConfigMap', name);
    if (!map) continue;
    const configs = Object.entries(stringMap(map.manifest.data)).flatMap(([key, body]) => {
      const parsed = parseOne(body);
      return 'value' in parsed && isMapping(parsed.value) ? [{ key, refusing: refusingResources(parsed.value) }] : [];
    });
    return {
      configs,
      defaultKey: text(ref.default),
      source: `ConfigMap ${name} (devicePlugin.config of ${o.manifest.kind} ${text(mapping(o.manifest.metadata).name) ?? ''})`,
    };
  }
  return undefined;
}

export const sharedGpuRequestOverOne: Rule = {
  id: 'shared-gpu-request-over-one',
  title: 'a container asks for more than one GPU of a resource the NVIDIA device plugin shares (MPS, or time-slicing that refuses requests over 1)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "the tree holds the GPU Operator's device-plugin config (the ConfigMap a ClusterPolicy or the gpu-operator HelmRelease values name under devicePlugin.config); an error when the config every node the pod may land on gets shares the resource (one config, all configs alike, or the pod selects the nvidia.com/device-plugin.config label), a warning when only some configs do",
  example: '`nvidia.com/gpu: 2` in one container, under a device-plugin config that shares GPUs over `mps:` with `replicas: 4`',
  fix: 'request one shared GPU per container (spread the work over pods), or land the pod on nodes whose config does not share GPUs (label nvidia.com/device-plugin.config)',
  source:
    'NVIDIA/k8s-device-plugin internal/plugin/server.go Allocate: "request for \'nvidia.com/gpu: 2\' too large: maximum request size for shared resources is 1" (UnexpectedAdmissionError; the pod is not retried); api/config/v1/config.go forces failRequestsGreaterThanOne for MPS',
  check(o, { graph }) {
    const found = perTree(graph);
    if (!found?.configs.some((c) => c.refusing.size)) return [];
    return placedPods(o.manifest).flatMap(({ manifest, label }) => overOne(manifest, found).map((p) => ({ ...p, message: `${label}${p.message}` })));
  },
};

/** The configs, read once per run of a tree. */
function perTree(graph: ObjectGraph): ReturnType<typeof operatorConfigs> {
  return perRun('device-plugin-configs', [graph], () => operatorConfigs(graph));
}

function overOne(m: Loose, found: NonNullable<ReturnType<typeof operatorConfigs>>): Problem[] {
  const selected = stringMap(mapping(podSpecOf(m)).nodeSelector)[CONFIG_LABEL];
  // the configs the pod's nodes may get: the one it selects, else any (a node without the label gets the default)
  const candidates = selected !== undefined ? found.configs.filter((c) => c.key === selected) : found.configs;
  return containersOf(m)
    .filter((c) => !c.init)
    .flatMap(({ name, container }) => {
      const r = mapping(container.resources);
      const asked = { ...mapping(r.limits), ...mapping(r.requests) };
      return Object.entries(asked).flatMap(([resource, amount]): Problem[] => {
        const n = parseQuantity(amount) ?? 0;
        const sharing = candidates.filter((c) => c.refusing.has(resource));
        if (n <= 1 || !sharing.length) return [];
        const everywhere = sharing.length === candidates.length;
        const how = sharing.map((c) => `${c.key}: ${c.refusing.get(resource)}`).join(', ');
        return [
          {
            ...(everywhere ? {} : { severity: 'warning' as const }),
            message:
              `container '${name}' asks for ${resource}: ${n}, but ${found.source} shares ${resource} (${how})${everywhere ? '' : ` on the nodes that get ${sharing.length === 1 ? 'that config' : 'those configs'}, not every node the pod may land on`}; ` +
              `the device plugin refuses it at admission ("maximum request size for shared resources is 1", UnexpectedAdmissionError) and the pod is not retried: ask for 1 per container, or select nodes whose config does not share GPUs (${CONFIG_LABEL})`,
          },
        ];
      });
    });
}
