import { hubIdOf, publishedQuantization } from '../../catalog/model-families';
import { ModelProfile } from '../../planning/model-profile';
import { flagRunsMethod, quantizationConflict as conflictOf } from '../../planning/vllm-startup-checks';
import { storageLocationOf } from '../serving-model';
import type { VllmArgs } from '../vllm-args';
import type { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** Words in a model path that suggest a pre-quantized checkpoint. */
const PREQUANTIZED_HINT = /(fp8|awq|gptq|w4a16|w8a8|int4|int8|nvfp4|mxfp4|bnb|4bit|8bit)/i;

/**
 * Methods a checkpoint's name states unambiguously, and the method its config records: vLLM accepts the flag equal to
 * the config's quant_method, or a kernel that runs it (flagRunsMethod: `gptq_marlin` for GPTQ; vllm/config/model.py,
 * _verify_quantization). Other hints (fp8, w4a16, int4, …) may be compressed-tensors or the method itself, so they
 * stay in doubt.
 */
const NAMED_METHODS: readonly { readonly hint: RegExp; readonly method: string }[] = [
  { hint: /awq/i, method: 'awq' },
  { hint: /gptq/i, method: 'gptq' },
  { hint: /bnb/i, method: 'bitsandbytes' },
];

/** vLLM's words when --quantization differs from the checkpoint's method (vllm/config/model.py _verify_quantization). */
const refusal = (method: string, flag: string) =>
  `vLLM: "Quantization method specified in the model config (${method}) does not match the quantization method specified in the \`quantization\` argument (${flag})"`;

/** The Hugging Face ids the service names its model by: the storage location (hf://org/name), and --model where it is one. */
function hubIdsOf(location: string, args: VllmArgs): string[] {
  const model = args.unknown('--model') ? undefined : args.model();
  return [...new Set([location, model ?? ''].map((r) => hubIdOf(r)).filter((x): x is string => x !== undefined))];
}

/**
 * The findings where the checkpoint's quantization is known by its id (a bundled profile of it, or a publisher's -AWQ
 * repository): none where the flag agrees; undefined where no id tells it.
 */
function knownByIdProblems(ids: readonly string[], flag: string): Problem[] | undefined {
  for (const id of ids) {
    const bundled = ModelProfile.bundledCheckpoint(id);
    if (bundled) {
      const conflict = conflictOf(bundled.quantization, flag);
      return conflict ? [{ message: `--quantization=${flag} on ${id} (its config.json is the bundled profile ${bundled.name}): ${conflict}` }] : [];
    }
    const published = publishedQuantization(id);
    if (published) {
      if (flagRunsMethod(published.method, flag)) return [];
      return [
        {
          message: `--quantization=${flag} on ${id}, an AWQ checkpoint: ${published.publisher}'s -AWQ repositories record quant_method awq in config.json (as ${published.shownBy} shows), and vLLM refuses another method at start (${refusal(published.method, flag.toLowerCase())}), so the predictor crash-loops; drop --quantization (vLLM reads the method from the checkpoint) or pass awq`,
        },
      ];
    }
  }
  return undefined;
}

/**
 * The Hugging Face id a script of the tree uploads to the service's S3 location (s3-uploads.ts: a hub download, then
 * an upload of it under that bucket and prefix), with the script line that does it.
 */
function uploadedId(location: string, graph: ObjectGraph): { id: string; at: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*?)\/*$/.exec(location);
  if (!m) return undefined;
  const upload = graph.scriptS3Uploads.find((u) => u.model !== undefined && u.bucket === m[1] && u.prefix === m[2]);
  return upload?.model ? { id: upload.model, at: `${upload.script}:${upload.line}` } : undefined;
}

/**
 * The checkpoint a script uploads, known by its id: what its id tells (knownByIdProblems), else the method its name
 * states beyond doubt (-AWQ, -GPTQ); an error naming the script line, since the name of the S3 prefix is then no guess.
 */
function uploadedProblems(location: string, flag: string, graph: ObjectGraph): Problem[] | undefined {
  const uploaded = uploadedId(location, graph);
  if (!uploaded) return undefined;
  const via = `${location}, which ${uploaded.at} fills from ${uploaded.id}`;
  const byId = knownByIdProblems([uploaded.id], flag);
  if (byId) return byId.map((p) => ({ message: p.message.replace(`--quantization=${flag} on ${uploaded.id}`, `--quantization=${flag} on ${via}`) }));
  const named = NAMED_METHODS.find((n) => n.hint.test(uploaded.id.split('/')[1]));
  if (!named) return undefined;
  if (flagRunsMethod(named.method, flag)) return [];
  return [
    {
      message: `--quantization=${flag} on ${via}, a ${named.method} checkpoint by its name: vLLM refuses another method at start (${refusal(named.method, flag.toLowerCase())}), so the predictor crash-loops; drop --quantization (vLLM reads the method from the checkpoint) or pass ${named.method}`,
    },
  ];
}

export const quantizationConflict: Rule = {
  id: 'quantization-conflict',
  title: '--quantization contradicts the quantization the checkpoint already carries (vLLM refuses to start)',
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService'],
  premise:
    "the service passes --quantization and the checkpoint's quantization is known: its profile (given with --model or recorded by a construct), a bundled profile whose config.json is of the Hugging Face id the service names (hf:// storage or --model), or an id that states it beyond doubt (a repository named …-AWQ of TheBloke, Qwen or casperhansen, which publish AWQ checkpoints so), also where the service's s3:// location is the bucket and prefix a script or guide of the repository fills from a Hugging Face id (`huggingface-cli download <id>` or `hf download <id>`, then `aws s3 cp|sync`, s5cmd or mc into that prefix; a script a guide runs with literal operands, its $1 … $9 read as them), the id known as above or naming the method (-AWQ, -GPTQ): an error naming the script line. Otherwise only a warning when the path's name suggests a quantization (a folder name is a guess), none when it names the method the flag runs: awq, gptq, bnb for bitsandbytes, their Marlin kernels gptq_marlin, awq_marlin and marlin for gptq and awq",
  example: '`--quantization=fp8` on an FP8-dynamic (compressed-tensors) checkpoint',
  fix: 'remove --quantization: vLLM reads the method from the checkpoint',
  source:
    'vllm/config/model.py ModelConfig._verify_quantization: "Quantization method specified in the model config … does not match the quantization method specified in the `quantization` argument"; vllm-project/vllm tests/quantization/test_configs.py (TheBloke/OpenHermes-2.5-Mistral-7B-AWQ read as awq, --quantization gptq or marlin on it refused); the config.json of Qwen/Qwen2.5-72B-Instruct-AWQ and casperhansen/mistral-small-24b-instruct-2501-awq (models/, quant_method awq)',
  check(o, ctx) {
    const args = ctx.graph.vllmCommand(o)?.args;
    const flag = args?.value('--quantization');
    if (!args || !flag || args.unknown('--quantization')) return [];
    const location = storageLocationOf(o.manifest) ?? '';
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch {
      return []; // an invalid recorded profile is reported by gpu-memory-fit
    }
    if (profile) {
      const conflict = conflictOf(profile.quantization, flag);
      return conflict ? [{ message: `--quantization=${flag}: ${conflict}` }] : [];
    }
    const byId = knownByIdProblems(hubIdsOf(location, args), flag) ?? uploadedProblems(location, flag, ctx.graph);
    if (byId) return byId;
    if (!PREQUANTIZED_HINT.test(location)) return [];
    // the name states the method the flag gives: they agree
    if (NAMED_METHODS.some((m) => m.hint.test(location) && flagRunsMethod(m.method, flag))) return [];
    return [
      {
        severity: 'warning',
        message: `--quantization=${flag} on ${location}, whose name suggests a pre-quantized checkpoint; vLLM refuses a method that differs from the checkpoint's. Check with --model ${location}=<folder>, or drop the flag`,
      },
    ];
  },
};
