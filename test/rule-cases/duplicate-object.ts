import { cliInProcess, treeRuleFound, writeTree } from '../util';

/** duplicate-object: two documents of one object in one file that nothing of the tree delivers. */
const service = (port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: queue\n  namespace: jobs\nspec:\n  selector: {app: queue}\n  ports:\n    - port: ${port}\n`;
const secret = (keys: Record<string, string>) =>
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: jobs\nstringData:\n' +
  Object.entries(keys)
    .map(([k, v]) => `  ${k}: ${v}\n`)
    .join('');
const pod =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: worker\n  namespace: jobs\nspec:\n  containers:\n    - name: worker\n      image: quay.io/example/worker:1.0\n' +
  '      env:\n        - {name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}\n';

async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('duplicate-in-file-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'duplicate-object')
    .map((f) => [f.severity, f.object, f.message]);
}

describe('duplicate-object: two documents of one object in one loose file', () => {
  test('whoever applies the file applies both: a warning naming the lines, on the later document', async () => {
    expect(await found({ 'queue.yaml': `${service(5672)}---\n${service(15672)}` })).toEqual([
      [
        'warning',
        'Service/jobs/queue',
        'is declared twice in queue.yaml (also at line 1); whoever applies the file applies both documents, in order, and the later one, at line 11, replaces the earlier; ' +
          'the copies differ, so only the kept one reaches the cluster (no key a pod of the tree reads is lost): make sure it is the one meant: delete the copy, or rename one',
      ],
    ]);
  });

  test('an error when a key a pod reads is held only by the copy that is replaced', async () => {
    const f = await found({ 'app.yaml': [secret({ token: 'a' }), secret({ password: 'b' }), pod].join('---\n') });
    expect(f.map(([severity, object]) => [severity, object])).toEqual([['error', 'Secret/jobs/creds']]);
    expect(f[0][2]).toMatch(/the keys only the other copies hold never reach the cluster, and pods read them: .*token/);
  });

  test('near misses: variant files with one copy each, two names, two namespaces', async () => {
    expect(await found({ 'a/queue.yaml': service(5672), 'b/queue.yaml': service(15672) })).toEqual([]);
    const other = service(15672).replace('name: queue', 'name: queue-admin');
    const elsewhere = service(15672).replace('namespace: jobs', 'namespace: staging');
    expect(await found({ 'queue.yaml': [service(5672), other, elsewhere].join('---\n') })).toEqual([]);
  });
});

describe('duplicate-object: a name a script seds before the apply is not known until it runs', () => {
  const hpa = (name: string, cpu: number) =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\n  namespace: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: ${cpu}}}\n`;
  const script = (sed: string) => `#!/bin/bash\nset -e\nACC=\${1:-team1}\n${sed}\nkubectl apply -f manifests/\n`;
  const found = async (files: Record<string, string>) =>
    (await treeRuleFound('duplicate-object', 'duplicate-sed-', files, ['--platform', 'kserve'])).map((f) => [f.severity, f.object]);

  test('two files declare app-V_ACC and the script seds the token in one: no finding (it was a warning on the raw name)', async () => {
    const files = {
      'deploy.sh': script('sed -i -e "s|V_ACC|$ACC|" manifests/hpa.yaml'),
      'manifests/hpa.yaml': hpa('app-V_ACC', 80),
      'manifests/copy.yaml': hpa('app-V_ACC', 60),
    };
    expect(await found(files)).toEqual([]);
  });

  test('still fires: a sed of another file leaves both copies as written', async () => {
    const files = {
      'deploy.sh': script('sed -i -e "s|V_ACC|$ACC|" manifests/other.yaml'),
      'manifests/hpa.yaml': hpa('app-V_ACC', 80),
      'manifests/copy.yaml': hpa('app-V_ACC', 60),
    };
    expect(await found(files)).toEqual([['warning', 'HorizontalPodAutoscaler/web/app-V_ACC']]);
  });
});
