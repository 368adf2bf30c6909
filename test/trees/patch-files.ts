import { readManifests } from '../../lib/manifests/read-manifests';
import { cliInProcess, writeTree } from '../util';

/** A Deployment fragment: only the affinity a Helm-installed controller is patched with, no selector and no containers. */
const FRAGMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: queue-controller, namespace: queue-system}',
  'spec:',
  '  template:',
  '    spec:',
  '      affinity:',
  '        nodeAffinity:',
  '          preferredDuringSchedulingIgnoredDuringExecution:',
  '            - weight: 1',
  '              preference: {matchExpressions: [{key: pool, operator: In, values: [control]}]}',
  '',
].join('\n');
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: queue-system}\ndata: {a: b}\n';

const files = (dir: string, manifests: readonly { file: string }[]) => [...new Set(manifests.map((m) => m.file.slice(dir.length + 1)))].sort();
const notes = (read: ReturnType<typeof readManifests>) => read.errors.filter((e) => /read as a patch/.test(e.message)).map((e) => [e.severity, e.message]);

describe('files of a plain folder that hold patches, not objects to create', () => {
  test.each([
    ['--patch-file F', 'kubectl patch --patch-file ./affinity.yaml deployment queue-controller -n queue-system'],
    ['--patch-file=F', 'kubectl -n queue-system patch deployment queue-controller --patch-file=affinity.yaml'],
    ['-p "$(cat F)"', 'oc patch deployment/queue-controller -n queue-system -p "$(cat affinity.yaml)"'],
    ['a commented step', '# then, by hand:\n# kubectl patch --patch-file affinity.yaml deployment queue-controller'],
  ])('a file a script hands to kubectl patch (%s) is set aside with a note', (_, line) => {
    const dir = writeTree('patch-file-', {
      'install.sh': `helm upgrade --install queue ./chart\n${line}\n`,
      'affinity.yaml': FRAGMENT,
      'settings.yaml': CONFIG,
    });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['settings.yaml']);
    expect(notes(read)).toEqual([
      ['info', expect.stringMatching(/^read as a patch, not as objects to create: .*install\.sh \(line \d\) hands it to kubectl patch/)],
    ]);
  });

  test('a file whose own head comment gives the kubectl patch command, and a patch-named file nothing applies, are set aside', () => {
    const dir = writeTree('patch-file-', {
      'own.yaml': `# kubectl patch --patch-file ./own.yaml deployment queue-controller\n${FRAGMENT}`,
      'patch-gpu.yaml': FRAGMENT,
      'settings.yaml': CONFIG,
    });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['settings.yaml']);
    expect(notes(read).map(([, m]) => m)).toEqual([
      expect.stringMatching(/its own comment hands it to kubectl patch/),
      expect.stringMatching(/its name says patch and no kustomization or script applies it/),
    ]);
  });

  test('a patch-named file that holds whole objects (apiVersion, kind, name, a spec with its images) is read as objects, not a patch', () => {
    const whole = [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata: {name: scorer, namespace: models}',
      'spec:',
      '  predictor:',
      '    model: {modelFormat: {name: sklearn}, storageUri: "gs://bucket/scorer/v1"}',
      '',
    ].join('\n');
    const dir = writeTree('patch-file-', { 'restore-patch.yaml': whole, 'patch-gpu.yaml': FRAGMENT, 'settings.yaml': CONFIG });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['restore-patch.yaml', 'settings.yaml']);
    // near miss: the Deployment fragment (no selector, no containers) stays a patch
    expect(notes(read).map(([, m]) => m)).toEqual([expect.stringMatching(/patch-gpu.yaml|its name says patch/)]);
    // a container named without its image is what a patch writes: still a patch
    const partial = whole.replace('    model:', '    containers: [{name: kserve-container, resources: {limits: {cpu: "2"}}}]\n    model:');
    const dir2 = writeTree('patch-file-', { 'restore-patch.yaml': partial, 'settings.yaml': CONFIG });
    expect(files(dir2, readManifests([dir2]).manifests)).toEqual(['settings.yaml']);
  });

  test('the check gives no field-required-missing error on the patch file', async () => {
    const dir = writeTree('patch-file-', {
      'install.sh': 'kubectl patch --patch-file affinity.yaml deployment queue-controller\n',
      'affinity.yaml': FRAGMENT,
      'settings.yaml': CONFIG,
    });
    const { out } = await cliInProcess(['check', dir, '--json']);
    const rules = (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).not.toContain('field-required-missing');
  });

  test('near miss: a patch-named file a script applies with kubectl apply -f is created, so still checked', async () => {
    const dir = writeTree('patch-file-', { 'install.sh': 'kubectl apply -f patch-gpu.yaml\n', 'patch-gpu.yaml': FRAGMENT });
    expect(files(dir, readManifests([dir]).manifests)).toEqual(['patch-gpu.yaml']);
    const { out } = await cliInProcess(['check', dir, '--json']);
    const rules = (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).toContain('field-required-missing');
  });

  test('near miss: a file both patched and applied by the folder it sits in is created, and checked', () => {
    const dir = writeTree('patch-file-', {
      'install.sh': 'kubectl apply -f .\nkubectl patch --patch-file affinity.yaml deployment queue-controller\n',
      'affinity.yaml': FRAGMENT,
    });
    expect(files(dir, readManifests([dir]).manifests)).toEqual(['affinity.yaml']);
  });
});

describe("files of a plain folder a script gives a tool as the tool's own input", () => {
  const VALUES = '# values of the chart\ncontrollerManager:\n  replicas: 2\nenablePrometheus: false\n';
  const KIND = 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: control-plane\n  - role: worker\n';
  const notes = (read: ReturnType<typeof readManifests>) => read.errors.map((e) => [e.severity, e.file.replace(/.*\//, ''), e.message]);

  test('a Helm values file (helm upgrade --install … -f F) and a kind configuration (through a wrapper function): notes, not warnings, no objects', () => {
    const dir = writeTree('tool-input-', {
      'setup.sh':
        'run() { echo "+ $*"; "$@"; }\nrun kind create cluster --config kind.yaml\nhelm upgrade --install queue oci://example.com/charts/queue --version="1.2.0" -f values.yaml\n',
      'values.yaml': VALUES,
      'kind.yaml': KIND,
      'settings.yaml': CONFIG,
    });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['settings.yaml']);
    expect(notes(read).sort()).toEqual([
      [
        'info',
        'kind.yaml',
        expect.stringMatching(/^read as a kind cluster configuration \(kind create cluster --config\), not as objects to apply: .*setup\.sh \(line 2\)/),
      ],
      ['info', 'values.yaml', expect.stringMatching(/^read as a Helm values file \(helm -f\), not as objects to apply: .*setup\.sh \(line 3\)/)],
    ]);
  });

  test('near miss: a values-like file no command names is still reported as no object; one a script also applies stays read', () => {
    const dir = writeTree('tool-input-', {
      'setup.sh': 'helm install queue ./chart -f values.yaml\nkubectl apply -f kind.yaml\n',
      'other.yaml': VALUES,
      'values.yaml': VALUES,
      'kind.yaml': KIND,
      'settings.yaml': CONFIG,
    });
    const read = readManifests([dir]);
    expect(files(dir, read.manifests)).toEqual(['kind.yaml', 'settings.yaml']);
    expect(notes(read).filter(([, f]) => f === 'other.yaml')).toEqual([['warning', 'other.yaml', expect.stringMatching(/is not a Kubernetes object/)]]);
  });
});
