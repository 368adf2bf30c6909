import { removeScratchRoot, SCRATCH_VARIABLE } from './scratch-root';

/** Once after the suites: the run's scratch folder in RAM goes (each test file already removed its own folders in it). */
export default function globalTeardown(): void {
  removeScratchRoot(process.env[SCRATCH_VARIABLE]);
}
