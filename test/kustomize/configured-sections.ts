import { describeAgainstKubectl, KubectlCase } from '../setup/kustomize-build';

/**
 * The sections of a `configurations:` file besides nameReference and varReference (namespace, namePrefix, nameSuffix,
 * commonLabels, templateLabels, commonAnnotations, replicas, images), applied as kustomize's transformers apply them:
 * their field specs join the built-in ones, a spec with create makes the field it lacks where the transformer
 * creates (not the image transformer), and a walk kustomize refuses fails the build, in every section. Each case is
 * built by the reader and by kubectl kustomize: the same objects, or the same refusal.
 */

const OBJECTS = `apiVersion: rollout.example.com/v1
kind: Canary
metadata: {name: web}
spec:
  targetRef: web
  runnerImage: busybox:1.36
  steps:
    - {image: busybox:1.36, weight: 10}
    - {image: alpine:3.19, weight: 50}
  podTemplate: {annotations: {keep: "yes"}}
  size: 1
  homeNamespace: somewhere
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: busybox:1.36}]}
---
apiVersion: rollout.example.com/v1
kind: Gate
metadata: {name: shared}
spec: {scope: cluster}
`;

const tree = (kustomization: string, config: string): Record<string, string> => ({
  'objects.yaml': OBJECTS,
  'kustomization.yaml': `resources: [objects.yaml]\nconfigurations: [sections.yaml]\n${kustomization}`,
  'sections.yaml': config,
});

/** [case, files, what the reader says when kubectl refuses (undefined: both build the same objects)] */
const CASES: KubectlCase[] = [
  [
    'commonLabels and commonAnnotations into a custom pod template, created where missing',
    tree(
      'commonLabels: {team: search}\ncommonAnnotations: {owner: platform}\n',
      'commonLabels:\n  - {path: spec/podTemplate/labels, kind: Canary, create: true}\n  - {path: spec/absent/labels, kind: Canary}\ncommonAnnotations:\n  - {path: spec/podTemplate/annotations, kind: Canary}\n',
    ),
    undefined,
  ],
  [
    'images through a list of steps, and a field the image transformer does not create',
    tree(
      'images: [{name: busybox, newName: registry.example.com/busybox, newTag: "1.37"}]\n',
      'images:\n  - {path: spec/steps/image, kind: Canary}\n  - {path: spec/runnerImage, kind: Canary}\n  - {path: spec/missingImage, kind: Canary, create: true}\n',
    ),
    undefined,
  ],
  [
    'namespace into a custom field, created, and on a cluster-wide kind too',
    tree(
      'namespace: shop\n',
      'namespace:\n  - {path: spec/homeNamespace, kind: Canary}\n  - {path: spec/newNamespace, kind: Canary, create: true}\n  - {path: spec/scope, kind: Gate}\n',
    ),
    undefined,
  ],
  [
    'replicas into a custom kind, by name, and created',
    tree('replicas: [{name: web, count: 4}]\n', 'replicas:\n  - {path: spec/size, kind: Canary}\n  - {path: spec/extraSize, kind: Canary, create: true}\n'),
    undefined,
  ],
  [
    'a replicas entry that names only an object of the configured kind',
    tree('replicas: [{name: shared, count: 2}]\n', 'replicas:\n  - {path: spec/size, kind: Gate, create: true}\n'),
    undefined,
  ],
  [
    'namePrefix and nameSuffix with create, a missing field made of the affix alone',
    tree(
      'namePrefix: blue-\nnameSuffix: -v2\n',
      'namePrefix:\n  - {path: spec/targetRef, kind: Canary}\n  - {path: spec/aliasRef, kind: Canary, create: true}\nnameSuffix:\n  - {path: spec/targetRef, kind: Canary}\n',
    ),
    undefined,
  ],
  [
    'templateLabels for a labels entry with includeTemplates, commonLabels for one with includeSelectors',
    tree(
      'labels:\n  - pairs: {tier: front}\n    includeTemplates: true\n  - pairs: {zone: a}\n    includeSelectors: true\n  - pairs: {plain: x}\n',
      'templateLabels:\n  - {path: spec/podTemplate/labels, kind: Canary, create: true}\ncommonLabels:\n  - {path: spec/selectorLabels, kind: Canary, create: true}\n',
    ),
    undefined,
  ],
  [
    "a labels entry's own fields, created",
    {
      'objects.yaml': OBJECTS,
      'kustomization.yaml':
        'resources: [objects.yaml]\nlabels:\n  - pairs: {team: search}\n    fields:\n      - {path: spec/podTemplate/labels, kind: Canary, create: true}\n',
    },
    undefined,
  ],
  [
    'near miss: sections whose transformers the kustomization does not use walk nothing',
    tree('', 'commonLabels:\n  - {path: spec/*, kind: Canary}\nimages:\n  - {path: spec/podTemplate, kind: Canary}\nnamespace:\n  - {path: spec//x}\n'),
    undefined,
  ],
  [
    "a commonAnnotations '*'",
    tree('commonAnnotations: {owner: platform}\n', 'commonAnnotations:\n  - {path: spec/*, kind: Canary}\n'),
    /^commonAnnotations field spec 'spec\/\*' \(kind Canary\) of configurations file sections.yaml has the segment '\*' where it meets a mapping in Canary 'web'.*"wildcard is not supported in PathGetter"/,
  ],
  [
    'a commonLabels spec that ends at a string',
    tree('commonLabels: {team: search}\n', 'commonLabels:\n  - {path: spec/targetRef, kind: Canary}\n'),
    /^commonLabels field spec 'spec\/targetRef' .*reaches a scalar at 'spec\/targetRef'.*"wrong node kind: expected MappingNode but got ScalarNode"/,
  ],
  [
    'an images spec that ends at a mapping',
    tree('images: [{name: busybox, newTag: "1.37"}]\n', 'images:\n  - {path: spec/podTemplate, kind: Canary}\n'),
    /^images field spec 'spec\/podTemplate' .*reaches a mapping.*"wrong node kind: expected ScalarNode but got MappingNode"/,
  ],
  [
    'a namespace spec that ends at a list',
    tree('namespace: shop\n', 'namespace:\n  - {path: spec/steps, kind: Canary}\n'),
    /^namespace field spec 'spec\/steps' .*reaches a list.*"wrong node kind: expected ScalarNode but got SequenceNode"/,
  ],
  [
    'a replicas spec with a list index',
    tree('replicas: [{name: web, count: 4}]\n', 'replicas:\n  - {path: spec/steps/0/weight, kind: Canary}\n'),
    /^replicas field spec 'spec\/steps\/0\/weight' .*has the list index '0'.*"wrong node kind: expected SequenceNode but got MappingNode"/,
  ],
  [
    'a nameSuffix spec through a string',
    tree('nameSuffix: -v2\n', 'nameSuffix:\n  - {path: spec/targetRef/name, kind: Canary}\n'),
    /^nameSuffix field spec 'spec\/targetRef\/name' .*meets the scalar "web" with 'name' still to walk.*"expected sequence or mapping node"/,
  ],
  [
    'a templateLabels spec with an empty segment, created',
    tree('labels:\n  - pairs: {tier: front}\n    includeTemplates: true\n', 'templateLabels:\n  - {path: spec//labels, kind: Canary, create: true}\n'),
    /^templateLabels field spec 'spec\/\/labels' .*has an empty segment.*"cannot set or create an empty field name"/,
  ],
  [
    "near miss: an images '*' under a field the objects lack, not created",
    tree('images: [{name: busybox, newTag: "1.37"}]\n', 'images:\n  - {path: spec/extra/*, kind: Canary, create: true}\n'),
    undefined,
  ],
];

describeAgainstKubectl('configured transformer sections, against kubectl kustomize', CASES, 'kustomize-sections-');
