import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from './setup/scratch';

/**
 * The package as a user gets it: packed, installed from the tarball into an empty app beside cdk8s, constructs and
 * cdk8s-plus-33 (pinned to the versions of this project's lock file, from the npm cache its own install filled where it can), type-checked
 * strictly with the library's declarations, then synthesized. Nothing comes from this repository's sources.
 */
const version = (pkg: string): string => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** TypeScript 7 (the native compiler, `typescript@7` on the registry), installed in the app under an alias beside 5.9. */
const TS7_SPEC = 'typescript7@npm:typescript@^7.0.2';
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** The documented construct example (docs/reference/constructs.md, linked from the README's quick start), exactly as written there. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'docs', 'reference', 'constructs.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the constructs in your own chart'));
  return /```ts\n([\s\S]*?)```/.exec(section)![1];
}

/** A plain cdk8s app: one model on one g6.xlarge (1 × L4), synthesized with app.synth() and nothing else. */
const PLAIN_APP = `import { App, Chart } from 'cdk8s';
import {
  GpuInstanceType, GpuMachineSetScale, ModelProfile, S3Connection, S3ModelInferenceService, VllmDtype, VllmRuntime,
} from 'cdk8s-vllm';

const app = new App();
const cluster = new Chart(app, 'cluster');
const nodes = new GpuMachineSetScale(cluster, 'L4', {
  clusterId: 'mycluster-x7k2q', region: 'us-east-2', availabilityZone: 'us-east-2b', amiId: 'ami-0123456789abcdef0',
  instanceType: GpuInstanceType.G6_XLARGE,
});
const serving = new Chart(app, 'serving', { namespace: 'team-a' });
const connection = new S3Connection(serving, 'S3', { secretName: 'models-s3', endpoint: 'http://minio.minio.svc:9000', bucket: 'models' });
const runtime = new VllmRuntime(serving, 'Runtime');
new S3ModelInferenceService(serving, process.env.MODEL_NAME ?? 'llm', {
  runtime, connection, modelPath: 'llm/', machineSet: nodes,
  model: ModelProfile.bundled(process.env.MODEL_PROFILE ?? ''), dtype: VllmDtype.BFLOAT16, maxModelLen: 8192,
});
app.synth();
`;

/** Another team's app on nodes the cluster admin runs: two quotas sharing a pool, a gated Hugging Face model. */
const TEAMS_APP = `import { App, Chart } from 'cdk8s';
import {
  ExistingGpuNodes, GpuInstanceType, KueueQuota, ModelProfile, ModelSource, PlacementShare, VllmInferenceService, VllmRuntime,
} from 'cdk8s-vllm';

const app = new App();
const cluster = new Chart(app, 'cluster');
const pool = new ExistingGpuNodes(cluster, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 2, machineSet: 'admin-gpu-l40s' });
const share = (nodes: number): PlacementShare => ({ placement: pool, nodes: Number(process.env.SHARE ?? nodes) });
const quotas = ['team-a', 'team-b'].map(
  (team) => new KueueQuota(cluster, team, { shares: [share(1)], namespace: team, clusterQueueName: team, localQueueName: 'gpus', cohort: 'shared' }),
);
const serving = new Chart(app, 'serving', { namespace: 'team-a' });
new VllmInferenceService(serving, 'llama', {
  runtime: new VllmRuntime(serving, 'Runtime'),
  source: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: '0e9e39f249a16976918f6564b8830bc894c89659', tokenSecret: 'hf-token' }),
  model: ModelProfile.bundled('llama-3.1-8b-instruct'),
  placement: pool,
  queue: quotas[0],
  maxModelLen: 8192,
});
app.synth();
`;

/**
 * A team on an existing OpenShift cluster on Google Cloud: g2-standard-24 nodes (2 × L4) selected by GKE's accelerator
 * label and tainted, shared by two teams' quotas in one cohort, the quota in a namespaced chart. Each case is an
 * environment switch of this one app.
 */
const GKE_APP = `import * as fs from 'fs';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import {
  ExistingGpuNodes, GpuInstanceType, KueueQuota, ModelProfile, ModelSource, VllmDtype, VllmInferenceService, VllmRuntime, strictChecks,
} from 'cdk8s-vllm';

const env = process.env;
const app = new App();
if (env.STRICT_APP) strictChecks(app);
const cluster = new Chart(app, 'cluster', { namespace: 'team-a' });
const l4 = new ExistingGpuNodes(cluster, 'L4', {
  shape: GpuInstanceType.GCP_G2_STANDARD_24,
  nodeCount: 2,
  nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
  taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
});
const cohort = env.NO_COHORT ? {} : { cohort: 'l4-pool' };
const quotas = ['team-a', 'team-b'].map(
  (team) => new KueueQuota(cluster, team, { shares: [{ placement: l4, nodes: 1 }], namespace: team, clusterQueueName: team, localQueueName: 'gpus', ...cohort }),
);
if (env.SECOND_FLAVOR) {
  // another chart describes other nodes under the same flavor name
  const other = new Chart(app, 'other');
  new ApiObject(other, 'Flavor', {
    apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'nvidia-l4-2gpu' },
    spec: { nodeLabels: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' } },
  });
}
const serving = new Chart(app, 'serving', { namespace: 'team-a' });
new VllmInferenceService(serving, env.MODEL_NAME ?? 'llm', {
  runtime: new VllmRuntime(serving, 'Runtime'),
  source: env.SOURCE === 'hf' ? ModelSource.huggingFace('example-org/llama-8b-chat', { tokenSecret: 'hf-token' }) : ModelSource.pvc('models', 'llm'),
  placement: l4,
  queue: quotas[0],
  model: env.MODEL_PROFILE === 'unknown' ? undefined : ModelProfile.bundled(env.MODEL_PROFILE ?? 'llama-3.1-8b-instruct'),
  dtype: VllmDtype.BFLOAT16,
  maxModelLen: Number(env.MAX_MODEL_LEN ?? 8192),
  replicas: Number(env.REPLICAS ?? 1),
});
if (env.WRITE_UNCHECKED) {
  // the objects as written without the app's validation (an older release's output, or a hand-rolled writer)
  fs.mkdirSync('unchecked', { recursive: true });
  for (const c of app.charts) {
    const objects = c.node.findAll().filter((o): o is ApiObject => ApiObject.isApiObject(o));
    fs.writeFileSync(\`unchecked/\${c.node.id}.yaml\`, Yaml.stringify(...objects.map((o) => o.toJson())));
  }
} else {
  app.synth();
}
`;

describe('the packed library in a new cdk8s app', () => {
  const app = tempDir('user-app-');
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(cmd, args, { cwd: app, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  const TEMPLATES = ['aws-machinesets', 'existing-nodes'] as const;
  const initDir = (template: string) => path.join(app, `init-${template}`);
  const inited = new Set<string>();
  /** `cdk8s-vllm init --template <template>` into init-<template>, once (the app's own npm install serves it). */
  const initApp = (template: string) => {
    if (inited.has(template)) return;
    const tarball = fs.readdirSync(app).find((f) => f.endsWith('.tgz'))!;
    const init = run(path.join(app, 'node_modules', '.bin', 'cdk8s-vllm'), [
      'init',
      initDir(template),
      '--template',
      template,
      '--package',
      `file:../${tarball}`,
    ]);
    if (init.status !== 0) throw new Error(`init failed:\n${init.stdout}${init.stderr}`);
    inited.add(template);
  };
  /** A child process in `cwd`, and what it printed once it ends: the compilers run side by side. */
  const started = (cwd: string, cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e) => (stderr += e.message));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  /**
   * TypeScript 5.9 on every project of the app, each checked as its tsconfig.json is written, in one compiler process
   * (\`tsc --build\`: one start of the compiler instead of four): what it said of each project (its diagnostics, and with
   * --listFiles the files it read), and the build's exit status. Made by the suite's second beforeAll.
   */
  let ts59Run: { status: number | null; said: Map<string, string[]> } | undefined;
  const ts59Build = async (): Promise<void> => {
    const projects = ['tsconfig.json', path.join('no-node', 'tsconfig.json'), ...TEMPLATES.map((t) => path.join(`init-${t}`, 'tsconfig.json'))];
    const tsc = await started(app, 'node', [TSC, '--build', '--verbose', '--listFiles', ...projects]);
    const said = new Map<string, string[]>(projects.map((p) => [path.join(fs.realpathSync(app), p), []]));
    // what tsc says before it builds a project (a command line or configuration it refuses) belongs to none
    const before: string[] = [];
    let current = before;
    for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
      // --verbose says which project it builds, and why, on lines of their own that begin with the time
      const building = /^\S.* - Building project '(.+)'\.\.\.$/.exec(line);
      if (building) current = said.get(fs.realpathSync(building[1]))!;
      else if (!/^\S.* - /.test(line) && !/^ {4}\* /.test(line) && line.trim()) current.push(line);
    }
    expect(before).toEqual([]);
    // each project was built: a section of its own
    expect(tsc.stdout.match(/ - Building project '/g)).toHaveLength(projects.length);
    ts59Run = { status: tsc.status, said };
  };
  const ts59 = (project: string): { status: number | null; diagnostics: string[]; files: string[] } => {
    if (!ts59Run) throw new Error('the TypeScript 5.9 build did not run');
    const lines = ts59Run.said.get(path.join(fs.realpathSync(app), project))!;
    // --listFiles: the absolute paths of the files read; anything else is a diagnostic
    const isFile = (l: string) => path.isAbsolute(l) && fs.existsSync(l);
    return { status: ts59Run.status, diagnostics: lines.filter((l) => !isFile(l)), files: lines.filter(isFile) };
  };
  /**
   * TypeScript 7's runs, started beside the TypeScript 5.9 build: the public API without @types/node, and each init
   * app compiled into build-ts7/ (5.9 writes build/ meanwhile), which its synth then runs.
   */
  const ts7Runs = new Map<string, ReturnType<typeof started>>();

  beforeAll(() => {
    // the build the tarball ships is the one `npm run build` makes
    execFileSync('node', ['-e', "require('./scripts/ensure-built').ensureBuilt()"], { cwd: ROOT, stdio: 'pipe' });
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', app], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '0.0.0', private: true }));
    const install = run('npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      path.join(app, tarball),
      `cdk8s@${version('cdk8s')}`,
      `constructs@${version('constructs')}`,
      `cdk8s-plus-33@${version('cdk8s-plus-33')}`,
      `@types/node@${version('@types/node')}`,
      TS7_SPEC,
    ]);
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stdout}${install.stderr}`);
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'CommonJS',
          lib: ['es2022'],
          types: ['node'],
          strict: true,
          skipLibCheck: false,
          noUnusedLocals: true,
          esModuleInterop: true,
          outDir: 'build',
          rootDir: '.',
        },
        include: ['*.ts'],
      }),
    );
    // the whole public API, type-checked without @types/node: a consumer needs no Node.js types to use it
    fs.mkdirSync(path.join(app, 'no-node'));
    fs.writeFileSync(path.join(app, 'no-node', 'api.ts'), "import * as vllm from 'cdk8s-vllm';\nexport const api: typeof vllm = vllm;\n");
    fs.writeFileSync(
      path.join(app, 'no-node', 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', lib: ['es2022'], types: [], strict: true, skipLibCheck: false, noEmit: true },
        include: ['api.ts'],
      }),
    );
    fs.writeFileSync(path.join(app, 'main.ts'), readmeExample());
    fs.writeFileSync(path.join(app, 'plain.ts'), PLAIN_APP);
    fs.writeFileSync(path.join(app, 'teams.ts'), TEAMS_APP);
    fs.writeFileSync(path.join(app, 'gke.ts'), GKE_APP);
  }, 300_000);

  // the init apps, then the one TypeScript 5.9 build of every project and TypeScript 7's runs side by side: two
  // compilers, each one process (5.9 one thread), end sooner together than one after the other
  beforeAll(async () => {
    for (const template of TEMPLATES) initApp(template);
    ts7Runs.set('no-node', started(app, 'node', [TS7(), '-p', path.join('no-node', 'tsconfig.json'), '--listFiles']));
    for (const template of TEMPLATES) ts7Runs.set(template, started(initDir(template), 'node', [TS7(), '-p', '.', '--outDir', 'build-ts7']));
    await ts59Build();
    await Promise.all(ts7Runs.values());
  }, 300_000);

  test('its declarations type-check in a strict app with skipLibCheck off', () => {
    const tsc = ts59('tsconfig.json');
    expect(tsc.diagnostics).toEqual([]);
    expect(tsc.files).toContainEqual(expect.stringMatching(/cdk8s-vllm\/build\/lib\/index\.d\.ts$/));
    expect(tsc.status).toBe(0);
  });

  test('the app holds one copy of cdk8s and constructs, and no AWS SDK', () => {
    // one npm ls for both: every copy of either, wherever it is installed, is a line
    const ls = run('npm', ['ls', 'cdk8s', 'constructs', '--all', '--parseable']);
    expect(ls.stdout.trim().split('\n').filter(Boolean).sort()).toEqual(
      ['cdk8s', 'constructs'].map((pkg) => path.join(fs.realpathSync(app), 'node_modules', pkg)),
    );
    expect(fs.existsSync(path.join(app, 'node_modules', '@aws-sdk'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s-vllm', 'node_modules', 'cdk8s'))).toBe(false);
  });

  test('the documented construct example runs verbatim and writes its tree', () => {
    const r = run('node', ['build/main.js']);
    expect(r.stderr).not.toMatch(/^Error|Validation failed/m);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(app, 'rendered', 'apps', 'llm', 'serving.yaml'), 'utf8')).toMatch(/nvidia.com\/gpu: "4"/);
    expect(fs.readFileSync(path.join(app, 'rendered', 'apps', 'llm', 'serving.yaml'), 'utf8')).toMatch(/^# Generated by cdk8s-vllm from main.ts\./);
    expect(fs.readFileSync(path.join(app, 'rendered', 'PLAN.md'), 'utf8')).toMatch(/team-a\/mistral-small .* fits/);
  });

  test('plain app.synth(): Llama-3.1-8B BF16 on one L4 at 8192 renders; Llama-3.1-70B on the same node is refused', () => {
    const small = run('node', ['build/plain.js'], { MODEL_PROFILE: 'llama-3.1-8b-instruct', MODEL_NAME: 'llama-8b' });
    // no error; the one warning (a Secret created outside the tree) is shown once, as plain synth now shows warnings
    expect(small.stderr).toBe(
      "warning secret-not-in-tree InferenceService/team-a/llama-8b: storage.key 'models-s3' is an entry of Secret storage-config in 'team-a', " +
        "which odh-model-controller writes from the data connection Secret 'models-s3', and the tree has no such connection; " +
        "create the connection before sync (dashboard, External Secrets or Sealed Secrets), or KServe's pod webhook refuses the predictor pods " +
        '("specified storage key models-s3 not found in storage secret", or "can\'t read storage secret")\n',
    );
    expect(small.status).toBe(0);
    expect(fs.readFileSync(path.join(app, 'dist', 'serving.k8s.yaml'), 'utf8')).toMatch(/name: llama-8b/);

    const large = run('node', ['build/plain.js'], { MODEL_PROFILE: 'llama-3.1-70b-instruct', MODEL_NAME: 'llama-70b' });
    expect(large.status).not.toBe(0);
    expect(large.stderr).toMatch(/error gpu-memory-fit InferenceService\/team-a\/llama-70b: oom_weights on 1 × L4 \(g6\.xlarge\)/);
  });

  test("another team's app: two quotas share the admin's pool through one flavor, the token reaches the storage initializer; an over-share is refused", () => {
    const ok = run('node', ['build/teams.js']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const cluster = fs.readFileSync(path.join(app, 'dist', 'cluster.k8s.yaml'), 'utf8');
    expect(cluster.match(/^kind: ResourceFlavor$/gm)).toHaveLength(2); // cpu-batch and the one L40S flavor, declared once
    expect(cluster.match(/- name: nvidia-l40s-4gpu/g)).toHaveLength(2); // listed by both ClusterQueues
    const serving = fs.readFileSync(path.join(app, 'dist', 'serving.k8s.yaml'), 'utf8');
    expect(serving).toMatch(/kind: ServiceAccount[\s\S]*secrets:\n {2}- name: hf-token/);
    expect(serving).toMatch(/serviceAccountName: llama-storage/);
    const over = run('node', ['build/teams.js'], { SHARE: '2' });
    expect(over.status).not.toBe(0);
    expect(over.stderr).toMatch(/existing MachineSet admin-gpu-l40s: nodes .* has 2 nodes but the quotas hand out 4/);
  });

  test('cdk8s synth runs the same checks', () => {
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node build/plain.js\n');
    const r = run('node', [CDK8S_CLI, 'synth', '--check-upgrade', 'false'], { MODEL_PROFILE: 'llama-3.1-70b-instruct', MODEL_NAME: 'llama-70b' });
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/error gpu-memory-fit InferenceService\/team-a\/llama-70b/);
  });

  test('the installed CLI checks the plain output without --model, and explains the missing SDK for S3 commands', () => {
    run('node', ['build/plain.js'], { MODEL_PROFILE: 'llama-3.1-8b-instruct', MODEL_NAME: 'llama-8b' });
    const bin = path.join(app, 'node_modules', '.bin', 'cdk8s-vllm');
    const check = run(bin, ['check', 'dist', '--json']);
    const findings: { rule: string; message: string }[] = JSON.parse(check.stdout).findings;
    expect(findings.filter((f) => f.rule === 'gpu-memory-fit')).toEqual([]);
    expect(check.status).toBe(0);
    const verify = run(bin, ['verify', 's3://models/llm/']);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toMatch(/npm install @aws-sdk\/client-s3 @aws-sdk\/lib-storage/);
  });
  describe('a team on existing GKE-style nodes (g2-standard-24, 2 × L4, custom selector and taint), plain app.synth()', () => {
    const gke = (env: Record<string, string> = {}) => run('node', ['build/gke.js'], env);
    const yaml = (file: string) => fs.readFileSync(path.join(app, 'dist', file), 'utf8');

    test('renders: the node shape recorded, the taint value kept, cluster-scoped objects without a namespace, a lending queue that can reclaim', () => {
      const ok = gke();
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      const serving = yaml('serving.k8s.yaml');
      expect(serving).toMatch(
        /cdk8s-vllm.io\/node-shape: '\{"gpuModel":"L4","gpusPerNode":2,.*"instanceType":"g2-standard-24","placement":"nodes cloud.google.com\/gke-accelerator=nvidia-l4 \(2 × L4 each\)"\}'/,
      );
      expect(serving).toMatch(/- effect: NoSchedule\n {8}key: nvidia.com\/gpu\n {8}operator: Equal\n {8}value: present/);
      const docs = yaml('cluster.k8s.yaml').split(/^---$/m);
      const clusterScoped = docs.filter((d) => /^kind: (ClusterQueue|ResourceFlavor)$/m.test(d));
      expect(clusterScoped).toHaveLength(4); // cpu-batch, nvidia-l4-2gpu, two ClusterQueues
      for (const d of clusterScoped) expect(d).not.toMatch(/^ {2}namespace:/m);
      expect(docs.find((d) => /^kind: LocalQueue$/m.test(d))).toMatch(/^ {2}namespace: team-a$/m);
      for (const d of docs.filter((x) => /^kind: ClusterQueue$/m.test(x))) expect(d).toMatch(/reclaimWithinCohort: Any/);
    });

    test('Llama-3.1-70B BF16 on one L4 fails naming gpu-memory-fit; a context beyond the positions fails (vllm-startup-refused); 7b-model fails', () => {
      const large = gke({ MODEL_PROFILE: 'llama-3.1-70b-instruct' });
      expect(large.status).not.toBe(0);
      expect(large.stderr).toMatch(/error gpu-memory-fit InferenceService\/team-a\/llm: oom_weights on 1 × L4 \(g2-standard-24\)/);
      // Mistral-Small-24B has 32768 positions
      const long = gke({ MODEL_PROFILE: 'mistral-small-24b-instruct-2501', MAX_MODEL_LEN: '65536' });
      expect(long.status).not.toBe(0);
      expect(long.stderr).toMatch(
        /error vllm-startup-refused InferenceService\/team-a\/llm: .*max-model-len 65536 exceeds the model's max_position_embeddings 32768/,
      );
      const name = gke({ MODEL_NAME: '7b-model' });
      expect(name.status).not.toBe(0);
      expect(name.stderr).toMatch(/name '7b-model' is not an InferenceService name: KServe's webhook requires .* starting with a letter/);
    });

    test('check on the written objects reports the same error without --model or any flag', () => {
      const written = gke({ MODEL_PROFILE: 'llama-3.1-70b-instruct', WRITE_UNCHECKED: '1' });
      expect(written.stderr).toBe('');
      expect(written.status).toBe(0);
      const check = run(path.join(app, 'node_modules', '.bin', 'cdk8s-vllm'), ['check', 'unchecked', '--wide']);
      expect(check.status).toBe(1);
      expect(check.stdout).toMatch(/gpu-memory-fit/);
      expect(check.stdout).toMatch(/oom_weights on 1 × L4 \(g2-standard-24\)/);
    });

    test('one flavor name with two shapes in two charts fails, naming both definitions', () => {
      const clash = gke({ SECOND_FLAVOR: '1' });
      expect(clash.status).not.toBe(0);
      expect(clash.stderr).toMatch(
        /error cluster-object-conflict ResourceFlavor\/nvidia-l4-2gpu: ResourceFlavor 'nvidia-l4-2gpu' is declared differently by cluster\/team-a\/Flavor-g2-standard-24 in the same cluster \(the app's, here by other\/Flavor\)/,
      );
    });

    test('a quota short of GPUs on existing nodes: one error, advising nodes (not MachineSet replicas)', () => {
      const short = gke({ NO_COHORT: '1', REPLICAS: '3' });
      expect(short.status).not.toBe(0);
      const errors = short.stderr.split('\n').filter((l) => /quota-insufficient/.test(l));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /error quota-insufficient ClusterQueue\/team-a: flavor nvidia-l4-2gpu: InferenceService\/team-a\/llm need more than the nominal quota at full scale \(3 GPU > 2.*add nodes to nodes cloud.google.com\/gke-accelerator=nvidia-l4 \(2 × L4 each\)/,
      );
      expect(short.stderr).not.toMatch(/MachineSet/);
    });

    test('an undecidable check (a note) and an unpinned hf:// source (a warning) are on stderr, once; strict makes them fatal', () => {
      // the hf:// source is a fine-tune the bundled catalog lacks, so its GPU fit stays undecidable
      const unknown = gke({ MODEL_PROFILE: 'unknown', SOURCE: 'hf' });
      expect(unknown.status).toBe(0);
      const lines = unknown.stderr.trim().split('\n');
      expect(
        lines.filter((l) =>
          /^info gpu-memory-fit InferenceService\/team-a\/llm: the model at hf:\/\/example-org\/llama-8b-chat is unknown, so its GPU fit is not checked/.test(
            l,
          ),
        ),
      ).toHaveLength(1);
      expect(
        lines.filter((l) =>
          /^warning hf-revision-not-pinned InferenceService\/team-a\/llm: the model hf:\/\/example-org\/llama-8b-chat names no revision/.test(l),
        ),
      ).toHaveLength(1);
      expect(unknown.stderr).not.toMatch(/inspect hf:/); // inspect reads s3:// only
      const strictEnv = gke({ MODEL_PROFILE: 'unknown', SOURCE: 'hf', CDK8S_VLLM_STRICT: '1' });
      expect(strictEnv.status).not.toBe(0);
      expect(strictEnv.stderr).toMatch(/warning hf-revision-not-pinned .* \(fatal: strict checks, CDK8S_VLLM_STRICT\)/);
      const strictApp = gke({ MODEL_PROFILE: 'unknown', STRICT_APP: '1' });
      expect(strictApp.status).not.toBe(0);
      expect(strictApp.stderr).toMatch(/info gpu-memory-fit .*is unknown.*\(fatal: strict checks/);
    });

    test('cdk8s synth prints the warning on stderr; with CDK8S_VLLM_STRICT=1 it exits non-zero', () => {
      fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node build/gke.js\n');
      const warned = run('node', [CDK8S_CLI, 'synth', '--check-upgrade', 'false'], { MODEL_PROFILE: 'unknown' });
      expect(warned.status).toBe(0);
      expect(warned.stderr).toMatch(/info gpu-memory-fit InferenceService\/team-a\/llm: the model at pvc:\/\/models\/llm is unknown/);
      const strict = run('node', [CDK8S_CLI, 'synth', '--check-upgrade', 'false'], { MODEL_PROFILE: 'unknown', CDK8S_VLLM_STRICT: '1' });
      expect(strict.status).not.toBe(0);
      expect(`${strict.stdout}${strict.stderr}`).toMatch(/info gpu-memory-fit .*\(fatal: strict checks, CDK8S_VLLM_STRICT\)/);
    });
  });

  const TS7 = () => path.join(app, 'node_modules', 'typescript7', 'bin', 'tsc');
  const COMPILERS: [string, () => string][] = [
    ['TypeScript 5.9', () => TSC],
    ['TypeScript 7', TS7],
  ];

  test('the compilers are the versions the tests claim', () => {
    expect(run('node', [TSC, '--version']).stdout).toMatch(/^Version 5\.9\./);
    expect(run('node', [TS7(), '--version']).stdout).toMatch(/^Version 7\./);
  });

  test('the published manifest runs nothing at install time', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk8s-vllm', 'package.json'), 'utf8'));
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[script]).toBeUndefined();
  });

  test.each(COMPILERS)('%s: the public API type-checks without @types/node', async (name) => {
    const project = path.join('no-node', 'tsconfig.json');
    if (name === 'TypeScript 5.9') {
      const tsc = ts59(project);
      expect(tsc.diagnostics).toEqual([]);
      expect(tsc.status).toBe(0);
      expect(tsc.files.join('\n')).toMatch(/cdk8s-vllm\/build\/lib\/index\.d\.ts/);
      expect(tsc.files.join('\n')).not.toMatch(/@types\/node/);
      return;
    }
    const tsc = await ts7Runs.get('no-node')!;
    expect(tsc.stdout.split('\n').filter((f) => /error TS/.test(f))).toEqual([]);
    expect(tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(tsc.stdout).toMatch(/cdk8s-vllm\/build\/lib\/index\.d\.ts/);
    expect(tsc.stdout).not.toMatch(/@types\/node/);
  });

  describe.each(TEMPLATES)('cdk8s-vllm init --template %s', (template) => {
    const dir = initDir(template);
    const bin = () => path.join(app, 'node_modules', '.bin', 'cdk8s-vllm');
    // the app's own npm install is the one above: node and tsc find the packages in the parent folder's node_modules
    beforeAll(() => initApp(template));

    test('writes an app that depends on the library and its peers, and whose cdk8s output is not its tree', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      expect(pkg.dependencies['cdk8s-vllm']).toMatch(/^file:\.\.\/cdk8s-vllm-.*\.tgz$/);
      expect(Object.keys(pkg.dependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-33', 'cdk8s-vllm', 'constructs']);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).compilerOptions.strict).toBe(true);
      const cdk8sYaml = fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8');
      expect(cdk8sYaml).toMatch(/^output: cdk8s\.out$/m);
      expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toMatch(/tree\.write\('rendered'\)/);
      expect(fs.existsSync(path.join(dir, 'models', 'llama-3.1-8b-instruct', 'config.json'))).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/npm run synth/);
    });

    test.each(COMPILERS)('%s: compiles strictly, synthesizes, validates and checks clean', async (name) => {
      fs.rmSync(path.join(dir, 'rendered'), { recursive: true, force: true });
      const at = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      if (name === 'TypeScript 5.9') {
        // build/ is what the one TypeScript 5.9 build of the app's projects wrote from this project
        const tsc = ts59(path.join(`init-${template}`, 'tsconfig.json'));
        expect(tsc.diagnostics).toEqual([]);
        expect(tsc.status).toBe(0);
      } else {
        // compiled into build-ts7/ beside the TypeScript 5.9 build (the suite's second beforeAll)
        const tsc = await ts7Runs.get(template)!;
        expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
        expect(tsc.status).toBe(0);
      }
      const synth = at('node', [name === 'TypeScript 5.9' ? 'build/main.js' : 'build-ts7/main.js']);
      expect(synth.stderr).toBe('');
      expect(synth.status).toBe(0);
      expect(
        fs
          .readdirSync(path.join(dir, 'rendered'))
          .filter((f) => !f.startsWith('.')) // the marker synth leaves in a folder it owns
          .sort(),
      ).toEqual(['PLAN.md', 'PREREQUISITES.md', 'argocd', 'cluster', 'serving']);
      expect(fs.readFileSync(path.join(dir, 'rendered', 'PREREQUISITES.md'), 'utf8')).toMatch(/--from-literal=HF_TOKEN=/);
      const validate = at(bin(), ['validate', 'rendered']);
      expect(validate.stdout).toMatch(/^\d+ object\(s\) conform/);
      expect(validate.status).toBe(0);
      const check = at(bin(), ['check', 'rendered', '--json']);
      expect(JSON.parse(check.stdout).findings).toEqual([]);
      expect(check.status).toBe(0);
    });

    test('cdk8s synth runs the same app and leaves the tree in place: its own output folder is another', () => {
      const synth = spawnSync('node', [CDK8S_CLI, 'synth', '--check-upgrade', 'false'], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
      expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: '' });
      expect(fs.existsSync(path.join(dir, 'rendered', 'serving', 'serving.yaml'))).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'rendered', 'PLAN.md'), 'utf8')).toMatch(/team-a\/llama-8b/);
      expect(fs.readdirSync(path.join(dir, 'cdk8s.out')).sort()).toEqual(['argocd.k8s.yaml', 'cluster.k8s.yaml', 'serving.k8s.yaml']);
    });
  });
});
