import { quantizationConflict } from '../../lib/planning/vllm-startup-checks';
import { ruleFound, severityMessages } from '../util';

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
