import { cliInProcess, writeTree } from '../util';

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

  describe('the scripts put the two apart: the workload applied with -n, what it uses applied (or created) without', () => {
    const [claim, , job] = FILE('', '').split('\n---\n');
    const steps = (first: string, second: string) => `#!/bin/bash\n. ./demo-magic.sh\n${first}\n${second}\n`;

    test('a claim applied without -n, then the Job with -n gpu-jobs, as demo-magic wrappers run them: a warning naming both commands', async () => {
      const tree = { 'app/claim.yaml': claim, 'app/job.yaml': job };
      const said = steps('pei "kubectl apply -f app/claim.yaml"', 'pe "kubectl apply -n gpu-jobs -f app/job.yaml"');
      expect(await found({ ...tree, 'demo.sh': said })).toEqual(["warning spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'"]);
      const root = writeTree('other-namespace.', { ...tree, 'demo.sh': said });
      const r = await cliInProcess(['check', root, '--json', '--platform', 'kserve']);
      const [f] = (JSON.parse(r.out).findings as { rule: string; message: string }[]).filter((x) => x.rule === 'reference-in-other-namespace');
      expect(f.message).toContain(
        'demo.sh (line 4) applies the Job with `pe "kubectl apply -n gpu-jobs -f app/job.yaml"`, into namespace \'gpu-jobs\', but PersistentVolumeClaim \'model-cache\' has no namespace and demo.sh (line 3) applies it with `pei "kubectl apply -f app/claim.yaml"` without -n',
      );
    });

    test('a Secret a script creates without -n, read by a Job applied with -n: a warning', async () => {
      const reads = job.replace(
        '        volumeMounts: [{name: cache, mountPath: /m}]\n      volumes:\n      - {name: cache, persistentVolumeClaim: {claimName: model-cache}}',
        '        envFrom:\n        - secretRef: {name: hf-token}',
      );
      expect(
        await found({
          'job.yaml': reads,
          'deploy.sh': steps('kubectl create secret generic hf-token --from-literal=HF_TOKEN=x', 'kubectl apply -n gpu-jobs -f job.yaml'),
        }),
      ).toEqual(["warning container 'd' envFrom 'hf-token'"]);
    });

    test('near misses: the claim applied with the same -n, or given a namespace, or the Job applied without -n too', async () => {
      const tree = { 'app/claim.yaml': claim, 'app/job.yaml': job };
      expect(await found({ ...tree, 'demo.sh': steps('kubectl apply -n gpu-jobs -f app/claim.yaml', 'kubectl apply -n gpu-jobs -f app/job.yaml') })).toEqual(
        [],
      );
      expect(await found({ ...tree, 'demo.sh': steps('kubectl apply -f app/claim.yaml', 'kubectl apply -f app/job.yaml') })).toEqual([]);
      const placed = claim.replace('  name: model-cache', '  name: model-cache\n  namespace: gpu-jobs');
      expect(
        await found({
          'app/claim.yaml': placed,
          'app/job.yaml': job,
          'demo.sh': steps('kubectl apply -f app/claim.yaml', 'kubectl apply -n gpu-jobs -f app/job.yaml'),
        }),
      ).toEqual([]);
    });
  });
});
