import { mapping, mappings, text } from '../../manifests/access';
import { isModelMesh } from '../modelmesh-storage';
import { Problem, Rule } from '../rule';
import { PREDICTOR_FRAMEWORKS } from '../runtime-selection';

/** The container KServe counts as a custom predictor beside other implementations (pkg/constants, InferenceServiceContainerName). */
const PREDICTOR_CONTAINER = 'kserve-container';

/** What a component declares, as KServe counts implementations. */
interface Implementations {
  /** The fields that count, in words (`model`, `pytorch`, `containers[kserve-container]`). */
  readonly parts: readonly string[];
}

/**
 * The implementations KServe's validating webhook counts in a predictor, after its mutating webhook has run
 * (PredictorSpec.GetImplementations in predictor.go). Outside ModelMesh the defaulting first turns the first framework
 * field into `model`, replacing a `model` given beside it; ModelMesh predictors are counted as written.
 */
function predictorImplementations(predictor: Record<string, unknown>, modelMesh: boolean): Implementations {
  const frameworks = PREDICTOR_FRAMEWORKS.filter((f) => predictor[f] !== undefined && predictor[f] !== null);
  const hasModel = predictor.model !== undefined && predictor.model !== null;
  const parts: string[] = [];
  if (!modelMesh && frameworks.length) parts.push(...frameworks);
  else parts.push(...frameworks, ...(hasModel ? ['model'] : []));
  const containers = mappings(predictor.containers);
  const named = containers.filter((c) => text(c.name) === PREDICTOR_CONTAINER);
  parts.push(...named.map(() => `containers[${PREDICTOR_CONTAINER}]`));
  // with nothing else, the first container is taken as the predictor, whatever its name
  if (!parts.length && containers.length) parts.push('containers');
  return { parts };
}

/** Transformers are containers only; explainers ART or containers (transformer.go, explainer.go GetImplementations). */
function componentImplementations(field: 'transformer' | 'explainer', spec: Record<string, unknown>): Implementations {
  const parts: string[] = [];
  if (field === 'explainer' && spec.art !== undefined && spec.art !== null) parts.push('art');
  if (mappings(spec.containers).length) parts.push('containers');
  return { parts };
}

export const predictorImplementation: Rule = {
  id: 'predictor-implementation',
  title: "an InferenceService's predictor (or transformer, explainer) declares no implementation or more than one: KServe's webhook refuses it",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    'counted as KServe counts after its defaulting: model, each framework field (sklearn, pytorch, …; outside ModelMesh the first becomes model), and containers (one named kserve-container each when there is another implementation, else the first container); other containers (sidecars) do not count',
  example: 'a predictor with `model:` and, beside it, `containers:` holding one with `name: kserve-container` (extra vLLM flags in its env)',
  fix: "keep one: put the container's args, env and resources under spec.predictor.model (KServe merges them into the runtime's kserve-container), or into the ServingRuntime; give a sidecar another name",
  source:
    'KServe pkg/apis/serving/v1beta1: PredictorSpec.GetImplementations (predictor.go) and validateExactlyOneImplementation (component.go), called by the InferenceService validator; its cases in predictor_test.go TestGetImplementations',
  scope: 'object',
  check(o) {
    const spec = mapping(o.manifest.spec);
    const modelMesh = isModelMesh(o.manifest);
    const out: Problem[] = [];
    const components: [string, Implementations][] = [];
    if ('predictor' in spec) components.push(['predictor', predictorImplementations(mapping(spec.predictor), modelMesh)]);
    for (const field of ['transformer', 'explainer'] as const) {
      if (spec[field] !== undefined && spec[field] !== null) components.push([field, componentImplementations(field, mapping(spec[field]))]);
    }
    for (const [field, { parts }] of components) {
      if (parts.length === 1) continue;
      out.push({
        message: parts.length
          ? `spec.${field} declares ${parts.length} implementations (${parts.join(', ')}): KServe's webhook accepts exactly one and refuses the service ("exactly one of [...] must be specified"); ` +
            (parts.includes('model') && parts.some((p) => p.startsWith('containers'))
              ? `move the ${PREDICTOR_CONTAINER} container's settings under spec.${field}.model (KServe merges them into the runtime's container) or into the ServingRuntime`
              : 'keep one of them')
          : `spec.${field} declares no implementation (no model, framework or container): KServe's webhook refuses the service; add spec.${field}.model`,
      });
    }
    return out;
  },
};
