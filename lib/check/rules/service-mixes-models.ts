import { holdsLabels, mapping, stringMap, text } from '../../manifests/access';
import { deliveryOf } from '../applied-together';
import { commandLineOf } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, podLabelsOf, serviceBackends } from '../pods';
import { Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';

/** What a workload's pods answer a request with: the names its vLLM server serves the model under, or the program it runs instead. */
interface Serves {
  readonly workload: GraphObject;
  /** The model names vLLM answers to (`--served-model-name`, else the model), or undefined when no container runs vLLM. */
  readonly names?: string;
  /** The image of its first container, for a workload that runs another program. */
  readonly image: string;
}

/**
 * What a workload's pods serve; undefined when the tree cannot tell (the model or its names come from a variable, a
 * config file not read): vLLM's OpenAI server answers only to the names in --served-model-name, else to the model.
 */
function servesOf(w: GraphObject): Serves | undefined {
  const containers = containersOf(w.manifest).filter((c) => !c.init && text(c.container.image));
  if (!containers.length) return undefined;
  const image = String(containers[0].container.image);
  const vllm = containers.map((c) => VllmArgs.of(commandLineOf(c.container))).filter((a) => a.invoked);
  if (!vllm.length) return { workload: w, image };
  const names = vllm
    .map((a) => (a.value('--served-model-name') !== undefined ? '--served-model-name' : '--model'))
    .map((flag, i) => {
      const args = vllm[i];
      if (args.unknown(flag)) return undefined;
      return flag === '--served-model-name' ? args.value(flag) : args.model();
    });
  // a name left as a variable (`$(MODEL_ID)` of no env entry) is not known
  if (names.some((n) => n === undefined || n.includes('$'))) return undefined;
  return { workload: w, names: [...new Set(names)].sort().join(', '), image };
}

const describe = (s: Serves, graph: ObjectGraph) =>
  `${graph.id(s.workload)} (${s.names !== undefined ? `serving '${s.names}'` : `running ${s.image}, not vLLM`})`;

function mixed(service: GraphObject, graph: ObjectGraph): Problem[] {
  const spec = mapping(service.manifest.spec);
  const selector = stringMap(spec.selector);
  if (!Object.keys(selector).length || spec.type === 'ExternalName') return [];
  const namespace = graph.namespaceOf(service.manifest);
  const selected = serviceBackends(graph).filter(
    (w) => graph.namespaceOf(w.manifest) === namespace && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector),
  );
  // two declarations of one object (alternative copies of a file) are one workload on the cluster, whichever is applied: not judged
  const ids = selected.map((w) => graph.id(w));
  const distinct = selected.filter((_, i) => ids.indexOf(ids[i]) === ids.lastIndexOf(ids[i]));
  const serves = distinct.map(servesOf);
  // a workload whose model the tree does not tell is not judged; one model everywhere (a canary) is one service
  if (distinct.length < 2 || serves.some((s) => s === undefined)) return [];
  const known = serves as Serves[];
  const models = known.filter((s) => s.names !== undefined);
  const kinds = new Set(known.map((s) => s.names ?? `program:${s.image}`));
  if (!models.length || kinds.size < 2) return [];
  const first = known[0];
  const other = known.find((s) => (s.names ?? `program:${s.image}`) !== (first.names ?? `program:${first.image}`))!;
  const joined = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  // loose files nothing applies together may be alternatives (a CPU and a GPU variant): both running is assumed
  const together = deliveryOf(first.workload, graph) !== undefined && deliveryOf(first.workload, graph) === deliveryOf(other.workload, graph);
  return [
    {
      severity: together ? 'error' : 'warning',
      message:
        `spec.selector ${joined} matches the pods of ${describe(first, graph)} and of ${describe(other, graph)}; the Service spreads requests over both, ` +
        `so about half of them reach a server that does not serve the model asked for (vLLM answers "The model … does not exist", 404)` +
        (together ? '' : '; nothing in the tree applies both (they may be alternatives), but if both run, that is what happens') +
        ': give each workload its own label and select it (a Service per model)',
    },
  ];
}

export const serviceMixesModels: Rule = {
  id: 'service-mixes-models',
  title:
    "a Service's selector matches the pods of two workloads that serve different models (or a model and another program): about half the requests reach the wrong server",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    "a v1 Service with a selector (not ExternalName) whose namespace holds two or more Pods, Deployments, StatefulSets, DaemonSets or ReplicaSets whose pod labels hold every selected pair, where one runs vLLM's server and another serves other model names (--served-model-name, else the model) or runs no vLLM; an error when one kustomize build, Argo CD Application or script-applied folder delivers both, a warning for loose files nothing applies together (they may be alternatives). Not judged: two declarations of one workload (kind, namespace, name: alternatives, one object on the cluster), a workload whose model or names come from a variable or a config file not read; workloads serving the same names (a canary, a rollout)",
  example:
    'two Deployments of one kustomization whose pods are both labelled `app: vllm`, one with `--model=TinyLlama/TinyLlama-1.1B-Chat-v1.0`, the other with `--model=meta-llama/Llama-3.1-8B-Instruct`, and a Service selecting `app: vllm`',
  fix: 'give each workload its own label and a Service of its own, or route by model in front of them (a gateway)',
  source:
    'Kubernetes endpointslice controller (pkg/controller/endpointslice): a Service gets the endpoints of every pod whose labels hold the selected pairs, and kube-proxy spreads connections over them; vLLM entrypoints/openai/serving_engine.py _check_model: a request for a model name not in --served-model-name (else the model) is answered "The model `…` does not exist." (404)',
  check(o, { graph }) {
    // Knative's serving.knative.dev Service is another kind
    if (o.manifest.apiVersion !== 'v1') return [];
    return mixed(o, graph);
  },
};
