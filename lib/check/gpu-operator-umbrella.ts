import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { destinationNamespace } from './argocd/destination-namespace';
import { manifestSources, samePlace } from './argocd-paths';
import { argoValuesWithParameters } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * A local chart of the input that wraps NVIDIA's gpu-operator chart as a dependency (an umbrella chart): its values
 * under the dependency's name (or alias) are the gpu-operator chart's (helm pkg/chartutil/coalesce.go: a parent's
 * values under a subchart's name are passed to it), whether or not this check can render the remote dependency.
 */
export interface UmbrellaSettings {
  readonly object: GraphObject;
  readonly settings: Loose;
  /** How messages name the settings: `values.<dependency key>`. */
  readonly via: string;
  readonly namespace?: string;
  readonly valuesElsewhere: boolean;
}

/** A YAML file of a chart folder parsed, or an empty mapping where it is absent or does not parse. */
function chartFile(chart: string, name: string): Loose {
  try {
    const parsed = parseOne(fs.readFileSync(path.join(chart, name), 'utf8'));
    return 'value' in parsed ? mapping(parsed.value) : {};
  } catch {
    return {};
  }
}

/** Values laid over others as helm merges them (maps key by key, anything else replaced). */
function merged(base: Loose, over: Loose): Loose {
  const out: Loose = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMapping(v) && isMapping(out[k]) ? merged(mapping(out[k]), v) : v;
  return out;
}

/** The key a chart's values hold the gpu-operator dependency's under (its alias, else its name), when it has one. */
function gpuOperatorKey(chart: string): string | undefined {
  const dep = mappings(chartFile(chart, 'Chart.yaml').dependencies).find((d) => text(d.name) === 'gpu-operator');
  return dep ? (text(dep.alias) ?? 'gpu-operator') : undefined;
}

/** The Argo CD Applications of the tree whose source installs the chart folder, with the source's inline values. */
function deliveries(graph: ObjectGraph, chart: string): { app: GraphObject; values: Loose; elsewhere: boolean }[] {
  return graph.ofKind('Application').flatMap((app) => {
    const spec = mapping(app.manifest.spec);
    return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
      const [src] = manifestSources({ spec: { source: s } });
      if (!src || text(s.chart) || !samePlace(chart, src.path)) return [];
      const helm = mapping(s.helm);
      const elsewhere = strings(helm.valueFiles).some((f) => f !== 'values.yaml');
      return [{ app, values: argoValuesWithParameters(helm), elsewhere }];
    });
  });
}

/** The gpu-operator settings of each umbrella chart of the input that an Application of the tree delivers. */
export function umbrellaSettings(graph: ObjectGraph): UmbrellaSettings[] {
  return (graph.charts ?? []).flatMap((chart) => {
    const key = gpuOperatorKey(chart);
    if (!key) return [];
    const own = chartFile(chart, 'values.yaml');
    return deliveries(graph, chart).map((d) => ({
      object: d.app,
      settings: mapping(merged(own, d.values)[key]),
      via: `values.${key}`,
      namespace: destinationNamespace(d.app.manifest),
      valuesElsewhere: d.elsewhere,
    }));
  });
}
