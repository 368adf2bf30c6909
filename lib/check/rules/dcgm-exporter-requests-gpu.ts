import { parseImageReference } from '../../catalog/vllm-images';
import { text } from '../../manifests/access';
import { containerGpus } from '../gpu-supply';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';
import { EXPORTER_IMAGE, POD_KINDS } from './dcgm-pod-resources-missing';

export const dcgmExporterRequestsGpu: Rule = {
  id: 'dcgm-exporter-requests-gpu',
  title: 'a DCGM exporter container requests GPUs: it holds GPUs it only needs to watch, and GPU workloads lose them',
  severity: 'warning',
  appliesTo: POD_KINDS,
  premise:
    "a container of a dcgm-exporter image (its repository's last part) requests or limits nvidia.com/gpu (or amd.com/gpu); an error when it is a DaemonSet whose nodes' instance types are known, it requests every GPU of each of them, and another workload of the tree requests GPUs on the same instance types (its pods find none free there)",
  example: 'a DaemonSet running `nvcr.io/nvidia/k8s/dcgm-exporter` with `nvidia.com/gpu: 1` in its limits',
  fix: "remove the nvidia.com/gpu request and limit from the exporter: it reads every GPU of the node through the host's driver and DCGM, as NVIDIA's own dcgm-exporter.yaml and GPU Operator do (no GPU resource); give it the node's driver by the NVIDIA container runtime (NVIDIA_VISIBLE_DEVICES=all) instead",
  source:
    "NVIDIA/dcgm-exporter dcgm-exporter.yaml and deployment/templates/daemonset.yaml request no GPU resource; the device plugin (NVIDIA/k8s-device-plugin) hands a container that requests nvidia.com/gpu that many GPUs for itself, counted against the node's allocatable, so the exporter's pod holds them for as long as it runs and the scheduler places no other GPU pod on them",
  check(o, { graph }) {
    const exporters = containersOf(o.manifest).filter((c) => !c.init && EXPORTER_IMAGE.test(parseImageReference(text(c.container.image) ?? '').repository));
    return exporters.flatMap((c): Problem[] => {
      const gpus = containerGpus(c.container);
      if (gpus <= 0) return [];
      const types = o.manifest.kind === 'DaemonSet' ? graph.instanceTypesOf(o.manifest) : [];
      const fills = types.length > 0 && types.every((t) => t.gpuCount <= gpus);
      // the workloads settled to run on those node types: one whose shape is unknown may run elsewhere
      const sameNodes = (w: (typeof graph.objects)[number]) => graph.instanceTypesOf(w.manifest).some((t) => types.some((e) => e.name === t.name));
      const others = fills ? graph.objects.filter((w) => w !== o && POD_KINDS.includes(String(w.manifest.kind)) && graph.gpusOf(w) > 0 && sameNodes(w)) : [];
      const said = `container '${c.name}' runs ${text(c.container.image)} and requests ${gpus} GPU${gpus > 1 ? 's' : ''}: the exporter reads every GPU of the node through the driver and needs none allocated, so this holds ${gpus > 1 ? 'them' : 'it'} away from GPU workloads`;
      if (fills && others.length > 0) {
        const names = others
          .map((w) => graph.id(w))
          .slice(0, 3)
          .join(', ');
        return [
          {
            severity: 'error',
            message: `${said}; a DaemonSet pod takes all ${types[0].gpuCount} GPU${types[0].gpuCount > 1 ? 's' : ''} of each ${types.map((t) => t.name).join('/')} node it runs on, so ${names} find${others.length > 1 ? '' : 's'} none free there and stay Pending; remove the GPU request and limit`,
          },
        ];
      }
      return [{ message: `${said}; remove the GPU request and limit (NVIDIA's own manifests set none)` }];
    });
  },
};
