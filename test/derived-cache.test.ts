import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { prerequisitesReport } from '../lib';
import { ROOT, tempDir } from './setup/scratch';

const DERIVED = path.join(ROOT, 'build', 'lib', 'private', 'derived-cache.js');

/** Runs `script` in a fresh node process from the compiled build, its cache folder `home`; prints JSON on its last line. */
function run(home: string, script: string): unknown {
  const out = execFileSync('node', ['-e', script], {
    cwd: home,
    env: { ...process.env, TMPDIR: home, CDK8S_VLLM_NO_CACHE: '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as unknown;
}

/** A derivation of `{ a }` that counts its computations. */
const twice = (a: number) => `
  const d = require(${JSON.stringify(DERIVED)});
  let computed = 0;
  const value = d.derivedFromJson('twice', JSON.stringify({ a: ${a} }), (v) => { computed++; return { twice: v.a * 2 }; });
  console.log(JSON.stringify({ value, computed }));`;

describe('values derived from a value, kept between runs', () => {
  test('computed once, read back by the next run; another value is computed afresh; a damaged file is not trusted', () => {
    const home = tempDir('derived-');
    expect(run(home, twice(1))).toEqual({ value: { twice: 2 }, computed: 1 });
    expect(run(home, twice(1))).toEqual({ value: { twice: 2 }, computed: 0 });
    expect(run(home, twice(2))).toEqual({ value: { twice: 4 }, computed: 1 });
    const dir = path.join(home, 'cdk8s-vllm', 'derived', 'twice');
    expect(fs.readdirSync(dir)).toHaveLength(2);
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"twi');
    expect(run(home, twice(1))).toEqual({ value: { twice: 2 }, computed: 1 });
  });

  test('a text is kept as the text: a damaged file, or one that is not a text, is computed afresh', () => {
    const home = tempDir('derived-');
    const text = `
      const d = require(${JSON.stringify(DERIVED)});
      let computed = 0;
      const value = d.derivedText('text', 'k', () => { computed++; return 'line\\n"quoted"\\n'; });
      console.log(JSON.stringify({ value, computed }));`;
    expect(run(home, text)).toEqual({ value: 'line\n"quoted"\n', computed: 1 });
    expect(run(home, text)).toEqual({ value: 'line\n"quoted"\n', computed: 0 });
    const dir = path.join(home, 'cdk8s-vllm', 'derived', 'text');
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '["line"]');
    expect(run(home, text)).toEqual({ value: 'line\n"quoted"\n', computed: 1 });
  });

  test("a folder's stamp changes with a file's bytes, its modification time, an added file and a removed one", () => {
    const home = tempDir('derived-');
    const folder = tempDir('stamped-');
    fs.mkdirSync(path.join(folder, 'sub'));
    fs.writeFileSync(path.join(folder, 'sub', 'a.json'), '{"a":1}');
    const stamp = () => run(home, `console.log(JSON.stringify(require(${JSON.stringify(DERIVED)}).folderStamp(${JSON.stringify(folder)})))`);
    const first = stamp();
    expect(stamp()).toBe(first);
    fs.writeFileSync(path.join(folder, 'sub', 'a.json'), '{"a":22}');
    const changed = stamp();
    expect(changed).not.toBe(first);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(folder, 'sub', 'a.json'), later, later);
    const touched = stamp();
    expect(touched).not.toBe(changed);
    fs.writeFileSync(path.join(folder, 'b.json'), '{}');
    const added = stamp();
    expect(added).not.toBe(touched);
    fs.rmSync(path.join(folder, 'b.json'));
    expect(stamp()).toBe(touched);
  });

  test('PREREQUISITES.md read back is the report computed afresh; changed objects give their own report', () => {
    const home = tempDir('derived-');
    const deployment = (secret: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'registry.example/web:1', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }] },
            ],
          },
        },
      },
    });
    const report = (secret: string) =>
      run(
        home,
        `console.log(JSON.stringify(require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))}).prerequisitesReport([${JSON.stringify(deployment(secret))}])))`,
      );
    const first = report('web-token');
    expect(first).toBe(prerequisitesReport([deployment('web-token')]));
    expect(first).toContain('team/web-token');
    expect(fs.readdirSync(path.join(home, 'cdk8s-vllm', 'derived', 'prerequisites'))).toHaveLength(1);
    expect(report('web-token')).toBe(first);
    const other = report('api-token');
    expect(other).toBe(prerequisitesReport([deployment('api-token')]));
    expect(other).toContain('team/api-token');
    expect(fs.readdirSync(path.join(home, 'cdk8s-vllm', 'derived', 'prerequisites'))).toHaveLength(2);
  });
});
