/** The update channels an operator's OLM package publishes, where they can be read from the operator's catalog sources. */
export interface PublishedChannels {
  /** The OLM package name (a Subscription's spec.name). */
  readonly package: string;
  /** The catalog source that ships it (a Subscription's spec.source); another catalog may publish other channels. */
  readonly catalog: string;
  /** Whether a channel name is one the package publishes. */
  readonly publishes: (channel: string) => boolean;
  /** The channels, as a message names them. */
  readonly described: string;
  /** A channel to suggest. */
  readonly suggested: string;
  /** Where the list comes from. */
  readonly source: string;
  /** Set when the list may be incomplete (read from the package's known channels, not its whole catalog): a channel outside it is then a warning. */
  readonly partial?: true;
}

/**
 * Packages whose channel lists are known. The Red Hat build of Kueue's catalog template is olm.semver with
 * GenerateMinorChannels and no major channels (openshift/kueue-operator fbc/v4.19/catalog-template.yaml), so its
 * stable bundles are published as `stable-v<major>.<minor>` only: stable-v0.1 and stable-v0.2 (tech previews),
 * stable-v1.0 … (redhat-cop/gitops-catalog redhat-build-of-kueue/operator/overlays). There is no `stable` channel.
 * OpenShift AI's channels are judged by their shapes only. Operators not listed here are never judged.
 */
export const PUBLISHED_CHANNELS: readonly PublishedChannels[] = [
  {
    package: 'kueue-operator',
    catalog: 'redhat-operators',
    publishes: (c) => /^stable-v\d+\.\d+$/.test(c),
    described: 'one stable-v<major>.<minor> channel per release (stable-v1.0, stable-v1.1, stable-v1.2, stable-v1.3, …), no stable',
    suggested: 'stable-v1.3',
    source:
      'openshift/kueue-operator fbc catalog-template.yaml (schema olm.semver, GenerateMinorChannels: true, GenerateMajorChannels: false); redhat-cop/gitops-catalog redhat-build-of-kueue/operator/overlays (stable-v1.1, stable-v1.4)',
  },
  {
    // the shapes only: which release channels a cluster's catalog holds depends on its OpenShift version
    package: 'rhods-operator',
    catalog: 'redhat-operators',
    publishes: (c) =>
      /^(alpha|beta|embedded|stable|fast)$/.test(c) ||
      /^(stable|fast|eus)-\d+\.\d+$/.test(c) ||
      /^(stable|fast)-\d+\.x$/.test(c) ||
      /^support-required-upgrade(-\d+\.\d+)?$/.test(c) ||
      /^\d+\.\d+-exception-support$/.test(c),
    described:
      'stable and fast, release channels stable-<major>.<minor> and eus-<major>.<minor> (no v), line channels stable-<major>.x and fast-<major>.x, and the support channels',
    suggested: 'stable-3.x',
    source:
      'redhat-cop/gitops-catalog openshift-ai/operator/overlays (beta, embedded, fast, fast-3.x, stable, stable-2.8 … stable-2.25, stable-3.4, stable-3.5, stable-3.x, eus-2.25, eus-3.5, support-required-upgrade, support-required-upgrade-3.5, 3.2-exception-support)',
  },
  {
    // stable, the pre-calendar v1.<minor> channels and one v<YY>.<month> channel per calendar release
    package: 'gpu-operator-certified',
    catalog: 'certified-operators',
    publishes: (c) => c === 'stable' || /^v1\.\d+$/.test(c) || /^v(2[2-9]|[3-9]\d)\.([1-9]|1[0-2])$/.test(c),
    described: 'stable and one v<YY>.<month> channel per release (v24.9, v25.3, v25.10, v26.3, …; v1.10 and v1.11 before)',
    suggested: 'stable',
    source:
      'redhat-cop/gitops-catalog gpu-operator-certified/operator/overlays (v1.10, v1.11, v22.9, v23.3, v23.6, v23.9, v24.3, v24.6, v24.9, v25.3, v25.10, v26.3, v26.7, and stable in the base); NVIDIA gpu-operator life-cycle policy (calendar versions YY.MM)',
    partial: true,
  },
  {
    package: 'nfd',
    catalog: 'redhat-operators',
    publishes: (c) => c === 'stable',
    described: 'stable',
    suggested: 'stable',
    source: 'openshift/cluster-nfd-operator manifests/nfd.package.yaml (channels: stable, the default)',
    partial: true,
  },
];

/** The known channel list of a package in a catalog; undefined when the operator's channels are not known. */
export function publishedChannels(pkg: string, catalog: string | undefined): PublishedChannels | undefined {
  return PUBLISHED_CHANNELS.find((p) => p.package === pkg && (catalog === undefined || catalog === p.catalog));
}

/** The OpenShift AI major line an rhods-operator channel installs, and whether the channel floats (names no line). */
export interface ChannelLine {
  readonly major: number;
  /** `stable` and `fast`: the line they serve is a publishing decision, not part of the name. */
  readonly floating: boolean;
}

/**
 * The OpenShift AI line an rhods-operator channel installs: a release channel names it (`stable-2.16`, `eus-2.25`,
 * `stable-3.4`), a line channel too (`stable-3.x`, `fast-3.x`, `eus-2.x`); the floating `stable` and `fast` stayed on
 * 2.x (up to 2.25) when 3.0 was published, because 2.x does not upgrade to 3.x within a channel: 3.x releases are
 * published only in the 3.x line and release channels (redhat-cop/gitops-catalog openshift-ai/operator/overlays:
 * fast-3.x, stable-3.x, stable-3.4, stable-3.5, eus-3.5 beside stable, fast, stable-2.8 … stable-2.25, eus-2.25).
 * Undefined for alpha, beta, embedded and the support channels, which say nothing of the line.
 */
export function rhoaiChannelLine(channel: string): ChannelLine | undefined {
  if (channel === 'stable' || channel === 'fast') return { major: 2, floating: true };
  const m = /^(?:stable|fast|eus)-(\d+)\.(?:x|\d+)$/.exec(channel);
  return m ? { major: Number(m[1]), floating: false } : undefined;
}
