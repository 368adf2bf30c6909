import * as fs from 'fs';
import { apiGroupOf } from '../k8s/api-version';
import { mapping, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { otherDefaultStorage, treeDefaultClass } from './storage-binding';
import { terraformPoolsOf } from './terraform-pools';

/**
 * The Kubernetes release from which a new EKS cluster has no default StorageClass: Amazon EKS user guide, "Review
 * release notes for Kubernetes versions on standard support", Kubernetes 1.30 ("the gp2 StorageClass is no longer
 * annotated as the default for newly created clusters"; clusters created before and upgraded keep the annotation) and
 * "Storage classes" (no default class; create one, or have the EBS CSI add-on make one with defaultStorageClass).
 */
export const EKS_NO_DEFAULT_FROM = { major: 1, minor: 30 };

/**
 * Text that makes some StorageClass the default outside the tree's own objects: the is-default-class annotation set
 * true (a Terraform kubernetes_storage_class, a chart's values, an add-on's configuration), or the EBS CSI driver's
 * defaultStorageClass switch (its Helm chart and EKS add-on configuration: `defaultStorageClass: {enabled: true}`,
 * which makes ebs-csi-default-sc the default).
 */
const DEFAULT_CLASS_TEXT = /is-default-class\\?["']?\s*[:=]\s*\\?["']?true|defaultStorageClass/;

/** How the input shows an EKS cluster: where it is, and the Kubernetes version it is created at where the input says. */
export interface EksCluster {
  readonly where: string;
  readonly version?: { readonly major: number; readonly minor: number };
}

function versionOf(value: unknown): EksCluster['version'] {
  const m = typeof value === 'string' ? /^v?(\d+)\.(\d+)/.exec(value) : undefined;
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * The EKS cluster the input shows, where it shows no other cloud's cluster: an eksctl ClusterConfig (eksctl.io; its
 * metadata.version), else the Terraform's aws_eks_cluster or terraform-aws-modules/eks (terraform-pools.ts); undefined
 * where none, or where GKE or AKS clusters are shown too (which cluster a claim lands on is then not known).
 */
export function eksClusterOf(graph: ObjectGraph): EksCluster | undefined {
  return graph.once('eks-cluster', () => {
    const { clusters, pools } = terraformPoolsOf(graph);
    const clouds = new Set([...clusters.map((c) => c.cloud), ...pools.map((p) => p.cloud)]);
    const eksctl = graph.ofKindAnyGroup('ClusterConfig').filter((c) => apiGroupOf(c.manifest.apiVersion) === 'eksctl.io');
    if ([...clouds].some((c) => c !== 'eks')) return undefined;
    if (eksctl.length) {
      const versions = new Set(eksctl.map((c) => text(mapping(c.manifest.metadata).version)));
      const version = versions.size === 1 ? versionOf([...versions][0]) : undefined;
      return { where: `eksctl ${graph.id(eksctl[0])}`, ...(version ? { version } : {}) };
    }
    const tf = clusters.find((c) => c.cloud === 'eks') ?? pools.find((p) => p.cloud === 'eks');
    return tf ? { where: `terraform ${tf.file} line ${tf.line}` } : undefined;
  });
}

/**
 * Whether the input makes some StorageClass the default: a StorageClass of the tree annotated so, or any object,
 * Terraform file or values file the check read whose text sets the annotation or the EBS CSI driver's
 * defaultStorageClass (DEFAULT_CLASS_TEXT).
 */
export function inputSetsDefaultClass(graph: ObjectGraph): boolean {
  return graph.once('input-sets-default-class', () => {
    if (treeDefaultClass(graph)) return true;
    if (graph.ofKindAnyGroup('ClusterConfig').some((c) => DEFAULT_CLASS_TEXT.test(JSON.stringify(c.manifest)))) return true;
    const owners = ['HelmRelease', 'Application', 'ApplicationSet', 'HelmChart'];
    if (owners.some((k) => graph.ofKind(k).some((o) => DEFAULT_CLASS_TEXT.test(JSON.stringify(o.manifest))))) return true;
    const files = [...terraformPoolsOf(graph).files, ...graph.unread.filter((u) => u.kind === 'skipped').map((u) => u.file)];
    return files.some((f) => {
      try {
        return DEFAULT_CLASS_TEXT.test(fs.readFileSync(f, 'utf8'));
      } catch {
        return false;
      }
    });
  });
}

/** Whether a Kubernetes version is before the one from which new EKS clusters have no default class. */
export const beforeNoDefault = (v: { major: number; minor: number }): boolean =>
  v.major < EKS_NO_DEFAULT_FROM.major || (v.major === EKS_NO_DEFAULT_FROM.major && v.minor < EKS_NO_DEFAULT_FROM.minor);

/**
 * The EKS cluster of the input where a claim naming no class finds no default StorageClass: the cluster created at
 * 1.30 or later as far as the input says (not an eksctl version before it), and nothing in the input giving a default
 * class, a PersistentVolume, or storage that may become the default. Undefined otherwise.
 */
export function eksWithoutDefault(graph: ObjectGraph): EksCluster | undefined {
  const cluster = eksClusterOf(graph);
  if (!cluster || (cluster.version && beforeNoDefault(cluster.version))) return undefined;
  if (graph.ofKind('PersistentVolume').length > 0 || otherDefaultStorage(graph) || inputSetsDefaultClass(graph)) return undefined;
  return cluster;
}
