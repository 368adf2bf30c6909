import { Loose, mapping, strings, text } from '../../manifests/access';
import { otherDefaultStorage, treeDefaultClass } from '../storage-binding';
import { Problem, Rule } from '../rule';
import { ObjectGraph } from '../graph';
import { deployedByRepository } from '../found-elsewhere';
import { eksWithoutDefault } from '../eks-default-class';

/**
 * Provisioners of block or node-local volumes, which create no ReadWriteMany filesystem volume: the AWS EBS CSI driver
 * (pkg/driver/controller.go isValidVolumeCapabilities: filesystem volumes SINGLE_NODE_WRITER only, "Volume
 * capabilities not supported"), the in-tree EBS plugin (gp2 on older EKS), the GCE PD CSI driver (standard-rwo,
 * premium-rwo: multi-writer only for block volumes), the Azure Disk CSI driver (managed-csi), vSphere's block volumes
 * (thin-csi), OpenStack Cinder and Rancher's local-path provisioner of kind and k3s (provisioner.go Provision: "Only
 * support ReadWriteOnce access mode"), and Ceph RBD (ceph-csi internal/rbd/controllerserver.go validateVolumeReq:
 * "multi node access modes are only supported on rbd `block` type volumes"), whose driver Rook names
 * <operator namespace>.rbd.csi.ceph.com. Longhorn (driver.longhorn.io) serves ReadWriteMany through its share manager
 * (an NFS export of the volume), so it is not one of them.
 */

/** A provisioner whose volumes a named class may hold though it makes none: static PersistentVolumes of any kind. */
const STATIC_ONLY = 'kubernetes.io/no-provisioner';
const RWO_ONLY_PROVISIONER =
  /^((?:[a-z0-9-]+\.)?rbd\.csi\.ceph\.com|kubernetes\.io\/rbd|ebs\.csi\.aws\.com|kubernetes\.io\/aws-ebs|pd\.csi\.storage\.gke\.io|kubernetes\.io\/gce-pd|disk\.csi\.azure\.com|kubernetes\.io\/azure-disk|csi\.vsphere\.vmware\.com|cinder\.csi\.openstack\.org|rancher\.io\/local-path|kubernetes\.io\/no-provisioner)$/;

export const rwxClaimDefaultClass: Rule = {
  id: 'rwx-claim-default-class',
  title:
    'a ReadWriteMany claim names no StorageClass (the default classes clusters ship are block or node-local volumes that refuse ReadWriteMany), or names a block-storage class of the tree (Ceph RBD, EBS, PD, Azure Disk): the claim stays Pending',
  severity: 'warning',
  appliesTo: ['PersistentVolumeClaim'],
  premise:
    "a PersistentVolumeClaim asks ReadWriteMany for a filesystem volume (volumeMode not Block) with no storageClassName at all (not \"\"), no volumeName or selector, and the tree holds no PersistentVolume it could bind; it then takes the cluster's default StorageClass, which the defaults of EKS (gp2/gp3, EBS), GKE (standard-rwo, PD), AKS (managed-csi, Azure Disk), OpenShift (gp3-csi, thin-csi, standard-csi) and kind or k3s (local-path) cannot provision as ReadWriteMany. Silent where the tree's default StorageClass has another provisioner (NFS, CephFS, EFS, Filestore, azurefile, or one not known here) or the tree installs storage that may become the default (OpenShift Data Foundation device sets, LVM Storage), or where the cluster is EKS with no default class at all (eks-claim-no-default-class's); a warning, as the cluster's default is not in the files. " +
    "A ReadWriteMany filesystem claim naming a StorageClass that the tree or its repository defines (the name as Flux's post-build substitution leaves it, variables of a substituteFrom ConfigMap the read holds filled in) whose provisioner is one of those block drivers (Ceph RBD: rbd.csi.ceph.com or Rook's <namespace>.rbd.csi.ceph.com, kubernetes.io/rbd; ebs.csi.aws.com, pd.csi.storage.gke.io, disk.csi.azure.com, csi.vsphere.vmware.com, cinder.csi.openstack.org, rancher.io/local-path; not Longhorn, whose share manager serves ReadWriteMany) is an error; silent where the class is not known, holds a variable still, or has PersistentVolumes in the tree (static volumes of any kind), and where the claim names a volume or a selector",
  example: 'a PersistentVolumeClaim with `accessModes: [ReadWriteMany]` and no storageClassName (the default class decides)',
  fix: 'name a StorageClass whose provisioner serves ReadWriteMany (efs-sc, Filestore, azurefile-csi, CephFS, an NFS class, Longhorn), or ask ReadWriteOnce where one node mounts the claim',
  source:
    'kubernetes pkg/controller/volume/persistentvolume pv_controller.go (a claim with no class takes the default StorageClass; a provisioning failure leaves it Pending with ProvisioningFailed); aws-ebs-csi-driver pkg/driver/controller.go isValidVolumeCapabilities; gcp-compute-persistent-disk-csi-driver and azuredisk-csi-driver CreateVolume capability checks; rancher/local-path-provisioner provisioner.go Provision; ceph/ceph-csi internal/rbd/controllerserver.go validateVolumeReq ("multi node access modes are only supported on rbd `block` type volumes"); Longhorn docs, ReadWriteMany (RWX) Volume (a share-manager NFS export); fluxcd/pkg kustomize/kustomize_varsub.go SubstituteVariables (substituteFrom ConfigMaps in order, substitute over them)',
  check(o, { graph }) {
    const spec = mapping(o.manifest.spec);
    if (!strings(spec.accessModes).includes('ReadWriteMany') || text(spec.volumeMode) === 'Block') return [];
    if (typeof spec.storageClassName === 'string') return namedClassProblems(graph, spec);
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return [];
    if (text(spec.volumeName) || spec.selector !== undefined || graph.ofKind('PersistentVolume').length) return [];
    if (otherDefaultStorage(graph)) return [];
    // an EKS cluster with no default class at all: eks-claim-no-default-class says so, the default's access modes aside
    if (eksWithoutDefault(graph)) return [];
    const declared = treeDefaultClass(graph);
    const provisioner = declared ? (text(declared.manifest.provisioner) ?? '') : undefined;
    if (provisioner !== undefined && !RWO_ONLY_PROVISIONER.test(provisioner)) return [];
    const which =
      provisioner !== undefined
        ? `the tree's default StorageClass '${text(mapping(declared!.manifest.metadata).name)}', whose provisioner ${provisioner} makes no ReadWriteMany filesystem volume`
        : "the cluster's default StorageClass, and the defaults clusters ship (EKS gp2/gp3, GKE standard-rwo, AKS managed-csi, OpenShift gp3-csi or thin-csi, kind's and k3s's local-path) are block or node-local volumes that refuse ReadWriteMany";
    return [
      {
        message:
          `accessModes asks ReadWriteMany and no storageClassName is given: the claim takes ${which}; ` +
          `${declared ? '' : "unless the cluster's default serves ReadWriteMany (NFS, CephFS, EFS, Filestore, Azure Files), "}provisioning fails and the claim stays Pending, and every pod mounting it with it; ` +
          'name a ReadWriteMany-capable StorageClass, or ask ReadWriteOnce where one node mounts the claim',
      },
    ];
  },
};

/**
 * A ReadWriteMany filesystem claim naming a StorageClass the tree (or its repository) defines with a provisioner that
 * makes no such volume: provisioning fails and the claim stays Pending, an error. Silent where the class is not known
 * (the cluster's own, a name still holding a variable), where the claim binds a chosen volume (volumeName, selector),
 * or where a PersistentVolume of the tree has that class (a static volume may serve it).
 */
function namedClassProblems(graph: ObjectGraph, spec: Loose): Problem[] {
  const name = text(spec.storageClassName);
  if (!name || name.includes('${') || text(spec.volumeName) || spec.selector !== undefined) return [];
  if (graph.ofKind('PersistentVolume').some((pv) => text(mapping(pv.manifest.spec).storageClassName) === name)) return [];
  const defined = graph.findAll('StorageClass', name, undefined);
  const manifest = defined.length ? defined[0].manifest : deployedByRepository(graph, 'StorageClass', name, undefined)?.object.manifest;
  const provisioners = [...new Set((defined.length ? defined.map((d) => d.manifest) : manifest ? [manifest] : []).map((m) => text(m.provisioner) ?? ''))];
  if (!provisioners.length || provisioners.some((p) => p === STATIC_ONLY || !RWO_ONLY_PROVISIONER.test(p))) return [];
  return [
    {
      severity: 'error',
      message:
        `accessModes asks ReadWriteMany for a filesystem volume (volumeMode Filesystem, the default) of StorageClass '${name}', whose provisioner ${provisioners.join(', ')} makes no ReadWriteMany filesystem volume: ` +
        'provisioning fails and the claim stays Pending, and every pod mounting it with it; ' +
        'name a StorageClass whose provisioner serves ReadWriteMany (CephFS, NFS, EFS, Filestore, Azure Files, Longhorn), or ask ReadWriteOnce where one node mounts the claim',
    },
  ];
}
