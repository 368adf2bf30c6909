import { ruleFindings } from '../util';

const RULE = 'tree-crd-value-invalid';
const number = { type: 'number' };
const crd = (spec: object, version = { served: true }) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'queues.scheduling.run.ai' },
  spec: {
    group: 'scheduling.run.ai',
    names: { kind: 'Queue', plural: 'queues' },
    scope: 'Cluster',
    versions: [{ name: 'v2', storage: true, ...version, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
  },
});
const queueSchema = crd({
  type: 'object',
  properties: {
    parentQueue: { type: 'string' },
    resources: { type: 'object', properties: { gpu: { type: 'object', properties: { quota: number, limit: number } } } },
    window: { 'x-kubernetes-int-or-string': true },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    mode: { type: 'string', enum: ['strict', 'fair'] },
  },
});
const queue = (spec: object, name = 'research') => ({ apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name }, spec });

// apiextensions-apiserver pkg/apiserver/validation (kube-openapi validate: "must be of type number")
describe('tree-crd-value-invalid', () => {
  test('a quoted quota where the CRD of the tree has a number: an error naming the field and the fix', () => {
    expect(ruleFindings(RULE, [queueSchema, queue({ resources: { gpu: { quota: '-1', limit: -1 } } })])).toEqual([
      'error Queue/research: Queue research sets spec.resources.gpu.quota to "-1", where the CRD queues.scheduling.run.ai schema allows a number: the API server refuses the Queue research. ' +
        'Fix: write the number without quotes (spec.resources.gpu.quota: -1)',
    ]);
  });

  test('an enum value the CRD does not list', () => {
    expect(ruleFindings(RULE, [queueSchema, queue({ mode: 'greedy' })])).toEqual([
      expect.stringMatching(/^error Queue\/research: Queue research sets spec\.mode to "greedy", where .* allows one of/),
    ]);
  });

  test('a v1beta1 CRD: its top-level validation schema judges', () => {
    const legacy = {
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'queues.scheduling.run.ai' },
      spec: {
        group: 'scheduling.run.ai',
        version: 'v2',
        names: { kind: 'Queue', plural: 'queues' },
        validation: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { priority: { type: 'integer' } } } } } },
      },
    };
    expect(ruleFindings(RULE, [legacy, queue({ priority: '10' })])).toEqual([
      expect.stringMatching(/sets spec\.priority to "10", where the CRD queues\.scheduling\.run\.ai schema allows an integer/),
    ]);
  });

  test.each([
    ['numbers', [queueSchema, queue({ resources: { gpu: { quota: -1, limit: 4 } } })]],
    ['int-or-string takes a string', [queueSchema, queue({ window: '30s' })]],
    ['int-or-string takes an integer', [queueSchema, queue({ window: 30 })]],
    ['under preserve-unknown-fields, anything', [queueSchema, queue({ extra: { quota: 'any', nested: [1, 'two'] } })]],
    ['no CRD in the tree', [queue({ resources: { gpu: { quota: '-1' } } })]],
    [
      'a version the CRD does not serve',
      [crd({ type: 'object', properties: { priority: { type: 'integer' } } }, { served: false }), queue({ priority: '10' })],
    ],
    ['a placeholder', [queueSchema, queue({ resources: { gpu: { quota: '${GPU_QUOTA}' } } })]],
    ['a null is no type error', [queueSchema, queue({ resources: { gpu: { quota: null } } })]],
  ])('%s: silent', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });

  test("a kind a shipped CRD defines is field-value-invalid's, not judged again by the tree's copy of its CRD", () => {
    const jobSetCrd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'jobsets.jobset.x-k8s.io' },
      spec: {
        group: 'jobset.x-k8s.io',
        names: { kind: 'JobSet', plural: 'jobsets' },
        versions: [
          {
            name: 'v1alpha2',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { suspend: { type: 'boolean' } } } } } },
          },
        ],
      },
    };
    const jobSet = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name: 'train', namespace: 'ai' },
      spec: { suspend: 'yes', replicatedJobs: [] },
    };
    expect(ruleFindings(RULE, [jobSetCrd, jobSet])).toEqual([]);
  });
});
