import { mapping, mappings, text } from '../../manifests/access';
import { modelSpecOf } from '../graph';
import { Rule } from '../rule';

export const runtimeFormatMismatch: Rule = {
  id: 'runtime-format-mismatch',
  title: 'the model format (and version) is not one the runtime supports, compared case-sensitively as KServe does',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: 'the service names a runtime that is in the tree, and a model format',
  example: '`modelFormat: {name: vllm}` with a runtime that supports vLLM',
  fix: 'write the format exactly as the runtime lists it (case and version)',
  source: 'KServe RuntimeSupportsModel compares names case-sensitively; the service reports NoSupportingRuntime',
  check(o, { graph }) {
    const rt = graph.runtimeOf(o.manifest);
    const fmt = mapping(modelSpecOf(o.manifest).modelFormat);
    const name = text(fmt.name);
    const version = text(fmt.version);
    if (!rt || !name) return [];
    const rtName = text(rt.manifest.metadata?.name);
    if (mapping(rt.manifest.spec).disabled === true) {
      return [{ message: `runtime '${rtName}' is disabled (spec.disabled: true); the service stays at RuntimeDisabled` }];
    }
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
