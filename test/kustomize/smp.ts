import { readManifests } from '../../lib';
import { buildsAhead, casesAhead, KubectlBuilt, sorted, writeTree } from '../setup/kustomize-build';

/**
 * Strategic-merge patches with directives ($patch, $setElementOrder, $retainKeys, $deleteFromPrimitiveList), list
 * merge keys of kustomize's built-in schema and several patches in one file, each built by the reader and by kubectl
 * kustomize (v5, kyaml merge2): the reader refuses exactly when kubectl does, and otherwise reads kubectl's objects.
 */

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [example.com/a, example.com/b]
spec:
  replicas: 1
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      tolerations: [{key: gpu, operator: Exists}]
      containers:
        - name: web
          image: registry.example.com/web:1
          args: [--a, --b]
          env:
            - {name: A, value: "1"}
            - {name: B, value: "2"}
          ports:
            - {containerPort: 8080}
            - {containerPort: 9090, protocol: UDP}
          volumeMounts:
            - {name: data, mountPath: /data}
        - name: sidecar
          image: registry.example.com/sidecar:1
      volumes:
        - {name: data, emptyDir: {}}
        - {name: cache, emptyDir: {}}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: 8080}
`;

const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llm}
spec:
  predictor:
    containers:
      - {name: kserve-container, image: x, env: [{name: A, value: "1"}]}
      - {name: side, image: y}
`;

/** An inline `patches:` entry patching the Deployment with this YAML under `spec.template.spec` (indented by the caller). */
const podPatch = (body: string): string =>
  `resources: [d.yaml, s.yaml, isvc.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec:\n        template:\n          spec:\n${body.replace(/^/gm, '            ')}\n`;

/** [case, kustomization, other files, whether kubectl refuses] */
const CASES: [string, string, Record<string, string>, boolean][] = [
  ['$patch: delete on a list item removes the env var by name', podPatch('containers:\n  - name: web\n    env:\n      - {name: A, $patch: delete}'), {}, false],
  ['$patch: delete on a container removes it by name', podPatch('containers:\n  - {name: sidecar, $patch: delete}'), {}, false],
  ['$patch: replace as a list item replaces the containers whole', podPatch('containers:\n  - $patch: replace\n  - {name: only, image: o:1}'), {}, false],
  ['$patch: delete as a list item removes the list', podPatch('volumes:\n  - $patch: delete'), {}, false],
  ['$patch: merge as a list item merges as without it', podPatch('volumes:\n  - $patch: merge\n  - {name: extra, emptyDir: {}}'), {}, false],
  [
    '$patch: replace on a mapping replaces it whole',
    podPatch('containers:\n  - name: web\n    resources: {limits: {cpu: "1"}}\nsecurityContext:\n  $patch: replace\n  runAsNonRoot: true'),
    {},
    false,
  ],
  [
    '$patch: replace on the strategy drops its rollingUpdate',
    'resources: [d.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec:\n        strategy:\n          $patch: replace\n          type: Recreate\n',
    {},
    false,
  ],
  ['$patch: delete on a mapping removes it', podPatch('containers:\n  - name: web\n    ports:\n      - {containerPort: 8080, $patch: delete}\n'), {}, false],
  [
    '$patch: delete on the whole object removes it from the build',
    'resources: [d.yaml, s.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      $patch: delete\n',
    {},
    false,
  ],
  [
    '$patch: delete by target removes every object it selects',
    'resources: [d.yaml, s.yaml]\npatches:\n  - target: {kind: Service, name: web}\n    patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: any}\n      $patch: delete\n',
    {},
    false,
  ],
  [
    'a top-level $patch: replace leaves the object as it was (kyaml returns the patch, kustomize keeps its node)',
    'resources: [d.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      $patch: replace\n      spec: {replicas: 3}\n',
    {},
    false,
  ],
  ['an unknown $patch value fails the build', podPatch('containers:\n  - {name: web, $patch: remove}'), {}, true],
  [
    '$setElementOrder, $retainKeys and $deleteFromPrimitiveList are kept as plain keys',
    podPatch(
      '$setElementOrder/containers: [{name: sidecar}, {name: web}]\ncontainers:\n  - name: web\n    $deleteFromPrimitiveList/args: [--b]\n    image: w:2',
    ),
    {},
    false,
  ],
  [
    '$retainKeys on the strategy',
    podPatch('containers: []').replace(
      '      spec:\n        template:',
      '      spec:\n        strategy:\n          $retainKeys: [type]\n          type: Recreate\n        template:',
    ),
    {},
    false,
  ],
  [
    'ports merged by containerPort and protocol',
    podPatch('containers:\n  - name: web\n    ports:\n      - {containerPort: 9090, protocol: UDP, name: metrics}\n      - {containerPort: 7070}'),
    {},
    false,
  ],
  [
    'volumeMounts merged by mountPath',
    podPatch('containers:\n  - name: web\n    volumeMounts:\n      - {name: other, mountPath: /data}\n      - {name: cache, mountPath: /cache}'),
    {},
    false,
  ],
  ['tolerations have no merge key: replaced', podPatch('tolerations: [{key: other, operator: Exists}]'), {}, false],
  ['args are replaced', podPatch('containers:\n  - name: web\n    args: [--c]'), {}, false],
  [
    'finalizers merged as a list of values, the patch first',
    'resources: [d.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web, finalizers: [example.com/c, example.com/a]}\n',
    {},
    false,
  ],
  [
    'a Service port merged by port and protocol',
    'resources: [s.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: web}\n      spec:\n        ports:\n          - {port: 80, name: web}\n          - {port: 443, name: https}\n',
    {},
    false,
  ],
  [
    "a custom resource's lists are replaced, $patch: delete items and all",
    'resources: [isvc.yaml]\npatches:\n  - patch: |-\n      apiVersion: serving.kserve.io/v1beta1\n      kind: InferenceService\n      metadata: {name: llm}\n      spec:\n        predictor:\n          containers:\n            - {name: side, $patch: delete}\n          $patch: merge\n',
    {},
    false,
  ],
  [
    "a custom resource's mapping deleted by $patch: delete",
    'resources: [isvc.yaml]\npatches:\n  - patch: |-\n      apiVersion: serving.kserve.io/v1beta1\n      kind: InferenceService\n      metadata: {name: llm}\n      spec:\n        predictor:\n          $patch: delete\n',
    {},
    false,
  ],
  [
    'several patches in one file, the second seeing the first',
    'resources: [d.yaml, s.yaml]\npatches:\n  - path: p.yaml\n',
    {
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3, paused: true}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort}\n',
    },
    false,
  ],
  [
    'several patches in patchesStrategicMerge file, one deleting an object',
    'resources: [d.yaml, s.yaml]\npatchesStrategicMerge: [p.yaml]\n',
    {
      'p.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n$patch: delete\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 4}\n',
    },
    false,
  ],
  [
    'a patch of an object an earlier patch deleted fails',
    'resources: [d.yaml, s.yaml]\npatchesStrategicMerge: [p.yaml]\n',
    {
      'p.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n$patch: delete\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort}\n',
    },
    true,
  ],
  [
    'several patches in one entry with a target fail',
    'resources: [d.yaml]\npatches:\n  - target: {kind: Deployment}\n    path: p.yaml\n',
    {
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n',
    },
    true,
  ],
  [
    'a mapping patched onto a number fails',
    podPatch('containers: []').replace('      spec:\n        template:', '      spec:\n        replicas: {count: 2}\n        template:'),
    {},
    true,
  ],
  [
    'env with two items of one name: the merge keeps the last',
    'resources: [d2.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec:\n        template:\n          spec:\n            containers:\n              - {name: web, image: w:2}\n',
    {
      'd2.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: w:1\n          env: [{name: A, value: "1"}, {name: A, value: "2"}, {name: B, value: "3"}]\n',
    },
    false,
  ],
  [
    'a patch naming its object with an unquoted number: kyaml reads the name as its text, "7"',
    'resources: [n.yaml]\npatches:\n  - path: p.yaml\n',
    {
      'n.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "7", namespace: "3"}\ndata: {a: b}\n',
      'p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 7\n  namespace: 3\ndata: {c: d}\n',
    },
    false,
  ],
  [
    'a patch naming its object with an unquoted boolean: the name "true"',
    'resources: [n.yaml]\npatchesStrategicMerge: [p.yaml]\n',
    {
      'n.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "true"}\ndata: {a: b}\n',
      'p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: true}\ndata: {c: d}\n',
    },
    false,
  ],
  [
    'near miss: an unquoted number naming no object of the build is refused',
    'resources: [n.yaml]\npatches:\n  - path: p.yaml\n',
    {
      'n.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "70"}\ndata: {a: b}\n',
      'p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 7}\ndata: {c: d}\n',
    },
    true,
  ],
];

function build(kustomization: string, files: Record<string, string>): string {
  return writeTree({ 'kustomization.yaml': kustomization, 'd.yaml': DEPLOYMENT, 's.yaml': SERVICE, 'isvc.yaml': ISVC, ...files }, 'kustomize-smp-');
}

async function compare(dir: string, kubectlRefuses: boolean, building: Promise<KubectlBuilt>): Promise<void> {
  const { manifests, errors } = readManifests([dir]);
  const built = await building;
  expect('error' in built).toBe(kubectlRefuses);
  const refusals = errors.filter((e) => e.severity === 'error');
  // nothing left unapplied: every case is one the reader builds
  expect(errors.filter((e) => e.severity === 'warning')).toEqual([]);
  if ('error' in built) {
    expect(refusals).not.toEqual([]);
    return;
  }
  expect(refusals).toEqual([]);
  expect(sorted(manifests.map((m) => m.manifest))).toEqual(sorted(built.objects));
}

describe('strategic-merge patches, against kubectl kustomize', () => {
  // every case's folder written and its kubectl build started by the first case (buildsAhead)
  const ahead = casesAhead(CASES, ([, kustomization, files]) => build(kustomization, files));
  test.each(CASES)('%s', async (name, _kustomization, _files, refuses) => {
    const { dir, built } = ahead(name);
    await compare(dir, refuses, built);
  });

  test('what the reader builds, written by hand: env B deleted and C added, sidecar gone, volumes replaced', () => {
    const dir = build(
      podPatch(
        'containers:\n  - name: web\n    env:\n      - {name: B, $patch: delete}\n      - {name: C, value: "3"}\n  - {name: sidecar, $patch: delete}\nvolumes:\n  - $patch: replace\n  - {name: scratch, emptyDir: {}}',
      ),
      {},
    );
    const { manifests } = readManifests([dir]);
    const spec = (manifests.find((m) => (m.manifest as any).kind === 'Deployment')!.manifest as any).spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['web']);
    expect(spec.containers[0].env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
    expect(spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
  });

  test('a deleted object is no finding of the rules: the check reads the build without it', () => {
    const dir = build(
      'resources: [d.yaml, s.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: web}\n      $patch: delete\n',
      {},
    );
    const { manifests, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(manifests.map((m) => (m.manifest as any).kind)).toEqual(['Deployment']);
  });
});

/** A small deterministic generator (mulberry32), so that a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random strategic-merge patch of the Deployment's pod spec: containers, env, ports, volumes, tolerations and directives. */
function randomPatch(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const lines: string[] = ['containers:'];
  for (const name of ['web', 'sidecar', 'extra'].filter(() => next() < 0.6)) {
    if (next() < 0.15) {
      lines.push(`  - {name: ${name}, $patch: delete}`);
      continue;
    }
    lines.push(`  - name: ${name}`, `    image: ${pick(['a', 'b'])}:${Math.floor(next() * 3)}`);
    if (next() < 0.5) {
      lines.push('    env:');
      if (next() < 0.2) lines.push(`      - $patch: ${pick(['replace', 'merge'])}`);
      for (const v of ['A', 'B', 'C'].filter(() => next() < 0.5))
        lines.push(next() < 0.3 ? `      - {name: ${v}, $patch: delete}` : `      - {name: ${v}, value: "${Math.floor(next() * 9)}"}`);
    }
    if (next() < 0.4) {
      lines.push('    ports:');
      for (const p of [8080, 9090, 7070].filter(() => next() < 0.5))
        lines.push(
          `      - {containerPort: ${p}${next() < 0.5 ? `, protocol: ${pick(['TCP', 'UDP'])}` : ''}${next() < 0.2 ? ', $patch: delete' : ', name: p'}}`,
        );
    }
    if (next() < 0.2) lines.push(`    args: [--x${Math.floor(next() * 3)}]`);
  }
  if (lines.length === 1) lines.push('  - {name: web, image: z:1}');
  if (next() < 0.3) lines.push('volumes:', `  - {name: ${pick(['data', 'cache', 'new'])}, ${next() < 0.3 ? '$patch: delete' : 'emptyDir: {medium: Memory}'}}`);
  if (next() < 0.2) lines.push('tolerations: [{key: x, operator: Exists}]');
  if (next() < 0.1) lines.push('nodeSelector: {$patch: delete}');
  return lines.join('\n');
}

describe('random strategic-merge patches, against kubectl kustomize', () => {
  const seed = 20261202;
  const seeds = Array.from({ length: 12 }, (_, i) => seed + i);
  // every seed's folder written and its kubectl build started by the first seed (buildsAhead)
  const ahead = buildsAhead(seeds, (s) => build(podPatch(randomPatch(random(s))), {}));
  test.each(seeds)('seed %i', async (s) => {
    const { dir, built } = ahead(s);
    await compare(dir, false, built);
  });
});
