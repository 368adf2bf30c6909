import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../lib';
import { cliInProcess, ruleFound, severityMessages, severityObjectMessages, treeRuleFound, writeTree } from '../util';

/**
 * A Secret a SecretProviderClass syncs through spec.secretObjects, after the Secrets Store CSI Driver's "Sync as
 * Kubernetes Secret" (docs/book/src/topics/sync-as-kubernetes-secret.md): written only while a pod mounts the class's
 * CSI volume, in the class's namespace.
 */
const spc = (namespace = 'ml', apiVersion = 'secrets-store.csi.x-k8s.io/v1') => ({
  apiVersion,
  kind: 'SecretProviderClass',
  metadata: { name: 'hf-store', namespace },
  spec: {
    provider: 'aws',
    parameters: { objects: '- objectName: "hf"\n  objectType: "secretsmanager"\n' },
    secretObjects: [{ secretName: 'hf-token', type: 'Opaque', data: [{ objectName: 'hf', key: 'HF_TOKEN' }] }],
  },
});
const server = (className: string | undefined, namespace = 'ml') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vllm', namespace },
  spec: {
    selector: { matchLabels: { app: 'vllm' } },
    template: {
      metadata: { labels: { app: 'vllm' } },
      spec: {
        containers: [
          {
            name: 'vllm',
            image: 'x',
            env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } }],
            ...(className ? { volumeMounts: [{ name: 'store', mountPath: '/mnt/store', readOnly: true }] } : {}),
          },
        ],
        ...(className
          ? { volumes: [{ name: 'store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: className } } }] }
          : {}),
      },
    },
  },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'secret-not-in-tree',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('secret-not-in-tree: a Secret a SecretProviderClass of the tree syncs', () => {
  test('the class names the Secret in spec.secretObjects and the pod mounts its volume: the tree provides it', () => {
    expect(found([spc(), server('hf-store')])).toEqual([]);
  });

  test('no pod mounts the class: a warning saying the driver writes the Secret only on a mount', () => {
    expect(found([spc(), server(undefined)])).toEqual([
      [
        'warning',
        "references Secret hf-token in 'ml', which SecretProviderClass hf-store of the tree syncs (spec.secretObjects), but no pod of the tree mounts its volume (csi driver secrets-store.csi.k8s.io, volumeAttributes.secretProviderClass: hf-store): the Secrets Store CSI Driver writes the Secret only while a pod mounts that volume, so it is never made and the pod fails with CreateContainerConfigError; mount the class's CSI volume in this pod",
      ],
    ]);
    // a mount of another class does not sync this one
    expect(found([spc(), server('other-store')]).map((f) => f[1].split(',')[0])).toEqual(["references Secret hf-token in 'ml'"]);
  });

  test('a class in another namespace, or of another API group, provides nothing here: the plain finding', () => {
    const plain = (f: [string, string][]) => f.map((x) => x[1].includes('not defined in the tree'));
    expect(plain(found([spc('other'), server('hf-store')]))).toEqual([true]);
    expect(plain(found([spc('ml', 'example.com/v1'), server('hf-store')]))).toEqual([true]);
  });
});

describe('secret-not-in-tree: a Secret the repository around the checked folder makes outside it', () => {
  test('a CI workflow step that creates it: a note naming the workflow, outside the checked folder; another name stays a warning', async () => {
    const app =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: serving}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n' +
      '    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: c, image: busybox, envFrom: [{secretRef: {name: api-token}}]}]\n';
    const verdicts = async (name: string) => {
      const workflow = `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl create secret generic ${name} -n serving --from-literal=TOKEN="$TOKEN"\n`;
      const repo = writeTree('outside-secret-', { '.git/HEAD': 'ref: refs/heads/main\n', 'k8s/app.yaml': app, '.github/workflows/deploy.yml': workflow });
      const report = JSON.parse((await cliInProcess(['check', `${repo}/k8s`, '--platform', 'kserve', '--json'])).out);
      return report.findings
        .filter((f: { rule: string }) => f.rule === 'secret-not-in-tree')
        .map((f: { severity: string; message: string }) => [f.severity, f.message]);
    };
    expect(await verdicts('api-token')).toEqual([
      [
        'info',
        expect.stringContaining(
          '../.github/workflows/deploy.yml (line 6), outside the checked folder (check does not see what it holds), creates it when it runs',
        ),
      ],
    ]);
    expect((await verdicts('api-tokens')).map((v: string[]) => v[0])).toEqual(['warning']);
  });

  const guidedApp =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: chat, namespace: demo}\nspec:\n  selector: {matchLabels: {app: chat}}\n  template:\n' +
    '    metadata: {labels: {app: chat}}\n    spec:\n      containers: [{name: c, image: busybox, volumeMounts: [{name: conf, mountPath: /conf}]}]\n' +
    '      volumes: [{name: conf, secret: {secretName: chat-config}}]\n';
  const guide = '# Setup\n\nCreate the configuration first:\n\n```bash\noc -n demo create secret generic chat-config --from-file=config.json\n```\n';
  const guidedFindings = async (files: Record<string, string>, checked: string) => {
    const repo = writeTree('guide-secret-', { '.git/HEAD': 'ref: refs/heads/main\n', ...files });
    const report = JSON.parse((await cliInProcess(['check', `${repo}/${checked}`, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'secret-not-in-tree')
      .map((f: { severity: string; message: string }) => [f.severity, f.message]);
  };

  test("a README's command that creates it, where an Application syncs the folder: nothing runs the README on sync, still the warning naming it", async () => {
    const application =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: chat, namespace: argocd}\nspec:\n  project: default\n' +
      '  source: {repoURL: https://example.com/team/chat.git, path: deploy}\n  destination: {server: https://kubernetes.default.svc, namespace: demo}\n';
    const found = await guidedFindings(
      {
        '.git/config': '[remote "origin"]\n\turl = https://example.com/team/chat.git\n',
        'deploy/app.yaml': guidedApp,
        'deploy/README.md': guide,
        'apps/chat.yaml': application,
      },
      '',
    );
    expect(found).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^references Secret chat-config in 'demo', not defined in the tree \(.*README.md \(line 6\) shows a command that creates it by hand, which nothing runs on sync\); create it before sync/,
        ),
      ],
    ]);
  });

  test("a README's command that creates it, where nothing syncs the folder: the guide is the procedure, a note naming it", async () => {
    const found = await guidedFindings({ 'deploy/app.yaml': guidedApp, 'deploy/README.md': guide }, 'deploy');
    expect(found).toEqual([['info', expect.stringMatching(/chat-config.*README\.md \(line 6\)/)]]);
  });

  test("the repository README's indented code block (CommonMark's four columns, no fence) that creates it: a note naming it", async () => {
    const indented = '# Setup\n\nCreate the configuration first:\n\n    oc -n demo create secret generic chat-config --from-file=config.json\n';
    const found = await guidedFindings({ 'deploy/app.yaml': guidedApp, 'README.md': indented }, 'deploy');
    expect(found).toEqual([
      ['info', expect.stringMatching(/^Secret chat-config is not a manifest of the tree: the script of \.\.\/README\.md \(line 5\), outside/)],
    ]);
  });

  // CommonMark 0.31 §4.4 and §5.2, and the shell reading a pipeline on past a line ending in `|` (POSIX XCU 2.10.2)
  test.each([
    [
      'in a list item, its content column and four more',
      '1. Create the configuration first:\n\n       oc -n demo create secret generic chat-config --from-file=config.json\n',
    ],
    ['in an item whose marker five spaces follow (the item starts with code)', '-     oc -n demo create secret generic chat-config --from-file=config.json\n'],
    ['tab-indented', 'Create the configuration first:\n\n\toc -n demo create secret generic chat-config --from-file=config.json\n'],
    [
      'continued with backslashes',
      'Create it:\n\n    kubectl create secret generic chat-config \\\n      --namespace demo \\\n      --from-literal=config.json=x\n',
    ],
    [
      'printed with --dry-run and piped on the next line into apply',
      'Create it:\n\n    kubectl create secret generic chat-config -n demo --from-literal=config.json=x --dry-run=client -o yaml |\n      kubectl apply -f -\n',
    ],
    ['in a block quote', '> Create it:\n>\n>     oc create secret generic chat-config -n demo --from-file=config.json\n'],
    ['after a thematic break that ends a list', '- Create it:\n---\n    oc create secret generic chat-config -n demo --from-file=config.json\n'],
    ['after an HTML comment', '<!-- the configuration -->\n    oc create secret generic chat-config -n demo --from-file=config.json\n'],
  ])("the repository README's indented code block %s: a note naming it", async (_, readme) => {
    const found = await guidedFindings({ 'deploy/app.yaml': guidedApp, 'README.md': `# Setup\n\n${readme}` }, 'deploy');
    expect(found).toEqual([
      ['info', expect.stringMatching(/^Secret chat-config is not a manifest of the tree: the script of \.\.\/README\.md \(line \d\), outside/)],
    ]);
  });

  test.each([
    [
      'indented four columns under a list item: its prose',
      '1. Create the configuration first:\n\n    oc -n demo create secret generic chat-config --from-file=config.json\n',
    ],
    [
      'right after a paragraph, which it continues',
      'Create the configuration first:\n    oc -n demo create secret generic chat-config --from-file=config.json\n',
    ],
    ['inside an HTML block', '<div>\n    oc -n demo create secret generic chat-config --from-file=config.json\n</div>\n'],
    ['a lazy line of a block quote', '> Create the configuration first:\n    oc -n demo create secret generic chat-config --from-file=config.json\n'],
  ])('near miss: the command %s, no code: the warning stays', async (_, readme) => {
    const found = await guidedFindings({ 'deploy/app.yaml': guidedApp, 'README.md': `# Setup\n\n${readme}` }, 'deploy');
    expect(found.map(([severity]: string[]) => severity)).toEqual(['warning']);
  });

  test('near miss: the command indented four columns under a list item is its prose, not code: the warning stays', async () => {
    const listed = '# Setup\n\n1. Create the configuration first:\n\n    oc -n demo create secret generic chat-config --from-file=config.json\n';
    const found = await guidedFindings({ 'deploy/app.yaml': guidedApp, 'README.md': listed }, 'deploy');
    expect(found).toEqual([['warning', expect.stringMatching(/^references Secret chat-config in 'demo', not defined in the tree; create it before sync/)]]);
  });
});

describe("secret-not-in-tree: the user Secrets Crunchy PGO writes for a PostgresCluster (PGO docs 'User Management')", () => {
  const postgresCluster = (users?: string[], apiVersion = 'postgres-operator.crunchydata.com/v1beta1') => ({
    apiVersion,
    kind: 'PostgresCluster',
    metadata: { name: 'ledger', namespace: 'ml' },
    spec: {
      postgresVersion: 16,
      instances: [{ name: 'main', dataVolumeClaimSpec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }],
      ...(users ? { users: users.map((name) => ({ name })) } : {}),
    },
  });
  const reader = (secret: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'x', env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: secret, key: 'uri' } } }] }] },
      },
    },
  });
  const found = (cluster: object, secret: string) =>
    runChecks([{ manifest: cluster }, { manifest: reader(secret) }], { platform: 'kserve' })
      .filter((f) => f.rule === 'secret-not-in-tree')
      .map((f) => [f.severity, f.object]);

  test('near miss: <cluster>-pguser-<user> of a listed user, and <cluster>-pguser-<cluster> when none is listed', () => {
    expect(found(postgresCluster(['report-writer']), 'ledger-pguser-report-writer')).toEqual([]);
    expect(found(postgresCluster(), 'ledger-pguser-ledger')).toEqual([]);
  });

  test('still found: a user the cluster does not list, the default user once users are listed, another API group', () => {
    expect(found(postgresCluster(['report-writer']), 'ledger-pguser-auditor')).toEqual([['warning', 'Deployment/ml/api']]);
    expect(found(postgresCluster(['report-writer']), 'ledger-pguser-ledger')).toEqual([['warning', 'Deployment/ml/api']]);
    expect(found(postgresCluster(['report-writer'], 'example.com/v1'), 'ledger-pguser-report-writer')).toEqual([['warning', 'Deployment/ml/api']]);
  });
});

describe('secret-not-in-tree: the Secrets CloudNativePG and EDB Postgres for Kubernetes write for a Cluster', () => {
  const cluster = (apiVersion: string, spec: object = {}) => ({
    apiVersion,
    kind: 'Cluster',
    metadata: { name: 'notes-db', namespace: 'ml' },
    spec: { instances: 1, storage: { size: '5Gi' }, ...spec },
  });
  const reader = (secret: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat-ui', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'chat-ui' } },
      template: {
        metadata: { labels: { app: 'chat-ui' } },
        spec: { containers: [{ name: 'ui', image: 'x', env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: secret, key: 'uri' } } }] }] },
      },
    },
  });
  const found = (db: object, secret: string) =>
    runChecks([{ manifest: db }, { manifest: reader(secret) }], { platform: 'kserve' })
      .filter((f) => f.rule === 'secret-not-in-tree')
      .map((f) => [f.severity, f.object, f.message.split(',')[0]]);

  test('near miss: <cluster>-app of an EDB Cluster (postgresql.k8s.enterprisedb.io), as of a CloudNativePG one', () => {
    expect(found(cluster('postgresql.k8s.enterprisedb.io/v1'), 'notes-db-app')).toEqual([]);
    expect(found(cluster('postgresql.cnpg.io/v1'), 'notes-db-app')).toEqual([]);
    expect(found(cluster('postgresql.k8s.enterprisedb.io/v1', { enableSuperuserAccess: true }), 'notes-db-superuser')).toEqual([]);
  });

  test('still found: -superuser without enableSuperuserAccess, -app where initdb names its own Secret, another group', () => {
    const warned = [['warning', 'Deployment/ml/chat-ui', expect.stringContaining('notes-db-')]];
    expect(found(cluster('postgresql.k8s.enterprisedb.io/v1'), 'notes-db-superuser')).toEqual(warned);
    expect(found(cluster('postgresql.k8s.enterprisedb.io/v1', { bootstrap: { initdb: { secret: { name: 'notes-owner' } } } }), 'notes-db-app')).toEqual(warned);
    expect(found(cluster('postgresql.example.com/v1'), 'notes-db-app')).toEqual(warned);
  });
});

describe('secret-not-in-tree: a Secret another folder of the repository deploys', () => {
  const deployment = (secrets: string[]) =>
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'web' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'api', image: 'busybox:1.36', envFrom: secrets.map((name) => ({ secretRef: { name } })) }] },
        },
      },
    });
  const secret = (name: string, ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData: { K: 'v' } });

  test('a note for the one the repository deploys in the namespace, the other still a warning', async () => {
    const root = writeTree('secret-repository-', { 'app/api.yaml': deployment(['db-login', 'api-token']), 'secrets/db.yaml': secret('db-login', 'web') });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'app'), '--platform', 'kserve', '--json']);
    const f = (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((x) => x.rule === 'secret-not-in-tree')
      .map((x) => [x.severity, x.message]);
    expect(f.sort()).toEqual([
      [
        'info',
        expect.stringMatching(
          /^Secret 'db-login' is made outside the checked folder: .*secrets\/db\.yaml \(line 1\).*in namespace 'web'; apply it first\. Without it: references Secret db-login/,
        ),
      ],
      ['warning', expect.stringMatching(/^references Secret api-token in 'web', not defined in the tree/)],
    ]);
  });
});

describe('secret-not-in-tree: pull Secrets of ServiceAccounts and runtimes, and the Secrets of a ClusterServingRuntime', () => {
  const account = (pull: string) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'runner', namespace: 'robots' },
    imagePullSecrets: [{ name: pull }],
  });
  const clusterRuntime = (env: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterServingRuntime',
    metadata: { name: 'nim' },
    spec: { supportedModelFormats: [{ name: 'nim', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'nvcr.io/nim/x:1.0', env }], ...extra },
  });
  const ngc = [{ name: 'NGC_API_KEY', valueFrom: { secretKeyRef: { name: 'ngc-key', key: 'NGC_API_KEY' } } }];
  const secret = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque' });

  function findings(objects: unknown[]): [string, string, string][] {
    return severityObjectMessages(
      ruleFound(
        'secret-not-in-tree',
        objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
        { platform: 'kserve', alone: true },
      ),
    );
  }

  test("a ServiceAccount's imagePullSecrets naming a Secret the tree lacks: the pull warning, on the account", () => {
    expect(findings([account('ghcr-pull')])).toEqual([
      [
        'warning',
        'ServiceAccount/robots/runner',
        expect.stringMatching(
          /^imagePullSecrets names Secret ghcr-pull in 'robots', not defined in the tree: .*"Unable to retrieve pull secret".*ImagePullBackOff/,
        ),
      ],
    ]);
  });

  test("a ClusterServingRuntime's secretKeyRef and envFrom, and a runtime's spec.imagePullSecrets", () => {
    expect(findings([clusterRuntime(ngc)])).toEqual([
      [
        'warning',
        'ClusterServingRuntime/nim',
        expect.stringMatching(
          /^references Secret ngc-key in the namespace of each InferenceService that uses it, not defined in the tree; .*CreateContainerConfigError/,
        ),
      ],
    ]);
    const fromAll = clusterRuntime([]);
    (fromAll.spec.containers[0] as Record<string, unknown>).envFrom = [{ secretRef: { name: 'nim-env' } }];
    expect(findings([fromAll]).map(([, , m]) => m.split(',')[0])).toEqual(['references Secret nim-env in the namespace of each InferenceService that uses it']);
    expect(findings([clusterRuntime([], { imagePullSecrets: [{ name: 'ngc-pull' }] })]).map(([s, , m]) => [s, m.split(' in ')[0]])).toEqual([
      ['warning', 'imagePullSecrets names Secret ngc-pull'],
    ]);
  });

  test('near misses: the Secrets made by the tree, or optional', () => {
    expect(findings([account('ghcr-pull'), { ...secret('ghcr-pull', 'robots'), type: 'kubernetes.io/dockerconfigjson' }])).toEqual([]);
    expect(findings([clusterRuntime(ngc), secret('ngc-key', 'chat')])).toEqual([]);
    const optional = [{ name: 'NGC_API_KEY', valueFrom: { secretKeyRef: { name: 'ngc-key', key: 'NGC_API_KEY', optional: true } } }];
    expect(findings([clusterRuntime(optional)])).toEqual([]);
  });
});

describe('secret-not-in-tree: the Secrets odh-notebook-controller makes for a Notebook that asks for the OAuth proxy', () => {
  const notebook = (annotations: Record<string, string>, secrets: string[], account = 'workbench') => ({
    apiVersion: 'kubeflow.org/v1',
    kind: 'Notebook',
    metadata: { name: 'workbench', namespace: 'research', annotations },
    spec: {
      template: {
        spec: {
          serviceAccountName: account,
          containers: [
            { name: 'workbench', image: 'quay.io/example/workbench:2025.1', volumeMounts: secrets.map((_, i) => ({ name: `v${i}`, mountPath: `/etc/v${i}` })) },
          ],
          volumes: secrets.map((s, i) => ({ name: `v${i}`, secret: { secretName: s } })),
        },
      },
    },
  });
  const MADE = ['workbench-oauth-config', 'workbench-oauth-client', 'workbench-tls'];
  const run = (nb: object) => runChecks([{ manifest: nb }], { platform: 'rhoai-3.0', rules: ['secret-not-in-tree', 'service-account-not-found'] });

  test('inject-oauth true: the cookie, client and serving-certificate Secrets and the account named after the Notebook are made, nothing found', () => {
    expect(run(notebook({ 'notebooks.opendatahub.io/inject-oauth': 'true' }, MADE))).toEqual([]);
    expect(run(notebook({ 'notebooks.opendatahub.io/inject-oauth': 'True' }, MADE))).toEqual([]);
  });

  test('without the annotation, or with it false, nothing makes the Secrets: the warning names them', () => {
    for (const annotations of [{}, { 'notebooks.opendatahub.io/inject-oauth': 'false' }] as Record<string, string>[]) {
      const found = run(notebook(annotations, ['workbench-oauth-config'])).filter((f) => f.rule === 'secret-not-in-tree');
      expect(found.map((f) => [f.severity, f.object])).toEqual([['warning', 'Notebook/research/workbench']]);
      expect(found[0].message).toContain('workbench-oauth-config');
    }
  });

  test('another name than the three: still found', () => {
    expect(run(notebook({ 'notebooks.opendatahub.io/inject-oauth': 'true' }, ['workbench-oauth-proxy'])).map((f) => f.rule)).toEqual(['secret-not-in-tree']);
  });
});

describe('secret-not-in-tree: the objects odh-notebook-controller makes for a Notebook that asks for kube-rbac-proxy', () => {
  const notebook = (annotations: Record<string, string>, secret: string, configMap: string) => ({
    apiVersion: 'kubeflow.org/v1',
    kind: 'Notebook',
    metadata: { name: 'lab', namespace: 'science', annotations },
    spec: {
      template: {
        spec: {
          serviceAccountName: 'lab',
          containers: [
            { name: 'lab', image: 'quay.io/example/workbench:2025.2' },
            {
              name: 'kube-rbac-proxy',
              image: 'quay.io/example/kube-rbac-proxy:4.19',
              volumeMounts: [
                { name: 'proxy-config', mountPath: '/etc/kube-rbac-proxy' },
                { name: 'proxy-tls', mountPath: '/etc/tls/private' },
              ],
            },
          ],
          volumes: [
            { name: 'proxy-config', configMap: { name: configMap } },
            { name: 'proxy-tls', secret: { secretName: secret } },
          ],
        },
      },
    },
  });
  const run = (nb: object) =>
    // the tree creates the namespace, so a ConfigMap nothing makes there is pod-reference-not-found's
    runChecks([{ manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'science' } } }, { manifest: nb }], {
      platform: 'rhoai-3.0',
      rules: ['secret-not-in-tree', 'pod-reference-not-found', 'service-account-not-found'],
    }).map((f) => [f.rule, f.severity, f.message.split(',')[0]]);

  test('inject-auth true: the serving certificate <name>-kube-rbac-proxy-tls (or -rbac-tls) and the <name>-kube-rbac-proxy-config ConfigMap are made', () => {
    for (const value of ['true', 'True', '1']) {
      expect(run(notebook({ 'notebooks.opendatahub.io/inject-auth': value }, 'lab-kube-rbac-proxy-tls', 'lab-kube-rbac-proxy-config'))).toEqual([]);
    }
    expect(run(notebook({ 'notebooks.opendatahub.io/inject-auth': 'true' }, 'lab-rbac-tls', 'lab-kube-rbac-proxy-config'))).toEqual([]);
  });

  test("without the annotation, with it false, or with inject-oauth alone: the Secret and the ConfigMap are the tree's to make", () => {
    for (const annotations of [{}, { 'notebooks.opendatahub.io/inject-auth': 'false' }, { 'notebooks.opendatahub.io/inject-oauth': 'true' }] as Record<
      string,
      string
    >[]) {
      const found = run(notebook(annotations, 'lab-kube-rbac-proxy-tls', 'lab-kube-rbac-proxy-config'));
      expect(found.map(([rule]) => rule).sort()).toEqual(['pod-reference-not-found', 'secret-not-in-tree']);
      expect(found.find(([rule]) => rule === 'secret-not-in-tree')?.[2]).toContain('lab-kube-rbac-proxy-tls');
      expect(found.find(([rule]) => rule === 'pod-reference-not-found')?.[2]).toContain('lab-kube-rbac-proxy-config');
    }
  });

  test('another name than the controller gives: still found', () => {
    expect(
      run(notebook({ 'notebooks.opendatahub.io/inject-auth': 'true' }, 'lab-proxy-tls', 'lab-proxy-config'))
        .map(([rule]) => rule)
        .sort(),
    ).toEqual(['pod-reference-not-found', 'secret-not-in-tree']);
  });
});

describe('secret-not-in-tree: a release into the namespace whose chart check does not render', () => {
  const pod = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.example.org/web:1.0',
              env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-secrets', key: 'token' } } }],
            },
          ],
        },
      },
    },
  };
  const release = (namespace: string) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'secrets', namespace },
    spec: { interval: '1h', chartRef: { kind: 'OCIRepository', name: 'vault-sync' } },
  });
  const found = (objects: object[]) =>
    severityMessages(
      ruleFound(
        'secret-not-in-tree',
        objects.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
    );
  const base =
    "references Secret web-secrets in 'llm', not defined in the tree; create it before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError";

  test('a HelmRelease of an OCI chart into the namespace: the warning names it as what may make the Secret', () => {
    expect(found([pod, release('llm')])).toEqual([
      [
        'warning',
        `${base}; but HelmRelease/llm/secrets (the chart of OCIRepository llm/vault-sync, release 'secrets') installs into namespace 'llm' what check does not render, which may make it`,
      ],
    ]);
  });

  test('near miss: the release installs elsewhere', () => {
    expect(found([pod, release('tools')])).toEqual([['warning', base]]);
  });
});

// kserve pkg/controller/llmisvc workload_tls_self_signed.go: <service>-kserve-self-signed-certs beside each LLMInferenceService
describe('secret-not-in-tree: the serving certificate of an LLMInferenceService', () => {
  const client = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat-client', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'chat-client' } },
      template: {
        metadata: { labels: { app: 'chat-client' } },
        spec: {
          containers: [{ name: 'client', image: 'x', volumeMounts: [{ name: 'ca', mountPath: '/etc/chat-ca', readOnly: true }] }],
          volumes: [{ name: 'ca', secret: { secretName: 'chat-kserve-self-signed-certs' } }],
        },
      },
    },
  };
  const service = (name: string) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name, namespace: 'ml' },
    spec: { model: { uri: 'hf://acme/tiny-chat' } },
  });
  const found = (docs: unknown[]) =>
    severityObjectMessages(
      ruleFound(
        'secret-not-in-tree',
        docs.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
    );

  test('a pod mounting the certificate KServe writes for a service of the namespace: made, not reported; with no such service it is', () => {
    expect(found([service('chat'), client])).toEqual([]);
    const without = found([service('chatbot'), client]);
    expect(without.map((f) => f[1])).toEqual(['Deployment/ml/chat-client']);
    expect(without[0][2]).toContain('chat-kserve-self-signed-certs');
  });
});

describe('secret-not-in-tree: Secrets the Terraform configuration of the repository makes, outside the checked folder', () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: books, namespace: books}',
    'spec:',
    '  selector: {matchLabels: {app: books}}',
    '  template:',
    '    metadata: {labels: {app: books}}',
    '    spec:',
    '      containers:',
    '        - name: books',
    '          image: "quay.io/example/books@sha256:' + 'b'.repeat(64) + '"',
    '          env:',
    '            - {name: DB, valueFrom: {secretKeyRef: {name: books-db, key: password}}}',
    '            - {name: MAIL, valueFrom: {secretKeyRef: {name: books-mail, key: user}}}',
    '',
  ].join('\n');
  const secret = (name: string, namespace: string) =>
    `resource "kubernetes_secret_v1" "x" {\n  metadata {\n    name      = "${name}"\n    namespace = ${namespace}\n  }\n}\n`;
  /** The findings of the folder apps/books of a git work tree whose terraform/ folder holds the configuration given, as [severity, message]. */
  async function findings(tf: string): Promise<[string, string][]> {
    const root = writeTree('secret-terraform-repo-', { 'apps/books/deployment.yaml': deployment, 'terraform/secrets.tf': tf });
    fs.mkdirSync(path.join(root, '.git'));
    const { out } = await cliInProcess(['check', path.join(root, 'apps/books'), '--platform', 'kserve', '--json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
      .filter((f) => f.rule === 'secret-not-in-tree')
      .map((f) => [f.severity, f.message]);
  }

  test('a kubernetes_secret_v1 with a literal name, its namespace a kubernetes_namespace resource, and one whose name it computes: notes, no warning', async () => {
    const tf =
      'resource "kubernetes_namespace" "books" {\n  metadata {\n    name = "books"\n  }\n}\n' +
      secret('books-db', 'kubernetes_namespace.books.metadata[0].name') +
      secret('${var.prefix}-mail', '"books"');
    expect(await findings(tf)).toEqual([
      [
        'info',
        'Secret books-db is not a manifest of the tree: the Terraform configuration makes it (../../terraform/secrets.tf, line 6: resource "kubernetes_secret_v1", outside the checked folder) ' +
          'when it is applied, and until then the pod waits (CreateContainerConfigError, retried); apply it first if that matters',
      ],
      [
        'info',
        "Secret books-mail is not a manifest of the tree: the Terraform configuration makes it (../../terraform/secrets.tf, line 12: resource \"kubernetes_secret_v1\", outside the checked folder, under a name it computes, '${var.prefix}-mail', which may be 'books-mail') " +
          'when it is applied, and until then the pod waits (CreateContainerConfigError, retried); apply it first if that matters',
      ],
    ]);
  });

  test('near misses: Secrets in another namespace, and a computed name whose literal part differs: the warning stays', async () => {
    const tf = secret('books-db', '"library"') + secret('${var.prefix}-smtp', '"books"');
    expect(await findings(tf)).toEqual([
      [
        'warning',
        "references Secrets books-db, books-mail in 'books', not defined in the tree; create them before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError",
      ],
    ]);
  });
});

describe("secret-not-in-tree: the pods Kaiwo's wrappers embed", () => {
  const env = [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'lab-hub-token', key: 'token' } } }];
  const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: 'quay.io/acme/train:1.0', env }] } };
  const kaiwoJob = {
    apiVersion: 'kaiwo.silogen.ai/v1alpha1',
    kind: 'KaiwoJob',
    metadata: { name: 'finetune', namespace: 'lab' },
    spec: { job: { spec: { template } } },
  };
  const kaiwoService = (spec: object) => ({
    apiVersion: 'kaiwo.silogen.ai/v1alpha1',
    kind: 'KaiwoService',
    metadata: { name: 'chat', namespace: 'lab' },
    spec,
  });
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'lab-hub-token', namespace: 'lab' }, stringData: { token: 'x' } };
  const found = (...docs: object[]) =>
    ruleFound(
      'secret-not-in-tree',
      docs.map((manifest) => ({ manifest })),
    ).map((f) => `${f.severity} ${f.object}`);

  test("a KaiwoJob's spec.job, a KaiwoService's deployment.spec and ray.spec (and the earlier rayService) are read as pod templates", () => {
    expect(found(kaiwoJob)).toEqual(['warning KaiwoJob/lab/finetune']);
    expect(found(kaiwoService({ deployment: { spec: { template } } }))).toEqual(['warning KaiwoService/lab/chat']);
    const ray = { rayClusterConfig: { headGroupSpec: { rayStartParams: {}, template } } };
    expect(found(kaiwoService({ ray: { spec: ray } }))).toEqual(['warning KaiwoService/lab/chat']);
    expect(found(kaiwoService({ rayService: { spec: ray } }))).toEqual(['warning KaiwoService/lab/chat']);
  });

  test('near miss: the Secret is in the tree', () => {
    expect(found(kaiwoJob, secret)).toEqual([]);
  });
});

describe('secret-not-in-tree: an app-template 5.x release, rendered from its values', () => {
  const fixture = (which: string) => fs.readFileSync(path.join(__dirname, '..', 'rules', 'secret-not-in-tree', which, 'app-template-5.yaml'), 'utf8');

  test('an envFrom secretRef to a Secret nothing of the tree makes: a warning on the rendered Deployment', async () => {
    const found = await treeRuleFound('secret-not-in-tree', 'app-template-secret-', { 'release.yaml': fixture('fires') });
    expect(found.map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'warning',
        'Deployment/gateway/litellm',
        "references Secret litellm-keys in 'gateway', not defined in the tree; create it before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError (Deployment/gateway/litellm as rendered from the app-template 5.1.0 values of HelmRelease gateway/litellm)",
      ],
    ]);
  });

  test('near miss: an ExternalSecret of the tree makes the Secret', async () => {
    expect(await treeRuleFound('secret-not-in-tree', 'app-template-secret-', { 'release.yaml': fixture('near-miss') })).toEqual([]);
  });
});
