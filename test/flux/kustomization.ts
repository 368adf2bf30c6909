import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/**
 * flux-kustomization-invalid: Flux Kustomizations read as kustomize-controller builds them (fluxcd/kustomize-controller
 * kustomization_controller.go "kustomization path not found"; fluxcd/pkg kustomize_generator.go GenerateManifest writes
 * spec.patches, components, targetNamespace and name affixes into the folder's kustomization).
 */
const flux = (name: string, spec: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n${spec}`;
const OWN = '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
const APP = {
  'apps/web/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
  'apps/web/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
  'apps/web/base-sa/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n',
};
const PATCH = (target: string) =>
  `  patches:\n    - patch: |-\n        - op: add\n          path: /metadata/labels/team\n          value: shop\n      target:\n${target}`;

async function findings(files: Record<string, string>, severity?: string): Promise<string[]> {
  const dir = writeTree('flux-', files);
  const { out } = await cliInProcess(['check', dir, '--format', 'json', '--platform', 'rhoai-3.0']);
  const parsed = JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] };
  return parsed.findings
    .filter((f) => f.rule === 'flux-kustomization-invalid' && (!severity || f.severity === severity))
    .map((f) => `${f.object}: ${f.message.replace(dir + path.sep, '')}`);
}

const tree = (spec: string, extra: Record<string, string> = {}) => ({
  ...APP,
  'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\n',
  'clusters/prod/apps.yaml': flux('web', spec),
  ...extra,
});

describe('flux-kustomization-invalid', () => {
  test('a path that is not in a git clone of the repository: kustomization path not found, an error', async () => {
    const f = await findings(tree(`${OWN}  path: ./apps/webshop\n`, { '.git/HEAD': 'ref: refs/heads/main\n' }), 'error');
    expect(f).toEqual([
      expect.stringMatching(
        /^Kustomization\/flux-system\/web: spec.path '.\/apps\/webshop' names no folder of the repository \(read from [^,]*, which holds .git\).*"kustomization path not found"/,
      ),
    ]);
  });

  test('a path not in a checked folder that is no git clone: a warning naming the assumed root, for the folder may be left out of a copy', async () => {
    const files = tree(`${OWN}  path: ./infrastructure/controllers\n`, {
      'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\n  - shop.yaml\n',
      'clusters/prod/shop.yaml': flux('shop', `${OWN}  path: ./apps/web\n`),
    });
    expect(await findings(files, 'error')).toEqual([]);
    expect(await findings(files, 'warning')).toEqual([
      expect.stringMatching(
        /^Kustomization\/flux-system\/web: spec.path '.\/infrastructure\/controllers' is not in the checked input \(read from [^,]*, which holds the first folder of other Flux paths.*may exist in the part of the repository left out\)/,
      ),
    ]);
    // the same tree in a git clone: the folder is missing from the repository
    expect(await findings({ ...files, '.git/HEAD': 'ref: refs/heads/main\n' }, 'error')).toHaveLength(1);
  });

  test('a suspended Kustomization applies nothing: its missing path is a note, not an error', async () => {
    const files = tree(`${OWN}  suspend: true\n  path: ./apps/webshop\n`, { '.git/HEAD': 'ref: refs/heads/main\n' });
    expect(await findings(files, 'error')).toEqual([]);
    expect(await findings(files, 'info')).toEqual([
      expect.stringMatching(/names no folder of the repository .*\(the Kustomization is suspended, spec.suspend: true/),
    ]);
    // suspend: false is reconciled
    expect(await findings(tree(`${OWN}  suspend: false\n  path: ./apps/webshop\n`, { '.git/HEAD': 'ref: refs/heads/main\n' }), 'error')).toHaveLength(1);
  });

  test('a patch whose target the path builds: silent; one that names nothing it builds: a warning naming the target (perhaps kept for an optional part)', async () => {
    expect(await findings(tree(`${OWN}  path: ./apps/web\n${PATCH('        kind: Deployment\n        name: web\n')}`))).toEqual([]);
    const f = await findings(tree(`${OWN}  path: ./apps/web\n${PATCH('        kind: Deployment\n        name: api\n')}`), 'warning');
    expect(f).toEqual([
      "Kustomization/flux-system/web: spec.patches[0] target {kind: Deployment, name: api} selects no object that path 'apps/web' builds: Flux writes spec.patches " +
        'into the kustomization it builds there, and kustomize applies the patch to nothing, without an error; retarget it at an object that path builds, or move it to the Kustomization that deploys the object',
    ]);
  });

  describe("a parent Kustomization's spec.patches give every child Kustomization a default patch of its HelmReleases", () => {
    const HELM_DEFAULT =
      '            - patch: |-\n                apiVersion: helm.toolkit.fluxcd.io/v2\n                kind: HelmRelease\n                metadata: {name: not-used}\n' +
      '                spec:\n                  install: {remediation: {retries: -1}}\n              target: {group: helm.toolkit.fluxcd.io, kind: HelmRelease}\n';
    const parent = (target: string) =>
      flux(
        'cluster-apps',
        `${OWN}  path: ./clusters/apps\n  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n` +
          `        metadata: {name: not-used}\n        spec:\n          patches:\n${HELM_DEFAULT}      target:\n${target}`,
      );
    const children = (child: string, target = '        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n') => ({
      ...APP,
      'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\n',
      'clusters/prod/apps.yaml': parent(target),
      'clusters/apps/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'clusters/apps/web.yaml': flux('web', `${OWN}  path: ./apps/web\n${child}`),
    });
    const HELM_TARGET = "spec.patches[0] target {group: helm.toolkit.fluxcd.io, kind: HelmRelease} selects no object that path 'apps/web' builds";

    test('the default, put in a child whose path builds no HelmRelease: no finding (a blanket default meant for the children that have one)', async () => {
      expect(await findings(children(''))).toEqual([]);
      expect(
        await findings(children('', '        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n        labelSelector: "!no-defaults"\n')),
      ).toEqual([]);
    });

    test("near misses: the same patch written in the child itself, or a parent's patch whose target selects no child: the warning stays", async () => {
      const own = `  patches:\n${HELM_DEFAULT.replace(/^ {10}/gm, '    ')}`;
      const alone = {
        ...APP,
        'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\n',
        'clusters/prod/apps.yaml': flux('web', `${OWN}  path: ./apps/web\n${own}`),
      };
      expect(await findings(alone, 'warning')).toEqual([expect.stringContaining(`Kustomization/flux-system/web: ${HELM_TARGET}`)]);
      // the parent's patch that selects no child is said on the parent, the child's own patch on the child
      expect(await findings(children(own, '        kind: Kustomization\n        name: api\n'), 'warning')).toEqual([
        expect.stringContaining(
          "Kustomization/flux-system/cluster-apps: spec.patches[0] target {kind: Kustomization, name: api} selects no object that path 'clusters/apps' builds",
        ),
        expect.stringContaining(`Kustomization/flux-system/web: ${HELM_TARGET}`),
      ]);
    });
  });

  test('the nearest object is named when the target differs only in group or version: an error (the patch was meant for it)', async () => {
    const [f] = await findings(
      tree(`${OWN}  path: ./apps/web\n${PATCH('        group: apps\n        version: v1beta1\n        kind: Deployment\n        name: web\n')}`),
      'error',
    );
    expect(f).toMatch(/the build's nearest object is Deployment 'web' in namespace 'shop' \(group apps, version v1\)/);
  });

  test('targetNamespace or a name prefix may rename: the target is compared without namespace or name', async () => {
    expect(
      await findings(
        tree(`${OWN}  path: ./apps/web\n  targetNamespace: shop-prod\n${PATCH('        kind: Deployment\n        name: web\n        namespace: shop-prod\n')}`),
      ),
    ).toEqual([]);
    expect(await findings(tree(`${OWN}  path: ./apps/web\n  namePrefix: prod-\n${PATCH('        kind: Deployment\n        name: prod-web\n')}`))).toEqual([]);
    // a kind the path builds nowhere is still nothing
    expect(
      await findings(tree(`${OWN}  path: ./apps/web\n  targetNamespace: shop-prod\n${PATCH('        kind: ServiceAccount\n        name: default\n')}`)),
    ).toHaveLength(1);
  });

  test('a folder without kustomization builds every manifest below it', async () => {
    const files = tree(`${OWN}  path: ./apps/web/base-sa\n${PATCH('        kind: ServiceAccount\n        name: web\n')}`);
    expect(await findings(files)).toEqual([]);
  });

  test('components: a missing folder is an error unless ignoreMissingComponents; a remote one is refused', async () => {
    const f = await findings(tree(`${OWN}  path: ./apps/web\n  components:\n    - ../components/tls\n`));
    expect(f).toEqual([expect.stringMatching(/spec.components entry '..\/components\/tls' names no folder below path/)]);
    expect(await findings(tree(`${OWN}  path: ./apps/web\n  ignoreMissingComponents: true\n  components:\n    - ../components/tls\n`))).toEqual([]);
    const remote = await findings(tree(`${OWN}  path: ./apps/web\n  components:\n    - https://github.com/example/c//tls\n`));
    expect(remote).toEqual([expect.stringMatching(/is not a local relative path: Flux refuses it/)]);
  });

  test('not judged: another GitRepository, a ${var} path, a build with a remote resource, a patch target with a placeholder', async () => {
    expect(await findings(tree('  sourceRef:\n    kind: GitRepository\n    name: platform\n  path: ./deploy/web\n'))).toEqual([]);
    expect(await findings(tree(`${OWN}  path: ./apps/\${cluster}\n`))).toEqual([]);
    const remote = { 'apps/web/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - https://github.com/example/addons//base?ref=v1\n' };
    expect(await findings(tree(`${OWN}  path: ./apps/web\n${PATCH('        kind: ConfigMap\n        name: addons\n')}`, remote))).toEqual([]);
    expect(await findings(tree(`${OWN}  path: ./apps/web\n${PATCH('        kind: Deployment\n        name: ${app_name}\n')}`))).toEqual([]);
  });
});
