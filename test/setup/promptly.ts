/**
 * The bound of a test's "decided at once" claim (no hang, no backtracking, no quadratic step, a FIFO not read): far
 * above what any run takes on a loaded 2-core machine, far below what the behaviour guarded against would take
 * (minutes to forever). How fast things are is measured by `npm run bench`, not by tests.
 */
export const PROMPTLY_MS = 30_000;
