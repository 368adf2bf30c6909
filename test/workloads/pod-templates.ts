import { runChecks } from '../../lib';
import { componentContainers, componentTemplatesOf, podTemplatesOf } from '../../lib/check/pod-templates';

/** The pod templates of the kinds that run several kinds of pods, at the paths their APIs define. */
describe('podTemplatesOf', () => {
  const pod = (image: string) => ({ metadata: { labels: { image } }, spec: { containers: [{ name: 'c', image }] } });

  test("an AIBrix StormService's roles are under spec.template.spec.roles (aibrix api/orchestration/v1alpha1 StormServiceSpec.Template, RoleSpec.Template)", () => {
    const storm = {
      kind: 'StormService',
      spec: { template: { spec: { roles: [{ name: 'prefill', template: pod('p') }, { name: 'decode', template: pod('d') }, { name: 'router' }] } } },
    };
    expect(podTemplatesOf(storm).map((t) => [t.path, t.template.metadata.labels.image])).toEqual([
      ['spec.template.spec.roles[0].template', 'p'],
      ['spec.template.spec.roles[1].template', 'd'],
    ]);
  });

  test('a RoleSet keeps its roles under spec.roles; a StormService written like one has no pods there', () => {
    const roles = { roles: [{ name: 'worker', template: pod('w') }] };
    expect(podTemplatesOf({ kind: 'RoleSet', spec: roles }).map((t) => t.path)).toEqual(['spec.roles[0].template']);
    expect(podTemplatesOf({ kind: 'StormService', spec: roles })).toEqual([]);
  });
});

/** An InferenceService whose transformer runs the containers given, its predictor a plain sklearn model. */
const withTransformer = (containers: Record<string, unknown>[], explainer?: Record<string, unknown>[]) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'reviews', namespace: 'ai' },
  spec: {
    predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://acme-models/reviews/v3' } },
    transformer: { containers },
    ...(explainer ? { explainer: { containers: explainer } } : {}),
  },
});

/** The findings of the rules that read containers' images and references, as [rule, severity, message head]. */
const componentFindings = (docs: Record<string, unknown>[]) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    {
      platform: 'kserve',
      rules: [
        'image-not-pinned',
        'image-repository-misspelt',
        'unrendered-placeholder',
        'secret-not-in-tree',
        'referenced-key-missing',
        'memory-quantity-too-small',
      ],
    },
  ).map((f) => [f.rule, f.severity, f.message.split(/[:,]/)[0]]);

describe("an InferenceService's transformer and explainer run pods of their own, whose containers the container rules read", () => {
  test('componentTemplatesOf: the transformer and the explainer, their pod fields inline; none for other kinds', () => {
    const isvc = withTransformer([{ name: 'kserve-container', image: 'a' }], [{ name: 'kserve-container', image: 'b' }]);
    expect(componentTemplatesOf(isvc).map((t) => t.path)).toEqual(['spec.transformer', 'spec.explainer']);
    expect(componentContainers(isvc).map((c) => c.where)).toEqual([
      "spec.transformer container 'kserve-container'",
      "spec.explainer container 'kserve-container'",
    ]);
    expect(componentTemplatesOf({ kind: 'Deployment', spec: { transformer: { containers: [] } } })).toEqual([]);
  });

  test('a misspelt, a moving and a placeholder image of the transformer, an env from a Secret that does not exist and a memory limit of bytes: each said, naming the transformer', () => {
    const isvc = withTransformer([
      {
        name: 'kserve-container',
        image: 'vllm/vllm-openaia:v0.10.1',
        env: [{ name: 'LOOKUP_TOKEN', valueFrom: { secretKeyRef: { name: 'tokenizer-lookup', key: 'token' } } }],
        resources: { limits: { memory: '512' } },
      },
      { name: 'tokenize', image: 'quay.io/acme/tokenizer:latest' },
      { name: 'enrich', image: '${ENRICH_IMAGE}' },
    ]);
    expect(componentFindings([isvc]).sort()).toEqual(
      [
        ['image-not-pinned', 'info', "spec.transformer container 'kserve-container' uses vllm/vllm-openaia"],
        ['image-not-pinned', 'warning', "spec.transformer container 'tokenize' uses quay.io/acme/tokenizer"],
        ['image-repository-misspelt', 'error', "spec.transformer container 'kserve-container' image 'vllm/vllm-openaia"],
        [
          'memory-quantity-too-small',
          'error',
          'spec.transformer container \'kserve-container\' resources.limits.memory "512" is 512 bytes (a quantity without a suffix counts bytes)',
        ],
        ['secret-not-in-tree', 'warning', "references Secret tokenizer-lookup in 'ai'"],
        ['unrendered-placeholder', 'error', "spec.transformer container 'enrich' image holds '${ENRICH_IMAGE}'"],
      ].sort(),
    );
  });

  test("a transformer's misspelt GPU resource is said on the transformer; its well-spelt one is not", () => {
    const asking = (resource: string) =>
      runChecks(
        [{ manifest: withTransformer([{ name: 'kserve-container', image: 'quay.io/acme/tokenizer:1.0', resources: { limits: { [resource]: 1 } } }]) }],
        {
          platform: 'kserve',
          rules: ['accelerator-resource-unknown'],
        },
      ).map((f) => [f.severity, f.message.split(',')[0]]);
    expect(asking('nvidia.com/gpus')).toEqual([['error', "spec.transformer container 'kserve-container' requests nvidia.com/gpus"]]);
    expect(asking('nvidia.com/gpu')).toEqual([]);
  });

  test("near miss: the explainer's pinned image, its Secret in the tree with the key it reads", () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'explain-token', namespace: 'ai' }, stringData: { token: 'x' } };
    const isvc = withTransformer(
      [],
      [
        {
          name: 'kserve-container',
          image: `quay.io/acme/explainer@sha256:${'a'.repeat(64)}`,
          env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'explain-token', key: 'token' } } }],
        },
      ],
    );
    expect(componentFindings([isvc, secret])).toEqual([]);
    // the key it reads is not the Secret's: said on the explainer's container
    const other = withTransformer(
      [],
      [
        {
          name: 'kserve-container',
          image: 'quay.io/acme/explainer:1.0',
          env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'explain-token', key: 'api-key' } } }],
        },
      ],
    );
    expect(componentFindings([other, secret]).filter(([rule]) => rule === 'referenced-key-missing')).toEqual([
      ['referenced-key-missing', 'error', "spec.explainer container 'kserve-container' env T reads key 'api-key' of Secret explain-token in 'ai'"],
    ]);
  });
});
