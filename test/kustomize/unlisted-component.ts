import * as path from 'path';
import { readManifests } from '../../lib';
import { writeTree } from '../util';

/**
 * A Component that no kustomization of the input lists, beside a kustomization folder that could list it: read as if
 * that kustomization listed it last under components (kustomize api/internal/target/kusttarget.go: a Component adds to
 * the accumulator of the kustomization listing it, and its patches edit that one's objects).
 */
const RELEASE =
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: accel\n  namespace: flux-system\n' +
  'spec:\n  interval: 1h\n  chart:\n    spec:\n      chart: accel\n      sourceRef: {kind: HelmRepository, name: charts}\n  values:\n    replicas: 1\n';
const COMPONENT =
  'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- extra.yaml\npatches:\n- path: patch.yaml\n  target:\n    kind: HelmRelease\n';
const PATCH =
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: accel\n  namespace: flux-system\nspec:\n  values:\n    sharing: on\n';
const EXTRA = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sharing\n  namespace: apps\ndata:\n  any: "x"\n';

describe('an unlisted Component beside a kustomization', () => {
  test('its resources join the build beside it, its patches apply there, and an info says so', () => {
    const root = writeTree('unlisted-component-', {
      'app/base/kustomization.yaml': 'resources: [release.yaml]\n',
      'app/base/release.yaml': RELEASE,
      'app/sharing/kustomization.yaml': COMPONENT,
      'app/sharing/patch.yaml': PATCH,
      'app/sharing/extra.yaml': EXTRA,
    });
    const { manifests, errors } = readManifests([path.join(root, 'app')]);
    const release = manifests.find((m) => (m.manifest as { kind: string }).kind === 'HelmRelease')!.manifest as { spec: { values: Record<string, unknown> } };
    expect(release.spec.values).toEqual({ replicas: 1, sharing: 'on' });
    expect(manifests.map((m) => (m.manifest as { kind: string }).kind).sort()).toEqual(['ConfigMap', 'HelmRelease']);
    expect(errors.map((e) => [e.severity, path.relative(root, e.file), e.message])).toEqual([
      [
        'info',
        'app/sharing/kustomization.yaml',
        'is a Component that no kustomization of the input lists: it is checked as if the kustomization beside it (base) listed it last under components, its resources added and its patches applied to that build',
      ],
      // the release's chart comes from a Helm repository: said, not rendered
      [
        'info',
        'app/base/release.yaml',
        "HelmRelease/flux-system/accel installs chart accel from HelmRepository flux-system/charts (not in the input) as release 'accel' into namespace 'flux-system', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
      ],
    ]);
  });

  test('near miss: a Component with no kustomization beside it stays unchecked, with a warning', () => {
    const root = writeTree('unlisted-component-', {
      'app/sharing/kustomization.yaml': COMPONENT,
      'app/sharing/patch.yaml': PATCH,
      'app/sharing/extra.yaml': EXTRA,
    });
    const { manifests, errors } = readManifests([path.join(root, 'app')]);
    expect(manifests).toEqual([]);
    expect(errors.map((e) => e.severity)).toEqual(['warning']);
  });
});
