import { mapping, mappings, text } from '../../manifests/access';
import { compareVllmVersions } from '../../catalog/vllm-architectures';
import {
  FLAG_RELEASES,
  FlagVerdict,
  isCataloguedFlag,
  negationOf,
  removedAfter,
  removedAround,
  removalOf,
  replacementOf,
  shownFlag,
  sureSlipOf,
  vllmFlagVerdict,
} from '../../catalog/vllm-flags';
import { isMovingVllmRelease, vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { KSERVE_HF_SERVER } from '../kserve-hf-server';
import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { FlagOccurrence, VllmArgs } from '../vllm-args';
import { releaseOfDigest, serviceImage, serviceVllmVersion, TreeVllmImage, treeVllmImages } from '../vllm-image';
import { workloadVllmLines } from '../workload-lines';

const OLDEST = FLAG_RELEASES[0];
const NEWEST = FLAG_RELEASES[FLAG_RELEASES.length - 1];
/**
 * Images whose server is another project's CLI built on vLLM's: vLLM-Omni (vllm-project/vllm-omni, docs/cli/README.md:
 * its `vllm serve` "inherits from vllm with some additional arguments", `--omni`, `--stage-configs-path`), whose tag is
 * its own release, not vLLM's: its options are not judged against vLLM's table.
 */
const OWN_CLI_IMAGE = /(^|\/)vllm-omni([:@]|$)/;

/** Long options the reading of the command line writes for a short one (-O3): what was written is not known here. */
const FROM_SHORT = new Set(['--optimization-level']);

export const vllmFlagUnknown: Rule = {
  id: 'vllm-flag-unknown',
  title: "a vLLM command line gives an option vLLM's server does not have (--device-type, --max-model-length): its parser stops and the pod crash-loops",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    `the service runs vLLM (or a container visibly starts vLLM's server) and its command line, as vLLM reads it (runtime args then the service's, VLLM_ADDITIONAL_ARGS where expanded, a --config file of the tree; underscores read as dashes, --flag=value, a unique prefix of an option standing for it as argparse allows), gives a long option (the word before the first blank where one element holds an option and its value: the unsplit element is argument-not-split's) that the image's release (a release tag of vLLM's images, or of another repository named as vLLM's builds are, \`vllm-cpu:v0.11.0-cfc13f2\`, a release with build ids only after it (a git commit, a number, a platform word), not a fork's (rocm/, Red Hat's), Red Hat AI Inference Server's stated core, or, for Red Hat's build of vLLM run from a ServingRuntime, the runtime's opendatahub.io/runtime-version annotation) lacks (removals and additions that fall between catalogued releases are placed by the vLLM change that made them, and a removed option's replacement is named), or, the version not known, that no vLLM release from ${OLDEST} to ${NEWEST} accepts while it is near a known option (a slip: --max-model-length); one near none may be newer than the catalogue, a warning; an option vLLM removed before ${NEWEST}, the version not known (a digest alone, another repository's moving tag, a build of its own), a warning naming the last release that has it and the one that no longer does (saying so where the tree's other vLLM images all run releases without it, which proves nothing of this image); an image pinned by a digest the tree tags elsewhere with a release (\`vllm-openai:v0.10.0@sha256:…\`) runs that release. An image newer than ${NEWEST} may have options the catalogue does not list: a \`--disable-X\` where the newest has \`--no-enable-X\`, or an option an edit or two from one the newest keeps, is an error there, other slips of known options warnings, and options removed before ${NEWEST} (taken as absent from later releases) as errors, also on vLLM's own images at latest (the newest release); a release the catalogue skipped is judged by its catalogued neighbours, and an option the earlier has and the later lacks (removed in between) is a warning there; an image older than ${OLDEST} is not judged. Words after -- , values, variables, -O and words that may not reach vLLM are not judged, nor the options of KServe's huggingfaceserver image (its parser ignores what it does not know; where the service's runtime is not in the input, a runtime name naming huggingfaceserver or the server's own --backend or --model_name tells it) or of an image of a project with its own CLI built on vLLM's (vLLM-Omni's vllm-omni: \`--omni\`, its own release tags). A catalogued long option written with one dash (\`-max-model-len\`), or as \`name=value\` without its dashes (\`max_num_batched_tokens=1024\`, not the value of the option before it), is an error too; vLLM's short options (-tp, -pp, -dp, -q, -O3) are not judged` +
    MODEL_SERVICE_PREMISE,
  example: '`--device-type cpu` in the container args of `vllm serve`',
  fix: 'write the option vLLM has (the message names the nearest ones) or drop it; for an option of a newer or older release, change the image to one that has it',
  source:
    "vllm/engine/arg_utils.py EngineArgs.add_cli_args and vllm/entrypoints/openai/cli_args.py make_arg_parser / FrontendArgs, vllm/entrypoints/cli/serve.py, per release tag (scripts/derive-vllm-flags.js → lib/catalog/data/vllm-flags.json); FlexibleArgumentParser (vllm/utils/argparse_utils.py) keeps argparse's allow_abbrev and its parse_args exits on 'unrecognized arguments'; removals in gaps: vllm-project/vllm#29402, #36216; additions: #31343; replacement: #25181; the runtime-version annotation: odh-model-controller's vLLM ServingRuntime templates",
  check(o, ctx) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') {
      const args = ctx.graph.vllmCommand(o)?.args;
      const kind = ctx.graph.servingKindOf(o);
      // a custom container counts where its command line visibly starts vLLM's server
      if (!args || !(kind.startsWith('vllm') || (kind === 'custom-container' && args.invoked))) return [];
      const served = serviceImage(o, ctx);
      if (runsKserveHuggingfaceServer(args, ...[o, ctx])) return [];
      const stated = serviceVllmVersion(o, ctx, served?.image) ?? (served ? releaseOfDigest(ctx.graph, served.image) : undefined);
      return unknownFlags(args, `container '${served?.name ?? 'kserve-container'}'`, served?.image, stated, treeVllmImages(ctx.graph));
    }
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => {
        const image = text(c.container.image);
        return unknownFlags(c.args, c.where, image, image ? releaseOfDigest(ctx.graph, image) : undefined, treeVllmImages(ctx.graph));
      });
  },
};

/**
 * The images of the ClusterServingRuntime an InferenceService names, where no ServingRuntime of that name is in its
 * namespace (KServe then binds the cluster one: pkg/controller/v1beta1/inferenceservice/utils GetServingRuntime).
 */
function clusterRuntimeImages(...[o, ctx]: Parameters<Rule['check']>): string[] {
  const name = text(mapping(mapping(mapping(o.manifest.spec).predictor).model).runtime);
  if (!name || ctx.graph.runtimeOf(o.manifest)) return [];
  return mappings(mapping(ctx.graph.find('ClusterServingRuntime', name)?.manifest.spec).containers).flatMap((c) => text(c.image) ?? []);
}

/**
 * Whether the service's runtime is KServe's huggingfaceserver, whose parser ignores what it does not know: the
 * ClusterServingRuntime it binds runs that image, or, no runtime of that name being in the tree (its image unknown),
 * the name says so (KServe's own kserve-huggingfaceserver and the copies named after it) or the arguments hold the
 * server's own options, which vLLM's parser has none of (--backend, --model_name: huggingfaceserver __main__.py).
 */
function runsKserveHuggingfaceServer(args: VllmArgs, ...[o, ctx]: Parameters<Rule['check']>): boolean {
  if (clusterRuntimeImages(o, ctx).some((i) => KSERVE_HF_SERVER.test(i))) return true;
  if (o.manifest.kind !== 'InferenceService' || ctx.graph.runtimeOf(o.manifest)) return false;
  const name = text(mapping(mapping(mapping(o.manifest.spec).predictor).model).runtime) ?? '';
  return /huggingfaceserver/i.test(name) || args.words.some((w) => /^--(backend|model_name)(=|$)/.test(w.word));
}

/** Each option written before any `--` that the image's vLLM (or every release, its version unknown) lacks. */
function unknownFlags(args: VllmArgs, where: string, image: string | undefined, stated: KnownVersion, tree: readonly TreeVllmImage[]): Problem[] {
  if (image && (KSERVE_HF_SERVER.test(image) || OWN_CLI_IMAGE.test(image))) return [];
  const known = stated ?? (image ? vllmVersionOfImageReference(image) : undefined);
  if (known && compareVllmVersions(known.version, OLDEST) < 0) return [];
  const newer = known !== undefined && compareVllmVersions(known.version, NEWEST) > 0;
  const end = args.words.findIndex((w) => w.word === '--');
  const judged = new Set(args.words.slice(0, end < 0 ? undefined : end).map((w) => w.word.split('=')[0]));
  const before = args.words.slice(0, end < 0 ? undefined : end);
  return [...singleDash(before, where), ...noDash(before, where), ...longFlags(args, judged, { where, image, known, newer, tree })];
}

/**
 * vLLM's short options (vllm/engine/arg_utils.py EngineArgs.add_cli_args: -q, -tp, -pp, -dp, -dpl, -dpa, -dpp; later
 * releases -dcp, -pcp; -O with its level), never read as a long option's slip.
 */
const SHORT_OPTIONS = /^-(q|tp|pp|dp|dpl|dpa|dpp|dcp|pcp|O.*)$/;

/**
 * A long option written with one dash (`-max-model-len 4096`): argparse registers `--max-model-len` only, matches no
 * option to the word (a single-dash word is matched against single-dash options: `-m…` is none of vLLM's), and
 * parse_args stops on it ("unrecognized arguments"); FlexibleArgumentParser rewrites only `--` words. Said only where
 * the word with one more dash is a catalogued option, so a short option or a value is never read as one.
 */
function singleDash(words: readonly { word: string; from: string; uncertain?: boolean }[], where: string): Problem[] {
  const seen = new Set<string>();
  return words.flatMap(({ word, from, uncertain }): Problem[] => {
    const key = word.split('=')[0];
    if (uncertain || !/^-[A-Za-z][\w-]+$/.test(key) || SHORT_OPTIONS.test(key) || seen.has(key)) return [];
    const long = `-${key.replace(/_/g, '-')}`;
    if (!isCataloguedFlag(long)) return [];
    seen.add(key);
    return [
      {
        message:
          `${where}: ${key} (${from}) has one dash: vLLM's parser has ${long} only, and argparse matches a one-dash word to no long option, ` +
          `so it stops ("unrecognized arguments: ${key}") and the pod crash-loops; write ${long}`,
      },
    ];
  });
}

/**
 * An option written without its dashes (`max_num_batched_tokens=1024`): a positional word to argparse, which vLLM's
 * server refuses ("unrecognized arguments") or, where no model was given before it, takes for the model to load; the
 * server exits either way. Said only for `name=value` words whose `--name` is a catalogued option, and not where the
 * word is the value of the option before it.
 */
function noDash(words: readonly { word: string; from: string; uncertain?: boolean }[], where: string): Problem[] {
  const seen = new Set<string>();
  return words.flatMap(({ word, from, uncertain }, i): Problem[] => {
    const m = /^([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)=(.*)$/.exec(word);
    const previous = i > 0 ? words[i - 1].word : '';
    if (uncertain || !m || seen.has(m[1]) || (previous.startsWith('-') && !previous.includes('='))) return [];
    const long = `--${m[1].replace(/_/g, '-')}`;
    if (!isCataloguedFlag(long)) return [];
    seen.add(m[1]);
    return [
      {
        message:
          `${where}: ${word} (${from}) has no leading dashes: argparse reads it as a positional word, not ${long}, and vLLM's server ` +
          `stops ("unrecognized arguments: ${word}", or takes it for the model to load) and the pod crash-loops; write ${long}=${m[2]}`,
      },
    ];
  });
}

type KnownVersion = ReturnType<typeof vllmVersionOfImageReference>;

/** Where the options go: the container, its image, the release it runs where known (or newer than the catalogue), the tree's other vLLM images. */
interface Target {
  readonly where: string;
  readonly image: string | undefined;
  readonly known: KnownVersion;
  readonly newer: boolean;
  readonly tree: readonly TreeVllmImage[];
}

/** The long options the image's vLLM (or every release, its version unknown) lacks. */
function longFlags(args: VllmArgs, judged: ReadonlySet<string>, t: Target): Problem[] {
  const { where, image, known, newer } = t;
  return args.given().flatMap(({ flag, occurrences }) => {
    const sure = occurrences.filter((x) => !x.uncertain);
    if (!sure.length || flag.includes('$') || FROM_SHORT.has(flag)) return [];
    const whole = writtenFlag(flag, sure[0]);
    if (!judged.has(whole) && !judged.has(flag)) return [];
    // `--max-model-len 200000` as one element: the option is the word before the blank (the element unsplit is
    // argument-not-split's, and matters only where no shell splits the args)
    const written = whole.split(/\s/)[0];
    const verdict = vllmFlagVerdict(written, newer ? undefined : known?.version);
    const gone = verdict.kind === 'accepted' && (newer || (!known && isMovingVllmRelease(image))) ? removedAfter(written) : undefined;
    if (gone) return [{ message: removedMessage(where, written, sure[0].from, image!, gone) }];
    const maybeGone = verdict.kind === 'accepted' && !known ? removedAfter(written) : undefined;
    if (maybeGone) return [{ severity: 'warning', message: removedUnknownMessage(t, written, sure[0].from, maybeGone) }];
    const around = verdict.kind === 'accepted' && known && !newer ? removedAround(written, known.version) : undefined;
    if (around) return [{ severity: 'warning', message: removedAroundMessage(where, written, sure[0].from, image!, known!.version, around) }];
    if (verdict.kind === 'accepted') return [];
    const runs = known ? `vLLM ${known.version} (image ${image}: ${known.how})` : `vLLM`;
    const message = messageOf(where, written, sure[0].from, runs, verdict);
    return known && !newer ? [{ message }] : beyondCatalogue(message, written, verdict, newer);
  });
}

/**
 * An option vLLM removed after the catalogued release `last`, given to an image whose release is not known (a digest
 * alone, a moving tag of another repository, a build of its own): it fails on any release from the next catalogued
 * one on, which the tree's other vLLM images, where they all run such a release, make likely; a warning either way,
 * since another image proves nothing of this one.
 */
function removedUnknownMessage(t: Target, flag: string, from: string, last: string): string {
  const removal = removalOf(flag);
  const next = removal?.in ?? FLAG_RELEASES.find((r) => compareVllmVersions(r, last) > 0) ?? NEWEST;
  const others = t.tree.filter((i) => i.image !== t.image);
  const newer = others.length > 0 && others.every((i) => compareVllmVersions(i.version, next) >= 0);
  const tree = newer
    ? ` (the tree's other vLLM images run ${[...new Set(others.map((i) => i.version))].join(', ')}, all releases without it: if this image is as new, it fails)`
    : '';
  const image = t.image ? `of ${t.image}, whose release its reference does not tell` : 'whose image is not named';
  return (
    `${from.includes(t.where) ? '' : `${t.where}: `}${flag} (${from}) goes to the vLLM ${image}: vLLM ${last} has ${flag} and ${next} no longer does${removal ? ` (${removal.change})` : ''}, ` +
    `so on ${next} or later its argument parser stops ("unrecognized arguments: ${flag}") and the pod crash-loops${tree}; ` +
    `${replacementFix(flag) ?? 'drop it'}, or pin the image by a release tag of ${last} or before`
  );
}

/** The release and change that removed an option, where vLLM's history places it in a gap of the catalogue. */
function removalNote(flag: string): string {
  const removal = removalOf(flag);
  return removal ? ` (in ${removal.in}: ${removal.change})` : '';
}

/** An option removed before the newest catalogued release, given to an image at least that new (`latest`, or newer). */
function removedMessage(where: string, flag: string, from: string, image: string, last: string): string {
  return (
    `${from.includes(where) ? '' : `${where}: `}${flag} (${from}) goes to the vLLM of ${image}, ${NEWEST} or newer, and vLLM removed ${flag} after ${last}${removalNote(flag)}, ` +
    `so its argument parser stops ("unrecognized arguments: ${flag}") and the pod crash-loops; ${replacementFix(flag) ?? `drop it, or pin an image of ${last} or before`}`
  );
}

/** The fix where vLLM's deprecation of a removed option names what replaced it: write that (or drop it, where nothing did). */
function replacementFix(flag: string): string | undefined {
  const r = replacementOf(flag);
  if (!r) return undefined;
  return r.by ? `vLLM replaced it with ${r.by} (${r.change}): write ${r.by}` : `${r.change}`;
}

/** An option vLLM removed between two catalogued releases, given to an image of a release between them. */
function removedAroundMessage(where: string, flag: string, from: string, image: string, version: string, r: { last: string; next: string }): string {
  const later = vllmFlagVerdict(flag, r.next);
  const instead = later.kind === 'accepted' ? [] : later.nearest;
  return (
    `${from.includes(where) ? '' : `${where}: `}${flag} (${from}) goes to vLLM ${version} (image ${image}): vLLM ${r.last} has it and ${r.next} no longer does, ` +
    `and the releases between them are not catalogued: if ${version} no longer has it, its argument parser stops ("unrecognized arguments: ${flag}") and the pod crash-loops; ` +
    `check \`vllm serve --help\` of that image, and drop the option or write what replaced it${instead.length ? ` (${r.next} has ${instead.map(shownFlag).join(', ')})` : ''}`
  );
}

/**
 * An option of no catalogued release, the image's release newer than the catalogue or not known: a release after
 * the newest catalogued may have brought it. An option near a known one reads as a slip of it (--max-model-length):
 * an error for an unknown version; for a newer one an error where it is the `--disable-X` of a `--no-enable-X` or an
 * edit or two from an option the newest release keeps, a warning otherwise. An option near none may be new: a warning
 * for an unknown version, nothing for a newer one.
 */
function beyondCatalogue(message: string, flag: string, verdict: Exclude<FlagVerdict, { kind: 'accepted' }>, newer: boolean): Problem[] {
  const slip = verdict.nearest.length > 0 || negationOf(flag) !== undefined;
  if (slip && (!newer || (verdict.kind === 'unknown' && sureSlipOf(flag, verdict.nearest)))) return [{ message }];
  if (newer && !slip) return [];
  const why = newer ? 'the image is newer than' : "the image's vLLM version is not known, and a release after";
  return [{ message: `${message}; ${why} ${NEWEST}, the newest release catalogued, may have it`, severity: 'warning' }];
}

/** The option as written: `--no-x` where vLLM's reading turned it into x off. */
function writtenFlag(flag: string, o: FlagOccurrence): string {
  if (o.attached !== undefined) return o.attached.split('=')[0];
  return o.value === 'false' && o.stray === undefined ? `--no-${flag.slice(2)}` : flag;
}

function messageOf(where: string, flag: string, from: string, runs: string, verdict: Exclude<FlagVerdict, { kind: 'accepted' }>): string {
  const lacks =
    verdict.kind === 'unknown' ? `no vLLM release from ${OLDEST} to ${NEWEST} has ${flag}` : `${runs.replace(/ \(.*/, '')} has no ${flag} (${verdict.when})`;
  const negation = negationOf(flag);
  const replaced = verdict.kind === 'absent' ? replacementFix(flag) : undefined;
  if (replaced) {
    return (
      `${from.includes(where) ? '' : `${where}: `}${flag} (${from}) goes to ${runs}: ${lacks}, so vLLM's argument parser stops ("unrecognized arguments: ${flag}") and the pod crash-loops; ` +
      replaced
    );
  }
  const nearest = negation
    ? `vLLM turns ${negation.replace('--no-', '--')} off with ${negation} (argparse's BooleanOptionalAction has no --disable- form)`
    : verdict.nearest.length
      ? `the nearest options are ${verdict.nearest.map(shownFlag).join(', ')}`
      : 'no option is near it';
  return (
    `${from.includes(where) ? '' : `${where}: `}${flag} (${from}) goes to ${runs}: ${lacks}, so vLLM's argument parser stops ("unrecognized arguments: ${flag}") and the pod crash-loops; ` +
    `${nearest}: write the option meant, or drop it`
  );
}
