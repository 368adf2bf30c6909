import { ruleFound } from '../util';

/** A picker Deployment of the image with the arguments. */
const picker = (image: string, args: string[]) => ({
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'picker', namespace: 'chat' },
    spec: {
      selector: { matchLabels: { app: 'picker' } },
      template: { metadata: { labels: { app: 'picker' } }, spec: { containers: [{ name: 'epp', image, args }] } },
    },
  },
});

const found = (...manifests: { manifest: object }[]) => ruleFound('epp-flag-undefined', manifests);

const GIE = 'registry.k8s.io/gateway-api-inference-extension/epp';

describe('epp-flag-undefined: flags the image release does not declare', () => {
  test('kebab-case flags on v0.5.1: an error naming the camelCase spelling and Go flag refusal', () => {
    const [f, ...rest] = found(picker(`${GIE}:v0.5.1`, ['--pool-name', 'p', '--grpc-port', '9002']));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('Deployment/chat/picker');
    expect(f.message).toMatch(
      /passes --pool-name \(write --poolName\), --grpc-port \(write --grpcPort\), which gateway-api-inference-extension v0\.5\.1 does not define/,
    );
    expect(f.message).toMatch(/flag provided but not defined: -pool-name/);
  });

  test('camelCase flags on v1.0.0 and on llm-d scheduler v0.3.0 (which runs the v1.0.0 runner)', () => {
    expect(found(picker(`${GIE}:v1.0.0`, ['-poolName', 'p'])).map((f) => f.severity)).toEqual(['error']);
    const [f] = found(picker('ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', ['--poolNamespace', 'chat']));
    expect(f.message).toMatch(
      /--poolNamespace \(write --pool-namespace\), which llm-d-inference-scheduler v0\.3\.0 \(gateway-api-inference-extension v1\.0\.0\) does not define/,
    );
  });

  test('pflag from v1.3.0 refuses a long flag with one dash', () => {
    const [f] = found(picker(`${GIE}:v1.3.0`, ['-pool-name', 'p']));
    expect(f.message).toMatch(/unknown shorthand flag: 'p' in -pool-name/);
  });

  test('a flag that came later than the release: v1.2.0 --endpoint-selector on v1.0.0', () => {
    const [f] = found(picker(`${GIE}:v1.0.0`, ['--endpoint-selector', 'app=x', '--endpoint-target-ports', '8000']));
    expect(f.message).toMatch(/--endpoint-selector \(declared by v1\.2\.0 to v1\.5\.0\)/);
  });

  test('a moving tag is judged by the newest release, as a warning', () => {
    const [f] = found(picker(`${GIE}:main`, ['-poolName', 'p']));
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/the tag main moves.*judged by gateway-api-inference-extension v1\.5\.0/);
  });

  test('no image: camelCase beside kebab-case in a scheduler template is an error', () => {
    const llm = {
      manifest: {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'LLMInferenceService',
        metadata: { name: 'qwen', namespace: 'chat' },
        spec: {
          model: { uri: 'hf://Qwen/Qwen2.5-0.5B-Instruct' },
          router: { scheduler: { template: { containers: [{ name: 'main', args: ['--poolName', 'x', '--grpc-port', '9002'] }] } } },
        },
      },
    };
    const [f] = found(llm);
    expect(f.severity).toBe('error');
    expect(f.object).toBe('LLMInferenceService/chat/qwen');
    expect(f.message).toMatch(/mixes flags of two picker generations, --poolName .* and --grpc-port .*write --pool-name for --poolName$/);
  });

  test('near misses: the release own flags, flags no release declares, an unknown tag, one spelling without an image', () => {
    expect(found(picker(`${GIE}:v0.5.1`, ['-poolName', 'p', '-grpcPort', '9002', '--zap-encoder', 'json', '--kubeconfig', 'x']))).toEqual([]);
    expect(found(picker(`${GIE}:v1.0.0`, ['--pool-name', 'p', '--v', '4', '--secure-serving']))).toEqual([]);
    expect(found(picker(`${GIE}:\${EPP_TAG}`, ['--pool-name', 'p']))).toEqual([]);
    expect(found(picker('quay.io/someone/picker:1', ['--poolName', 'p', '--grpc-port', '1']))).toEqual([]);
  });
});
