import { runChecks } from '../../lib';

const verdicts = (apiVersion: string, kind: string) =>
  runChecks([{ manifest: { apiVersion, kind, metadata: { name: 'm', namespace: 'serving' }, spec: {} } }], { platform: 'rhoai-3.0' })
    .filter((f) => f.rule === 'kind-in-unknown-group')
    .map((f) => [f.severity, f.limitation ?? false]);

describe("kind-in-unknown-group: a misspelt group fails the apply; another operator's group is not verifiable", () => {
  test.each([
    ['serving.kserv.io/v1beta1', 'InferenceService'],
    ['serving.kserve.com/v1alpha1', 'LLMInferenceService'],
    ['kserve.io/v1alpha1', 'ServingRuntime'],
    ['kueue.k8s.io/v1beta1', 'LocalQueue'],
    // KFServing's group, KServe's before its rename
    ['serving.kubeflow.org/v1beta1', 'InferenceService'],
    // llm-d's group, whose kinds are the router's and the model service's
    ['llm-d.ai/v1alpha1', 'LLMInferenceService'],
  ])('%s %s: a spelling of the serving group, an error', (apiVersion, kind) => {
    expect(verdicts(apiVersion, kind)).toEqual([['error', false]]);
  });

  test.each([
    // OME's operator serves its own ClusterServingRuntime and InferenceService (sgl-project/ome config/crd)
    ['ome.io/v1beta1', 'ClusterServingRuntime'],
    ['ome.io/v1beta1', 'InferenceService'],
  ])("%s %s: another project's group, an info that the CRD is not in the tree", (apiVersion, kind) => {
    expect(verdicts(apiVersion, kind)).toEqual([['info', true]]);
  });

  test('the info says what is assumed and what to write if the KServe kind was meant', () => {
    const [f] = runChecks([{ manifest: { apiVersion: 'ome.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm', namespace: 's' }, spec: {} } }], {
      platform: 'rhoai-3.0',
    }).filter((x) => x.rule === 'kind-in-unknown-group');
    expect(f.message).toMatch(
      /not verifiable, the CRD is not in the tree; ome\.io is no spelling of serving\.kserve\.io, so it is taken for the API of an operator installed outside the tree/,
    );
    expect(f.message).toMatch(/write apiVersion serving\.kserve\.io\/v1beta1\)$/);
  });
});

describe("kind-in-unknown-group: a known project's group holds its own kinds only", () => {
  test('llm-d.ai LLMInferenceService names KServe group; llm-d.ai InferenceObjective is llm-d own', () => {
    const [f] = runChecks([{ manifest: { apiVersion: 'llm-d.ai/v1alpha1', kind: 'LLMInferenceService', metadata: { name: 'm', namespace: 's' }, spec: {} } }], {
      platform: 'rhoai-3.0',
    }).filter((x) => x.rule === 'kind-in-unknown-group');
    expect(f.message).toMatch(/llm-d\.ai is the group of llm-d's kinds .*none of which is LLMInferenceService.*write apiVersion serving\.kserve\.io\/v1alpha1/);
    expect(verdicts('llm-d.ai/v1alpha2', 'InferenceObjective')).toEqual([]);
  });
});

describe("kind-in-unknown-group: a subdomain of a known project's group serves none of its kinds", () => {
  test('inference.llm-d.ai LLMInferenceService: a warning naming KServe group, a CRD may be installed outside the tree', () => {
    const [f] = runChecks(
      [{ manifest: { apiVersion: 'inference.llm-d.ai/v1alpha1', kind: 'LLMInferenceService', metadata: { name: 'm', namespace: 's' }, spec: {} } }],
      {
        platform: 'rhoai-3.0',
      },
    ).filter((x) => x.rule === 'kind-in-unknown-group');
    expect([f.severity, f.object]).toEqual(['warning', 'LLMInferenceService/s/m']);
    expect(f.message).toMatch(
      /inference\.llm-d\.ai lies under llm-d\.ai.*unless a CRD installed outside the tree serves it, the apply fails.*write apiVersion serving\.kserve\.io\/v1alpha1/,
    );
  });

  test("a CRD of the input there: not judged; the project's own kind there keeps the info", () => {
    expect(verdicts('inference.llm-d.ai/v1alpha2', 'InferenceObjective')).toEqual([['info', true]]);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'llminferenceservices.inference.llm-d.ai' },
      spec: {
        group: 'inference.llm-d.ai',
        names: { kind: 'LLMInferenceService', plural: 'llminferenceservices' },
        versions: [{ name: 'v1alpha1', served: true }],
      },
    };
    const found = runChecks(
      [
        { manifest: crd },
        { manifest: { apiVersion: 'inference.llm-d.ai/v1alpha1', kind: 'LLMInferenceService', metadata: { name: 'm', namespace: 's' }, spec: {} } },
      ],
      { platform: 'rhoai-3.0' },
    ).filter((x) => x.rule === 'kind-in-unknown-group');
    expect(found).toEqual([]);
  });
});

describe("kind-in-unknown-group: Kubeflow Trainer's kinds under the group of their development, never released there", () => {
  test.each([
    ['kubeflow.org/v2alpha1', 'TrainJob'],
    ['kubeflow.org/v2alpha1', 'ClusterTrainingRuntime'],
    ['kubeflow.org/v1alpha1', 'TrainingRuntime'],
  ])('%s %s: an error naming trainer.kubeflow.org/v1alpha1', (apiVersion, kind) => {
    const found = runChecks([{ manifest: { apiVersion, kind, metadata: { name: 'm', namespace: 'serving' }, spec: {} } }], { platform: 'rhoai-3.4' }).filter(
      (f) => f.rule === 'kind-in-unknown-group',
    );
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toMatch(
      new RegExp(`^kind ${kind} is served in trainer\\.kubeflow\\.org, not in kubeflow\\.org: .*write apiVersion trainer\\.kubeflow\\.org/v1alpha1`),
    );
  });

  test('near misses: the released group, the training operator v1 kinds of kubeflow.org, and a CRD of the input that defines the kind there', () => {
    const job = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: 'm', namespace: 'serving' }, spec: {} } });
    const crd = {
      manifest: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'trainjobs.kubeflow.org' },
        spec: {
          group: 'kubeflow.org',
          names: { kind: 'TrainJob', plural: 'trainjobs' },
          scope: 'Namespaced',
          versions: [{ name: 'v2alpha1', served: true, storage: true }],
        },
      },
    };
    const rule = (objects: Parameters<typeof runChecks>[0]) => runChecks(objects, { platform: 'rhoai-3.4' }).filter((f) => f.rule === 'kind-in-unknown-group');
    expect(rule([job('trainer.kubeflow.org/v1alpha1', 'TrainJob')])).toEqual([]);
    expect(rule([job('kubeflow.org/v1', 'PyTorchJob')])).toEqual([]);
    expect(rule([job('kubeflow.org/v2alpha1', 'TrainJob'), crd])).toEqual([]);
  });
});

describe("kind-in-unknown-group: a kind of one project the platform's operators run, under a group that does not serve it", () => {
  const rule = (objects: Parameters<typeof runChecks>[0]) => runChecks(objects, { platform: 'rhoai-3.0' }).filter((f) => f.rule === 'kind-in-unknown-group');
  const object = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: 'm', namespace: 'serving' }, spec: {} } });

  test('LlamaStackDistribution under llamastack.opendatahub.io: an error naming llamastack.io/v1alpha1 and its operator', () => {
    const found = rule([object('llamastack.opendatahub.io/v1', 'LlamaStackDistribution')]);
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toMatch(/^kind LlamaStackDistribution is served in llamastack\.io \(by the Llama Stack operator/);
    expect(found[0].message).toMatch(/write apiVersion llamastack\.io\/v1alpha1, with that kind's fields$/);
  });

  test.each([
    ['keda.k8s.io/v1alpha1', 'ScaledObject', 'keda.sh/v1alpha1'],
    ['ray.example.com/v1', 'RayService', 'ray.io/v1'],
    ['jobset.k8s.io/v1alpha2', 'JobSet', 'jobset.x-k8s.io/v1alpha2'],
    ['operator.tekton.io/v1alpha1', 'TektonConfig', 'operator.tekton.dev/v1alpha1'],
  ])('%s %s: the project named in the group, an error naming %s', (apiVersion, kind, write) => {
    const found = rule([object(apiVersion, kind)]);
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toContain(`write apiVersion ${write}`);
  });

  test("another project's group: an info that the CRD is not in the tree", () => {
    expect(rule([object('acme.dev/v1', 'LlamaStackDistribution')]).map((f) => [f.severity, f.limitation])).toEqual([['info', true]]);
  });

  test('near misses: the serving group, names several projects use, a CRD of the input defining the kind in the group written', () => {
    expect(rule([object('llamastack.io/v1alpha1', 'LlamaStackDistribution')])).toEqual([]);
    expect(rule([object('postgresql.cnpg.io/v1', 'Cluster')])).toEqual([]);
    expect(rule([object('config.example.io/v1', 'Config')])).toEqual([]);
    expect(rule([object('batch.example.io/v1', 'Workload')])).toEqual([]);
    // Azure Monitor's managed Prometheus serves the Prometheus operator's ServiceMonitor in its own group
    expect(rule([object('azmonitoring.coreos.com/v1', 'ServiceMonitor')])).toEqual([]);
    // the OpenShift NFD operator serves NodeFeatureRule in nfd.openshift.io and upstream NFD's nfd.k8s-sigs.io alike:
    // neither group is read as a misspelling of the other (only its NodeFeatureDiscovery is shipped)
    expect(rule([object('nfd.k8s-sigs.io/v1alpha1', 'NodeFeatureRule')])).toEqual([]);
    expect(rule([object('nfd.openshift.io/v1alpha1', 'NodeFeatureRule')])).toEqual([]);
    const crd = {
      manifest: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'llamastackdistributions.llamastack.opendatahub.io' },
        spec: {
          group: 'llamastack.opendatahub.io',
          names: { kind: 'LlamaStackDistribution', plural: 'llamastackdistributions' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
    };
    expect(rule([object('llamastack.opendatahub.io/v1', 'LlamaStackDistribution'), crd])).toEqual([]);
  });
});
