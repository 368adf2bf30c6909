import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/** model-registry-user-role-mismatch: a registry user role whose services resourceNames name no ModelRegistry of the tree. */
const registry = (name: string, ns = 'registries') =>
  `apiVersion: modelregistry.opendatahub.io/v1beta1\nkind: ModelRegistry\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  rest: {}\n`;
const role = (kind: string, name: string, names: string, ns = 'registries') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${kind === 'Role' ? `  namespace: ${ns}\n` : ''}` +
  `rules:\n- apiGroups: [""]\n  resources: [services]\n  resourceNames: [${names}]\n  verbs: [get]\n`;

function found(...docs: string[]): [string, string, string][] {
  const root = writeTree('registry-user-', { 'tree/all.yaml': docs.join('---\n') });
  const read = readManifests([path.join(root, 'tree')]);
  return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['model-registry-user-role-mismatch'], ...read }).map((f) => [
    f.severity,
    f.object,
    f.message,
  ]);
}

describe('model-registry-user-role-mismatch', () => {
  test("a ClusterRole registry-user-… on another name than the tree's ModelRegistry: a warning naming both and the 403", () => {
    const [f, ...rest] = found(registry('team-registry'), role('ClusterRole', 'team-registry-user-registry', 'registry'));
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('ClusterRole/team-registry-user-registry');
    expect(f[2]).toMatch(/grants get on services 'registry', but the tree's ModelRegistry is 'team-registry'.*403.*set resourceNames to 'team-registry'/);
  });

  test('a Role in the registry namespace told by its instance label', () => {
    const labelled = role('Role', 'readers', 'old').replace(
      '  name: readers\n',
      '  name: readers\n  labels:\n    app.kubernetes.io/instance: registry-user-old\n',
    );
    expect(found(registry('team-registry'), labelled)).toHaveLength(1);
  });

  test('near misses: the right name, a Role whose namespace holds no registry, no registry in the tree, a role that is no registry user role', () => {
    expect(found(registry('team-registry'), role('ClusterRole', 'registry-user-team-registry', 'team-registry'))).toEqual([]);
    expect(found(registry('team-registry', 'elsewhere'), role('Role', 'registry-user-x', 'x'))).toEqual([]);
    expect(found(role('ClusterRole', 'registry-user-registry', 'registry'))).toEqual([]);
    expect(found(registry('team-registry'), role('ClusterRole', 'service-reader', 'registry'))).toEqual([]);
  });
});
