import * as path from 'path';
import { appliesFile, type ScriptApplied } from '../manifests/script-applies';
import { GraphObject } from './graph-object';

/** An applied command of the tree's scripts, with the script as a path from where the check runs. */
export type Applied = ScriptApplied & { readonly file?: string };

/** Whether a command applies the object: its kustomization (`-k`), its file, or its folder (and subfolders with `-R`). */
export function appliesObject(a: Applied, o: GraphObject): boolean {
  if (a.kustomize) return (o.kustomizations ?? []).some((k) => path.resolve(k) === a.target);
  if (!o.file || o.file === '-') return false;
  return appliesFile(a, path.resolve(o.file));
}
