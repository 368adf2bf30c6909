import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { ArgoCdDelivery, KustomizeTree, readManifests, RenderedTree, runChecks, SchemaValidator, ServingNamespace } from '../lib';
import { GraphObject } from '../lib/check/graph-object';
import { ObjectGraph } from '../lib/check/graph';
import { runCli } from '../lib/cli/main';
import { argoCdRefusals } from './argocd-util';
import { kubectlBinary } from './setup/kubectl';
import { renderStep05, ROOT, tempDir, testApp } from './util';

/** Argo CD delivery of the step-05 tree: Applications and least-privilege AppProjects, and the checks that guard them. */
const STEP = 'gitops/step-05-llm-on-vllm';

/** The step-05 tree, rendered once for the file: rendering is deterministic, and each test writes its own copy. */
let rendered: RenderedTree | undefined;
const step05 = (): RenderedTree => (rendered ??= renderStep05());

function writeTree(): string {
  const dir = tempDir('delivery-');
  for (const [f, content] of step05().files) {
    fs.mkdirSync(path.dirname(path.join(dir, 'dist', f)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', f), content);
  }
  return dir;
}

function check(dir: string) {
  const prev = process.cwd();
  process.chdir(dir); // paths as in the repository: dist/…
  try {
    return runChecks(readManifests(['dist']).manifests);
  } finally {
    process.chdir(prev);
  }
}

describe('Argo CD delivery of the step-05 tree', () => {
  const tree = step05();
  const docs = YAML.parseAllDocuments(tree.files.get(`${STEP}/argocd/applications.yaml`)!).map((d) => d.toJS());
  const app = (name: string) => docs.find((d) => d.kind === 'Application' && d.metadata.name === name);
  const project = (name: string) => docs.find((d) => d.kind === 'AppProject' && d.metadata.name === name);

  test('one Application per root, no wave (applied together, waves would order nothing), retrying without limit, with the seed repository sync options', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'AppProject/step-05-base',
      'AppProject/step-05-cluster',
      'Application/step-05-base',
      'Application/step-05-cluster',
    ]);
    expect(docs.filter((d) => d.metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined)).toEqual([]);
    const sync = app('step-05-base').spec.syncPolicy;
    expect(sync.automated).toEqual({ prune: true, selfHeal: true });
    expect(sync.syncOptions).toEqual(
      expect.arrayContaining([
        'CreateNamespace=false',
        'PruneLast=true',
        'ApplyOutOfSyncOnly=true',
        'ServerSideApply=true',
        'SkipDryRunOnMissingResource=true',
      ]),
    );
    // a negative limit retries without end (Argo CD controller/appcontroller.go): the serving app outlasts the operators' CRDs
    expect(sync.retry).toEqual({ limit: -1, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } });
    expect(app('step-05-base').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'private-ai' });
    expect(app('step-05-base').spec.source).toEqual({
      repoURL: 'https://github.com/example-org/llm-gitops.git',
      targetRevision: 'main',
      path: `dist/${STEP}/base`,
    });
  });

  test('least privilege: the serving project permits no cluster-scoped kind, the cluster project only what cluster/ holds', () => {
    expect(project('step-05-base').spec.clusterResourceWhitelist).toEqual([]);
    expect(project('step-05-base').spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'private-ai' }]);
    expect(project('step-05-cluster').spec.clusterResourceWhitelist).toEqual([
      { group: 'kueue.x-k8s.io', kind: 'ClusterQueue' },
      { group: 'kueue.x-k8s.io', kind: 'ResourceFlavor' },
    ]);
    expect(project('step-05-cluster').spec.namespaceResourceWhitelist).toEqual([
      { group: 'kueue.x-k8s.io', kind: 'LocalQueue' },
      { group: 'machine.openshift.io', kind: 'MachineSet' },
    ]);
  });

  test('only the fields a webhook may rewrite are ignored, per service', () => {
    expect(app('step-05-base').spec.ignoreDifferences.map((d: any) => [d.name, d.jsonPointers])).toEqual([
      ['mistral-small-24b', ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations']],
      ['mistral-small-24b-tp4', ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations']],
    ]);
    expect(app('step-05-cluster').spec.ignoreDifferences).toBeUndefined();
  });

  test('validates against the Argo CD v3.1 CRDs; every path builds with kubectl; check passes the whole tree', () => {
    const validator = new SchemaValidator();
    expect(docs.flatMap((d) => validator.validate(d))).toEqual([]);
    const dir = writeTree();
    for (const a of docs.filter((d) => d.kind === 'Application')) {
      expect(() => execFileSync(kubectlBinary(), ['kustomize', path.join(dir, a.spec.source.path)], { encoding: 'utf8' })).not.toThrow();
    }
    const findings = check(dir);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => f.rule.startsWith('argocd-'))).toEqual([]);
  });

  test('a MachineSet moved into the serving folder is refused by the serving project', () => {
    const dir = writeTree();
    const base = path.join(dir, 'dist', STEP, 'base', 'inference');
    fs.copyFileSync(path.join(dir, 'dist', STEP, 'cluster', 'gpu-machinesets.yaml'), path.join(base, 'machinesets.yaml'));
    fs.appendFileSync(path.join(base, 'kustomization.yaml'), '  - machinesets.yaml\n');
    const refused = check(dir).filter((f) => f.rule === 'argocd-project-not-permitted');
    expect(refused.length).toBe(2); // both MachineSets of the file
    for (const f of refused) {
      expect(f).toMatchObject({
        severity: 'error',
        object: 'Application/openshift-gitops/step-05-base',
        message: expect.stringMatching(
          /AppProject 'step-05-base' does not permit it.*resource machine.openshift.io:MachineSet is not permitted in project step-05-base/,
        ),
      });
    }
  });

  test('a path that is not in the tree and a removed ignoreDifferences are reported', () => {
    const dir = writeTree();
    const file = path.join(dir, 'dist', STEP, 'argocd', 'applications.yaml');
    const edited = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    const base = edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-base');
    delete base.spec.ignoreDifferences;
    edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-cluster').spec.source.path = `dist/${STEP}/clustr`;
    fs.writeFileSync(file, edited.map((d) => YAML.stringify(d)).join('---\n'));
    const rules = check(dir).map((f) => `${f.rule} ${f.object}`);
    // no git work tree is checked: the folder may exist in the part of the repository left out, a warning of its own
    expect(rules).toContain('argocd-path-not-in-input Application/openshift-gitops/step-05-cluster');
    expect(rules).toContain('argocd-webhook-drift Application/openshift-gitops/step-05-base');
  });

  test('waves on Applications order nothing when applied by hand, and order an app-of-apps only with the Application health check', () => {
    const dir = writeTree();
    const file = path.join(dir, 'dist', STEP, 'argocd', 'applications.yaml');
    const edited = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-base').metadata.annotations = { 'argocd.argoproj.io/sync-wave': '-5' };
    fs.writeFileSync(file, edited.map((d) => YAML.stringify(d)).join('---\n'));
    const delivery = () =>
      check(dir)
        .filter((f) => f.rule === 'argocd-sync-order' || f.rule === 'argocd-wave-ignored')
        .map((f) => `${f.rule} ${f.object} ${f.message}`);
    // applied with oc apply -k: the wave is ignored, and no parent orders the two
    expect(delivery()).toEqual([
      expect.stringMatching(/^argocd-wave-ignored Application\/openshift-gitops\/step-05-base .*no Application of the checked input delivers it/),
    ]);
    // a parent Application (app-of-apps) syncs the folder: its waves order the children, here the serving one first
    const root = path.join(dir, 'dist', STEP, 'root');
    fs.mkdirSync(root);
    const parent = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'step-05', namespace: 'openshift-gitops' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/example-org/llm-gitops.git', path: `dist/${STEP}/argocd` },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'openshift-gitops' },
      },
    };
    fs.writeFileSync(path.join(root, 'root.yaml'), YAML.stringify(parent));
    // one finding on the parent, whose sync the waves order, not one per child
    expect(delivery()).toEqual([
      expect.stringMatching(
        /^argocd-wave-ignored Application\/openshift-gitops\/step-05 orders its child Application\/openshift-gitops\/step-05-base "-5" by sync-wave, but .*no argocd-cm with resource.customizations.health.argoproj.io_Application/,
      ),
      expect.stringMatching(
        /^argocd-sync-order Application\/openshift-gitops\/step-05-base syncs in wave -5, no later than Application 'step-05-cluster' \(wave 0\)/,
      ),
    ]);
    // with the health check Argo CD documents for Applications, the parent waits for each wave: only the order is wrong
    const argocdCm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: 'openshift-gitops' },
      data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nreturn hs\n' },
    };
    fs.writeFileSync(path.join(root, 'argocd-cm.yaml'), YAML.stringify(argocdCm));
    expect(delivery()).toEqual([expect.stringMatching(/^argocd-sync-order Application\/openshift-gitops\/step-05-base/)]);
    // OpenShift GitOps: the operator owns argocd-cm; the same check given in the ArgoCD resource counts
    fs.rmSync(path.join(root, 'argocd-cm.yaml'));
    const operator = {
      apiVersion: 'argoproj.io/v1beta1',
      kind: 'ArgoCD',
      metadata: { name: 'openshift-gitops', namespace: 'openshift-gitops' },
      spec: { resourceHealthChecks: [{ group: 'argoproj.io', kind: 'Application', check: 'hs = {}\nreturn hs\n' }] },
    };
    fs.writeFileSync(path.join(root, 'argocd.yaml'), YAML.stringify(operator));
    expect(delivery()).toEqual([expect.stringMatching(/^argocd-sync-order Application\/openshift-gitops\/step-05-base/)]);
  });

  test("Argo CD's own permission checks accept every rendered Application: destination, repository, and each object it delivers", () => {
    const dir = writeTree();
    const prev = process.cwd();
    process.chdir(dir);
    try {
      const graph = new ObjectGraph(readManifests(['dist']).manifests as GraphObject[]);
      expect(graph.ofKind('Application').length).toBe(2);
      expect(argoCdRefusals(graph)).toEqual([]);
      // the destination the cluster Application had before: no namespace, which its project does not list
      const cluster = graph.ofKind('Application').find((a) => a.manifest.metadata.name === 'step-05-cluster')!;
      delete cluster.manifest.spec.destination.namespace;
      expect(argoCdRefusals(graph)).toEqual([
        'Application/openshift-gitops/step-05-cluster: destination {"namespace":"","server":"https://kubernetes.default.svc"} in step-05-cluster',
      ]);
    } finally {
      process.chdir(prev);
    }
  });

  test('a repository or a destination the project does not list is an error naming the Application and the project', () => {
    const dir = writeTree();
    const file = path.join(dir, 'dist', STEP, 'argocd', 'applications.yaml');
    const edited = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-cluster').spec.destination = { server: 'https://kubernetes.default.svc' };
    edited.find((d) => d.kind === 'Application' && d.metadata.name === 'step-05-base').spec.source.repoURL = 'https://github.com/example-org/other.git';
    fs.writeFileSync(file, edited.map((d) => YAML.stringify(d)).join('---\n'));
    expect(
      check(dir)
        .filter((f) => f.rule === 'argocd-destination-not-permitted' || f.rule === 'argocd-source-not-permitted')
        .map((f) => [f.rule, f.severity, f.object, f.message]),
    ).toEqual([
      [
        'argocd-source-not-permitted',
        'error',
        'Application/openshift-gitops/step-05-base',
        expect.stringMatching(/^application repo https:\/\/github.com\/example-org\/other.git is not permitted in AppProject 'step-05-base'/),
      ],
      [
        'argocd-destination-not-permitted',
        'error',
        'Application/openshift-gitops/step-05-cluster',
        expect.stringMatching(
          /^destination server 'https:\/\/kubernetes.default.svc' and namespace '' do not match any of the allowed destinations in AppProject 'step-05-cluster'.*InvalidSpecError/,
        ),
      ],
    ]);
  });

  test('the committed dist/ holds the Applications', () => {
    expect(fs.readFileSync(path.join(ROOT, 'dist', STEP, 'argocd', 'applications.yaml'), 'utf8')).toBe(tree.files.get(`${STEP}/argocd/applications.yaml`));
  });
});

describe('check on a user tree', () => {
  test('an Application sent to a namespace its project does not permit fails check, naming the Application and the project', async () => {
    const dir = tempDir('user-argocd-');
    const docs = [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'team-a', namespace: 'argocd' },
        spec: { sourceRepos: ['https://git.example.com/llm/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a-*' }] },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'llm', namespace: 'argocd' },
        spec: {
          project: 'team-a',
          source: { repoURL: 'https://git.example.com/llm/serving.git', path: 'apps/llm' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'team-b' },
        },
      },
    ];
    fs.writeFileSync(path.join(dir, 'apps.yaml'), docs.map((d) => YAML.stringify(d)).join('---\n'));
    let out = '';
    const code = await runCli(['check', dir, '--format', 'json'], { out: (t) => (out += t), err: () => undefined, stdin: () => '' });
    expect(code).toBe(1);
    expect(JSON.parse(out).findings).toEqual([
      expect.objectContaining({
        rule: 'argocd-destination-not-permitted',
        severity: 'error',
        object: 'Application/argocd/llm',
        message: expect.stringMatching(/namespace 'team-b' do not match any of the allowed destinations in AppProject 'team-a'/),
      }),
      // the source is another repository's folder: nothing of the input makes team-b
      expect.objectContaining({ rule: 'argocd-namespace-not-created', severity: 'warning', object: 'Application/argocd/llm' }),
    ]);
  });

  test('the default project, deny patterns and ApplicationSet elements are judged as Argo CD judges them', async () => {
    const dir = tempDir('user-argocd-2-');
    const docs = [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'default', namespace: 'argocd' },
        spec: {
          sourceRepos: ['*'],
          destinations: [
            { server: '*', namespace: '*' },
            { server: '*', namespace: '!kube-*' },
          ],
        },
      },
      {
        // no project: Argo CD uses 'default', which denies kube-* namespaces
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'sys', namespace: 'argocd' },
        spec: {
          source: { repoURL: 'https://git.example.com/llm.git', path: 'sys' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' },
        },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'fleet', namespace: 'argocd' },
        spec: {
          sourceRepos: ['https://git.example.com/llm.git'],
          destinations: [
            { server: 'https://api.dev:6443', namespace: 'llm-dev' },
            { server: 'https://api.prod:6443', namespace: 'llm-prod' },
          ],
        },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'llm', namespace: 'argocd' },
        spec: {
          goTemplate: true,
          generators: [
            {
              list: {
                elements: [
                  { env: 'dev', server: 'https://api.dev:6443', namespace: 'llm-dev' },
                  { env: 'prod', server: 'https://api.prod:6443', namespace: 'llm-dev' },
                ],
              },
            },
          ],
          template: {
            metadata: { name: '{{.env}}-llm' },
            spec: {
              project: 'fleet',
              source: { repoURL: 'https://git.example.com/llm.git', path: 'envs/{{.env}}' },
              destination: { server: '{{.server}}', namespace: '{{.namespace}}' },
            },
          },
        },
      },
    ];
    fs.writeFileSync(path.join(dir, 'apps.yaml'), docs.map((d) => YAML.stringify(d)).join('---\n'));
    let out = '';
    const code = await runCli(['check', dir, '--format', 'json'], { out: (t) => (out += t), err: () => undefined, stdin: () => '' });
    expect(code).toBe(1);
    expect(JSON.parse(out).findings.map((f: { rule: string; object: string; message: string }) => [f.rule, f.object, f.message])).toEqual([
      [
        'argocd-destination-not-permitted',
        'Application/argocd/prod-llm',
        expect.stringMatching(
          /server 'https:\/\/api.prod:6443' and namespace 'llm-dev' .* AppProject 'fleet'.*generated by ApplicationSet\/argocd\/llm from its generators' parameters/,
        ),
      ],
      [
        'argocd-destination-not-permitted',
        'Application/argocd/sys',
        expect.stringMatching(/namespace 'kube-system' do not match any of the allowed destinations in AppProject 'default'/),
      ],
      // Argo CD reads an empty project as 'default', but the Application CRD requires spec.project: the API server refuses it first
      [
        'field-required-missing',
        'Application/argocd/sys',
        expect.stringMatching(/^Application lacks the required field spec\.project: the CRD applications\.argoproj\.io schema requires it/),
      ],
      // envs/dev and envs/prod are not in the input: nothing of it makes llm-dev; said once, on the first Application
      [
        'argocd-namespace-not-created',
        'Application/argocd/dev-llm',
        expect.stringMatching(
          /^syncs a source the input does not show into destination namespace 'llm-dev', .* \(1 more Application syncs into it the same way: Application\/argocd\/prod-llm\)/,
        ),
      ],
    ]);
  });

  test('a CRD in an earlier wave of another Application does not order its custom resources, unless a parent orders the two', () => {
    const dir = tempDir('user-argocd-waves-');
    const write = (file: string, docs: object[]) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), docs.map((d) => YAML.stringify(d)).join('---\n'));
    };
    const repoURL = 'https://git.example.com/platform.git';
    const application = (name: string, p: string, wave: string, extra: object = {}) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': wave } },
      spec: {
        project: 'platform',
        sources: [{ repoURL, path: p }],
        destination: { server: 'https://kubernetes.default.svc', namespace: 'tenant' },
        syncPolicy: { automated: {}, retry: { limit: 5 } },
        ...extra,
      },
    });
    write('apps/apps.yaml', [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'platform', namespace: 'argocd' },
        spec: {
          sourceRepos: [repoURL],
          destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'tenant' }],
          clusterResourceWhitelist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
        },
      },
      application('crds', 'crds', '0'),
      application('tenant', 'tenant', '1'),
    ]);
    write('crds/widget-crd.yaml', [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
        spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
      },
    ]);
    write('tenant/widget.yaml', [
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'tenant', annotations: { 'argocd.argoproj.io/sync-wave': '1' } } },
    ]);
    const waves = () =>
      runChecks(readManifests([dir]).manifests)
        .filter((f) => f.rule === 'argocd-wave-ignored' || f.rule.endsWith('-not-permitted'))
        .map((f) => `${f.rule} ${f.object}: ${f.message}`);
    // the two Applications are applied by hand: their own waves order nothing, nor do the CRD's and the Widget's
    expect(waves()).toEqual([
      expect.stringMatching(/^argocd-wave-ignored Application\/argocd\/crds: carries sync-wave "0", but no Application/),
      expect.stringMatching(/^argocd-wave-ignored Application\/argocd\/tenant: carries sync-wave "1", but no Application/),
      expect.stringMatching(
        /^argocd-wave-ignored Application\/argocd\/tenant: delivers Widget\/tenant\/w in sync-wave 1, after CustomResourceDefinition\/widgets.example.com \(wave -1\) which it needs, but that is delivered by Application\/argocd\/crds/,
      ),
    ]);
    // more custom resources needing the same CRD from the same Application: one finding that names them and their count
    const widget = (name: string, wave: string) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name, namespace: 'tenant', annotations: { 'argocd.argoproj.io/sync-wave': wave } },
    });
    write('tenant/widget.yaml', [widget('w', '1'), widget('w2', '2'), widget('w3', '2'), widget('w4', '3')]);
    expect(waves().filter((w) => w.includes(': delivers'))).toEqual([
      'argocd-wave-ignored Application/argocd/tenant: delivers 4 objects, Widget/tenant/w (wave 1), Widget/tenant/w2 (wave 2), Widget/tenant/w3 (wave 2) and 1 more, ' +
        'after CustomResourceDefinition/widgets.example.com (wave -1) which they need, but that is delivered by Application/argocd/crds: ' +
        "waves order only one Application's sync, so Argo CD may apply them first and, once the retries run out, stop; " +
        'let this Application retry without limit (syncPolicy.retry.limit: -1), deliver both from one Application, or order the Applications from a parent',
    ]);
    // a parent syncs both in its waves, and Applications have a health check: now the waves order them
    write('root/root.yaml', [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'root', namespace: 'argocd' },
        spec: { project: 'default', source: { repoURL, path: 'apps' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' } },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'argocd-cm', namespace: 'argocd' },
        data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nreturn hs\n' },
      },
    ]);
    expect(waves()).toEqual([]);
  });
});

describe('ArgoCdDelivery roots', () => {
  function deliver(roots: string[], declareLater = false) {
    const app = testApp();
    const tree = new KustomizeTree(app);
    const chart = new Chart(app, 'serving', { namespace: 'ai' });
    new ServingNamespace(chart, 'Ns', { name: 'ai' });
    tree.place('team/serving/namespace.yaml', chart);
    if (!declareLater) tree.kustomization('team/serving');
    new ArgoCdDelivery(new Chart(app, 'argocd'), 'Delivery', { tree, repoURL: 'https://git.example.com/llm.git', roots });
    if (declareLater) tree.kustomization('team/serving');
    return () => app.synth();
  }

  test('a root the tree does not declare is refused at synth: Argo CD could not build its path', () => {
    expect(deliver(['team/serving', 'team/cluster'])).toThrow(
      /ArgoCdDelivery argocd\/Delivery: roots names 'team\/cluster', which is not a kustomization root of the tree \(team\/serving\); declare it with tree.kustomization\('team\/cluster'\)/,
    );
  });

  test('near miss: a declared root, also when declared after the delivery', () => {
    expect(deliver(['team/serving'])).not.toThrow();
    expect(deliver(['team/serving/'], true)).not.toThrow();
  });
});

describe('ArgoCdDelivery ignoreDifferences', () => {
  /** An InferenceService with a hardware profile set in its metadata, through a JSON patch, or not at all. */
  function ignored(how: 'metadata' | 'patch' | 'none' | 'empty'): unknown {
    const app = testApp();
    const warnings: string[] = [];
    const tree = new KustomizeTree(app, { report: (line) => warnings.push(line) });
    const chart = new Chart(app, 'serving', { namespace: 'ai' });
    const profile = 'opendatahub.io/hardware-profile-name';
    const isvc = new ApiObject(chart, 'Isvc', {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', ...(how === 'metadata' ? { annotations: { [profile]: 'gpu' } } : how === 'empty' ? { annotations: { [profile]: '' } } : {}) },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'oci://quay.io/example/llm@sha256:' + 'a'.repeat(64) } } },
    });
    if (how === 'patch') isvc.addJsonPatch(JsonPatch.add('/metadata/annotations', { [profile]: 'gpu' }));
    tree.place('team/serving/llm.yaml', chart);
    tree.kustomization('team/serving');
    const argocd = new Chart(app, 'argocd');
    new ArgoCdDelivery(argocd, 'Delivery', { tree, repoURL: 'https://git.example.com/llm.git', roots: ['team/serving'] });
    const application = argocd.toJson().find((d) => d.kind === 'Application') as { spec: { ignoreDifferences?: { name: string }[] } };
    // the tree creates no namespace 'ai': said once, at the render the Application reads
    expect(warnings.filter((w) => w.startsWith('warning argocd-namespace-not-created Application/openshift-gitops/serving:'))).toHaveLength(1);
    return application.spec.ignoreDifferences?.map((d) => d.name);
  }

  test('a hardware profile annotation, in the metadata or added by a JSON patch, ignores the fields its webhook writes', () => {
    expect(ignored('metadata')).toEqual(['llm']);
    expect(ignored('patch')).toEqual(['llm']);
  });

  test('near miss: no annotation, or an empty one, ignores nothing', () => {
    expect(ignored('none')).toBeUndefined();
    expect(ignored('empty')).toBeUndefined();
  });
});

describe('ArgoCdDelivery reads each root as it is when rendered', () => {
  test('a kind added to a root after a first render is permitted by the AppProject of the next render', () => {
    const app = testApp();
    const warnings: string[] = [];
    const tree = new KustomizeTree(app, { report: (line) => warnings.push(line) });
    const chart = new Chart(app, 'serving', { namespace: 'ai' });
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    tree.place('team/serving/settings.yaml', chart);
    tree.kustomization('team/serving');
    const argocd = new Chart(app, 'argocd');
    new ArgoCdDelivery(argocd, 'Delivery', { tree, repoURL: 'https://git.example.com/llm.git', roots: ['team/serving'] });
    const kinds = () =>
      (
        argocd.toJson().find((d) => d.kind === 'AppProject') as { spec: { namespaceResourceWhitelist: { kind: string }[] } }
      ).spec.namespaceResourceWhitelist.map((k) => k.kind);
    expect(kinds()).toEqual(['ConfigMap']);
    new ApiObject(chart, 'Account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner' } });
    expect(kinds()).toEqual(['ConfigMap', 'ServiceAccount']);
    expect(warnings).toEqual([expect.stringMatching(/^warning argocd-namespace-not-created Application\/openshift-gitops\/serving:/)]);
  });
});

describe('sync-wave-order: an InferenceService in an earlier wave than its ServingRuntime', () => {
  const wave = (n: string) => ({ 'argocd.argoproj.io/sync-wave': n });
  const serving = [
    {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'llm', annotations: wave('3') },
      spec: {
        supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
        containers: [{ name: 'kserve-container', image: 'quay.io/example/vllm@sha256:' + 'b'.repeat(64) }],
      },
    },
    {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llama', namespace: 'llm', annotations: wave('1') },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 'oci://quay.io/example/llama@sha256:' + 'c'.repeat(64) } } },
    },
  ];
  const order = (withApplication: boolean) => {
    const dir = tempDir('wave-order-');
    fs.mkdirSync(path.join(dir, 'serving'));
    fs.writeFileSync(path.join(dir, 'serving', 'serving.yaml'), serving.map((d) => YAML.stringify(d)).join('---\n'));
    if (withApplication)
      fs.writeFileSync(
        path.join(dir, 'app.yaml'),
        YAML.stringify({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'serving', namespace: 'argocd' },
          spec: {
            project: 'default',
            source: { repoURL: 'https://git.example.com/llm.git', path: 'serving' },
            destination: { server: 'https://kubernetes.default.svc', namespace: 'llm' },
            syncPolicy: { automated: {} },
          },
        }),
      );
    return runChecks(readManifests([dir]).manifests, { platform: 'rhoai-3.0' })
      .filter((f) => f.rule === 'sync-wave-order')
      .map((f) => [f.severity, f.message]);
  };

  test('one Application delivers both: an error (Argo CD waits for the service, which is never healthy without its runtime)', () => {
    expect(order(true)).toEqual([
      ['error', expect.stringMatching(/^sync wave 1 comes before its runtime's \(3\) in Application\/argocd\/serving: Argo CD waits/)],
    ]);
  });

  test('near miss: no Application delivers them (the waves order nothing yet): a warning', () => {
    expect(order(false)).toEqual([
      ['warning', expect.stringMatching(/^sync wave 1 comes before its runtime's \(3\); the service is reconciled without a runtime first/)],
    ]);
  });

  /** The two objects in files of one folder, listed by its kustomization, or the runtime in a base the folder includes. */
  const kustomized = (runtimeInBase: boolean) => {
    const dir = tempDir('wave-kustomize-');
    const [runtime, service] = serving.map((d) => YAML.stringify(d));
    fs.writeFileSync(path.join(dir, 'service.yaml'), service);
    if (runtimeInBase) {
      fs.mkdirSync(path.join(dir, 'base'));
      fs.writeFileSync(path.join(dir, 'base', 'runtime.yaml'), runtime);
      fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - runtime.yaml\n');
    } else fs.writeFileSync(path.join(dir, 'runtime.yaml'), runtime);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources:\n  - ${runtimeInBase ? 'base' : 'runtime.yaml'}\n  - service.yaml\n`);
    return runChecks(readManifests([dir]).manifests, { platform: 'rhoai-3.0' })
      .filter((f) => f.rule === 'sync-wave-order')
      .map((f) => [f.severity, f.message]);
  };

  test('one kustomization lists both, no Application in the tree: a warning on the condition that Argo CD syncs it (no Application is named)', () => {
    expect(kustomized(false)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^sync wave 1 comes before its runtime's \(3\), and the kustomization of .*wave-kustomize-\w+ lists both: if Argo CD syncs this folder \(no Application or ApplicationSet of the input does\), it waits/,
        ),
      ],
    ]);
  });

  test('near miss: the runtime comes from a base with its own kustomization (an Application may sync the base alone): a warning', () => {
    expect(kustomized(true)).toEqual([['warning', expect.stringMatching(/^sync wave 1 comes before its runtime's \(3\); the service is reconciled/)]]);
  });
});
