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

/**
 * What the check read around the checked folders, in words for a message on what they lack: the repository too where
 * one is a subfolder of a git work tree (its other folders were read), the repository itself where one is a work
 * tree's root, else only what was given.
 */
export function readScope(graph: ObjectGraph): { readonly defines: string; readonly lacks: string; readonly unread?: string; readonly outside: string } {
  if (graph.checkouts.some((c) => c.within !== '.'))
    return { defines: 'the tree and its repository define', lacks: 'neither the tree nor its repository defines', outside: 'the repository' };
  if (graph.checkouts.length) return { defines: 'the repository defines', lacks: 'the repository does not define', outside: 'the repository' };
  return {
    defines: 'the checked tree defines',
    lacks: 'the checked tree does not define',
    unread: 'it lies in no git work tree, so no other folder of its repository was read',
    outside: 'the checked tree',
  };
}
