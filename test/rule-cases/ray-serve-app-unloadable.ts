import { ruleFound, severityObjectMessages } from '../util';

const service = (app: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: { name: 'qa', namespace: 'ray' },
  spec: {
    serveConfigV2: `applications:\n  - name: qa\n${app}`,
    rayClusterConfig: { headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.49.1' }] } } } },
  },
});
const findings = (m: object) => severityObjectMessages(ruleFound('ray-serve-app-unloadable', [{ manifest: m }], { platform: 'kserve' }));

// ray _common/utils.py import_module_and_attr (importlib.import_module of the module part);
// ray _private/runtime_env/packaging.py (a remote working_dir is downloaded and unzipped)
describe('ray-serve-app-unloadable', () => {
  test('an import_path whose module part is a file path: an error naming the application and the path', () => {
    const [[severity, object, message]] = findings(service('    import_path: serve/qa_app:deployment\n'));
    expect([severity, object]).toEqual(['error', 'RayService/ray/qa']);
    expect(message).toContain("application 'qa''s import_path 'serve/qa_app:deployment' cannot be imported");
    expect(message).toContain('is a file path');
    expect(message).toContain('DEPLOY_FAILED');
  });

  test("an import_path whose module part ends in '.py': an error", () => {
    const [[severity, , message]] = findings(service('    import_path: qa_app.py:deployment\n'));
    expect(severity).toBe('error');
    expect(message).toContain("ends in '.py'");
  });

  test.each([
    ['/blob/', 'https://github.com/acme/qa/blob/main/qa.zip'],
    ['/tree/', 'https://github.com/acme/qa/tree/main/serve'],
  ])('a working_dir that is a GitHub %s page: an error', (_, uri) => {
    const [[severity, , message]] = findings(service(`    import_path: qa_app:deployment\n    runtime_env:\n      working_dir: "${uri}"\n`));
    expect(severity).toBe('error');
    expect(message).toContain(`runtime_env.working_dir '${uri}' is a GitHub web page, not an archive`);
  });

  test("a deployment's ray_actor_options py_modules is read too", () => {
    const app =
      '    import_path: qa_app:deployment\n    deployments:\n      - name: Reader\n        ray_actor_options:\n          runtime_env:\n            py_modules: ["https://github.com/acme/qa/blob/main/lib.zip"]\n';
    expect(findings(service(app)).map(([, , m]) => String(m))[0]).toContain("deployment 'Reader' ray_actor_options.runtime_env.py_modules");
  });

  const llm = (loading: string, importPath = 'ray.serve.llm:build_openai_app') =>
    `    import_path: ${importPath}\n    args:\n      llm_configs:\n        - model_loading_config:\n${loading}        - /home/ray/configs/other.yaml\n`;

  // ray llm/_internal/serve/configs/server_models.py ModelLoadingConfig; common/base_pydantic.py (extra="forbid")
  test('an llm_config whose model_loading_config names the weights hf_model_id: an error naming the field and model_source', () => {
    const [[severity, object, message]] = findings(service(llm('            model_id: qa\n            hf_model_id: acme/qa-7b\n')));
    expect([severity, object]).toEqual(['error', 'RayService/ray/qa']);
    expect(message).toBe(
      "spec.serveConfigV2 application 'qa''s args.llm_configs[0].model_loading_config has a field ModelLoadingConfig does not define, hf_model_id (write model_source): " +
        'it takes model_id (the name clients ask for), model_source (the Hugging Face id or storage path of the weights) and tokenizer_source, and forbids any other field: ' +
        'build_openai_app validates each llm_config with pydantic and raises a ValidationError; the Serve application fails to deploy (DEPLOY_FAILED) and the RayService never becomes ready',
    );
  });

  test('an llm_config without model_id, and one without model_loading_config: an error each', () => {
    const app =
      '    import_path: ray.serve.llm:build_openai_app\n    args:\n      llm_configs:\n        - model_loading_config: {model_source: acme/qa-7b}\n        - engine_kwargs: {max_model_len: 4096}\n';
    expect(findings(service(app)).map(([, , m]) => String(m).split(': build_openai_app')[0])).toEqual([
      "spec.serveConfigV2 application 'qa''s args.llm_configs[0].model_loading_config has no model_id, which ModelLoadingConfig requires",
      "spec.serveConfigV2 application 'qa''s args.llm_configs[1] has no model_loading_config, which LLMConfig requires",
    ]);
  });

  test.each([
    ['model_id and model_source', llm('            model_id: qa\n            model_source: acme/qa-7b\n')],
    ['tokenizer_source too', llm('            model_id: qa\n            model_source: s3://weights/qa\n            tokenizer_source: acme/qa-7b\n')],
    ['hf_model_id under an application of its own builder', llm('            hf_model_id: acme/qa-7b\n', 'serve.qa_app:build')],
  ])('near miss, Ray Serve LLM: %s', (_, app) => {
    expect(findings(service(app))).toEqual([]);
  });

  test.each([
    ['a dotted module path', '    import_path: serve.qa_app:deployment\n'],
    ['a hyphenated folder: importlib imports it', '    import_path: qa-serve.app:deployment\n'],
    ['no colon: the last dot splits module and attribute', '    import_path: qa_app.py\n'],
    ['a GitHub archive address', '    import_path: qa_app:deployment\n    runtime_env:\n      working_dir: https://github.com/acme/qa/archive/main.zip\n'],
    [
      'a blob address with ?raw=true',
      '    import_path: qa_app:deployment\n    runtime_env:\n      working_dir: https://github.com/acme/qa/blob/main/qa.zip?raw=true\n',
    ],
    ['a templated import path', '    import_path: ${APP_PATH}\n'],
  ])('near miss: %s', (_, app) => {
    expect(findings(service(app))).toEqual([]);
  });
});
