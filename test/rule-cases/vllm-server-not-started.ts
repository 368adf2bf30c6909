import { runChecks } from '../../lib';

/**
 * vllm-server-not-started: args without command keep the image's ENTRYPOINT (Kubernetes define-command-argument-container);
 * Model Garden's pytorch-vllm-serve image needs the program named (GoogleCloudPlatform/kubernetes-engine-samples
 * ai-ml/llm-serving-gemma/vllm manifests all set command python3 -m vllm.entrypoints.api_server).
 */
const GARDEN = 'us-docker.pkg.dev/vertex-ai/vertex-vision-model-garden-dockers/pytorch-vllm-serve:20240527_0916_RC00';
const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'gemma', namespace: 'llm' },
  spec: { selector: { matchLabels: { app: 'g' } }, template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'server', ...container }] } } },
});
const findings = (container: Record<string, unknown>) =>
  runChecks([{ manifest: deployment(container) }], { platform: 'kserve' })
    .filter((f) => f.rule === 'vllm-server-not-started')
    .map((f) => f.message);

describe('vllm-server-not-started', () => {
  test('flags as args, no command, Model Garden image: an error naming the flags, the image and the command to set', () => {
    expect(findings({ image: GARDEN, args: ['--model=google/gemma-1.1-7b-it', '--tensor-parallel-size=2', '--swap-space=16'] })).toEqual([
      "container 'server' gives vLLM server flags (--model=google/gemma-1.1-7b-it --tensor-parallel-size=2) as args with no command, but Vertex AI Model Garden's " +
        `pytorch-vllm-serve image (${GARDEN}) does not start vLLM's server by itself: the args take the place of a program and the container never serves; ` +
        'set command: ["python3", "-m", "vllm.entrypoints.api_server"] (vllm.entrypoints.openai.api_server for the OpenAI API), or use an image whose entrypoint is the server (vllm/vllm-openai)',
    ]);
  });

  test('an empty command list is no command', () => {
    expect(findings({ image: GARDEN, command: [], args: ['--model', 'google/gemma-2b'] })).toHaveLength(1);
  });

  test('the restricted Model Garden registry and a digest are the same image', () => {
    const image = 'us-docker.pkg.dev/vertex-ai-restricted/vertex-vision-model-garden-dockers/pytorch-vllm-serve@sha256:' + 'a'.repeat(64);
    expect(findings({ image, args: ['--max-model-len=4096'] })).toHaveLength(1);
  });

  test.each([
    ['a command', { image: GARDEN, command: ['python3', '-m', 'vllm.entrypoints.api_server'], args: ['--model=g'] }],
    ['args that name the program first (as Vertex passes them)', { image: GARDEN, args: ['python', '-m', 'vllm.entrypoints.api_server', '--model=g'] }],
    ['no vLLM flag', { image: GARDEN, args: ['--verbose'] }],
    ["vLLM's own image, whose entrypoint is the server", { image: 'vllm/vllm-openai:v0.10.1', args: ['--model=g'] }],
    ["Red Hat AI Inference Server's image", { image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.0', args: ['--model=g'] }],
    ['an image whose entrypoint is not known', { image: 'ghcr.io/example/llm-server:1.0', args: ['--model=g'] }],
  ])('%s: silent', (_, container) => {
    expect(findings(container)).toEqual([]);
  });
});

describe('vllm-server-not-started: a vLLM subcommand that does not exist', () => {
  const OPENAI = 'vllm/vllm-openai:v0.10.1';
  test('`vllm server` in a sh -c script: an error listing the real subcommands and the fix', () => {
    expect(findings({ image: OPENAI, command: ['bin/sh', '-c'], args: ['vllm server $(MODEL) --port 8000'] })).toEqual([
      "container 'server' runs `vllm server`, but \"server\" is no subcommand of vLLM's CLI (serve, chat, complete, launch, bench, collect-env, run-batch): its parser refuses it (\"argument subparser: invalid choice: 'server'\") and the container exits at start; write `vllm serve`",
    ]);
    // as the command itself, after an assignment in a script, and a word other than serve* gets the list as the fix
    expect(findings({ image: OPENAI, command: ['vllm', 'server', 'org/model'] })).toHaveLength(1);
    expect(findings({ image: OPENAI, command: ['sh', '-c', 'HF_HOME=/cache vllm start org/model'] }).map((m) => m.split('; ')[1])).toEqual([
      'write one of them (`vllm serve` starts the server)',
    ]);
  });

  test('near misses: real subcommands, a flag, a word the shell expands, vllm as an argument of another program', () => {
    for (const script of [
      'vllm serve org/model',
      'vllm bench serve --help',
      'vllm collect-env && vllm serve m',
      'vllm --version',
      'vllm $CMD m',
      'pip install vllm server',
    ])
      expect({ script, found: findings({ image: OPENAI, command: ['sh', '-c', script] }) }).toEqual({ script, found: [] });
  });
});
