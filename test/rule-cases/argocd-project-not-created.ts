import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityObjectMessages } from '../util';

const REPO = 'https://github.com/example-org/platform.git';
const APP = (name: string, project: string, path: string) =>
  `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: openshift-gitops}
spec:
  project: ${project}
  source: {repoURL: ${REPO}, path: ${path}}
  destination: {server: https://kubernetes.default.svc, namespace: team}
`;
const PROJECT = (name: string) =>
  `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: ${name}, namespace: openshift-gitops}
spec:
  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
`;
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team}\ndata: {A: "1"}\n';

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'project-not-created-');
  const { manifests, folders, charts, leftOut, scriptApplied } = readManifests([dir]);
  return severityObjectMessages(ruleFound('argocd-project-not-created', manifests, { platform: 'rhoai-3.0', folders, charts, leftOut, scriptApplied }));
};

// the root tree: a root Application applied by hand, syncing apps/ (the project and a child)
const tree = (rootProject: string, childProject: string) => ({
  'bootstrap/root.yaml': APP('root', rootProject, 'apps'),
  'apps/kustomization.yaml': 'resources: [project.yaml, child.yaml]\n',
  'apps/project.yaml': PROJECT('platform'),
  'apps/child.yaml': APP('child', childProject, 'workloads'),
  'workloads/settings.yaml': CONFIG,
});

describe('argocd-project-not-created', () => {
  test('the root Application delivers its own project: an error on the root only', () => {
    const found = findings(tree('platform', 'platform'));
    expect(found.map(([s, o]) => [s, o])).toEqual([['error', 'Application/openshift-gitops/root']]);
    expect(found[0][2]).toContain("spec.project 'platform'");
    expect(found[0][2]).toContain("through Application 'root'");
  });

  test('a child delivers its own project through a grandchild: an error on the child', () => {
    const files = {
      'bootstrap/root.yaml': APP('root', 'default', 'apps'),
      'apps/child.yaml': APP('child', 'team', 'team-apps'),
      'team-apps/kustomization.yaml': 'resources: [project.yaml, grandchild.yaml]\n',
      'team-apps/project.yaml': PROJECT('team'),
      'team-apps/grandchild.yaml': APP('grandchild', 'team', 'workloads'),
      'workloads/settings.yaml': CONFIG,
    };
    expect(findings(files).map(([s, o]) => [s, o])).toEqual([['error', 'Application/openshift-gitops/child']]);
  });

  test('near miss: the root uses default and delivers the project its children use (they recover once it exists)', () => {
    expect(findings(tree('default', 'platform'))).toEqual([]);
  });

  test('near miss: the root names no project (default)', () => {
    expect(findings({ ...tree('default', 'default'), 'bootstrap/root.yaml': APP('root', '""', 'apps') })).toEqual([]);
  });

  test('near miss: another Application, not under the root, delivers the project', () => {
    const files = { ...tree('platform', 'platform'), 'bootstrap/projects.yaml': APP('projects', 'default', 'apps') };
    expect(findings(files)).toEqual([]);
  });

  test('a misspelt project the tree does not define: a warning naming the near one', () => {
    const files = {
      'apps/project.yaml': PROJECT('llm-serving'),
      'apps/app.yaml': APP('serving', 'llm-servin', 'workloads'),
      'workloads/settings.yaml': CONFIG,
    };
    const found = findings(files);
    expect(found.map(([s]) => s)).toEqual(['warning']);
    expect(found[0][2]).toContain('did you mean llm-serving');
  });

  test('near miss: a project the tree does not define and no near name (created outside the tree, perhaps)', () => {
    const files = { 'apps/project.yaml': PROJECT('llm-serving'), 'apps/app.yaml': APP('serving', 'research', 'workloads'), 'workloads/settings.yaml': CONFIG };
    expect(findings(files)).toEqual([]);
  });
  test('near miss: a README step applies the project before the root', () => {
    const files = { ...tree('platform', 'platform'), 'README.md': '# Install\n\n```sh\noc apply -f apps/project.yaml\noc apply -f bootstrap/root.yaml\n```\n' };
    expect(findings(files)).toEqual([]);
  });

  test('the project delivered by an Application an ApplicationSet of the root generates: an error on the root', () => {
    const files = {
      'bootstrap/root.yaml': APP('root', 'platform', 'sets'),
      'sets/set.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: layers, namespace: openshift-gitops}
spec:
  generators: [{list: {elements: [{layer: projects}]}}]
  template:
    metadata: {name: '{{layer}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, path: '{{layer}}'}
      destination: {server: https://kubernetes.default.svc, namespace: openshift-gitops}
`,
      'projects/project.yaml': PROJECT('platform'),
    };
    expect(findings(files).map(([s, o]) => [s, o])).toEqual([['error', 'Application/openshift-gitops/root']]);
  });
});
