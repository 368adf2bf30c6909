import { Loose, stringMap } from '../manifests/access';
import { PoolCloud, POOL_NAME_LABELS, TerraformNodePool } from '../manifests/terraform-node-pools';
import { nodeSelectionOf } from './node-selection';

/** The cloud a pool-name label belongs to. */
export function cloudOfLabel(label: string): PoolCloud | undefined {
  return (Object.keys(POOL_NAME_LABELS) as PoolCloud[]).find((c) => POOL_NAME_LABELS[c] === label);
}

/** A node pool a manifest pins by name: the label, the names it admits (any one will do), and the field that says so. */
export interface PoolPin {
  readonly cloud: PoolCloud;
  readonly label: string;
  readonly names: readonly string[];
  readonly field: string;
}

/**
 * The values a pod spec pins labels of `keys` to: the label in its nodeSelector, or an `In` on it in the only term of
 * its required node affinity (several terms are alternatives, not judged).
 */
export function podLabelPins(pod: Loose, at: string, keys: (key: string) => boolean): { label: string; names: string[]; field: string }[] {
  const out: { label: string; names: string[]; field: string }[] = [];
  for (const [key, value] of Object.entries(stringMap(pod.nodeSelector))) if (keys(key)) out.push({ label: key, names: [value], field: `${at}nodeSelector` });
  const terms = nodeSelectionOf(pod).terms ?? [];
  if (terms.length !== 1) return out;
  for (const r of terms[0].expressions)
    if (keys(r.key) && r.operator === 'In' && r.values.length) out.push({ label: r.key, names: [...r.values], field: `${at}affinity.nodeAffinity` });
  return out;
}

/** The pools a pod spec pins by a pool-name label (podLabelPins). */
export function podPoolPins(pod: Loose, at: string): PoolPin[] {
  return podLabelPins(pod, at, (k) => cloudOfLabel(k) !== undefined).map((p) => ({ ...p, cloud: cloudOfLabel(p.label)! }));
}

/** A pool as a message names it: `'atlas-spt-trn' (infra/gke.tf line 9)`. */
export const poolWhere = (p: TerraformNodePool): string => `'${p.name}' (terraform ${p.file} line ${p.line})`;

/** The name a message gives a cloud's pools. */
export const POOL_WORDS: Readonly<Record<PoolCloud, string>> = { gke: 'GKE node pool', eks: 'EKS managed node group', aks: 'AKS node pool' };
