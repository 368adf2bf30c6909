import { execFileSync } from 'child_process';
import * as path from 'path';
import { readManifests } from '../../lib';
import { kubectlBinary } from '../setup/kubectl';
import { writeTree } from '../setup/scratch';

/**
 * Empty kustomizations: kustomize refuses to build one ("kustomization.yaml is empty"), which is an error only when
 * something of the input builds it; a placeholder nothing builds is a note. And documents with a kind but no apiVersion.
 */

const EMPTY = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# resources:\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: real\ndata:\n  k: v\n';
const TREE = {
  'components/kustomization.yaml': 'resources:\n  - serving\n',
  'components/serving/kustomization.yaml': 'resources: [cm.yaml]\n',
  'components/serving/cm.yaml': CM,
  'components/feast/kustomization.yaml': EMPTY,
};
const APP = (p: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: feast\n  namespace: openshift-gitops\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/example/ai.git\n    path: ${p}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ai\n`;

/** The findings about components/feast: [severity, message]. */
function feast(tree: string, paths = [tree]): [string, string][] {
  return readManifests(paths)
    .errors.filter((e) => e.file.endsWith(path.join('feast', 'kustomization.yaml')))
    .map((e) => [e.severity, e.message]);
}

describe('empty kustomizations', () => {
  test('kubectl refuses to build the empty one (the premise)', () => {
    const tree = writeTree('placeholder-', TREE);
    expect(() => execFileSync(kubectlBinary(), ['kustomize', path.join(tree, 'components/feast')], { stdio: 'pipe' })).toThrow(/kustomization.yaml is empty/);
  });

  test('one that nothing builds is a note', () => {
    expect(feast(writeTree('placeholder-', TREE))).toEqual([
      [
        'info',
        'is a placeholder kustomization: kustomize refuses to build it ("kustomization.yaml is empty"); nothing in the input builds it (no kustomization lists it, no Application path or script names it)',
      ],
    ]);
  });

  test('one a parent lists is an error', () => {
    const tree = writeTree('placeholder-', { ...TREE, 'components/kustomization.yaml': 'resources:\n  - serving\n  - feast\n' });
    expect(feast(tree)).toEqual([['error', 'is empty (it sets nothing but apiVersion and kind): kustomize refuses it ("kustomization.yaml is empty")']]);
  });

  test('the folder checked itself is an error', () => {
    const tree = writeTree('placeholder-', TREE);
    expect(feast(tree, [path.join(tree, 'components/feast')])).toEqual([['error', expect.stringMatching(/^is empty .*kustomize refuses it/)]]);
  });

  test.each([
    [
      'an Application path (from the repository root)',
      { 'apps/feast.yaml': APP('platform/components/feast') },
      'Application feast (path platform/components/feast) builds it',
    ],
    ['a script', { 'deploy.sh': '#!/bin/sh\nset -e\noc apply -k components/feast\n' }, 'deploy.sh:3 (oc apply -k components/feast) builds it'],
    [
      'a Makefile with a variable folder',
      { Makefile: 'deploy:\n\tkustomize build components/$(COMPONENT) | kubectl apply -f -\n' },
      'Makefile:2 (kustomize build components/$(COMPONENT)) builds it',
    ],
  ])('one that %s builds is an error naming it', (_, extra, says) => {
    const tree = writeTree('placeholder-', { ...TREE, ...extra });
    expect(feast(tree)).toEqual([
      ['error', expect.stringContaining(`kustomize refuses it ("kustomization.yaml is empty"), and ${says}; give it resources, or stop building it`)],
    ]);
  });

  test('an Application or a script building another folder leaves it a note', () => {
    const tree = writeTree('placeholder-', { ...TREE, 'apps/serving.yaml': APP('components/serving'), 'deploy.sh': 'kubectl apply -k components/serving/\n' });
    expect(feast(tree).map(([severity]) => severity)).toEqual(['info']);
  });
});

describe('a document with a kind but no apiVersion', () => {
  test('in a folder no root delivers: skipped, naming the key that was meant', () => {
    const tree = writeTree('no-api-', {
      'dsc.yaml': 'piVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'other.yaml': 'kind: ConfigMap\nmetadata:\n  name: b\n',
      // the tree delivers through this kustomization, which lists neither file
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    expect(
      readManifests([tree])
        .errors.map((e) => [path.basename(e.file), e.severity, e.message])
        .sort(),
    ).toEqual([
      [
        'dsc.yaml',
        'warning',
        'document 1 (a ConfigMap) has no apiVersion (did you mean apiVersion for piVersion?): skipped; kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion',
      ],
      [
        'other.yaml',
        'warning',
        'document 1 (a ConfigMap) has no apiVersion: skipped; kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion',
      ],
    ]);
  });

  test('in a kustomization: kustomize builds it (as kubectl kustomize does), the apply refuses it', () => {
    const tree = writeTree('no-api-', {
      'kustomization.yaml': 'resources: [cr.yaml]\n',
      'cr.yaml': 'clusterapiVersion: operator.openshift.io/v1alpha1\nkind: CertManager\nmetadata:\n  name: cluster\n',
    });
    expect(execFileSync(kubectlBinary(), ['kustomize', tree], { encoding: 'utf8' })).toContain('kind: CertManager');
    expect(readManifests([tree]).errors).toEqual([
      {
        file: path.join(tree, 'cr.yaml'),
        line: 1,
        severity: 'error',
        message: `document 1 (a CertManager) has no apiVersion (did you mean apiVersion for clusterapiVersion?): kustomize builds it into ${tree}, but kubectl and the API server refuse it ("apiVersion not set"); write the key apiVersion`,
      },
    ]);
  });
});

// A `kubectl get -o yaml` dump whose `kind: List` was lost: kubectl's client-side validation refuses a document without
// a kind ("error validating data: kind not set", k8s.io/kubectl pkg/validation), kustomize too ("missing kind in object").
describe('a list with apiVersion and items but no kind', () => {
  const dump = 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings, namespace: app}\n  data: {mode: fast}\n';
  const kinds = (tree: string) =>
    readManifests([tree]).manifests.map((m) => {
      const o = m.manifest as { kind?: string; metadata?: { name?: string } };
      return `${o.kind}/${o.metadata?.name}`;
    });

  test('applied as files (no kustomization, chart or Application): an error, its items still read', () => {
    const tree = writeTree('kindless-', { 'dump.yaml': dump });
    expect(readManifests([tree]).errors.map((e) => [path.basename(e.file), e.severity, e.message])).toEqual([
      [
        'dump.yaml',
        'error',
        'document 1 (a list of 1 item) has no kind: the input has no kustomization, chart or Argo CD Application, so its files are applied as they are (kubectl apply -f), and kubectl refuses it ("error validating data: kind not set"), as kustomize does ("missing kind in object"); write kind: List',
      ],
    ]);
    expect(kinds(tree)).toEqual(['ConfigMap/settings']);
  });

  test('a resource of a kustomization: kustomize refuses the build', () => {
    const tree = writeTree('kindless-', { 'kustomization.yaml': 'resources: [dump.yaml]\n', 'dump.yaml': dump });
    expect(() => execFileSync(kubectlBinary(), ['kustomize', tree], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/missing kind/);
    expect(readManifests([tree]).errors.map((e) => [path.basename(e.file), e.severity, e.message])).toEqual([
      [
        'dump.yaml',
        'error',
        `document 1 (a list of 1 item) has no kind: kustomize refuses it as a resource of ${tree} ("missing kind in object"); write kind: List`,
      ],
    ]);
  });

  test('beside a kustomization the tree delivers: an error where the README applies the file, a warning where nothing does', () => {
    const files = {
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'extra/dump.yaml': dump,
    };
    const applied = writeTree('kindless-', { ...files, 'README.md': '# Setup\n\n```bash\noc apply -k app\noc apply -f extra/dump.yaml\n```\n' });
    expect(readManifests([applied]).errors.map((e) => [path.basename(e.file), e.severity, e.message])).toEqual([
      [
        'dump.yaml',
        'error',
        'document 1 (a list of 1 item) has no kind: README.md (line 5) applies it (oc apply -f extra/dump.yaml), and kubectl refuses it ("error validating data: kind not set"), as kustomize does ("missing kind in object"); write kind: List',
      ],
    ]);
    const alone = writeTree('kindless-', files);
    expect(readManifests([alone]).errors.map((e) => [path.basename(e.file), e.severity])).toEqual([['dump.yaml', 'warning']]);
    expect(kinds(alone)).toContain('ConfigMap/settings');
  });
});
