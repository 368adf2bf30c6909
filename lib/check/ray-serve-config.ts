import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';

/**
 * The parse errors of the YAML library that go-yaml (and libyaml, which it ports) makes too, checked case by case
 * against a libyaml-style scanner: a plain scalar at a mapping's key column with no `: ` after it (`KEY:"v"`, a bare
 * word between keys: go-yaml's "could not find expected ':'", or "mapping values are not allowed in this context" when
 * the next line's key then follows it), a mapping nested on a value's line, a tab as indentation ("found character
 * that cannot start any token"). Other refusals of the library are not claimed for go-yaml.
 */
const GO_YAML_REFUSES =
  /^(Implicit keys need to be on a single line|Implicit map keys need to be followed by map values|Nested mappings are not allowed in compact mappings|Tabs are not allowed as indentation) at line (\d+), column \d+/;

/** A template the tree renders later (`{{ … }}`, `${VAR}`): not read as the YAML KubeRay gets. */
const TEMPLATED = /\{\{|\$\{/;

/** Where a RayService's serveConfigV2 fails to parse as go-yaml reads it: the line within the string, its text and the parser's words. */
export interface ServeConfigError {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/**
 * The error KubeRay meets reading a RayService's spec.serveConfigV2: the RayService controller unmarshals the string
 * as YAML before it submits the Serve applications (ray-project/kuberay ray-operator/controllers/ray/
 * rayservice_controller.go updateServeDeployment: yaml.Unmarshal([]byte(ServeConfigV2), &serveConfig), returning the
 * error), read here as sigs.k8s.io/yaml reads it (parseOne: a repeated key is no error, go-yaml's indentation
 * leniencies are kept). Undefined when it parses, is absent or templated, or fails only in a way not known to fail in go-yaml.
 */
export function serveConfigError(m: Loose): ServeConfigError | undefined {
  if (m.kind !== 'RayService') return undefined;
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return undefined;
  const parsed = parseOne(config);
  if (!('error' in parsed)) return undefined;
  const refused = GO_YAML_REFUSES.exec(parsed.error);
  if (!refused) return undefined;
  const line = Number(refused[2]);
  return { line, text: (config.split('\n')[line - 1] ?? '').trim(), reason: refused[1] };
}

/**
 * What Ray Serve refuses in a serveConfigV2 that parses: KubeRay sends it to the dashboard (PUT
 * /api/serve/applications/), which reads it as ServeDeploySchema (ray-project/ray python/ray/serve/schema.py):
 * `applications` is a required List[ServeApplicationSchema] (pydantic's list validator refuses a mapping), each
 * application a mapping with the required import_path; the validators application_names_unique (name defaults to
 * "default"), application_routes_unique (route_prefix defaults to "/", null ones not compared) and
 * application_names_nonempty. Undefined when the config is absent, templated, not YAML (serveConfigError) or accepted.
 */
export function serveConfigSchemaError(m: Loose): string | undefined {
  if (m.kind !== 'RayService') return undefined;
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return undefined;
  const parsed = parseOne(config);
  if ('error' in parsed) return undefined;
  const top = parsed.value;
  if (!isMapping(top)) return 'it is not a mapping holding `applications:`';
  const apps = top.applications;
  if (apps === undefined || apps === null) return 'it has no `applications:` key, which ServeDeploySchema requires';
  if (!Array.isArray(apps)) {
    const nested = isMapping(apps) && 'applications' in apps ? ' (it holds another `applications:` key: one level too deep)' : '';
    return `its \`applications:\` is ${isMapping(apps) ? 'a mapping' : 'not a list'}${nested}, where ServeDeploySchema takes a list of applications (\`- name: …\`)`;
  }
  return applicationsError(apps);
}

/** The first refusal of ServeDeploySchema's per-application checks, in the order pydantic runs them. */
function applicationsError(apps: unknown[]): string | undefined {
  for (const [i, app] of apps.entries()) {
    if (!isMapping(app)) return `applications[${i}] is not a mapping of an application's fields`;
    if (typeof app.import_path !== 'string')
      return `applications[${i}]${app.name ? ` ('${String(app.name)}')` : ''} has no import_path, which ServeApplicationSchema requires`;
  }
  const names = apps.map((a) => (isMapping(a) && a.name !== undefined ? String(a.name) : 'default'));
  const name = names.find((n, i) => names.indexOf(n) !== i);
  if (name !== undefined)
    return `two applications are named '${name}'${name === 'default' ? ' (the name an application without one gets)' : ''}: application names must be unique`;
  if (names.includes('')) return 'an application has an empty name: application names must be nonempty';
  const routes = apps
    .filter((a) => isMapping(a) && a.route_prefix !== null)
    .map((a) => (isMapping(a) && a.route_prefix !== undefined ? String(a.route_prefix) : '/'));
  const route = routes.find((r, i) => routes.indexOf(r) !== i);
  if (route !== undefined)
    return `two applications have the route_prefix '${route}'${route === '/' ? ' (the prefix an application without one gets)' : ''}: each application's route_prefix must be unique`;
  return undefined;
}

/** A GitHub web page for a file or folder (`/blob/<ref>/…`, `/tree/<ref>/…`): GitHub answers with HTML, not the archive itself; `?raw=true` redirects to the file. */
const GITHUB_WEB_PAGE = /^https?:\/\/(www\.)?github\.com\/[^/]+\/[^/]+\/(blob|tree)\//;
const RAW_QUERY = /[?&]raw=(true|1)\b/;

/** The runtime_env URIs Ray downloads for an application: working_dir and py_modules of the application and of each deployment's ray_actor_options. */
function runtimeEnvUris(app: Loose): { at: string; uri: string }[] {
  const envs = [
    { at: 'runtime_env', env: mapping(app.runtime_env) },
    ...mappings(app.deployments).map((d) => ({
      at: `deployment '${text(d.name) ?? ''}' ray_actor_options.runtime_env`,
      env: mapping(mapping(d.ray_actor_options).runtime_env),
    })),
  ];
  return envs.flatMap(({ at, env }) => [
    ...(typeof env.working_dir === 'string' ? [{ at: `${at}.working_dir`, uri: env.working_dir }] : []),
    ...strings(env.py_modules).map((uri) => ({ at: `${at}.py_modules`, uri })),
  ]);
}

/** Why Ray cannot import an application's import_path module: a file path (`/`) or a file name (`.py`) where importlib takes a dotted module name. */
function importPathFailure(importPath: string): string | undefined {
  const module = importPath.includes(':') ? importPath.split(':')[0] : importPath.slice(0, importPath.lastIndexOf('.'));
  if (module.includes('/') || module.includes('\\'))
    return `its module part '${module}' is a file path: importlib.import_module looks a module up by its dotted name, never through '/'`;
  if (/\.py$/.test(module))
    return `its module part '${module}' ends in '.py': importlib.import_module reads that as a submodule 'py' of '${module.slice(0, -3)}', which is not a package`;
  return undefined;
}

/** The builders of Ray Serve LLM that read `args.llm_configs` as LLMServingArgs (ray python/ray/serve/llm/__init__.py build_openai_app). */
const LLM_APP_BUILDER = /^ray\.serve\.llm[:.]build_openai_app$/;

/**
 * The fields of ModelLoadingConfig in any Ray release that has it (ray python/ray/llm/_internal/serve/configs/
 * server_models.py: model_id, model_source, tokenizer_source; trust_remote_code in later releases): a BaseModelExtended,
 * whose pydantic config forbids extra fields (python/ray/llm/_internal/common/base_pydantic.py, extra="forbid").
 */
const MODEL_LOADING_FIELDS = ['model_id', 'model_source', 'tokenizer_source', 'trust_remote_code'];

/** What a misplaced model loading key is meant as: the RayLLM and vLLM names of the model and its weights. */
const MEANT: Readonly<Record<string, string>> = { hf_model_id: 'model_source', model: 'model_source', model_name: 'model_id', tokenizer: 'tokenizer_source' };

/** Why LLMConfig refuses one entry of build_openai_app's llm_configs: no model_loading_config, a field ModelLoadingConfig lacks, or no model_id. */
function llmConfigFailure(config: Loose, at: string): string | undefined {
  if (!('model_loading_config' in config)) return `${at} has no model_loading_config, which LLMConfig requires`;
  const loading = config.model_loading_config;
  if (!isMapping(loading)) return undefined;
  const extra = Object.keys(loading).filter((k) => !MODEL_LOADING_FIELDS.includes(k));
  if (extra.length > 0) {
    const hint = extra.map((k) => (MEANT[k] ? `${k} (write ${MEANT[k]})` : k)).join(', ');
    return `${at}.model_loading_config has ${extra.length === 1 ? 'a field' : 'fields'} ModelLoadingConfig does not define, ${hint}: it takes model_id (the name clients ask for), model_source (the Hugging Face id or storage path of the weights) and tokenizer_source, and forbids any other field`;
  }
  if (typeof loading.model_id !== 'string') return `${at}.model_loading_config has no model_id, which ModelLoadingConfig requires`;
  return undefined;
}

/**
 * Why Ray Serve LLM's builder refuses an application: build_openai_app validates `args` as LLMServingArgs, each
 * llm_configs entry (a mapping; a string is a file path read on the cluster) as LLMConfig, whose pydantic models
 * forbid unknown fields; the builder raises a ValidationError and the application goes to DEPLOY_FAILED.
 */
function llmAppFailures(app: Loose, name: string): string[] {
  const importPath = text(app.import_path);
  if (importPath === undefined || !LLM_APP_BUILDER.test(importPath.trim())) return [];
  const configs = mapping(app.args).llm_configs;
  return (Array.isArray(configs) ? configs : []).flatMap((config: unknown, i) => {
    const why = isMapping(config) ? llmConfigFailure(config, `args.llm_configs[${i}]`) : undefined;
    return why ? [`${name}'s ${why}: build_openai_app validates each llm_config with pydantic and raises a ValidationError`] : [];
  });
}

/**
 * Why Ray Serve cannot load an application of a RayService's serveConfigV2 although ServeDeploySchema accepts it: its
 * import_path names a file instead of a module (ray python/ray/_common/utils.py import_attr: importlib.import_module of
 * the part before ':' or the last '.'), or a working_dir / py_modules URI is a GitHub web page (`/blob/`, `/tree/`)
 * rather than an archive (ray python/ray/_private/runtime_env/packaging.py download_and_unpack_package downloads the
 * URI and unzips it; GitHub serves HTML there). Empty when the config is absent, templated, not YAML or refused by the schema.
 */
export function serveAppLoadFailures(m: Loose): string[] {
  if (m.kind !== 'RayService' || serveConfigSchemaError(m) !== undefined) return [];
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return [];
  const parsed = parseOne(config);
  if ('error' in parsed) return [];
  return mappings(mapping(parsed.value).applications).flatMap((app) => {
    const name = `application '${text(app.name) ?? 'default'}'`;
    const importPath = text(app.import_path);
    const imported = importPath === undefined ? undefined : importPathFailure(importPath);
    const pages = runtimeEnvUris(app).filter(({ uri }) => GITHUB_WEB_PAGE.test(uri) && !RAW_QUERY.test(uri));
    return [
      ...(imported ? [`${name}'s import_path '${importPath}' cannot be imported: ${imported}`] : []),
      ...llmAppFailures(app, name),
      ...pages.map(
        ({ at, uri }) =>
          `${name}'s ${at} '${uri}' is a GitHub web page, not an archive: Ray downloads the URI and unzips it, and GitHub answers a /blob/ or /tree/ address with HTML`,
      ),
    ];
  });
}

/** A RayService's serveConfigV2 as Ray Serve reads it: undefined when absent, templated or not YAML. */
export function parsedServeConfig(m: Loose): Loose | undefined {
  if (m.kind !== 'RayService') return undefined;
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return undefined;
  const parsed = parseOne(config);
  return 'error' in parsed || !isMapping(parsed.value) ? undefined : parsed.value;
}
