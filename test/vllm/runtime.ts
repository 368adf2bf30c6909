import { Chart, Size, Testing } from 'cdk8s';
import { S3ModelInferenceService, VllmRuntime } from '../../lib';
import { fixture, synthApp, testApp } from '../util';

describe('VllmRuntime', () => {
  test('renders the OpenShift AI vLLM CUDA runtime: kserve-container, runtime args, format vLLM, metrics', () => {
    const { app } = fixture();
    const sr = synthApp(app).find((m) => m.kind === 'ServingRuntime');
    expect(sr.apiVersion).toBe('serving.kserve.io/v1alpha1');
    expect(sr.metadata).toMatchObject({ name: 'vllm-runtime', namespace: 'team-a' });
    const c = sr.spec.containers[0];
    expect(c.name).toBe('kserve-container');
    expect(c.args).toEqual(['--port=8080', '--model=/mnt/models', '--served-model-name={{.Name}}']);
    expect(c.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(sr.spec.supportedModelFormats).toEqual([{ name: 'vLLM', autoSelect: true }]);
    expect(sr.spec.annotations['prometheus.io/port']).toBe('8080');
    expect(sr.spec.annotations['opendatahub.io/kserve-runtime']).toBe('vllm');
    expect(c.volumeMounts).toEqual([{ name: 'shm', mountPath: '/dev/shm' }]);
    // ready only once vLLM serves; nothing that could kill a pod still loading weights
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
  });

  test('sizes the memory-backed /dev/shm from the largest tensor-parallel size bound to it', () => {
    const f = fixture();
    const svc = (id: string, tp: number) =>
      new S3ModelInferenceService(f.chart, id, {
        runtime: f.runtime,
        connection: f.connection,
        modelPath: `${id}/`,
        machineSet: f.machineSet,
        tensorParallelSize: tp,
      });
    const shm = () => synthApp(f.app).find((m) => m.kind === 'ServingRuntime').spec.volumes[0].emptyDir;
    expect(shm()).toEqual({ medium: 'Memory', sizeLimit: '2Gi' });
    svc('one', 1);
    expect(shm().sizeLimit).toBe('2Gi');
    svc('two', 2);
    expect(shm().sizeLimit).toBe('4Gi');
    svc('four', 4);
    expect(shm().sizeLimit).toBe('8Gi');
  });

  test('an explicit shm size wins', () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'x' });
    const rt = new VllmRuntime(chart, 'R', { shmSize: Size.gibibytes(12) });
    expect(rt.shmSizeMiB).toBe(12 * 1024);
    expect(Testing.synth(chart)[0].spec.volumes[0].emptyDir.sizeLimit).toBe('12Gi');
  });

  test('fails on an image without a digest, unless a mutable tag is allowed explicitly', () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'x' });
    expect(() => new VllmRuntime(chart, 'R', { image: 'quay.io/vllm/vllm:latest' })).toThrow(/not pinned by digest.*allowMutableImageTag/);
    expect(new VllmRuntime(chart, 'R2', { image: 'quay.io/vllm/vllm:latest', allowMutableImageTag: true }).image).toBe('quay.io/vllm/vllm:latest');
  });

  test('fails without a namespace, and on a name that is not a DNS label', () => {
    expect(() => new VllmRuntime(new Chart(testApp(), 'c'), 'R')).toThrow(/no namespace/);
    expect(() => new VllmRuntime(new Chart(testApp(), 'c', { namespace: 'x' }), 'R', { name: 'vLLM_Runtime' })).toThrow(
      /name 'vLLM_Runtime' is not a valid name/,
    );
  });

  test('fails when a service in another namespace binds to it (KServe looks runtimes up in the service namespace)', () => {
    const f = fixture();
    const other = new Chart(f.app, 'other', { namespace: 'team-b' });
    expect(
      () =>
        new S3ModelInferenceService(other, 'svc', {
          runtime: f.runtime,
          connection: f.connection,
          modelPath: 'm/',
          machineSet: f.machineSet,
        }),
    ).toThrow(/^InferenceService team-b\/svc: runtime 'vllm-runtime' is in namespace 'team-a' but the service is in 'team-b'/);
  });
});
