import { HELM_HOOK_ANNOTATION, HOOK_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../../k8s/keys';
import { finite, mapping, stringMap } from '../../manifests/access';
import { waveOf } from './application';
import type { GraphObject } from '../graph-object';

/** Helm's hook annotation: Argo CD maps Helm hooks to its own phases (argo-cd docs user-guide/helm.md "Helm Hooks"). */
export const HELM_HOOK = HELM_HOOK_ANNOTATION;

/** An Argo CD hook: annotated argocd.argoproj.io/hook, or helm.sh/hook, which Argo CD reads as one. */
export function isHook(o: GraphObject): boolean {
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  return annotations[HOOK_ANNOTATION] !== undefined || annotations[HELM_HOOK] !== undefined;
}

/** The phases of a sync, in the order Argo CD runs them (gitops-engine pkg/sync/common: SyncPhasePreSync, Sync, PostSync). */
const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type Phase = (typeof PHASES)[number];

/** Where an object runs in a sync: its phase, then its wave (gitops-engine sync_tasks.go sorts by phase, then wave). */
export interface Slot {
  readonly phase: Phase;
  readonly wave: number;
}

/**
 * Helm's hook annotations as Argo CD reads them when the object has no Argo CD hook annotation (gitops-engine
 * pkg/sync/hook/helm: pre-install and pre-upgrade run as PreSync, post-install and post-upgrade as PostSync), with
 * helm.sh/hook-weight as the wave when no sync-wave is given.
 */
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
const HELM_PHASES: Readonly<Record<string, Phase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

/** The earliest phase an object runs in and its wave; undefined for hooks that never run in a sync's phases (Skip, SyncFail, PostDelete). */
export function slotOf(o: GraphObject): Slot | undefined {
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  const argo = annotations[HOOK_ANNOTATION];
  const helm = argo === undefined ? annotations[HELM_HOOK] : undefined;
  const wave = (annotations[SYNC_WAVE_ANNOTATION] !== undefined ? waveOf(o) : helm !== undefined ? finite(annotations[HELM_HOOK_WEIGHT]) : undefined) ?? 0;
  if (argo === undefined && helm === undefined) return { phase: 'Sync', wave };
  const named = (argo ?? helm ?? '').split(',').map((p) => p.trim());
  const phases =
    argo !== undefined ? named.filter((p): p is Phase => (PHASES as readonly string[]).includes(p)) : named.map((p) => HELM_PHASES[p]).filter(Boolean);
  const earliest = PHASES.find((p) => phases.includes(p));
  return earliest && { phase: earliest, wave };
}

export function later(a: Slot, b: Slot): boolean {
  return PHASES.indexOf(a.phase) > PHASES.indexOf(b.phase) || (a.phase === b.phase && a.wave > b.wave);
}

/** A slot in words, for messages. */
export const slotWords = (s: Slot) => `the ${s.phase} phase, wave ${s.wave}`;
