import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces, LinePieces, shellScriptIndex } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { containersWithLines } from '../written-containers';
import { Problem, Rule, Severity } from '../rule';

/**
 * An option and its value written as one word: `-n ns`, `--max-model-len 4096`. Only the part before the first blank
 * is an option name: `--opt=a b` is the option with the value `a b` for pflag (cobra: the value is what follows `=`) and
 * for Python's argparse (_parse_optional splits at `=` before it looks for a space), so it is fine.
 */
const JOINED_OPTION = /^(--?[A-Za-z][\w.-]*)\s+(\S.*)$/s;

/** An option word that may take the next word as its value: its value may well be an option line (`--extra-args`, `--foo 1`). */
const BARE_OPTION = /^--?[A-Za-z][\w.-]*$/;

/** A shell's name as the program of a command (`sh`, `/bin/bash`): the words after it are the shell's, and a script may split them again. */
const SHELL = /(^|\/)(ba|da|z|a|k)?sh$/;

/** What the program makes of the word, by option style: a short option takes the rest of the word as its value. */
function consequence(option: string, value: string): string {
  return option.startsWith('--')
    ? `the program sees one word '${option} ${value}' (argparse reads a word with a space as a positional argument, pflag and getopt as an unknown option)`
    : `the program reads ${option} with the value ' ${value}' (a leading space) or an unknown option`;
}

/** Where containersWithLines says an InferenceService's model container is written. */
const MODEL_CONTAINER = 'spec.predictor.model';

/**
 * The pieces of a container's line. An InferenceService's model container without a command of its own runs its
 * runtime's kserve-container command, the runtime's args first (KServe's MergeRuntimeContainers, see runtime-merge):
 * with the runtime in the tree the program is known. The runtime's own words are judged on the runtime.
 */
function piecesOf(container: Loose, where: string, o: GraphObject, graph: ObjectGraph): LinePieces {
  const own = containerPieces(container, where);
  if (o.manifest.kind !== 'InferenceService' || where !== MODEL_CONTAINER || own.command.length) return own;
  const runtime = graph.runtimeOf(o.manifest);
  const kserve = mappings(mapping(runtime?.manifest.spec).containers).find((c) => c.name === 'kserve-container');
  const command = strings(kserve?.command);
  if (!command.length) return own;
  const from = `ServingRuntime '${text(runtime?.manifest.metadata?.name) ?? ''}'`;
  return {
    ...own,
    command: command.map((word) => ({ word, from: `${from} command` })),
    args: [...strings(kserve?.args).map((word) => ({ word, from: `${from} args` })), ...own.args],
  };
}

/** The command line words of one container that join an option and its value; none where a shell runs the line. */
function joinedWords(pieces: LinePieces, where: string): Problem[] {
  const line = buildCommandLine(pieces);
  const words = line.words.map((w) => w.word);
  // a shell's script (and the words it is handed) are the shell's to split
  if (SHELL.test(words[0] ?? '') || shellScriptIndex(words) !== undefined) return [];
  const severity: Severity = line.programKnown ? 'error' : 'warning';
  return line.words.flatMap((w, i): Problem[] => {
    const joined = w.from.startsWith(where) ? JOINED_OPTION.exec(w.word) : null;
    if (!joined || BARE_OPTION.test(words[i - 1] ?? '')) return [];
    const [, option, value] = joined;
    const unknown = severity === 'warning' ? ", unless the image's entrypoint (not known here) is a script that splits its arguments again" : '';
    return [
      {
        severity,
        message: `${w.from} element "${w.word}" is one argument: the kubelet runs the exec form without a shell, so nothing splits it and ${consequence(option, value)}${unknown}; write two elements "${option}", "${value}" (or "${option}=${value}")`,
      },
    ];
  });
}

export const argumentNotSplit: Rule = {
  id: 'argument-not-split',
  title:
    'an exec-form command or args element holds an option and its value (`-n ns`, `--max-model-len 4096`): no shell splits it, so the program gets one word it refuses or misreads',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    'every container and init container of a pod template the check knows (workloads, ServingRuntimes, InferenceService containers, Ray, Kubeflow training, JobSet and LeaderWorkerSet templates): a command or args element that starts with `-` or `--` and an option name, then a blank and a value; ' +
    "not judged: a container whose program is a shell (`sh -c` scripts are the shell's to split), an LLMInferenceService container without a command (KServe's config evals its args), an InferenceService model container's args where its runtime runs a shell, `--opt=value with spaces` (the value after `=` is whole), an element right after an option that may take it as its value; " +
    "an InferenceService model container without a command runs its runtime's (in the tree); a warning where no command is set and the image's entrypoint is not known (a script entrypoint may split its arguments again)",
  example: '`command: ["tkn", "pipelinerun", "delete", "ingest-run", "-n ml-pipelines"]`',
  fix: 'write the option and its value as two elements (`"-n", "ml-pipelines"`) or as `--option=value`',
  source:
    'the kubelet runs command and args as an argv, without a shell (Kubernetes docs "Define a Command and Arguments for a Container"); spf13/pflag flag.go parseShortArg takes the rest of a short word as its value; Python argparse _parse_optional reads a word holding a space as positional',
  check(o, { graph }) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => joinedWords(piecesOf(container, where, o, graph), where));
  },
};
