import { finite, Loose, mapping, mappings, text } from '../../manifests/access';
import { GPU_RESOURCE } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { gpuOperatorRuntime } from '../gpu-operator-runtime';
import { podSpecsWithPrefix } from '../pod-specs';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { CheckContext, Problem, Rule } from '../rule';

/** The handler of the NVIDIA container runtime in containerd and CRI-O (nvidia-ctk runtime configure; k3s and the GPU Operator's RuntimeClass nvidia). */
const NVIDIA_HANDLER = /^nvidia(-cdi|-legacy)?$/;

/** What tells that the cluster's nodes run the NVIDIA runtime only by runtime class: the class, and where the tree shows it. */
interface RuntimeEvidence {
  readonly runtimeClass: string;
  readonly shownBy: string;
}

/** A RuntimeClass of the tree whose handler is the NVIDIA runtime, else a pod of the tree that names such a class. */
function nvidiaRuntimeEvidence(graph: ObjectGraph): RuntimeEvidence | undefined {
  return graph.once('nvidia-runtime-class-evidence', () => {
    const declared = graph.ofKind('RuntimeClass').find((r) => NVIDIA_HANDLER.test(text(r.manifest.handler) ?? ''));
    if (declared) {
      const name = text(mapping(declared.manifest.metadata).name) ?? 'nvidia';
      return { runtimeClass: name, shownBy: `the tree defines RuntimeClass ${name} (handler ${text(declared.manifest.handler)})` };
    }
    for (const o of graph.objects) {
      const named = podSpecsWithPrefix(o.manifest)
        .map(({ spec }) => text(spec.runtimeClassName))
        .find((c) => c !== undefined && NVIDIA_HANDLER.test(c));
      if (named) return { runtimeClass: named, shownBy: `${graph.id(o)} of the tree sets runtimeClassName ${named}` };
    }
    return undefined;
  });
}

/** OpenShift, told by the tree or the user: the GPU Operator's toolkit is a CRI-O hook there, applied to every container. */
function onOpenShift(ctx: CheckContext): boolean {
  return ctx.platformOnOpenShift === true || (ctx.platform !== 'kserve' && ctx.platformAssumed !== true);
}

const requestsGpu = (c: Loose): boolean =>
  (finite(mapping(mapping(c.resources).limits)[GPU_RESOURCE] ?? mapping(mapping(c.resources).requests)[GPU_RESOURCE]) ?? 0) > 0;

function missing(o: GraphObject, evidence: RuntimeEvidence): Problem[] {
  return podSpecsWithPrefix(o.manifest).flatMap(({ prefix, spec }): Problem[] => {
    if (spec.runtimeClassName !== undefined || spec.resourceClaims !== undefined) return [];
    const gpu = mappings(spec.containers).filter(requestsGpu);
    if (gpu.length === 0) return [];
    const names = gpu.map((c) => `'${text(c.name) ?? '<unnamed>'}'`).join(', ');
    return [
      {
        message:
          `${prefix ? `${prefix.trim()}: ` : ''}container${gpu.length > 1 ? 's' : ''} ${names} request${gpu.length > 1 ? '' : 's'} ${GPU_RESOURCE} but the pod sets no runtimeClassName, while ${evidence.shownBy}: ` +
          `where nvidia is not the nodes' default container runtime (k3s, Talos, kind with the NVIDIA toolkit), the pod runs under runc, without the driver libraries and device nodes, ` +
          `so CUDA finds no GPU although the device plugin allotted one; set runtimeClassName: ${evidence.runtimeClass} in the pod spec (for a Helm chart, under the values key its template reads)`,
      },
    ];
  });
}

export const gpuRuntimeClassMissing: Rule = {
  id: 'gpu-runtime-class-missing',
  title:
    "a pod requests nvidia.com/gpu without runtimeClassName where the tree shows the NVIDIA runtime is a runtime class, not the nodes' default: it runs without the driver",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS.filter((k) => k !== 'InferenceService'), ...MULTI_POD_KINDS],
  premise:
    "a pod spec (of a workload or a pod template of a Ray, training, JobSet or LeaderWorkerSet object) with a container requesting nvidia.com/gpu (limits, else requests, above 0), no runtimeClassName and no DRA resourceClaims, in a tree that shows the NVIDIA runtime is selected by runtime class: it defines a RuntimeClass whose handler is nvidia (nvidia-cdi, nvidia-legacy), or another pod of it sets runtimeClassName nvidia; a warning, as the nodes' default runtime is configured outside the tree (k3s' config, containerd's default_runtime_name). " +
    'Not judged where the tree, or else the git repository around the checked folder, installs the GPU Operator (a ClusterPolicy, a release of its gpu-operator chart, its OLM Subscription) with its container toolkit on: the toolkit makes nvidia the default runtime, and where its env turns that off (CONTAINERD_SET_AS_DEFAULT or NVIDIA_RUNTIME_SET_AS_DEFAULT false) CDI, on by default since v25.10, has containerd inject the devices into any container; ' +
    "where that env turns it off and CDI is off (cdi.enabled false, or a release before v25.10) or goes through annotations only the nvidia runtime reads (cdi.default written), the operator's setting is itself the sign (a warning naming it and the RuntimeClass nvidia the operator makes); a toolkit turned off (toolkit.enabled false) leaves the host's runtime, judged as without the operator. " +
    "Not judged either: OpenShift (its GPU Operator hooks CRI-O for every container); InferenceServices (their pod is merged with the ServingRuntime's)",
  example: 'a RuntimeClass with `handler: nvidia` and a Deployment requesting `nvidia.com/gpu: 1` with no runtimeClassName',
  fix: "set runtimeClassName: nvidia (the RuntimeClass the tree defines) in the pod spec; for a Helm chart, put it under the values key the chart's template reads",
  source:
    'Kubernetes RuntimeClass (node.k8s.io/v1: a pod without runtimeClassName runs under the node\'s default handler); NVIDIA container toolkit docs, "Installing the NVIDIA Container Toolkit" / Configuring containerd (nvidia-ctk runtime configure adds the nvidia runtime, --set-as-default optional) and k3s docs "Advanced: NVIDIA Container Runtime" (k3s registers nvidia and nvidia-experimental runtimes and RuntimeClasses, the default stays runc: pods must set runtimeClassName: nvidia); ' +
    'NVIDIA/k8s-device-plugin README (the plugin allocates devices; the runtime hook mounts them, "nvidia-container-runtime configured as the default low-level runtime" or a runtime class); NVIDIA/gpu-operator toolkit (CONTAINERD_SET_AS_DEFAULT, true by default), controllers/object_controls.go (TransformToolkit, transformToolkitCtrForCDI: with CDI on, NVIDIA_RUNTIME_SET_AS_DEFAULT false and native CDI injection; transformDevicePluginCtrForCDI: DEVICE_LIST_STRATEGY cdi-annotations,cdi-cri), api/nvidia/v1/clusterpolicy_types.go (CDIConfigSpec.IsEnabled: true when unset) and deployments/gpu-operator/values.yaml (cdi.enabled true from v25.10; before, cdi.enabled and cdi.default false)',
  check(o, ctx) {
    const { graph } = ctx;
    if (onOpenShift(ctx)) return [];
    const operator = gpuOperatorRuntime(graph);
    if (operator?.kind === 'default') return [];
    // the operator makes RuntimeClass nvidia itself (controllers/object_controls.go: the nvidia runtime classes)
    const evidence = operator?.kind === 'runtime-class' ? { runtimeClass: 'nvidia', shownBy: operator.why } : nvidiaRuntimeEvidence(graph);
    return evidence ? missing(o, evidence) : [];
  },
};
