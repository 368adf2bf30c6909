import { ruleFindings } from '../util';

const RULE = 'dashboard-size-requests-exceed-limits';
const config = (spec: Record<string, unknown>, apiVersion = 'opendatahub.io/v1alpha') => ({
  apiVersion,
  kind: 'OdhDashboardConfig',
  metadata: { name: 'odh-dashboard-config', namespace: 'redhat-ods-applications' },
  spec,
});
const size = (name: string, requests: Record<string, string>, limits?: Record<string, string>) => ({
  name,
  resources: { requests, ...(limits ? { limits } : {}) },
});

describe('dashboard-size-requests-exceed-limits: a dashboard size requesting more than its limit', () => {
  test('a notebook size with CPU and memory requests above limits: one error for the size, naming both and the refusal', () => {
    expect(
      ruleFindings(RULE, [config({ notebookSizes: [size('Small', { cpu: '2', memory: '4Gi' }, { cpu: '500m', memory: '500Mi' })] })], 'rhoai-3.0'),
    ).toEqual([
      expect.stringMatching(
        /^error OdhDashboardConfig\/redhat-ods-applications\/odh-dashboard-config: spec\.notebookSizes size 'Small' requests cpu 2 above its limit 500m and memory 4Gi above its limit 500Mi: .*workbench.*must be less than or equal to cpu limit/,
      ),
    ]);
  });

  test('a model server size: an error naming model servers', () => {
    expect(ruleFindings(RULE, [config({ modelServerSizes: [size('Large', { cpu: '8' }, { cpu: '4' })] })], 'rhoai-3.0')).toEqual([
      expect.stringMatching(/spec\.modelServerSizes size 'Large' requests cpu 8 above its limit 4: .*model server/),
    ]);
  });

  test.each([
    ['equal quantities in other units', config({ notebookSizes: [size('S', { memory: '4Gi' }, { memory: '4096Mi' })] })],
    ['no limit', config({ notebookSizes: [size('S', { cpu: '4' })] })],
    ['not a quantity', config({ notebookSizes: [size('S', { cpu: 'lots' }, { cpu: '1' })] })],
    ["another group's kind of that name", config({ notebookSizes: [size('S', { cpu: '4' }, { cpu: '1' })] }, 'example.com/v1')],
  ])('%s: silent', (_what, doc) => {
    expect(ruleFindings(RULE, [doc], 'rhoai-3.0')).toEqual([]);
  });
});
