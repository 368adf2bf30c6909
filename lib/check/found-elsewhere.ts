import { mapping, text } from '../manifests/access';
import type { ScriptCreated } from '../manifests/script-creations';
import { locationOf } from './graph-object';
import { ObjectGraph } from './graph';
import type { Problem } from './rule';

/**
 * What a message about an object missing from a namespace adds about objects of that kind and name elsewhere: in a
 * file no kustomization lists, or in other namespaces (`why` says why those do not count).
 */
export function foundElsewhere(graph: ObjectGraph, kind: string, name: string, ns: string, why: string): string {
  const forgotten = graph.leftOutFile(kind, name, ns);
  if (forgotten) return ` (one is defined in ${forgotten}, which no kustomization lists: the build leaves it out)`;
  const others = graph
    .ofKind(kind)
    .filter((a) => text(mapping(a.manifest.metadata).name) === name)
    .map((a) => `${graph.namespaceOf(a.manifest)}${locationOf(a) ? ` (${locationOf(a)})` : ''}`);
  return others.length ? ` (the tree has one in namespace ${others.join(', ')}: ${why})` : '';
}

/**
 * The note that takes the place of a missing-object finding when a script of the checked folder creates the object
 * (`subject` as the message names it) when it runs: the pods wait (`until` says how) until the script has run. Where
 * a file of the repository outside the folder makes it (a CI workflow, an Ansible task, a guide's command), the note
 * says so, and that check sees the command, not what the object holds.
 */
export function madeByScriptNote(subject: string, kind: string, by: ScriptCreated, until: string): Problem {
  if (by.outside)
    return {
      severity: 'info',
      message:
        `${subject} is not a manifest of the tree: ${by.script} (line ${by.line}), outside the checked folder, creates it (${by.command ?? 'its command'}), ` +
        `so check does not see what it holds; until it has run ${until}: make sure it runs before the sync, or move the ${kind} into the tree`,
      summary: 'objects that a file of the repository outside the checked folder (a CI workflow, an Ansible task, a guide) creates',
    };
  return {
    severity: 'info',
    message: `${subject} is not a manifest of the tree: ${by.script} (line ${by.line}) creates it when it runs, and until then ${until}; run the script before the sync, or move the ${kind} into the tree`,
    summary: 'objects that a script of the checked folder creates when it runs',
  };
}
