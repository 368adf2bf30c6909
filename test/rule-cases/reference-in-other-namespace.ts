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

    test('a Secret rendered from a template and piped to an apply: the -n of that apply places it (none: a warning)', async () => {
      const reads = job.replace(
        '        volumeMounts: [{name: cache, mountPath: /m}]\n      volumes:\n      - {name: cache, persistentVolumeClaim: {claimName: model-cache}}',
        '        envFrom:\n        - secretRef: {name: s3-conn}',
      );
      const template = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3-conn\nstringData:\n  AWS_S3_ENDPOINT: ${ENDPOINT}\n';
      const tree = (pipe: string) => ({
        'job.yaml': reads,
        'conn.yaml.tmpl': template,
        'deploy.sh': steps(`ENDPOINT=minio.gpu-jobs.svc envsubst < conn.yaml.tmpl | ${pipe}`, 'kubectl apply -n gpu-jobs -f job.yaml'),
      });
      expect(await found(tree('kubectl apply -n gpu-jobs -f -'))).toEqual([]);
      expect(await found(tree('kubectl apply -f -'))).toEqual(["warning container 'd' envFrom 's3-conn'"]);
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

  describe('a file that states a namespace for some objects and none for what they use, applied without -n: a warning', () => {
    const SERVICE = (namespace: string) =>
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: db, namespace: registry}',
        'spec:',
        '  serviceName: db',
        '  selector: {matchLabels: {app: db}}',
        '  template:',
        '    metadata: {labels: {app: db}}',
        '    spec: {containers: [{name: db, image: registry.example.com/db:11.4}]}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: db',
        ...(namespace ? [`  namespace: ${namespace}`] : []),
        'spec: {selector: {app: db}, ports: [{port: 3306}]}',
      ].join('\n');

    test('a Job in diffusion mounting a claim of its file that has none', async () => {
      expect(await found({ 'job.yaml': FILE('diffusion', ''), 'deploy.sh': 'kubectl apply -f job.yaml\n' })).toEqual([
        "warning spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache' is read in namespace 'diffusion', but PersistentVolumeClaim 'model-cache' of the same file has no namespace and deploy.sh (line 1) applies the file with `kubectl apply -f job.yaml`, without -n",
      ]);
      expect(await found({ 'job.yaml': FILE('diffusion', ''), 'deploy.sh': 'kubectl apply -n diffusion -f job.yaml\n' })).toEqual([]);
    });

    test("a Service without one whose selector matches only a StatefulSet of its file in 'registry'", async () => {
      const root = writeTree('other-namespace.', { 'db.yaml': SERVICE(''), 'README.md': '```\noc apply -f db.yaml\n```\n' });
      const r = await cliInProcess(['check', root, '--json', '--platform', 'kserve']);
      const mine = (JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[]).filter(
        (f) => f.rule === 'reference-in-other-namespace',
      );
      expect(mine.map((f) => [f.severity, f.object])).toEqual([['warning', 'Service/db']]);
      expect(mine[0].message).toMatch(
        /matches the pods of StatefulSet 'db', in namespace 'registry' only, .* selects no pod there, and db.registry does not resolve/,
      );
    });

    test('near misses: the Service given the namespace, applied with -n, applied by nothing, or after oc new-project of the namespace', async () => {
      expect(await found({ 'db.yaml': SERVICE('registry'), 'deploy.sh': 'oc apply -f db.yaml\n' })).toEqual([]);
      expect(await found({ 'db.yaml': SERVICE(''), 'deploy.sh': 'oc apply -f db.yaml -n registry\n' })).toEqual([]);
      expect(await found({ 'db.yaml': SERVICE('') })).toEqual([]);
      // oc new-project makes the namespace the current project: the Service may land there
      expect(await found({ 'db.yaml': SERVICE(''), 'deploy.sh': 'oc new-project registry\noc apply -f db.yaml\n' })).toEqual([]);
    });
  });
});

describe('reference-in-other-namespace: the workload in a namespace known, what it uses made by the tree only in another', () => {
  const [claim, configMap, job] = FILE('', 'llm', 'settings').split('\n---\n');
  const inLlm = (doc: string) => doc.replace('namespace: diffusion', 'namespace: llm');
  const stated = (doc: string, ns: string) => doc.replace('  name: download', `  name: download\n  namespace: ${ns}`);

  test('a Job stated in default, its claim and ConfigMap made in llm by the same file: an error each, in the same delivery', async () => {
    expect(await found({ 'job.yaml': [claim, inLlm(configMap), stated(job, 'default')].join('\n---\n') })).toEqual([
      "error container 'd' envFrom 'settings'",
      "error spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'",
    ]);
  });

  test("a namespace-less Job takes its delivery's namespace: an Argo CD destination, a Flux targetNamespace, a script's -n", async () => {
    const app = (ns: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: jobs\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://example.com/org/repo.git\n    path: app\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${ns}\n`;
    const files = { 'app/job.yaml': [claim, job].join('\n---\n'), 'apps/jobs.yaml': app('default') };
    expect(await found(files)).toEqual(["error spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'"]);
    // near miss: the destination is the claim's namespace
    expect(await found({ ...files, 'apps/jobs.yaml': app('llm') })).toEqual([]);
    const flux = (target: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: jobs\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./app\n${target}`;
    const fluxTree = (target: string) => ({
      'app/kustomization.yaml': 'resources:\n  - job.yaml\n',
      'app/job.yaml': job,
      'app-storage/claim.yaml': claim,
      'clusters/prod/kustomization.yaml': 'resources:\n  - jobs.yaml\n',
      'clusters/prod/jobs.yaml': flux(target),
    });
    expect(await found(fluxTree('  targetNamespace: default\n'))).toEqual([
      "warning spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'",
    ]);
    // near miss: no targetNamespace, the Job's namespace is the context's, not known
    expect(await found(fluxTree(''))).toEqual([]);
    expect(await found({ 'job.yaml': [claim, job].join('\n---\n'), 'deploy.sh': 'kubectl apply -n default -f job.yaml\n' })).toEqual([
      "error spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'",
    ]);
  });

  test('in another delivery (a kustomization of its own), a warning: one of that name may be made in the namespace outside the tree', async () => {
    const files = {
      'jobs/kustomization.yaml': 'namespace: batch\nresources:\n  - job.yaml\n',
      'jobs/job.yaml': job,
      'storage/kustomization.yaml': 'resources:\n  - claim.yaml\n',
      'storage/claim.yaml': claim,
    };
    expect(await found(files)).toEqual(["warning spec.template.spec.volumes[cache].persistentVolumeClaim.claimName 'model-cache'"]);
  });

  test("near misses: the tree makes one in the Job's namespace too, or one whose namespace it does not say, or the Job's namespace is unknown", async () => {
    const both = [claim, claim.replace('namespace: llm', 'namespace: default'), stated(job, 'default')].join('\n---\n');
    expect(await found({ 'job.yaml': both })).toEqual([]);
    expect(await found({ 'job.yaml': [claim.replace('  namespace: llm\n', ''), stated(job, 'default')].join('\n---\n') })).toEqual([]);
    expect(await found({ 'job.yaml': [claim, job].join('\n---\n') })).toEqual([]);
  });
});
