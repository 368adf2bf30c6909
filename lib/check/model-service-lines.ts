import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { buildCommandLine, containerPieces } from './command-line';
import type { ContainerLine } from './container-line';
import { baseConfigName, baseDeployment } from './model-service-base';
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
 * A ModelService container merged into the base Deployment's container of the same name, as the controller merges
 * them (llm-d-model-service internal/controller/merge_transformers.go containerSliceTransformer, mergo WithOverride
 * and WithAppendSlice): the ModelService's command replaces the base's where given, its args go first
 * (stringSlicePrependTransformer), its env is merged by name, its value overriding (envVarSliceTransformer), its
 * other set fields override the base's (resources by key).
 */
function mergedContainer(base: Loose, own: Loose): Loose {
  const set = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const ownEnv = mappings(own.env);
  const env = [
    ...mappings(base.env).map((e) => ownEnv.find((o) => o.name === e.name) ?? e),
    ...ownEnv.filter((o) => !mappings(base.env).some((e) => e.name === o.name)),
  ];
  const command = Array.isArray(own.command) && own.command.length ? own.command : base.command;
  const args = [...(Array.isArray(own.args) ? own.args : []), ...(Array.isArray(base.args) ? base.args : [])];
  const resources = isMapping(own.resources) ? mergedResources(mapping(base.resources), own.resources) : base.resources;
  return { ...base, ...set, command, args, env, resources };
}

function mergedResources(base: Loose, own: Loose): Loose {
  const keys = new Set([...Object.keys(base), ...Object.keys(own)]);
  return Object.fromEntries(
    [...keys].map((k) => [k, isMapping(base[k]) || isMapping(own[k]) ? { ...mapping(base[k]), ...mapping(own[k]) } : (own[k] ?? base[k])]),
  );
}

/** The containers of one role's pod: the base Deployment's (merged with the ModelService's of the same name), then the ModelService's others. */
function roleContainers(m: Loose, role: string): { container: Loose; where: string }[] {
  const own = mappings(mapping(mapping(m.spec)[role]).containers);
  const ownWhere = (c: Loose, i: number) => `spec.${role} container '${text(c.name) ?? `#${i}`}'`;
  const base = baseDeployment(m, role);
  if (!base) return own.map((c, i) => ({ container: c, where: ownWhere(c, i) }));
  const config = `ConfigMap '${baseConfigName(m)}' ${role}Deployment`;
  const baseContainers = mappings(mapping(mapping(mapping(base.spec).template).spec).containers);
  const merged = baseContainers.map((b, i) => {
    const j = own.findIndex((c) => c.name !== undefined && c.name === b.name);
    if (j < 0) return { container: b, where: `${config} container '${text(b.name) ?? `#${i}`}'` };
    return { container: mergedContainer(b, own[j]), where: `${ownWhere(own[j], j)} (merged into ${config})` };
  });
  const added = own.flatMap((c, i) => (baseContainers.some((b) => b.name !== undefined && b.name === c.name) ? [] : [{ container: c, where: ownWhere(c, i) }]));
  return [...merged, ...added];
}

/**
 * The containers of a ModelService's decode and prefill pods as the controller writes them: merged by container name
 * into the Deployments of its base ConfigMap where the tree holds it (read once the Go template actions are set
 * aside, model-service-base.ts), else the ModelService's own containers, whose program is then the unseen base's.
 */
export function modelServiceLines(m: Loose): ModelServiceLine[] {
  if (!isModelService(m)) return [];
  return ROLES.flatMap((role) => {
    const tensor = mapping(mapping(mapping(m.spec)[role]).parallelism).tensor;
    return roleContainers(m, role).map(({ container, where }, i) => {
      const pieces = containerPieces(container, where);
      const line = buildCommandLine(pieces);
      return {
        name: text(container.name) ?? `#${i}`,
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

/** How the vLLM argument rules read a ModelService, for their premises. */
export const MODEL_SERVICE_PREMISE =
  "; a decode or prefill container of llm-d's ModelService is read as the controller merges it into the same-named container of its base ConfigMap's decodeDeployment or prefillDeployment (read once its Go template actions are set aside, each value of one read as a variable; the ModelService's args first, its env by name), and judged only where the tree holds that ConfigMap and the merged command visibly starts vLLM's server";
