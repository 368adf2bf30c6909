import { apiGroupOf, groupVersionOf } from '../../lib/k8s/api-version';

// cases of apimachinery pkg/runtime/schema/group_version_test.go TestParseGroupVersion (the valid ones)
describe('groupVersionOf splits an apiVersion as apimachinery does', () => {
  test.each([
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['serving.kserve.io/v1beta1', 'serving.kserve.io', 'v1beta1'],
    ['', '', ''],
  ])('%j', (apiVersion, group, version) => {
    expect(groupVersionOf(apiVersion)).toEqual({ group, version });
  });

  test('a value that is no string has no group and no version', () => {
    expect(groupVersionOf(undefined)).toEqual({ group: '', version: '' });
    expect(groupVersionOf(42)).toEqual({ group: '', version: '' });
  });

  test('the core group is the empty group, as RBAC and Argo CD resource lists write it', () => {
    expect(apiGroupOf('v1')).toBe('');
    expect(apiGroupOf('kueue.x-k8s.io/v1beta2')).toBe('kueue.x-k8s.io');
  });
});
