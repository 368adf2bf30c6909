import { isMapping, Loose, mapping, stringMap, text } from '../manifests/access';
import { chartReleases } from './chart-releases';
import { GraphObject, locationOf } from './graph-object';
import { umbrellaSettings } from './gpu-operator-umbrella';
import { ObjectGraph } from './graph';

/** The OLM package of the NVIDIA GPU operator (lib/platform/operator-apis.ts). */
const GPU_OPERATOR_PACKAGE = 'gpu-operator-certified';
/** A Flux postBuild variable with a default (`${namespace_name:=gpu-operator}`): fluxcd/pkg envsubst, the default where the variable is unset. */
const VARIABLE_WITH_DEFAULT = /^\$\{\w+:=([a-z0-9][a-z0-9-]*)\}$/;

/**
 * Where the tree configures the NVIDIA GPU operator: a nvidia.com ClusterPolicy's spec, or the values of a release of
 * its gpu-operator chart (Flux HelmRelease, Argo CD Application), which the chart writes into the ClusterPolicy it
 * renders, or those of a local umbrella chart wrapping it that an Application delivers (gpu-operator-umbrella.ts); with the namespace the operator runs in, where its operands read the ConfigMaps the settings name.
 */
export interface GpuOperatorSettings {
  readonly object: GraphObject;
  /** The ClusterPolicy's spec, or the chart's values (the same fields: driver, devicePlugin, migManager …). */
  readonly settings: Loose;
  /** How a message names the settings' root: `spec` or `values`. */
  readonly root: 'spec' | 'values';
  /** The operator's namespace: the release's, or the namespace of the tree's gpu-operator-certified Subscription. */
  readonly namespace?: string;
  /** Where the namespace is a Flux variable's default, the variable as written. */
  readonly namespaceVariable?: string;
  /** The values are not all inline (valuesFrom, valueFiles). */
  readonly valuesElsewhere: boolean;
  /** How messages name the settings where not by `root`: an umbrella chart's `values.<dependency key>`. */
  readonly via?: string;
}

/** How a message names the settings' root. */
export const settingsName = (s: GpuOperatorSettings) => s.via ?? s.root;

/** The namespace of the tree's GPU operator Subscription, where OLM runs the operator. */
function subscribedNamespace(graph: ObjectGraph): string | undefined {
  const sub = graph
    .ofKind('Subscription')
    .find((s) => String(s.manifest.apiVersion ?? '').startsWith('operators.coreos.com/') && text(mapping(s.manifest.spec).name) === GPU_OPERATOR_PACKAGE);
  return sub && graph.namespaceOf(sub.manifest);
}

/** Every place the tree configures the GPU operator. */
export function gpuOperatorSettings(graph: ObjectGraph): GpuOperatorSettings[] {
  return graph.once('gpu-operator-settings', () => {
    const policies = graph
      .ofKind('ClusterPolicy')
      .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('nvidia.com/'))
      .map((o) => ({ object: o, settings: mapping(o.manifest.spec), root: 'spec' as const, namespace: subscribedNamespace(graph), valuesElsewhere: false }));
    const releases = chartReleases(graph)
      .filter((r) => /(?:^|\/)gpu-operator$/.test(r.chart))
      .map((r) => {
        const byDefault = r.namespace ? VARIABLE_WITH_DEFAULT.exec(r.namespace)?.[1] : undefined;
        return {
          object: r.object,
          settings: r.values,
          root: 'values' as const,
          namespace: byDefault ?? r.namespace,
          ...(byDefault ? { namespaceVariable: r.namespace } : {}),
          valuesElsewhere: r.valuesElsewhere,
        };
      });
    const umbrellas = umbrellaSettings(graph).map((u) => ({ ...u, root: 'values' as const }));
    return [...policies, ...releases, ...umbrellas];
  });
}

/** Whether an operand is turned off (`<component>.enabled: false`; every component this reads is on by default). */
export function operandOff(settings: Loose, component: string): boolean {
  return mapping(settings[component]).enabled === false;
}

/** The config names the named ConfigMap holds, and where it was read: the tree's ConfigMap, or the chart's config.data. */
export function devicePluginConfigs(graph: ObjectGraph, s: GpuOperatorSettings, name: string): { keys: string[]; where: string } | undefined {
  const config = mapping(mapping(s.settings.devicePlugin).config);
  if (s.root === 'values' && config.create === true && isMapping(config.data))
    return { keys: Object.keys(config.data), where: `${settingsName(s)}.devicePlugin.config.data` };
  const cm = graph.find('ConfigMap', name, s.namespace);
  return cm && { keys: Object.keys(stringMap(cm.manifest.data)), where: `ConfigMap '${name}'${locationOf(cm) ? ` (${locationOf(cm)})` : ''}` };
}
