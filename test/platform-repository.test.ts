import * as path from 'path';
import { cliInProcess, committedRepository } from './util';

/**
 * The platform of a folder that tells none, read from the cluster's set-up in its git repository: a GitOps repository
 * holds one app in apps/queues and the OpenShift AI operator's Subscription and DataScienceCluster in operators/ and
 * cluster/. The folder's own signals win; a repository that tells nothing leaves the inference as it was.
 */

type Platform = { id: string; source: string; reason: string; files?: string[] };

const RHODS = (channel: string) =>
  'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: rhods-operator\n  namespace: redhat-ods-operator\n' +
  `spec:\n  channel: ${channel}\n  name: rhods-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n`;
const DSC_V2 =
  'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n      managementState: Unmanaged\n';
/** An app that says nothing of its platform: a Namespace, its LocalQueue and a Job. */
const APP = {
  'apps/queues/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n',
  'apps/queues/local-queue.yaml':
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-a\n  namespace: team-a\nspec:\n  clusterQueue: shared\n',
};
const ROUTE = 'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: ui\n  namespace: team-a\nspec:\n  to:\n    kind: Service\n    name: ui\n';

async function platformOf(files: Record<string, string>, folder = 'apps/queues', format = 'json'): Promise<{ platform: Platform; root: string; out: string }> {
  const root = committedRepository('platform-repository-', files);
  const r = await cliInProcess(['check', path.join(root, folder), '--format', format]);
  if (format !== 'json') return { platform: { id: '', source: '', reason: '' }, root, out: r.out };
  return { platform: (JSON.parse(r.out) as { platform: Platform }).platform, root, out: r.out };
}

describe('check: the platform told by the git repository around the checked folder', () => {
  test("the operator's Subscription and the DataScienceCluster in sibling folders: inferred, naming their files", async () => {
    const { platform, root } = await platformOf({ ...APP, 'operators/rhoai/subscription.yaml': RHODS('stable-3.4'), 'cluster/dsc.yaml': DSC_V2 });
    expect(platform).toMatchObject({ id: 'rhoai-3.4', source: 'inferred' });
    expect(platform.reason).toMatch(
      /^inferred from the git repository around the tree \(nothing in the tree marks a platform\): Subscription\/redhat-ods-operator\/rhods-operator in .*operators\/rhoai\/subscription.yaml line 1 follows channel stable-3.4/,
    );
    expect(platform.files).toEqual([path.join(root, 'operators/rhoai/subscription.yaml'), path.join(root, 'cluster/dsc.yaml')]);
  });

  test('a line channel leaves several OpenShift AI 3 releases, as a v2 DataScienceCluster does: the default among them is assumed', async () => {
    const { platform, root } = await platformOf({ ...APP, 'operators/rhoai/subscription.yaml': RHODS('stable-3.x'), 'cluster/dsc.yaml': DSC_V2 });
    expect(platform).toMatchObject({ source: 'default' });
    expect(platform.reason).toMatch(/^the git repository around the tree .* leaves rhoai-3\.0, rhoai-3\.3, rhoai-3\.4 \(.*stable-3\.x/);
    expect(platform.files).toEqual([path.join(root, 'operators/rhoai/subscription.yaml'), path.join(root, 'cluster/dsc.yaml')]);
  });

  test("the folder's OpenShift mark leaves several releases: the repository's Subscription tells which", async () => {
    const { platform } = await platformOf({ ...APP, 'apps/queues/route.yaml': ROUTE, 'operators/rhoai/subscription.yaml': RHODS('stable-3.3') });
    expect(platform).toMatchObject({ id: 'rhoai-3.3', source: 'inferred' });
    expect(platform.reason).toMatch(/^inferred from the tree and the git repository around it: .*route.openshift.io.*; .*stable-3.3/);
  });

  test('two releases in the repository conflict: the first is judged, the other named as overruled, both files said', async () => {
    const { platform, root } = await platformOf({
      ...APP,
      'operators/rhoai/subscription.yaml': RHODS('stable-3.4'),
      'clusters/old/subscription.yaml': RHODS('stable-3.3').replace('name: rhods-operator\n  namespace', 'name: rhods-operator-old\n  namespace'),
    });
    expect(platform.reason).toMatch(/signals conflict, overruled: /);
    expect(platform.files?.sort()).toEqual([path.join(root, 'clusters/old/subscription.yaml'), path.join(root, 'operators/rhoai/subscription.yaml')]);
  });

  test('text and SARIF say it too', async () => {
    const files = { ...APP, 'operators/rhoai/subscription.yaml': RHODS('stable-3.4') };
    expect((await platformOf(files, 'apps/queues', 'table')).out).toMatch(
      /platform: rhoai-3\.4 \(inferred from the git repository around the tree .*operators\/rhoai\/subscription\.yaml line 1/,
    );
    const sarif = JSON.parse((await platformOf(files, 'apps/queues', 'sarif')).out) as { runs: { properties: { platform: Record<string, unknown> } }[] };
    expect(sarif.runs[0].properties.platform).toMatchObject({ platform: 'rhoai-3.4', files: [expect.stringMatching(/operators\/rhoai\/subscription\.yaml$/)] });
  });

  test("near misses: the folder's own Subscription wins; a repository that tells nothing, test data or a cloud mark against the folder's leave it as before", async () => {
    const own = await platformOf({ ...APP, 'apps/queues/subscription.yaml': RHODS('stable-3.3'), 'operators/rhoai/subscription.yaml': RHODS('stable-3.4') });
    expect(own.platform).toMatchObject({ id: 'rhoai-3.3', source: 'inferred' });
    expect(own.platform.reason).toMatch(/^inferred from the tree: /);
    expect(own.platform.files).toBeUndefined();
    const nothing = await platformOf({ ...APP, 'other/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' });
    expect(nothing.platform).toMatchObject({ id: 'kserve', source: 'default' });
    expect(nothing.platform.reason).toMatch(/^nothing in the tree marks OpenShift/);
    const fixture = await platformOf({ ...APP, 'test/data/subscription.yaml': RHODS('stable-3.4') });
    expect(fixture.platform).toMatchObject({ id: 'kserve', source: 'default' });
    // the folder's GKE ComputeClass places it off OpenShift: the repository's OpenShift AI operator is another cluster's
    const gke = 'apiVersion: cloud.google.com/v1\nkind: ComputeClass\nmetadata:\n  name: gpu\nspec:\n  priorities:\n    - machineFamily: a2\n';
    const off = await platformOf({ ...APP, 'apps/queues/compute-class.yaml': gke, 'operators/rhoai/subscription.yaml': RHODS('stable-3.4') });
    expect(off.platform.id).toBe('kserve');
    expect(off.platform.files).toBeUndefined();
  });
});
