import { Rule } from '../rule';
import { serveAppLoadFailures } from '../ray-serve-config';

export const rayServeAppUnloadable: Rule = {
  id: 'ray-serve-app-unloadable',
  title:
    "a RayService Serve application whose code Ray cannot load: an import_path naming a file, a working_dir that is a GitHub web page, or Ray Serve LLM's build_openai_app given an llm_config its pydantic models refuse",
  severity: 'error',
  appliesTo: ['RayService'],
  premise:
    "a RayService whose serveConfigV2 parses and passes ServeDeploySchema, but an application's import_path has a module part that is a file path (holds '/') or a file name (ends in '.py'), " +
    "or a runtime_env working_dir or py_modules URI (the application's or a deployment's ray_actor_options') is a github.com `/blob/` or `/tree/` address without `?raw=true`: " +
    'Ray imports the module with importlib.import_module, which takes dotted module names only, and downloads a remote working_dir and unzips it, while GitHub answers those addresses with an HTML page; ' +
    "or an application built by Ray Serve LLM (import_path ray.serve.llm:build_openai_app) whose args.llm_configs holds a mapping without model_loading_config, whose model_loading_config lacks model_id or holds a field ModelLoadingConfig does not define (model_id, model_source, tokenizer_source, trust_remote_code; `hf_model_id` is RayLLM's older name): its pydantic models forbid extra fields, so the builder raises a ValidationError; " +
    "the application goes to DEPLOY_FAILED and the RayService never becomes ready. Not judged: an llm_configs entry that is a string (a file read on the cluster), LLMConfig's other fields (they differ between Ray releases), whether a dotted module exists in the archive or image (a hyphen in a module name is no failure: importlib finds `my-dir/`), templated strings",
  example:
    "serveConfigV2 with `import_path: apps/summarize.py:service`, `working_dir: https://github.com/example-org/summarizer/blob/main/bundle.zip`, or `hf_model_id: example-org/summarizer-7b` under an llm_config's model_loading_config",
  fix: 'write import_path as a dotted module path relative to working_dir (`serve.app:deployment`), and point working_dir at an archive (`https://github.com/org/repo/archive/<commit>.zip`, or the blob address with `?raw=true`); give each llm_config a model_loading_config with model_id (the name clients ask for) and model_source (the weights)',
  source:
    'ray-project/ray python/ray/_common/utils.py import_module_and_attr (module part before ":" or the last ".", importlib.import_module); ' +
    'python/ray/_private/runtime_env/packaging.py download_and_unpack_package (a remote https URI is downloaded and unzipped; Protocol.HTTPS "assumes everything packed in one zip file"); ' +
    'python/ray/serve/schema.py ServeApplicationSchema (import_path_format_valid checks only the colon and dot placement, runtime_env_contains_remote_uris only the URI form); ' +
    'python/ray/llm/_internal/serve/configs/server_models.py ModelLoadingConfig (model_id required, model_source, tokenizer_source) and LLMConfig (model_loading_config required), python/ray/llm/_internal/common/base_pydantic.py BaseModelExtended (extra="forbid"), python/ray/serve/llm build_openai_app (LLMServingArgs.model_validate of the args)',
  scope: 'object',
  check(o) {
    return serveAppLoadFailures(o.manifest).map((why) => ({
      message: `spec.serveConfigV2 ${why}; the Serve application fails to deploy (DEPLOY_FAILED) and the RayService never becomes ready`,
    }));
  },
};
