import { FLOAT16_DTYPES, float16Refusal, float16Verdict } from '../../catalog/vllm-float16';
import { isMovingVllmRelease, vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { architectureElsewhere, ServedModel, servedModel, servingContainers, VllmContainer } from '../vllm-served-model';

/** How the container comes to run in float16: the flag it gives, or `auto` on a float16 checkpoint; undefined otherwise. */
function float16Source(args: VllmArgs | undefined, served: ServedModel): string | undefined {
  if (args?.unknown('--dtype')) return undefined;
  const dtype = (args?.value('--dtype') ?? 'auto').toLowerCase();
  if (FLOAT16_DTYPES.includes(dtype)) return `--dtype ${dtype}`;
  // `auto` keeps a float16 checkpoint's dtype (vllm/config/model.py _get_and_verify_dtype); only a profile tells it
  return dtype === 'auto' && served.storedDtype === 'float16' ? `--dtype auto on a checkpoint stored in float16` : undefined;
}

function judge(c: VllmContainer, served: ServedModel, how: string, refusal: { modelType: string; since: string }): Problem {
  const runs = `container '${c.name}' serves ${served.model} (${served.how}) with ${how}`;
  const refused = `vLLM refuses float16 for model type '${refusal.modelType}' ("does not support float16. Reason: Numerical instability") and exits at start, so the pod crash-loops`;
  const fix = 'Set --dtype bfloat16 (or float32 on a GPU without bfloat16, before Ampere)';
  const known = vllmVersionOfImageReference(c.image);
  if (known) {
    if (float16Verdict(known.version, served.architecture) === 'refused') {
      return { severity: 'error', message: `${runs}: ${refused} (from vLLM ${refusal.since}; image ${c.image} is ${known.version}). ${fix}` };
    }
    return {
      severity: 'warning',
      message: `${runs}: vLLM ${known.version} (image ${c.image}) starts in float16, where this model is numerically unstable (empty or nonsense answers); vLLM ${refusal.since} and later refuse it. ${fix}`,
    };
  }
  if (isMovingVllmRelease(c.image))
    return { severity: 'error', message: `${runs}: ${refused} (from vLLM ${refusal.since}; image ${c.image} is newer). ${fix}` };
  return {
    severity: 'warning',
    message: `${runs}: assuming image ${c.image} holds vLLM ${refusal.since} or later (its tag does not say), ${refused}; older releases start and answer empty or nonsense text. ${fix}`,
  };
}

export const vllmDtypeUnsupported: Rule = {
  id: 'vllm-dtype-unsupported',
  title: 'vLLM is told to run in float16 a model family it refuses in float16 (Gemma 2, Gemma 3, GLM-4, PLaMo 2): the engine exits at start',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container that starts vLLM with --dtype float16 or half (or auto, when a recorded profile says the checkpoint is stored in float16) on a model whose architecture is known (a profile's config.json, else a family whose name tells one: google/gemma-2-*, google/gemma-3-*, GLM-4-*-0414, pfnet/plamo-2-*) and is in vLLM's table of model types refused in float16. An error when the image is a vLLM release that refuses it or vllm/vllm-openai:latest; a warning when the image's version is older (it starts, and answers garbage) or not told by its tag. Nothing when the model's family is unknown, or under --hf-overrides of the architecture, Mistral's own format, --model-impl transformers or an unread --config file",
  example: '`--dtype=float16` with `--model=google/gemma-2-2b-it` on `vllm/vllm-openai:v0.10.1`',
  fix: 'set --dtype bfloat16 (float32 on GPUs without bfloat16), or serve another model',
  source:
    "vllm-project/vllm vllm/config/model.py (vllm/config.py before v0.10.2): _FLOAT16_NOT_SUPPORTED_MODELS (gemma2, gemma3, gemma3_text, plamo2, glm4) and _check_valid_dtype, checked on the text config's model_type; vllm-project/vllm#17123 (2025-04-24: plamo2 alone in the table, Gemma 3 and GLM-4 answering garbage in float16)",
  check(o, ctx) {
    const out: Problem[] = [];
    for (const c of servingContainers(o, ctx)) {
      if (architectureElsewhere(c.args)) continue;
      const served = servedModel(o, ctx, c.args);
      const refusal = served && float16Refusal(served.architecture);
      const how = served && refusal && float16Source(c.args, served);
      if (served && refusal && how) out.push(judge(c, served, how, refusal));
    }
    return out;
  },
};
