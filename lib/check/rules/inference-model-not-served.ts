import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { poolSelector, workloadsSelected } from '../request-servers';
import { Problem, Rule } from '../rule';
import { commaNameNote, workloadServedNames, workloadSimulates } from '../served-names';

/** A workload the pool selects, with the names its vLLM server answers to; none known when it runs no vLLM the tree reads. */
interface Server {
  readonly id: string;
  readonly names?: readonly string[];
  /** llm-d's vLLM simulator, which loads LoRA adapters whenever asked: its names may grow past what the tree shows. */
  readonly simulates: boolean;
}

function serverOf(w: GraphObject, graph: ObjectGraph): Server {
  const names = workloadServedNames(w.manifest);
  return { id: graph.id(w), ...(names ? { names } : {}), simulates: workloadSimulates(w.manifest) };
}

/**
 * The model servers of the pool the InferenceModel names, in its namespace; undefined when the tree holds no such pool
 * or it selects nothing. `unplaced`: the model's, the pool's or a server's namespace is not known here (applied with -n).
 */
function serversOf(o: GraphObject, graph: ObjectGraph): { pool: string; servers: Server[]; unplaced: boolean } | undefined {
  const ref = mapping(mapping(o.manifest.spec).poolRef);
  const kind = text(ref.kind) ?? 'InferencePool';
  const ns = graph.namespaceOf(o.manifest);
  const pool = kind === 'InferencePool' ? graph.find('InferencePool', text(ref.name), ns) : undefined;
  if (!pool) return undefined;
  const poolNs = graph.namespaceOf(pool.manifest);
  const { workloads, unplaced } = workloadsSelected(graph, ns ?? poolNs, poolSelector(pool));
  if (!workloads.length) return undefined;
  return { pool: text(ref.name) ?? '', servers: workloads.map((w) => serverOf(w, graph)), unplaced: unplaced || ns === undefined || poolNs === undefined };
}

/** The model names the endpoint picker sends on: each of spec.targetModels, else spec.modelName. */
function namesSent(spec: Record<string, unknown>): { name: string; field: string }[] {
  const targets = mappings(spec.targetModels);
  if (targets.length) return targets.map((t, i) => ({ name: text(t.name) ?? '', field: `spec.targetModels[${i}].name` })).filter((t) => t.name);
  const model = text(spec.modelName);
  return model ? [{ name: model, field: 'spec.modelName' }] : [];
}

export const inferenceModelNotServed: Rule = {
  id: 'inference-model-not-served',
  title: 'an InferenceModel names a model that no vLLM server of its InferencePool serves: vLLM answers 404 to every routed request',
  severity: 'error',
  appliesTo: ['InferenceModel'],
  premise:
    'an InferenceModel (Gateway API Inference Extension v1alpha2) whose poolRef names an InferencePool of the tree that selects Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets or LeaderWorkerSets (by the labels of a leader or worker pod) of its namespace (a namespace-less object, applied with -n, matched as of any); ' +
    "the name the endpoint picker sends (each spec.targetModels[].name, else spec.modelName) is among the names no selected vLLM server answers to (--served-model-name, else the model, and the --lora-modules adapters; llm-d's vLLM simulator likewise: --served-model-name, else --model or SIM_MODEL, and its --lora-modules or --lora adapters); " +
    'an error when every selected workload runs vLLM with names the tree tells, a warning when some are not known (another server, a variable, an unread config file, adapters loaded at runtime under VLLM_ALLOW_RUNTIME_LORA_UPDATING) and none known serves it, when the namespace of the model, its pool or a server is not written (applied with -n, it may land elsewhere), or when a simulator is among them (it loads adapters whenever asked); not judged when none is known. ' +
    'InferenceObjective carries no model name and is not judged',
  example: '`modelName: granite-chat` on an InferencePool whose vLLM Deployment runs `--served-model-name` `granite-3.3-8b`',
  fix: "name a model the pool's servers serve (their --served-model-name, or a LoRA adapter of --lora-modules), or add the name to their --served-model-name",
  source:
    "kubernetes-sigs/gateway-api-inference-extension pkg/epp/requestcontrol/director.go (the request's model is looked up among InferenceModels and rewritten to a weighted draw of spec.targetModels, else kept) and apix/v1alpha2 inferencemodel_types.go; " +
    'llm-d/llm-d-inference-sim pkg/common/parser.go (--model, SIM_MODEL, --served-model-name, --lora-modules) and pkg/llm-d-inference-sim/helpers.go isValidModel (the same 404); vLLM entrypoints/openai/serving_engine.py _check_model (a model not in --served-model-name, else the model, nor a LoRA adapter: "The model `…` does not exist.", 404)',
  check(o, { graph }) {
    const found = serversOf(o, graph);
    if (!found) return [];
    const known = found.servers.filter((s) => s.names);
    if (!known.length) return [];
    const unknown = found.servers.filter((s) => !s.names);
    const simulators = known.filter((s) => s.simulates);
    const served = new Set(known.flatMap((s) => s.names ?? []));
    const list = known.map((s) => `${s.id} serves ${(s.names ?? []).map((n) => `'${n}'`).join(', ')}`).join('; ');
    return namesSent(mapping(o.manifest.spec))
      .filter((t) => !served.has(t.name))
      .map((t): Problem => ({
        ...(unknown.length || simulators.length || found.unplaced ? { severity: 'warning' as const } : {}),
        message:
          `${t.field} '${t.name}' is the model name the endpoint picker sends to InferencePool '${found.pool}', but ${list}` +
          (unknown.length ? ` (the names of ${unknown.map((s) => s.id).join(', ')} are not known here, so it holds only if they do not serve it)` : '') +
          (simulators.length
            ? ` (${simulators.map((s) => s.id).join(', ')} runs llm-d's vLLM simulator, which also serves LoRA adapters loaded at run time through /v1/load_lora_adapter)`
            : '') +
          `: ${simulators.length ? 'the server' : 'vLLM'} answers every routed request with 404 ("The model \`${t.name}\` does not exist.")${commaNameNote([...served], t.name)}; name a served model, or add '${t.name}' to --served-model-name`,
      }));
  },
};
