import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kserve from '../../imports/serving.kserve.io';
import { acknowledgeFinding, KustomizeTree } from '../../lib';
import { REGISTERED_RULES } from '../../lib/check/registry';
import { runCli } from '../../lib/cli/main';
import { tempDir, testApp } from '../util';

const IDS = REGISTERED_RULES.map((r) => r.id);

async function check(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['check', ...args], { out: (t) => (out += t), err: () => undefined, stdin: () => '' });
  return { code, out };
}

/** A folder with one file of each kind of unreadable, invalid or unfollowed input. */
function badInputs(): string {
  const dir = tempDir('inputs-');
  fs.writeFileSync(path.join(dir, 'tabs.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
  fs.writeFileSync(path.join(dir, 'twice.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  namespace: n\ndata:\n  a: "1"\n  a: "2"\n');
  fs.mkdirSync(path.join(dir, 'k'));
  fs.writeFileSync(
    path.join(dir, 'k', 'kustomization.yaml'),
    'resources: [cm.yaml]\nhelmCharts:\n  - {name: g, repo: https://charts.example.com, version: 1.0.0}\n',
  );
  fs.writeFileSync(path.join(dir, 'k', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n  namespace: n\n');
  fs.mkdirSync(path.join(dir, 'p'));
  fs.writeFileSync(
    path.join(dir, 'p', 'kustomization.yaml'),
    "resources: [cm.yaml]\npatches:\n  - target: {kind: ConfigMap, name: w}\n    patch: '[{op: ad, path: /data/a, value: b}]'\n",
  );
  fs.writeFileSync(path.join(dir, 'p', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: w\n  namespace: n\n');
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'b', 'kustomization.yaml'), 'resources: [gone.yaml]\n');
  return dir;
}

describe('every finding id the tool can emit is a registered rule', () => {
  test('ids are unique, and the input and synth findings are among them', () => {
    expect(new Set(IDS).size).toBe(IDS.length);
    expect(IDS).toEqual(expect.arrayContaining(['unreadable-input', 'duplicate-key', 'input-not-followed', 'json-patch-dropped']));
  });

  test('the input findings check emits carry registered ids, and SARIF indexes each into its rules', async () => {
    const dir = badInputs();
    const json = JSON.parse((await check([dir, '--json'])).out);
    const emitted = [...new Set(json.findings.map((f: { rule: string }) => f.rule))].sort();
    expect(emitted).toEqual(['duplicate-key', 'input-not-followed', 'kustomize-build-fails', 'kustomize-patch-invalid', 'unreadable-input']);
    const sarif = JSON.parse((await check([dir, '--format', 'sarif'])).out);
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toEqual(IDS);
    for (const r of sarif.runs[0].results) expect(rules[r.ruleIndex]).toBe(r.ruleId);
  });

  test('check --rules (table) lists the input and synth findings too', async () => {
    const { code, out } = await check(['--rules']);
    expect(code).toBe(0);
    for (const id of ['unreadable-input', 'duplicate-key', 'input-not-followed', 'json-patch-dropped']) expect(out).toMatch(new RegExp(`^${id} `, 'm'));
  });

  test('a JSON patch the typed binding drops stops the synth under a registered id', () => {
    const app = testApp();
    const chart = new Chart(app, 'c', { namespace: 'n' });
    const isvc = new kserve.InferenceService(chart, 'isvc', { metadata: { name: 'm' }, spec: { predictor: {} } });
    isvc.addJsonPatch(JsonPatch.add('/spec/predictor/minReplica', 1));
    const tree = new KustomizeTree(app).place('x/isvc.yaml', chart).kustomization('x');
    let message = '';
    try {
      tree.render();
    } catch (e) {
      message = (e as Error).message;
    }
    const id = /error ([a-z-]+) InferenceService\/n\/m: the JSON patch add \/spec\/predictor\/minReplica/.exec(message)?.[1];
    expect(id).toBe('json-patch-dropped');
    expect(IDS).toContain(id);
  });

  test('a finding made outside the rule engine cannot be acknowledged, and says why', () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'n' });
    const o = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    expect(() => acknowledgeFinding(o, 'json-patch-dropped', 'we meant to drop that patch')).toThrow(
      /'json-patch-dropped' is found outside the rule engine .* cannot be acknowledged/,
    );
    expect(() => acknowledgeFinding(o, 'no-such-rule', 'we meant to drop that patch')).toThrow(/unknown rule 'no-such-rule'/);
  });
});
