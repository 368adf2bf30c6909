/**
 * How the ClusterServiceVersions of an OLM package are named in the catalog that ships it, where the catalog or the
 * operator's bundle shows it. A Subscription's spec.startingCSV must name one of them: OLM looks the CSV up among the
 * package's bundles in the channel, and a name no bundle carries leaves the Subscription ResolutionFailed.
 */
export interface CsvNaming {
  /** The OLM package name (a Subscription's spec.name). */
  readonly package: string;
  /** The catalog source that ships it (a Subscription's spec.source). */
  readonly catalog: string;
  /** The package's CSV names start with this and a dot. */
  readonly prefix: string;
  /** Whether a whole CSV name is one the package's bundles can carry. */
  readonly names: (csv: string) => boolean;
  /** The shape of the names, as a message says it. */
  readonly described: string;
  /** A well-formed name, for the message. */
  readonly example: string;
  /** Where the shape is read from. */
  readonly source: string;
}

/** A version after the prefix: <major>.<minor>.<patch> and an optional -<build or pre-release>. */
const SEMVER = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?`;
const named = (prefix: string, version: string) => new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.${version}$`);

/**
 * NVIDIA's GPU Operator versions are calendar versions from v22.9.0 on (YY.MM.dot, the month without zero padding:
 * docs.nvidia.com gpu-operator life-cycle-policy "NVIDIA GPU Operator Versioning"); 1.11 was the last of the old
 * scheme. A 22+ major therefore has a month 1–12 as its minor.
 */
function gpuOperatorCsv(csv: string): boolean {
  const m = /^gpu-operator-certified\.v(\d+)\.(\d+)\.\d+(?:-[0-9A-Za-z.]+)?$/.exec(csv);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 22 ? major === 1 : minor >= 1 && minor <= 12;
}

export const CSV_NAMINGS: readonly CsvNaming[] = [
  {
    package: 'rhods-operator',
    catalog: 'redhat-operators',
    prefix: 'rhods-operator',
    names: (csv) => named('rhods-operator', SEMVER).test(csv),
    described: 'rhods-operator.<major>.<minor>.<patch> with no v (a build or pre-release suffix after a dash: 1.20.1-8, 3.6.0-ea.1)',
    example: 'rhods-operator.3.4.0',
    source:
      'red-hat-data-services/RHOAI-Build-Config catalog/batch_releases/v4.17/rhods-operator/catalog.yaml (entries rhods-operator.1.20.1-8 … rhods-operator.2.23.0) and catalog/catalog-patch.yaml (rhods-operator.3.6.0-ea.1); the release build renames the bundle’s rhods-operator.v<version> without the v',
  },
  {
    package: 'nfd',
    catalog: 'redhat-operators',
    prefix: 'nfd',
    // OpenShift's release tooling rewrites nfd.v<major>.<minor>.0 to nfd.<full version>, e.g. nfd.4.20.0-202604241817
    names: (csv) => /^nfd\.4\.\d+\.\d+(?:-\d+)?$/.test(csv),
    described:
      'nfd.4.<OpenShift minor>.<patch>-<build timestamp> (the OpenShift release it ships with, no v; the upstream node-feature-discovery v0.x versions are not package versions)',
    example: 'nfd.4.20.0-202604241817',
    source:
      'openshift/cluster-nfd-operator manifests/art.yaml (the release build replaces "nfd.v{MAJOR}.{MINOR}.0" with "nfd.{FULL_VER}" in the CSV and the package) and manifests/nfd.package.yaml (package nfd)',
  },
  {
    package: 'gpu-operator-certified',
    catalog: 'certified-operators',
    prefix: 'gpu-operator-certified',
    names: gpuOperatorCsv,
    described:
      'gpu-operator-certified.v<YY>.<M>.<dot>, a calendar version whose minor is the release month 1–12 (v25.3.1, v25.10.0, v26.3.1), or v1.<minor>.<patch> before 22.9',
    example: 'gpu-operator-certified.v26.3.1',
    source:
      'NVIDIA/gpu-operator bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml; docs.nvidia.com gpu-operator life-cycle-policy (calendar versioning YY.MM.dot since v22.9.0)',
  },
  {
    package: 'serverless-operator',
    catalog: 'redhat-operators',
    prefix: 'serverless-operator',
    names: (csv) => named('serverless-operator', `v${SEMVER}`).test(csv),
    described: 'serverless-operator.v<major>.<minor>.<patch>',
    example: 'serverless-operator.v1.36.0',
    source: 'openshift-knative/serverless-operator olm-catalog/serverless-operator/<version>/serverless-operator.v<version>.clusterserviceversion.yaml',
  },
  {
    package: 'kueue-operator',
    catalog: 'redhat-operators',
    prefix: 'kueue-operator',
    names: (csv) => named('kueue-operator', `v${SEMVER}`).test(csv),
    described: 'kueue-operator.v<major>.<minor>.<patch> (the Red Hat build of Kueue release, not the upstream Kueue version)',
    example: 'kueue-operator.v1.3.0',
    source:
      'openshift/kueue-operator bundle/manifests/kueue-operator.clusterserviceversion.yaml (kueue-operator.v1.5.0 at dc3b65774c45) and fbc/v4.18/catalog/kueue-operator/catalog.json (kueue-operator.v0.0.1)',
  },
  {
    package: 'opendatahub-operator',
    catalog: 'community-operators',
    prefix: 'opendatahub-operator',
    names: (csv) => named('opendatahub-operator', `v${SEMVER}`).test(csv),
    described: 'opendatahub-operator.v<major>.<minor>.<patch>',
    example: 'opendatahub-operator.v2.23.0',
    source: 'opendatahub-io/opendatahub-operator bundle/manifests/opendatahub-operator.v1.1.0.clusterserviceversion.yaml (the community bundle keeps the v)',
  },
];

/** The CSV naming of a package in a catalog; undefined when the package is not known (or comes from another catalog). */
export function csvNaming(pkg: string, catalog: string | undefined): CsvNaming | undefined {
  return CSV_NAMINGS.find((n) => n.package === pkg && (catalog === undefined || catalog === n.catalog));
}

/** The known package whose CSV prefix this CSV carries (the prefix then a version), when it is another than `pkg`. */
export function csvOfOtherPackage(csv: string, pkg: string): CsvNaming | undefined {
  return CSV_NAMINGS.find((n) => n.package !== pkg && n.prefix !== pkg && new RegExp(`^${n.prefix.replace(/\./g, '\\.')}\\.v?\\d`).test(csv));
}
