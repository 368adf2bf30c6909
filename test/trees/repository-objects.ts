import * as fs from 'fs';
import * as path from 'path';
import { repositoryObjects, repositoryValues } from '../../lib/manifests/repository-objects';
import { writeTree } from '../util';

/** A git work tree (a `.git` folder is what marks one) holding the files given. */
const workTree = (files: Record<string, string>) => {
  const dir = writeTree('repository-objects-', files);
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
};

const service = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  ports: [{port: 80}]\n`;

/** The objects of the repository outside `folder`, as kind/namespace/name and the file's path from the root. */
const objects = (root: string, folder: string) =>
  repositoryObjects(path.join(root, folder)).map((o) => [`${o.kind}/${o.namespace ?? ''}/${o.name}`, path.relative(root, o.file)]);

describe('repositoryObjects', () => {
  test("an object lands in the namespace of the overlay that builds its base, with the overlays' name affixes", () => {
    const root = workTree({
      'deploy/base/kustomization.yaml': 'resources:\n  - controller.yaml\n',
      'deploy/base/controller.yaml': service('fleet-api'),
      'deploy/overlays/prod/kustomization.yaml': 'namespace: fleet\nnamePrefix: prod-\nresources:\n  - ../../base\n',
      'deploy/demo/pool.yaml': service('demo'),
    });
    expect(objects(root, 'deploy/demo')).toEqual([['Service/fleet/prod-fleet-api', 'deploy/base/controller.yaml']]);
  });

  test("an object no kustomization lists keeps its own namespace; the checked folder's own files are not read", () => {
    const root = workTree({ 'apps/api.yaml': service('api', 'web'), 'apps/loose.yaml': service('loose'), 'checked/own.yaml': service('own', 'web') });
    expect(objects(root, 'checked')).toEqual([
      ['Service/web/api', 'apps/api.yaml'],
      ['Service//loose', 'apps/loose.yaml'],
    ]);
  });

  test('test data, vendored charts and Helm templates are not read; a folder of test data has no repository around it', () => {
    const root = workTree({
      'test/e2e/api.yaml': service('api', 'web'),
      'charts/api/templates/svc.yaml': service('{{ .Release.Name }}'),
      'node_modules/x/svc.yaml': service('x', 'web'),
      'test/fixtures/checked/own.yaml': service('own', 'web'),
      'checked/own.yaml': service('own', 'web'),
    });
    expect(objects(root, 'checked')).toEqual([]);
    expect(objects(root, 'test/fixtures/checked')).toEqual([]);
  });

  test("a Terraform configuration's manifest heredocs (kubectl_manifest yaml_body, kubernetes_manifest yamldecode) are objects; <<- strips the indentation", () => {
    const tf =
      'resource "kubectl_manifest" "a" {\n  yaml_body = <<-YAML\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: api\n      namespace: web\n  YAML\n}\n' +
      'resource "kubernetes_manifest" "b" {\n  manifest = yamldecode(<<EOT\napiVersion: v1\nkind: Service\nmetadata:\n  name: "${var.name}"\nEOT\n  )\n}\n';
    const root = workTree({ 'infra/main.tf': tf, 'checked/own.yaml': service('own', 'web') });
    expect(objects(root, 'checked')).toEqual([['Service/web/api', 'infra/main.tf']]);
    expect(repositoryObjects(path.join(root, 'checked'))[0].line).toBe(3);
  });

  test('a folder at the root of its work tree, or in none, has no repository outside it', () => {
    const root = workTree({ 'api.yaml': service('api', 'web') });
    expect(objects(root, '.')).toEqual([]);
    expect(repositoryObjects(writeTree('no-repository-', { 'api.yaml': service('api', 'web') }))).toEqual([]);
  });
});

describe('repositoryValues', () => {
  test('the kind-less documents outside the checked folder (values files, even with {{ }} in a string); objects and the folder are left out', () => {
    const root = workTree({
      'helm/values.yaml': 'kserve:\n  controller:\n    deploymentMode: Standard\n    domainTemplate: "{{ .Name }}"\n',
      'apps/api.yaml': service('api', 'web'),
      'checked/values.yaml': 'replicas: 2\n',
    });
    expect(repositoryValues(path.join(root, 'checked')).map((v) => [path.relative(root, v.file), v.values])).toEqual([
      ['helm/values.yaml', { kserve: { controller: { deploymentMode: 'Standard', domainTemplate: '{{ .Name }}' } } }],
    ]);
  });
});
