import { mapping, mappings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
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
function valuesMissing(words: readonly SourcedWord[]): Missing[] {
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

/** A missing value: the option given last or before another option, or written `--X=` with nothing after the `=`. */
interface Missing {
  readonly flag: string;
  readonly from: string;
  readonly next?: string;
  readonly empty?: boolean;
  /** The empty value is its own word after the option (`--model ""`), not the text after `=`. */
  readonly word?: boolean;
}

/** A catalogued long option that takes a value, as vLLM's parser reads the word (underscores as dashes). */
function valueOption(word: string): string | undefined {
  const flag = word.replace(/_/g, '-');
  return isCataloguedFlag(flag) && !NO_WORD_NEEDED.has(flag) && !vllmFlagTakesNoWord(flag) ? flag : undefined;
}

/**
 * Each catalogued long option that takes a value written `--X=` with nothing after the `=` (a template that rendered
 * to nothing), or followed by an empty word (`args: ["--model", ""]`, `--model ""`): argparse's _parse_optional splits
 * the word at `=` and consume_optional takes the empty explicit argument as the option's one value; an empty word is
 * no option (_parse_optional returns None for a word that does not start with a prefix character), so it is the value.
 * Either way the parser accepts '' and vLLM runs with it.
 */
function emptyValues(words: readonly SourcedWord[]): Missing[] {
  if (words.some((w) => w.from.startsWith('config file ') || w.word === '--config')) return [];
  const end = words.findIndex((w) => w.word === '--');
  const judged = words.slice(0, end < 0 ? undefined : end);
  return judged.flatMap((w, i): Missing[] => {
    if (w.uncertain || w.opaque) return [];
    const attached = /^(--[a-z0-9][a-z0-9_-]*)=$/.exec(w.word)?.[1];
    if (attached) return valueOption(attached) ? [{ flag: valueOption(attached) as string, from: w.from, empty: true }] : [];
    const next = judged[i + 1];
    if (!/^--[a-z0-9][a-z0-9_-]*$/.test(w.word) || next === undefined || next.word !== '' || next.uncertain || next.opaque) return [];
    const flag = valueOption(w.word);
    return flag ? [{ flag, from: w.from, empty: true, word: true }] : [];
  });
}

/** What an empty value does: for the served name, the name clients send matches nothing; elsewhere the setting is ''. */
function emptyMessage(m: Missing, helm: boolean): string {
  const consequence =
    m.flag === '--served-model-name'
      ? 'vLLM serves the model under the empty name (vllm/entrypoints/openai/api_server.py takes the option\'s list as given), so every request that names the model is answered 404 ("The model … does not exist")'
      : m.flag === '--model'
        ? "vLLM is asked to load the model '', which names no repository and no folder, so the server exits before it serves"
        : "vLLM runs with '' as its setting, or exits where the option reads a number (argparse: \"invalid … value: ''\")";
  const rendered = helm
    ? '; this object comes from a Helm render, and Helm reads a KServe placeholder written in the chart\'s template ({{.Name}}) as its own action, a field its values lack, which it renders as nothing: write it so Helm prints it as text ({{ "{{.Name}}" }} or {{`{{.Name}}`}})'
    : '';
  if (m.word)
    return `${m.flag} followed by an empty word (${m.from}) gives the option an empty value: argparse takes the empty word as its value, and ${consequence}${rendered}; write the value in that word, or drop the option and the empty word`;
  return `${m.flag}= (${m.from}) gives the option an empty value: argparse takes the empty text after '=' as its value, and ${consequence}${rendered}; write the value after the '=', or drop the option`;
}

function messageOf(m: Missing, server: string, ending: string): string {
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
  return judgeWords(command.args.words, o.helmRendering !== undefined);
}

/**
 * Under `vllm serve`, a model that is an empty word: the positional (`vllm serve ""`) or `--model ""`, which
 * FlexibleArgumentParser.parse_args moves to the positional's place; the serve command loads args.model_tag.
 */
function emptyServedModel(words: readonly SourcedWord[]): Problem[] {
  const model = words[0]?.word === 'serve' ? words[1] : undefined;
  if (!model || model.word !== '' || model.uncertain || model.opaque) return [];
  return [
    {
      message: `the model vLLM serves (${model.from}) is an empty word (\`vllm serve ""\`, or \`--model ""\`, which vLLM's parser moves to the model's place): vLLM is asked to load the model '', which names no repository and no folder, so the server exits before it serves; write the model's name or path in that word`,
    },
  ];
}

/** The findings on vLLM's words: options given no value (the parser exits), and options given an empty one. */
function judgeWords(words: readonly SourcedWord[], helm: boolean): Problem[] {
  return [
    ...valuesMissing(words).map((m) => ({ message: messageOf(m, "vLLM's argument parser", EXITS) })),
    ...emptyServedModel(words),
    ...emptyValues(words).map((m) => ({ message: emptyMessage(m, helm) })),
  ];
}

/**
 * A vLLM runtime's own words, where no InferenceService of the tree uses it (one that does is judged with the runtime's
 * args merged): the empty values only, since the service's args may still supply what a runtime leaves last.
 */
function runtimeProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  if (ctx.graph.servicesOf(o).length) return [];
  return mappings(mapping(o.manifest.spec).containers).flatMap((c) => {
    const where = `container '${text(c.name) ?? ''}'`;
    const words = buildCommandLine(containerPieces(c, where)).words;
    if (!/vllm/i.test(text(c.image) ?? '') && !words.some((w) => /vllm/.test(w.word))) return [];
    return emptyValues(words).map((m) => ({ message: `${where}: ${emptyMessage(m, o.helmRendering !== undefined)}` }));
  });
}

export const vllmFlagValueMissing: Rule = {
  id: 'vllm-flag-value-missing',
  title:
    'a vLLM option that takes a value is the last word, or the word after it is another option (--tool-call-parser --enforce-eager): argparse stops and the server exits; or it is given an empty value (--served-model-name=), which vLLM runs with',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND, 'ServingRuntime', 'ClusterServingRuntime'],
  premise:
    "the service runs vLLM (or a container visibly starts vLLM's server) and its command line, as vLLM reads it (runtime args then the service's, underscores read as dashes), gives a long option of vLLM's catalogue that takes a value (not a switch of the catalogue, an `--enable-`/`--disable-` flag, --help, --hf-token or an old store_true flag) as its last word, or followed by a word argparse reads as an option (one starting with `-` that is not `-` alone, not a negative number and holds no space); " +
    "an InferenceService of KServe's huggingfaceserver (its runtime's image, a runtime name naming it, or, on upstream KServe, the `huggingface` model format with no runtime named: the only installed runtime of that format) adds vLLM's options to its parser when it serves with vLLM: an error with --backend=vllm, a warning with the default auto backend (vLLM is used only where installed and the model's architecture is one it supports), nothing with --backend=huggingface (the options are then unknown, and parse_known_args ignores them); there the words are read as written (parse_known_args rewrites no underscores). " +
    'An option of the same kind written `--X=` with nothing after the `=`, or followed by an empty word (`args: ["--model", ""]`; under `vllm serve` the model\'s empty word, positional or moved there from `--model`) (in a workload, a service\'s merged command line, or a vLLM ServingRuntime no InferenceService of the tree uses) is an error too: argparse takes the empty text as its value, so --served-model-name= serves the model under the empty name (every request naming the model gets 404), and another option runs with \'\' or exits on a number; where the object comes from a Helm render the message says Helm rendered a KServe placeholder of the chart ({{.Name}}) as its own action, to nothing. ' +
    'Not judged: words after `--`, a following word that may stand for any words (an unknown variable), words that may not reach vLLM, a command line with a --config file' +
    MODEL_SERVICE_PREMISE,
  example: '`- --tool-call-parser` followed by `- --enforce-eager` in the container args (the parser name left out)',
  fix: 'write the option\'s value right after it (`--tool-call-parser hermes` or `--tool-call-parser=hermes`), or drop the option; in a Helm chart, write KServe\'s placeholder so Helm prints it as text ({{ "{{.Name}}" }})',
  source:
    'CPython Lib/argparse.py: _parse_optional reads a word starting with a prefix character as an option unless it is a negative number or holds a space, and consume_optional fails with "expected one argument" (nargs None; "expected at least one argument" for nargs \'+\'); vllm/utils/argparse_utils.py FlexibleArgumentParser.parse_args (and its own check of --model under `vllm serve`); vllm/entrypoints/openai/cli_args.py make_arg_parser; kserve python/huggingfaceserver/huggingfaceserver/__main__.py (parse_known_args, maybe_add_vllm_cli_parser when is_vllm_backend_enabled); for `--X=`: CPython Lib/argparse.py _parse_optional (the text after `=` is the explicit argument) and consume_optional (an empty explicit argument is the option\'s value), vllm/entrypoints/openai/api_server.py (served_model_names = args.served_model_name when given) and serving_engine.py _check_model (a request for a model not served: 404); helm pkg/engine/engine.go render (a missing value prints "<no value>", which Helm replaces with nothing)',
  check(o, ctx) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') return serviceProblems(o, ctx);
    if (o.manifest.kind === 'ServingRuntime' || o.manifest.kind === 'ClusterServingRuntime') return runtimeProblems(o, ctx);
    return invokedVllmProblems(o.manifest, (args) => judgeWords(args.words, o.helmRendering !== undefined));
  },
};
