import { Loose, text } from '../manifests/access';

/** Node taints and the tolerations that let pods onto tainted nodes, as Kubernetes matches them. */

/** A taint that keeps pods off a node unless they tolerate it (PreferNoSchedule only discourages). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** Kubernetes' toleration matching (core/v1 Toleration.ToleratesTaint): key, operator Exists or Equal, effect. */
export function tolerates(toleration: Loose, taint: Taint): boolean {
  const key = text(toleration.key) ?? '';
  const operator = text(toleration.operator) ?? 'Equal';
  const effect = text(toleration.effect) ?? '';
  if (effect && effect !== taint.effect) return false;
  if (!key) return operator === 'Exists';
  if (key !== taint.key) return false;
  return operator === 'Exists' || (text(toleration.value) ?? '') === (taint.value ?? '');
}

/** A taint as written on a node (`nvidia.com/gpu=true:NoSchedule`). */
export const shownTaint = (t: Taint): string => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
