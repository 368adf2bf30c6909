import { mapping, text } from '../../manifests/access';
import { fieldSchemaOf } from '../../validation/field-schemas';
import { schemaTarget } from '../field-schema-choice';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Rule } from '../rule';
import { treeCrdFields } from '../tree-crd-values';

/** The autoscaler kinds whose spec.scaleTargetRef names the object they scale (autoscaling/v2, KEDA keda.sh/v1alpha1). */
const AUTOSCALERS = ['HorizontalPodAutoscaler', 'ScaledObject'];

/**
 * The autoscalers of the input whose scaleTargetRef names the object in its namespace: a target the API server refuses
 * never exists, so they scale nothing, which the finding on the target says.
 */
function autoscalersOf(o: GraphObject, graph: ObjectGraph): string[] {
  const name = text(mapping(o.manifest.metadata).name);
  const ns = graph.namespaceOf(o.manifest);
  return AUTOSCALERS.flatMap((k) =>
    graph
      .ofKind(k)
      .filter((a) => {
        const ref = mapping(mapping(a.manifest.spec).scaleTargetRef);
        return text(ref.kind) === o.manifest.kind && text(ref.name) === name && graph.namespaceOf(a.manifest) === ns;
      })
      .map((a) => graph.id(a)),
  );
}

export const treeCrdFieldRequired: Rule = {
  id: 'tree-crd-field-required',
  title:
    'a custom resource lacks a field that the CustomResourceDefinition applied with it requires (a CRD of the tree, a chart\'s crds/ folder, a vendored subchart\'s): the API server refuses the object ("Required value")',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a custom resource whose kind no CRD shipped with the tool defines (those are field-required-missing's) and a CustomResourceDefinition of the input serves at the object's version (its versions[].schema.openAPIV3Schema, or a v1beta1 CRD's validation; several CRDs of the kind must agree; a CRD serving only another version is not used); a field is missing where the schema's `required` names it inside an object the manifest has, and it has no `default` (defaults are filled before validation); fields under x-kubernetes-preserve-unknown-fields and int-or-string are not walked; the message names the autoscalers of the input (HPA, KEDA ScaledObject) whose scaleTargetRef names the refused object, which then scale nothing",
  example:
    "a CustomResourceDefinition in a vendored subchart's crds/ folder whose spec has `required: [size]`, and a custom resource of that kind whose spec has no size",
  fix: 'add the field the message names (or give it a default in the CRD, if the CRD is yours)',
  source:
    'kubernetes/apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default: an absent field with a default is filled before validation), pkg/apiserver/validation/validation.go (OpenAPI `required`, kube-openapi pkg/validation/validate: "Required value") and pkg/registry/customresource/strategy.go (a create is validated by the schema of the CRD serving its version); kedacore/keda controllers/keda/scaledobject_controller.go (a ScaledObject whose target is not found is not ready and scales nothing)',
  check(o, ctx) {
    const target = schemaTarget(o.manifest, ctx);
    if (!target || target.byKueue) return [];
    const group = target.apiVersion.includes('/') ? target.apiVersion.slice(0, target.apiVersion.indexOf('/')) : '';
    // most kinds have no CRD in the input: asked first, before the shipped schemas are read
    if (!ctx.graph.crdsDefining(group, target.kind).length) return [];
    if (fieldSchemaOf(target.apiVersion, target.kind, target.judged)) return [];
    const fields = treeCrdFields(o, ctx.graph);
    if (!fields?.missing.length) return [];
    const kind = target.kind;
    const name = text(mapping(o.manifest.metadata).name) ?? '<no name>';
    const scalers = autoscalersOf(o, ctx.graph);
    const scaled = scalers.length ? `; ${scalers.join(', ')} scales it and, with the ${kind} refused, has no target and scales nothing` : '';
    return fields.missing.map((f) => ({
      message: `${kind} ${name} lacks the required field ${f.field}: the ${fields.source} schema requires it and gives no default, so the API server refuses the ${kind} ("${f.field}: Required value")${scaled}; add ${f.field}`,
    }));
  },
};
