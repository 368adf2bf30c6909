import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityMessages } from '../util';

const app = (destination: string, source = 'path: rag') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: rag, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: https://example.com/org/repo.git, ${source}}
  destination: {server: https://kubernetes.default.svc${destination}}
`;
const SECRET = (meta = '') => `apiVersion: v1\nkind: Secret\nmetadata: {name: model-endpoint${meta}}\nstringData: {url: http://model:8080/v1}\n`;
const STACK = 'apiVersion: llamastack.io/v1alpha1\nkind: LlamaStackDistribution\nmetadata: {name: stack}\nspec: {replicas: 1}\n';
const STACK_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: llamastackdistributions.llamastack.io}
spec:
  group: llamastack.io
  scope: Namespaced
  names: {kind: LlamaStackDistribution, plural: llamastackdistributions}
  versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'app-namespace-missing-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return severityMessages(ruleFound('argocd-object-namespace-missing', manifests, { platform: 'rhoai-3.0', folders, charts, leftOut }));
};

// argo-cd controller/state.go CompareAppState ("Namespace for %s %s is missing.", InvalidSpecError) and
// controller/sync.go SyncAppState (no operation while an InvalidSpecError condition stands)
describe('argocd-object-namespace-missing', () => {
  test('a Secret with no namespace, synced by an Application with no destination namespace: an error; a custom kind with no CRD in the tree is not judged', () => {
    expect(findings({ 'apps/rag.yaml': app(''), 'rag/secret.yaml': SECRET(), 'rag/stack.yaml': STACK })).toEqual([
      [
        'error',
        "has no namespace, and Application 'rag' that syncs it sets no spec.destination.namespace: Argo CD reports \"Namespace for model-endpoint … is missing.\" (InvalidSpecError) and performs no sync; set the Application's spec.destination.namespace, or the object's metadata.namespace (or the kustomization's namespace)",
      ],
    ]);
  });

  test('a custom kind a CRD of the tree declares Namespaced is an error too; declared Cluster, it is not judged', () => {
    expect(findings({ 'apps/rag.yaml': app(''), 'rag/stack.yaml': STACK, 'crds/stack.yaml': STACK_CRD }).map(([s]) => s)).toEqual(['error']);
    expect(findings({ 'apps/rag.yaml': app(''), 'rag/stack.yaml': STACK, 'crds/stack.yaml': STACK_CRD.replace('Namespaced', 'Cluster') })).toEqual([]);
  });

  test.each([
    ['the Application names a destination namespace', { 'apps/rag.yaml': app(', namespace: rag'), 'rag/secret.yaml': SECRET() }],
    ['the object names its namespace', { 'apps/rag.yaml': app(''), 'rag/secret.yaml': SECRET(', namespace: rag') }],
    [
      'the kustomization sets a namespace',
      { 'apps/rag.yaml': app(''), 'rag/kustomization.yaml': 'namespace: rag\nresources: [secret.yaml]\n', 'rag/secret.yaml': SECRET() },
    ],
    ['the kustomize source sets a namespace', { 'apps/rag.yaml': app('', 'path: rag, kustomize: {namespace: rag}'), 'rag/secret.yaml': SECRET() }],
    ['a cluster-scoped object', { 'apps/rag.yaml': app(''), 'rag/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: rag}\n' }],
    ['a hook', { 'apps/rag.yaml': app(''), 'rag/secret.yaml': SECRET(', annotations: {argocd.argoproj.io/hook: PreSync}') }],
    [
      'a file no Application syncs',
      { 'apps/rag.yaml': app(''), 'rag/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: rag}\n', 'manual/secret.yaml': SECRET() },
    ],
  ])('near miss: %s', (_, files) => {
    expect(findings(files)).toEqual([]);
  });
});
