import { readManifests } from '../../lib';
import { casesAhead, DEPLOYMENT, expectBuiltAsKubectl, kubectlBuild, writeTree } from '../setup/kustomize-build';

/**
 * Replacements (kustomize's ReplacementTransformer, api/filters/replacement) against kubectl kustomize, in cases
 * shaped like api/krusty/replacementtransformer_test.go and api/filters/replacement/replacement_test.go: the reader
 * builds the objects kubectl builds, and refuses (kustomize-build-fails) exactly when kubectl refuses.
 */

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {role: settings}
data:
  MODEL: mistral-small-24b
  IMAGE: registry.example.com/vllm:0.8.5
  REPLICAS: "3"
  PORT: "8080"
`;
const WEB = DEPLOYMENT(
  'web',
  `containers:
  - name: vllm
    image: registry.example.com/vllm:0.8.4
    args: [--model=placeholder, --port=8000]
    env: [{name: MODEL, value: none}, {name: PORT, value: "1"}]
  - name: vllm-sidecar
    image: registry.example.com/side:1
    env: [{name: MODEL, value: none}]`,
).replace('spec:\n  selector', 'spec:\n  replicas: 1\n  selector');
const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
  labels: {tier: serving}
spec:
  predictor:
    model:
      modelFormat: {name: vLLM}
      storageUri: s3://models/placeholder/
`;
const resources = 'resources: [settings.yaml, web.yaml, isvc.yaml]\n';
const files = (kustomization: string, extra: Record<string, string> = {}) => ({
  'kustomization.yaml': resources + kustomization,
  'settings.yaml': CONFIG,
  'web.yaml': WEB,
  'isvc.yaml': ISVC,
  ...extra,
});
const replacement = (source: string, targets: string) => `replacements:\n  - source: ${source}\n    targets:\n${targets.replace(/^/gm, '      ')}\n`;

/** [case, files, what the reader says when kubectl refuses (undefined: both build)] */
const CASES: [string, Record<string, string>, RegExp | undefined][] = [
  [
    'a ConfigMap value into every container env of that name ([name=MODEL])',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: Deployment}\n  fieldPaths:\n    - spec.template.spec.containers.*.env.[name=MODEL].value',
      ),
    ),
    undefined,
  ],
  [
    'a string into a number field keeps it a number (replicas)',
    files(replacement('{kind: ConfigMap, name: settings, fieldPath: data.REPLICAS}', '- select: {kind: Deployment, name: web}\n  fieldPaths: [spec.replicas]')),
    undefined,
  ],
  [
    'a list item matched by a pattern ([name=vllm] also matches vllm-sidecar)',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.IMAGE}',
        '- select: {kind: Deployment}\n  fieldPaths:\n    - spec.template.spec.containers.[name=vllm].image',
      ),
    ),
    undefined,
  ],
  [
    'the delimiter option on the source and on the target',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.IMAGE, options: {delimiter: ":", index: 1}}',
        '- select: {kind: Deployment}\n  fieldPaths: [spec.template.spec.containers.0.image]\n  options: {delimiter: ":", index: 1}\n- select: {kind: InferenceService}\n  fieldPaths: [spec.predictor.model.storageUri]\n  options: {delimiter: "/", index: 3}',
      ),
    ),
    undefined,
  ],
  [
    'a list index and a delimiter index past the end (appended)',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: Deployment}\n  fieldPaths: [spec.template.spec.containers.0.args.0]\n  options: {delimiter: "=", index: 1}\n- select: {kind: InferenceService}\n  fieldPaths: [metadata.annotations.model]\n  options: {create: true}',
      ),
    ),
    undefined,
  ],
  [
    'create makes missing fields, lists and items',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.PORT}',
        '- select: {kind: InferenceService}\n  fieldPaths:\n    - spec.predictor.model.args.0\n    - spec.predictor.model.env.[name=PORT].value\n  options: {create: true}',
      ),
    ),
    undefined,
  ],
  [
    'select by label, reject by name',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {labelSelector: tier=serving}\n  fieldPaths: [metadata.labels.model]\n  options: {create: true}\n- select: {kind: ConfigMap}\n  reject: [{name: settings}]\n  fieldPaths: [data.MODEL]',
      ),
    ),
    undefined,
  ],
  [
    'sourceValue, and replacements from a file',
    files('replacements:\n  - path: repl.yaml\n', {
      'repl.yaml':
        '- sourceValue: s3://models/mistral-small-24b/\n  targets:\n    - select: {kind: InferenceService, name: llm}\n      fieldPaths: [spec.predictor.model.storageUri]\n',
    }),
    undefined,
  ],
  [
    'the source selected by its name before a prefix',
    files(
      `namePrefix: team-\n${replacement('{kind: ConfigMap, name: settings, fieldPath: metadata.name}', '- select: {kind: InferenceService}\n  fieldPaths: [metadata.annotations.settings]\n  options: {create: true}')}`,
    ),
    undefined,
  ],
  [
    'two halves of an annotation that does not exist yet: delimiter with create, index 0 then index 1 (ns/name)',
    {
      'kustomization.yaml': `namespace: fleet-ops
resources: [cert.yaml, hook.yaml]
replacements:
  - source: {kind: Certificate, group: cert-manager.io, version: v1, name: hook-cert, fieldPath: .metadata.namespace}
    targets:
      - select: {kind: ValidatingWebhookConfiguration}
        fieldPaths: ['.metadata.annotations.[cert-manager.io/inject-ca-from]']
        options: {delimiter: '/', index: 0, create: true}
  - source: {kind: Certificate, group: cert-manager.io, version: v1, name: hook-cert, fieldPath: .metadata.name}
    targets:
      - select: {kind: ValidatingWebhookConfiguration}
        fieldPaths: ['.metadata.annotations.[cert-manager.io/inject-ca-from]']
        options: {delimiter: '/', index: 1, create: true}
`,
      'cert.yaml':
        'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: hook-cert}\nspec: {secretName: hook-tls, dnsNames: [hook.fleet-ops.svc]}\n',
      'hook.yaml':
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: fleet-hook}\nwebhooks:\n  - name: vfleet.example.com\n    admissionReviewVersions: [v1]\n    sideEffects: None\n    clientConfig: {service: {name: fleet-hook, namespace: fleet-ops, path: /validate}}\n',
    },
    undefined,
  ],
  [
    'delimiter with create past the parts of the new field (index 3: appended after the empty part) and before them (index -1)',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: InferenceService}\n  fieldPaths: [metadata.annotations.after]\n  options: {delimiter: "/", index: 3, create: true}\n- select: {kind: InferenceService}\n  fieldPaths: [metadata.annotations.before]\n  options: {delimiter: "/", index: -1, create: true}',
      ),
    ),
    undefined,
  ],
  [
    'delimiter with create on a field that exists: its parts are kept',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.PORT}',
        '- select: {kind: InferenceService}\n  fieldPaths: [metadata.labels.tier]\n  options: {delimiter: "-", index: 1, create: true}',
      ),
    ),
    undefined,
  ],
  [
    'delimiter on a missing target field without create',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: InferenceService}\n  fieldPaths: ["metadata.annotations.[example.com/ref]"]\n  options: {delimiter: "/", index: 0}',
      ),
    ),
    /unable to find field "metadata.annotations.\[example.com\/ref\]"/,
  ],
  [
    'delimiter on a target field that is a mapping',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: InferenceService}\n  fieldPaths: [metadata.labels]\n  options: {delimiter: "/", index: 0, create: true}',
      ),
    ),
    /delimiter option can only be used with scalar/,
  ],
  [
    'delimiter with create of a field for a mapping value',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: metadata.labels}',
        '- select: {kind: InferenceService}\n  fieldPaths: [metadata.annotations.copied]\n  options: {delimiter: "/", index: 0, create: true}',
      ),
    ),
    /delimiter option can only be used with scalar/,
  ],
  [
    'a source that selects nothing',
    files(replacement('{kind: ConfigMap, name: gone, fieldPath: data.MODEL}', '- select: {kind: Deployment}')),
    /selects no object/,
  ],
  [
    'a source that selects two objects',
    files(
      replacement('{version: v1, fieldPath: metadata.name}', '- select: {kind: Deployment}\n  fieldPaths: [metadata.annotations.x]\n  options: {create: true}'),
      {
        'isvc.yaml': `${ISVC}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n`,
      },
    ),
    /selects 3 objects/,
  ],
  [
    'a source field that is missing',
    files(replacement('{kind: ConfigMap, name: settings, fieldPath: data.NOPE}', '- select: {kind: Deployment}')),
    /fieldPath `data.NOPE` is missing/,
  ],
  [
    'a target field that is missing, without create',
    files(
      replacement(
        '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
        '- select: {kind: InferenceService}\n  fieldPaths: [spec.predictor.model.runtime]',
      ),
    ),
    /unable to find field "spec.predictor.model.runtime"/,
  ],
  [
    'a source delimiter index out of bounds',
    files(replacement('{kind: ConfigMap, name: settings, fieldPath: data.MODEL, options: {delimiter: ":", index: 2}}', '- select: {kind: Deployment}')),
    /options.index 2 is out of bounds/,
  ],
  [
    'a replacement without targets',
    files('replacements:\n  - source: {kind: ConfigMap, name: settings}\n'),
    /must specify a source .* and at least one target/,
  ],
  [
    "a component's replacement reading a ConfigMap its parent generates: the generators run before the components",
    files('configMapGenerator:\n  - name: generated\n    literals: [MODEL=from-generator]\ncomponents: [model]\n', {
      'model/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' +
        replacement(
          '{kind: ConfigMap, name: generated, fieldPath: data.MODEL}',
          '- select: {kind: Deployment}\n  fieldPaths:\n    - spec.template.spec.containers.*.env.[name=MODEL].value',
        ),
    }),
    undefined,
  ],
  [
    "a component's replacement reading a ConfigMap that a later component generates: not there yet",
    files('components: [model, generating]\n', {
      'model/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' +
        replacement('{kind: ConfigMap, name: generated, fieldPath: data.MODEL}', '- select: {kind: Deployment}\n  fieldPaths: [metadata.annotations.model]'),
      'generating/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n  - name: generated\n    literals: [MODEL=late]\n',
    }),
    /nothing selected by/,
  ],
];

describe('replacements, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, tree]) => writeTree(tree, 'kustomize-replacements-'));
  test.each(CASES)('%s', (name, _tree, says) => expectBuiltAsKubectl(ahead(name), says));
});

describe('a replacement after a step the reader does not follow', () => {
  test('is a warning, not a build failure, when the field it needs comes from that step (kubectl builds it)', () => {
    // the patch adds the annotation the replacement writes into, but it names its target by a pattern, which the reader
    // does not resolve: the reader cannot see the annotation, and must not say kustomize refuses the build
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    example.com/model: from-patch
`;
    const tree = files(
      'patches:\n  - path: patch.yaml\n    target: {kind: Deployment, name: "w.*"}\n' +
        replacement(
          '{kind: ConfigMap, name: settings, fieldPath: data.MODEL}',
          '- select: {kind: Deployment}\n  fieldPaths: ["metadata.annotations.[example.com/model]"]',
        ),
      { 'patch.yaml': patch },
    );
    const dir = writeTree(tree, 'kustomize-replacements-');
    const built = kubectlBuild(dir);
    expect('error' in built ? built.error : '').toBe('');
    const { errors } = readManifests([dir]);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(errors).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/unable to find field .*kustomize may build it/) }),
    );
  });
});
