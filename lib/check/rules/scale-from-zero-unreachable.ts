import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { REPLICATED_KINDS } from '../pods';
import { promqlMetrics } from '../promql-metrics';
import { rawDeploymentMode } from '../kserve-mode';
import { Platform } from '../platform';
import { vllmEngineMetric } from '../vllm-metrics';
import { workloadVllmLines } from '../workload-lines';
import { vllmServerEvidence } from '../vllm-server';
import { Rule } from '../rule';

/** The vLLM workload of the tree a ScaledObject scales: a Deployment, StatefulSet, Rollout or DeploymentConfig that runs vLLM (vllmServerEvidence), or the predictor Deployment of a raw-mode vLLM InferenceService. */
export function vllmTarget(graph: ObjectGraph, o: GraphObject, platform: Platform): GraphObject | undefined {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const name = text(ref.name);
  const kind = text(ref.kind) ?? 'Deployment';
  const ns = graph.namespaceOf(o.manifest);
  if (!name || !REPLICATED_KINDS.includes(kind)) return undefined;
  const own = graph.find(kind, name, ns);
  if (own) return workloadVllmLines(own.manifest).some((l) => vllmServerEvidence(l) !== undefined) ? own : undefined;
  // KServe names the Deployment of a raw-mode predictor <isvc>-predictor; Knative's (serverless) pods are woken by its activator
  const isvc = kind === 'Deployment' && name.endsWith('-predictor') ? graph.find('InferenceService', name.slice(0, -'-predictor'.length), ns) : undefined;
  if (!isvc || !rawDeploymentMode(isvc.manifest, platform, graph)) return undefined;
  const vllm = ['vllm-gpu', 'vllm-cpu'].includes(graph.servingKindOf(isvc)) || workloadVllmLines(isvc.manifest).some((l) => l.args.invoked);
  return vllm ? isvc : undefined;
}

/**
 * The vLLM metrics a trigger reads when it is a prometheus trigger that stays inactive while no pod of the target
 * runs: its query selects only vLLM engine metrics (none the router emits, no absent() or vector() constant, no
 * other workload named), its activationThreshold is not negative, and an empty result is 0 (ignoreNullValues true)
 * or an error with no fallback replicas. Undefined for any other trigger.
 */
function ownMetrics(trigger: Loose, names: readonly string[], fallback: boolean): string[] | undefined {
  if (trigger.type !== 'prometheus') return undefined;
  const meta = mapping(trigger.metadata);
  const query = text(meta.query);
  if (!query || /\babsent(_over_time)?\s*\(|\bvector\s*\(/.test(query)) return undefined;
  const selected = promqlMetrics(query);
  const metrics = selected.map(vllmEngineMetric).filter((m): m is string => m !== undefined);
  if (!selected.length || metrics.length < selected.length) return undefined;
  if (names.some((n) => query.includes(n))) return undefined;
  if ((finite(Number(meta.activationThreshold ?? 0)) ?? 0) < 0) return undefined;
  const ignoresNull = String(meta.ignoreNullValues ?? 'true').toLowerCase() !== 'false';
  if (!ignoresNull && fallback) return undefined;
  return metrics;
}

/** Which field lets the workload reach zero: minReplicaCount 0 (written or KEDA's default) or idleReplicaCount 0. */
function zeroField(spec: Loose): string | undefined {
  if (finite(spec.idleReplicaCount) === 0) return 'spec.idleReplicaCount 0';
  if (spec.minReplicaCount === undefined) return 'spec.minReplicaCount (unset, KEDA defaults it to 0)';
  return finite(spec.minReplicaCount) === 0 ? 'spec.minReplicaCount 0' : undefined;
}

export const scaleFromZeroUnreachable: Rule = {
  id: 'scale-from-zero-unreachable',
  title: 'a KEDA ScaledObject scales a vLLM workload to zero on metrics only its own pods emit: at zero no trigger is ever active again',
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    'the ScaledObject (keda.sh) lets its target reach zero (minReplicaCount 0 or unset, or idleReplicaCount 0), the target is a Deployment, StatefulSet, Argo Rollout or DeploymentConfig of the tree that starts vLLM (or the predictor Deployment of a raw-mode vLLM InferenceService), ' +
    "and every trigger is a prometheus trigger whose query selects only vLLM engine metrics (vllm:…, or its misspelling vllm_… of an engine metric, which matches no series at all; none the production-stack router emits, no absent() or vector(), no other workload named), with activationThreshold not negative and no fallback replicas for an empty result (ignoreNullValues false); KServe's Knative scale-to-zero is not judged",
  example: '`minReplicaCount: 0` with one prometheus trigger `query: sum(vllm:num_requests_waiting{namespace="ai"})`',
  fix: 'keep minReplicaCount: 1, or add a trigger that sees demand while no pod runs (the gateway or router request rate, a queue length, a cron window)',
  source:
    'kedacore/keda pkg/scalers/prometheus_scaler.go ExecutePromQuery (an empty result is 0 when ignoreNullValues, the default true, else an error) and GetMetricsAndActivity (active only when the value is above activationThreshold, default 0); ' +
    'pkg/scaling/executor/scale_scaledobjects.go RequestScale (from zero only when a trigger is active, or on a scaler error with fallback replicas)',
  check(o, { graph, platform }) {
    const spec = mapping(o.manifest.spec);
    const zero = zeroField(spec);
    const triggers = mappings(spec.triggers);
    if (!zero || !triggers.length) return [];
    const target = vllmTarget(graph, o, platform);
    if (!target) return [];
    const ns = graph.namespaceOf(o.manifest);
    const others = [...REPLICATED_KINDS, 'InferenceService']
      .flatMap((k) => graph.ofKind(k))
      .filter((w) => w !== target && graph.namespaceOf(w.manifest) === ns)
      .map((w) => text(mapping(w.manifest.metadata).name) ?? '')
      .filter((n) => n.length > 2 && n !== text(mapping(target.manifest.metadata).name));
    const fallback = (finite(mapping(spec.fallback).replicas) ?? 0) > 0;
    const read = triggers.map((t) => ownMetrics(t, others, fallback));
    if (read.some((m) => m === undefined)) return [];
    const metrics = [...new Set(read.flat())].join(', ');
    return [
      {
        message:
          `${zero} lets KEDA scale ${graph.id(target)} to zero, and every trigger reads only metrics its own vLLM pods emit (${metrics}): ` +
          "with no pod the query returns no series, KEDA's prometheus scaler counts it 0 (ignoreNullValues) and 0 is not above activationThreshold, so no trigger is ever active and KEDA never scales it up again; " +
          'set minReplicaCount: 1, or add a trigger that sees demand while no pod runs (the gateway or router request rate, a queue length, cron)',
      },
    ];
  },
};
