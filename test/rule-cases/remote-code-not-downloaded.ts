import { runChecks } from '../../lib';

/** A Deployment whose init container downloads with `download`, and whose vLLM container serves `args`. */
function server(download: string, args: string[], namespace = 'llm') {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'phi', namespace },
    spec: {
      selector: { matchLabels: { app: 'phi' } },
      template: {
        metadata: { labels: { app: 'phi' } },
        spec: {
          initContainers: [{ name: 'fetch', image: 'python:3.12-slim', command: ['sh', '-c', download] }],
          containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.8.5', args }],
        },
      },
    },
  };
}
const SERVE = ['--model', '/data/phi/', '--trust-remote-code'];
const found = (d: object) =>
  runChecks([{ manifest: d }], { platform: 'kserve' })
    .filter((f) => f.rule === 'remote-code-not-downloaded')
    .map((f) => f.severity);

describe('remote-code-not-downloaded', () => {
  test('huggingface-cli with --include=PATTERN in an init container, the served path below its --local-dir: a warning', () => {
    expect(
      found(
        server('huggingface-cli download microsoft/phi-2 --include=*.safetensors --include config.json --local-dir /data', [
          '--model',
          '/data/phi',
          '--trust-remote-code',
        ]),
      ),
    ).toEqual(['warning']);
    expect(found(server('hf download microsoft/phi-2 --include "*.safetensors" "*.json" --local-dir /data/phi', SERVE))).toEqual(['warning']);
  });

  test('near misses: a pattern matching .py, no --include, no --trust-remote-code, another folder', () => {
    expect(found(server('hf download microsoft/phi-2 --include "*.safetensors" "*.py" --local-dir /data/phi', SERVE))).toEqual([]);
    expect(found(server('hf download microsoft/phi-2 --include "*" --local-dir /data/phi', SERVE))).toEqual([]);
    expect(found(server('hf download microsoft/phi-2 --local-dir /data/phi', SERVE))).toEqual([]);
    expect(found(server('hf download microsoft/phi-2 --include "*.safetensors" --local-dir /data/phi', ['--model', '/data/phi']))).toEqual([]);
    expect(found(server('hf download microsoft/phi-2 --include "*.safetensors" --local-dir /data/other', SERVE))).toEqual([]);
  });
});
