import { appliedManifests, objectsCreatedByScript, secretKeysOf } from '../../lib/manifests/script-creations';
import { cliInProcess, writeTree } from '../util';

describe('objects a deployment script creates when it runs', () => {
  test("kubectl create's subcommands, by every name kubectl takes, with the namespace flag", () => {
    const script = [
      'oc create configmap app-settings --from-file=settings.json -n demo',
      'kubectl create cm prompts --from-literal=a=b',
      'oc -n demo create secret generic db-creds --from-env-file=.env',
      'kubectl create secret docker-registry pull-secret --docker-server=quay.io',
      'oc create namespace demo',
      'kubectl create sa runner --namespace=demo',
    ].join('\n');
    expect(objectsCreatedByScript(script)).toEqual([
      { kind: 'ConfigMap', name: 'app-settings', namespace: 'demo', line: 1, command: 'oc create configmap app-settings --from-file=settings.json -n demo' },
      { kind: 'ConfigMap', name: 'prompts', namespace: undefined, line: 2, command: 'kubectl create cm prompts --from-literal=a=b' },
      { kind: 'Secret', name: 'db-creds', namespace: 'demo', line: 3, command: 'oc -n demo create secret generic db-creds --from-env-file=.env' },
      {
        kind: 'Secret',
        name: 'pull-secret',
        namespace: undefined,
        line: 4,
        keys: ['.dockerconfigjson'],
        command: 'kubectl create secret docker-registry pull-secret --docker-server=quay.io',
      },
      { kind: 'Namespace', name: 'demo', namespace: undefined, line: 5, command: 'oc create namespace demo' },
      { kind: 'ServiceAccount', name: 'runner', namespace: 'demo', line: 6, command: 'kubectl create sa runner --namespace=demo' },
    ]);
  });

  test('namespaces made otherwise: oc new-project, helm --create-namespace with its -n; a variable assigned one literal is that name', () => {
    const script = [
      'PROJECT=llm-serving',
      'oc new-project "$PROJECT" --display-name="LLM serving"',
      '/usr/bin/oc new-project llm-infra',
      'helm upgrade --install gw ./charts/gateway --create-namespace -n llm-gateway',
      'helm install other ./charts/other -n not-created',
    ].join('\n');
    expect(objectsCreatedByScript(script)).toEqual([
      { kind: 'Project', name: 'llm-serving', line: 2, command: 'oc new-project "$PROJECT" --display-name="LLM serving"' },
      { kind: 'Project', name: 'llm-infra', line: 3, command: '/usr/bin/oc new-project llm-infra' },
      { kind: 'Namespace', name: 'llm-gateway', line: 4, command: 'helm upgrade --install gw ./charts/gateway --create-namespace -n llm-gateway' },
      // without --create-namespace helm makes no Namespace: the install is only pointed at it, which may make it or expect it
      { kind: 'InstallTargetNamespace', name: 'not-created', line: 5, command: 'helm install other ./charts/other -n not-created' },
    ]);
  });

  test("helm install|upgrade of the GPU Operator's chart makes its ClusterPolicy: the alias added as NVIDIA's repository, or nvidia where none is added", () => {
    const made = (script: string) =>
      objectsCreatedByScript(script)
        .filter((c) => c.kind === 'ClusterPolicy')
        .map((c) => [c.name, c.line]);
    expect(
      made('helm repo add ngc https://helm.ngc.nvidia.com/nvidia && helm repo update\nhelm upgrade --install gpu-operator ngc/gpu-operator --wait'),
    ).toEqual([['cluster-policy', 2]]);
    expect(made('helm install --wait --generate-name -n gpu-operator --create-namespace nvidia/gpu-operator')).toEqual([['cluster-policy', 1]]);
    // near misses: the alias names another repository, another chart of NVIDIA's, a chart only searched for
    expect(made('helm repo add nvidia https://charts.example.com/mirror\nhelm install gpu-operator nvidia/gpu-operator')).toEqual([]);
    expect(made('helm repo add nvidia https://helm.ngc.nvidia.com/nvidia\nhelm install nvdp nvidia/nvidia-device-plugin')).toEqual([]);
    expect(made('helm search repo nvidia/gpu-operator')).toEqual([]);
  });

  test('a dry run piped into apply creates; one written to a file only prints', () => {
    const script = [
      'oc create configmap ledger-config --from-file=config/ --dry-run=client -o yaml | oc apply -f -',
      'kubectl create configmap printed --from-file=x --dry-run=client -o yaml > printed.yaml',
    ].join('\n');
    expect(objectsCreatedByScript(script).map((o) => o.name)).toEqual(['ledger-config']);
  });

  test('a name held in a variable the script sets to one literal is that name; an unknown one is no name', () => {
    const script = [
      'CM_NAME="model-list"',
      'oc create configmap $CM_NAME --from-file=models.txt',
      'oc create configmap "${1}" --from-file=x',
      'oc create configmap ${OTHER}',
    ].join('\n');
    expect(objectsCreatedByScript(script).map((o) => o.name)).toEqual(['model-list']);
  });

  test('a quoted name, and a variable whose script value is its default (`X=${X:-value}`), are that name', () => {
    const script = [
      'NAMESPACE=${NAMESPACE:-wiki-pages}',
      'kubectl get ns "$NAMESPACE" || kubectl create ns "$NAMESPACE"',
      'kubectl create sa \'loader\' -n "$NAMESPACE"',
    ].join('\n');
    expect(objectsCreatedByScript(script).map((o) => [o.kind, o.name, o.namespace])).toEqual([
      ['Namespace', 'wiki-pages', undefined],
      ['ServiceAccount', 'loader', 'wiki-pages'],
    ]);
    // a default of another variable is no value of this one: the namespace keeps the variable's name, its value unknown
    expect(objectsCreatedByScript('NAMESPACE=${OTHER:-wiki-pages}\nkubectl create ns "$NAMESPACE"\n').map((o) => o.name)).toEqual(['$NAMESPACE']);
  });

  test('a command continued on the next line is one command; a heredoc piped to apply creates its objects', () => {
    const script = [
      'oc create configmap \\',
      '  continued --from-file=a.txt',
      'cat <<EOF | oc apply -n tools -f -',
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata:',
      '  name: scratch',
      'EOF',
      'cat <<EOF > not-applied.yaml',
      'kind: ConfigMap',
      'metadata:',
      '  name: written-only',
      'EOF',
    ].join('\n');
    expect(objectsCreatedByScript(script)).toEqual([
      { kind: 'ConfigMap', name: 'continued', namespace: undefined, line: 1, command: 'oc create configmap continued --from-file=a.txt' },
      {
        kind: 'PersistentVolumeClaim',
        name: 'scratch',
        namespace: 'tools',
        line: 3,
        manifest: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scratch' } },
        command: 'cat <<EOF | oc apply -n tools -f -',
        heredoc: true,
      },
    ]);
  });

  test("create secret generic's --from-literal values, the variables the script assigned one literal before expanded", () => {
    const script = [
      'KEY="minio123"',
      "USER='minio'",
      'oc create secret generic store -n data \\',
      '  --from-literal=AWS_ACCESS_KEY_ID="$USER" --from-literal=AWS_SECRET_ACCESS_KEY=${KEY} \\',
      '  --from-literal=TOKEN="$FROM_ENV" --from-literal=RAW=\'$KEY\'',
      'KEY=$(cat key.txt)',
      'oc create secret generic later --from-literal=AWS_SECRET_ACCESS_KEY="$KEY"',
      'oc create secret generic no-values --from-file=key.txt',
    ].join('\n');
    expect(objectsCreatedByScript(script).map((o) => [o.name, o.manifest])).toEqual([
      [
        'store',
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'store', namespace: 'data' },
          stringData: { AWS_ACCESS_KEY_ID: 'minio', AWS_SECRET_ACCESS_KEY: 'minio123', TOKEN: '$FROM_ENV', RAW: '$KEY' },
        },
      ],
      // reassigned from a command: the shell's value, not the script's
      ['later', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'later' }, stringData: { AWS_SECRET_ACCESS_KEY: '$KEY' } }],
      ['no-values', undefined],
    ]);
  });
});

describe('the manifests a script applies from heredocs, as the shell hands them over', () => {
  const script = (delimiter: string, assignments: string) =>
    `${assignments}\ncat <<${delimiter} | oc apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \${APP}-settings\ndata:\n  MODEL: $model\nEOF\n`;

  test('an unquoted heredoc expands the variables the script set to literals before it', () => {
    expect(appliedManifests(script('EOF', '# APP=old\nAPP=chat\nmodel="granite-3b"')).map((a) => [a.manifest.metadata, a.manifest.data, a.line])).toEqual([
      [{ name: 'chat-settings' }, { MODEL: 'granite-3b' }, 4],
    ]);
    expect(objectsCreatedByScript(script('EOF', 'APP=chat')).map((o) => o.name)).toEqual(['chat-settings']);
  });

  test('a quoted delimiter expands nothing; a variable set from a command, or set again so, is not known', () => {
    expect(appliedManifests(script("'EOF'", 'APP=chat')).map((a) => a.manifest.metadata)).toEqual([{ name: '${APP}-settings' }]);
    expect(objectsCreatedByScript(script('EOF', 'APP=$(hostname)'))).toEqual([]);
    expect(objectsCreatedByScript(script('EOF', 'APP=chat\nAPP="$1"'))).toEqual([]);
  });
});

describe('check: a reference to what a script of the folder creates is a note, not a missing object', () => {
  const tree = (script: Record<string, string>) =>
    writeTree('script-created-', {
      'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ledger\n',
      'deployment.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: ledger, namespace: ledger}',
        'spec:',
        '  selector: {matchLabels: {app: ledger}}',
        '  template:',
        '    metadata: {labels: {app: ledger}}',
        '    spec:',
        '      serviceAccountName: ledger-runner',
        '      containers:',
        '        - name: app',
        '          image: quay.io/example/ledger@sha256:' + 'a'.repeat(64),
        '          envFrom: [{configMapRef: {name: ledger-config}}]',
        '',
      ].join('\n'),
      ...script,
    });

  const findings = async (dir: string) => {
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--format', 'json', '--verbose']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter((f) =>
      ['pod-reference-not-found', 'service-account-not-found'].includes(f.rule),
    );
  };

  test('without the script, the ConfigMap and the ServiceAccount are missing (errors)', async () => {
    const found = await findings(tree({}));
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['pod-reference-not-found', 'error'],
      ['service-account-not-found', 'error'],
    ]);
  });

  test('deploy.sh creates both: a note each, naming the script and its line', async () => {
    const found = await findings(
      tree({
        'deploy.sh':
          '#!/bin/sh\nset -e\noc apply -f namespace.yaml\noc create configmap ledger-config -n ledger --from-file=config/\noc create sa ledger-runner -n ledger\noc apply -f deployment.yaml\n',
      }),
    );
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['pod-reference-not-found', 'info'],
      ['service-account-not-found', 'info'],
    ]);
    expect(found[0].message).toMatch(/ConfigMap 'ledger-config' is not a manifest of the tree: deploy\.sh \(line 4\) creates it when it runs/);
    expect(found[1].message).toMatch(/deploy\.sh \(line 5\) creates it/);
  });

  test('a script that creates them in another namespace does not count', async () => {
    const found = await findings(tree({ 'deploy.sh': 'oc create configmap ledger-config -n other\noc create sa ledger-runner -n other\n' }));
    expect(found.map((f) => f.severity)).toEqual(['error', 'error']);
  });
});

describe('the keys of a Secret a script creates, as kubectl create secret makes them', () => {
  test('literal keys, a keyed file and a file by its name are keys; the subcommand gives tls and docker-registry theirs', () => {
    expect(secretKeysOf('oc create secret generic s --from-literal=accesskey="$A" --from-literal secretkey=$B -n x', 'generic')).toEqual([
      'accesskey',
      'secretkey',
    ]);
    expect(secretKeysOf('kubectl create secret generic s --from-file=ca.crt=./pki/root.pem --from-file=./conf/settings.json', 'generic')).toEqual([
      'ca.crt',
      'settings.json',
    ]);
    expect(secretKeysOf('kubectl create secret tls web --cert=c.pem --key=k.pem', 'tls')).toEqual(['tls.crt', 'tls.key']);
    expect(secretKeysOf('kubectl create secret docker-registry pull --docker-server=quay.io', 'docker-registry')).toEqual(['.dockerconfigjson']);
  });

  test('a key from a variable, a folder, an env file or no source at all leaves the keys unknown', () => {
    expect(secretKeysOf('kubectl create secret generic s --from-literal="$KEY"=v', 'generic')).toBeUndefined();
    expect(secretKeysOf('kubectl create secret generic s --from-file=./certs', 'generic')).toBeUndefined();
    expect(secretKeysOf('kubectl create secret generic s --from-literal=a=b --from-env-file=app.env', 'generic')).toBeUndefined();
    expect(secretKeysOf('kubectl create secret generic s', 'generic')).toBeUndefined();
  });

  test('a Secret the script patches afterwards has keys the command does not say', () => {
    const made = (script: string) => objectsCreatedByScript(script).map((o) => [o.name, o.keys]);
    expect(made('oc create secret generic s3 --from-literal=user=u\n')).toEqual([['s3', ['user']]]);
    expect(made('oc create secret generic s3 --from-literal=user=u\noc patch secret s3 -p "{}"\n')).toEqual([['s3', undefined]]);
    expect(made('cat <<EOF | oc apply -f -\napiVersion: v1\nkind: Secret\nmetadata: {name: s3}\nstringData: {user: u, pass: p}\nEOF\n')).toEqual([
      ['s3', ['user', 'pass']],
    ]);
  });
});

describe('a Secret only a repair script makes', () => {
  const job = [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata: {name: fetch, namespace: ml}',
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: fetch',
    '          image: registry.example.com/tools/fetch@sha256:' + 'a'.repeat(64),
    '          env:',
    '            - name: HF_TOKEN',
    '              valueFrom: {secretKeyRef: {name: app-keys, key: hf-token}}',
    '',
  ].join('\n');
  const repair = [
    '#!/bin/bash',
    '# re-create the Secret with its values decoded once',
    "DB=$(kubectl get secret app-keys -n ml -o jsonpath='{.data.db-url}' | base64 -d)",
    'kubectl delete secret app-keys -n ml',
    'kubectl create secret generic app-keys -n ml --from-literal=db-url="$DB"',
    '',
  ].join('\n');
  const keyFindings = async (files: Record<string, string>) => {
    const { out } = await cliInProcess(['check', writeTree('repair-script-', files), '--platform', 'kserve', '--format', 'json']);
    return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter((f) => f.rule === 'referenced-key-missing');
  };

  test('a script that reads the Secret before re-creating it, which nothing runs: a warning naming the script', async () => {
    const found = await keyFindings({ 'job.yaml': job, 'repair-keys.sh': repair });
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain('repair-keys.sh reads the Secret from the cluster before it re-creates it and nothing of the tree runs it');
  });

  test('the same script run by a README install step, or one that makes the Secret without reading it first: an error', async () => {
    const readme = '# Install\n\n```bash\n./repair-keys.sh\nkubectl apply -f job.yaml\n```\n';
    expect((await keyFindings({ 'job.yaml': job, 'repair-keys.sh': repair, 'README.md': readme })).map((f) => f.severity)).toEqual(['error']);
    const install = 'kubectl create secret generic app-keys -n ml --from-literal=db-url="$DB_URL"\n';
    expect((await keyFindings({ 'job.yaml': job, 'install.sh': install })).map((f) => f.severity)).toEqual(['error']);
  });
});

describe('a heredoc read by a command substitution inside an argument', () => {
  test('the command goes on after the delimiter: the pipe into oc apply is part of it, and later lines keep their numbers', () => {
    const script = [
      'NS=observe',
      'oc create cm panel-sources -n $NS --dry-run=client -o yaml \\',
      '  --from-literal=sources.yaml="$(cat <<EOF',
      'url: https://${HOST}',
      'EOF',
      ')" | oc apply -f -',
      "kubectl create secret generic panel-token -n $NS --from-literal=token=\"$(cat <<'EOF'",
      'abc',
      'EOF',
      ')"',
    ].join('\n');
    expect(objectsCreatedByScript(script).map((o) => [o.kind, o.name, o.namespace, o.line, o.keys])).toEqual([
      ['ConfigMap', 'panel-sources', 'observe', 2, undefined],
      ['Secret', 'panel-token', 'observe', 7, ['token']],
    ]);
  });

  test('near miss: printed only, the pipe into apply missing after the delimiter', () => {
    const script = ['oc create cm panel-sources --dry-run=client -o yaml --from-literal=k="$(cat <<EOF', 'a', 'EOF', ')" > out.yaml'].join('\n');
    expect(objectsCreatedByScript(script)).toEqual([]);
  });
});

describe('objects a script computes with a jq or yq filter and applies', () => {
  const select = (kind: string) => `jq -c '.[] | select(.kind == "${kind}")'`;
  const read = `oc get csv/mesh.v2 -n ops -o jsonpath='{.metadata.annotations.alm-examples}'`;
  const computed = (script: string) =>
    objectsCreatedByScript(script)
      .filter((c) => c.computed)
      .map((c) => [c.kind, c.name, c.line]);

  test('a variable the filter fills, applied by an unquoted heredoc or an echo; a filter piped into apply', () => {
    const assigned = `OBJ=$(${read} | ${select('ServiceMeshControlPlane')})`;
    expect(computed([assigned, 'kubectl apply -f - <<EOF', '$OBJ', 'EOF'].join('\n'))).toEqual([['ServiceMeshControlPlane', '$OBJ', 2]]);
    expect(computed([assigned, 'printf "%s" "$OBJ" | oc create -f -'].join('\n'))).toEqual([['ServiceMeshControlPlane', '$OBJ', 2]]);
    expect(computed(`${read} | yq '.[] | select(.kind == "MeshMember")' | oc apply -f -`)).toEqual([['MeshMember', expect.stringContaining('yq'), 1]]);
  });

  test('near misses: the selection saved or printed, a quoted heredoc (no expansion), a variable of other text', () => {
    const assigned = `OBJ=$(${read} | ${select('ServiceMeshControlPlane')})`;
    expect(computed([assigned, 'echo "$OBJ" > smcp.json'].join('\n'))).toEqual([]);
    expect(computed([assigned, "oc apply -f - <<'EOF'", '$OBJ', 'EOF'].join('\n'))).toEqual([]);
    expect(computed(['OBJ=$(cat smcp.json)', 'echo "$OBJ" | oc apply -f -'].join('\n'))).toEqual([]);
  });
});
