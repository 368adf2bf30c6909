import * as path from 'path';
import { cliInProcess, treeRuleFound, writeTree } from '../util';

const deployment = (volumes: string, env = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n` +
  `      containers:\n        - name: api\n          image: registry.shopfront.io/api:1.2.0\n          volumeMounts: [{name: data, mountPath: /data}]\n${env}` +
  `      volumes:\n${volumes}`;
const claimVolume = '        - name: data\n          persistentVolumeClaim: {claimName: api-db}\n';
const claim =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: api-db}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n';
const configMapEnv = '          envFrom:\n            - configMapRef: {name: api-settings}\n';
const settings = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-settings}\ndata: {MODE: fast}\n';
const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{name: http, port: 8080}]\n';
const found = (files: Record<string, string>) => treeRuleFound('needed-object-left-out', 'left-out-', files, ['--platform', 'kserve']);

describe('needed-object-left-out', () => {
  test('a claim defined in a file beside the kustomization that resources does not list: an error naming the file and the fix', async () => {
    const [only, ...rest] = await found({
      'kustomization.yaml': 'namespace: shop\nresources:\n  - deployment.yaml\n',
      'deployment.yaml': deployment(claimVolume),
      'pvc.yaml': claim,
    });
    expect(rest).toEqual([]);
    expect([only.severity, only.object]).toEqual(['error', 'Deployment/shop/api']);
    expect(only.message).toContain("names PersistentVolumeClaim 'api-db', which the build does not make");
    expect(only.message).toContain('pvc.yaml defines it');
    expect(only.message).toContain('stay Pending (persistentvolumeclaim "api-db" not found): add pvc.yaml to the resources of the kustomization of');
  });

  test('a base folder outside the checked overlay: its unlisted ConfigMap file is found there too', async () => {
    const root = writeTree('left-out-base-', {
      'base/kustomization.yaml': 'namespace: shop\nresources:\n  - deployment.yaml\n',
      'base/deployment.yaml': deployment('        - name: data\n          emptyDir: {}\n', configMapEnv),
      'base/settings.yaml': settings,
      'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n',
    });
    const out = JSON.parse((await cliInProcess(['check', path.join(root, 'overlays/prod'), '--platform', 'kserve', '--json'])).out) as {
      findings: { rule: string; severity: string; message: string }[];
    };
    const mine = out.findings.filter((f) => f.rule === 'needed-object-left-out');
    expect(mine.map((f) => f.severity)).toEqual(['error']);
    expect(mine[0].message).toContain('settings.yaml defines it');
    expect(mine[0].message).toContain('CreateContainerConfigError (configmap "api-settings" not found)');
  });

  test('a Service beside the kustomization that selects the workload, unlisted while no listed Service does: a warning', async () => {
    const [only] = await found({
      'kustomization.yaml': 'namespace: shop\nresources:\n  - deployment.yaml\n',
      'deployment.yaml': deployment('        - name: data\n          emptyDir: {}\n'),
      'service.yaml': service,
    });
    expect(only.severity).toBe('warning');
    expect(only.message).toContain("no Service of the build selects the Deployment's pods: Service 'api' of");
  });

  test('near misses: the file listed, the namespace created by the tree (pod-reference-not-found), an optional reference', async () => {
    expect(
      await found({
        'kustomization.yaml': 'namespace: shop\nresources:\n  - deployment.yaml\n  - pvc.yaml\n  - service.yaml\n',
        'deployment.yaml': deployment(claimVolume),
        'pvc.yaml': claim,
        'service.yaml': service,
      }),
    ).toEqual([]);
    expect(
      await found({
        'kustomization.yaml': 'namespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
        'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
        'deployment.yaml': deployment(claimVolume),
        'pvc.yaml': claim,
      }),
    ).toEqual([]);
    expect(
      await found({
        'kustomization.yaml': 'namespace: shop\nresources:\n  - deployment.yaml\n',
        'deployment.yaml': deployment(
          '        - name: data\n          emptyDir: {}\n',
          '          envFrom:\n            - configMapRef: {name: api-settings, optional: true}\n',
        ),
        'settings.yaml': settings,
      }),
    ).toEqual([]);
  });
});

describe('needed-object-left-out: a left-out Service file that several workloads lack', () => {
  const named = (name: string) => deployment('        - name: data\n          emptyDir: {}\n').replace('{name: api}', `{name: ${name}}`);
  const both = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{name: http, port: 8080}]\n';

  test('one warning for the Service file, on the first workload by name, naming the other', async () => {
    const fs = await found({
      'kustomization.yaml': 'namespace: shop\nresources:\n  - canary.yaml\n  - stable.yaml\n',
      'stable.yaml': named('stable'),
      'canary.yaml': named('canary'),
      'service.yaml': both,
    });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['warning', 'Deployment/shop/canary']]);
    expect(fs[0].message).toMatch(
      /^no Service of the build selects the pods of Deployment\/shop\/canary nor those of 1 other workload \(Deployment\/shop\/stable\): Service 'api' of /,
    );
  });
});
