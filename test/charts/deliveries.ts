import * as fs from 'fs';
import * as path from 'path';
import { SUPPORTED_KUBE_VERSIONS } from '../../lib/manifests/chart-deliveries';
import { KUBERNETES_RELEASES } from '../../lib/platform/served-apis';
import { tgz } from '../helm/tar-writer';
import { cliInProcess, treeRuleFound, writeTree } from '../util';
import { engineTemplate } from '../engine-chart-util';

/**
 * Local Helm charts delivered by Argo CD Applications of the tree: their rendered objects are checked as the
 * delivery's objects (with its values), and references to what they render resolve.
 */
const application = (name: string, path: string, helm = '', namespace = 'serving') =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    `metadata: {name: ${name}, namespace: argocd}`,
    'spec:',
    '  project: default',
    '  source:',
    '    repoURL: https://git.example.com/ml/platform.git',
    '    targetRevision: main',
    `    path: ${path}`,
    ...(helm ? ['    helm:', ...helm.split('\n').map((l) => `      ${l}`)] : []),
    `  destination: {server: https://kubernetes.default.svc, namespace: ${namespace}}`,
    '  syncPolicy: {syncOptions: [CreateNamespace=true]}',
    '',
  ].join('\n');

const SERVER = engineTemplate();

const engineChart = (values: string) => ({
  'charts/engine/Chart.yaml': 'apiVersion: v2\nname: engine\nversion: 0.1.0\n',
  'charts/engine/values.yaml': 'model: granite\ntp: 1\ngpus: 1\n',
  'charts/engine/values-large.yaml': values,
  'charts/engine/templates/deployment.yaml': SERVER,
});

describe('Helm charts an Application delivers', () => {
  test('a rendered Deployment whose values ask 4-way tensor parallelism of 2 GPUs: tensor-parallel-gpu-mismatch on the template', async () => {
    const files = { 'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml]'), ...engineChart('tp: 4\ngpus: 2\n') };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-tp-', files)).toEqual([
      {
        severity: 'error',
        object: 'Deployment/serving/large-engine',
        message: expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but the container is given 2/),
      },
    ]);
  });

  test('near miss: the same chart with values that give 4 GPUs, and the chart alone with its defaults', async () => {
    const files = {
      'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml]\nparameters:\n- {name: gpus, value: "4"}'),
      ...engineChart('tp: 4\ngpus: 2\n'),
    };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-tp-', files)).toEqual([]);
  });

  test('a values file the repository does not hold because .gitignore excludes it: rendered with the files that exist, the finding capped and saying so', async () => {
    const files = {
      'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml, values-cluster.yaml]'),
      ...engineChart('tp: 4\ngpus: 2\n'),
      '.gitignore': '# written by make values\ncharts/engine/values-cluster.yaml\n',
    };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-ignored-values-', files)).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/serving/large-engine',
        message: expect.stringMatching(
          /--tensor-parallel-size=4 needs 4 GPUs but the container is given 2.*rendered without the values file values-cluster\.yaml \(missing: \.gitignore excludes it, .*\.gitignore \(line 2, 'charts\/engine\/values-cluster\.yaml'\), so it is generated outside the repository\)/,
        ),
      },
    ]);
  });

  test('near miss: a missing values file no .gitignore excludes leaves the chart unrendered, as before', async () => {
    const files = {
      'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml, values-cluster.yaml]'),
      ...engineChart('tp: 4\ngpus: 2\n'),
    };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-ignored-values-', files)).toEqual([]);
    expect((await treeRuleFound('input-not-followed', 'helm-ignored-values-', files)).map((f) => f.message)).toContain(
      'is a Helm chart not rendered as Application/argocd/large delivers it: its values file values-cluster.yaml is not in the checked files',
    );
  });

  test('an app-of-apps chart whose templates are Applications: each Application it renders delivers its chart, with its values', async () => {
    const apps = `{{- range $name, $v := .Values.engines }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ $name }}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/ml/platform.git
    path: charts/engine
    helm:
      parameters:
        - {name: tp, value: "{{ $v.tp }}"}
        - {name: gpus, value: "{{ $v.gpus }}"}
  destination: {server: https://kubernetes.default.svc, namespace: serving}
  syncPolicy: {syncOptions: [CreateNamespace=true]}
{{- end }}
`;
    const files = {
      'apps/root.yaml': application('root', 'charts/apps', '', 'argocd'),
      'charts/apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 1.0.0\n',
      'charts/apps/values.yaml': 'engines:\n  small: {tp: 1, gpus: 1}\n  wide: {tp: 8, gpus: 4}\n',
      'charts/apps/templates/applications.yaml': apps,
      ...engineChart('tp: 1\n'),
    };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-apps-', files)).toEqual([
      {
        severity: 'error',
        object: 'Deployment/serving/wide-engine',
        message: expect.stringMatching(/--tensor-parallel-size=8 needs 8 GPUs but the container is given 4/),
      },
    ]);
  });

  test('an app-of-apps chart no Application delivers, checked with the repository: the Applications its defaults render deliver their charts, with their values', async () => {
    const apps = [
      '{{- range $name, $v := .Values.engines }}',
      '---',
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: "{{ $name }}", namespace: argocd}',
      'spec:',
      '  project: default',
      '  source:',
      '    repoURL: https://git.example.com/ml/platform.git',
      '    path: charts/engine',
      '    helm:',
      '      parameters:',
      '        - {name: tp, value: "{{ $v.tp }}"}',
      '        - {name: gpus, value: "{{ $v.gpus }}"}',
      '  destination: {server: https://kubernetes.default.svc, namespace: serving}',
      '  syncPolicy: {syncOptions: [CreateNamespace=true]}',
      '{{- end }}',
      '',
    ].join('\n');
    const tree = (gpus: number) => ({
      'charts/root/Chart.yaml': 'apiVersion: v2\nname: root\nversion: 1.0.0\n',
      'charts/root/values.yaml': `engines:\n  wide: {tp: 8, gpus: ${gpus}}\n`,
      'charts/root/templates/applications.yaml': apps,
      ...engineChart('tp: 1\n'),
    });
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-root-apps-', tree(4))).toEqual([
      {
        severity: 'error',
        object: 'Deployment/serving/wide-engine',
        message: expect.stringMatching(/--tensor-parallel-size=8 needs 8 GPUs but the container is given 4/),
      },
    ]);
    // near miss: the root's values give the engine 8 GPUs, and the engine chart is not also rendered with its defaults alone
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-root-apps-', tree(8))).toEqual([]);
    const objects = JSON.parse((await cliInProcess(['check', writeTree('helm-root-apps-', tree(8)), '--json'])).out).findings.map(
      (f: { object: string }) => f.object,
    );
    expect(objects.filter((o: string) => o.includes('release-name-engine'))).toEqual([]);
  });

  test('near miss: an HTTPRoute naming the Service a delivered local chart renders finds it (no gateway-reference-not-found)', async () => {
    const files = {
      'apps/engine.yaml': application('chat', 'charts/engine'),
      ...engineChart('tp: 1\n'),
      'charts/engine/values.yaml': 'model: granite\ntp: 1\ngpus: 1\nserviceName: inference-api\n',
      'charts/engine/templates/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.serviceName }}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 8000}]\n',
      'apps/route.yaml': application('route', 'routes'),
      'routes/route.yaml':
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: chat, namespace: serving}\nspec:\n  parentRefs: [{name: public, namespace: gateways}]\n  rules:\n  - backendRefs: [{name: inference-api, port: 8000}]\n',
    };
    const aboutService = (found: { message: string }[]) => found.filter((f) => f.message.includes('inference-api'));
    expect(aboutService(await treeRuleFound('gateway-reference-not-found', 'helm-route-', files))).toEqual([]);
    // the same route with the chart's Service named otherwise: the reference is reported
    const renamed = { ...files, 'charts/engine/values.yaml': files['charts/engine/values.yaml'].replace('inference-api', 'inference-web') };
    expect(aboutService(await treeRuleFound('gateway-reference-not-found', 'helm-route-', renamed))).toEqual([
      expect.objectContaining({ severity: expect.any(String) }),
    ]);
  });

  test('a chart checked as its own folder renders with its defaults alone: its findings are warnings saying so, a delivered render keeps the error', async () => {
    const files: Record<string, string> = engineChart('tp: 1\n');
    files['charts/engine/values.yaml'] = 'model: granite\ntp: 4\ngpus: 2\n';
    files['charts/engine/templates/config.yaml'] =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  zone: {{ required "set zone" .Values.zone }}\n';
    const chartOnly = async (rule: string, f: Record<string, string>) => {
      const r = await cliInProcess(['check', path.join(writeTree('helm-defaults-', f), 'charts', 'engine'), '--json']);
      return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[]).filter((x) => x.rule === rule);
    };
    expect(await chartOnly('helm-render-fails', files)).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/rendered with the chart's default values: .*set zone/) }),
    ]);
    delete files['charts/engine/templates/config.yaml'];
    expect(await chartOnly('tensor-parallel-gpu-mismatch', files)).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/needs 4 GPUs .*rendered with the chart's default values/) }),
    ]);
    expect(
      (await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-defaults-', { ...files, 'apps/engine.yaml': application('chat', 'charts/engine') })).map(
        (f) => f.severity,
      ),
    ).toEqual(['error']);
  });

  test("a chart elsewhere in the checked folder's git work tree that an Application of the input names (its remote the repoURL): rendered as delivered", async () => {
    const files = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/config': '[remote "origin"]\n\turl = https://git.example.com/ml/platform.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
      'argocd/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml]'),
      ...engineChart('tp: 4\ngpus: 2\n'),
    };
    const inApps = async (rule: string, f: Record<string, string>) => {
      const r = await cliInProcess(['check', path.join(writeTree('helm-elsewhere-', f), 'argocd'), '--json']);
      return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[]).filter((x) => x.rule === rule);
    };
    expect(await inApps('tensor-parallel-gpu-mismatch', files)).toEqual([
      expect.objectContaining({
        severity: 'error',
        object: 'Deployment/serving/large-engine',
        message: expect.stringMatching(/needs 4 GPUs but the container is given 2/),
      }),
    ]);
    // near miss: another repository's path of the same name is not this clone's chart
    const other = { ...files, 'argocd/engine.yaml': files['argocd/engine.yaml'].replace('ml/platform.git', 'ml/other.git') };
    expect(await inApps('tensor-parallel-gpu-mismatch', other)).toEqual([]);
  });

  test('a chart comparing .Capabilities.KubeVersion under Argo CD: rendered when every supported Kubernetes version gives the same objects, else left unrendered saying so', async () => {
    const versioned = (constraint: string) => ({
      'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values-large.yaml]'),
      ...engineChart('tp: 4\ngpus: 2\n'),
      'charts/engine/templates/deployment.yaml': `{{- if semverCompare "${constraint}" .Capabilities.KubeVersion.GitVersion }}\n${SERVER}{{- end }}\n`,
    });
    expect((await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-kube-', versioned('>=1.19-0'))).map((f) => f.severity)).toEqual(['error']);
    const notRendered = (await treeRuleFound('input-not-followed', 'helm-kube-', versioned('>=1.33-0'))).filter((f) => f.message.includes('not rendered'));
    expect(notRendered).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/Capabilities\.KubeVersion.*differs across the Kubernetes versions the check supports \(v1\.32\.0–v1\.34\.0\)/),
      }),
    ]);
  });

  test("the Kubernetes versions tried are the platforms' table's oldest to newest release", () => {
    const all = Object.values(KUBERNETES_RELEASES).flatMap((rs) => rs.map((r) => Number(r.release.split('.')[1])));
    const minors = SUPPORTED_KUBE_VERSIONS.map((v) => Number(v.split('.')[1]));
    expect(minors[0]).toBe(Math.min(...all));
    expect(minors[minors.length - 1]).toBe(Math.max(...all));
  });

  test('a Helm test hook Pod of a delivered chart is not synced by Argo CD: no finding on it; checked as its own folder (helm template), it is rendered', async () => {
    const hookPod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    "helm.sh/hook": test\nspec:\n  restartPolicy: Never\n  containers:\n    - name: t\n      image: busybox:latest\n';
    const files: Record<string, string> = {
      'apps/engine.yaml': application('chat', 'charts/engine'),
      ...engineChart('tp: 1\n'),
      'charts/engine/templates/tests/test.yaml': hookPod,
    };
    const onHook = (found: { object: string }[]) => found.filter((f) => f.object.includes('-test'));
    expect(onHook(await treeRuleFound('image-not-pinned', 'helm-hook-', files))).toEqual([]);
    delete files['apps/engine.yaml'];
    const r = await cliInProcess(['check', path.join(writeTree('helm-hook-', files), 'charts', 'engine'), '--json']);
    expect(onHook((JSON.parse(r.out).findings as { rule: string; object: string }[]).filter((f) => f.rule === 'image-not-pinned'))).toHaveLength(1);
  });

  const probePod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: gpu-probe\nspec:\n  containers:\n    - name: probe\n      image: busybox:latest\n      resources:\n        limits: {nvidia.com/gpus: 1}\n';
  const onProbe = async (files: Record<string, string>) =>
    (await treeRuleFound('accelerator-resource-unknown', 'helm-extra-', files)).filter((f) => f.object.includes('gpu-probe'));

  test("a manifest in a delivered chart's folder outside templates/ is not applied by the release: not checked, and a note says so", async () => {
    const files = { 'apps/engine.yaml': application('chat', 'charts/engine'), ...engineChart('tp: 1\n'), 'charts/engine/testing/pod.yaml': probePod };
    expect(await onProbe(files)).toEqual([]);
    const r = await cliInProcess(['check', writeTree('helm-extra-', files), '--json']);
    const notes = (JSON.parse(r.out).findings as { severity: string; message: string }[]).filter((f) => f.message.includes('outside templates/'));
    expect(notes).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringContaining(
          'holds manifests outside templates/ and crds/ (testing/pod.yaml): helm renders only those folders, so Application/argocd/chat, which installs the chart, does not apply them',
        ),
      }),
    ]);
  });

  test('near miss: the same file is checked where an Application points a directory source at its folder, or where nothing delivers the chart', async () => {
    const files = {
      'apps/engine.yaml': application('chat', 'charts/engine'),
      'apps/probe.yaml': application('probe', 'charts/engine/testing'),
      ...engineChart('tp: 1\n'),
      'charts/engine/testing/pod.yaml': probePod,
    };
    expect(await onProbe(files)).toEqual([expect.objectContaining({ severity: 'error' })]);
    const alone = { ...engineChart('tp: 1\n'), 'charts/engine/testing/pod.yaml': probePod };
    expect(await onProbe(alone)).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  test("a kustomization beside Chart.yaml makes Argo CD's source a kustomize one: the Application does not install the chart with its values", async () => {
    const files = {
      'apps/engine.yaml': application('large', 'charts/engine'),
      ...engineChart('tp: 4\ngpus: 2\n'),
      'charts/engine/values.yaml': 'model: granite\ntp: 4\ngpus: 2\n',
      'charts/engine/kustomization.yaml': 'resources: []\n',
    };
    const found = await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-kz-', files);
    expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'Deployment/release-name-engine']]);
    const explicit = { ...files, 'apps/engine.yaml': application('large', 'charts/engine', 'valueFiles: [values.yaml]') };
    expect((await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-kz-', explicit)).map((f) => [f.severity, f.object])).toEqual([
      ['error', 'Deployment/serving/large-engine'],
    ]);
  });

  test('a packaged subchart (charts/<name>-<version>.tgz) of a delivered chart is unpacked and rendered: its finding names the template in the archive', async () => {
    const withPackaged = (gpus: string) => {
      const dir = writeTree('helm-tgz-', {
        'apps/stack.yaml': application('large', 'charts/stack', `values: |\n  engine: {tp: 4, gpus: ${gpus}}`),
        'charts/stack/Chart.yaml': 'apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n  - {name: engine, version: 0.1.0}\n',
      });
      const archive = tgz([
        { name: 'engine/Chart.yaml', data: 'apiVersion: v2\nname: engine\nversion: 0.1.0\n' },
        { name: 'engine/values.yaml', data: 'model: granite\ntp: 1\ngpus: 1\n' },
        { name: 'engine/templates/deployment.yaml', data: SERVER },
      ]);
      fs.mkdirSync(path.join(dir, 'charts/stack/charts'));
      fs.writeFileSync(path.join(dir, 'charts/stack/charts/engine-0.1.0.tgz'), archive);
      return dir;
    };
    const found = async (dir: string) => {
      const r = await cliInProcess(['check', dir, '--json']);
      return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; file: string; message: string }[]).filter(
        (f) => f.rule === 'tensor-parallel-gpu-mismatch' || f.message.includes('not rendered'),
      );
    };
    expect(await found(withPackaged('2'))).toEqual([
      expect.objectContaining({
        rule: 'tensor-parallel-gpu-mismatch',
        severity: 'error',
        object: 'Deployment/serving/large-engine',
        file: expect.stringMatching(/charts\/stack\/charts\/engine-0\.1\.0\.tgz\/templates\/deployment\.yaml$/),
        message: expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but the container is given 2/),
      }),
    ]);
    // near miss: the delivery's values give the subchart the 4 GPUs it asks for
    expect(await found(withPackaged('4'))).toEqual([]);
  });
});

describe('Helm charts a kustomization inflates (helmCharts) where the build enables Helm', () => {
  const ARGO_CM =
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd, labels: {app.kubernetes.io/part-of: argocd}}\ndata:\n  kustomize.buildOptions: --enable-helm\n';
  const tree = (gpus: string, extra: Record<string, string>) => ({
    'deploy/serving/kustomization.yaml': `helmCharts:\n- name: engine\n  releaseName: large\n  namespace: serving\n  valuesInline: {tp: 4, gpus: ${gpus}}\n`,
    'deploy/serving/charts/engine/Chart.yaml': 'apiVersion: v2\nname: engine\nversion: 0.1.0\n',
    'deploy/serving/charts/engine/values.yaml': 'model: granite\ntp: 1\ngpus: 1\n',
    'deploy/serving/charts/engine/templates/deployment.yaml': SERVER,
    ...extra,
  });
  const found = async (files: Record<string, string>) => {
    const r = await cliInProcess(['check', writeTree('helm-kustomize-', files), '--json']);
    return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; file: string; message: string }[]).filter(
      (f) => f.rule === 'tensor-parallel-gpu-mismatch' || /uses 'helmCharts'/.test(f.message),
    );
  };
  const mismatch = {
    rule: 'tensor-parallel-gpu-mismatch',
    severity: 'error',
    object: 'Deployment/large-engine',
    file: expect.stringMatching(/deploy\/serving\/charts\/engine\/templates\/deployment\.yaml$/),
    message: expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but the container is given 2/),
  };

  test("Argo CD's kustomize.buildOptions pass --enable-helm: the chart is inflated with the entry's values and its Deployment checked", async () => {
    const files = tree('2', { 'apps/serving.yaml': application('serving', 'deploy/serving'), 'bootstrap/argocd-cm.yaml': ARGO_CM });
    expect(await found(files)).toEqual([expect.objectContaining(mismatch)]);
    // near miss: the entry gives the 4 GPUs the parallelism needs
    expect(await found(tree('4', { 'apps/serving.yaml': application('serving', 'deploy/serving'), 'bootstrap/argocd-cm.yaml': ARGO_CM }))).toEqual([]);
  });

  test('a Makefile builds the folder with kustomize build --enable-helm: inflated too', async () => {
    const makefile = 'deploy:\n\tkustomize build --enable-helm deploy/serving | kubectl apply -f -\n';
    expect(await found(tree('2', { Makefile: makefile }))).toEqual([expect.objectContaining(mismatch)]);
  });

  test('nothing enables Helm (an Application, no build options): not inflated, and the warning says kustomize needs --enable-helm', async () => {
    expect(await found(tree('2', { 'apps/serving.yaml': application('serving', 'deploy/serving') }))).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/uses 'helmCharts'.*must specify --enable-helm/) }),
    ]);
  });
});

describe('Helm charts a Flux HelmRelease delivers from a GitRepository', () => {
  const GIT =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: platform, namespace: flux-system}\nspec:\n  interval: 5m\n  url: https://git.example.com/ml/platform.git\n  ref: {branch: main}\n';
  const release = (chart: string, values: string) =>
    [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata: {name: large, namespace: flux-system}',
      'spec:',
      '  interval: 10m',
      '  targetNamespace: serving',
      chart,
      '  valuesFrom:',
      '    - {kind: ConfigMap, name: engine-values}',
      '    - {kind: ConfigMap, name: engine-gpus, valuesKey: count, targetPath: gpus}',
      `  values: ${values}`,
      '',
    ].join('\n');
  const FROM_GIT = '  chart:\n    spec:\n      chart: ./charts/engine\n      sourceRef: {kind: GitRepository, name: platform}';
  const configMaps = (gpus: string) =>
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: engine-values, namespace: flux-system}\ndata:\n  values.yaml: |\n    tp: 4\n    gpus: 8\n' +
    `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: engine-gpus, namespace: flux-system}\ndata:\n  count: "${gpus}"\n`;
  const files = (chart: string, gpus: string, values = '{model: granite}') => ({
    'clusters/prod/source.yaml': GIT,
    'clusters/prod/engine.yaml': release(chart, values),
    'clusters/prod/values.yaml': configMaps(gpus),
    ...engineChart('tp: 1\n'),
  });
  const mismatch = (found: { object: string }[]) => found;

  test('valuesFrom a ConfigMap, a targetPath value, spec.values last; release <targetNamespace>-<name>: the finding names the template', async () => {
    expect(mismatch(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-flux-', files(FROM_GIT, '2')))).toEqual([
      {
        severity: 'error',
        object: 'Deployment/serving/serving-large-engine',
        message: expect.stringMatching(/--tensor-parallel-size=4 needs 4 GPUs but the container is given 2/),
      },
    ]);
    // near miss: the targetPath value gives 4 GPUs
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-flux-', files(FROM_GIT, '4'))).toEqual([]);
    // spec.values comes last and wins over valuesFrom
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-flux-', files(FROM_GIT, '2', '{gpus: 4}'))).toEqual([]);
  });

  test('spec.chartRef to a HelmChart of a GitRepository: rendered the same way', async () => {
    const helmChart =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata: {name: engine, namespace: flux-system}\nspec:\n  interval: 5m\n  chart: charts/engine\n  sourceRef: {kind: GitRepository, name: platform}\n';
    const tree = { ...files('  chartRef: {kind: HelmChart, name: engine}', '2'), 'clusters/prod/helmchart.yaml': helmChart };
    expect((await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-flux-', tree)).map((f) => f.object)).toEqual(['Deployment/serving/serving-large-engine']);
  });

  test('near miss: a chart from a HelmRepository of the same name is not the local folder', async () => {
    const fromRepo = FROM_GIT.replace('./charts/engine', 'engine').replace('GitRepository, name: platform', 'HelmRepository, name: charts');
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-flux-', files(fromRepo, '2'))).toEqual([]);
  });
});

/**
 * helm install puts every namespaced object a chart renders without metadata.namespace into the release namespace
 * (helm pkg/kube/client.go: the builder's NamespaceParam(release namespace).DefaultNamespace()); helm template prints
 * them without one.
 */
describe('the release namespace of a chart a script installs', () => {
  const chart = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: board\nversion: 0.1.0\n',
    'chart/templates/svc.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: board, labels: {app: board}}\nspec: {selector: {app: board}, ports: [{name: metrics, port: 9000}]}\n',
    'chart/templates/sm.yaml':
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: board, namespace: "{{ .Release.Namespace }}"}\nspec: {selector: {matchLabels: {app: board}}, endpoints: [{port: metrics}]}\n',
    'chart/templates/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: board-reader}\nrules: []\n',
  };
  const objects = async (command: string) => {
    const r = await cliInProcess([
      'check',
      writeTree('helm-release-ns-', { ...chart, 'deploy.sh': `#!/bin/sh\n${command}\n` }),
      '--json',
      '--platform',
      'kserve',
    ]);
    const report = JSON.parse(r.out) as { findings: { rule: string; object: string }[] };
    return report.findings.filter((f) => f.rule === 'monitor-selects-nothing').map((f) => f.object);
  };

  test('helm install -n: the Service lands in the namespace its ServiceMonitor names, so the monitor selects it', async () => {
    expect(await objects('helm install board ./chart -n team')).toEqual([]);
    expect(await objects('helm upgrade --install board ./chart --namespace team')).toEqual([]);
  });

  test('near miss: helm template prints the Service without a namespace (applied to another one), and the monitor of namespace team misses it', async () => {
    expect(await objects('helm template board ./chart -n team | kubectl apply -n other -f -')).toEqual(['ServiceMonitor/team/board']);
  });
});

describe('the values files of a chart a CI workflow or script installs', () => {
  const workflow = (files: string) =>
    [
      'name: deploy',
      'on: {push: {branches: [main]}}',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - name: install',
      '        run: |',
      '          RELEASE=large',
      `          helm upgrade --install "$RELEASE" ./charts/engine -n serving ${files}`,
      '',
    ].join('\n');

  test('a values file .gitignore excludes is left out: rendered with the files that exist, the finding capped naming the file and the .gitignore line', async () => {
    const files = {
      '.github/workflows/deploy.yaml': workflow('-f charts/engine/values-large.yaml -f charts/engine/values-secret.yaml'),
      ...engineChart('tp: 4\ngpus: 2\n'),
      '.gitignore': 'node_modules/\nvalues-secret.yaml\n',
    };
    expect(await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-ci-ignored-', files)).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/serving/large-engine',
        message: expect.stringMatching(
          /--tensor-parallel-size=4 needs 4 GPUs but the container is given 2.*rendered without the values file charts\/engine\/values-secret\.yaml \(missing: \.gitignore excludes it, .*\.gitignore \(line 2, 'values-secret\.yaml'\), so it is generated outside the repository\)/,
        ),
      },
    ]);
  });

  test('near miss: the same missing file no .gitignore excludes leaves the command unrendered, saying why', async () => {
    const files = {
      '.github/workflows/deploy.yaml': workflow('-f charts/engine/values-large.yaml -f charts/engine/values-secret.yaml'),
      ...engineChart('tp: 4\ngpus: 2\n'),
    };
    const dir = writeTree('helm-ci-missing-', files);
    const report = JSON.parse((await cliInProcess(['check', dir, '--json'])).out) as { findings: { rule: string; message: string }[] };
    expect(report.findings.filter((f) => f.rule === 'tensor-parallel-gpu-mismatch')).toEqual([]);
    expect(report.findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/is a Helm chart not rendered .*deploy\.yaml.*its values file charts\/engine\/values-secret\.yaml is not in the checked files/),
    );
  });

  test('near miss: every values file present renders as an error, not capped', async () => {
    const files = { '.github/workflows/deploy.yaml': workflow('-f "charts/engine/values-large.yaml"'), ...engineChart('tp: 4\ngpus: 2\n') };
    expect((await treeRuleFound('tensor-parallel-gpu-mismatch', 'helm-ci-present-', files)).map((f) => [f.severity, f.object])).toEqual([
      ['error', 'Deployment/serving/large-engine'],
    ]);
  });
});
