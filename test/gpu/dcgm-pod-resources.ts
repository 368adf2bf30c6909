import { GraphObject } from '../../lib/check/graph-object';
import { CheckContext } from '../../lib/check/rule';
import { dcgmPodResourcesMissing } from '../../lib/check/rules/dcgm-pod-resources-missing';

// The switch as NVIDIA/dcgm-exporter pkg/cmd/app.go reads it: a urfave/cli BoolFlag (--kubernetes, -k) over its env.
const exporter = (container: object, volumes: object[] = []) =>
  ({
    manifest: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'dcgm', namespace: 'm' },
      spec: { template: { spec: { containers: [{ name: 'e', image: 'nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04', ...container }], volumes } } },
    },
  }) as unknown as GraphObject;
const judged = (o: GraphObject) => dcgmPodResourcesMissing.check(o, {} as CheckContext).length;

describe('dcgm-pod-resources-missing', () => {
  test.each([
    ['-k', { args: ['-k'] }],
    ['--kubernetes=true', { args: ['--kubernetes=true'] }],
    ['env 1', { env: [{ name: 'DCGM_EXPORTER_KUBERNETES', value: '1' }] }],
    [
      'a mount of another folder than the socket set by env',
      {
        env: [
          { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
          { name: 'DCGM_POD_RESOURCES_KUBELET_SOCKET', value: '/run/pr/kubelet.sock' },
        ],
        volumeMounts: [{ name: 'pr', mountPath: '/var/lib/kubelet/pod-resources' }],
      },
    ],
    [
      // a Go flag.FlagSet keeps the last value a flag is given
      'the socket flag given twice, the last outside the mount',
      {
        args: ['-k', '--pod-resources-kubelet-socket=/var/lib/kubelet/pod-resources/kubelet.sock', '-pod-resources-kubelet-socket', '/run/pr/kubelet.sock'],
        volumeMounts: [{ name: 'pr', mountPath: '/var/lib/kubelet/pod-resources' }],
      },
    ],
  ])('fires in Kubernetes mode without the socket: %s', (_, container) => {
    expect(judged(exporter(container))).toBe(1);
  });

  test.each([
    ['the default (off)', {}],
    ['--kubernetes=false over env true', { args: ['--kubernetes=false'], env: [{ name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' }] }],
    ['the kubelet folder mounted', { args: ['-k'], volumeMounts: [{ name: 'pr', mountPath: '/var/lib/kubelet/pod-resources/' }] }],
    ['/var/lib/kubelet mounted whole', { args: ['-k'], volumeMounts: [{ name: 'k', mountPath: '/var/lib/kubelet' }] }],
    ['-k turned off by a later -kubernetes=false', { args: ['-k', '-kubernetes=false'] }],
  ])('is silent on %s', (_, container) => {
    expect(judged(exporter(container))).toBe(0);
  });

  test('another image in Kubernetes mode is not judged', () => {
    expect(judged(exporter({ image: 'nvcr.io/nvidia/cloud-native/dcgm:3.3.3-1-ubi9', args: ['-k'] }))).toBe(0);
  });
});
