import { KUEUE_GROUP } from '../k8s/keys';
import { apiGroupOf } from '../k8s/api-version';
import { servedApis } from '../platform/served-apis';
import { CheckContext } from './rule';

/** The platform whose CRDs stand for OpenShift AI 2.x, which ships none here: at the top level only. */
export const TOP_LEVEL_SCHEMA_PLATFORM = 'rhoai-3.0' as const;

/**
 * The API groups whose schemas follow the OpenShift AI release (KServe, the operator's and dashboard's kinds, the
 * workbench, pipeline, Ray and training operators it ships): on 2.x, whose CRDs are not shipped here, they are judged
 * at the top level only. Argo CD, Kueue, MachineSet, KEDA and prometheus-operator kinds do not depend on it.
 */
export const OPENSHIFT_AI_GROUPS = /^(serving\.kserve\.io|kubeflow\.org|ray\.io|workload\.codeflare\.dev|(.+\.)?opendatahub\.io)$/;

/**
 * API versions of OpenShift AI groups whose schema is the same in every release that serves them, 2.x included: judged
 * in full on 2.x by the 3.x CRD shipped here. infrastructure.opendatahub.io/v1alpha1 (HardwareProfile): first released
 * in opendatahub-operator v2.32.0, and its api/infrastructure/v1alpha1/hardwareprofile_types.go has the same fields in
 * every tag from v2.32.0 to v3.5.0 (spec.identifiers and spec.scheduling; displayName, enabled and description were
 * removed before the first release, by 4df298ac6). modelregistry.opendatahub.io v1alpha1 and v1beta1 (ModelRegistry):
 * the set shipped here is the 3.4 CRD widened by every OpenShift AI line's from 2.17 on
 * (scripts/derive-workload-crds.js), so a field it lacks is in no release that serves the version.
 */
const SAME_IN_EVERY_RELEASE: ReadonlySet<string> = new Set([
  'infrastructure.opendatahub.io/v1alpha1',
  'modelregistry.opendatahub.io/v1alpha1',
  'modelregistry.opendatahub.io/v1beta1',
]);

/** The Kueue CRD sets shipped here, oldest first, with the first release each stands for. */
export const KUEUE_SCHEMA_SETS: readonly { readonly set: string; readonly from: number }[] = [
  { set: 'kueue-0.14', from: 0 },
  { set: 'kueue-0.16', from: 16 },
];

/** How a Kueue object's fields are judged: the shipped CRD set of the judged release, and what else may hold a field it lacks. */
export interface KueueSchema {
  readonly sets: string[];
  /** The release is stated exactly (flag, project file, a Subscription) and a shipped set stands for it. */
  readonly certain: boolean;
  /** The shipped sets of releases newer than the judged one, newest last. */
  readonly newer: readonly string[];
  /** The judged release is newer than every shipped set: its fields are not all known here. */
  readonly beyond: boolean;
  readonly newest: string;
}

/**
 * How a Kueue object's fields are judged: by the CRDs of the judged Kueue release (the nearest set shipped), and
 * whether that judgement is certain — not when the release is only assumed or a lower bound (a v1beta2 object), or is
 * newer than the newest set shipped: an unknown field may then be a newer Kueue's.
 */
export function kueueSchema(kueue: CheckContext['kueue']): KueueSchema {
  const minor = Number(kueue.release.split('.')[1]);
  const usable = KUEUE_SCHEMA_SETS.filter((s) => Number.isFinite(minor) && s.from <= minor);
  const set = (usable[usable.length - 1] ?? KUEUE_SCHEMA_SETS[0]).set;
  const newest = KUEUE_SCHEMA_SETS[KUEUE_SCHEMA_SETS.length - 1];
  const exact = kueue.source !== 'default' && kueue.source !== 'platform' && !kueue.lowerBound;
  const beyond = !Number.isFinite(minor) || minor > Number(newest.set.split('.')[1]);
  const newer = KUEUE_SCHEMA_SETS.filter((s) => Number.isFinite(minor) && s.from > minor).map((s) => s.set);
  return { sets: [set], certain: exact && !beyond, newer, beyond, newest: newest.set.replace('kueue-', '') };
}

/** The schema choice for an object of `apiVersion`: the platform whose CRDs judge it, and Kueue's release sets for a Kueue kind. */
export function fieldSchemaChoice(
  apiVersion: string,
  ctx: CheckContext,
): { judged: Exclude<CheckContext['platform'], 'rhoai-2'>; byKueue?: KueueSchema; topLevelOnly: boolean } {
  const group = apiGroupOf(apiVersion);
  // OpenShift AI 2.x ships no CRDs here: its own custom resources are judged at the top level only, where every
  // version of the kind has the same fields (apiVersion, kind, metadata, spec, status), by the earliest 3.x schema
  const judged = ctx.platform === 'rhoai-2' ? TOP_LEVEL_SCHEMA_PLATFORM : ctx.platform;
  const byKueue = group === KUEUE_GROUP ? kueueSchema(ctx.kueue) : undefined;
  return { judged, byKueue, topLevelOnly: ctx.platform === 'rhoai-2' && OPENSHIFT_AI_GROUPS.test(group) && !SAME_IN_EVERY_RELEASE.has(apiVersion) };
}

/** An object's apiVersion and kind with the schema choice that judges it; undefined when either is missing. */
export function schemaTarget(
  manifest: Record<string, unknown>,
  ctx: CheckContext,
): ({ apiVersion: string; kind: string } & ReturnType<typeof fieldSchemaChoice>) | undefined {
  const apiVersion = typeof manifest.apiVersion === 'string' && manifest.apiVersion ? manifest.apiVersion : undefined;
  const kind = typeof manifest.kind === 'string' && manifest.kind ? manifest.kind : undefined;
  if (!apiVersion || !kind) return undefined;
  const judgedAs = servedElsewhereAs(apiVersion, kind, ctx) ?? apiVersion;
  return { apiVersion: judgedAs, kind, ...fieldSchemaChoice(judgedAs, ctx) };
}

/**
 * The one apiVersion that serves a kind written under a built-in group lacking it (`apiVersion: v1, kind:
 * Deployment`), where exactly one group of the platform serves the kind at one version: kind-not-served reports the
 * apiVersion, and the body is judged by that version's schema so its own faults are seen in the same run. A group of
 * another project (networking.istio.io's Gateway) is never judged by a same-named kind's schema.
 */
function servedElsewhereAs(apiVersion: string, kind: string, ctx: CheckContext): string | undefined {
  // OpenShift AI 2.x is judged by another platform's schemas (fieldSchemaChoice): its own served kinds are not read here
  if (ctx.platform === 'rhoai-2') return undefined;
  const group = apiGroupOf(apiVersion);
  const served = servedApis(ctx.platform);
  const builtIn = !group.includes('.') || group.endsWith('.k8s.io');
  if (!builtIn || !served.has(group) || served.get(group)?.kinds[kind]) return undefined;
  const others = [...served].filter(([g, t]) => g !== group && t.kinds[kind]?.length);
  if (others.length !== 1 || others[0][1].kinds[kind].length !== 1) return undefined;
  const [g, t] = others[0];
  return g ? `${g}/${t.kinds[kind][0]}` : t.kinds[kind][0];
}
