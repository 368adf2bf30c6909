import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import type { Config } from '@jest/types';
import { kubectlBinary } from './kubectl';
import { makeScratchRoot, SCRATCH_VARIABLE } from './scratch-root';

/**
 * Once before the suites run in parallel: compile the sources (the CLI tests run the compiled command, and
 * parallel workers must not compile at the same time), unpack kubectl, make the run's scratch folder, and with
 * --coverage fill jest's transform cache with the library's instrumented files.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig, projectConfig: Config.ProjectConfig): Promise<void> {
  require('../../scripts/ensure-built').ensureBuilt();
  kubectlBinary();
  if (globalConfig.collectCoverage && globalConfig.coverageProvider === 'babel') await instrumentLibrary(globalConfig, projectConfig);
  // the AWS SDK warns on every client that its 2027 releases need Node 22; the workers inherit this
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // the trees the tests write (writeTree) go to a folder in RAM where there is one (scratch-root.ts), removed in teardown
  const scratch = makeScratchRoot();
  if (scratch) process.env[SCRATCH_VARIABLE] = scratch;
  // check looks in Helm's repository cache for remote charts: the suites see none of the machine's (a folder that is never made)
  process.env.HELM_REPOSITORY_CACHE = path.join(path.resolve(__dirname, '..', '..'), 'build', 'no-helm-repository-cache');
}

/**
 * Babel's coverage instrumentation costs about 5 s of CPU for the library's files, and from a cold cache (a fresh
 * clone) every worker pays it: the first suites start together and each imports the whole library before any has
 * written the cache. Transformed once here, with the options jest-runtime passes (its defaultTransformOptions and
 * coverage options, which the cache key is made of), the workers read them from the cache. Should jest's key ever
 * differ from these, the workers transform the files themselves, as before: slower, never different.
 */
async function instrumentLibrary(globalConfig: Config.GlobalConfig, projectConfig: Config.ProjectConfig): Promise<void> {
  const { createScriptTransformer } = await import('@jest/transform');
  const transformer = await createScriptTransformer(projectConfig);
  const options = {
    // jest-runtime's defaultTransformOptions for a CommonJS require
    isInternalModule: false,
    supportsDynamicImport: typeof (vm as { SyntheticModule?: unknown }).SyntheticModule === 'function',
    supportsExportNamespaceFrom: false,
    supportsStaticESM: false,
    supportsTopLevelAwait: false,
    // and the coverage options of the run
    changedFiles: undefined,
    collectCoverage: globalConfig.collectCoverage,
    collectCoverageFrom: globalConfig.collectCoverageFrom,
    coverageProvider: globalConfig.coverageProvider,
    sourcesRelatedToTestsInChangedFiles: undefined,
  };
  const lib = path.join(projectConfig.rootDir, 'lib');
  for (const file of fs.readdirSync(lib, { recursive: true, encoding: 'utf8' }).sort()) {
    if (file.endsWith('.ts')) transformer.transform(path.join(lib, file), options);
  }
}
