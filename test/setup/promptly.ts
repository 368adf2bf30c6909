/**
 * The bound of a test's "decided at once" claim (no hang, no backtracking, no quadratic step, a FIFO not read): far
 * above what any run takes on a loaded 2-core machine, far below what the behaviour guarded against would take
 * (minutes to forever). How fast things are is measured by `npm run bench`, not by tests.
 */
export const PROMPTLY_MS = 30_000;

/**
 * CPU milliseconds this process spent since `start` (a `process.cpuUsage()` reading): the measure for claims about
 * work (no backtracking, no quadratic step), which a loaded machine does not stretch as it stretches the wall clock.
 */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
