import * as path from 'path';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';

/**
 * A file name Helm values go by: values.yaml, values-<x>.yaml, <x>-values.yaml, values.<env>.yaml (Helm reads a chart's
 * values.yaml and whatever `helm install -f` is given; these are the names such files are written under).
 */
const VALUES_FILE = /(^|[-_.])values([-_.][^/]*)?\.ya?ml$/i;

/**
 * The Helm values files of the input that the reader skipped (YAML holding no Kubernetes object) in the folder of an
 * object, or in a folder above or below it: a chart installed with them makes objects the tree does not show, named as
 * the chart names them (`<release>-<model>-deployment-vllm`), so an object the tree lacks may be one of them.
 */
export function skippedValuesBeside(graph: ObjectGraph, o: GraphObject): string[] {
  if (!o.file) return [];
  const dir = path.resolve(path.dirname(o.file));
  const related = (d: string) => !path.relative(d, dir).startsWith('..') || !path.relative(dir, d).startsWith('..');
  return graph.unread
    .filter((u) => u.kind === 'skipped' && VALUES_FILE.test(path.basename(u.file)) && related(path.resolve(path.dirname(u.file))))
    .map((u) => u.file)
    .sort();
}
