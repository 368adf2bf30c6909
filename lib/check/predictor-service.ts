import { mapping, mappings, stringMap, text } from '../manifests/access';
import { ENABLE_AUTH_ANNOTATION } from '../k8s/keys';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import { rawDeploymentMode } from './kserve-mode';
import type { Platform } from './platform';
import { predictorModelOf } from './runtime-selection';

/** kserve pkg/constants CommonDefaultHttpPort: the port of the predictor Service's first entry. */
export const PREDICTOR_SERVICE_PORT = 80;

/** kserve pkg/constants InferenceServiceDefaultHttpPort: the target where the container declares no port. */
const DEFAULT_TARGET_PORT = 8080;

/** kserve pkg/constants InferenceServiceDefaultAgentPort: the agent's port, the first entry's target with a batcher or logger. */
const AGENT_PORT = 9081;

/** One port of the Service KServe makes: its name ('' for none), its port, and the pod port it targets. */
export interface MadePort {
  readonly name: string;
  readonly port: number;
  readonly target: number;
}

/** The predictor Service KServe makes for an InferenceService in raw deployment mode, and where its ports come from. */
export interface PredictorService {
  readonly isvc: GraphObject;
  readonly name: string;
  readonly ports: readonly MadePort[];
  /** Where the first port's name comes from, for messages. */
  readonly from: string;
}

const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** The predictor pod's first container and what it is: the model container merged with its runtime's, or the first custom container. */
function firstContainer(isvc: GraphObject, graph: ObjectGraph): { container: Record<string, unknown>; from: string } | undefined {
  const m = isvc.manifest;
  if (predictorModelOf(m)) {
    const runtime = graph.runtimeOf(m);
    const container = runtime && graph.servingContainer(isvc);
    if (!runtime || !container) return undefined;
    return { container, from: `the container of ${runtime.manifest.kind} ${text(mapping(runtime.manifest.metadata).name) ?? ''}` };
  }
  const first = mappings(mapping(mapping(m.spec).predictor).containers)[0];
  return first ? { container: first, from: `container ${text(first.name) ?? '0'} of spec.predictor.containers` } : undefined;
}

/**
 * The Service KServe makes for a predictor in raw deployment mode (kserve
 * pkg/controller/v1beta1/inferenceservice/reconcilers/service/service_reconciler.go createDefaultSvc): named
 * `<isvc>-predictor`; its first port named after the first port of the pod's first container, port 80, targeting that
 * container port (the agent's 9081 with a batcher or logger); the container's other ports as they are; a container
 * without ports gives one port named after the Service, targeting 8080. Undefined where the tree cannot tell: another
 * mode, a runtime not in the tree, or OpenShift AI's auth (security.opendatahub.io/enable-auth), which rewrites the port
 * to the proxy's (opendatahub-io/kserve service_reconciler_ocp.go applyOCPServiceConfig).
 */
export function predictorService(isvc: GraphObject, graph: ObjectGraph, platform: Platform): PredictorService | undefined {
  const m = isvc.manifest;
  if (!rawDeploymentMode(m, platform, graph)) return undefined;
  if ((stringMap(mapping(m.metadata).annotations)[ENABLE_AUTH_ANNOTATION] ?? '').toLowerCase() === 'true') return undefined;
  const first = firstContainer(isvc, graph);
  if (!first) return undefined;
  const name = `${text(mapping(m.metadata).name) ?? ''}-predictor`;
  const declared = mappings(first.container.ports).flatMap((p) => {
    const n = asNumber(p.containerPort);
    return n === undefined ? [] : [{ name: text(p.name) ?? '', number: n }];
  });
  if (mappings(first.container.ports).length !== declared.length) return undefined;
  const predictor = mapping(mapping(m.spec).predictor);
  const agent = predictor.batcher !== undefined || predictor.logger !== undefined;
  const head = declared[0] ?? { name, number: DEFAULT_TARGET_PORT };
  const ports: MadePort[] = [
    { name: head.name, port: PREDICTOR_SERVICE_PORT, target: agent ? AGENT_PORT : head.number },
    ...declared.slice(1).map((p) => ({ name: p.name, port: p.number, target: p.number })),
  ];
  return { isvc, name, ports, from: declared.length ? first.from : `${first.from}, which declares no port` };
}

/** The predictor Service of the tree's InferenceService that a backend of the namespace names, where KServe makes it. */
export function predictorServiceNamed(graph: ObjectGraph, name: string, ns: string | undefined, platform: Platform): PredictorService | undefined {
  if (!name.endsWith('-predictor') || graph.findAll('Service', name, ns).length) return undefined;
  const isvcs = graph
    .findAll('InferenceService', name.slice(0, -'-predictor'.length), ns)
    .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('serving.kserve.io/'));
  if (isvcs.length !== 1) return undefined;
  return predictorService(isvcs[0], graph, platform);
}
