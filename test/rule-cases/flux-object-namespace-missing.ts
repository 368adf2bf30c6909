import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityMessages } from '../util';

const sync = (spec = '', source = 'flux-system') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./clusters/edge
  prune: true
  sourceRef: {kind: GitRepository, name: ${source}}
${spec}`;
const CONFIG = (meta = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: router-config${meta}}\ndata: {model: granite}\n`;
const ROUTER = 'apiVersion: router.example.com/v1\nkind: ModelRouter\nmetadata: {name: router}\nspec: {replicas: 1}\n';
const ROUTER_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: modelrouters.router.example.com}
spec:
  group: router.example.com
  scope: Namespaced
  names: {kind: ModelRouter, plural: modelrouters}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
const KUSTOMIZATION = (extra = '') => `resources: [sync.yaml, config.yaml]\n${extra}`;

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'flux-namespace-missing-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return severityMessages(ruleFound('flux-object-namespace-missing', manifests, { platform: 'kserve', folders, charts, leftOut }));
};

const tree = (spec = '', config = CONFIG(), kustomization = KUSTOMIZATION()) => ({
  'clusters/edge/kustomization.yaml': kustomization,
  'clusters/edge/sync.yaml': spec === 'other-source' ? sync('', 'platform-repo') : sync(spec),
  'clusters/edge/config.yaml': config,
});

// fluxcd/pkg ssa/errors/errors.go DryRunErr.Error ("<Kind>/<name> namespace not specified" for a NotFound dry-run of
// an object with no namespace); kustomize-controller sets a namespace only from spec.targetNamespace
describe('flux-object-namespace-missing', () => {
  test('a ConfigMap with no namespace, applied by a Flux Kustomization with no targetNamespace: an error naming the dry-run failure', () => {
    expect(findings(tree())).toEqual([
      [
        'error',
        "has no namespace, and Flux Kustomization 'apps' that applies it sets no spec.targetNamespace: kustomize-controller's dry-run fails \"ConfigMap/router-config namespace not specified\" and the Kustomization applies none of the objects of that stage (Ready False); set the object's metadata.namespace, or `namespace:` in its kustomization, or the Kustomization's spec.targetNamespace",
      ],
    ]);
  });

  test('a custom kind a CRD of the tree declares Namespaced is an error; with no CRD, or declared Cluster, it is not judged', () => {
    const withRouter = (crd?: string) => ({
      ...tree('', ROUTER, KUSTOMIZATION().replace('config.yaml', crd ? 'config.yaml, crd.yaml' : 'config.yaml')),
      ...(crd ? { 'clusters/edge/crd.yaml': crd } : {}),
    });
    expect(findings(withRouter(ROUTER_CRD)).map(([s]) => s)).toEqual(['error']);
    expect(findings(withRouter())).toEqual([]);
    expect(findings(withRouter(ROUTER_CRD.replace('Namespaced', 'Cluster')))).toEqual([]);
  });

  test.each([
    ['the Kustomization sets spec.targetNamespace', tree('  targetNamespace: edge\n')],
    ['the object names its namespace', tree('', CONFIG(', namespace: edge'))],
    ['the kustomization sets a namespace', tree('', CONFIG(), KUSTOMIZATION('namespace: edge\n'))],
    ['the Kustomization is suspended', tree('  suspend: true\n')],
    ['the Kustomization patches what it builds (a patch may set the namespace)', tree('  patches: [{patch: "[]", target: {kind: ConfigMap}}]\n')],
    ['the Kustomization reads another repository than the one checked', tree('other-source')],
    ['a cluster-scoped object', tree('', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: edge}\n')],
  ])('near miss: %s', (_, files) => {
    expect(findings(files)).toEqual([]);
  });
});
