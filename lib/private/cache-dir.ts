import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Where cdk8s-vllm keeps what it computed once (compiled validators, verdicts): `node_modules/.cache/cdk8s-vllm/<name>`
 * when run in a project, else the system temp folder; null when CDK8S_VLLM_NO_CACHE is set.
 */
export function cacheDir(name: string): string | null {
  if (process.env.CDK8S_VLLM_NO_CACHE) return null;
  const local = path.join(process.cwd(), 'node_modules');
  return path.join(fs.existsSync(local) ? path.join(local, '.cache') : os.tmpdir(), 'cdk8s-vllm', name);
}
