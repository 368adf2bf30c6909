import * as path from 'path';
import { describeAgainstKubectl } from '../setup/kustomize-build';
import { fluxWorkTree } from '../setup/flux-work-tree';
import { cliInProcess, writeTree } from '../util';

/** An Application whose destination's keys are indented apart: "All mapping items must start at the same column". */
const MISALIGNED = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata: {name: web, namespace: argocd}',
  'spec:',
  '  project: default',
  '  destination:',
  '      server: https://kubernetes.default.svc',
  '    namespace: web',
  '',
].join('\n');
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: web}\ndata: {mode: fast}\n';

type Json = { findings: { rule: string; severity: string; file?: string; line?: number; message: string }[]; error?: string };

describeAgainstKubectl(
  'a malformed YAML resource of a kustomization: kubectl kustomize refuses the build, and so does the reader',
  [
    [
      'the malformed file beside a valid one',
      { 'kustomization.yaml': 'resources: [config.yaml, application.yaml]\n', 'config.yaml': CONFIG, 'application.yaml': MISALIGNED },
      /^document 1 is not valid YAML at line 8, column 1 \(All mapping items must start at the same column\): kustomize reads every resource as YAML and refuses the build/,
    ],
    ['the malformed file alone', { 'kustomization.yaml': 'resources: [application.yaml]\n', 'application.yaml': MISALIGNED }, /MalformedYAMLError/],
    [
      'near miss: the same file aligned',
      { 'kustomization.yaml': 'resources: [application.yaml]\n', 'application.yaml': MISALIGNED.replace('      server', '    server') },
      undefined,
    ],
  ],
  'malformed-kustomize-',
);

describe('check on a malformed file: a finding with file and line, exit 1, in every format; an input error only when nothing is read', () => {
  test('a kustomization listing it: kustomize-build-fails, exit 1, in JSON, text and SARIF', async () => {
    const dir = writeTree('malformed-', {
      'kustomization.yaml': 'resources: [config.yaml, application.yaml]\n',
      'config.yaml': CONFIG,
      'application.yaml': MISALIGNED,
    });
    const json = await cliInProcess(['check', dir, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as Json).findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.file, f.line])).toEqual([
      ['kustomize-build-fails', path.join(dir, 'application.yaml'), 8],
    ]);
    const text = await cliInProcess(['check', dir, '--wide']);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/kustomize-build-fails/);
    expect(text.out).toMatch(/line 8, column 1/);
    const sarif = await cliInProcess(['check', dir, '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const results = (JSON.parse(sarif.out) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0].results;
    expect(results.filter((r) => r.ruleId === 'kustomize-build-fails').map((r) => r.message.text)).toEqual([expect.stringMatching(/line 8, column 1/)]);
  });

  test('a plain folder holding it among valid manifests: unreadable-input with its line, exit 1, the others checked', async () => {
    const dir = writeTree('malformed-', { 'config.yaml': CONFIG, 'application.yaml': MISALIGNED });
    const { code, out } = await cliInProcess(['check', dir, '--json']);
    expect(code).toBe(1);
    expect((JSON.parse(out) as Json).findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.file, f.line, f.message])).toEqual([
      ['unreadable-input', path.join(dir, 'application.yaml'), 8, 'document 1 is not valid YAML: All mapping items must start at the same column'],
    ]);
  });

  test('nothing readable at all: exit 2, and --json still prints a JSON document with the error and what was found', async () => {
    const dir = writeTree('malformed-', { 'application.yaml': MISALIGNED });
    const { code, out, err } = await cliInProcess(['check', dir, '--json']);
    expect(code).toBe(2);
    expect(err).toMatch(/no Kubernetes objects read from/);
    const doc = JSON.parse(out) as Json;
    expect(doc.error).toMatch(/^no Kubernetes objects read from .*\n {2}.*application\.yaml: document 1 is not valid YAML/);
    expect(doc.findings.map((f) => [f.rule, f.line])).toEqual([['unreadable-input', 8]]);
  });
});

describe('a folder of Helm values only, which a delivery elsewhere in the repository renders a chart with', () => {
  const REMOTE = 'https://git.example.com/lab/home-cluster.git';
  const SET = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata: {name: chat-envs, namespace: argocd}',
    'spec:',
    '  generators: [{list: {elements: [{name: chat}]}}]',
    '  template:',
    "    metadata: {name: '{{name}}'}",
    '    spec:',
    '      project: default',
    '      sources:',
    '        - repoURL: https://charts.example.com/stable',
    '          chart: chat-server',
    '          targetRevision: 1.0.0',
    "          helm: {valueFiles: ['$values/values/{{name}}/values.yaml']}",
    `        - {repoURL: '${REMOTE}', targetRevision: HEAD, ref: values}`,
    '      destination: {server: https://kubernetes.default.svc, namespace: chat}',
    '',
  ].join('\n');

  test('the input error names the ApplicationSet and its chart; exit 2, unless --allow-empty', async () => {
    const root = fluxWorkTree({ 'values/chat/values.yaml': 'replicas: 2\n', 'appsets/chat.yaml': SET }, REMOTE);
    const { code, err } = await cliInProcess(['check', path.join(root, 'values/chat')]);
    expect(code).toBe(2);
    expect(err).toContain(
      `${path.join(root, 'values/chat')}: holds Helm values, no manifests: ApplicationSet argocd/chat-envs (${path.join(root, 'appsets/chat.yaml')}) renders chart chat-server from https://charts.example.com/stable with $values/values/{{name}}/values.yaml; check that delivery (from the repository's root)`,
    );
    expect((await cliInProcess(['check', path.join(root, 'values/chat'), '--allow-empty'])).code).toBe(0);
  });

  test("an Application's valueFiles relative to its chart's path name the folder too", async () => {
    const app = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: chat, namespace: argocd}',
      'spec:',
      '  project: default',
      `  source: {repoURL: '${REMOTE}', targetRevision: HEAD, path: charts/chat, helm: {valueFiles: [../../values/chat/values.yaml]}}`,
      '  destination: {server: https://kubernetes.default.svc, namespace: chat}',
      '',
    ].join('\n');
    const root = fluxWorkTree({ 'values/chat/values.yaml': 'replicas: 2\n', 'apps/chat.yaml': app }, REMOTE);
    const { code, err } = await cliInProcess(['check', path.join(root, 'values/chat')]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /holds Helm values, no manifests: Application argocd\/chat \(.*\) renders the chart at charts\/chat with \.\.\/\.\.\/values\/chat\/values\.yaml/,
    );
  });

  test('near miss: no delivery names the folder: the refusal as before, without that line', async () => {
    const root = fluxWorkTree({ 'values/chat/values.yaml': 'replicas: 2\n', 'appsets/chat.yaml': SET.replace('values/{{name}}', 'settings/{{name}}') }, REMOTE);
    const { code, err } = await cliInProcess(['check', path.join(root, 'values/chat')]);
    expect(code).toBe(2);
    expect(err).not.toMatch(/holds Helm values/);
  });
});
