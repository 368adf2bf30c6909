import { cliInProcess, writeTree } from '../util';

/** An Ingress `serving/chat` with one annotation value. */
const ingress = (timeout: string) =>
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  namespace: serving\n  annotations:\n' +
  `    nginx.ingress.kubernetes.io/proxy-read-timeout: "${timeout}"\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n` +
  '            backend:\n              service:\n                name: chat\n                port:\n                  number: 80\n';
const config = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: serving\ndata:\n  A: "${value}"\n`;

/** The duplicate-object findings of a tree, as [severity, object, the command named]. */
async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('duplicate-object-script-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'duplicate-object')
    .map((f) => [f.severity, f.object, /in what `([^`]+)`/.exec(f.message)?.[1] ?? f.message]);
}

describe('duplicate-object: one object twice in a folder a script applies whole', () => {
  test('a README applies the folder: kubectl applies both, so different copies are a warning naming the command, as the same copies are', async () => {
    const readme = '```\nkubectl apply -f k8s/\n```\n';
    expect(await found({ 'README.md': readme, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([
      ['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/'],
    ]);
    expect(await found({ 'README.md': readme, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('1') })).toEqual([
      ['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/'],
    ]);
  });

  test('the copy read last is named; after a cd check cannot follow, the folder is assumed: a warning saying so', async () => {
    const dir = writeTree('duplicate-object-script-', {
      'README.md': '```\nkubectl apply -f k8s/\n```\n',
      'k8s/b.yaml': config('1'),
      'k8s/a.yaml': config('2'),
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const messages = (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === 'duplicate-object');
    expect(messages.map((f) => /the copy read last, (\S+), stays/.exec(f.message)?.[1])).toEqual(['b.yaml']);
    const readme = '```\ncd terraform\nterraform apply\nkubectl apply -f k8s/\n```\n';
    expect(await found({ 'README.md': readme, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([
      ['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/'],
    ]);
  });

  test('a recursive apply joins subfolders: an Ingress in two of them', async () => {
    const files = { 'deploy.sh': 'kubectl apply -R -f infra/\n', 'infra/apps/ingress.yaml': ingress('300'), 'infra/ingress/chat.yaml': ingress('600') };
    expect(await found(files)).toEqual([['warning', 'Ingress/serving/chat', 'kubectl apply -R -f infra/']]);
  });

  test('a script that also applies single files still applies the folder whole', async () => {
    const script = 'kubectl apply -f k8s/a.yaml\nkubectl apply -f k8s/\n';
    expect(await found({ 'deploy.sh': script, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([
      ['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/'],
    ]);
  });

  test('a key a pod reads that only the copy applied first holds is lost when the later copy stays: an error naming the key and the pod', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: serving\nspec:\n  containers:\n    - name: web\n      image: quay.io/example/web:1.0\n' +
      '      env:\n        - {name: B, valueFrom: {configMapKeyRef: {name: settings, key: B}}}\n';
    const files = {
      'deploy.sh': 'kubectl apply -f k8s/\n',
      'k8s/a.yaml': config('1').replace('  A:', '  B: "x"\n  A:'),
      'k8s/b.yaml': config('2'),
      'k8s/pod.yaml': pod,
    };
    const dir = writeTree('duplicate-object-script-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const mine = (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter((f) => f.rule === 'duplicate-object');
    expect(mine.map((f) => [f.severity, /pods read them: (.*?):/.exec(f.message)?.[1]])).toEqual([
      ['error', "B (read by Pod/serving/web container 'web' env B)"],
    ]);
    // near miss: the key is in the copy that stays
    expect(await found({ ...files, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2').replace('  A:', '  B: "x"\n  A:') })).toEqual([
      ['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/'],
    ]);
  });

  test('one script applying both files by two commands applies both: the copy of the later command stays', async () => {
    const files = { 'deploy.sh': 'kubectl apply -f k8s/b.yaml\nkubectl apply -f k8s/a.yaml\n', 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') };
    const dir = writeTree('duplicate-object-two-commands-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const f = (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter((x) => x.rule === 'duplicate-object');
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    // the later command applies a.yaml, so its copy stays, though b.yaml sorts after it
    expect(f[0].message).toContain(
      'in what `kubectl apply -f k8s/b.yaml` (deploy.sh:1) and `kubectl apply -f k8s/a.yaml` (deploy.sh:2) apply; kubectl applies both, and the copy read last, a.yaml, stays',
    );
    // near misses: two scripts (alternatives) each applying one file, one script sending them to two contexts
    expect(
      await found({
        'dev.sh': 'kubectl apply -f k8s/a.yaml\n',
        'prod.sh': 'kubectl apply -f k8s/b.yaml\n',
        'k8s/a.yaml': config('1'),
        'k8s/b.yaml': config('2'),
      }),
    ).toEqual([]);
    const contexts = 'kubectl --context dev apply -f k8s/a.yaml\nkubectl --context prod apply -f k8s/b.yaml\n';
    expect(await found({ 'deploy.sh': contexts, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([]);
    // a README's two commands are often alternatives (this variant or that one); the same copy applied again loses nothing
    const readme = '```\nkubectl apply -f k8s/a.yaml\n```\nOr, on GKE:\n```\nkubectl apply -f k8s/b.yaml\n```\n';
    expect(await found({ 'README.md': readme, 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([]);
    expect(
      await found({ 'deploy.sh': 'kubectl apply -f k8s/b.yaml\nkubectl apply -f k8s/a.yaml\n', 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('1') }),
    ).toEqual([]);
  });

  test('near misses: alternatives nothing applies whole, files applied one by one, subfolders without -R, other namespaces', async () => {
    expect(await found({ 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([]);
    expect(await found({ 'deploy.sh': 'kubectl apply -f k8s/a.yaml\n', 'k8s/a.yaml': config('1'), 'k8s/b.yaml': config('2') })).toEqual([]);
    expect(await found({ 'deploy.sh': 'kubectl apply -f k8s/\n', 'k8s/a.yaml': config('1'), 'k8s/gpu/b.yaml': config('2') })).toEqual([]);
    const other = config('2').replace('namespace: serving', 'namespace: staging');
    expect(await found({ 'deploy.sh': 'kubectl apply -f k8s/\n', 'k8s/a.yaml': config('1'), 'k8s/b.yaml': other })).toEqual([]);
  });
});

describe('duplicate-object: applies in the arms of one if or case of a script are alternatives', () => {
  const files = (script: string) => ({ 'deploy.sh': script, 'k8s/gpu.yaml': config('gpu'), 'k8s/cpu.yaml': config('cpu') });

  test('if/else, if/elif and case arms: one run applies one copy, no finding', async () => {
    const ifElse = ['set -e', 'if [ "$USE_GPU" = "true" ]; then', '  kubectl apply -f k8s/gpu.yaml', 'else', '  kubectl apply -f k8s/cpu.yaml', 'fi'];
    expect(await found(files(ifElse.join('\n')))).toEqual([]);
    const elif = ['if [ "$MODE" = gpu ]', 'then', '  kubectl apply -f k8s/gpu.yaml', 'elif [ "$MODE" = cpu ]; then', '  kubectl apply -f k8s/cpu.yaml', 'fi'];
    expect(await found(files(elif.join('\n')))).toEqual([]);
    const cases = ['case "$1" in', '  gpu)', '    kubectl apply -f k8s/gpu.yaml', '    ;;', '  cpu|"") kubectl apply -f k8s/cpu.yaml ;;', 'esac'];
    expect(await found(files(cases.join('\n')))).toEqual([]);
  });

  test('near misses: both in one arm, one inside the if and one after it, two ifs one after another: both applied, a warning', async () => {
    const warning = [['warning', 'ConfigMap/serving/settings', 'kubectl apply -f k8s/gpu.yaml']];
    const oneArm = ['if [ -n "$CLUSTER" ]; then', '  kubectl apply -f k8s/gpu.yaml', '  kubectl apply -f k8s/cpu.yaml', 'else', '  echo none', 'fi'];
    expect((await found(files(oneArm.join('\n')))).map(([s, o]) => [s, o])).toEqual([['warning', 'ConfigMap/serving/settings']]);
    const after = ['if [ -n "$GPU" ]; then', '  kubectl apply -f k8s/gpu.yaml', 'fi', 'kubectl apply -f k8s/cpu.yaml'];
    expect((await found(files(after.join('\n')))).map(([s, o]) => [s, o])).toEqual([['warning', 'ConfigMap/serving/settings']]);
    const twoIfs = ['if [ -n "$GPU" ]; then', '  kubectl apply -f k8s/gpu.yaml', 'fi', 'if [ -n "$CPU" ]; then', '  kubectl apply -f k8s/cpu.yaml', 'fi'];
    expect((await found(files(twoIfs.join('\n')))).map(([s, o]) => [s, o])).toEqual(warning.map(([s, o]) => [s, o]));
  });
});
