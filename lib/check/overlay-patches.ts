import type { Loose } from '../manifests/access';
import { deliveredThrough, IncludingOverlay, includingOverlays } from '../manifests/including-overlays';
import { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import { subfolderCheckouts } from './work-trees';

/** The outermost kustomizations of the repositories that include the checked folders (includingOverlays), read once per check. */
function overlaysOf(graph: ObjectGraph): { overlay: IncludingOverlay; root: string }[] {
  return graph.once('including-overlays', () =>
    subfolderCheckouts(graph).flatMap((c) => (c.workTree ? includingOverlays(c).map((overlay) => ({ overlay, root: c.workTree!.root })) : [])),
  );
}

/**
 * How the overlays of the repository that include the checked folder deliver a value of one of its objects: `fixed`
 * is true where there is at least one and every one of them patches the object so that `judge` no longer objects to it
 * (a base's placeholder each overlay replaces), with one such overlay named; `overlays` counts them, 0 where the folder
 * is a root no kustomization of the repository includes.
 */
export function patchedByOverlays(graph: ObjectGraph, o: GraphObject, fine: (delivered: Loose) => boolean): { overlays: number; fixed?: string } {
  const overlays = overlaysOf(graph);
  if (!overlays.length) return { overlays: 0 };
  const delivered = overlays.map(({ overlay, root }) => ({ name: overlay.name, object: deliveredThrough(overlay, o.manifest, root) }));
  const all = delivered.every((d) => typeof d.object === 'object' && d.object !== null && fine(d.object as Loose));
  return { overlays: new Set(delivered.map((d) => d.name)).size, ...(all ? { fixed: delivered[0].name } : {}) };
}
