import { quantizationConflict } from '../../lib/planning/vllm-startup-checks';
import { ruleFound, severityMessages, treeRuleFound } from '../util';

/**
 * quantization-conflict and the Marlin kernels: vLLM's gptq_marlin.py and awq_marlin.py override_quantization_method
 * take `--quantization gptq_marlin|awq_marlin|marlin` as the kernel that runs a GPTQ or AWQ checkpoint, not a method of
 * its own; any other method than the checkpoint's is refused (config/model.py _verify_quantization).
 */
type Doc = Record<string, unknown>;
const service = (storageUri: string, flag: string): Doc => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'chat', namespace: 'team' },
  spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri, args: [`--quantization=${flag}`] } } },
});
const findings = (storageUri: string, flag: string) =>
  severityMessages(ruleFound('quantization-conflict', [{ manifest: service(storageUri, flag) }], { platform: 'kserve' }));

describe('quantization-conflict: the Marlin kernels of GPTQ and AWQ checkpoints', () => {
  const gptq = 's3://models/Bielik-11B-Instruct-GPTQ/';
  const awq = 's3://models/mistral-7b-instruct-awq/';

  test('a checkpoint whose name states GPTQ or AWQ, run with its Marlin kernel or plain marlin: no finding', () => {
    for (const flag of ['gptq', 'gptq_marlin', 'marlin', 'GPTQ_MARLIN']) expect(findings(gptq, flag)).toEqual([]);
    for (const flag of ['awq', 'awq_marlin', 'marlin']) expect(findings(awq, flag)).toEqual([]);
  });

  test("near misses: the other method's kernel, or another method: the warning stays", () => {
    expect(findings(gptq, 'awq_marlin')).toEqual([
      ['warning', expect.stringMatching(/^--quantization=awq_marlin on s3:\/\/models\/Bielik-11B-Instruct-GPTQ\/, whose name suggests/)],
    ]);
    expect(findings(awq, 'gptq_marlin')).toEqual([['warning', expect.stringMatching(/^--quantization=gptq_marlin on /)]]);
    expect(findings(gptq, 'fp8')).toEqual([['warning', expect.stringMatching(/^--quantization=fp8 on /)]]);
  });

  test("with the checkpoint's config known: the kernel pairs agree, a crossed pair is refused", () => {
    const checkpoint = (method: string) => ({ method, weightBits: 4, label: `${method.toUpperCase()} 4-bit` });
    expect(quantizationConflict(checkpoint('gptq'), 'gptq_marlin')).toBeUndefined();
    expect(quantizationConflict(checkpoint('gptq'), 'marlin')).toBeUndefined();
    expect(quantizationConflict(checkpoint('awq'), 'awq_marlin')).toBeUndefined();
    expect(quantizationConflict(checkpoint('gptq'), 'awq_marlin')).toMatch(/already quantized \(GPTQ 4-bit\); --quantization=awq_marlin contradicts it/);
    expect(quantizationConflict(checkpoint('fp8'), 'marlin')).toMatch(/--quantization=marlin contradicts it/);
  });
});

describe('quantization-conflict: a checkpoint whose quantization its Hugging Face id tells', () => {
  test("a publisher's -AWQ repository served with another method: an error quoting vLLM's refusal", () => {
    expect(findings('hf://TheBloke/Mistral-7B-Instruct-v0.2-AWQ', 'compressed-tensors')).toEqual([
      [
        'error',
        expect.stringMatching(
          /^--quantization=compressed-tensors on TheBloke\/Mistral-7B-Instruct-v0\.2-AWQ, an AWQ checkpoint: .*"Quantization method specified in the model config \(awq\) does not match the quantization method specified in the `quantization` argument \(compressed-tensors\)"/,
        ),
      ],
    ]);
    expect(findings('hf://Qwen/Qwen2.5-7B-Instruct-AWQ:main', 'gptq')).toEqual([
      ['error', expect.stringMatching(/^--quantization=gptq on Qwen\/Qwen2\.5-7B-Instruct-AWQ, an AWQ checkpoint/)],
    ]);
    for (const flag of ['awq', 'awq_marlin', 'marlin']) expect(findings('hf://TheBloke/Mistral-7B-Instruct-v0.2-AWQ', flag)).toEqual([]);
  });

  test('a bundled profile of the id: an error from its config.json (the catalog gives the service that profile, so the profile says it)', () => {
    expect(findings('hf://Qwen/Qwen2.5-72B-Instruct-AWQ', 'fp8')).toEqual([
      ['error', expect.stringMatching(/^--quantization=fp8: the checkpoint is already quantized \(awq 4-bit\); .*vLLM refuses to start/)],
    ]);
  });

  test('a folder name, or an -AWQ repository of an organisation not known to publish AWQ so: still a warning', () => {
    expect(findings('s3://models/mistral-7b-instruct-awq', 'compressed-tensors')).toEqual([
      ['warning', expect.stringMatching(/whose name suggests a pre-quantized checkpoint/)],
    ]);
    expect(findings('hf://someone/Mistral-7B-Instruct-v0.2-AWQ', 'compressed-tensors')).toEqual([
      ['warning', expect.stringMatching(/whose name suggests a pre-quantized checkpoint/)],
    ]);
  });
});

describe('quantization-conflict: an S3 prefix a script of the repository fills from a Hugging Face id', () => {
  const UPLOAD = [
    '#!/bin/sh',
    'set -e',
    'MODEL_ID="$1"',
    'PREFIX="$2"',
    'huggingface-cli download "$MODEL_ID" --local-dir /tmp/weights',
    'aws s3 sync /tmp/weights "s3://models/$PREFIX/"',
    '',
  ].join('\n');
  const ISVC = (storageUri: string, flag: string) =>
    [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata: {name: chat, namespace: team}',
      'spec:',
      '  predictor:',
      '    model:',
      '      modelFormat: {name: vLLM}',
      '      runtime: vllm',
      `      storageUri: ${storageUri}`,
      `      args: ["--quantization=${flag}"]`,
      '',
    ].join('\n');
  const found = async (files: Record<string, string>) =>
    severityMessages(await treeRuleFound('quantization-conflict', 'quant-upload-', files, ['--platform', 'kserve']));

  test('a guide runs the upload script with the id and the prefix: the checkpoint is known, an error naming the line', async () => {
    expect(
      await found({
        'README.md': '# Models\n\n```bash\n./scripts/upload-model.sh TheBloke/Mistral-7B-Instruct-v0.2-AWQ mistral-7b-instruct-awq\n```\n',
        'scripts/upload-model.sh': UPLOAD,
        'deploy/isvc.yaml': ISVC('s3://models/mistral-7b-instruct-awq', 'gptq'),
      }),
    ).toEqual([
      [
        'error',
        expect.stringMatching(
          /^--quantization=gptq on s3:\/\/models\/mistral-7b-instruct-awq\/?, which .*README\.md:4 fills from TheBloke\/Mistral-7B-Instruct-v0\.2-AWQ, an AWQ checkpoint: .*drop --quantization .* or pass awq$/,
        ),
      ],
    ]);
  });

  test('a script that downloads a GPTQ id and syncs it to the prefix: an error naming its upload line', async () => {
    const script = ['#!/bin/sh', 'hf download acme-lab/granite-8b-GPTQ --local-dir ./w', 'aws s3 cp --recursive ./w s3://models/granite-8b/', ''].join('\n');
    expect(await found({ 'fetch.sh': script, 'isvc.yaml': ISVC('s3://models/granite-8b/', 'awq') })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^--quantization=awq on s3:\/\/models\/granite-8b\/, which .*fetch\.sh:3 fills from acme-lab\/granite-8b-GPTQ, a gptq checkpoint by its name/,
        ),
      ],
    ]);
  });

  test('near misses: no upload of that prefix stays a warning; the flag the upload agrees with is silent', async () => {
    expect(await found({ 'scripts/upload-model.sh': UPLOAD, 'isvc.yaml': ISVC('s3://models/mistral-7b-instruct-awq', 'gptq') })).toEqual([
      ['warning', expect.stringMatching(/whose name suggests a pre-quantized checkpoint/)],
    ]);
    expect(
      await found({
        'README.md': '```bash\n./scripts/upload-model.sh TheBloke/Mistral-7B-Instruct-v0.2-AWQ mistral-7b-instruct-awq\n```\n',
        'scripts/upload-model.sh': UPLOAD,
        'isvc.yaml': ISVC('s3://models/mistral-7b-instruct-awq', 'awq_marlin'),
      }),
    ).toEqual([]);
  });
});
