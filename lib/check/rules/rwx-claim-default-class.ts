import { mapping, strings, text } from '../../manifests/access';
import { otherDefaultStorage, treeDefaultClass } from '../storage-binding';
import { Rule } from '../rule';

/**
 * Provisioners of block or node-local volumes, which create no ReadWriteMany filesystem volume: the AWS EBS CSI driver
 * (pkg/driver/controller.go isValidVolumeCapabilities: filesystem volumes SINGLE_NODE_WRITER only, "Volume
 * capabilities not supported"), the in-tree EBS plugin (gp2 on older EKS), the GCE PD CSI driver (standard-rwo,
 * premium-rwo: multi-writer only for block volumes), the Azure Disk CSI driver (managed-csi), vSphere's block volumes
 * (thin-csi), OpenStack Cinder and Rancher's local-path provisioner of kind and k3s (provisioner.go Provision: "Only
 * support ReadWriteOnce access mode").
 */
const RWO_ONLY_PROVISIONER =
  /^(ebs\.csi\.aws\.com|kubernetes\.io\/aws-ebs|pd\.csi\.storage\.gke\.io|kubernetes\.io\/gce-pd|disk\.csi\.azure\.com|kubernetes\.io\/azure-disk|csi\.vsphere\.vmware\.com|cinder\.csi\.openstack\.org|rancher\.io\/local-path|kubernetes\.io\/no-provisioner)$/;

export const rwxClaimDefaultClass: Rule = {
  id: 'rwx-claim-default-class',
  title:
    'a ReadWriteMany claim names no StorageClass: the default classes clusters ship are block or node-local volumes that refuse ReadWriteMany, and the claim stays Pending',
  severity: 'warning',
  appliesTo: ['PersistentVolumeClaim'],
  premise:
    "a PersistentVolumeClaim asks ReadWriteMany for a filesystem volume (volumeMode not Block) with no storageClassName at all (not \"\"), no volumeName or selector, and the tree holds no PersistentVolume it could bind; it then takes the cluster's default StorageClass, which the defaults of EKS (gp2/gp3, EBS), GKE (standard-rwo, PD), AKS (managed-csi, Azure Disk), OpenShift (gp3-csi, thin-csi, standard-csi) and kind or k3s (local-path) cannot provision as ReadWriteMany. Silent where the tree's default StorageClass has another provisioner (NFS, CephFS, EFS, Filestore, azurefile, or one not known here) or the tree installs storage that may become the default (OpenShift Data Foundation device sets, LVM Storage); a warning, as the cluster's default is not in the files",
  example: 'a PersistentVolumeClaim with `accessModes: [ReadWriteMany]` and no storageClassName (the default class decides)',
  fix: 'name a StorageClass whose provisioner serves ReadWriteMany (efs-sc, Filestore, azurefile-csi, CephFS, an NFS class), or ask ReadWriteOnce where one node mounts the claim',
  source:
    'kubernetes pkg/controller/volume/persistentvolume pv_controller.go (a claim with no class takes the default StorageClass; a provisioning failure leaves it Pending with ProvisioningFailed); aws-ebs-csi-driver pkg/driver/controller.go isValidVolumeCapabilities; gcp-compute-persistent-disk-csi-driver and azuredisk-csi-driver CreateVolume capability checks; rancher/local-path-provisioner provisioner.go Provision',
  check(o, { graph }) {
    const spec = mapping(o.manifest.spec);
    if (!strings(spec.accessModes).includes('ReadWriteMany') || text(spec.volumeMode) === 'Block') return [];
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return [];
    if (text(spec.volumeName) || spec.selector !== undefined || graph.ofKind('PersistentVolume').length) return [];
    if (otherDefaultStorage(graph)) return [];
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
