import { runChecks } from '../lib';
import { PlatformId } from '../lib/platform/platform';

type Doc = Record<string, unknown>;
const unknownFields = (manifest: Doc, platform: PlatformId = 'kserve') =>
  runChecks([{ manifest }], { platform })
    .filter((f) => f.rule === 'field-unknown')
    .map((f) => [f.severity, f.message.split(':')[0]]);

const tfJob = (spec: Doc): Doc => ({
  apiVersion: 'kubeflow.org/v1',
  kind: 'TFJob',
  metadata: { name: 'mnist', namespace: 'ai' },
  spec: {
    tfReplicaSpecs: { Worker: { replicas: 2, template: { spec: { containers: [{ name: 'tensorflow', image: 'tensorflow/tensorflow:2.15.0' }] } } } },
    ...spec,
  },
});

describe("the training and Ray operators' schemas", () => {
  test.each(['kserve', 'rhoai-3.0', 'rhoai-3.4'] as const)('on %s, a TFJob with cleanPodPolicy at the top of its spec is refused', (platform) => {
    expect(unknownFields(tfJob({ cleanPodPolicy: 'None' }), platform)).toEqual([['error', "unknown field 'spec.cleanPodPolicy'"]]);
  });

  test('near miss: cleanPodPolicy under runPolicy, where v1 has it', () => {
    expect(unknownFields(tfJob({ runPolicy: { cleanPodPolicy: 'None' } }))).toEqual([]);
  });

  test('a RayCluster field KubeRay does not have is refused', () => {
    const cluster = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc', namespace: 'ai' },
      spec: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0' }] } } },
        workerGroupSpec: [],
      },
    };
    expect(unknownFields(cluster)).toEqual([['error', "unknown field 'spec.workerGroupSpec'"]]);
  });

  test('near miss: a v1alpha1 RayJob keeps the fields of the older KubeRay it was written for (runtimeEnv), not judged', () => {
    const job = {
      apiVersion: 'ray.io/v1alpha1',
      kind: 'RayJob',
      metadata: { name: 'j', namespace: 'ai' },
      spec: { entrypoint: 'python x.py', runtimeEnv: '' },
    };
    expect(unknownFields(job)).toEqual([]);
    expect(unknownFields({ ...job, apiVersion: 'ray.io/v1' })).toEqual([['error', "unknown field 'spec.runtimeEnv'"]]);
  });

  test("near miss: the standalone mpi-operator's v2beta1 MPIJob is not judged by the training operator's schema", () => {
    const mpi = {
      apiVersion: 'kubeflow.org/v2beta1',
      kind: 'MPIJob',
      metadata: { name: 'm', namespace: 'ai' },
      spec: { slotsPerWorker: 1, mpiReplicaSpecs: {} },
    };
    expect(unknownFields(mpi)).toEqual([]);
  });
});
