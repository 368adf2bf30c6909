import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The variable through which global setup hands the run's scratch folder to the workers (they inherit its environment). */
export const SCRATCH_VARIABLE = 'CDK8S_VLLM_TEST_SCRATCH';

/** The name of a run's scratch folder in RAM: /dev/shm/cdk8s-vllm-tests-XXXXXX. */
const IN_RAM = path.join('/dev/shm', 'cdk8s-vllm-tests-');

/** statfs's type of a tmpfs (Linux include/uapi/linux/magic.h, TMPFS_MAGIC). */
const TMPFS_MAGIC = 0x01021994;

/**
 * A folder in RAM for this run's scratch trees (scratch.ts writeTree; Linux's /dev/shm, where it is a tmpfs), or
 * undefined where there is none. The suites write, read once and remove tens of thousands of small files; on a disk
 * mounted with online discard, as this machine's, each removal waits on the device. test/rule-cases.test.ts alone,
 * three runs each way at load 15: 21, 20 and 23 s of wall time with its trees in RAM, 29, 31 and 21 s on disk.
 */
export function makeScratchRoot(): string | undefined {
  try {
    if (fs.statfsSync(path.dirname(IN_RAM)).type !== TMPFS_MAGIC) return undefined;
    return fs.mkdtempSync(IN_RAM);
  } catch {
    return undefined;
  }
}

/** Removes a folder makeScratchRoot made (and nothing else). */
export function removeScratchRoot(root: string | undefined): void {
  if (root?.startsWith(IN_RAM)) fs.rmSync(root, { recursive: true, force: true });
}

/** Where the trees of writeTree are made: the run's folder in RAM when global setup made one, else the system's temporary folder. */
export function scratchRoot(): string {
  return process.env[SCRATCH_VARIABLE] || os.tmpdir();
}
