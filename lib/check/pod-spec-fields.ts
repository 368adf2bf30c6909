import { isMapping, Loose, mapping, text } from '../manifests/access';
import { podLabelsOf, podSpecOf } from './pods';
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

/** A pod spec an object holds, with the path it is written at and, where the object writes them, its pods' labels. */
export interface WrittenPodSpec {
  readonly path: string;
  readonly spec: Loose;
  readonly labels?: unknown;
  readonly labelsAt?: string;
}

const specAt = (path: string, spec: unknown): WrittenPodSpec[] => (isMapping(spec) ? [{ path, spec }] : []);

/**
 * The pod specs beside the one podSpecOf reads: an InferenceService's transformer and explainer (KServe makes a
 * Deployment of each, pod fields inline), a ServingRuntime's spec (containers, tolerations, nodeSelector and volumes
 * of the pods of every service that uses it), an LLMInferenceService's worker and prefill pool.
 */
const OTHER_POD_SPECS: Readonly<Record<string, (spec: Loose) => WrittenPodSpec[]>> = {
  InferenceService: (spec) => [...specAt('spec.transformer', spec.transformer), ...specAt('spec.explainer', spec.explainer)],
  ServingRuntime: (spec) => specAt('spec', spec),
  LLMInferenceService: (spec) => [
    ...specAt('spec.worker', spec.worker),
    ...specAt('spec.prefill.template', mapping(spec.prefill).template),
    ...specAt('spec.prefill.worker', mapping(spec.prefill).worker),
  ],
};

/** Every pod spec of an object: its own, those of its several templates, and the other components' (OTHER_POD_SPECS). */
export function writtenPodSpecs(m: Loose): WrittenPodSpec[] {
  const own = podSpecOf(m);
  const path = podSpecPath(m);
  // a bare Pod's labels are its metadata's; an InferenceService's predictor and an LLMInferenceService's template have none of their own
  const templated = path.endsWith('template.spec') && m.kind !== 'LLMInferenceService';
  return [
    ...(own ? [{ path, spec: own, ...(templated ? { labels: podLabelsOf(m), labelsAt: `${path.slice(0, -'spec'.length)}metadata.labels` } : {}) }] : []),
    ...podTemplatesOf(m).map(({ path: at, template }) => ({
      path: `${at}.spec`,
      spec: mapping(template.spec),
      labels: mapping(template.metadata).labels,
      labelsAt: `${at}.metadata.labels`,
    })),
    ...(OTHER_POD_SPECS[String(m.kind)]?.(mapping(m.spec)) ?? []),
  ];
}
