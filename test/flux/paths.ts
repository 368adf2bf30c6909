import * as path from 'path';
import { substitute, FluxVariable } from '../../lib/manifests/flux-envsubst';
import { gitRepositoryKey } from '../../lib/manifests/flux-followed';
import { readManifests } from '../../lib/manifests/read-manifests';
import { CLAIM_TEMPLATE, fluxApp, fluxKustomization, fluxWorkTree, GIT_REPOSITORY } from '../setup/flux-work-tree';
import { cliInProcess, writeTree } from '../util';

/** A lookup of known values; any other variable unset, or given by a substituteFrom when `from`. */
const vars =
  (known: Record<string, string>, from = false) =>
  (name: string): FluxVariable =>
    name in known ? { value: known[name] } : from ? 'unknown' : 'unset';

describe("Flux's post-build substitution (fluxcd/pkg envsubst, strict mode off)", () => {
  // cases of fluxcd/pkg envsubst/eval_test.go TestExpand and TestExpandStrict
  test.each([
    [{}, 'abcdEFGH28ij', 'abcdEFGH28ij'],
    [{ var01: 'abcdEFGH28ij' }, '${#var01}', '12'],
    [{ var01: 'abcdEFGH28ij' }, '${var01^}', 'AbcdEFGH28ij'],
    [{ var01: 'abcdEFGH28ij' }, '${var01^^}', 'ABCDEFGH28IJ'],
    [{ var01: 'ABCDEFGH28IJ' }, '${var01,}', 'aBCDEFGH28IJ'],
    [{ var01: 'ABCDEFGH28IJ' }, '${var01,,}', 'abcdefgh28ij'],
    [{ var: 'abc' }, '${var=xyz}', 'abc'],
    [{}, '${var=xyz}', 'xyz'],
    [{ default_var: 'foo' }, 'something ${var=${default_var}}', 'something foo'],
    [{ default_var: 'foo1' }, 'foo: ${var=${default_var}-suffix}', 'foo: foo1-suffix'],
    [{ default_var: 'foo1' }, 'foo: ${var=prefix${default_var}-suffix}', 'foo: prefixfoo1-suffix'],
    [{}, '${var:=xyz}', 'xyz'],
    [{ var01: 'abcdEFGH28ij' }, '${var=${var01^^}}', 'ABCDEFGH28IJ'],
    [{ var01: 'abcdEFGH28ij' }, '$${var01}', '${var01}'],
    [{ var01: 'abcdEFGH28ij' }, 'some text ${var01}$${var$${var01}$var01${var01}', 'some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij'],
    [{ default_var: 'foo' }, 'something $${var=${default_var}}', 'something ${var=foo}'],
    [{ foo: '' }, '${foo}', ''],
    [{}, '${missing:-fallback}', 'fallback'],
    [{}, '${missing:=assigned}', 'assigned'],
  ])('%j: %s is %s', (known, input, output) => {
    const r = substitute(input, vars(known));
    expect(r).toEqual({ text: output, complete: true, empty: [], unknown: [] });
  });

  test('a bare $VAR is text: only ${…} is a variable', () => {
    expect(substitute('echo $HOME', vars({ HOME: '/root' })).text).toBe('echo $HOME');
  });

  test('an unset variable without a default: Flux renders it empty; the token is kept and the variable named', () => {
    expect(substitute('${APP}-data', vars({}))).toEqual({ text: '${APP}-data', complete: false, empty: ['APP'], unknown: [] });
  });

  test('a variable a substituteFrom may give: rendered, its value unknown, the token kept', () => {
    expect(substitute('${SIZE:=5Gi}', vars({ APP: 'chat' }, true))).toEqual({ text: '${SIZE:=5Gi}', complete: false, empty: [], unknown: ['SIZE'] });
    expect(substitute('${APP}', vars({ APP: 'chat' }, true)).text).toBe('chat');
  });

  test('`${VAR-x}` (no colon) and `${ VAR}`: Flux refuses them (missing closing brace, unable to parse variable name)', () => {
    expect(substitute('${VAR-x}', vars({})).error).toBe('missing closing brace');
    expect(substitute('${ VAR}', vars({})).error).toBe('unable to parse variable name');
  });
});

/** The objects of a read as `Kind namespace/name`, with their claim size when they are claims. */
function objects(paths: string[]): string[] {
  return readManifests(paths)
    .manifests.map(
      (m) => m.manifest as { kind: string; metadata?: { name?: string; namespace?: string }; spec?: { resources?: { requests?: { storage?: unknown } } } },
    )
    .map(
      (m) =>
        `${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}${m.spec?.resources?.requests?.storage ? ` ${JSON.stringify(m.spec.resources.requests.storage).replace(/"/g, '')}` : ''}`,
    )
    .sort();
}

const CHAT = fluxApp('chat', '  targetNamespace: ai\n  postBuild:\n    substitute: {APP: chat}\n');

describe('Flux Kustomizations followed inside a git work tree', () => {
  test('an app folder checked alone: the path is read from the repository root, the shared template built with the app substituted and moved to targetNamespace', () => {
    const dir = fluxWorkTree({ 'cluster/flux/repository.yaml': GIT_REPOSITORY, ...CLAIM_TEMPLATE, ...CHAT });
    expect(objects([path.join(dir, 'cluster/apps/chat')])).toEqual([
      'Deployment ai/chat',
      'Kustomization flux-system/chat',
      'PersistentVolumeClaim ai/chat 5Gi',
    ]);
  });

  test('a folder of Kustomizations only: their paths outside it are read as the checked tree, each app with its own variables', () => {
    const files = {
      'cluster/flux/repository.yaml': GIT_REPOSITORY,
      'cluster/flux/apps.yaml': fluxKustomization('cluster-apps', './cluster/apps'),
      // the apps' own folders are built by their Kustomizations alone: the kustomization lists only those
      'cluster/apps/kustomization.yaml': 'resources: [chat/ks.yaml, notes/ks.yaml]\n',
      ...CLAIM_TEMPLATE,
      ...CHAT,
      ...fluxApp('notes', '  targetNamespace: docs\n  postBuild:\n    substitute: {APP: notes, VOLUME_SIZE: 1Gi}\n'),
    };
    const dir = fluxWorkTree(files);
    expect(objects([path.join(dir, 'cluster/flux')])).toEqual([
      'Deployment ai/chat',
      'Deployment docs/notes',
      'GitRepository flux-system/home-cluster',
      'Kustomization flux-system/chat',
      'Kustomization flux-system/cluster-apps',
      'Kustomization flux-system/notes',
      'PersistentVolumeClaim ai/chat 5Gi',
      'PersistentVolumeClaim docs/notes 1Gi',
    ]);
  });

  test('a substituteFrom variable is kept as written and said rendered; kustomize.toolkit.fluxcd.io/substitute: disabled leaves the object as written', () => {
    const app = fluxApp('chat', '  postBuild:\n    substitute: {APP: chat}\n    substituteFrom: [{kind: ConfigMap, name: cluster-settings}]\n');
    const claim = CLAIM_TEMPLATE['cluster/templates/volume/claim.yaml'];
    const dir = fluxWorkTree({ ...CLAIM_TEMPLATE, ...app });
    const read = readManifests([path.join(dir, 'cluster/apps/chat')]).manifests.find((m) => (m.manifest as { kind: string }).kind === 'PersistentVolumeClaim');
    expect(read?.fluxSubstitution).toEqual({ by: 'Kustomization flux-system/chat', empty: [], unknown: ['VOLUME_SIZE'] });
    expect(read?.manifest).toMatchObject({ metadata: { name: 'chat' }, spec: { resources: { requests: { storage: '${VOLUME_SIZE:=5Gi}' } } } });
    const off = claim.replace('metadata:\n', 'metadata:\n  annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}\n');
    const dir2 = fluxWorkTree({ ...CLAIM_TEMPLATE, 'cluster/templates/volume/claim.yaml': off, ...app });
    const kept = readManifests([path.join(dir2, 'cluster/apps/chat')]).manifests.find((m) => (m.manifest as { kind: string }).kind === 'PersistentVolumeClaim');
    expect(kept?.fluxSubstitution).toBeUndefined();
    expect(kept?.manifest).toMatchObject({ metadata: { name: '${APP}' } });
  });

  test('a Kustomization not followed gets one note naming it and why: an OCIRepository, another repository, a missing path', () => {
    const other = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: vendor, namespace: flux-system}\nspec: {interval: 1h, url: 'https://git.example.com/vendor/charts.git'}\n`;
    const dir = fluxWorkTree({
      'cluster/flux/repository.yaml': GIT_REPOSITORY,
      'cluster/flux/vendor.yaml': other,
      'cluster/flux/ks.yaml': [
        fluxKustomization('platform', './', '', 'platform', 'OCIRepository'),
        fluxKustomization('vendor', './cluster/flux', '', 'vendor'),
        fluxKustomization('gone', './cluster/nowhere', '', 'flux-system'),
      ].join('---\n'),
    });
    const notes = readManifests([path.join(dir, 'cluster/flux')])
      .errors.filter((e) => e.kind === 'input-not-followed')
      .map((e) => e.message);
    expect(notes).toEqual([
      "Kustomization flux-system/platform is not followed: its source is OCIRepository 'platform', an artifact check does not fetch; what it deploys is not checked",
      "Kustomization flux-system/vendor is not followed: its source GitRepository 'vendor' names https://git.example.com/vendor/charts.git, not this work tree's remote; what it deploys is not checked",
      'Kustomization flux-system/gone is not followed: its spec.path \'./cluster/nowhere\' names no folder of the work tree (kustomize-controller fails "kustomization path not found"); what it deploys is not checked',
    ]);
  });

  const vendor = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: vendor, namespace: flux-system}\nspec: {interval: 1h, url: 'https://git.example.com/vendor/charts.git'}\n`;
  const notFollowed = (files: Record<string, string>) =>
    readManifests([
      path.join(
        fluxWorkTree({ 'cluster/flux/vendor.yaml': vendor, 'platform/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: platform}\n', ...files }),
        'cluster/flux',
      ),
    ])
      .errors.filter((e) => e.kind === 'input-not-followed')
      .map((e) => e.message);

  test.each([
    'ssh://git@git.example.com/lab/home-cluster',
    'ssh://git@git.example.com:22/Lab/Home-Cluster.git',
    'git@git.example.com:lab/home-cluster.git',
    'https://git.example.com/lab/home-cluster/',
  ])("the repository's own GitRepository written as %s (the remote is https://…/home-cluster.git): followed", (url) => {
    const own = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: home, namespace: flux-system}\nspec: {interval: 1h, url: '${url}'}\n`;
    expect(notFollowed({ 'cluster/flux/own.yaml': own, 'cluster/flux/ks.yaml': fluxKustomization('platform', './platform', '', 'home') })).toEqual([]);
  });

  test("a FluxInstance's sync makes the GitRepository: this repository where its url is the remote, another one where it is not", () => {
    const instance = (url: string) =>
      `apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata: {name: flux, namespace: flux-system}\nspec:\n  distribution: {version: 2.x, registry: ghcr.io/fluxcd}\n  sync:\n    kind: GitRepository\n    name: fleet\n    url: ${url}\n    ref: refs/heads/main\n    path: cluster/flux\n`;
    const ks = { 'cluster/flux/ks.yaml': fluxKustomization('platform', './platform', '', 'fleet') };
    expect(notFollowed({ 'cluster/flux/instance.yaml': instance('ssh://git@git.example.com/lab/home-cluster.git'), ...ks })).toEqual([]);
    expect(notFollowed({ 'cluster/flux/instance.yaml': instance('https://git.example.com/lab/other-cluster.git'), ...ks })).toEqual([
      "Kustomization flux-system/platform is not followed: its source GitRepository 'fleet' names https://git.example.com/lab/other-cluster.git, not this work tree's remote; what it deploys is not checked",
    ]);
  });

  test('outside a git work tree: a path that is a folder of the checked folder is followed from it; any other is said not followed', () => {
    const dir = writeTree('flux-copy-', {
      ...CLAIM_TEMPLATE,
      ...CHAT,
      'cluster/apps/other/ks.yaml': fluxKustomization('other', './elsewhere/app', '', 'flux-system'),
    });
    const read = readManifests([dir]);
    expect(read.manifests.map((m) => m.manifest).filter((m) => (m as { kind: string }).kind === 'PersistentVolumeClaim')).toEqual([
      expect.objectContaining({ metadata: { name: 'chat', namespace: 'ai' } }),
    ]);
    expect(read.errors.filter((e) => e.kind === 'input-not-followed' && e.message.startsWith('Kustomization')).map((e) => e.message)).toEqual([
      "Kustomization flux-system/other is not followed: the checked folder is no git work tree and its spec.path './elsewhere/app' names no folder of it, so where the repository's root is is not known; what it deploys is not checked",
    ]);
  });
});

describe('a Flux Kustomization whose path holds itself', () => {
  test('the flux-system Kustomization building its own folder is followed once: each object is read once, not copied again for every copy', () => {
    const dir = fluxWorkTree({
      'clusters/lab/flux-system/gotk-sync.yaml': [GIT_REPOSITORY, fluxKustomization('flux-system', './clusters/lab/flux-system')].join('---\n'),
      'clusters/lab/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml, ../apps.yaml, ../storage.yaml]\n',
      'clusters/lab/apps.yaml': fluxKustomization('apps', './platform/apps'),
      'clusters/lab/storage.yaml': fluxKustomization('storage', './platform/storage'),
      'platform/apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n',
      'platform/storage/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: storage}\n',
    });
    const { manifests } = readManifests([path.join(dir, 'clusters/lab')]);
    const names = manifests.map((m) => `${(m.manifest as { kind: string }).kind}/${(m.manifest as { metadata: { name: string } }).metadata.name}`).sort();
    // apps.yaml and storage.yaml are read twice, as before following: loose files of the checked folder, and in the build of flux-system
    expect(names).toEqual([
      'GitRepository/home-cluster',
      'Kustomization/apps',
      'Kustomization/apps',
      'Kustomization/flux-system',
      'Kustomization/storage',
      'Kustomization/storage',
      'Namespace/apps',
      'Namespace/storage',
    ]);
  });
});

describe('flux-kustomization-invalid from a subfolder of the work tree', () => {
  test("a missing path is read from the repository's root, whatever folder is checked, for the tree's own GitRepository too: an error", async () => {
    const dir = fluxWorkTree({
      'cluster/flux/repository.yaml': GIT_REPOSITORY,
      'cluster/flux/apps.yaml': [fluxKustomization('apps', './cluster/apps/missing'), fluxKustomization('chat', './cluster/apps/chat/app')].join('---\n'),
      ...CLAIM_TEMPLATE,
      ...CHAT,
    });
    const { out } = await cliInProcess(['check', path.join(dir, 'cluster/flux'), '--format', 'json', '--platform', 'kserve']);
    const found = (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings.filter(
      (f) => f.rule === 'flux-kustomization-invalid',
    );
    expect(found.map((f) => [f.severity, f.object, f.message.replace(dir, '<repo>')])).toEqual([
      [
        'error',
        'Kustomization/flux-system/apps',
        "spec.path './cluster/apps/missing' names no folder of the repository (read from the root of the git work tree that holds <repo>/cluster/flux as its folder cluster/flux): " +
          'kustomize-controller fails "kustomization path not found" and applies nothing; point spec.path at a folder of the repository, relative to its root',
      ],
    ]);
  });

  test('a component outside the checked folder is read from the work tree: one the repository holds is no finding, one it lacks an error', async () => {
    const tree = (more: Record<string, string>) =>
      fluxWorkTree({
        'cluster/flux/repository.yaml': GIT_REPOSITORY,
        ...CLAIM_TEMPLATE,
        ...CHAT,
        'cluster/apps/chat/ks.yaml': fluxKustomization('chat', './cluster/apps/chat/app', `  components: [../../../../components/volume]\n`, 'flux-system'),
        ...more,
      });
    const flagged = async (dir: string) => {
      const { out } = await cliInProcess(['check', path.join(dir, 'cluster/apps/chat'), '--format', 'json', '--platform', 'kserve']);
      return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
        .filter((f) => f.rule === 'flux-kustomization-invalid')
        .map((f) => [f.severity, f.message.replace(dir, '<repo>')]);
    };
    const held = tree({ 'components/volume/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' });
    expect(await flagged(held)).toEqual([]);
    // the folder given relative to the working directory, as a user in a clone types it: the component is still found
    const relative = await cliInProcess([
      'check',
      path.relative(process.cwd(), path.join(held, 'cluster/apps/chat')),
      '--format',
      'json',
      '--platform',
      'kserve',
    ]);
    expect((JSON.parse(relative.out) as { findings: { rule: string }[] }).findings.filter((f) => f.rule === 'flux-kustomization-invalid')).toEqual([]);
    expect(await flagged(tree({}))).toEqual([
      [
        'error',
        "spec.components entry '../../../../components/volume' names no folder below path '<repo>/cluster/apps/chat/app': kustomize build fails and Flux applies nothing of this Kustomization; fix the component's path (relative to spec.path) or set spec.ignoreMissingComponents",
      ],
    ]);
  });
});

describe('gitRepositoryKey: one repository however its URL is written', () => {
  test.each([
    ['https://github.com/example-org/lab-cluster.git', 'github.com/example-org/lab-cluster'],
    ['https://GitHub.com/Example-Org/Lab-Cluster/', 'github.com/example-org/lab-cluster'],
    ['ssh://git@github.com/example-org/lab-cluster', 'github.com/example-org/lab-cluster'],
    ['ssh://git@github.com:22/example-org/lab-cluster.git', 'github.com/example-org/lab-cluster'],
    ['git@github.com:example-org/lab-cluster.git', 'github.com/example-org/lab-cluster'],
    ['https://x-access-token:secret@github.com/example-org/lab-cluster', 'github.com/example-org/lab-cluster'],
    ['https://gitlab.example.com/example-org/lab-cluster', 'gitlab.example.com/example-org/lab-cluster'],
  ])('%s is %s', (url, key) => {
    expect(gitRepositoryKey(url)).toBe(key);
  });
});

describe('post-build substitution from a substituteFrom ConfigMap the read holds (a cluster-settings ConfigMap)', () => {
  const files = (value: string) => ({
    'cluster/flux/repository.yaml': GIT_REPOSITORY,
    'cluster/flux/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-settings, namespace: flux-system}\ndata:\n  SHARED_CLASS: ${value}\n`,
    'cluster/flux/classes.yaml': [
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ceph-block}\nprovisioner: rook-ceph.rbd.csi.ceph.com\n',
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ceph-fs}\nprovisioner: rook-ceph.cephfs.csi.ceph.com\n',
    ].join('---\n'),
    'cluster/flux/ks.yaml': fluxKustomization(
      'media',
      './apps/media',
      '  postBuild:\n    substituteFrom:\n      - {kind: ConfigMap, name: cluster-settings}\n',
    ),
    'apps/media/claim.yaml':
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: library, namespace: media}\nspec:\n  accessModes: [ReadWriteMany]\n  storageClassName: ${SHARED_CLASS}\n  resources: {requests: {storage: 50Gi}}\n',
  });
  const claimOf = (dir: string) =>
    readManifests([path.join(dir, 'cluster/flux')]).manifests.find((m) => (m.manifest as { kind: string }).kind === 'PersistentVolumeClaim');
  const findings = async (dir: string) => {
    const { out } = await cliInProcess(['check', path.join(dir, 'cluster/flux'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings
      .filter((f) => f.rule === 'rwx-claim-default-class')
      .map((f) => f.severity);
  };

  test("the variable takes the ConfigMap's value; the RWX claim on the RBD class it names is an error", async () => {
    const dir = fluxWorkTree(files('ceph-block'));
    expect(claimOf(dir)?.manifest).toMatchObject({ spec: { storageClassName: 'ceph-block' } });
    expect(claimOf(dir)?.fluxSubstitution).toEqual({ by: 'Kustomization flux-system/media', empty: [], unknown: [] });
    expect(await findings(dir)).toEqual(['error']);
  });

  test('near misses: the ConfigMap names the CephFS class; no ConfigMap in the read keeps the variable unknown', async () => {
    expect(await findings(fluxWorkTree(files('ceph-fs')))).toEqual([]);
    const { 'cluster/flux/settings.yaml': _gone, ...rest } = files('ceph-block');
    const dir = fluxWorkTree(rest);
    expect(claimOf(dir)?.fluxSubstitution?.unknown).toEqual(['SHARED_CLASS']);
    expect(await findings(dir)).toEqual([]);
  });
});
