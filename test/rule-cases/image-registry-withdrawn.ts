import { runChecks } from '../../lib';
import { podWorkload } from '../util';

const findings = (...images: string[]) =>
  runChecks([{ manifest: podWorkload('server', 'ai', { containers: images.map((image, i) => ({ name: `c${i}`, image })) }) }], { platform: 'kserve' })
    .filter((f) => f.rule === 'image-registry-withdrawn')
    .map((f) => [f.severity, f.message]);

describe('image-registry-withdrawn', () => {
  test("gcr.io/kubebuilder's images are gone: an error with where to pull instead", () => {
    expect(findings('gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1')).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'c0' image 'gcr\.io\/kubebuilder\/kube-rbac-proxy:v0\.13\.1': .*removed.*2025-03-18.*the pull fails.*quay\.io\/brancz\/kube-rbac-proxy/,
        ),
      ],
    ]);
  });

  test('k8s.gcr.io, frozen and redirected: a warning naming registry.k8s.io', () => {
    expect(findings('k8s.gcr.io/pause:3.9')).toEqual([
      ['warning', expect.stringMatching(/frozen on 2023-04-03.*write the same image under registry\.k8s\.io\//)],
    ]);
  });

  test.each(['gcr.io/k8s-staging-jobset/jobset:main', 'us-central1-docker.pkg.dev/k8s-staging-images/lws/lws:v0.8.0-rc.1'])(
    'a staging build (%s) is not kept: a warning',
    (image) => {
      expect(findings(image)).toEqual([['warning', expect.stringMatching(/staging registry.*deletes them \(after 90 days\)/)]]);
    },
  );

  test('near misses: the live registries, a look-alike path, and a template placeholder', () => {
    expect(
      findings(
        'registry.k8s.io/pause:3.9',
        'gcr.io/kubebuilder-tools/thing:1',
        'gcr.io/k8s-artifacts-prod/pause:3.9',
        'quay.io/brancz/kube-rbac-proxy:v0.18.1',
        '{{ .Values.registry }}/kube-rbac-proxy:v1',
      ),
    ).toEqual([]);
  });
});
