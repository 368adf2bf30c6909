import { quotedJson, VLLM_JSON_FLAGS } from '../../catalog/vllm-json-flags';
import { WORKLOAD_KINDS } from '../pods';
import { MODEL_SERVICE_KIND, modelServiceLines } from '../model-service-lines';
import { Problem, Rule } from '../rule';
import { FlagOccurrence, VllmArgs } from '../vllm-args';
import { holdsRendererSyntax } from '../template-syntax';
import { workloadVllmLines } from '../workload-lines';

/** How many more `{`/`[` a text opens than it closes: above 0, the JSON goes on in words after it. */
const openBrackets = (value: string) => (value.match(/[{[]/g)?.length ?? 0) - (value.match(/[}\]]/g)?.length ?? 0);

/** Whether a text parses as JSON (json.loads: Python also reads NaN and Infinity, which a JSON option gives no reason to hold). */
function parses(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON value a shell script left unquoted (`--reasoning-config {"a": "b"}`): the shell splits it at its spaces and
 * removes its double quotes, so vLLM's option gets only the first word (`{a:`), or the whole object without its
 * quotes (`{a:1}`), which json.loads refuses either way.
 */
function unquotedShellJson(flag: string, o: FlagOccurrence, where: string): Problem[] {
  const v = o.value.trim();
  if (!o.from.endsWith('(shell script)') || !/^[{[]/.test(v) || holdsRendererSyntax(v) || parses(v)) return [];
  const split = openBrackets(v) > 0;
  const what = split ? 'the shell splits it at its spaces and removes its double quotes' : 'the shell removes its double quotes (quote removal)';
  return [
    {
      message:
        `${where}: ${flag} is given an unquoted JSON value in a shell script (${o.from}): ${what}, ` +
        `so vLLM's ${flag} gets ${split ? 'only ' : ''}'${v}', which is no JSON: argparse exits ("argument ${flag}: invalid … value") and the pod crash-loops; ` +
        `quote the JSON in single quotes in the script (${flag} '{"key": "value"}')`,
    },
  ];
}

/** Each JSON-typed option whose value, as it reaches vLLM, is wrapped in literal quotes, or left unquoted in a shell script (unquotedShellJson). */
function quotedJsonOptions(args: VllmArgs, where: string): Problem[] {
  return args.given().flatMap(({ flag, occurrences }) => {
    if (!VLLM_JSON_FLAGS.has(flag)) return [];
    return occurrences.flatMap((o): Problem[] => {
      if (o.uncertain || o.value.includes('$')) return [];
      const quoted = quotedJson(o.value);
      if (!quoted) return unquotedShellJson(flag, o, where);
      const shown = o.attached ?? `${flag} ${o.value}`;
      return [
        {
          message:
            `${where}: ${shown} (${o.from}) reaches vLLM with its ${quoted.quote === "'" ? 'single' : 'double'} quotes, as no shell reads an exec-form argument: ` +
            `vLLM parses ${flag} as JSON, the quoted text is none, so argparse exits ("argument ${flag}: invalid … value") and the pod crash-loops; ` +
            `write ${flag}=${quoted.inner} (or the value alone as the next element) without the quotes`,
        },
      ];
    });
  });
}

export const vllmJsonOptionQuoted: Rule = {
  id: 'vllm-json-option-quoted',
  title:
    "a JSON-valued vLLM option is given its value in literal quotes (--override-generation-config='{...}' in exec-form args): vLLM's parser refuses it and the server exits",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    'a container visibly starts vLLM\'s server (or is a decode or prefill container of llm-d\'s ModelService, whose args the controller puts before its base config\'s vLLM arguments), and an option vLLM parses as JSON (--override-generation-config, --hf-overrides, --kv-transfer-config, --compilation-config, --speculative-config, --limit-mm-per-prompt and the other dict- or config-typed options) has a value that, as the command line reaches vLLM (exec-form args untouched; a shell script\'s words with its quoting removed), is a JSON object or list wrapped in single quotes, or in double quotes while holding double quotes of its own; or, in a shell script, is an unquoted JSON object or list that the shell splits at its spaces (`--reasoning-config {"a": "b"}`: vLLM gets the first word, `{a:`, whose brackets are left open); words that may not reach vLLM and variables are not judged, nor an LLMInferenceService, whose config evals its args through a shell',
  example: "`--override-generation-config='{\"temperature\":0.6}'` as one args element of a container running vLLM's server",
  fix: 'drop the quotes around the JSON value: in exec-form args write --option={"k": v} (or the option and the JSON as two elements); keep shell quoting only inside a `sh -c` script',
  source:
    'vllm/engine/arg_utils.py get_kwargs (dict fields: parse_type(json.loads); config dataclasses: parse_dataclass, TypeAdapter.validate_json, raising argparse.ArgumentTypeError) and, before it, EngineArgs.add_cli_args type=json.loads; argparse exits on an ArgumentTypeError; POSIX Shell Command Language 2.6.5 Field Splitting and 2.6.7 Quote Removal (an unquoted `{"a": "b"}` becomes the words `{a:` and `b}`); Kubernetes runs exec-form command and args without a shell (kubernetes.io "Define a Command and Arguments for a Container"); llm-d/llm-d-model-service internal/controller/merge_transformers.go (ModelService args merged into the base config container)',
  check(o) {
    if (o.manifest.kind === MODEL_SERVICE_KIND) return modelServiceLines(o.manifest).flatMap((c) => quotedJsonOptions(c.args, c.where));
    return workloadVllmLines(o.manifest)
      .filter((c) => c.args.invoked)
      .flatMap((c) => quotedJsonOptions(c.args, c.where));
  },
};
