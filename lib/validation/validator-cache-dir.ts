import { cacheDir } from '../private/cache-dir';

/** node_modules/.cache/cdk8s-vllm/validators when run in a project, else the system temp folder. */
export function defaultCacheDir(): string | null {
  return cacheDir('validators');
}
