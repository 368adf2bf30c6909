import { execFileSync } from 'child_process';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readManifests, runChecks } from '../../lib';
import { kubectlBinary, kubectlEnv } from '../setup/kubectl';
import { writeTree } from '../setup/scratch';

/**
 * One file two kustomize roots build with different name prefixes (base/ingress.yaml in overlay-a with namePrefix a-
 * and overlay-b with namePrefix b-) is two objects, each judged with its own root's rendering: the backend a root
 * renames is the Service of that root, and a root whose build lacks the Service keeps the name as written.
 */

const INGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: foo\n            port:\n              number: 80\n';
const SERVICE = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n`;
const APP = (name: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: openshift-gitops\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/repo.git\n    path: overlay-${name}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: demo\n`;
const TREE = {
  'base/kustomization.yaml': 'resources:\n- ingress.yaml\n- other.yaml\n',
  'base/ingress.yaml': INGRESS,
  'base/other.yaml': SERVICE('other'),
  'services/kustomization.yaml': 'resources:\n- foo.yaml\n',
  'services/foo.yaml': SERVICE('foo'),
  'overlay-a/kustomization.yaml': 'namePrefix: a-\nnamespace: demo\nresources:\n- ../base\n- ../services\n',
  'overlay-b/kustomization.yaml': 'namePrefix: b-\nnamespace: demo\nresources:\n- ../base\n- ../services\n',
  'apps/a.yaml': APP('a'),
  'apps/b.yaml': APP('b'),
};

/** The backend Service names of the Ingresses kubectl kustomize builds of a folder. */
function kubectlBackends(dir: string): string[] {
  const out = execFileSync(kubectlBinary(), ['kustomize', dir], { stdio: 'pipe', env: kubectlEnv() }).toString();
  return parseAllDocuments(out)
    .map((d) => d.toJS() as { kind: string; spec?: { rules?: { http: { paths: { backend: { service: { name: string } } }[] } }[] } })
    .filter((o) => o.kind === 'Ingress')
    .map((o) => o.spec!.rules![0].http.paths[0].backend.service.name);
}

function backendFindings(dir: string): [string, string, string][] {
  return runChecks(readManifests([dir]).manifests, { rules: ['ingress-backend-not-found'] }).map((f) => [f.severity, f.object, f.message]);
}

describe('a file two kustomize roots render differently', () => {
  test('each root reads it with its own rendering, as kubectl kustomize builds it', () => {
    const tree = writeTree('shared-file-', TREE);
    const read = readManifests([tree]);
    const ingresses = read.manifests.filter((m) => (m.manifest as { kind?: string }).kind === 'Ingress');
    expect(
      ingresses.map((m) => [
        path.relative(tree, m.kustomizations![0]),
        (m.manifest as any).metadata.name,
        (m.manifest as any).spec.rules[0].http.paths[0].backend.service.name,
      ]),
    ).toEqual([
      ['overlay-a', 'a-web', kubectlBackends(path.join(tree, 'overlay-a'))[0]],
      ['overlay-b', 'b-web', kubectlBackends(path.join(tree, 'overlay-b'))[0]],
    ]);
    expect(kubectlBackends(path.join(tree, 'overlay-b'))).toEqual(['b-foo']);
  });

  test('near miss: both roots hold their own renamed Service, no finding', () => {
    expect(backendFindings(writeTree('shared-file-', TREE))).toEqual([]);
  });

  test('a root whose build lacks the Service is judged alone, with the name its build keeps', () => {
    const tree = writeTree('shared-file-', { ...TREE, 'overlay-b/kustomization.yaml': 'namePrefix: b-\nnamespace: demo\nresources:\n- ../base\n' });
    // kustomize renames no reference to a Service its build lacks: b-web still names foo
    expect(kubectlBackends(path.join(tree, 'overlay-b'))).toEqual(['foo']);
    expect(backendFindings(tree)).toEqual([['error', 'Ingress/demo/b-web', expect.stringMatching(/names Service 'foo', which is not in namespace 'demo'/)]]);
  });
});

describe('one declaration two roots render with one id but different content', () => {
  const RUNTIME =
    'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: vllm\nspec:\n  supportedModelFormats:\n  - name: vLLM\n    autoSelect: true\n  containers:\n  - name: kserve-container\n    image: quay.io/modh/vllm@sha256:' +
    'a'.repeat(64) +
    '\n    command: ["python", "-m", "vllm.entrypoints.openai.api_server"]\n    args: ["--port=8080", "--model=/mnt/models"]\n    ports:\n    - containerPort: 8080\n      protocol: TCP\n';
  const SERVICE_YAML =
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: llm\nspec:\n  predictor:\n    model:\n      modelFormat:\n        name: vLLM\n      runtime: vllm\n      storageUri: oci://quay.io/example/llm@sha256:' +
    'a'.repeat(64) +
    '\n      args: ["--max-model-len=4096"]\n      resources:\n        limits:\n          nvidia.com/gpu: "1"\n';
  const PLAIN = 'namespace: demo\nresources:\n- ../base\n';
  // a misspelt flag in one overlay's patch of the args
  const PATCHED =
    'namespace: demo\nresources:\n- ../base\npatches:\n- target:\n    kind: InferenceService\n  patch: |\n    - op: replace\n      path: /spec/predictor/model/args\n      value: ["--max-model-lenn=4096"]\n';
  const tree = (first: string, second: string) =>
    writeTree('shared-render-', {
      'base/kustomization.yaml': 'resources:\n- rt.yaml\n- isvc.yaml\n',
      'base/rt.yaml': RUNTIME,
      'base/isvc.yaml': SERVICE_YAML,
      'overlay-a/kustomization.yaml': first,
      'overlay-b/kustomization.yaml': second,
    });
  const unknownFlags = (dir: string) =>
    runChecks(readManifests([dir]).manifests, { rules: ['vllm-flag-unknown'] }).map((f) => [f.severity, f.object, f.message.match(/--max-model-lenn/)?.[0]]);

  test.each([
    ['the root built second', PLAIN, PATCHED],
    ['the root built first', PATCHED, PLAIN],
  ])('the misspelt flag is found whether it is in %s', (_, first, second) => {
    const dir = tree(first, second);
    const patched = first === PATCHED ? 'overlay-a' : 'overlay-b';
    expect(execFileSync(kubectlBinary(), ['kustomize', path.join(dir, patched)], { stdio: 'pipe', env: kubectlEnv() }).toString()).toContain(
      '--max-model-lenn=4096',
    );
    expect(unknownFlags(dir)).toEqual([['error', 'InferenceService/demo/llm', '--max-model-lenn']]);
  });

  test('near miss: neither root misspells it', () => {
    expect(unknownFlags(tree(PLAIN, PLAIN.replace('demo', 'demo')))).toEqual([]);
  });
});
