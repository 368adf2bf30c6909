import { runChecks } from '../../lib';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';

const REPO = 'https://git.example.com/platform/gpu.git';

/** An Application syncing `path`; `policy` holds its syncPolicy entries and `destination` its destination's (YAML flow). */
const app = (name: string, path: string, policy = 'automated: {prune: false}', destination = '') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: openshift-gitops}
spec:
  project: default
  source: {repoURL: '${REPO}', targetRevision: main, path: ${path}}
  destination: {server: 'https://kubernetes.default.svc'${destination}}
  syncPolicy: {${policy}}
`;
const waved = (wave: string | undefined, more = '') =>
  wave === undefined && !more ? '' : `, annotations: {${wave === undefined ? '' : `argocd.argoproj.io/sync-wave: '${wave}'`}${more}}`;
const namespace = (name: string, wave?: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${waved(wave)}}\n`;
const subscription = (ns: string, wave?: string) =>
  `apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: gpu-operator-certified, namespace: ${ns}${waved(wave)}}\n` +
  'spec: {channel: stable, name: gpu-operator-certified, source: certified-operators, sourceNamespace: openshift-marketplace}\n';

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'namespace-wave-order-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return runChecks(manifests, { platform: 'rhoai-3.0', folders, charts, leftOut })
    .filter((f) => f.rule === 'argocd-namespace-wave-order')
    .map((f) => `${f.severity} ${f.object}: ${f.message}`);
};

/** One Application syncing gpu/ with the Namespace and the Subscription in the waves given. */
const tree = (nsWave: string | undefined, subWave: string | undefined, policy?: string, destination?: string) => ({
  'apps/gpu.yaml': app('gpu', 'gpu', policy, destination),
  'gpu/namespace.yaml': namespace('nvidia-gpu-operator', nsWave),
  'gpu/subscription.yaml': subscription('nvidia-gpu-operator', subWave),
});

describe('argocd-namespace-wave-order', () => {
  test('a Subscription in wave -15 before its Namespace in wave -10, one Application: an error on the Subscription', () => {
    const out = findings(tree('-10', '-15'));
    expect(out).toEqual([
      expect.stringMatching(
        /^error Subscription\/nvidia-gpu-operator\/gpu-operator-certified: is synced in the Sync phase, wave -15, before its Namespace 'nvidia-gpu-operator' .* in the Sync phase, wave -10, by Application\/openshift-gitops\/gpu: /,
      ),
    ]);
    expect(out[0]).toContain('namespaces "nvidia-gpu-operator" not found');
  });

  test('a wave left unset is 0: the Namespace at wave 5 comes after it', () => {
    expect(findings(tree('5', undefined))).toEqual([expect.stringContaining('wave 0, before its Namespace')]);
  });

  test('a PreSync hook in the namespace comes before the Namespace of the Sync phase, whatever the waves', () => {
    const hook = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: nvidia-gpu-operator${waved('-20', ', argocd.argoproj.io/hook: PreSync')}}\ndata: {a: b}\n`;
    const out = findings({ ...tree('-30', '-10'), 'gpu/hook.yaml': hook });
    expect(out).toEqual([
      expect.stringMatching(
        /^error ConfigMap\/nvidia-gpu-operator\/settings: is synced in the PreSync phase, wave -20, before its Namespace .* in the Sync phase, wave -30/,
      ),
    ]);
  });

  test('near miss: the same wave (Argo CD applies Namespaces first within a wave), or the Subscription later', () => {
    expect(findings(tree('-10', '-10'))).toEqual([]);
    expect(findings(tree('-10', '-5'))).toEqual([]);
    expect(findings(tree(undefined, undefined))).toEqual([]);
  });

  test('near miss: CreateNamespace=true with the namespace as destination makes it before any wave', () => {
    expect(findings(tree('-10', '-15', 'automated: {}, syncOptions: [CreateNamespace=true]', ', namespace: nvidia-gpu-operator'))).toEqual([]);
  });

  test('near miss: the Namespace and the object in different Applications (no wave orders them), or a custom kind of unknown scope', () => {
    const apart = {
      'apps/ns.yaml': app('ns', 'ns'),
      'apps/gpu.yaml': app('gpu', 'gpu'),
      'ns/namespace.yaml': namespace('nvidia-gpu-operator', '-10'),
      'gpu/subscription.yaml': subscription('nvidia-gpu-operator', '-15'),
    };
    expect(findings(apart)).toEqual([]);
    const policy = `apiVersion: nvidia.com/v1\nkind: ClusterPolicy\nmetadata: {name: gpu-cluster-policy${waved('-20')}}\nspec: {}\n`;
    expect(findings({ ...tree('-10', '-10', undefined, ', namespace: nvidia-gpu-operator'), 'gpu/policy.yaml': policy })).toEqual([]);
  });

  test('another Application also makes the namespace (CreateNamespace=true): a warning, it may have synced first', () => {
    const plugin = app('plugin', 'plugin', 'syncOptions: [CreateNamespace=true]', ', namespace: nvidia-gpu-operator');
    const out = findings({ ...tree('-10', '-15'), 'apps/plugin.yaml': plugin });
    expect(out).toEqual([
      expect.stringMatching(
        /^warning Subscription\/nvidia-gpu-operator\/gpu-operator-certified: .*unless Application\/openshift-gitops\/plugin, which also makes namespace 'nvidia-gpu-operator', has synced before/,
      ),
    ]);
  });
});
