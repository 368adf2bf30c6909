import { isMapping, mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { parseOne } from '../../manifests/yaml-documents';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { meantAmong } from '../near-names';
import { Problem, Rule } from '../rule';

/** The controller's ConfigMap (argoproj/argo-rollouts utils/defaults/defaults.go DefaultRolloutsConfigMapName). */
const CONFIG_MAP = 'argo-rollouts-config';

/** The ConfigMap keys each plugin type is registered under (utils/config/config.go InitializeConfig). */
type PluginKey = 'trafficRouterPlugins' | 'metricProviderPlugins' | 'stepPlugins';

/** A plugin a Rollout or analysis names, with the field and the key of the ConfigMap that must register it. */
interface NamedPlugin {
  readonly field: string;
  readonly name: string;
  readonly key: PluginKey;
}

/** The plugins a Rollout's canary strategy names: traffic routers (trafficRouting.plugins) and steps (steps[].plugin.name). */
function rolloutPlugins(spec: Record<string, unknown>): NamedPlugin[] {
  const canary = mapping(mapping(spec.strategy).canary);
  const routers = Object.keys(mapping(mapping(canary.trafficRouting).plugins)).map((name) => ({
    field: 'spec.strategy.canary.trafficRouting.plugins',
    name,
    key: 'trafficRouterPlugins' as const,
  }));
  const steps = mappings(canary.steps).flatMap((s, i) => {
    const name = text(mapping(s.plugin).name);
    return name ? [{ field: `spec.strategy.canary.steps[${i}].plugin.name`, name, key: 'stepPlugins' as const }] : [];
  });
  return [...routers, ...steps];
}

/** The metric provider plugins an analysis template's metrics name (provider.plugin.<name>). */
function metricPlugins(spec: Record<string, unknown>): NamedPlugin[] {
  return mappings(spec.metrics).flatMap((m, i) =>
    Object.keys(mapping(mapping(m.provider).plugin)).map((name) => ({
      field: `spec.metrics[${i}].provider.plugin`,
      name,
      key: 'metricProviderPlugins' as const,
    })),
  );
}

/** The tree's argo-rollouts-config ConfigMaps, with the plugin names each registers under each key (undefined where a key does not parse). */
function configMaps(graph: ObjectGraph): { o: GraphObject; names: (key: PluginKey) => string[] | undefined }[] {
  return graph
    .ofKind('ConfigMap')
    .filter((c) => text(mapping(c.manifest.metadata).name) === CONFIG_MAP)
    .map((o) => ({
      o,
      names: (key: PluginKey) => {
        const raw = text(mapping(o.manifest.data)[key]);
        if (raw === undefined) return [];
        const parsed = parseOne(raw);
        if (!('value' in parsed) || (parsed.value !== null && !Array.isArray(parsed.value))) return undefined;
        return (parsed.value ?? []).filter(isMapping).flatMap((p: Record<string, unknown>) => [text(p.name) ?? []].flat());
      },
    }));
}

function pluginProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const kind = String(o.manifest.kind);
  if (apiGroupOf(o.manifest.apiVersion) !== 'argoproj.io' || !['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'].includes(kind)) return [];
  const named = kind === 'Rollout' ? rolloutPlugins(mapping(o.manifest.spec)) : metricPlugins(mapping(o.manifest.spec));
  const maps = configMaps(graph);
  // the controller's configuration is judged only where the tree holds it; each ConfigMap must parse for a verdict
  if (!named.length || !maps.length) return [];
  return named.flatMap((p) => {
    const lists = maps.map((m) => m.names(p.key));
    if (lists.some((l) => l === undefined || l.includes(p.name))) return [];
    const all = [...new Set(lists.flat() as string[])];
    const held = maps.map((m) => `${graph.id(m.o)}${locationOf(m.o) ? ` (${locationOf(m.o)})` : ''}`).join(', ');
    const listed = all.length ? `lists ${all.join(', ')}` : 'lists none';
    return [
      {
        message:
          `${p.field} names plugin '${p.name}', which ${p.key} of ${held} does not register (it ${listed})${meantAmong(p.name, all)}: ` +
          `the controller fails every reconcile of the ${String(o.manifest.kind)} ("plugin ${p.name} not configured in configmap") and it never progresses; ` +
          `add an entry with name: ${p.name} and its location to ${p.key}, or name a plugin it registers`,
      },
    ];
  });
}

export const rolloutsPluginNotConfigured: Rule = {
  id: 'rollouts-plugin-not-configured',
  title:
    'an Argo Rollout or analysis names a plugin (traffic router, step or metric provider) that the argo-rollouts-config ConfigMap of the tree does not register: the controller fails with "plugin … not configured in configmap"',
  severity: 'error',
  appliesTo: ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'],
  premise:
    "an argoproj.io Rollout whose spec.strategy.canary.trafficRouting.plugins has a key, or whose canary steps[].plugin.name is set, or an AnalysisTemplate or ClusterAnalysisTemplate whose metrics' provider.plugin has a key, where the tree holds the controller's ConfigMap argo-rollouts-config and none of its trafficRouterPlugins, stepPlugins or metricProviderPlugins entries (by type) has that name; not judged where the tree holds no such ConfigMap (the controller's install may be elsewhere) or where its list does not parse",
  example:
    "`argoproj-labs/gatewayAPI: {httpRoute: chat, namespace: chat}` under the canary's trafficRouting plugins, with `trafficRouterPlugins` listing only `argoproj-labs/contour`",
  fix: 'add the plugin (name and location) to the matching list of argo-rollouts-config, or name the plugin it registers',
  source:
    'argoproj/argo-rollouts utils/config/config.go (InitializeConfig: trafficRouterPlugins, metricProviderPlugins, stepPlugins of ConfigMap argo-rollouts-config, each of its plugin type), utils/plugin/plugin.go GetPluginInfo ("plugin %s not configured in configmap"), utils/defaults/defaults.go (DefaultRolloutsConfigMapName), pkg/apis/rollouts/v1alpha1/types.go (RolloutTrafficRouting.Plugins, PluginStep) and analysis_types.go (MetricProvider.Plugin)',
  check(o, { graph }) {
    return pluginProblems(o, graph);
  },
};
