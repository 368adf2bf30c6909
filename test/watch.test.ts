import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from './setup/scratch';

/**
 * `npm run watch` in a copy of the project (it writes build/, dist/ and examples/dist*): a change of the
 * configuration and of the app file each re-render the step-05 tree; a broken file is reported, the watch goes on and
 * the last good tree stays.
 */
let copy: string;
let watcher: ChildProcess;
let output = '';

/**
 * Resolves with the first line of the watcher's output after `from` that matches `re`, or rejects after `seconds`: a
 * bound against a watcher that never answers, not a speed claim (`npm run bench` measures the re-render), so it leaves
 * room for a machine under heavy load, where the first render of every app took 46 s.
 */
function lineAfter(from: number, re: RegExp, seconds = 100): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${seconds} s; output:\n${output}`)), seconds * 1000);
    const look = () => {
      const line = output
        .slice(from)
        .split('\n')
        .find((l) => re.test(l));
      if (line === undefined) return;
      clearTimeout(timer);
      watcher.stdout?.off('data', look);
      resolve(line);
    };
    watcher.stdout?.on('data', look);
    look();
  });
}

/** Rewrites a file of the copy as an editor saves it, and returns where the watcher's output stood before. */
function edit(file: string, change: (text: string) => string): number {
  const from = output.length;
  const target = path.join(copy, file);
  fs.writeFileSync(target, change(fs.readFileSync(target, 'utf8')));
  return from;
}

const rendered = (file: string) => fs.readFileSync(path.join(copy, 'dist', 'gitops', 'step-05-llm-on-vllm', file), 'utf8');

beforeAll(async () => {
  execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
  copy = tempDir('watch-');
  // `cp -a` keeps the modification times, so the copy's build/ is as current as the project's (ensure-built's stamp)
  for (const entry of [
    'main.ts',
    'config',
    'examples',
    'lib',
    'imports',
    'bench',
    'scripts',
    'build',
    'schemas',
    'models',
    'dist',
    'tsconfig.json',
    'package.json',
  ])
    execFileSync('cp', ['-a', path.join(ROOT, entry), copy]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  watcher = spawn(process.execPath, [path.join(copy, 'scripts', 'watch.js')], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
  watcher.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  watcher.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await lineAfter(0, /^watching /, 300);
}, 330_000);

describe('npm run watch', () => {
  // the watcher ends before the copy goes: the scratch folders' removal (test/setup/scratch.ts) is an afterAll of the
  // file's top level, which runs after this block's, and a watcher still rendering wrote into a folder being removed
  // (ENOTEMPTY, at load 25)
  afterAll(async () => {
    if (!watcher || watcher.exitCode !== null || watcher.signalCode !== null) return;
    const ended = new Promise((resolve) => watcher.once('exit', resolve));
    watcher.kill();
    await ended;
  });

  test('the first render writes every app before the watch starts', () => {
    expect(output).toMatch(/^rendered step-05 in \d+ ms \(start\)$/m);
    expect(output).toMatch(/^rendered fleet in \d+ ms \(start\)$/m);
  });

  test('a configuration change re-renders step-05 alone, with the new value', async () => {
    const from = edit('config/step-05.json', (t) => t.replace('"example-cluster-7x2kq"', '"other-cluster-4p8zt"'));
    const line = await lineAfter(from, /^render/);
    expect(line).toMatch(/^rendered step-05 in \d+ ms \(config\/step-05\.json\)$/);
    expect(rendered('cluster/gpu-machinesets.yaml')).toContain('other-cluster-4p8zt');
    expect(rendered('cluster/gpu-machinesets.yaml')).not.toContain('example-cluster-7x2kq');
    expect(output.slice(from)).not.toMatch(/rendered (two-teams|fleet|llm-d)/);
  }, 120_000);

  test('an app file change is transpiled and rendered', async () => {
    const from = edit('main.ts', (t) => t.replace("'rendered as the step-05 document asks;", "'rendered as the step-05 guide asks;"));
    expect(await lineAfter(from, /^render/)).toMatch(/^rendered step-05 in \d+ ms \(main\.ts\)$/);
    expect(rendered('base/inference/mistral-small-24b.yaml')).toContain('rendered as the step-05 guide asks;');
  }, 120_000);

  test('a configuration that does not parse is reported; the last good tree stays and the watch goes on', async () => {
    const before = rendered('cluster/gpu-machinesets.yaml');
    let from = edit('config/step-05.json', (t) => t.replace('"namespace": "private-ai",', '"namespace": "private-ai"'));
    expect(await lineAfter(from, /^render/)).toMatch(/^render of step-05 failed \(config\/step-05\.json\): .*step-05\.json/);
    expect(rendered('cluster/gpu-machinesets.yaml')).toBe(before);
    from = edit('config/step-05.json', (t) => t.replace('"namespace": "private-ai"', '"namespace": "private-ai",'));
    expect(await lineAfter(from, /^render/)).toMatch(/^rendered step-05 in \d+ ms/);
  }, 120_000);

  test('an app file that does not transpile is reported; nothing is rendered from it', async () => {
    const before = rendered('base/inference/mistral-small-24b.yaml');
    const from = edit('main.ts', (t) => `${t}\nexport const broken = ;\n`);
    expect(await lineAfter(from, /^(transpile|render)/)).toMatch(/^transpile failed: .*main\.ts/);
    expect(rendered('base/inference/mistral-small-24b.yaml')).toBe(before);
  }, 120_000);
});
