import * as path from 'path';
import { readManifests } from '../../lib';
import { kubectlBinary } from '../setup/kubectl';
import { kubectlBuild, writeTree } from '../setup/kustomize-build';
import { cliInProcess } from '../util';

/**
 * A kustomization at the root of the checked folder that kustomize refuses (here: a `resources` entry naming a folder
 * without a kustomization, api/internal/target/kusttarget.go "unable to find one of 'kustomization.yaml'…") delivers
 * nothing: its failure is one finding, and the rest of the folder (a Flux GitRepository and Kustomizations beside it,
 * the kustomize roots they point at, plain files it does not list) is read as in a folder without a root kustomization.
 */

const GIT_REPOSITORY =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: fleet\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/fleet.git\n  ref: {branch: main}\n';
const FLUX = (name: string, p: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef: {kind: GitRepository, name: fleet}\n  path: ${p}\n`;
const CONFIG = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: db\ndata:\n  a: b\n`;

function tree(rootResources: string): string {
  return writeTree(
    {
      'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${rootResources}`,
      // a folder of folders, without a kustomization of its own
      'platform/projects/kustomization.yaml': 'resources:\n  - project.yaml\n',
      'platform/projects/project.yaml': CONFIG('project'),
      'bootstrap/gitrepository.yaml': GIT_REPOSITORY,
      'clusters/db.yaml': FLUX('db', './apps/db'),
      // the file was renamed, the kustomization still lists the old name
      'apps/db/kustomization.yaml': 'resources:\n  - cluster.yaml\n',
      'apps/db/db-cluster.yaml': CONFIG('db-cluster'),
    },
    'refused-root-',
  );
}

const fileOf = (dir: string) => (m: { file: string }) => path.relative(dir, m.file);

describe('a root kustomization that kustomize refuses', () => {
  test('kubectl refuses the root; the reader says so once (a warning: no Flux path builds it) and reads the Flux objects, their paths and the other roots', () => {
    const dir = tree('  - platform\n');
    expect(kubectlBuild(dir)).toEqual({ error: expect.stringMatching(/unable to find one of 'kustomization.yaml'/) });
    const { manifests, errors } = readManifests([dir]);
    const refusals = errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').map(fileOf(dir));
    expect(refusals).toEqual(['apps/db/kustomization.yaml']);
    // the Flux Kustomizations deliver other folders: the root's refusal breaks no sync, a warning that says so
    expect(
      errors
        .filter((e) => fileOf(dir)(e) === 'kustomization.yaml')
        .map((e) => [e.severity, /nothing of the input delivers the checked folder/.test(e.message)]),
    ).toEqual([['warning', true]]);
    const files = new Set(manifests.map(fileOf(dir)));
    expect(files).toEqual(new Set(['bootstrap/gitrepository.yaml', 'clusters/db.yaml', 'apps/db/db-cluster.yaml', 'platform/projects/project.yaml']));
  });

  test('with --kustomize kubectl: the Flux path whose kustomization lists a missing file is found too', async () => {
    const dir = tree('  - platform\n');
    const r = await cliInProcess(['check', dir, '--kustomize', kubectlBinary(), '--json']);
    const findings = JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[];
    const refused = findings.filter((f) => f.rule === 'kustomize-build-fails' && f.severity === 'error');
    expect(refused.map((f) => path.relative(dir, f.object))).toEqual(['apps/db/kustomization.yaml']);
    expect(refused.find((f) => f.object.endsWith('apps/db/kustomization.yaml'))?.message).toMatch(/^lists 'cluster.yaml', which does not exist/);
  });

  test('near miss: a root that builds is the whole input, as kustomize builds it; what it leaves out is not read', () => {
    const dir = tree('  - platform/projects\n');
    expect(kubectlBuild(dir)).toEqual({ objects: [expect.objectContaining({ kind: 'ConfigMap' })] });
    const { manifests, errors } = readManifests([dir]);
    expect(manifests.map(fileOf(dir))).toEqual(['platform/projects/project.yaml']);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
  });
});

describe('a Flux Kustomization kept in a file named kustomization.yaml', () => {
  const files = {
    'bootstrap/gitrepository.yaml': GIT_REPOSITORY,
    'bootstrap/kustomization.yaml': FLUX('apps', './apps/db'),
    'apps/db/kustomization.yaml': 'resources:\n  - db-cluster.yaml\n',
    'apps/db/db-cluster.yaml': CONFIG('db-cluster'),
  };

  test('is read as the Flux object it is: no kustomize refusal, and its path is followed', () => {
    const dir = writeTree(files, 'flux-named-kustomization-');
    const { manifests, errors } = readManifests([dir]);
    expect(errors.filter((e) => e.kind === 'kustomize-build-fails')).toEqual([]);
    expect(manifests.map(fileOf(dir)).sort()).toEqual(['apps/db/db-cluster.yaml', 'bootstrap/gitrepository.yaml', 'bootstrap/kustomization.yaml']);
  });

  test('near miss: a kustomization that lists its folder builds it with kustomize, which refuses it', () => {
    const dir = writeTree({ ...files, 'kustomization.yaml': 'resources:\n  - bootstrap\n' }, 'flux-named-kustomization-listed-');
    expect(kubectlBuild(dir)).toEqual({
      error: expect.stringMatching(/apiVersion for Kustomization should be kustomize.config.k8s.io\/v1beta1|unknown field/),
    });
    const { errors } = readManifests([dir]);
    // said at the severity of an undelivered root (nothing of the input delivers the checked folder): a warning
    expect(errors.filter((e) => e.kind === 'kustomize-build-fails').map(fileOf(dir))).toContain('bootstrap/kustomization.yaml');
  });
});
