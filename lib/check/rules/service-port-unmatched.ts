import { holdsLabels, mapping, mappings, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, podLabelsOf, SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The workloads of the Service's namespace whose pod labels its selector matches (a selector matches labels holding every pair). */
export function selectedWorkloads(service: GraphObject, graph: ObjectGraph): GraphObject[] {
  const selector = stringMap(mapping(service.manifest.spec).selector);
  const pairs = Object.entries(selector);
  if (!pairs.length) return [];
  const namespace = graph.namespaceOf(service.manifest);
  return SERVICE_BACKEND_KINDS.flatMap((kind) =>
    graph.ofKind(kind).filter((w) => {
      if (namespace !== undefined && graph.namespaceOf(w.manifest) !== undefined && graph.namespaceOf(w.manifest) !== namespace) return false;
      const labels = stringMap(podLabelsOf(w.manifest));
      return holdsLabels(labels, selector);
    }),
  );
}

/**
 * The ports the workload's serving containers declare, by number and by name, and whether every one of them declares
 * some: its containers and its native sidecars (init containers with restartPolicy Always, which run beside them for
 * the pod's life: KEP-753, Kubernetes 1.29+), not the init containers that run to completion before them.
 */
function declaredPorts(w: GraphObject): { numbers: Set<number>; names: Set<string>; everyContainer: boolean } {
  const containers = containersOf(w.manifest).filter((c) => !c.init || c.container.restartPolicy === 'Always');
  const ports = containers.flatMap((c) => mappings(c.container.ports));
  return {
    numbers: new Set(ports.map((p) => p.containerPort).filter((p): p is number => typeof p === 'number')),
    names: new Set(ports.map((p) => text(p.name)).filter((p): p is string => p !== undefined)),
    everyContainer: containers.length > 0 && containers.every((c) => mappings(c.container.ports).length > 0),
  };
}

/** A target port as a number, when it is one (a number, or a string of digits). */
function numberOf(target: unknown): number | undefined {
  return typeof target === 'number' ? target : typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : undefined;
}

/**
 * A number a workload that declares ports does not declare. A container may listen on a port it does not declare, so
 * this is an error only where the Service reaches nothing at all: every container of the workload lists its ports, no
 * selected workload declares this one, and no other port of the Service targets one they declare (kube-score
 * service-targetport); else a warning (an extra port, a metrics port, one workload of several serving it).
 */
function numberProblem(where: string, number: number, w: GraphObject, graph: ObjectGraph, servesElsewhere: boolean): Problem {
  const declared = declaredPorts(w);
  const only = [...declared.numbers].sort((a, b) => a - b).join(', ');
  if (declared.everyContainer && !servesElsewhere) {
    return {
      message: `${where} is ${number}, but every container of ${graph.id(w)} that the selector picks lists its ports and none is ${number} (they declare ${only}), nor does any other port of the Service reach one: the Service sends its clients to a port nothing serves and their connections are refused; target a declared port, or declare ${number} on the container that listens there`,
    };
  }
  return {
    message: `${where} is ${number}, but the containers of ${graph.id(w)} that the selector picks declare only ${only}: unless a container listens there undeclared, connections to it are refused; target a declared port`,
    severity: 'warning',
  };
}

function portProblems(service: GraphObject, graph: ObjectGraph): Problem[] {
  const workloads = selectedWorkloads(service, graph);
  if (!workloads.length) return [];
  const declared = workloads.map(declaredPorts);
  // a target some selected container declares, by number or by name
  const served = (target: unknown) => {
    const n = numberOf(target);
    return n !== undefined ? declared.some((d) => d.numbers.has(n)) : typeof target === 'string' && declared.some((d) => d.names.has(target));
  };
  const ports = mappings(mapping(service.manifest.spec).ports);
  const out: Problem[] = [];
  for (const [i, port] of ports.entries()) {
    const target = port.targetPort ?? port.port;
    const where = `spec.ports[${i}]${port.targetPort === undefined ? '.port (the target when targetPort is unset)' : '.targetPort'}`;
    const number = numberOf(target);
    const servesElsewhere = served(number) || ports.some((p, j) => j !== i && served(p.targetPort ?? p.port));
    for (const [k, w] of workloads.entries()) {
      if (typeof target === 'string' && number === undefined && !declared[k].names.has(target)) {
        out.push({
          message: `${where} names the port '${target}', which no container of ${graph.id(w)} that the selector picks declares: the Service gets no endpoint for it and its clients' connections are refused; name a containerPort '${target}' or target the number`,
        });
      }
      // only a workload that declares ports, none of them this one, is judged
      if (number !== undefined && declared[k].numbers.size > 0 && !declared[k].numbers.has(number))
        out.push(numberProblem(where, number, w, graph, servesElsewhere));
    }
  }
  return out;
}

export const servicePortUnmatched: Rule = {
  id: 'service-port-unmatched',
  title:
    "a Service's target port that the pods it selects do not serve: a named port none declares (no endpoints), or a number other than the ones they declare",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'the Service has a selector and the tree holds the Deployments, StatefulSets, DaemonSets, ReplicaSets or Pods it selects; a named targetPort no selected container declares is an error (the endpoints controller finds no port of that name); a number none of their declared ports matches is an error where the Service then reaches nothing (every container of the workload lists its ports, no selected workload declares the number, and no other port of the Service targets a declared one), else a warning (a container may listen on a port it does not declare; an extra or metrics port leaves the Service serving)',
  example: '`targetPort: metrics` on a Service whose selected Deployment declares only the port `name: http`',
  fix: "target the port the container serves (by number or by the containerPort's name), or declare the port on the container",
  source:
    "Kubernetes endpointslice controller (pkg/controller/endpointslice, podutil.FindPort): a named targetPort resolves through the pod's container ports and a pod without it gets no endpoint; a numeric one is used as is",
  check(o, { graph }) {
    // Knative's serving.knative.dev Service is another kind
    if (o.manifest.apiVersion !== 'v1') return [];
    return portProblems(o, graph);
  },
};
