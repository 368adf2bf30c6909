import { runChecks } from '../../lib';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';
import { Platform } from '../../lib/check/platform';

const application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'serving', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '3' } },
  spec: {
    project: 'default',
    source: { repoURL: 'https://example.com/org/repo.git', path: 'serving' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
  },
};
const commandNamed = (platform: Platform) =>
  runChecks([{ manifest: application }], { platform, rules: ['argocd-wave-ignored'] }).map((f) => /applied by hand \(([^)]+)\)/.exec(f.message)?.[1]);

describe('argocd-wave-ignored', () => {
  test('an Application applied by hand: the command named follows the platform, oc on OpenShift, kubectl elsewhere', () => {
    expect(commandNamed('rhoai-3.0')).toEqual(['oc apply']);
    expect(commandNamed('kserve')).toEqual(['kubectl apply']);
  });
});

/** A child Application in wave `wave` syncing `path` of a real repository. */
const child = (name: string, wave: string, path: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${name}`,
    '  namespace: openshift-gitops',
    `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}`,
    'spec:',
    '  project: default',
    `  source: {repoURL: 'https://github.com/example-org/llm-platform.git', targetRevision: main, path: ${path}}`,
    '  destination: {server: https://kubernetes.default.svc}',
    '',
  ].join('\n');

/** A parent Application syncing `path` of `repoURL`, as a template or a file applied by hand writes it. */
const parent = (repoURL: string, path: string) =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: root, namespace: openshift-gitops}',
    'spec:',
    '  project: default',
    '  source:',
    `    repoURL: ${repoURL}`,
    '    targetRevision: main',
    `    path: ${path}`,
    '  destination: {server: https://kubernetes.default.svc, namespace: openshift-gitops}',
    '',
  ].join('\n');

/** The argocd-wave-ignored findings of a tree, as messages. */
async function waveFindings(files: Record<string, string>): Promise<string[]> {
  const dir = writeTree('wave-ignored-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'rhoai-3.0', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === 'argocd-wave-ignored').map((f) => f.message);
}

describe('argocd-wave-ignored: a parent the tree holds outside the objects it applies', () => {
  const children = {
    'gitops/apps/kustomization.yaml': 'resources:\n  - operators.yaml\n  - serving.yaml\n',
    'gitops/apps/operators.yaml': child('operators', '1', 'gitops/operators'),
    'gitops/apps/serving.yaml': child('serving', '2', 'gitops/serving'),
    'gitops/operators/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: llm-operators}\n',
    'gitops/serving/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: llm-serving}\n',
  };

  test("an app-of-apps beside its children that the folder's kustomization leaves out, its repoURL a placeholder: the children are delivered, no finding", async () => {
    const root = parent('https://github.com/<YOUR_ORG>/llm-platform.git', 'gitops/apps');
    expect(await waveFindings({ ...children, 'gitops/apps/root.yaml': root })).toEqual([]);
    // near miss: without it, each child with a wave is applied by hand
    expect(await waveFindings(children)).toEqual([
      expect.stringMatching(/^carries sync-wave "1", but no Application of the checked input delivers it/),
      expect.stringMatching(/^carries sync-wave "2", but no Application of the checked input delivers it/),
    ]);
  });

  test('a parent written only as a template a script renders (path with a variable) or in a Helm chart: no finding; a template syncing another folder leaves the warnings', async () => {
    const loose = {
      'clusters/prod.example.com/applications/operators.yaml': child('operators', '1', 'gitops/operators'),
      'clusters/prod.example.com/applications/serving.yaml': child('serving', '2', 'gitops/serving'),
      'gitops/operators/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: llm-operators}\n',
    };
    const envsubst = parent('${GIT_URL}', 'clusters/${CLUSTER_DOMAIN}/applications');
    expect(await waveFindings({ ...loose, 'bootstrap/root.yaml.tpl': envsubst })).toEqual([]);
    const helm = parent("'{{ .Values.repoURL }}'", "'clusters/{{ .Values.cluster }}/applications'");
    const chart = { 'charts/root/Chart.yaml': 'apiVersion: v2\nname: root\nversion: 0.1.0\n', 'charts/root/templates/root.yaml': helm };
    expect(await waveFindings({ ...loose, ...chart })).toEqual([]);
    const elsewhere = parent('${GIT_URL}', 'clusters/${CLUSTER_DOMAIN}/operators');
    expect(await waveFindings({ ...loose, 'bootstrap/root.yaml.tpl': elsewhere })).toHaveLength(2);
  });
});

describe('argocd-wave-ignored: the app-of-apps outside the checked folder, in its git work tree', () => {
  /** A git work tree (origin the children's repository) holding the parent above the checked folder of its children. */
  function workTree(files: Record<string, string>): string {
    const dir = writeTree('wave-outside-', files);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    expect(git('remote', 'add', 'origin', 'https://github.com/example-org/llm-platform.git').status).toBe(0);
    return dir;
  }
  const tree = {
    'clusters/lab/root.yaml': parent('https://github.com/example-org/llm-platform.git', 'clusters/lab/apps'),
    'clusters/lab/apps/route-crds.yaml': child('route-crds', '0', 'platform/route-crds'),
    'clusters/lab/apps/policy-operator.yaml': child('policy-operator', '2', 'platform/policy-operator'),
  };
  const found = async (dir: string) => {
    const { out } = await cliInProcess(['check', path.join(dir, 'clusters/lab/apps'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'argocd-wave-ignored')
      .map((f) => [f.object, f.message]);
  };

  test('children in waves 0 and 2, no Application health check: one finding, on the first child, naming the parent and its file', async () => {
    expect(await found(workTree(tree))).toEqual([
      [
        'Application/openshift-gitops/route-crds',
        expect.stringMatching(
          /^Application\/openshift-gitops\/root \(.*clusters\/lab\/root\.yaml:1, outside the checked folder, the Application that syncs it\) orders 2 child Applications \(Application\/openshift-gitops\/policy-operator "2", Application\/openshift-gitops\/route-crds "0"\) by sync-wave, but the checked input has no argocd-cm with resource\.customizations\.health\.argoproj\.io_Application/,
        ),
      ],
    ]);
  });

  test('near miss: the checked folder holds the argocd-cm with the Application health check', async () => {
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: openshift-gitops}\n' +
      'data:\n  resource.customizations.health.argoproj.io_Application: |\n    hs = {}\n    hs.status = "Progressing"\n    return hs\n';
    expect(await found(workTree({ ...tree, 'clusters/lab/apps/argocd-cm.yaml': cm }))).toEqual([]);
  });
});
