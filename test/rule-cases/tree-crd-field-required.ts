import { ruleFindings } from '../util';

const RULE = 'tree-crd-field-required';
const crd = (spec: object, version = 'v1') => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.acme.test' },
  spec: {
    group: 'acme.test',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
  },
});
const widgetSchema = crd({
  type: 'object',
  required: ['size', 'tier'],
  properties: {
    size: { type: 'integer' },
    tier: { type: 'string', default: 'standard' },
    ports: { type: 'array', items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' }, name: { type: 'string' } } } },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
});
const widget = (spec: object, apiVersion = 'acme.test/v1') => ({ apiVersion, kind: 'Widget', metadata: { name: 'edge', namespace: 'web' }, spec });
const scaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'edge-scaler', namespace: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'acme.test/v1', kind: 'Widget', name: 'edge' }, triggers: [{ type: 'cpu', metadata: { value: '60' } }] },
};

// apiextensions-apiserver pkg/apiserver/validation (kube-openapi `required`: "Required value") after defaulting
describe('tree-crd-field-required', () => {
  test('a field the CRD of the tree requires, absent and without a default: an error naming the path and the fix', () => {
    expect(ruleFindings(RULE, [widgetSchema, widget({})])).toEqual([
      'error Widget/web/edge: Widget edge lacks the required field spec.size: the CRD widgets.acme.test schema requires it and gives no default, so the API server refuses the Widget ("spec.size: Required value"); add spec.size',
    ]);
  });

  test('a required field of a list item, with its index', () => {
    expect(ruleFindings(RULE, [widgetSchema, widget({ size: 1, ports: [{ port: 80 }, { name: 'admin' }] })])).toEqual([
      expect.stringMatching(/^error Widget\/web\/edge: Widget edge lacks the required field spec\.ports\[1\]\.port: /),
    ]);
  });

  test('a ScaledObject that scales the refused object is named: it has no target', () => {
    expect(ruleFindings(RULE, [widgetSchema, widget({}), scaledObject])).toEqual([
      'error Widget/web/edge: Widget edge lacks the required field spec.size: the CRD widgets.acme.test schema requires it and gives no default, so the API server refuses the Widget ("spec.size: Required value"); ' +
        'ScaledObject/web/edge-scaler scales it and, with the Widget refused, has no target and scales nothing; add spec.size',
    ]);
  });

  test.each([
    ['every required field given (tier has a default)', [widgetSchema, widget({ size: 2 })]],
    ['no CRD in the tree', [widget({})]],
    ['a CRD of another version than the object', [crd({ type: 'object', required: ['size'], properties: { size: { type: 'integer' } } }, 'v2'), widget({})]],
    ['an optional parent left out (ports) is not walked', [widgetSchema, widget({ size: 1 })]],
    ['under preserve-unknown-fields, nothing is required', [widgetSchema, widget({ size: 1, extra: { anything: {} } })]],
  ])('%s: silent', (_what, docs) => {
    expect(ruleFindings(RULE, docs)).toEqual([]);
  });

  test("a kind a shipped CRD defines is field-required-missing's, whatever the tree's copy of its CRD requires", () => {
    const scaledObjectCrd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scaledobjects.keda.sh' },
      spec: {
        group: 'keda.sh',
        names: { kind: 'ScaledObject', plural: 'scaledobjects' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['madeUp'], properties: { madeUp: { type: 'string' } } } } },
            },
          },
        ],
      },
    };
    expect(ruleFindings(RULE, [scaledObjectCrd, scaledObject])).toEqual([]);
  });
});
