import { proseGpuModels } from '../catalog/prose-gpus';
import { Loose, mapping } from '../manifests/access';
import { LabelledGpus, SelectedGpu } from './gpu-labels';
import type { ObjectGraph } from './graph';
import { podSpecOf } from './pods';
import { Problem } from './rule';

/**
 * The GPUs the tree's READMEs and guides say it runs on (ObjectGraph.proseGpus: `tested on an RTX 2080 Ti`, `a 24 GB
 * GPU`), as labelled options, each named by its file, line and words: for a pod whose GPU nothing else names — no
 * instance type, label or node pool (its caller asks only then) — and that chooses no nodes (a node selector or
 * affinity the tool does not map may pick another GPU). One option per GPU, at the first line naming it. Undefined
 * when the prose names none the tool knows.
 */
function proseGpusFor(graph: ObjectGraph, m: Loose): LabelledGpus | undefined {
  const spec = mapping(podSpecOf(m));
  if (Object.keys(mapping(spec.nodeSelector)).length || mapping(spec.affinity).nodeAffinity !== undefined) return undefined;
  const seen = new Set<string>();
  const options: SelectedGpu[] = [];
  for (const mention of graph.proseGpus)
    for (const words of mention.gpus) {
      const gpus = seen.has(words) ? undefined : proseGpuModels(words);
      if (!gpus) continue;
      seen.add(words);
      options.push({ selected: `${mention.file} line ${mention.line}: "${mention.text}"`, gpus });
    }
  if (!options.length) return undefined;
  return {
    options,
    words: {
      several: 'the READMEs name several GPUs',
      narrow: 'pin nodes of one of those',
      unchecked: 'a README says so, and no node selector, instance type or node pool of the tree names the GPU: the cluster may have another',
    },
  };
}

/**
 * The verdicts of `judge` on the GPUs the READMEs name for a pod (proseGpusFor), each GPU on its own: warnings (prose is
 * weaker evidence than the tree's node selection), and only where it fails on every one (a README listing several may
 * mean any of them). None where the READMEs name no GPU.
 */
export function proseVerdicts(graph: ObjectGraph, m: Loose, judge: (gpus: LabelledGpus) => readonly Problem[]): Problem[] {
  const prose = proseGpusFor(graph, m);
  const each = (prose?.options ?? []).flatMap((o) => o.gpus.map((gpu) => judge({ ...prose!, options: [{ ...o, gpus: [gpu] }] })));
  return each.length && each.every((found) => found.length) ? each.flat().map((p) => ({ ...p, severity: 'warning' })) : [];
}
