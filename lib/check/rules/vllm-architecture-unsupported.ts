import { architectureVerdict, TRANSFORMERS_FALLBACK_SINCE, compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { speculativeMethodSupport } from '../../catalog/vllm-speculative-methods';
import { isMapping } from '../../manifests/access';
import { WORKLOAD_KINDS } from '../pods';
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
  // another repository's build of the release may register models of its own: the release's registry is not proof
  const severity = noFallback && !known.rebuilt ? 'error' : 'warning';
  const unless = known.rebuilt ? ', unless that build registers the architecture itself' : '';
  if (verdict.status === 'not-yet') {
    return {
      severity,
      message: `${runs}: vLLM registers ${served.architecture} from ${verdict.since} on; ${fate}${unless}. Upgrade the image to vLLM ${verdict.since} or later`,
    };
  }
  return {
    severity,
    message: `${runs}: vLLM registers ${served.architecture} up to ${verdict.until} only; ${fate}${unless}. Serve it with vLLM ${verdict.until}, or serve another model`,
  };
}

/** The `method` of `--speculative-config` (JSON, as vLLM parses it), when it is one. */
function speculativeMethod(c: VllmContainer): string | undefined {
  const written = c.args?.value('--speculative-config');
  if (!written || c.args?.unknown('--speculative-config')) return undefined;
  try {
    const parsed: unknown = JSON.parse(written);
    return isMapping(parsed) && typeof parsed.method === 'string' ? parsed.method : undefined;
  } catch {
    return undefined;
  }
}

/** A speculative method whose draft model the image's vLLM does not register: the engine stops at start. */
function speculativeProblem(c: VllmContainer): Problem | undefined {
  const method = speculativeMethod(c);
  const support = method ? speculativeMethodSupport(method) : undefined;
  const known = support ? vllmVersionOfImageReference(c.image) : undefined;
  if (!support || !known || compareVllmVersions(known.version, support.since) >= 0) return undefined;
  return {
    ...(known.rebuilt ? { severity: 'warning' as const } : {}),
    message:
      `container '${c.name}' runs vLLM ${known.version} (image ${c.image}${c.imageFrom ? ` ${c.imageFrom}` : ''}: ${known.how}) with --speculative-config method '${method}', ` +
      `whose draft model ${support.architecture} vLLM registers from ${support.since} on: the release does not know the method and the engine stops at start, so the pod crash-loops. ` +
      `${known.rebuilt ? 'Unless that build registers it itself, upgrade' : 'Upgrade'} the image to vLLM ${support.since} or later, or drop the speculative config`,
  };
}

export const vllmArchitectureUnsupported: Rule = {
  id: 'vllm-architecture-unsupported',
  title:
    "the vLLM image is older than the model's architecture (or newer than its removal), or than the draft model of its speculative method: the engine cannot load the model",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "both facts are known: the image's vLLM version (a release tag of vllm/vllm-openai, -rocm or -cpu, also through a registry mirror that keeps that path, or a Red Hat AI Inference Server release whose vLLM core Red Hat states; not a digest alone, latest, a nightly or a fork's build; another repository's image named as vLLM's, `vllm-cpu:v0.11.0-cfc13f2`, a release tag with build ids only, read as that release's build, whose verdicts are warnings: the build may register more) and the model's architecture (its config.json as a profile given or recorded, else a family whose name tells one architecture: storageUri, spec.model.uri or --model, never --served-model-name); not judged under Mistral's own format (--config-format/--load-format mistral), --hf-overrides of the architecture, --model-impl transformers or an unread --config file. An error where vLLM cannot fall back to Transformers (before 0.7.2, or --model-impl vllm), else a warning. " +
    "A --speculative-config method of multi-token prediction (qwen3_next_mtp, deepseek_mtp, …) loads a draft architecture of its own (Qwen3NextMTP, …): an error where the image's release is older than the first that registers it",
  example: '`image: vllm/vllm-openai:v0.6.3` serving `hf://Qwen/Qwen3-8B`',
  fix: 'upgrade the image to a vLLM release that registers the architecture (the message names the first), or serve a model of an architecture the image has',
  source:
    'vLLM\'s model registry (vllm/model_executor/models/registry.py; models/__init__.py before v0.6.3): an architecture not in it stops the engine with "Model architectures [...] are not supported for now"; from v0.7.2 vLLM first tries the Transformers implementation (model_loader/utils.py). First releases: lib/catalog/data/vllm-architectures.json, derived from vllm-project/vllm\'s release tags by scripts/derive-vllm-architectures.js; ' +
    'the draft architecture of each multi-token-prediction method: vllm/config/speculative.py SpeculativeConfig.hf_config_override',
  check(o, ctx) {
    const out: Problem[] = [];
    for (const c of servingContainers(o, ctx)) {
      const speculative = speculativeProblem(c);
      if (speculative) out.push(speculative);
      if (architectureElsewhere(c.args)) continue;
      const served = servedModel(o, ctx, c.args);
      const problem = served && judge(c, served);
      if (problem) out.push(problem);
    }
    return out;
  },
};
