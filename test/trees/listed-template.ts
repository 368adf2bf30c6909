import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { kubectlBinary } from '../setup/kubectl';
import { cliInProcess, tempDir } from '../util';

/** Writes files (path → text) into a new folder. */
function tree(files: Record<string, string>): string {
  const dir = tempDir('listed-template-');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

interface Finding {
  rule: string;
  severity: string;
  file: string;
  message: string;
}

async function findings(dir: string): Promise<Finding[]> {
  return (JSON.parse((await cliInProcess(['check', dir, '--json', '--allow-empty', '--platform', 'kserve'])).out) as { findings: Finding[] }).findings;
}

const kustomizeFails = (dir: string) => () => execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe' });

/** A Helm-style template: the `{{- include }}` line is no YAML at all. */
const HELM_STYLE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    {{- include "labels" . | nindent 4 }}\ndata:\n  a: b\n';

/** A runtime's lines as written at the left margin, holding KServe's `{{.Name}}` placeholder in an argument. */
const RUNTIME = [
  '---',
  'apiVersion: serving.kserve.io/v1alpha1',
  'kind: ServingRuntime',
  'metadata:',
  '  name: vllm',
  'spec:',
  '  containers:',
  '    - name: kserve-container',
  '      image: quay.io/example/vllm@sha256:' + 'a'.repeat(64),
  '      args:',
  '        - --served-model-name={{.Name}}',
];

/** The same runtime pasted with every line indented, its `---` included: no YAML reader takes it. */
const INDENTED_RUNTIME = RUNTIME.map((l) => `  ${l}`).join('\n') + '\n';

describe('a file with {{ … }} markers that is not valid YAML', () => {
  test('listed by a kustomization: the build fails (kubectl kustomize refuses it), an error, not a template warning', async () => {
    const dir = tree({ 'kustomization.yaml': 'resources:\n- settings.yaml\n', 'settings.yaml': HELM_STYLE });
    expect(kustomizeFails(dir)).toThrow();
    const listed = (await findings(dir)).filter((f) => f.file.endsWith('settings.yaml'));
    expect(listed.map((f) => [f.rule, f.severity])).toEqual([['unreadable-input', 'error']]);
    expect(listed[0].message).toMatch(/^document 1 is not valid YAML \(line 6: .*\) and holds \{\{ … \}\} markers: kustomize renders no templates/);
  });

  test('read loose (no kustomization lists it): a template someone renders first, only not read', async () => {
    const dir = tree({ 'settings.yaml': HELM_STYLE });
    const loose = (await findings(dir)).filter((f) => f.file.endsWith('settings.yaml'));
    expect(loose.map((f) => [f.rule, f.severity])).toEqual([['input-not-followed', 'warning']]);
    expect(loose[0].message).toMatch(/^document 1 is a template \(\{\{ … \}\} markers\), not a manifest: not read/);
  });

  test("KServe's {{.Name}} placeholder marks no template: the broken file is unreadable loose, and fails the build listed", async () => {
    const listed = tree({ 'kustomization.yaml': 'resources:\n- runtime.yaml\n', 'runtime.yaml': INDENTED_RUNTIME });
    expect(kustomizeFails(listed)).toThrow();
    const built = (await findings(listed)).filter((f) => f.file.endsWith('runtime.yaml'));
    expect(built.map((f) => [f.rule, f.severity])).toEqual([['kustomize-build-fails', 'error']]);
    expect(built[0].message).toMatch(
      /^document 1 is not valid YAML at line \d+, column \d+ \(.*\): kustomize reads every resource as YAML and refuses the build/,
    );
    const loose = tree({ 'runtime.yaml': INDENTED_RUNTIME });
    const got = (await findings(loose)).filter((f) => f.file.endsWith('runtime.yaml'));
    expect(got.map((f) => [f.rule, f.severity])).toEqual([['unreadable-input', 'error']]);
    expect(got[0].message).toMatch(/^document 1 is not valid YAML: /);
  });

  test('near miss: a listed file whose markers are quoted parses, and kustomize builds it', async () => {
    const dir = tree({
      'kustomization.yaml': 'resources:\n- runtime.yaml\n',
      'runtime.yaml': RUNTIME.join('\n') + '\n',
    });
    expect(kustomizeFails(dir)).not.toThrow();
    expect((await findings(dir)).filter((f) => ['unreadable-input', 'input-not-followed'].includes(f.rule))).toEqual([]);
  });

  /** Alert rules whose `expr:` line is indented one column past its `alert:`; the markers sit in a block scalar, where they break nothing. */
  const MISINDENTED_RULES = [
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    '  name: serving-alerts',
    'spec:',
    '  groups:',
    '    - name: serving',
    '      rules:',
    '        - alert: QueueBacklog',
    '           expr: vllm:num_requests_waiting > 20',
    '          for: 5m',
    '          annotations:',
    '            description: |',
    '              {{ $value }} requests wait in {{ $labels.namespace }}.',
  ].join('\n');

  test('markers that are not the cause: the message names the YAML at the failing line, not a template, listed or loose', async () => {
    const listed = tree({ 'kustomization.yaml': 'resources:\n- rules.yaml\n', 'rules.yaml': MISINDENTED_RULES + '\n' });
    expect(kustomizeFails(listed)).toThrow();
    const built = (await findings(listed)).filter((f) => f.file.endsWith('rules.yaml'));
    expect(built.map((f) => [f.rule, f.severity])).toEqual([['unreadable-input', 'error']]);
    expect(built[0].message).toMatch(
      /^document 1 is not valid YAML \(line 9: .*\), and not for its \{\{ … \}\} markers: with them blanked out it fails at the same line, so the cause is the YAML there \(an indentation or structure error\), not a template; .*fix the YAML at line 9$/,
    );
    const loose = (await findings(tree({ 'rules.yaml': MISINDENTED_RULES + '\n' }))).filter((f) => f.file.endsWith('rules.yaml'));
    expect(loose.map((f) => f.message)).toEqual([
      expect.stringMatching(/^document 1 is not valid YAML, and not for its \{\{ … \}\} markers: .*fix the YAML there \(as YAML it fails at line 9: /),
    ]);
    // the same rules indented right parse, markers and all
    const fixed = tree({
      'kustomization.yaml': 'resources:\n- rules.yaml\n',
      'rules.yaml': MISINDENTED_RULES.replace('           expr', '          expr') + '\n',
    });
    expect(kustomizeFails(fixed)).not.toThrow();
    expect((await findings(fixed)).filter((f) => ['unreadable-input', 'input-not-followed'].includes(f.rule))).toEqual([]);
  });
});
