import { terraformCreatedObjects } from '../../lib/manifests/terraform-installs';
import { cliInProcess, writeTree } from '../util';

const created = (files: Record<string, string>) =>
  terraformCreatedObjects(writeTree('tf-created-', files)).map((o) => [o.kind, o.name, o.namespace, o.script, o.line]);

describe('objects a Terraform configuration creates with the kubernetes provider', () => {
  test('service account, namespace, secret and config map resources, with and without _v1, name and namespace as written', () => {
    const tf = [
      'resource "kubernetes_namespace" "shop" {',
      '  metadata {',
      '    name = "shop"',
      '  }',
      '}',
      'resource "kubernetes_service_account_v1" "api" {',
      '  metadata {',
      '    name      = "api" # the IRSA account',
      '    namespace = "shop"',
      '    annotations = {',
      '      "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/api"',
      '    }',
      '  }',
      '}',
      'resource "kubernetes_secret_v1" "db" {',
      '  metadata {',
      '    name = "db-credentials"',
      '  }',
      '}',
      'resource "kubernetes_config_map" "settings" {',
      '  metadata {',
      '    labels = {',
      '      name = "not-the-name"',
      '    }',
      '    name      = "settings"',
      '    namespace = "shop"',
      '  }',
      '}',
    ].join('\n');
    expect(created({ 'infra/k8s.tf': tf })).toEqual([
      ['Namespace', 'shop', undefined, 'infra/k8s.tf', 1],
      ['ServiceAccount', 'api', 'shop', 'infra/k8s.tf', 6],
      // the provider's metadata.namespace defaults to "default"
      ['Secret', 'db-credentials', 'default', 'infra/k8s.tf', 15],
      ['ConfigMap', 'settings', 'shop', 'infra/k8s.tf', 20],
    ]);
  });

  test('var. and local. names take the defaults the configuration gives, in any of its files', () => {
    const tf = [
      'resource "kubernetes_service_account" "api" {',
      '  metadata {',
      '    name      = local.account',
      '    namespace = "${var.namespace}"',
      '  }',
      '}',
    ].join('\n');
    expect(created({ 'main.tf': tf, 'variables.tf': 'variable "namespace" {\n  default = "shop"\n}\nlocals {\n  account = "api-runner"\n}\n' })).toEqual([
      ['ServiceAccount', 'api-runner', 'shop', 'main.tf', 1],
    ]);
  });

  test('near misses: a name with no default, one from another resource, generate_name, a resource of another type, a downloaded module', () => {
    const account = (name: string) => `resource "kubernetes_service_account" "x" {\n  metadata {\n    ${name}\n  }\n}\n`;
    expect(
      created({
        'a.tf': account('name = var.unset'),
        'b.tf': account('name = kubernetes_namespace.shop.metadata[0].name'),
        'c.tf': account('generate_name = "api-"'),
        'd.tf': 'resource "kubernetes_deployment" "x" {\n  metadata {\n    name = "api"\n  }\n}\n',
        '.terraform/modules/eks/sa.tf': account('name = "module-account"'),
      }),
    ).toEqual([]);
  });
});

describe('Secrets a Terraform configuration makes', () => {
  test('a kubernetes_manifest written as an HCL object, a namespace named by its resource, and a quoted name with an unfilled interpolation', () => {
    const tf = [
      'resource "kubernetes_namespace_v1" "books" {',
      '  metadata {',
      '    name = "books"',
      '  }',
      '}',
      'resource "kubernetes_secret_v1" "db" {',
      '  metadata {',
      '    name      = "books-db"',
      '    namespace = kubernetes_namespace_v1.books.metadata[0].name',
      '  }',
      '}',
      'resource "kubernetes_manifest" "tls" {',
      '  manifest = {',
      '    apiVersion = "v1"',
      '    kind       = "Secret"',
      '    metadata = {',
      '      name      = "books-tls"',
      '      namespace = "books"',
      '    }',
      '  }',
      '}',
      'resource "kubernetes_secret" "mail" {',
      '  metadata {',
      '    name      = "${var.prefix}-mail"',
      '    namespace = "books"',
      '  }',
      '}',
    ].join('\n');
    expect(created({ 'infra/books.tf': tf })).toEqual([
      ['Namespace', 'books', undefined, 'infra/books.tf', 1],
      ['Secret', 'books-db', 'books', 'infra/books.tf', 6],
      ['Secret', '${var.prefix}-mail', 'books', 'infra/books.tf', 22],
      ['Secret', 'books-tls', 'books', 'infra/books.tf', 12],
    ]);
  });

  test('near misses: a kubernetes_manifest of another kind, one from yamldecode (read as YAML elsewhere), a computed ConfigMap name', () => {
    expect(
      created({
        'a.tf': 'resource "kubernetes_manifest" "x" {\n  manifest = {\n    kind = "Deployment"\n    metadata = {\n      name = "api"\n    }\n  }\n}\n',
        'b.tf': 'resource "kubernetes_manifest" "y" {\n  manifest = yamldecode(<<-EOT\n    kind: Secret\n    metadata:\n      name: z\n  EOT\n  )\n}\n',
        'c.tf': 'resource "kubernetes_config_map" "c" {\n  metadata {\n    name = "${var.prefix}-settings"\n  }\n}\n',
      }),
    ).toEqual([]);
  });
});

describe('check: a reference to what the Terraform configuration creates is no missing object', () => {
  const deployment = [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: shop}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: shop}',
    'spec:',
    '  selector: {matchLabels: {app: api}}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec:',
    '      serviceAccountName: api',
    '      containers: [{name: app, image: "quay.io/example/api@sha256:' + 'a'.repeat(64) + '"}]',
    '',
  ].join('\n');
  const severities = async (tf: string) => {
    const { out } = await cliInProcess([
      'check',
      writeTree('tf-created-check-', { 'k8s/app.yaml': deployment, 'terraform/iam.tf': tf }),
      '--platform',
      'kserve',
      '--format',
      'json',
    ]);
    return (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings
      .filter((f) => f.rule === 'service-account-not-found')
      .map((f) => f.severity);
  };

  test('the ServiceAccount a kubernetes_service_account resource makes there: no error; in another namespace: still an error', async () => {
    const account = (ns: string) => `resource "kubernetes_service_account" "api" {\n  metadata {\n    name      = "api"\n    namespace = "${ns}"\n  }\n}\n`;
    expect(await severities(account('shop'))).not.toContain('error');
    expect(await severities(account('other'))).toEqual(['error']);
  });
});
