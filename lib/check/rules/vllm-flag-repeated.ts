import { MODEL_SERVICE_KIND, MODEL_SERVICE_PREMISE } from '../model-service-lines';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { FlagOccurrence, VllmArgs } from '../vllm-args';
import { invokedVllmProblems } from '../workload-lines';

/** How a message shows one occurrence: `--flag=value`, or the boolean as written (`--x`, `--no-x`). */
function shownOccurrence(flag: string, o: FlagOccurrence): string {
  if (o.value === 'true') return `${flag} (${o.from})`;
  if (o.value === 'false') return `--no-${flag.slice(2)} (${o.from})`;
  return `${flag}=${o.value} (${o.from})`;
}

export const vllmFlagRepeated: Rule = {
  id: 'vllm-flag-repeated',
  title: 'a vLLM flag is given more than once with different values: vLLM keeps the last one, silently',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, MODEL_SERVICE_KIND],
  premise:
    "a container visibly starts vLLM's server, or a service's vLLM command line is read (the runtime's args then the service's, VLLM_ADDITIONAL_ARGS where expanded, a --config file from a ConfigMap of the tree, which the command line overrides); forms are compared as vLLM reads them (--flag=v and --flag v, underscores, -tp, --no-x); values from variables are not judged" +
    MODEL_SERVICE_PREMISE,
  example: '`--max-model-len=8192` in the runtime and `--max-model-len=4096` in the service',
  fix: 'keep one value, where it belongs (the service for per-model settings), so the manifests say what runs',
  source:
    "argparse keeps the last value of a repeated option (vllm/utils/argparse_utils.py, FlexibleArgumentParser: only repeated dotted keys are logged); KServe appends the service's args to the runtime's (MergeRuntimeContainers)",
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService') {
      const args = graph.vllmCommand(o)?.args;
      return args ? repeatedFlags(args) : [];
    }
    // a workload's own containers: judged where the command line visibly starts vLLM's server
    return invokedVllmProblems(o.manifest, repeatedFlags);
  },
};

/** Each flag given more than once with different values, all of them known (no variable, no uncertain source). */
function repeatedFlags(args: VllmArgs): Problem[] {
  return args.conflicts().flatMap(({ flag, occurrences }) => {
    const known = occurrences.filter((x) => !x.uncertain && !x.value.includes('$'));
    if (known.length !== occurrences.length || new Set(known.map((x) => x.value)).size < 2) return [];
    const last = known[known.length - 1];
    return [
      {
        message:
          `${flag} is given ${known.length} times with different values: ${known.map((x) => shownOccurrence(flag, x)).join(', ')}; ` +
          `vLLM keeps the last, ${shownOccurrence(flag, last).replace(/ \(.*\)$/, '')}: remove the others so the manifests say what runs`,
      },
    ];
  });
}
