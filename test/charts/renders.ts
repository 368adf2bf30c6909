import { treeRuleFound } from '../util';
import { engineTemplate } from '../engine-chart-util';

/**
 * Every chart of the input renders: one a script, Makefile or README installs with that command's arguments; one no
 * delivery names with its defaults and with each chart-testing ci/*-values.yaml (warnings at most); a template that
 * does not parse is helm's failure whatever the values.
 */
const SERVER = engineTemplate({ namespaced: true });

const chart = (defaults = 'model: granite\ntp: 1\ngpus: 1\n') => ({
  'deploy/engine/Chart.yaml': 'apiVersion: v2\nname: engine\nversion: 0.1.0\n',
  'deploy/engine/values.yaml': defaults,
  'deploy/engine/templates/deployment.yaml': SERVER,
});

const TP = 'tensor-parallel-gpu-mismatch';

describe('a chart no delivery names', () => {
  test('renders with its defaults: a finding there is a warning that says so', async () => {
    expect(await treeRuleFound(TP, 'chart-defaults-', chart('model: granite\ntp: 2\ngpus: 1\n'))).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/default/release-name-engine',
        message: expect.stringMatching(
          /--tensor-parallel-size=2 needs 2 GPUs but the container is given 1 .*\(rendered with the chart's default values; a delivery's values may change this\)$/,
        ),
      },
    ]);
  });

  test('a template of the chart itself with no template action renders alike whatever the values: its finding stays an error', async () => {
    const fixed = SERVER.replace(/\{\{ \.Release\.Name \}\}/g, 'engine')
      .replace('{{ .Release.Namespace }}', 'serving')
      .replace('{{ .Values.model }}', 'granite')
      .replace('{{ .Values.tp }}', '2')
      .replace('{{ .Values.gpus }}', '1');
    expect(fixed).not.toContain('{{');
    const files = { ...chart(), 'deploy/engine/templates/deployment.yaml': fixed };
    expect((await treeRuleFound(TP, 'chart-fixed-', files)).map((f) => [f.severity, f.object])).toEqual([['error', 'Deployment/serving/engine-engine']]);
  });

  test('renders with each of its ci/*-values.yaml too, the note naming the file; a ci/ file of another name is no case', async () => {
    const files = { ...chart(), 'deploy/engine/ci/large-values.yaml': 'tp: 4\ngpus: 2\n', 'deploy/engine/ci/notes.yaml': 'tp: 8\n' };
    expect(await treeRuleFound(TP, 'chart-ci-', files)).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/default/release-name-engine',
        message: expect.stringMatching(
          /needs 4 GPUs but the container is given 2 .*\(rendered with its chart-testing values ci\/large-values\.yaml; a delivery's values may change this\)$/,
        ),
      },
    ]);
  });

  test('a chart only a file:// dependency of another names renders once, as its part', async () => {
    const files = {
      'stack/Chart.yaml':
        'apiVersion: v2\nname: stack\nversion: 0.1.0\ndependencies:\n- {name: engine, version: 0.1.0, repository: "file://../deploy/engine"}\n',
      'stack/values.yaml': 'engine: {tp: 2, gpus: 1}\n',
      ...chart(),
    };
    expect(await treeRuleFound(TP, 'chart-filedep-', files)).toEqual([
      { severity: 'warning', object: 'Deployment/default/release-name-engine', message: expect.stringMatching(/needs 2 GPUs but the container is given 1 /) },
    ]);
  });

  test('a template that does not parse: helm-render-fails is an error whatever the values', async () => {
    const files = { ...chart(), 'deploy/engine/templates/service.yaml': '{{-if .Values.expose - }}\nkind: Service\n{{- end }}\n' };
    expect(await treeRuleFound('helm-render-fails', 'chart-parse-', files)).toEqual([
      { severity: 'error', object: expect.any(String), message: expect.stringMatching(/^helm template fails on this chart whatever its values: /) },
    ]);
  });

  test('near miss: a template that fails only at run time with the defaults (required) stays a warning', async () => {
    const files = { ...chart(), 'deploy/engine/templates/service.yaml': '{{ required "expose.port is required" .Values.expose }}\n' };
    expect(await treeRuleFound('helm-render-fails', 'chart-required-', files)).toEqual([
      {
        severity: 'warning',
        object: expect.any(String),
        message: expect.stringMatching(
          /^helm template fails on this chart rendered with the chart's default values: .*expose\.port is required.*; a delivery's values may supply what it lacks$/,
        ),
      },
    ]);
  });
});

describe('a chart a script, Makefile or README installs', () => {
  const script = (body: string) => ({ ...chart(), 'values-large.yaml': 'tp: 4\ngpus: 2\n', 'deploy.sh': `#!/bin/bash\nset -e\n${body}\n` });

  test("a script's helm upgrade --install renders the chart with its release, namespace and values: an error", async () => {
    const files = script('NS=serving\nREL=big\nhelm upgrade --install "$REL" ./deploy/engine -n "$NS" --create-namespace -f values-large.yaml');
    expect(await treeRuleFound(TP, 'chart-script-', files)).toEqual([
      {
        severity: 'error',
        object: 'Deployment/serving/big-engine',
        message: expect.stringMatching(/needs 4 GPUs but the container is given 2 nvidia.com\/gpu; .*start-up$/),
      },
    ]);
  });

  test('--set after -f wins, as helm merges values files before --set: no mismatch', async () => {
    const files = script('helm install big ./deploy/engine --set gpus=4 -f values-large.yaml');
    expect(await treeRuleFound(TP, 'chart-set-', files)).toEqual([]);
  });

  test("a Makefile recipe's helm template is a delivery too", async () => {
    const files = {
      ...chart(),
      'values-large.yaml': 'tp: 4\ngpus: 2\n',
      Makefile: 'render:\n\thelm template big deploy/engine -f values-large.yaml | kubectl apply -f -\n',
    };
    expect(await treeRuleFound(TP, 'chart-make-', files)).toEqual([
      { severity: 'error', object: 'Deployment/default/big-engine', message: expect.stringMatching(/needs 4 GPUs but the container is given 2 /) },
    ]);
  });

  test("a README's command is documentation: the same finding is a warning naming it", async () => {
    const files = {
      ...chart(),
      'values-large.yaml': 'tp: 4\ngpus: 2\n',
      'README.md': '# Engine\n\n```bash\nhelm install big ./deploy/engine -f values-large.yaml\n```\n',
    };
    expect(await treeRuleFound(TP, 'chart-readme-', files)).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/default/big-engine',
        message: expect.stringMatching(
          /needs 4 GPUs .*\(rendered as .*README\.md \(line 4\) documents it, a command of the documentation rather than a delivery\)$/,
        ),
      },
    ]);
  });

  test('a variable the script does not set: that delivery is not rendered (a note), and the chart renders with its defaults', async () => {
    const files = script('helm install big ./deploy/engine -f "$VALUES"');
    const r = await treeRuleFound('input-not-followed', 'chart-unknown-var-', files);
    expect(r.map((f) => f.message).join('\n')).toMatch(
      /is a Helm chart not rendered as .*deploy\.sh \(line 3\) delivers it: its command names \$VALUES, which the script does not set to one literal value/,
    );
    expect(await treeRuleFound(TP, 'chart-unknown-var-', files)).toEqual([]);
  });

  test('a helm-secrets values file: rendered without it, every finding a warning naming the file', async () => {
    const files = script('helm install big ./deploy/engine -f values-large.yaml -f secrets://secrets.enc.yaml');
    expect(await treeRuleFound(TP, 'chart-secrets-', files)).toEqual([
      {
        severity: 'warning',
        object: 'Deployment/default/big-engine',
        message: expect.stringMatching(
          /needs 4 GPUs .*\(rendered without the values file secrets:\/\/secrets\.enc\.yaml \(a helm-secrets values file, .*\), which this check cannot read\)$/,
        ),
      },
    ]);
  });
});
