import { mapping, stringMap, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { repositoryObjectsOf } from '../found-elsewhere';
import { placedPods } from '../llm-pools';
import { meantAmong } from '../near-names';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { isComputeClass, terraformMayWrite, terraformPoolsOf } from '../terraform-pools';
import { readScope } from '../work-trees';

/** The node label a pod or flavor selects a GKE compute class by. */
const COMPUTE_CLASS_LABEL = 'cloud.google.com/compute-class';

/**
 * The compute classes GKE provides itself, on Autopilot clusters and on Standard clusters from 1.33 (GKE docs "About
 * built-in compute classes": autopilot, autopilot-spot; the Autopilot classes Accelerator, Balanced, Performance,
 * Scale-Out), compared without case.
 */
const BUILT_IN = new Set(['autopilot', 'autopilot-spot', 'accelerator', 'balanced', 'performance', 'scale-out']);

/** The compute class names the object selects, with the field: a flavor's node labels, a workload's pods' node selectors. */
function selected(o: GraphObject): { name: string; field: string }[] {
  const m = o.manifest;
  if (m.kind === 'ResourceFlavor' && /^kueue\.x-k8s\.io\//.test(text(m.apiVersion) ?? '')) {
    const name = stringMap(mapping(m.spec).nodeLabels)[COMPUTE_CLASS_LABEL];
    return name ? [{ name, field: 'spec.nodeLabels' }] : [];
  }
  return placedPods(m).flatMap(({ manifest, label }) => {
    const name = stringMap(mapping(podSpecOf(manifest)).nodeSelector)[COMPUTE_CLASS_LABEL];
    return name ? [{ name, field: `${label}nodeSelector` }] : [];
  });
}

/** The ComputeClasses the tree and its repository define, by name; and the Terraform files that write one. */
function definedClasses(graph: ObjectGraph): { names: string[]; terraform: { file: string; text: string }[] } {
  return graph.once('compute-class-not-found:defined', () => {
    const tree = graph.objects.filter((o) => isComputeClass(o.manifest)).map((o) => text(mapping(o.manifest.metadata).name));
    const repo = repositoryObjectsOf(graph)
      .filter((o) => o.kind === 'ComputeClass')
      .map((o) => o.name);
    const names = [...new Set([...tree, ...repo].filter((n): n is string => n !== undefined))];
    return { names, terraform: terraformPoolsOf(graph).manifestTexts.filter((t) => /\bComputeClass\b/.test(t.text)) };
  });
}

/** The finding on a class none of them defines, or none where one may (a Terraform file mentions its name). */
function missing(graph: ObjectGraph, name: string, field: string): Problem | undefined {
  if (BUILT_IN.has(name.toLowerCase())) return undefined;
  const { names, terraform } = definedClasses(graph);
  if (names.includes(name) || terraformMayWrite(graph, 'ComputeClass', name)) return undefined;
  const scope = readScope(graph);
  const subject = `${field} selects ${COMPUTE_CLASS_LABEL}: ${name}`;
  if (names.length || terraform.length) {
    const listed = names.length
      ? `its ComputeClasses: ${names.join(', ')}`
      : `ComputeClasses only in ${terraform.map((t) => t.file).join(', ')}, whose names are not read`;
    return {
      ...(names.length ? {} : { severity: 'warning' as const }),
      message: `${subject}, a ComputeClass ${scope.lacks} (${listed})${meantAmong(name, names)}: no node carries that class, so GKE makes none for the pods and they stay Pending; select a class that exists, or add ComputeClass '${name}'`,
    };
  }
  const clusters = terraformPoolsOf(graph).clusters.filter((c) => c.cloud === 'gke');
  if (!clusters.length) return undefined;
  return {
    severity: 'warning',
    message:
      `${subject}, a ComputeClass ${scope.lacks}, though the repository's Terraform makes the GKE cluster (${clusters[0].file}): unless it is applied some other way, ` +
      `no node carries that class and the pods stay Pending; add ComputeClass '${name}' beside the manifests or in the Terraform, or select a built-in class`,
  };
}

export const computeClassNotFound: Rule = {
  id: 'compute-class-not-found',
  title:
    'a workload or Kueue ResourceFlavor selects a GKE compute class that neither the tree, its repository nor its Terraform defines: its pods stay Pending',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ResourceFlavor'],
  premise:
    "a pod's nodeSelector or a Kueue ResourceFlavor's spec.nodeLabels selects cloud.google.com/compute-class: NAME, NAME is no built-in class (autopilot, autopilot-spot, Accelerator, Balanced, Performance, Scale-Out), " +
    'and no ComputeClass (cloud.google.com) of that name is in the tree, in the manifests of its git repository (a Terraform heredoc among them), nor named in a Terraform file that writes a ComputeClass; ' +
    'an error where the tree or repository defines other ComputeClasses, a warning where only Terraform files whose class names are not read write some, or where none is defined but the Terraform of the repository makes the GKE cluster (google_container_cluster); silent otherwise (the class may be applied elsewhere)',
  example: 'a ResourceFlavor with `cloud.google.com/compute-class: spot-training` while the tree defines only ComputeClass `name: spot-train`',
  fix: 'select a ComputeClass that exists (or a built-in one), or add the ComputeClass the selector names',
  source:
    'GKE docs "About custom compute classes" (pods select a class by the node selector cloud.google.com/compute-class; nodes of a class carry that label, and GKE creates nodes only for classes that exist) and "About built-in compute classes"; ' +
    "Kueue adds a ResourceFlavor's nodeLabels to the node selector of the pods it admits (pkg/podset); kube-scheduler NodeAffinity",
  check(o, { graph }) {
    return selected(o).flatMap(({ name, field }) => {
      const p = missing(graph, name, field);
      return p ? [p] : [];
    });
  },
};
