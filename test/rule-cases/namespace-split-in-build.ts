import { cliInProcess, Found, treeRuleFound, writeTree } from '../util';

const CLAIM = (namespace = '') =>
  [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    '  name: scratch',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
  ].join('\n');

const ACCOUNT = (namespace = '') =>
  ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: runner', ...(namespace ? [`  namespace: ${namespace}`] : [])].join('\n');

const JOB = (namespace: string, account = 'runner') =>
  [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    '  name: warmup',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    `      serviceAccountName: ${account}`,
    '      restartPolicy: Never',
    '      containers:',
    '      - name: w',
    '        image: registry.access.redhat.com/ubi9/ubi:9.5',
    '        envFrom: [{configMapRef: {name: knobs}}]',
    '        volumeMounts: [{name: s, mountPath: /s}]',
    '      volumes:',
    '      - {name: s, persistentVolumeClaim: {claimName: scratch}}',
  ].join('\n');

const KNOBS = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: knobs}\ndata: {A: b}';

const BINDING = (subject: string) =>
  [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: runner-view, namespace: tools}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
    'subjects:',
    `- {kind: ServiceAccount, name: runner${subject}}`,
  ].join('\n');

const found = (files: Record<string, string>): Promise<Found[]> =>
  treeRuleFound('namespace-split-in-build', 'namespace-split.', files, ['--platform', 'kserve']);

const heads = (fs: Found[]) => fs.map((f) => `${f.severity} ${f.object} ${f.message.split(', but')[0]}`);

describe('namespace-split-in-build', () => {
  test('a Job in tools using a claim, a ConfigMap and an account that its folder defines without a namespace: a warning each', async () => {
    const fs = await found({ 'app/claim.yaml': CLAIM(), 'app/account.yaml': ACCOUNT(), 'app/knobs.yaml': KNOBS, 'app/job.yaml': JOB('tools') });
    expect(heads(fs)).toEqual([
      "warning Job/tools/warmup container 'w' envFrom reads ConfigMap 'knobs' in namespace 'tools'",
      "warning Job/tools/warmup spec.template.spec.serviceAccountName runs the pods as ServiceAccount 'runner' in namespace 'tools'",
      "warning Job/tools/warmup spec.template.spec.volumes[s].persistentVolumeClaim.claimName mounts PersistentVolumeClaim 'scratch' in namespace 'tools'",
    ]);
    const account = fs.find((f) => f.message.includes('ServiceAccount'))!;
    expect(account.message).toContain("ServiceAccount 'runner' (account.yaml, in the same build) has no namespace");
    expect(account.message).toContain('serviceaccount "runner" not found');
    expect(account.message).toContain("set metadata.namespace: tools on ServiceAccount 'runner' too (or a kustomize namespace: tools for the whole build)");
  });

  test('a kustomize build without namespace: that places the Job and not its account: a warning', async () => {
    const fs = await found({
      'kustomization.yaml': 'resources: [account.yaml, job.yaml, claim.yaml, knobs.yaml]\n',
      'account.yaml': ACCOUNT(),
      'job.yaml': JOB('tools'),
      'claim.yaml': CLAIM('tools'),
      'knobs.yaml': KNOBS.replace('{name: knobs}', '{name: knobs, namespace: tools}'),
    });
    expect(heads(fs)).toEqual(["warning Job/tools/warmup spec.template.spec.serviceAccountName runs the pods as ServiceAccount 'runner' in namespace 'tools'"]);
  });

  test('a RoleBinding in tools granting its account, which the file defines without a namespace, and no pod of tools runs as it: a warning on the binding', async () => {
    const fs = await found({ 'rbac.yaml': `${ACCOUNT()}\n---\n${BINDING('')}` });
    expect(heads(fs)).toEqual(["warning RoleBinding/tools/runner-view subjects[0] grants ServiceAccount 'runner' of namespace 'tools'"]);
    expect(fs[0].message).toContain("the binding gives ClusterRole 'view' to an account that is not there");
    // a Job of the build in tools running as it: one finding, on the Job
    const both = await found({
      'rbac.yaml': `${ACCOUNT()}\n---\n${BINDING('')}`,
      'job.yaml': JOB('tools'),
      'claim.yaml': CLAIM('tools'),
      'knobs.yaml': KNOBS.replace('{name: knobs}', '{name: knobs, namespace: tools}'),
    });
    expect(both.map((f) => f.object)).toEqual(['Job/tools/warmup']);
  });

  test('near misses: both placed, neither placed, a kustomize namespace:, a script applying the folder with -n, the default account, another folder', async () => {
    const placed = {
      'app/claim.yaml': CLAIM('tools'),
      'app/account.yaml': ACCOUNT('tools'),
      'app/knobs.yaml': KNOBS.replace('{name: knobs}', '{name: knobs, namespace: tools}'),
    };
    expect(await found({ ...placed, 'app/job.yaml': JOB('tools') })).toEqual([]);
    const loose = { 'app/claim.yaml': CLAIM(), 'app/account.yaml': ACCOUNT(), 'app/knobs.yaml': KNOBS };
    expect(await found({ ...loose, 'app/job.yaml': JOB('') })).toEqual([]);
    expect(
      await found({
        'kustomization.yaml': 'namespace: tools\nresources: [account.yaml, job.yaml, claim.yaml, knobs.yaml]\n',
        'account.yaml': ACCOUNT(),
        'job.yaml': JOB('tools'),
        'claim.yaml': CLAIM(),
        'knobs.yaml': KNOBS,
      }),
    ).toEqual([]);
    expect(await found({ ...loose, 'app/job.yaml': JOB('tools'), 'deploy.sh': 'kubectl apply -n tools -f app/\n' })).toEqual([]);
    expect(await found({ ...placed, 'app/account.yaml': ACCOUNT(), 'app/job.yaml': JOB('tools', 'default') })).toEqual([]);
    expect(await found({ 'one/claim.yaml': CLAIM(), 'one/account.yaml': ACCOUNT(), 'one/knobs.yaml': KNOBS, 'two/job.yaml': JOB('tools') })).toEqual([]);
    // a misspelt namespace key on the claim: field-unknown's error is the cause
    const typo = CLAIM().replace('  name: scratch', '  name: scratch\n  nasmespace: tools');
    expect(await found({ ...placed, 'app/claim.yaml': typo, 'app/job.yaml': JOB('tools') })).toEqual([]);
    // the stated namespace is default, where kubectl puts the account too when neither -n nor the context names another
    const toDefault = BINDING(', namespace: default')
      .replace('kind: RoleBinding', 'kind: ClusterRoleBinding')
      .replace('{name: runner-view, namespace: tools}', '{name: runner-view}');
    expect(await found({ 'rbac.yaml': `${ACCOUNT()}\n---\n${toDefault}` })).toEqual([]);
    expect(await found({ ...loose, 'app/job.yaml': JOB('default') })).toEqual([]);
    // a RoleBinding whose subject names another namespace than the binding's, where the account is placed
    expect(await found({ 'rbac.yaml': `${ACCOUNT('tools')}\n---\n${BINDING('')}` })).toEqual([]);
  });

  test('a file applied by a script without -n is reference-in-other-namespace, not this rule', async () => {
    const file = `${CLAIM()}\n---\n${ACCOUNT()}\n---\n${KNOBS}\n---\n${JOB('tools')}`;
    const root = writeTree('namespace-split.', { 'job.yaml': file, 'deploy.sh': 'kubectl apply -f job.yaml\n' });
    const r = await cliInProcess(['check', root, '--json', '--platform', 'kserve']);
    const rules = (JSON.parse(r.out).findings as { rule: string }[]).map((f) => f.rule);
    expect(rules).toContain('reference-in-other-namespace');
    expect(rules).not.toContain('namespace-split-in-build');
  });
});
