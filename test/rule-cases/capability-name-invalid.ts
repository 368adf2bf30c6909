import { ruleFound, severityMessages } from '../util';

type Doc = Record<string, unknown>;
type Platform = NonNullable<Parameters<typeof ruleFound>[2]>['platform'];
const pod = (capabilities: Doc): Doc => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ai' },
  spec: { containers: [{ name: 'c', image: 'quay.io/example/app:1', securityContext: { capabilities } }] },
});
const findings = (platform: Platform, ...manifests: Doc[]) =>
  severityMessages(
    ruleFound(
      'capability-name-invalid',
      manifests.map((manifest) => ({ manifest })),
      { platform, alone: true },
    ),
  );

describe('capability-name-invalid', () => {
  test('a name that is no capability, added: an error naming the nearest, on any platform', () => {
    const expected = [
      [
        'error',
        "spec.containers[0] ('c') securityContext.capabilities.add[0] 'SYS_PTRAC' is no Linux capability: CRI-O refuses to create the container (unknown capability \"CAP_SYS_PTRAC\" to add) and on containerd runc ignores it, so the container runs without it; write SYS_PTRACE",
      ],
    ];
    expect(findings('kserve', pod({ add: ['SYS_PTRAC'] }))).toEqual(expected);
    expect(findings('rhoai-3.0', pod({ add: ['SYS_PTRAC'] }))).toEqual(expected);
  });

  test('CAP_ before a misspelt name is judged on the bare name; a name far from any gets the general fix', () => {
    expect(findings('kserve', pod({ add: ['CAP_NET_ADMN', 'GPU_ACCESS'] })).map(([, m]) => m.split('; ')[1])).toEqual([
      'write NET_ADMIN',
      'write a Linux capability name without the CAP_ prefix (NET_ADMIN, SYS_PTRACE, ...)',
    ]);
  });

  test('a name that is no capability, dropped: a warning, the capability meant stays', () => {
    expect(findings('kserve', pod({ drop: ['NET_RAWW'] }))).toEqual([
      [
        'warning',
        "spec.containers[0] ('c') securityContext.capabilities.drop[0] 'NET_RAWW' is no Linux capability: the runtime drops nothing for it, so the capability meant stays; write NET_RAW",
      ],
    ]);
  });

  test('a known capability with CAP_: a warning off OpenShift (containerd), silent on OpenShift (CRI-O keeps the prefix)', () => {
    const written = pod({ add: ['CAP_NET_ADMIN'], drop: ['cap_net_raw'] });
    expect(findings('kserve', written).map(([s, m]) => [s, m.split(': ')[0], m.split('so on containerd ')[1]])).toEqual([
      [
        'warning',
        "spec.containers[0] ('c') securityContext.capabilities.add[0] 'CAP_NET_ADMIN'",
        'the container runs without NET_ADMIN (CRI-O accepts the prefix); write NET_ADMIN',
      ],
      [
        'warning',
        "spec.containers[0] ('c') securityContext.capabilities.drop[0] 'cap_net_raw'",
        'NET_RAW is not dropped (CRI-O accepts the prefix); write NET_RAW',
      ],
    ]);
    expect(findings('rhoai-3.0', written)).toEqual([]);
  });

  test("any case, ALL, and an InferenceService's model container", () => {
    const isvc: Doc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 's', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, securityContext: { capabilities: { add: ['IPC_LCK'] } } } } },
    };
    expect(findings('kserve', pod({ add: ['net_admin', 'All'], drop: ['all'] }))).toEqual([]);
    expect(findings('kserve', isvc).map(([s, m]) => [s, m.split(' is no')[0]])).toEqual([
      ['error', "spec.predictor.model securityContext.capabilities.add[0] 'IPC_LCK'"],
    ]);
  });
});
