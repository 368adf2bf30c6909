import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces, EnvEntry, unreadArgHooks } from '../command-line';
import { ServiceLine } from '../service-line';
import { WORKLOAD_KINDS } from '../pods';
import { predictorModelOf } from '../runtime-selection';
import { CheckContext, Problem, Rule } from '../rule';
import { serviceCommandLine } from '../service-line';
import { VllmArgs } from '../vllm-args';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
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

/**
 * The vLLM runtime a platform installs for a service to name (a runtime made from it lives outside the tree): each runs
 * vLLM's OpenAI server in exec form, so no shell expands an env variable. OpenShift AI: odh-model-controller
 * config/runtimes/vllm-cuda-template.yaml (and its ROCm, Gaudi and CPU siblings); upstream KServe:
 * config/runtimes/kserve-vllmserver.yaml (ClusterServingRuntime kserve-vllmserver).
 */
function platformTemplate(platform: string): { described: string; runtime: Loose } {
  const upstream = platform === 'kserve';
  const described = upstream
    ? "upstream KServe's vLLM runtime (config/runtimes/kserve-vllmserver.yaml: an exec-form `python -m vllm.entrypoints.openai.api_server`)"
    : "OpenShift AI's vLLM runtime template (odh-model-controller config/runtimes/vllm-cuda-template.yaml: an exec-form `python -m vllm.entrypoints.openai.api_server`)";
  const args = upstream
    ? ['--port=8080', '--served-model-name={{.Name}}', '--model=/mnt/models']
    : ['--port=8080', '--model=/mnt/models', '--served-model-name={{.Name}}'];
  const container = { name: 'kserve-container', command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args };
  return {
    described,
    runtime: { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: { name: 'template' }, spec: { containers: [container] } },
  };
}

/** The vLLM runtimes of the tree (by the module or subcommand their kserve-container runs). */
function treeVllmRuntimes(graph: ObjectGraph): GraphObject[] {
  return ['ServingRuntime', 'ClusterServingRuntime'].flatMap((k) =>
    graph.ofKind(k).filter((r) => {
      const c = mappings(mapping(r.manifest.spec).containers).find((x) => x.name === 'kserve-container');
      return c !== undefined && VllmArgs.of(buildCommandLine(containerPieces(c, "container 'kserve-container'")).words).invoked;
    }),
  );
}

/**
 * An InferenceService whose named runtime is not in the tree: judged against the tree's one vLLM runtime, else against
 * the platform's template where the platform is given or inferred; otherwise a note that the flags reach vLLM only if
 * the runtime's command line expands the variable.
 */
function absentRuntimeProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const { graph } = ctx;
  const named = text(predictorModelOf(o.manifest)?.spec.runtime);
  const own = treeVllmRuntimes(graph);
  const stand = own.length === 1 ? { described: `the tree's one vLLM runtime, ${graph.id(own[0])}`, runtime: own[0].manifest } : undefined;
  const chosen = stand ?? (ctx.platformAssumed ? undefined : platformTemplate(ctx.platform));
  const namespace = graph.namespaceOf(o.manifest);
  const base = { manifest: o.manifest, namespace, configMap: (name: string) => graph.find('ConfigMap', name, namespace)?.manifest };
  const absent = named ? `the runtime '${named}' is not in the tree` : 'the runtime is not in the tree';
  if (chosen) {
    const line = serviceCommandLine({ ...base, runtime: chosen.runtime });
    return (line?.unreadHooks ?? []).map((e) => problemOf(e, `the serving container's command line (${absent}; judged as ${chosen.described})`));
  }
  // no stand-in: what the runtime would need to read the variable
  const line = serviceCommandLine({ ...base, runtime: platformTemplate(ctx.platform).runtime });
  return (line?.unreadHooks ?? []).map((e) => ({
    severity: 'info' as const,
    message:
      `${e.from} holds vLLM flags (${e.value}), and ${absent}: vLLM sees them only if that runtime's command runs a shell that expands $${e.name}; ` +
      `the platforms' own vLLM runtimes run the server in exec form and never do (give --platform, or add the runtime to the tree, to have it judged); move the flags to the args`,
  }));
}

export const vllmEnvArgsUnread: Rule = {
  id: 'vllm-env-args-unread',
  title: 'flags set in an env variable (EXTRA_ARGS, VLLM_ADDITIONAL_ARGS, …) that no part of the command line expands: vLLM never sees them',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container's command line is known (its command, or an image whose entrypoint is known: vllm-openai, Open Data Hub's vLLM, Red Hat AI Inference Server's) and visibly starts vLLM (vllm serve, the api_server module), and an env variable named …ARGS holds flags that no shell ($VAR), kubelet ($(VAR)) or KServe LLMInferenceService config expands; an InferenceService's with its runtime in the tree, or, where the runtime it names is not in the tree, against the tree's one vLLM runtime, else the platform's own vLLM runtime (OpenShift AI's vllm-cuda template, upstream KServe's kserve-vllmserver: exec form, no shell) where the platform is given or inferred, else a note; a container named kserve-container written beside spec.predictor.model (which KServe refuses as two implementations: predictor-implementation) has its env read as the model's, since that is where it goes once accepted, and flags there are judged against the runtime's command line",
  example: '`command: [python, -m, vllm.entrypoints.openai.api_server]` with `name: EXTRA_ARGS`',
  fix: 'move the flags to args, or run vLLM from a shell command that expands the variable',
  source:
    'vLLM parses only its argv (vllm/entrypoints/openai/cli_args.py) and reads VLLM_* variables as settings (vllm/envs.py); an exec-form command has no shell to expand $VAR (Kubernetes: command and args expand only $(VAR)); opendatahub-io/odh-model-controller config/runtimes/vllm-cuda-template.yaml and kserve config/runtimes/kserve-vllmserver.yaml (exec-form `python -m vllm.entrypoints.openai.api_server`)',
  check(o, ctx) {
    const { graph } = ctx;
    const kind = o.manifest.kind;
    if (kind === 'InferenceService' || kind === 'LLMInferenceService') {
      const model = kind === 'InferenceService' ? predictorModelOf(o.manifest)?.spec : undefined;
      const command = graph.vllmCommand(o);
      if (!command) return [];
      // a model container runs its runtime's command line: without the runtime in the tree, judged against a stand-in
      if (model && !graph.runtimeOf(o.manifest) && !model.command) return absentRuntimeProblems(o, ctx);
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
