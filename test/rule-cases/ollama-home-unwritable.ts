import { runChecks } from '../../lib';
import type { Platform } from '../../lib/check/platform';
import { podWorkload } from '../util';

type Doc = Record<string, any>;
const judged = (docs: Doc[], platform: Platform = 'kserve') =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === 'ollama-home-unwritable')
    .map((f) => ({ object: f.object, severity: f.severity, message: f.message }));

/** An Ollama Deployment with this pod securityContext and container fields. */
const ollama = (securityContext: Doc, container: Doc = {}, pod: Doc = {}) =>
  podWorkload('ollama', 'chat', { securityContext, containers: [{ name: 'ollama', image: 'ollama/ollama:0.6.5', ...container }], ...pod });

describe('ollama-home-unwritable', () => {
  test('a uid the image lacks, no HOME: an error naming /.ollama', () => {
    expect(judged([ollama({ runAsUser: 1001 })])).toEqual([
      {
        object: 'Deployment/chat/ollama',
        severity: 'error',
        message: expect.stringMatching(
          /^container 'ollama' runs as uid 1001 \(the pod's securityContext\.runAsUser\), which the image's \/etc\/passwd lacks, so the container runtime sets HOME=\/; .*\$HOME\/\.ollama \(and, with OLLAMA_MODELS unset, its models under it\).*mkdir \/\.ollama: permission denied/,
        ),
      },
    ]);
    // `ollama serve` in another image, the uid on the container
    expect(
      judged([
        podWorkload('o', 'chat', {
          containers: [{ name: 'c', image: 'ghcr.io/example/ollama-cuda:1', command: ['/usr/bin/ollama', 'serve'], securityContext: { runAsUser: 5000 } }],
        }),
      ]).map((f) => f.severity),
    ).toEqual(['error']);
  });

  test('uid 1000 (the ubuntu user of newer bases only), or no uid on OpenShift: a warning', () => {
    expect(judged([ollama({ runAsUser: 1000 })]).map((f) => f.severity)).toEqual(['warning']);
    expect(judged([ollama({})], 'rhoai-3.0').map((f) => f.severity)).toEqual(['warning']);
  });

  test('near misses: HOME set, root, no uid off OpenShift, a volume at /.ollama, another command', () => {
    expect(judged([ollama({ runAsUser: 1001 }, { env: [{ name: 'HOME', value: '/models' }] })])).toEqual([]);
    expect(judged([ollama({ runAsUser: 0 })])).toEqual([]);
    expect(judged([ollama({})])).toEqual([]);
    expect(
      judged([ollama({ runAsUser: 1001 }, { volumeMounts: [{ name: 'home', mountPath: '/.ollama' }] }, { volumes: [{ name: 'home', emptyDir: {} }] })]),
    ).toEqual([]);
    expect(judged([ollama({ runAsUser: 1001 }, { command: ['sh', '-c', 'sleep infinity'] })])).toEqual([]);
  });
});
