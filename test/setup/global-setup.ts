import { kubectlBinary } from './kubectl';

/** Unpacks kubectl once before the suites run in parallel. */
export default async function globalSetup(): Promise<void> {
  kubectlBinary();
}
