import { mapping, mappings } from '../../manifests/access';
import { Rule } from '../rule';

export const runtimeContainerName: Rule = {
  id: 'runtime-container-name',
  title: "a ServingRuntime's containers include none named kserve-container (storage-initializer and merging look for that name)",
  severity: 'error',
  appliesTo: ['ServingRuntime'],
  premise: 'a single-model runtime (not spec.multiModel: ModelMesh runtimes keep their own container names) lists containers',
  example: "`- name: vllm` as the runtime's container",
  fix: 'name the serving container kserve-container',
  source: 'KServe merges the predictor model spec into, and mounts /mnt/models in, the container named kserve-container',
  scope: 'object',
  check(o) {
    // ModelMesh runs multi-model runtimes beside its own adapter and looks up no kserve-container (modelmesh-serving runtime docs)
    if (mapping(o.manifest.spec).multiModel === true) return [];
    const cs = mappings(mapping(o.manifest.spec).containers);
    if (!cs.length || cs.some((c) => c.name === 'kserve-container')) return [];
    return [
      {
        message:
          "spec.containers has no container named 'kserve-container'; KServe merges the service's model spec into that container and mounts /mnt/models there: rename it",
      },
    ];
  },
};
