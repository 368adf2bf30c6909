import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../lib/cli/main';
import { kubectlBinary } from './setup/kubectl';
import { ROOT, tempDir } from './setup/scratch';

/**
 * Every command the documentation shows runs as shown: the shell and TypeScript blocks of README.md and docs/*.md are
 * extracted and run in a scratch copy of the checkout. What is skipped is skipped by rule, marked in the document:
 *   - a fenced block whose info string carries the word `placeholder` (```bash placeholder): it needs values of your
 *     own or a live system (a cluster, an S3 endpoint, a model route);
 *   - a shell line holding a `<…>` placeholder (`<your-tree>`), outside its trailing comment.
 * A shell line passes when it exits 0, or 1 for a cdk8s-vllm command (the documented "findings" or "does not fit");
 * a line that asks for `--json` or `--format json|sarif` must print (or write, through `>`) exactly one JSON document,
 * so a line that lets npm print its banner into machine-readable output fails.
 */
interface Block {
  readonly doc: string;
  readonly line: number;
  readonly lang: 'shell' | 'ts';
  readonly text: string;
}

const SHELL = new Set(['bash', 'sh', 'shell', 'console']);
const TS = new Set(['ts', 'typescript']);

/** The Markdown files the docs test reads: the README and every page under docs/. */
function docFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  const pages = fs.existsSync(docs)
    ? fs
        .readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => path.join('docs', f))
    : [];
  return ['README.md', ...pages];
}

/** The runnable blocks of one Markdown file (fences of three or more backticks, as CommonMark reads them). */
export function blocksOf(doc: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = new RegExp(`^\`{${open[1].length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && fence.test(l));
    const close = end === -1 ? lines.length : end;
    const [lang = '', ...words] = open[2].trim().split(/\s+/);
    const text = lines.slice(i + 1, close).join('\n');
    const line = i + 1;
    i = close;
    if (words.includes('placeholder')) continue;
    if (SHELL.has(lang)) blocks.push({ doc, line, lang: 'shell', text });
    else if (TS.has(lang)) blocks.push({ doc, line, lang: 'ts', text });
  }
  return blocks;
}

/** A shell block as commands: continuation lines joined, comments and blank lines dropped. */
export function commandsOf(text: string): { command: string; skipped: boolean }[] {
  const joined = text.replace(/\s*\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const command = l.replace(/\s+#\s.*$/, '');
      return { command, skipped: /<[^<>\s][^<>]*>/.test(command) };
    });
}

/** A scratch checkout: the sources and data linked, the rendered tree copied (so a command that writes it leaves the repository alone). */
function workspace(): string {
  const dir = tempDir('docs-');
  const copied = new Set(['dist', 'node_modules', '.git', 'coverage', 'package.json']);
  for (const e of fs.readdirSync(ROOT)) if (!copied.has(e)) fs.symlinkSync(path.join(ROOT, e), path.join(dir, e));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  // the package.json without its `bin`: `npx cdk8s-vllm` then runs node_modules/.bin/cdk8s-vllm, as in an app that
  // installed the package. In the package's own folder npm exec installs that folder into its npx cache instead
  // (~/.npm/_npx, a new entry for each scratch folder) after reading the whole node_modules tree: 2 s of CPU a command
  const { bin: _bin, ...manifest } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // node_modules as an installed app has it: the packages, and cdk8s-vllm itself (npx cdk8s-vllm, import 'cdk8s-vllm')
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules'))) if (e !== '.bin') fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(modules, e));
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules', '.bin')))
    fs.symlinkSync(path.join(ROOT, 'node_modules', '.bin', e), path.join(modules, '.bin', e));
  fs.symlinkSync(ROOT, path.join(modules, 'cdk8s-vllm'));
  // npm makes an installed bin executable; tsc writes build/ without the mode, so the link is a script that runs node
  const bin = path.join(modules, '.bin', 'cdk8s-vllm');
  fs.writeFileSync(bin, `#!/bin/sh\nexec node ${JSON.stringify(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'))} "$@"\n`, { mode: 0o755 });
  return dir;
}

/**
 * How a documented line starts the CLI: npm's script with its banner (npm 11 prints `> name@version cli` and the
 * script's command line on stdout before the command's output), npm's script with --silent, or the installed bin.
 */
const LAUNCHERS = [
  { launcher: 'npm run cli', prefix: /^npm run cli -- /, banner: true },
  { launcher: 'npm run --silent cli', prefix: /^npm run --silent cli -- /, banner: false },
  { launcher: 'npx cdk8s-vllm', prefix: /^npx cdk8s-vllm /, banner: false },
] as const;

/** A documented CLI line the test runs in this process: its launcher, the CLI's arguments, and the file `>` writes stdout to. */
interface InProcess {
  readonly launcher: (typeof LAUNCHERS)[number]['launcher'];
  readonly banner: boolean;
  readonly args: string[];
  readonly file?: string;
}

/**
 * The line as a call of the CLI's runCli(argv, io), where the shell would only split it into words: plain words (no
 * quote, variable, glob, pipe or list), at most a trailing `> file`. Anything else (a pipe, an app's own npm script)
 * runs in bash. `npm run cli` only from the scratch checkout, whose package.json holds the script.
 */
export function inProcess(command: string, atCheckout: boolean): InProcess | undefined {
  const how = LAUNCHERS.find((l) => l.prefix.test(command));
  if (!how || (how.launcher !== 'npx cdk8s-vllm' && !atCheckout)) return undefined;
  const [, words, file] = /^(.*?)(?:\s+>\s*(\S+))?$/.exec(command.replace(how.prefix, ''))!;
  const args = words.split(/\s+/).filter(Boolean);
  if (!args.every((a) => /^[\w@%+=:,./-]+$/.test(a))) return undefined;
  return { launcher: how.launcher, banner: how.banner, args, file };
}

/** What a line gave: its exit status and what it printed. */
interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether a command line asks for JSON, and where it goes. */
function jsonOutput(command: string): { file?: string } | undefined {
  if (!/--json\b|--format[ =](json|sarif)\b/.test(command)) return undefined;
  const redirect = /(?:^|\s)>\s*(\S+)\s*$/.exec(command);
  return redirect ? { file: redirect[1] } : {};
}

const blocks = docFiles().flatMap((doc) => blocksOf(doc, fs.readFileSync(path.join(ROOT, doc), 'utf8')));

describe('the docs test reads blocks by rule', () => {
  test('placeholder blocks and <…> lines are skipped; comments and continuations are handled', () => {
    const md = [
      '```bash placeholder',
      'oc apply -k x',
      '```',
      '```bash',
      'a --x \\',
      '  --y   # note <dir>',
      'b <your-tree>',
      '# only a comment',
      '```',
      '```yaml',
      'k: v',
      '```',
    ].join('\n');
    const found = blocksOf('x.md', md);
    expect(found.map((b) => b.lang)).toEqual(['shell']);
    expect(commandsOf(found[0].text)).toEqual([
      { command: 'a --x --y', skipped: false },
      { command: 'b <your-tree>', skipped: true },
    ]);
  });

  test('a CLI line of plain words runs in this process; a pipe, a quote or an app of its own runs in bash', () => {
    expect(inProcess('npm run --silent cli -- check dist/ --format sarif > check.sarif', true)).toEqual({
      launcher: 'npm run --silent cli',
      banner: false,
      args: ['check', 'dist/', '--format', 'sarif'],
      file: 'check.sarif',
    });
    expect(inProcess('npm run cli -- validate dist/', true)).toEqual({ launcher: 'npm run cli', banner: true, args: ['validate', 'dist/'], file: undefined });
    expect(inProcess('npx cdk8s-vllm check examples/dist', false)?.args).toEqual(['check', 'examples/dist']);
    // npm's script is the checkout's: in an app's folder `npm run cli` is that app's own, if any
    expect(inProcess('npm run cli -- validate dist/', false)).toBeUndefined();
    expect(inProcess('kubectl kustomize base | npm run --silent cli -- check -', true)).toBeUndefined();
    expect(inProcess("npx cdk8s-vllm check dist/ --only 'gpu-*'", true)).toBeUndefined();
    expect(inProcess('npm run synth', true)).toBeUndefined();
  });

  test('the documentation has runnable blocks in the README and under docs/', () => {
    expect(blocks.filter((b) => b.doc === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((b) => b.doc.startsWith('docs')).length).toBeGreaterThan(10);
  });
});

describe('the reference pages are what the code says', () => {
  test('docs/reference/api.md, docs/reference/cli.md and docs/explanation/rules.md match a fresh `npm run docs`', async () => {
    const { referenceDocs } = require('../scripts/reference-docs') as { referenceDocs: () => Promise<Map<string, string>> };
    const pages = await referenceDocs();
    expect([...pages.keys()].sort()).toEqual(['docs/explanation/rules.md', 'docs/reference/api.md', 'docs/reference/cli.md']);
    for (const [file, text] of pages) expect({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({ file, text });
    expect(pages.get('docs/reference/api.md')).toMatch(/^## KustomizeTree$/m);
    expect(pages.get('docs/reference/cli.md')).toMatch(/^## cdk8s-vllm init$/m);
  }, 120_000);
});

describe('every documented command runs', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
    dir = workspace();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(kubectlBinary(), path.join(bin, 'kubectl'));
    env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${path.join(dir, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
      CDK8S_CHECK_UPGRADE: 'false',
    };
  }, 120_000);

  // a page is read top to bottom: a `cd` on its own line holds for the page's later commands, as in a reader's shell
  const cwdOf = new Map<string, string>();
  // the launchers a real process has run, once each: its output must be the one the line gave in this process
  const spawned = new Set<string>();
  const shell = blocks.filter((b) => b.lang === 'shell');
  test.each(shell.map((b) => [`${b.doc}:${b.line}`, b] as const))('%s', async (_where, block) => {
    for (const { command, skipped } of commandsOf(block.text)) {
      if (skipped) continue;
      const cwd = cwdOf.get(block.doc) ?? dir;
      const cd = /^cd\s+(\S+)$/.exec(command);
      if (cd) {
        cwdOf.set(block.doc, path.resolve(cwd, cd[1]));
        continue;
      }
      const call = inProcess(command, cwd === dir);
      const r = call ? await runInProcess(call, cwd) : inBash(command, cwd);
      if (call && !call.file && !spawned.has(call.launcher)) {
        spawned.add(call.launcher);
        const real = inBash(command, cwd);
        expect({ command, status: real.status, stdout: real.stdout }).toEqual({ command, status: r.status, stdout: r.stdout });
      }
      const failed = r.status !== 0 && !(r.status === 1 && /cdk8s-vllm|npm run (--silent )?cli/.test(command));
      if (failed) throw new Error(`${block.doc}:${block.line}: \`${command}\` exited ${r.status}\n${r.stdout}\n${r.stderr}`);
      const json = jsonOutput(command);
      if (json) {
        const text = json.file ? fs.readFileSync(path.resolve(cwd, json.file), 'utf8') : r.stdout;
        expect(() => JSON.parse(text)).not.toThrow();
      }
    }
  });

  /** The line as bash runs it, in the scratch checkout's environment. */
  function inBash(command: string, cwd: string): Ran {
    // `check --rules --json` prints every rule's metadata, over spawnSync's default 1 MiB buffer (ENOBUFS, status null)
    return spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd, env, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
  }

  /**
   * A CLI line run by runCli in this process, from the line's folder with the scratch checkout's PATH: what a
   * terminal would show (npm's banner first where the line prints it) and the file `>` writes. Each line started a
   * node (and npm, about 0.5 s of CPU each) and loaded the CLI again; the first line of each launcher still does.
   */
  async function runInProcess(call: InProcess, cwd: string): Promise<Ran> {
    const { name, version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
    let stdout = call.banner ? `\n> ${name}@${version} cli\n> node scripts/run-cli.js ${call.args.join(' ')}\n\n` : '';
    let stderr = '';
    const before = { cwd: process.cwd(), path: process.env.PATH };
    process.chdir(cwd);
    process.env.PATH = env.PATH;
    try {
      const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t), stdin: () => '' };
      const status = await runCli(call.args, io);
      if (call.file) {
        fs.writeFileSync(path.resolve(cwd, call.file), stdout);
        stdout = '';
      }
      return { status, stdout, stderr };
    } finally {
      process.chdir(before.cwd);
      process.env.PATH = before.path;
    }
  }

  // the TypeScript blocks compile as one strict program (each block its own module, in its own folder) rather than
  // one compiler run each: the library's declarations are read once. Each block is judged on its own diagnostics.
  // The compiler runs while the shell lines do (most of them in this process); the blocks run side by side once the
  // shell lines are done (one of them synthesizes into dist/, which they read), each writing its own output folder.
  const ts = blocks.filter((b) => b.lang === 'ts');
  const folderOf = (block: Block) => `block-${block.doc.replace(/[^a-z0-9]+/gi, '-')}-${block.line}`;
  let compiled: Promise<string[]>;
  let runs: Map<string, Promise<Ran>> | undefined;
  beforeAll(() => {
    const src = path.join(dir, 'doc-blocks');
    for (const block of ts) {
      fs.mkdirSync(path.join(src, folderOf(block)), { recursive: true });
      fs.writeFileSync(path.join(src, folderOf(block), 'main.ts'), block.text);
    }
    fs.writeFileSync(
      path.join(src, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          lib: ['es2022'],
          types: ['node'],
          strict: true,
          skipLibCheck: true,
          outDir: 'build',
          rootDir: '.',
        },
        include: ts.map((b) => `${folderOf(b)}/main.ts`),
      }),
    );
    // one entry per diagnostic: its first line names the file, the indented lines after it continue it
    compiled = spawnText('node', [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', src], src).then((tsc) =>
      `${tsc.stdout}${tsc.stderr}`.split(/\n(?=\S)/).filter((d) => d.trim()),
    );
    // a failed compile is judged by the tests, not left as an unhandled rejection
    compiled.catch(() => undefined);
  }, 120_000);

  test.each(ts.map((b) => [`${b.doc}:${b.line}`, b] as const))('%s compiles strictly and runs', async (_where, block) => {
    const folder = folderOf(block);
    const diagnostics = await compiled;
    // its own diagnostics, and any that name no block (the configuration, the compiler itself)
    const own = diagnostics.filter((d) => d.startsWith(`${folder}/`) || !ts.some((b) => d.startsWith(`${folderOf(b)}/`)));
    expect(own.join('\n')).toBe('');
    runs ??= new Map(ts.map((b) => [folderOf(b), spawnText('node', [path.join(dir, 'doc-blocks', 'build', folderOf(b), 'main.js')], dir)]));
    const run = await runs.get(folder)!;
    expect(run.stderr).not.toMatch(/^Error|Validation failed/m);
    expect(run.status).toBe(0);
  });

  /** A process started in the scratch checkout's environment, and what it printed once it ends. */
  function spawnText(command: string, args: string[], cwd: string): Promise<Ran> {
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e) => (stderr += e.message));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }
});
