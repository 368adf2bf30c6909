import { Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { writtenPodSpecs } from '../pod-spec-fields';
import { Problem, Rule } from '../rule';
import { predictorModelOf } from '../runtime-selection';
import { holdsTemplate } from '../template-syntax';
import { CONSEQUENCE, PROBES } from './vllm-probe-path-not-served';

/** The probe handlers whose port may be a name (corev1 HTTPGetAction and TCPSocketAction; GRPCAction's port is a number only). */
const NAMED_PORT_HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** A probe port given by a name the container's ports do not declare, as `<probe>.<handler>.port 'name'`. */
interface Unresolved {
  readonly field: string;
  readonly name: string;
  readonly probe: (typeof PROBES)[number];
}

/**
 * The container's probes whose port is a name none of its ports carries: the kubelet resolves a named probe port
 * among the container's own ports only (pkg/kubelet/prober/prober.go findPortByName, "port <name> not found"), so the
 * probe fails each time. A name holding a placeholder is judged once rendered.
 */
function unresolvedPorts(container: Loose): Unresolved[] {
  const declared = new Set(mappings(container.ports).flatMap((p) => (typeof p.name === 'string' ? [p.name] : [])));
  return PROBES.flatMap((probe) =>
    NAMED_PORT_HANDLERS.flatMap((handler) => {
      const name = text(mapping(mapping(container[probe])[handler]).port);
      if (name === undefined || /^\d+$/.test(name) || holdsTemplate(name) || declared.has(name)) return [];
      return [{ field: `${probe}.${handler}.port`, name, probe }];
    }),
  );
}

function message(where: string, container: Loose, u: Unresolved): string {
  const declared = mappings(container.ports).flatMap((p) => (typeof p.name === 'string' ? [`${p.name} (${String(p.containerPort)})`] : []));
  const has = declared.length ? `declares only ${declared.join(', ')}` : 'declares no named port';
  return `${where} ${u.field} '${u.name}': the container ${has}, and the kubelet looks a probe's port name up among the container's own ports only ("port ${u.name} not found"), so the probe fails every time: ${CONSEQUENCE[u.probe]}; name the port in the container's ports (name: ${u.name}) or give the probe the port number`;
}

const containerProblems = (container: Loose, where: string, severity?: 'warning'): Problem[] =>
  unresolvedPorts(container).map((u) => ({ message: message(where, container, u), ...(severity ? { severity } : {}) }));

const specContainers = (spec: Loose, at: string) => [
  ...mappings(spec.initContainers).map((c, i) => ({ c, at: `${at}.initContainers[${i}]` })),
  ...mappings(spec.containers).map((c, i) => ({ c, at: `${at}.containers[${i}]` })),
];

const named = (c: Loose, at: string) => `${at} ('${text(c.name) ?? '<unnamed>'}')`;

/** Whether an InferenceService of the tree takes this runtime's kserve-container (it is judged merged there). */
const runtimeInUse = (o: GraphObject, graph: ObjectGraph) => graph.servicesOf(o).length > 0;

/**
 * A runtime's containers: its sidecars as written; its kserve-container, which each InferenceService patches (and may
 * give a port), is judged merged on the services of the tree, and alone only as a warning when none of them uses it.
 */
function runtimeProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  return specContainers(mapping(o.manifest.spec), 'spec').flatMap(({ c, at }) => {
    if (c.name !== 'kserve-container') return containerProblems(c, named(c, at));
    if (runtimeInUse(o, graph)) return [];
    return containerProblems(c, `${named(c, at)}, unless each InferenceService using the runtime declares that port name in its model container,`, 'warning');
  });
}

/** An InferenceService: its predictor's model container merged with its runtime's (KServe's MergeRuntimeContainers), its other pods as written. */
function serviceProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const m = o.manifest;
  const model = predictorModelOf(m);
  const runtime = model ? graph.runtimeOf(m) : undefined;
  const predictor = model
    ? // a runtime outside the tree may declare the port the model container's probe names
      containersOf(m, runtime?.manifest)
        .filter((c) => !c.init && (runtime || c.name !== 'kserve-container'))
        .flatMap((c) =>
          containerProblems(
            c.container,
            c.name === 'kserve-container' ? `${model.field} (merged with its runtime's kserve-container)` : `spec.predictor container '${c.name}'`,
          ),
        )
    : specContainers(mapping(mapping(m.spec).predictor), 'spec.predictor').flatMap(({ c, at }) => containerProblems(c, named(c, at)));
  const others = writtenPodSpecs(m).filter((w) => w.path !== 'spec.predictor');
  return [...predictor, ...others.flatMap((w) => specContainers(w.spec, w.path).flatMap(({ c, at }) => containerProblems(c, named(c, at))))];
}

export const probePortNameUndeclared: Rule = {
  id: 'probe-port-name-undeclared',
  title: "a probe's httpGet or tcpSocket port given by a name the container's ports do not declare: the kubelet cannot resolve it and the probe fails for ever",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'ClusterServingRuntime', 'LLMInferenceService'],
  premise:
    "a container's startupProbe, livenessProbe or readinessProbe whose httpGet or tcpSocket port is a name (not a number) that none of the same container's ports carries; an InferenceService's model container is judged merged with its runtime's kserve-container (KServe's MergeRuntimeContainers), and not judged when the runtime is outside the tree (it may declare the port); a runtime's kserve-container no service of the tree uses is a warning (a service's model container could add the port), its sidecars an error; " +
    "not judged: an LLMInferenceService's template (its presets may add ports), names holding a placeholder",
  example: '`startupProbe: {httpGet: {path: /v2/health/ready, port: rest}}` on a container with no port named rest',
  fix: "name the port in the container's ports (`ports: [{containerPort: 8080, name: rest}]`) or give the probe the port number",
  source:
    'kubernetes pkg/kubelet/prober/prober.go (runProbe: extractPort resolves a named port with findPortByName over the container\'s ports, failing with "port <name> not found" unless the name is a number); the prober records "probe errored" and counts it as a failure, so readiness never passes and liveness or start-up failures restart the container',
  check(o, { graph }) {
    const kind = o.manifest.kind;
    if (kind === 'InferenceService') return serviceProblems(o, graph);
    if (kind === 'ServingRuntime' || kind === 'ClusterServingRuntime') return runtimeProblems(o, graph);
    // an LLMInferenceService's template is merged onto its presets, which may declare the port
    if (kind === 'LLMInferenceService') return [];
    return writtenPodSpecs(o.manifest).flatMap((w) => specContainers(w.spec, w.path).flatMap(({ c, at }) => containerProblems(c, named(c, at))));
  },
};
