import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { EnvEntry, unreadArgHooks } from '../command-line';
import { ServiceLine } from '../service-line';
import { WORKLOAD_KINDS } from '../pods';
import { predictorModelOf } from '../runtime-selection';
import { Problem, Rule } from '../rule';
import { workloadVllmLines } from '../workload-lines';

function problemOf(e: EnvEntry, where: string): Problem {
  return {
    message:
      `${e.from} holds vLLM flags (${e.value}) but ${where} never expands $${e.name}: vLLM reads VLLM_* settings from its environment, not extra arguments, so it never sees them; ` +
      `move the flags to the args (or expand "$${e.name}" in a shell command that starts vLLM)`,
  };
}

/**
 * The env of a container named kserve-container written beside spec.predictor.model: KServe refuses the two
 * implementations (predictor-implementation says so), and its env was meant for the model's container, whose command
 * line is the runtime's; flags there go unread once the service is accepted with the env moved to the model.
 */
function besideModelHooks(m: Loose, runtime: Loose | undefined, command: ServiceLine): EnvEntry[] {
  const predictor = mapping(mapping(m.spec).predictor);
  const container = mappings(predictor.containers).find((c) => c.name === 'kserve-container');
  const own = new Set(command.env.map((e) => e.name));
  // the line expands only variables its env sets: a name the runtime's or the model's command writes ($X, ${X}, $(X)) is read
  const runtimeContainer = mappings(mapping(runtime?.spec).containers).find((c) => c.name === 'kserve-container');
  const written = [runtimeContainer, mapping(predictor.model)].flatMap((c) => [...strings(c?.command), ...strings(c?.args)]).join('\n');
  const expands = (name: string) => new RegExp(`\\$(\\{|\\()?${name}\\b`).test(written);
  const env = mappings(container?.env)
    .filter((e) => !own.has(String(e.name)) && !expands(String(e.name)))
    .map((e) => ({ name: String(e.name), value: text(e.value), from: `spec.predictor.containers[kserve-container] env ${String(e.name)}` }));
  return unreadArgHooks(command.line, env, command.args.invoked);
}

export const vllmEnvArgsUnread: Rule = {
  id: 'vllm-env-args-unread',
  title: 'flags set in an env variable (EXTRA_ARGS, VLLM_ADDITIONAL_ARGS, …) that no part of the command line expands: vLLM never sees them',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container's command line is known (its command, or an image whose entrypoint is known: vllm-openai, Open Data Hub's vLLM, Red Hat AI Inference Server's) and visibly starts vLLM (vllm serve, the api_server module), and an env variable named …ARGS holds flags that no shell ($VAR), kubelet ($(VAR)) or KServe LLMInferenceService config expands; an InferenceService's only with its runtime in the tree; a container named kserve-container written beside spec.predictor.model (which KServe refuses as two implementations: predictor-implementation) has its env read as the model's, since that is where it goes once accepted, and flags there are judged against the runtime's command line",
  example: '`command: [python, -m, vllm.entrypoints.openai.api_server]` with `name: EXTRA_ARGS`',
  fix: 'move the flags to args, or run vLLM from a shell command that expands the variable',
  source:
    'vLLM parses only its argv (vllm/entrypoints/openai/cli_args.py) and reads VLLM_* variables as settings (vllm/envs.py); an exec-form command has no shell to expand $VAR (Kubernetes: command and args expand only $(VAR))',
  check(o, { graph }) {
    const kind = o.manifest.kind;
    if (kind === 'InferenceService' || kind === 'LLMInferenceService') {
      const model = kind === 'InferenceService' ? predictorModelOf(o.manifest)?.spec : undefined;
      const command = graph.vllmCommand(o);
      // a model container runs its runtime's command line: not known without the runtime (unless the service sets one)
      if (!command || (model && !graph.runtimeOf(o.manifest) && !model.command)) return [];
      const where = kind === 'LLMInferenceService' ? "container 'main'" : "the serving container's command line";
      const beside = model
        ? besideModelHooks(o.manifest, graph.runtimeOf(o.manifest)?.manifest, command).map((e) =>
            problemOf(e, `${where} (the runtime's, where the model's env goes)`),
          )
        : [];
      return [...command.unreadHooks.map((e) => problemOf(e, where)), ...beside];
    }
    return workloadVllmLines(o.manifest).flatMap(({ where, line, env, args }) =>
      unreadArgHooks(line, env, args.invoked).map((e) => problemOf(e, `${where} command line`)),
    );
  },
};
