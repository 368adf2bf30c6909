/**
 * Model families whose published name tells their architecture (the `architectures` entry of their config.json), as
 * their publishers' checkpoints on Hugging Face state it and vLLM's tests/models/registry.py lists an example of each.
 * Only families where every checkpoint of the name has one architecture: the pattern spells the sizes and variants
 * (a name with another word — Omni, Coder, Guard, Embedding, a fine-tune's tag — matches none, so nothing is guessed).
 * Dots in versions and sizes may be dashes, as in modelcar image names (`granite-3-1-8b-instruct`).
 */
interface Family {
  readonly family: string;
  /** The whole name, lower case, after quantization and format suffixes are removed. */
  readonly pattern: RegExp;
  readonly architecture: string;
}

const FAMILIES: readonly Family[] = [
  // Qwen/Qwen3-*: dense and MoE (Qwen/Qwen3-8B, Qwen/Qwen3-30B-A3B, …-Instruct-2507 / -Thinking-2507)
  { family: 'Qwen3', pattern: /^qwen3-(0[.-]6|1[.-]7|4|8|14|32)b(-(base|instruct|thinking))?(-2507)?$/, architecture: 'Qwen3ForCausalLM' },
  { family: 'Qwen3 MoE', pattern: /^qwen3-(30b-a3b|235b-a22b)(-(base|instruct|thinking))?(-2507)?$/, architecture: 'Qwen3MoeForCausalLM' },
  { family: 'Qwen3-Coder', pattern: /^qwen3-coder-(30b-a3b|480b-a35b)-instruct$/, architecture: 'Qwen3MoeForCausalLM' },
  { family: 'Qwen3-Next', pattern: /^qwen3-next-80b-a3b-(instruct|thinking)$/, architecture: 'Qwen3NextForCausalLM' },
  { family: 'Qwen3-VL', pattern: /^qwen3-vl-(2|4|8|32)b-(instruct|thinking)$/, architecture: 'Qwen3VLForConditionalGeneration' },
  { family: 'Qwen3-VL MoE', pattern: /^qwen3-vl-(30b-a3b|235b-a22b)-(instruct|thinking)$/, architecture: 'Qwen3VLMoeForConditionalGeneration' },
  { family: 'Qwen2.5-VL', pattern: /^qwen2[.-]5-vl-(3|7|32|72)b-instruct$/, architecture: 'Qwen2_5_VLForConditionalGeneration' },
  // google/gemma-2-2b, -9b, -27b and their -it (config.json: Gemma2ForCausalLM)
  { family: 'Gemma 2', pattern: /^gemma-2-(2|9|27)b(-it)?$/, architecture: 'Gemma2ForCausalLM' },
  // google/gemma-3-*: the 270M and 1B are text-only, 4B and up take images; gemma-3n is its own architecture
  { family: 'Gemma 3', pattern: /^gemma-3-(270m|1b)(-(it|pt))?$/, architecture: 'Gemma3ForCausalLM' },
  { family: 'Gemma 3', pattern: /^gemma-3-(4|12|27)b(-(it|pt))?$/, architecture: 'Gemma3ForConditionalGeneration' },
  { family: 'Gemma 3n', pattern: /^gemma-3n-e[24]b(-it)?$/, architecture: 'Gemma3nForConditionalGeneration' },
  // meta-llama/Llama-4-Scout-17B-16E(-Instruct), Llama-4-Maverick-17B-128E(-Instruct)
  { family: 'Llama 4', pattern: /^llama-4-(scout-17b-16e|maverick-17b-128e)(-instruct)?$/, architecture: 'Llama4ForConditionalGeneration' },
  // meta-llama/Llama-3.1-*, 3.2 text, 3.3; Meta-Llama-3.1-* as first published
  { family: 'Llama 3.x', pattern: /^(meta-)?llama-3[.-](1-(8|70|405)b|2-(1|3)b|3-70b)(-instruct)?$/, architecture: 'LlamaForCausalLM' },
  { family: 'Llama 3.2 Vision', pattern: /^llama-3[.-]2-(11|90)b-vision(-instruct)?$/, architecture: 'MllamaForConditionalGeneration' },
  { family: 'gpt-oss', pattern: /^gpt-oss-(20b|120b)$/, architecture: 'GptOssForCausalLM' },
  // mistralai/Mistral-Small-3.1-24B-*-2503 and 3.2-*-2506 (vision); Mistral-Small-24B-*-2501 (3.0) is MistralForCausalLM
  { family: 'Mistral Small 3.1/3.2', pattern: /^mistral-small-3[.-][12]-24b-(instruct|base)-25(03|06)$/, architecture: 'Mistral3ForConditionalGeneration' },
  { family: 'Mistral Small 3', pattern: /^mistral-small-24b-(instruct|base)-2501$/, architecture: 'MistralForCausalLM' },
  // deepseek-ai/DeepSeek-V3, -V3-0324, -V3.1(-Terminus), -R1, -R1-0528 (V3.2 is another architecture)
  {
    family: 'DeepSeek-V3/R1',
    pattern: /^deepseek-(v3(-0324|-base)?|v3[.-]1(-base|-terminus)?|r1(-0528|-zero)?)$/,
    architecture: 'DeepseekV3ForCausalLM',
  },
  { family: 'DeepSeek-R1-Distill-Qwen', pattern: /^deepseek-r1-distill-qwen-(1[.-]5|7|14|32)b$/, architecture: 'Qwen2ForCausalLM' },
  { family: 'DeepSeek-R1-Distill-Llama', pattern: /^deepseek-r1-distill-llama-(8|70)b$/, architecture: 'LlamaForCausalLM' },
  // ibm-granite/granite-3.x dense and MoE, granite-4.0 hybrid (Mamba-2 and attention)
  { family: 'Granite 3.x', pattern: /^granite-3[.-][0-3]-(2|8)b-(instruct|base)$/, architecture: 'GraniteForCausalLM' },
  { family: 'Granite 3.x MoE', pattern: /^granite-3[.-][01]-(1b-a400m|3b-a800m)-(instruct|base)$/, architecture: 'GraniteMoeForCausalLM' },
  {
    family: 'Granite 4.0',
    pattern: /^granite-4[.-]0-(h-small|h-tiny|h-micro|tiny-preview|tiny-base-preview)(-(instruct|base))?$/,
    architecture: 'GraniteMoeHybridForCausalLM',
  },
  // zai-org (THUDM) GLM-4-9B-0414, GLM-4-32B(-Base)-0414, GLM-Z1-9B/32B-0414 (glm-4-9b-chat is ChatGLMModel, not matched)
  { family: 'GLM-4-0414', pattern: /^glm-(4-(9b|32b|32b-base)|z1-(9b|32b))-0414$/, architecture: 'Glm4ForCausalLM' },
  // pfnet/plamo-2-1b, plamo-2-8b
  { family: 'PLaMo 2', pattern: /^plamo-2-(1|8)b$/, architecture: 'Plamo2ForCausalLM' },
  // microsoft/phi-4, Phi-4-reasoning(-plus), Phi-4-mini-instruct / -reasoning (multimodal and flash are others)
  { family: 'Phi-4', pattern: /^phi-4(-reasoning(-plus)?|-mini-(instruct|reasoning))?$/, architecture: 'Phi3ForCausalLM' },
];

/** Suffixes a quantized or converted copy adds to the name (RedHatAI's -FP8-dynamic, -quantized.w4a16, -AWQ, -GGUF, …). */
const FORMAT_SUFFIX =
  /[-_.](fp8([-_]dynamic)?|dynamic|awq|gptq([-_]int[48])?|int[48]|w\d+a\d+|quantized([.-]w\d+a\d+)?|gguf|bnb[-_]4bit|[48]bit|nvfp4|mxfp4|fp4|nf4|bf16|fp16)$/;

/** A model name's family and architecture, when the name is one of a family's; undefined otherwise. */
export function familyOfModelName(name: string): { family: string; architecture: string } | undefined {
  let n = name.toLowerCase();
  for (let prev = ''; prev !== n;) {
    prev = n;
    n = n.replace(FORMAT_SUFFIX, '');
  }
  const f = FAMILIES.find((x) => x.pattern.test(n));
  return f ? { family: f.family, architecture: f.architecture } : undefined;
}

/**
 * The names a model reference gives: the last segment of a Hugging Face id, `hf://org/name`, an s3/gs/pvc path or a
 * local path; of an `oci://` modelcar, its repository's last segment (without a `modelcar-` prefix) and its tag.
 */
export function modelNamesOf(reference: string): string[] {
  const ref = reference.trim();
  const oci = /^oci:\/\/(.+?)(?::([\w][\w.-]*))?(?:@sha256:[a-f0-9]{64})?$/.exec(ref);
  if (oci) {
    const repo = oci[1].split('/').pop() ?? '';
    return [repo.replace(/^modelcar-/, ''), ...(oci[2] ? [oci[2]] : [])].filter((x) => x);
  }
  const path = ref.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/:[\w.-]+$/, '');
  const last = path
    .split('/')
    .filter((s) => s)
    .pop();
  return last ? [last] : [];
}

/**
 * The architecture a model reference names by its family: undefined when no name of it is a family's, or when two of
 * its names (an oci repository and tag) are of families with different architectures.
 */
export function architectureOfModelReference(reference: string): { family: string; architecture: string; name: string } | undefined {
  const found = modelNamesOf(reference).flatMap((name) => {
    const f = familyOfModelName(name);
    return f ? [{ ...f, name }] : [];
  });
  if (!found.length || new Set(found.map((f) => f.architecture)).size > 1) return undefined;
  return found[0];
}

/** Bits per weight a quantized checkpoint's name states (AWQ, GPTQ, FP8, …); a name with none is BF16/FP16. */
/** A parameter count in a model's name: `8b`, `0.5b`, `125m`, between separators. */
const PARAMETER_COUNT = /(?:^|[-_])(\d+(?:\.\d+)?)([bm])(?=$|[-_.])/;

const NAMED_BITS: readonly { readonly hint: RegExp; readonly bits: number }[] = [
  { hint: /(^|[-_.])(awq|gptq|int4|w4a16|4bit|nf4|fp4|nvfp4|mxfp4|bnb)([-_.]|$)/, bits: 4 },
  { hint: /(^|[-_.])(fp8|int8|w8a8|w8a16|8bit)([-_.]|$)/, bits: 8 },
  // OpenAI publishes gpt-oss with its expert weights in MXFP4 (openai/gpt-oss-20b model card: about 13 GB for 21B parameters)
  { hint: /(^|[-_.])gpt-oss-/, bits: 4 },
];

/**
 * The size a checkpoint's name tells: the parameter count it spells (`Meta-Llama-3-8B-Instruct`, `Qwen2.5-0.5B`, the
 * total of a mixture `Qwen3-30B-A3B`, `opt-125m`) at the bits its quantization suffix states, else 16. Undefined when
 * the name spells no count, or a count of experts (`Mixtral-8x7B`), or is a GGUF file whose bits vary by tensor.
 */
export function checkpointSizeOfName(reference: string): { parameters: number; bits: number; bytes: number } | undefined {
  // an oci reference names the model by its repository or its tag (`modelcar-granite-3.3-8b:1.5`, `models:llama-8b`): the last that spells a count
  const name = modelNamesOf(reference)
    .map((n) => n.toLowerCase())
    .reverse()
    .find((n) => PARAMETER_COUNT.test(n));
  if (!name || /gguf/.test(name)) return undefined;
  const count = PARAMETER_COUNT.exec(name);
  if (!count) return undefined;
  const parameters = Number(count[1]) * (count[2] === 'b' ? 1e9 : 1e6);
  const bits = NAMED_BITS.find((b) => b.hint.test(name))?.bits ?? 16;
  return { parameters, bits, bytes: (parameters * bits) / 8 };
}

/**
 * Hugging Face organisations of the families' publishers: their own repository under a family's plain name holds the
 * unquantized (BF16/FP16) checkpoint, and their quantized copies add a suffix (Qwen/Qwen3-8B-FP8,
 * meta-llama/Llama-4-Scout-17B-16E-Instruct's -FP8 siblings), so the plain name matches no pattern with one.
 */
const PUBLISHERS = new Set(['qwen', 'google', 'meta-llama', 'mistralai', 'deepseek-ai', 'ibm-granite', 'zai-org', 'thudm', 'pfnet', 'microsoft']);
/** Families published quantized under the plain name: gpt-oss in MXFP4, DeepSeek-V3/R1 in FP8 (quantization_config in their config.json). */
const PUBLISHED_QUANTIZED = new Set(['gpt-oss', 'DeepSeek-V3/R1']);

/**
 * A Hugging Face id (`org/name`, or `hf://org/name`) that is a publisher's own unquantized checkpoint: the organisation
 * publishes the family and the name is exactly one of the family's, with no quantization or format suffix. Undefined
 * for any other id (a re-upload, a fine-tune, a local path), whose quantization is not known by its name.
 */
export function publishedUnquantized(reference: string): { family: string; publisher: string } | undefined {
  const id = /^(?:hf:\/\/)?([\w.-]+)\/([\w.-]+)$/.exec(reference.trim());
  if (!id || !PUBLISHERS.has(id[1].toLowerCase())) return undefined;
  const f = FAMILIES.find((x) => x.pattern.test(id[2].toLowerCase()));
  return f && !PUBLISHED_QUANTIZED.has(f.family) ? { family: f.family, publisher: id[1] } : undefined;
}

/**
 * Hugging Face organisations whose repositories named `…-AWQ` hold AWQ checkpoints, with config.json's
 * quantization_config saying quant_method "awq" (which vLLM's ModelConfig reads and checks --quantization against):
 * each with the repository that shows it.
 */
const AWQ_PUBLISHERS: Readonly<Record<string, string>> = {
  // vllm-project/vllm tests/quantization/test_configs.py: TheBloke/OpenHermes-2.5-Mistral-7B-AWQ is read as awq, and
  // --quantization gptq or marlin on it is refused (ValueError)
  thebloke: 'TheBloke/OpenHermes-2.5-Mistral-7B-AWQ in vLLM tests/quantization/test_configs.py',
  // models/qwen2.5-72b-instruct-awq/config.json (Qwen/Qwen2.5-72B-Instruct-AWQ): quant_method awq
  qwen: 'Qwen/Qwen2.5-72B-Instruct-AWQ, whose config.json is the bundled profile qwen2.5-72b-instruct-awq',
  // models/mistral-small-24b-instruct-2501-awq/config.json (casperhansen/mistral-small-24b-instruct-2501-awq): quant_method awq
  casperhansen: 'casperhansen/mistral-small-24b-instruct-2501-awq, whose config.json is the bundled profile mistral-small-24b-instruct-2501-awq',
};

/**
 * The quantization a Hugging Face id (`org/name`, or `hf://org/name`) states beyond doubt: a repository named `…-AWQ`
 * of an organisation that publishes its AWQ checkpoints so (AWQ_PUBLISHERS). Undefined for any other id, and for a
 * folder or path whose name only suggests a method.
 */
export function publishedQuantization(reference: string): { method: 'awq'; publisher: string; shownBy: string } | undefined {
  const id = hubIdOf(reference)?.split('/');
  if (!id || !/-awq$/i.test(id[1])) return undefined;
  const shownBy = AWQ_PUBLISHERS[id[0].toLowerCase()];
  return shownBy ? { method: 'awq', publisher: id[0], shownBy } : undefined;
}

/** The Hugging Face id (`org/name`) a reference names: `org/name`, or KServe's `hf://org/name` with an optional `:revision`. */
export function hubIdOf(reference: string): string | undefined {
  const id = /^(?:hf:\/\/([\w.-]+\/[\w.-]+)(?::[\w.-]+)?|([\w.-]+\/[\w.-]+))$/.exec(reference.trim());
  return id ? (id[1] ?? id[2]) : undefined;
}

/**
 * Words a repository name uses for a quantized or converted copy (-AWQ, -GPTQ-Int4, -FP8, -bnb-4bit, -GGUF, -qat-,
 * -quantized.w4a16, -MLX, -EXL2): a name with none is a publisher's full-precision release.
 */
const QUANTIZED_NAME =
  /(^|[-_.])(awq|gptq|marlin|int[48]|w\d+a\d+|[48]bit|nf4|fp[48]|nvfp4|mxfp4|bnb|gguf|qat|quant|quantized|exl2|mlx|q[2-8](_\w+)?)([-_.]|$)/i;

/**
 * A Hugging Face id of a families' publisher (PUBLISHERS) whose name carries no quantization or format word: the
 * publisher's own release, which those publishers ship in BF16 unless the family is one published quantized. Wider
 * than publishedUnquantized: the name need not be a family's the catalog knows (a newer release).
 */
export function publisherPlainRelease(reference: string): { publisher: string } | undefined {
  const id = hubIdOf(reference)?.split('/');
  if (!id || !PUBLISHERS.has(id[0].toLowerCase()) || QUANTIZED_NAME.test(id[1])) return undefined;
  return { publisher: id[0] };
}
