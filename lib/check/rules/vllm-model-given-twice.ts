import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmReleaseOfImage } from '../../catalog/vllm-images';
import { text } from '../../manifests/access';
import { MODEL_SERVICE_KIND } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { GraphObject } from '../graph-object';
import { VllmArgs } from '../vllm-args';
import { serviceImage, serviceVllmVersion } from '../vllm-image';
import { workloadVllmLines } from '../workload-lines';

/**
 * The first vLLM release that refuses `--model` under `vllm serve` (vllm-project/vllm#7347, August 2024): the serve
 * command (vllm/scripts.py serve, then vllm/entrypoints/cli/serve.py ServeSubcommand.cmd) raises where args.model is not
 * EngineArgs' default, whichever way --model was written ("With `vllm serve`, you should provide the model as a
 * positional argument instead of via the `--model` option"); before it the positional model_tag replaced --model.
 */
const REFUSED_FROM = '0.6.0';
/**
 * The first release that refuses only the word `--model` (vllm-project/vllm#15798, "specify model in config.yaml",
 * merged 2025-04-01 after #14855 was reverted on 2025-03-21: FlexibleArgumentParser.parse_args raises where
 * `arg == '--model'`, and ServeSubcommand.cmd lets the positional model_tag take precedence): `--model=x` passes, and the
 * positional is served.
 */
const WORD_ONLY_FROM = '0.8.3';
/**
 * The first release that moves `--model` to the front instead of refusing it (vllm-project/vllm#25967, merged
 * 2025-10-01: FlexibleArgumentParser.parse_args, vllm/utils/argparse_utils.py, "Move <model> to the front", `--model x`
 * and `--model=x` alike), which leaves a positional written before it as an extra argument argparse refuses.
 */
const MOVED_FROM = '0.11.1';

/** How a vLLM release reads `vllm serve <positional> … --model …`. */
type Reading = 'moved' | 'refused' | 'accepted';

/** What the release does with the line: from MOVED_FROM moved, before it refused (the word `--model` only from WORD_ONLY_FROM). */
function readingAt(version: string, joined: boolean): Reading {
  if (compareVllmVersions(version, MOVED_FROM) >= 0) return 'moved';
  if (compareVllmVersions(version, REFUSED_FROM) < 0) return 'accepted';
  return joined && compareVllmVersions(version, WORD_ONLY_FROM) >= 0 ? 'accepted' : 'refused';
}

const REFUSED = `vLLM refuses --model under \`vllm serve\` ("With \`vllm serve\`, you should provide the model as a positional argument … instead of via the \`--model\` option")`;
const moved = (positional: string) =>
  `vLLM moves --model's value to the front as the model and leaves '${positional}' over, which argparse refuses ("unrecognized arguments: ${positional}")`;

/** The releases that fail on the line and those that run it, for an image whose release is not known. */
function byRelease(positional: string, joined: boolean): { fails: string; runs: string } {
  const refusing = joined ? `${REFUSED_FROM} to 0.8.2` : `${REFUSED_FROM} to 0.11.0`;
  const fails = `from ${MOVED_FROM} on ${moved(positional)}, and releases ${refusing} refuse it outright: ${REFUSED}`;
  const runs = `${joined ? `${WORD_ONLY_FROM} to 0.11.0 and ` : ''}releases before ${REFUSED_FROM} serve the positional '${positional}' and ignore --model`;
  return { fails, runs };
}

/** The release an image runs, where its reference, a moving tag or the service's runtime tells it. */
interface Release {
  readonly version: string;
  readonly how: string;
}

/** The finding on a command line that names the model both ways, by the release the image runs; unknown: a warning naming the releases that fail. */
function givenTwice(args: VllmArgs, release: Release | undefined): Problem[] {
  const twice = args.modelTwice;
  if (!twice) return [];
  const { positional, flag, joined } = twice;
  const same = positional.word === flag.word;
  const written = joined ? `--model=${flag.word}` : `--model ${flag.word}`;
  const head = `\`vllm serve ${positional.word}\` (${positional.from}) also gives ${written} (${flag.from}): `;
  if (release && readingAt(release.version, joined) === 'accepted') {
    // the positional is served and --model is ignored: harmless where both name the same model
    if (same) return [];
    return [
      {
        severity: 'warning',
        message: `${head}vLLM ${release.version} (${release.how}) serves the positional '${positional.word}' and ignores --model, so '${flag.word}' is not what runs, and from ${MOVED_FROM} the line fails (${moved(positional.word)}): give the model once, as the positional`,
      },
    ];
  }
  const fix = `give the model once, as the positional: \`vllm serve ${flag.word} …\`${same ? '' : ` (drop '${positional.word}')`}`;
  if (!release) {
    const { fails, runs } = byRelease(positional.word, joined);
    return [
      {
        severity: 'warning',
        message: `${head}the image's vLLM release is not known here: ${fails}; on those releases the server exits before it loads any model (${runs}): ${fix}`,
      },
    ];
  }
  const how = readingAt(release.version, joined) === 'moved' ? moved(positional.word) : REFUSED;
  return [
    {
      message:
        `${head}${how} (${release.how}); the server exits before it loads any model` +
        (same ? ` (the same model twice fails as well)` : `, and vLLM serves one model: '${positional.word}' or '${flag.word}', not both`) +
        `: ${fix}`,
    },
  ];
}

/** The release of a workload container's image: its reference, or a moving tag's newest release. */
function imageRelease(image: string | undefined): Release | undefined {
  const release = image ? vllmReleaseOfImage(image) : undefined;
  return release && { version: release.version, how: release.how };
}

/**
 * An InferenceService's line as KServe runs it (its runtime's command and args, then its own args, merged as
 * MergeRuntimeContainers merges them), judged at the release its image or runtime states.
 */
function serviceProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const args = ctx.graph.vllmCommand(o)?.args;
  if (!args?.invoked) return [];
  const served = serviceImage(o, ctx);
  const release = serviceVllmVersion(o, ctx, served?.image) ?? imageRelease(served?.image);
  return givenTwice(args, release).map((p) => ({ ...p, message: `container '${served?.name ?? 'kserve-container'}': ${p.message}` }));
}

export const vllmModelGivenTwice: Rule = {
  id: 'vllm-model-given-twice',
  title: '`vllm serve MODEL … --model OTHER`: vLLM takes the model once, and the server exits',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "a container's command line visibly runs `vllm serve` with a positional word right after the subcommand and a `--model` flag later (both literal, surely reaching vLLM: not a variable, not an env hook of an unknown entrypoint); an InferenceService's line is its ServingRuntime's command and args followed by its own args, as KServe merges them (`vllm serve /mnt/models` in the runtime, `--model=/mnt/models` in the service). " +
    'By release: 0.6.0 to 0.8.2 refuse --model under `vllm serve` however written (a ValueError); 0.8.3 to 0.11.0 refuse the word `--model` and accept `--model=x`, serving the positional (a warning where the two differ, nothing where they match); from 0.11.1 vLLM moves --model\'s value to the front as the model, which leaves the positional an extra argument argparse refuses ("unrecognized arguments"), even where both name the same model. ' +
    "The release is the image's (its tag, a moving tag's newest release, or the ServingRuntime's opendatahub.io/runtime-version for Red Hat's build); where nothing tells it, a warning naming the releases that fail; an image whose tag proves a release before 0.6.0, where the positional replaced --model, is not judged",
  example: '`vllm serve vllm.entrypoints.openai.api_server --model Qwen/Qwen2.5-Coder-1.5B-Instruct --max-model-len 4096`',
  fix: 'give the model once, as the positional: `vllm serve Qwen/Qwen2.5-Coder-1.5B-Instruct --max-model-len 4096`; in an InferenceService, drop the --model its args add where its runtime already runs `vllm serve /mnt/models`',
  source:
    'vllm-project/vllm#7347 ("Disallow passing model as both argument and option": vllm/scripts.py serve raises where args.model is not EngineArgs.model), #15798 (FlexibleArgumentParser.parse_args in vllm/utils.py raises on the word --model only; ServeSubcommand.cmd in vllm/entrypoints/cli/serve.py lets the positional model_tag take precedence) and #25967 (parse_args in vllm/utils/argparse_utils.py moves the first --model, either form, to the front as the model tag); the serve subparser takes one positional, model_tag, so argparse refuses another with "unrecognized arguments"; KServe MergeRuntimeContainers (pkg/controller/v1beta1/inferenceservice/utils/utils.go) appends the service\'s args to the runtime\'s',
  check(o, ctx) {
    if (o.manifest.kind === 'InferenceService') return serviceProblems(o, ctx);
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => givenTwice(c.args, imageRelease(text(c.container.image))).map((p) => ({ ...p, message: `${c.where}: ${p.message}` })));
  },
};
