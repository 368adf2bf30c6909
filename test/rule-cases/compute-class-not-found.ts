import * as path from 'path';
import { readManifests } from '../../lib';
import { ruleFound, writeTree } from '../util';

const computeClass = (name: string) =>
  `apiVersion: cloud.google.com/v1\nkind: ComputeClass\nmetadata:\n  name: ${name}\nspec:\n  priorities:\n  - machineFamily: n2\n`;
const flavor = (cls: string) =>
  `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ResourceFlavor\nmetadata:\n  name: batch\nspec:\n  nodeLabels:\n    cloud.google.com/compute-class: ${cls}\n`;
const pod = (cls: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\n  namespace: ops\nspec:\n  nodeSelector:\n    cloud.google.com/compute-class: ${cls}\n  containers:\n  - name: c\n    image: registry.example.com/probe:1.0.0\n`;
const cluster = 'resource "google_container_cluster" "main" {\n  name = "polaris"\n}\n';
const classInTerraform = (name: string) =>
  `resource "kubernetes_manifest" "cc" {\n  manifest = {\n    apiVersion = "cloud.google.com/v1"\n    kind       = "ComputeClass"\n    metadata   = { name = "${name}" }\n  }\n}\n`;

const judged = (files: Record<string, string>) => {
  const root = writeTree('compute-class-not-found-', files);
  const read = readManifests([path.join(root)]);
  return ruleFound('compute-class-not-found', read.manifests, { platform: 'kserve', alone: true, ...read }).map(
    (f) => `${f.severity} ${f.object}: ${f.message}`,
  );
};

describe('compute-class-not-found', () => {
  test('a flavor selecting a class the tree does not define while it defines others: an error with the near name', () => {
    expect(judged({ 'cc.yaml': computeClass('batch-spot'), 'flavor.yaml': flavor('batch-spt') })).toEqual([
      'error ResourceFlavor/batch: spec.nodeLabels selects cloud.google.com/compute-class: batch-spt, a ComputeClass the checked tree does not define (its ComputeClasses: batch-spot) (did you mean batch-spot?): ' +
        "no node carries that class, so GKE makes none for the pods and they stay Pending; select a class that exists, or add ComputeClass 'batch-spt'",
    ]);
  });

  test('no ComputeClass anywhere, the Terraform making the GKE cluster: a warning', () => {
    expect(judged({ 'infra/gke.tf': cluster, 'pod.yaml': pod('gpu-burst') })).toEqual([
      expect.stringMatching(
        /^warning Pod\/ops\/probe: nodeSelector selects cloud\.google\.com\/compute-class: gpu-burst, a ComputeClass the checked tree does not define, though the repository's Terraform makes the GKE cluster \(\S*infra\/gke\.tf\): unless it is applied some other way/,
      ),
    ]);
  });

  test('near misses: the class defined in the tree or in the Terraform, a built-in class, no Terraform and no class at all', () => {
    expect(judged({ 'cc.yaml': computeClass('batch-spot'), 'flavor.yaml': flavor('batch-spot') })).toEqual([]);
    expect(judged({ 'infra/gke.tf': cluster + classInTerraform('gpu-burst'), 'pod.yaml': pod('gpu-burst') })).toEqual([]);
    expect(judged({ 'infra/gke.tf': cluster, 'pod.yaml': pod('Performance') })).toEqual([]);
    expect(judged({ 'pod.yaml': pod('gpu-burst') })).toEqual([]);
  });
});
