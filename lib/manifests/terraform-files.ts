import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder, readBounded, walkTree } from './files';
import { TreeScript } from './script-text';

/**
 * Folders no Terraform configuration of the repository lives in: version control, package caches, and Terraform's own
 * provider and module cache (`.terraform/`, where `terraform init` downloads modules that are not the repository's).
 */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor', '.terraform']);
/**
 * One bound on the .tf files read, for every reader of them (the manifests a configuration applies, the objects and
 * charts it installs): a repository's Terraform configurations hold some tens of files, each some kilobytes; a tree
 * past these is read in part, as its scripts are (the same bounds: render-scripts MAX_SCRIPTS, MAX_SCRIPT_BYTES).
 */
const MAX_TF_FILES = 2000;
const MAX_TF_FILE_BYTES = 512 * 1024;
const MAX_ENTRIES = 50 * MAX_TF_FILES;

/** A .tf file's text as last read, with what identified the file's version when it was read (inode, size, times of change). */
const read = new Map<string, { stamp: string; text: string | undefined }>();

/**
 * The .tf files of the work tree at `root` (paths relative to it, `/`-separated, in code-unit order) with their texts,
 * within MAX_TF_FILES and MAX_TF_FILE_BYTES. Each file's text is read once and kept while its size and time of change
 * stay what they were (its inode, size and times of change), so the readers of a check (and of the checks after it) share one reading of each file.
 */
export function terraformFiles(root: string): TreeScript[] {
  return terraformConfigurationFiles(root).filter((f) => f.script.endsWith('.tf'));
}

/**
 * The .tf files and the variable files (.tfvars, .auto.tfvars) of the work tree at `root`, as terraformFiles reads
 * them, within the same bounds.
 */
export function terraformConfigurationFiles(root: string): TreeScript[] {
  const files = walkTree(root, {
    skipFolder: (name) => SKIPPED.has(name),
    keep: (name) => name.endsWith('.tf') || name.endsWith('.tfvars'),
    order: codeUnitOrder,
    maxFiles: MAX_TF_FILES,
    maxEntries: MAX_ENTRIES,
  }).slice(0, MAX_TF_FILES);
  return files.flatMap((rel) => {
    const file = path.join(root, rel);
    const text = textOf(file);
    return text === undefined ? [] : [{ script: rel.split(path.sep).join('/'), text }];
  });
}

/**
 * The .tf files directly in one folder (a Terraform module: its configuration is the folder's .tf files, not those
 * below it), by name in code-unit order with their texts, read as terraformFiles reads them (same bound, same cache).
 */
export function terraformModuleFiles(dir: string): TreeScript[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.tf'));
  } catch {
    return [];
  }
  return names.sort(codeUnitOrder).flatMap((n) => {
    const text = textOf(path.join(dir, n));
    return text === undefined ? [] : [{ script: n, text }];
  });
}

function textOf(file: string): string | undefined {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return undefined;
  // a file written again (in place or replaced) changes one of these
  const stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const known = read.get(file);
  if (known?.stamp === stamp) return known.text;
  const bounded = readBounded(file, st, MAX_TF_FILE_BYTES);
  const text = 'text' in bounded ? bounded.text : undefined;
  read.set(file, { stamp, text });
  return text;
}
