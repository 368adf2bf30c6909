import { vllmSwitch } from '../../catalog/vllm-boolean-flags';
import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { FlagOccurrence, VllmArgs } from '../vllm-args';
import { invokedVllmProblems } from '../workload-lines';

export const vllmSwitchGivenValue: Rule = {
  id: 'vllm-switch-given-value',
  title: "a vLLM switch is given a value (--enforce-eager=false): vLLM's argument parser refuses it and the server exits",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "the service runs vLLM (or a container visibly starts vLLM's server) and its command line, as vLLM reads it (runtime args then the service's, VLLM_ADDITIONAL_ARGS where expanded, a --config file of the tree), gives a flag of vLLM's switch catalogue a value with = or a bare true/false after it; words that may not reach vLLM (an env hook of an unknown entrypoint) and variables are not judged; flags that took a value in some vLLM release (--enable-chunked-prefill) are not in the catalogue" +
    MODEL_SERVICE_PREMISE,
  example: '`--enforce-eager=false` in the InferenceService args',
  fix: 'write the switch alone to turn it on; to turn it off drop it (off is the default) or write --no-<flag> where vLLM turns it on by default',
  source:
    'vllm/engine/arg_utils.py EngineArgs.add_cli_args and vllm/entrypoints/openai/cli_args.py: bool settings are argparse store_true or BooleanOptionalAction (nargs=0); argparse then fails on --flag=value with "ignored explicit argument" (FlexibleArgumentParser.parse_args, vllm/utils/argparse_utils.py, passes the word through)',
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') {
      const args = graph.vllmCommand(o)?.args;
      const kind = graph.servingKindOf(o);
      // a custom container counts where its command line visibly starts vLLM's server
      return args && (kind.startsWith('vllm') || (kind === 'custom-container' && args.invoked)) ? switchesWithValues(args) : [];
    }
    return invokedVllmProblems(o.manifest, switchesWithValues);
  },
};

/** Each occurrence of a catalogued switch written with a value, from a place that surely reaches vLLM. */
function switchesWithValues(args: VllmArgs): Problem[] {
  return args.given().flatMap(({ flag, occurrences }) => {
    const known = vllmSwitch(flag);
    if (!known) return [];
    return occurrences
      .filter((x) => !x.uncertain && (x.attached ?? x.stray) !== undefined && !x.value.includes('$'))
      .map((x) => ({ message: messageOf(flag, x, known.onByDefault) }));
  });
}

function messageOf(flag: string, x: FlagOccurrence, onByDefault: string | undefined): string {
  const value = x.attached !== undefined ? x.value : (x.stray ?? '');
  const written = x.attached ?? `${flag} ${value}`;
  const refused =
    x.attached !== undefined
      ? `vLLM's argument parser refuses a value for it ("argument ${flag}: ignored explicit argument '${value}'")`
      : `argparse leaves '${value}' as an extra positional argument, which vLLM refuses ("unrecognized arguments") or takes for the model`;
  const off = onByDefault ? `write --no-${flag.slice(2)} (${onByDefault})` : `drop ${flag} (off is vLLM's default)`;
  const fix = /^(true|1|yes|on)$/i.test(value)
    ? `write ${flag} alone`
    : /^(false|0|no|off)$/i.test(value)
      ? off
      : `write ${flag} alone to turn it on, or ${off}`;
  return `${written} (${x.from}): ${flag} is a switch that takes no value; ${refused} and the server exits before it loads the model: ${fix}`;
}
