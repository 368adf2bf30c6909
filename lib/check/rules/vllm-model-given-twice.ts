import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmReleaseOfImage } from '../../catalog/vllm-images';
import { text } from '../../manifests/access';
import { MODEL_SERVICE_KIND } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { workloadVllmLines } from '../workload-lines';

/**
 * The first vLLM release that refuses `--model` under `vllm serve` (vllm-project/vllm#7347, August 2024: "With `vllm
 * serve`, you should provide the model as a positional argument or in a config file instead of via the `--model`
 * option"); before it the positional model_tag replaced --model. The catalogue's releases start at 0.6.0, which has it.
 */
const REFUSED_FROM = '0.6.0';
/**
 * The first release that moves `--model` to the front instead of refusing it (vllm-project/vllm#25967, merged
 * 2025-10-01: FlexibleArgumentParser.parse_args, vllm/utils/argparse_utils.py, "Move <model> to the front"), which
 * leaves a positional written before it as an extra argument argparse refuses.
 */
const MOVED_FROM = '0.11.1';

/** Why the command line fails, by the release the image runs (a moving tag's floor, the newest, counts as it); unknown: both ways, each failing. */
function howItFails(positional: string, version: string | undefined): string {
  const refused = `vLLM refuses --model under \`vllm serve\` ("With \`vllm serve\`, you should provide the model as a positional argument or in a config file instead of via the \`--model\` option")`;
  const moved = `vLLM moves --model's value to the front as the model and leaves '${positional}' over, which argparse refuses ("unrecognized arguments: ${positional}")`;
  if (version === undefined) return `from ${MOVED_FROM} on ${moved}; releases ${REFUSED_FROM} to 0.11.0 refuse it outright: ${refused}`;
  return compareVllmVersions(version, MOVED_FROM) >= 0 ? moved : refused;
}

/** The finding on a command line that names the model both ways, where the image's release is one that fails. */
function givenTwice(args: VllmArgs, image: string | undefined): Problem[] {
  const twice = args.modelTwice;
  if (!twice) return [];
  const release = image ? vllmReleaseOfImage(image) : undefined;
  // before REFUSED_FROM the positional replaced --model: not judged (the catalogue does not reach there)
  if (release && !release.atLeast && compareVllmVersions(release.version, REFUSED_FROM) < 0) return [];
  const { positional, flag } = twice;
  const same = positional.word === flag.word;
  return [
    {
      message:
        `\`vllm serve ${positional.word}\` (${positional.from}) also gives --model ${flag.word} (${flag.from}): ${howItFails(positional.word, release?.version)}` +
        `${release ? ` (${release.how})` : ''}; the server exits before it loads any model` +
        (same ? '' : `, and '${positional.word}' is no model the tree means to serve`) +
        `: give the model once, as the positional: \`vllm serve ${flag.word} …\`${same ? '' : ` (drop '${positional.word}')`}`,
    },
  ];
}

export const vllmModelGivenTwice: Rule = {
  id: 'vllm-model-given-twice',
  title: '`vllm serve MODEL … --model OTHER`: vLLM takes the model once, and the server exits',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    'a container\'s command line visibly runs `vllm serve` with a positional word right after the subcommand and a `--model` flag later (both literal, surely reaching vLLM: not a variable, not an env hook of an unknown entrypoint); in every release the catalogue knows (0.6.0 on) this fails at argument parsing: releases 0.6.0 to 0.11.0 refuse --model under `vllm serve` (a ValueError), and from 0.11.1 vLLM moves --model\'s value to the front as the model, which leaves the positional an extra argument argparse refuses ("unrecognized arguments"); an image whose tag proves a release before 0.6.0, where the positional replaced --model, is not judged',
  example: '`vllm serve vllm.entrypoints.openai.api_server --model Qwen/Qwen2.5-Coder-1.5B-Instruct --max-model-len 4096`',
  fix: 'give the model once, as the positional: `vllm serve Qwen/Qwen2.5-Coder-1.5B-Instruct --max-model-len 4096`',
  source:
    'vllm-project/vllm#7347 ("Disallow passing model as both argument and option": ValueError when --model is given to vllm serve) and #25967 (deprecate instead: FlexibleArgumentParser.parse_args in vllm/utils/argparse_utils.py moves the first --model to the front as the model tag); the serve subparser takes one positional, model_tag (vllm/entrypoints/cli/serve.py), so argparse refuses another with "unrecognized arguments"',
  check(o) {
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => givenTwice(c.args, text(c.container.image)).map((p) => ({ ...p, message: `${c.where}: ${p.message}` })));
  },
};
