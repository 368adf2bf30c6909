import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from './util';

/**
 * The package as a user gets it: packed, installed from the tarball into an empty app beside cdk8s, constructs and
 * cdk8s-plus-33 (pinned to the versions of this project's lock file, from the npm cache its own install filled where it can), type-checked
 * strictly with the library's declarations, then synthesized. Nothing comes from this repository's sources.
 */
const version = (pkg: string): string => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** The README's construct example, exactly as written there. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
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

describe('the packed library in a new cdk8s app', () => {
  const app = tempDir('user-app-');
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(cmd, args, { cwd: app, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });

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
    fs.writeFileSync(path.join(app, 'main.ts'), readmeExample());
    fs.writeFileSync(path.join(app, 'plain.ts'), PLAIN_APP);
    fs.writeFileSync(path.join(app, 'teams.ts'), TEAMS_APP);
  }, 300_000);

  test('its declarations type-check in a strict app with skipLibCheck off', () => {
    const tsc = run('node', [TSC, '-p', 'tsconfig.json']);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  });

  test('the app holds one copy of cdk8s and constructs, and no AWS SDK', () => {
    for (const pkg of ['cdk8s', 'constructs']) {
      const ls = run('npm', ['ls', pkg, '--all', '--parseable']);
      expect(ls.stdout.trim().split('\n').filter(Boolean)).toEqual([path.join(fs.realpathSync(app), 'node_modules', pkg)]);
    }
    expect(fs.existsSync(path.join(app, 'node_modules', '@aws-sdk'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s-vllm', 'node_modules', 'cdk8s'))).toBe(false);
  });

  test('the README example runs verbatim and writes its tree', () => {
    const r = run('node', ['build/main.js']);
    expect(r.stderr).not.toMatch(/^Error|Validation failed/m);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(app, 'dist', 'apps', 'llm', 'serving.yaml'), 'utf8')).toMatch(/nvidia.com\/gpu: "4"/);
    expect(fs.readFileSync(path.join(app, 'dist', 'apps', 'llm', 'serving.yaml'), 'utf8')).toMatch(/^# Generated by cdk8s-vllm from main.ts\./);
    expect(fs.readFileSync(path.join(app, 'dist', 'PLAN.md'), 'utf8')).toMatch(/team-a\/mistral-small .* fits/);
  });

  test('plain app.synth(): Llama-3.1-8B BF16 on one L4 at 8192 renders; Llama-3.1-70B on the same node is refused', () => {
    const small = run('node', ['build/plain.js'], { MODEL_PROFILE: 'llama-3.1-8b-instruct', MODEL_NAME: 'llama-8b' });
    expect(small.stderr).toBe('');
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
});
