import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/** A ConfigMap in a namespace, or without one. */
const configMap = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  A: "1"\n`;
const namespaceObject = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

/** The namespace-not-created findings of a tree, as [severity, object, namespace named first]. */
async function found(files: Record<string, string>, platform: string[] = ['--platform', 'kserve']): Promise<[string, string, string][]> {
  const dir = writeTree('namespace-not-created-', files);
  const { out } = await cliInProcess(['check', dir, ...platform, '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
    .filter((f) => f.rule === 'namespace-not-created')
    .map((f) => [f.severity, f.object, /namespace '([^']+)'/.exec(f.message)?.[1] ?? '']);
}

describe('namespace-not-created: objects a script applies into a namespace nothing creates', () => {
  test("a managed service's namespace (GKE's gke-managed-system) is made where the file is GKE's variant or the tree targets GKE; elsewhere an error as before", async () => {
    const service = (namespace: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: dcgm-metrics\n  namespace: ${namespace}\nspec:\n  selector:\n    app: dcgm\n  ports:\n    - name: metrics\n      port: 9400\n`;
    const gpuPod = (selector: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\n  namespace: tools\nspec:\n  nodeSelector:\n    ${selector}: nvidia-l4\n  containers:\n    - name: c\n      image: busybox:1.36\n`;
    const deploy = 'kubectl create namespace tools\nkubectl apply -f manifests/\n';
    // the file names GKE: its variant of the exporter's Service
    expect(await found({ 'deploy.sh': deploy, 'manifests/dcgm-service-gke.yaml': service('gke-managed-system') })).toEqual([]);
    // the tree targets GKE: a pod selects GKE's accelerator label
    expect(
      await found({
        'deploy.sh': deploy,
        'manifests/dcgm-service.yaml': service('gmp-public'),
        'manifests/pod.yaml': gpuPod('cloud.google.com/gke-accelerator'),
      }),
    ).toEqual([]);
    // near misses: nothing says GKE, or the file is another provider's variant: nothing makes the namespace there
    expect(await found({ 'deploy.sh': deploy, 'manifests/dcgm-service.yaml': service('gke-managed-system') })).toEqual([
      ['error', 'Service/gke-managed-system/dcgm-metrics', 'gke-managed-system'],
    ]);
    expect(await found({ 'deploy.sh': deploy, 'manifests/dcgm-service-eks.yaml': service('gke-managed-system') })).toEqual([
      ['error', 'Service/gke-managed-system/dcgm-metrics', 'gke-managed-system'],
    ]);
    // an EKS add-on's namespace where the tree targets EKS
    expect(
      await found({ 'deploy.sh': deploy, 'manifests/agent.yaml': service('amazon-cloudwatch'), 'manifests/pod.yaml': gpuPod('eks.amazonaws.com/nodegroup') }),
    ).toEqual([]);
  });

  test('a script that makes its other namespaces itself: an error, once per namespace, on the first object by id', async () => {
    const f = await found({
      'deploy.sh': 'kubectl create namespace infra\nkubectl apply -f manifests/\n',
      'manifests/a.yaml': configMap('b-settings', 'serving') + '---\n' + configMap('a-settings', 'serving'),
      'manifests/infra.yaml': configMap('infra', 'infra'),
    });
    expect(f).toEqual([['error', 'ConfigMap/serving/a-settings', 'serving']]);
  });

  test("an operator's openshift-* namespace (openshift-nfd) is made by its installer, not the cluster: an error; the cluster's own (openshift-monitoring) and OpenShift GitOps' are not judged", async () => {
    const f = await found({
      'deploy.sh': 'oc create namespace tools\noc apply -f manifests/\n',
      'manifests/a.yaml': [
        configMap('nfd', 'openshift-nfd'),
        configMap('mon', 'openshift-monitoring'),
        configMap('gitops', 'openshift-gitops'),
        configMap('t', 'tools'),
      ].join('---\n'),
    });
    expect(f).toEqual([['error', 'ConfigMap/openshift-nfd/nfd', 'openshift-nfd']]);
  });

  test("a namespace the tree installs an operator into (its Subscription there) is the installer's to make, even cert-manager-operator, which the platform list counts as made; openshift-operators stays the cluster's", async () => {
    const subscription = (namespace: string) =>
      `apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: openshift-cert-manager-operator\n  namespace: ${namespace}\nspec:\n  channel: stable-v1\n  name: openshift-cert-manager-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n`;
    const tree = (made: string, into: string) =>
      found({ 'deploy.sh': 'oc apply -f manifests/\n', 'manifests/ns.yaml': namespaceObject(made), 'manifests/sub.yaml': subscription(into) }, [
        '--platform',
        'rhoai-3.4',
      ]);
    // the Namespace made under another name (an OperatorGroup's name given to it): nothing makes the install namespace
    expect(await tree('cert-manager-operator-og', 'cert-manager-operator')).toEqual([
      ['error', 'Subscription/cert-manager-operator/openshift-cert-manager-operator', 'cert-manager-operator'],
    ]);
    // near misses: the tree makes it; an object there that installs no operator; the cluster's own openshift-operators
    expect(await tree('cert-manager-operator', 'cert-manager-operator')).toEqual([]);
    expect(
      await found(
        { 'deploy.sh': 'oc create namespace tools\noc apply -f manifests/\n', 'manifests/a.yaml': configMap('issuer-settings', 'cert-manager-operator') },
        ['--platform', 'rhoai-3.4'],
      ),
    ).toEqual([]);
    expect(await tree('tools', 'openshift-operators')).toEqual([]);
  });

  test('a namespace the script makes under a name it fills in (oc new-project "$NAMESPACE", a rendered Namespace) may be the one applied into: no finding', async () => {
    const apply = 'oc apply -f manifests/app.yaml\n';
    const app = { 'manifests/app.yaml': configMap('settings', 'vllm-inference') };
    expect(await found({ 'deploy.sh': `source ./values.env\noc new-project "\${NAMESPACE}"\n${apply}`, ...app })).toEqual([]);
    const rendered = { 'deploy.sh': `envsubst < manifests/ns.yaml | oc apply -f -\n${apply}`, 'manifests/ns.yaml': namespaceObject('${NAMESPACE}') };
    expect(await found({ ...rendered, ...app })).toEqual([]);
    // near miss: a namespace made under a written name leaves the other one made by nothing
    expect(await found({ 'deploy.sh': `oc new-project tools\n${apply}`, ...app })).toEqual([['error', 'ConfigMap/vllm-inference/settings', 'vllm-inference']]);
  });

  test('a namespace the tree only attaches routes, policies and role bindings to is made with its workloads outside the tree: a warning', async () => {
    const route =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: model-route\n  namespace: models\nspec:\n  parentRefs:\n    - name: gw\n      namespace: gateways\n  rules:\n    - backendRefs:\n        - name: model-svc\n          port: 8000\n';
    const binding =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: readers\n  namespace: models\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: Group\n    name: readers\n    apiGroup: rbac.authorization.k8s.io\n';
    const tree = (extra: Record<string, string>) =>
      found({
        'deploy.sh': 'kubectl create namespace gateways\nkubectl apply -f manifests/\n',
        'manifests/route.yaml': route,
        'manifests/binding.yaml': binding,
        ...extra,
      });
    expect(await tree({})).toEqual([['warning', 'HTTPRoute/models/model-route', 'models']]);
    // near miss: a workload of its own there makes the namespace the tree's to create
    expect(await tree({ 'manifests/settings.yaml': configMap('settings', 'models') })).toEqual([['error', 'ConfigMap/models/settings', 'models']]);
  });

  test("a tree that makes no namespace itself, its README's prose not making it: an error, nothing of the repository making it; a warning on OpenShift AI, where a project may be made by hand or in the dashboard", async () => {
    const readme = 'Deploy the settings into the serving namespace:\n\n```bash\noc apply -f manifests/settings.yaml\n```\n';
    const tree = { 'README.md': readme, 'manifests/settings.yaml': configMap('settings', 'serving') };
    expect(await found(tree)).toEqual([['error', 'ConfigMap/serving/settings', 'serving']]);
    expect(await found(tree, ['--platform', 'rhoai-3.4'])).toEqual([['warning', 'ConfigMap/serving/settings', 'serving']]);
  });

  describe('a namespace the README running the apply has the reader make by hand (a project of the OpenShift AI dashboard) is made', () => {
    const lq = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-a\nspec:\n  clusterQueue: team-a\n';
    const tree = (steps: string) => ({
      'README.md': `## Install\n\n\`\`\`bash\noc new-project infra\noc apply -f infra.yaml\n\`\`\`\n\n${steps}\n## Queues\n\n\`\`\`bash\noc apply -f lq.yaml -n team-a\n\`\`\`\n`,
      'infra.yaml': configMap('infra', 'infra'),
      'lq.yaml': lq,
    });

    test.each([
      ['a dashboard step in a sentence', 'In the OpenShift AI dashboard, go to Data Science Projects and create `team-a`.\n'],
      [
        'a numbered step under a "Create projects" heading',
        '### Create Projects for Teams\n\n1. Open the dashboard\n2. Click "Create project"\n3. Create `team-a` (for training)\n',
      ],
      ['"create a data science project named …"', 'First create a data science project named team-a in the dashboard.\n'],
      ['`oc new-project` written in a sentence', 'Make the project with `oc new-project team-a` before the queues.\n'],
    ])('%s: no finding', async (_, steps) => {
      expect(await found(tree(steps))).toEqual([]);
    });

    test.each([
      ['the namespace named only in the command applying into it', 'The queues go into their team namespace.\n'],
      ['a step making another object in the namespace', 'Create the LocalQueue in the `team-a` namespace.\n'],
      ['another project made', 'In the dashboard, create a project named `team-b`.\n'],
    ])('near miss, %s: the error stays', async (_, steps) => {
      expect(await found(tree(steps))).toEqual([['error', 'LocalQueue/team-a', 'team-a']]);
    });
  });

  test("an object without a namespace goes to the command's -n; a Namespace applied by the tree makes the error certain", async () => {
    const f = await found({
      Makefile: 'deploy:\n\tkubectl apply -f base/ns.yaml\n\tkubectl apply -n serving -f app/\n',
      'base/ns.yaml': namespaceObject('infra'),
      'app/settings.yaml': configMap('settings'),
    });
    expect(f).toEqual([['error', 'ConfigMap/settings', 'serving']]);
  });

  test('near misses: oc new-project, helm --create-namespace, a Namespace of the tree, platform and component namespaces, no -n, subfolders without -R', async () => {
    expect(await found({ 'deploy.sh': 'oc new-project serving\noc apply -f manifests/\n', 'manifests/a.yaml': configMap('a', 'serving') })).toEqual([]);
    expect(
      await found({
        'deploy.sh': 'helm install gw ./chart --create-namespace -n serving\nkubectl apply -f manifests/\n',
        'manifests/a.yaml': configMap('a', 'serving'),
      }),
    ).toEqual([]);
    expect(
      await found({
        'deploy.sh': 'kubectl apply -f manifests/\n',
        'manifests/a.yaml': configMap('a', 'serving'),
        'namespaces/serving.yaml': namespaceObject('serving'),
      }),
    ).toEqual([]);
    expect(
      await found({
        'deploy.sh': 'kubectl apply -f manifests/\n',
        'manifests/a.yaml':
          configMap('a', 'openshift-config') +
          '---\n' +
          configMap('b', 'kueue-system') +
          '---\n' +
          configMap('c', 'default') +
          '---\n' +
          configMap('d', 'metallb-system'),
      }),
    ).toEqual([]);
    // the kubeconfig context's namespace is not the tree's to say
    expect(await found({ 'deploy.sh': 'kubectl apply -f manifests/\n', 'manifests/a.yaml': configMap('a') })).toEqual([]);
    // kubectl apply -f reads a folder's own files unless -R
    expect(await found({ 'deploy.sh': 'kubectl apply -f manifests/\n', 'manifests/more/a.yaml': configMap('a', 'serving') })).toEqual([]);
    expect(await found({ 'deploy.sh': 'kubectl apply -R -f manifests/\n', 'manifests/more/a.yaml': configMap('a', 'serving') })).toEqual([
      ['error', 'ConfigMap/serving/a', 'serving'],
    ]);
  });

  describe("a script's wrapper function (`_kubectl() { ${KUBECTL} --context ${CTX} $@; }`) is read through at each call", () => {
    const wrapper = [
      'KUBECTL=${KUBECTL:-kubectl}',
      'CTX=kind-${CLUSTER}',
      'NS=${NS:-"model-serving"}',
      '_kubectl() {',
      '  ${KUBECTL} --context ${CTX} $@',
      '}',
    ];
    const app = { 'manifests/app.yaml': configMap('settings', 'model-serving') };

    test('a namespace the script creates through its wrapper (`_kubectl create ns ${NS} 2>/dev/null || true`) is made: no finding', async () => {
      const script = [...wrapper, '_kubectl create ns ${NS} 2>/dev/null || true', 'kubectl apply -f manifests/app.yaml', ''].join('\n');
      expect(await found({ 'deploy.sh': script, ...app })).toEqual([]);
      // one-line forms: `function k() { kubectl -n "$NS" "$@"; }`, `oc_apply() { oc apply -f "$1"; }`
      const oneLine = [
        'function k() { kubectl -n "$NS" "$@"; }',
        'oc_apply() { oc apply -f "$1"; }',
        'k create namespace model-serving',
        'oc_apply manifests/app.yaml',
        '',
      ];
      expect(await found({ 'deploy.sh': oneLine.join('\n'), ...app })).toEqual([]);
      // the apply read through the wrapper too: without the namespace's creation the apply is judged
      expect(await found({ 'deploy.sh': oneLine.filter((l) => !l.startsWith('k ')).join('\n'), ...app })).toEqual([
        ['error', 'ConfigMap/model-serving/settings', 'model-serving'],
      ]);
    });

    test("near miss: a namespace the wrapper does not create stays made by nothing, named at the line of the wrapper's call", async () => {
      const script = [
        ...wrapper,
        'log() { echo "[deploy] $*" >&2; }',
        'log creating ${NS}',
        '_kubectl create ns tools',
        '_kubectl apply -f manifests/app.yaml',
        '',
      ].join('\n');
      const dir = writeTree('namespace-not-created-', { 'deploy.sh': script, ...app });
      const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
      const findings = (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings.filter(
        (f) => f.rule === 'namespace-not-created',
      );
      expect(findings.map((f) => [f.severity, f.object])).toEqual([['error', 'ConfigMap/model-serving/settings']]);
      expect(findings[0].message).toContain('deploy.sh:10 (`kubectl --context ${CTX} apply -f manifests/app.yaml`)');
    });
  });

  test("near miss: objects an Argo CD Application syncs are argocd-namespace-not-created's", async () => {
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: serving\n  namespace: openshift-gitops\nspec:\n  project: default\n' +
      '  source:\n    repoURL: https://example.com/org/repo.git\n    path: manifests\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: serving\n';
    expect(
      await found({
        'deploy.sh': 'oc new-project infra\noc apply -f manifests/\noc apply -f apps/\n',
        'manifests/a.yaml': configMap('a', 'serving'),
        'apps/app.yaml': app,
      }),
    ).toEqual([]);
  });
  describe('an object a script applies from a heredoc is delivered like a file it applies', () => {
    /** A claim-mounting Pod written into a heredoc, its namespace a line of its own or none. */
    const heredocPod = (namespaceLine: string) =>
      `cat <<EOF | kubectl apply ${namespaceLine ? '' : '-n $TEAM_NS '}-f -\napiVersion: v1\nkind: Pod\nmetadata:\n  name: copy-out\n${namespaceLine}spec:\n` +
      '  containers:\n    - name: copy\n      image: busybox:1.36\n      command: [sleep, "600"]\n  restartPolicy: Never\nEOF\n';
    const tree = (script: string) => ({
      'run.sh': script,
      'k8s/ns.yaml': namespaceObject('lab-shared'),
      'k8s/settings.yaml': configMap('settings', 'lab-shared'),
    });

    test("the script's variable names a namespace its manifests do not use and nothing creates: an error on the heredoc's object", async () => {
      const script = 'TEAM_NS="lab-private"\nkubectl apply -f k8s/\n' + heredocPod('  namespace: $TEAM_NS\n');
      expect(await found(tree(script))).toEqual([['error', 'Pod/lab-private/copy-out', 'lab-private']]);
      // without a namespace of its own, the object goes to the command's -n (the variable expanded), as kubectl apply -n sends it
      expect(await found(tree('TEAM_NS=lab-private\nkubectl apply -f k8s/\n' + heredocPod('')))).toEqual([
        ['error', 'Pod/lab-private/copy-out', 'lab-private'],
      ]);
    });

    test('near misses: the heredoc goes into the namespace the tree creates, or the script creates its own; a value the script does not set is not judged', async () => {
      expect(await found(tree('TEAM_NS=lab-shared\nkubectl apply -f k8s/\n' + heredocPod('  namespace: $TEAM_NS\n')))).toEqual([]);
      expect(
        await found(tree('TEAM_NS=lab-private\nkubectl create namespace $TEAM_NS\nkubectl apply -f k8s/\n' + heredocPod('  namespace: lab-private\n'))),
      ).toEqual([]);
      expect(await found(tree('TEAM_NS=$1\nkubectl apply -f k8s/\n' + heredocPod('  namespace: $TEAM_NS\n')))).toEqual([]);
    });
  });

  describe("the namespaces OpenShift AI's operator makes on the release judged", () => {
    /** A DataScienceCluster v2 whose kserve component sets Models-as-a-Service to `maas`. */
    const dsc = (maas: string) =>
      'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n' +
      `    kserve:\n      managementState: Managed\n      modelsAsService:\n        managementState: ${maas}\n`;
    const subscription =
      'apiVersion: maas.opendatahub.io/v1alpha1\nkind: MaaSSubscription\nmetadata:\n  name: team\n  namespace: models-as-a-service\nspec:\n  owner: {groups: [{name: team}]}\n';
    const tree = (maas: string) => ({
      'install.sh': 'oc new-project serving\noc apply -f cluster/\noc apply -f maas/\n',
      'cluster/dsc.yaml': dsc(maas),
      'maas/subscription.yaml': subscription,
    });

    test('models-as-a-service on OpenShift AI 3.3 or later with kserve.modelsAsService Managed is made by the operator: no finding, stated or inferred', async () => {
      expect(await found(tree('Managed'), ['--platform', 'rhoai-3.4'])).toEqual([]);
      expect(await found(tree('Managed'), ['--platform', 'rhoai-3.3'])).toEqual([]);
      // inferred: the DataScienceCluster's modelsAsService key leaves OpenShift AI 3.3 and later, with nothing against it
      expect(await found(tree('Managed'), [])).toEqual([]);
    });

    test('near misses: Models-as-a-Service Removed, a release before it (3.0), or a tree whose platform signals conflict: the error stands', async () => {
      const error = [['error', 'MaaSSubscription/models-as-a-service/team', 'models-as-a-service']];
      expect(await found(tree('Removed'), ['--platform', 'rhoai-3.4'])).toEqual(error);
      expect(await found(tree('Managed'), ['--platform', 'rhoai-3.0'])).toEqual(error);
      const upstream =
        'apiVersion: serving.kserve.io/v1alpha1\nkind: ClusterServingRuntime\nmetadata:\n  name: upstream\nspec:\n  containers: [{name: c, image: example.com/s:1}]\n';
      const conflicting = await found({ ...tree('Managed'), 'upstream/runtime.yaml': upstream }, []);
      expect(conflicting).toEqual(error);
    });

    test("a DSCInitialization's applicationsNamespace, and a DataScienceCluster's workbenchNamespace, are made by the operator on OpenShift AI", async () => {
      const dsci =
        'apiVersion: dscinitialization.opendatahub.io/v1\nkind: DSCInitialization\nmetadata:\n  name: default-dsci\nspec:\n  applicationsNamespace: ai-apps\n';
      const files = {
        'install.sh': 'oc new-project serving\noc apply -f cluster/\noc apply -f apps/\n',
        'cluster/dsci.yaml': dsci,
        'apps/settings.yaml': configMap('settings', 'ai-apps'),
      };
      expect(await found(files, ['--platform', 'rhoai-3.0'])).toEqual([]);
      // near miss: on upstream KServe no such operator runs
      expect(await found(files, ['--platform', 'kserve'])).toEqual([['error', 'ConfigMap/ai-apps/settings', 'ai-apps']]);
      const workbenches =
        'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n' +
        '    workbenches:\n      managementState: Managed\n      workbenchNamespace: team-notebooks\n';
      const notebooks = { ...files, 'cluster/dsci.yaml': workbenches, 'apps/settings.yaml': configMap('settings', 'team-notebooks') };
      expect(await found(notebooks, ['--platform', 'rhoai-3.0'])).toEqual([]);
      expect(await found(notebooks, ['--platform', 'kserve'])).toEqual([['error', 'ConfigMap/team-notebooks/settings', 'team-notebooks']]);
    });
  });
});

describe('namespace-not-created: the namespace of a ManagedCluster on the Open Cluster Management hub', () => {
  const managedCluster = (name: string) =>
    `apiVersion: cluster.open-cluster-management.io/v1\nkind: ManagedCluster\nmetadata:\n  name: ${name}\nspec:\n  hubAcceptsClient: true\n`;
  const deploy = 'kubectl create namespace hub-config\nkubectl apply -f manifests/\n';

  test("an object in a ManagedCluster's namespace: the hub makes it when it accepts the cluster", async () => {
    expect(
      await found({ 'deploy.sh': deploy, 'manifests/cluster.yaml': managedCluster('cluster-b'), 'manifests/cm.yaml': configMap('placement', 'cluster-b') }),
    ).toEqual([]);
  });

  test('a namespace of another name stays an error', async () => {
    const got = await found({
      'deploy.sh': deploy,
      'manifests/cluster.yaml': managedCluster('cluster-b'),
      'manifests/cm.yaml': configMap('placement', 'cluster-c'),
    });
    expect(got.map(([severity, , ns]) => [severity, ns])).toEqual([['error', 'cluster-c']]);
  });
});

describe("namespace-not-created: the namespace an operator's install makes, where its resources live", () => {
  const sriovNetwork = (ns: string) =>
    `apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetwork\nmetadata:\n  name: rdma\n  namespace: ${ns}\nspec:\n  resourceName: rdmanics\n`;
  const deploy = 'kubectl create namespace serving\nkubectl apply -f manifests/\n';

  test('an SR-IOV network in openshift-sriov-network-operator: made by the install that serves its kind', async () => {
    expect(await found({ 'deploy.sh': deploy, 'manifests/net.yaml': sriovNetwork('openshift-sriov-network-operator') })).toEqual([]);
  });

  test('another object there, the resource in another namespace, or the tree installing the operator itself: an error as before', async () => {
    const subscription =
      'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: sriov-network-operator\n  namespace: openshift-sriov-network-operator\nspec:\n  name: sriov-network-operator\n';
    expect(await found({ 'deploy.sh': deploy, 'manifests/a.yaml': configMap('c', 'openshift-sriov-network-operator') })).toEqual([
      ['error', 'ConfigMap/openshift-sriov-network-operator/c', 'openshift-sriov-network-operator'],
    ]);
    expect(await found({ 'deploy.sh': deploy, 'manifests/net.yaml': sriovNetwork('networks') })).toEqual([['error', 'SriovNetwork/networks/rdma', 'networks']]);
    expect(await found({ 'deploy.sh': deploy, 'manifests/net.yaml': `${sriovNetwork('openshift-sriov-network-operator')}---\n${subscription}` })).toEqual([
      ['error', 'SriovNetwork/openshift-sriov-network-operator/rdma', 'openshift-sriov-network-operator'],
    ]);
  });
});

describe('namespace-not-created: a Namespace another folder of the repository makes', () => {
  /** The findings of the folder `app` of a git work tree holding the files given, as [severity, object, message]. */
  async function inRepository(files: Record<string, string>): Promise<[string, string, string][]> {
    const root = writeTree('namespace-repository-', files);
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'app'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings
      .filter((f) => f.rule === 'namespace-not-created')
      .map((f) => [f.severity, f.object, f.message]);
  }
  const app = { 'app/deploy.sh': 'kubectl create namespace tools\nkubectl apply -f manifests/\n', 'app/manifests/a.yaml': configMap('settings', 'serving') };

  test('a note naming the file that makes it, to be applied first', async () => {
    expect(await inRepository({ ...app, 'platform/namespaces.yaml': namespaceObject('serving') })).toEqual([
      [
        'info',
        'ConfigMap/serving/settings',
        expect.stringMatching(
          /^Namespace 'serving' is made outside the checked folder: .*platform\/namespaces\.yaml \(line 1\), a manifest of the same repository, deploys it; apply it first\. Without it: goes into namespace 'serving'/,
        ),
      ],
    ]);
  });

  test('a command of a README, script, Makefile or CI workflow elsewhere in the repository makes it: a note naming the command', async () => {
    const note = (script: string, line: number, command: string) => [
      'info',
      'ConfigMap/serving/settings',
      expect.stringMatching(
        new RegExp(
          `^namespace 'serving' is made outside the checked folder: \\.\\./${script.replace(/\./g, '\\.')} \\(line ${line}\\), a file of the same repository, runs \`${command}\`; run it before the apply\\. Without it: goes into namespace 'serving'`,
        ),
      ),
    ];
    const readme = '# Cluster setup\n\n```bash\noc new-project serving\n```\n';
    expect(await inRepository({ ...app, 'cluster/README.md': readme })).toEqual([note('cluster/README.md', 4, 'oc new-project serving')]);
    expect(await inRepository({ ...app, Makefile: 'setup:\n\tkubectl create ns serving\n' })).toEqual([note('Makefile', 2, 'kubectl create ns serving')]);
    const workflow = 'on: push\njobs:\n  setup:\n    runs-on: ubuntu-latest\n    steps:\n      - run: oc create namespace serving\n';
    expect(await inRepository({ ...app, '.github/workflows/setup.yaml': workflow })).toEqual([
      note('.github/workflows/setup.yaml', 6, '- run: oc create namespace serving'),
    ]);
  });

  test('a README elsewhere in the repository whose numbered step writes the command bare in its prose makes it: a note naming the command', async () => {
    const readme = '# Cluster setup\n\n1. Log in to the cluster.\n2. Run oc new-project serving\n3. Deploy the apps.\n';
    expect(await inRepository({ ...app, 'cluster/README.md': readme })).toEqual([
      [
        'info',
        'ConfigMap/serving/settings',
        expect.stringMatching(
          /^namespace 'serving' is made outside the checked folder: \.\.\/cluster\/README\.md \(line 4\), a file of the same repository, runs `oc new-project serving`; run it before the apply\. Without it: goes into namespace 'serving'/,
        ),
      ],
    ]);
  });

  test('near miss: a README sentence that only names the namespace makes nothing: the error stays', async () => {
    const readme = '# Cluster setup\n\nThe apps run in serving, a project the platform team provides.\n';
    expect((await inRepository({ ...app, 'cluster/README.md': readme })).map(([s, o]) => [s, o])).toEqual([['error', 'ConfigMap/serving/settings']]);
  });

  test('near misses: a command making another namespace, or one in test data, leaves the error', async () => {
    const other = { ...app, 'cluster/setup.sh': 'oc new-project tooling\n', 'tests/setup.sh': 'kubectl create namespace serving\n' };
    expect((await inRepository(other)).map(([s, o]) => [s, o])).toEqual([['error', 'ConfigMap/serving/settings']]);
  });

  test('a repository with no Namespace of that name (only its test data has one) leaves the error', async () => {
    expect((await inRepository({ ...app, 'test/namespaces.yaml': namespaceObject('serving') })).map(([s, o]) => [s, o])).toEqual([
      ['error', 'ConfigMap/serving/settings'],
    ]);
  });
});

describe('namespace-not-created: an earlier install command pointed at the namespace may make it', () => {
  const policy = configMap('team-limits', 'team-a');
  async function messages(files: Record<string, string>): Promise<[string, string][]> {
    const dir = writeTree('namespace-not-created-installer-', files);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'namespace-not-created')
      .map((f) => [f.severity, f.message.split(`${dir}/`).join('')]);
  }

  test('an installer script run with --namespace before the apply: a warning naming the step, not an error', async () => {
    const guide = [
      '# Setup',
      '',
      '```bash',
      'kubectl create namespace platform',
      './platform-installer.sh --namespace team-a --gateway istio',
      'kubectl apply -f policy.yaml',
      '```',
      '',
    ].join('\n');
    expect(await messages({ 'README.md': guide, 'policy.yaml': policy })).toEqual([
      [
        'warning',
        "goes into namespace 'team-a', applied by README.md:6 (`kubectl apply -f policy.yaml`), and nothing creates 'team-a': no Namespace or Project of the tree, no `kubectl create namespace`, `oc new-project` or `helm --create-namespace` in its scripts, no Argo CD CreateNamespace=true; the apply fails (namespaces \"team-a\" not found) unless the cluster holds it, which it may: README.md:5 runs `./platform-installer.sh --namespace team-a --gateway istio` into 'team-a' first, which may make it (an installer or chart may create its namespace) or expect it to exist; create it before the apply (`oc new-project team-a`, `kubectl create namespace team-a`, or a Namespace manifest applied first)",
      ],
    ]);
  });

  test('helm install -n and helmfile are install steps too; kubectl -n, a later installer or a piped head -n are not', async () => {
    const run = (first: string) => `kubectl create namespace platform\n${first}\nkubectl apply -f policy.yaml\n`;
    const severities = async (first: string) => (await messages({ 'deploy.sh': run(first), 'policy.yaml': policy })).map(([s]) => s);
    expect(await severities('helm install gw ./charts/gw -n team-a')).toEqual(['warning']);
    expect(await severities('helmfile --namespace team-a apply')).toEqual(['warning']);
    expect(await severities('kubectl -n team-a get pods')).toEqual(['error']);
    expect(await severities('kubectl get pods -A | head -n 5')).toEqual(['error']);
    const later = 'kubectl create namespace platform\nkubectl apply -f policy.yaml\n./platform-installer.sh --namespace team-a\n';
    expect((await messages({ 'deploy.sh': later, 'policy.yaml': policy })).map(([s]) => s)).toEqual(['error']);
  });
});

describe('namespace-not-created: a tree nothing of it delivers is applied as it stands, into the namespaces its objects name', () => {
  const localQueue = (name: string, namespace: string) =>
    `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  clusterQueue: ${name}\n`;
  const queues = { 'queues.yaml': [localQueue('a-queue', 'team-a'), localQueue('b-queue', 'team-b'), localQueue('b-more', 'team-b')].join('---\n') };

  test('LocalQueues of a plain folder in namespaces nothing creates: an error per namespace, on its first object, saying the folder is applied as it stands', async () => {
    expect(await found(queues)).toEqual([
      ['error', 'LocalQueue/team-a/a-queue', 'team-a'],
      ['error', 'LocalQueue/team-b/b-more', 'team-b'],
    ]);
    const dir = writeTree('namespace-not-created-plain-', queues);
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const message = (JSON.parse(out) as { findings: { rule: string; message: string }[] }).findings.find((f) => f.rule === 'namespace-not-created')!.message;
    expect(message).toContain(
      'nothing of the tree delivers its folder (no script, Argo CD Application or Flux Kustomization), so it is applied as it stands (`kubectl apply -f`, `-k` for a kustomization), which creates no namespace; the apply fails (namespaces "team-a" not found): nothing of the repository makes it',
    );
  });

  test("a kustomization's namespace: nothing creates is named with the kustomization", async () => {
    const tree = { 'kustomization.yaml': 'namespace: serving\nresources:\n  - settings.yaml\n', 'settings.yaml': configMap('settings') };
    expect(await found(tree)).toEqual([['error', 'ConfigMap/serving/settings', 'serving']]);
  });

  test.each([
    ['a Namespace of the tree', { 'namespaces.yaml': [namespaceObject('team-a'), namespaceObject('team-b')].join('---\n') }],
    ['`kubectl create ns` in a README of the tree', { 'README.md': '```bash\nkubectl create ns team-a\nkubectl create namespace team-b\n```\n' }],
    [
      '`helm --create-namespace` in a script',
      { 'setup.sh': 'helm install a ./chart -n team-a --create-namespace\nhelm install b ./chart -n team-b --create-namespace\n' },
    ],
    [
      'OpenShift Projects of the tree',
      {
        'projects.yaml': ['team-a', 'team-b'].map((n) => `apiVersion: project.openshift.io/v1\nkind: Project\nmetadata:\n  name: ${n}\n`).join('---\n'),
      },
    ],
  ])('near miss, %s makes the namespaces: no finding', async (_, extra) => {
    expect(await found({ ...queues, ...extra })).toEqual([]);
  });

  test("near misses: the cluster's and the platform's namespaces, an example file, a tree whose script applies another folder", async () => {
    expect(await found({ 'a.yaml': [configMap('a', 'kube-system'), configMap('b', 'kueue-system'), configMap('c', 'default')].join('---\n') })).toEqual([]);
    expect(await found({ 'queues.example.yaml': localQueue('a-queue', 'team-a') })).toEqual([]);
    expect(
      await found({ ...queues, 'deploy.sh': 'kubectl create namespace infra\nkubectl apply -f infra/\n', 'infra/a.yaml': configMap('a', 'infra') }),
    ).toEqual([]);
  });

  test("a warning where the cluster may hold it: OpenShift AI's projects, kube-prometheus' monitoring", async () => {
    expect(await found(queues, ['--platform', 'rhoai-3.4'])).toEqual([
      ['warning', 'LocalQueue/team-a/a-queue', 'team-a'],
      ['warning', 'LocalQueue/team-b/b-more', 'team-b'],
    ]);
    const exporter =
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: exporter\n  namespace: monitoring\nspec:\n  selector:\n    matchLabels:\n      app: e\n  template:\n    metadata:\n      labels:\n        app: e\n    spec:\n      containers:\n        - name: e\n          image: registry.example/e:1\n';
    expect(await found({ 'exporter.yaml': exporter })).toEqual([['warning', 'DaemonSet/monitoring/exporter', 'monitoring']]);
  });

  test('a Flux HelmRelease with install.createNamespace makes its targetNamespace: the objects applied there beside it are in a namespace the tree creates', async () => {
    const release = (createNamespace: boolean) =>
      `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: gw\n  namespace: flux-system\nspec:\n  targetNamespace: team-a\n  install:\n    createNamespace: ${createNamespace}\n  chart:\n    spec:\n      chart: gw\n      sourceRef:\n        kind: HelmRepository\n        name: gw\n`;
    const tree = (createNamespace: boolean) => ({
      'deploy.sh': 'kubectl create namespace infra\nkubectl apply -f manifests/\n',
      'manifests/release.yaml': release(createNamespace),
      'manifests/limits.yaml': configMap('limits', 'team-a'),
    });
    expect(await found(tree(true))).toEqual([]);
    expect(await found(tree(false))).toEqual([['warning', 'ConfigMap/team-a/limits', 'team-a']]);
  });
});
