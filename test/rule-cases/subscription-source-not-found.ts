import { Found, treeRuleFound } from '../util';

const SUBSCRIPTION = (source: string) =>
  [
    'apiVersion: operators.coreos.com/v1alpha1',
    'kind: Subscription',
    'metadata: {name: lab-tools, namespace: openshift-operators}',
    'spec:',
    '  name: lab-tools',
    '  channel: stable',
    `  source: ${source}`,
    '  sourceNamespace: openshift-marketplace',
  ].join('\n');

const CATALOG = [
  'apiVersion: operators.coreos.com/v1alpha1',
  'kind: CatalogSource',
  'metadata: {name: lab-catalog, namespace: openshift-marketplace}',
  'spec: {sourceType: grpc, image: quay.io/example-org/lab-catalog:v1.2.0}',
].join('\n');

const found = (files: Record<string, string>): Promise<Found[]> => treeRuleFound('subscription-source-not-found', 'subscription-source.', files);

describe('subscription-source-not-found', () => {
  test('a source that is no default catalog, with no CatalogSource of that name in the tree: a warning', async () => {
    const fs = await found({ 'sub.yaml': SUBSCRIPTION('lab-catalog') });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['warning', 'Subscription/openshift-operators/lab-tools']]);
    expect(fs[0].message).toContain("spec.source 'lab-catalog' is no default catalog");
    expect(fs[0].message).toContain('the Subscription stays ResolutionFailed (no InstallPlan) and package lab-tools is never installed');
  });

  test('a catalog-source file beside it that holds only comments: an error naming the file', async () => {
    const fs = await found({ 'sub.yaml': SUBSCRIPTION('lab-catalog'), 'lab-catalogsource.yaml': '---\n# kept for reference: installed by hand instead\n#\n' });
    expect(fs.map((f) => f.severity)).toEqual(['error']);
    expect(fs[0].message).toContain('lab-catalogsource.yaml beside it, named for the catalog source, holds no object (comments only)');
  });

  test('near misses: the default catalogs, a CatalogSource of that name in the tree, one a script creates, a placeholder', async () => {
    for (const source of ['redhat-operators', 'certified-operators', 'community-operators', 'redhat-marketplace', 'operatorhubio-catalog'])
      expect(await found({ 'sub.yaml': SUBSCRIPTION(source) })).toEqual([]);
    expect(await found({ 'sub.yaml': SUBSCRIPTION('lab-catalog'), 'other/catalog.yaml': CATALOG })).toEqual([]);
    // the catalog file beside it holds the CatalogSource: no error
    expect(await found({ 'sub.yaml': SUBSCRIPTION('lab-catalog'), 'lab-catalogsource.yaml': `# the catalog\n${CATALOG}\n` })).toEqual([]);
    expect(await found({ 'sub.yaml': SUBSCRIPTION('lab-catalog'), 'install.sh': `cat <<EOF | oc apply -f -\n${CATALOG}\nEOF\n` })).toEqual([]);
    expect(await found({ 'sub.yaml': SUBSCRIPTION('${CATALOG_SOURCE}') })).toEqual([]);
  });
});
