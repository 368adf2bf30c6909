import { mapping, text } from '../../manifests/access';
import { inferenceServiceNameProblem, MAX_INFERENCE_SERVICE_NAME_LENGTH } from '../../private/names';
import { Rule } from '../rule';
import { filledWhenApplied } from '../template-syntax';

export const inferenceServiceName: Rule = {
  id: 'inference-service-name',
  title: "the InferenceService's name is refused by KServe's webhook (a leading letter) or OpenShift AI's (at most 53 characters)",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise: `the object has a name, applied as written (a name the shell expands in an unquoted heredoc a script applies, or envsubst fills, is unknown: not judged); the ${MAX_INFERENCE_SERVICE_NAME_LENGTH}-character limit holds on OpenShift AI (a warning on plain KServe)`,
  example: '`name: 7b-model`',
  fix: "rename it: lowercase letters, digits and '-', starting with a letter, at most 53 characters",
  source:
    "KServe's InferenceService validator: IsvcNameFmt [a-z]([-a-z0-9]*[a-z0-9])?; odh-model-controller ValidateInferenceServiceNameLength: MaxISVCLength 53",
  scope: 'object',
  check(o, { platform }) {
    const name = text(mapping(o.manifest.metadata).name);
    // a name the shell or envsubst fills when a script applies the object is unknown here, not judged
    if (name === undefined || filledWhenApplied(o, name)) return [];
    const problem = inferenceServiceNameProblem(name);
    if (!problem) return [];
    const lengthOnly = /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);
    return [
      {
        message: `${problem}; the API server refuses it at admission: rename it`,
        ...(lengthOnly && platform === 'kserve' ? { severity: 'warning' as const } : {}),
      },
    ];
  },
};
