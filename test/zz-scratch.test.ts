import * as path from 'path';
import { readManifests } from '../lib';
import { DEPLOYMENT, kubectlBuild, sorted, writeTree } from './setup/kustomize-build';

const RB = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}, {kind: ServiceAccount, name: other, namespace: elsewhere}, {kind: User, name: u}]\n';
const CRB = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}\nsubjects: [{kind: ServiceAccount, name: sa, namespace: default}]\n';
const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n';
const DEP = DEPLOYMENT('web', 'containers: [{name: c, image: x}]');
const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
const CASES: [string, Record<string, string>, string][] = [
  ['namespace only, bindings', { 'kustomization.yaml': 'namespace: team\nresources: [a.yaml]\n', 'a.yaml': [RB, CRB, SA].join('---\n') }, '.'],
  ['nested namespaces', { 'base/kustomization.yaml': 'namespace: inner\nresources: [a.yaml]\n', 'base/a.yaml': [SA, DEP].join('---\n'), 'o/kustomization.yaml': 'namespace: outer\nresources: [../base]\n' }, 'o'],
  ['nested namespace inner only', { 'base/kustomization.yaml': 'namespace: inner\nresources: [a.yaml]\n', 'base/a.yaml': [SA, DEP, RB].join('---\n'), 'o/kustomization.yaml': 'resources: [../base]\nnamePrefix: x-\n' }, 'o'],
  ['commonLabels selectors', { 'kustomization.yaml': 'commonLabels: {team: a}\nresources: [a.yaml]\n', 'a.yaml': [DEP, SVC].join('---\n') }, '.'],
  ['labels includeSelectors', { 'kustomization.yaml': 'labels: [{pairs: {team: a}, includeSelectors: true}]\nresources: [a.yaml]\n', 'a.yaml': [DEP, SVC].join('---\n') }, '.'],
  ['labels includeTemplates', { 'kustomization.yaml': 'labels: [{pairs: {team: a}, includeTemplates: true}]\nresources: [a.yaml]\n', 'a.yaml': [DEP, SVC].join('---\n') }, '.'],
  ['commonAnnotations', { 'kustomization.yaml': 'commonAnnotations: {team: a}\nresources: [a.yaml]\n', 'a.yaml': [DEP, SVC].join('---\n') }, '.'],
  ['images', { 'kustomization.yaml': 'images: [{name: x, newName: reg/x, newTag: "2"}]\nresources: [a.yaml]\n', 'a.yaml': [DEP].join('---\n') }, '.'],
];
test.each(CASES)('%s', (name, files, folder) => {
  const root = path.join(writeTree(files), folder);
  const { manifests, errors } = readManifests([root]);
  const built = kubectlBuild(root);
  const mine = sorted(manifests.map((m) => m.manifest));
  const theirs = 'objects' in built ? sorted(built.objects) : built.error;
  expect({ errors, objects: mine }).toEqual({ errors: [], objects: theirs });
});
