import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject, locationOf, modelSpecOf, namespaceLabel, ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The file of a ServingRuntime `name` (in namespace `ns`, or any when unknown) that the kustomizations of the tree leave out. */
function leftOutRuntime(graph: ObjectGraph, name: string, ns: string | undefined): string | undefined {
  const found = graph.leftOut.find((l) => {
    const m = mapping(l.manifest);
    const lns = text(mapping(m.metadata).namespace);
    return m.kind === 'ServingRuntime' && text(mapping(m.metadata).name) === name && (lns === undefined || ns === undefined || lns === ns);
  });
  return found ? (found.file ?? 'a file of the tree') : undefined;
}

/** Runtimes of the name that differ, any of which the service may bind to: which one depends on a namespace the tree does not tell. */
function ambiguous(graph: ObjectGraph, runtime: string, candidates: readonly GraphObject[]): Problem {
  const each = candidates.map((r) => {
    const ns = graph.namespaceOf(r.manifest);
    return `${locationOf(r) ?? graph.id(r)} (${ns === undefined ? 'no namespace' : `namespace '${ns}'`})`;
  });
  return {
    severity: 'warning',
    message:
      `spec.predictor.model.runtime '${runtime}' may be any of ${candidates.length} different ServingRuntimes of that name: ${each.join(', ')}; ` +
      "KServe uses the one in the service's namespace, which the tree does not tell, so the checks that read the runtime do not judge this service: " +
      'set metadata.namespace on the service (or a kustomization namespace), or keep one runtime of that name',
  };
}

/** A service that names no runtime: KServe picks among the runtimes of its namespace that auto-select its format. */
function autoSelection(graph: ObjectGraph, format: string | undefined, ns: string | undefined): Problem[] {
  const candidates = graph.ofKind('ServingRuntime').filter((r) => {
    const rns = graph.namespaceOf(r.manifest);
    return (
      (ns === undefined || rns === undefined || rns === ns) &&
      mapping(r.manifest.spec).disabled !== true &&
      mappings(mapping(r.manifest.spec).supportedModelFormats).some((f) => f.name === format && f.autoSelect === true)
    );
  });
  if (!candidates.length) {
    if (!graph.ofKind('ServingRuntime').length) return [];
    return [
      {
        message: `spec.predictor.model.runtime is unset and no ServingRuntime in ${namespaceLabel(ns)} auto-selects format '${format ?? '(none)'}'; set runtime explicitly (auto-selection is redone on every reconcile and can change)`,
      },
    ];
  }
  return [
    {
      severity: 'warning',
      message: `spec.predictor.model.runtime is unset: KServe picks among ${candidates.map((c) => text(c.manifest.metadata?.name)).join(', ')} on every reconcile; set it explicitly`,
    },
  ];
}

export const runtimeNotFound: Rule = {
  id: 'runtime-not-found',
  title: 'an InferenceService names a ServingRuntime that is not in its namespace (OpenShift AI has no ClusterServingRuntime)',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    'the service has a model spec (custom-container predictors name no runtime); several different runtimes of the name that the service may bind to (its namespace unknown, none applied together with it) are a warning; a runtime missing from the whole tree is a warning (the dashboard or another app may create it), unless a file the kustomization leaves out defines it',
  example: '`runtime: vllm-cuda-runtime`, with no ServingRuntime of that name in the namespace',
  fix: "add the ServingRuntime to the service's namespace, or name one that is there",
  source: 'KServe GetServingRuntime looks only in the service namespace; OpenShift AI removes ClusterServingRuntime (RH-KServe overlays/odh)',
  check(o, { graph }) {
    if (!('model' in mapping(mapping(o.manifest.spec).predictor))) return [];
    const model = modelSpecOf(o.manifest);
    const ns = graph.namespaceOf(o.manifest);
    const runtime = text(model.runtime);
    const out: Problem[] = [];
    if (runtime) {
      const binding = graph.runtimeBinding(o.manifest);
      if (binding.runtime) return [];
      if (binding.candidates.length > 1) return [ambiguous(graph, runtime, binding.candidates)];
      // the tree may not hold the runtime at all (created by the dashboard or another app): judge only within the tree
      const elsewhere = graph.ofKind('ServingRuntime').find((r) => r.manifest.metadata?.name === runtime);
      const cluster = graph.find('ClusterServingRuntime', runtime);
      if (!elsewhere && !cluster && !graph.ofKind('ServingRuntime').some((r) => graph.namespaceOf(r.manifest) === ns)) {
        // …unless the tree holds it in a file its kustomization does not list: forgotten in resources, never delivered
        const forgotten = leftOutRuntime(graph, runtime, ns);
        if (forgotten !== undefined) {
          return [
            {
              message: `spec.predictor.model.runtime '${runtime}' is defined in ${forgotten}, which no kustomization lists: the build leaves it out, so the service stays at RuntimeNotRecognized; list that file under resources`,
            },
          ];
        }
        return [
          {
            severity: 'warning',
            message: `spec.predictor.model.runtime '${runtime}' is not a ServingRuntime of the tree; make sure it exists in ${namespaceLabel(ns)} before the service syncs (the dashboard or another app may create it), or the service stays at RuntimeNotRecognized`,
          },
        ];
      }
      out.push({
        message:
          `spec.predictor.model.runtime '${runtime}': no ServingRuntime of that name in namespace ${namespaceLabel(ns)}` +
          (elsewhere ? ` (there is one in ${namespaceLabel(graph.namespaceOf(elsewhere.manifest))}: KServe looks only in the service's namespace)` : '') +
          (cluster ? ' (a ClusterServingRuntime does not help: OpenShift AI does not install that CRD)' : '') +
          `; add a ServingRuntime '${runtime}' to ${namespaceLabel(ns)}. The service stays at RuntimeNotRecognized`,
      });
    } else {
      out.push(...autoSelection(graph, text(mapping(model.modelFormat).name), ns));
    }
    return out;
  },
};
