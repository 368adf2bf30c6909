import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * argocd-repo-url-invalid with the repository around the checked folder: a base's repoURL placeholder that the
 * kustomizations including the base patch (kustomize applies their patches to what the base builds).
 */
const APPSET = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: ApplicationSet',
  'metadata:',
  '  name: tenants',
  '  namespace: openshift-gitops',
  'spec:',
  '  generators:',
  '    - list:',
  '        elements: [{tenant: a}]',
  '  template:',
  "    metadata: {name: '{{tenant}}'}",
  '    spec:',
  '      project: default',
  '      source:',
  '        repoURL: set-by-each-cluster',
  '        targetRevision: main',
  "        path: 'tenants/{{tenant}}'",
  '      destination: {server: https://kubernetes.default.svc}',
  '',
].join('\n');
const BASE = { 'gitops/base/appset.yaml': APPSET, 'gitops/base/kustomization.yaml': 'resources:\n  - appset.yaml\n' };
const REPO_PATCH = '- op: replace\n  path: /spec/template/spec/source/repoURL\n  value: https://git.example.com/platform/config.git\n';
const overlay = (patched: boolean) =>
  patched ? 'resources:\n  - ../../base\npatches:\n  - path: repo.yaml\n    target:\n      kind: ApplicationSet\n' : 'resources:\n  - ../../base\n';

/** The rule's findings on `gitops/base` of a git work tree holding the files, as severity and message. */
function found(files: Record<string, string>): [string, string][] {
  const root = writeTree('appset-repo-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, 'gitops/base')]);
  return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['argocd-repo-url-invalid'], ...read }).map((f) => [f.severity, f.message]);
}

describe('argocd-repo-url-invalid: a base whose placeholder the overlays of the repository patch', () => {
  test('every overlay including the base patches repoURL into a URL: a note naming one', () => {
    const f = found({
      ...BASE,
      'gitops/overlays/east/kustomization.yaml': overlay(true),
      'gitops/overlays/east/repo.yaml': REPO_PATCH,
      'gitops/overlays/west/kustomization.yaml': overlay(true),
      'gitops/overlays/west/repo.yaml': REPO_PATCH,
    });
    expect(f).toEqual([
      ['info', expect.stringContaining("spec.template.spec.source.repoURL 'set-by-each-cluster' is not a URL Argo CD can fetch, but each of the 2")],
    ]);
    expect(f[0][1]).toMatch(/gitops\/overlays\/(east|west) among them/);
  });

  test('an overlay that includes the base through another layer and patches it counts the same', () => {
    const f = found({
      ...BASE,
      'gitops/mid/kustomization.yaml': 'resources:\n  - ../base\n',
      'clusters/prod/kustomization.yaml':
        'resources:\n  - ../../gitops/mid\npatches:\n  - path: repo.yaml\n    target:\n      kind: ApplicationSet\n      name: tenants\n',
      'clusters/prod/repo.yaml': REPO_PATCH,
    });
    expect(f.map(([s]) => s)).toEqual(['info']);
    expect(f[0][1]).toContain('clusters/prod) patches it');
  });

  test('one overlay leaves the placeholder as written: the error stays', () => {
    const f = found({
      ...BASE,
      'gitops/overlays/east/kustomization.yaml': overlay(true),
      'gitops/overlays/east/repo.yaml': REPO_PATCH,
      'gitops/overlays/west/kustomization.yaml': overlay(false),
    });
    expect(f.map(([s]) => s)).toEqual(['error']);
  });

  test('an overlay whose patch sets another field, or a base no overlay includes: the error stays', () => {
    const revision = '- op: replace\n  path: /spec/template/spec/source/targetRevision\n  value: v2\n';
    expect(found({ ...BASE, 'gitops/overlays/east/kustomization.yaml': overlay(true), 'gitops/overlays/east/repo.yaml': revision }).map(([s]) => s)).toEqual([
      'error',
    ]);
    expect(found(BASE).map(([s]) => s)).toEqual(['error']);
  });
});

describe('argocd-repo-url-invalid: a URL holding a placeholder a guide left for its reader', () => {
  const app = (repoURL: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'chat', namespace: 'openshift-gitops' },
    spec: {
      project: 'default',
      source: { repoURL, targetRevision: 'main', path: 'deploy/chat' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'chat' },
    },
  });
  const found = (repoURL: string) =>
    runChecks([{ manifest: app(repoURL) }], { platform: 'rhoai-3.0', rules: ['argocd-repo-url-invalid'] }).map((f) => [f.severity, f.message]);

  test('a capital placeholder word as the owner (HTTPS and scp-like), a guide slot: an error naming the word', () => {
    expect(found('https://github.com/YOUR_GITHUB_USERNAME/chat-gitops.git')).toEqual([
      [
        'error',
        "spec.source.repoURL 'https://github.com/YOUR_GITHUB_USERNAME/chat-gitops.git' holds 'YOUR_GITHUB_USERNAME', a placeholder left for the reader to fill, so Argo CD finds no such repository; the Application never syncs: write the repository's URL (https://…, git@host:org/repo.git, or the chart repository)",
      ],
    ]);
    expect(found('git@github.com:YOUR_ORG/chat-gitops.git').map((f) => f[1].split(',')[0])).toEqual([
      "spec.source.repoURL 'git@github.com:YOUR_ORG/chat-gitops.git' holds 'YOUR_ORG'",
    ]);
    expect(found('https://gitlab.com/your-org/chat-gitops.git').map((f) => f[1].split(',')[0])).toEqual([
      "spec.source.repoURL 'https://gitlab.com/your-org/chat-gitops.git' holds 'your-org'",
    ]);
  });

  test('near miss: owners and hosts that merely start with the letters or are lower-case words, and example hosts', () => {
    expect(found('https://github.com/yourcompany-ml/chat-gitops.git')).toEqual([]);
    expect(found('https://github.com/change-data/todo-app.git')).toEqual([]);
    expect(found('https://git.example.com/team/chat-gitops.git')).toEqual([]);
  });
});
