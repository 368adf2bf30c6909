import { Loose, strings } from '../manifests/access';
import { repositoryScriptsAbove } from '../manifests/repository-scripts';
import { ScriptPatch, scriptPatches } from '../manifests/script-patches';
import { TreeScript } from '../manifests/script-text';
import { inSkippedFolder } from '../manifests/work-tree';
import type { ObjectGraph } from './graph';
import { mountedFilesOf } from './mounted-files';
import { containersOf } from './pods';
import { shellScriptIndex } from './shell-words';

/**
 * The commands a tree runs from its own objects: the containers of its Jobs, CronJobs and bare Pods (an Argo CD
 * Sync or PostSync hook Job that runs `oc patch …` included), as scripts the script readers take.
 */

/** The kinds whose containers run a task once (or on a schedule) rather than serve: their commands are a tree's steps. */
const TASK_KINDS = ['Job', 'CronJob', 'Pod'];

/** A word as the shell reads it back: single-quoted, a single quote written as '\'' (POSIX XCU 2.2.2). */
const shellQuoted = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The scripts one container runs: the script a shell is handed (`sh -c '…'`), else its command and args as one
 * command line (exec form, each word quoted as written), and each file a ConfigMap of the tree mounts whose path the
 * command line names (`bash /scripts/enable.sh`).
 */
function containerScripts(name: string, container: Loose, label: string): TreeScript[] {
  const words = [...strings(container.command), ...strings(container.args)];
  if (!words.length) return [];
  const at = `${label} container '${name}'`;
  const index = shellScriptIndex(words);
  const inline = index !== undefined ? words[index] : words.map(shellQuoted).join(' ');
  const out: TreeScript[] = [{ script: at, text: inline }];
  const files = mountedFilesOf(container);
  if (!files) return out;
  for (const path of new Set(inline.match(/\/[\w./-]+/g) ?? [])) {
    const file = files(path);
    if (file) out.push({ script: `${at} (${file.from})`, text: file.text });
  }
  return out;
}

/** The scripts the containers of the tree's Jobs, CronJobs and bare Pods run (containerScripts), once per graph. */
export function taskScripts(graph: ObjectGraph): readonly TreeScript[] {
  return graph.once('container-patches:task-scripts', () =>
    TASK_KINDS.flatMap((k) => graph.ofKind(k)).flatMap((o) =>
      containersOf(o.manifest).flatMap(({ name, container }) => containerScripts(name, container, graph.id(o))),
    ),
  );
}

/**
 * Every `kubectl|oc patch` with an inline patch the tree runs: its scripts', READMEs' and Makefiles'
 * (graph.scriptPatches) and those its Jobs', CronJobs' and Pods' containers run (taskScripts).
 */
export function treePatches(graph: ObjectGraph): readonly ScriptPatch[] {
  return graph.once('container-patches:tree-patches', () => [...graph.scriptPatches, ...scriptPatches(taskScripts(graph))]);
}

/**
 * The `kubectl|oc patch` commands of the scripts of the git repository above the checked folders (repositoryScriptsAbove:
 * its CI workflows, scripts folders, docs), read once and only when asked: a rule about to say an object is not set
 * as it needs asks them last, as reading them costs a walk of the repository.
 */
export function repositoryPatches(graph: ObjectGraph): readonly ScriptPatch[] {
  return graph.once('container-patches:repository-patches', () =>
    graph.checkouts.filter((c) => !inSkippedFolder(c.within)).flatMap((c) => scriptPatches(repositoryScriptsAbove(c.folder)?.scripts ?? [])),
  );
}
