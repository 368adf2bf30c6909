import { KUEUE_GROUP } from '../../k8s/keys';
import { groupVersionOf } from '../../k8s/api-version';
import { mapping, mappings, text } from '../../manifests/access';
import { PLATFORMS as PLATFORM_TABLE } from '../../platform/platform';
import { KUBERNETES_RELEASES, KUEUE_KINDS, releasesServing, ServedGroup, servedApis } from '../../platform/served-apis';
import type { UserInstalledOperator } from '../../platform/operator-releases';
import { PLATFORM_IDS, PlatformId } from '../../platform/platform';
import { editDistance } from '../../private/edit-distance';
import { CONFIG_FILE_GROUPS, ConfigFileFormat, isKubeconfig, KUBECONFIG_FORMAT } from '../../platform/config-file-apis';
import { deliverersOf } from '../argocd/application';
import { appliesObject } from '../script-delivery';
import type { GraphObject } from '../graph-object';
import { KUEUE_RELEASES, kueueRelease, RED_HAT_KUEUE } from '../../platform/kueue-releases';
import { kueueAssumption, kueueName } from '../kueue-version';
import { laterBuiltInApi, laterBuiltInVersions } from '../../platform/later-apis';
import { ANY_KIND, CheckContext, Problem, Rule } from '../rule';

/** The kind a misspelt one most likely meant: the served kind that differs only in case. */
function sameButCase(kind: string, kinds: readonly string[]): string | undefined {
  return kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
}

/** The served kind nearest a misspelt one: same but case, else the least edit distance within half the name's length. */
function nearestKind(kind: string, kinds: readonly string[]): string | undefined {
  const same = sameButCase(kind, kinds);
  if (same) return same;
  const [best] = kinds.map((k) => ({ k, d: editDistance(kind.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d);
  return best && best.d <= Math.floor(kind.length / 2) ? best.k : undefined;
}

/** What to write for a kind its group does not serve: the nearest kind, and the kinds the group serves. */
function kindAdvice(kind: string, kinds: readonly string[]): string {
  if (kinds.length === 1) return `it serves only ${kinds[0]}`;
  const meant = nearestKind(kind, kinds);
  const all = `it serves ${[...kinds].sort().join(', ')}`;
  return meant ? `write kind: ${meant} (${all})` : all;
}

/**
 * The apiVersion to write for a kind the platform serves, as written, in another group than the one named
 * (`apiVersion: v1, kind: ServiceMonitor` meant monitoring.coreos.com/v1): the kind is right and the group wrong, so
 * the nearest kind of the named group would be the wrong remedy. Undefined when no other group (or more than one) has it.
 */
function otherGroupAdvice(platform: PlatformId, group: string, kind: string): string | undefined {
  const others = [...servedApis(platform)].flatMap(([g, t]) => {
    const versions = g === group ? undefined : (t.kinds[kind] ?? t.addOns?.[kind]?.versions);
    return versions?.length ? [{ g, versions, by: t.kinds[kind] ? undefined : t.addOns?.[kind]?.by }] : [];
  });
  if (others.length !== 1) return undefined;
  const [{ g, versions, by }] = others;
  const write = versions.map((v) => (g ? `${g}/${v}` : v)).join(' or ');
  return `${kind} is a kind of ${g || 'the core group'}: write apiVersion: ${write}${by ? ` (served where ${by} is installed)` : ''}`;
}

/**
 * API groups whose kinds are the same on OpenShift AI 2.x as on every 3.x release: the operator's
 * datasciencecluster.opendatahub.io and dscinitialization.opendatahub.io each hold one kind (opendatahub-operator
 * v2.x and v3.x config/crd/bases: datasciencecluster.opendatahub.io_datascienceclusters.yaml,
 * dscinitialization.opendatahub.io_dscinitializations.yaml).
 */
const SAME_KINDS_ON_2X: ReadonlySet<string> = new Set(['datasciencecluster.opendatahub.io', 'dscinitialization.opendatahub.io']);

/** The OpenShift AI 3.x releases, whose served tables stand for 2.x's where a group's kinds are the same. */
const RHOAI_3 = PLATFORM_IDS.filter((p) => p !== 'kserve');

/**
 * A kind unknown in its group on OpenShift AI 2.x, which has no table of served APIs: judged where the group is closed
 * on every 3.x release and none serves the kind; an error where the group's kinds are the same on 2.x
 * (SAME_KINDS_ON_2X), else a warning, as 2.x may have served kinds 3.x removed.
 */
function unknownOn2x(kind: string, apiVersion: string, group: string): Problem[] {
  const tables = RHOAI_3.map((p) => servedApis(p).get(group));
  if (!tables.every((t) => t?.closed) || tables.some((t) => t!.kinds[kind] || t!.addOns?.[kind])) return [];
  const kinds = [...new Set(tables.flatMap((t) => Object.keys(t!.kinds)))];
  const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
  if (SAME_KINDS_ON_2X.has(group))
    return [{ message: `kind ${kind} is not served in ${group} on any OpenShift AI release, 2.x included: ${failure}; ${kindAdvice(kind, kinds)}` }];
  return [
    {
      severity: 'warning',
      message: `kind ${kind} is not served in ${group} on any OpenShift AI 3.x release, and 2.x's kinds of the group are not all known here: ${failure} unless 2.x serves it; ${kindAdvice(kind, kinds)} on 3.x`,
    },
  ];
}

/**
 * The platforms the tree may target, other than the judged one, that serve the kind in its group: where the platform
 * is only assumed, an unknown kind one of them serves is a warning (a group's kinds grow across releases).
 */
function servedElsewhere(ctx: CheckContext, group: string, kind: string): PlatformId[] {
  if (!ctx.platformAssumed) return [];
  const candidates = (ctx.platformCandidates ?? PLATFORM_IDS).filter((p): p is PlatformId => p !== ctx.platform && p !== 'rhoai-2');
  return candidates.filter((p) => !!servedApis(p).get(group)?.kinds[kind]);
}

/**
 * A known kind at a version the platform does not serve: an error, or a warning where the platform is only assumed and
 * another release the tree may target serves the version (the verdict rests on the assumption).
 */
function unservedVersion(ctx: CheckContext, platform: PlatformId, apiVersion: string, kind: string, versions: readonly string[]): Problem[] {
  const { group, version } = groupVersionOf(apiVersion);
  const write = versions.map((v) => (group ? `${group}/${v}` : v));
  const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
  const message = `${apiVersion} is not served for ${kind} on ${servingLabel(platform, write, kind)}: ${failure}; write ${write.join(' or ')}`;
  const candidates = ctx.platformAssumed ? (ctx.platformCandidates ?? PLATFORM_IDS).filter((p): p is PlatformId => p !== platform && p !== 'rhoai-2') : [];
  const elsewhere = candidates.filter((p) => !!servedApis(p).get(group)?.kinds[kind]?.includes(version));
  if (!elsewhere.length) return [{ message }];
  const label = PLATFORM_TABLE[platform].label;
  return [
    {
      severity: 'warning',
      message: `${message}. ${label} is assumed, and ${elsewhere.map((p) => PLATFORM_TABLE[p].label).join(', ')} serves it: state the cluster's release with --platform`,
    },
  ];
}

/**
 * A Kubernetes API version's rank, as apimachinery orders them (k8s.io/apimachinery pkg/version/helpers.go
 * CompareKubeAwareVersionStrings): GA above beta above alpha, then by number; undefined for another form.
 */
export function versionRank(version: string): [number, number, number] | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return undefined;
  return [Number(m[1]), m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[3] ?? 0)];
}

function olderThan(a: [number, number, number], b: [number, number, number]): boolean {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i !== -1 && a[i] < b[i];
}

/**
 * Kueue kinds whose version history is known before the releases the table holds: ClusterQueue, LocalQueue,
 * ResourceFlavor and Workload were v1alpha1/v1alpha2 up to Kueue 0.2 and v1beta1 only from 0.3 (kubernetes-sigs/kueue
 * v0.3.0 apis/kueue holds v1beta1 alone); Cohort and Topology are in the table from their first version.
 */
const KUEUE_HISTORY_KNOWN = ['ClusterQueue', 'LocalQueue', 'ResourceFlavor', 'Workload', 'Cohort', 'Topology'];

/**
 * Whether a Kueue kind's version is older than every version any known Kueue release serves for it: removed before
 * the oldest release the tool knows (v1alpha2), so no release any platform could run serves it, and API versions,
 * once removed, do not come back. A version newer than those served (a future v1) is not judged so.
 */
function removedFromKueue(kind: string, version: string): boolean {
  const rank = versionRank(version);
  if (!rank || !KUEUE_HISTORY_KNOWN.includes(kind)) return false;
  const served = KUEUE_RELEASES.flatMap((r) => {
    const release = kueueRelease(r)!;
    return release.kinds[kind] ?? release.served;
  });
  return served.every((v) => {
    const other = versionRank(v);
    return other !== undefined && olderThan(rank, other);
  });
}

/**
 * A version the assumed Kueue serves but older releases the tool knows do not (Cohort in v1beta1 from 0.13 only,
 * kubernetes-sigs/kueue #5595): the verdict rests on the assumption, so a warning naming the release it needs, where
 * the tree does not say which Kueue it runs on, on upstream KServe or an assumed platform. Silent where every known
 * release serves it, and where an OpenShift AI release is stated or shown (the Red Hat build it supports is judged).
 */
function laterOnly(kind: string, apiVersion: string, version: string, kueue: CheckContext['kueue']): Problem[] {
  const serves = (r: string) => (kueueRelease(r)!.kinds[kind] ?? kueueRelease(r)!.served).includes(version);
  const last = KUEUE_RELEASES.length - 1 - [...KUEUE_RELEASES].reverse().findIndex((r) => !serves(r));
  if (last === KUEUE_RELEASES.length || last === KUEUE_RELEASES.length - 1) return [];
  const needed = KUEUE_RELEASES[last + 1];
  const redHat = Object.keys(RED_HAT_KUEUE).find((k) => Number(RED_HAT_KUEUE[k].split('.')[1]) >= Number(needed.split('.')[1]));
  const older = (kueueRelease(KUEUE_RELEASES[last])!.kinds[kind] ?? kueueRelease(KUEUE_RELEASES[last])!.served).map((v) => `${KUEUE_GROUP}/${v}`).join(' or ');
  return [
    {
      severity: 'warning',
      message:
        `${apiVersion} ${kind} needs Kueue ${needed} or later${redHat ? ` (Red Hat build of Kueue ${redHat} or later)` : ''}: Kueue ${KUEUE_RELEASES[last]} serves ${kind} only as ${older}, and the apply fails there with "no matches for kind"; ` +
        `this tree does not say which Kueue it runs on. ${kueueAssumption(kueue)}`,
    },
  ];
}

/**
 * A Kueue kind in a version the judged Kueue does not serve: an error where the Kueue release was stated or told by
 * the tree, or where no known release serves it (removedFromKueue); a warning naming the assumption where only the
 * platform's default tells the release and another release serves it.
 */
function kueueVersionProblems(kind: string, apiVersion: string, version: string, { kueue, platform, platformAssumed }: CheckContext): Problem[] {
  if (!KUEUE_KINDS.includes(kind)) return [];
  // OpenShift AI 2.x's own Kueue: its kinds are not known by version, but none is older than Kueue 0.3
  const versions = kueue.apis.kinds?.[kind] ?? kueue.apis.served;
  // an OpenShift AI release the user states (or the tree shows) comes with the Red Hat build of Kueue it supports; upstream
  // KServe runs with any Kueue, so there the hedge stays
  const hedged = platformAssumed || platform === 'kserve';
  if (versions.includes(version)) return kueue.source === 'default' && hedged && kueue.apis.kinds ? laterOnly(kind, apiVersion, version, kueue) : [];
  const write = versions.map((v) => `kueue.x-k8s.io/${v}`).join(' or ');
  if (removedFromKueue(kind, version)) {
    return [
      {
        message:
          `${apiVersion} is not served for ${kind} by any Kueue release since ${KUEUE_RELEASES[0]} (the v1alpha versions of Kueue's core kinds were removed in Kueue 0.3): ` +
          `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\"" whatever release the cluster runs; write ${write}`,
      },
    ];
  }
  if (!kueue.apis.kinds) return [];
  const assumed = kueue.source === 'default';
  return [
    {
      severity: assumed ? 'warning' : 'error',
      message:
        `${apiVersion} is not served for ${kind} by ${kueueName(kueue)}${assumed ? '' : ` (${kueue.reason})`}: the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write ${write}` +
        (assumed ? `. ${kueueAssumption(kueue)}` : ''),
    },
  ];
}

/**
 * A component's configuration file delivered as an object: refused by every API server. An error where the tree
 * delivers it (a kustomization builds it, an Argo CD Application syncs it, a script of the tree applies it); otherwise
 * it is the file its component reads (kept for reference, or given to the component by hand): a note saying so, and
 * silent for a cluster-creation tool's file or a kubeconfig, which nothing applies.
 */
function configFileProblems(o: GraphObject, { graph }: CheckContext, format: ConfigFileFormat, what: string): Problem[] {
  const delivered = !!o.kustomizations?.length || deliverersOf(o, graph).length > 0 || graph.scriptApplied.some((a) => appliesObject(a, o));
  const refused = `${what} is the format of ${format.reader}, not an API: no API server serves it`;
  if (delivered) return [{ message: `${refused}, and the apply fails with "no matches for kind"; ${format.instead}` }];
  // a cluster-creation configuration (kind, k3d) is read before the cluster exists, a kubeconfig by the client that
  // reaches the cluster: the tool's file, nothing to say
  if (format.createsCluster || format.clientFile) return [];
  return [
    {
      severity: 'info',
      message:
        `${refused}; no kustomization, Application or script of the tree applies this file, so it is the component's configuration, not an object to apply ` +
        `(applied, it fails with "no matches for kind"): ${format.instead}`,
    },
  ];
}

/**
 * A built-in kind served by some of the Kubernetes releases the platform runs and not by others (resource.k8s.io/v1,
 * GA in 1.34, on OpenShift AI 3.x, which supports OpenShift 4.19–4.21): a warning naming the releases that refuse it,
 * the version all serve if one does, and the oldest release that serves it.
 */
function partlyServed(platform: PlatformId, apiVersion: string, kind: string, served: readonly string[], group: string): Problem[] {
  const serving = releasesServing(platform, apiVersion, kind);
  const all = KUBERNETES_RELEASES[platform];
  if (!serving || serving.length === all.length || !serving.length) return [];
  const refusing = all.filter((r) => !serving.includes(r));
  const everywhere = served.filter((v) => {
    const other = group ? `${group}/${v}` : v;
    return other !== apiVersion && releasesServing(platform, other, kind)?.length === all.length;
  });
  const write = everywhere.length ? `write ${everywhere.map((v) => (group ? `${group}/${v}` : v)).join(' or ')}, which all serve, or ` : '';
  const newer = serving[0] === all[all.length - serving.length];
  return [
    {
      severity: 'warning',
      message:
        `${apiVersion} ${kind} is served by ${serving.map((r) => r.label).join(', ')} but not by ${refusing.map((r) => r.label).join(', ')}, which ${PLATFORM_TABLE[platform].label} also runs on: ` +
        `there the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; ${write}` +
        (newer ? `deploy only to ${serving[0].label} or later` : `deploy only to ${serving[serving.length - 1].label} or earlier`),
    },
  ];
}

/**
 * Who serves a kind: a built-in kind (ResourceClaim of resource.k8s.io) is the Kubernetes release's, so the message
 * names the Kubernetes the platform is judged to run, not its KServe or Kueue; any other kind the platform's.
 */
function servingLabel(platform: PlatformId, served: readonly string[], kind: string): string {
  if (!served.some((apiVersion) => releasesServing(platform, apiVersion, kind) !== undefined)) return PLATFORM_TABLE[platform].label;
  const releases = KUBERNETES_RELEASES[platform].map((r) => r.label);
  const on = platform === 'kserve' ? 'upstream KServe' : PLATFORM_TABLE[platform].label.split(' (')[0];
  return `${releases.join(', ')} (the Kubernetes ${releases.length > 1 ? 'releases' : 'release'} ${on} is judged on)`;
}

/**
 * A kind or version of a user-installed operator's group (Karpenter, LeaderWorkerSet, the Gateway API Inference Extension, JobSet) that the release whose CRDs the tool ships does
 * not serve: a warning, as the cluster runs a release the tree does not show. It names the older releases that served
 * it (karpenter.sh/v1beta1: v0.30 to v1.0) and the versions the derived release serves; a kind the tool knows no
 * release of (another add-on's, an alpha kind behind a feature gate) is not judged.
 */
function operatorReleaseProblems(
  kind: string,
  apiVersion: string,
  version: string,
  group: string,
  served: ServedGroup,
  operator: UserInstalledOperator,
): Problem[] {
  const versions = served.kinds[kind];
  if (versions?.includes(version)) return [];
  const former = operator.former[kind]?.[version];
  if (!versions && !former) return removedKindProblems(kind, apiVersion, group, served, operator);
  const name = `${operator.operator} ${operator.release}`;
  const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
  const successor = operator.replacedBy?.[kind];
  const newVersions = versions ?? (successor ? served.kinds[successor] : undefined);
  const write = newVersions
    ? `; write ${newVersions.map((v) => `${group}/${v}`).join(' or ')}${successor ? ` ${successor}, which replaced it` : ''}, as later releases serve it, with that version's fields`
    : '';
  const servedBy = former ? `${operator.operator} ${former} served it` : `no ${operator.operator} release the tool knows serves it, a later one may`;
  return [
    {
      severity: 'warning',
      message: `${apiVersion} ${kind} is not served by ${name}, the newest release the tool knows; ${servedBy}. On a cluster whose ${operator.operator} does not serve it ${failure}${write}`,
    },
  ];
}

/**
 * A kind an operator removed (Karpenter's Provisioner), written under a version none of its releases served it in
 * (karpenter.sh/v1beta1 Provisioner): no release serves it and none will, so the apply fails on any cluster: an error.
 */
function removedKindProblems(kind: string, apiVersion: string, group: string, served: ServedGroup, operator: UserInstalledOperator): Problem[] {
  const history = operator.former[kind];
  const successor = operator.replacedBy?.[kind];
  if (!history || !successor) return [];
  const was = Object.entries(history)
    .map(([v, releases]) => `${group}/${v} (${releases})`)
    .join(', ');
  const then = Object.entries(operator.former)
    .filter(([k, vs]) => k !== kind && vs[groupVersionOf(apiVersion).version])
    .map(([k]) => k);
  const instead = then.length ? `, and ${apiVersion} served ${then.join(' and ')}` : '';
  const write = (served.kinds[successor] ?? []).map((v) => `${group}/${v}`).join(' or ');
  return [
    {
      message:
        `${apiVersion} ${kind} is served by no ${operator.operator} release: ${kind} was served only as ${was} before ${successor} replaced it${instead}; ` +
        `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\"" whatever release the cluster runs; write ${write || group} ${successor}, with that version's fields`,
    },
  ];
}

/**
 * The OpenShift AI 2.x dashboard kinds that 3.0 replaced with infrastructure.opendatahub.io HardwareProfile (OpenShift AI
 * 3.0 release notes): odh-dashboard v3.0.0 no longer ships their CRDs (manifests/common/crd, removed by #5140), and where
 * one lingers from a 2.x install the operator's deprecation webhook denies create and update (opendatahub-operator
 * v3.0.0 internal/webhook/dashboard, deprecation.TypeValidator: "… is not supported, please use …").
 */
const REPLACED_ON_3X: Readonly<Record<string, string>> = {
  'dashboard.opendatahub.io/v1 AcceleratorProfile': 'dashboard.opendatahub.io/AcceleratorProfile',
  'dashboard.opendatahub.io/v1alpha1 HardwareProfile': 'dashboard.opendatahub.io/HardwareProfile',
};

/**
 * A 2.x dashboard kind on an OpenShift AI 3.x release: an error where the release is stated or every release the tree
 * may target is a 3.x one, a warning naming the assumption where 2.x may be meant.
 */
function replacedOn3x(kind: string, apiVersion: string, ctx: CheckContext): Problem[] {
  const denied = REPLACED_ON_3X[`${apiVersion} ${kind}`];
  if (!denied || ctx.platform === 'kserve' || ctx.platform === 'rhoai-2') return [];
  const label = PLATFORM_TABLE[ctx.platform].label;
  const message =
    `${apiVersion} ${kind} was removed in OpenShift AI 3.0, where hardware profiles replace it: ${label} ships no CRD for it, so the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\"", ` +
    `and where the CRD lingers from a 2.x install the operator's webhook denies it ("${denied} is not supported, please use infrastructure.opendatahub.io/HardwareProfile"); write an infrastructure.opendatahub.io/v1 HardwareProfile`;
  const candidates = ctx.platformAssumed ? (ctx.platformCandidates ?? PLATFORM_IDS) : [ctx.platform];
  if (candidates.every((p) => p !== 'kserve' && p !== 'rhoai-2')) return [{ message }];
  return [
    { severity: 'warning', message: `${message}. ${label} is assumed; on OpenShift AI 2.x the kind is served: state the cluster's release with --platform` },
  ];
}

/**
 * A built-in kind the Kubernetes releases the platform is judged on do not serve but a later release does (Workload
 * and PodGroup of scheduling.k8s.io/v1alpha2, Kubernetes 1.36 behind the GenericWorkload gate): a warning naming the
 * release and the gate, as the cluster may run it. The kind written at another version of the group: an error where
 * the version is older than every one that serves it (none ever did, and none will), a warning where it is newer
 * (a release after those the tool knows may). Undefined where the kind is no later built-in one.
 */
function laterBuiltInProblems(platform: PlatformId, apiVersion: string, group: string, version: string, kind: string): Problem[] | undefined {
  const judged = KUBERNETES_RELEASES[platform].map((r) => r.label).join(', ');
  const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
  const api = laterBuiltInApi(apiVersion, kind);
  if (api) {
    const gated = api.gate
      ? ` as an alpha API, served only where the API server enables the ${api.gate} feature gate and --runtime-config=${apiVersion}=true`
      : '';
    return [
      {
        severity: 'warning',
        message: `${apiVersion} ${kind} is served from Kubernetes ${api.since}${gated}; ${judged} does not serve it, and there ${failure}: deploy to Kubernetes ${api.since} or later with ${api.gate ? `the ${api.gate} gate` : 'it'} enabled`,
      },
    ];
  }
  const versions = laterBuiltInVersions(group, kind);
  if (!versions.length) return undefined;
  const rank = versionRank(version);
  const newer = !rank || versions.some((v) => olderThan(versionRank(groupVersionOf(v).version)!, rank));
  const where = versions
    .map((v) => {
      const { since, gate } = laterBuiltInApi(v, kind)!;
      return `${v} (Kubernetes ${since}${gate ? `, alpha behind the ${gate} gate` : ''})`;
    })
    .join(' and ');
  if (newer)
    return [
      {
        severity: 'warning',
        message: `${apiVersion} ${kind} is served by no Kubernetes release the tool knows, a later one may: ${kind} of ${group} is served as ${where}; where the cluster does not serve it ${failure}`,
      },
    ];
  return [
    {
      message: `${apiVersion} ${kind} is served by no Kubernetes release: ${kind} of ${group} is served only as ${where}, and ${failure} whatever release the cluster runs; write ${versions.join(' or ')}`,
    },
  ];
}

/**
 * Whether a CustomResourceDefinition of the input serves the kind at the version written: applied with the tree, it is
 * the API server's own definition of the kind (apiextensions.k8s.io/v1 CustomResourceDefinitionSpec.versions[].served;
 * v1beta1's spec.version), whatever the platform's tables say: a chart or install bundle that brings its CRDs (a
 * chart's crds/ folder included) serves its kinds itself.
 */
function servedByInputCrd(graph: CheckContext['graph'], group: string, kind: string, version: string): boolean {
  return graph.crdsDefining(group, kind).some((c) => {
    const spec = mapping(c.manifest.spec);
    if (text(spec.version) === version) return true;
    return mappings(spec.versions).some((v) => text(v.name) === version && v.served !== false);
  });
}

export const kindNotServed: Rule = {
  id: 'kind-not-served',
  title: "an apiVersion and kind the platform's API server does not serve (a kind unknown in its group, a version no longer served): the apply fails",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the object's API group is one the platform data knows: Kubernetes' own groups, Kueue, KServe and OpenShift AI's operator groups are judged whole (an unknown kind is an error naming the group's kinds and the nearest; a warning where the platform is only assumed and another release the tree may target serves it; on OpenShift AI 2.x, whose table of APIs is not shipped, a kind none of the 3.x releases serves in a group closed on all of them is an error in the groups whose kinds 2.x shares, datasciencecluster and dscinitialization, else a warning); the other groups of the platform's shipped CRDs (Argo CD, MachineSet, KEDA, prometheus-operator) only by the versions of their known kinds; the groups of operators the cluster's owner installs at a release the tree does not show (Karpenter, LeaderWorkerSet, the Gateway API Inference Extension, JobSet) by the newest release the tool derived, where a version or kind it does not serve is a warning naming the older releases that served it (karpenter.sh/v1beta1: v0.30 to v1.0), and a removed kind under a version none of its releases served it in (karpenter.sh/v1beta1 Provisioner, served only as v1alpha5) an error; groups the tool knows nothing of (other operators' CRDs) are not judged; a kind and version a CustomResourceDefinition of the input serves (an install bundle's or a chart's crds/ folder) is served whatever the platform's tables say; a known kind at a version the platform does not serve is an error, a warning where the platform is only assumed and another release the tree may target serves the version; the 2.x dashboard kinds OpenShift AI 3.0 replaced with HardwareProfile (dashboard.opendatahub.io/v1 AcceleratorProfile, /v1alpha1 HardwareProfile) are an error on a 3.x release (no CRD on a 3.x install; the operator's webhook denies them where one lingers), a warning where 3.x is only assumed and 2.x remains possible; a kind an add-on puts in a judged group (ModelMesh's Predictor in serving.kserve.io on upstream KServe) is a warning. Kubernetes' own groups are judged against the releases the platform runs (OpenShift AI 3.x: OpenShift 4.19–4.21, Kubernetes 1.32–1.34; upstream KServe: the newest the tool knows, 1.34): a version some of them serve and others do not is a warning naming the oldest that serves it; a built-in version only a later Kubernetes serves (scheduling.k8s.io/v1alpha2 Workload and PodGroup: Kubernetes 1.36, alpha behind the GenericWorkload gate) is a warning naming the release and the gate, the same kind at an older version of the group, which no release served, an error; the file formats of components' configuration (config.kueue.x-k8s.io, kubelet.config.k8s.io, …) are served by no API server: an error where the tree delivers one (a kustomization's resources, an Application's source, a script or README step that applies it), else a note that the file is the component's configuration (kept for reference or given to it by hand), silent for a cluster-creation file (kind's, k3d's or eksctl's, read before any API server exists); a kubeconfig (`apiVersion: v1`, `kind: Config` with clusters, contexts, users or current-context: client-go clientcmd v1 Config) is a client's file judged the same way, an error where the tree delivers it and silent where it lies loose; a file a script gives its tool (kind create cluster --config, helm -f) is set aside by the reader. Kueue versions are judged against the run's Kueue release (--kueue, the project file's kueue, a kueue-operator Subscription's channel or startingCSV, an Argo CD Application of Kueue's Helm chart, the release the tree's kustomizations, scripts, READMEs or Terraform install, the one the delivery applies where they disagree, or v1beta2 objects in the tree), on OpenShift AI 2.x too; where only a default tells it, an unserved version is a warning, and so is one the assumed release serves but an older release does not (Cohort in v1beta1 needs Kueue 0.13) on upstream KServe or where the platform too is assumed, unless no Kueue release the tool knows serves it and it is older than all they serve (`kueue.x-k8s.io/v1alpha2`, removed in Kueue 0.3): an error on every platform",
  example: '`apiVersion: datasciencecluster.opendatahub.io/v1` with `kind: DataScienceProject`',
  fix: 'write a kind and version the platform serves (a data science project is a Namespace labelled opendatahub.io/dashboard: "true"; a kind another group serves, such as ServiceMonitor, with that group\'s apiVersion), or install the operator that serves it before sync',
  source:
    'the API server serves only the kinds of its groups and CRDs, a CRD applied with the tree included (apiextensions.k8s.io/v1 CustomResourceDefinitionSpec.versions[].served; kubectl: "no matches for kind … in version …"; Argo CD: "the server could not find the requested resource"); Kubernetes 1.32–1.34 built-in APIs from the cdk8s-plus-32/33/34 bindings (scripts/derive-k8s-served.js); kubernetes/kubernetes staging/src/k8s.io/api/scheduling/v1alpha2/register.go and pkg/features/kube_features.go (GenericWorkload, alpha from 1.35), KEP-4671 and KEP-5832; KServe CRDs at the releases of the platform table; odh-dashboard v3.0.0 manifests/common/crd (no AcceleratorProfile CRD) and opendatahub-operator v3.0.0 internal/webhook/dashboard (deprecation webhooks for the dashboard group\'s AcceleratorProfile and HardwareProfile); kserve/modelmesh-serving config/crd/bases/serving.kserve.io_predictors.yaml; kubernetes-sigs/kueue CRDs v0.11–v0.18 and openshift/kueue-operator release branches (Red Hat build of Kueue 1.N → Kueue 0.M)',
  check(o, ctx) {
    const { platform } = ctx;
    const m = o.manifest;
    const apiVersion = text(m.apiVersion);
    const kind = text(m.kind);
    if (!apiVersion || !kind) return [];
    const { group, version } = groupVersionOf(apiVersion);
    if (group && servedByInputCrd(ctx.graph, group, kind, version)) return [];
    const configFile = isKubeconfig(m) ? KUBECONFIG_FORMAT : CONFIG_FILE_GROUPS[group];
    if (configFile) return configFileProblems(o, ctx, configFile, `${apiVersion} ${kind}`);
    const replaced = replacedOn3x(kind, apiVersion, ctx);
    if (replaced.length) return replaced;
    // Kueue's release is judged on its own: on OpenShift AI 3.x it is a separate operator (kueue-version.ts)
    if (group === KUEUE_GROUP) {
      const problems = kueueVersionProblems(kind, apiVersion, version, ctx);
      if (problems.length || platform === 'rhoai-2' || KUEUE_KINDS.includes(kind)) return problems;
    }
    if (platform === 'rhoai-2') return group.includes('.') ? unknownOn2x(kind, apiVersion, group) : [];
    const later = laterBuiltInProblems(platform, apiVersion, group, version, kind);
    if (later) return later;
    const served = servedApis(platform).get(group);
    if (!served) return [];
    if (served.installedBy) return operatorReleaseProblems(kind, apiVersion, version, group, served, served.installedBy);
    const label = PLATFORM_TABLE[platform].label;
    const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
    const addOn = served.kinds[kind] ? undefined : served.addOns?.[kind];
    if (addOn?.versions.includes(version)) {
      return [
        {
          severity: 'warning',
          message: `kind ${kind} of ${group} is served when ${addOn.by} is installed, not by ${label} alone: install ${addOn.by} before sync, or ${failure}`,
        },
      ];
    }
    const versions = served.kinds[kind] ?? addOn?.versions;
    if (!versions) {
      if (!served.closed) return [];
      const message = `kind ${kind} is not served in ${group || 'the core group'} on ${label}: ${failure}; ${otherGroupAdvice(platform, group, kind) ?? kindAdvice(kind, Object.keys(served.kinds))}`;
      const elsewhere = servedElsewhere(ctx, group, kind);
      if (elsewhere.length)
        return [
          {
            severity: 'warning',
            message: `${message}. ${label} is assumed, and ${elsewhere.map((p) => PLATFORM_TABLE[p].label).join(', ')} serves it: state the cluster's release with --platform`,
          },
        ];
      return [{ message } satisfies Problem];
    }
    if (versions.includes(version)) return partlyServed(platform, apiVersion, kind, versions, group);
    return unservedVersion(ctx, platform, apiVersion, kind, versions);
  },
};
