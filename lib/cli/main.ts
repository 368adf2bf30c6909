#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { bundleIsFresh } from '../private/bundle-stamp';
import { packageVersion } from '../private/package-root';
import { Command, fileSystemProblem, InputError, Io, isFileSystemError, PROCESS_IO, UsageError } from './command';
import { CommandName, SUMMARIES } from './summaries';

/** Commands load their modules only when run; `--help` prints SUMMARIES and loads none of them. */
const COMMANDS: Record<CommandName, () => Command> = {
  init: () => load('./init-command', 'initCommand'),
  validate: () => load('./validate-command', 'validateCommand'),
  plan: () => load('./plan-command', 'planCommand'),
  catalog: () => load('./catalog-command', 'catalogCommand'),
  check: () => load(bundled('check-command') ?? './check-command', 'checkCommand'),
  verify: () => load('./verify-command', 'verifyCommand'),
  inspect: () => load('./inspect-command', 'inspectCommand'),
  upload: () => load('./upload-command', 'uploadCommand'),
  smoke: () => load('./smoke-command', 'smokeCommand'),
};

/** The command of that name, its module loaded. */
export function commandNamed(name: CommandName): Command {
  return COMMANDS[name]();
}

/** The AWS SDK packages the S3 commands need: optional peer dependencies, so that synth never installs them. */
const S3_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@smithy/node-http-handler'];

/**
 * The command's module as the build bundled it (scripts/bundle-library.js: one file to resolve, read and compile
 * instead of some 870), when this runs from the build and the bundle is there and fresh (bundleIsFresh); else undefined.
 */
function bundled(name: string): string | undefined {
  const file = path.join(__dirname, '..', `${name}.bundle.js`);
  return path.extname(__filename) === '.js' && fs.existsSync(file) && bundleIsFresh(path.join(__dirname, '..', '..')) ? file : undefined;
}

/** A command's module, loaded on first use, with the library's cached compiled code (`cdk8s-vllm --help` loads neither). */
function load(module: string, exported: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: each command loads only its own dependencies
  require('../private/compile-cache');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
  return (require(module) as Record<string, Command>)[exported];
}

/**
 * The S3 commands load the AWS SDK when they run (their usage loads none of it): a missing SDK package is an input
 * error that says how to install it, not a stack trace.
 */
function missingSdk(e: unknown): InputError | undefined {
  const err = e as Error & { code?: string };
  const missing = S3_PACKAGES.find((p) => err.code === 'MODULE_NOT_FOUND' && err.message.includes(`'${p}'`));
  if (!missing) return undefined;
  return new InputError(`the S3 commands need ${missing}, which is not installed; install the AWS SDK beside cdk8s-vllm: npm install ${S3_PACKAGES.join(' ')}`);
}

/** Node's error codes in words (libuv's strerror texts). */
function version(): string {
  return packageVersion();
}

function help(): string {
  return `cdk8s-vllm ${version()}: plan, check and ship vLLM deployments on OpenShift AI

Usage: cdk8s-vllm <command> [options]

Commands:
${Object.entries(SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(10)} ${summary}`)
  .join('\n')}

Run 'cdk8s-vllm <command> --help' for a command's options.
`;
}

// the AWS SDK warns on every run that its 2027 releases will need Node 22; this release supports Node 20
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: Io = PROCESS_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version()}\n`);
    return 0;
  }
  const factory = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!factory) {
    io.err(`unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = factory();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (thrown) {
    const e = missingSdk(thrown) ?? thrown;
    const err = e as Error;
    if (e instanceof UsageError) {
      io.err(`${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (isFileSystemError(e)) {
      io.err(`cdk8s-vllm ${name}: ${e.path}: ${fileSystemProblem(e.code)}\n`);
      return 2;
    }
    io.err(`cdk8s-vllm ${name}: ${err.message}\n`);
    return e instanceof InputError ? 2 : 1;
  }
}

if (require.main === module) {
  // a reader that stops early (`… | head`) closes the pipe: that ends the output, it is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
