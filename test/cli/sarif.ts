import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { ALL_RULES } from '../../lib/check/engine';
import { Finding } from '../../lib/check/rule';
import { artifactLocation, toSarif } from '../../lib/check/sarif';
import { sarifValidator } from '../setup/sarif-schema';
import { cliInProcess, tempDir } from '../util';

/** SARIF that code scanning accepts: URIs percent-encoded (RFC 3986), relative to %SRCROOT%, validated with formats. */

const validate = sarifValidator();
const NAMES = ['with space.yaml', 'hash#1.yaml', 'per%cent.yaml', 'what?.yaml', 'ünïcödé-名前.yaml', 'paren(s)!.yaml'];

type Location = { uri: string; uriBaseId?: string };

/** Where a SARIF location points, as a consumer resolves it. */
function resolved(loc: Location, base: string): string {
  return fileURLToPath(new URL(loc.uri, loc.uriBaseId ? base : undefined));
}

describe('SARIF artifact locations', () => {
  test.each(NAMES)('%s: a relative, percent-encoded URI under %%SRCROOT%% that resolves to the same file', (name) => {
    const root = tempDir('sarif-root-');
    const file = path.join(root, 'sub dir', name);
    const loc = artifactLocation(file, root);
    expect(loc.uriBaseId).toBe('%SRCROOT%');
    expect(loc.uri).toMatch(/^sub%20dir\/[A-Za-z0-9._~%-]+$/);
    const log = toSarif([{ rule: 'unreadable-input', severity: 'error', object: file, message: 'x', file }], ALL_RULES, '1.0.0', undefined, root) as any;
    expect(validate(log)).toEqual([]);
    expect(resolved(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, log.runs[0].originalUriBaseIds['%SRCROOT%'].uri)).toBe(file);
  });

  test('a file outside the folder check runs in gets an absolute file: URI, no base', () => {
    const root = tempDir('sarif-root-');
    const file = path.join(tempDir('sarif-elsewhere-'), 'a #b.yaml');
    const loc = artifactLocation(file, root);
    expect(loc.uriBaseId).toBeUndefined();
    expect(loc.uri).toMatch(/^file:\/\/\/.*\/a%20%23b\.yaml$/);
    expect(fileURLToPath(loc.uri)).toBe(file);
  });

  test('findings without a file (standard input, no file) have no location and still validate', () => {
    const findings: Finding[] = [
      { rule: 'unreadable-input', severity: 'error', object: '<stdin>', message: 'x', file: '<stdin>' },
      { rule: 'gpu-memory-fit', severity: 'warning', object: 'InferenceService/a/b', message: 'y' },
    ];
    const log = toSarif(findings, ALL_RULES, '1.0.0') as any;
    expect(validate(log)).toEqual([]);
    expect(log.runs[0].results.map((r: { locations?: unknown }) => r.locations)).toEqual([undefined, undefined]);
  });

  test('check --format sarif on files with hard names validates with format checks, and each location finds its file', async () => {
    const dir = tempDir('sarif-names-');
    for (const name of NAMES) fs.writeFileSync(path.join(dir, name), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [\n');
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n');
    const r = await cliInProcess(['check', dir, '--format', 'sarif']);
    const log = JSON.parse(r.out);
    expect(validate(log)).toEqual([]);
    const located = log.runs[0].results.map((x: any) =>
      resolved(x.locations[0].physicalLocation.artifactLocation, log.runs[0].originalUriBaseIds['%SRCROOT%'].uri),
    );
    expect(located.sort()).toEqual(NAMES.map((n) => path.join(dir, n)).sort());
  });
});
