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
