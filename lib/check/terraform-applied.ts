import * as path from 'path';
import { terraformModuleFiles } from '../manifests/terraform-files';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import type { Problem } from './rule';

/**
 * A file a Terraform configuration reads by name: `file("${path.module}/a.yaml")`, `templatefile("${path.module}/b.yaml",
 * {…})`, or a path relative to the module (`file("./a.yaml")`, `file("a.yaml")`) (Terraform docs, functions file and
 * templatefile; path.module is the module's folder).
 */
const FILE_CALL = /\b(?:file|templatefile)\(\s*"(?:\$\{path\.module\}\/|\.\/)?([^"$]+)"/g;
/**
 * What applies files whose names the text does not spell: fileset() patterns, kubectl_path_documents' globs, and a
 * file() or templatefile() whose path holds an interpolation other than path.module (`${each.value}`).
 */
const UNSPELLED = /\bfileset\(|\bkubectl_path_documents\b|\b(?:file|templatefile)\(\s*"[^"]*\$\{(?!path\.module\})/;
/** The resources that apply a manifest's text (gavinbunney/kubectl kubectl_manifest, hashicorp/kubernetes kubernetes_manifest). */
const APPLIES_MANIFESTS = /\b(?:kubectl_manifest|kubernetes_manifest)\b/;

/**
 * The Terraform configuration of one folder: each .tf file with the files it reads by name (absolute); undefined where
 * it has none that applies manifests, or where it applies files it does not name.
 */
function configurationOf(dir: string): { tf: string; read: string[] }[] | undefined {
  const texts = terraformModuleFiles(dir).map((f) => ({ tf: path.join(dir, f.script), text: f.text }));
  if (!texts.some((t) => APPLIES_MANIFESTS.test(t.text)) || texts.some((t) => UNSPELLED.test(t.text))) return undefined;
  return texts.map((t) => ({ tf: t.tf, read: [...t.text.matchAll(FILE_CALL)].map((m) => path.resolve(dir, m[1])) }));
}

/** What the Terraform configuration beside a manifest file applies of its folder, where it applies some of its files by name and not this one. */
export interface TerraformLeftOut {
  /** The .tf file that applies the others, as the object's file is named. */
  readonly tf: string;
  /** The files of the folder it applies, by name. */
  readonly applied: readonly string[];
}

/**
 * Whether the object's file lies in a folder (or a subfolder of one) whose Terraform configuration applies manifest
 * files of that folder by name (kubectl_manifest, kubernetes_manifest with file() or templatefile()), and not this
 * one: the file is delivered by nothing that the repository shows. Undefined where no such configuration is there, or
 * where it applies files by pattern (fileset, kubectl_path_documents) or by computed names; only files of the checked
 * input count as applied ones (a Helm values file it reads is none).
 */
export function leftOutByTerraform(graph: ObjectGraph, o: GraphObject): TerraformLeftOut | undefined {
  if (!o.file) return undefined;
  const file = path.resolve(o.file);
  const dir = path.dirname(file);
  const manifests = graph.once('terraform-applied:files', () => new Set(graph.objects.flatMap((x) => (x.file ? [path.resolve(x.file)] : []))));
  for (const at of [dir, path.dirname(dir)]) {
    const config = graph.once(`terraform-applied:${at}`, () => configurationOf(at)) ?? [];
    const applying = config.filter((c) => c.read.some((f) => path.dirname(f) === dir && manifests.has(f)));
    if (!applying.length) continue;
    const applied = [...new Set(applying.flatMap((c) => c.read.filter((f) => path.dirname(f) === dir && manifests.has(f))))];
    if (applied.includes(file)) return undefined;
    const named = path.join(path.dirname(o.file), path.relative(dir, applying[0].tf)).split(path.sep).join('/');
    return { tf: named, applied: applied.map((f) => path.basename(f)) };
  }
  return undefined;
}

/** A finding on an object no Terraform configuration applies (leftOutByTerraform): a note that nothing applies its file, then the finding were it applied. */
export function terraformLeftOutProblem(o: GraphObject, left: TerraformLeftOut, problem: Problem): Problem {
  return {
    ...problem,
    severity: 'info',
    message: `${path.basename(o.file ?? '')} is applied by nothing: ${left.tf}, the Terraform configuration of its folder, applies ${left.applied.join(', ')} (file()/templatefile()) and not this file; were it applied: ${problem.message}`,
    summary: 'objects of a folder whose Terraform configuration applies other files by name, not theirs',
  };
}
