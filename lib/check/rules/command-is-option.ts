import { strings } from '../../manifests/access';
import { shellWords } from '../command-line';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { containersWithLines } from '../written-containers';
import { Problem, Rule } from '../rule';

/** A command's first element that is an option (`--model_name`, `-m`, `--model_name income`), not a program. */
const OPTION_PROGRAM = /^\s*-/;

/** The finding on a container whose command's first element is an option, with the args the author likely meant. */
function optionProgram(where: string, command: readonly string[], args: readonly string[]): Problem[] {
  const first = command[0];
  if (first === undefined || !OPTION_PROGRAM.test(first)) return [];
  // the words the author meant as arguments, each split where one element holds several (`"--model_name income"`)
  const meant = [...command.flatMap((w) => shellWords(w)), ...args];
  const joined = /\s/.test(first.trim()) ? ', and it holds a blank, which no shell splits' : '';
  return [
    {
      message:
        `${where} command[0] "${first}" is an option, not a program${joined}: command replaces the image's ENTRYPOINT, and the runtime execs its first element as the executable, ` +
        `finds no file of that name ("executable file not found in $PATH") and the container never starts (RunContainerError, CrashLoopBackOff); ` +
        `give the options as args, which the image's entrypoint receives, each word its own element: args: [${meant.map((w) => `"${w}"`).join(', ')}] (and drop command)`,
    },
  ];
}

export const commandIsOption: Rule = {
  id: 'command-is-option',
  title:
    "a container's command starts with an option (`--model_name`), not a program: command replaces the image's entrypoint, so the runtime tries to exec the option and the container never starts",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "every container of a pod template the check knows (workloads, ServingRuntimes, an InferenceService's predictor, transformer and explainer containers, Ray, Kubeflow training, JobSet, LeaderWorkerSet and Argo Workflow templates) whose command's first element starts with '-' (an option, alone or with its value in the same element, `--model_name income`): the kubelet passes command as the argv with the ENTRYPOINT replaced, and the container runtime execs argv[0] as a file, looked up on PATH; no executable is named like an option, so the start fails whatever the image holds. args are not judged (they follow the entrypoint, where options belong)",
  example: '`command: ["--model_name income"]` on the explainer container of an InferenceService',
  fix: 'move the options to args, each word its own element (`args: ["--model_name", "income"]`), and drop command so the image\'s entrypoint runs; or name the program first in command',
  source:
    'Kubernetes docs "Define a Command and Arguments for a Container" (command overrides the image ENTRYPOINT, args its CMD; no shell runs them); opencontainers/runc libcontainer/standard_init_linux.go (exec.LookPath of argv[0], the error "executable file not found in $PATH"); kserve pkg/apis/serving/v1beta1 ExplainerSpec and TransformerSpec embed a PodSpec whose containers are run as written',
  scope: 'object',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => optionProgram(where, strings(container.command), strings(container.args)));
  },
};
