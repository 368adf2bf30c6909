import * as fs from 'fs';
import * as path from 'path';
import { ansibleCreatedObjects } from './ansible-creations';
import { codeUnitOrder, readBounded, walkTree } from './files';
import { isScriptName, readScriptFiles } from './render-scripts';
import { isWithin, markdownCode, markdownProseNamespaceCommands, RepositoryScripts } from './repository-scripts';
import { ScriptCreated, scriptCreatedObjects } from './script-creations';
import { TreeScript } from './script-text';
import { terraformCreatedObjects } from './terraform-installs';
import { inSkippedFolder } from './work-tree';

/** Folders that hold Ansible playbooks and roles by convention (Ansible's roles/ layout, a playbooks/ or ansible/ folder). */
const ANSIBLE_FOLDERS = new Set(['ansible', 'roles', 'playbooks']);
/**
 * How deep below a repository's root (and below the checked folder) an Ansible folder is looked for (`ansible/`,
 * `deploy/ansible/`), and how many folders one search opens at most: a repository's playbooks sit near its top.
 */
const MAX_ANSIBLE_DEPTH = 2;
const MAX_FOLDERS_OPENED = 100;
/** Bounds on the Ansible files read: a larger file is no task list, and a repository's roles hold fewer. */
const MAX_ANSIBLE_FILES = 500;
const MAX_ANSIBLE_BYTES = 256 * 1024;
const MAX_ANSIBLE_TOTAL_BYTES = 8 * 1024 * 1024;
/** Folders no playbook lives in. */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor']);
/** What a repository's files are read for here: what a pod reads by name. */
const KINDS = new Set(['ConfigMap', 'Secret']);
const MARKDOWN = /\.(md|markdown)$/i;
/** The kinds a command makes a namespace as (`kubectl create namespace`, `oc new-project`, `helm --create-namespace`). */
const NAMESPACE_KINDS = new Set(['Namespace', 'Project']);
/** Bounds on the scripts read across the repository for the namespaces they make: a repository's scripts and guides, not a monorepo's every file. */
const MAX_NAMESPACE_SCRIPTS = 300;

/** The Ansible folders of a repository, breadth first down to MAX_ANSIBLE_DEPTH, opening at most MAX_FOLDERS_OPENED folders. */
function ansibleFolders(root: string): string[] {
  const found: string[] = [];
  let level = [root];
  let opened = 0;
  for (let depth = 0; depth < MAX_ANSIBLE_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++opened > MAX_FOLDERS_OPENED) return found;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries.sort((a, b) => codeUnitOrder(a.name, b.name))) {
        if (!e.isDirectory() || SKIPPED.has(e.name)) continue;
        if (ANSIBLE_FOLDERS.has(e.name)) found.push(path.join(dir, e.name));
        else next.push(path.join(dir, e.name));
      }
    }
    level = next;
  }
  return found;
}

/** The YAML files of a repository's Ansible folders, within the bounds on files and bytes, with their texts. */
function ansibleFiles(root: string, checked: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  let bytes = 0;
  const folders = [...ansibleFolders(root), ...(root === checked ? [] : ansibleFolders(checked))];
  for (const folder of [...new Set(folders)]) {
    const files = walkTree(folder, {
      skipFolder: (name) => SKIPPED.has(name),
      keep: (name) => /\.ya?ml$/i.test(name),
      order: codeUnitOrder,
      maxFiles: MAX_ANSIBLE_FILES,
      maxEntries: 10 * MAX_ANSIBLE_FILES,
    });
    for (const f of files.map((r) => path.join(folder, r))) {
      if (out.some((o) => o.file === f)) continue;
      const st = fs.statSync(f, { throwIfNoEntry: false });
      if (out.length >= MAX_ANSIBLE_FILES || !st || bytes + st.size > MAX_ANSIBLE_TOTAL_BYTES) return out;
      const read = readBounded(f, st, MAX_ANSIBLE_BYTES);
      if (!('text' in read)) continue;
      bytes += st.size;
      out.push({ file: f, text: read.text });
    }
  }
  return out;
}

/**
 * A creation read outside the checked folder, as the checks take it: its path from the checked folder, marked as
 * outside, without the object's content (check sees the command, not what the file or CI variable it reads holds).
 */
function outsideCreation(o: ScriptCreated, folder: string, root: string): ScriptCreated {
  const { manifest: _manifest, keys: _keys, heredoc: _heredoc, repair: _repair, ...rest } = o;
  const script = path.relative(folder, path.join(root, o.script)).split(path.sep).join('/');
  return { ...rest, script, outside: true };
}

/**
 * Whether a Markdown file above the checked folder speaks of it, by its commands (`code`: markdownCode's): a README of
 * a folder above it (the page of the repository or of a folder holding it), or a guide whose commands name the
 * folder's path from the repository's root (`kubectl apply -k deploy/`: a docs/ guide covers many folders, and one
 * that runs nothing on this one creates nothing for it).
 */
function speaksOf(script: string, within: string, code: string): boolean {
  const dir = path.posix.dirname(script);
  const above = dir === '.' || within.startsWith(`${dir}/`);
  return (above && /^readme\./i.test(path.posix.basename(script))) || code.includes(within);
}

/** The scripts above a folder that may create what it reads: each Markdown file as its commands, kept where it speaks of the folder. */
function creatingScripts(above: RepositoryScripts): RepositoryScripts['scripts'] {
  return above.scripts.flatMap((s) => {
    if (!MARKDOWN.test(s.script)) return [s];
    const code = above.codeOnly.has(s.script) ? s.text : markdownCode(s.text);
    return speaksOf(s.script, above.within, code) ? [{ ...s, text: code }] : [];
  });
}

/**
 * Every script of the repository outside the checked folder, for the namespaces they make: those above the folder
 * (repositoryScriptsAbove: CI workflows, docs, scripts folders), and the scripts, Makefiles and Markdown of its other
 * folders (a sibling's README running `oc new-project NAME`), test data and vendored folders left out; Markdown as its
 * commands only.
 */
function namespaceScripts(above: RepositoryScripts, checked: string): TreeScript[] {
  const known = new Set(above.scripts.map((s) => s.script));
  const found = walkTree(above.root, {
    skipFolder: (name) => inSkippedFolder(name),
    keep: (name) => isScriptName(name),
    order: codeUnitOrder,
    maxFiles: MAX_NAMESPACE_SCRIPTS,
    maxEntries: 30 * MAX_NAMESPACE_SCRIPTS,
  });
  const others = found.filter((rel) => !known.has(rel)).map((rel) => path.join(above.root, rel));
  const read = readScriptFiles(
    above.root,
    others.filter((f) => !isWithin(f, checked)),
  );
  return [...above.scripts, ...read].map((s) => (MARKDOWN.test(s.script) && !above.codeOnly.has(s.script) ? { ...s, text: markdownCode(s.text) } : s));
}

/**
 * The namespaces the repository's scripts outside the checked folder make under a literal name (`oc new-project NAME`,
 * `kubectl create namespace NAME`, `helm … --create-namespace -n NAME`): a namespace is the cluster's, so a command
 * anywhere in the repository makes it for every folder, unlike a ConfigMap, which a guide makes for the folder it
 * speaks of. And the ServiceAccounts they make (`oc create sa NAME -n NS`): a sibling folder's setup script is where a
 * namespace made outside the checked folder gets its accounts. None for a folder of test data (a fixture stands alone).
 */
function repositoryNamespaces(above: RepositoryScripts, checked: string): ScriptCreated[] {
  if (inSkippedFolder(above.within)) return [];
  return scriptCreatedObjects(namespaceScripts(above, checked))
    .filter((o) => (NAMESPACE_KINDS.has(o.kind) || o.kind === 'ServiceAccount') && !o.name.includes('$'))
    .map((o) => outsideCreation(o, checked, above.root));
}

/**
 * The ConfigMaps and Secrets that the repository holding a checked folder makes outside it: the commands of its CI
 * workflows, Makefiles, scripts, Tekton folders and Markdown (repositoryScriptsAbove; a Markdown file only where it
 * speaks of the folder), the namespaces its scripts anywhere make (repositoryNamespaces), what its Terraform configuration makes (repositoryTerraform), and the tasks of its Ansible playbooks and roles, also those inside the checked folder (which
 * its reader does not read as tasks). `above`: the repository's scripts above the folder, when it lies below the root.
 */
export function repositoryCreations(folder: string, above: RepositoryScripts | undefined): ScriptCreated[] {
  const checked = path.resolve(folder);
  // below a repository's root, the repository; else the folder itself (a work tree's root, or no work tree)
  const root = above?.root ?? checked;
  const scripted = above
    ? scriptCreatedObjects(creatingScripts(above))
        // and the instances a script computes from an operator's examples (an NFD instance from its CSV's alm-examples)
        .filter((o) => KINDS.has(o.kind) || o.computed)
        .map((o) => outsideCreation(o, checked, above.root))
    : [];
  const ansible = ansibleFiles(root, checked).flatMap(({ file, text }) => {
    const inside = isWithin(file, checked);
    const script = path
      .relative(inside ? checked : root, file)
      .split(path.sep)
      .join('/');
    return ansibleCreatedObjects(text, file).map((o) => (inside ? { ...o, script } : outsideCreation({ ...o, script }, checked, root)));
  });
  return [...scripted, ...(above ? [...repositoryNamespaces(above, checked), ...repositoryTerraform(above.root, checked)] : []), ...ansible];
}

/**
 * The ConfigMaps, Secrets and namespaces the repository's Terraform configuration outside the checked folder makes with
 * the kubernetes provider (terraformCreatedObjects; those of the checked folder are the tree's own creations).
 */
function repositoryTerraform(root: string, checked: string): ScriptCreated[] {
  return terraformCreatedObjects(root)
    .filter((o) => (KINDS.has(o.kind) || NAMESPACE_KINDS.has(o.kind)) && !isWithin(path.join(root, o.script), checked))
    .map((o) => outsideCreation(o, checked, root));
}

/**
 * The namespaces the Markdown guides of a checked folder have the reader make in their prose, outside the fenced blocks
 * its script reader runs (`2. Run oc new-project NAME`, `` `kubectl create namespace NAME` `` inline): steps a reader
 * runs, as a fenced command would be; a sentence that only names a namespace makes none.
 */
export function proseNamespaceCreations(scripts: readonly TreeScript[]): ScriptCreated[] {
  return scripts
    .filter((s) => MARKDOWN.test(s.script))
    .flatMap((s) =>
      // read as a shell script of those commands alone, then named by the guide they are written in
      scriptCreatedObjects([{ script: `${s.script}.sh`, text: markdownProseNamespaceCommands(s.text) }])
        .filter((o) => NAMESPACE_KINDS.has(o.kind) && !o.name.includes('$'))
        .map((o) => ({ ...o, script: s.script })),
    );
}
