import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

function ingress(
  paths: { path: string; pathType: string }[],
  classSpec: Record<string, unknown> = { ingressClassName: 'nginx' },
  annotations: Record<string, string> = {},
) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'api', namespace: 'llm', annotations },
    spec: {
      ...classSpec,
      rules: [{ host: 'llm.example.com', http: { paths: paths.map((p) => ({ ...p, backend: { service: { name: 'api', port: { number: 80 } } } })) } }],
    },
  };
}

const regex = [{ path: '/api/v1/(.*)', pathType: 'Prefix' }];

async function findings(objects: unknown[], files: Record<string, string> = {}): Promise<{ severity: string; message: string }[]> {
  const dir = writeTree('ingress-path-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n'), ...files });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'ingress-path-type-invalid');
}

const terraform = (version?: string, set = '') =>
  `resource "helm_release" "ingress" {\n  name = "ingress"\n  repository = "https://kubernetes.github.io/ingress-nginx"\n  chart = "ingress-nginx"\n${version ? `  version = "${version}"\n` : ''}${set}}\n`;

describe('ingress-path-type-invalid', () => {
  test('a regex path with Prefix, the controller installed unpinned (Terraform): an error naming the install and the fix', async () => {
    const [found] = await findings([ingress(regex)], { 'main.tf': terraform() });
    expect(found.severity).toBe('error');
    expect(found.message).toContain("'/api/v1/(.*)' (pathType Prefix: ( * ))");
    expect(found.message).toContain('without a version: the newest release');
    expect(found.message).toContain('ImplementationSpecific');
  });

  test('chart 4.12 or later by helm, a controller image v1.12, a release manifest of v1.13, the legacy class annotation: errors', async () => {
    expect(
      (
        await findings([ingress(regex)], { 'install.sh': 'helm upgrade --install ingress ingress-nginx/ingress-nginx --version 4.12.1 -n ingress-nginx\n' })
      ).map((f) => f.severity),
    ).toEqual(['error']);
    const controller = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
      spec: {
        selector: { matchLabels: { app: 'c' } },
        template: {
          metadata: { labels: { app: 'c' } },
          spec: { containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0' }] },
        },
      },
    };
    expect((await findings([ingress([{ path: '/v1/chat:stream', pathType: 'Exact' }]), controller])).map((f) => f.severity)).toEqual(['error']);
    const url = 'kubectl apply -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.13.0/deploy/static/provider/cloud/deploy.yaml\n';
    expect((await findings([ingress(regex, {}, { 'kubernetes.io/ingress.class': 'nginx' })], { 'setup.sh': url })).map((f) => f.severity)).toEqual(['error']);
  });

  test('the controller not shown: a warning that says the webhook may deny it, not that it does', async () => {
    const [finding] = await findings([ingress(regex)]);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('ingress-nginx\'s admission webhook may deny the Ingress ("ingress contains invalid paths: path ');
    expect(finding.message).not.toContain('webhook denies');
  });

  test('near misses: ImplementationSpecific, plain paths with dots, an older release, strict validation turned off, another class', async () => {
    expect(await findings([ingress([{ path: '/api/v1/(.*)', pathType: 'ImplementationSpecific' }])])).toEqual([]);
    expect(await findings([ingress([{ path: '/v1/models/llama-3.1_8b/', pathType: 'Prefix' }])])).toEqual([]);
    expect(await findings([ingress(regex)], { 'main.tf': terraform('4.11.3') })).toEqual([]);
    const off = '  set {\n    name = "controller.config.strict-validate-path-type"\n    value = "false"\n  }\n';
    expect(await findings([ingress(regex)], { 'main.tf': terraform(undefined, off) })).toEqual([]);
    expect(await findings([ingress(regex, { ingressClassName: 'traefik' })])).toEqual([]);
  });
});
