import type { Loose } from '../manifests/access';
import { derivedFromJson } from '../private/derived-cache';

/**
 * PREREQUISITES.md: what the cluster must have before the tree syncs. A function of the objects alone (and of the
 * library), so it is kept between runs by the objects' JSON: a synth that renders what an earlier one rendered neither
 * loads the analysis (the object graph, the rules it borrows from) nor runs it.
 */
export function prerequisitesReport(objects: readonly Loose[]): string {
  return derivedFromJson('prerequisites', JSON.stringify(objects), (parsed) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the report is not kept
    (require('./prerequisites') as typeof import('./prerequisites')).prerequisitesText(parsed as Loose[]),
  );
}
