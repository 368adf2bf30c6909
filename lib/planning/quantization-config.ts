import { Loose } from '../manifests/access';
import { QuantizationInfo, shortJson } from './model-spec';

/** Quantization methods the planner knows (vLLM's names as written in `quantization_config.quant_method`). */
export const QUANTIZATION_METHODS: readonly string[] = [
  'awq',
  'awq_marlin',
  'gptq',
  'gptq_marlin',
  'fp8',
  'fbgemm_fp8',
  'modelopt',
  'compressed-tensors',
  'bitsandbytes',
  'mxfp4',
];

/**
 * Weight bit widths vLLM's kernels load, per method; a checkpoint with another width fails at start-up.
 * vLLM model_executor/layers/quantization: awq.py AWQConfig ("only 4-bit weight quantization is supported for AWQ"),
 * awq_marlin.py AWQMarlinConfig.TYPE_MAP (4, 8: the Marlin path vLLM picks for `awq` checkpoints on compute
 * capability 8.0 and later), gptq.py GPTQConfig ("only 2/3/4/8-bit weight quantization is supported for GPTQ"),
 * gptq_marlin.py GPTQMarlinConfig.TYPE_MAP (4, 8), compressed_tensors WNA16_SUPPORTED_BITS (4, 8; W8A8 and FP8 are
 * 8, NVFP4 is 4), bitsandbytes (4 or 8), fp8/fbgemm_fp8/modelopt (8).
 */
export const QUANTIZATION_BITS: Readonly<Record<string, readonly number[]>> = {
  awq: [4, 8],
  awq_marlin: [4, 8],
  gptq: [2, 3, 4, 8],
  gptq_marlin: [4, 8],
  'compressed-tensors': [4, 8],
  bitsandbytes: [4, 8],
  fp8: [8],
  fbgemm_fp8: [8],
  modelopt: [8],
  mxfp4: [4.25],
};

/** Reads a Hugging Face `quantization_config` into what the planner needs; an unknown method is an error. */
export function quantizationOf(qc: Loose): QuantizationInfo | undefined {
  if (!qc || typeof qc !== 'object') return undefined;
  const method = String(qc.quant_method ?? qc.quantization_method ?? '').toLowerCase();
  const bitsOf = (field: string, v: unknown, fallback: number): number => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 16) {
      throw new Error(`config.json: quantization_config.${field} must be a whole number of bits from 1 to 16, got ${shortJson(v)}`);
    }
    return v;
  };
  // group_size -1 means one scale per output channel (GPTQ): no groups
  const groupOf = (field: string, v: unknown, fallback?: number): number | undefined => {
    if (v === undefined || v === null) return fallback;
    if (v === -1) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new Error(`config.json: quantization_config.${field} must be a positive whole number (or -1 for per-channel), got ${shortJson(v)}`);
    }
    return v;
  };
  if (method === 'compressed-tensors') {
    const weights = Object.values<Loose>(qc.config_groups ?? {})
      .map((g) => g?.weights)
      .find(Boolean);
    const bits = bitsOf('config_groups.*.weights.num_bits', weights?.num_bits, 8);
    const type = weights?.type === 'float' ? 'fp' : 'int';
    return {
      method,
      weightBits: bits,
      groupSize: groupOf('config_groups.*.weights.group_size', weights?.group_size),
      zeroPoint: weights?.symmetric === false,
      label: `${type}${bits} (compressed-tensors)`,
    };
  }
  if (method === 'fp8' || method === 'fbgemm_fp8' || method === 'modelopt') return { method, weightBits: 8, label: `fp8 (${method})` };
  if (method === 'awq' || method === 'gptq' || method === 'awq_marlin' || method === 'gptq_marlin') {
    const bits = bitsOf(qc.bits !== undefined ? 'bits' : 'w_bit', qc.bits ?? qc.w_bit, 4);
    // AutoAWQ and AutoGPTQ default to groups of 128
    const groupSize = groupOf(qc.group_size !== undefined ? 'group_size' : 'q_group_size', qc.group_size ?? qc.q_group_size, 128);
    return {
      method,
      weightBits: bits,
      groupSize,
      zeroPoint: method.startsWith('awq') ? qc.zero_point !== false : qc.sym === false,
      label: `${method} ${bits}-bit`,
    };
  }
  if (method === 'bitsandbytes') return { method, weightBits: qc.load_in_8bit ? 8 : 4, label: `bitsandbytes ${qc.load_in_8bit ? 8 : 4}-bit` };
  // MXFP4: 4-bit elements plus one 8-bit shared scale per 32 (OCP Microscaling spec): 4.25 bits per weight
  if (method === 'mxfp4') return { method, weightBits: 4.25, label: 'mxfp4' };
  throw new Error(`config.json: quantization_config.quant_method '${method.slice(0, 80)}' is not one the planner knows (${QUANTIZATION_METHODS.join(', ')})`);
}
