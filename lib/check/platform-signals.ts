import { groupVersionOf } from '../k8s/api-version';
import type { PlatformMark } from '../manifests/script-platform';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { isMapping, Loose, mapping, stringMap, text } from '../manifests/access';
import { rhoaiChannelLine } from '../platform/operator-channels';
import { DSC_SCHEMAS, DscPlatform } from './dsc-components';
import { PlatformId } from '../platform/platform';
import type { KserveInstall } from './kserve-installs';

/** A platform `check` judges for (the same union as platform.ts's `Platform`, which imports this module). */
type Candidate = 'rhoai-2' | PlatformId;

/**
 * How much a signal weighs when signals disagree: the operator Subscription names the release installed (a floating
 * channel, `stable` or `fast`, only the line it serves today, weaker than what the objects were written for), the
 * DataScienceCluster's version its major release, image tags the release they were built for, OpenShift and
 * OpenShift AI marks only the family, other clouds' and upstream marks the family off OpenShift, and an API version
 * only which releases serve it. A weaker signal that contradicts the stronger ones is overruled and named.
 */
export enum Weight {
  /** A command in documentation (a README's `oc patch`): what the manifests say weighs more than what a page shows. */
  DOCUMENT = -1,
  /**
   * A leftover of an earlier generation, which weighs less than a value only a later one accepts: annotations another
   * mode ignores (Knative's on an InferenceService that does not name Serverless), or a kind a later release replaced
   * (the dashboard's AcceleratorProfile, gone in OpenShift AI 3.0), which a tree moving to that release often keeps,
   * applied where it may fail, while an API only the later release serves cannot have been written for the earlier one.
   */
  LEFTOVER = 0,
  API = 1,
  UPSTREAM = 2,
  OPENSHIFT = 3,
  /** `stable` or `fast`: the line they serve today (2.x), which the objects written for another line contradict. */
  FLOATING_CHANNEL = 4,
  IMAGE_TAG = 5,
  /**
   * The tree installs upstream KServe itself (its chart, its release manifests): what serves the objects is said
   * outright, which outweighs a namespace's name, a client's name in a script or an image built elsewhere; an OpenShift
   * AI operator the tree installs too (its DataScienceCluster, its Subscription) outweighs it.
   */
  KSERVE_INSTALL = 6,
  DSC_VERSION = 7,
  /** Keys of a DataScienceCluster that only later releases have: they tell the release whatever its API version. */
  DSC_KEYS = 8,
  CHANNEL = 9,
  STARTING_CSV = 10,
}

/** What one object says about the platform: the platforms it can run on, why, and how much that weighs. */
export interface Signal {
  readonly candidates: readonly Candidate[];
  readonly says: string;
  readonly weight: Weight;
  /** Whether the signal places the tree on OpenShift (true) or off it (false); undefined when it says neither. */
  readonly onOpenShift?: boolean;
}

export const RHOAI: readonly Candidate[] = ['rhoai-2', 'rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'];
const RHOAI_3: readonly Candidate[] = ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'];
const NEW_KSERVE: readonly Candidate[] = ['rhoai-3.4', 'kserve'];
/** OpenShift itself: OpenShift AI, or upstream KServe installed on OpenShift. */
const OPENSHIFT: readonly Candidate[] = [...RHOAI, 'kserve'];

/**
 * The platform of the tool nearest to an OpenShift AI release, never newer than it (a release between two the tool
 * knows serves at least what the older one does): 2.x → rhoai-2, 3.0–3.2 → rhoai-3.0, 3.3 → rhoai-3.3, 3.4 and
 * later → rhoai-3.4.
 */
export function platformOfRelease(major: number, minor: number): Candidate | undefined {
  if (major === 2) return 'rhoai-2';
  if (major < 3) return undefined;
  if (major > 3 || minor >= 4) return 'rhoai-3.4';
  return minor === 3 ? 'rhoai-3.3' : 'rhoai-3.0';
}

/** A release written as `2.16`, `v2.19.1`, `rhoai-2.16-cuda`, `stable-3.4`: the platform nearest to it. */
function releaseIn(s: string): Candidate | undefined {
  const m = /^(?:[a-z]+-)?v?(\d+)\.(\d+)(?:[.-]|$)/.exec(s);
  return m ? platformOfRelease(Number(m[1]), Number(m[2])) : undefined;
}

const OPERATORS = ['rhods-operator', 'opendatahub-operator'];

/**
 * An OpenShift AI (or Open Data Hub) operator Subscription: `startingCSV` names the release installed
 * (`rhods-operator.2.9.1`); the channel names a release (`stable-2.16`), a major line (`stable-3.x`, `fast-3.x`,
 * `eus-2.x`) or, for rhods-operator's `stable` and `fast`, the 2.x line they stayed on (operator-channels.ts rhoaiChannelLine).
 */
function subscriptionSignals(m: Loose, id: string): Signal[] {
  if (m.kind !== 'Subscription' || !String(m.apiVersion ?? '').startsWith('operators.coreos.com/')) return [];
  const spec = mapping(m.spec);
  const name = text(spec.name) ?? '';
  if (!OPERATORS.includes(name)) return [];
  const out: Signal[] = [{ candidates: RHOAI, says: `${id} subscribes to ${name}`, weight: Weight.OPENSHIFT }];
  const csv = text(spec.startingCSV);
  const fromCsv = csv?.startsWith(`${name}.`) ? releaseIn(csv.slice(name.length + 1)) : undefined;
  if (fromCsv) out.push({ candidates: [fromCsv], says: `${id} starts at ${csv} (${fromCsv})`, weight: Weight.STARTING_CSV });
  const channel = text(spec.channel);
  const signal = channel ? channelSignal(name, channel) : undefined;
  if (signal) out.push({ ...signal, says: `${id} follows channel ${channel} (${signal.candidates.join(', ')})` });
  return out;
}

/** What an OpenShift AI operator channel tells: a release, a major line, or (rhods-operator's stable and fast) the 2.x line they serve. */
function channelSignal(name: string, channel: string): Omit<Signal, 'says'> | undefined {
  const line = /-(\d+)\.x$/.exec(channel);
  const major = line ? (line[1] === '2' ? ['rhoai-2' as const] : line[1] === '3' ? RHOAI_3 : undefined) : undefined;
  const release = major ? undefined : releaseIn(channel);
  const candidates = major ?? (release ? [release] : undefined);
  if (candidates) return { candidates, weight: Weight.CHANNEL };
  if (name === 'rhods-operator' && rhoaiChannelLine(channel)?.floating) return { candidates: ['rhoai-2'], weight: Weight.FLOATING_CHANNEL };
  return undefined;
}

/**
 * The releases that have a DataScienceCluster's component key (`aipipelines`, `mlflowoperator`: no 2.x release has
 * them) or a component's field added after 3.0 (`kserve.modelsAsService` in 3.3, `kserve.wva` in 3.4), by the tables
 * of dsc-components.ts (opendatahub-operator api/datasciencecluster v1 and v2); undefined for a key every release has.
 */
function releasesWith(component: string, field?: string): DscPlatform[] | undefined {
  const has = (p: DscPlatform) =>
    Object.values(DSC_SCHEMAS[p]).some((v) => (field === undefined ? component in v.components : (v.components[component] ?? []).includes(field)));
  const all = Object.keys(DSC_SCHEMAS) as DscPlatform[];
  // 2.x's component fields are not tabled: a field is a later release's only when 3.0 lacks it too
  if (field !== undefined && has('rhoai-3.0')) return undefined;
  const releases = all.filter(has);
  return releases.length && releases.length < all.length ? releases : undefined;
}

/**
 * A DataScienceCluster's keys that only some releases have: the strongest of them, with its releases. OpenShift AI
 * 3.x serves v1 as well (its schema frozen, converted to v2), so a v1 object with a 3.x key was written for 3.x.
 */
function dscKeySignal(m: Loose, id: string): Signal | undefined {
  if (m.kind !== 'DataScienceCluster') return undefined;
  let best: { key: string; releases: DscPlatform[] } | undefined;
  for (const [component, spec] of Object.entries(mapping(mapping(m.spec).components))) {
    const keys = [{ key: component, releases: releasesWith(component) }];
    for (const field of Object.keys(mapping(spec))) keys.push({ key: `${component}.${field}`, releases: releasesWith(component, field) });
    for (const k of keys) if (k.releases && (!best || k.releases.length < best.releases.length)) best = { key: k.key, releases: k.releases };
  }
  if (!best) return undefined;
  return { candidates: best.releases, says: `${id} sets spec.components.${best.key} (${best.releases.join(', ')})`, weight: Weight.DSC_KEYS };
}

/** DataScienceCluster and DSCInitialization v1 are OpenShift AI 2.x's; v2 came with 3.0 (opendatahub-operator docs/api-overview.md). */
function operatorApiSignals(m: Loose, id: string): Signal[] {
  const { group, version } = groupVersionOf(m.apiVersion);
  const dsc = m.kind === 'DataScienceCluster' && group === 'datasciencecluster.opendatahub.io';
  const dsci = m.kind === 'DSCInitialization' && group === 'dscinitialization.opendatahub.io';
  if (!dsc && !dsci) return [];
  const keys = dsc ? dscKeySignal(m, id) : undefined;
  // a key only 3.x has outweighs v1, which 3.x serves too
  if (keys)
    return [keys, ...(version === 'v2' ? [{ candidates: RHOAI_3, says: `${id} is ${m.apiVersion} (OpenShift AI 3.x)`, weight: Weight.DSC_VERSION }] : [])];
  if (version === 'v1') return [{ candidates: ['rhoai-2'], says: `${id} is ${m.apiVersion} (OpenShift AI 2.x)`, weight: Weight.DSC_VERSION }];
  if (version === 'v2') return [{ candidates: RHOAI_3, says: `${id} is ${m.apiVersion} (OpenShift AI 3.x)`, weight: Weight.DSC_VERSION }];
  return [];
}

/** Every `image` string in an object, wherever its pod templates or runtime containers hold it. */
export function imagesIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) imagesIn(x, out);
  if (!isMapping(v)) return out;
  // keys, then each value (no pair per entry): every object of the tree is walked whole
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (k === 'image' && typeof x === 'string') out.push(x);
    else imagesIn(x, out);
  }
  return out;
}

/** Images OpenShift AI and Open Data Hub build: quay.io/modh/* (tagged `rhoai-2.16`), registry.redhat.io/rhoai/* (tagged `v2.19`); not quay.io/opendatahub/*, which upstream KServe samples use too. */
const RHOAI_IMAGE = /^(?:quay\.io\/modh|registry\.redhat\.io\/rhoai)\//;
/**
 * A tag that names the platform's release: `rhoai-2.16`, `rhoai-2.20-cuda` (quay.io/modh), `v2.19`, `v3.3.0`
 * (registry.redhat.io/rhoai). A bare version is the component's own (quay.io/modh/ray:2.35.0-py311-cu121 is Ray
 * 2.35), which says only that the image is OpenShift AI's build, not which release.
 */
function platformTag(image: string, tag: string): boolean {
  return /^(?:rhoai|odh)-v?\d+\.\d+/.test(tag) || (image.startsWith('registry.redhat.io/rhoai/') && /^v\d+\.\d+/.test(tag));
}

/** Upstream KServe's and Knative's own images: OpenShift AI ships its own builds of both. */
const UPSTREAM_IMAGE = /^(?:(?:docker\.io\/|index\.docker\.io\/|quay\.io\/)?kserve\/|gcr\.io\/knative-releases\/)/;

/** OpenShift's internal image registry, as pods reach it (the image-registry Service of openshift-image-registry). */
const OPENSHIFT_REGISTRY = /^image-registry\.openshift-image-registry\.svc(?:\.cluster\.local)?(?::\d+)?\//;

function imageSignals(m: Loose, id: string): Signal[] {
  const out: Signal[] = [];
  for (const image of new Set(imagesIn(m.spec))) {
    if (RHOAI_IMAGE.test(image)) {
      const tag = /:([^/@]+)(?:@.*)?$/.exec(image)?.[1];
      const release = tag && platformTag(image, tag) ? releaseIn(tag) : undefined;
      if (release) out.push({ candidates: [release], says: `${id} runs ${image} (${release})`, weight: Weight.IMAGE_TAG });
      else out.push({ candidates: RHOAI, says: `${id} runs OpenShift AI's image ${image}`, weight: Weight.OPENSHIFT });
    } else if (UPSTREAM_IMAGE.test(image)) {
      out.push({ candidates: ['kserve'], says: `${id} runs the upstream image ${image}`, weight: Weight.UPSTREAM });
    } else if (OPENSHIFT_REGISTRY.test(image)) {
      out.push({ candidates: OPENSHIFT, says: `${id} pulls ${image} from OpenShift's internal registry`, weight: Weight.OPENSHIFT, onOpenShift: true });
    }
  }
  return out;
}

/** What an API version says: the deployment-mode names, LLMInferenceService, HardwareProfile and ClusterServingRuntime. */
function apiSignals(m: Loose, id: string): Signal[] {
  const apiVersion = text(m.apiVersion) ?? '';
  const out: Signal[] = [];
  const mode = stringMap(mapping(m.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  // KServe 0.16 (Open Data Hub 3.4) introduced Standard and Knative (pkg/constants/constants.go)
  if (m.kind === 'InferenceService' && (mode === 'Standard' || mode === 'Knative'))
    out.push({ candidates: NEW_KSERVE, says: `${id} writes deploymentMode ${mode} (a KServe 0.16+ name)`, weight: Weight.API });
  // no Kueue signal: on OpenShift AI 3.x Kueue is the separately installed Red Hat build, whose release says nothing of
  // the platform's (kueue-version.ts judges the Kueue release on its own).
  // LLMInferenceService and LLMInferenceServiceConfig v1alpha2 are served by upstream KServe 0.16+ and Open Data Hub 3.4
  // on (odh-v3.4 CRDs serving.kserve.io_llminferenceservices.yaml, serving.kserve.io_llminferenceserviceconfigs.yaml)
  if ((m.kind === 'LLMInferenceService' || m.kind === 'LLMInferenceServiceConfig') && apiVersion === 'serving.kserve.io/v1alpha2')
    out.push({ candidates: NEW_KSERVE, says: `${id} is serving.kserve.io/v1alpha2 (KServe 0.16+, OpenShift AI 3.4+)`, weight: Weight.API });
  // HardwareProfile moved to infrastructure.opendatahub.io in 3.0; the dashboard's group and AcceleratorProfile are 2.x
  if (m.kind === 'HardwareProfile' && apiVersion === 'infrastructure.opendatahub.io/v1')
    out.push({ candidates: RHOAI_3, says: `${id} is infrastructure.opendatahub.io/v1 (OpenShift AI 3.x)`, weight: Weight.API });
  if ((m.kind === 'HardwareProfile' || m.kind === 'AcceleratorProfile') && apiVersion.startsWith('dashboard.opendatahub.io/'))
    out.push({ candidates: ['rhoai-2'], says: `${id} is ${apiVersion} (OpenShift AI 2.x, replaced in 3.0)`, weight: Weight.LEFTOVER });
  return out;
}

/** The annotation opendatahub-operator writes on the objects it deploys: the platform release that made them. */
const PLATFORM_VERSION_ANNOTATION = 'platform.opendatahub.io/version';

/**
 * What the operator's own stamps say: its platform.opendatahub.io/version annotation (a release, `3.3.0`), and
 * ModelMesh (an InferenceService's deploymentMode ModelMesh, a Namespace labelled modelmesh-enabled), which OpenShift AI
 * 3.0 removed (it runs on 2.x, or beside upstream KServe).
 */
function stampSignals(m: Loose, id: string): Signal[] {
  const meta = mapping(m.metadata);
  const out: Signal[] = [];
  const version = stringMap(meta.annotations)[PLATFORM_VERSION_ANNOTATION];
  const release = version ? releaseIn(version) : undefined;
  if (release) out.push({ candidates: [release], says: `${id} carries ${PLATFORM_VERSION_ANNOTATION}: ${version}`, weight: Weight.IMAGE_TAG });
  const modelMesh =
    (m.kind === 'InferenceService' && stringMap(meta.annotations)[DEPLOYMENT_MODE_ANNOTATION] === 'ModelMesh') ||
    (m.kind === 'Namespace' && stringMap(meta.labels)['modelmesh-enabled'] === 'true');
  if (modelMesh) out.push({ candidates: ['rhoai-2', 'kserve'], says: `${id} uses ModelMesh (removed in OpenShift AI 3.0)`, weight: Weight.API });
  const knative = m.kind === 'InferenceService' ? servedByKnative(meta) : undefined;
  if (knative)
    out.push({
      candidates: ['rhoai-2', 'kserve'],
      says: `${id} is served by Knative (Serverless, removed in OpenShift AI 3.0)${knative === 'annotations' ? ', by its Knative annotations' : ''}`,
      weight: knative === 'annotations' ? Weight.LEFTOVER : Weight.API,
    });
  return out;
}

/**
 * Whether an InferenceService says it runs on Knative: deploymentMode Serverless written out, or, where no
 * deploymentMode is written, annotations of Knative Serving (autoscaling.knative.dev/…,
 * serving.knative.openshift.io/enablePassthrough), which only a Knative revision reads. A deploymentMode written out
 * decides (kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go GetDeploymentMode: a known mode's annotation
 * before the cluster's default; an unknown value is ignored): the OpenShift AI dashboard writes enablePassthrough beside
 * deploymentMode RawDeployment too, and a raw service is a Deployment.
 */
function servedByKnative(meta: Loose): 'mode' | 'annotations' | undefined {
  const annotations = stringMap(meta.annotations);
  const mode = annotations[DEPLOYMENT_MODE_ANNOTATION];
  if (mode === 'Serverless') return 'mode';
  if (mode === 'RawDeployment' || mode === 'Standard' || mode === 'ModelMesh') return undefined;
  return Object.keys(annotations).some((k) => within(domainOf(k), KNATIVE_DOMAINS)) ? 'annotations' : undefined;
}

/** Annotation domains of Knative Serving and OpenShift Serverless. */
const KNATIVE_DOMAINS = ['knative.dev', 'knative.openshift.io'];

/** The domain of a label, annotation or API group key: `cloud.google.com` of `cloud.google.com/gke-nodepool`. */
function domainOf(key: string): string {
  return key.includes('/') ? key.slice(0, key.indexOf('/')) : key;
}

const within = (domain: string, parents: readonly string[]) => parents.some((p) => domain === p || domain.endsWith(`.${p}`));

/** API groups and label domains only OpenShift AI (and Open Data Hub) serve or read. */
const OPENSHIFT_AI_DOMAINS = ['opendatahub.io'];
/** API groups and label domains of OpenShift itself. */
const OPENSHIFT_DOMAINS = ['openshift.io'];
/**
 * Label, annotation, resource and API group domains of other clouds' managed Kubernetes and devices (EKS, EFA and
 * Neuron under amazonaws.com and aws.amazon.com), of Karpenter, of kind and of upstream
 * Knative Serving (OpenShift Serverless serves serving.knative.dev too, but its trees carry OpenShift marks, which weigh more).
 */
const UPSTREAM_DOMAINS = [
  'cloud.google.com',
  'gke.io',
  'amazonaws.com',
  'aws.amazon.com',
  'k8s.aws',
  'karpenter.sh',
  'oci.oraclecloud.com',
  'kubernetes.azure.com',
  'azure.workload.identity',
  'kind.x-k8s.io',
  'serving.knative.dev',
  'operator.knative.dev',
];
/** Catalog sources only OpenShift's OperatorHub has. */
const OPENSHIFT_CATALOGS = ['redhat-operators', 'certified-operators', 'redhat-marketplace'];
/** Namespaces of OpenShift AI (`opendatahub` is Open Data Hub's applications namespace) and of OpenShift. */
const OPENSHIFT_AI_NAMESPACE = /^redhat-ods-|^opendatahub$/;
const OPENSHIFT_NAMESPACE = /^openshift-/;
/**
 * Every mapping key and every `key:` value (node affinity terms, tolerations) of an object: the labels it reads or
 * writes. Not the values of node.kubernetes.io/instance-type: a cloud's machine type names the cloud, not the
 * distribution, and OpenShift runs on the same machines (OpenShift AI on AWS selects g6.4xlarge nodes).
 */
function keysIn(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) keysIn(x, out);
  if (!isMapping(v)) return;
  const termKey = text(v.key);
  if (termKey) out.add(termKey);
  for (const k of Object.keys(v)) {
    out.add(k);
    keysIn(v[k], out);
  }
}

/**
 * Storage classes of OpenShift Data Foundation, which its operator (ocs-operator, OpenShift only) names after the
 * StorageCluster `ocs-storagecluster` (or `ocs-external-storagecluster`): -ceph-rbd, -cephfs, -ceph-rgw, and the
 * NooBaa class openshift-storage.noobaa.io (red-hat-storage/ocs-operator controllers/storagecluster storageclasses.go).
 * Upstream Rook names its own classes otherwise (rook-ceph-block, rook-cephfs).
 */
const ODF_STORAGE_CLASS = /^(ocs-storagecluster-|ocs-external-storagecluster-|openshift-storage\.)/;

/** The first storage class of OpenShift Data Foundation an object names (storageClassName anywhere in it, or a StorageClass's own name). */
function odfStorageClassOf(m: Loose): string | undefined {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    if (!isMapping(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'storageClassName' && typeof x === 'string') names.push(x);
      else walk(x);
    }
  };
  walk(m.spec);
  if (m.kind === 'StorageClass') names.push(text(mapping(m.metadata).name) ?? '');
  return names.find((n) => ODF_STORAGE_CLASS.test(n));
}

function odfStorageMark(m: Loose): string | undefined {
  const odf = odfStorageClassOf(m);
  return odf ? `uses storage class ${odf} (OpenShift Data Foundation)` : undefined;
}

/** The first key, group or namespace of an object in the given domains. */
function markOf(m: Loose, keys: ReadonlySet<string>, domains: readonly string[]): string | undefined {
  const group = groupVersionOf(m.apiVersion).group;
  if (group && within(group, domains)) return `is ${m.apiVersion}`;
  const key = [...keys].find((k) => k.includes('/') && within(domainOf(k), domains));
  return key ? `reads or writes ${key}` : undefined;
}

/** The marks of OpenShift AI, of OpenShift or of another platform that an object carries: the family, not the release. */
function familySignals(m: Loose, id: string): Signal[] {
  const keys = new Set<string>();
  keysIn({ metadata: m.metadata, spec: m.spec }, keys);
  const meta = mapping(m.metadata);
  const namespace = (m.kind === 'Namespace' ? text(meta.name) : text(meta.namespace)) ?? '';
  const catalog = m.kind === 'Subscription' ? text(mapping(m.spec).source) : undefined;
  const openShiftAi = markOf(m, keys, OPENSHIFT_AI_DOMAINS) ?? (OPENSHIFT_AI_NAMESPACE.test(namespace) ? `is in namespace ${namespace}` : undefined);
  if (openShiftAi) return [{ candidates: RHOAI, says: `${id} ${openShiftAi} (OpenShift AI)`, weight: Weight.OPENSHIFT, onOpenShift: true }];
  const openShift =
    markOf(m, keys, OPENSHIFT_DOMAINS) ??
    (OPENSHIFT_NAMESPACE.test(namespace) ? `is in namespace ${namespace}` : undefined) ??
    (catalog && OPENSHIFT_CATALOGS.includes(catalog) ? `comes from OpenShift's catalog ${catalog}` : undefined) ??
    odfStorageMark(m);
  if (openShift) return [{ candidates: OPENSHIFT, says: `${id} ${openShift} (OpenShift)`, weight: Weight.OPENSHIFT, onOpenShift: true }];
  const cloud = markOf(m, keys, UPSTREAM_DOMAINS);
  if (cloud) return [{ candidates: ['kserve'], says: `${id} ${cloud} (not OpenShift)`, weight: Weight.UPSTREAM, onOpenShift: false }];
  // OpenShift AI deletes the ClusterServingRuntime CRD (overlays/odh remove-clusterservingruntime.yaml)
  if (m.kind === 'ClusterServingRuntime') return [{ candidates: ['kserve'], says: `${id} exists only in upstream KServe`, weight: Weight.UPSTREAM }];
  return [];
}

/** Documentation files, whose commands show what a reader may run. */
const DOCUMENT = /\.(md|markdown|adoc|rst|txt)$/i;

/** A script or README of the tree driving the cluster with OpenShift's client: the tree is deployed to OpenShift. */
export function scriptSignal(mark: PlatformMark): Signal {
  if ('release' in mark) return statedSignal(mark.file, mark.line, mark.release, mark.words);
  return {
    candidates: OPENSHIFT,
    says: `${mark.file}:${mark.line} runs \`${mark.command}\` (OpenShift's client)`,
    weight: DOCUMENT.test(mark.file) ? Weight.DOCUMENT : Weight.OPENSHIFT,
    onOpenShift: true,
  };
}

/**
 * A README's statement of the OpenShift AI release (`RHOAI 3.4`): the weakest signal, as a page may lag the manifests,
 * it picks a release only among those the objects leave (an image of OpenShift AI's that does not tell which), and
 * is overruled, and named, where they tell another.
 */
function statedSignal(file: string, line: number, release: string, words: string): Signal {
  const [major, minor] = release.split('.').map(Number);
  const platform = platformOfRelease(major, minor);
  return {
    candidates: platform ? [platform] : RHOAI,
    says: `${file}:${line} says "${words}" (${platform ?? 'OpenShift AI'})`,
    weight: Weight.DOCUMENT,
    onOpenShift: true,
  };
}

/** An install of upstream KServe the tree makes (kserve-installs.ts): the tree is served by upstream KServe, on any cluster. */
export function kserveInstallSignal(install: KserveInstall): Signal {
  return { candidates: ['kserve'], says: `${install.says} (upstream KServe${install.release ? ` ${install.release}` : ''})`, weight: Weight.KSERVE_INSTALL };
}

/** Everything an object tells about the platform it was written for; nothing when it fits every platform. */
export function signalsOf(m: Loose, id: string): Signal[] {
  return [
    ...subscriptionSignals(m, id),
    ...operatorApiSignals(m, id),
    ...imageSignals(m, id),
    ...stampSignals(m, id),
    ...familySignals(m, id),
    ...apiSignals(m, id),
  ];
}
