import { runChecks } from '../../lib';
import { deliveredBy } from '../../lib/check/argocd/application';
import { toolAt } from '../../lib/check/argocd-paths';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { readManifests } from '../../lib/manifests/read-manifests';
import { DEPLOYMENT, writeTree } from '../setup/kustomize-build';

const APP = (name: string, path: string, extra = '') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec:\n  project: default\n` +
  `  destination: {server: https://kubernetes.default.svc, namespace: ml}\n  source:\n    repoURL: https://github.com/example/platform.git\n    targetRevision: main\n    path: ${path}\n${extra}`;

/** A Deployment `judge` in namespace ml whose container runs `image`. */
const JUDGE = (image: string) =>
  DEPLOYMENT('judge', `containers:\n  - name: judge\n    image: ${image}\n    resources: {limits: {nvidia.com/gpu: 1}}`).replace(
    'name: judge\n',
    'name: judge\n  namespace: ml\n',
  );

function checked(files: Record<string, string>) {
  const r = readManifests([writeTree(files, 'argocd-source-type-')]);
  const graph = new ObjectGraph(r.manifests as readonly GraphObject[], { folders: r.folders, charts: r.charts, plain: r.plain, builds: r.builds });
  const findings = runChecks(r.manifests, { platform: 'kserve', ...r });
  return { graph, findings };
}

// argo-cd util/app/discovery Discover/AppType: a source naming no type is built by the tool its folder's files name,
// a kustomization file (kustomization.yaml, kustomization.yml, Kustomization) or a Chart.yaml; else it is a directory.
describe('an Application source that names no type is built by the tool its folder holds', () => {
  const tree = (kustomizationFile: string, extra = '') => ({
    'argocd/app.yaml': APP('serving', 'k8s/base', extra),
    [`k8s/base/${kustomizationFile}`]: 'resources: [deployment.yaml]\n',
    'k8s/base/deployment.yaml': JUDGE('vllm/vllm-openai:v0.10.1'),
    // a copy of the Deployment for a larger GPU, kept beside the base and listed nowhere
    'k8s/base/deployment-large.yaml': JUDGE('vllm/vllm-openai:v0.10.2'),
  });

  test.each(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])('%s: the unlisted copy beside it is not delivered, no duplicate', (file) => {
    const { graph, findings } = checked(tree(file));
    expect(toolAt(graph, 'k8s/base')).toBe('kustomize');
    const app = graph.find('Application', 'serving', 'argocd')!;
    expect(deliveredBy(app, graph).map((o) => `${o.manifest.kind}/${o.manifest.spec.template.spec.containers[0].image}`)).toEqual([
      'Deployment/vllm/vllm-openai:v0.10.1',
    ]);
    expect(findings.filter((f) => f.rule === 'duplicate-object')).toEqual([]);
  });

  test('`directory` set on the same folder: Argo CD reads the files as written, so the copy repeats the Deployment', () => {
    const { findings } = checked(tree('kustomization.yaml', "    directory: {exclude: 'kustomization.yaml'}\n"));
    expect(findings.filter((f) => f.rule === 'duplicate-object').map((f) => `${f.severity} ${f.object}`)).toEqual(['warning Application/argocd/serving']);
  });

  test('a Chart.yaml names Helm, a kustomization kustomize, neither a directory', () => {
    const { graph } = checked({
      'argocd/app.yaml': APP('serving', 'k8s/base'),
      'charts/server/Chart.yaml': 'apiVersion: v2\nname: server\nversion: 0.1.0\n',
      'k8s/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'k8s/base/deployment.yaml': JUDGE('vllm/vllm-openai:v0.10.1'),
      'k8s/plain/deployment.yaml': JUDGE('vllm/vllm-openai:v0.10.1'),
    });
    expect([toolAt(graph, 'charts/server'), toolAt(graph, 'k8s/base'), toolAt(graph, 'k8s/plain')]).toEqual(['helm', 'kustomize', undefined]);
  });
});

// Two Applications delivering one Deployment from sibling overlays: argo-cd controller/state.go reports
// SharedResourceWarning only when both are applied; loose Application files are often alternatives.
describe('duplicate-object: two Applications delivering one object differently', () => {
  const overlays = {
    'k8s/judge/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'k8s/judge/deployment.yaml': JUDGE('vllm/vllm-openai:v0.10.1'),
    'k8s/judge-large/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'k8s/judge-large/deployment.yaml': JUDGE('vllm/vllm-openai:v0.10.2'),
  };
  const AUTO = '  syncPolicy:\n    automated: {prune: true}\n';
  const apps = { 'argocd/judge.yaml': APP('judge', 'k8s/judge', AUTO), 'argocd/judge-large.yaml': APP('judge-large', 'k8s/judge-large', AUTO) };
  const shared = (files: Record<string, string>) =>
    checked({ ...overlays, ...files })
      .findings.filter((f) => f.rule === 'duplicate-object')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('Applications in loose files (alternatives applied one at a time): a warning that says so', () => {
    expect(shared(apps)).toEqual([
      expect.stringMatching(
        /^warning Deployment\/ml\/judge: .*Application\/argocd\/judge and Application\/argocd\/judge-large deliver it to cluster https:\/\/kubernetes\.default\.svc; nothing in the input applies both \(they may be alternatives\), but if both are applied/,
      ),
    ]);
  });

  test('an app-of-apps Application syncing the folder that holds both: an error', () => {
    expect(shared({ ...apps, 'bootstrap/root.yaml': APP('root', 'argocd').replace('namespace: ml}', 'namespace: argocd}') })).toEqual([
      expect.stringMatching(/^error Deployment\/ml\/judge: .*Argo CD delivers both to cluster .*SharedResourceWarning/),
    ]);
  });

  test('an app-of-apps syncing both, but one of them (or both) with manual sync: a warning, Argo CD applies it only on request', () => {
    const root = { 'bootstrap/root.yaml': APP('root', 'argocd').replace('namespace: ml}', 'namespace: argocd}') };
    const manual = { ...apps, 'argocd/judge-large.yaml': APP('judge-large', 'k8s/judge-large') };
    expect(shared({ ...manual, ...root })).toEqual([
      expect.stringMatching(/^warning Deployment\/ml\/judge: .*they do not both sync automatically \(no spec\.syncPolicy\.automated\)/),
    ]);
    // automated sync switched off (Argo CD 3.x `enabled: false`) is manual too
    const off = { ...apps, 'argocd/judge-large.yaml': APP('judge-large', 'k8s/judge-large', '  syncPolicy:\n    automated: {enabled: false}\n') };
    expect(shared({ ...off, ...root })).toEqual([expect.stringMatching(/^warning Deployment\/ml\/judge: /)]);
  });

  test('an app-of-apps syncing both, one of whose roots kustomize refuses to build: nothing (kustomize-build-fails says so)', () => {
    const refused = {
      'k8s/judge-large/kustomization.yaml': 'resources: [deployment.yaml, ../shared-pvc.yaml]\n',
      'k8s/shared-pvc.yaml':
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: cache, namespace: ml}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
    };
    expect(shared({ ...apps, ...refused, 'bootstrap/root.yaml': APP('root', 'argocd').replace('namespace: ml}', 'namespace: argocd}') })).toEqual([]);
  });

  test('an ApplicationSet whose templatePatch (a Go template, not rendered) may set automated sync: taken as automated, an error', () => {
    const set = (patch: string) =>
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: ApplicationSet',
        'metadata: {name: judges, namespace: argocd}',
        'spec:',
        '  goTemplate: true',
        '  generators:',
        '    - list:',
        '        elements: [{name: judge, path: k8s/judge}, {name: judge-large, path: k8s/judge-large}]',
        '  template:',
        '    metadata: {name: "{{ .name }}"}',
        '    spec:',
        '      project: default',
        '      source: {repoURL: https://github.com/example/platform.git, targetRevision: main, path: "{{ .path }}"}',
        '      destination: {server: https://kubernetes.default.svc, namespace: ml}',
        patch,
      ].join('\n');
    expect(
      shared({
        'argocd/judges.yaml': set('  templatePatch: |\n    spec:\n      syncPolicy:\n        automated: {selfHeal: {{ .selfHeal | default "true" }}}\n'),
      }),
    ).toEqual([expect.stringMatching(/^error Deployment\/ml\/judge: /)]);
    // near miss: no templatePatch and no automated sync in the template: manual Applications, a warning
    expect(shared({ 'argocd/judges.yaml': set('') })).toEqual([expect.stringMatching(/^warning Deployment\/ml\/judge: .*do not both sync automatically/)]);
  });

  test('both Applications in one file (applied whole): an error', () => {
    expect(shared({ 'argocd/judges.yaml': `${apps['argocd/judge.yaml']}---\n${apps['argocd/judge-large.yaml']}` })).toEqual([
      expect.stringMatching(/^error Deployment\/ml\/judge: /),
    ]);
  });

  test('a kustomization listing both Applications: an error', () => {
    expect(shared({ ...apps, 'argocd/kustomization.yaml': 'resources: [judge.yaml, judge-large.yaml]\n' })).toEqual([
      expect.stringMatching(/^error Deployment\/ml\/judge: /),
    ]);
  });
});

// cluster-object-conflict follows the same line for cluster-scoped objects of two Applications' roots.
describe('cluster-object-conflict: two Applications delivering one cluster-scoped object differently', () => {
  const flavor = (label: string) => `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata: {name: gpu}\nspec:\n  nodeLabels: {pool: ${label}}\n`;
  const files = {
    'quota/a/kustomization.yaml': 'resources: [flavor.yaml]\n',
    'quota/a/flavor.yaml': flavor('a10'),
    'quota/b/kustomization.yaml': 'resources: [flavor.yaml]\n',
    'quota/b/flavor.yaml': flavor('l40s'),
    'argocd/a.yaml': APP('quota-a', 'quota/a'),
    'argocd/b.yaml': APP('quota-b', 'quota/b'),
  };
  const conflicts = (more: Record<string, string>) =>
    checked({ ...files, ...more })
      .findings.filter((f) => f.rule === 'cluster-object-conflict')
      .map((f) => `${f.severity}: ${f.message}`);

  test('loose Application files: a warning naming the Applications', () => {
    expect(conflicts({})).toEqual([expect.stringContaining("warning: ResourceFlavor 'gpu' is declared differently at ")]);
    expect(conflicts({})[0]).toContain(
      'delivered to cluster https://kubernetes.default.svc by Application/argocd/quota-a and Application/argocd/quota-b, which nothing in the input applies together',
    );
  });

  test('both listed by one kustomization: an error', () => {
    expect(conflicts({ 'argocd/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n' })).toEqual([
      expect.stringMatching(/^error: .*Argo CD delivers both to cluster/),
    ]);
  });
});

// operator-group-conflict follows the same line for two OperatorGroups of one namespace in two Applications' roots.
describe('operator-group-conflict: two Applications each delivering an OperatorGroup of one namespace', () => {
  const group = (name: string) => `apiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata: {name: ${name}, namespace: tempo}\nspec: {}\n`;
  const files = {
    'ops/a/kustomization.yaml': 'resources: [group.yaml]\n',
    'ops/a/group.yaml': group('tempo-a'),
    'ops/b/kustomization.yaml': 'resources: [group.yaml]\n',
    'ops/b/group.yaml': group('tempo-b'),
    'argocd/a.yaml': APP('ops-a', 'ops/a'),
    'argocd/b.yaml': APP('ops-b', 'ops/b'),
  };
  const groups = (more: Record<string, string>) =>
    checked({ ...files, ...more })
      .findings.filter((f) => f.rule === 'operator-group-conflict')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('loose Application files (alternatives): a warning', () => {
    expect(groups({})).toEqual([
      expect.stringMatching(
        /^warning OperatorGroup\/tempo\/tempo-b: namespace 'tempo' has another OperatorGroup 'tempo-a'.*from another kustomization root, file or Application/,
      ),
    ]);
  });

  test('both listed by one kustomization: an error', () => {
    expect(groups({ 'argocd/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n' })).toEqual([
      expect.stringMatching(/^error OperatorGroup\/tempo\/tempo-b: is a second OperatorGroup in namespace 'tempo', beside 'tempo-a'/),
    ]);
  });
});
