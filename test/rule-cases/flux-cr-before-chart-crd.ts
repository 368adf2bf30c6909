import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../setup/kustomize-build';
import { ruleFound, severityObjectMessages } from '../util';

const flux = (name: string, path: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
${extra}`;
const release = (chart: string, values = '') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${chart}, namespace: infra}
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      sourceRef: {kind: HelmRepository, name: ${chart}, namespace: flux-system}
${values}`;
const MONITOR =
  'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: vllm, namespace: serving}\nspec:\n  selector: {matchLabels: {app: vllm}}\n  endpoints: [{port: metrics}]\n';
const POOL =
  'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: lan, namespace: metallb-system}\nspec: {addresses: [10.0.0.10-10.0.0.20]}\n';
const ADVERT = 'apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: lan, namespace: metallb-system}\n';

const findings = (files: Record<string, string>) => {
  const dir = writeTree(files, 'flux-cr-before-chart-crd-');
  const { manifests, folders, charts, leftOut } = readManifests([dir]);
  return severityObjectMessages(ruleFound('flux-cr-before-chart-crd', manifests, { platform: 'kserve', folders, charts, leftOut }));
};
const together = (releaseText: string, resources: string, extra: Record<string, string> = {}) => ({
  'clusters/edge/kustomization.yaml': 'resources: [sync.yaml, release.yaml, resources.yaml]\n',
  'clusters/edge/sync.yaml': flux('flux-system', './clusters/edge'),
  'clusters/edge/release.yaml': releaseText,
  'clusters/edge/resources.yaml': resources,
  ...extra,
});

// fluxcd/pkg ssa ApplyAllStaged: CRDs first, then every other object dry-run before any is applied
describe('flux-cr-before-chart-crd', () => {
  test('MetalLB resources beside the metallb HelmRelease in one build: one error on the first, naming the others and the release', () => {
    const [[severity, object, message], ...rest] = findings(together(release('metallb'), `${POOL}---\n${ADVERT}`));
    expect(rest).toEqual([]);
    expect([severity, object]).toEqual(['error', 'IPAddressPool/metallb-system/lan']);
    expect(message).toContain("Flux Kustomization 'flux-system' applies this metallb.io resource (and L2Advertisement/lan) together with HelmRelease/metallb");
    expect(message).toContain('no matches for kind IPAddressPool');
    expect(message).toContain('dependsOn');
  });

  test('a ServiceMonitor beside kube-prometheus-stack: an error', () => {
    expect(findings(together(release('kube-prometheus-stack'), MONITOR)).map(([s, o]) => [s, o])).toEqual([['error', 'ServiceMonitor/serving/vllm']]);
  });

  test('a Kustomization whose path the repository root places is read the same way', () => {
    const files = {
      'clusters/edge/kustomization.yaml': 'resources: [sync.yaml]\n',
      'clusters/edge/sync.yaml': `${flux('flux-system', './clusters/edge')}---\n${flux('infra', './infra')}`,
      'infra/kustomization.yaml': 'resources: [release.yaml, resources.yaml]\n',
      'infra/release.yaml': release('metallb'),
      'infra/resources.yaml': POOL,
    };
    expect(findings(files).map(([s]) => s)).toEqual(['error']);
  });

  test.each([
    [
      'the resources in their own Kustomization with dependsOn',
      {
        'clusters/edge/kustomization.yaml': 'resources: [sync.yaml]\n',
        'clusters/edge/sync.yaml': `${flux('flux-system', './clusters/edge')}---\n${flux('infra', './infra', '  wait: true\n')}---\n${flux('config', './config', '  dependsOn: [{name: infra}]\n')}`,
        'infra/kustomization.yaml': 'resources: [release.yaml]\n',
        'infra/release.yaml': release('metallb'),
        'config/kustomization.yaml': 'resources: [resources.yaml]\n',
        'config/resources.yaml': POOL,
      },
    ],
    ['the CRDs switched off in the values', together(release('metallb', '  values:\n    crds: {enabled: false}\n'), POOL)],
    ['install.crds Skip', together(release('metallb', '  install: {crds: Skip}\n'), POOL)],
    ['a chart that installs other groups', together(release('metallb'), MONITOR)],
    [
      'the CRD in the tree (applied first by Flux)',
      together(
        release('metallb'),
        `${POOL}---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ipaddresspools.metallb.io}\nspec:\n  group: metallb.io\n  scope: Namespaced\n  names: {kind: IPAddressPool, plural: ipaddresspools}\n  versions: [{name: v1beta1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]\n`,
      ),
    ],
    [
      'another HelmRelease of the chart outside the build',
      together(release('metallb'), POOL, { 'other/release.yaml': release('metallb').replace('namespace: infra', 'namespace: lb') }),
    ],
  ])('near miss: %s', (_, files) => {
    expect(findings(files)).toEqual([]);
  });
});
