import { apiGroupOf } from '../k8s/api-version';
import { mapping, mappings, stringMap, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * StorageClasses platforms create under fixed names whose volumeBindingMode is WaitForFirstConsumer: a claim of one
 * stays Pending until a pod using it is scheduled, each with where the class is defined.
 */
const WAIT_FOR_CONSUMER_CLASSES: Readonly<Record<string, string>> = {
  // OpenShift on AWS: openshift/aws-ebs-csi-driver-operator assets/storageclass_gp3.yaml and storageclass_gp2.yaml
  'gp3-csi': 'OpenShift on AWS (aws-ebs-csi-driver-operator assets/storageclass_gp3.yaml)',
  'gp2-csi': 'OpenShift on AWS (aws-ebs-csi-driver-operator assets/storageclass_gp2.yaml)',
  // EKS: the gp2 class of every cluster made before 1.30 (Amazon EKS user guide, "Storage classes")
  gp2: 'EKS (the gp2 class EKS creates, Amazon EKS user guide "Storage classes")',
  // GKE: the Compute Engine persistent disk CSI driver's classes (GKE docs, "Using the Compute Engine persistent disk CSI driver")
  'standard-rwo': 'GKE (pd.csi.storage.gke.io class, GKE docs "Compute Engine persistent disk CSI driver")',
  'premium-rwo': 'GKE (pd.csi.storage.gke.io class, GKE docs "Compute Engine persistent disk CSI driver")',
  // OpenShift on GCP: openshift/gcp-pd-csi-driver-operator assets/storageclass.yaml
  'standard-csi': 'OpenShift on GCP (gcp-pd-csi-driver-operator assets/storageclass.yaml)',
  // AKS: the disk.csi.azure.com classes (AKS docs, "Storage classes"); OpenShift on Azure: azure-disk-csi-driver-operator
  'managed-csi': 'AKS and OpenShift on Azure (disk.csi.azure.com class, AKS docs "Storage classes", azure-disk-csi-driver-operator)',
  'managed-premium': 'AKS (disk.csi.azure.com class, AKS docs "Storage classes")',
  'managed-csi-premium': 'AKS (disk.csi.azure.com class, AKS docs "Storage classes")',
};

/** The default StorageClass of OpenShift per cloud, as its CSI driver operator annotates it (is-default-class). */
const OPENSHIFT_DEFAULT: Readonly<Record<string, string>> = { AWS: 'gp3-csi', Azure: 'managed-csi', GCP: 'standard-csi' };

/** The annotations that make a StorageClass the cluster's default (the beta one is still honoured). */
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** The tree's StorageClass annotated as the cluster's default, if any. */
export function treeDefaultClass(graph: ObjectGraph): GraphObject | undefined {
  return graph.ofKind('StorageClass').find((sc) => DEFAULT_CLASS_ANNOTATIONS.some((a) => stringMap(mapping(sc.manifest.metadata).annotations)[a] === 'true'));
}

/** How a claim binds, and why we say so, in words for messages. */
export interface ClaimBinding {
  /** `consumer`: WaitForFirstConsumer; `immediate`; `unknown`: the class, or its mode, is not known here. */
  readonly mode: 'consumer' | 'immediate' | 'unknown';
  /** The StorageClass the claim gets, when known. */
  readonly className?: string;
  /** Why: the StorageClass of the tree, the platform's class, the default the tree's MachineSets show. */
  readonly because: string;
}

const modeOf = (sc: GraphObject): ClaimBinding['mode'] =>
  // the API server defaults volumeBindingMode to Immediate (storage/v1 StorageClass)
  text(sc.manifest.volumeBindingMode) === 'WaitForFirstConsumer' ? 'consumer' : 'immediate';

/** The cloud an OpenShift MachineSet's provider spec names (machine.openshift.io providerSpec.value kind). */
function cloudOf(ms: GraphObject): string | undefined {
  if (apiGroupOf(ms.manifest.apiVersion) !== 'machine.openshift.io') return undefined;
  const value = mapping(mapping(mapping(mapping(mapping(ms.manifest.spec).template).spec).providerSpec).value);
  const kind = text(value.kind) ?? '';
  if (kind.startsWith('AWS') || value.ami !== undefined) return 'AWS';
  if (kind.startsWith('Azure') || value.vmSize !== undefined) return 'Azure';
  if (kind.startsWith('GCP') || value.projectID !== undefined) return 'GCP';
  return undefined;
}

/**
 * Storage the tree installs that may become the cluster's default instead of the cloud's: OpenShift Data Foundation
 * with Ceph device sets, LVM Storage (its class can be the default).
 */
export function otherDefaultStorage(graph: ObjectGraph): boolean {
  const ceph = graph.ofKind('StorageCluster').some((s) => mappings(mapping(s.manifest.spec).storageDeviceSets).length > 0);
  return ceph || graph.ofKind('LVMCluster').length > 0;
}

/** The default class of a claim that names none: the tree's default StorageClass, else OpenShift's on the cloud its MachineSets show. */
function defaultBinding(graph: ObjectGraph): ClaimBinding {
  const annotatedDefault = treeDefaultClass(graph);
  if (annotatedDefault) {
    const className = text(mapping(annotatedDefault.manifest.metadata).name) ?? '';
    return { mode: modeOf(annotatedDefault), className, because: `the tree's default StorageClass '${className}'` };
  }
  const shown = graph.ofKind('MachineSet').flatMap((ms) => {
    const cloud = cloudOf(ms);
    return cloud ? [{ ms, cloud }] : [];
  });
  const clouds = new Set(shown.map((s) => s.cloud));
  if (clouds.size !== 1 || otherDefaultStorage(graph)) return { mode: 'unknown', because: "the cluster's default StorageClass, which the tree does not show" };
  const className = OPENSHIFT_DEFAULT[shown[0].cloud];
  return {
    mode: 'consumer',
    className,
    because: `'${className}', OpenShift's default StorageClass on ${shown[0].cloud} (${graph.id(shown[0].ms)} runs there)`,
  };
}

/**
 * How a claim binds: by its StorageClass's volumeBindingMode where the tree declares the class, by the platform's
 * class of that name, by the default class where it names none. A claim bound to a named volume, or to no class
 * (`storageClassName: ""`, static volumes only), waits for no consumer.
 */
export function claimBinding(graph: ObjectGraph, claim: GraphObject): ClaimBinding {
  const spec = mapping(claim.manifest.spec);
  if (text(spec.volumeName)) return { mode: 'immediate', because: `spec.volumeName '${text(spec.volumeName)}' binds it` };
  if (spec.storageClassName === '') return { mode: 'immediate', because: 'storageClassName "" binds it to an existing volume' };
  const className = text(spec.storageClassName);
  if (className === undefined) return defaultBinding(graph);
  const declared = graph.find('StorageClass', className);
  if (declared) return { mode: modeOf(declared), className, because: `StorageClass '${className}' of the tree` };
  const platform = WAIT_FOR_CONSUMER_CLASSES[className];
  if (platform) return { mode: 'consumer', className, because: `'${className}', the class of ${platform}` };
  return { mode: 'unknown', className, because: `StorageClass '${className}', which the tree does not declare` };
}
