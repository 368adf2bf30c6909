import { runChecks } from '../../lib';
import { ruleFound, severityMessages } from '../util';

/** The rule's findings on one ConfigMap that a kustomization's namespace: moved from `from` into 'llm'. */
const moved = (from: string, labels: Record<string, string>) =>
  severityMessages(
    ruleFound(
      'namespace-moved-from-platform',
      [
        {
          manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vllm-dashboard', namespace: 'llm', labels }, data: { 'vllm.json': '{}' } },
          kustomizations: ['monitoring'],
          movedFrom: from,
        },
      ],
      { platform: 'rhoai-3.0', alone: true },
    ),
  );

describe('namespace-moved-from-platform', () => {
  test('a console dashboard ConfigMap moved out of openshift-config-managed: an error naming the console, the label and the namespace', () => {
    expect(moved('openshift-config-managed', { 'console.openshift.io/dashboard': 'true' })).toEqual([
      [
        'error',
        "its file puts it in namespace 'openshift-config-managed', but a kustomization's namespace: moves it to 'llm': the OpenShift console's Observe > Dashboards reads ConfigMaps labelled console.openshift.io/dashboard=true only from 'openshift-config-managed', so it never shows this one; deliver it from a kustomization without namespace:",
      ],
    ]);
    expect(moved('openshift-config-managed', { 'console.openshift.io/odc-dashboard': 'true' }).map((f) => f[0])).toEqual(['error']);
  });

  test('a reader not known, or a label the console does not select on, stays a warning', () => {
    expect(moved('openshift-config-managed', {}).map((f) => f[0])).toEqual(['warning']);
    expect(moved('openshift-config-managed', { 'console.openshift.io/dashboard': 'false' }).map((f) => f[0])).toEqual(['warning']);
    expect(moved('openshift-monitoring', { 'console.openshift.io/dashboard': 'true' }).map((f) => f[0])).toEqual(['warning']);
  });

  test('an object not moved, or moved from a namespace no platform component owns, is not judged', () => {
    expect(moved('', { 'console.openshift.io/dashboard': 'true' })).toEqual([]);
    expect(moved('team-a', { 'console.openshift.io/dashboard': 'true' })).toEqual([]);
  });
});

describe('namespace-moved-from-platform speaks only of what a platform component reads by namespace', () => {
  const at = (manifest: Record<string, unknown>) => ({ manifest, kustomizations: ['rhoai'], movedFrom: 'redhat-ods-operator' });
  const meta = (name: string) => ({ name, namespace: 'redhat-ods-applications' });
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('wait-for-crds'),
    spec: {
      template: {
        spec: {
          serviceAccountName: 'wait-for-crds',
          restartPolicy: 'Never',
          containers: [{ name: 'c', image: 'x', command: ['/scripts/wait.sh'], volumeMounts: [{ name: 's', mountPath: '/scripts' }] }],
          volumes: [{ name: 's', configMap: { name: 'wait-for-crds' } }],
        },
      },
    },
  };
  const found = (objects: Record<string, unknown>[]) =>
    runChecks(objects.map(at), { platform: 'rhoai-2', rules: ['namespace-moved-from-platform'] }).map((f) => f.object);

  test("a wait Job, its ServiceAccount, its Role and the script ConfigMap it mounts are the tree's own: nothing", () => {
    expect(
      found([
        job,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('wait-for-crds') },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('wait-for-crds'), rules: [] },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('wait-for-crds'), data: { 'wait.sh': 'oc wait crd/x' } },
      ]),
    ).toEqual([]);
  });

  test('a settings ConfigMap no pod reads and an operator custom resource: warnings', () => {
    expect(
      found([
        job,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('odh-segment-key-config'), data: { segmentKeyEnabled: 'false' } },
        { apiVersion: 'opendatahub.io/v1alpha', kind: 'OdhDashboardConfig', metadata: meta('odh-dashboard-config'), spec: {} },
      ]),
    ).toEqual(['ConfigMap/redhat-ods-applications/odh-segment-key-config', 'OdhDashboardConfig/redhat-ods-applications/odh-dashboard-config']);
  });
});

describe('namespace-moved-from-platform: an OLM Subscription moved out of openshift-operators', () => {
  const subscription = {
    manifest: {
      apiVersion: 'operators.coreos.com/v1alpha1',
      kind: 'Subscription',
      metadata: { name: 'openshift-gitops-operator', namespace: 'openshift-gitops-operator' },
      spec: { channel: 'latest', name: 'openshift-gitops-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' },
    },
    kustomizations: ['operator'],
    movedFrom: 'openshift-operators',
  };
  const group = (namespace: string) => ({
    manifest: { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'gitops', namespace }, spec: {} },
    kustomizations: ['operator'],
  });
  const found = (objects: Parameters<typeof ruleFound>[1]) =>
    ruleFound('namespace-moved-from-platform', objects, { platform: 'rhoai-3.0', alone: true }).map((f) => [f.severity, f.object]);

  test('with an OperatorGroup of the tree in the namespace it moves to: the documented install there, no finding', () => {
    expect(found([subscription, group('openshift-gitops-operator')])).toEqual([]);
  });

  test('without one there (none, or one in another namespace): the warning stays', () => {
    expect(found([subscription])).toEqual([['warning', 'Subscription/openshift-gitops-operator/openshift-gitops-operator']]);
    expect(found([subscription, group('other-operators')])).toEqual([['warning', 'Subscription/openshift-gitops-operator/openshift-gitops-operator']]);
  });
});
