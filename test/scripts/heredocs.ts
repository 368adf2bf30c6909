import { readManifests } from '../../lib/manifests/read-manifests';
import { heredocObjects } from '../../lib/manifests/script-heredocs';
import { cliInProcess, writeTree } from '../util';

const CLAIM = ['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: models', '  namespace: ${NS}', 'spec:', '  accessModes: [ReadWriteOnce]'];

const objects = (script: string, text: string) =>
  heredocObjects({ script, text }).map((h) => [String(h.manifest.kind), h.manifest.metadata, h.line, h.unexpanded]);

describe('manifests a script applies from heredocs are read as its objects, at its lines', () => {
  test('cat <<EOF | oc apply -f -: the variables the script set before are expanded, as bash expands an unquoted heredoc', () => {
    const script = ['#!/bin/bash', 'NS=llm-demo', 'cat <<EOF | oc apply -f -', ...CLAIM, 'EOF', ''].join('\n');
    expect(objects('deploy.sh', script)).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'llm-demo' }, 4, []]]);
  });

  test('oc apply -f - <<\'EOF\' and <<"EOF": a quoted delimiter keeps the body literal', () => {
    for (const quoted of ["'EOF'", '"EOF"']) {
      const script = ['NS=llm-demo', `oc apply -f - <<${quoted}`, ...CLAIM, 'EOF'].join('\n');
      expect(objects('deploy.sh', script)).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: '${NS}' }, 3, []]]);
    }
  });

  test('kubectl create -f- <<EOF with a value the script does not set: the expansion is told, a \\$ stays a literal dollar', () => {
    const body = CLAIM.map((l) => l.replace('name: models', 'name: models-$(date +%s)')).concat(['  storageClassName: \\$fast']);
    const script = ['kubectl create -f- <<EOF', ...body, 'EOF'].join('\n');
    const [h] = heredocObjects({ script: 'deploy.sh', text: script });
    expect(h.unexpanded).toEqual(['$(date +%s)', '${NS}']);
    expect((h.manifest.spec as Record<string, unknown>).storageClassName).toBe('$fast');
  });

  test('a heredoc written to a file that a later line applies (cat > f <<EOF, cat <<EOF > f, tee f) is read', () => {
    for (const write of ['cat > claim.yaml << EOF', 'cat <<EOF > ./claim.yaml', 'cat <<EOF | tee claim.yaml', "tee -a claim.yaml >/dev/null <<'EOF'"]) {
      const script = ['NS=llm-demo', write, ...CLAIM, 'EOF', 'echo written', 'kubectl apply -f claim.yaml -n llm-demo'].join('\n');
      const namespace = write.includes("'EOF'") ? '${NS}' : 'llm-demo';
      expect([write, objects('deploy.sh', script)]).toEqual([write, [['PersistentVolumeClaim', { name: 'models', namespace }, 3, []]]]);
    }
  });

  test('the -n of the command that applies the heredoc sends a namespace-less object there, as kubectl apply -n does', () => {
    const bare = CLAIM.filter((l) => !l.includes('namespace:'));
    const pipe = objects('deploy.sh', ['NS=registries', 'cat <<EOF | oc apply -n $NS -f -', ...bare, 'EOF'].join('\n'));
    expect(pipe).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'registries' }, 3, []]]);
    const written = objects(
      'README.md',
      ['```bash', 'cat << EOF >> claim.yaml', ...bare, 'EOF', '```', '', '```bash', 'oc apply -f claim.yaml -n registries', '```'].join('\n'),
    );
    expect(written).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'registries' }, 3, []]]);
    // its own namespace wins (kubectl refuses the mismatch; not this reader's verdict), and a cluster-scoped kind has none
    expect(objects('deploy.sh', ['NS=llm-demo', 'cat <<EOF | oc apply -n other -f -', ...CLAIM, 'EOF'].join('\n'))[0][1]).toEqual({
      name: 'models',
      namespace: 'llm-demo',
    });
    const cluster = ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: registries'];
    expect(objects('deploy.sh', ['cat <<EOF | oc apply -n registries -f -', ...cluster, 'EOF'].join('\n'))[0][1]).toEqual({ name: 'registries' });
  });

  test('near misses: a written file no line applies, one applied before it is written, another file applied, a dry run', () => {
    const with_ = (...lines: string[]) => objects('deploy.sh', ['NS=llm-demo', ...lines].join('\n'));
    expect(with_('cat > claim.yaml <<EOF', ...CLAIM, 'EOF', 'cat claim.yaml')).toEqual([]);
    expect(with_('kubectl apply -f claim.yaml', 'cat > claim.yaml <<EOF', ...CLAIM, 'EOF')).toEqual([]);
    expect(with_('cat > claim.yaml <<EOF', ...CLAIM, 'EOF', 'kubectl apply -f other-claim.yaml')).toEqual([]);
    expect(with_('cat > claim.yaml <<EOF', ...CLAIM, 'EOF', 'kubectl apply --dry-run=client -f claim.yaml')).toEqual([]);
  });

  test('an Ingress a script writes and applies with the class annotation and another ingressClassName: refused on create', async () => {
    const ingress = (annotation: boolean, className: boolean, other = 'alb') =>
      [
        '#!/bin/bash',
        'NAMESPACE=serving',
        'cat > ingress.yaml << EOF',
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata:',
        '  name: vllm',
        '  namespace: $NAMESPACE',
        ...(annotation ? ['  annotations:', '    kubernetes.io/ingress.class: alb'] : []),
        'spec:',
        ...(className ? [`  ingressClassName: ${other}`] : []),
        '  defaultBackend: {service: {name: vllm, port: {number: 80}}}',
        'EOF',
        'kubectl apply -f ingress.yaml',
      ].join('\n');
    const conflicts = async (annotation: boolean, className: boolean, other?: string) => {
      const root = writeTree('heredoc-ingress.', { 'deploy.sh': ingress(annotation, className, other) });
      const r = await cliInProcess(['check', root, '--json']);
      return (JSON.parse(r.out).findings as { rule: string; severity: string; object: string }[])
        .filter((f) => f.rule === 'ingress-class-conflict')
        .map((f) => [f.severity, f.object]);
    };
    expect(await conflicts(true, true, 'nginx')).toEqual([['error', 'Ingress/serving/vllm']]);
    // ValidateIngressCreate's accepted cases: both equal (Kubernetes 1.27 and later), the annotation alone, the field alone
    expect(await conflicts(true, true)).toEqual([]);
    expect(await conflicts(true, false)).toEqual([]);
    expect(await conflicts(false, true)).toEqual([]);
  });

  test('<<-EOF strips the leading tabs of each line; two documents are two objects at their own lines', () => {
    const script = [
      '\tcat <<-EOF | oc apply -f -',
      ...CLAIM.map((l) => `\t${l.replace('${NS}', 'demo')}`),
      '\t---',
      '\tapiVersion: v1',
      '\tkind: Namespace',
      '\tmetadata: {name: demo}',
      '\tEOF',
    ].join('\n');
    expect(objects('deploy.sh', script)).toEqual([
      ['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 2, []],
      ['Namespace', { name: 'demo' }, 10, []],
    ]);
  });

  test("a README's heredocs in its fenced blocks are read; one in its prose is not", () => {
    const readme = [
      '# Deploy',
      '',
      '```bash',
      'cat <<EOF | oc apply -f -',
      ...CLAIM.map((l) => l.replace('${NS}', 'demo')),
      'EOF',
      '```',
      '',
      'cat <<EOF | oc apply -f -',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: prose}',
      'EOF',
    ].join('\n');
    expect(objects('README.md', readme)).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 5, []]]);
  });

  test('near misses: a dry run, a heredoc written to a file, a heredoc fed to another program, a commented-out block', () => {
    const script = [
      'cat <<EOF | oc apply --dry-run=client -f -',
      ...CLAIM,
      'EOF',
      'cat > claim.yaml <<EOF',
      ...CLAIM,
      'EOF',
      'python3 - <<EOF',
      'print("kind: Namespace")',
      'EOF',
      ': <<COMMENT',
      'oc apply -f - <<EOF',
      'COMMENT',
    ].join('\n');
    expect(objects('deploy.sh', script)).toEqual([]);
  });
});

describe('check reads the objects a script applies from heredocs', () => {
  const SERVICE = (name: string) =>
    [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata:',
      `  name: ${name}`,
      '  namespace: demo',
      'spec:',
      '  predictor:',
      '    model:',
      '      modelFormat: {name: vLLM}',
      '      storageUri: pvc://models/granite',
    ].join('\n');
  const SETTINGS = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: demo\ndata:\n  MODEL: granite\n`;
  const check = async (files: Record<string, string>) => {
    const dir = writeTree('script-heredocs-', files);
    const out = JSON.parse((await cliInProcess(['check', dir, '--json', '--allow-empty', '--platform', 'rhoai-3.0'])).out) as {
      findings: { rule: string; severity: string; file?: string; line?: number; message: string }[];
    };
    return out.findings;
  };

  test('a name the API server refuses, in a heredoc: an error on the script at the document line', async () => {
    const found = await check({ 'deploy.sh': `#!/bin/bash\ncat <<EOF | oc apply -f -\n${SERVICE('Granite_Chat')}\nEOF\n` });
    const named = found.filter((f) => f.rule === 'inference-service-name');
    expect(named.map((f) => [f.severity, f.file?.replace(/^.*\//, ''), f.line])).toEqual([['error', 'deploy.sh', 3]]);
  });

  test('near miss: a name the shell completes from a value the script does not set is judged as a template: no error', async () => {
    const bad = await check({ 'deploy.sh': `#!/bin/bash\ncat <<EOF | oc apply -f -\n${SETTINGS('Granite_settings')}EOF\n` });
    expect(bad.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['metadata-invalid']);
    const found = await check({ 'deploy.sh': `#!/bin/bash\ncat <<EOF | oc apply -f -\n${SETTINGS('${MODEL}_settings')}EOF\n` });
    expect(found.filter((f) => f.severity === 'error')).toEqual([]);
    // the shell fills ${MODEL} when the script runs: no placeholder is left for unrendered-placeholder to report
    expect(found.filter((f) => f.rule === 'unrendered-placeholder')).toEqual([]);
  });

  test("a quoted heredoc (<<'EOF') hands its body over literally: the placeholder reaches the cluster and is reported", async () => {
    const found = await check({ 'deploy.sh': `#!/bin/bash\ncat <<'EOF' | oc apply -f -\n${SETTINGS('${MODEL}-settings')}EOF\n` });
    expect(found.filter((f) => f.rule === 'unrendered-placeholder').map((f) => [f.severity, f.message.split(':')[0]])).toEqual([
      ['error', "metadata.name holds '${MODEL}'"],
    ]);
  });

  test('near miss: an object the tree holds as a file too (a README showing it) is read once', () => {
    const dir = writeTree('script-heredocs-', {
      'service.yaml': SERVICE('granite'),
      'README.md': `\`\`\`\ncat <<EOF | oc apply -f -\n${SERVICE('granite')}\nEOF\n\`\`\`\n`,
    });
    expect(readManifests([dir]).manifests.map((m) => m.file.replace(/^.*\//, ''))).toEqual(['service.yaml']);
  });
});

describe('a heredoc ends where bash ends it (bash manual, Here Documents)', () => {
  /** A Job the script applies whose own container script applies a ConfigMap from a heredoc of its own, indented with the block. */
  const NESTED = [
    '#!/bin/bash',
    'cat << EOF | oc apply -f-',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata: {name: publish-settings, namespace: demo}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: publish',
    '        image: registry.example.com/tools/oc:4.16',
    '        command: ["/bin/bash", "-ec"]',
    '        args:',
    '        - |',
    '          cat << EOF | oc apply -f-',
    '          apiVersion: v1',
    '          kind: ConfigMap',
    '          metadata: {name: settings}',
    '          data: {MODEL: granite}',
    '          EOF',
    '      restartPolicy: Never',
    '      serviceAccountName: publisher',
    'EOF',
    'cat <<EOF | oc apply -f -',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata: {name: publisher, namespace: demo}',
    'EOF',
  ];

  test("a nested script's indented EOF is a line of the outer body: the Job is read whole, and the heredoc after it too", () => {
    const found = heredocObjects({ script: 'setup.sh', text: NESTED.join('\n') });
    expect(found.map((h) => [String(h.manifest.kind), h.line])).toEqual([
      ['Job', 3],
      ['ServiceAccount', 25],
    ]);
    const pod = ((found[0].manifest.spec as Record<string, any>).template as Record<string, any>).spec;
    expect([pod.restartPolicy, pod.serviceAccountName, pod.containers[0].name]).toEqual(['Never', 'publisher', 'publish']);
    // the nested script keeps its own heredoc, ended by its own EOF once YAML has taken the block's indentation
    expect(pod.containers[0].args[0]).toMatch(/^cat << EOF \| oc apply -f-\n[\s\S]*\nEOF\n$/);
  });

  test('near misses: under << an indented, tab-indented or blank-trailed delimiter ends nothing; the body runs to the line that is the delimiter alone', () => {
    for (const almost of ['  EOF', '\tEOF', 'EOF ']) {
      // the almost-delimiter is a line of a block scalar of the body, and the body goes on after it
      const script = [
        'cat <<EOF | oc apply -f -',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: settings, namespace: demo}',
        'data:',
        '  note: |',
        almost,
        '  MODEL: granite',
        'EOF',
      ];
      const [h] = heredocObjects({ script: 'deploy.sh', text: script.join('\n').replace(`\n${almost}\n`, `\n    ${almost}\n`) });
      expect([JSON.stringify(almost), h?.manifest.data]).toEqual([JSON.stringify(almost), { note: `${almost.replace(/^ +/, '')}\n`, MODEL: 'granite' }]);
    }
    // an opening no line ends (bash would read to the end of the script) applies nothing here
    expect(objects('deploy.sh', ['cat <<EOF | oc apply -f -', ...CLAIM, '  EOF'].join('\n'))).toEqual([]);
  });

  test('<<- strips leading tabs only: a tab-indented delimiter ends the body, a space-indented one does not', () => {
    const tabbed = ['cat <<-EOF | oc apply -f -', ...CLAIM.map((l) => `\t${l.replace('${NS}', 'demo')}`), '\t\tEOF'].join('\n');
    expect(objects('deploy.sh', tabbed)).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 2, []]]);
    expect(objects('deploy.sh', tabbed.replace('\t\tEOF', '  EOF'))).toEqual([]);
  });

  test("a README's block nested in a list item loses the item's indentation before bash's rule applies; a workflow's run block and a Makefile recipe their own", () => {
    const claim = CLAIM.map((l) => l.replace('${NS}', 'demo'));
    const readme = [
      '# Deploy',
      '',
      '1. Create the claim:',
      '',
      '   ```bash',
      '   cat <<EOF | oc apply -f -',
      ...claim.map((l) => `   ${l}`),
      '   EOF',
      '   ```',
      '',
    ];
    expect(objects('README.md', readme.join('\n'))).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 7, []]]);
    const workflow = [
      'jobs:',
      '  deploy:',
      '    steps:',
      '      - run: |',
      '          cat <<EOF | oc apply -f -',
      ...claim.map((l) => `          ${l}`),
      '          EOF',
    ];
    expect(objects('.github/workflows/deploy.yml', workflow.join('\n'))).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 6, []]]);
    const makefile = ['.ONESHELL:', 'claim:', '\tcat <<EOF | oc apply -f -', ...claim.map((l) => `\t${l}`), '\tEOF'];
    expect(objects('Makefile', makefile.join('\n'))).toEqual([['PersistentVolumeClaim', { name: 'models', namespace: 'demo' }, 4, []]]);
    // near miss: in a shell script nothing is stripped, and an indented EOF ends nothing
    expect(objects('deploy.sh', readme.slice(5, -2).join('\n'))).toEqual([]);
  });
});
