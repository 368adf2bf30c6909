import { isKnownVllmEnv, nearestVllmEnv, VLLM_ENV_TABLE_SOURCE } from '../../catalog/vllm-envs';
import { Loose, strings, text } from '../../manifests/access';
import { CommandLine, EnvEntry, VLLM_ADDITIONAL_ARGS } from '../command-line';
import type { GraphObject } from '../graph-object';
import { alsoBy, firstById } from '../one-per-cause';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { predictorModelOf } from '../runtime-selection';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/**
 * Ray's LLM images (rayproject/ray-llm, Dockerfile of ray-project/ray docker/ray-llm): Ray Serve LLM runs vLLM's engine
 * inside the Ray worker processes, which inherit the container's environment, so vLLM reads (and validates) it there.
 */
const RAY_LLM_IMAGE = /(^|\/)rayproject\/ray-llm([:@]|$)/;

/**
 * Names a wrapper reads though vLLM does not: KServe's LLMInferenceService scripts and the images that copy them
 * expand VLLM_ADDITIONAL_ARGS on the `vllm serve` line (command-line.ts).
 */
const WRAPPER_VARIABLES: ReadonlySet<string> = new Set([VLLM_ADDITIONAL_ARGS]);

/** A vLLM container as the rule reads it: its written command and args, its command line and its env. */
interface EnvJudged {
  readonly container: Loose;
  readonly line: CommandLine;
  readonly env: readonly EnvEntry[];
}

/** Whether the container's own command or args name the variable: a shell or wrapper of the command line reads it. */
function readByCommandLine(c: EnvJudged, name: string): boolean {
  const written = [...strings(c.container.command), ...strings(c.container.args)].join(' ');
  return written.includes(name) || c.line.words.some((w) => w.word.includes(name));
}

/** The VLLM_* variables of a container's env that no vLLM version reads and nothing on its command line names. */
function unknownEntries(c: EnvJudged): EnvEntry[] {
  return c.env
    .filter((e) => /^VLLM_[A-Z0-9_]+$/.test(e.name) && !isKnownVllmEnv(e.name) && !WRAPPER_VARIABLES.has(e.name))
    .filter((e) => !readByCommandLine(c, e.name));
}

function problemOf(where: string, name: string, also = ''): Problem {
  const near = nearestVllmEnv(name);
  return {
    message:
      `${where} sets env ${name}${also}, a variable no vLLM release reads (vllm/envs.py environment_variables): vLLM ignores it, and newer releases log "Unknown vLLM environment variable detected: ${name}"` +
      (near ? `; the nearest variable vLLM reads is ${near}` : '') +
      `; remove it, or set what vLLM reads`,
  };
}

/**
 * An InferenceService with a model spec runs its runtime's kserve-container merged with the predictor's model (the
 * vLLM rules' serving container and command line: graph.vllmCommand), judged where that line visibly starts vLLM's
 * server, or, the runtime not in the tree, where servingKindOf tells vLLM. A variable the runtime sets is one cause for every service of that runtime: said on the first
 * by id, naming the others; a variable the service sets is its own.
 */
function serviceProblems(o: GraphObject, ctx: CheckContext): Problem[] {
  const { graph } = ctx;
  const command = graph.vllmCommand(o);
  const runtime = graph.runtimeOf(o.manifest);
  // with its runtime in the tree, the merged line must visibly start vLLM (a runtime's name alone is no evidence);
  // without it, the service's own env goes to the vLLM server servingKindOf tells
  if (!command || !(command.args.invoked || (!runtime && graph.servingKindOf(o).startsWith('vllm')))) return [];
  const judged = { container: graph.servingContainer(o) ?? {}, line: command.line, env: command.env };
  const where = "container 'kserve-container'";
  const unknown = unknownEntries(judged);
  if (!unknown.length) return [];
  // the services of the runtime, first by id: the one a runtime's variable is said on
  const users = runtime ? (firstById(graph, new Map([[runtime, [...graph.servicesOf(runtime)]]])).get(runtime) ?? []) : [];
  return unknown.flatMap((e): Problem[] => {
    if (e.from.startsWith("the InferenceService's") || !users.length) return [problemOf(where, e.name, ` (${e.from})`)];
    if (graph.id(users[0]) !== graph.id(o)) return [];
    const others = alsoBy(
      'run',
      users.map((s) => graph.id(s)),
      graph.id(o),
    );
    return [problemOf(where, e.name, ` (${e.from}${others ? `, ${others.slice(2, -1)}` : ''})`)];
  });
}

/** Whether a container runs vLLM: its command line visibly starts vLLM's server, or it is Ray's LLM image, whose workers run vLLM's engine. */
function runsVllm(c: ContainerLine): boolean {
  return c.args.invoked || RAY_LLM_IMAGE.test(text(c.container.image) ?? '');
}

export const vllmEnvUnknown: Rule = {
  id: 'vllm-env-unknown',
  title: 'a VLLM_* environment variable no vLLM release reads: vLLM ignores it (and logs "Unknown vLLM environment variable detected")',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS.filter((k) => !WORKLOAD_KINDS.includes(k))],
  premise:
    "a container that runs vLLM (its command line visibly starts vLLM's OpenAI server, or it runs Ray's LLM image, whose Ray Serve workers run vLLM's engine in the container's environment; for an InferenceService, the serving container KServe runs, its ServingRuntime's or ClusterServingRuntime's kserve-container merged with the predictor's model, where the service runs vLLM: a variable the runtime sets is said once, on the first of the services that run it by id) sets in its env a name beginning VLLM_ that is not among the variables any vLLM version reads: the keys of vllm/envs.py's environment_variables over the history of vLLM's main and its release commits, and the VLLM_* names a module reads straight from os.environ; not judged when the container's command line names the variable (a shell or wrapper reads it) or for VLLM_ADDITIONAL_ARGS (KServe's vllm serve scripts expand it). A warning: the setting has no effect, and what it was meant to do (an exporter, a port) does not happen",
  example: '`env: [{name: VLLM_PROMETHEUS_PORT, value: "8001"}]` on a vllm/vllm-openai container',
  fix: 'remove the variable, or use the name vLLM reads (the nearest known name is given where one is close) or the server flag that does what it was meant to (vLLM serves its Prometheus metrics on /metrics of its API port)',
  source: `vllm/envs.py environment_variables and validate_environ; kserve pkg/controller/v1beta1/inferenceservice/utils MergeServingRuntimeAndInferenceServiceSpecs (the runtime's container and the model's, env merged) (vllm-project/vllm#33581: "Unknown vLLM environment variable detected", an error under --fail-on-environ-validation); ${VLLM_ENV_TABLE_SOURCE} (scripts/derive-vllm-envs.js → lib/catalog/data/vllm-envs.json)`,
  check(o, ctx) {
    if (o.manifest.kind === 'InferenceService' && predictorModelOf(o.manifest)) return serviceProblems(o, ctx);
    return workloadVllmLines(o.manifest)
      .filter(runsVllm)
      .flatMap((c) => unknownEntries(c).map((e) => problemOf(c.where, e.name)));
  },
};
