import { Loose, mapping, mappings, text } from '../../manifests/access';
import { eksWithoutDefault } from '../eks-default-class';
import { Problem, Rule } from '../rule';

/** Whether a claim's spec leaves the class to the cluster's default: storageClassName absent (not ""), no volume chosen. */
function takesDefault(spec: Loose): boolean {
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return false;
  return !text(spec.volumeName) && spec.selector === undefined;
}

/** The claims of an object that take the default class: a claim's own spec, a StatefulSet's volumeClaimTemplates. */
function defaultClaims(m: Loose): { where: string; spec: Loose }[] {
  if (m.kind === 'PersistentVolumeClaim') return takesDefault(mapping(m.spec)) ? [{ where: 'the claim', spec: mapping(m.spec) }] : [];
  return mappings(mapping(m.spec).volumeClaimTemplates).flatMap((t, i) => {
    const spec = mapping(t.spec);
    return takesDefault(spec) ? [{ where: `volumeClaimTemplates[${i}] '${text(mapping(t.metadata).name) ?? '?'}'`, spec }] : [];
  });
}

export const eksClaimNoDefaultClass: Rule = {
  id: 'eks-claim-no-default-class',
  title:
    'a claim names no StorageClass on an EKS cluster the input creates, and nothing in the input makes a class the default: EKS clusters created at Kubernetes 1.30 or later have none, so the claim stays Pending',
  severity: 'warning',
  appliesTo: ['PersistentVolumeClaim', 'StatefulSet'],
  premise:
    "the input shows its cluster is EKS and no other cloud's (an eksctl ClusterConfig, a Terraform aws_eks_cluster, aws_eks_node_group or terraform-aws-modules/eks; not where GKE or AKS clusters are declared too); a PersistentVolumeClaim, or a StatefulSet's volumeClaimTemplates entry, has no storageClassName at all (not \"\"), no volumeName and no selector; and nothing in the input makes a StorageClass the default: no StorageClass of the tree annotated storageclass.kubernetes.io/is-default-class: \"true\", no object (an eksctl ClusterConfig's addons, a HelmRelease's or Argo CD Application's values), Terraform file or Helm values file read that sets that annotation or the EBS CSI driver's defaultStorageClass, no PersistentVolume in the tree and no OpenShift Data Foundation or LVM storage. A warning: whether the cluster was created at 1.30 or later (no default) or earlier and upgraded (gp2 stays the default) is a fact of its history; silent where the eksctl ClusterConfig's metadata.version is before 1.30",
  example: 'a PersistentVolumeClaim with no storageClassName beside an eksctl ClusterConfig with `version: "1.31"` and no StorageClass marked default',
  fix: 'name a StorageClass the input defines (an EBS CSI gp3 class, ebs.csi.aws.com) in storageClassName, or make one the default: the storageclass.kubernetes.io/is-default-class: "true" annotation on a StorageClass, or the EBS CSI add-on configuration defaultStorageClass: {enabled: true}',
  source:
    'Amazon EKS user guide, "Review release notes for Kubernetes versions on standard support", Kubernetes 1.30 (the gp2 StorageClass no longer annotated as the default in newly created clusters) and "Storage classes"; aws-ebs-csi-driver charts/aws-ebs-csi-driver values.yaml defaultStorageClass.enabled (the ebs-csi-default-sc class, made the default) and the EKS add-on configuration schema; kubernetes pkg/controller/volume/persistentvolume pv_controller.go (a claim naming no class with no default class waits: "no persistent volumes available for this claim and no storage class is set")',
  check(o, { graph }) {
    const claims = defaultClaims(o.manifest);
    if (!claims.length) return [];
    const cluster = eksWithoutDefault(graph);
    if (!cluster) return [];
    const created = `created at Kubernetes ${cluster.version ? `${cluster.version.major}.${cluster.version.minor} (1.30 or later)` : '1.30 or later'}`;
    return claims.map((c): Problem => ({
      message:
        `${c.where} names no storageClassName, so it takes the cluster's default StorageClass, and the input's cluster is EKS (${cluster.where}): EKS clusters ${created} have no default StorageClass ` +
        '(gp2 is no longer annotated is-default-class; a cluster created earlier and upgraded keeps it), and nothing in the input makes one the default: the claim stays Pending and every pod mounting it with it; ' +
        'name a StorageClass in storageClassName (an ebs.csi.aws.com gp3 class), or make one the default (storageclass.kubernetes.io/is-default-class: "true", or the EBS CSI add-on defaultStorageClass: {enabled: true})',
    }));
  },
};
