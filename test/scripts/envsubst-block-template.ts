import { readManifests } from '../../lib';
import { writeTree } from '../util';

/** A MachineSet whose taints stand for a block envsubst fills in: a line that is only `${TAINT_LINES}` breaks the YAML. */
const MACHINE_SET = [
  'apiVersion: machine.openshift.io/v1beta1',
  'kind: MachineSet',
  'metadata:',
  '  name: ${SET_NAME}',
  '  namespace: openshift-machine-api',
  'spec:',
  '  replicas: 1',
  '  template:',
  '    spec:',
  '${TAINT_LINES}',
  '      providerSpec:',
  '        value:',
  '          instanceType: ${INSTANCE_TYPE}',
  '',
].join('\n');

const README = '# GPU nodes\n\nRender each file before applying it:\n\n    envsubst < gpu/nodes.yaml | oc apply -f -\n';

/** The read problems of a tree: severity, and whether the message says it is a template. */
const problems = (files: Record<string, string>) => readManifests([writeTree('envsubst-block-', files)]).errors.map((e) => [e.severity, e.message]);

describe('a file judged as a template that fails to parse at a ${VAR} line is a warning, not unreadable', () => {
  test('a README beside it that runs envsubst: a warning naming the placeholder, the line and the README', () => {
    expect(problems({ 'gpu/nodes.yaml': MACHINE_SET, 'gpu/README.md': README })).toEqual([
      [
        'warning',
        'document 1 is not valid YAML: Implicit keys need to be on a single line at the placeholder ${TAINT_LINES} (line 10), which breaks the YAML ' +
          'until it is rendered: judged as a template, since gpu/README.md (line 5) renders it with envsubst before applying it; not read: render it, then check the output',
      ],
    ]);
  });

  test("a template name (nodes.tmpl.yaml) and the file's own comment are the same evidence", () => {
    expect(problems({ 'gpu/nodes.tmpl.yaml': MACHINE_SET })).toEqual([
      ['warning', expect.stringMatching(/judged as a template, since its name nodes\.tmpl\.yaml marks a template/)],
    ]);
    const commented = `# envsubst < nodes.yaml | oc apply -f -\n${MACHINE_SET}`;
    expect(problems({ 'gpu/nodes.yaml': commented })).toEqual([
      ['warning', expect.stringMatching(/\$\{TAINT_LINES\} \(line 11\).*its own comment renders it \('envsubst < nodes\.yaml \| oc apply -f -'\)/)],
    ]);
  });

  test('near miss: without anything that renders the file, the same failure is an error', () => {
    expect(problems({ 'gpu/nodes.yaml': MACHINE_SET })).toEqual([['error', 'document 1 is not valid YAML: Implicit keys need to be on a single line']]);
  });

  test('near miss: a template whose failure is at a line without a placeholder (an indentation slip) is still an error', () => {
    const slipped = MACHINE_SET.replace('${TAINT_LINES}\n', '').replace('  replicas: 1', '  replicas: 1\n   paused: true');
    expect(problems({ 'gpu/nodes.yaml': slipped, 'gpu/README.md': README })).toEqual([
      ['error', expect.stringMatching(/^document 1 is not valid YAML: [^$]*$/)],
    ]);
  });

  test('near miss: a file a kustomization lists is read as YAML by kustomize, whatever a README says', () => {
    const listed = problems({ 'gpu/nodes.yaml': MACHINE_SET, 'gpu/README.md': README, 'gpu/kustomization.yaml': 'resources:\n  - nodes.yaml\n' });
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every(([severity]) => severity === 'error')).toBe(true);
  });
});

/** A Deployment whose image is a bare handlebars placeholder: YAML reads `{{{IMAGE}}}` as a flow mapping used as a key. */
const BRACED_DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: server',
  'spec:',
  '  selector:',
  '    matchLabels: {app: server}',
  '  template:',
  '    metadata:',
  '      labels: {app: server}',
  '    spec:',
  '      containers:',
  '        - name: server',
  '          image: {{{IMAGE}}}',
  '',
].join('\n');

describe('a template whose bare {{VAR}} value YAML reads as a mapping key is a warning, not unreadable', () => {
  test('a *.template.yaml with {{{IMAGE}}}: a warning naming the placeholder and the name, without the advice to quote it', () => {
    expect(problems({ 'app/server.template.yaml': BRACED_DEPLOYMENT })).toEqual([
      [
        'warning',
        'document 1 is not valid YAML for kubectl and kustomize (line 14: the key {{IMAGE}} is a mapping, which go-yaml refuses: "invalid map key") ' +
          'at the placeholder {{{IMAGE}}} (line 14), which breaks the YAML until it is rendered: judged as a template, since its name server.template.yaml ' +
          'marks a template; not read: render it, then check the output',
      ],
    ]);
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: {{HF_TOKEN}}\n';
    expect(problems({ 'app/secret.tpl.yaml': secret })).toEqual([
      ['warning', expect.stringMatching(/at the placeholder \{\{HF_TOKEN\}\} \(line 6\).*its name secret\.tpl\.yaml/)],
    ]);
  });

  test('a file a script renders with a sed whose pattern is a regular expression is the same evidence', () => {
    const script = "#!/bin/sh\nsed -E 's|[{]+IMAGE[}]+|quay.io/org/server:1.0|' app/server.yaml | kubectl apply -f -\n";
    expect(problems({ 'app/server.yaml': BRACED_DEPLOYMENT, 'deploy.sh': script })).toEqual([
      ['warning', expect.stringMatching(/\{\{\{IMAGE\}\}\} \(line 14\).*since deploy\.sh \(line 2\) renders it with sed/)],
    ]);
  });

  test('a literal sed of the placeholder is read as the script runs it: the file it applies is filled, no finding', () => {
    const script = "#!/bin/sh\nsed 's|{{{IMAGE}}}|quay.io/org/server:1.0|' app/server.yaml | kubectl apply -f -\n";
    expect(problems({ 'app/server.yaml': BRACED_DEPLOYMENT, 'deploy.sh': script })).toEqual([]);
  });

  test('near miss: the same file that nothing renders is unreadable input, with the advice to quote the value', () => {
    expect(problems({ 'app/server.yaml': BRACED_DEPLOYMENT })).toEqual([['error', expect.stringMatching(/"invalid map key"\): not read; quote the key$/)]]);
  });

  test('near miss: a template whose mapping key is not a placeholder ([a, b] as a key) is still an error', () => {
    const keyed = BRACED_DEPLOYMENT.replace('{{{IMAGE}}}', 'quay.io/org/server:1.0').replace('  name: server', '  name: server\n  labels:\n    [a, b]: c');
    expect(problems({ 'app/server.template.yaml': keyed })).toEqual([['error', expect.stringMatching(/the key \[a, b\] is a sequence/)]]);
  });
});
