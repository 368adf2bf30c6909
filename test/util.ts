import { App, Chart, Testing } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { buildStep05, loadConfig } from '../main';
import { runCli as runCliMain } from '../lib/cli/main';
import {
  CheckInput,
  CheckOptions,
  GpuInstanceType,
  GpuMachineSetScale,
  KueueQuota,
  RenderedTree,
  reportWarningsTo,
  runChecks,
  S3Connection,
  VllmRuntime,
} from '../lib';
import type { Platform } from '../lib/check/platform';
import { CONFIG, tempDir, writeTree } from './setup/scratch';

export { committedRepository, CONFIG, ROOT, tempDir, writeTree } from './setup/scratch';

/** An app whose output folder is removed after the test file (Testing.app() leaves one behind per call). */
export function testApp(): App {
  return new App({ outdir: tempDir('cdk8s.outdir.') });
}

/** Renders the step-05 app in memory. */
export function renderStep05(): RenderedTree {
  const app = testApp();
  return buildStep05(app, loadConfig(CONFIG), { report: () => undefined }).render();
}

/** The one manifest of a kind and name; fails the test when there is not exactly one. */
export function find(objects: readonly { manifest: any }[] | any[], kind: string, name: string): any {
  const list = (objects as any[]).map((o) => o.manifest ?? o).filter((m) => m.kind === kind && m.metadata?.name === name);
  if (list.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${list.length}`);
  return list[0];
}

/**
 * A Kueue ClusterQueue manifest covering cpu, memory and GPUs with one flavor, for the check fixtures.
 * `spec` adds fields (a cohort).
 */
export function clusterQueueManifest(
  name: string,
  flavor: string,
  quota: { readonly cpu: number | string; readonly memory: string; readonly gpus: number },
  spec: Record<string, unknown> = {},
): Record<string, any> {
  return {
    apiVersion: 'kueue.x-k8s.io/v1beta1',
    kind: 'ClusterQueue',
    metadata: { name },
    spec: {
      ...spec,
      namespaceSelector: {},
      resourceGroups: [
        {
          coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
          flavors: [
            {
              name: flavor,
              resources: [
                { name: 'cpu', nominalQuota: quota.cpu },
                { name: 'memory', nominalQuota: quota.memory },
                { name: 'nvidia.com/gpu', nominalQuota: quota.gpus },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** A chart with the building blocks most construct tests need. */
export function fixture(opts: { instanceType?: GpuInstanceType; replicas?: number } = {}) {
  const app = testApp();
  const chart = new Chart(app, 'test', { namespace: 'team-a' });
  const cluster = new Chart(app, 'cluster');
  const machineSet = new GpuMachineSetScale(cluster, 'Nodes', {
    clusterId: 'demo-abc12',
    region: 'us-east-2',
    availabilityZone: 'us-east-2a',
    amiId: 'ami-0123456789abcdef0',
    instanceType: opts.instanceType ?? GpuInstanceType.G6_12XLARGE,
    replicas: opts.replicas,
  });
  const quota = new KueueQuota(cluster, 'Quota', { machineSets: [machineSet], namespace: 'team-a' });
  const runtime = new VllmRuntime(chart, 'Runtime');
  const connection = new S3Connection(chart, 'S3', { secretName: 'models-s3', endpoint: 'http://minio.minio.svc:9000', bucket: 'models' });
  keptWarnings(app);
  return { app, chart, cluster, machineSet, quota, runtime, connection };
}

/** The warnings of the apps whose warnings a test keeps (keptWarnings), by app. */
const WARNINGS = new WeakMap<IConstruct, string[]>();

/**
 * The list synth reports the app's warnings (and notes) to, in order, each once: kept for the test to read instead of
 * written to stderr, where jest passes them to its output. Call it once the app has a construct of the library (it adds
 * the app's checks, which setPlatform must come before); the same list for each call on one app.
 */
export function keptWarnings(scope: IConstruct): string[] {
  const app = scope.node.root;
  let warnings = WARNINGS.get(app);
  if (!warnings) {
    WARNINGS.set(app, (warnings = []));
    const list = warnings;
    reportWarningsTo(app, (line) => list.push(line));
  }
  return warnings;
}

/** All manifests of an app (validates it, like synth). */
export function synthApp(app: App): any[] {
  return app.charts.flatMap((c) => Testing.synth(c));
}

/** Runs `cdk8s-vllm <args>` in this process (measured by coverage); returns exit code, stdout and stderr. */
export async function cliInProcess(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCliMain(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdin: () => stdin,
  });
  return { code, out, err };
}

/**
 * `cdk8s-vllm <command> <args>` run in this process (cliInProcess): the exit code, and stdout with stderr after it
 * when the command fails, as a terminal shows them; no node started and no compiled library loaded again for each
 * run (about 0.5 s of CPU). For the tests that judge a command's exit code and output, not a child process.
 */
export async function runCliInProcess(command: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const r = await cliInProcess([command, ...args]);
  return { code: r.code, out: r.code === 0 ? r.out : `${r.out}${r.err}` };
}

/** A workload `namespace/name` (a Deployment unless `kind` says otherwise) whose pods, labelled app: name, have `podSpec`. */
export function podWorkload(name: string, namespace: string, podSpec: object, kind = 'Deployment'): any {
  return {
    // each kind in its own group: the checks read pods only from a kind of the group that serves it (lib/k8s/pod-kinds.ts)
    apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

/** A Deployment `ai/llm` of one container `vllm` running an image with these args (and command, when given). */
export function vllmDeployment(image: string, args: string[], command?: string[]): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'llm' } },
      template: { metadata: { labels: { app: 'llm' } }, spec: { containers: [{ name: 'vllm', image, args, ...(command ? { command } : {}) }] } },
    },
  };
}

/** A finding as a rule case judges it: its severity, the object it is on, and its message. */
export interface Found {
  readonly severity: string;
  readonly object: string;
  readonly message: string;
}

/**
 * One rule's findings on objects (`{ manifest }` each) checked with the options (for rhoai-3.0 unless they name a
 * platform), as Found: checked with every rule (in test/rule-cases, with the rules its file names:
 * test/setup/rule-scope.ts) and then the rule's taken, or with the rule alone (`alone`).
 */
export function ruleFound(rule: string, objects: readonly CheckInput[], options: CheckOptions & { readonly alone?: boolean } = {}): Found[] {
  const { alone, ...check } = options;
  return runChecks(objects, { platform: 'rhoai-3.0', ...check, ...(alone ? { rules: [rule] } : {}) })
    .filter((f) => f.rule === rule)
    .map((f) => ({ severity: f.severity, object: f.object, message: f.message }));
}

/**
 * One rule's findings, as Found, when `cdk8s-vllm check --json` (with the extra arguments) runs in this process on a
 * tree of the files given (path → text), written to a scratch folder whose name starts with `prefix`: for the cases
 * whose premise is about files, folders and builds rather than objects alone.
 */
export async function treeRuleFound(rule: string, prefix: string, files: Record<string, string>, args: readonly string[] = []): Promise<Found[]> {
  const r = await cliInProcess(['check', writeTree(prefix, files), '--json', ...args]);
  return (JSON.parse(r.out).findings as (Found & { rule: string })[])
    .filter((f) => f.rule === rule)
    .map((f) => ({ severity: f.severity, object: f.object, message: f.message }));
}

/** Found findings as `[severity, message]` pairs, for cases that judge them in order. */
export const severityMessages = (found: readonly Found[]): [string, string][] => found.map((f) => [f.severity, f.message]);

/** Found findings as `[severity, object, message]` triples. */
export const severityObjectMessages = (found: readonly Found[]): [string, string, string][] => found.map((f) => [f.severity, f.object, f.message]);

/** One rule's findings on bare manifests checked for a platform, each as `<severity> <object>: <message>`. */
export function ruleFindings(rule: string, docs: readonly Record<string, any>[], platform: Platform = 'kserve'): string[] {
  return runChecks(
    docs.map((manifest) => ({ manifest })),
    { platform },
  )
    .filter((f) => f.rule === rule)
    .map((f) => `${f.severity} ${f.object}: ${f.message}`);
}
