import * as fs from 'fs';
import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, writeTree } from '../util';

const nodeClass = (name: string) => ({ apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name }, spec: { role: 'NodeRole' } });
const pool = (ref: Record<string, unknown>, apiVersion = 'karpenter.sh/v1') => ({
  apiVersion,
  kind: 'NodePool',
  metadata: { name: 'gpu' },
  spec: { template: { spec: { nodeClassRef: ref, requirements: [] } } },
});
const found = (...manifests: Record<string, unknown>[]) =>
  ruleFound(
    'node-class-not-found',
    manifests.map((manifest) => ({ manifest })),
    { platform: 'kserve', alone: true },
  ).map((f) => `${f.severity} ${f.object}: ${f.message}`);
const aws = (name: string) => ({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name });

describe('node-class-not-found', () => {
  test("the tree's EC2NodeClasses do not include the one named: an error listing them", () => {
    expect(found(nodeClass('default'), nodeClass('custom-ami'), pool(aws('gpu')))).toEqual([
      expect.stringMatching(
        /^error NodePool\/gpu: spec\.template\.spec\.nodeClassRef names EC2NodeClass 'gpu', which the tree does not have \(its EC2NodeClass objects: default, custom-ami\).*launches no node/,
      ),
    ]);
  });

  test('no EC2NodeClass in the tree at all, or a v1beta1 reference by name only: a warning (it may be made outside the tree)', () => {
    expect(found(pool(aws('gpu')))).toEqual([expect.stringMatching(/^warning NodePool\/gpu: .*holds no EC2NodeClass/)]);
    expect(found(pool({ name: 'gpu' }, 'karpenter.sh/v1beta1'))).toEqual([expect.stringMatching(/^warning .*EC2NodeClass 'gpu'/)]);
  });

  test("near misses: the NodeClass is in the tree, EKS Auto Mode's built-in NodeClass, HyperShift's NodePool, a templated name", () => {
    expect(found(nodeClass('gpu'), pool(aws('gpu')))).toEqual([]);
    expect(found(pool({ group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' }))).toEqual([]);
    expect(found(pool(aws('gpu'), 'hypershift.openshift.io/v1beta1'))).toEqual([]);
    expect(found(nodeClass('default'), pool(aws('{{ .Values.nodeClass }}')))).toEqual([]);
  });
});

describe('node-class-not-found: said once per NodeClass; a template file of the folder that writes it', () => {
  const poolYaml = (name: string) =>
    `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: shared}\n      requirements: []\n`;
  const judged = (files: Record<string, string>) => {
    const read = readManifests([writeTree('node-class-', files)]);
    return ruleFound('node-class-not-found', read.manifests, { platform: 'kserve', alone: true, ...read }).map(
      (f) => `${f.severity} ${f.object}: ${f.message}`,
    );
  };

  test('two NodePools naming one missing NodeClass: one warning on the first, naming the other', () => {
    expect(judged({ 'a.yaml': poolYaml('alpha'), 'b.yaml': poolYaml('beta') })).toEqual([
      expect.stringMatching(/^warning NodePool\/alpha: .*EC2NodeClass 'shared' \(as do NodePool\/beta\)/),
    ]);
  });

  test('near miss: a .tpl file of the folder writes it (a script renders it): a note', () => {
    const tpl = 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: shared\nspec:\n  role: ${NODE_ROLE}\n';
    expect(judged({ 'a.yaml': poolYaml('alpha'), 'nodeclass.yaml.tpl': tpl })).toEqual([
      expect.stringMatching(/^info NodePool\/alpha: .*only in the template .*nodeclass\.yaml\.tpl/),
    ]);
  });
});

describe('node-class-not-found: a NodeClass the Terraform configuration of the repository applies', () => {
  const poolYaml =
    'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: batch}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: general}\n      requirements: []\n';
  const classYaml = 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: {name: accelerated}\nspec: {role: NodeRole}\n';
  /** The findings of the folder `pools` of a git work tree holding the files given. */
  const inRepository = (files: Record<string, string>) => {
    const root = writeTree('node-class-repository-', { 'pools/pool.yaml': poolYaml, 'pools/class.yaml': classYaml, ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const read = readManifests([path.join(root, 'pools')]);
    return ruleFound('node-class-not-found', read.manifests, { platform: 'kserve', alone: true, ...read }).map(
      (f) => `${f.severity} ${f.object}: ${f.message}`,
    );
  };
  const kubectlManifest = (name: string) =>
    `resource "kubectl_manifest" "node_class" {\n  yaml_body = <<-YAML\n    apiVersion: karpenter.k8s.aws/v1\n    kind: EC2NodeClass\n    metadata:\n      name: ${name}\n    spec:\n      role: "\${var.node_role}"\n  YAML\n}\n`;

  test("near miss: a kubectl_manifest heredoc of the repository's .tf files writes it: a note naming the file and line", () => {
    expect(inRepository({ 'infra/karpenter.tf': kubectlManifest('general') })).toEqual([
      expect.stringMatching(/^info NodePool\/batch: EC2NodeClass 'general' is made outside the checked folder: .*infra\/karpenter\.tf \(line 3\)/),
    ]);
  });

  test('a heredoc writing another name, or an interpolated one, leaves the error', () => {
    expect(inRepository({ 'infra/karpenter.tf': kubectlManifest('spare') })).toEqual([
      expect.stringMatching(/^error NodePool\/batch: .*'general', which the tree does not have/),
    ]);
    expect(inRepository({ 'infra/karpenter.tf': kubectlManifest('${var.name}') })).toEqual([expect.stringMatching(/^error /)]);
  });
});

describe('node-class-not-found: a file the Terraform configuration of its folder does not apply', () => {
  const poolYaml = (name: string) =>
    `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}\n      requirements: []\n`;
  const classYaml = 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: {name: general}\nspec: {role: NodeRole}\n';
  const judged = (files: Record<string, string>) => {
    const read = readManifests([writeTree('node-class-terraform-', { 'class.yaml': classYaml, ...files })]);
    return ruleFound('node-class-not-found', read.manifests, { platform: 'kserve', alone: true, ...read }).map(
      (f) => `${f.severity} ${f.object}: ${f.message}`,
    );
  };
  const applying = (...files: string[]) =>
    files
      .map(
        (f, i) =>
          `resource "kubectl_manifest" "m${i}" {\n  yaml_body = ${f.endsWith('.tftpl') ? `templatefile("\${path.module}/${f}", { role = var.role })` : `file("\${path.module}/${f}")`}\n}\n`,
      )
      .join('\n');

  test("the .tf files apply other manifests of the folder by name, not the NodePool's: a note that nothing applies it", () => {
    expect(
      judged({
        'main.tf': applying('class.yaml', 'system-pool.yaml'),
        'system-pool.yaml': poolYaml('system').replace('name: gpu}', 'name: general}'),
        'gpu-pool.yaml': poolYaml('gpu'),
      }),
    ).toEqual([
      expect.stringMatching(
        /^info NodePool\/gpu: gpu-pool\.yaml is applied by nothing: .*main\.tf, the Terraform configuration of its folder, applies class\.yaml, system-pool\.yaml \(file\(\)\/templatefile\(\)\) and not this file; were it applied: spec\.template\.spec\.nodeClassRef names EC2NodeClass 'gpu'/,
      ),
    ]);
  });

  test("near misses: the NodePool's file applied (file() or templatefile()), a fileset() pattern, or no .tf file: the error stands", () => {
    const error = [expect.stringMatching(/^error NodePool\/gpu: spec\.template\.spec\.nodeClassRef names EC2NodeClass 'gpu'/)];
    expect(judged({ 'main.tf': applying('class.yaml', 'gpu-pool.yaml'), 'gpu-pool.yaml': poolYaml('gpu') })).toEqual(error);
    expect(judged({ 'main.tf': applying('class.yaml', 'gpu-pool.yaml.tftpl'), 'gpu-pool.yaml.tftpl': poolYaml('gpu') })).toEqual([]);
    // a values file a helm_release reads is no manifest the configuration applies
    const values =
      'resource "kubernetes_manifest" "ns" {\n  manifest = { apiVersion = "v1", kind = "Namespace", metadata = { name = "ops" } }\n}\nresource "helm_release" "karpenter" {\n  values = [file("${path.module}/values.yaml")]\n}\n';
    expect(judged({ 'main.tf': values, 'values.yaml': 'replicas: 2\n', 'gpu-pool.yaml': poolYaml('gpu') })).toEqual(error);
    const pattern =
      'resource "kubectl_manifest" "all" {\n  for_each  = fileset(path.module, "*.yaml")\n  yaml_body = file("${path.module}/${each.value}")\n}\n';
    expect(judged({ 'main.tf': pattern, 'gpu-pool.yaml': poolYaml('gpu') })).toEqual(error);
    expect(judged({ 'gpu-pool.yaml': poolYaml('gpu') })).toEqual(error);
  });
});
