import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** The volume sources of a PersistentVolumeSpec (kubernetes pkg/apis/core/types.go PersistentVolumeSource), of which exactly one is set. */
const VOLUME_SOURCES = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'quobyte',
  'cinder',
  'cephfs',
  'flexVolume',
  'flocker',
  'iscsi',
  'fc',
  'azureFile',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'vsphereVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];

/** What ValidatePersistentVolumeSpec refuses of a PersistentVolume's source and node affinity. */
function volumeProblems(spec: Loose): string[] {
  const sources = VOLUME_SOURCES.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length > 1)
    return [
      `spec sets ${sources.join(' and ')}: the API server refuses the PersistentVolume ("may not specify more than 1 volume type"); keep the one source the volume is`,
    ];
  const out: string[] = [];
  const affinity = spec.nodeAffinity;
  // validateVolumeNodeAffinity: a nodeAffinity is "specified" once present, and then must hold required
  if (isMapping(affinity) && (mapping(affinity).required === undefined || mapping(affinity).required === null))
    out.push(
      'spec.nodeAffinity has no required node selector: the API server refuses the PersistentVolume ("must specify required node constraints"); write spec.nodeAffinity.required.nodeSelectorTerms naming the node(s) that hold the volume',
    );
  if (sources[0] === 'local' && (affinity === undefined || affinity === null))
    out.push(
      `spec.local (path ${text(mapping(spec.local).path) ?? '<none>'}) without spec.nodeAffinity: the API server refuses the PersistentVolume ("Local volume requires node affinity"), since a local disk exists on one node only; add spec.nodeAffinity.required.nodeSelectorTerms matching that node (kubernetes.io/hostname In [<node>])`,
    );
  return out;
}

export const persistentVolumeInvalid: Rule = {
  id: 'persistent-volume-invalid',
  title:
    'a PersistentVolume the API server refuses though the schema admits it: a local volume without spec.nodeAffinity, a nodeAffinity without its required node selector, or more than one volume source',
  severity: 'error',
  appliesTo: ['PersistentVolume'],
  premise:
    'a core/v1 PersistentVolume is judged as ValidatePersistentVolumeSpec judges it on create: spec.local needs a node affinity (a local disk is on one node), a nodeAffinity that is present must hold required, and exactly one volume source may be set (a spec with none is left to the schema)',
  example: 'a PersistentVolume with `local: path: /data/volumes/pv1` under spec and no nodeAffinity',
  fix: 'add spec.nodeAffinity.required.nodeSelectorTerms naming the node that holds the local path (kubernetes.io/hostname In [<node>]), or use hostPath or a provisioner',
  source:
    'kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeSpec ("Local volume requires node affinity", "may not specify more than 1 volume type") and validateVolumeNodeAffinity ("must specify required node constraints"); cases after validation_test.go TestValidateLocalVolumes and TestValidateVolumeNodeAffinityUpdate',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (m.apiVersion !== 'v1') return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return volumeProblems(mapping(m.spec)).map((message): Problem => ({ message: `PersistentVolume ${name}: ${message}` }));
  },
};
