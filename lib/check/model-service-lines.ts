import { Loose, mapping, mappings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { buildCommandLine, containerPieces } from './command-line';
import { ContainerLine } from './workload-lines';
import { VllmArgs } from './vllm-args';

/** llm-d's ModelService kind and group (llm-d/llm-d-model-service api/v1alpha1, +groupName=llm-d.ai). */
export const MODEL_SERVICE_KIND = 'ModelService';
const MODEL_SERVICE_GROUP = 'llm-d.ai';

/** The roles whose pods run vLLM (llm-d-model-service api/v1alpha1 ModelServiceSpec.Decode, .Prefill: PDSpec). */
const ROLES = ['decode', 'prefill'] as const;

/** A container of a ModelService role, read as the vLLM rules read a workload's, with the role's stated parallelism. */
export interface ModelServiceLine extends ContainerLine {
  /** spec.<role>.parallelism.tensor: the controller writes it to vLLM's --tensor-parallel-size when present. */
  readonly tensor?: number;
}

/** Whether an object is llm-d's ModelService (its group, not another project's kind of the same name). */
export function isModelService(m: Loose): boolean {
  return m.kind === MODEL_SERVICE_KIND && apiGroupOf(m.apiVersion) === MODEL_SERVICE_GROUP;
}

/**
 * The containers of a ModelService's decode and prefill pods as the ModelService writes them: their args and env are
 * merged by container name into the Deployments of its base ConfigMap (llm-d-model-service
 * internal/controller/merge_transformers.go containerSliceTransformer: the ModelService's args go first, its env is
 * merged by name), which are Go templates not read here; the container's words are the args the ModelService gives,
 * its program being the base config's.
 */
export function modelServiceLines(m: Loose): ModelServiceLine[] {
  if (!isModelService(m)) return [];
  return ROLES.flatMap((role) => {
    const spec = mapping(mapping(m.spec)[role]);
    const tensor = mapping(spec.parallelism).tensor;
    return mappings(spec.containers).map((container, i) => {
      const name = text(container.name) ?? `#${i}`;
      const where = `spec.${role} container '${name}'`;
      const pieces = containerPieces(container, where);
      const line = buildCommandLine(pieces);
      return {
        name,
        where,
        container,
        line,
        env: pieces.env,
        args: VllmArgs.of(line.words),
        ...(typeof tensor === 'number' ? { tensor } : {}),
      };
    });
  });
}
