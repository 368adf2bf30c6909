import { text } from '../../manifests/access';
import { isCataloguedFlag } from '../../catalog/vllm-flags';
import { huggingfaceServerBackend, runsHuggingfaceServer } from '../kserve-hf-server';
import { modelSpecOf } from '../serving-model';
import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { SourcedWord, vllmFlagTakesNoWord } from '../vllm-args';
import { invokedVllmProblems } from '../workload-lines';
import { GraphObject } from '../graph-object';

/**
 * Catalogued options that take no word or may go without one: argparse's --help, the store_true flags of old releases
 * that neither the switch catalogue nor an `--enable-`/`--disable-` name tells (vllm/engine/arg_utils.py v0.6:
 * --engine-use-ray, --worker-use-ray, --use-v2-block-manager, --speculative-disable-mqa-scorer; make_arg_parser:
 * --grpc), --hf-token (nargs='?', const=True: the token from the login) and --optimization-level, which the reading of
 * `-O` writes.
 */
const NO_WORD_NEEDED = new Set([
  '--help',
  '--engine-use-ray',
  '--worker-use-ray',
  '--use-v2-block-manager',
  '--speculative-disable-mqa-scorer',
  '--grpc',
  '--hf-token',
  '--optimization-level',
]);

/** vLLM's list options (nargs='+'): argparse's message for them says "at least one". */
const LIST_OPTIONS = new Set(['--served-model-name', '--lora-modules', '--prompt-adapters', '--cuda-graph-sizes', '--api-key', '--long-lora-scaling-factors']);

/**
 * A word argparse may take as an option's value (CPython Lib/argparse.py _parse_optional returns None for it, so the
 * pattern of the words after the option reads 'A'): a word not starting with `-`, `-` alone, a negative number (the
 * parser has no option that looks like one: _negative_number_matcher), or a word holding a space ("it was meant to be
 * a positional").
 */
function takenAsValue(word: string): boolean {
  return !word.startsWith('-') || word === '-' || /^-\.?\d/.test(word) || word.includes(' ');
}

/**
 * Each long option of vLLM's catalogue that takes a value, written as the last word or followed by a word argparse
 * reads as another option: argparse's consume_optional finds no argument for it and parse_args (or
 * parse_known_args) exits with "argument --X: expected one argument". Words after `--`, a dotted JSON key, words that
 * may not reach the parser and a following word that may stand for any words (an unknown `$ARGS`) are not judged; a
 * command line with a --config file is left alone (the file's words go between).
 */
function valuesMissing(words: readonly SourcedWord[]): { flag: string; from: string; next?: string }[] {
  if (words.some((w) => w.from.startsWith('config file ') || w.word === '--config')) return [];
  const end = words.findIndex((w) => w.word === '--');
  const judged = words.slice(0, end < 0 ? undefined : end);
  return judged.flatMap((w, i) => {
    const { word, from } = w;
    if (w.uncertain || w.opaque || !word.startsWith('--') || word.includes('=') || word.includes('.') || word.includes('$')) return [];
    if (!isCataloguedFlag(word) || NO_WORD_NEEDED.has(word) || vllmFlagTakesNoWord(word)) return [];
    const next = words[i + 1];
    if (next === undefined) return [{ flag: word, from }];
    if (next.uncertain || next.opaque || next.word === '--' || next.word.includes('$') || takenAsValue(next.word)) return [];
    return [{ flag: word, from, next: next.word }];
  });
}

function messageOf(m: { flag: string; from: string; next?: string }, server: string, ending: string): string {
  const expected = LIST_OPTIONS.has(m.flag) ? 'expected at least one argument' : 'expected one argument';
  const after =
    m.next === undefined
      ? 'it is the last word of the command line'
      : `the word after it, '${m.next}', is read as another option (a value never starts with -- or -x)`;
  return (
    `${m.flag} (${m.from}) takes a value and ${after}: ${server} finds no value for it ("argument ${m.flag}: ${expected}")${ending}; ` +
    `write its value right after it (${m.flag}=<value>), or drop it`
  );
}

const EXITS = ' and the server exits before it loads the model';

/** The problems of an InferenceService that runs KServe's huggingfaceserver, by the backend its args ask for. */
function huggingfaceServerProblems(words: readonly SourcedWord[]): Problem[] {
  const backend = huggingfaceServerBackend(words);
  if (backend !== 'auto' && backend !== 'vllm') return []; // the Hugging Face backend's parser lacks vLLM's options: ignored
  const sure = backend === 'vllm';
  const server = "KServe's huggingfaceserver, which adds vLLM's options to its parser when it serves the model with vLLM,";
  const ending = sure
    ? `${EXITS} (--backend=vllm)`
    : `${EXITS} when it uses vLLM (--backend auto, the default: vLLM installed and the model's architecture one vLLM supports; with the Hugging Face backend the option is ignored)`;
  return valuesMissing(words).map((m) => ({ message: messageOf(m, server, ending), ...(sure ? {} : { severity: 'warning' as const }) }));
}

function serviceProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const command = ctx.graph.vllmCommand(o);
  if (!command) return [];
  const name = text(modelSpecOf(o.manifest).runtime);
  const clusterRuntime = name && !ctx.graph.runtimeOf(o.manifest) ? ctx.graph.find('ClusterServingRuntime', name)?.manifest : undefined;
  const view = { manifest: o.manifest, runtime: ctx.graph.runtimeOf(o.manifest)?.manifest, clusterRuntime, upstream: ctx.platform === 'kserve' };
  // huggingfaceserver reads its arguments with parse_known_args, which rewrites no underscores: the words as written
  if (runsHuggingfaceServer(view, command.line.words)) return huggingfaceServerProblems(command.line.words);
  const kind = ctx.graph.servingKindOf(o);
  if (!(kind.startsWith('vllm') || (kind === 'custom-container' && command.args.invoked))) return [];
  return valuesMissing(command.args.words).map((m) => ({ message: messageOf(m, "vLLM's argument parser", EXITS) }));
}

export const vllmFlagValueMissing: Rule = {
  id: 'vllm-flag-value-missing',
  title:
    'a vLLM option that takes a value is the last word, or the word after it is another option (--tool-call-parser --enforce-eager): argparse stops and the server exits',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "the service runs vLLM (or a container visibly starts vLLM's server) and its command line, as vLLM reads it (runtime args then the service's, underscores read as dashes), gives a long option of vLLM's catalogue that takes a value (not a switch of the catalogue, an `--enable-`/`--disable-` flag, --help, --hf-token or an old store_true flag) as its last word, or followed by a word argparse reads as an option (one starting with `-` that is not `-` alone, not a negative number and holds no space); " +
    "an InferenceService of KServe's huggingfaceserver (its runtime's image, a runtime name naming it, or, on upstream KServe, the `huggingface` model format with no runtime named: the only installed runtime of that format) adds vLLM's options to its parser when it serves with vLLM: an error with --backend=vllm, a warning with the default auto backend (vLLM is used only where installed and the model's architecture is one it supports), nothing with --backend=huggingface (the options are then unknown, and parse_known_args ignores them); there the words are read as written (parse_known_args rewrites no underscores). " +
    'Not judged: words after `--`, a following word that may stand for any words (an unknown variable), words that may not reach vLLM, a command line with a --config file' +
    MODEL_SERVICE_PREMISE,
  example: '`- --tool-call-parser` followed by `- --enforce-eager` in the container args (the parser name left out)',
  fix: "write the option's value right after it (`--tool-call-parser hermes` or `--tool-call-parser=hermes`), or drop the option",
  source:
    'CPython Lib/argparse.py: _parse_optional reads a word starting with a prefix character as an option unless it is a negative number or holds a space, and consume_optional fails with "expected one argument" (nargs None; "expected at least one argument" for nargs \'+\'); vllm/utils/argparse_utils.py FlexibleArgumentParser.parse_args (and its own check of --model under `vllm serve`); vllm/entrypoints/openai/cli_args.py make_arg_parser; kserve python/huggingfaceserver/huggingfaceserver/__main__.py (parse_known_args, maybe_add_vllm_cli_parser when is_vllm_backend_enabled)',
  check(o, ctx) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') return serviceProblems(o, ctx);
    return invokedVllmProblems(o.manifest, (args) => valuesMissing(args.words).map((m) => ({ message: messageOf(m, "vLLM's argument parser", EXITS) })));
  },
};
