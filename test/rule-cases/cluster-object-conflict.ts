import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * cluster-object-conflict and files that are only removed: a tear-down list (`oc delete -f uninstall/`) declares the
 * install's namespaces again, without their labels. It is no second owner of them unless something applies it.
 */
describe('cluster-object-conflict: files a script deletes, tear-down folders', () => {
  const INSTALL_NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: model-serving\n  labels:\n    opendatahub.io/dashboard: "true"\n';
  const BARE_NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: model-serving\n';

  function conflicts(files: Record<string, string>): string[] {
    const dir = writeTree('cluster-deleted-', { 'install/namespace.yaml': INSTALL_NS, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['cluster-object-conflict'], ...read }).map((f) => `${f.severity} ${f.file}`);
  }

  test.each([
    ['a file in uninstall/, with no script', { 'uninstall/namespaces.yaml': BARE_NS }],
    ['a file in cleanup/ below another folder', { 'steps/cleanup/namespaces.yaml': BARE_NS }],
    ['a file a script deletes, in any folder', { 'extra/namespaces.yaml': BARE_NS, 'remove.sh': '#!/bin/sh\noc delete -f extra/namespaces.yaml\n' }],
    [
      "a folder a README's clean-up step deletes",
      {
        'extra/namespaces.yaml': BARE_NS,
        'README.md': '# Demo\n\n```bash\noc apply -f install/\n```\n\nClean up:\n\n```bash\nkubectl delete -f extra/ --ignore-not-found\n```\n',
      },
    ],
  ])('%s: no second owner, silent', (_, files) => {
    expect(conflicts(files)).toEqual([]);
  });

  test.each([
    ['a script applies the uninstall folder too', { 'uninstall/namespaces.yaml': BARE_NS, 'setup.sh': '#!/bin/sh\noc apply -f uninstall/\n' }],
    [
      'a script deletes the file and applies it again (a reinstall)',
      { 'extra/namespaces.yaml': BARE_NS, 'reset.sh': '#!/bin/sh\noc delete -f extra/namespaces.yaml\noc apply -f extra/namespaces.yaml\n' },
    ],
    ['a folder named restore/ (applied to put things back)', { 'restore/namespaces.yaml': BARE_NS }],
    ['a file named uninstall.yaml outside such a folder', { 'extra/uninstall.yaml': BARE_NS }],
  ])('near miss, %s: the warning stays', (_, files) => {
    expect(conflicts(files)).toEqual([expect.stringMatching(/^warning .*namespaces?\.yaml$|^warning .*uninstall\.yaml$/)]);
  });

  test('an Argo CD Application that syncs the uninstall folder delivers it: the warning stays', () => {
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: teardown\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
      '  source:\n    repoURL: https://example.com/repo.git\n    path: uninstall\n  destination:\n    server: https://kubernetes.default.svc\n';
    expect(conflicts({ 'uninstall/namespaces.yaml': BARE_NS, 'apps/teardown.yaml': app }).map((f) => f.split(' ')[0])).toEqual(['warning']);
  });
});
