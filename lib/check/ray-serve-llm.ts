import { finite, isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { mountedFilesOf, MountedFile } from './mounted-files';
import { pythonCalls, pythonNames } from './python-literals';
import { clusterSpecsOf, groupTemplates } from './ray-clusters';

/**
 * The builders of Ray Serve LLM that a serveConfigV2 application names as its import_path, taking the LLM configs in
 * its `args` (ray-project/ray python/ray/serve/llm/__init__.py: build_openai_app reads `llm_configs`, a list of
 * LLMConfig mappings or file paths; build_llm_deployment one `llm_config`).
 */
const LLM_BUILDERS: Readonly<Record<string, 'llm_configs' | 'llm_config'>> = {
  'ray.serve.llm:build_openai_app': 'llm_configs',
  'ray.serve.llm.builders:build_openai_app': 'llm_configs',
  'ray.serve.llm:build_llm_deployment': 'llm_config',
  'ray.serve.llm.builders:build_llm_deployment': 'llm_config',
};

/** One Ray Serve LLM model deployment as its LLMConfig states it. */
export interface ServeLlm {
  /** How a message names it: `application 'a' llm_configs[0] (model 'm')`. */
  readonly what: string;
  /** LLMConfig.accelerator_type, when written. */
  readonly accelerator?: string;
  /**
   * GPUs one replica's placement group holds: one bundle of one GPU per vLLM worker, tensor × pipeline parallel
   * (ray python/ray/llm/_internal/serve/engines/vllm/vllm_models.py VLLMEngineConfig.placement_bundles); undefined
   * when a placement_group_config sets the bundles or a size is not a number.
   */
  readonly gpusPerReplica?: number;
  /** Replicas Serve always keeps and at most runs: num_replicas, or autoscaling_config min and max; undefined when the config leaves them to Ray's defaults. */
  readonly replicas?: { readonly least: number; readonly most: number; readonly said: string };
}

/** A whole number of a size (tensor_parallel_size), 1 when unset; undefined when written but not a whole number. */
function degree(v: unknown): number | undefined {
  if (v === undefined) return 1;
  const n = finite(v);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The replica counts a deployment_config fixes (ray python/ray/serve/config.py DeploymentConfig: num_replicas, or autoscaling_config). */
function replicasOf(deployment: Loose): ServeLlm['replicas'] {
  if (typeof deployment.num_replicas === 'number')
    return { least: deployment.num_replicas, most: deployment.num_replicas, said: `num_replicas ${deployment.num_replicas}` };
  const auto = mapping(deployment.autoscaling_config);
  const least = finite(auto.min_replicas);
  const most = finite(auto.max_replicas);
  if (least === undefined && most === undefined) return undefined;
  return { least: least ?? 0, most: most ?? least ?? 0, said: `autoscaling min_replicas ${least ?? 'unset'}, max_replicas ${most ?? 'unset'}` };
}

/** An LLMConfig written as a mapping (in serveConfigV2 or read from Serve code), `what` naming where. */
export function serveLlmOf(config: Loose, what: string): ServeLlm {
  const engine = mapping(config.engine_kwargs);
  // engine arguments or a deployment config the code computes may set any size or count
  const engineKnown = config.engine_kwargs === undefined || isMapping(config.engine_kwargs);
  const [tp, pp] = engineKnown ? [degree(engine.tensor_parallel_size), degree(engine.pipeline_parallel_size)] : [undefined, undefined];
  const model = text(mapping(config.model_loading_config).model_id);
  const accelerator = text(config.accelerator_type);
  return {
    what: `${what}${model ? ` (model '${model}')` : ''}`,
    ...(accelerator ? { accelerator } : {}),
    ...(config.placement_group_config === undefined && tp !== undefined && pp !== undefined ? { gpusPerReplica: tp * pp } : {}),
    replicas: config.deployment_config === undefined || isMapping(config.deployment_config) ? replicasOf(mapping(config.deployment_config)) : undefined,
  };
}

/**
 * The Ray Serve LLM deployments a RayService's serveConfigV2 writes inline: the LLM configs in the args of an
 * application whose import_path is a Ray Serve LLM builder. A config given as a file path is not read.
 */
export function serveConfigLlms(m: Loose): ServeLlm[] {
  const config = mapping(m.spec).serveConfigV2;
  if (m.kind !== 'RayService' || typeof config !== 'string') return [];
  const parsed = parseOne(config);
  if ('error' in parsed) return [];
  return mappings(mapping(parsed.value).applications).flatMap((app) => {
    const key = LLM_BUILDERS[text(app.import_path) ?? ''];
    if (!key) return [];
    const name = `application '${text(app.name) ?? 'default'}'`;
    const args = mapping(app.args);
    if (key === 'llm_config') return isMapping(args.llm_config) ? [serveLlmOf(args.llm_config, `${name} args.llm_config`)] : [];
    const list = Array.isArray(args.llm_configs) ? args.llm_configs : [];
    return list.flatMap((c, i) => (isMapping(c) ? [serveLlmOf(c, `${name} args.llm_configs[${i}]`)] : []));
  });
}

/** The Ray Serve LLM deployments of a RayService: those its serveConfigV2 writes, and those the Serve code it imports from a ConfigMap of the tree builds. */
export function serveLlms(m: Loose): ServeLlm[] {
  return [...serveConfigLlms(m), ...serveCodeLlms(m)];
}

/** Ray Serve LLM's builders, one of which Serve code that deploys its LLMConfigs calls (ray python/ray/serve/llm/__init__.py). */
const CODE_BUILDERS = ['build_openai_app', 'build_llm_deployment', 'LLMServer'];

/**
 * The LLMConfigs of the Serve code a serveConfigV2 application imports, where a ConfigMap of the tree mounts the module
 * into the cluster's Ray containers: the module of import_path (`pkg.module:app` → pkg/module.py) under a directory
 * Python searches (the application's and the container's PYTHONPATH, the container's workingDir, and /home/ray, the
 * working directory of Ray's images), read when it calls a Serve LLM builder; each LLMConfig(...) call's keyword
 * literals are read as the config (python-literals.ts), a computed value left unknown. Not read when the application's
 * runtime_env brings a working_dir (the module then comes from it).
 */
export function serveCodeLlms(m: Loose): ServeLlm[] {
  return serveCodeModules(m).flatMap(({ file, module, app }) => {
    if (!CODE_BUILDERS.some((b) => pythonNames(file.text, b))) return [];
    return pythonCalls(file.text, 'LLMConfig').map((c, i, all) =>
      serveLlmOf(c, `${file.from} (module ${module} of application '${app}') LLMConfig${all.length > 1 ? ` #${i + 1}` : ''}`),
    );
  });
}

/**
 * The Serve code module each serveConfigV2 application imports, where a ConfigMap of the tree (or one a script of the
 * tree makes `--from-file` from a file it holds) mounts it into the cluster's Ray containers under a directory Python
 * searches; none for an application whose runtime_env brings a working_dir, or that names a Serve LLM builder.
 */
function serveCodeModules(m: Loose): { file: MountedFile; module: string; app: string }[] {
  const config = mapping(m.spec).serveConfigV2;
  const cluster = clusterSpecsOf(m)[0];
  if (m.kind !== 'RayService' || typeof config !== 'string' || !cluster) return [];
  const parsed = parseOne(config);
  if ('error' in parsed) return [];
  const containers = groupTemplates(cluster).flatMap(({ template }) => mappings(mapping(template.spec).containers));
  return mappings(mapping(parsed.value).applications).flatMap((app) => {
    const importPath = text(app.import_path);
    const runtime = mapping(app.runtime_env);
    if (!importPath || LLM_BUILDERS[importPath] || runtime.working_dir !== undefined) return [];
    const module = importPath.includes(':') ? importPath.split(':')[0] : importPath.split('.').slice(0, -1).join('.');
    const file = moduleFile(module, containers, text(stringMap(runtime.env_vars).PYTHONPATH));
    return file ? [{ file, module, app: text(app.name) ?? 'default' }] : [];
  });
}

/**
 * The GPUs each Serve deployment of the imported code asks for: the `ray_actor_options={"num_gpus": N}` literal of a
 * `@serve.deployment(...)` decorator or call (ray python/ray/serve/api.py deployment); a computed value is not read.
 */
export function serveCodeGpuDemands(m: Loose): { what: string; gpus: number }[] {
  return serveCodeModules(m).flatMap(({ file, module, app }) =>
    pythonCalls(file.text, 'deployment').flatMap((c) => {
      const options = c.ray_actor_options;
      const gpus = isMapping(options) ? (options as Readonly<Record<string, unknown>>).num_gpus : undefined;
      return typeof gpus === 'number' && gpus > 0
        ? [{ what: `${file.from} (module ${module} of application '${app}') @serve.deployment ray_actor_options num_gpus ${gpus}`, gpus }]
        : [];
    }),
  );
}

/** The ConfigMap file a module is read from in the first container that shows one. */
function moduleFile(module: string, containers: readonly Loose[], appPath: string | undefined): MountedFile | undefined {
  const relative = `${module.split('.').join('/')}.py`;
  for (const c of containers) {
    const read = mountedFilesOf(c);
    if (!read) continue;
    const env = mappings(c.env).find((e) => e.name === 'PYTHONPATH');
    const dirs = [appPath, text(env?.value), text(c.workingDir), '/home/ray'].flatMap((d) => (d ? d.split(':') : [])).filter((d) => d.startsWith('/'));
    for (const dir of dirs) {
      const found = read(`${dir.replace(/\/+$/, '')}/${relative}`);
      if (found) return found;
    }
  }
  return undefined;
}
