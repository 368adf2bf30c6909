import { KEY_VALUE_REFUSED_SINCE, keyValuePairs, pairsAsJson, VLLM_JSON_FLAGS } from '../../catalog/vllm-json-flags';
import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmReleaseOfImage } from '../../catalog/vllm-images';
import { text } from '../../manifests/access';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/** How the image's release meets the refusal: refused (error), unknown (warning), or accepted (silent). */
function verdict(image: string | undefined): { severity: 'error' | 'warning'; why: string } | undefined {
  const release = image ? vllmReleaseOfImage(image) : undefined;
  if (!release) return { severity: 'warning', why: `image ${image ?? '(none written)'} does not tell its vLLM release; from ${KEY_VALUE_REFUSED_SINCE}` };
  if (!release.atLeast && compareVllmVersions(release.version, KEY_VALUE_REFUSED_SINCE) < 0) return undefined;
  return {
    severity: 'error',
    why: `image ${image} runs vLLM ${release.version}${release.atLeast ? ' or newer' : ''} (${release.how}); from ${KEY_VALUE_REFUSED_SINCE}`,
  };
}

/** Each JSON option of a container's line given `key=value` pairs. */
function keyValueOptions(c: ContainerLine): Problem[] {
  return c.args.given().flatMap(({ flag, occurrences }) => {
    if (!VLLM_JSON_FLAGS.has(flag)) return [];
    return occurrences.flatMap((o): Problem[] => {
      const pairs = o.uncertain || o.value.includes('$') ? undefined : keyValuePairs(o.value);
      const judged = pairs && verdict(text(c.container.image));
      if (!pairs || !judged) return [];
      const shown = o.attached ?? `${flag} ${o.value}`;
      return [
        {
          severity: judged.severity,
          message:
            `${c.where}: ${shown} (${o.from}) gives key=value pairs, and ${judged.why} vLLM parses ${flag} as JSON only, ` +
            `so argparse exits ("argument ${flag}: Value ${o.value} cannot be converted") and the pod crash-loops; write ${flag}=${pairsAsJson(pairs)}`,
        },
      ];
    });
  });
}

export const vllmJsonOptionKeyValue: Rule = {
  id: 'vllm-json-option-key-value',
  title: 'a JSON-valued vLLM option is given key=value pairs (--limit-mm-per-prompt image=1): vLLM 0.10 and later read it as JSON only and exit',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container visibly starts vLLM's server and an option vLLM parses as JSON (--limit-mm-per-prompt, --hf-overrides, --mm-processor-kwargs and the other dict- or config-typed options) has a value, as the command line reaches vLLM, of comma-separated key=value pairs. An error when the image is a vLLM release from 0.10.0 on (or vLLM's own image at latest); a warning when its tag does not tell the release; nothing on releases before 0.10.0, which read the pairs (deprecated), nor on variables or words that may not reach vLLM",
  example: '`--limit-mm-per-prompt` followed by `image=1` on `vllm/vllm-openai:v0.10.1`',
  fix: 'write the value as a JSON object: --limit-mm-per-prompt={"image": 1} (in exec-form args, without quotes around it)',
  source:
    'vllm-project/vllm vllm/engine/arg_utils.py parse_type: through v0.9 a dict option\'s value not written as {...} fell back to nullable_kvs, deprecated ("This will be removed in v0.10.0"); v0.10.0 parses it with json.loads alone, raising argparse.ArgumentTypeError; vllm-project/vllm#21615 (limit-mm-per-prompt refused in 0.10.0)',
  check(o) {
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap(keyValueOptions);
  },
};
