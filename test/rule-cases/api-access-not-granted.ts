import * as YAML from 'yaml';
import { cliInProcess, podWorkload, treeRuleFound, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly message: string;
}

/** A Job in namespace `ops` whose container runs the script, with the pod spec fields given. */
function job(script: string, pod: object = {}, init = false): unknown {
  const container = { name: 'step', image: 'registry.example.com/tools/kubectl:1.31', command: ['/bin/sh', '-c', script] };
  const main = { name: 'main', image: 'registry.example.com/app:1.0' };
  const containers = init ? { initContainers: [container], containers: [main] } : { containers: [container] };
  return podWorkload('rollout-step', 'ops', { restartPolicy: 'Never', ...containers, ...pod }, 'Job');
}

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', subject: object) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'step-access', ...(kind === 'RoleBinding' ? { namespace: 'ops' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [subject],
});
const account = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'ops' } });
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } };

async function findings(objects: unknown[]): Promise<Finding[]> {
  const dir = writeTree('api-access-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'api-access-not-granted');
}

const WAIT = 'kubectl wait --for=condition=Ready pod -l app=db --timeout=300s';

describe('api-access-not-granted', () => {
  test('kubectl wait as the default account, with no binding in the tree: a warning naming the command and the account', async () => {
    const [f, ...rest] = await findings([job(WAIT)]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("container 'step' runs `kubectl wait --for=condition=Ready pod -l app=db --timeout=300s`");
    expect(f.message).toContain('ServiceAccount default (serviceAccountName is unset)');
    expect(f.message).toContain('a binding made outside the tree may grant it');
  });

  test('an init container looping on curl to the API server: the loop and the pod that never starts are said', async () => {
    const script =
      'until curl -sf --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt https://kubernetes.default.svc/api/v1/namespaces/ops/endpoints/db; do sleep 5; done';
    const [f] = await findings([job(script, {}, true)]);
    expect(f.message).toContain("init container 'step' runs `curl");
    expect(f.message).toContain('the loop waiting on it never ends (the pod never starts)');
  });

  test('where the tree creates the namespace it stays a warning, saying only a cluster-wide binding made elsewhere could grant it', async () => {
    const [f] = await findings([namespace, job(WAIT)]);
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("the tree creates namespace 'ops'");
  });

  test('an account of the tree with no binding is judged; one made outside the tree is not', async () => {
    expect(await findings([account('stepper'), job(WAIT, { serviceAccountName: 'stepper' })])).toHaveLength(1);
    expect(await findings([job(WAIT, { serviceAccountName: 'stepper' })])).toEqual([]);
  });

  test('near misses: bound as a subject, by user name, by group; other credentials; client-side commands; a comment', async () => {
    const named = { serviceAccountName: 'stepper' };
    expect(await findings([account('stepper'), binding('RoleBinding', { kind: 'ServiceAccount', name: 'stepper' }), job(WAIT, named)])).toEqual([]);
    expect(await findings([binding('ClusterRoleBinding', { kind: 'ServiceAccount', name: 'default', namespace: 'ops' }), job(WAIT)])).toEqual([]);
    expect(await findings([binding('RoleBinding', { kind: 'User', name: 'system:serviceaccount:ops:default' }), job(WAIT)])).toEqual([]);
    expect(await findings([binding('ClusterRoleBinding', { kind: 'Group', name: 'system:serviceaccounts:ops' }), job(WAIT)])).toEqual([]);
    expect(await findings([job(`${WAIT} --kubeconfig /etc/kube/config`)])).toEqual([]);
    expect(await findings([job('kubectl version --client && kubectl kustomize /src > /out/all.yaml')])).toEqual([]);
    expect(await findings([job(`# ${WAIT}\necho done`)])).toEqual([]);
  });

  test('a binding of the account in another namespace grants nothing here', async () => {
    const elsewhere = binding('ClusterRoleBinding', { kind: 'ServiceAccount', name: 'default', namespace: 'tools' });
    expect(await findings([elsewhere, job(WAIT)])).toHaveLength(1);
  });

  describe('each call is judged in the namespace it works in', () => {
    const sharedBinding = {
      ...binding('RoleBinding', { kind: 'ServiceAccount', name: 'default', namespace: 'ops' }),
      metadata: { name: 'step-access', namespace: 'shared' },
    };
    const PUBLISH = 'kubectl -n shared create configmap report --from-file=/tmp/report.json';

    test('near miss: a RoleBinding of another namespace binds the account, and the script works only there', async () => {
      expect(await findings([sharedBinding, job(PUBLISH)])).toEqual([]);
      expect(await findings([sharedBinding, job('oc label configmap report ready=true --namespace=shared')])).toEqual([]);
    });

    test("a call in the pod's own namespace, or in a third one, is not granted by that binding: a warning naming the namespace", async () => {
      const [own] = await findings([sharedBinding, job(`${PUBLISH}\nkubectl get pods`)]);
      expect(own.message).toContain(
        'runs `kubectl get pods` against the Kubernetes API as ServiceAccount default (serviceAccountName is unset), and no RoleBinding or ClusterRoleBinding',
      );
      const [third] = await findings([sharedBinding, job('kubectl -n audit get configmap report')]);
      expect(third.message).toContain(
        "and no RoleBinding of namespace 'audit', where the command works, nor ClusterRoleBinding of the tree binds that account",
      );
    });

    test("a RoleBinding of the pod's namespace does not grant a call in another one", async () => {
      expect(await findings([binding('RoleBinding', { kind: 'ServiceAccount', name: 'default' }), job(PUBLISH)])).toHaveLength(1);
    });
  });

  describe('an Argo CD hook waiting in a loop on a call it may not make', () => {
    const hook = (script: string, phase = 'Sync', spec: object = {}) => {
      const j = job(script) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      return { ...j, metadata: { ...j.metadata, annotations: { 'argocd.argoproj.io/hook': phase } }, spec: { ...j.spec, ...spec } };
    };
    const UNTIL = 'until oc get crd brokers.eventing.knative.dev &> /dev/null; do\n  echo waiting; sleep 10\ndone\necho found';

    test('the loop cannot end, so neither can the hook nor the sync: an error saying so', async () => {
      const [f, ...rest] = await findings([hook(UNTIL)]);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('error');
      expect(f.message).toContain("container 'step' waits in a loop on `oc get crd brokers.eventing.knative.dev` against the Kubernetes API");
      expect(f.message).toContain('the Job is an Argo CD Sync hook, and Argo CD waits for a hook to complete before the sync goes on');
      expect(f.message).toContain('neither does the sync');
      const [presync] = await findings([hook('while ! kubectl get deployment db -n ops; do sleep 5; done', 'PreSync')]);
      expect(presync.severity).toBe('error');
      expect(presync.message).toContain('Argo CD PreSync hook');
    });

    test('a deadline on the Job ends the wait by failing the hook, and the sync with it', async () => {
      const [f] = await findings([hook(UNTIL, 'Sync', { activeDeadlineSeconds: 600 })]);
      expect(f.severity).toBe('error');
      expect(f.message).toContain('the sync waits until activeDeadlineSeconds (600) fails the Job, and the failed hook fails the sync');
    });

    test('near misses, warnings as before: a plain Job, a tolerated failure, a loop that can end, curl without --fail', async () => {
      const severities = async (o: unknown) => (await findings([o])).map((f) => f.severity);
      expect(await severities(job(UNTIL))).toEqual(['warning']);
      expect(await severities(hook('until kubectl get crd x || [ "$n" -gt 30 ]; do n=$((n+1)); sleep 5; done'))).toEqual(['warning']);
      expect(await severities(hook('until kubectl get crd x; do n=$((n+1)); [ "$n" -gt 30 ] && exit 1; sleep 5; done'))).toEqual(['warning']);
      expect(await severities(hook(`timeout 300 sh -c '${UNTIL}'`))).toEqual(['warning']);
      expect(await severities(hook('kubectl get crd x || true'))).toEqual(['warning']);
      expect(await severities(hook('until curl -sk https://kubernetes.default.svc/apis; do sleep 5; done'))).toEqual(['warning']);
      expect(await severities(hook(UNTIL, 'PostDelete'))).toEqual(['warning']);
    });
  });
});

describe('api-access-not-granted: an inline Python program', () => {
  const python = (program: string, command = ['python3', '-u', '-c']) =>
    podWorkload(
      'report',
      'ops',
      { restartPolicy: 'Never', containers: [{ name: 'step', image: 'registry.example.com/ml:1.0', command, args: [program] }] },
      'Job',
    );

  test('a command in a string it prints runs nothing; one it hands to subprocess or os.system runs', async () => {
    expect(await findings([python('import subprocess\nprint("check it: kubectl get pods -n ops)")\nsubprocess.run(["nvidia-smi", "-L"])\n')])).toEqual([]);
    const [run] = await findings([python('import subprocess\nsubprocess.run(["kubectl", "get", "pods", "-n", "ops"], check=True)\n')]);
    expect(run).toEqual(expect.objectContaining({ rule: 'api-access-not-granted', severity: 'warning', object: 'Job/ops/report' }));
    expect(run.message).toContain("container 'step' runs `kubectl get pods -n ops`");
    const [system] = await findings([python('import os\nos.system("oc wait --for=condition=Ready pod/db -n ops")\n')]);
    expect(system.message).toContain('runs `oc wait --for=condition=Ready pod/db -n ops`');
  });

  test('inside a shell script, `python -c "…"` is read the same way', async () => {
    const script = `echo start\npython -c "print('then run: kubectl get nodes')"\n`;
    expect(await findings([job(script)])).toEqual([]);
    expect((await findings([job(`${script}kubectl get nodes\n`)])).map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('api-access-not-granted: a hook whose only grant its own sync or Helm install creates after it', () => {
  /** A chart whose pre-install hook Job calls the API as a ServiceAccount made first (a hook of weight -10), bound by a Role and RoleBinding. */
  function chart(script: string, opts: { jobHook?: string; rbacAnnotations?: string; command?: string } = {}): Record<string, string> {
    const rbac = (kind: string, rest: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: model-gate\n${opts.rbacAnnotations ?? ''}${rest}`;
    return {
      'charts/gate/Chart.yaml': 'apiVersion: v2\nname: gate\nversion: 0.1.0\n',
      'charts/gate/values.yaml': 'image: registry.example.com/tools/kubectl:1.31\n',
      'charts/gate/templates/rbac.yaml': [
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: model-gate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "-10"\n',
        rbac('Role', 'rules:\n  - {apiGroups: [serving.kserve.io], resources: [inferenceservices], verbs: [get, list, watch]}\n'),
        rbac(
          'RoleBinding',
          'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: model-gate}\nsubjects: [{kind: ServiceAccount, name: model-gate}]\n',
        ),
      ].join('---\n'),
      'charts/gate/templates/job.yaml': [
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata:',
        '  name: wait-for-model',
        '  annotations:',
        `    helm.sh/hook: ${opts.jobHook ?? 'pre-install,pre-upgrade'}`,
        '    helm.sh/hook-weight: "-5"',
        'spec:',
        '  template:',
        '    spec:',
        '      serviceAccountName: model-gate',
        '      restartPolicy: Never',
        '      containers:',
        '        - name: wait',
        '          image: {{ .Values.image }}',
        `          command: ${opts.command ?? '[/bin/sh, -c]'}`,
        `          args: [${JSON.stringify(script)}]`,
        '',
      ].join('\n'),
    };
  }
  const SCRIPT = { 'deploy.sh': '#!/bin/sh\nhelm upgrade --install gate charts/gate -n llm --create-namespace\n' };
  const APP = {
    'apps/gate.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: gate, namespace: argocd}\nspec:\n  project: default\n' +
      '  destination: {server: https://kubernetes.default.svc, namespace: llm}\n  source:\n    repoURL: https://git.example.org/team/llm.git\n' +
      '    targetRevision: main\n    path: charts/gate\n',
  };
  const found = async (files: Record<string, string>) =>
    (await treeRuleFound('api-access-not-granted', 'hook-grant-', files, ['--platform', 'kserve'])).map((f) => [f.severity, f.object, f.message]);
  const WAIT = 'kubectl wait --for=condition=Ready inferenceservice/granite --timeout=600s';

  test('a pre-install hook of a chart a script installs, exiting on the refusal (sh -e): an error in Helm terms', async () => {
    const out = (await found({ ...chart(WAIT, { command: '[/bin/sh, -ec]' }), ...SCRIPT })).map(([s, o, m]) => [
      s,
      o,
      m.replace(/\(\S*\/deploy\.sh/, '(TREE/deploy.sh'),
    ]);
    expect(out).toEqual([
      [
        'error',
        'Job/llm/wait-for-model',
        "Helm pre-install hook Job/llm/wait-for-model (weight -5): container 'wait' runs `kubectl wait --for=condition=Ready inferenceservice/granite --timeout=…` " +
          'as ServiceAccount model-gate, whose only grant the same chart creates after the hook (RoleBinding/llm/model-gate and Role/llm/model-gate as plain resources): ' +
          "Helm runs pre-install hooks before it creates the chart's resources, and a lower hook-weight first, so on the first install (TREE/deploy.sh (line 2)) " +
          "the API answers 403 Forbidden; the container exits with the refusal, the Job fails and so does the install, before the chart's resources are created; " +
          "make them pre-install,pre-upgrade hooks with a lower helm.sh/hook-weight than the Job's, or run the Job as a post-install,post-upgrade hook",
      ],
    ]);
  });

  test('the chart checked alone: its default install, an error not capped by the default values; kubectl run directly fails the Job too', async () => {
    const [f] = await found(chart('', { command: `[kubectl, wait, --for=condition=Ready, inferenceservice/granite]` }));
    expect(f.slice(0, 2)).toEqual(['error', 'Job/wait-for-model']);
    expect(f[2]).toContain('so on `helm install` of the chart with its default values the API answers 403 Forbidden; the container exits with the refusal');
  });

  test('synced by an Argo CD Application: a pre-upgrade hook is PreSync on every sync, the first included; a retry loop never ends', async () => {
    const [f, ...rest] = await found({
      ...chart('until kubectl get inferenceservice/granite; do sleep 5; done; echo ready', { jobHook: 'pre-upgrade' }),
      ...APP,
    });
    expect(rest).toEqual([]);
    expect(f.slice(0, 2)).toEqual(['error', 'Job/llm/wait-for-model']);
    expect(f[2]).toContain(
      "PreSync hook Job/llm/wait-for-model (the PreSync phase, wave -5): container 'wait' runs `kubectl get inferenceservice/granite` as ServiceAccount model-gate, " +
        'whose only grant Application/argocd/gate creates after the hook (RoleBinding/llm/model-gate and Role/llm/model-gate in the Sync phase, wave 0), so on the first sync the API answers 403 Forbidden; ' +
        'the loop waiting on it never ends, so the hook never completes and neither does the sync',
    );
  });

  test('a refused call the script goes on past: a warning', async () => {
    const [f] = await found({ ...chart(`${WAIT} || echo not ready; echo done`), ...SCRIPT });
    expect(f[0]).toBe('warning');
    expect(f[2]).toContain('the script goes on past the refused call, so the hook completes without what the call does');
  });

  test.each([
    [
      'the Role and RoleBinding pre-install hooks of a lower weight',
      { rbacAnnotations: '  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "-10"\n' },
    ],
    ['the Job a post-install hook', { jobHook: 'post-install,post-upgrade' }],
    ['the Job a pre-upgrade hook only, Helm installing the chart (its resources exist when it runs)', { jobHook: 'pre-upgrade' }],
  ])('near miss, %s: silent', async (_, opts) => {
    expect(await found({ ...chart(WAIT, { command: '[/bin/sh, -ec]', ...opts }), ...SCRIPT })).toEqual([]);
  });

  test('near miss: the ServiceAccount itself a plain resource, which argocd-hook-before-prerequisite reports (the pod is never created)', async () => {
    const files = chart(WAIT, { command: '[/bin/sh, -ec]' });
    files['charts/gate/templates/rbac.yaml'] = files['charts/gate/templates/rbac.yaml'].replace(
      / {2}annotations:\n {4}helm.sh\/hook: pre-install,pre-upgrade\n {4}helm.sh\/hook-weight: "-10"\n/,
      '',
    );
    expect(await found({ ...files, ...SCRIPT })).toEqual([]);
  });
});
