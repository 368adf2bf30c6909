import { runChecks } from '../../lib';
import { KUBERNETES_RELEASES, releasesServing } from '../../lib/platform/served-apis';
import { crdHeader, groupFiles } from '../../lib/platform/schema-sets';

const claim = (apiVersion: string) => ({
  manifest: {
    apiVersion,
    kind: 'ResourceClaimTemplate',
    metadata: { name: 'gpu', namespace: 'llm' },
    spec: { spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } },
  },
});
const served = (apiVersion: string, platform: 'rhoai-3.0' | 'rhoai-3.4' | 'kserve') =>
  runChecks([claim(apiVersion)], { platform }).filter((f) => f.rule === 'kind-not-served');

describe('built-in APIs per Kubernetes release (schemas/k8s/k8s-served-apis.json)', () => {
  test('resource.k8s.io/v1 is GA in 1.34 only; v1beta1 is served by 1.32 to 1.34', () => {
    expect(releasesServing('rhoai-3.4', 'resource.k8s.io/v1', 'ResourceClaimTemplate')?.map((r) => r.release)).toEqual(['1.34']);
    expect(releasesServing('rhoai-3.4', 'resource.k8s.io/v1beta1', 'ResourceClaimTemplate')?.map((r) => r.release)).toEqual(['1.32', '1.33', '1.34']);
    // v1beta2 came with 1.33
    expect(releasesServing('rhoai-3.0', 'resource.k8s.io/v1beta2', 'ResourceClaim')?.map((r) => r.release)).toEqual(['1.33', '1.34']);
    expect(releasesServing('rhoai-3.0', 'example.com/v1', 'Widget')).toBeUndefined();
  });

  test('OpenShift AI 3.x runs on OpenShift 4.19-4.21; upstream KServe is judged as the newest Kubernetes known', () => {
    expect(KUBERNETES_RELEASES['rhoai-3.0'].map((r) => r.label)).toEqual([
      'Kubernetes 1.32 (OpenShift 4.19)',
      'Kubernetes 1.33 (OpenShift 4.20)',
      'Kubernetes 1.34 (OpenShift 4.21)',
    ]);
    expect(KUBERNETES_RELEASES.kserve.map((r) => r.release)).toEqual(['1.34']);
  });
});

describe('kind-not-served on Kubernetes APIs newer than some supported releases', () => {
  test('upstream KServe accepts resource.k8s.io/v1', () => {
    expect(served('resource.k8s.io/v1', 'kserve')).toEqual([]);
  });

  test('OpenShift AI 3.x warns, naming the releases that refuse it, the version all serve and the oldest that serves it', () => {
    const [f, ...rest] = served('resource.k8s.io/v1', 'rhoai-3.4');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toBe(
      'resource.k8s.io/v1 ResourceClaimTemplate is served by Kubernetes 1.34 (OpenShift 4.21) but not by Kubernetes 1.32 (OpenShift 4.19), ' +
        'Kubernetes 1.33 (OpenShift 4.20), which OpenShift AI 3.4 (KServe 0.17, Kueue 0.16) also runs on: there the apply fails with ' +
        '"no matches for kind \\"ResourceClaimTemplate\\" in version \\"resource.k8s.io/v1\\""; write resource.k8s.io/v1beta1, which all serve, ' +
        'or deploy only to Kubernetes 1.34 (OpenShift 4.21) or later',
    );
  });

  test('a version every supported release serves is silent; one none serves is still an error', () => {
    expect(served('resource.k8s.io/v1beta1', 'rhoai-3.0')).toEqual([]);
    const [f] = served('resource.k8s.io/v2', 'rhoai-3.0');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(
      /^resource.k8s.io\/v2 is not served for ResourceClaimTemplate on Kubernetes 1.32 \(OpenShift 4.19\), Kubernetes 1.33 \(OpenShift 4.20\), Kubernetes 1.34 \(OpenShift 4.21\) \(the Kubernetes releases OpenShift AI 3.0 is judged on\): .*write resource.k8s.io\/v1alpha3 or resource.k8s.io\/v1beta1 or resource.k8s.io\/v1beta2 or resource.k8s.io\/v1$/,
    );
    // a built-in kind is the Kubernetes release's to serve: the message names no KServe or Kueue release
    expect(f.message).not.toMatch(/KServe|Kueue/);
    const [upstream] = served('resource.k8s.io/v1alpha2', 'kserve');
    expect(upstream.message).toMatch(
      /^resource.k8s.io\/v1alpha2 is not served for ResourceClaimTemplate on Kubernetes 1.34 \(the Kubernetes release upstream KServe is judged on\): /,
    );
    // a kind of KServe's own group still names the platform
    const isvc = { apiVersion: 'serving.kserve.io/v1alpha2', kind: 'InferenceService', metadata: { name: 'm', namespace: 'n' }, spec: {} };
    const [own] = runChecks([{ manifest: isvc }], { platform: 'kserve' }).filter((x) => x.rule === 'kind-not-served');
    expect(own.message).toMatch(/^serving.kserve.io\/v1alpha2 is not served for InferenceService on upstream KServe 0.20 /);
  });

  test('a version only older supported releases serve names the newest that still does', () => {
    // resource.k8s.io/v1alpha3 ResourceClaimTemplate: Kubernetes 1.32 and 1.33, gone in 1.34
    const [f] = served('resource.k8s.io/v1alpha3', 'rhoai-3.0');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(
      /^resource.k8s.io\/v1alpha3 ResourceClaimTemplate is served by Kubernetes 1.32 \(OpenShift 4.19\), Kubernetes 1.33 \(OpenShift 4.20\) but not by Kubernetes 1.34 \(OpenShift 4.21\), .*; write resource.k8s.io\/v1beta1, which all serve, or deploy only to Kubernetes 1.33 \(OpenShift 4.20\) or earlier$/,
    );
  });
});

describe('the derived release lists', () => {
  test("1.33's list holds exactly the kinds of the 1.33 field schemas, derived from the same bindings by another script", () => {
    const served = require('../../schemas/k8s/k8s-served-apis.json') as { releases: Record<string, Record<string, string[]>> };
    const schemas = require('../../schemas/k8s/k8s-1.33.json') as { kinds: Record<string, unknown> };
    const listed = Object.entries(served.releases['1.33']).flatMap(([apiVersion, kinds]) => kinds.map((k) => `${apiVersion}/${k}`));
    expect(listed.sort()).toEqual(Object.keys(schemas.kinds).sort());
  });
});

describe('namespace-not-kueue-managed off OpenShift', () => {
  const ns = (name: string, labels: Record<string, string> = {}) => ({ manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
  const queued = (namespace: string) => ({
    manifest: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'train', namespace, labels: { 'kueue.x-k8s.io/queue-name': 'team' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    },
  });
  const managed = (objects: { manifest: unknown }[], platform: 'kserve' | 'rhoai-3.0') =>
    runChecks(objects, { platform }).filter((f) => f.rule === 'namespace-not-kueue-managed');

  test('upstream Kueue manages queue-labelled workloads in a namespace without any label: silent on kserve, not on OpenShift AI', () => {
    expect(managed([ns('team'), queued('team')], 'kserve')).toEqual([]);
    expect(managed([ns('team'), queued('team')], 'rhoai-3.0')[0].message).toMatch(/lacks the label kueue.openshift.io\/managed: "true"/);
  });

  test("on kserve, kube-system and Kueue's namespace are left out by the default managedJobsNamespaceSelector, and the OpenShift label does not help", () => {
    const [f, ...rest] = managed([ns('kueue-system', { 'kueue.openshift.io/managed': 'true' }), queued('kueue-system')], 'kserve');
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      "1 workload(s) here carry kueue.x-k8s.io/queue-name but upstream Kueue's default managedJobsNamespaceSelector leaves kueue-system out, so Kueue does not admit them and GPU quota is not enforced: run them in another namespace (the OpenShift label kueue.openshift.io/managed means nothing here)",
    );
  });
});

describe('CRD schema files read by their header (lib/platform/schema-sets.ts crdHeader)', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const root = path.join(__dirname, '..', '..', 'schemas', 'crds');
  const files = fs.readdirSync(root).flatMap((set) => fs.readdirSync(path.join(root, set)).map((f) => path.join(root, set, f)));

  test('every shipped schema file: the header read off the text names the kind and versions the parsed file holds', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { group: string; kind: string; versions: { name: string }[] };
      expect({ file, ...crdHeader(file) }).toEqual({ file, group: doc.group, kind: doc.kind, versions: doc.versions.map((v) => v.name) });
    }
  });

  test('a file whose text is not written as the import script writes it is parsed instead', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'crd-header-'));
    const file = path.join(dir, 'widgets.example.com.json');
    // keys in another order, spaced: the header cannot be read off the text
    fs.writeFileSync(file, JSON.stringify({ kind: 'Widget', group: 'example.com', plural: 'widgets', versions: [{ schema: {}, name: 'v2' }] }, null, 1));
    expect(crdHeader(file)).toEqual({ group: 'example.com', kind: 'Widget', versions: ['v2'] });
  });

  test('a lookup by kind reads the file named after the kind first', () => {
    const names = groupFiles('odh-kserve-3.0', 'serving.kserve.io', 'ServingRuntime').map((f) => path.basename(f));
    expect(names[0]).toBe('servingruntimes.serving.kserve.io.json');
    expect([...names].sort()).toEqual([
      'inferenceservices.serving.kserve.io.json',
      'llminferenceservices.serving.kserve.io.json',
      'servingruntimes.serving.kserve.io.json',
    ]);
  });
});
