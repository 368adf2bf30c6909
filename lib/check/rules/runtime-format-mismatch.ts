import { mapping, mappings, text } from '../../manifests/access';
import { modelSpecOf } from '../serving-model';
import { isModelMesh } from '../modelmesh-storage';
import { Problem, Rule } from '../rule';

/**
 * A service that names its runtime but no model format: KServe's predictor reconciler checks RuntimeSupportsModel for a
 * named runtime (components/predictor.go reconcileModel), and the model's format label is then `mt:` alone, which no
 * runtime lists (supportedModelFormats[].name is required), so the service fails whatever the runtime is. The CRD does
 * not require modelFormat under model, so the API server accepts the object.
 */
function formatMissing(runtime: string, rtFormats: readonly Record<string, unknown>[] | undefined): Problem[] {
  if (rtFormats?.some((f) => f.name === '')) return [];
  return [
    {
      message:
        `spec.predictor.model names runtime '${runtime}' but no modelFormat: KServe checks that a named runtime supports the model's format, an empty one matches none of its supportedModelFormats, ` +
        `so the service stays at NoSupportingRuntime ("specified runtime ${runtime} does not support specified framework/version"); add spec.predictor.model.modelFormat.name (the format the runtime lists, e.g. vLLM)`,
    },
  ];
}

export const runtimeFormatMismatch: Rule = {
  id: 'runtime-format-mismatch',
  title: 'the model format (and version) is not one the runtime supports, compared case-sensitively as KServe does',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    'the service names a runtime that is in the tree, and a model format; a service (not a ModelMesh one) that names a runtime and gives no modelFormat is judged whether or not the runtime is in the tree, as no runtime lists an empty format',
  example: '`modelFormat: {name: vllm}` with a runtime that supports vLLM',
  fix: 'write the format exactly as the runtime lists it (case and version)',
  source:
    'KServe pkg/apis/serving/v1beta1/predictor_model.go RuntimeSupportsModel (compares format labels case-sensitively), called for a named runtime by pkg/controller/v1beta1/inferenceservice/components/predictor.go reconcileModel; the service reports NoSupportingRuntime',
  check(o, { graph }) {
    const rt = graph.runtimeOf(o.manifest);
    const fmt = mapping(modelSpecOf(o.manifest).modelFormat);
    const name = text(fmt.name);
    const version = text(fmt.version);
    const runtime = text(modelSpecOf(o.manifest).runtime);
    const formatless = !name && runtime !== undefined && !isModelMesh(o.manifest);
    const rtName = text(rt?.manifest.metadata?.name);
    // KServe checks that the runtime is enabled before it compares formats
    if (rt && (name || formatless) && mapping(rt.manifest.spec).disabled === true) {
      return [{ message: `runtime '${rtName}' is disabled (spec.disabled: true); the service stays at RuntimeDisabled` }];
    }
    if (formatless) return formatMissing(runtime, rt ? mappings(mapping(rt.manifest.spec).supportedModelFormats) : undefined);
    if (!rt || !name) return [];
    const supported = mappings(mapping(rt.manifest.spec).supportedModelFormats);
    if (supported.some((f) => f.name === name && (version === undefined || f.version === version))) return [];
    const caseOnly = supported.find((f) => String(f.name).toLowerCase() === name.toLowerCase());
    const offered =
      supported
        .filter((f) => typeof f.name === 'string')
        .map((f) => (typeof f.version === 'string' ? `${f.name}:${f.version}` : String(f.name)))
        .join(', ') || 'none';
    return [
      {
        message:
          `spec.predictor.model.modelFormat ${version ? `${name}:${version}` : `'${name}'`} is not supported by runtime '${rtName}' (it supports ${offered}); ` +
          (caseOnly && caseOnly.name !== name ? `formats match case-sensitively: write '${caseOnly.name}'. ` : 'use a supported format. ') +
          'KServe reports NoSupportingRuntime',
      },
    ];
  },
};
