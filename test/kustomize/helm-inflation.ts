import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests } from '../../lib';
import { mergoMerge } from '../../lib/manifests/kustomize-helm';
import { helmBinary, kubectlBinary, kubectlEnv } from '../setup/kubectl';
import { sorted, writeTree } from '../setup/kustomize-build';
import { tempDir } from '../setup/scratch';
import { tgz } from '../helm/tar-writer';

/**
 * helmCharts with a local chart, inflated as kustomize's HelmChartInflationGenerator does with --enable-helm
 * (api/internal/builtins/HelmChartInflationGenerator.go), against the real `kubectl kustomize --enable-helm` running
 * the real helm (v4.1.4) on the same folder, with no network. kubectl's kustomize (v5.7) asks `helm version -c
 * --short` and wants helm 3: a two-line wrapper answers that question and hands every other command to helm itself.
 */
function helmCommand(): string {
  const file = path.join(tempDir('helm-shim-'), 'helm');
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then echo v3.99.0; exit 0; fi\nexec '${helmBinary()}' "$@"\n`, { mode: 0o755 });
  return file;
}

const SHIM = helmCommand();

function kubectlInflated(dir: string, unrestricted: boolean): { objects: unknown[] } | { error: string } {
  const flags = ['kustomize', '--enable-helm', '--helm-command', SHIM, ...(unrestricted ? ['--load-restrictor', 'LoadRestrictionsNone'] : []), dir];
  try {
    const out = execFileSync(kubectlBinary(), flags, { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() });
    return { objects: YAML.parseAllDocuments(out).map((d) => d.toJS()) };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
  labels: {chart: {{ .Chart.Name }}}
data:
  mode: {{ .Values.mode | quote }}
  enabled: {{ .Values.flag | quote }}
  replicas: {{ .Values.server.replicas | quote }}
  ports: {{ toJson .Values.ports | quote }}
  extra: {{ toJson .Values.extra | quote }}
`;
const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-worker
spec:
  replicas: {{ .Values.server.replicas }}
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: worker
          image: registry.example.com/worker:{{ .Values.server.tag }}
`;
const TEST_HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-probe
  annotations: {"helm.sh/hook": test}
spec:
  restartPolicy: Never
  containers: [{name: probe, image: registry.example.com/probe:1.0}]
`;
const INSTALL_HOOK = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations: {"helm.sh/hook": pre-install}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: registry.example.com/migrate:1.0}]
`;
const VERSIONED = `{{- if semverCompare ">=1.30-0" .Capabilities.KubeVersion.GitVersion }}
apiVersion: v1
kind: ConfigMap
metadata: {name: recent-cluster}
data:
  policy: {{ .Capabilities.APIVersions.Has "policy.example.com/v1" | quote }}
{{- end }}
`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;

const chart = (home: string, values = 'mode: standard\nflag: true\nserver: {replicas: 1, tag: "1.0"}\nports: [80]\nextra: {keep: 1}\n') => ({
  [`${home}/Chart.yaml`]: 'apiVersion: v2\nname: station\nversion: 0.3.0\n',
  ...(values ? { [`${home}/values.yaml`]: values } : {}),
  [`${home}/templates/config.yaml`]: CONFIG,
  [`${home}/templates/worker.yaml`]: WORKER,
});

const k = (body: string) => ({ 'kustomization.yaml': body });

/** name, files, load restrictor lifted, refusal both give (undefined: both build, the same objects). */
const CASES: readonly [string, Record<string, string | Buffer>, boolean, RegExp | undefined][] = [
  [
    'the chart home charts/, no release name nor namespace: helm’s defaults',
    { ...k('helmCharts:\n- name: station\n'), ...chart('charts/station') },
    false,
    undefined,
  ],
  [
    'release name, namespace, valuesInline over the values file (override: false, a list, a nested map; null skipped)',
    {
      ...k(
        'helmCharts:\n- name: station\n  releaseName: edge\n  namespace: apps\n  valuesInline: {flag: false, ports: [443, 8443], server: {replicas: 3}, extra: {add: 2}, mode: null}\n',
      ),
      ...chart('charts/station'),
    },
    false,
    undefined,
  ],
  [
    'valuesMerge merge: the values file keeps its keys, valuesInline adds the missing',
    {
      ...k(
        'helmCharts:\n- name: station\n  releaseName: edge\n  valuesMerge: merge\n  valuesInline: {flag: false, server: {tag: "2.0", replicas: 5}, extra: {add: 2}}\n',
      ),
      ...chart('charts/station'),
    },
    false,
    undefined,
  ],
  [
    'valuesMerge replace: valuesInline alone, over the chart’s defaults',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n  valuesMerge: replace\n  valuesInline: {server: {replicas: 4}, extra: null}\n'),
      ...chart('charts/station'),
    },
    false,
    undefined,
  ],
  [
    'valuesFile and additionalValuesFiles, in order',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n  valuesFile: values/prod.yaml\n  additionalValuesFiles: [values/zone.yaml]\n'),
      ...chart('charts/station'),
      'values/prod.yaml': 'mode: prod\nserver: {replicas: 2, tag: "1.1"}\n',
      'values/zone.yaml': 'server: {replicas: 6}\n',
    },
    false,
    undefined,
  ],
  [
    'helmGlobals.chartHome, includeCRDs, skipTests (the install hook stays)',
    {
      ...k('helmGlobals: {chartHome: vendor}\nhelmCharts:\n- name: station\n  releaseName: edge\n  includeCRDs: true\n  skipTests: true\n'),
      ...chart('vendor/station'),
      'vendor/station/crds/widgets.yaml': CRD,
      'vendor/station/templates/tests/probe.yaml': TEST_HOOK,
      'vendor/station/templates/migrate.yaml': INSTALL_HOOK,
    },
    false,
    undefined,
  ],
  [
    'hooks and tests rendered by default; crds/ left out without includeCRDs',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n'),
      ...chart('charts/station'),
      'charts/station/crds/widgets.yaml': CRD,
      'charts/station/templates/tests/probe.yaml': TEST_HOOK,
      'charts/station/templates/migrate.yaml': INSTALL_HOOK,
    },
    false,
    undefined,
  ],
  [
    'kubeVersion and apiVersions reach .Capabilities',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n  kubeVersion: "1.31.2"\n  apiVersions: [policy.example.com/v1]\n'),
      ...chart('charts/station'),
      'charts/station/templates/versioned.yaml': VERSIONED,
    },
    false,
    undefined,
  ],
  [
    'the kustomization’s namespace, name prefix and generators edit the inflated objects too',
    {
      ...k(
        'namespace: shop\nnamePrefix: blue-\nconfigMapGenerator:\n- name: flags\n  literals: [a=b]\nhelmCharts:\n- name: station\n  releaseName: edge\nimages:\n- name: registry.example.com/worker\n  newTag: "9.9"\n',
      ),
      ...chart('charts/station'),
    },
    false,
    undefined,
  ],
  [
    'a packaged subchart of the chart',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n  valuesInline: {gauge: {level: high}}\n'),
      ...chart('charts/station'),
      'charts/station/charts/gauge-0.1.0.tgz': tgz([
        { name: 'gauge/Chart.yaml', data: 'apiVersion: v2\nname: gauge\nversion: 0.1.0\n' },
        { name: 'gauge/values.yaml', data: 'level: low\n' },
        { name: 'gauge/templates/cm.yaml', data: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gauge}\ndata: {level: {{ .Values.level }}}\n' },
      ]),
    },
    false,
    undefined,
  ],
  [
    'a chart home outside the kustomization, the load restrictor lifted',
    { 'app/kustomization.yaml': 'helmGlobals: {chartHome: ../shared}\nhelmCharts:\n- name: station\n  releaseName: edge\n', ...chart('shared/station') },
    true,
    undefined,
  ],
  [
    'a chart home outside the kustomization under the load restrictor: its values file is refused',
    { 'app/kustomization.yaml': 'helmGlobals: {chartHome: ../shared}\nhelmCharts:\n- name: station\n  releaseName: edge\n', ...chart('shared/station') },
    false,
    /helmCharts entry station: security; file '.*shared\/station\/values\.yaml' is not in or below '.*app'/,
  ],
  [
    'a chart without values.yaml and no valuesFile: refused (kustomize loads the default values file)',
    { ...k('helmCharts:\n- name: station\n  releaseName: edge\n  valuesInline: {server: {replicas: 1}}\n'), ...chart('charts/station', '') },
    false,
    /helmCharts entry station: evalsymlink failure on '.*charts\/station\/values\.yaml'/,
  ],
  [
    'helm template fails (required): refused',
    {
      ...k('helmCharts:\n- name: station\n  releaseName: edge\n'),
      ...chart('charts/station'),
      'charts/station/templates/zone.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\ndata: {zone: {{ required "zone is required" .Values.zone }}}\n',
    },
    false,
    /helm template fails on the chart .*zone is required/,
  ],
  [
    'valuesMerge of another word: refused',
    { ...k('helmCharts:\n- name: station\n  valuesMerge: combine\n'), ...chart('charts/station') },
    false,
    /valuesMerge must be one of \[merge override replace\]/,
  ],
];

describe('helmCharts inflated with --enable-helm, as kubectl kustomize with the real helm inflates them', () => {
  test.each(CASES)('%s', (_, files, unrestricted, refusal) => {
    const tree = writeTree(files, 'helm-inflate-');
    const dir = fs.existsSync(path.join(tree, 'app')) ? path.join(tree, 'app') : tree;
    const built = kubectlInflated(dir, unrestricted);
    const { manifests, errors } = readManifests([dir], { enableHelm: true, ...(unrestricted ? { loadRestrictor: 'LoadRestrictionsNone' as const } : {}) });
    if (refusal) {
      expect(built).toEqual({ error: expect.any(String) });
      expect(errors.filter((e) => e.severity === 'error')).toEqual([
        expect.objectContaining({ kind: 'kustomize-build-fails', message: expect.stringMatching(refusal) }),
      ]);
      return;
    }
    expect('error' in built ? built.error : '').toBe('');
    expect(errors.filter((e) => e.severity !== 'info')).toEqual([]);
    expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted('objects' in built ? built.objects : []));
    // each inflated object names its chart and the kustomization that inflates it
    expect(manifests.filter((m) => m.helmRendering).map((m) => path.relative(dir, m.helmRendering!.folder))).not.toContain('');
  });
});

describe('without --enable-helm', () => {
  test('kustomize refuses helmCharts; the reader says it does not inflate them and why', () => {
    const dir = writeTree({ ...k('helmCharts:\n- name: station\n  releaseName: edge\n'), ...chart('charts/station') }, 'helm-inflate-');
    expect(kubectlInflated(dir, false)).toEqual({ objects: expect.any(Array) });
    let refused = '';
    try {
      execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() });
    } catch (e) {
      refused = String((e as { stderr?: string }).stderr);
    }
    expect(refused).toMatch(/must specify --enable-helm/);
    const { manifests, errors } = readManifests([dir]);
    expect(manifests.filter((m) => m.helmRendering)).toEqual([]);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(/uses 'helmCharts'.*only when the build enables Helm.*must specify --enable-helm/),
        }),
      ]),
    );
  });
});

describe('mergo.Merge as HelmChartInflationGenerator calls it', () => {
  test('override: the inline value wins, false and 0 included; maps merge; null is skipped', () => {
    expect(mergoMerge({ a: true, m: { x: 1, y: 2 }, l: [1], n: 'keep' }, { a: false, m: { x: 0 }, l: [2], n: null }, true)).toEqual({
      a: false,
      m: { x: 0, y: 2 },
      l: [2],
      n: 'keep',
    });
  });
  test('merge: the file keeps its values; the keys it lacks are added', () => {
    expect(mergoMerge({ a: true, m: { x: 1 } }, { a: false, m: { x: 0, y: 2 }, b: 3 }, false)).toEqual({ a: true, m: { x: 1, y: 2 }, b: 3 });
  });
});
