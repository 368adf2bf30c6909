import * as fs from 'fs';
import * as path from 'path';
import { readManifests } from '../../lib';
import { Platform } from '../../lib/check/platform';
import { ruleFound, severityObjectMessages, writeTree } from '../util';

/**
 * kserve-serverless-operators-missing: an OpenShift AI 2.x DataScienceCluster asks for KServe Serverless while the
 * tree subscribes operators but not Service Mesh and Serverless.
 */
const subscription = (pkg: string) =>
  `apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ${pkg}\n  namespace: openshift-operators\n` +
  `spec:\n  channel: stable\n  name: ${pkg}\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n`;
const dsc = (serving: string) =>
  `apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n` +
  `    kserve:\n      managementState: Managed\n${serving}`;
const SERVERLESS = '      serving:\n        managementState: Managed\n        name: knative-serving\n';
const DEFAULTED = '      serving:\n        name: knative-serving\n';
const RAW = '      defaultDeploymentMode: RawDeployment\n      serving:\n        managementState: Removed\n';

function found(files: Record<string, string>, platform: Platform = 'rhoai-2', folder = 'setup'): [string, string, string][] {
  const root = writeTree('kserve-serverless-', files);
  fs.mkdirSync(path.join(root, '.git'));
  const read = readManifests([path.join(root, folder)]);
  return severityObjectMessages(ruleFound('kserve-serverless-operators-missing', read.manifests, { platform, alone: true, ...read }));
}

describe('kserve-serverless-operators-missing', () => {
  test('serving Managed, only the OpenShift AI operator subscribed: a warning naming both missing operators', () => {
    const [f, ...rest] = found({ 'setup/sub.yaml': subscription('rhods-operator'), 'setup/dsc.yaml': dsc(SERVERLESS) });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('DataScienceCluster/default-dsc');
    expect(f[2]).toMatch(/kserve.serving is Managed.*servicemeshoperator.*nor.*serverless-operator.*not Ready/);
  });

  test('serving given without a state (the default Managed) and only Service Mesh subscribed: the Serverless operator is named', () => {
    const [f] = found({ 'setup/sub.yaml': subscription('rhods-operator') + '---\n' + subscription('servicemeshoperator'), 'setup/dsc.yaml': dsc(DEFAULTED) });
    expect(f[2]).toMatch(/do not subscribe Red Hat OpenShift Serverless \(serverless-operator\):/);
    expect(f[2]).not.toMatch(/servicemeshoperator\)/);
  });

  test('near misses: both operators in the repository, RawDeployment, no Subscription at all, a 3.x platform', () => {
    const both = { 'setup/sub.yaml': subscription('rhods-operator'), 'setup/dsc.yaml': dsc(SERVERLESS) };
    expect(
      found({ ...both, 'operators/mesh.yaml': subscription('servicemeshoperator'), 'operators/knative.yaml': subscription('serverless-operator') }),
    ).toEqual([]);
    expect(found({ 'setup/sub.yaml': subscription('rhods-operator'), 'setup/dsc.yaml': dsc(RAW) })).toEqual([]);
    // both installed from remote bases whose Subscriptions a kustomization of the repository patches
    const patching = (pkg: string) =>
      `resources:\n- https://github.com/example/catalog/${pkg}/operator/overlays/stable?ref=main\npatches:\n- target: {kind: Subscription, name: ${pkg}}\n  path: channel.yaml\n`;
    expect(
      found({
        ...both,
        'operators/mesh/kustomization.yaml': patching('servicemeshoperator'),
        'operators/knative/kustomization.yaml': patching('serverless-operator'),
      }),
    ).toEqual([]);
    expect(found({ 'setup/dsc.yaml': dsc(SERVERLESS) })).toEqual([]);
    expect(found(both, 'rhoai-3.0')).toEqual([]);
  });
});
