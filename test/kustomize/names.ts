import * as path from 'path';
import { readManifests } from '../../lib';
import { casesAhead, DEPLOYMENT, kubectlBuild, sorted, writeTree } from '../setup/kustomize-build';
import { cliInProcess } from '../util';

/**
 * The reader's name transformers against kubectl kustomize (kustomize v5.7): namePrefix and nameSuffix across nested
 * kustomizations, the references kustomize renames with them (its built-in nameReference configuration, cases shaped
 * like api/krusty/namereference_test.go, nameprefixsuffixpatch_test.go and rolebindingacrossnamespace_test.go),
 * namespaces, generators and their hash suffixes (configmaps_test.go), and labels in selectors. For each tree the
 * reader builds the objects kubectl builds, and refuses exactly when kubectl refuses.
 */

type Files = Record<string, string | Buffer>;

const POD_REFS = `serviceAccountName: sa
containers:
  - name: c
    image: registry.example.com/c:1
    envFrom: [{configMapRef: {name: cfg}}, {secretRef: {name: creds}}]
    env:
      - {name: A, valueFrom: {secretKeyRef: {name: creds, key: k}}}
      - {name: B, valueFrom: {secretKeyRef: {name: elsewhere, key: k}}}
volumes:
  - {name: v, configMap: {name: cfg}}
  - {name: w, secret: {secretName: creds}}
  - {name: p, persistentVolumeClaim: {claimName: models}}
  - {name: q, projected: {sources: [{configMap: {name: cfg}}, {secret: {name: creds}}]}}`;

const BASE_OBJECTS = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {k: v}\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n',
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: models}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
  DEPLOYMENT('web', POD_REFS),
  'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader}\nrules: [{apiGroups: [""], resources: [secrets], resourceNames: [creds], verbs: [get]}]\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: reader}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects: [{kind: ServiceAccount, name: sa}]\n',
  // a custom kind: kustomize's built-in configuration does not reach its fields
  'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: llm}\nspec:\n  predictor:\n    serviceAccountName: sa\n    model: {modelFormat: {name: vLLM}, storage: {key: creds, path: m}}\n',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n',
].join('---\n');

const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n';
const RB =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\n' +
  'subjects: [{kind: ServiceAccount, name: sa}, {kind: ServiceAccount, name: other, namespace: elsewhere}, {kind: User, name: u}]\n';
const CRB =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}\n' +
  'subjects: [{kind: ServiceAccount, name: sa, namespace: default}]\n';
const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
const PDB = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n';

/** [case, files, folder built] */
const CASES: [string, Files, string][] = [
  ['namePrefix on a base, references renamed', { 'kustomization.yaml': 'namePrefix: p-\nresources: [all.yaml]\n', 'all.yaml': BASE_OBJECTS }, '.'],
  ['nameSuffix on a base', { 'kustomization.yaml': 'nameSuffix: -s\nresources: [all.yaml]\n', 'all.yaml': BASE_OBJECTS }, '.'],
  [
    'prefix and suffix in base and overlay, with a namespace',
    {
      'base/kustomization.yaml': 'namePrefix: b-\nnameSuffix: -v1\nresources: [all.yaml]\n',
      'base/all.yaml': BASE_OBJECTS,
      'overlay/kustomization.yaml': 'namePrefix: o-\nnameSuffix: -v2\nnamespace: team\nresources: [../base]\n',
    },
    'overlay',
  ],
  [
    'an overlay object refers to a base object by its original name',
    {
      'base/kustomization.yaml': 'namePrefix: b-\nresources: [all.yaml]\n',
      'base/all.yaml': BASE_OBJECTS,
      'overlay/kustomization.yaml': 'resources: [../base, job.yaml]\n',
      'overlay/job.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: load}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: x, envFrom: [{secretRef: {name: creds}}]}]\n',
    },
    'overlay',
  ],
  [
    'two bases with different prefixes, each referring to its own ConfigMap of one name',
    {
      'kustomization.yaml': 'resources: [a, b]\n',
      'a/kustomization.yaml': 'namePrefix: a-\nresources: [all.yaml]\n',
      'a/all.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {x: a}\n---\n${DEPLOYMENT('web', 'containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cfg}}]}]')}`,
      'b/kustomization.yaml': 'namePrefix: b-\nresources: [all.yaml]\n',
      'b/all.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {x: b}\n---\n${DEPLOYMENT('web', 'containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cfg}}]}]')}`,
    },
    '.',
  ],
  [
    'a patch in the overlay names the base object by its original name',
    {
      'base/kustomization.yaml': 'namePrefix: b-\nresources: [all.yaml]\n',
      'base/all.yaml': BASE_OBJECTS,
      'overlay/kustomization.yaml':
        'namePrefix: o-\nresources: [../base]\npatches:\n  - target: {kind: Deployment, name: web}\n    patch: |-\n      - {op: add, path: /spec/replicas, value: 3}\n',
    },
    'overlay',
  ],
  [
    'replicas by the original name after a prefix',
    { 'kustomization.yaml': 'namePrefix: p-\nresources: [all.yaml]\nreplicas: [{name: web, count: 2}]\n', 'all.yaml': BASE_OBJECTS },
    '.',
  ],
  [
    'configMapGenerator and secretGenerator: hash suffixes, and the references that follow them',
    {
      'base/kustomization.yaml':
        'resources: [all.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=1, "b=\'two\'", "html=<a&b>"]\n    envs: [app.env]\n    files: [conf/settings.json, renamed=conf/settings.json]\nsecretGenerator:\n  - name: creds\n    literals: [k=v, token=s3cr=t]\n    type: Opaque\n  - name: tls-plain\n    literals: [crt=x]\n    options: {disableNameSuffixHash: true, labels: {kind: tls}}\ngeneratorOptions:\n  annotations: {team: ai}\n  immutable: true\n',
      'base/all.yaml': BASE_OBJECTS.replace(/^apiVersion: v1\nkind: (ConfigMap|Secret)\n.*\n.*\n---\n/gm, ''),
      'base/app.env': '# settings\nMODEL=mistral\n\n  PORT=8080\nEMPTY\n',
      'base/conf/settings.json': '{"max_model_len": 8192}\n',
      'overlay/kustomization.yaml': 'namePrefix: o-\nnamespace: team\nresources: [../base]\nlabels: [{pairs: {env: prod}}]\n',
    },
    'overlay',
  ],
  [
    'a namespace alone: binding subjects follow their service account (the namespace transformer keeps every id)',
    { 'kustomization.yaml': 'namespace: team\nresources: [a.yaml]\n', 'a.yaml': [RB, CRB, SA].join('---\n') },
    '.',
  ],
  [
    'a namespace in the base and a prefix in the overlay',
    {
      'base/kustomization.yaml': 'namespace: inner\nresources: [a.yaml]\n',
      'base/a.yaml': [SA, RB, DEPLOYMENT('web', 'serviceAccountName: sa\ncontainers: [{name: c, image: x}]')].join('---\n'),
      'o/kustomization.yaml': 'resources: [../base]\nnamePrefix: x-\nnamespace: outer\n',
    },
    'o',
  ],
  [
    'commonLabels reach label selectors, labels only with includeSelectors',
    {
      'kustomization.yaml': 'commonLabels: {team: a}\nlabels: [{pairs: {env: prod}, includeSelectors: true}, {pairs: {tier: web}}]\nresources: [a.yaml]\n',
      'a.yaml': [DEPLOYMENT('web', 'containers: [{name: c, image: x}]'), SVC, PDB].join('---\n'),
    },
    '.',
  ],
  [
    'generators that merge into and replace objects of a base (a generated one and a plain one)',
    {
      'base/kustomization.yaml':
        'namespace: team\nnamePrefix: b-\nresources: [plain.yaml, dep.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=1, b=2]\n    options: {labels: {from: base}}\n',
      'base/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, annotations: {note: kept}}\ndata: {x: "1"}\n',
      'base/dep.yaml': DEPLOYMENT('web', 'containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cfg}}, {configMapRef: {name: plain}}]}]'),
      'overlay/kustomization.yaml':
        'resources: [../base]\nconfigMapGenerator:\n  - name: cfg\n    behavior: merge\n    literals: [b=3, c=4]\n    options: {labels: {from: overlay}}\n  - name: plain\n    namespace: team\n    behavior: replace\n    literals: [y=2]\n',
    },
    'overlay',
  ],
  [
    'configurations: an InferenceService service account and storage key renamed with the prefix once configured',
    {
      'base/kustomization.yaml': 'resources: [all.yaml]\n',
      'base/all.yaml': BASE_OBJECTS,
      'overlay/kustomization.yaml': 'namePrefix: o-\nresources: [../base]\nconfigurations: [kserve-names.yaml]\n',
      'overlay/kserve-names.yaml':
        'nameReference:\n  - kind: ServiceAccount\n    fieldSpecs:\n      - {kind: InferenceService, path: spec/predictor/serviceAccountName}\n  - kind: Secret\n    version: v1\n    fieldSpecs:\n      - {kind: InferenceService, path: spec/predictor/model/storage/key}\n',
    },
    'overlay',
  ],
  [
    'configurations: namePrefix and nameSuffix field specs of a base reach an InferenceService runtime and a list under the overlay; a sibling kustomization uses its own',
    {
      'base/kustomization.yaml': 'resources: [all.yaml]\nconfigurations: [affixes.yaml]\n',
      'base/all.yaml': [
        'apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: rt}\nspec: {containers: [{name: kserve-container, image: x}]}\n',
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: llm}\nspec:\n  predictor:\n    model: {modelFormat: {name: vLLM}, runtime: rt}\n    containers: [{name: a}, {name: b}]\n',
      ].join('---\n'),
      'base/affixes.yaml':
        'namePrefix:\n  - path: metadata/name\n  - {kind: InferenceService, path: spec/predictor/model/runtime}\nnameSuffix:\n  - {kind: InferenceService, path: spec/predictor/model/runtime}\n  - {kind: InferenceService, path: spec/predictor/containers/name}\n',
      'other/kustomization.yaml': 'namePrefix: x-\nresources: [isvc.yaml]\n',
      'other/isvc.yaml':
        'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: second}\nspec:\n  predictor:\n    model: {modelFormat: {name: vLLM}, runtime: rt}\n',
      'overlay/kustomization.yaml': 'namePrefix: o-\nnameSuffix: -s\nresources: [../base, ../other]\n',
    },
    'overlay',
  ],
  [
    'generated values as kustomize encodes them: long base64 cut into lines, bytes that are not UTF-8 in binaryData, an empty Secret',
    {
      'kustomization.yaml':
        'configMapGenerator:\n  - name: stores\n    files: [keystore.jks, notes.txt]\nsecretGenerator:\n  - name: long\n    literals: [token=0123456789012345678901234567890123456789012345678901234567890123456789]\n    files: [keystore.jks]\n  - name: empty\n',
      'keystore.jks': Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02, 0xff, 0x80, 0x41]),
      'notes.txt': 'plain text\n',
    },
    '.',
  ],
  [
    'a plain integer with a leading zero is octal, as go-yaml reads it (defaultMode: 0755)',
    {
      'kustomization.yaml': 'resources: [d.yaml]\n',
      'd.yaml': DEPLOYMENT(
        'web',
        'containers: [{name: c, image: x}]\nvolumes: [{name: s, configMap: {name: scripts, defaultMode: 0755}}, {name: t, secret: {secretName: t, defaultMode: 0o644}}]',
      ),
    },
    '.',
  ],
  [
    "a Component's namespace reaches every object of the kustomization that lists it; a Namespace object takes the namespace's name",
    {
      'kustomization.yaml': 'resources: [ns.yaml, sub.yaml]\ncomponents: [plugin]\n',
      'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: operators}\n',
      'sub.yaml': 'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: op, namespace: operators}\nspec: {name: op}\n',
      'plugin/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamespace: gitops\nresources: [job.yaml]\n',
      'plugin/job.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: enable}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}}\n',
    },
    '.',
  ],
  [
    'a base reached twice, renamed on one way, is no conflict',
    {
      'kustomization.yaml': 'resources: [a, b]\n',
      'a/kustomization.yaml': 'resources: [../common]\n',
      'b/kustomization.yaml':
        'resources: [../common]\npatches:\n  - target: {kind: ConfigMap, name: user-config}\n    patch: |-\n      - {op: replace, path: /metadata/name, value: b-config}\n',
      'common/kustomization.yaml': 'resources: [cm.yaml]\n',
      'common/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: user-config}\n',
    },
    '.',
  ],
  [
    "kustomize's working annotations committed in a file, and an empty annotations map, are not in the build",
    {
      'kustomization.yaml': 'resources: [is.yaml]\n',
      'is.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {}\n  annotations: {internal.config.kubernetes.io/previousKinds: ConfigMap, config.kubernetes.io/index: "0", keep: me}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {}\n',
    },
    '.',
  ],
];

const build = (files: Files) => writeTree(files, 'kustomize-names-');

describe('names as kustomize builds them, against kubectl kustomize', () => {
  // kubectl builds it with the first patch applied to nothing (PatchTransformer: an empty m.Select is no error)
  test("a patch whose target names the kustomization's own namespace selects nothing: the patches run before the namespace", () => {
    const root = path.join(
      build({
        'base/kustomization.yaml': 'resources: [cm.yaml]\n',
        'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {size: 50Gi}\n',
        'overlay/kustomization.yaml':
          'namespace: storage\nresources: [../base]\npatches:\n  - target: {kind: ConfigMap, name: cfg, namespace: storage}\n    patch: |-\n      - {op: replace, path: /data/size, value: 20Gi}\n  - target: {kind: ConfigMap, name: cfg, namespace: default}\n    patch: |-\n      - {op: add, path: /data/tier, value: small}\n',
      }),
      'overlay',
    );
    const { manifests, errors } = readManifests([root]);
    const built = kubectlBuild(root);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        kind: 'kustomize-patch-invalid',
        message: expect.stringMatching(
          /^patches\[0\] target \{kind: ConfigMap, name: cfg, namespace: storage\} selects no object.*has no namespace when the patches run/,
        ),
      }),
    ]);
    expect('objects' in built && built.objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'storage' }, data: { size: '50Gi', tier: 'small' } },
    ]);
    expect(manifests.map((m) => m.manifest)).toEqual('objects' in built ? built.objects : []);
  });

  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, files, folder]) => path.join(build(files), folder));
  test.each(CASES)('%s', async (name) => {
    const { dir: root, built: building } = ahead(name);
    const { manifests, errors } = readManifests([root]);
    const built = await building;
    expect(errors).toEqual([]);
    expect('error' in built ? built.error : '').toBe('');
    if ('objects' in built) expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(built.objects));
  });
});

/** [case, files, folder built, what the reader says, what kubectl says] */
const REFUSED: [string, Files, string, RegExp, RegExp][] = [
  [
    'a name that may refer to two renamed objects of the same prefixes',
    {
      'kustomization.yaml': 'resources: [a, b]\n',
      'a/kustomization.yaml': 'namePrefix: p-\nresources: [c, dep.yaml]\n',
      'a/dep.yaml': DEPLOYMENT('web', 'containers: [{name: c, image: x, envFrom: [{configMapRef: {name: cfg}}]}]'),
      'a/c/kustomization.yaml': 'namePrefix: x-\nresources: [cm.yaml]\n',
      'a/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
      'b/kustomization.yaml': 'namePrefix: p-\nresources: [cm.yaml]\n',
      'b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
    },
    '.',
    /names 'cfg' in spec\/template\/spec\/containers\/envFrom\/configMapRef\/name, which may be any of ConfigMap 'p-x-cfg', ConfigMap 'p-cfg'.*found multiple possible referrals/,
    /found multiple possible referrals/,
  ],
  [
    'a generator that repeats a key',
    { 'kustomization.yaml': 'configMapGenerator:\n  - name: cfg\n    literals: [a=1]\n    envs: [a.env]\n', 'a.env': 'a=2\n' },
    '.',
    /configMapGenerator\[0\] \(cfg\) repeats the key `a`/,
    /illegally repeats the key `a`/,
  ],
  [
    'a generator that merges into an object the build does not have',
    { 'kustomization.yaml': 'configMapGenerator:\n  - name: cfg\n    behavior: merge\n    literals: [a=1]\n' },
    '.',
    /has behavior: merge, but no ConfigMap 'cfg' is in the build/,
    /does not exist; cannot merge or replace/,
  ],
  [
    'a generator that creates an object the build already has',
    {
      'kustomization.yaml': 'resources: [cm.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=1]\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
    },
    '.',
    /creates ConfigMap 'cfg', which the build already has/,
    /behavior must be merge or replace/,
  ],
  [
    'a configurations file with a section kustomize does not know',
    {
      'kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [c.yaml]\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
      'c.yaml': 'nameReferences:\n  - kind: ConfigMap\n',
    },
    '.',
    /configurations entry 'c.yaml' has the section 'nameReferences', which is not a transformer configuration field/,
    /unknown field "nameReferences"/,
  ],
  [
    'a generator file that is missing',
    { 'kustomization.yaml': 'secretGenerator:\n  - name: creds\n    files: [token.txt]\n' },
    '.',
    /lists the file 'token.txt', which does not exist/,
    /token.txt/,
  ],
];

describe('references kustomize cannot resolve, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(REFUSED, ([, files, folder]) => path.join(build(files), folder));
  test.each(REFUSED)('%s', async (name, _files, _folder, says, kubectlSays) => {
    const { dir: root, built } = ahead(name);
    const { errors } = readManifests([root]);
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', kind: 'kustomize-build-fails', message: expect.stringMatching(says) })]);
    expect(await built).toEqual({ error: expect.stringMatching(kubectlSays) });
  });
});

describe('what a custom kind keeps', () => {
  const isvcOf = (root: string) =>
    readManifests([root])
      .manifests.map((m) => m.manifest as any)
      .find((m) => m.kind === 'InferenceService');

  test("an InferenceService's service account and storage key keep their written names under a prefix, unless configured", () => {
    const plain = path.join(build({ 'kustomization.yaml': 'namePrefix: p-\nresources: [all.yaml]\n', 'all.yaml': BASE_OBJECTS }), '.');
    expect(isvcOf(plain).spec.predictor).toEqual(
      expect.objectContaining({ serviceAccountName: 'sa', model: expect.objectContaining({ storage: { key: 'creds', path: 'm' } }) }),
    );
    const configured = build({
      'kustomization.yaml': 'namePrefix: p-\nresources: [all.yaml]\nconfigurations: [names.yaml]\n',
      'all.yaml': BASE_OBJECTS,
      'names.yaml': 'nameReference:\n  - kind: ServiceAccount\n    fieldSpecs: [{kind: InferenceService, path: spec/predictor/serviceAccountName}]\n',
    });
    expect(isvcOf(configured).spec.predictor.serviceAccountName).toBe('p-sa');
    expect(isvcOf(configured).spec.predictor.model.storage.key).toBe('creds');
  });
});

describe('a generator file that is remote', () => {
  test('is not fetched: a warning, and the object is generated without its keys', () => {
    const dir = build({
      'kustomization.yaml': 'configMapGenerator:\n  - name: dashboards\n    literals: [a=1]\n    files: [https://example.com/dashboard.json]\n',
    });
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /^configMapGenerator\[0\] \(dashboards\) reads the remote file 'https:\/\/example.com\/dashboard.json', which is not fetched/,
        ),
      }),
    ]);
    expect(manifests.map((m) => (m.manifest as { data: unknown }).data)).toEqual([{ a: '1' }]);
  });
});

describe("check's verdicts follow the names kustomize builds", () => {
  const ISVC =
    'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: llm, namespace: ai}\nspec:\n  predictor:\n    model:\n      modelFormat: {name: vLLM}\n      runtime: vllm\n      storage: {key: models-s3, path: mistral/}\n';
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: models-s3, namespace: ai}\nstringData: {type: s3, bucket: models}\n';
  const secretFindings = async (overlay: string, extra: Files = {}) => {
    const dir = build({
      'base/kustomization.yaml': 'resources: [all.yaml]\n',
      'base/all.yaml': `${ISVC}---\n${SECRET}`,
      'overlay/kustomization.yaml': overlay,
      ...extra,
    });
    const r = await cliInProcess(['check', path.join(dir, 'overlay'), '--json', '--platform', 'rhoai-3.0']);
    return (JSON.parse(r.out).findings as { rule: string; object: string; message: string }[]).filter((f) => f.rule === 'secret-not-in-tree');
  };

  test("a prefix renames the Secret but not the InferenceService's storage key: the key names a Secret the build lacks", async () => {
    expect(await secretFindings('namePrefix: team-\nresources: [../base]\n')).toEqual([
      expect.objectContaining({
        object: 'InferenceService/ai/team-llm',
        message: expect.stringMatching(
          /^storage.key 'models-s3' is an entry of Secret storage-config in 'ai', which odh-model-controller writes from the data connection Secret 'models-s3', and the tree has no such connection/,
        ),
      }),
    ]);
  });

  test('configured, the storage key follows the Secret and nothing is missing', async () => {
    const names = 'nameReference:\n  - kind: Secret\n    version: v1\n    fieldSpecs: [{kind: InferenceService, path: spec/predictor/model/storage/key}]\n';
    expect(await secretFindings('namePrefix: team-\nresources: [../base]\nconfigurations: [names.yaml]\n', { 'overlay/names.yaml': names })).toEqual([]);
  });
});
