import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, CommandLine, containerPieces, LinePieces, shellScriptIndex, shellWords } from '../command-line';
import { holdsCommandLine, wholeCommandWord } from '../whole-command-word';
import { GraphObject } from '../graph-object';
import { vllmFlagTakesNoWord, vllmInvocation } from '../vllm-args';
import { MODEL_SERVERS } from '../model-servers';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { containersWithLines } from '../written-containers';
import { mergedLlmPods } from '../llm-merged-pods';
import { mainContainerOf } from '../llm-pools';
import { rayContainersRunByShell } from '../ray-clusters';
import { CheckContext, Problem, Rule, Severity } from '../rule';

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

/**
 * A word that is an option or a path with blanks before or after it (`"--model-repo "`, `"/download_model.py "`): the
 * kubelet passes it as written. Python's argparse (_parse_optional: a word holding a space is positional) and pflag
 * (an unknown flag `model-repo `) do not read it as the option; open() looks for a file whose name ends in a space.
 */
const PADDED = /^(\s+\S+\s*|\s*\S+\s+)$/;
const OPTION_WORD = /^--?[A-Za-z][\w.-]*(=\S*)?$/;
const PATH_WORD = /^(\.{0,2}\/\S*|[\w.-]+\.(py|sh|js|rb|pl|json|ya?ml))$/;

/** An interpreter whose first argument other than an option is the script it opens (python3 /download.py). */
const INTERPRETER = /(^|\/)(python[\d.]*|node|ruby|perl)$/;

/** Whether the word at i is the program or the script an interpreter runs: a padded one is a file that is not found. */
function runsFile(words: readonly string[], i: number): boolean {
  if (i === 0) return true;
  if (!INTERPRETER.test(words[0] ?? '')) return false;
  return words.slice(1, i).every((w) => w.startsWith('-')) && !/^-[mc]$/.test(words[i - 1] ?? '');
}

/** The finding on a padded option or path word, or none. */
function paddedWord(words: readonly string[], i: number, from: string, known: boolean): Problem[] {
  const word = words[i];
  const bare = word.trim();
  if (!PADDED.test(word) || !(OPTION_WORD.test(bare) || PATH_WORD.test(bare))) return [];
  const option = OPTION_WORD.test(bare);
  const vllm = vllmInvocation(words);
  const error = option ? vllm !== undefined && i > vllm.start : runsFile(words, i);
  const effect = option
    ? `no parser knows the option '${word}' (argparse, vLLM's among them, reads a word holding a space as a positional argument; pflag and getopt refuse an unknown option)`
    : runsFile(words, i)
      ? `the file '${word}', with its blanks, is not found and the container fails`
      : `the program gets the path '${word}' with its blanks, and finds no such file unless it trims them`;
  const unknown = !known && !error ? ", unless the image's entrypoint (not known here) is a script that splits its arguments again" : '';
  return [
    {
      severity: error ? 'error' : 'warning',
      message: `${from} element "${word}" has blanks around it: the kubelet runs the exec form without a shell, so nothing trims them and ${effect}${unknown}; write "${bare}"`,
    },
  ];
}

/**
 * The servers whose parser is clap (TGI's launcher, TEI's router): clap reads a word starting with `--` as a flag even
 * where the option before it waits for a value (clap_builder parser.rs is_new_arg: such a word is a new argument unless the option
 * allows hyphen values), so `--quantize bitsandbytes` is an unknown flag after any option.
 */
const CLAP_SERVERS = MODEL_SERVERS.filter((s) => s.name === 'Text Generation Inference' || s.name === 'Text Embeddings Inference');

/**
 * Whether the option word before i may take the word at i as its value (`--served-model-name "--foo bar"` names the
 * model "--foo bar"). Not after a vLLM switch: argparse gives a switch no word, and vLLM's old optional booleans refuse
 * any value but true or false; not under clap, which takes no `--` word as a value.
 */
function mayBeValueOf(words: readonly string[], i: number): boolean {
  const before = words[i - 1] ?? '';
  if (!BARE_OPTION.test(before)) return false;
  const vllm = vllmInvocation(words);
  if (vllm && i - 1 >= vllm.start && vllmFlagTakesNoWord(before)) return false;
  return !CLAP_SERVERS.some((server) => {
    const start = server.invocation(words);
    return start >= 0 && i > start;
  });
}

/** What the program makes of the word, by option style: a short option takes the rest of the word as its value. */
function consequence(option: string, value: string, vllm: boolean): string {
  if (vllm && option.startsWith('--'))
    return `vLLM's argparse sees one word '${option} ${value}' (argparse reads a word with a space as a positional argument: _parse_optional), and the server exits ("unrecognized arguments"; \`vllm serve\` given no model takes the word for the model's name, which no hub holds)`;
  return option.startsWith('--')
    ? `the program sees one word '${option} ${value}' (argparse reads a word with a space as a positional argument, pflag and getopt as an unknown option)`
    : `the program reads ${option} with the value ' ${value}' (a leading space) or an unknown option`;
}

/** Whether the word at i is one of vLLM's server arguments. */
function toVllm(words: readonly string[], i: number): boolean {
  const vllm = vllmInvocation(words);
  return vllm !== undefined && i >= vllm.start;
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

/** The command line words of one container that join an option and its value or pad an option or path; none where a shell runs the line. */
function joinedWords(pieces: LinePieces, where: string): Problem[] {
  // a command that starts with an option runs no program at all: command-is-option says so, with the words split
  if (/^\s*-/.test(pieces.command[0]?.word ?? '')) return [];
  const line = buildCommandLine(pieces);
  const words = line.words.map((w) => w.word);
  // a shell's script (and the words it is handed) are the shell's to split
  if (SHELL.test(words[0] ?? '') || shellScriptIndex(words) !== undefined) return [];
  const severity: Severity = line.programKnown ? 'error' : 'warning';
  return [...wholeCommand(pieces, line), ...optionWords(line, where, severity)];
}

/**
 * A program word holding a whole command line (`"vllm serve org/model"`): the kubelet, or an entrypoint that execs its
 * arguments, looks for an executable of that name and the container fails; a warning where the entrypoint is unknown.
 */
function wholeCommand(pieces: LinePieces, line: CommandLine): Problem[] {
  const whole = wholeCommandWord(pieces, line);
  if (!whole) return [];
  const { word, from } = whole.word;
  const runner = pieces.command.length
    ? 'the kubelet'
    : whole.known
      ? 'the image\'s entrypoint (it execs "$@")'
      : "the image's entrypoint, if it execs its arguments,";
  const unknown = whole.known ? '' : ' (the entrypoint is not known here: one that splits its arguments again runs it)';
  return [
    {
      severity: whole.known ? 'error' : 'warning',
      message: `${from} element "${word}" is a whole command line in one element: ${runner} runs it as the program, finds no executable named "${word}" and the container fails${unknown}; write each word as its own element (${shellWords(
        word,
      )
        .map((w) => `"${w}"`)
        .join(', ')})`,
    },
  ];
}

/**
 * The exec handlers of a container: its probes (the kubelet's prober runs exec.command through the runtime's exec, no
 * shell: pkg/probe/exec) and its lifecycle hooks (pkg/kubelet/lifecycle handlers.go, the same exec), with what a
 * handler that never runs costs.
 */
const EXEC_HANDLERS: readonly { path: readonly string[]; effect: string }[] = [
  { path: ['livenessProbe'], effect: 'the liveness probe fails every time, so the kubelet restarts the container over and over' },
  { path: ['readinessProbe'], effect: 'the readiness probe fails every time, so the pod is never Ready and no Service sends it traffic' },
  { path: ['startupProbe'], effect: 'the startup probe fails every time, so the kubelet kills the container after failureThreshold tries, again and again' },
  { path: ['lifecycle', 'postStart'], effect: 'the postStart hook fails, so the kubelet kills the container (FailedPostStartHook) and it never runs' },
  { path: ['lifecycle', 'preStop'], effect: 'the preStop hook fails (FailedPreStopHook), so what it should do before the container stops never happens' },
];

/**
 * An exec probe or hook whose command's first element holds a whole command line (`["wget -q localhost:7474 || exit 1"]`):
 * the runtime execs a file of that whole name, which does not exist (an operator such as `||` needs a shell: `sh -c`).
 */
function execHandlerLines(container: Loose, where: string): Problem[] {
  return EXEC_HANDLERS.flatMap(({ path, effect }) => {
    const handler = path.reduce((acc: unknown, f) => mapping(acc)[f], container);
    const command = strings(mapping(mapping(handler).exec).command);
    const first = command[0];
    if (first === undefined || !holdsCommandLine(first)) return [];
    const shell = /[|&;<>]|\$\(|`/.test(command.join(' '));
    const field = `${where} ${path.join('.')}.exec.command`;
    return [
      {
        severity: 'error',
        message: `${field} element "${first}" is a whole command line in one element: the runtime execs it without a shell, finds no executable named "${first}", and ${effect}; ${
          shell
            ? `run it through a shell: ["sh", "-c", ${JSON.stringify(command.join(' '))}]`
            : `write each word as its own element (${shellWords(first)
                .map((w) => `"${w}"`)
                .join(', ')})`
        }`,
      },
    ];
  });
}

/**
 * A shell's line continuation left at the end of an element (`--tool-call-parser glm47 \\`, copied from a shell
 * command): the exec form has no shell to read it, so the backslash is part of the word; the fix drops it.
 */
const CONTINUATION = /\s*\\+\s*$/;

/** How to write an option joined to its value: two elements (or `--option=value`), without a trailing line continuation. */
function splitFix(option: string, value: string): string {
  const bare = value.replace(CONTINUATION, '');
  if (bare === value) return `write two elements "${option}", "${value}" (or "${option}=${value}")`;
  const dropped = "the trailing '\\' is a shell's line continuation, which no shell reads here: drop it";
  return bare ? `${dropped}, and write two elements "${option}", "${bare}" (or "${option}=${bare}")` : `${dropped} and write "${option}"`;
}

/** The option words of a line that join an option and its value or pad an option or path. */
function optionWords(line: CommandLine, where: string, severity: Severity): Problem[] {
  const words = line.words.map((w) => w.word);
  return line.words.flatMap((w, i): Problem[] => {
    if (!w.from.startsWith(where)) return [];
    const padded = paddedWord(words, i, w.from, line.programKnown);
    if (padded.length) return padded;
    const joined = JOINED_OPTION.exec(w.word);
    if (!joined || mayBeValueOf(words, i)) return [];
    const [, option, value] = joined;
    const unknown = severity === 'warning' ? ", unless the image's entrypoint (not known here) is a script that splits its arguments again" : '';
    return [
      {
        severity,
        message: `${w.from} element "${w.word}" is one argument: the kubelet runs the exec form without a shell, so nothing splits it and ${consequence(option, value, toVllm(words, i))}${unknown}; ${splitFix(option, value)}`,
      },
    ];
  });
}

/**
 * An LLMInferenceService's main container that sets args and no command runs the command its presets and baseRefs
 * give (merged as KServe merges them; a strategic merge replaces args whole, so the args are the service's): a shell
 * there (the shipped presets' `eval "vllm serve … $@"`) splits the args again, a command without one does not.
 */
function presetCommandLines(o: GraphObject, ctx: CheckContext): Problem[] {
  if (o.manifest.kind !== 'LLMInferenceService') return [];
  const merged = mergedLlmPods(o, ctx.graph, ctx.platform);
  if (!('pods' in merged)) return [];
  return merged.pods.flatMap((p) => {
    const written = mainContainerOf(
      p.path
        .split('.')
        .slice(1)
        .reduce((acc: unknown, f) => mapping(acc)[f], o.manifest.spec),
    );
    const command = strings(p.main.command);
    if (!written || written.command !== undefined || !strings(written.args).length || !command.length) return [];
    const where = `${p.path} container 'main'`;
    const from = `the command of ${p.setBy.command.join(', ')}`;
    return joinedWords({ ...containerPieces(p.main, where), command: command.map((word) => ({ word, from })) }, where);
  });
}

export const argumentNotSplit: Rule = {
  id: 'argument-not-split',
  title:
    'an exec-form command or args element (or an exec probe or lifecycle hook command) holds an option and its value (`-n ns`, `--max-model-len 4096`), an option or path with blanks around it (`"--model-repo "`), or a whole command line as the program (`"vllm serve org/model"`): no shell splits or trims it, so the program gets a word it refuses or misreads, or is not found',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    'every container and init container of a pod template the check knows (workloads, ServingRuntimes, InferenceService containers, Ray, Kubeflow training, JobSet and LeaderWorkerSet templates): a command or args element that starts with `-` or `--` and an option name, then a blank and a value; an element that is an option or a path with blanks before or after it, ' +
    'an error where it is the program, the script an interpreter (python, node, ruby, perl) opens, or an option given to vLLM (whose argparse reads it as a positional argument), a warning elsewhere (blanks after an unquoted YAML scalar are not part of it: YAML 1.2 plain scalars end at their last non-blank); ' +
    "not judged: a container whose program is a shell (`sh -c` scripts are the shell's to split), the Ray container (the first) of a RayCluster's, RayJob's or RayService's head and worker groups, which KubeRay runs as `/bin/bash -lc -- '<command> <args> && … ray start …'` unless ray.io/overwrite-container-cmd is \"true\" or the line already runs `ray start`, an LLMInferenceService main container without a command where the command its presets and baseRefs give (merged as KServe merges them) is a shell (the shipped config-llm-template evals its args: `eval \"vllm serve … $@\"`), or where a preset it names is not known, an InferenceService model container's args where its runtime runs a shell, `--opt=value with spaces` (the value after `=` is whole), an element right after an option that may take it as its value (not after a vLLM switch such as --enable-chunked-prefill, which takes no word, nor under TGI's and TEI's clap parser, which takes no `--` word as a value); " +
    "an InferenceService model container without a command runs its runtime's (in the tree); a warning where no command is set and the image's entrypoint is not known (a script entrypoint may split its arguments again); " +
    "the program word holding a whole command line (the command's first element, or the first args element where no command is set and the image's entrypoint execs its arguments: NVIDIA's NGC and CUDA images), an error; under an unknown entrypoint only an args element that starts vLLM (`vllm serve …`, `python3 -m vllm.entrypoints.openai.api_server …`), a warning; the vLLM rules then read such a line as its author meant it, and say so; an exec probe's or lifecycle hook's command (liveness, readiness, startup, postStart, preStop) whose first element holds a whole command line, an error (the kubelet execs it without a shell, whatever the image's entrypoint)",
  example:
    '`command: ["tkn", "pipelinerun", "delete", "ingest-run", "-n ml-pipelines"]`; `args: ["/fetch_weights.py ", "--repo", "$(MODEL_REPO)"` after `command: ["python3"]`; `args: ["vllm serve Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "8192"]` on `nvcr.io/nvidia/vllm:25.10-py3`',
  fix: 'write the option and its value as two elements (`"-n", "ml-pipelines"`) or as `--option=value`; write an option or path without blanks around it; write each word of a command line as its own element (`"vllm", "serve", "org/model"`)',
  source:
    'the kubelet runs command and args as an argv, without a shell (Kubernetes docs "Define a Command and Arguments for a Container"); kuberay ray-operator/controllers/ray/common/pod.go BuildPod joins a Ray container\'s command and args (convertCmdToString) into one bash line; spf13/pflag flag.go parseShortArg takes the rest of a short word as its value; Python argparse _parse_optional reads a word holding a space as positional (CPython Lib/argparse.py: "if it contains a space, it was meant to be a positional"), so vLLM exits with "unrecognized arguments"; clap_builder parser.rs is_new_arg reads a `--` word as a new argument unless the option allows hyphen values; CPython opens the script path as written (its error: can not open file); NVIDIA container images\' /opt/nvidia/nvidia_entrypoint.sh ends in `exec "$@"` (NVIDIA container-images/cuda entrypoint), and exec looks the whole word up as one file name (the runtime\'s error: executable file not found in $PATH); exec probes and lifecycle hooks run exec.command through the runtime the same way (kubernetes pkg/probe/exec, pkg/kubelet/prober/prober.go and pkg/kubelet/lifecycle/handlers.go: no shell)',
  check(o, ctx) {
    // a Ray container KubeRay runs through bash is the shell's to split; its exec probes and hooks are not
    const byShell = rayContainersRunByShell(o.manifest);
    const own = containersWithLines(o.manifest).flatMap(({ where, container }) => [
      ...(byShell.has(container) ? [] : joinedWords(piecesOf(container, where, o, ctx.graph), where)),
      ...execHandlerLines(container, where),
    ]);
    return [...own, ...presetCommandLines(o, ctx)];
  },
};
