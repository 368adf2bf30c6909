import { execFileSync } from 'child_process';
import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const REPO = 'https://git.example.com/ops/cluster.git';

/** An Application of one source; `policy` holds its syncPolicy's entries (YAML flow), `meta` more of its metadata. */
const app = (name: string, source: string, policy: string, meta = '') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd${meta}}
spec:
  project: default
  source: {${source}}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
  syncPolicy: {${policy}}
`;
const path = (p: string) => `repoURL: ${REPO}, targetRevision: main, path: ${p}`;
const CHART = (helm = '') => `repoURL: https://ray-project.github.io/kuberay-helm/, chart: kuberay-operator, targetRevision: 1.3.2${helm}`;
const KEDA = (helm = '') => `repoURL: https://kedacore.github.io/charts, chart: keda, targetRevision: 2.16.1${helm}`;
const AUTO = 'automated: {prune: true, selfHeal: true}';
const RAY = (meta = '') => `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: batch, namespace: ray${meta}}
spec:
  headGroupSpec:
    rayStartParams: {}
    template: {spec: {containers: [{name: head, image: docker.io/rayproject/ray:2.41.0}]}}
`;
const SCALER = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: vllm, namespace: serving}
spec:
  scaleTargetRef: {name: vllm}
  triggers: [{type: cpu, metadata: {value: "60"}}]
`;
const root = app('root', path('apps'), AUTO);
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: rayclusters.ray.io}
spec:
  group: ray.io
  scope: Namespaced
  names: {kind: RayCluster, plural: rayclusters}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'dry-run-missing-kind-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut })
    .filter((f) => f.rule === 'argocd-dry-run-missing-kind')
    .map((f) => `${f.severity} ${f.object}: ${f.message}`);
};

/** An app-of-apps: the root, the operator's chart Application and the Application with the RayCluster. */
const siblings = (operator: string, workloads: string, ray = RAY()) => ({
  'root.yaml': root,
  'apps/kuberay.yaml': operator,
  'apps/ray.yaml': workloads,
  'ray/cluster.yaml': ray,
});

describe('argocd-dry-run-missing-kind', () => {
  test('the root of an app-of-apps holds the RayCluster itself beside the kuberay Application: its own sync fails, retry or not', () => {
    const out = findings({ 'root.yaml': root, 'apps/kuberay.yaml': app('kuberay', CHART(), AUTO), 'apps/cluster.yaml': RAY() });
    expect(out).toEqual([
      expect.stringMatching(/^error Application\/argocd\/root: syncs RayCluster\/ray\/batch \(installed by Application 'kuberay' \(chart kuberay-operator/),
    ]);
    expect(out[0]).toContain('in the same operation');
  });

  test('sibling Applications of one parent: the one with the RayCluster syncs automatically with no retry, an error', () => {
    const out = findings(siblings(app('kuberay', CHART(), AUTO), app('ray', path('ray'), AUTO)));
    expect(out).toEqual([
      expect.stringMatching(
        /^error Application\/argocd\/ray: syncs RayCluster\/ray\/batch .*without syncPolicy.retry Argo CD does not sync the same revision again/,
      ),
    ]);
  });

  test('a retry limit of 0 retries nothing: still an error', () => {
    expect(findings(siblings(app('kuberay', CHART(), AUTO), app('ray', path('ray'), `${AUTO}, retry: {limit: 0}`))).length).toBe(1);
  });

  test.each([
    ['a retry', app('ray', path('ray'), `${AUTO}, retry: {limit: 5}`), RAY()],
    ['SkipDryRunOnMissingResource in syncOptions', app('ray', path('ray'), `${AUTO}, syncOptions: [SkipDryRunOnMissingResource=true]`), RAY()],
    ['no automated sync (a person syncs it again)', app('ray', path('ray'), 'syncOptions: [CreateNamespace=true]'), RAY()],
    ['automated sync turned off', app('ray', path('ray'), 'automated: {enabled: false}'), RAY()],
    [
      'the resource carries the option itself',
      app('ray', path('ray'), AUTO),
      RAY(', annotations: {argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true}'),
    ],
  ])('silent with %s', (_, workloads, ray) => {
    expect(findings(siblings(app('kuberay', CHART(), AUTO), workloads, ray))).toEqual([]);
  });

  test("the option on the Application's own metadata is misplaced: still an error, which says where it belongs", () => {
    const out = findings(
      siblings(
        app('kuberay', CHART(), AUTO),
        app('ray', path('ray'), AUTO, ', annotations: {argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true}'),
      ),
    );
    expect(out).toEqual([
      expect.stringContaining("the argocd.argoproj.io/sync-options annotation on the Application's own metadata names SkipDryRunOnMissingResource=true"),
    ]);
    expect(out[0]).toContain('move it there');
  });

  test('charts that leave their CRDs out are not installers: skipCrds for a crds/ folder, a switch off or values files for templates', () => {
    expect(findings(siblings(app('kuberay', CHART(', helm: {skipCrds: true}'), AUTO), app('ray', path('ray'), AUTO)))).toEqual([]);
    const keda = (helm: string) => ({
      'root.yaml': root,
      'apps/keda.yaml': app('keda', KEDA(helm), AUTO),
      'apps/serving.yaml': app('serving', path('serving'), AUTO),
      'serving/scaler.yaml': SCALER,
    });
    expect(findings(keda(''))).toEqual([expect.stringContaining("installed by Application 'keda' (chart keda")]);
    expect(findings(keda(', helm: {valuesObject: {crds: {install: false}}}'))).toEqual([]);
    expect(findings(keda(', helm: {values: "crds:\\n  install: false\\n"}'))).toEqual([]);
    expect(findings(keda(', helm: {parameters: [{name: crds.install, value: "false"}]}'))).toEqual([]);
    expect(findings(keda(', helm: {valueFiles: [values-prod.yaml]}'))).toEqual([]);
  });

  test("Argo CD's own kinds are served where a root syncs, though a child delivers their CRDs (an Argo CD install)", () => {
    const appCrd = CRD.replace('rayclusters.ray.io', 'applications.argoproj.io')
      .replace('group: ray.io', 'group: argoproj.io')
      .replace('kind: RayCluster, plural: rayclusters', 'kind: Application, plural: applications');
    expect(
      findings({
        'root.yaml': root,
        'apps/argocd.yaml': app('argocd', path('argocd'), AUTO),
        'apps/ray.yaml': app('ray', path('ray'), AUTO),
        'argocd/crd.yaml': appCrd,
      }),
    ).toEqual([]);
  });

  test('a chart of that name from another repository is not judged', () => {
    const other = CHART().replace('https://ray-project.github.io/kuberay-helm/', 'https://charts.example.com/mirror');
    expect(findings(siblings(app('kuberay', other, AUTO), app('ray', path('ray'), AUTO)))).toEqual([]);
  });

  test('Applications in separate files that nothing applies together are not siblings', () => {
    expect(
      findings({ 'apps/kuberay.yaml': app('kuberay', CHART(), AUTO), 'other/ray.yaml': app('ray', path('ray'), AUTO), 'ray/cluster.yaml': RAY() }),
    ).toEqual([]);
  });

  const SET = (setMeta: string, policy: string, strategy = '') => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: ray-stack, namespace: argocd${setMeta}}
spec:
  goTemplate: true
${strategy}  generators:
    - list:
        elements:
          - {name: kuberay, dir: operator}
          - {name: ray, dir: ray}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: main, path: '{{.dir}}'}
      destination: {server: https://kubernetes.default.svc, namespace: ray}
      syncPolicy: {${policy}}
`;
  const set = (setMeta: string, policy: string, strategy = '') => ({
    'set.yaml': SET(setMeta, policy, strategy),
    'operator/crd.yaml': CRD,
    'ray/cluster.yaml': RAY(),
  });

  test('elements of one ApplicationSet: the one whose path holds the CRD installs the kind of the other; the option on the ApplicationSet is misplaced', () => {
    expect(findings(set('', AUTO))).toEqual([
      expect.stringMatching(
        /^error Application\/argocd\/ray: syncs RayCluster\/ray\/batch \(installed by Application 'kuberay' \(the CustomResourceDefinition of RayCluster\)\)/,
      ),
    ]);
    const out = findings(set(', annotations: {argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true}', AUTO));
    expect(out).toEqual([expect.stringContaining('annotation on the metadata of ApplicationSet/argocd/ray-stack names SkipDryRunOnMissingResource=true')]);
  });

  test('elements of a git directories generator are siblings too', () => {
    const gitSet = SET('', AUTO)
      .replace(/ {4}- list:\n(.*\n){3}/, `    - git: {repoURL: ${REPO}, revision: main, directories: [{path: 'stack/*'}]}\n`)
      .replace("metadata: {name: '{{.name}}'}", "metadata: {name: '{{.path.basename}}'}")
      .replace("path: '{{.dir}}'", "path: '{{.path.path}}'");
    expect(gitSet).toContain('directories');
    const out = findings({ 'set.yaml': gitSet, 'stack/operator/crd.yaml': CRD, 'stack/ray/cluster.yaml': RAY() });
    expect(out).toEqual([expect.stringMatching(/^error Application\/argocd\/ray: syncs RayCluster\/ray\/batch \(installed by Application 'operator'/)]);
  });

  test('silent where the template retries, or a RollingSync strategy orders the elements', () => {
    expect(findings(set('', `${AUTO}, retry: {limit: 3}`))).toEqual([]);
    const rolling =
      '  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - matchExpressions: [{key: step, operator: In, values: ["1"]}]\n';
    expect(findings(set('', AUTO, rolling))).toEqual([]);
  });
});

describe('argocd-dry-run-missing-kind: generated Applications whose paths lie beside the checked folder in its git work tree', () => {
  const ORIGIN = 'https://github.com/infra-team/accelerators.git';
  /** An ApplicationSet of list elements, each an Application syncing `path` of the repository, automated. */
  const set = (paths: string[]) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: stack, namespace: openshift-gitops}
spec:
  generators:
    - list:
        elements:
${paths.map((p) => `          - {name: ${p}, path: ${p}}`).join('\n')}
  template:
    metadata: {name: '{{name}}'}
    spec:
      project: default
      source: {repoURL: '${ORIGIN}', targetRevision: main, path: '{{path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{name}}'}
      syncPolicy: {automated: {selfHeal: true}}
`;
  const SUB = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: gpu, namespace: gpu-ops}
spec: {name: gpu-operator-certified, channel: stable, source: certified-operators, sourceNamespace: openshift-marketplace}
`;
  const POLICY = (meta = '') => `apiVersion: nvidia.com/v1
kind: ClusterPolicy
metadata: {name: gpu-policy${meta}}
spec: {driver: {enabled: true}}
`;
  const judged = (files: Record<string, string>) => {
    const root = writeTree(files, 'dry-run-outside-');
    execFileSync('git', ['init', '-q', root]);
    execFileSync('git', ['-C', root, 'remote', 'add', 'origin', ORIGIN]);
    const read = readManifests([`${root}/bootstrap`]);
    return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['argocd-dry-run-missing-kind'], ...read }).map(
      (f) => `${f.severity} ${f.object}: ${f.message}`,
    );
  };

  test('an element folder outside the checked one holds the Subscription and its ClusterPolicy: the generated Application fails its dry run', () => {
    const out = judged({ 'bootstrap/set.yaml': set(['gpu']), 'gpu/subscription.yaml': SUB, 'gpu/policy.yaml': POLICY() });
    expect(out).toEqual([
      expect.stringMatching(
        /^error Application\/openshift-gitops\/gpu: syncs ClusterPolicy\/gpu-policy \(installed by Subscription\/gpu-ops\/gpu\) in the same operation/,
      ),
    ]);
  });

  test('near miss: the ClusterPolicy carries SkipDryRunOnMissingResource, or lives in a folder of its own', () => {
    const skip = ', annotations: {argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true}';
    expect(judged({ 'bootstrap/set.yaml': set(['gpu']), 'gpu/subscription.yaml': SUB, 'gpu/policy.yaml': POLICY(skip) })).toEqual([]);
    expect(judged({ 'bootstrap/set.yaml': set(['gpu', 'policy']), 'gpu/subscription.yaml': SUB, 'policy/policy.yaml': POLICY() })).not.toEqual(
      expect.arrayContaining([expect.stringContaining('in the same operation')]),
    );
  });
});
