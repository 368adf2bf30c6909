import { isMapping, Loose, mapping } from '../manifests/access';
import { ObjectGraph } from './graph';
import { podReferences, projectedReferences } from './pod-references';
import { podSpecOf } from './pods';

/** The data keys of a Secret or ConfigMap (data, stringData, binaryData); none for other kinds. */
function dataKeys(m: Loose): string[] {
  if (m.kind !== 'Secret' && m.kind !== 'ConfigMap') return [];
  return ['data', 'stringData', 'binaryData'].flatMap((field) => Object.keys(mapping(m[field])));
}

/**
 * Where an object is declared more than once and one copy stays (Argo CD keeps the last one read, kubectl apply leaves
 * the last one applied), what the others held that a pod of the tree needs: the Secret or ConfigMap keys only dropped
 * copies hold, each as `key (read by <object> <where>)`, where a pod of the object's namespace reads that key by name.
 * Empty when nothing a pod reads is lost: then which copy stays is a matter of intent, not a failure.
 */
export function keysLostToPods(graph: ObjectGraph, kept: Loose, dropped: readonly Loose[]): string[] {
  const have = new Set(dataKeys(kept));
  const lost = [...new Set(dropped.flatMap(dataKeys))].filter((k) => !have.has(k));
  if (!lost.length) return [];
  const name = mapping(kept.metadata).name;
  const ns = graph.namespaceOf(kept);
  const out: string[] = [];
  // the pods of the tree, those a directory source reads from kustomize folders as written included
  for (const pod of [...graph.objects, ...graph.plain].map((o) => o.manifest).filter(isMapping)) {
    if (!podSpecOf(pod)) continue;
    const podNs = graph.namespaceOf(pod);
    if (ns !== undefined && podNs !== undefined && podNs !== ns) continue;
    for (const r of [...podReferences(pod), ...projectedReferences(pod)]) {
      if (r.kind !== kept.kind || r.name !== name) continue;
      const id = `${String(pod.kind)}/${podNs ? `${podNs}/` : ''}${String(mapping(pod.metadata).name)}`;
      for (const key of r.keys) if (key !== undefined && lost.includes(key)) out.push(`${key} (read by ${id} ${r.where})`);
    }
  }
  return [...new Set(out)].sort();
}
