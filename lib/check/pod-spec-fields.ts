import { Loose, mapping, text } from '../manifests/access';
import { podSpecOf } from './graph';
import { podTemplatesOf } from './pod-templates';

/** Where the pod spec of a kind is written, when not at spec.template.spec. */
const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  InferenceService: 'spec.predictor',
  LLMInferenceService: 'spec.template',
};

/** The path of the object's pod spec, as findings name its fields. */
export function podSpecPath(m: Loose): string {
  return POD_SPEC_PATHS[String(m.kind)] ?? 'spec.template.spec';
}

/** A string field of one of an object's pod specs, with the path it is written at. */
export interface PodSpecValue {
  readonly field: string;
  readonly value: string;
}

/**
 * Each value of a string field of the object's pod specs: its own (a workload's template, an InferenceService's
 * predictor, which KServe passes to the pod) and each of the several templates of the kinds that run several kinds of pods.
 */
export function podSpecValues(m: Loose, name: string): PodSpecValue[] {
  const out: PodSpecValue[] = [];
  const own = text(podSpecOf(m)?.[name]);
  if (own) out.push({ field: `${podSpecPath(m)}.${name}`, value: own });
  for (const { path, template } of podTemplatesOf(m)) {
    const value = text(mapping(template.spec)[name]);
    if (value) out.push({ field: `${path}.spec.${name}`, value });
  }
  return out;
}
