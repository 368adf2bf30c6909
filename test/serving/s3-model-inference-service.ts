import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { GpuInstanceType, S3ModelInferenceService, S3ModelInferenceServiceProps } from '../../lib';
import { fixture, keptWarnings, synthApp, testApp } from '../util';

function service(extra: Partial<S3ModelInferenceServiceProps> = {}, instanceType?: GpuInstanceType) {
  const f = fixture({ instanceType });
  const svc = new S3ModelInferenceService(f.chart, 'llm', {
    runtime: f.runtime,
    connection: f.connection,
    modelPath: 'llm/',
    machineSet: f.machineSet,
    queue: f.quota,
    ...extra,
  });
  const isvc = () => synthApp(f.app).find((m) => m.kind === 'InferenceService');
  return { ...f, svc, isvc };
}

describe('S3ModelInferenceService', () => {
  test('requests as many GPUs as the tensor-parallel size, in requests and limits', () => {
    const { isvc } = service({ tensorParallelSize: 4 });
    const r = isvc().spec.predictor.model.resources;
    expect(r.requests['nvidia.com/gpu']).toBe('4');
    expect(r.limits['nvidia.com/gpu']).toBe('4');
    expect(isvc().spec.predictor.model.args).toContain('--tensor-parallel-size=4');
  });

  test('binds to its runtime by name and the exact vLLM format, in RawDeployment mode', () => {
    const m = service().isvc();
    expect(m.spec.predictor.model.runtime).toBe('vllm-runtime');
    expect(m.spec.predictor.model.modelFormat).toEqual({ name: 'vLLM' });
    expect(m.metadata.annotations['serving.kserve.io/deploymentMode']).toBe('RawDeployment');
    expect(m.spec.predictor.deploymentStrategy).toEqual({ type: 'Recreate' });
  });

  test('reads weights from the connection: s3 URI plus the connection Secret as storage key', () => {
    const m = service({ modelPath: '/org/model' }).isvc();
    expect(m.spec.predictor.model.storageUri).toBe('s3://models/org/model/');
    expect(m.spec.predictor.model.storage).toEqual({ key: 'models-s3' });
  });

  test('labels the service with the LocalQueue of its quota, and is placed by instance type with GPU tolerations', () => {
    const { isvc, quota } = service();
    const m = isvc();
    expect(m.metadata.labels['kueue.x-k8s.io/queue-name']).toBe(quota.localQueueName);
    expect(m.spec.predictor.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6.12xlarge' });
    expect(m.spec.predictor.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
  });

  test('custom node taints flow to the service tolerations and to the Kueue flavor', async () => {
    const { Chart } = await import('cdk8s');
    const { GpuMachineSetScale, KueueQuota, S3Connection, VllmRuntime } = await import('../../lib');
    const app = testApp();
    const cluster = new Chart(app, 'cluster');
    const taints = [
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const },
      { key: 'team', value: 'llm', effect: 'NoExecute' as const },
      { key: 'pool', value: 'blue', effect: 'NoSchedule' as const, tolerateAnyValue: true },
      { key: 'dedicated', effect: 'NoSchedule' as const },
    ];
    const ms = new GpuMachineSetScale(cluster, 'ms', {
      clusterId: 'c-abc12',
      region: 'us-east-2',
      availabilityZone: 'us-east-2a',
      amiId: 'ami-0123456789abcdef0',
      instanceType: GpuInstanceType.G6_12XLARGE,
      taints,
      nodeLabels: { team: 'llm' },
    });
    const quota = new KueueQuota(cluster, 'q', { machineSets: [ms], namespace: 'a' });
    const chart = new Chart(app, 'serving', { namespace: 'a' });
    new S3ModelInferenceService(chart, 'svc', {
      runtime: new VllmRuntime(chart, 'rt'),
      connection: new S3Connection(chart, 's3', { secretName: 's', endpoint: 'http://m:9000', bucket: 'models' }),
      modelPath: 'm/',
      machineSet: ms,
      queue: quota,
    });
    const warnings = keptWarnings(app);
    const all = synthApp(app);
    // the connection's Secret is made outside the app: the one warning synth gives, with the fix; and a note, in the
    // construct's terms, that the fit is unchecked without the model's profile
    expect(warnings).toEqual([
      expect.stringMatching(/^warning secret-not-in-tree InferenceService\/a\/svc: storage\.key 's' .*create the connection before sync/),
      expect.stringMatching(
        /^info gpu-memory-fit InferenceService\/a\/svc: the model at s3:\/\/models\/m\/ is unknown, .*set the construct's model prop \(ModelProfile\.fromDirectory/,
      ),
    ]);
    // the taint's value is kept (Equal) unless the taint asks for any value; a taint without a value is tolerated by key
    const tolerations = [
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'team', operator: 'Equal', value: 'llm', effect: 'NoExecute' },
      { key: 'pool', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
    ];
    expect(all.find((m) => m.kind === 'InferenceService').spec.predictor.tolerations).toEqual(tolerations);
    const flavor = all.find((m) => m.kind === 'ResourceFlavor' && m.metadata.name !== 'cpu-batch');
    expect(flavor.spec.nodeTaints).toEqual(taints.map(({ key, value, effect }) => (value === undefined ? { key, effect } : { key, value, effect })));
    expect(flavor.spec.tolerations).toEqual(tolerations);
    expect(all.find((m) => m.kind === 'MachineSet').spec.template.spec.metadata.labels.team).toBe('llm');
  });

  test('typed engine options become flags; extra args are appended', () => {
    const m = service({ maxModelLen: 4096, gpuMemoryUtilization: 0.8, maxNumSeqs: 64, extraArgs: ['--enable-prefix-caching'] }).isvc();
    expect(m.spec.predictor.model.args).toEqual(['--max-model-len=4096', '--gpu-memory-utilization=0.8', '--max-num-seqs=64', '--enable-prefix-caching']);
  });

  test('explicit cpu and memory become requests and limits', () => {
    const m = service({
      cpu: { request: kplus.Cpu.units(6), limit: kplus.Cpu.units(12) },
      memory: { request: Size.gibibytes(40), limit: Size.gibibytes(80) },
    }).isvc();
    const r = m.spec.predictor.model.resources;
    expect([r.requests.cpu, r.limits.cpu, r.requests.memory, r.limits.memory]).toEqual(['6', '12', '40Gi', '80Gi']);
  });

  test('hardware profile, display name and route labels for the dashboard', () => {
    const m = service({ hardwareProfileName: 'nvidia-l4-4gpu', displayName: 'LLM', externalRoute: true }).isvc();
    expect(m.metadata.annotations['opendatahub.io/hardware-profile-name']).toBe('nvidia-l4-4gpu');
    expect(m.metadata.annotations['opendatahub.io/hardware-profile-namespace']).toBe('redhat-ods-applications');
    expect(m.metadata.annotations['openshift.io/display-name']).toBe('LLM');
    expect(m.metadata.labels['networking.kserve.io/visibility']).toBe('exposed');
    expect(m.metadata.labels['opendatahub.io/dashboard']).toBe('true');
  });

  test('fails when one replica needs more GPUs than a node of the instance type has', () => {
    expect(() => service({ tensorParallelSize: 4 }, GpuInstanceType.G6_4XLARGE)).toThrow(/needs 4 GPUs per replica but a g6.4xlarge node has 1.*g6.12xlarge/);
  });

  test('fails when gpuCount is below the tensor-parallel size', () => {
    expect(() => service({ tensorParallelSize: 4, gpuCount: 2 })).toThrow(/gpuCount 2 is less than tensorParallelSize 4/);
  });

  test('fails when extra args repeat a typed option or a runtime flag', () => {
    expect(() => service({ extraArgs: ['--tensor-parallel-size=2'] })).toThrow(/repeats --tensor-parallel-size; set the typed option 'tensorParallelSize'/);
    expect(() => service({ extraArgs: ['-tp', '2'] })).toThrow(/repeats --tensor-parallel-size/);
    expect(() => service({ extraArgs: ['--model=/x'] })).toThrow(/sets --model, which the runtime already sets/);
  });

  test('fails on impossible engine values', () => {
    expect(() => service({ gpuMemoryUtilization: 90 })).toThrow(/gpuMemoryUtilization must be in \(0, 1\]/);
    expect(() => service({ maxModelLen: 0 })).toThrow(/maxModelLen must be a positive integer/);
    expect(() => service({ tensorParallelSize: 1.5 })).toThrow(/tensorParallelSize must be a positive integer/);
    // from JavaScript or a JSON config a string can arrive: named as one, not printed like the number it looks like
    expect(() => service({ maxModelLen: '8192' as unknown as number })).toThrow(
      /maxModelLen must be a positive integer, got "8192" \(a string, not a number\)/,
    );
    expect(() => service({ name: 'Mistral' })).toThrow(
      /name 'Mistral' is not an InferenceService name: KServe's webhook requires .*; rename it, e.g. 'mistral'/,
    );
  });

  test('fails when the memory limit cannot hold the /dev/shm of its tensor parallelism', () => {
    expect(() => service({ tensorParallelSize: 4, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) } })).toThrow(
      /memory limit 8Gi leaves no room beside the 8Gi \/dev\/shm/,
    );
  });

  test('counts its GPUs towards the MachineSet and the quota', () => {
    const { machineSet, quota } = service({ tensorParallelSize: 4, replicas: 2 });
    expect(machineSet.replicas).toBe(2);
    expect(quota.admitted.map((d) => [d.pods, d.gpusPerPod])).toEqual([[2, 4]]);
  });
});

describe('requests larger than a node', () => {
  test('a memory request above the node says so, instead of blaming a default limit', () => {
    const f = fixture({ instanceType: GpuInstanceType.G6_2XLARGE });
    expect(
      () =>
        new S3ModelInferenceService(f.chart, 'm', {
          runtime: f.runtime,
          connection: f.connection,
          modelPath: 'm/',
          machineSet: f.machineSet,
          memory: { request: Size.gibibytes(40) },
        }),
    ).toThrow(
      /InferenceService team-a\/m: memory.request 40Gi exceeds what one g6.2xlarge node can allocate \(\d+Mi of 32Gi after OpenShift's system reservation\)/,
    );
  });
});
