import { spawnSync } from 'child_process';
import * as path from 'path';
import { UsageError } from './command';

/**
 * What kustomize prints when it cannot reach a remote base, file source or chart repository (Go net and git errors),
 * or cannot find helm to inflate a chart: the machine, not the tree, is short.
 */
const NETWORK_FAILURE =
  /dial tcp|no such host|Could not resolve host|connection refused|i\/o timeout|TLS handshake timeout|network is unreachable|unable to access 'https?:|"helm": executable file not found/i;

/** How long one kustomize build may take: a remote base is fetched, a Helm chart rendered. */
const BUILD_TIMEOUT_MS = 120_000;

/** Runs `<tool> kustomize <dir>` (kubectl, oc) or `kustomize build <dir>`; refuses a tool that cannot be run. */
export function kustomizeBuilder(tool: string): (dir: string, flags?: readonly string[]) => { output: string } | { error: string; unreachable?: boolean } {
  // Helm charts as Argo CD inflates them when kustomize.buildOptions has --enable-helm (needs helm on PATH); the
  // reader adds the load restrictor Argo CD's options set
  const args = (dir: string, flags: readonly string[]) =>
    path.basename(tool).startsWith('kustomize') ? ['build', '--enable-helm', ...flags, dir] : ['kustomize', '--enable-helm', ...flags, dir];
  const probe = spawnSync(tool, path.basename(tool).startsWith('kustomize') ? ['version'] : ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error)
    throw new UsageError(
      `--kustomize ${tool}: cannot run it (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); give kubectl, oc or kustomize on PATH, or a path to one`,
    );
  return (dir, flags = []) => {
    const r = spawnSync(tool, args(dir, flags), { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, maxBuffer: 256 * 2 ** 20 });
    if (r.error) return { error: (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `did not finish in ${BUILD_TIMEOUT_MS / 1000} s` : r.error.message };
    if (r.status !== 0) {
      // kustomize nests its causes: the last one, at the end, is the one to read
      const message = (r.stderr || `exit code ${r.status}`).trim().replace(/\s+/g, ' ');
      const cause = message.length > 400 ? `…${message.slice(-400)}` : message;
      return { error: cause, unreachable: NETWORK_FAILURE.test(message) };
    }
    return { output: r.stdout };
  };
}
