import { ruleFindings, treeRuleFound } from '../util';

const RULE = 'project-name-reserved';
const request = (name: string) => ({ apiVersion: 'project.openshift.io/v1', kind: 'ProjectRequest', metadata: { name } });
const deployment = (namespace: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels: {app: chat}\n` +
  `  template:\n    metadata:\n      labels: {app: chat}\n    spec:\n      containers:\n        - name: server\n          image: vllm/vllm-openai:v0.11.1\n`;

describe('project-name-reserved: project names OpenShift refuses to a ProjectRequest', () => {
  test('a ProjectRequest under a reserved prefix or with a reserved name: an error quoting the refusal', () => {
    expect(ruleFindings(RULE, [request('openshift-models')], 'rhoai-3.0')).toEqual([
      expect.stringMatching(
        /^error ProjectRequest\/openshift-models: ProjectRequest 'openshift-models': OpenShift refuses it as Forbidden \(cannot request a project starting with "openshift-"\)/,
      ),
    ]);
    expect(ruleFindings(RULE, [request('kube')], 'rhoai-3.0')).toEqual([expect.stringMatching(/cannot request a project with the name "kube"/)]);
    expect(ruleFindings(RULE, [request('kubernetes-lab')], 'rhoai-3.0')).toEqual([expect.stringMatching(/starting with "kubernetes-"/)]);
  });

  test('`oc new-project` of a reserved name in a script: an error said once, on the first object placed in it', async () => {
    const found = await treeRuleFound(RULE, 'project-name-reserved-', {
      'deploy.sh': '#!/bin/sh\nset -e\noc new-project openshift-chat\noc apply -f .\n',
      'chat.yaml': deployment('openshift-chat'),
      'other.yaml': deployment('openshift-chat').replace('name: chat\n', 'name: chat-two\n'),
    });
    expect(found).toEqual([
      {
        severity: 'error',
        object: 'Deployment/openshift-chat/chat',
        message: expect.stringMatching(
          /^deploy\.sh \(line 3\) runs `oc new-project openshift-chat`, which sends a ProjectRequest, and OpenShift refuses it as Forbidden/,
        ),
      },
    ]);
  });

  test('near misses: ordinary names, names that only contain the words, Project and Namespace objects, a variable name', async () => {
    expect(ruleFindings(RULE, [request('inference'), request('my-openshift-lab'), request('kubeflow')], 'rhoai-3.0')).toEqual([]);
    const objects = [
      { apiVersion: 'project.openshift.io/v1', kind: 'Project', metadata: { name: 'openshift-tools' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-tools' } },
    ];
    expect(ruleFindings(RULE, objects, 'rhoai-3.0')).toEqual([]);
    const found = await treeRuleFound(RULE, 'project-name-reserved-', {
      'deploy.sh': '#!/bin/sh\nset -e\noc new-project "${PROJECT}"\noc new-project chat\n',
      'chat.yaml': deployment('chat'),
    });
    expect(found).toEqual([]);
  });
});
