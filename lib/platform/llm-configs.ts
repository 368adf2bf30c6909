import data from './data/llm-config-probes.json';

/**
 * What a shipped LLMInferenceServiceConfig preset puts in the workload pods: each container of `spec.template`,
 * `spec.worker`, `spec.prefill.template` and `spec.prefill.worker` with its start-up and liveness probes. The
 * platform's KServe merges these under every LLMInferenceService (see lib/check/llm-config-merge.ts).
 */
export interface LlmConfigPreset {
  readonly template?: PresetPod;
  readonly worker?: PresetPod;
  readonly prefill?: { readonly template?: PresetPod; readonly worker?: PresetPod };
}

/** A preset's pod template, reduced to its containers' names and probes. */
export interface PresetPod {
  readonly containers: readonly PresetContainer[];
}

/** A preset's container: its name and probes (values the controller renders from Go templates left out). */
export interface PresetContainer {
  readonly name: string;
  readonly startupProbe?: Readonly<Record<string, unknown>>;
  readonly livenessProbe?: Readonly<Record<string, unknown>>;
}

/** The presets a platform's KServe ships, by name, and where they were read. */
export interface ShippedLlmConfigs {
  /** Repository, tag and folder the presets were derived from (scripts/derive-llm-config-probes.js). */
  readonly source: string;
  readonly presets: Readonly<Record<string, LlmConfigPreset>>;
}

const PLATFORMS = data.platforms as Readonly<Record<string, ShippedLlmConfigs>>;

/**
 * The LLMInferenceServiceConfig presets a platform ships (lib/platform/data/llm-config-probes.json): OpenShift AI
 * 3.0 and 3.3 (a liveness probe with an initial delay, no start-up probe), 3.4 and upstream KServe 0.20 (a start-up
 * probe of 60 × 10 s, kserve#5063), by platform id. Undefined for a platform whose presets were not sourced.
 */
export function shippedLlmConfigs(platform: string): ShippedLlmConfigs | undefined {
  return Object.prototype.hasOwnProperty.call(PLATFORMS, platform) ? PLATFORMS[platform] : undefined;
}
