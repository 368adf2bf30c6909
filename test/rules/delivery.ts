import { clusterQueue as oneFlavorQueue, DIGEST, runtime, RuleFixture, service } from './fixture';

const WAVE = 'argocd.argoproj.io/sync-wave';

/** A ResourceFlavor for one L40S GPU, with the node labels of the quota that declares it. */
const flavor = (name: string, instanceType: string) => `
apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata: {name: ${name}}
spec:
  nodeLabels: {node.kubernetes.io/instance-type: ${instanceType}}
`;

/** A ClusterQueue of one flavor, as a quota writes it beside the flavor. */
const clusterQueue = (name: string, flavorName: string) => oneFlavorQueue(name, flavorName, { cpu: '8', memory: '64Gi', gpus: 1 });

/** An AppProject with its permitted repositories and destinations, given as YAML flow sequences. */
const project = (sourceRepos: string, destinations: string) => `
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: llm-serving, namespace: openshift-gitops}
spec:
  sourceRepos: ${sourceRepos}
  destinations: ${destinations}
`;

/** An Application of the project llm-serving; `extra` is further YAML under spec. */
const application = (name: string, opts: { repoURL?: string; destination?: string; annotations?: string; extra?: string } = {}) => `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: openshift-gitops
  annotations: {${opts.annotations ?? ''}}
spec:
  project: llm-serving
  source:
    repoURL: ${opts.repoURL ?? 'https://github.com/example-org/llm-gitops.git'}
    targetRevision: main
    path: dist/gitops/${name}
  destination: ${opts.destination ?? '{server: https://kubernetes.default.svc, namespace: private-ai}'}${opts.extra ?? ''}
`;

const REPO = 'https://github.com/example-org/llm-gitops.git';
const PERMITTED = '[{server: https://kubernetes.default.svc, namespace: private-ai}]';
const pinnedRuntime = (annotations: string) =>
  runtime(`quay.io/vllm/vllm@${DIGEST}`).replace('namespace: ai}', `namespace: ai, annotations: {${annotations}}}`);

/**
 * Fixtures of the delivery rules. Every object of a fixture is read from one file at the top of the checked input,
 * so no Application's source.path reaches an object: the rules that judge what a path delivers (argocd-path-missing,
 * argocd-project-not-permitted, argocd-sync-order, argocd-webhook-drift) are exercised on rendered trees in
 * test/delivery.test.ts and test/fleet.test.ts instead.
 */
export const DELIVERY_FIXTURES: Record<string, RuleFixture> = {
  // example: sync-wave "1" on the service and "5" on its runtime
  'sync-wave-order': {
    fires: pinnedRuntime(`${WAVE}: "5"`) + '---' + service({ annotations: `${WAVE}: "1"` }),
    nearMiss: pinnedRuntime(`${WAVE}: "5"`) + '---' + service({ annotations: `${WAVE}: "6"` }),
  },
  // example: ResourceFlavor nvidia-l40s-1gpu declared by two quotas with different node labels
  'cluster-object-conflict': {
    fires:
      flavor('nvidia-l40s-1gpu', 'g6e.xlarge') +
      '---' +
      clusterQueue('team-a', 'nvidia-l40s-1gpu') +
      '---' +
      flavor('nvidia-l40s-1gpu', 'g6e.2xlarge') +
      '---' +
      clusterQueue('team-b', 'nvidia-l40s-1gpu'),
    nearMiss:
      flavor('nvidia-l40s-1gpu', 'g6e.xlarge') +
      '---' +
      clusterQueue('team-a', 'nvidia-l40s-1gpu') +
      '---' +
      flavor('nvidia-l40s-1gpu-2xlarge', 'g6e.2xlarge') +
      '---' +
      clusterQueue('team-b', 'nvidia-l40s-1gpu-2xlarge'),
  },
  // example: destination: {server: https://kubernetes.default.svc} (no namespace) in a project whose destinations list only namespace private-ai
  'argocd-destination-not-permitted': {
    fires: project(`[${REPO}]`, PERMITTED) + '---' + application('serving', { destination: '{server: https://kubernetes.default.svc}' }),
    nearMiss:
      project(`[${REPO}]`, PERMITTED) + '---' + application('serving', { destination: '{server: https://kubernetes.default.svc, namespace: private-ai}' }),
  },
  // example: repoURL: https://github.com/example-org/llm-gitops.git in a project whose sourceRepos list https://github.com/example-org/other.git
  'argocd-source-not-permitted': {
    fires: project('[https://github.com/example-org/other.git]', PERMITTED) + '---' + application('serving', { repoURL: REPO }),
    nearMiss: project(`[https://github.com/example-org/other.git, ${REPO}]`, PERMITTED) + '---' + application('serving', { repoURL: REPO }),
  },
  // example: a Namespace in wave -1 of the cluster Application and an InferenceService in wave 10 of the serving
  // Application, retry limit 5. Objects of a path are out of reach here (see above), so the same order is written as
  // waves on the two Applications, applied by hand: nothing syncs them, and their waves order nothing either.
  'argocd-wave-ignored': {
    fires:
      project(`[${REPO}]`, PERMITTED) +
      '---' +
      application('cluster', { annotations: `${WAVE}: "-1"` }) +
      '---' +
      application('serving', { annotations: `${WAVE}: "10"`, extra: '\n  syncPolicy:\n    automated: {}\n    retry: {limit: 5}' }),
    nearMiss:
      project(`[${REPO}]`, PERMITTED) +
      '---' +
      application('cluster') +
      '---' +
      application('serving', { extra: '\n  syncPolicy:\n    automated: {}\n    retry: {limit: 5}' }),
  },
  // example: apiVersion: kueue.x-k8s.io/v1beta1 with spec.cohort on OpenShift AI 3.4 (Kueue 0.16 stores v1beta2). The
  // fixtures are checked on OpenShift AI 3.0, whose Kueue 0.14 serves only v1beta1: there the version out of step is
  // v1beta2 (spec.cohortName), and the fix is v1beta1 with spec.cohort.
  'deprecated-api-version': {
    fires: clusterQueue('team-a', 'nvidia-l40s-1gpu').replace('kueue.x-k8s.io/v1beta1', 'kueue.x-k8s.io/v1beta2').replace('spec:', 'spec:\n  cohortName: gpus'),
    nearMiss: clusterQueue('team-a', 'nvidia-l40s-1gpu').replace('spec:', 'spec:\n  cohort: gpus'),
  },
};
