import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'training-runtime-not-found')
    .map((f) => [f.severity, f.object, f.message]);

const runtime = (name: string, kind = 'TrainingRuntime', namespace: string | undefined = 'ml'): Doc => ({
  apiVersion: 'trainer.kubeflow.org/v1alpha1',
  kind,
  metadata: { name, ...(namespace && kind === 'TrainingRuntime' ? { namespace } : {}) },
  spec: { mlPolicy: { numNodes: 1 }, template: { spec: { replicatedJobs: [] } } },
});
const trainJob = (runtimeRef: Doc, apiVersion = 'trainer.kubeflow.org/v1alpha1'): Doc => ({
  apiVersion,
  kind: 'TrainJob',
  metadata: { name: 'fine-tune', namespace: 'ml' },
  spec: { runtimeRef },
});

describe('training-runtime-not-found', () => {
  test('a TrainingRuntime name a few characters off one of the namespace: an error with the name meant', () => {
    expect(found([runtime('torch-runtime'), trainJob({ kind: 'TrainingRuntime', name: 'torch-runtme' })])).toEqual([
      [
        'error',
        'TrainJob/ml/fine-tune',
        "spec.runtimeRef names TrainingRuntime 'torch-runtme', which is not one the tree defines in namespace 'ml' (did you mean 'torch-runtime'? TrainingRuntime/ml/torch-runtime): " +
          'Kubeflow Trainer\'s webhook refuses the TrainJob ("specified trainingRuntime must be created before the TrainJob is created") and no JobSet runs it; name the runtime meant',
      ],
    ]);
  });

  test('a name far from the namespace runtimes, or a ClusterTrainingRuntime (the install ships some): a warning', () => {
    expect(found([runtime('stock-runtime-preempt-low'), trainJob({ kind: 'TrainingRuntime', name: 'stock-runtime' })])).toEqual([
      [
        'warning',
        'TrainJob/ml/fine-tune',
        expect.stringMatching(
          /^spec\.runtimeRef names TrainingRuntime 'stock-runtime', which is not one the tree defines in namespace 'ml', though it defines TrainingRuntime\/ml\/stock-runtime-preempt-low: unless/,
        ),
      ],
    ]);
    // runtimeRef.kind defaults to ClusterTrainingRuntime
    expect(found([runtime('torch-distributed-gpu', 'ClusterTrainingRuntime'), trainJob({ name: 'torch-distributed-gpus' })])).toEqual([
      [
        'warning',
        'TrainJob/ml/fine-tune',
        expect.stringMatching(
          /^spec\.runtimeRef names ClusterTrainingRuntime 'torch-distributed-gpus' \(kind left out: ClusterTrainingRuntime\), which is not one the tree defines \(did you mean 'torch-distributed-gpu'\?/,
        ),
      ],
    ]);
  });

  test('the name defined as the other kind: an error saying which kind to set', () => {
    expect(found([runtime('torch-runtime'), trainJob({ name: 'torch-runtime' })])).toEqual([
      [
        'error',
        'TrainJob/ml/fine-tune',
        expect.stringMatching(/but the tree defines 'torch-runtime' as a TrainingRuntime: .*; set runtimeRef.kind: TrainingRuntime$/),
      ],
    ]);
  });

  test('near misses: the runtime there, none of the kind in the tree, another namespace holding the only runtimes, another apiGroup, a v1 training job', () => {
    expect(found([runtime('torch-runtime'), trainJob({ kind: 'TrainingRuntime', name: 'torch-runtime' })])).toEqual([]);
    expect(found([runtime('torch-distributed', 'ClusterTrainingRuntime'), trainJob({ name: 'torch-distributed' })])).toEqual([]);
    expect(found([trainJob({ kind: 'TrainingRuntime', name: 'torch-runtime' })])).toEqual([]);
    expect(found([runtime('torch-runtme', 'TrainingRuntime', 'other'), trainJob({ kind: 'TrainingRuntime', name: 'torch-runtime' })])).toEqual([]);
    expect(found([runtime('torch-runtme'), trainJob({ kind: 'TrainingRuntime', apiGroup: 'example.com', name: 'torch-runtime' })])).toEqual([]);
    expect(found([runtime('torch-runtme'), trainJob({ kind: 'TrainingRuntime', name: 'torch-runtime' }, 'kubeflow.org/v2alpha1')])).toEqual([]);
  });
});
