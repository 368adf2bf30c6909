import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/** A base whose generator reads a file a script writes, and two overlays whose replacement takes its source from what it generates. */
function tree(): string {
  const overlay = [
    'namespace: serving',
    'resources: [../../base]',
    'replacements:',
    '  - source: {kind: ConfigMap, name: deploy-config, fieldPath: data.IMAGE}',
    '    targets:',
    '      - select: {kind: Deployment, name: server}',
    '        fieldPaths: [spec.template.spec.containers.0.image]',
    '',
  ].join('\n');
  return writeTree('written-file-', {
    'base/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: deploy-config\n    envs: [deployment.env]\n',
    'base/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: server}',
      'spec:',
      '  selector: {matchLabels: {app: server}}',
      '  template:',
      '    metadata: {labels: {app: server}}',
      '    spec:',
      '      containers: [{name: main, image: registry.example.com/app:1.0}]',
      '',
    ].join('\n'),
    'setup.sh': '#!/bin/sh\necho IMAGE=registry.example.com/app:1.1 > base/deployment.env\n',
    'overlays/dev/kustomization.yaml': overlay,
    'overlays/prod/kustomization.yaml': overlay,
  });
}

async function inputWarnings(args: string[]): Promise<{ object: string; message: string }[]> {
  const { out } = await cliInProcess(['check', tree(), '--platform', 'kserve', '--json', ...args]);
  return JSON.parse(out).findings.filter((f: { rule: string; severity: string }) => f.rule === 'input-not-followed' || f.rule === 'kustomize-build-fails');
}

describe('a missing file a script writes', () => {
  test('one finding naming the script, with the count and the roots of the replacements that fail without it', async () => {
    const found = await inputWarnings([]);
    expect(found.map((f) => f.object.replace(/.*written-file-[^/]+\//, ''))).toEqual(['base/kustomization.yaml']);
    expect(found[0].message).toMatch(/setup\.sh \(line 2.*writes it before the build/);
    expect(found[0].message).toMatch(
      /without it 2 steps of the builds that include it fail as the reader built them \(.*overlays\/dev\/kustomization\.yaml, .*overlays\/prod\/kustomization\.yaml\)/,
    );
    // the generated ConfigMap is built, by its name, without the file's keys
    expect(found[0].message).toContain("replacement 1: fieldPath `data.IMAGE` is missing for its source ConfigMap 'deploy-config'");
    expect(found[0].message).toMatch(/--verbose lists each$/);
  });

  test('--verbose lists each consequence as its own warning', async () => {
    const found = await inputWarnings(['--verbose']);
    expect(found.map((f) => f.object.replace(/.*written-file-[^/]+\//, ''))).toEqual([
      'base/kustomization.yaml',
      'overlays/dev/kustomization.yaml',
      'overlays/prod/kustomization.yaml',
    ]);
    expect(found[1].message).toMatch(
      /is missing for its source ConfigMap 'deploy-config'.*without a file a script writes \(see the warning above\), so kustomize may build it/,
    );
  });
});

describe('resources a script renders from templates beside them before `oc apply -k`', () => {
  const deployment = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: server}', 'spec:', '  replicas: ${REPLICAS}', ''].join('\n');
  function rendered(files: Record<string, string> = {}): string {
    return writeTree('rendered-resources-', {
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml.local\n  - service.yaml.local\n  - extra.yaml.local\n',
      'app/kustomization.yaml.template': 'namespace: ${NAMESPACE}\nresources: [deployment.yaml.local, service.yaml.local]\n',
      'app/deployment.yaml.template': deployment,
      'app/service.yaml.template': 'apiVersion: v1\nkind: Service\nmetadata: {name: server}\nspec: {ports: [{port: 80}]}\n',
      'app/render.sh': [
        '#!/bin/bash',
        'for template in *.yaml.template; do',
        '  envsubst < "$template" > "${template%.template}.local"',
        'done',
        'mv kustomization.yaml.local kustomization.yaml',
        '',
      ].join('\n'),
      'deploy.sh': '#!/bin/sh\ncd app\n./render.sh\noc apply -k .\n',
      ...files,
    });
  }

  async function buildFindings(dir: string): Promise<{ rule: string; severity: string; object: string; message: string }[]> {
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json', '--allow-empty']);
    return JSON.parse(out).findings.filter((f: { rule: string }) => f.rule === 'kustomize-build-fails' || f.rule === 'input-not-followed');
  }

  test('one warning names the script and every rendered entry; an entry with no template beside it is still refused', async () => {
    const found = await buildFindings(rendered());
    expect(found.map((f) => [f.rule, f.severity, f.message.replace(/\(\/.*?\)/, '(…)')])).toEqual([
      [
        'input-not-followed',
        'warning',
        expect.stringMatching(
          /^lists 2 resources 'deployment\.yaml\.local', 'service\.yaml\.local', not in the tree: app\/render\.sh \(line 3, envsubst and a redirect\) writes them before the build \(app\/render\.sh \(line 5, mv\) rewrites this kustomization too\)/,
        ),
      ],
      ['kustomize-build-fails', 'error', "lists 'extra.yaml.local', which does not exist (…): kustomize build fails, so Argo CD cannot sync this root"],
    ]);
  });

  test('an Ingress of the root that routes to a Service only a rendered file holds is not judged: the reader built the root without it', async () => {
    const ingress = [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata: {name: front, namespace: web}',
      'spec:',
      '  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: server, port: {number: 80}}}}]}}]',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: other, namespace: web}',
      'spec: {ports: [{port: 80}]}',
      '',
    ].join('\n');
    const backendErrors = async (dir: string) => {
      const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
      return JSON.parse(out).findings.filter((f: { rule: string }) => f.rule === 'ingress-backend-not-found').length;
    };
    const dir = rendered({
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml.local\n  - service.yaml.local\n  - ingress.yaml\n',
      'app/ingress.yaml': ingress,
    });
    expect(await backendErrors(dir)).toBe(0);
    // near miss: the same root with the Service file committed beside it under another name is built whole
    fs.rmSync(path.join(dir, 'app/render.sh'));
    fs.writeFileSync(path.join(dir, 'app/kustomization.yaml'), 'resources:\n  - ingress.yaml\n');
    expect(await backendErrors(dir)).toBe(1);
  });

  test('without the script the missing entries are one error of the kustomization, naming each', async () => {
    const dir = rendered();
    fs.rmSync(path.join(dir, 'app/render.sh'));
    const found = await buildFindings(dir);
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^lists 3 entries that do not exist in .*: 'deployment\.yaml\.local', 'service\.yaml\.local', 'extra\.yaml\.local': kustomize build fails/,
        ),
      ],
    ]);
  });
});
