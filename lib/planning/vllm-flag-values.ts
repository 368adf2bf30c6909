/** `--kv-cache-dtype` values vLLM accepts (vllm/config/cache.py CacheDType). */
export const KV_CACHE_DTYPES: readonly string[] = ['auto', 'bfloat16', 'fp8', 'fp8_e4m3', 'fp8_e5m2', 'fp8_inc'];

/** `--dtype` values vLLM's argument parser accepts (vllm/config/model.py ModelDType); `bf16` and `fp16` are not among them. */
export const VLLM_DTYPES: readonly string[] = ['auto', 'half', 'float16', 'bfloat16', 'float', 'float32'];

/** `--quantization` values vLLM accepts (vllm/model_executor/layers/quantization QUANTIZATION_METHODS, the common ones). */
export const QUANTIZATION_FLAGS: readonly string[] = [
  'awq',
  'awq_marlin',
  'gptq',
  'gptq_marlin',
  'gptq_marlin_24',
  'marlin',
  'fp8',
  'fbgemm_fp8',
  'modelopt',
  'modelopt_fp4',
  'compressed-tensors',
  'bitsandbytes',
  'gguf',
  'mxfp4',
  'experts_int8',
  'moe_wna16',
  'quark',
  'torchao',
  'hqq',
  'bitblas',
  'gptq_bitblas',
  'rtn',
  'inc',
];

/** Quantization methods vLLM applies on load to a 16-bit checkpoint, with the bits they store per weight. */
export const ON_LOAD_BITS: Record<string, number> = { fp8: 8, fbgemm_fp8: 8, bitsandbytes: 4, experts_int8: 8, rtn: 8, torchao: 8, inc: 8 };
