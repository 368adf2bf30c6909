import { describeAgainstKubectl, KubectlCase } from '../setup/kustomize-build';

/**
 * The paths of `configurations:` field specs as kustomize's fieldspec filter walks them (api/filters/fieldspec,
 * kyaml PathGetter): a '*', a list index or an empty segment met in a mapping, or a scalar with path left to walk,
 * fails the whole build; a path that reaches nothing does not. Each case's tree is built by the reader and by kubectl
 * kustomize: the reader refuses exactly when kubectl does (with the words given), and otherwise reads its objects.
 */

const FEED = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: runtime-$(TAG)
  labels: {release: "$(TAG)"}
spec:
  lookupPolicy: {local: true}
  tags:
    - name: current
      from: {kind: DockerImage, name: "registry.example.com/tools/runtime:$(TAG)"}
`;

const WITH_VARS = `resources: [feed.yaml]
configMapGenerator:
  - {name: settings, literals: [tag=2.4]}
generatorOptions: {disableNameSuffixHash: true}
vars:
  - {name: TAG, objref: {kind: ConfigMap, name: settings, apiVersion: v1}, fieldref: {fieldpath: data.tag}}
configurations: [fields.yaml]
`;

const varTree = (paths: string[], kustomization = WITH_VARS): Record<string, string> => ({
  'feed.yaml': FEED,
  'kustomization.yaml': kustomization,
  'fields.yaml': `varReference:\n${paths.map((p) => `  - {path: "${p}", kind: ImageStream}\n`).join('')}`,
});

const WIDGETS = `apiVersion: v1
kind: ConfigMap
metadata: {name: tuning}
data: {level: "3"}
---
apiVersion: widgets.example.com/v1
kind: Gadget
metadata: {name: g1}
spec:
  tuningRef: tuning
  sources: [{ref: tuning}]
`;

const nameTree = (p: string, prefix: boolean): Record<string, string> => ({
  'all.yaml': WIDGETS,
  'kustomization.yaml': `resources: [all.yaml]\n${prefix ? 'namePrefix: blue-\n' : ''}configurations: [refs.yaml]\n`,
  'refs.yaml': `nameReference:\n  - kind: ConfigMap\n    fieldSpecs:\n      - {path: "${p}", kind: Gadget}\n`,
});

/** [case, files, what the reader says when kubectl refuses (undefined: both build)] */
const CASES: KubectlCase[] = [
  [
    "a varReference '*' under spec",
    varTree(['spec/*']),
    /^varReference field spec 'spec\/\*' \(kind ImageStream\) of configurations file fields.yaml has the segment '\*' where it meets a mapping in ImageStream 'runtime-\$\(TAG\)': kustomize refuses the build \("wildcard is not supported in PathGetter"\).*drop the '\*'/,
  ],
  ["a varReference '*' under the labels", varTree(['metadata/labels/*']), /'metadata\/labels\/\*'.*"wildcard is not supported in PathGetter"/],
  ["a varReference '*' after a list, met in each element", varTree(['spec/tags/*']), /'spec\/tags\/\*'.*"wildcard is not supported in PathGetter"/],
  ["a varReference that is only '*'", varTree(['*']), /field spec '\*'.*"wildcard is not supported in PathGetter"/],
  [
    'a varReference path through a scalar',
    varTree(['metadata/name/suffix']),
    /meets the scalar "runtime-\$\(TAG\)" with 'suffix' still to walk.*"expected sequence or mapping node"/,
  ],
  ['a varReference path ending in a slash', varTree(['spec/tags/from/name/']), /"expected sequence or mapping node"/],
  ['a varReference list index in a mapping', varTree(['spec/0']), /has the list index '0' where it meets a mapping.*"wrong node kind/],
  ['a varReference list item selector', varTree(['spec/tags/[name=current]/from/name']), /has the list index '\[name=current\]'.*"wrong node kind/],
  ['a varReference path with a doubled slash', varTree(['spec//tags']), /has an empty segment.*"cannot set or create an empty field name"/],
  ['near miss: each field named, through the list of tags', varTree(['spec/tags/from/name', 'metadata/name']), undefined],
  ['near miss: a path that ends at the labels mapping', varTree(['metadata/labels']), undefined],
  ['near miss: a leading slash and blanks around a segment, as kustomize trims them', varTree(['/spec/ tags /from/name']), undefined],
  ["near miss: a '*' under a field the object does not have", varTree(['status/*', 'metadata/annotations/*']), undefined],
  [
    "near miss: a '*' spec for a kind the build does not hold",
    { ...varTree([]), 'fields.yaml': 'varReference:\n  - {path: "spec/*", kind: BuildConfig}\n' },
    undefined,
  ],
  [
    "near miss: a '*' spec where no var is declared, so no var is replaced",
    varTree(['spec/*'], 'resources: [feed.yaml]\nconfigurations: [fields.yaml]\n'),
    undefined,
  ],
  [
    "a nameReference '*', nothing renamed",
    nameTree('spec/*', false),
    /^nameReference field spec 'spec\/\*' \(kind Gadget\) of configurations file refs.yaml has the segment '\*' where it meets a mapping in Gadget 'g1'/,
  ],
  ["a nameReference '*' after a list, with a prefix", nameTree('spec/sources/*', true), /'spec\/sources\/\*'.*"wildcard is not supported in PathGetter"/],
  ['a nameReference path through a scalar', nameTree('spec/tuningRef/name', true), /meets the scalar "tuning" with 'name' still to walk/],
  ['near miss: a nameReference through the list, renamed', nameTree('spec/sources/ref', true), undefined],
  ["near miss: a nameReference '*' under a field the Gadget does not have", nameTree('spec/extra/*', true), undefined],
  [
    'a varReference spec without a path',
    { ...varTree([]), 'fields.yaml': 'varReference:\n  - {kind: ImageStream}\n' },
    /field spec '' .*"cannot set or create an empty field name"/,
  ],
  [
    'a field spec with a field kustomize does not know',
    { ...varTree([]), 'fields.yaml': 'varReference:\n  - {paths: spec/tags/from/name, kind: ImageStream}\n' },
    /configurations entry 'fields.yaml' varReference\[0\] has the field 'paths'.*unknown field/,
  ],
  [
    'near miss: field spec keys in another case, as encoding/json matches them',
    { ...varTree([]), 'fields.yaml': 'varReference:\n  - {Path: spec/tags/from/name, KIND: ImageStream}\n' },
    undefined,
  ],
  [
    "a labels entry's fields with '*', created where missing",
    {
      'feed.yaml': FEED,
      'kustomization.yaml':
        'resources: [feed.yaml]\nlabels:\n  - pairs: {team: tools}\n    fields:\n      - {path: "extra/*", kind: ImageStream, create: true}\n',
    },
    /^labels field spec 'extra\/\*' \(kind ImageStream\) of labels\[0\].fields has the segment '\*'/,
  ],
  [
    "near miss: a labels entry's fields with '*' under a missing field, not created",
    {
      'feed.yaml': FEED,
      'kustomization.yaml': 'resources: [feed.yaml]\nlabels:\n  - pairs: {team: tools}\n    fields:\n      - {path: "extra/*", kind: ImageStream}\n',
    },
    undefined,
  ],
];

describeAgainstKubectl('configured field spec paths, against kubectl kustomize', CASES, 'kustomize-walks-');
