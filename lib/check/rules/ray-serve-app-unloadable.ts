import { Rule } from '../rule';
import { serveAppLoadFailures } from '../ray-serve-config';

export const rayServeAppUnloadable: Rule = {
  id: 'ray-serve-app-unloadable',
  title: 'a RayService Serve application whose code Ray cannot load: an import_path naming a file, or a working_dir that is a GitHub web page',
  severity: 'error',
  appliesTo: ['RayService'],
  premise:
    "a RayService whose serveConfigV2 parses and passes ServeDeploySchema, but an application's import_path has a module part that is a file path (holds '/') or a file name (ends in '.py'), " +
    "or a runtime_env working_dir or py_modules URI (the application's or a deployment's ray_actor_options') is a github.com `/blob/` or `/tree/` address without `?raw=true`: " +
    'Ray imports the module with importlib.import_module, which takes dotted module names only, and downloads a remote working_dir and unzips it, while GitHub answers those addresses with an HTML page; ' +
    'the application goes to DEPLOY_FAILED and the RayService never becomes ready. Not judged: whether a dotted module exists in the archive or image (a hyphen in a module name is no failure: importlib finds `my-dir/`), templated strings',
  example: 'serveConfigV2 with `import_path: apps/summarize.py:service` or `working_dir: https://github.com/example-org/summarizer/blob/main/bundle.zip`',
  fix: 'write import_path as a dotted module path relative to working_dir (`serve.app:deployment`), and point working_dir at an archive (`https://github.com/org/repo/archive/<commit>.zip`, or the blob address with `?raw=true`)',
  source:
    'ray-project/ray python/ray/_common/utils.py import_module_and_attr (module part before ":" or the last ".", importlib.import_module); ' +
    'python/ray/_private/runtime_env/packaging.py download_and_unpack_package (a remote https URI is downloaded and unzipped; Protocol.HTTPS "assumes everything packed in one zip file"); ' +
    'python/ray/serve/schema.py ServeApplicationSchema (import_path_format_valid checks only the colon and dot placement, runtime_env_contains_remote_uris only the URI form)',
  scope: 'object',
  check(o) {
    return serveAppLoadFailures(o.manifest).map((why) => ({
      message: `spec.serveConfigV2 ${why}; the Serve application fails to deploy (DEPLOY_FAILED) and the RayService never becomes ready`,
    }));
  },
};
