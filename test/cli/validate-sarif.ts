import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, tempDir } from '../util';
import { sarifValidator } from '../setup/sarif-schema';

/** A tree of three files: a ConfigMap whose data holds a number (line 4 of its file), a valid one, and a file that does not parse. */
function tree(): string {
  const dir = tempDir('validate-sarif-');
  fs.writeFileSync(
    path.join(dir, 'bad.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: ok, namespace: ai}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cm, namespace: ai}',
      'data:',
      '  k: 1',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: [unclosed\n');
  return dir;
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    properties: { platform: { platform: string } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: { physicalLocation: { region: { startLine: number } } }[];
    }[];
  }[];
}

describe('validate --format sarif', () => {
  const dir = tree();

  test('one result per schema violation and per unreadable file, each with its rule described, valid SARIF 2.1.0', async () => {
    const r = await cliInProcess(['validate', dir, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as SarifLog;
    expect(sarifValidator()(log)).toEqual([]);
    const run = log.runs[0];
    const rules = run.tool.driver.rules.map((x) => x.id);
    expect(rules).toEqual(expect.arrayContaining(['schema-violation', 'unreadable-input']));
    expect(run.results.map((x) => [x.ruleId, x.level])).toEqual([
      ['unreadable-input', 'error'],
      ['schema-violation', 'error'],
    ]);
    for (const x of run.results) expect(rules[x.ruleIndex]).toBe(x.ruleId);
    const violation = run.results[1];
    expect(violation.message.text).toBe("ConfigMap/ai/cm: 'data.k' must be of type string");
    expect(violation.locations?.[0].physicalLocation.region.startLine).toBe(5);
    // a ConfigMap carries no OpenShift mark: upstream KServe is assumed
    expect(run.properties.platform.platform).toBe('kserve');
  });

  test('the same findings as --json; --json and --format json print the same; an unknown format is a usage error', async () => {
    const json = await cliInProcess(['validate', dir, '--json']);
    expect((await cliInProcess(['validate', dir, '--format', 'json'])).out).toBe(json.out);
    const sarif = JSON.parse((await cliInProcess(['validate', dir, '--format', 'sarif'])).out) as SarifLog;
    expect(sarif.runs[0].results.map((x) => x.ruleId)).toEqual(JSON.parse(json.out).findings.map((f: { rule: string }) => f.rule));
    const bad = await cliInProcess(['validate', dir, '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^--format must be one of table, json, sarif, got 'yaml'/);
  });

  test('a tree that conforms is an empty SARIF run, exit 0', async () => {
    const ok = tempDir('validate-sarif-ok-');
    fs.writeFileSync(path.join(ok, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: ai}\ndata: {k: v}\n');
    const r = await cliInProcess(['validate', ok, '--format', 'sarif']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as SarifLog).runs[0].results).toEqual([]);
  });
});
