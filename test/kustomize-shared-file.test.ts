import { execFileSync } from 'child_process';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readManifests, runChecks } from '../lib';
import { kubectlBinary } from './setup/kubectl';
import { writeTree } from './setup/scratch';

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
  const out = execFileSync(kubectlBinary(), ['kustomize', dir], { stdio: 'pipe' }).toString();
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
