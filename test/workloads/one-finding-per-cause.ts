import { runChecks } from '../../lib';
import { cliInProcess, Found, podWorkload, treeRuleFound, writeTree } from '../util';

type Doc = Record<string, unknown>;
const deployment = (name: string, image: string, secret?: string): Doc =>
  podWorkload(name, 'llm', {
    containers: [{ name: 'server', image, ...(secret ? { env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }] } : {}) }],
  });
const found = (docs: Doc[], rule: string) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform: 'kserve' },
  )
    .filter((f) => f.rule === rule && f.severity === 'warning')
    .map((f) => `${f.object}: ${f.message}`);

// One missing Secret or one moving tag shared by several Deployments is one cause: one warning, on the first of them
// by name, whatever order the input gives, naming the others.
describe('a cause shared by several workloads is said once', () => {
  const three = [
    deployment('chat-8b', 'vllm/vllm-openai:latest', 'hf-token'),
    deployment('chat-70b', 'vllm/vllm-openai:latest', 'hf-token'),
    deployment('coder', 'vllm/vllm-openai:latest', 'hf-token'),
  ];

  test('secret-not-in-tree: one warning for hf-token, on Deployment/llm/chat-70b, counting the two others', () => {
    const expected = [
      "Deployment/llm/chat-70b: references Secret hf-token in 'llm' (also referenced by 2 other objects: Deployment/llm/chat-8b, Deployment/llm/coder), not defined in the tree; " +
        'create it before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError',
    ];
    expect(found(three, 'secret-not-in-tree')).toEqual(expected);
    expect(found([...three].reverse(), 'secret-not-in-tree')).toEqual(expected);
  });

  test('image-not-pinned: one warning for vllm/vllm-openai:latest; another moving image keeps its own', () => {
    expect(found([...three, deployment('proxy', 'nginx:latest')], 'image-not-pinned')).toEqual([
      "Deployment/llm/chat-70b: container 'server' uses vllm/vllm-openai:latest (also used by 2 other objects: Deployment/llm/chat-8b, Deployment/llm/coder), the moving tag 'latest': " +
        'each pull may run other bytes than were reviewed, and replicas may differ; pin a version tag, or a digest (image@sha256:…)',
      "Deployment/llm/proxy: container 'server' uses nginx:latest, the moving tag 'latest': each pull may run other bytes than were reviewed, and replicas may differ; pin a version tag, or a digest (image@sha256:…)",
    ]);
  });

  test('near miss: Secrets of the same name in two namespaces are two causes', () => {
    const other = { ...deployment('chat-8b', 'vllm/vllm-openai:v0.10.1', 'hf-token'), metadata: { name: 'chat-8b', namespace: 'lab' } };
    expect(found([deployment('chat-70b', 'vllm/vllm-openai:v0.10.1', 'hf-token'), other], 'secret-not-in-tree')).toHaveLength(2);
  });
});

describe('the same object read twice (two kustomize roots, a root and its loose files) counts once', () => {
  test('image-not-pinned and secret-not-in-tree name no object as another user of itself, and each other user once', () => {
    const docs = [
      deployment('api', 'team/app:latest', 'app-env'),
      deployment('api', 'team/app:latest', 'app-env'),
      deployment('worker', 'team/app:latest', 'app-env'),
      deployment('worker', 'team/app:latest', 'app-env'),
    ];
    expect(found(docs, 'image-not-pinned')).toEqual([
      expect.stringMatching(
        /^Deployment\/llm\/api: container 'server' uses team\/app:latest \(also used by 1 other object: Deployment\/llm\/worker\), the moving tag/,
      ),
    ]);
    expect(found(docs, 'secret-not-in-tree')).toEqual([
      expect.stringMatching(
        /^Deployment\/llm\/api: references Secret app-env in .* \(also referenced by 1 other object: Deployment\/llm\/worker\), not defined/,
      ),
    ]);
  });
});

describe('one object declared in two files of a folder (object-defined-twice) is one object of the cluster', () => {
  // a field the API does not know, on both copies, which differ in their arguments
  const copy = (file: string, tag: string) => {
    const manifest = podWorkload('chat', 'llm', { containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.10.1', args: [`--served-model-name=${tag}`] }] });
    return { manifest: { ...manifest, spec: { ...(manifest.spec as Doc), replicaz: 2 } }, file, line: 1 };
  };
  const unknown = (inputs: ReturnType<typeof copy>[]) =>
    runChecks(inputs, { platform: 'kserve' })
      .filter((f) => f.rule === 'field-unknown')
      .map((f) => `${f.object} ${f.file}`);

  test('the same finding on both copies is said once, on the first', () => {
    expect(unknown([copy('/tree/app/chat.yaml', 'a'), copy('/tree/app/chat-v2.yaml', 'b')])).toEqual(['Deployment/llm/chat /tree/app/chat.yaml']);
  });

  test('near miss: copies in two folders (two overlays, two clusters) keep a finding each', () => {
    expect(unknown([copy('/tree/dev/chat.yaml', 'a'), copy('/tree/prod/chat.yaml', 'b')])).toHaveLength(2);
  });
});

describe('needed-object-left-out: one left-out object is one finding, however many objects need it', () => {
  const isvc = (name: string) =>
    `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: ${name}}\nspec:\n  predictor:\n    model:\n      modelFormat: {name: vllm}\n      storageUri: pvc://shared-models/${name}\n`;
  const claim =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared-models}\nspec:\n  accessModes: [ReadWriteMany]\n  resources: {requests: {storage: 100Gi}}\n';
  const names = ['chat', 'coder', 'embed', 'guard', 'rerank'];
  const files = (order: readonly string[]) => ({
    'kustomization.yaml': `namespace: serving\nresources:\n${order.map((n) => `  - ${n}.yaml\n`).join('')}`,
    ...Object.fromEntries(order.map((n) => [`${n}.yaml`, isvc(n)])),
    'models-pvc.yaml': claim,
  });

  test('a claim five InferenceServices mount, in a file the kustomization does not list: one error on the first by name, counting and naming the others', async () => {
    const expected = [
      [
        'error',
        'InferenceService/serving/chat',
        expect.stringMatching(
          /^spec\.predictor\.model\.storageUri names PersistentVolumeClaim 'shared-models' \(also needed by 4 other objects: InferenceService\/serving\/coder, InferenceService\/serving\/embed, InferenceService\/serving\/guard, …\), which the build does not make: .*models-pvc\.yaml defines it, .* so kustomize leaves it out and the pods of each stay Pending \(persistentvolumeclaim "shared-models" not found\): add models-pvc\.yaml to the resources of /,
        ),
      ],
    ];
    const said = (found: Found[]) => found.map((f) => [f.severity, f.object, f.message]);
    expect(said(await treeRuleFound('needed-object-left-out', 'left-out-shared-', files(names), ['--platform', 'kserve']))).toEqual(expected);
    expect(said(await treeRuleFound('needed-object-left-out', 'left-out-shared-', files([...names].reverse()), ['--platform', 'kserve']))).toEqual(expected);
  });

  test('near miss: a claim each object names for itself is a cause each', async () => {
    const own = {
      'kustomization.yaml': 'namespace: serving\nresources:\n  - chat.yaml\n  - coder.yaml\n',
      'chat.yaml': isvc('chat').replace('shared-models', 'chat-models'),
      'coder.yaml': isvc('coder').replace('shared-models', 'coder-models'),
      'pvc.yaml': `${claim.replace('shared-models', 'chat-models')}---\n${claim.replace('shared-models', 'coder-models')}`,
    };
    expect((await treeRuleFound('needed-object-left-out', 'left-out-own-', own, ['--platform', 'kserve'])).map((f) => f.object)).toEqual([
      'InferenceService/serving/chat',
      'InferenceService/serving/coder',
    ]);
  });
});

describe('pod-reference-not-found: one missing ConfigMap or claim is one finding, however many workloads need it', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } };
  const reader = (name: string, replicas?: number): Doc => {
    const d = podWorkload(name, 'llm', {
      containers: [{ name: 'server', image: 'registry.example.com/llm/server:1.0', envFrom: [{ configMapRef: { name: 'server-settings' } }] }],
      volumes: [{ name: 'models', persistentVolumeClaim: { claimName: 'model-store' } }],
    });
    return replicas === undefined ? d : { ...d, spec: { ...(d.spec as Doc), replicas } };
  };
  const judged = (docs: Doc[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    )
      .filter((f) => f.rule === 'pod-reference-not-found')
      .map((f) => `${f.severity} ${f.object}: ${f.message}`);

  test('three Deployments reading one missing ConfigMap and mounting one missing claim: one error each, on the first by name, naming the others', () => {
    const expected = [
      expect.stringMatching(
        /^error Deployment\/llm\/chat: spec\.template\.spec container 'server' envFrom reads ConfigMap 'server-settings' \(also read by 2 other objects: Deployment\/llm\/coder, Deployment\/llm\/embed\): namespace 'llm' is created by the tree .*, so the pods of each stay in CreateContainerConfigError \(configmap "server-settings" not found\)/,
      ),
      expect.stringMatching(
        /^error Deployment\/llm\/chat: .*'model-store' \(also mounted by 2 other objects: Deployment\/llm\/coder, Deployment\/llm\/embed\): namespace 'llm' is created by the tree .*, so the pods of each stay Pending \(persistentvolumeclaim "model-store" not found\)/,
      ),
    ];
    expect(judged([ns, reader('coder'), reader('chat'), reader('embed')])).toEqual(expected);
    expect(judged([ns, reader('embed'), reader('coder'), reader('chat')])).toEqual(expected);
  });

  test('latent only while none of them runs a pod: all at replicas: 0 warnings naming them, one running errors', () => {
    expect(judged([ns, reader('chat', 0), reader('coder', 0)])).toEqual([
      expect.stringMatching(
        /^warning Deployment\/llm\/chat: .* \(latent: Deployment\/llm\/chat, Deployment\/llm\/coder, whose pods fail, are delivered with replicas: 0 .*\)$/,
      ),
      expect.stringMatching(
        /^warning Deployment\/llm\/chat: .* \(latent: Deployment\/llm\/chat, Deployment\/llm\/coder, whose pods fail, are delivered with replicas: 0 .*\)$/,
      ),
    ]);
    expect(judged([ns, reader('chat', 0), reader('coder')]).map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual([
      'error Deployment/llm/chat:',
      'error Deployment/llm/chat:',
    ]);
  });
});

describe("a README's helm commands that check does not render are one finding per README", () => {
  const chart = (name: string) => ({
    [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    [`charts/${name}/values.yaml`]: 'replicas: 1\n',
    [`charts/${name}/templates/cm.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  replicas: "{{ .Values.replicas }}"\n`,
  });
  const readme = (commands: string[]) => ({ 'README.md': `# Install\n\n\`\`\`bash\n${commands.join('\n')}\n\`\`\`\n` });
  const commands = [
    'helm install chat ./charts/chat -n llm --set replicas=$CHAT_REPLICAS',
    'helm install embed ./charts/embed -n llm --set replicas=$EMBED_REPLICAS',
    'helm upgrade --install rerank ./charts/rerank -n llm --set replicas=$RERANK_REPLICAS',
  ];
  const files = { ...chart('chat'), ...chart('embed'), ...chart('rerank'), ...readme(commands) };
  const notRendered = <T extends { message: string }>(found: T[]) => found.filter((f) => /helm commands of|not rendered as/.test(f.message));

  test('three commands naming variables the README does not set: one warning counting them, naming the charts and the reasons', async () => {
    const found = notRendered(await treeRuleFound('input-not-followed', 'readme-helm-', files));
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('warning');
    expect(found[0].object).toMatch(/README\.md$/);
    expect(found[0].message).toMatch(
      /^3 helm commands of .*README\.md install charts of the tree \(.*charts\/chat, .*charts\/embed, .*charts\/rerank\) in a way check does not render/,
    );
    expect(found[0].message).toContain('$CHAT_REPLICAS');
    expect(found[0].message).toMatch(/--verbose lists each$/);
  });

  test('--verbose lists each command; a README with one such command keeps its own finding', async () => {
    expect(notRendered(await treeRuleFound('input-not-followed', 'readme-helm-', files, ['--verbose']))).toHaveLength(3);
    const one = notRendered(await treeRuleFound('input-not-followed', 'readme-helm-', { ...chart('chat'), ...readme(commands.slice(0, 1)) }));
    expect(one.map((f) => f.message)).toEqual([expect.stringMatching(/^is a Helm chart not rendered as .*README\.md \(line \d+\) documents it: /)]);
  });
});

describe('kustomize-build-fails: the missing entries of one kustomization are one refusal', () => {
  const folders = ['gateway', 'router', 'chat', 'coder', 'embed', 'rerank', 'guard', 'summary', 'vision', 'speech', 'batch'];
  const files = {
    'kustomization.yaml': `resources:\n${folders.map((f) => `  - ${f}\n`).join('')}`,
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: llm}\n',
  };

  test('eleven missing folders: one error naming the first three and counting the rest; exit code 1', async () => {
    const found = await treeRuleFound('kustomize-build-fails', 'missing-many-', files);
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          /^lists 11 entries that do not exist in \/.*: 'gateway', 'router', 'chat', … \(8 more; --verbose lists each\): kustomize build fails, so Argo CD cannot sync this root \(it stops at the first\); list paths that exist, or remove the entries$/,
        ),
      ],
    ]);
    const r = await cliInProcess(['check', writeTree('missing-many-', files)]);
    expect(r.code).toBe(1);
  });

  test('--verbose names every missing entry in the one finding', async () => {
    const found = await treeRuleFound('kustomize-build-fails', 'missing-many-', files, ['--verbose']);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain(`: ${folders.map((f) => `'${f}'`).join(', ')}: kustomize build fails`);
  });

  test('near miss: one missing entry keeps its own message; two kustomizations are two causes', async () => {
    const one = await treeRuleFound('kustomize-build-fails', 'missing-one-', { 'kustomization.yaml': 'resources:\n  - gateway\n' });
    expect(one.map((f) => f.message)).toEqual([expect.stringMatching(/^lists 'gateway', which does not exist \(.*\): kustomize build fails/)]);
    const two = await treeRuleFound('kustomize-build-fails', 'missing-two-', {
      'a/kustomization.yaml': 'resources:\n  - gateway\n  - router\n',
      'b/kustomization.yaml': 'resources:\n  - chat\n  - coder\n',
    });
    expect(two.map((f) => f.message.slice(0, 30))).toEqual(['lists 2 entries that do not ex', 'lists 2 entries that do not ex']);
  });
});
