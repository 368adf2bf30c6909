import { Loose, mapping, mappings, text } from '../../manifests/access';
import { closest } from '../../private/json-config';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/**
 * StorageClasses clusters ship under fixed names (EKS gp2/gp3, OpenShift gp3-csi and thin-csi, AKS managed-csi and
 * azurefile-csi, GKE standard-rwo and premium-rwo, OpenShift Data Foundation's ocs-storagecluster-*, kind's and k3s's
 * standard and local-path, common provisioners' defaults): a claim naming one relies on the cluster, not on the tree.
 */
const PLATFORM_CLASS =
  /^(gp2|gp3|gp2-csi|gp3-csi|io1|io2|sc1|st1|standard|standard-rwo|standard-rwx|premium-rwo|premium-rwx|enterprise-rwx|balanced|default|managed|managed-csi|managed-premium|managed-csi-premium|managed-csi-premium-zrs|azurefile|azurefile-csi|azurefile-premium|azurefile-csi-premium|azurefile-csi-nfs|azureblob-fuse-premium|azureblob-nfs-premium|thin|thin-csi|local-path|hostpath|longhorn|nfs-client|nfs|efs-sc|ocs-storagecluster-.+|ocs-external-storagecluster-.+|ceph-.+|rook-.+|openshift-storage\..+|lvms-.+|topolvm-.+|csi-.+|do-block-storage|linode-block-storage.*|oci-bv|oci)$/;

/** The StorageClass names claims in the object ask for, each with its field. */
function claimedClasses(m: Loose): { field: string; name: string }[] {
  if (m.kind === 'PersistentVolumeClaim') {
    const spec = mapping(m.spec);
    // a claim bound to a named volume takes that volume's class, which need not exist as a StorageClass
    if (text(spec.volumeName)) return [];
    const name = text(spec.storageClassName);
    return name ? [{ field: 'spec.storageClassName', name }] : [];
  }
  return mappings(mapping(m.spec).volumeClaimTemplates).flatMap((t, i) => {
    const name = text(mapping(t.spec).storageClassName);
    return name ? [{ field: `spec.volumeClaimTemplates[${i}].spec.storageClassName`, name }] : [];
  });
}

/** Whether something of the tree gives the class name meaning without a StorageClass: a PersistentVolume of that class (static provisioning), a script creating it. */
function classServed(graph: ObjectGraph, name: string): boolean {
  if (graph.ofKind('PersistentVolume').some((pv) => text(mapping(pv.manifest.spec).storageClassName) === name)) return true;
  return graph.scriptCreating('StorageClass', name) !== undefined;
}

export const storageClassNotFound: Rule = {
  id: 'storage-class-not-found',
  title: 'a claim names a StorageClass the tree does not declare, one letter-close to a class the tree does declare: it stays Pending',
  severity: 'error',
  appliesTo: ['PersistentVolumeClaim', 'StatefulSet'],
  premise:
    "a PersistentVolumeClaim's (or a StatefulSet's volumeClaimTemplates') storageClassName is no StorageClass of the tree, the tree declares StorageClasses and one of them is a near-miss of the name (edit distance at most a third of its length: a renamed or mistyped class), " +
    'the name is not one a platform ships (gp3-csi, managed-csi, standard-rwo, ocs-storagecluster-*, …), no PersistentVolume of the tree has that class and no claim is bound by volumeName; a name close to nothing the tree declares is not judged (the cluster may have that class)',
  example: '`storageClassName: managed-csi-premium-slm` while the tree declares StorageClass `managed-csi-premium-vllm`',
  fix: 'name the StorageClass the tree declares, or declare the class the claim names',
  source:
    'kubernetes pkg/controller/volume/persistentvolume pv_controller.go provisionClaim (a claim whose class is not found is not provisioned: ProvisioningFailed "storageclass.storage.k8s.io \\"…\\" not found", the claim stays Pending)',
  check(o, { graph }) {
    const declared = graph.ofKind('StorageClass').flatMap((c) => text(mapping(c.manifest.metadata).name) ?? []);
    if (!declared.length) return [];
    const out: Problem[] = [];
    for (const { field, name } of claimedClasses(o.manifest)) {
      if (declared.includes(name) || PLATFORM_CLASS.test(name) || classServed(graph, name)) continue;
      const near = closest(name, declared);
      if (!near) continue;
      out.push({
        message:
          `${field} '${name}' is no StorageClass of the tree, which declares '${near}': unless the cluster already has a class '${name}', ` +
          `the claim is never provisioned and stays Pending (storageclass "${name}" not found), and pods using it never start; name '${near}' or declare '${name}'`,
      });
    }
    return out;
  },
};
