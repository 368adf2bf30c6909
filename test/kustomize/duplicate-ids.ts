import * as path from 'path';
import { readManifests } from '../../lib';
import { casesAhead } from '../setup/kustomize-build';
import { writeTree } from '../setup/scratch';

/**
 * Two objects with one id in one kustomize build, against kustomize v5 (kubectl kustomize): the reader refuses the
 * build exactly when kubectl does (kyaml/resid ResId.Equals on the current ids, compared when objects join an
 * accumulator and after each kustomization's own steps), keeps the first copy, and quotes kustomize's words. The
 * component cases follow kustomize's api/krusty/component_test.go ("components-cannot-add-the-same-resource",
 * "components-cannot-add-bases-containing-the-same-resource"), the overlay ones api/krusty/diamondcomposition_test.go.
 */

type Files = Record<string, string>;

const CM = (name: string, namespace?: string, value = 'v') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  k: "${value}"\n`;
const PROFILE = (name: string, cpu: number) =>
  `apiVersion: infrastructure.opendatahub.io/v1\nkind: HardwareProfile\nmetadata:\n  name: ${name}\n  namespace: redhat-ods-applications\nspec:\n  identifiers:\n  - {identifier: cpu, displayName: CPU, defaultCount: ${cpu}, minCount: 1, maxCount: 8, resourceType: CPU}\n`;
const COMPONENT = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n${resources.map((r) => `- ${r}\n`).join('')}`;
const RENAME = (from: string, to: string) =>
  `patches:\n- target: {kind: ConfigMap, name: ${from}}\n  patch: |\n    - op: replace\n      path: /metadata/name\n      value: ${to}\n`;
const FLAVOR = (version: string, namespace?: string) =>
  `apiVersion: kueue.x-k8s.io/${version}\nkind: ResourceFlavor\nmetadata:\n  name: gpu\n${namespace ? `  namespace: ${namespace}\n` : ''}`;
const ROLE = (namespace?: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n${namespace ? `  namespace: ${namespace}\n` : ''}rules: []\n`;

/** [case, files, what the reader says when kustomize refuses (undefined: both build), kustomize's own words] */
const CASES: [string, Files, RegExp | undefined, RegExp | undefined][] = [
  [
    'two files of one kustomization declare one ConfigMap',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': CM('c', undefined, '1'), 'b.yaml': CM('c', undefined, '2') },
    /'b.yaml' adds ConfigMap 'c' again \(.*b.yaml\), which .*a.yaml already added/,
    /already registered id/,
  ],
  [
    'two documents of one file',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': `${CM('c', undefined, '1')}---\n${CM('c', undefined, '2')}` },
    /'a.yaml' adds ConfigMap 'c' again \(.*a.yaml:8\)/,
    /already registered id/,
  ],
  [
    'two Components declare one HardwareProfile',
    {
      'kustomization.yaml': 'components:\n- notebooks\n- serving\n',
      'notebooks/kustomization.yaml': COMPONENT('profile.yaml'),
      'notebooks/profile.yaml': PROFILE('small', 1),
      'serving/kustomization.yaml': COMPONENT('profile.yaml'),
      'serving/profile.yaml': PROFILE('small', 2),
    },
    /'profile.yaml' adds HardwareProfile 'small' in namespace 'redhat-ods-applications' again .*serving\/profile.yaml.*which .*notebooks\/profile.yaml already added/,
    /already registered id/,
  ],
  [
    'one Component declares the id a resource of the including kustomization has',
    {
      'kustomization.yaml': 'resources:\n- a.yaml\ncomponents:\n- extra\n',
      'a.yaml': CM('c'),
      'extra/kustomization.yaml': COMPONENT('c.yaml'),
      'extra/c.yaml': CM('c'),
    },
    /'c.yaml' adds ConfigMap 'c' again/,
    /already registered id/,
  ],
  [
    'two Components include bases holding one id',
    {
      'kustomization.yaml': 'components:\n- comp-a\n- comp-b\n',
      'comp-a/kustomization.yaml': COMPONENT('../base-a'),
      'comp-b/kustomization.yaml': COMPONENT('../base-b'),
      'base-a/kustomization.yaml': 'resources:\n- proxy.yaml\n',
      'base-a/proxy.yaml': CM('proxy'),
      'base-b/kustomization.yaml': 'resources:\n- proxy.yaml\n',
      'base-b/proxy.yaml': CM('proxy'),
    },
    /'..\/base-b' adds ConfigMap 'proxy' again/,
    /already registered id/,
  ],
  [
    'three copies in one kustomization: one finding naming both later copies',
    {
      'kustomization.yaml': 'resources:\n- large.yaml\n- medium.yaml\n- small.yaml\n',
      'large.yaml': PROFILE('small', 4),
      'medium.yaml': PROFILE('small', 2),
      'small.yaml': PROFILE('small', 1),
    },
    /'medium.yaml' and 'small.yaml' add HardwareProfile 'small' .* again \(.*medium.yaml, .*small.yaml\), which .*large.yaml already added/,
    /already registered id/,
  ],
  [
    'a ConfigMap with no namespace and one in namespace default',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': CM('c'), 'b.yaml': CM('c', 'default') },
    /'b.yaml' adds ConfigMap 'c' again \(.*b.yaml\), which .*a.yaml already added/,
    /already registered id/,
  ],
  [
    'a ClusterRole with a stray namespace: kustomize knows the type is cluster-scoped and ignores it',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': ROLE('x'), 'b.yaml': ROLE() },
    /'b.yaml' adds ClusterRole 'reader' again/,
    /already registered id/,
  ],
  [
    'two bases that each put the ConfigMap in their own namespace, and an overlay that moves both into one',
    {
      'kustomization.yaml': 'namespace: z\nresources:\n- a\n- b\n',
      'a/kustomization.yaml': 'namespace: a\nresources:\n- c.yaml\n',
      'a/c.yaml': CM('c', undefined, 'a'),
      'b/kustomization.yaml': 'namespace: b\nresources:\n- c.yaml\n',
      'b/c.yaml': CM('c', undefined, 'b'),
    },
    /namespace 'z' puts ConfigMap 'c' of namespaces 'a' and 'b' .* under one id: .*"namespace transformation produces ID conflict"/,
    /namespace transformation produces ID conflict/,
  ],
  [
    "a Component's patch renames an object onto another's id",
    {
      'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\ncomponents:\n- rename\n',
      'a.yaml': CM('c'),
      'b.yaml': CM('d'),
      'rename/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${RENAME('d', 'c')}`,
    },
    /its patches and transformers leave two objects with one id, ConfigMap 'c'/,
    /already registered id/,
  ],
  [
    "a base's patch renames an object onto another's id",
    {
      'kustomization.yaml': 'resources:\n- base\n',
      'base/kustomization.yaml': `resources:\n- a.yaml\n- b.yaml\n${RENAME('d', 'c')}`,
      'base/a.yaml': CM('c'),
      'base/b.yaml': CM('d'),
    },
    /its patches and transformers leave two objects with one id/,
    /already registered id/,
  ],
  // near misses: kustomize builds each
  [
    'near miss: two bases put one ConfigMap name in two namespaces',
    {
      'kustomization.yaml': 'resources:\n- a\n- b\n',
      'a/kustomization.yaml': 'namespace: a\nresources:\n- c.yaml\n',
      'a/c.yaml': CM('c'),
      'b/kustomization.yaml': 'namespace: b\nresources:\n- c.yaml\n',
      'b/c.yaml': CM('c'),
    },
    undefined,
    undefined,
  ],
  [
    'near miss: two bases rename theirs with a namePrefix each',
    {
      'kustomization.yaml': 'resources:\n- a\n- b\n',
      'a/kustomization.yaml': 'namePrefix: a-\nresources:\n- c.yaml\n',
      'a/c.yaml': CM('c'),
      'b/kustomization.yaml': 'namePrefix: b-\nresources:\n- c.yaml\n',
      'b/c.yaml': CM('c'),
    },
    undefined,
    undefined,
  ],
  [
    'near miss: two Components with profiles of their own names',
    {
      'kustomization.yaml': 'components:\n- notebooks\n- serving\n',
      'notebooks/kustomization.yaml': COMPONENT('profile.yaml'),
      'notebooks/profile.yaml': PROFILE('small', 1),
      'serving/kustomization.yaml': COMPONENT('profile.yaml'),
      'serving/profile.yaml': PROFILE('serving-small', 2),
    },
    undefined,
    undefined,
  ],
  [
    'near miss: one kind in two versions is two ids to kustomize',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': FLAVOR('v1beta1'), 'b.yaml': FLAVOR('v1beta2') },
    undefined,
    undefined,
  ],
  [
    'near miss: a custom resource with a stray namespace counts as namespaced to kustomize',
    { 'kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n', 'a.yaml': FLAVOR('v1beta1', 'x'), 'b.yaml': FLAVOR('v1beta1') },
    undefined,
    undefined,
  ],
  [
    'near miss: a generator with behavior merge edits the ConfigMap a resource declares',
    { 'kustomization.yaml': 'resources:\n- a.yaml\nconfigMapGenerator:\n- name: c\n  behavior: merge\n  literals: [x=1]\n', 'a.yaml': CM('c') },
    undefined,
    undefined,
  ],
  [
    'near miss: a base reached through two overlays that put it in two namespaces',
    {
      'kustomization.yaml': 'resources:\n- o1\n- o2\n',
      'base/kustomization.yaml': 'resources:\n- c.yaml\n',
      'base/c.yaml': CM('c'),
      'o1/kustomization.yaml': 'namespace: o1\nresources:\n- ../base\n',
      'o2/kustomization.yaml': 'namespace: o2\nresources:\n- ../base\n',
    },
    undefined,
    undefined,
  ],
  [
    "near miss: a root's patch renames a copy before the ids meet again",
    {
      'kustomization.yaml': `resources:\n- a.yaml\n- b.yaml\n${RENAME('c', 'e')}`,
      'a.yaml': CM('c'),
      'b.yaml': CM('d'),
    },
    undefined,
    undefined,
  ],
];

describe('two objects with one id in one kustomize build, as kubectl kustomize refuses them', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, files]) => writeTree('duplicate-ids-', files));
  test.each(CASES)('%s', async (name, _files, said, kustomizeSays) => {
    const { dir, run: running } = ahead(name);
    const read = readManifests([dir]);
    const run = await running;
    const refusals = read.errors.filter((e) => e.kind === 'kustomize-build-fails').map((e) => `${e.severity} ${e.message}`);
    if (said === undefined) {
      expect({ builds: run.status === 0, stderr: run.stderr }).toEqual({ builds: true, stderr: '' });
      expect(refusals).toEqual([]);
      return;
    }
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(kustomizeSays!);
    expect(refusals).toEqual([expect.stringMatching(new RegExp(`^error ${said.source}`))]);
    // the first copy is kept and checked; the later ones are not objects of the build
    const ids = read.manifests
      .filter((m) => m.kustomizations?.[0] === dir || m.kustomizations?.[0] === path.resolve(dir))
      .map((m) =>
        JSON.stringify([(m.manifest as any).apiVersion, (m.manifest as any).kind, (m.manifest as any).metadata?.namespace, (m.manifest as any).metadata?.name]),
      );
    expect(ids.length).toBe(new Set(ids).size);
  });
});
