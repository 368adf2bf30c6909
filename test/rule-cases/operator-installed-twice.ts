import { Found, treeRuleFound } from '../util';

const SUBSCRIPTION = (name: string, source: string, namespace = 'openshift-operators') =>
  [
    'apiVersion: operators.coreos.com/v1alpha1',
    'kind: Subscription',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    `spec: {name: lab-tools-operator, channel: stable, source: ${source}, sourceNamespace: openshift-marketplace}`,
  ].join('\n');

const DEPLOYMENT = (image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: controller-manager, namespace: lab-tools-system}',
    'spec:',
    '  selector: {matchLabels: {app: lab}}',
    '  template:',
    '    metadata: {labels: {app: lab}}',
    `    spec: {containers: [{name: manager, image: '${image}'}]}`,
  ].join('\n');

const DSC = (name: string) =>
  `apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata: {name: ${name}}\nspec: {components: {dashboard: {managementState: Managed}}}`;

const KFDEF = (name: string, namespace: string, apps: string[]) =>
  [
    'apiVersion: kfdef.apps.kubeflow.org/v1',
    'kind: KfDef',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    '  applications:',
    ...apps.map((a) => `  - {name: ${a}, kustomizeConfig: {repoRef: {name: manifests, path: ${a}}}}`),
    '  repos: [{name: manifests, uri: "https://example.com/odh-manifests.tar.gz"}]',
  ].join('\n');

const found = (files: Record<string, string>): Promise<Found[]> => treeRuleFound('operator-installed-twice', 'installed-twice.', files);

const said = (fs: Found[]) => fs.map((f) => `${f.severity} ${f.object}`);

describe('operator-installed-twice', () => {
  test('two DataScienceClusters of one build: an error on the later one', async () => {
    const fs = await found({ 'kustomization.yaml': 'resources: [a.yaml, b.yaml]\n', 'a.yaml': DSC('alpha'), 'b.yaml': DSC('beta') });
    expect(said(fs)).toEqual(['error DataScienceCluster/beta']);
    expect(fs[0].message).toContain("the build also applies DataScienceCluster 'alpha'");
    expect(fs[0].message).toContain('its validating webhook refuses the create of the second');
  });

  test('two Subscriptions to one package in one namespace from different catalogs: an error', async () => {
    const fs = await found({ 'subs.yaml': `${SUBSCRIPTION('tools-a', 'redhat-operators')}\n---\n${SUBSCRIPTION('tools-b', 'community-operators')}` });
    expect(said(fs)).toEqual(['error Subscription/openshift-operators/tools-b']);
    expect(fs[0].message).toContain('ConstraintsNotSatisfiable');
  });

  test("a Subscription beside a Deployment of the operator's own image: a warning", async () => {
    const fs = await found({
      'sub.yaml': SUBSCRIPTION('tools', 'community-operators'),
      'direct.yaml': DEPLOYMENT('quay.io/example-org/lab-tools-operator:1.4.2'),
    });
    expect(said(fs)).toEqual(['warning Subscription/openshift-operators/tools']);
    expect(fs[0].message).toContain("Deployment 'controller-manager'");
  });

  test('two KfDefs installing the same application in two namespaces: a warning', async () => {
    const fs = await found({ 'a.yaml': KFDEF('odh', 'odh', ['odh-common', 'jupyterhub']), 'b.yaml': KFDEF('odh', 'opendatahub', ['odh-common']) });
    expect(said(fs).length).toBe(1);
    expect(fs[0].severity).toBe('warning');
    expect(fs[0].message).toContain('which installs odh-common too');
  });

  test('near misses: alternatives in separate builds, one catalog, other namespaces, another image, KfDefs of other applications', async () => {
    expect(
      await found({
        'lab/kustomization.yaml': 'resources: [dsc.yaml]\n',
        'lab/dsc.yaml': DSC('lab'),
        'prod/kustomization.yaml': 'resources: [dsc.yaml]\n',
        'prod/dsc.yaml': DSC('prod'),
      }),
    ).toEqual([]);
    expect(
      await found({ 'subs.yaml': `${SUBSCRIPTION('tools-a', 'redhat-operators')}\n---\n${SUBSCRIPTION('tools-b', 'redhat-operators', 'other-ns')}` }),
    ).toEqual([]);
    expect(await found({ 'a/sub.yaml': SUBSCRIPTION('tools-a', 'redhat-operators'), 'b/sub.yaml': SUBSCRIPTION('tools-b', 'community-operators') })).toEqual(
      [],
    );
    expect(
      await found({ 'sub.yaml': SUBSCRIPTION('tools', 'community-operators'), 'direct.yaml': DEPLOYMENT('quay.io/example-org/lab-tools-ui:1.4.2') }),
    ).toEqual([]);
    expect(await found({ 'a.yaml': KFDEF('odh', 'odh', ['jupyterhub']), 'b.yaml': KFDEF('kubeflow', 'kubeflow', ['pipelines']) })).toEqual([]);
  });
});
