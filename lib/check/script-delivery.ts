import * as path from 'path';
import { appliesFile, type ScriptApplied, type ScriptDeleted } from '../manifests/script-applies';
import { deliverersOf } from './argocd/application';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** An applied command of the tree's scripts, with the script as a path from where the check runs. */
export type Applied = ScriptApplied & { readonly file?: string };

/** Whether a command applies the object: its kustomization (`-k`), its file, or its folder (and subfolders with `-R`). */
export function appliesObject(a: Pick<Applied, 'target' | 'kustomize' | 'recursive'>, o: GraphObject): boolean {
  if (a.kustomize) return (o.kustomizations ?? []).some((k) => path.resolve(k) === a.target);
  if (!o.file || o.file === '-') return false;
  return appliesFile(a, path.resolve(o.file));
}

/**
 * Why the object is only removed, never delivered: a script's or README's `kubectl|oc delete` reads it, or its folder is
 * named as a tear-down list (uninstall/, cleanup/), and no script applies it; for a folder's name alone, neither a
 * kustomization nor an Argo CD Application delivers it either. Undefined when it is (or may be) delivered.
 */
export function deletedOnly(graph: ObjectGraph, o: GraphObject): ScriptDeleted | undefined {
  if (!graph.scriptDeleted.length) return undefined;
  const by = graph.scriptDeleted.find((d) => appliesObject(d, o));
  if (!by || graph.scriptApplied.some((a) => appliesObject(a, o)) || deliverersOf(o, graph).length) return undefined;
  return by.byFolderName && o.kustomizations?.length ? undefined : by;
}
