import { Chart } from 'cdk8s';
import { ExistingGpuNodes, GpuInstanceType, GpuModel, ModelProfile, ModelSource, VllmInferenceService, VllmRuntime } from '../../lib';
import { synthApp, testApp } from '../util';

/**
 * A service placed on nodes chosen by the label that names their GPU (GPU Feature Discovery's nvidia.com/gpu.product)
 * gets the verdict of that GPU at synth, and a shape that claims a larger GPU than the label selects is refused.
 */
function onL4Nodes(
  model: ModelProfile,
  shape: ConstructorParameters<typeof ExistingGpuNodes>[2]['shape'] = { gpu: GpuModel.NVIDIA_L4, gpusPerNode: 1, vcpu: 16, memoryGiB: 64 },
) {
  const app = testApp();
  const chart = new Chart(app, 'serving', { namespace: 'team-a' });
  const placement = new ExistingGpuNodes(chart, 'L4', { shape, nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } });
  new VllmInferenceService(chart, 'llm', {
    runtime: new VllmRuntime(chart, 'R'),
    source: ModelSource.pvc('models', 'llm'),
    placement,
    model,
    maxModelLen: 8192,
  });
  return app;
}

describe('a service on nodes selected by their GPU label', () => {
  test('synth refuses 70B on one L4 selected by nvidia.com/gpu.product, and passes 8B there', () => {
    expect(() => synthApp(onL4Nodes(ModelProfile.bundled('llama-3.1-70b-instruct')))).toThrow(
      /error gpu-memory-fit InferenceService\/team-a\/llm: oom_weights on 1 × L4 \(custom-l4-1gpu\): weights need/,
    );
    const isvc = synthApp(onL4Nodes(ModelProfile.bundled('llama-3.1-8b-instruct'))).find((m) => m.kind === 'InferenceService');
    expect(isvc.spec.predictor.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-L4' });
  });

  test('a shape of a larger GPU than the selector names is refused; the same GPU or a label naming none is not', () => {
    expect(() => onL4Nodes(ModelProfile.bundled('llama-3.1-8b-instruct'), GpuInstanceType.P5_48XLARGE)).toThrow(
      /nodeSelector nvidia.com\/gpu.product=NVIDIA-L4 selects nodes of L4 \(22.04 GiB visible to CUDA\), but shape.gpu is H100-80GB \(79.18 GiB\)/,
    );
    expect(() => onL4Nodes(ModelProfile.bundled('llama-3.1-8b-instruct'), GpuInstanceType.G6_XLARGE)).not.toThrow();
    const app = testApp();
    const chart = new Chart(app, 'serving', { namespace: 'team-a' });
    expect(() => new ExistingGpuNodes(chart, 'P5', { shape: GpuInstanceType.P5_48XLARGE, nodeSelector: { 'example.com/pool': 'h100' } })).not.toThrow();
  });
});
