import { isKnownVllmEnv, nearestVllmEnv, VLLM_ENV_TABLE_SOURCE } from '../../catalog/vllm-envs';
import { strings, text } from '../../manifests/access';
import { VLLM_ADDITIONAL_ARGS } from '../command-line';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
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

/** Whether the container's own command or args name the variable: a shell or wrapper of the command line reads it. */
function readByCommandLine(c: ContainerLine, name: string): boolean {
  const written = [...strings(c.container.command), ...strings(c.container.args)].join(' ');
  return written.includes(name) || c.line.words.some((w) => w.word.includes(name));
}

/** The VLLM_* variables of a container's env that no vLLM version reads and nothing on its command line names. */
function unknownNames(c: ContainerLine): string[] {
  return c.env
    .filter((e) => /^VLLM_[A-Z0-9_]+$/.test(e.name) && !isKnownVllmEnv(e.name) && !WRAPPER_VARIABLES.has(e.name))
    .filter((e) => !readByCommandLine(c, e.name))
    .map((e) => e.name);
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
    "a container that runs vLLM (its command line visibly starts vLLM's OpenAI server, or it runs Ray's LLM image, whose Ray Serve workers run vLLM's engine in the container's environment) sets in its env a name beginning VLLM_ that is not among the variables any vLLM version reads: the keys of vllm/envs.py's environment_variables over the history of vLLM's main and its release commits, and the VLLM_* names a module reads straight from os.environ; not judged when the container's command line names the variable (a shell or wrapper reads it) or for VLLM_ADDITIONAL_ARGS (KServe's vllm serve scripts expand it). A warning: the setting has no effect, and what it was meant to do (an exporter, a port) does not happen",
  example: '`env: [{name: VLLM_PROMETHEUS_PORT, value: "8001"}]` on a vllm/vllm-openai container',
  fix: 'remove the variable, or use the name vLLM reads (the nearest known name is given where one is close) or the server flag that does what it was meant to (vLLM serves its Prometheus metrics on /metrics of its API port)',
  source: `vllm/envs.py environment_variables and validate_environ (vllm-project/vllm#33581: "Unknown vLLM environment variable detected", an error under --fail-on-environ-validation); ${VLLM_ENV_TABLE_SOURCE} (scripts/derive-vllm-envs.js → lib/catalog/data/vllm-envs.json)`,
  check(o) {
    return workloadVllmLines(o.manifest)
      .filter(runsVllm)
      .flatMap((c) =>
        unknownNames(c).map((name): Problem => {
          const near = nearestVllmEnv(name);
          return {
            message:
              `${c.where} sets env ${name}, a variable no vLLM release reads (vllm/envs.py environment_variables): vLLM ignores it, and newer releases log "Unknown vLLM environment variable detected: ${name}"` +
              (near ? `; the nearest variable vLLM reads is ${near}` : '') +
              `; remove it, or set what vLLM reads`,
          };
        }),
      );
  },
};
