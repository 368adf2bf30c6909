import { parseImageReference } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { chartReleases } from '../chart-releases';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { containersOf, podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';
import { shownTaint, Taint, tolerates } from '../taints';
import { EXPORTER_IMAGE, POD_KINDS } from './dcgm-pod-resources-missing';

/** The dcgm-exporter chart's name (NVIDIA/dcgm-exporter deployment/Chart.yaml), whose values.yaml sets `tolerations: []`. */
const EXPORTER_CHART = 'dcgm-exporter';

/** DCGM's metric names (DCGM_FI_*), which an autoscaler on GPU metrics reads. */
const DCGM_METRIC = /\bDCGM_FI_\w+/;

/** A taint a GPU workload of the tree tolerates, with the workload: the taint its GPU nodes carry. */
interface GpuTaint {
  readonly taint: Taint;
  readonly by: GraphObject;
}

/**
 * The taints GPU workloads tolerate: each toleration with a key and a NoSchedule or NoExecute effect (unset: taken as
 * NoSchedule), as the taint `key[=value]:effect` it lets the pods past.
 */
function gpuTaints(graph: ObjectGraph): GpuTaint[] {
  return graph.once('dcgm-exporter-taints', () => {
    const out: GpuTaint[] = [];
    for (const w of graph.objects.filter((o) => POD_KINDS.includes(String(o.manifest.kind)) && !isExporter(o.manifest) && graph.gpusOf(o) > 0)) {
      for (const t of mappings(mapping(podSpecOf(w.manifest)).tolerations)) {
        const key = text(t.key);
        const effect = text(t.effect) ?? 'NoSchedule';
        if (!key || effect === 'PreferNoSchedule') continue;
        const value = text(t.operator) === 'Exists' ? undefined : text(t.value);
        const taint = { key, ...(value ? { value } : {}), effect };
        if (!out.some((g) => shownTaint(g.taint) === shownTaint(taint))) out.push({ taint, by: w });
      }
    }
    return out;
  });
}

const isExporter = (m: Loose): boolean =>
  containersOf(m).some((c) => !c.init && EXPORTER_IMAGE.test(parseImageReference(text(c.container.image) ?? '').repository));

/** The autoscalers of the tree that scale on DCGM metrics (an HPA's metric names, a KEDA trigger's query). */
function dcgmScalers(graph: ObjectGraph): GraphObject[] {
  return [...graph.ofKind('HorizontalPodAutoscaler'), ...graph.ofKind('ScaledObject')].filter((o) => DCGM_METRIC.test(JSON.stringify(o.manifest.spec ?? {})));
}

function problem(graph: ObjectGraph, untolerated: readonly GpuTaint[], what: string, fix: string): Problem {
  const scalers = dcgmScalers(graph);
  const taints = untolerated.map((g) => `${shownTaint(g.taint)} (tolerated by ${graph.id(g.by)})`).join(', ');
  const effect = `the exporter's pods are not scheduled on the GPU nodes carrying ${untolerated.length > 1 ? 'those taints' : 'that taint'}, so no GPU metrics come from them`;
  return {
    ...(scalers.length ? { severity: 'error' as const } : {}),
    message:
      `${what} tolerates none of the taints the tree's GPU workloads tolerate on their GPU nodes: ${taints}; ${effect}` +
      (scalers.length
        ? `, and ${scalers.map((s) => graph.id(s)).join(', ')}, which scale${scalers.length > 1 ? '' : 's'} on DCGM metrics, never see them`
        : '') +
      `; ${fix}`,
  };
}

const toleration = (t: Taint) => `{key: ${t.key}, operator: ${t.value ? 'Equal' : 'Exists'}${t.value ? `, value: ${t.value}` : ''}, effect: ${t.effect}}`;

function exporterProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const taints = gpuTaints(graph);
  if (!taints.length || !isExporter(o.manifest)) return [];
  const own = mappings(mapping(podSpecOf(o.manifest)).tolerations);
  const untolerated = taints.filter((g) => !own.some((t) => tolerates(t, g.taint)));
  if (untolerated.length !== taints.length) return [];
  return [
    problem(graph, untolerated, 'the dcgm-exporter DaemonSet', `add spec.template.spec.tolerations ${untolerated.map((g) => toleration(g.taint)).join(', ')}`),
  ];
}

function releaseProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const taints = gpuTaints(graph);
  if (!taints.length || graph.ofKind('DaemonSet').some((d) => isExporter(d.manifest))) return [];
  return chartReleases(graph)
    .filter((r) => r.object === o && r.chart === EXPORTER_CHART && !r.valuesElsewhere && r.values.tolerations === undefined)
    .map((r) =>
      problem(
        graph,
        taints,
        `release ${r.release} of chart ${EXPORTER_CHART}, whose values set no tolerations (the chart's default is none),`,
        `set the release's values tolerations: [${taints.map((g) => toleration(g.taint)).join(', ')}]`,
      ),
    );
}

export const dcgmExporterTaintUntolerated: Rule = {
  id: 'dcgm-exporter-taint-untolerated',
  title: "the DCGM exporter tolerates none of the taints the tree's GPU workloads tolerate on their GPU nodes: no GPU metrics from those nodes",
  severity: 'warning',
  appliesTo: ['DaemonSet', 'Application', 'HelmRelease'],
  premise:
    "the tree's GPU workloads (pods requesting GPUs) tolerate a taint (a toleration with a key and effect NoSchedule or NoExecute, unset taken as NoSchedule), which their GPU nodes carry; a DaemonSet of a dcgm-exporter image whose tolerations tolerate none of those taints, or an Argo CD Application or Flux HelmRelease of the dcgm-exporter chart whose inline values set no tolerations (no values file elsewhere, no rendered exporter DaemonSet in the tree): a warning, an error where a HorizontalPodAutoscaler or KEDA ScaledObject of the tree scales on DCGM metrics (DCGM_FI_*). The GPU Operator's own exporter (ClusterPolicy), which tolerates nvidia.com/gpu, is not judged",
  example: 'a DaemonSet running `nvcr.io/nvidia/k8s/dcgm-exporter` without tolerations while the vLLM Deployment tolerates `key: nvidia.com/gpu`',
  fix: "add the GPU nodes' taints to the exporter's tolerations (for the chart, the release's values tolerations), e.g. {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}",
  source:
    "Kubernetes taints and tolerations (the scheduler places a pod on a node only if it tolerates each NoSchedule and NoExecute taint; the DaemonSet controller adds only node-condition tolerations of its own); NVIDIA/dcgm-exporter deployment/values.yaml (tolerations: [] by default) and deployment/templates/daemonset.yaml (tolerations from the values); DCGM metrics (DCGM_FI_*) are exported per node by the exporter's pod on it",
  check(o, { graph }) {
    return o.manifest.kind === 'DaemonSet' ? exporterProblems(graph, o) : releaseProblems(graph, o);
  },
};
