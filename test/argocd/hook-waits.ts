import { runChecks } from '../../lib';
import { scriptWaits } from '../../lib/check/script-waits';

describe('scriptWaits: what a script polls for until it exists', () => {
  test('until-loops and `while !` loops on oc/kubectl get, with name, selector and namespace', () => {
    expect(scriptWaits('until oc get -n ns deployment/dash -o name; do sleep 5; done')).toEqual([
      { resource: 'deployment', name: 'dash', namespace: 'ns', command: 'until oc get -n ns deployment/dash -o name', timed: false },
    ]);
    expect(scriptWaits('while ! kubectl get csv --namespace=ops -l app=x\ndo\n  sleep 5\ndone')).toEqual([
      { resource: 'csv', selector: 'app=x', namespace: 'ops', command: 'while ! kubectl get csv --namespace=ops -l app=x', timed: false },
    ]);
  });

  test('a loop that can leave, `timeout`, and `oc wait` (30s unless a negative --timeout) give up', () => {
    expect(scriptWaits('n=0\nuntil oc get deploy d; do n=$((n+1)); [ $n -gt 60 ] && exit 1; sleep 5; done').map((w) => w.timed)).toEqual([true]);
    expect(scriptWaits('until timeout 5 oc get deploy d; do sleep 1; done').map((w) => w.timed)).toEqual([false]);
    expect(scriptWaits('oc wait --for=condition=Available deployment/d -n ns').map((w) => [w.name, w.timed])).toEqual([['d', true]]);
    expect(scriptWaits('kubectl wait --for=condition=Available deployment/d --timeout=-1s').map((w) => w.timed)).toEqual([false]);
  });

  test('waiting for something to go away, or a plain get, is no wait for it to exist', () => {
    expect(scriptWaits('while oc get pod p; do sleep 1; done')).toEqual([]);
    expect(scriptWaits('oc get deployment d -o yaml')).toEqual([]);
  });
});

describe('argocd-hook-waits-for-sync', () => {
  const subscription = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'Subscription',
    metadata: { name: 'rhods-operator', namespace: 'redhat-ods-operator' },
    spec: { name: 'rhods-operator', channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
  };
  const dsc = { apiVersion: 'datasciencecluster.opendatahub.io/v1', kind: 'DataScienceCluster', metadata: { name: 'default-dsc' }, spec: {} };
  const job = (namespace: string, script: string, annotations: Record<string, string>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'fix', namespace, annotations },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x', command: ['/bin/bash', '-c', script] }] } } },
  });
  const PRESYNC = { 'argocd.argoproj.io/hook': 'PreSync' };
  const CSV_WAIT = 'until oc get -n redhat-ods-operator csv -o name; do sleep 5; done';
  const DASHBOARD_WAIT = 'until oc get -n redhat-ods-applications deployment/rhods-dashboard; do sleep 5; done';
  const found = (objects: any[]) =>
    runChecks(
      objects.map((manifest) => ({ manifest, kustomizations: ['rhoai'] })),
      { platform: 'rhoai-2' },
    )
      .filter((f) => f.rule === 'argocd-hook-waits-for-sync')
      .map((f) => f.severity);

  test("a PreSync hook waiting for the CSV of the sync's own Subscription, or a Deployment the operator makes from its DataScienceCluster: an error", () => {
    expect(found([subscription, job('redhat-ods-operator', CSV_WAIT, PRESYNC)])).toEqual(['error']);
    expect(found([subscription, dsc, job('redhat-ods-applications', DASHBOARD_WAIT, PRESYNC)])).toEqual(['error']);
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'models' }, spec: {} };
    expect(found([deployment, job('models', 'until kubectl get deploy api; do sleep 2; done', PRESYNC)])).toEqual(['error']);
  });

  test('a wait that gives up (oc wait, or the Job has activeDeadlineSeconds) is a warning', () => {
    expect(
      found([subscription, job('redhat-ods-operator', 'oc wait -n redhat-ods-operator csv --all --for=jsonpath={.status.phase}=Succeeded', PRESYNC)]),
    ).toEqual(['warning']);
    expect(found([subscription, job('redhat-ods-operator', CSV_WAIT, PRESYNC, { activeDeadlineSeconds: 600 })])).toEqual(['warning']);
  });

  test('a Sync hook after them, a PreSync Subscription before the hook, or a sync that does not make what is waited for: nothing', () => {
    expect(found([subscription, job('redhat-ods-operator', CSV_WAIT, { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '1' })])).toEqual([]);
    const early = {
      ...subscription,
      metadata: { ...subscription.metadata, annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-5' } },
    };
    expect(found([early, job('redhat-ods-operator', CSV_WAIT, PRESYNC)])).toEqual([]);
    // the operator is another Application's and no DataScienceCluster is synced here: the CSV and the dashboard may be there already
    expect(found([job('redhat-ods-operator', CSV_WAIT, PRESYNC)])).toEqual([]);
    expect(found([subscription, job('redhat-ods-applications', DASHBOARD_WAIT, PRESYNC)])).toEqual([]);
  });
});
