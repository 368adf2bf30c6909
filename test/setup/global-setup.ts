/** Jest global setup: nothing is shared across test files yet; each suite starts what it needs. */
export default async function globalSetup(): Promise<void> {}
