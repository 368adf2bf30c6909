import { lastAppliedAnnotationBytes } from '../../lib/check/rules/crd-too-large-for-client-apply';
import { cliInProcess, writeTree } from '../util';

const RULE = 'crd-too-large-for-client-apply';

/**
 * A CRD whose schema describes `fields` properties at length: 500 of them pass the API server's 262144 bytes of
 * annotations once written whole into the last-applied-configuration annotation, 40 stay well under.
 */
function crd(fields: number, annotations = ''): string {
  const properties = Array.from({ length: fields }, (_, i) =>
    [
      `                field${i}:`,
      '                  type: string',
      `                  description: ${'Field of the widget spec, described at length so that the schema weighs as much as a real operator one does & more. '.repeat(5)}`,
    ].join('\n'),
  ).join('\n');
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    ...(annotations ? ['  annotations:', `    argocd.argoproj.io/sync-options: ${annotations}`] : []),
    'spec:',
    '  group: example.com',
    '  scope: Namespaced',
    '  names: {kind: Widget, plural: widgets}',
    '  versions:',
    '    - name: v1',
    '      served: true',
    '      storage: true',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    '          properties:',
    '            spec:',
    '              type: object',
    '              properties:',
    properties,
    '',
  ].join('\n');
}

/** An Application of the tree that syncs its crds/ folder, with the sync options given. */
const crdsApp = (options: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: widget-crds, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://example.com/org/platform.git, path: crds, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: widgets}
  syncPolicy:
    syncOptions: [${options}]
`;

/** A chart Application, its source fields and sync options given. */
const chartApp = (source: string, options = 'CreateNamespace=true') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: stack, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://prometheus-community.github.io/helm-charts
${source}
  destination: {server: https://kubernetes.default.svc, namespace: monitoring}
  syncPolicy:
    syncOptions: [${options}]
`;

async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('crd-too-large-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === RULE)
    .map((f) => [f.severity, f.message]);
}

describe('crd-too-large-for-client-apply: CRDs of the tree', () => {
  test("the annotation's size: the object as kubectl encodes it (<, >, & escaped), the key, other annotations", () => {
    const m = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { k: 'v' } }, data: { x: '<&>' } };
    const json = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","annotations":{"k":"v"}},"data":{"x":"\\u003c\\u0026\\u003e"}}';
    expect(lastAppliedAnnotationBytes(m)).toBe(2 + 'kubectl.kubernetes.io/last-applied-configuration'.length + json.length + 1);
  });

  test('synced by an Application without ServerSideApply: an error naming the size and the Application', async () => {
    expect(await found({ 'apps/crds.yaml': crdsApp('CreateNamespace=true'), 'crds/widgets.yaml': crd(500) })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^the CRD is \d{6} bytes as the last-applied-configuration annotation .* over the API server's 262144 .*Application\/argocd\/widget-crds \(no ServerSideApply=true or Replace=true in its syncOptions\) applies it client-side: the apply is refused \("metadata\.annotations: Too long: must have at most 262144 bytes"\)/,
        ),
      ],
    ]);
  });

  test('applied by a script with kubectl apply: an error naming the command; --server-side or kubectl create is not judged', async () => {
    const script = (command: string) => ({ 'crds/widgets.yaml': crd(500), 'install.sh': `#!/bin/sh\nset -e\n${command}\n` });
    expect((await found(script('kubectl apply -f crds/'))).map(([s, m]) => [s, /`kubectl apply -f crds\/` at install\.sh:3/.test(m)])).toEqual([
      ['error', true],
    ]);
    expect(await found(script('kubectl apply --server-side -f crds/'))).toEqual([]);
    expect(await found(script('kubectl create -f crds/'))).toEqual([]);
  });

  test.each([
    ['ServerSideApply=true in the syncOptions', { 'apps/crds.yaml': crdsApp('ServerSideApply=true'), 'crds/widgets.yaml': crd(500) }],
    ['Replace=true in the syncOptions', { 'apps/crds.yaml': crdsApp('Replace=true'), 'crds/widgets.yaml': crd(500) }],
    ["the CRD's own sync-options annotation", { 'apps/crds.yaml': crdsApp('CreateNamespace=true'), 'crds/widgets.yaml': crd(400, 'ServerSideApply=true') }],
    ['a small CRD', { 'apps/crds.yaml': crdsApp('CreateNamespace=true'), 'crds/widgets.yaml': crd(40) }],
    ['a CRD nothing of the tree applies', { 'crds/widgets.yaml': crd(500) }],
  ])('near miss: %s', async (_, files) => {
    expect(await found(files)).toEqual([]);
  });
});

describe('crd-too-large-for-client-apply: charts known to ship such CRDs', () => {
  test('kube-prometheus-stack without ServerSideApply: an error naming the chart, the release measured and the CRDs', async () => {
    const got = await found({ 'apps/stack.yaml': chartApp('    chart: kube-prometheus-stack\n    targetRevision: 82.1.0') });
    expect(got).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.source installs chart kube-prometheus-stack 82\.1\.0, whose CRDs are too large .*measured at 88\.5\.3.*prometheuses\.monitoring\.coreos\.com 485005.*add ServerSideApply=true/,
        ),
      ],
    ]);
  });

  test('prometheus-operator-crds keeps its CRDs in templates: helm.skipCrds does not leave them out', async () => {
    const got = await found({ 'apps/stack.yaml': chartApp('    chart: prometheus-operator-crds\n    targetRevision: 31.0.1\n    helm: {skipCrds: true}') });
    expect(got.map(([s]) => s)).toEqual(['error']);
  });

  test('value files the check does not read: the message says they may turn the CRDs off', async () => {
    const got = await found({
      'apps/stack.yaml': chartApp('    chart: keda\n    targetRevision: 2.19.0\n    helm: {valueFiles: [values.yaml]}').replace(
        'prometheus-community.github.io/helm-charts',
        'kedacore.github.io/charts',
      ),
    });
    expect(got).toEqual([
      ['error', expect.stringMatching(/installs chart keda 2\.19\.0.*scaledjobs\.keda\.sh 324858.*\(unless its values files turn them off\)/)],
    ]);
  });

  test.each([
    ['ServerSideApply=true', chartApp('    chart: kube-prometheus-stack\n    targetRevision: 82.1.0', 'ServerSideApply=true')],
    ['Replace=true', chartApp('    chart: kube-prometheus-stack\n    targetRevision: 82.1.0', 'Replace=true')],
    ['helm.skipCrds on a chart whose CRDs are in crds/', chartApp('    chart: kube-prometheus-stack\n    targetRevision: 82.1.0\n    helm: {skipCrds: true}')],
    [
      'crds.enabled: false inline',
      chartApp('    chart: kube-prometheus-stack\n    targetRevision: 82.1.0\n    helm: {valuesObject: {crds: {enabled: false}}}'),
    ],
    ['a release older than the first one over the bound', chartApp('    chart: kube-prometheus-stack\n    targetRevision: 19.3.0')],
    [
      'the CRDs annotated with ServerSideApply=true through the values',
      chartApp(
        '    chart: prometheus-operator-crds\n    targetRevision: 31.0.1\n    helm:\n      valuesObject:\n        crds: {annotations: {argocd.argoproj.io/sync-options: ServerSideApply=true}}',
      ),
    ],
    ['a chart not in the table', chartApp('    chart: prometheus\n    targetRevision: 27.0.0')],
  ])('near miss: %s', async (_, app) => {
    expect(await found({ 'apps/stack.yaml': app })).toEqual([]);
  });
});
