import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { App, Chart } from 'cdk8s';
import { loadConfig, main } from '../../main';
import { ArgoCdDelivery, ArgoCdFleet, KustomizeTree, VllmRuntime } from '../../lib';
import { gitRefProblem } from '../../lib/private/argocd';
import { parseQuantity } from '../../lib/private/quantity';
import { CONFIG, cliInProcess, tempDir, testApp } from '../util';

const BASE = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));

/** Writes the step-05 configuration changed by `change` and returns its path. */
function configWith(change: (c: any) => void): string {
  const c = structuredClone(BASE);
  change(c);
  const file = path.join(tempDir('cfg-'), 'c.json');
  fs.writeFileSync(file, JSON.stringify(c));
  return file;
}

describe('the configuration file is checked against its JSON Schema', () => {
  test('the shipped configuration is valid', () => {
    expect(loadConfig(CONFIG).gitops.targetRevision).toBe('main');
  });

  test('prices: a price file beside the configuration, or inline, prices PLAN.md with its source; a bad one is refused', () => {
    const dir = tempDir('cfg-prices-');
    fs.writeFileSync(path.join(dir, 'prices.json'), JSON.stringify({ label: '1-year committed', prices: { 'g6.12xlarge': 2.5 } }));
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, JSON.stringify({ ...BASE, prices: 'prices.json' }));
    const out = path.join(tempDir('cfg-prices-out-'), 'tree');
    // the step-05 tree's warnings (its Secrets are made outside Git) are its own tests'; these are kept out of the output
    const warnings: string[] = [];
    const report = (line: string) => warnings.push(line);
    main(out, file, { report });
    expect(fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8')).toMatch(/\| g6\.12xlarge \| 2\.5 \| .*prices\.json, 1-year committed \|/);
    const inline = path.join(tempDir('cfg-prices-out-'), 'tree');
    main(
      inline,
      configWith((c) => (c.prices = { 'g6.4xlarge': 0.5 })),
      { report },
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(inline, 'PLAN.md'), 'utf8')).toMatch(/\| g6\.4xlarge \| 0\.5 \| the configuration's prices \|/);
    expect(() =>
      main(
        path.join(tempDir('x-'), 't'),
        configWith((c) => (c.prices = { 'g6.12xlarg': 1 })),
        { report },
      ),
    ).toThrow(/'g6\.12xlarg' is not a known instance type/);
    expect(() => loadConfig(configWith((c) => (c.prices = 42)))).toThrow(/'prices' must be/);
  });

  test('the optional platform is a known platform id', () => {
    expect(loadConfig(configWith((c) => (c.platform = 'rhoai-3.4'))).platform).toBe('rhoai-3.4');
    expect(() => loadConfig(configWith((c) => (c.platform = 42)))).toThrow(/'platform' must be a string, got number 42/);
    expect(() => loadConfig(configWith((c) => (c.platform = 'rhoai-9')))).toThrow(/'platform' is "rhoai-9"; write one of/);
  });

  test.each([
    [
      'an unknown key, with the near key',
      (c: any) => (c.gitops.pathPrefx = 'x'),
      /unknown key 'gitops.pathPrefx' \(did you mean 'gitops.pathPrefix'\?\); the keys of 'gitops' are repoURL, targetRevision/,
    ],
    ['an unknown top-level key', (c: any) => (c.syncWave = 'NaN'), /unknown key 'syncWave'; the keys of the file are namespace, cluster/],
    ['an unknown key in gitops (never reaches the constructs)', (c: any) => (c.gitops.syncWave = 'NaN'), /unknown key 'gitops.syncWave'/],
    ['a number for a string', (c: any) => (c.namespace = 42), /'namespace' must be a string, got number 42/],
    ['null for an object', (c: any) => (c.cluster = null), /'cluster' must be an object, got null/],
    ['a list for an object', (c: any) => (c.s3 = []), /'s3' must be an object, got a list \[\]/],
    ['a blank string', (c: any) => (c.cluster.region = '   '), /'cluster.region' must be a non-empty string, got ' {3}'/],
    ['a missing key', (c: any) => delete c.gitops.repoURL, /'gitops.repoURL' must be a non-empty string \(it is missing\)/],
    ['a missing object', (c: any) => delete c.s3, /'s3' must be an object \(it is missing\)/],
    [
      'credentials in the gitops repoURL',
      (c: any) => (c.gitops.repoURL = 'https://bot:s3cr3t@github.com/o/r.git'),
      /gitops.repoURL 'https:\/\/\*\*\*@github.com\/o\/r.git' embeds credentials/,
    ],
    ['a token as the user of an https repoURL', (c: any) => (c.gitops.repoURL = 'https://ghp_abc123@github.com/o/r.git'), /embeds credentials/],
    [
      'a revision with a space',
      (c: any) => (c.gitops.targetRevision = 'main branch'),
      /gitops.targetRevision 'main branch' holds a space or a control character/,
    ],
    [
      'a revision with a newline',
      (c: any) => (c.gitops.targetRevision = 'main\nkind: Secret'),
      /gitops.targetRevision 'main\\nkind: Secret' holds a space or a control character/,
    ],
    ['a revision with ..', (c: any) => (c.gitops.targetRevision = 'a..b'), /holds '..', which no git ref may hold; give a branch, a tag, a commit sha or HEAD/],
    [
      'a pathPrefix leaving the repository',
      (c: any) => (c.gitops.pathPrefix = '../../etc'),
      /gitops.pathPrefix '..\/..\/etc' holds '..', which leads outside the repository/,
    ],
    ['an absolute pathPrefix', (c: any) => (c.gitops.pathPrefix = '/etc'), /gitops.pathPrefix '\/etc' is absolute/],
  ])('%s is an error naming the key', (_name, change, message) => {
    expect(() => loadConfig(configWith(change))).toThrow(message);
  });

  test.each([
    ['null', /c.json: the configuration must be an object, got null/],
    ['[1]', /c.json: the configuration must be an object, got a list \[1\]/],
    ['{"namespace": ', /cannot read configuration .*c.json: .*JSON/],
  ])('a file holding %s is an error', (text, message) => {
    const file = path.join(tempDir('cfg-'), 'c.json');
    fs.writeFileSync(file, text);
    expect(() => loadConfig(file)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    const file = configWith((c) => {
      c.namespace = 1;
      c.extra = true;
      delete c.localQueue;
    });
    expect(() => loadConfig(file)).toThrow(/: 3 problems:\n {2}.*\n {2}.*\n {2}.*$/);
  });

  test('a 1 MB value is never echoed whole', () => {
    for (const change of [
      (c: any) => (c.s3.bucket = 'b'.repeat(1_000_000)),
      (c: any) => (c.gitops.targetRevision = `x ${'y'.repeat(1_000_000)}`),
      (c: any) => (c[`k${'z'.repeat(1_000_000)}`] = 1),
    ]) {
      let message = '';
      try {
        loadConfig(configWith(change));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/\.\.\./);
      expect(message.length).toBeLessThan(600);
    }
  });

  test('a configuration that is a FIFO or a folder is refused at once, not read', () => {
    const dir = tempDir('cfg-');
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    expect(() => loadConfig(path.join(dir, 'fifo.json'))).toThrow(/fifo.json is a named pipe \(FIFO\), not a regular file/);
    expect(() => loadConfig(dir)).toThrow(/is a folder, not a regular file/);
    expect(() => loadConfig('/dev/zero')).toThrow(/\/dev\/zero is a device/);
  });

  test('a bad configuration stops synth before anything is written', () => {
    const out = path.join(tempDir('cfg-out-'), 'dist');
    expect(() =>
      main(
        out,
        configWith((c) => (c.gitops.repoURL = 'https://u:p@example.com/r.git')),
      ),
    ).toThrow(/embeds credentials/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('git refs follow git check-ref-format', () => {
  // cases of git's t/t1402-check-ref-format.sh (valid with --allow-onelevel, and invalid)
  test.each(['main', 'HEAD', 'v1.2.3', 'release/2026-01', 'refs/heads/main', 'foo/bar/baz', 'heads/foo@bar', 'a'.repeat(40), 'feature_x-y'])(
    '%s is valid',
    (ref) => {
      expect(gitRefProblem(ref)).toBeUndefined();
    },
  );
  test.each([
    ['', /empty/],
    ['@', /reserves/],
    ['foo bar', /space/],
    ['foo\tbar', /control/],
    ['foo\x7fbar', /control/],
    ['heads/foo..bar', /'\.\.'/],
    ['heads/foo~1', /'~'/],
    ['heads/foo^', /'\^'/],
    ['heads/foo:bar', /':'/],
    ['heads/foo?', /'\?'/],
    ['heads/foo*', /'\*'/],
    ['heads/foo[', /'\['/],
    ['heads\\foo', /'\\'/],
    ['heads/foo@{1}', /'@\{'/],
    ['/heads/foo', /starts or ends with '\/'/],
    ['heads/foo/', /starts or ends with '\/'/],
    ['heads//foo', /'\/\/'/],
    ['heads/foo.', /ends with '\.'/],
    ['heads/.foo', /starts with '\.'/],
    ['heads/foo.lock', /ends with '\.lock'/],
    ['foo.lock/bar', /ends with '\.lock'/],
  ])('%j is refused', (ref, why) => {
    expect(gitRefProblem(ref)).toMatch(why);
  });
});

describe('the delivery constructs refuse the same values as the configuration', () => {
  const tree = () => {
    const app = testApp();
    const t = new KustomizeTree(app).kustomization('serving');
    return { app, t };
  };
  test.each([
    [{ repoURL: 'https://user:pass@example.com/r.git' }, /ArgoCdDelivery .*: repoURL 'https:\/\/\*\*\*@example.com\/r.git' embeds credentials/],
    [{ repoURL: 'https://example.com/r.git', targetRevision: 'main\n' }, /targetRevision 'main\\n' holds a space or a control character/],
    [{ repoURL: 'https://example.com/r.git', pathPrefix: '../../etc' }, /pathPrefix '..\/..\/etc' holds '..'/],
    [{ repoURL: 'ftp://example.com/r.git' }, /repoURL 'ftp:\/\/example.com\/r.git' is not a Git URL/],
  ])('ArgoCdDelivery %j', (source, message) => {
    const { app, t } = tree();
    expect(() => new ArgoCdDelivery(new Chart(app, 'argo'), 'D', { tree: t, ...source })).toThrow(message);
  });

  test.each([
    [{ repoURL: 'https://t@example.com/r.git' }, /ArgoCdFleet .*: repoURL 'https:\/\/\*\*\*@example.com\/r.git' embeds credentials/],
    [{ repoURL: 'https://example.com/r.git', targetRevision: 'v1 .lock' }, /ArgoCdFleet .*: targetRevision 'v1 .lock' holds a space/],
    [{ repoURL: 'https://example.com/r.git', pathPrefix: 'a/../../b' }, /ArgoCdFleet .*: pathPrefix 'a\/..\/..\/b' holds '..'/],
  ])('ArgoCdFleet %j', (source, message) => {
    const { app, t } = tree();
    const environments = [{ name: 'dev', server: 'https://dev.example.com', root: 'serving' }];
    expect(() => new ArgoCdFleet(new Chart(app, 'a'), 'F', { tree: t, name: 'serving', environments, ...source })).toThrow(message);
  });

  test('a construct sync wave of NaN or 1.5 is refused instead of rendering sync-wave: NaN', () => {
    const app = new App();
    for (const [i, wave] of [NaN, 1.5, 'NaN'].entries()) {
      expect(() => new VllmRuntime(new Chart(app, `c${i}`, { namespace: 'n' }), 'R', { syncWave: wave as any })).toThrow(
        /VllmRuntime .*: syncWave '(NaN|1.5)' is not a whole number/,
      );
    }
  });
});

describe('quantities are finite numbers', () => {
  test('1e400 is no quantity (not Infinity)', () => {
    expect(parseQuantity('1e400')).toBeUndefined();
    expect(parseQuantity('1e3')).toBe(1000);
  });

  test("check reports nvidia.com/gpu: 1e400 as not a finite number, never as 'limits Infinity'", async () => {
    const dir = tempDir('gpu-');
    const isvc = (limit: string) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: m
  namespace: ns
spec:
  predictor:
    model:
      modelFormat:
        name: vLLM
      runtime: vllm-runtime
      args: ["--tensor-parallel-size=1"]
      resources:
        requests:
          nvidia.com/gpu: 1
        limits:
          nvidia.com/gpu: ${limit}
`;
    for (const limit of ['1e400', '"1e400"']) {
      fs.writeFileSync(path.join(dir, 'isvc.yaml'), isvc(limit));
      const r = await cliInProcess(['check', path.join(dir, 'isvc.yaml'), '--wide']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/limits nvidia.com\/gpu (Infinity|1e400) is not a finite number/);
      expect(r.out).not.toMatch(/but limits Infinity/);
    }
  });
});
