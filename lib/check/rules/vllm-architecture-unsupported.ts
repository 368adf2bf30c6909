import { architectureVerdict, TRANSFORMERS_FALLBACK_SINCE, compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { Problem, Rule } from '../rule';
import { architectureElsewhere, ServedModel, servedModel, servingContainers, VllmContainer } from '../vllm-served-model';

/** The finding for one container, when its image's version and its model's architecture are both known and disagree. */
function judge(c: VllmContainer, served: ServedModel): Problem | undefined {
  const known = vllmVersionOfImageReference(c.image);
  if (!known) return undefined;
  const verdict = architectureVerdict(known.version, served.architecture);
  if (verdict.status !== 'not-yet' && verdict.status !== 'removed') return undefined;
  const forced = c.args?.value('--model-impl') === 'vllm';
  const noFallback = forced || compareVllmVersions(known.version, TRANSFORMERS_FALLBACK_SINCE) < 0;
  const runs = `container '${c.name}' runs vLLM ${known.version} (image ${c.image}${c.imageFrom ? ` ${c.imageFrom}` : ''}: ${known.how}) with ${served.model}, ${served.how}`;
  const fate = noFallback
    ? `the engine stops at start (${verdict.status === 'removed' ? `"Model architecture ${served.architecture} was supported in vLLM until v${verdict.until}"` : `"Model architectures ['${served.architecture}'] are not supported for now"`}) and the pod crash-loops`
    : `vLLM falls back to the Transformers library of the image, which starts only if that library has a vLLM-compatible ${served.architecture} (slower, some features missing); else the engine stops at start and the pod crash-loops`;
  if (verdict.status === 'not-yet') {
    return {
      severity: noFallback ? 'error' : 'warning',
      message: `${runs}: vLLM registers ${served.architecture} from ${verdict.since} on; ${fate}. Upgrade the image to vLLM ${verdict.since} or later`,
    };
  }
  return {
    severity: noFallback ? 'error' : 'warning',
    message: `${runs}: vLLM registers ${served.architecture} up to ${verdict.until} only; ${fate}. Serve it with vLLM ${verdict.until}, or serve another model`,
  };
}

export const vllmArchitectureUnsupported: Rule = {
  id: 'vllm-architecture-unsupported',
  title: "the vLLM image is older than the model's architecture (or newer than its removal): the engine cannot load the model",
  severity: 'error',
  appliesTo: ['InferenceService', 'LLMInferenceService', 'Deployment', 'StatefulSet', 'Pod', 'Job', 'ReplicaSet', 'DaemonSet'],
  premise:
    "both facts are known: the image's vLLM version (a release tag of vllm/vllm-openai, -rocm or -cpu, also through a registry mirror that keeps that path, or a Red Hat AI Inference Server release whose vLLM core Red Hat states; not a digest alone, latest, a nightly or another repository's build) and the model's architecture (its config.json as a profile given or recorded, else a family whose name tells one architecture: storageUri, spec.model.uri or --model, never --served-model-name); not judged under Mistral's own format (--config-format/--load-format mistral), --hf-overrides of the architecture, --model-impl transformers or an unread --config file. An error where vLLM cannot fall back to Transformers (before 0.7.2, or --model-impl vllm), else a warning",
  example: '`image: vllm/vllm-openai:v0.6.3` serving `hf://Qwen/Qwen3-8B`',
  fix: 'upgrade the image to a vLLM release that registers the architecture (the message names the first), or serve a model of an architecture the image has',
  source:
    'vLLM\'s model registry (vllm/model_executor/models/registry.py; models/__init__.py before v0.6.3): an architecture not in it stops the engine with "Model architectures [...] are not supported for now"; from v0.7.2 vLLM first tries the Transformers implementation (model_loader/utils.py). First releases: lib/catalog/data/vllm-architectures.json, derived from vllm-project/vllm\'s release tags by scripts/derive-vllm-architectures.js',
  check(o, ctx) {
    const out: Problem[] = [];
    for (const c of servingContainers(o, ctx)) {
      if (architectureElsewhere(c.args)) continue;
      const served = servedModel(o, ctx, c.args);
      const problem = served && judge(c, served);
      if (problem) out.push(problem);
    }
    return out;
  },
};
