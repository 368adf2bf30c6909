import { Loose, mapping, text } from '../manifests/access';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import type { Platform } from './platform';
import { runtimeSelectionSpecOf, selectionModelOf, supportingRuntimes } from './runtime-selection';

/**
 * The ServingRuntime of the tree KServe auto-selects for an InferenceService that names none (kserve
 * pkg/apis/serving/v1beta1 predictor_model.go GetSupportingRuntimes: the namespace's runtimes come before the
 * ClusterServingRuntimes, so where the tree holds one supporting the model in the service's namespace, the choice is
 * among those, in supportingRuntimes' order). Undefined where the service names a runtime or none of the tree fits.
 */
export function autoSelectedRuntime(m: Loose, graph: ObjectGraph, platform: Platform): GraphObject | undefined {
  const model = selectionModelOf(m, platform === 'kserve');
  if (model.runtime !== undefined || model.format === undefined) return undefined;
  const ns = graph.namespaceOf(m);
  const namespaced = graph.ofKind('ServingRuntime').filter((r) => graph.namespaceOf(r.manifest) === ns);
  const pick = supportingRuntimes(
    model,
    namespaced.map((r) => runtimeSelectionSpecOf(r.manifest)),
    [],
  )[0];
  return namespaced.find((r) => text(mapping(r.manifest.metadata).name) === pick);
}
