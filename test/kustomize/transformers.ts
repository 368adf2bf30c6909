import { readManifests } from '../../lib';
import { casesAhead, DEPLOYMENT, expectBuiltAsKubectl, kubectlBuild, writeTree } from '../setup/kustomize-build';

/**
 * Builtin transformer configs listed under `transformers:` (apiVersion builtin; kusttarget.go runTransformers runs them
 * after the kustomization's own transformers), against kubectl kustomize, in cases shaped like
 * api/krusty/namespaces_test.go, api/krusty/*transformer*_test.go and plugin/builtin/namespacetransformer tests: the
 * reader builds the objects kubectl builds, and refuses (kustomize-build-fails) exactly when kubectl refuses.
 */

const WEB = DEPLOYMENT('web', 'containers:\n- name: vllm\n  image: registry.example.com/vllm:0.8.5');
const OBJECTS = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: elsewhere
data: {MODEL: small}
---
apiVersion: v1
kind: Namespace
metadata:
  name: models
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
subjects:
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: runner, namespace: other}
- {kind: User, name: someone}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
---
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: vllm
spec:
  containers: [{name: kserve-container, image: registry.example.com/vllm:0.8.5}]
`;
const files = (kustomization: string, extra: Record<string, string> = {}) => ({
  'kustomization.yaml': `resources: [objects.yaml, web.yaml]\n${kustomization}`,
  'objects.yaml': OBJECTS,
  'web.yaml': WEB,
  ...extra,
});
const config = (kind: string, body: string) => `apiVersion: builtin\nkind: ${kind}\nmetadata:\n  name: t\n${body}`;
const namespaceConfig = (body = '') => config('NamespaceTransformer', `  namespace: serving\n${body}`);
const listed = (file: string) => `transformers: [${file}]\n`;

/** [case, files, what the reader says when kubectl refuses (undefined: both build)] */
const CASES: [string, Record<string, string>, RegExp | undefined][] = [
  [
    'a namespace config with unsetOnly fills the namespaces left empty, keeping the ones the files give',
    files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig('unsetOnly: true\n') }),
    undefined,
  ],
  [
    'a namespace config without unsetOnly moves every namespaced object; without fieldSpecs the Namespace keeps its name',
    files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig() }),
    undefined,
  ],
  [
    'a namespace config with fieldSpecs renames the Namespace too',
    files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig('fieldSpecs:\n- {path: metadata/name, kind: Namespace, create: true}\n') }),
    undefined,
  ],
  [
    'a namespace config setting the namespace of every service account subject',
    files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig('setRoleBindingSubjects: allServiceAccounts\n') }),
    undefined,
  ],
  ['a namespace config leaving subjects alone', files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig('setRoleBindingSubjects: none\n') }), undefined],
  [
    'a namespace config after the kustomization namespace: with unsetOnly the kustomization namespace stays',
    files(`namespace: first\n${listed('ns.yaml')}`, { 'ns.yaml': namespaceConfig('unsetOnly: true\n') }),
    undefined,
  ],
  [
    'a namespace config after the kustomization namespace: without unsetOnly it wins',
    files(`namespace: first\n${listed('ns.yaml')}`, { 'ns.yaml': namespaceConfig() }),
    undefined,
  ],
  [
    'an inline config runs before the files listed, whatever the order of the entries',
    files(`transformers:\n- ns.yaml\n- |\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata: {name: i, namespace: inline}\n`, {
      'ns.yaml': namespaceConfig(),
    }),
    undefined,
  ],
  [
    'a namespace config with a fieldSpec into a list (the images of containers) and a missing field not created',
    files(listed('ns.yaml'), {
      'ns.yaml': namespaceConfig(
        'fieldSpecs:\n- {path: "spec/containers[]/namespace", kind: ServingRuntime}\n- {path: spec/extra/namespace, kind: ServingRuntime}\n',
      ),
    }),
    undefined,
  ],
  [
    'a label config reaches only the fieldSpecs it lists, creating where asked',
    files(listed('labels.yaml'), {
      'labels.yaml': config(
        'LabelTransformer',
        'labels: {team: serving}\nfieldSpecs:\n- {path: metadata/labels, create: true}\n- {path: spec/template/metadata/labels, kind: Deployment, create: true}\n- {path: spec/selector/matchLabels, kind: Deployment}\n',
      ),
    }),
    undefined,
  ],
  [
    'a label config without fieldSpecs changes nothing',
    files(listed('labels.yaml'), { 'labels.yaml': config('LabelTransformer', 'labels: {team: serving}\n') }),
    undefined,
  ],
  [
    'an annotations config after commonAnnotations of other keys: it reaches only its fieldSpecs',
    files(`commonAnnotations: {owner: first}\n${listed('notes.yaml')}`, {
      'notes.yaml': config('AnnotationsTransformer', 'annotations: {note: x}\nfieldSpecs:\n- {path: metadata/annotations, create: true}\n'),
    }),
    undefined,
  ],
  [
    'a label config with no fieldSpecs matching a kind of the build',
    files(listed('labels.yaml'), {
      'labels.yaml': config('LabelTransformer', 'labels: {team: serving}\nfieldSpecs: [{path: metadata/labels, kind: Job, create: true}]\n'),
    }),
    undefined,
  ],
  [
    'a patch config with an inline patch and a target',
    files(listed('patch.yaml'), {
      'patch.yaml': config('PatchTransformer', 'target: {kind: Deployment, name: web}\npatch: |\n  - {op: add, path: /spec/replicas, value: 2}\n'),
    }),
    undefined,
  ],
  [
    'two configs in one file run in order',
    files(listed('both.yaml'), {
      'both.yaml': `${namespaceConfig('unsetOnly: true\n')}---\n${config('LabelTransformer', 'labels: {team: a}\nfieldSpecs: [{path: metadata/labels, create: true}]\n')}`,
    }),
    undefined,
  ],
  [
    'a strategic-merge patch config with an inline patch',
    files(listed('smp.yaml'), {
      'smp.yaml': config(
        'PatchStrategicMergeTransformer',
        'patches: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec: {replicas: 3}\n',
      ),
    }),
    undefined,
  ],
  [
    'a strategic-merge patch config naming a patch file, run after the kustomization namespace',
    files(`namespace: first\n${listed('smp.yaml')}`, {
      'smp.yaml': config('PatchStrategicMergeTransformer', 'paths: [more.yaml]\n'),
      'more.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: first}\ndata: {EXTRA: "1"}\n',
    }),
    undefined,
  ],
  [
    'a JSON 6902 patch config with jsonOp',
    files(listed('json.yaml'), {
      'json.yaml': config(
        'PatchJson6902Transformer',
        'target: {group: apps, version: v1, kind: Deployment, name: web}\njsonOp: \'[{"op": "add", "path": "/spec/paused", "value": true}]\'\n',
      ),
    }),
    undefined,
  ],
  [
    'a JSON 6902 patch config naming a file',
    files(listed('json.yaml'), {
      'json.yaml': config('PatchJson6902Transformer', 'target: {kind: ConfigMap, name: settings}\npath: ops.yaml\n'),
      'ops.yaml': '- {op: replace, path: /data/MODEL, value: large}\n',
    }),
    undefined,
  ],
  [
    'an image config without fieldSpecs sets the image of every container list',
    files(listed('images.yaml'), {
      'images.yaml': config('ImageTagTransformer', 'imageTag: {name: registry.example.com/vllm, newName: mirror.example.com/vllm, newTag: "0.9.0"}\n'),
    }),
    undefined,
  ],
  [
    'a JSON 6902 patch config without a target name',
    files(listed('json.yaml'), { 'json.yaml': config('PatchJson6902Transformer', 'target: {kind: ConfigMap}\njsonOp: "[]"\n') }),
    /target name/,
  ],
  [
    'a replica config by a name the kustomization prefix changed, creating the field',
    files(`namePrefix: p-\n${listed('replicas.yaml')}`, {
      'replicas.yaml': config(
        'ReplicaCountTransformer',
        'replica: {name: web, count: 4}\nfieldSpecs: [{path: spec/replicas, kind: Deployment, create: true}]\n',
      ),
    }),
    undefined,
  ],
  [
    'a replica config whose fieldSpecs match no object of that name',
    files(listed('replicas.yaml'), {
      'replicas.yaml': config('ReplicaCountTransformer', 'replica: {name: web, count: 4}\nfieldSpecs: [{path: spec/replicas, kind: StatefulSet}]\n'),
    }),
    /does not match a config/,
  ],
  ['a builtin kind kustomize does not have', files(listed('t.yaml'), { 't.yaml': config('FooTransformer', '') }), /unable to load builtin/],
  ['a builtin generator listed as a transformer', files(listed('t.yaml'), { 't.yaml': config('ConfigMapGenerator', '') }), /not a transformer/],
  [
    'a namespace config with an unknown subjects mode',
    files(listed('ns.yaml'), { 'ns.yaml': namespaceConfig('setRoleBindingSubjects: some\n') }),
    /setRoleBindingSubjects/,
  ],
];

describe('builtin transformer configs, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, tree]) => writeTree(tree, 'kustomize-transformers-'));
  test.each(CASES)('%s', (name, _tree, says) => expectBuiltAsKubectl(ahead(name), says));
});

describe('a transformer config the reader does not carry', () => {
  test('an annotation config resetting a key commonAnnotations set: kubectl rewrites it beyond the config fieldSpecs', () => {
    const dir = writeTree(
      files(`commonAnnotations: {owner: first}\n${listed('notes.yaml')}`, {
        'notes.yaml': config('AnnotationsTransformer', 'annotations: {owner: second}\nfieldSpecs:\n- {path: metadata/annotations, create: true}\n'),
      }),
      'kustomize-transformers-',
    );
    const built = kubectlBuild(dir);
    // the pod template, which the config does not reach, takes the new value too
    expect(JSON.stringify(built)).toMatch(/"template":\{"metadata":\{"annotations":\{"owner":"second"/);
    const { errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/setting 'owner', which the objects already hold/) }),
    ]);
  });

  test('keeps the warning, and kubectl builds it', () => {
    const dir = writeTree(
      files(listed('images.yaml'), {
        'images.yaml': config(
          'ImageTagTransformer',
          'imageTag: {name: registry.example.com/vllm, newTag: "0.9.0"}\nfieldSpecs: [{path: spec/image, kind: Model}]\n',
        ),
      }),
      'kustomize-transformers-',
    );
    expect('error' in kubectlBuild(dir)).toBe(false);
    const { errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/'images.yaml' is a ImageTagTransformer with fieldSpecs, which check does not apply/),
      }),
    ]);
  });
});
