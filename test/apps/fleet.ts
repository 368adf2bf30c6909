import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildFleet } from '../../examples/fleet';
import { Chart } from 'cdk8s';
import {
  ArgoCdDelivery,
  ArgoCdFleet,
  ExistingGpuNodes,
  GpuInstanceType,
  KustomizeTree,
  ModelSource,
  readManifests,
  RenderedTree,
  runChecks,
  SchemaValidator,
  VllmInferenceService,
  VllmRuntime,
} from '../../lib';
import { generatedApplications } from '../../lib/check/application-sets';
import { GraphObject } from '../../lib/check/graph-object';
import { ObjectGraph } from '../../lib/check/graph';
import { argoCdRefusals } from '../argocd-util';
import { kubectlBinary } from '../setup/kubectl';
import { keptWarnings, ROOT, tempDir, testApp } from '../util';

/** The fleet example rendered once for the file (rendering is deterministic; the tests only read it). */
let rendered: RenderedTree | undefined;
const fleet = (): RenderedTree => (rendered ??= renderFleet());
/** The warnings synth reported for the fleet example, kept for the tests (keptWarnings). */
let fleetWarnings: readonly string[] = [];
function renderFleet(): RenderedTree {
  const app = testApp();
  const tree = buildFleet(app);
  fleetWarnings = keptWarnings(app);
  return tree.render();
}

/** One app definition for a fleet: per-environment trees, plans and checks, and one ApplicationSet per kind of root. */
describe('the fleet example', () => {
  const tree = fleet();

  test("its one warning is prod's model claim: ReadWriteMany on the cluster's default storage class", () => {
    expect(fleetWarnings).toEqual([
      expect.stringMatching(/^warning rwx-claim-default-class PersistentVolumeClaim\/llm-prod\/models: accessModes asks ReadWriteMany/),
    ]);
  });
  const objects = tree.objects.map((o) => ({ ...o, manifest: o.manifest as Record<string, any> }));
  const isvc = (env: string) => objects.find((o) => o.manifest.kind === 'InferenceService' && o.manifest.metadata.namespace === `llm-${env}`)!.manifest;

  test('per-environment differences: GPU type, instance type, tensor parallelism, replicas, quota and cost', () => {
    expect(isvc('dev').spec.predictor.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6.12xlarge' });
    expect(isvc('prod').spec.predictor.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g6e.12xlarge' });
    expect(isvc('dev').spec.predictor.model.args).toContain('--tensor-parallel-size=4');
    expect(isvc('prod').spec.predictor.model.args).toContain('--tensor-parallel-size=2');
    expect([isvc('dev').spec.predictor.maxReplicas, isvc('prod').spec.predictor.maxReplicas]).toEqual([1, 2]);
    const gpuQuota = (env: string) =>
      objects
        .filter((o) => o.manifest.kind === 'ClusterQueue' && o.manifest.metadata.name === `llm-${env}`)[0]
        .manifest.spec.resourceGroups[0].flavors.flatMap((f: any) =>
          f.resources.filter((r: any) => r.name === 'nvidia.com/gpu').map((r: any) => Number(r.nominalQuota)),
        )
        .reduce((a: number, b: number) => a + b, 0);
    expect([gpuQuota('dev'), gpuQuota('prod')]).toEqual([4, 4]);
    expect(tree.files.get('fleet/dev/PLAN.md')).toMatch(/llm-dev\/mistral-small .* 1 replica × 4 GPUs × L4 \(g6.12xlarge\) .* fits/);
    expect(tree.files.get('fleet/prod/PLAN.md')).toMatch(/llm-prod\/mistral-small .* 2 replicas × 2 GPUs × L40S \(g6e.12xlarge\) .* fits/);
    // by hand: dev 1 × 4/4 of a g6.12xlarge ($4.6016/h) = $3,361; prod 2 × 2/4 of a g6e.12xlarge ($10.49264/h) = $7,665; 730.5 h a month
    expect(tree.files.get('fleet/PLAN.md')).toContain('| dev | 1 | 4 | L4 (g6.12xlarge) | all fit | $3,361 |');
    expect(tree.files.get('fleet/PLAN.md')).toContain('| prod | 1 | 4 | L40S (g6e.12xlarge) | all fit | $7,665 |');
    expect(tree.files.get('fleet/PLAN.md')).toContain('| **total** | 2 | 8 | | | **$11,026** |');
  });

  test('one ApplicationSet per kind of root points each cluster at its path; they validate against the Argo CD CRDs', () => {
    const sets = objects.filter((o) => o.manifest.kind === 'ApplicationSet').map((o) => o.manifest);
    expect(sets.map((s) => s.metadata.name)).toEqual(['fleet-cluster', 'fleet-serving']);
    expect(sets[1].spec.generators[0].list.elements).toEqual([
      { environment: 'dev', server: 'https://api.dev.example.com:6443', namespace: 'llm-dev', path: 'examples/dist-fleet/fleet/dev/serving' },
      { environment: 'prod', server: 'https://api.prod.example.com:6443', namespace: 'llm-prod', path: 'examples/dist-fleet/fleet/prod/serving' },
    ]);
    expect(sets.map((s) => s.spec.template.spec.destination)).toEqual([
      { server: '{{.server}}', namespace: '{{.namespace}}' },
      { server: '{{.server}}', namespace: '{{.namespace}}' },
    ]);
    // the controller creates the Applications at once: a wave on them would order nothing
    expect(sets.map((s) => s.spec.template.metadata.annotations)).toEqual([undefined, undefined]);
    expect(sets.map((s) => s.spec.template.spec.syncPolicy.retry.limit)).toEqual([-1, -1]);
    const serving = objects.find((o) => o.manifest.kind === 'AppProject' && o.manifest.metadata.name === 'fleet-serving')!.manifest;
    expect(serving.spec.clusterResourceWhitelist).toEqual([]);
    const validator = new SchemaValidator();
    expect(objects.flatMap((o) => validator.validate(o.manifest))).toEqual([]);
  });

  test('every path an ApplicationSet names builds with kubectl, and check passes each environment and the fleet', () => {
    const dir = tempDir('fleet-');
    for (const [f, content] of tree.files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    for (const e of objects.filter((o) => o.manifest.kind === 'ApplicationSet').flatMap((o) => o.manifest.spec.generators[0].list.elements)) {
      const local = path.join(dir, e.path.replace(/^examples\/dist-fleet\//, ''));
      expect(YAML.parseAllDocuments(execFileSync(kubectlBinary(), ['kustomize', local], { encoding: 'utf8' })).length).toBeGreaterThan(0);
    }
    for (const env of ['dev', 'prod']) {
      const findings = runChecks(readManifests([path.join(dir, 'fleet', env)]).manifests);
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
  });

  test("check expands each ApplicationSet's list elements into Applications: their paths exist and their project permits what they deliver", () => {
    // laid out as in the repository, so that the elements' paths resolve
    const repo = tempDir('fleet-repo-');
    for (const [f, content] of tree.files) {
      const file = path.join(repo, 'examples', 'dist-fleet', f);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    const delivery = <F extends { rule: string }>(findings: F[]) => findings.filter((f) => f.rule.startsWith('argocd-'));
    const generated = readManifests([repo]).manifests;
    expect(delivery(runChecks(generated))).toEqual([]);
    const sets = path.join(repo, 'examples', 'dist-fleet', 'fleet', 'argocd', 'applicationsets.yaml');
    // a project that no longer permits InferenceServices refuses both environments' generated Applications
    const original = fs.readFileSync(sets, 'utf8');
    fs.writeFileSync(sets, original.replace('kind: InferenceService\n', 'kind: InferenceServiceX\n'));
    expect(
      delivery(runChecks(readManifests([repo]).manifests))
        .filter((f) => f.rule === 'argocd-project-not-permitted')
        .map((f) => f.object),
    ).toEqual(['Application/openshift-gitops/dev-serving', 'Application/openshift-gitops/prod-serving']);
    fs.writeFileSync(sets, original);
    // a typo in one element's path is found, on the generated Application, naming the set
    fs.writeFileSync(sets, fs.readFileSync(sets, 'utf8').replace('examples/dist-fleet/fleet/prod/serving', 'examples/dist-fleet/fleet/prd/serving'));
    expect(delivery(runChecks(readManifests([repo]).manifests))).toEqual([
      expect.objectContaining({
        rule: 'argocd-path-not-in-input',
        severity: 'warning',
        object: 'Application/openshift-gitops/prod-serving',
        message: expect.stringMatching(
          /source path 'examples\/dist-fleet\/fleet\/prd\/serving' is not in the checked input .*generated by ApplicationSet\/openshift-gitops\/fleet-serving from its generators' parameters/,
        ),
      }),
    ]);
  });

  test("Argo CD's own permission checks accept every Application the ApplicationSets generate, in every environment", () => {
    const repo = tempDir('fleet-perm-');
    for (const [f, content] of tree.files) {
      const file = path.join(repo, 'examples', 'dist-fleet', f);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    const graph = new ObjectGraph(readManifests([repo]).manifests as GraphObject[]);
    const generated = graph.ofKind('ApplicationSet').flatMap(generatedApplications);
    expect(generated.map((a) => `${a.manifest.metadata.name} → ${a.manifest.spec.destination.server} ${a.manifest.spec.destination.namespace}`)).toEqual([
      'dev-cluster → https://api.dev.example.com:6443 llm-dev',
      'prod-cluster → https://api.prod.example.com:6443 llm-prod',
      'dev-serving → https://api.dev.example.com:6443 llm-dev',
      'prod-serving → https://api.prod.example.com:6443 llm-prod',
    ]);
    expect(argoCdRefusals(graph)).toEqual([]);
    // the serving Applications need the Namespace the cluster ones create, in an earlier wave of another Application:
    // only their unlimited retry makes that order-free; with a budget, check says the waves do not order them
    const sets = path.join(repo, 'examples', 'dist-fleet', 'fleet', 'argocd', 'applicationsets.yaml');
    const docs = YAML.parseAllDocuments(fs.readFileSync(sets, 'utf8')).map((d) => d.toJS());
    const serving = docs.find((d) => d.kind === 'ApplicationSet' && d.metadata.name === 'fleet-serving');
    serving.spec.template.spec.syncPolicy.retry.limit = 5;
    serving.spec.template.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '1' };
    fs.writeFileSync(sets, docs.map((d) => YAML.stringify(d)).join('---\n'));
    const waves = runChecks(readManifests([repo]).manifests).filter((f) => f.rule === 'argocd-wave-ignored');
    // one finding per Application for the objects that need the same Namespace of the same other Application
    expect(waves.map((f) => f.object)).toEqual([
      'Application/openshift-gitops/dev-serving',
      'Application/openshift-gitops/prod-serving',
      'ApplicationSet/openshift-gitops/fleet-serving',
    ]);
    expect(waves[2].message).toMatch(/template gives the generated Applications sync-wave "1", which orders nothing/);
    expect(waves[0].message).toMatch(
      /^delivers 2 objects, ServingRuntime\/llm-dev\/vllm-runtime \(wave 5\), InferenceService\/llm-dev\/[a-z0-9-]+ \(wave \d+\), after Namespace\/llm-dev \(wave -1\) which they need, but that is delivered by Application\/openshift-gitops\/dev-cluster/,
    );
  });

  test('the committed examples/dist-fleet/ is what the app renders', () => {
    for (const [f, content] of tree.files)
      expect({ f, content: fs.readFileSync(path.join(ROOT, 'examples', 'dist-fleet', f), 'utf8') }).toEqual({ f, content });
  });
});

/** The rendered objects of a tree with one root, dev/, and the delivery `add` puts in its argocd/ chart. */
function deliverDev(add: (delivery: Chart, tree: KustomizeTree, repoURL: string) => unknown): Record<string, any>[] {
  const app = testApp();
  const warnings: string[] = [];
  const tree = new KustomizeTree(app, { appName: 'test', report: (line) => warnings.push(line) });
  const chart = new Chart(app, 'serving', { namespace: 'ai' });
  new VllmRuntime(chart, 'Runtime');
  tree.place('dev/serving.yaml', chart).kustomization('dev');
  const delivery = new Chart(app, 'argocd');
  add(delivery, tree, 'https://github.com/example-org/llm-gitops.git');
  tree.place('argocd/apps.yaml', delivery);
  const objects = tree.render().objects.map((o) => o.manifest as Record<string, any>);
  // the tree creates no namespace 'ai': the one warning a delivery of it may have
  expect(warnings.filter((w) => !/^warning argocd-namespace-not-created Application\/openshift-gitops\/\S+: /.test(w))).toEqual([]);
  return objects;
}

describe('a fleet whose environments differ in hardware profiles', () => {
  /** dev serves without a hardware profile, prod names one: only prod's Applications may ignore the webhook's rewrites. */
  function render() {
    const app = testApp();
    const tree = new KustomizeTree(app, { appName: 'fleet-test', report: (line) => warnings.push(line) });
    for (const [env, profile] of [
      ['dev', undefined],
      ['prod', 'nvidia-l40s'],
    ] as const) {
      const chart = new Chart(app, env, { namespace: `llm-${env}` });
      new VllmInferenceService(chart, 'chat', {
        runtime: new VllmRuntime(chart, 'Runtime'),
        source: ModelSource.pvc('models', 'chat'),
        placement: new ExistingGpuNodes(chart, 'Nodes', { shape: GpuInstanceType.G6E_XLARGE }),
        ...(profile ? { hardwareProfileName: profile } : {}),
      });
      tree.place(`fleet/${env}/serving/chat.yaml`, chart);
      tree.kustomization(`fleet/${env}/serving`);
    }
    const fleet = new Chart(app, 'fleet');
    new ArgoCdFleet(fleet, 'Serving', {
      tree,
      name: 'serving',
      repoURL: 'https://example.com/repo.git',
      environments: [
        { name: 'dev', server: 'https://dev:6443', root: 'fleet/dev/serving' },
        { name: 'prod', server: 'https://prod:6443', root: 'fleet/prod/serving' },
      ],
    });
    tree.place('fleet/argocd.yaml', fleet);
    return tree.render().objects.map((o) => o.manifest as Record<string, any>);
  }
  /** What render's synth reported: the model is not known (no GPU fit), and the tree creates no namespace. */
  const warnings: string[] = [];

  test("each element carries its environment's ignoreDifferences and the template patch adds them to that Application only", () => {
    const set = render().find((o) => o.kind === 'ApplicationSet')!;
    const [dev, prod] = set.spec.generators[0].list.elements;
    expect(dev.ignoreDifferences).toBe('');
    expect(JSON.parse(prod.ignoreDifferences)).toEqual([
      {
        group: 'serving.kserve.io',
        kind: 'InferenceService',
        name: 'chat',
        namespace: 'llm-prod',
        jsonPointers: ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations'],
      },
    ]);
    // Argo CD renders the patch per element with Go templates: {{- if }} drops dev's, and prod's JSON is YAML
    const patch: string = set.spec.templatePatch;
    expect(patch).toMatch(/^\{\{- if \.ignoreDifferences \}\}\nspec:\n {2}ignoreDifferences: \{\{ \.ignoreDifferences \}\}\n\{\{- end \}\}\n$/);
    const rendered = YAML.parse(
      patch
        .replace(/^\{\{- if \.ignoreDifferences \}\}\n/, '')
        .replace(/\{\{- end \}\}\n$/, '')
        .replace('{{ .ignoreDifferences }}', prod.ignoreDifferences),
    );
    expect(rendered.spec.ignoreDifferences).toEqual(JSON.parse(prod.ignoreDifferences));
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(new SchemaValidator().validate(set)).toEqual([]);
    expect(warnings.map((w) => w.split(' ').slice(0, 3).join(' ')).sort()).toEqual([
      'info gpu-memory-fit InferenceService/llm-dev/chat:',
      'info gpu-memory-fit InferenceService/llm-prod/chat:',
      'warning argocd-namespace-not-created Application/openshift-gitops/dev-serving:',
      'warning argocd-namespace-not-created Application/openshift-gitops/prod-serving:',
    ]);
  });

  test('without hardware profiles there is no patch and no extra element field', () => {
    const tree = fleet();
    for (const set of tree.objects.map((o) => o.manifest as Record<string, any>).filter((o) => o.kind === 'ApplicationSet')) {
      expect(set.spec.templatePatch).toBeUndefined();
      expect(set.spec.generators[0].list.elements.every((e: Record<string, string>) => !('ignoreDifferences' in e))).toBe(true);
    }
  });

  test('a sync wave for the generated Applications is refused: it would order nothing', () => {
    expect(() =>
      deliverDev(
        (delivery, tree, repoURL) =>
          new ArgoCdFleet(delivery, 'Fleet', {
            tree,
            name: 'serving',
            repoURL,
            environments: [{ name: 'dev', server: 'https://api.dev:6443', root: 'dev' }],
            ...({ syncWave: 1 } as object),
          }),
      ),
    ).toThrow(/ArgoCdFleet .*syncWave is not supported: the ApplicationSet controller creates its Applications at once/);
  });

  test('a cluster server is an http(s) URL, rendered without its trailing slash as Argo CD matches it', () => {
    const build = (server: string) =>
      deliverDev((delivery, tree, repoURL) => {
        new ArgoCdFleet(delivery, 'Fleet', { tree, name: 'serving', repoURL, environments: [{ name: 'dev', server, root: 'dev' }] });
        new ArgoCdDelivery(delivery, 'Delivery', { tree, repoURL, server });
      });
    const objects = build('https://api.dev.example.com:6443/');
    const set = objects.find((o) => o.kind === 'ApplicationSet')!;
    expect(set.spec.generators[0].list.elements[0].server).toBe('https://api.dev.example.com:6443');
    expect(objects.filter((o) => o.kind === 'AppProject').flatMap((p) => p.spec.destinations)).toEqual([
      { server: 'https://api.dev.example.com:6443', namespace: 'ai' },
      { server: 'https://api.dev.example.com:6443', namespace: 'ai' },
    ]);
    expect(objects.find((o) => o.kind === 'Application')!.spec.destination).toEqual({ server: 'https://api.dev.example.com:6443', namespace: 'ai' });
    expect(() => build('api.dev.example.com:6443')).toThrow(
      /ArgoCdFleet .*environments\[dev\].server 'api.dev.example.com:6443' is not a cluster API server URL/,
    );
  });

  test("a path prefix is relative to the repository root, as Argo CD reads source.path: a leading '/' is refused, a trailing one dropped", () => {
    const build = (construct: 'ArgoCdFleet' | 'ArgoCdDelivery', pathPrefix: string) => {
      const objects = deliverDev((delivery, tree, repoURL) =>
        construct === 'ArgoCdFleet'
          ? new ArgoCdFleet(delivery, 'Fleet', {
              tree,
              name: 'serving',
              repoURL,
              pathPrefix,
              environments: [{ name: 'dev', server: 'https://api.dev:6443', root: 'dev' }],
            })
          : new ArgoCdDelivery(delivery, 'Delivery', { tree, repoURL, pathPrefix }),
      );
      return construct === 'ArgoCdFleet'
        ? objects.find((o) => o.kind === 'ApplicationSet')!.spec.generators[0].list.elements[0].path
        : objects.find((o) => o.kind === 'Application')!.spec.source.path;
    };
    for (const construct of ['ArgoCdFleet', 'ArgoCdDelivery'] as const) {
      expect([build(construct, 'deploy/rendered/'), build(construct, 'deploy//'), build(construct, '')]).toEqual(['deploy/rendered/dev', 'deploy/dev', 'dev']);
      for (const absolute of ['/rendered', '/', '//srv/repo/']) {
        expect(() => build(construct, absolute)).toThrow(
          new RegExp(
            `^${construct} .*: pathPrefix '${absolute}' is absolute, but Argo CD reads source.path relative to the repository root: drop the leading '/'`,
          ),
        );
      }
    }
  });
});
