import * as fs from 'fs';
import * as path from 'path';
import { holdsYamlFile, readStdin } from '../manifests/files';
import type { OptionSpecs } from './option-spec';

/** Where a command writes, and what it reads as standard input: the process's, or a test's. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input (`check -`), read up to one byte beyond `maxBytes` and no further. */
  stdin(maxBytes: number): Uint8Array | string;
  /** The terminal's width in columns, when the output is a terminal; tables wrap to it (else to 100). */
  readonly columns?: number;
}

/** The process's own streams. */
export const PROCESS_IO: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stdin: (maxBytes) => readStdin(maxBytes),
  get columns() {
    return process.stdout.columns;
  },
};

/** A CLI command: its usage text and what it does. Exit codes: 0 clean, 1 findings or does not fit, 2 usage or input error. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** The options it takes: those its usage lists, and no other. */
  readonly options: OptionSpecs;
  run(argv: string[], io: Io): Promise<number> | number;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** An input the command cannot work with (a missing file, package or setting): printed alone, exit code 2. */
export class InputError extends Error {}

/**
 * Whether a read that found no object still has something to report as findings: a kustomization kustomize refuses
 * to build (a root whose only base has no kustomization file) is a defect of the tree, not an unreadable input.
 */
export function judgedWithoutObjects(problems: readonly { kind?: string }[]): boolean {
  return problems.some((p) => p.kind === 'kustomize-build-fails' || p.kind === 'kustomize-patch-invalid' || p.kind === 'helm-render-fails');
}

/**
 * The refusal of an input that holds no Kubernetes object (an empty folder or stream, or a failed render upstream in a
 * pipe): a check of nothing must not pass. Names the paths and what the reader found instead.
 */
export function noObjectsRead(paths: readonly string[], problems: readonly { file: string; message: string }[], skipped: readonly string[] = []): InputError {
  const where = paths.map((p) => (p === '-' ? 'standard input' : p)).join(', ');
  // a folder passed over by convention that holds YAML files may be where the manifests are: name it
  const passed = skipped
    .filter((f) => holdsYamlFile(f))
    .map(
      (f) =>
        `\n  ${f}: holds YAML files but is not read (by convention ${path.basename(f)} holds CI or tool settings, not deployable manifests); give the folder itself as the input to check its files`,
    );
  const why = [...passed, ...problems.map((p) => `\n  ${p.file}: ${p.message}`)].slice(0, 5);
  const more = passed.length + problems.length > 5 ? `\n  … and ${passed.length + problems.length - 5} more` : '';
  return new InputError(`no Kubernetes objects read from ${where}${why.join('')}${more}\n(pass --allow-empty if an empty input is expected)`);
}

/** Parses a number option, or fails with a usage error that names the option. */
export function numberOption(name: string, value: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  // decimal notation only: Number() would also take '0x4', '', ' 4 ' and 'Infinity'
  const form = opts.integer ? /^[0-9]+$/ : /^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$|^\.[0-9]+$/;
  const n = Number(value);
  if (
    !form.test(value) ||
    !Number.isFinite(n) ||
    (opts.integer && !Number.isSafeInteger(n)) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max)
  ) {
    const range = [opts.min !== undefined ? `≥ ${opts.min}` : '', opts.max !== undefined ? `≤ ${opts.max}` : ''].filter(Boolean).join(' and ');
    throw new UsageError(`--${name} must be ${opts.integer ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}, got '${value}'`);
  }
  return n;
}

/**
 * The paths a command reads must exist: a missing one is an input error (exit 2), not a finding, so a CI job that
 * points at the wrong folder fails as misconfigured instead of passing or reporting a problem in the tree.
 */
export function requireInputPaths(paths: readonly string[]): void {
  const missing = paths.filter((p) => p !== '-' && !fs.existsSync(p));
  if (missing.length) throw new InputError(`no such file or folder: ${missing.join(', ')}`);
}

/** Operating-system error codes in words. */
const FILE_SYSTEM_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'not a folder',
  EISDIR: 'a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'a read-only file system',
  ENOSPC: 'no space left on the device',
};

/** What an operating-system error code means, in words (its code when it has none here). */
export function fileSystemProblem(code: string | undefined): string {
  return (code && FILE_SYSTEM_PROBLEMS[code]) ?? code ?? 'unknown error';
}

/** Operating-system errors on a path the user gave (a missing --crds folder, a file that is a folder): exit 2. */
export function isFileSystemError(e: unknown): e is Error & { code: string; path?: string } {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG'].includes(code) && 'path' in (e as object);
}
