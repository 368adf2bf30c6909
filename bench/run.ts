/**
 * `npm run bench`: synth and check timings (medians of cold runs, each a fresh node process), growth with the
 * number of InferenceServices, and S3 upload throughput against the AWS CLI when it is installed.
 * Writes bench/results.json and bench/RESULTS.md. BENCH_ONLY=load runs only the load and watch measures and prints them;
 * BENCH_ONLY=check only the 500-service check measures.
 */
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Loose } from '../lib/manifests/access';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Timing {
  readonly medianS: number;
  readonly minS: number;
  readonly maxS: number;
  readonly runs: number;
}

function time(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; runs?: number } = {}): Timing & { stdout: string } {
  const samples: number[] = [];
  let stdout = '';
  for (let i = 0; i < (opts.runs ?? RUNS); i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 1 << 28 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0 && !(cmd === 'node' && args.includes('check'))) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    samples.push(s);
    stdout = r.stdout;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianS: round(sorted[Math.floor(sorted.length / 2)]),
    minS: round(sorted[0]),
    maxS: round(sorted[sorted.length - 1]),
    runs: samples.length,
    stdout,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

interface Paired {
  readonly what: string;
  readonly against: string;
  readonly medianS: number;
  readonly againstMedianS: number;
  readonly ratio: number;
  readonly target: number;
  readonly runs: number;
}

/**
 * A command against its reference in the same run, alternating (reference, command, reference, …) so that both see
 * the same machine load; the ratio is of the medians. Wall time of fresh processes, as a user waits for them.
 */
function paired(what: string, cmd: string[], against: string, ref: string[], target: number, env?: NodeJS.ProcessEnv): Paired {
  const ours: number[] = [];
  const theirs: number[] = [];
  const runs = Number(process.env.BENCH_PAIRED_RUNS ?? 9);
  for (let i = 0; i < runs; i++) {
    theirs.push(time(ref[0], ref.slice(1), { runs: 1 }).medianS);
    ours.push(time(cmd[0], cmd.slice(1), { runs: 1, env }).medianS);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = median(ours);
  const r = median(theirs);
  return { what, against, medianS: round(m), againstMedianS: round(r), ratio: round(m / r), target, runs };
}

const BARE_CDK8S = ['node', '-e', "require('cdk8s'); require('cdk8s-plus-33')"];

/**
 * The library keeps what it computed on disk (validators, verdicts, parsed YAML, an unchanged app's findings): a run
 * after an unchanged one reuses it. Each target is also measured with no cache at all, as on a fresh clone or after
 * a change that touches every object.
 */
const NO_CACHE = { CDK8S_VLLM_NO_CACHE: '1' };

/** The load targets: synth and --help against the bare loads they cannot avoid. */
function loadCost(): Paired[] {
  const cli = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
  return [
    paired('step-05 synth: node build/main.js', ['node', path.join(ROOT, 'build', 'main.js')], 'bare cdk8s + cdk8s-plus-33 load', BARE_CDK8S, 1.6),
    paired('step-05 synth, no cache', ['node', path.join(ROOT, 'build', 'main.js')], 'bare cdk8s + cdk8s-plus-33 load', BARE_CDK8S, 1.6, NO_CACHE),
    paired('all apps: node scripts/run-app.js', ['node', path.join(ROOT, 'scripts', 'run-app.js')], 'bare cdk8s + cdk8s-plus-33 load', BARE_CDK8S, 2.5),
    paired('all apps, no cache', ['node', path.join(ROOT, 'scripts', 'run-app.js')], 'bare cdk8s + cdk8s-plus-33 load', BARE_CDK8S, 2.5, NO_CACHE),
    paired('cdk8s-vllm --help', ['node', cli, '--help'], "node -e ''", ['node', '-e', ''], 2),
  ];
}

function scale(): { services: number; medianS: number; maxRssMiB: number; perServiceMs: number }[] {
  const out = [];
  for (const n of [1, 10, 100, 500]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${n}-`));
    const t = time('node', [path.join(ROOT, 'build', 'bench', 'scale-app.js'), String(n), dir], { runs: n >= 500 ? 3 : 5 });
    const rss = JSON.parse(t.stdout.trim().split('\n').pop()!).maxRssKiB / 1024;
    out.push({ services: n, medianS: t.medianS, maxRssMiB: Math.round(rss), perServiceMs: round((t.medianS / n) * 1000) });
    if (n !== 500) fs.rmSync(dir, { recursive: true, force: true });
    else process.env.BENCH_500_TREE = dir;
  }
  return out;
}

/**
 * The 500-service check measures alone (BENCH_ONLY=check): the tree written once, then checked after an earlier check
 * of it and with no cache, with the machine's load average (1, 5 and 15 minutes) when they start and end.
 */
function checkOnly(): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-500-'));
  time('node', [path.join(ROOT, 'build', 'bench', 'scale-app.js'), '500', dir], { runs: 1 });
  const cli = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
  // a check first, so that the measured ones run after an earlier check of the tree (its cache warm)
  time('node', [cli, 'check', dir], { runs: 1 });
  const loadBefore = os.loadavg().map(round);
  const check500 = time('node', [cli, 'check', dir], { runs: 5 });
  const check500NoCache = time('node', [cli, 'check', dir], { runs: 5, env: NO_CACHE });
  const loadAfter = os.loadavg().map(round);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const t of [check500, check500NoCache] as Loose[]) delete t.stdout;
  return { check500Services: check500, check500ServicesNoCache: check500NoCache, loadBefore, loadAfter };
}

/** Wall time of one command run asynchronously (the S3 server runs in this process meanwhile). */
function timeAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e9) : reject(new Error(`${cmd} failed: ${err}`))));
  });
}

async function s3Throughput(): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-model-'));
  const sizeMiB = Number(process.env.BENCH_UPLOAD_MIB ?? 512);
  for (let i = 1; i <= 4; i++) fs.writeFileSync(path.join(data, `model-0000${i}-of-00004.safetensors`), crypto.randomBytes((sizeMiB / 4) * 1024 * 1024));
  fs.copyFileSync(path.join(ROOT, 'models', 'mistral-small-24b-instruct-2501', 'config.json'), path.join(data, 'config.json'));
  fs.writeFileSync(path.join(data, 'tokenizer.json'), '{}');
  fs.writeFileSync(
    path.join(data, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: {}, weight_map: Object.fromEntries([1, 2, 3, 4].map((i) => [`w${i}`, `model-0000${i}-of-00004.safetensors`])) }),
  );
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: store, configureBuckets: [{ name: 'bench' }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  try {
    const ours = await timeAsync('node', [path.join(ROOT, 'build', 'lib', 'cli', 'main.js'), 'upload', data, 's3://bench/ours/', '--endpoint', endpoint], env);
    const result: Record<string, unknown> = { dataMiB: sizeMiB, files: 7, oursS: round(ours), oursMiBps: round(sizeMiB / ours) };
    const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    if (aws.status === 0) {
      const theirs = await timeAsync('aws', ['s3', 'cp', '--recursive', '--only-show-errors', '--endpoint-url', endpoint, data, 's3://bench/aws/'], env);
      Object.assign(result, { awsCli: (aws.stdout || aws.stderr).trim(), awsS: round(theirs), awsMiBps: round(sizeMiB / theirs) });
    } else {
      result.awsCli = 'not installed on this machine: no comparison';
    }
    return result;
  } finally {
    await server.close();
    fs.rmSync(data, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
}

interface WatchTiming {
  readonly change: string;
  /** From the file's write to the watcher's line saying the tree is written (settle delay and transpile included). */
  readonly wallMedianMs: number;
  /** The render alone, as the watcher reports it. */
  readonly renderMedianMs: number;
  readonly runs: number;
}

/**
 * `npm run watch`: re-render time after a change of the configuration and of the app file, as medians of `runs`
 * changes that rewrite the file unchanged (so the tree stays the same and the checkout clean).
 */
async function watchTimings(runs = Number(process.env.BENCH_WATCH_RUNS ?? 9)): Promise<WatchTiming[]> {
  const child = spawn('node', [path.join(ROOT, 'scripts', 'watch.js')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  let buffer = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.on('data', (d) => {
    buffer += d;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const w = waiters.find((x) => x.re.test(line));
      if (w) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line.match(w.re)!);
      }
    }
  });
  const next = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run watch: no line matching ${re} within 60 s`)), 60000);
      waiters.push({ re, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  try {
    await next(/^watching /);
    const out: WatchTiming[] = [];
    for (const file of ['config/step-05.json', 'main.ts']) {
      const text = fs.readFileSync(path.join(ROOT, file));
      const walls: number[] = [];
      const renders: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const line = next(new RegExp(`^rendered step-05 in (\\d+) ms \\(${file.replace('.', '\\.')}\\)`));
        const t0 = process.hrtime.bigint();
        fs.writeFileSync(path.join(ROOT, file), text);
        const m = await line;
        // the first change of a file warms its path up (transpiler, JIT): not counted
        if (i === 0) continue;
        walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
        renders.push(Number(m[1]));
        await new Promise((r) => setTimeout(r, 100));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      out.push({ change: file, wallMedianMs: Math.round(median(walls)), renderMedianMs: median(renders), runs });
    }
    return out;
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(ROOT, 'scripts', 'ensure-built.js')).ensureBuilt();
  if (process.env.BENCH_ONLY === 'check') {
    // the 500-service check alone (a few minutes), printed and not written to bench/results.json
    process.stdout.write(`${JSON.stringify(checkOnly(), null, 2)}\n`);
    return;
  }
  const load = loadCost();
  const watch = await watchTimings();
  if (process.env.BENCH_ONLY === 'load') {
    // the load targets alone (about a minute), printed and not written to bench/results.json
    process.stdout.write(`${JSON.stringify({ loadCost: load, watch }, null, 2)}\n`);
    return;
  }
  const bare = time('node', ['-e', "require('cdk8s'); require('cdk8s-plus-33')"]);
  const synth = time('npm', ['run', '--silent', 'synth']);
  const node = time('node', [path.join(ROOT, 'scripts', 'run-app.js')]);
  const cdk8s = time(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { runs: 3 });
  const scaling = scale();
  const check500 = time('node', [path.join(ROOT, 'build', 'lib', 'cli', 'main.js'), 'check', process.env.BENCH_500_TREE!], { runs: 3 });
  const check500NoCache = time('node', [path.join(ROOT, 'build', 'lib', 'cli', 'main.js'), 'check', process.env.BENCH_500_TREE!], { runs: 3, env: NO_CACHE });
  const cli = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
  const shapes = time('node', [cli, 'plan', '--model', path.join(ROOT, 'models', 'llama-3.1-70b-instruct'), '--shapes', '--max-model-len', '8192']);
  const upload = process.env.BENCH_SKIP_S3 ? { skipped: true } : await s3Throughput();
  const results = {
    machine: `${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    date: new Date().toISOString().slice(0, 10),
    loadCost: load,
    watch,
    bareLoadCdk8sAndPlus: bare,
    npmRunSynth: synth,
    nodeSynth: node,
    ratioNpmRunSynthToBareLoad: round(synth.medianS / bare.medianS),
    cdk8sSynth: cdk8s,
    scaling,
    check500Services: check500,
    check500ServicesNoCache: check500NoCache,
    planShapes: shapes,
    s3Upload: upload,
  };
  for (const t of [bare, synth, node, cdk8s, check500, check500NoCache, shapes] as Loose[]) delete t.stdout;
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `# Benchmark results (${results.date}, ${results.machine})`,
    '',
    '| measure | median | min | max | runs |',
    '|---|---|---|---|---|',
    ...(
      [
        ["bare load: node -e \"require('cdk8s'); require('cdk8s-plus-33')\"", bare],
        ['npm run synth (step-05 tree)', synth],
        ['node scripts/run-app.js (step-05 tree)', node],
        ['cdk8s synth (end to end)', cdk8s],
        ['cdk8s-vllm check on the 500-service tree (after an earlier check of it)', check500],
        ['cdk8s-vllm check on the 500-service tree, no cache', check500NoCache],
        ['cdk8s-vllm plan --shapes over the whole catalog (Llama-3.1-70B, 8192)', shapes],
      ] as [string, Timing][]
    ).map(([n, t]) => `| ${n} | ${t.medianS.toFixed(3)} s | ${t.minS.toFixed(3)} s | ${t.maxS.toFixed(3)} s | ${t.runs} |`),
    '',
    `npm run synth / bare load: **${results.ratioNpmRunSynthToBareLoad}×**`,
    '',
    'Paired against the bare load in the same run (alternating fresh processes, medians):',
    '',
    '| command | median | reference | median | ratio | target |',
    '|---|---|---|---|---|---|',
    ...load.map((p) => `| ${p.what} | ${p.medianS.toFixed(3)} s | ${p.against} | ${p.againstMedianS.toFixed(3)} s | **${p.ratio}×** | ≤ ${p.target}× |`),
    '',
    '`npm run watch`, re-render of step-05 after rewriting a file (median; target ≤ 100 ms):',
    '',
    '| change | write → tree written | render alone | runs |',
    '|---|---|---|---|',
    ...watch.map((w) => `| ${w.change} | ${w.wallMedianMs} ms | ${w.renderMedianMs} ms | ${w.runs} |`),
    '',
    '| InferenceServices | synth median | per service | peak RSS |',
    '|---|---|---|---|',
    ...scaling.map((s) => `| ${s.services} | ${s.medianS.toFixed(3)} s | ${s.perServiceMs} ms | ${s.maxRssMiB} MiB |`),
    '',
    `S3 upload (s3rver on 127.0.0.1): ${JSON.stringify(upload)}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), md);
  process.stdout.write(md);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
