import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';

/** Cases after kubernetes pkg/apis/apps/validation/validation_test.go (TestValidateDeployment, TestValidateReplicaSet, TestValidateStatefulSet, TestValidateDaemonSet). */
const pod = { containers: [{ name: 'app', image: 'x' }] };
const workload = (kind: string, selector: unknown, labels: Record<string, unknown> = { app: 'chat' }, apiVersion = 'apps/v1') => ({
  apiVersion,
  kind,
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { ...(selector === undefined ? {} : { selector }), template: { metadata: { labels }, spec: pod } },
});

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'workload-selector-mismatch',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('workload-selector-mismatch', () => {
  test('matchLabels the template does not carry: an error naming both label sets, the refusal and the fix', () => {
    expect(found([workload('Deployment', { matchLabels: { app: 'webui' } }, { name: 'webui' })])).toEqual([
      [
        'error',
        'Deployment chat: spec.selector (app: webui) does not select spec.template.metadata.labels (name: webui): the API server refuses the Deployment ("`selector` does not match template `labels`"), so none of its pods is made; make the template carry every label the selector requires (a selector cannot change once created)',
      ],
    ]);
    // the same value under the right key but another value; a template with no labels at all
    expect(found([workload('StatefulSet', { matchLabels: { app: 'chat-ui' } })]).length).toBe(1);
    expect(found([workload('DaemonSet', { matchLabels: { app: 'chat' } }, {})]).map((f) => f[1].split('metadata.labels (')[1].split(')')[0])).toEqual(['none']);
  });

  test('matchExpressions are ANDed with matchLabels: In, NotIn, Exists and DoesNotExist judged over the template labels', () => {
    const labels = { app: 'chat', tier: 'web' };
    const exp = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    expect(found([workload('ReplicaSet', exp('tier', 'In', ['web', 'api']), labels)])).toEqual([]);
    expect(found([workload('ReplicaSet', exp('tier', 'NotIn', ['batch']), labels)])).toEqual([]);
    expect(found([workload('ReplicaSet', exp('tier', 'Exists'), labels)])).toEqual([]);
    expect(found([workload('ReplicaSet', exp('gpu', 'DoesNotExist'), labels)])).toEqual([]);
    expect(found([workload('ReplicaSet', exp('tier', 'In', ['api']), labels)]).map((f) => f[1].split(' does not')[0])).toEqual([
      'ReplicaSet chat: spec.selector (1 matchExpressions)',
    ]);
    expect(found([workload('ReplicaSet', exp('tier', 'DoesNotExist'), labels)]).length).toBe(1);
    expect(found([workload('ReplicaSet', { matchLabels: { app: 'chat' }, ...exp('tier', 'NotIn', ['web']) }, labels)]).length).toBe(1);
  });

  test('an empty selector: refused with the word of its kind (a ReplicaSet reuses the Deployment text)', () => {
    const words = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map(
      (k) => /empty selector is invalid for (\w+)/.exec(found([workload(k, {})])[0][1])?.[1],
    );
    expect(words).toEqual(['deployment', 'deployment', 'statefulset', 'daemonset']);
    expect(found([workload('Deployment', { matchLabels: {}, matchExpressions: [] })]).length).toBe(1);
  });

  test('silent: a template carrying more labels than selected, no selector (a required field), a selector that does not compile, placeholders, other API versions', () => {
    expect(found([workload('Deployment', { matchLabels: { app: 'chat' } }, { app: 'chat', version: 'v2' })])).toEqual([]);
    expect(found([workload('Deployment', undefined)])).toEqual([]);
    expect(found([workload('Deployment', { matchExpressions: [{ key: 'app', operator: 'Near', values: ['chat'] }] })])).toEqual([]);
    expect(found([workload('Deployment', { matchLabels: { app: '${APP_NAME}' } })])).toEqual([]);
    expect(found([workload('Deployment', { matchLabels: { app: 'chat' } }, { app: '{{ .Values.name }}' })])).toEqual([]);
    // the removed extensions/v1beta1 defaulted the selector from the template; another group's Deployment is not this one
    expect(found([workload('Deployment', { matchLabels: { app: 'webui' } }, { app: 'chat' }, 'extensions/v1beta1')])).toEqual([]);
  });

  test('a kustomize build is what is judged: labels with includeSelectors reach both, includeTemplates only the template', async () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: chat, namespace: ml}',
      'spec:',
      '  selector: {matchLabels: {app: chat}}',
      '  template:',
      '    metadata: {labels: {app: chat}}',
      '    spec: {containers: [{name: app, image: "quay.io/x/chat@sha256:' + 'a'.repeat(64) + '"}]}',
      '',
    ].join('\n');
    const rule = async (labels: string, written = deployment) => {
      const dir = writeTree('selector-kustomize', {
        'deploy.yaml': written,
        'kustomization.yaml': `resources: [deploy.yaml]\nlabels:\n${labels}`,
      });
      const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
      return (JSON.parse(out) as { findings: { rule: string }[] }).findings.filter((f) => f.rule === 'workload-selector-mismatch').length;
    };
    expect(await rule('- pairs: {team: ml}\n  includeSelectors: true\n')).toBe(0);
    expect(await rule('- pairs: {team: ml}\n  includeTemplates: true\n')).toBe(0);
    // a base that mismatches stays refused once built
    expect(await rule('- pairs: {team: ml}\n  includeSelectors: true\n', deployment.replace('labels: {app: chat}', 'labels: {name: chat}'))).toBe(1);
  });
});
