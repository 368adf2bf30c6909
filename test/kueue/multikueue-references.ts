import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * MultiKueue's wiring, from kubernetes-sigs/kueue pkg/controller/admissionchecks/multikueue admissioncheck_test.go:
 * a check whose config is missing is inactive (BadConfig), one whose clusters are all missing too (NoUsableClusters),
 * one with some clusters missing stays active (SomeActiveClusters); and pkg/cache clusterqueue_test.go: a ClusterQueue
 * naming a missing check is inactive (AdmissionCheckNotFound).
 */
const KUEUE = 'kueue.x-k8s.io/v1beta1';
const check = (name: string, params: Record<string, string> | undefined) => ({
  apiVersion: KUEUE,
  kind: 'AdmissionCheck',
  metadata: { name },
  spec: { controllerName: 'kueue.x-k8s.io/multikueue', ...(params ? { parameters: params } : {}) },
});
const config = (name: string, clusters: string[]) => ({ apiVersion: KUEUE, kind: 'MultiKueueConfig', metadata: { name }, spec: { clusters } });
const cluster = (name: string, secret: string, locationType = 'Secret') => ({
  apiVersion: KUEUE,
  kind: 'MultiKueueCluster',
  metadata: { name },
  spec: { kubeConfig: { locationType, location: secret } },
});
const secret = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque' });
const params = (name: string, kind = 'MultiKueueConfig') => ({ apiGroup: 'kueue.x-k8s.io', kind, name });

const found = (rule: string, ...objects: object[]) =>
  runChecks(
    objects.map((manifest) => ({ manifest })),
    { platform: 'kserve', kueue: '0.16' },
  )
    .filter((f) => f.rule === rule)
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

describe('multikueue-reference-missing', () => {
  test('an AdmissionCheck without parameters, or naming another kind, is an error whatever else the tree holds', () => {
    const none = found('multikueue-reference-missing', check('mk', undefined));
    expect(none).toMatchObject([{ severity: 'error', message: expect.stringMatching(/^spec\.parameters names no object.*reason BadConfig/) }]);
    const wrong = found('multikueue-reference-missing', check('mk', params('workers', 'ProvisioningRequestConfig')));
    expect(wrong).toMatchObject([{ severity: 'error', message: expect.stringMatching(/names kueue\.x-k8s\.io ProvisioningRequestConfig 'workers'/) }]);
  });

  test('a missing MultiKueueConfig: an error where the tree defines others, a warning where it defines none', () => {
    expect(found('multikueue-reference-missing', check('mk', params('cfg')), config('workers', []))).toMatchObject([
      { object: 'AdmissionCheck/mk', severity: 'error' },
    ]);
    expect(found('multikueue-reference-missing', check('mk', params('cfg')))).toMatchObject([
      { severity: 'warning', message: expect.stringMatching(/the tree defines no MultiKueueConfig; unless the cluster has it/) },
    ]);
    // Open Cluster Management's placement check generates the config named after its Placement
    const placement = {
      apiVersion: KUEUE,
      kind: 'AdmissionCheck',
      metadata: { name: 'ocm' },
      spec: {
        controllerName: 'open-cluster-management.io/placement',
        parameters: { apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name: 'cfg' },
      },
    };
    expect(found('multikueue-reference-missing', check('mk', params('cfg')), placement)).toEqual([]);
    // a check of another controller is not MultiKueue's
    expect(found('multikueue-reference-missing', { ...check('prov', params('cfg')), spec: { controllerName: 'kueue.x-k8s.io/provisioning-request' } })).toEqual(
      [],
    );
  });

  test("a config's clusters: all missing is an error (NoUsableClusters), some missing a warning (SomeActiveClusters)", () => {
    const s = secret('east-kc', 'kueue-system');
    expect(found('multikueue-reference-missing', config('workers', ['west']), cluster('east', 'east-kc'), s)).toMatchObject([
      { object: 'MultiKueueConfig/workers', severity: 'error', message: expect.stringMatching(/NoUsableClusters/) },
    ]);
    expect(found('multikueue-reference-missing', config('workers', ['east', 'west']), cluster('east', 'east-kc'), s)).toMatchObject([
      { object: 'MultiKueueConfig/workers', severity: 'warning', message: expect.stringMatching(/SomeActiveClusters.*'west'/) },
    ]);
    expect(found('multikueue-reference-missing', config('workers', ['east']), cluster('east', 'east-kc'), s)).toEqual([]);
  });

  test("a cluster's kubeconfig Secret: in Kueue's namespace passes; elsewhere a warning; missing among others there an error; a Path is not looked up", () => {
    expect(found('multikueue-reference-missing', cluster('east', 'east-kc'), secret('east-kc', 'kueue-system'))).toEqual([]);
    expect(found('multikueue-reference-missing', cluster('east', 'east-kc'), secret('east-kc', 'default'))).toMatchObject([
      { severity: 'warning', message: expect.stringMatching(/holds in namespace 'default', while Kueue reads it from its own namespace/) },
    ]);
    expect(found('multikueue-reference-missing', cluster('east', 'east-kc'), secret('west-kc', 'kueue-system'))).toMatchObject([
      { severity: 'error', message: expect.stringMatching(/it defines 'west-kc'/) },
    ]);
    expect(found('multikueue-reference-missing', cluster('east', '/etc/kueue/east.kubeconfig', 'Path'))).toEqual([]);
  });
});

describe('admission-check-not-found', () => {
  const cq = (checks: object) => ({
    apiVersion: KUEUE,
    kind: 'ClusterQueue',
    metadata: { name: 'research' },
    spec: { namespaceSelector: {}, resourceGroups: [], ...checks },
  });
  test('admissionChecks and admissionChecksStrategy both name checks; a tree with none is a warning', () => {
    const listed = found(
      'admission-check-not-found',
      cq({ admissionChecksStrategy: { admissionChecks: [{ name: 'mk' }, { name: 'prov' }] } }),
      check('prov', params('x')),
    );
    expect(listed).toMatchObject([
      {
        severity: 'error',
        message: expect.stringMatching(/^spec\.admissionChecksStrategy\.admissionChecks\[0\]\.name names AdmissionCheck 'mk'.*AdmissionCheckNotFound/),
      },
    ]);
    expect(found('admission-check-not-found', cq({ admissionChecks: ['mk'] }))).toMatchObject([{ severity: 'warning' }]);
    expect(found('admission-check-not-found', cq({ admissionChecks: ['mk'] }), check('mk', params('x')))).toEqual([]);
  });
});

describe('multikueue-reference-missing: a worker kubeconfig whose server is the manager pod itself', () => {
  const CLUSTER =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: MultiKueueCluster\nmetadata:\n  name: east\nspec:\n  kubeConfig:\n    locationType: Secret\n    location: east-kubeconfig\n';
  const kubeconfig = (server: string) =>
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: ${server}\n  name: east\ncontexts:\n- context: {cluster: east, user: mk}\n  name: east\ncurrent-context: east\nusers:\n- name: mk\n  user: {token: abc}\n`;
  const inTree = (files: Record<string, string>) => {
    const dir = writeTree('mk-kubeconfig-', { 'cluster.yaml': CLUSTER, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', kueue: '0.16', rules: ['multikueue-reference-missing'], ...read }).map(
      (f) => `${f.severity} ${f.message}`,
    );
  };
  const heredocScript = (server: string) =>
    `#!/bin/sh\nSERVER="${server}"\nOUT=east.kubeconfig\ncat > $OUT <<EOF\n${kubeconfig('$SERVER')}EOF\n` +
    'kubectl create secret generic east-kubeconfig -n kueue-system \\\n  --from-file=kubeconfig="$PWD/$OUT" --dry-run=client -o yaml | kubectl apply -f -\n';

  test('a heredoc of the script writes the file the Secret is made from, its server a variable holding localhost: an error', () => {
    expect(inTree({ 'setup.sh': heredocScript('https://localhost:6444') })).toEqual([
      "error spec.kubeConfig.location names Secret 'east-kubeconfig' (made by setup.sh:19), whose kubeconfig points at server https://localhost:6444: Kueue's manager connects from its own pod, where that address is the pod itself, " +
        'so the worker is never reached and the MultiKueueCluster never becomes Active, so every ClusterQueue that lists the check is inactive (Active=False, reason AdmissionCheckInactive) and its workloads stay pending, never dispatched to a worker cluster: ' +
        "write the worker's address as the manager cluster reaches it (its API server's host name or IP)",
    ]);
  });

  test('a kubeconfig file of the tree (127.0.0.1), and a Secret of the tree with stringData ([::1]): errors', () => {
    const script = '#!/bin/sh\nkubectl create secret generic east-kubeconfig -n kueue-system --from-file=kubeconfig=clusters/east.kubeconfig\n';
    expect(inTree({ 'setup.sh': script, 'clusters/east.kubeconfig': kubeconfig('https://127.0.0.1:6443') })).toEqual([
      expect.stringMatching(/^error .*\(made by setup\.sh:2\), whose kubeconfig points at server https:\/\/127\.0\.0\.1:6443/),
    ]);
    const held = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: east-kubeconfig\n  namespace: kueue-system\nstringData:\n  kubeconfig: |\n${kubeconfig(
      'https://[::1]:6443',
    )
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n')}`;
    expect(inTree({ 'secret.yaml': held })).toEqual([
      expect.stringMatching(/^error .*\(Secret\/kueue-system\/east-kubeconfig\), whose kubeconfig points at server https:\/\/\[::1\]:6443/),
    ]);
  });

  test("a Secret of the tree whose data holds the kubeconfig base64-encoded (localhost): an error; the worker's kind control-plane name: silent", () => {
    const encoded = (server: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: east-kubeconfig\n  namespace: kueue-system\ndata:\n  kubeconfig: ${Buffer.from(kubeconfig(server)).toString('base64')}\n`;
    expect(inTree({ 'secret.yaml': encoded('https://localhost:39211') })).toEqual([
      expect.stringMatching(/^error .*\(Secret\/kueue-system\/east-kubeconfig\), whose kubeconfig points at server https:\/\/localhost:39211/),
    ]);
    expect(inTree({ 'secret.yaml': encoded('https://east-control-plane:6443') })).toEqual([]);
  });

  test.each([
    ['a host name the manager reaches', heredocScript('https://east.example.internal:6443')],
    ['an IP of the host', heredocScript('https://10.0.0.12:6444')],
    ["a kind cluster's control-plane container, which the manager reaches on kind's network", heredocScript('https://worker1-control-plane:6443')],
  ])('near miss, %s: silent', (_, script) => {
    expect(inTree({ 'setup.sh': script })).toEqual([]);
  });
});
