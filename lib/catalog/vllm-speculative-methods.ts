import { architectureSupport } from './vllm-architectures';

/**
 * The draft model each multi-token-prediction method of `--speculative-config` loads: vLLM rewrites the target's
 * config to that architecture and builds it from the model registry (vllm/config/speculative.py,
 * SpeculativeConfig.hf_config_override: `"architectures": ["Qwen3NextMTP"]` for qwen3_next_mtp, and so on). A release
 * whose registry lacks the architecture cannot run the method (before it, the method is not even one of its
 * SpeculativeMethod values), so the first release that registers it (lib/catalog/data/vllm-architectures.json, read
 * off the release tags) is the first that can. Methods whose draft depends on the checkpoint (eagle, eagle3, draft_model,
 * the generic mtp) are not listed.
 */
const MTP_DRAFT_ARCHITECTURES: Readonly<Record<string, string>> = {
  deepseek_mtp: 'DeepSeekMTPModel',
  mimo_mtp: 'MiMoMTPModel',
  glm4_moe_mtp: 'Glm4MoeMTPModel',
  ernie_mtp: 'ErnieMTPModel',
  qwen3_next_mtp: 'Qwen3NextMTP',
  pangu_ultra_moe_mtp: 'OpenPanguMTPModel',
  exaone_moe_mtp: 'ExaoneMoeMTP',
  nemotron_h_mtp: 'NemotronHMTPModel',
};

/** A speculative method's draft architecture and the first vLLM release that registers it; undefined for a method not listed. */
export function speculativeMethodSupport(method: string): { readonly architecture: string; readonly since: string } | undefined {
  const architecture = Object.prototype.hasOwnProperty.call(MTP_DRAFT_ARCHITECTURES, method) ? MTP_DRAFT_ARCHITECTURES[method] : undefined;
  const since = architecture ? architectureSupport(architecture)?.since : undefined;
  return architecture && since ? { architecture, since } : undefined;
}
