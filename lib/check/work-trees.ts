import type { GitCheckout, WorkTree } from '../manifests/git-checkout';
import { workTreeOf } from '../manifests/work-tree';
import { ObjectGraph } from './graph';

/**
 * The work tree of a checked folder's checkout, where the folder is a subfolder of one: the one its read made
 * (GitCheckout.workTree, walked once for the read and the check alike), else one made once per check for a checkout
 * without (written by hand), walked when first asked.
 */
export function checkoutWorkTree(graph: ObjectGraph, c: GitCheckout): WorkTree | undefined {
  if (c.within === '.') return undefined;
  return c.workTree ?? graph.once(`work-tree:${c.folder}`, () => workTreeOf(c));
}

/** The checkouts of the checked folders that are subfolders of a git work tree, each with its work tree (checkoutWorkTree). */
export function subfolderCheckouts(graph: ObjectGraph): GitCheckout[] {
  return graph.checkouts.filter((c) => c.within !== '.').map((c) => (c.workTree ? c : { ...c, workTree: checkoutWorkTree(graph, c) }));
}
