import { groupVersionOf } from '../../k8s/api-version';
import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { Platform as PlatformEntry, PLATFORM_IDS, PlatformId, PLATFORMS } from '../../platform/platform';
import { KUEUE_RELEASES, kueueRelease } from '../../platform/kueue-releases';
import { CheckContext, Problem, Rule } from '../rule';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { unknownFieldsApply } from '../argocd/unknown-fields-apply';
import { treeKserveRelease } from '../kserve-release';
import { KueueChoice, kueueAssumption, kueueName } from '../kueue-version';
import { CONNECTION_TYPE_PROTOCOL_ANNOTATION, CONNECTION_TYPE_REF_ANNOTATION, DEPLOYMENT_MODE_ANNOTATION } from '../../k8s/keys';

const KUEUE_KINDS = ['ResourceFlavor', 'ClusterQueue', 'LocalQueue', 'Cohort', 'WorkloadPriorityClass'];
/** connection-type-ref names → connection-type-protocol values (odh-model-controller's connection webhook). */
const PROTOCOL_OF_REF: Readonly<Record<string, string>> = { s3: 's3', 'uri-v1': 'uri', 'oci-v1': 'oci' };

/** What a v1beta1 ClusterQueue must change to be written as v1beta2 (kueue v0.16.9 CRDs, flattened and compared). */
function kueueRenames(m: Loose): string[] {
  if (m.kind !== 'ClusterQueue') return [];
  const spec = mapping(m.spec);
  const out: string[] = [];
  if (spec.cohort !== undefined) out.push(`spec.cohort '${text(spec.cohort) ?? ''}' becomes spec.cohortName`);
  if (mapping(spec.flavorFungibility).whenCanBorrow === 'Borrow') out.push('flavorFungibility.whenCanBorrow Borrow becomes MayStopSearch');
  if (mapping(spec.flavorFungibility).whenCanPreempt === 'Preempt') out.push('flavorFungibility.whenCanPreempt Preempt becomes MayStopSearch');
  if (spec.admissionChecks !== undefined) out.push('spec.admissionChecks moves to spec.admissionChecksStrategy.admissionChecks[].name');
  return out;
}

/**
 * The v1beta1 fields of a ClusterQueue that this rule names on a v1beta2 one (with the field v1beta2 has instead):
 * field-unknown leaves them to it, one finding per field.
 */
export const CLUSTER_QUEUE_V1BETA1_FIELDS: readonly string[] = ['spec.cohort', 'spec.admissionChecks'];

/**
 * A v1beta1 field written on a v1beta2 ClusterQueue, which v1beta2's schema does not have (kubernetes-sigs/kueue v0.16
 * config/components/crd/bases/kueue.x-k8s.io_clusterqueues.yaml: v1beta2 has cohortName and admissionChecksStrategy,
 * not cohort or admissionChecks): refused as an unknown field by a strict apply, dropped where Argo CD applies without
 * validation, and the cohort (or the checks) lost with it.
 */
function v1beta1Field(field: string, renamed: string, lost: string, unvalidated: boolean): Problem {
  if (unvalidated)
    return {
      severity: 'error',
      message: `${field} is a v1beta1 field, not in the v1beta2 ClusterQueue schema (v1beta2 names it ${renamed}): Argo CD applies it with Validate=false, so the API server drops it and ${lost}: write ${renamed}`,
    };
  return {
    severity: 'error',
    message: `unknown field '${field}': not in the v1beta2 ClusterQueue schema (Kueue's CRD clusterqueues.kueue.x-k8s.io), which renamed it ${renamed}, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the ClusterQueue: write ${renamed}`,
  };
}

/** Fields a v1beta2 ClusterQueue carries that only v1beta1 has: refused (or pruned, and a cohort lost with them), and v1beta1 enum values. */
function v1beta1FieldsInV1beta2(o: GraphObject, graph: ObjectGraph): Problem[] {
  const m = o.manifest;
  if (m.kind !== 'ClusterQueue') return [];
  const spec = mapping(m.spec);
  const fungibility = mapping(spec.flavorFungibility);
  // dropped only where every apply skips validation client-side; a server-side apply refuses it whatever the validation
  const unvalidated = unknownFieldsApply(o, graph).apply === 'dropped';
  const out: Problem[] = [];
  if (spec.cohort !== undefined)
    out.push(
      v1beta1Field('spec.cohort', 'spec.cohortName', `the ClusterQueue leaves cohort '${text(spec.cohort) ?? ''}' (it neither lends nor borrows)`, unvalidated),
    );
  if (fungibility.whenCanBorrow === 'Borrow')
    out.push({
      severity: 'error',
      message: "flavorFungibility.whenCanBorrow 'Borrow' is not in v1beta2's enum (MayStopSearch, TryNextFlavor): write MayStopSearch, its new name",
    });
  if (fungibility.whenCanPreempt === 'Preempt')
    out.push({
      severity: 'error',
      message: "flavorFungibility.whenCanPreempt 'Preempt' is not in v1beta2's enum (MayStopSearch, TryNextFlavor): write MayStopSearch, its new name",
    });
  if (spec.admissionChecks !== undefined)
    out.push(
      v1beta1Field(
        'spec.admissionChecks',
        'spec.admissionChecksStrategy.admissionChecks[].name',
        'the ClusterQueue admits without its admission checks',
        unvalidated,
      ),
    );
  return out;
}

/** The first Kueue release that serves the version it stores now (v1beta2 beside v1beta1: lib/platform/kueue-releases.ts). */
function firstServing(version: string): string | undefined {
  return KUEUE_RELEASES.find((r) => kueueRelease(r)?.served.includes(version));
}

/**
 * A deprecated Kueue version where the cluster's Kueue is only assumed: writing the newer version breaks every Kueue
 * object on a release that does not serve it yet (before 0.15, v1beta2), so the advice is given with its condition,
 * as a note, never as a change to make on a guess.
 */
function assumedKueueDeprecation(version: string, stored: string, renames: readonly string[], kueue: KueueChoice): Problem {
  // deprecated from the first release that stores the newer version (0.16); served, so writable, from an earlier one (0.15)
  const deprecating = KUEUE_RELEASES.find((r) => kueueRelease(r)?.deprecated.includes(version));
  const serving = firstServing(kueue.apis.storage);
  const since = deprecating ? `Kueue ${deprecating} and later` : `${kueueName(kueue)}`;
  const served = serving ? `Kueue ${serving} and later` : since;
  return {
    severity: 'info',
    message:
      `kueue.x-k8s.io/${version} is deprecated where the cluster runs ${since} (they store ${stored}, and Kueue 0.20 no longer serves ${version}); ` +
      `${served} serve ${stored}: on such a cluster write ${stored}${renames.length ? ` (${renames.join('; ')})` : ''}, but on an earlier Kueue ${stored} is not served and every object written in it is refused, so keep ${version} there. ` +
      kueueAssumption(kueue),
    summary: `Kueue objects in kueue.x-k8s.io/${version}, deprecated from ${since}: write ${stored} only where the cluster runs ${served} (the Kueue release is assumed)`,
  };
}

function kueueProblems(o: GraphObject, kueue: KueueChoice, graph: ObjectGraph): Problem[] {
  const m = o.manifest;
  const { version } = groupVersionOf(m.apiVersion);
  // a version the judged Kueue does not serve is kind-not-served's finding
  if (!kueue.apis.served.includes(version)) return [];
  const out: Problem[] = version === 'v1beta2' ? v1beta1FieldsInV1beta2(o, graph) : [];
  if (kueue.apis.deprecated.includes(version)) {
    const renames = kueueRenames(m);
    const stored = `kueue.x-k8s.io/${kueue.apis.storage}`;
    if (kueue.source === 'default') {
      out.push(assumedKueueDeprecation(version, stored, renames, kueue));
      return out;
    }
    out.push({
      message:
        `kueue.x-k8s.io/${version} is deprecated on ${kueueName(kueue)}: it stores ${stored} and answers ${version} with a warning, and Kueue 0.20 no longer serves it; write ${stored}` +
        (renames.length ? ` (${renames.join('; ')})` : ''),
      // one line for the tree: every Kueue object of a tree is usually written in the same version
      summary: `Kueue objects in the deprecated kueue.x-k8s.io/${version} (${kueueName(kueue)} stores ${stored}): write ${stored}`,
    });
  }
  return out;
}

/**
 * The first minor release of upstream KServe that serves LLMInferenceService v1alpha2 and stores it, converting
 * v1alpha1 by webhook (kserve/kserve v0.17.0 config/crd/full/llmisvc/serving.kserve.io_llminferenceservices.yaml;
 * v0.16.0 serves v1alpha1 alone).
 */
const LLMISVC_V1ALPHA2_MINOR = 17;

/** How the platform data names the releases of a group: upstream KServe from the first to store v1alpha2, OpenShift AI by its releases. */
function releasesNamed(ids: readonly PlatformId[], from: boolean, joiner = 'and'): string {
  const openShiftAi = ids.filter((id) => PLATFORMS[id].openShiftAi).map((id) => id.replace(/^rhoai-/, ''));
  const named = [
    ...(ids.includes('kserve') ? [`upstream KServe >= 0.${LLMISVC_V1ALPHA2_MINOR}`] : []),
    ...(!openShiftAi.length
      ? []
      : from
        ? [`OpenShift AI >= ${openShiftAi[0]}`]
        : [`OpenShift AI ${openShiftAi.length > 1 ? `${openShiftAi[0]}–${openShiftAi[openShiftAi.length - 1]}` : openShiftAi[0]}`]),
  ];
  return named.join(` ${joiner} `);
}

/** What a v1alpha1 object changes when written as v1alpha2 (opendatahub-io/kserve odh-v3.4 CRDs, flattened and compared). */
const V1ALPHA2_CHANGES =
  'spec.model.criticality moves to an annotation; router.scheduler.pool.spec takes the inference.networking.k8s.io/v1 shape: endpointPickerRef, targetPorts, selector.matchLabels';

/**
 * Where the platform is assumed, the plausible platforms (its candidates in the platform table) that serve the version
 * written but refuse the one the judged platform stores: advising that one could break a service that works there.
 */
function refusingCandidates(version: string, stored: string, ctx: Pick<CheckContext, 'platformAssumed' | 'platformCandidates'>): PlatformId[] {
  if (!ctx.platformAssumed) return [];
  return PLATFORM_IDS.filter(
    (id) =>
      (ctx.platformCandidates ?? PLATFORM_IDS).includes(id) &&
      PLATFORMS[id].llmInferenceServiceServed.includes(version) &&
      !PLATFORMS[id].llmInferenceServiceServed.includes(stored),
  );
}

function llmInferenceServiceProblems(m: Loose, p: PlatformEntry, ctx: Pick<CheckContext, 'graph' | 'platformAssumed' | 'platformCandidates'>): Problem[] {
  const { version } = groupVersionOf(m.apiVersion);
  // a version the platform does not serve is kind-not-served's error
  if (!p.llmInferenceServiceServed.includes(version) || `serving.kserve.io/${version}` === p.llmInferenceServiceApiVersion) return [];
  const stored = groupVersionOf(p.llmInferenceServiceApiVersion).version;
  // on upstream KServe the table's release is only the newest known: a tree pinning one before v1alpha2 has v1alpha1 alone
  const pinned = p.openShiftAi ? undefined : pinnedKserve(ctx.graph, LLMISVC_V1ALPHA2_MINOR);
  if (pinned && pinned.minor < LLMISVC_V1ALPHA2_MINOR) return [];
  const refusing = refusingCandidates(version, stored, ctx);
  if (refusing.length) {
    const storing = PLATFORM_IDS.filter(
      (id) => (ctx.platformCandidates ?? PLATFORM_IDS).includes(id) && PLATFORMS[id].llmInferenceServiceApiVersion === p.llmInferenceServiceApiVersion,
    );
    return [
      {
        severity: 'info',
        message:
          `serving.kserve.io/${version} is stored as ${stored} (converted by a webhook) on ${releasesNamed(storing, true)}, while ${releasesNamed(refusing, false)} ` +
          `serve${refusing.length > 1 ? '' : 's'} ${version} alone and refuse${refusing.length > 1 ? '' : 's'} ${stored}; the platform is only assumed (${p.kserveLabel}), so keep ${version} while the tree may run on ` +
          `${releasesNamed(refusing, false, 'or')}, and write ${stored} only on ${releasesNamed(storing, true, 'or')} (${V1ALPHA2_CHANGES}); pass --platform to be told which`,
        summary: `LLMInferenceServices in serving.kserve.io/${version}, stored as ${stored} on some of the platforms the tree may run on (the platform is assumed)`,
      },
    ];
  }
  const on = pinned ? `upstream KServe ${pinned.release} (${pinned.from})` : p.kserveLabel;
  return [
    {
      message: `serving.kserve.io/${version} is converted by a webhook on ${on}, which stores ${p.llmInferenceServiceApiVersion}: write ${p.llmInferenceServiceApiVersion} (${V1ALPHA2_CHANGES})`,
    },
  ];
}

/** The upstream KServe release the tree pins on one side of `pivot` (a minor release), read once per graph and pivot. */
function pinnedKserve(graph: ObjectGraph, pivot: number): ReturnType<typeof treeKserveRelease> {
  return graph.once(`kserve-release:${pivot}`, () =>
    treeKserveRelease(
      graph.objects.map((o) => ({ manifest: o.manifest, id: graph.id(o) })),
      pivot,
      graph.installed,
    ),
  );
}

/** The minor release of upstream KServe that introduced Standard and Knative (pkg/constants/constants.go). */
const NEW_MODE_NAMES = 16;

/**
 * A deprecated deployment-mode alias. OpenShift AI pins its KServe; on upstream KServe the platform's release is only
 * the newest known, so the tree's own pin decides: before 0.16 the old name is the only one (KServe's GetDeploymentMode
 * ignores an unknown value), and a tree that does not show its release gets the advice for 0.16 and later only.
 */
function deploymentModeProblems(m: Loose, p: PlatformEntry, graph: ObjectGraph): Problem[] {
  const mode = stringMap(mapping(m.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  const replacement = mode === undefined ? undefined : p.deploymentModes.deprecatedAliases[mode];
  // an alias of a mode the platform cannot serve is deployment-mode's finding, not a naming matter
  if (!replacement || p.deploymentModes.unavailable.includes(replacement)) return [];
  const head = `annotation ${DEPLOYMENT_MODE_ANNOTATION} '${mode}'`;
  const source = 'KServe 0.16+ pkg/constants';
  if (p.openShiftAi) return [{ message: `${head} is a deprecated alias on ${p.kserveLabel} (${source}): write '${replacement}'` }];
  const pinned = pinnedKserve(graph, NEW_MODE_NAMES);
  if (pinned && pinned.minor < NEW_MODE_NAMES) return [];
  if (pinned) return [{ message: `${head} is a deprecated alias on upstream KServe ${pinned.release} (${pinned.from}; ${source}): write '${replacement}'` }];
  return [
    {
      message: `${head} is a deprecated alias from upstream KServe 0.16 on (${source}), which the tree does not show it runs: on KServe >= 0.16 write '${replacement}'; on an older KServe keep '${mode}', the only name it reads`,
      summary: `deploymentMode aliases that KServe >= 0.16 deprecates (the tree shows no KServe release)`,
    },
  ];
}

function secretProblems(m: Loose, p: PlatformEntry): Problem[] {
  const annotations = stringMap(mapping(m.metadata).annotations);
  const ref = annotations[CONNECTION_TYPE_REF_ANNOTATION];
  if (!p.connectionTypeRefDeprecated || ref === undefined || annotations[CONNECTION_TYPE_PROTOCOL_ANNOTATION] !== undefined) return [];
  const protocol = PROTOCOL_OF_REF[ref];
  return [
    {
      message: `annotation ${CONNECTION_TYPE_REF_ANNOTATION} '${ref}' is deprecated on ${p.label}; OpenShift AI reads the connection's protocol from ${CONNECTION_TYPE_PROTOCOL_ANNOTATION}: ${protocol ? `add ${CONNECTION_TYPE_PROTOCOL_ANNOTATION}: ${protocol}` : `add ${CONNECTION_TYPE_PROTOCOL_ANNOTATION} (s3, uri or oci)`}`,
    },
  ];
}

export const deprecatedApiVersion: Rule = {
  id: 'deprecated-api-version',
  title: 'an API version, field or name that the target platform still serves but deprecates (an unserved version is kind-not-served)',
  severity: 'warning',
  appliesTo: [...KUEUE_KINDS, 'LLMInferenceService', 'InferenceService', 'HardwareProfile', 'Secret'],
  premise:
    "Kueue objects against the run's Kueue release (stated, told by the tree, else the platform's default; on OpenShift AI 2.x too; where the release is only assumed, a deprecated version is an info whose advice names the first release that serves the newer version, v1beta2 from 0.15, and says earlier ones refuse it); a v1beta2 ClusterQueue that writes v1beta1's spec.cohort or spec.admissionChecks, which v1beta2's schema lacks, is one error naming the v1beta2 field (spec.cohortName, spec.admissionChecksStrategy), said as field-unknown says an unknown field (a strict apply refuses the object), or, where Argo CD applies it with Validate=false, that the field is dropped and the cohort lost; for the rest the platform is one of the platform table (rhoai-3.0, rhoai-3.3, rhoai-3.4, kserve): LLMInferenceService and HardwareProfile versions, deploymentMode aliases, connection Secrets (a deploymentMode the platform does not know is deployment-mode's finding); an LLMInferenceService in v1alpha1 where the platform is only assumed and one of the platforms the tree may run on serves v1alpha1 alone (OpenShift AI 3.0–3.3, which refuse v1alpha2) is an info naming which platforms store v1alpha2 and which serve v1alpha1 alone, advising no change (with --platform, or a platform the tree tells, the advice is exact); on upstream KServe a tree that pins a release before 0.17 (v1alpha1 alone) is not judged",
  example: '`apiVersion: kueue.x-k8s.io/v1beta1` with `cohort: gpus` on Kueue 0.16 (Red Hat build of Kueue 1.3 stores v1beta2)',
  fix: 'write the version the platform stores, with its field names: kueue.x-k8s.io/v1beta2 with spec.cohortName and whenCanBorrow MayStopSearch; deploymentMode Standard on 3.4; LLMInferenceService v1alpha2 on OpenShift AI 3.4 and upstream KServe 0.17 and later (keep v1alpha1 on OpenShift AI 3.0–3.3); opendatahub.io/connection-type-protocol',
  source:
    "kubernetes-sigs/kueue v0.16.9 CRDs (v1beta1 deprecationWarning; v1beta2 cohortName and admissionChecksStrategy, no cohort or admissionChecks, whenCanBorrow enum); the API server's strict field validation (kubectl 1.27+ default: unknown field refused); KServe 0.16+ pkg/constants/constants.go (RawDeployment and Serverless are aliases); opendatahub-io/kserve odh-v3.4 LLMInferenceService CRD (v1alpha2 storage; odh-v3.0 serves v1alpha1 alone); kserve/kserve v0.17.0 config/crd/full/llmisvc/serving.kserve.io_llminferenceservices.yaml (v1alpha2 served and stored, v1alpha1 served; v0.16.0 serves v1alpha1 alone); opendatahub-operator v3.0.0 HardwareProfile CRD (v1alpha1 deprecated)",
  check(o, { platform, kueue, graph, platformAssumed, platformCandidates }) {
    const m = o.manifest;
    const apiVersion = text(m.apiVersion) ?? '';
    // Kueue's release is judged on its own, on OpenShift AI 2.x too (kueue-version.ts)
    if (KUEUE_KINDS.includes(String(m.kind)) && apiVersion.startsWith('kueue.x-k8s.io/')) return kueueProblems(o, kueue, graph);
    if (platform === 'rhoai-2') return [];
    const p = PLATFORMS[platform];
    if (m.kind === 'LLMInferenceService' && apiVersion.startsWith('serving.kserve.io/'))
      return llmInferenceServiceProblems(m, p, { graph, platformAssumed, platformCandidates });
    if (m.kind === 'InferenceService') return deploymentModeProblems(m, p, graph);
    if (m.kind === 'HardwareProfile' && apiVersion === 'infrastructure.opendatahub.io/v1alpha1' && p.apiVersions.HardwareProfile)
      return [{ message: `infrastructure.opendatahub.io/v1alpha1 is deprecated on ${p.label} (v1 is stored): write ${p.apiVersions.HardwareProfile}` }];
    if (m.kind === 'Secret') return secretProblems(m, p);
    return [];
  },
};
