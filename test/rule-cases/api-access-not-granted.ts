import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

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
