import { kubectlBinary } from './kubectl';

/**
 * Once before the suites run in parallel: compile the sources (the CLI tests run the compiled command, and
 * parallel workers must not compile at the same time) and unpack kubectl.
 */
export default function globalSetup(): void {
  require('../../scripts/ensure-built').ensureBuilt();
  kubectlBinary();
  // the AWS SDK warns on every client that its 2027 releases need Node 22; the workers inherit this
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
