import { readManifests } from '../../lib';
import { expand } from '../../lib/manifests/vars';
import { casesAhead, sorted, writeTree } from '../setup/kustomize-build';

/**
 * A kustomization's `vars:` as kubectl kustomize (v5) resolves them: each case's tree is built by the reader and by
 * kubectl; the reader refuses exactly when kubectl does, and otherwise reads kubectl's objects.
 */

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      annotations: {example.com/service: "$(SVC)"}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:$(PORT)
          command: [serve, "--svc=$(SVC)", "$$(SVC)"]
          args: ["$(PORT)", "x$(PORT)", "$(NOPE)", "$(SVC"]
          env:
            - {name: URL, value: "http://$(SVC):$(PORT)"}
            - {name: P, value: "$(PORT)"}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  ports: [{port: 8000}]
`;

const VARS = `vars:
  - name: SVC
    objref: {kind: Service, name: svc, apiVersion: v1}
  - name: PORT
    objref: {kind: Service, name: svc, apiVersion: v1}
    fieldref:
      fieldpath: spec.ports[0].port
`;

const BASE = { 'base/d.yaml': DEPLOYMENT, 'base/s.yaml': SERVICE, 'base/kustomization.yaml': `resources: [d.yaml, s.yaml]\n${VARS}` };

/** [case, files of the tree (its root is the folder holding kustomization.yaml), whether kubectl refuses] */
const CASES: [string, Record<string, string>, boolean][] = [
  ['vars of a base, resolved after the overlay renamed the Service', { ...BASE, 'kustomization.yaml': 'resources: [base]\nnamePrefix: p-\n' }, false],
  ['vars of the root itself', { ...BASE, 'kustomization.yaml': `resources: [base/d.yaml, base/s.yaml]\n${VARS}` }, false],
  [
    'an objref without apiVersion names no object (kustomize compares the version too)',
    { ...BASE, 'kustomization.yaml': 'resources: [base/d.yaml, base/s.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc}\n' },
    true,
  ],
  [
    'an objref naming an object not in the build',
    {
      ...BASE,
      'kustomization.yaml': 'resources: [base/d.yaml, base/s.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: other, apiVersion: v1}\n',
    },
    true,
  ],
  [
    'a fieldpath the object does not have',
    {
      ...BASE,
      'kustomization.yaml':
        'resources: [base/d.yaml, base/s.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n    fieldref: {fieldpath: spec.clusterIP}\n',
    },
    true,
  ],
  [
    'the same var twice in one kustomization',
    { ...BASE, 'kustomization.yaml': `resources: [base/d.yaml, base/s.yaml]\n${VARS}  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n` },
    true,
  ],
  [
    'a var the overlay declares again over its base',
    { ...BASE, 'kustomization.yaml': 'resources: [base]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n' },
    true,
  ],
  [
    'two sibling bases declaring the same var alike (kustomize refuses the second all the same)',
    {
      ...BASE,
      'other/kustomization.yaml': 'resources: [cm.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n',
      'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {svc: "$(SVC)"}\n',
      'kustomization.yaml': 'resources: [base, other]\n',
    },
    true,
  ],
  [
    'two sibling bases declaring one var name differently',
    {
      ...BASE,
      'other/kustomization.yaml': 'resources: [cm.yaml]\nvars:\n  - name: SVC\n    objref: {kind: ConfigMap, name: cm, apiVersion: v1}\n',
      'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n',
      'kustomization.yaml': 'resources: [base, other]\n',
    },
    true,
  ],
  [
    'a generated ConfigMap: the var takes its name with the content hash',
    {
      'd.yaml': DEPLOYMENT,
      'kustomization.yaml':
        'resources: [d.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [a=1]\nvars:\n  - name: SVC\n    objref: {kind: ConfigMap, name: settings, apiVersion: v1}\n  - name: PORT\n    objref: {kind: ConfigMap, name: settings, apiVersion: v1}\n    fieldref: {fieldpath: data.a}\n',
    },
    false,
  ],
  [
    'configurations add a varReference for a custom resource field',
    {
      's.yaml': SERVICE,
      'isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: llm}\nspec:\n  predictor:\n    model: {storageUri: "s3://bucket/$(SVC)/model", runtime: "$(SVC)"}\n',
      'vars.yaml': 'varReference:\n  - path: spec/predictor/model/storageUri\n    kind: InferenceService\n',
      'kustomization.yaml':
        'resources: [s.yaml, isvc.yaml]\nconfigurations: [vars.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n',
    },
    false,
  ],
  [
    'an Ingress host and labels',
    {
      's.yaml': SERVICE,
      'i.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  labels: {svc: "$(SVC)"}\nspec:\n  rules:\n    - host: "$(SVC).example.com"\n  tls:\n    - hosts: ["$(SVC).example.com"]\n      secretName: "$(SVC)-tls"\n',
      'kustomization.yaml':
        'resources: [s.yaml, i.yaml]\nnamespace: team\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n    fieldref: {fieldpath: metadata.namespace}\n',
    },
    false,
  ],
  [
    'a list in a varReference field holding a number',
    {
      ...BASE,
      'base/d.yaml': DEPLOYMENT.replace('args: ["$(PORT)", ', 'args: [1, "$(PORT)", '),
      'kustomization.yaml': 'resources: [base]\n',
    },
    true,
  ],
  [
    'an objref without namespace naming objects in two namespaces',
    {
      'a/kustomization.yaml': 'resources: [s.yaml]\nnamespace: a\n',
      'b/kustomization.yaml': 'resources: [s.yaml]\nnamespace: b\n',
      'a/s.yaml': SERVICE,
      'b/s.yaml': SERVICE,
      'kustomization.yaml': 'resources: [a, b]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1}\n',
    },
    true,
  ],
  [
    'an objref with a namespace picks one of them',
    {
      'a/kustomization.yaml': 'resources: [s.yaml, d.yaml]\nnamespace: a\n',
      'b/kustomization.yaml': 'resources: [s.yaml]\nnamespace: b\n',
      'a/s.yaml': SERVICE,
      'a/d.yaml': DEPLOYMENT,
      'b/s.yaml': SERVICE,
      'kustomization.yaml':
        'resources: [a, b]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc, apiVersion: v1, namespace: b}\n    fieldref: {fieldpath: metadata.namespace}\n',
    },
    false,
  ],
  [
    'a configurations file adds field specs whose list fields are marked with [] (a container image, a list of users)',
    {
      'base/kustomization.yaml': 'resources: [op.yaml, scc.yaml]\n',
      'base/op.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: op}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: op, image: "$(IMAGE)"}\n        - {name: side, image: "side:$(NS)"}\n',
      'base/scc.yaml':
        'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: op}\nusers: ["system:serviceaccount:$(NS):op"]\n',
      'params.env': 'image=quay.io/example/op:v1\nns=ops\n',
      'params.yaml':
        'varReference:\n  - path: spec/template/spec/containers[]/image\n    kind: Deployment\n  - path: users[]\n    kind: SecurityContextConstraints\n',
      'kustomization.yaml':
        'resources: [base]\nconfigMapGenerator:\n  - {name: params, envs: [params.env]}\nconfigurations: [params.yaml]\nvars:\n' +
        '  - {name: IMAGE, objref: {kind: ConfigMap, name: params, apiVersion: v1}, fieldref: {fieldpath: data.image}}\n' +
        '  - {name: NS, objref: {kind: ConfigMap, name: params, apiVersion: v1}, fieldref: {fieldpath: data.ns}}\n',
    },
    false,
  ],
  [
    'near miss: a varReference of another kind leaves the image as written',
    {
      'op.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: op}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: op, image: "$(IMAGE)"}\n',
      'params.yaml': 'varReference:\n  - path: spec/template/spec/containers[]/image\n    kind: StatefulSet\n',
      'kustomization.yaml':
        'resources: [op.yaml]\nconfigMapGenerator:\n  - {name: params, literals: [image=quay.io/example/op:v1]}\nconfigurations: [params.yaml]\nvars:\n' +
        '  - {name: IMAGE, objref: {kind: ConfigMap, name: params, apiVersion: v1}, fieldref: {fieldpath: data.image}}\n',
    },
    false,
  ],
];

const write = (files: Record<string, string>): string => writeTree(files, 'kustomize-vars-');

describe('vars, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, files]) => write(files));
  test.each(CASES)('%s', async (name, _files, refuses) => {
    const { dir, built: building } = ahead(name);
    const { manifests, errors } = readManifests([dir]);
    const built = await building;
    expect('error' in built).toBe(refuses);
    expect(errors.filter((e) => e.severity === 'warning')).toEqual([]);
    const refusals = errors.filter((e) => e.severity === 'error');
    if ('error' in built) {
      expect(refusals).not.toEqual([]);
      return;
    }
    expect(refusals).toEqual([]);
    expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(built.objects));
  });

  test('what the reader builds, written by hand: names after the prefix, the port a number where it is the whole value', () => {
    const dir = write({ ...BASE, 'kustomization.yaml': 'resources: [base]\nnamePrefix: p-\n' });
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    const c = (manifests.find((m) => (m.manifest as any).kind === 'Deployment')!.manifest as any).spec.template.spec.containers[0];
    expect(c.args).toEqual([8000, 'x8000', '$(NOPE)', '$(SVC']);
    expect(c.command).toEqual(['serve', '--svc=p-svc', '$(SVC)']);
    expect(c.env).toEqual([
      { name: 'URL', value: 'http://p-svc:8000' },
      { name: 'P', value: 8000 },
    ]);
    // the image is no varReference field
    expect(c.image).toBe('registry.example.com/web:$(PORT)');
  });

  test('a var naming no object is an error naming the var and the fix', () => {
    const dir = write({
      ...BASE,
      'kustomization.yaml': 'resources: [base/d.yaml, base/s.yaml]\nvars:\n  - name: SVC\n    objref: {kind: Service, name: svc}\n',
    });
    const { errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/^var 'SVC' \(<no version> Service 'svc'\) names no object of the build .*fix the objref \(its apiVersion too\)/),
      }),
    ]);
  });
});

describe('refvar expansion (cases of kustomize api/filters/refvar/expand_test.go)', () => {
  const values = new Map<string, string | number | boolean | undefined>([
    ['VAR_A', 'A'],
    ['VAR_B', 'B'],
    ['VAR_C', 'C'],
    ['VAR_REF', '$(VAR_A)'],
    ['VAR_EMPTY', ''],
    ['NUM', 5],
    ['BOOL', true],
  ]);
  test.each([
    ['whole-value var', '$(VAR_A)', 'A'],
    ['var at the start', '$(VAR_A)-1', 'A-1'],
    ['two vars', '$(VAR_A)_$(VAR_B)', 'A_B'],
    ['a reference to a var is not expanded again', '$(VAR_REF)', '$(VAR_A)'],
    ['an empty var', 'x$(VAR_EMPTY)y', 'xy'],
    ['an undefined var is kept', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$ escapes', '$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['$$$ then a var', '$$$(VAR_A)', '$A'],
    ['an unclosed reference', '$(VAR_A', '$(VAR_A'],
    ['a lone $ at the end', 'foo$', 'foo$'],
    ['a $ before another letter', '$VAR_A', '$VAR_A'],
    ['a whole-value number keeps its type', '$(NUM)', 5],
    ['a number inside a string', 'n=$(NUM)', 'n=5'],
    ['a whole-value boolean', '$(BOOL)', true],
    ['an empty name', '$()', '$()'],
  ])('%s', (_, input, want) => {
    expect(expand(input, values)).toBe(want);
  });
});
