import { ObjectGraph } from '../../lib/check/graph';
import { runChecks } from '../../lib';
import { restrictedRefusals, sccsGranted } from '../../lib/check/openshift-scc';
import { scriptSccGrants } from '../../lib/manifests/script-scc-grants';
import { cliInProcess, writeTree } from '../util';

// Cases after openshift/apiserver-library-go sccmatching/provider_test.go (TestValidatePodFailures,
// TestValidateContainerFailures) against the restricted-v2 SCC's fields.
describe('restrictedRefusals', () => {
  const container = (securityContext: object, extra: object = {}) => ({ containers: [{ name: 'c', image: 'x', securityContext, ...extra }] });
  test.each([
    ['privileged', container({ privileged: true }), "container 'c' is privileged"],
    ['privilege escalation', container({ allowPrivilegeEscalation: true }), "container 'c' sets allowPrivilegeEscalation: true"],
    [
      'an added capability, CAP_ prefixed',
      container({ capabilities: { add: ['CAP_SYS_ADMIN'] } }),
      "container 'c' adds the capabilities CAP_SYS_ADMIN (only NET_BIND_SERVICE is allowed)",
    ],
    ['a host port', container({}, { ports: [{ containerPort: 80, hostPort: 8080 }] }), "container 'c' uses hostPort 8080"],
    ['root', container({ runAsUser: 0 }), "container 'c' securityContext.runAsUser 0 is outside the namespace's uid range (MustRunAsRange)"],
    [
      'an SELinux type',
      container({ seLinuxOptions: { type: 'spc_t' } }),
      "container 'c' securityContext.seLinuxOptions.type spc_t is set (MustRunAs allows only the namespace's level)",
    ],
    [
      'an unconfined seccomp profile',
      container({ seccompProfile: { type: 'Unconfined' } }),
      "container 'c' securityContext.seccompProfile.type Unconfined is not runtime/default",
    ],
    ['host network', { hostNetwork: true, containers: [] }, 'hostNetwork: true'],
    ['a hostPath volume', { volumes: [{ name: 'dev', hostPath: { path: '/dev' } }], containers: [] }, "volume 'dev' is a hostPath"],
    [
      'a fixed fsGroup',
      { securityContext: { fsGroup: 1000 }, containers: [] },
      "the pod securityContext.fsGroup 1000 is outside the namespace's range (MustRunAs)",
    ],
  ])('refuses %s', (_, pod, expected) => {
    expect(restrictedRefusals(pod)).toEqual([expected]);
  });

  test.each([
    ['NET_BIND_SERVICE added', container({ capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } })],
    ['a uid of an allocated range', container({ runAsUser: 1000650000 })],
    ['RuntimeDefault seccomp and an SELinux level', container({ seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { level: 's0:c26,c15' } })],
    ['hostPort 0', container({}, { ports: [{ containerPort: 80, hostPort: 0 }] })],
    [
      'configMap, emptyDir and PVC volumes',
      {
        volumes: [
          { name: 'a', configMap: { name: 'x' } },
          { name: 'b', emptyDir: {} },
        ],
        containers: [],
      },
    ],
  ])('allows %s', (_, pod) => {
    expect(restrictedRefusals(pod)).toEqual([]);
  });
});

describe('sccsGranted', () => {
  const graphOf = (...manifests: object[]) => new ObjectGraph(manifests.map((manifest) => ({ manifest })));
  const binding = (kind: string, ns: string | undefined, role: string, subject: object) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: 'b', ...(ns ? { namespace: ns } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [subject],
  });

  test("a RoleBinding of the account to a per-SCC ClusterRole grants that SCC; a subject without namespace takes the binding's", () => {
    const g = graphOf(binding('RoleBinding', 'ml', 'system:openshift:scc:anyuid', { kind: 'ServiceAccount', name: 'runner' }));
    expect(sccsGranted(g, 'runner', 'ml')).toEqual(['anyuid']);
    expect(sccsGranted(g, 'other', 'ml')).toEqual([]);
    expect(sccsGranted(g, 'runner', 'prod')).toEqual([]);
  });

  test("a ClusterRoleBinding of the namespace's service accounts group grants every account there", () => {
    const g = graphOf(binding('ClusterRoleBinding', undefined, 'system:openshift:scc:privileged', { kind: 'Group', name: 'system:serviceaccounts:ml' }));
    expect(sccsGranted(g, 'default', 'ml')).toEqual(['privileged']);
    expect(sccsGranted(g, 'default', 'other')).toEqual([]);
  });

  test('a role of the tree grants the SCCs it allows `use` of; a role outside the tree any', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'use-hostnetwork' },
      rules: [{ apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], resourceNames: ['hostnetwork-v2'], verbs: ['use'] }],
    };
    const sa = { kind: 'ServiceAccount', name: 'runner', namespace: 'ml' };
    expect(sccsGranted(graphOf(role, binding('ClusterRoleBinding', undefined, 'use-hostnetwork', sa)), 'runner', 'ml')).toEqual(['hostnetwork-v2']);
    expect(sccsGranted(graphOf(binding('ClusterRoleBinding', undefined, 'some-role', sa)), 'runner', 'ml')).toEqual(['*']);
  });

  test('an SCC listing the account in users grants it', () => {
    const scc = {
      apiVersion: 'security.openshift.io/v1',
      kind: 'SecurityContextConstraints',
      metadata: { name: 'gpu-tools' },
      users: ['system:serviceaccount:ml:runner'],
    };
    expect(sccsGranted(graphOf(scc), 'runner', 'ml')).toEqual(['gpu-tools']);
    expect(sccsGranted(graphOf(scc), 'default', 'ml')).toEqual([]);
  });
});

describe('scc-refuses-pod on the predictor pod KServe builds from an InferenceService and its ServingRuntime', () => {
  const NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } };
  const runtime = (port: object) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'llamacpp', namespace: 'llm' },
    spec: {
      supportedModelFormats: [{ name: 'gguf' }],
      containers: [{ name: 'kserve-container', image: 'quay.io/example/llama-cpp:1.0', ports: [{ containerPort: 8080, name: 'http1', ...port }] }],
    },
  });
  const isvc = (predictor: object = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'chat', namespace: 'llm' },
    spec: { predictor: { model: { modelFormat: { name: 'gguf' }, runtime: 'llamacpp', storageUri: 'oci://quay.io/example/model:1' }, ...predictor } },
  });
  const scc = (...manifests: object[]) =>
    runChecks(
      manifests.map((manifest) => ({ manifest })),
      { platform: 'rhoai-2' },
    )
      .filter((f) => f.rule === 'scc-refuses-pod')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test("a hostPort in the runtime's container refuses the service's pod, run as the predictor's default account: an error on the service", () => {
    expect(scc(NS, runtime({ hostPort: 8001 }), isvc())).toEqual([
      expect.stringMatching(
        /^error InferenceService\/llm\/chat: ServiceAccount 'default' in namespace 'llm' may use only restricted-v2; it is the default account of a namespace the tree creates .*restricted-v2 refuses this pod: container 'kserve-container' uses hostPort 8001; KServe's predictor ReplicaSet cannot create the pods/,
      ),
    ]);
  });

  test("the predictor's own account, granted an SCC that allows host ports in the tree: no finding; a pod-level field of the predictor counts too", () => {
    const grant = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'serving-hostnetwork', namespace: 'llm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:hostnetwork-v2' },
      subjects: [{ kind: 'ServiceAccount', name: 'serving' }],
    };
    expect(scc(NS, runtime({ hostPort: 8001 }), isvc({ serviceAccountName: 'serving' }), grant)).toEqual([]);
    expect(scc(NS, runtime({}), isvc({ hostNetwork: true }))).toEqual([
      expect.stringMatching(/^error InferenceService\/llm\/chat: .*refuses this pod: hostNetwork: true;/),
    ]);
  });

  test('near miss: a containerPort alone is allowed', () => {
    expect(scc(NS, runtime({}), isvc())).toEqual([]);
  });

  test("a ServingRuntime no InferenceService of the tree uses: a warning on the runtime, its services' account assumed", () => {
    expect(scc(NS, runtime({ hostPort: 8001 }))).toEqual([
      expect.stringMatching(
        /^warning ServingRuntime\/llm\/llamacpp: The ServiceAccount of the InferenceServices that use this runtime \('default' unless they name one\) in namespace 'llm' may use only restricted-v2; the tree grants it no other SCC \(assumed: .*uses hostPort 8001; the predictor ReplicaSets of the InferenceServices that use it cannot create the pods/,
      ),
    ]);
  });
});

// The subjects as openshift/oc pkg/cli/admin/policy/modify_scc.go builds them (CompleteUsers, CompleteGroups; its
// examples `add-scc-to-user privileged -z serviceaccount1`, `add-scc-to-group restricted group1 group2`).
describe('SCC grants of scripts and READMEs', () => {
  const grants = (script: string, text: string) => scriptSccGrants([{ script, text }]).map((g) => [g.line, g.scc, g.subjects]);

  test('a README command split with a backslash names its account and namespace on the next line', () => {
    const readme = '# Model download\n\n```bash\n# root is needed for pip\noc adm policy add-scc-to-user anyuid \\\n  -z fetcher-sa -n models-demo\n```\n';
    expect(grants('README.md', readme)).toEqual([[5, 'anyuid', [{ kind: 'ServiceAccount', name: 'fetcher-sa', namespace: 'models-demo' }]]]);
  });

  test('users, system:serviceaccount users, comma-separated -z accounts without -n, groups; a name from a variable is none', () => {
    const script = [
      'oc adm policy add-scc-to-user privileged system:serviceaccount:gpu:driver alice',
      'oc adm policy add-scc-to-user hostnetwork-v2 --serviceaccount=a,b',
      'oc adm policy add-scc-to-group anyuid system:serviceaccounts:batch',
      'oc adm policy add-scc-to-user anyuid -z "$SA"',
    ].join('\n');
    expect(grants('setup.sh', script)).toEqual([
      [
        1,
        'privileged',
        [
          { kind: 'ServiceAccount', name: 'driver', namespace: 'gpu' },
          { kind: 'User', name: 'alice' },
        ],
      ],
      [
        2,
        'hostnetwork-v2',
        [
          { kind: 'ServiceAccount', name: 'a' },
          { kind: 'ServiceAccount', name: 'b' },
        ],
      ],
      [3, 'anyuid', [{ kind: 'Group', name: 'system:serviceaccounts:batch' }]],
    ]);
  });

  test('near misses: a removal, a dry run, an echoed command and another verb grant nothing', () => {
    const script = [
      'oc adm policy remove-scc-from-user anyuid -z fetcher-sa -n models-demo',
      'oc adm policy add-scc-to-user anyuid -z fetcher-sa -n models-demo --dry-run=client -o yaml',
      'echo oc adm policy add-scc-to-user anyuid -z fetcher-sa -n models-demo',
      'oc adm policy add-role-to-user edit -z fetcher-sa -n models-demo',
    ].join('\n');
    expect(grants('setup.sh', script)).toEqual([]);
  });

  test("a grant of the account counts; one without -n is taken as made in the pod's namespace; another account's does not", () => {
    const graph = (subjects: object[]) =>
      new ObjectGraph([], { scriptSccGrants: [{ script: 'setup.sh', line: 1, scc: 'anyuid', subjects: subjects as never }] });
    expect(sccsGranted(graph([{ kind: 'ServiceAccount', name: 'fetcher-sa', namespace: 'models-demo' }]), 'fetcher-sa', 'models-demo')).toEqual(['anyuid']);
    expect(sccsGranted(graph([{ kind: 'ServiceAccount', name: 'fetcher-sa' }]), 'fetcher-sa', 'models-demo')).toEqual(['anyuid']);
    expect(sccsGranted(graph([{ kind: 'ServiceAccount', name: 'fetcher-sa', namespace: 'other' }]), 'fetcher-sa', 'models-demo')).toEqual([]);
    expect(sccsGranted(graph([{ kind: 'Group', name: 'system:serviceaccounts:models-demo' }]), 'default', 'models-demo')).toEqual(['anyuid']);
  });

  test('check: a root Job whose account the README grants anyuid is no finding; without the README step it is', async () => {
    const job = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: {name: fetch-model, namespace: models-demo}',
      'spec:',
      '  template:',
      '    spec:',
      '      serviceAccountName: fetcher-sa',
      '      restartPolicy: Never',
      '      securityContext: {runAsUser: 0}',
      '      containers: [{name: fetch, image: "registry.example.com/fetch:1.0"}]',
      '',
    ].join('\n');
    const readme = '# Fetch\n\n```bash\noc adm policy add-scc-to-user anyuid \\\n  -z fetcher-sa -n models-demo\noc apply -f job.yaml\n```\n';
    const rules = async (files: Record<string, string>) => {
      const r = await cliInProcess(['check', writeTree('scc-grant-', files), '--platform', 'rhoai-3.4', '--json']);
      return JSON.parse(r.out)
        .findings.filter((f: { rule: string }) => f.rule === 'scc-refuses-pod')
        .map((f: { object: string }) => f.object);
    };
    expect(await rules({ 'job.yaml': job, 'README.md': readme })).toEqual([]);
    expect(await rules({ 'job.yaml': job, 'README.md': readme.replace('anyuid', 'restricted-v2') })).toEqual(['Job/models-demo/fetch-model']);
  });
});
