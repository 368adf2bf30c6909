import { cliInProcess, writeTree } from './util';

const FILE = (jobNamespace: string, claimNamespace: string, env = '') =>
  [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    '  name: model-cache',
    ...(claimNamespace ? [`  namespace: ${claimNamespace}`] : []),
    'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: settings, namespace: diffusion}',
    'data: {k: v}',
    '---',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    '  name: download',
    ...(jobNamespace ? [`  namespace: ${jobNamespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '      - name: d',
    '        image: registry.access.redhat.com/ubi9/ubi:9.5',
    ...(env ? ['        envFrom:', `        - configMapRef: {name: ${env}}`] : []),
    '        volumeMounts: [{name: cache, mountPath: /m}]',
    '      volumes:',
    '      - {name: cache, persistentVolumeClaim: {claimName: model-cache}}',
  ].join('\n');

async function found(files: Record<string, string>): Promise<string[]> {
  const root = writeTree('other-namespace.', files);
  const r = await cliInProcess(['check', root, '--json', '--platform', 'kserve']);
  return (JSON.parse(r.out).findings as { rule: string; severity: string; message: string }[])
    .filter((f) => f.rule === 'reference-in-other-namespace')
    .map((f) => `${f.severity} ${f.message.split(':')[0]}`);
}

describe('reference-in-other-namespace', () => {
  test('a namespace-less Job applied without -n that mounts a claim and reads a ConfigMap its file puts in a namespace: an error each', async () => {
    expect(await found({ 'job.yaml': FILE('', 'diffusion', 'settings'), 'deploy.sh': 'kubectl apply -f job.yaml\n' })).toEqual([
      "error container 'd' envFrom 'settings'",
      "error spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'",
    ]);
  });

  test('after a cd check cannot follow, the one file of the tree of that name is assumed: a warning saying so', async () => {
    const readme = '```bash\ncd ../other-checkout/diffusion\nkubectl apply -f job.yaml\n```\n';
    expect(await found({ 'diffusion/job.yaml': FILE('', 'diffusion'), 'docs/guide.md': readme })).toEqual([
      "warning spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'",
    ]);
    // two files of that name: which one is applied is not known, nothing is said
    expect(await found({ 'diffusion/job.yaml': FILE('', 'diffusion'), 'other/job.yaml': FILE('', ''), 'docs/guide.md': readme })).toEqual([]);
  });

  test('near misses: applied with -n, the Job given the namespace, the claim without one too, no script applying the file', async () => {
    expect(await found({ 'job.yaml': FILE('', 'diffusion'), 'deploy.sh': 'kubectl apply -f job.yaml -n diffusion\n' })).toEqual([]);
    expect(await found({ 'job.yaml': FILE('diffusion', 'diffusion'), 'deploy.sh': 'kubectl apply -f job.yaml\n' })).toEqual([]);
    expect(await found({ 'job.yaml': FILE('', ''), 'deploy.sh': 'kubectl apply -f job.yaml\n' })).toEqual([]);
    expect(await found({ 'job.yaml': FILE('', 'diffusion') })).toEqual([]);
  });
});
