import * as path from 'path';
import { Loose, mapping, mappings, text } from '../manifests/access';
import { RemoteBase } from '../manifests/remote-bases';
import type { RepositoryObject } from '../manifests/repository-objects';
import {
  KUEUE_OPERATOR_PACKAGE,
  KUEUE_RELEASES,
  KUEUE_VERSION_FORMS,
  kueueRelease,
  parseKueueVersion,
  RED_HAT_KUEUE,
  StatedKueue,
} from '../platform/kueue-releases';
import { PLATFORMS as PLATFORM_TABLE } from '../platform/platform';
import { Platform, PROJECT_FILE } from './platform';
import { isKueueOperatorSubscription } from './kueue-operator-install';
import { APP_NAME_LABEL, APP_VERSION_LABEL } from '../k8s/keys';

/** How the Kueue release of a check run was chosen. */
export type KueueSource = 'flag' | 'project' | 'tree' | 'platform' | 'default';

/** What the judged Kueue serves. */
export interface KueueApis {
  readonly served: readonly string[];
  readonly deprecated: readonly string[];
  readonly storage: string;
  /** Versions by kind where a kind differs from `served`; undefined when the kinds are not known (OpenShift AI 2.x's own Kueue). */
  readonly kinds?: Readonly<Record<string, readonly string[]>>;
  readonly readsQueueAnnotation: boolean;
}

/** The Kueue release a check run judges for, how it was chosen and why. */
export interface KueueChoice {
  /** The upstream release, `0.16`; `before 0.15` for the Kueue OpenShift AI 2.x embeds. */
  readonly release: string;
  /** The Red Hat build of Kueue release that packages it, where known. */
  readonly redHat?: string;
  /** `default`: nothing said which Kueue runs; verdicts that depend on it are warnings. */
  readonly source: KueueSource;
  /** One sentence a reader can verify. */
  readonly reason: string;
  readonly apis: KueueApis;
  /** The release is only the least the tree allows (a v1beta2 object says "0.15 or later"): the cluster's may be newer. */
  readonly lowerBound?: true;
}

/** How messages name the judged Kueue: `Kueue 0.16 (Red Hat build of Kueue 1.3)`. */
export function kueueName(k: KueueChoice): string {
  return `Kueue ${k.release}${k.redHat ? ` (Red Hat build of Kueue ${k.redHat})` : ''}`;
}

/** What a finding that holds only on an assumed Kueue adds: the assumption and how to state the version. */
export function kueueAssumption(k: KueueChoice): string {
  return `${kueueName(k)} is assumed (${k.reason}); state the cluster's Kueue with --kueue <version> or "kueue" in ${PROJECT_FILE}`;
}

function choiceOf(stated: StatedKueue, source: KueueSource, reason: string): KueueChoice {
  const r = kueueRelease(stated.release)!;
  return { release: r.release, ...(stated.redHat ? { redHat: stated.redHat } : {}), source, reason, apis: r };
}

const redHatOf = (release: string): string | undefined => Object.keys(RED_HAT_KUEUE).find((k) => RED_HAT_KUEUE[k] === release);

/**
 * The Kueue the platform implies: OpenShift AI 2.x embeds its own (the DataScienceCluster's kueue component, before
 * Kueue 0.15), so its version follows the platform's; on OpenShift AI 3.x Kueue is the separately installed Red Hat
 * build of Kueue and on upstream KServe any Kueue, so the platform table's release is only a default.
 */
export function platformKueue(platform: Platform, platformAssumed = false): KueueChoice {
  if (platform === 'rhoai-2') {
    return {
      release: 'before 0.15',
      source: platformAssumed ? 'default' : 'platform',
      reason: "OpenShift AI 2.x embeds its Kueue (the DataScienceCluster's kueue component)",
      apis: { served: ['v1beta1'], deprecated: [], storage: 'v1beta1', readsQueueAnnotation: true },
    };
  }
  const release = PLATFORM_TABLE[platform].kueue.release;
  const redHat = platform === 'kserve' ? undefined : redHatOf(release);
  const where =
    platform === 'kserve' ? 'the default for upstream KServe' : `the default for ${platform}, whose Kueue is the separately installed Red Hat build of Kueue`;
  return choiceOf({ release, ...(redHat ? { redHat } : {}) }, 'default', `${where}; no kueue-operator Subscription, v1beta2 object or setting tells it`);
}

/** Whether an object is KServe's or OpenShift AI's: the API groups whose platform's default Kueue release would mean something. */
const servesKServe = (m: Loose) => !!m && /^(serving\.kserve\.io|[a-z.]*opendatahub\.io)\//.test(String(m.apiVersion ?? ''));

/**
 * The Kueue assumed where nothing names a release and nothing marks KServe, OpenShift or OpenShift AI (upstream KServe
 * is only the platform assumed, so its default means nothing; on OpenShift the Red Hat build of Kueue is the one): the oldest release that serves what the newest the tool read serves, so a verdict on API versions is
 * the same on every release from it to the newest.
 */
function unsignalledKueue(): KueueChoice {
  const newest = kueueRelease(KUEUE_RELEASES[KUEUE_RELEASES.length - 1])!;
  const same = (r: KueueApis) =>
    JSON.stringify([r.served, r.deprecated, r.storage, r.kinds]) === JSON.stringify([newest.served, newest.deprecated, newest.storage, newest.kinds]);
  const release = KUEUE_RELEASES.find((r) => same(kueueRelease(r)!))!;
  return choiceOf(
    { release },
    'default',
    `nothing in the tree names a Kueue release or marks KServe or OpenShift AI; Kueue ${release} serves the same API versions as every later release the tool knows (to ${newest.release})`,
  );
}

const objectId = (m: Loose) => `${text(m.kind) ?? '?'}/${[text(mapping(m.metadata).namespace), text(mapping(m.metadata).name)].filter(Boolean).join('/')}`;

/** An object as the reader passes it: the manifest, and the kustomization folders that built it, outermost first. */
interface ReadObject {
  readonly manifest: unknown;
  readonly kustomizations?: readonly string[];
}

const inside = (dir: string, root: string) => {
  const rel = path.relative(path.resolve(root), path.resolve(dir));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * The kustomize root whose build brings the object, when another root of the input lies above it and does not build
 * it: a variant beside the built one (`overlays/stable-v1.0` next to the `overlays/stable-v1.1` that the root above
 * lists), which applying that root does not apply.
 */
function unbuiltVariant(o: ReadObject, roots: ReadonlySet<string>): string | undefined {
  const own = o.kustomizations?.[0];
  if (own === undefined) return undefined;
  return [...roots].some((r) => inside(own, r) && !(o.kustomizations ?? []).includes(r)) ? own : undefined;
}

/** What a Subscription to the Red Hat build of Kueue operator says of its release: its channel, else its startingCSV. */
function subscribed(m: Loose): { stated: StatedKueue; says: string } | undefined {
  if (!isKueueOperatorSubscription(m)) return undefined;
  const spec = mapping(m.spec);
  const channel = text(spec.channel) ?? '';
  const csv = /^kueue-operator\.(v1\.\d+)(\.\d+)?$/.exec(text(spec.startingCSV) ?? '')?.[1];
  const fromChannel = /^stable-v1\.\d+$/.test(channel) ? parseKueueVersion(channel) : undefined;
  const stated = fromChannel ?? (csv ? parseKueueVersion(csv) : undefined);
  if (!stated) return undefined;
  const field = fromChannel ? `channel ${channel}` : `startingCSV ${text(spec.startingCSV)}`;
  return { stated, says: `${objectId(m)} subscribes ${KUEUE_OPERATOR_PACKAGE} ${field} (Red Hat build of Kueue ${stated.redHat} = Kueue ${stated.release})` };
}

/** A release the tree names, where, and how surely the delivery applies it (0: an object it syncs, 1: a build). */
interface NamedKueue {
  readonly stated: StatedKueue;
  readonly says: string;
  readonly rank: number;
}

/**
 * The Kueue the tree tells: what it names (a kueue-operator Subscription's channel or startingCSV, Kueue's own
 * controller Deployment or chart-labelled objects kept in the tree, an Argo CD
 * Application of Kueue's Helm chart, a remote kustomize resource, a script, README or Terraform install step), else a
 * Kueue object in kueue.x-k8s.io/v1beta2, which only a Kueue that serves v1beta2 accepts (0.15 on; the Red Hat build
 * from 1.3, Kueue 0.16): the platform's default release when it serves v1beta2, else 0.16.
 */
export function treeKueue(objects: readonly ReadObject[], platform: Platform, remotes: readonly ListedRemote[] = []): KueueChoice | undefined {
  const read = objects.filter((o) => isObject(o.manifest));
  const manifests = read.map((o) => o.manifest as Loose);
  const named = namedKueue([...appliedNamed(read), ...remotes.flatMap(remoteNamed)]);
  if (named) return named;
  const v1beta2 = manifests.find((m) => m.apiVersion === 'kueue.x-k8s.io/v1beta2');
  if (!v1beta2) return undefined;
  const fallback = platformKueue(platform);
  const release = fallback.apis.served.includes('v1beta2') ? fallback.release : '0.16';
  const redHat = platform === 'kserve' ? undefined : redHatOf(release);
  return {
    ...choiceOf(
      { release, ...(redHat ? { redHat } : {}) },
      'tree',
      `${objectId(v1beta2)} is kueue.x-k8s.io/v1beta2, which Kueue serves from 0.15 on (the Red Hat build from 1.3, Kueue 0.16)`,
    ),
    lowerBound: true,
  };
}

const isObject = (m: unknown): m is Loose => !!m && typeof m === 'object' && !Array.isArray(m);

/** The kustomize roots of the input: the outermost folder that built each object. */
const rootsOf = (objects: readonly ReadObject[]) => new Set(objects.flatMap((o) => o.kustomizations?.slice(0, 1) ?? []));

/**
 * What the objects name, those of a variant no root above builds (unbuiltVariant) ranked after what the builds
 * apply: the variant is what its folder offers, the build above is what is applied.
 */
function appliedNamed(objects: readonly ReadObject[]): NamedKueue[] {
  const roots = rootsOf(objects);
  const manifests = objects.map((o) => o.manifest as Loose);
  return objects.flatMap((o) => {
    const variant = unbuiltVariant(o, roots);
    const named = objectNamed(o.manifest as Loose, manifests);
    return variant ? named.map((n) => ({ ...n, says: `${n.says} in ${variant} (no root above it builds that folder)`, rank: VARIANT_RANK })) : named;
  });
}

/** The rank of a release named by an unbuilt variant: after a build's remote base, before a script's install step. */
const VARIANT_RANK = 1.5;

/**
 * The release the delivery applies: of the places that name one, those it applies most surely (an object it syncs,
 * a kustomization's build, then an install script or Terraform, then a README), when they agree; the others that name another
 * release are said, as not applied. Undefined when none names one, or the surest disagree among themselves.
 */
function namedKueue(named: readonly NamedKueue[]): KueueChoice | undefined {
  if (!named.length) return undefined;
  const surest = Math.min(...named.map((n) => n.rank));
  const applied = named.filter((n) => n.rank === surest);
  if (new Set(applied.map((n) => n.stated.release)).size !== 1) return undefined;
  const [taken] = applied;
  const others = named.filter((n) => n.stated.release !== taken.stated.release);
  const aside = others.length
    ? `; ${others.map((n) => n.says).join(', ')} too, which is not what the delivery applies (${applied.map((n) => n.says.split(' ')[0]).join(', ')} is)`
    : '';
  return choiceOf(taken.stated, 'tree', `${taken.says}${aside}`);
}

/**
 * Kueue's controller image as its releases publish it (config/components/manager, the release manifests and the
 * chart's values: registry.k8s.io/kueue/kueue:vX.Y.Z; staging builds under k8s-staging-kueue / k8s-staging-images).
 */
const KUEUE_IMAGE =
  /^(?:registry\.k8s\.io|gcr\.io\/k8s-staging-kueue|us-central1-docker\.pkg\.dev\/k8s-staging-images)\/kueue\/kueue:(v0\.\d+\.\d+)(?:@sha256:[0-9a-f]+)?$/;

/**
 * The release an in-tree install of Kueue names: its controller Deployment's image tag, else the Helm chart's labels
 * on its objects (charts/kueue _helpers.tpl: app.kubernetes.io/name kueue, app.kubernetes.io/version the AppVersion).
 */
function installedKueue(m: Loose): NamedKueue[] {
  const containers = mappings(mapping(mapping(mapping(m.spec).template).spec).containers);
  for (const c of containers) {
    const tag = KUEUE_IMAGE.exec(text(c.image) ?? '')?.[1];
    const stated = tag ? parseKueueVersion(tag) : undefined;
    if (stated) return [{ stated, says: `${objectId(m)} runs Kueue's controller image ${text(c.image)} (Kueue ${stated.release})`, rank: 0 }];
  }
  const labels = mapping(mapping(m.metadata).labels);
  const version = text(labels[APP_VERSION_LABEL]) ?? '';
  const stated = text(labels[APP_NAME_LABEL]) === 'kueue' && /^v?0\.\d+\.\d+$/.test(version) ? parseKueueVersion(version) : undefined;
  return stated
    ? [{ stated, says: `${objectId(m)} is labelled app.kubernetes.io/version ${version} by Kueue's chart (Kueue ${stated.release})`, rank: 0 }]
    : [];
}

/**
 * What an object of the tree names: a kueue-operator Subscription, Kueue's own controller, an Argo CD Application or
 * a Flux HelmRelease of Kueue's chart (`manifests`: the objects its chart source is looked up in).
 */
function objectNamed(m: Loose, manifests: readonly Loose[]): NamedKueue[] {
  const s = subscribed(m);
  if (s) return [{ ...s, rank: 0 }];
  const installed = installedKueue(m);
  if (installed.length) return installed;
  if (m.kind === 'HelmRelease' && String(m.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/')) return fluxChartNamed(m, manifests);
  if (m.kind !== 'Application' || !String(m.apiVersion ?? '').startsWith('argoproj.io/')) return [];
  const spec = mapping(m.spec);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((source) => {
    const revision = text(source.targetRevision) ?? '';
    return kueueChart(text(source.chart), text(source.repoURL), revision, `${objectId(m)} syncs`);
  });
}

/**
 * Kueue's chart at an exact version: chart `kueue` from a repository of Kueue's (registry.k8s.io/kueue/charts,
 * kubernetes-sigs/kueue charts/kueue, published per release as oci://registry.k8s.io/kueue/charts/kueue:<version>).
 */
function kueueChart(chart: string | undefined, repository: string | undefined, version: string, says: string): NamedKueue[] {
  const stated = /^v?0\.\d+\.\d+$/.test(version) ? parseKueueVersion(version) : undefined;
  if (chart !== 'kueue' || !/kueue/.test(repository ?? '') || !stated) return [];
  return [{ stated, says: `${says} Kueue's Helm chart ${version} from ${repository} (Kueue ${stated.release})`, rank: 0 }];
}

/**
 * A Flux HelmRelease of Kueue's chart (helm-controller api v2): spec.chart.spec's chart and version from the
 * HelmRepository its sourceRef names, or the OCIRepository its spec.chartRef names (the chart is the URL's last
 * segment, the version its spec.ref.tag); the source looked up by name in the release's namespace unless it names one.
 */
function fluxChartNamed(m: Loose, manifests: readonly Loose[]): NamedKueue[] {
  const spec = mapping(m.spec);
  const own = text(mapping(m.metadata).namespace);
  const source = (ref: Loose, kind: string) =>
    manifests.find(
      (o) => o.kind === kind && text(mapping(o.metadata).name) === text(ref.name) && (text(ref.namespace) ?? own) === text(mapping(o.metadata).namespace),
    );
  const chartSpec = mapping(mapping(spec.chart).spec);
  const says = `${objectId(m)} installs`;
  if (text(chartSpec.chart)) {
    const ref = mapping(chartSpec.sourceRef);
    const repository = text(ref.kind) === 'HelmRepository' ? text(mapping(source(ref, 'HelmRepository')?.spec).url) : undefined;
    return kueueChart(text(chartSpec.chart), repository, text(chartSpec.version) ?? '', says);
  }
  const ref = mapping(spec.chartRef);
  const oci = text(ref.kind) === 'OCIRepository' ? mapping(source(ref, 'OCIRepository')?.spec) : {};
  const url = text(oci.url)?.replace(/\/+$/, '');
  return kueueChart(url?.split('/').pop(), url, text(mapping(oci.ref).tag) ?? '', says);
}

/** Where a file that names a remote Kueue stands: a kustomization builds it, a script or Terraform installs it, a README tells it. */
function remoteNamed(r: ListedRemote): NamedKueue[] {
  if (r.base.project !== 'kueue' || r.base.release === undefined || !kueueRelease(r.base.release)) return [];
  const built = /kustomization\.ya?ml$|Kustomization$/.test(r.file);
  // a kustomization's build after an object the delivery syncs (a Subscription is the operator the cluster runs); a
  // file of the repository above the checked folder after one of the folder's own of its sort
  const rank = (built ? 1 : /\.(md|markdown)$/i.test(r.file) ? 3 : 2) + (r.above ? ABOVE_RANK : 0);
  return [
    {
      stated: { release: r.base.release },
      says: `${r.file} ${built ? 'lists' : 'installs'} '${r.entry}' (${r.base.described}, Kueue ${r.base.release})`,
      rank,
    },
  ];
}

/** What a file of the repository above the checked folder adds to its rank: it may be about another folder of the repository. */
const ABOVE_RANK = 0.25;

/** A remote kustomize resource a build lists (the reader's remoteBases), or a release a script or README installs. */
export interface ListedRemote {
  readonly file: string;
  readonly entry: string;
  readonly base: RemoteBase;
  /** A script or README of the repository above the checked folder (repositoryScriptsAbove), not of the folder. */
  readonly above?: boolean;
}

/** What a user stated: the --kueue flag or the project file's "kueue". */
export interface KueueSetting {
  readonly version: string;
  readonly source: 'flag' | 'project';
  /** The project file, for `project`. */
  readonly file?: string;
}

/**
 * The Kueue release a check judges for: a stated version (flag, then project file), else what the tree tells, else
 * the platform's. Throws on a stated version that names no known release.
 */
export function chooseKueue(
  objects: readonly ReadObject[],
  platform: Platform,
  options: {
    readonly setting?: KueueSetting;
    readonly platformAssumed?: boolean;
    readonly remotes?: readonly ListedRemote[];
    /** The objects of the git repository outside the checked folders: its kueue-operator Subscription is the cluster's. */
    readonly repository?: () => readonly RepositoryObject[];
  } = {},
): KueueChoice {
  const { setting } = options;
  if (setting) {
    const stated = parseKueueVersion(setting.version);
    const where = setting.source === 'flag' ? `--kueue ${setting.version}` : `"kueue": "${setting.version}" in ${setting.file ?? PROJECT_FILE}`;
    if (!stated) throw new Error(`${where}: not a Kueue release the tool knows; write ${KUEUE_VERSION_FORMS}`);
    return choiceOf(stated, setting.source, where);
  }
  const fallback =
    platform === 'kserve' && options.platformAssumed && !objects.some((o) => servesKServe(o.manifest as Loose))
      ? unsignalledKueue()
      : platformKueue(platform, options.platformAssumed);
  const unread = unreadSubscriptions(objects);
  const reason = unread
    ? fallback.reason.replace('no kueue-operator Subscription, v1beta2 object or setting tells it', `no v1beta2 object or setting tells it, and ${unread}`)
    : fallback.reason;
  return treeKueue(objects, platform, options.remotes) ?? (unread ? undefined : repositoryKueue(options.repository?.() ?? [])) ?? { ...fallback, reason };
}

/**
 * Where the tree tells no Kueue release, the one the kueue-operator Subscriptions of its git repository outside it
 * subscribe (the cluster's operators/ folder beside an app's), named with their files: undefined where none names a
 * release or two name different ones.
 */
function repositoryKueue(objects: readonly RepositoryObject[]): KueueChoice | undefined {
  const named = objects.flatMap((o) => {
    const n = subscribed(o.manifest);
    return n ? [{ ...n, says: `${n.says} in ${o.file} line ${o.line}` }] : [];
  });
  if (!named.length || new Set(named.map((n) => n.stated.release)).size > 1) return undefined;
  return choiceOf(named[0].stated, 'tree', `the git repository around the tree: ${named[0].says}`);
}

/**
 * What a fallback to the platform's Kueue adds when the tree holds kueue-operator Subscriptions that do not tell the
 * release: channels and startingCSVs that name no release the tool maps, or Subscriptions that name different ones
 * (a folder read whole that holds several variants): which one the cluster runs is unknown. Those of a variant no root
 * above builds are left out when another is applied.
 */
function unreadSubscriptions(objects: readonly ReadObject[]): string {
  const roots = rootsOf(objects);
  const all = objects.filter((o) => isObject(o.manifest) && isKueueOperatorSubscription(o.manifest));
  const applied = all.filter((o) => !unbuiltVariant(o, roots));
  const subs = (applied.length ? applied : all).map((o) => o.manifest as Loose);
  if (!subs.length) return '';
  const naming = subs.map((m) => subscribed(m)).filter((n): n is NonNullable<ReturnType<typeof subscribed>> => n !== undefined);
  if (new Set(naming.map((n) => n.stated.release)).size > 1)
    return `${naming.map((n) => n.says).join(', ')}: they name different releases, so which one the cluster runs is unknown`;
  const unknown = subs.filter((m) => !subscribed(m));
  const said = unknown.map((m) => `${objectId(m)} (channel ${text(mapping(m.spec).channel) ?? 'unset'})`).join(', ');
  return `${said} ${unknown.length > 1 ? 'name' : 'names'} no Red Hat build of Kueue release the tool maps (${REDHAT_CHANNELS})`;
}

/** The channels the tool reads (RED_HAT_KUEUE); `stable-v0.N` held the operator's tech previews (kueue-operator.v0.N, registry.redhat.io/kueue-tech-preview). */
const REDHAT_CHANNELS = `it reads the channels ${Object.keys(RED_HAT_KUEUE)
  .map((v) => `stable-v${v}`)
  .join(', ')}; stable-v0.N held the tech previews, whose Kueue it does not know`;
