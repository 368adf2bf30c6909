import { ruleFound } from '../util';

// tektoncd/pipeline pkg/apis/pipeline/v1 pipeline_validation.go validatePipelineTaskParameterUsage, task_validation.go
// ValidateUsageOfDeclaredParameters: a $(params.X) of a Pipeline's task params or a Task's steps that the object does
// not declare is refused ("non-existent variable in …")
const pipeline = (params: object[], tasks: object[], apiVersion = 'tekton.dev/v1') => ({
  manifest: { apiVersion, kind: 'Pipeline', metadata: { name: 'train', namespace: 'ci' }, spec: { params, tasks } },
});
const task = (params: object[], step: object, extra: object = {}) => ({
  manifest: {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 'fit', namespace: 'ci' },
    spec: { params, steps: [{ name: 'run', image: 'registry.example.com/fit:1.0', ...step }], ...extra },
  },
});
const ref = (name: string, params: object[], more: object = {}) => ({ name, taskRef: { name: 'runner' }, params, ...more });
const found = (o: { manifest: object }) => ruleFound('tekton-param-undeclared', [o]);

describe('tekton-param-undeclared', () => {
  test('a pipeline task param naming an undeclared parameter: an error naming the task, the param and the near name', () => {
    const p = pipeline([{ name: 'dataPath', type: 'string' }], [ref('load', [{ name: 'path', value: 'root/$(params.data-path)' }])]);
    expect(found(p)).toEqual([
      {
        severity: 'error',
        object: 'Pipeline/ci/train',
        message: expect.stringMatching(
          /^spec\.tasks\[0\] \(load\)\.params\[path\]: \$\(params\.data-path\) names no parameter the Pipeline declares \(did you mean dataPath\?\); Tekton's validating webhook refuses the Pipeline \("non-existent variable in …"\)/,
        ),
      },
    ]);
  });

  test.each([
    ['a when input', ref('gate', [], { when: [{ input: '$(params.mode)', operator: 'in', values: ['full'] }] }), 'spec.tasks[0] (gate).when[0]'],
    ['an array param element', ref('tag', [{ name: 'tags', value: ['$(params.tag)'] }]), 'spec.tasks[0] (tag).params[tags]'],
    ['an object param value', ref('obj', [{ name: 'cfg', value: { url: '$(params.endpoint)' } }]), 'spec.tasks[0] (obj).params[cfg]'],
    [
      "an embedded task's step",
      { name: 'inline', taskSpec: { params: [{ name: 'own' }], steps: [{ name: 's', image: 'x:1', script: 'echo $(params.own) $(params.ghost)' }] } },
      'spec.tasks[0] (inline).taskSpec.steps[0].script',
    ],
  ])('%s: an error', (_, t, at) => {
    expect(found(pipeline([{ name: 'known' }], [t])).map((f) => [f.severity, f.message.split(': ')[0]])).toEqual([['error', at]]);
  });

  test('an object parameter key it does not declare; a v1beta1 Pipeline the same', () => {
    const p = pipeline(
      [{ name: 'store', type: 'object', properties: { bucket: { type: 'string' } } }],
      [ref('up', [{ name: 'b', value: '$(params.store.region)' }])],
      'tekton.dev/v1beta1',
    );
    expect(found(p).map((f) => f.message)).toEqual([
      expect.stringContaining("$(params.store.region) names no key of object parameter 'store' (properties 'bucket')"),
    ]);
  });

  test('a Task: undeclared params, unknown context names and results in its steps', () => {
    const t = task([{ name: 'epochs' }], {
      args: ['--epochs=$(params.epochs)', '--lr=$(params.lr)'],
      script: 'echo $(context.taskRun.pod) > $(results.score.path)',
    });
    expect(found(t).map((f) => [f.severity, f.message.split('; ')[0]])).toEqual([
      ['error', "spec.steps[0].args[1]: $(params.lr) names no parameter the Task declares ('epochs')"],
      ['error', "spec.steps[0].script: $(context.taskRun.pod) is no context.taskRun variable ('name', 'namespace', 'uid')"],
      ['error', 'spec.steps[0].script: $(results.score.path) names no result the task declares (none)'],
    ]);
  });

  test('an empty $() is a warning: nothing validates or replaces it', () => {
    const p = pipeline([{ name: 'dir' }], [ref('move', [{ name: 'src', value: '$()' }])]);
    expect(found(p)).toEqual([
      {
        severity: 'warning',
        object: 'Pipeline/ci/train',
        message: expect.stringMatching(
          /^spec\.tasks\[0\] \(move\)\.params\[src\]: an empty \$\(\) is no Tekton variable, so nothing replaces it: the task gets the literal text "\$\(\)"/,
        ),
      },
    ]);
  });

  test.each([
    ['the pipeline run context', ref('a', [{ name: 'n', value: '$(context.pipelineRun.name)-$(context.pipelineRun.namespace)' }])],
    ["another task's result", ref('b', [{ name: 'r', value: '$(tasks.load.results.uri)' }])],
    ['a whole array parameter', ref('c', [{ name: 'l', value: ['$(params.list[*])'] }])],
    ['an indexed array parameter', ref('d', [{ name: 'l', value: '$(params.list[0])' }])],
    ['an object parameter key', ref('e', [{ name: 'o', value: '$(params.cfg.url)' }])],
    ['bracket notation', ref('f', [{ name: 'o', value: '$(params["known"])' }])],
    [
      "an embedded task's step reading a Pipeline parameter (propagated)",
      { name: 'g', taskSpec: { steps: [{ name: 's', image: 'x:1', script: 'echo $(params.known) $(workspaces.data.path)' }] } },
    ],
  ])('near miss: %s', (_, t) => {
    const params = [{ name: 'known' }, { name: 'list', type: 'array' }, { name: 'cfg', type: 'object', properties: { url: { type: 'string' } } }];
    expect(found(pipeline(params, [t]))).toEqual([]);
  });

  test.each([
    [
      'declared params, workspaces and context',
      task([{ name: 'epochs' }], { script: 'cd $(workspaces.src.path) && echo $(params.epochs) $(context.task.retry-count)' }),
    ],
    ['a declared result', task([], { script: 'echo ok > $(results.score.path)' }, { results: [{ name: 'score' }] })],
    [
      'a Pipeline of another group',
      { manifest: { ...pipeline([], [ref('x', [{ name: 'p', value: '$(params.none)' }])]).manifest, apiVersion: 'example.com/v1' } },
    ],
  ])('near miss: %s', (_, o) => {
    expect(found(o)).toEqual([]);
  });
});
