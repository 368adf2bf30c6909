import { execFileSync } from 'child_process';
import * as path from 'path';
import { readManifests } from '../../lib';
import { chooseKueue } from '../../lib/check/kueue-version';
import { knownRemoteBase } from '../../lib/manifests/remote-bases';
import { kubectlBinary } from '../setup/kubectl';
import { writeTree } from '../util';

/**
 * Well-known remote kustomize resources the reader does not fetch: what they emit (kubectl kustomize config/default
 * of kubernetes-sigs/kueue v0.11.0 and v0.18.0, of kserve/kserve v0.13.0, v0.15.0 and v0.17.0), the build kustomize
 * refuses when a local object has one of their ids (api/resmap/reswrangler.go Append), and the Kueue release they name.
 */
const KUEUE = 'https://github.com/kubernetes-sigs/kueue/config/default?ref=v0.18.2';
const NS = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: kueue-system\ndata:\n  k: v\n';

describe('the catalogue of remote bases', () => {
  test.each([
    [KUEUE, 'kueue', '0.18'],
    ['github.com/kubernetes-sigs/kueue/config/default?ref=v0.14.1', 'kueue', '0.14'],
    ['git::https://github.com/kubernetes-sigs/kueue.git//config/default?ref=v0.16.0', 'kueue', '0.16'],
    ['git@github.com:kubernetes-sigs/kueue.git//config/default?version=v0.12.3', 'kueue', '0.12'],
    ['https://github.com/kubernetes-sigs/kueue/releases/download/v0.15.2/manifests.yaml', 'kueue', '0.15'],
    ['https://github.com/kubernetes-sigs/kueue/config/default?ref=main', 'kueue', undefined],
    ['https://github.com/kserve/kserve/releases/download/v0.15.2/kserve.yaml', 'kserve', '0.15'],
  ])('%s is %s, release %s', (entry, project, release) => {
    const base = knownRemoteBase(entry);
    expect(base?.project).toBe(project);
    expect(base?.release).toBe(release);
  });

  test('Kueue bases emit Namespace kueue-system and, from 0.11 on, the eleven kueue.x-k8s.io CRDs', () => {
    const objects = knownRemoteBase(KUEUE)!.objects.map((o) => `${o.kind}/${o.name}`);
    expect(objects).toHaveLength(12);
    expect(objects).toEqual(
      expect.arrayContaining([
        'Namespace/kueue-system',
        'CustomResourceDefinition/topologies.kueue.x-k8s.io',
        'CustomResourceDefinition/workloads.kueue.x-k8s.io',
      ]),
    );
    // a branch: only the CRDs every release has had
    expect(knownRemoteBase('github.com/kubernetes-sigs/kueue/config/default?ref=main')!.objects).toHaveLength(7);
  });

  test("KServe's kserve.yaml has the Namespace up to v0.16, not in v0.17", () => {
    const names = (v: string) => knownRemoteBase(`https://github.com/kserve/kserve/releases/download/${v}/kserve.yaml`)!.objects.map((o) => o.name);
    expect(names('v0.15.0')).toContain('kserve');
    expect(names('v0.17.0')).not.toContain('kserve');
    expect(names('v0.17.0')).toContain('inferenceservices.serving.kserve.io');
  });

  test.each([
    'https://github.com/kubernetes-sigs/kueue/config/samples?ref=v0.18.2',
    'https://github.com/kubernetes-sigs/kueue/releases/download/v0.15.2/prometheus.yaml',
    'https://github.com/example/kueue/config/default?ref=v0.18.2',
    'https://github.com/kserve/kserve/releases/download/latest/kserve.yaml',
  ])('%s is not catalogued', (entry) => {
    expect(knownRemoteBase(entry)).toBeUndefined();
  });

  test("KServe's kserve-cluster-resources.yaml creates the ClusterServingRuntimes and no Namespace or CRD; kserve.yaml the controllers", () => {
    expect(knownRemoteBase('https://github.com/kserve/kserve/releases/download/v0.15.2/kserve-cluster-resources.yaml')).toEqual({
      described: "KServe's v0.15.2 kserve-cluster-resources.yaml",
      project: 'kserve',
      release: '0.15',
      objects: [],
      kserve: { controller: false, runtimes: true },
    });
    expect(knownRemoteBase('https://github.com/kserve/kserve/releases/download/v0.15.2/kserve.yaml')?.kserve).toEqual({ controller: true, runtimes: false });
  });
});

describe('a local object a remote base of the same build also emits', () => {
  const refusals = (root: string) =>
    readManifests([root])
      .errors.filter((e) => e.kind === 'kustomize-build-fails')
      .map((e) => [e.severity, path.basename(e.file), e.message]);

  test('beside the remote resource in one kustomization: an error naming both', () => {
    const root = writeTree('remote-clash-', { 'kustomization.yaml': `resources:\n  - namespace.yaml\n  - ${KUEUE}\n`, 'namespace.yaml': NS('kueue-system') });
    expect(refusals(root)).toEqual([
      [
        'error',
        'kustomization.yaml',
        `adds Namespace 'kueue-system' twice: ${path.join(root, 'namespace.yaml')} declares it, and the remote resource '${KUEUE}' (Kueue's config/default at v0.18.2, ` +
          `listed in ${path.join(root, 'kustomization.yaml')}) creates it too: kustomize refuses the build ("may not add resource with an already registered id"), ` +
          'so nothing of this root is applied; drop the local Namespace (the remote resource creates it) or list one of the two only',
      ],
    ]);
  });

  test('the remote resource in a base the root lists, the local Namespace in the root: an error at the root', () => {
    const root = writeTree('remote-clash-', {
      'kustomization.yaml': 'resources:\n  - namespace.yaml\n  - kueue\n',
      'namespace.yaml': NS('kueue-system'),
      'kueue/kustomization.yaml': `resources:\n  - ${KUEUE}\n`,
    });
    expect(refusals(root).map(([s, f]) => [s, f])).toEqual([['error', 'kustomization.yaml']]);
  });

  test('a local CRD the remote base ships: an error', () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: clusterqueues.kueue.x-k8s.io\n';
    const root = writeTree('remote-clash-', { 'kustomization.yaml': `resources:\n  - ${KUEUE}\n  - crd.yaml\n`, 'crd.yaml': crd });
    expect(refusals(root)[0][2]).toMatch(/^adds CustomResourceDefinition 'clusterqueues.kueue.x-k8s.io' twice/);
  });

  test('near misses: another namespace, objects inside kueue-system, an unknown remote, a base whose namespace renames the remote Namespace', () => {
    const quiet = (files: Record<string, string>) => expect(refusals(writeTree('remote-clash-', files))).toEqual([]);
    quiet({ 'kustomization.yaml': `resources:\n  - namespace.yaml\n  - ${KUEUE}\n`, 'namespace.yaml': NS('team-a') });
    quiet({ 'kustomization.yaml': `resources:\n  - cm.yaml\n  - ${KUEUE}\n`, 'cm.yaml': CM });
    quiet({
      'kustomization.yaml': 'resources:\n  - namespace.yaml\n  - https://github.com/example/kueue-fork/config/default?ref=v1\n',
      'namespace.yaml': NS('kueue-system'),
    });
    quiet({
      'kustomization.yaml': 'resources:\n  - namespace.yaml\n  - kueue\n',
      'namespace.yaml': NS('kueue-system'),
      'kueue/kustomization.yaml': `namespace: queues\nresources:\n  - ${KUEUE}\n`,
    });
  });

  test('kustomize itself, with a local stand-in for the remote base (its Namespace `system`, namespace kueue-system, namePrefix kueue-), refuses the same build', () => {
    const root = writeTree('remote-standin-', {
      'kustomization.yaml': 'resources:\n  - namespace.yaml\n  - kueue\n',
      'namespace.yaml': NS('kueue-system'),
      'kueue/kustomization.yaml': 'namespace: kueue-system\nnamePrefix: kueue-\nresources:\n  - ns.yaml\n',
      'kueue/ns.yaml': NS('system'),
    });
    expect(() => execFileSync(kubectlBinary(), ['kustomize', root], { stdio: 'pipe' })).toThrow(/may not add resource with an already registered id/);
    // and the stand-in's folder alone gives the Namespace the catalogue names
    expect(execFileSync(kubectlBinary(), ['kustomize', path.join(root, 'kueue')]).toString()).toMatch(/name: kueue-system/);
  });
});

describe('the Kueue release a remote base names', () => {
  const listed = (entry: string) => ({ file: 'cluster/kustomization.yaml', entry, base: knownRemoteBase(entry)! });

  test('Kueue config/default at v0.18.2 is evidence of Kueue 0.18', () => {
    const k = chooseKueue([], 'rhoai-3.0', { remotes: [listed(KUEUE)] });
    expect([k.release, k.source]).toEqual(['0.18', 'tree']);
    expect(k.reason).toBe(`cluster/kustomization.yaml lists '${KUEUE}' (Kueue's config/default at v0.18.2, Kueue 0.18)`);
  });

  test('a Subscription of the Red Hat build, and a stated version, come first; a branch or two releases say nothing', () => {
    const sub = {
      apiVersion: 'operators.coreos.com/v1alpha1',
      kind: 'Subscription',
      metadata: { name: 'kueue-operator', namespace: 'openshift-kueue-operator' },
      spec: { name: 'kueue-operator', channel: 'stable-v1.3', source: 'redhat-operators' },
    };
    expect(chooseKueue([{ manifest: sub }], 'rhoai-3.0', { remotes: [listed(KUEUE)] }).release).toBe('0.16');
    expect(chooseKueue([], 'rhoai-3.0', { remotes: [listed(KUEUE)], setting: { version: '0.14', source: 'flag' } }).release).toBe('0.14');
    expect(chooseKueue([], 'rhoai-3.0', { remotes: [listed('github.com/kubernetes-sigs/kueue/config/default?ref=main')] }).source).toBe('default');
    const two = [listed(KUEUE), listed('https://github.com/kubernetes-sigs/kueue/releases/download/v0.15.2/manifests.yaml')];
    expect(chooseKueue([], 'rhoai-3.0', { remotes: two }).source).toBe('default');
  });
});
