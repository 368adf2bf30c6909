import { isMapping, Loose, text } from '../manifests/access';
import type { ListedRemoteBase } from '../manifests/remote-bases';

/** An upstream KServe release a tree shows, and the place that shows it (for messages). */
export interface TreeKserveRelease {
  /** `0.13`: minor releases are what KServe's names change with. */
  readonly release: string;
  readonly minor: number;
  readonly from: string;
}

/**
 * KServe's own images on Docker Hub (kserve/kserve-controller, kserve/sklearnserver, kserve/huggingfaceserver,
 * kserve/storage-initializer, …) are tagged with the KServe release they ship with (hack/image_patch_dev.sh, the
 * release's kserve.yaml); ModelMesh images (kserve/modelmesh*) follow ModelMesh's own releases and are not read.
 */
const KSERVE_IMAGE = /^(?:(?:docker\.io|index\.docker\.io)\/)?kserve\/(?!modelmesh)[a-z0-9-]+:v?(0\.(\d+))(?:\.\d+)?(?:-[\w.-]+)?$/;
/** A release manifest URL or a git reference of kserve/kserve: .../releases/download/v0.13.0/kserve.yaml, ?ref=v0.13.0. */
const KSERVE_RELEASE_URL = /github\.com\/kserve\/kserve\/(?:releases\/download\/v?(0\.(\d+))\.\d+\/|.*[?&]ref=v?(0\.(\d+))\.\d+)/;
/** KServe's Helm charts (oci://ghcr.io/kserve/charts/…): versioned like KServe itself. */
const KSERVE_CHART = /^kserve(-crd|-resources|-llmisvc-crd|-llmisvc-resources)?$/;

/** The KServe releases one object shows: image tags, release URLs, a KServe chart with its version. */
function releasesIn(value: unknown, id: string, out: TreeKserveRelease[]): void {
  if (typeof value === 'string') {
    const image = KSERVE_IMAGE.exec(value.trim());
    if (image) out.push({ release: image[1], minor: Number(image[2]), from: `${id} image ${value.trim()}` });
    const url = KSERVE_RELEASE_URL.exec(value);
    if (url) out.push({ release: url[1] ?? url[3], minor: Number(url[2] ?? url[4]), from: `${id} ${value.trim()}` });
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) releasesIn(v, id, out);
    return;
  }
  if (!isMapping(value)) return;
  const chart = text(value.chart);
  const version = /^v?(0\.(\d+))\.\d+/.exec(text(value.targetRevision) ?? text(value.version) ?? '');
  if (chart && KSERVE_CHART.test(chart) && version) out.push({ release: version[1], minor: Number(version[2]), from: `${id} chart ${chart} ${version[0]}` });
  for (const v of Object.values(value)) releasesIn(v, id, out);
}

/**
 * Where an install step stands, as for Kueue (kueue-version's remoteNamed): a kustomization's build before a script
 * or Terraform, and those before a README that only tells the reader.
 */
const installRank = (file: string) => (/kustomization\.ya?ml$|Kustomization$/.test(file) ? 1 : /\.(md|markdown)$/i.test(file) ? 3 : 2);

/** The KServe releases the tree's install steps name (kserve.yaml at a version), the surest first. */
function installedReleases(installed: readonly ListedRemoteBase[]): TreeKserveRelease[] {
  return installed
    .filter((i) => i.base.project === 'kserve' && i.base.release !== undefined)
    .map((i) => ({
      rank: installRank(i.file),
      release: i.base.release!,
      minor: Number(i.base.release!.split('.')[1]),
      from: `${i.file} installs '${i.entry}'`,
    }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ release, minor, from }) => ({ release, minor, from }));
}

/**
 * The upstream KServe release a tree pins, where everything it shows agrees on one side of `pivot` (a minor release,
 * 16 for 0.16): the first such mark, its own objects before its install steps (a kustomization, a script or Terraform,
 * a README). Undefined when the tree shows none, or marks on both sides.
 */
export function treeKserveRelease(
  objects: readonly { readonly manifest: Loose; readonly id: string }[],
  pivot: number,
  installed: readonly ListedRemoteBase[] = [],
): TreeKserveRelease | undefined {
  const found: TreeKserveRelease[] = [];
  for (const o of objects) releasesIn(o.manifest, o.id, found);
  found.push(...installedReleases(installed));
  if (!found.length) return undefined;
  const before = found.filter((r) => r.minor < pivot);
  return before.length === 0 || before.length === found.length ? found[0] : undefined;
}
