import { cliInProcess, writeTree } from '../util';

/**
 * A tree that installs Kueue says which release: Terraform that downloads its release manifests or installs its
 * chart, an Argo CD Application of its Helm chart, a kustomization that lists config/default at a tag, a Subscription
 * to the Red Hat build of Kueue. That release, not a platform's default, is what its Kueue objects are judged by.
 */
const QUEUES = `apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata:
  name: plain
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: batch
spec:
  namespaceSelector: {}
  resourceGroups:
    - coveredResources: [cpu]
      flavors:
        - name: plain
          resources:
            - name: cpu
              nominalQuota: 4
`;

interface Report {
  kueue: { release: string; source: string; reason: string };
  findings: { rule: string; severity: string; message: string }[];
}

async function checked(files: Record<string, string>, ...args: string[]): Promise<Report> {
  const dir = writeTree('kueue-named-', files);
  return JSON.parse((await cliInProcess(['check', dir, '--json', ...args])).out) as Report;
}

/** The check of `folder` in a git work tree holding `files` (a `.git` folder marks its root). */
async function checkedIn(folder: string, files: Record<string, string>): Promise<Report> {
  const dir = writeTree('kueue-above-', { '.git/HEAD': 'ref: refs/heads/main\n', ...files });
  return JSON.parse((await cliInProcess(['check', `${dir}/${folder}`, '--json'])).out) as Report;
}

/** A Job queued by the annotation only, with its LocalQueue: what Kueue up to 0.14 reads, and 0.15 on does not. */
const ANNOTATED_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: team-a
  annotations: {kueue.x-k8s.io/queue-name: team-a}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: main, image: busybox, resources: {requests: {cpu: '1'}}}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata: {name: team-a, namespace: team-a}
spec: {clusterQueue: batch}
`;

const annotationVerdicts = (r: Report) => r.findings.filter((f) => f.rule === 'queue-not-found').map((f) => f.severity);

const deprecations = (r: Report) => r.findings.filter((f) => f.rule === 'deprecated-api-version');

describe('the Kueue release a tree names', () => {
  test('Terraform downloads the release manifests at a variable default: v1beta1 is current on 0.10, no deprecation', async () => {
    const r = await checked({
      'infra/variables.tf': 'variable "queueing_release" {\n  type    = string\n  default = "v0.10.2"\n}\n',
      'infra/kueue.tf':
        'data "http" "kueue" {\n  url = "https://github.com/kubernetes-sigs/kueue/releases/download/${var.queueing_release}/manifests.yaml"\n}\n',
      'infra/queues/queues.yaml': QUEUES,
    });
    expect(r.kueue).toMatchObject({ release: '0.10', source: 'tree' });
    expect(r.kueue.reason).toMatch(/infra\/kueue\.tf installs 'https:\/\/github\.com\/kubernetes-sigs\/kueue\/releases\/download\/v0\.10\.2\/manifests\.yaml'/);
    expect(deprecations(r)).toEqual([]);
  });

  test('a Terraform local named like kueue_version, and a helm_release of the chart, each name it', async () => {
    const local = await checked({ 'main.tf': 'locals {\n  kueue_version = "0.12.3"\n  region = "eu"\n}\n', 'queues.yaml': QUEUES });
    expect(local.kueue).toMatchObject({ release: '0.12', source: 'tree' });
    const helm = await checked({
      'kueue.tf':
        'resource "helm_release" "queueing" {\n  name    = "kueue"\n  repository = "oci://registry.k8s.io/kueue/charts"\n  chart   = "kueue"\n  version = "0.13.4"\n}\n',
      'queues.yaml': QUEUES,
    });
    expect(helm.kueue).toMatchObject({ release: '0.13', source: 'tree' });
    // a variable of another name with a version-like value is not Kueue's
    const other = await checked({ 'main.tf': 'variable "gpu_driver_version" {\n  default = "0.12.3"\n}\n', 'queues.yaml': QUEUES });
    expect(other.kueue.source).toBe('default');
  });

  test("an Argo CD Application of Kueue's Helm chart names it by its targetRevision", async () => {
    const r = await checked({
      'apps/kueue.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: kueue
  namespace: argocd
spec:
  project: default
  source:
    repoURL: registry.k8s.io/kueue/charts
    chart: kueue
    targetRevision: 0.11.6
  destination: {server: 'https://kubernetes.default.svc', namespace: kueue-system}
`,
      'apps/queues.yaml': QUEUES,
    });
    expect(r.kueue).toMatchObject({ release: '0.11', source: 'tree' });
    expect(r.kueue.reason).toMatch(/Application\/argocd\/kueue syncs Kueue's Helm chart 0\.11\.6/);
  });

  test("a README at the repository's root installs the release for the folder checked below it, and the annotation follows it", async () => {
    const readme = (version: string) =>
      `# Batch\n\n\`\`\`bash\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/${version}/manifests.yaml\nkubectl apply -f deploy/queues\n\`\`\`\n`;
    const tree = { 'deploy/queues/queues.yaml': QUEUES, 'deploy/queues/job.yaml': ANNOTATED_JOB };
    const r = await checkedIn('deploy/queues', { 'README.md': readme('v0.3.2'), ...tree });
    expect(r.kueue).toMatchObject({ release: '0.3', source: 'tree' });
    expect(r.kueue.reason).toMatch(/\/README\.md installs 'https:\/\/github\.com\/kubernetes-sigs\/kueue\/releases\/download\/v0\.3\.2\/manifests\.yaml'/);
    // Kueue 0.3 reads the annotation: a note that later releases read the label alone, no warning
    expect(annotationVerdicts(r)).toEqual(['info']);
    // a helm install of the chart in a script folder above does the same
    const helm = await checkedIn('deploy/queues', {
      'hack/install-kueue.sh': '#!/bin/sh\nhelm install kueue oci://registry.k8s.io/kueue/charts/kueue --version 0.12.2 -n kueue-system --create-namespace\n',
      ...tree,
    });
    expect(helm.kueue).toMatchObject({ release: '0.12', source: 'tree' });
    expect(helm.kueue.reason).toMatch(/hack\/install-kueue\.sh installs/);
    // near miss: without the install above, the release is assumed and the annotation a warning
    const bare = await checkedIn('deploy/queues', { 'README.md': '# Batch\n', ...tree });
    expect(bare.kueue.source).toBe('default');
    expect(annotationVerdicts(bare)).toEqual(['warning']);
  });

  test("the folder's own install step wins over one of the repository above that names another release", async () => {
    const readme = (version: string) =>
      `# Setup\n\n\`\`\`bash\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/${version}/manifests.yaml\n\`\`\`\n`;
    const r = await checkedIn('deploy', { 'README.md': readme('v0.16.1'), 'deploy/README.md': readme('v0.11.4'), 'deploy/queues.yaml': QUEUES });
    expect(r.kueue).toMatchObject({ release: '0.11', source: 'tree' });
    expect(r.kueue.reason).toMatch(/v0\.16\.1.* too, which is not what the delivery applies/);
  });

  test("a Flux HelmRelease of Kueue's chart names it: spec.chart.spec's version from a HelmRepository, or an OCIRepository's tag", async () => {
    const release = (chart: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: kueue, namespace: flux-system}
spec:
  interval: 1h
  targetNamespace: kueue-system
${chart}`;
    const repository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: kueue, namespace: flux-system}
spec: {type: oci, interval: 1h, url: 'oci://registry.k8s.io/kueue/charts'}
`;
    const fromRepository = (version: string) =>
      release(`  chart:\n    spec:\n      chart: kueue\n      version: '${version}'\n      sourceRef: {kind: HelmRepository, name: kueue}\n`);
    const r = await checked({ 'kueue.yaml': `${repository}---\n${fromRepository('0.13.4')}`, 'queues.yaml': QUEUES, 'job.yaml': ANNOTATED_JOB });
    expect(r.kueue).toMatchObject({ release: '0.13', source: 'tree' });
    expect(r.kueue.reason).toMatch(/HelmRelease\/flux-system\/kueue installs Kueue's Helm chart 0\.13\.4 from oci:\/\/registry\.k8s\.io\/kueue\/charts/);
    expect(annotationVerdicts(r)).toEqual(['info']);
    const oci = await checked({
      'kueue.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: kueue-chart, namespace: flux-system}
spec: {interval: 1h, url: 'oci://registry.k8s.io/kueue/charts/kueue', ref: {tag: '0.16.2'}}
---
${release('  chartRef: {kind: OCIRepository, name: kueue-chart}\n')}`,
      'queues.yaml': QUEUES,
    });
    expect(oci.kueue).toMatchObject({ release: '0.16', source: 'tree' });
    // near misses: a version range names no release; a chart named kueue from another repository is not Kueue's
    const range = await checked({ 'kueue.yaml': `${repository}---\n${fromRepository('0.13.x')}`, 'queues.yaml': QUEUES });
    expect(range.kueue.source).toBe('default');
    const other = await checked({
      'kueue.yaml': `${repository.replace('oci://registry.k8s.io/kueue/charts', 'https://charts.example.com/batch')}---\n${fromRepository('0.13.4')}`,
      'queues.yaml': QUEUES,
    });
    expect(other.kueue.source).toBe('default');
  });

  test('a Subscription to the Red Hat build of Kueue names it by its startingCSV', async () => {
    const r = await checked({
      'operator.yaml': `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: kueue-operator
  namespace: openshift-kueue-operator
spec:
  name: kueue-operator
  source: redhat-operators
  sourceNamespace: openshift-marketplace
  startingCSV: kueue-operator.v1.1.0
`,
      'queues.yaml': QUEUES,
    });
    expect(r.kueue).toMatchObject({ release: '0.12', source: 'tree' });
  });

  test('where a kustomization and a README disagree, the release the build applies is taken and the other is named', async () => {
    const r = await checked({
      'README.md':
        '# Setup\n\n```bash\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.11.0/manifests.yaml\n```\n',
      'kustomization.yaml': 'resources:\n  - github.com/kubernetes-sigs/kueue/config/default?ref=v0.14.3\n  - queues.yaml\n',
      'queues.yaml': QUEUES,
    });
    expect(r.kueue).toMatchObject({ release: '0.14', source: 'tree' });
    expect(r.kueue.reason).toMatch(/kustomization\.yaml lists 'github\.com\/kubernetes-sigs\/kueue\/config\/default\?ref=v0\.14\.3'/);
    expect(r.kueue.reason).toMatch(/README\.md installs .*v0\.11\.0.* too, which is not what the delivery applies/);
  });

  test('with no release named and no KServe or OpenShift AI in the tree, the assumption names no KServe default', async () => {
    const bare = await checked({ 'queues.yaml': QUEUES });
    expect(bare.kueue).toMatchObject({ release: '0.16', source: 'default' });
    expect(bare.kueue.reason).toMatch(/nothing in the tree names a Kueue release or marks KServe or OpenShift AI/);
    expect(bare.kueue.reason).not.toMatch(/KServe;|upstream KServe/);
    // an InferenceService is a KServe signal: the default is the upstream KServe platform's
    const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: m
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: 'gs://bucket/model'}
`;
    const served = await checked({ 'queues.yaml': QUEUES, 'isvc.yaml': isvc });
    expect(served.kueue.reason).toMatch(/the default for upstream KServe/);
  });

  test("a Kueue install kept in the tree names its release by the controller's image tag: v1beta1 is current on 0.6", async () => {
    const controller = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kueue-controller-manager
  namespace: kueue-system
spec:
  selector: {matchLabels: {control-plane: controller-manager}}
  template:
    metadata: {labels: {control-plane: controller-manager}}
    spec:
      containers:
        - name: manager
          image: registry.k8s.io/kueue/kueue:v0.6.2
`;
    const r = await checked({ 'vendor/kueue-install.yaml': controller, 'queues.yaml': QUEUES });
    expect(r.kueue).toMatchObject({ release: '0.6', source: 'tree' });
    expect(r.kueue.reason).toMatch(/Deployment\/kueue-system\/kueue-controller-manager runs Kueue's controller image registry\.k8s\.io\/kueue\/kueue:v0\.6\.2/);
    expect(deprecations(r)).toEqual([]);
    // another project's image in a registry path that merely mentions kueue names nothing
    const lookalike = await checked({
      'vendor/kueue-install.yaml': controller.replace('registry.k8s.io/kueue/kueue:v0.6.2', 'quay.io/acme/kueue:v0.6.2'),
      'queues.yaml': QUEUES,
    });
    expect(lookalike.kueue.source).toBe('default');
  });

  test("objects labelled by Kueue's chart name the release by app.kubernetes.io/version; another app's version label does not", async () => {
    const labelled = (name: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: kueue-controller-manager
  namespace: kueue-system
  labels: {app.kubernetes.io/name: ${name}, app.kubernetes.io/version: "v0.13.1"}
`;
    const r = await checked({ 'sa.yaml': labelled('kueue'), 'queues.yaml': QUEUES });
    expect(r.kueue).toMatchObject({ release: '0.13', source: 'tree' });
    expect(r.kueue.reason).toMatch(/labelled app\.kubernetes\.io\/version v0\.13\.1 by Kueue's chart/);
    const other = await checked({ 'sa.yaml': labelled('jobset'), 'queues.yaml': QUEUES });
    expect(other.kueue.source).toBe('default');
  });

  describe('Subscriptions of the Red Hat build of Kueue in several channel overlays', () => {
    const subscription = (channel: string) => `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: kueue-operator
  namespace: openshift-kueue-operator
spec:
  channel: ${channel}
  name: kueue-operator
  source: redhat-operators
  sourceNamespace: openshift-marketplace
`;
    const overlay = (channel: string) => ({
      [`kueue-operator/overlays/${channel}/kustomization.yaml`]: `resources:\n  - ../../base\npatches:\n  - target: {kind: Subscription, name: kueue-operator}\n    path: channel.yaml\n`,
      [`kueue-operator/overlays/${channel}/channel.yaml`]: `- op: replace\n  path: /spec/channel\n  value: ${channel}\n`,
    });
    const cohort = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: Cohort\nmetadata:\n  name: shared\n';

    test('only the overlay the root builds names the release; the variants beside it are said as not applied', async () => {
      const r = await checked({
        // the folder is read whole: the root kueue-operator/ and the overlays it does not list are all kustomize roots
        'kueue-operator/kustomization.yaml': 'resources:\n  - overlays/stable-v1.1\n',
        'cohort.yaml': cohort,
        'kueue-operator/base/kustomization.yaml': 'resources:\n  - subscription.yaml\n',
        'kueue-operator/base/subscription.yaml': subscription('set-by-an-overlay'),
        ...overlay('stable-v0.2'),
        ...overlay('stable-v1.0'),
        ...overlay('stable-v1.1'),
      });
      expect(r.kueue).toMatchObject({ release: '0.12', source: 'tree' });
      expect(r.kueue.reason).toMatch(/channel stable-v1\.1 \(Red Hat build of Kueue 1\.1 = Kueue 0\.12\);/);
      expect(r.kueue.reason).toMatch(/stable-v1\.0 .*no root above it builds that folder.*not what the delivery applies/);
      // Red Hat build of Kueue 1.1 is Kueue 0.12, which serves Cohort only as v1alpha1
      expect(r.findings.filter((f) => f.rule === 'kind-not-served').map((f) => f.severity)).toEqual(['error']);
    });

    test('a folder read whole with Subscriptions in different channels leaves the release unknown, said as such', async () => {
      const r = await checked({
        'a/subscription.yaml': subscription('stable-v1.1'),
        'b/subscription.yaml': subscription('stable-v1.3'),
        'cohort.yaml': cohort,
      });
      expect(r.kueue.source).toBe('default');
      expect(r.kueue.reason).toMatch(/stable-v1\.1 .*stable-v1\.3 .*they name different releases, so which one the cluster runs is unknown/);
      expect(r.kueue.reason).not.toMatch(/names no Red Hat build/);
    });

    test('a tech-preview channel names no release the tool maps, and the message lists those it reads', async () => {
      const r = await checked({ 'subscription.yaml': subscription('stable-v0.2'), 'cohort.yaml': cohort });
      expect(r.kueue.source).toBe('default');
      expect(r.kueue.reason).toMatch(
        /\(channel stable-v0\.2\) names no Red Hat build of Kueue release the tool maps \(it reads the channels stable-v1\.0, stable-v1\.1,/,
      );
    });
  });
});
