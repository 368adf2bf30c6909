import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, tempDir } from '../util';

/**
 * A kustomize base used as a template: its PodMonitor selects a placeholder that its overlay patches, the README
 * applies the overlay only, and an aggregate root that lists both base and overlay reaches the base twice (kustomize
 * refuses it: "may not add resource with an already registered id"). The base's own copy is delivered by nothing.
 */
function tree(extra: Record<string, string> = {}, patchedTo = 'vllm'): string {
  const dir = tempDir('base-template-');
  const files: Record<string, string> = {
    'app/kustomization.yaml': 'resources: [base, overlay]\n',
    'app/base/kustomization.yaml': 'resources: [namespace.yaml, deployment.yaml, monitor.yaml, scaler.yaml]\n',
    'app/base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n',
    'app/base/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: vllm}\nspec:\n  selector: {matchLabels: {app: vllm}}\n  template:\n    metadata: {labels: {app: vllm}}\n    spec:\n      containers:\n      - name: vllm\n        image: vllm/vllm-openai:v0.9.1\n        ports: [{name: http, containerPort: 8000}]\n',
    'app/base/monitor.yaml':
      'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: vllm-monitor}\nspec:\n  namespaceSelector: {matchNames: [demo]}\n  selector: {matchLabels: {app: placeholder}}\n  podMetricsEndpoints: [{port: http}]\n',
    // a scaler on the scraped metrics: a monitor that scrapes nothing is an error there
    'app/base/scaler.yaml':
      'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: vllm-scaler}\nspec:\n  scaleTargetRef: {name: vllm}\n  triggers:\n  - type: prometheus\n    metadata: {serverAddress: "http://prometheus:9090", query: "sum(vllm:num_requests_waiting)", threshold: "5"}\n',
    'app/overlay/kustomization.yaml': `namespace: demo\nresources: [../base]\npatches:\n- target: {kind: PodMonitor, name: vllm-monitor}\n  patch: |-\n    - op: replace\n      path: /spec/selector/matchLabels/app\n      value: ${patchedTo}\n`,
    'README.md': '# Deploy\n\n```\nkubectl apply -k app/overlay\n```\n',
    ...extra,
  };
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

async function findings(dir: string): Promise<{ rule: string; severity: string; object: string; message: string }[]> {
  return JSON.parse((await cliInProcess(['check', dir, '--json', '--platform', 'kserve'])).out).findings;
}

describe("a base's own copy built only by a root kustomize refuses, while an overlay delivers the base", () => {
  test('the aggregate root is the error; the placeholder selector of the base copy is a warning naming the root and the overlay', async () => {
    const all = await findings(tree());
    const errors = all.filter((f) => f.severity === 'error');
    expect(errors.filter((f) => f.rule === 'kustomize-build-fails')).toHaveLength(1);
    // the base's own copies (no namespace: the overlay sets it) carry no error; the overlay's copies are judged
    expect(errors.filter((f) => /^(Deployment|PodMonitor|ScaledObject)\/[^/]+$/.test(f.object))).toEqual([]);
    expect(errors.filter((f) => f.object === 'Deployment/demo/vllm').length).toBeGreaterThan(0);
    const monitor = all.filter((f) => f.rule === 'monitor-selects-nothing');
    expect(monitor).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'PodMonitor/vllm-monitor',
        message: expect.stringMatching(
          /app=placeholder.*this is the base's own copy, which only .*\/app builds, and kustomize refuses that build; the base is delivered through .*\/app\/overlay, whose copy is judged/,
        ),
      }),
    ]);
  });

  test('near miss: an overlay that leaves the placeholder keeps its error', async () => {
    const all = await findings(tree({}, 'placeholder'));
    expect(all.filter((f) => f.rule === 'monitor-selects-nothing' && f.severity === 'error').map((f) => f.object)).toEqual(['PodMonitor/demo/vllm-monitor']);
  });

  test('near miss: a README that applies the base itself delivers its copy: the error stays', async () => {
    const all = await findings(tree({ 'README.md': '```\nkubectl apply -k app/base\nkubectl apply -k app/overlay\n```\n' }));
    expect(all.filter((f) => f.rule === 'monitor-selects-nothing' && f.severity === 'error').map((f) => f.object)).toEqual(['PodMonitor/vllm-monitor']);
  });
});
