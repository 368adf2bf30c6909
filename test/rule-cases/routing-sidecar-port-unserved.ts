import { podWorkload, ruleFindings } from '../util';

/** llm-d's routing sidecar forwards to vLLM on localhost at its port flag or its release's default; vLLM elsewhere is never reached. */
describe('routing-sidecar-port-unserved', () => {
  const vllm = (port?: string) => ({
    name: 'vllm',
    image: 'vllm/vllm-openai:v0.10.1',
    args: ['--model=org/some-model', ...(port ? ['--port', port] : [])],
  });
  const sidecar = (image: string, args: string[] = [], extra: object = {}) => ({ name: 'proxy', image, args, ...extra });
  const pod = (containers: object[], initContainers: object[] = []) => podWorkload('decode', 'pd', { containers, initContainers });
  const found = (doc: object) => ruleFindings('routing-sidecar-port-unserved', [doc]);

  test('a native sidecar with no port flag forwards to its default 8001; vLLM on 8200: an error', () => {
    expect(found(pod([vllm('8200')], [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', ['-port=8000'], { restartPolicy: 'Always' })]))).toEqual([
      expect.stringMatching(
        /^error Deployment\/pd\/decode: the routing sidecar init container 'proxy' forwards every request to localhost:8001 \(the default of llm-d-routing-sidecar .*\), but vLLM in container 'vllm' listens on 8200 .*refused.*--vllm-port=8200/,
      ),
    ]);
  });

  test('llm-d-router v0.10 on defaults to 8200: vLLM on its default 8000 is missed', () => {
    expect(found(pod([sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.10.1'), vllm()]))).toEqual([
      expect.stringMatching(
        /^error .*localhost:8200 \(the default of llm-d-router-disagg-sidecar v0\.10\.1 \(v0\.10\.0 on: 8200\).*listens on 8000 \(vLLM's default/,
      ),
    ]);
  });

  test('--model-server-port outranks --vllm-port', () => {
    expect(found(pod([sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.10.1', ['--model-server-port=8300', '--vllm-port=8200']), vllm('8200')]))).toEqual([
      expect.stringMatching(/^error .*localhost:8300 \(--model-server-port=8300 of container 'proxy'\)/),
    ]);
  });

  test.each([
    ["the flag names vLLM's port", [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', ['--vllm-port', '8200']), vllm('8200')]],
    ['a release before v0.10 and vLLM on 8001', [sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.9.0'), vllm('8001')]],
    ['v0.10 and vLLM on 8200', [sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.10.0'), vllm('8200')]],
    ['a tag that is no release', [sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:main'), vllm('8300')]],
    [
      'a configuration file that may set the port',
      [sidecar('ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.10.0', ['--configuration-file=/etc/sidecar/config.yaml']), vllm('8300')],
    ],
    [
      'another container declares the port',
      [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0'), vllm('8200'), { name: 'shim', image: 'example/shim:1', ports: [{ containerPort: 8001 }] }],
    ],
    [
      'another container whose port is unknown',
      [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0'), vllm('8200'), { name: 'shim', image: 'example/shim:1' }],
    ],
    ['a command naming another program', [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0', [], { command: ['/bin/sleep', 'infinity'] }), vllm('8200')]],
  ])('near miss, %s: silent', (_, containers) => {
    expect(found(pod(containers))).toEqual([]);
  });

  test('near miss, a classic init container (not running beside vLLM; init-container-never-exits judges it): silent', () => {
    expect(found(pod([vllm('8200')], [sidecar('ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0')]))).toEqual([]);
  });
});
