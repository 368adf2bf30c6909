import { ansibleCreatedObjects, jinjaNeutralized } from '../../lib/manifests/ansible-creations';
import { markdownCode, markdownProseNamespaceCommands } from '../../lib/manifests/repository-scripts';
import { proseNamespaceCreations, repositoryCreations } from '../../lib/manifests/repository-creations';
import { repositoryScriptsAbove } from '../../lib/manifests/repository-scripts';
import { writeTree } from '../util';

describe('markdownCode: the commands of a guide', () => {
  test('fenced blocks as written, code spans of other lines, prose and tables dropped, line numbers kept', () => {
    const guide = [
      '# Install',
      'Run `kubectl apply -k deploy/` then `oc get pods`.',
      '| a | `b` |',
      '```sh',
      'envsubst < x.yaml | oc apply -f -',
      '```',
      'done',
    ].join('\n');
    expect(markdownCode(guide).split('\n')).toEqual([
      '',
      'kubectl apply -k deploy/ ; oc get pods',
      'b',
      '```sh',
      'envsubst < x.yaml | oc apply -f -',
      '```',
      '',
    ]);
  });
});

describe('namespace commands a guide writes in its prose', () => {
  const guide = [
    '# Setup',
    '1. Run oc new-project ledger-dev',
    '2. Then kubectl create namespace ledger-cache.',
    'The objects go in ledger-prod, which the platform team makes.',
    'Use `oc create ns ledger-jobs` for batch work, and `oc apply -k deploy/`.',
    '```sh',
    'oc new-project ledger-fenced',
    '```',
    'Never write oc new-project $NAME or kubectl create namespace {{ ns }} here.',
  ].join('\n');

  test('markdownCode keeps a bare namespace command of a prose line beside its code spans', () => {
    expect(markdownCode(guide).split('\n')).toEqual([
      '',
      'oc new-project ledger-dev',
      'kubectl create namespace ledger-cache',
      '',
      'oc create ns ledger-jobs ; oc apply -k deploy/',
      '```sh',
      'oc new-project ledger-fenced',
      '```',
      '',
    ]);
  });

  test('markdownProseNamespaceCommands: the namespace commands outside fenced blocks only, bare or inline', () => {
    expect(markdownProseNamespaceCommands(guide).split('\n')).toEqual([
      '',
      'oc new-project ledger-dev',
      'kubectl create namespace ledger-cache',
      '',
      'oc create ns ledger-jobs',
      '',
      '',
      '',
      '',
    ]);
  });

  test('proseNamespaceCreations: each as made by the guide at its line; a sentence naming a namespace makes none', () => {
    const made = proseNamespaceCreations([{ script: 'README.md', text: guide }]).map((o) => [o.kind, o.name, o.script, o.line]);
    expect(made).toEqual([
      ['Project', 'ledger-dev', 'README.md', 2],
      ['Namespace', 'ledger-cache', 'README.md', 3],
      ['Namespace', 'ledger-jobs', 'README.md', 5],
    ]);
  });
});

describe('ansibleCreatedObjects: what the tasks of an Ansible file make', () => {
  test('a definition, YAML text, a kind and name; Jinja names unknown, a Jinja namespace left unknown; state: absent makes nothing', () => {
    const tasks = [
      '- name: a',
      '  kubernetes.core.k8s:',
      '    definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: one, namespace: "{{ ns }}"}}',
      '- name: b',
      '  k8s:',
      '    namespace: tools',
      '    definition: |',
      '      apiVersion: v1',
      '      kind: Secret',
      '      metadata: {name: two}',
      '- name: c',
      '  k8s: {kind: ConfigMap, name: "{{ app }}-settings", namespace: tools}',
      '- name: d',
      '  k8s: {state: absent, kind: ConfigMap, name: gone}',
      '- name: e',
      '  ansible.builtin.command:',
      '    cmd: kubectl create configmap three -n tools --from-file=a.txt',
      '',
    ].join('\n');
    expect(ansibleCreatedObjects(tasks, '/nowhere/site.yml').map((o) => [o.kind, o.name, o.namespace, o.line])).toEqual([
      ['ConfigMap', 'one', undefined, 2],
      ['Secret', 'two', 'tools', 5],
      ['ConfigMap', 'three', 'tools', 16],
    ]);
  });

  test('a mapping document (a Kubernetes manifest, a vars file) is no task list', () => {
    expect(ansibleCreatedObjects('k8s:\n  kind: ConfigMap\n  name: x\n', '/nowhere/vars.yml')).toEqual([]);
  });

  test("a template's Jinja is neutralized: statements dropped, expressions a mark no name admits", () => {
    expect(jinjaNeutralized('{% if x %}\nname: {{ n }}\n{% endif %}\n')).toBe('name: __jinja__\n');
  });
});

describe('repositoryCreations: the repository around a checked folder', () => {
  test("a role's template looked up by a definition's lookup(); a guide not naming the folder, and the folder's own scripts, left to others", () => {
    const repo = writeTree('repo-creations-', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'k8s/app.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n',
      'k8s/install.sh': 'kubectl create configmap inside -n ml\n',
      'ansible/roles/app/tasks/main.yml': `- k8s:\n    definition: "{{ lookup('template', 'cm.yaml.j2') | from_yaml }}"\n`,
      'ansible/roles/app/templates/cm.yaml.j2': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: looked-up\n  namespace: ml\n',
      'docs/other.md': '```sh\nkubectl create configmap elsewhere -n ml\nkubectl apply -k other/\n```\n',
    });
    const folder = `${repo}/k8s`;
    expect(repositoryCreations(folder, repositoryScriptsAbove(folder)).map((o) => [o.name, o.script, o.outside])).toEqual([
      ['looked-up', '../ansible/roles/app/tasks/main.yml', true],
    ]);
  });
});
