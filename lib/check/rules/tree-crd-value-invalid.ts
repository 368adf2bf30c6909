import { mapping, text } from '../../manifests/access';
import { fieldSchemaOf } from '../../validation/field-schemas';
import { schemaTarget } from '../field-schema-choice';
import type { ObjectGraph } from '../graph';
import { ANY_KIND, Rule } from '../rule';
import { treeCrdVerdict } from '../tree-crd-values';
import { placeholder, sentence } from './field-value-invalid';

/** Whether a CustomResourceDefinition of the tree names the group and kind. */
function definedInTree(graph: ObjectGraph, apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return graph.crdsDefining(group, kind).length > 0;
}

export const treeCrdValueInvalid: Rule = {
  id: 'tree-crd-value-invalid',
  title:
    'a custom resource\'s value that the CustomResourceDefinition applied with it refuses (a string where its schema has a number, `quota: "-1"`; an enum, a pattern, a bound, a CEL rule): the API server refuses the object',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a custom resource whose kind no CRD shipped with the tool defines (those are field-value-invalid's) and a CustomResourceDefinition of the input defines at the object's version (served; its versions[].schema.openAPIV3Schema, or a v1beta1 CRD's validation; several CRDs of the kind must agree), judged as the API server judges it on create, as field-value-invalid judges shipped CRDs: fields the schema lacks pruned, non-nullable nulls dropped and defaults filled, then the schema's type (x-kubernetes-int-or-string fields take an integer or a string; fields under x-kubernetes-preserve-unknown-fields are not judged; a null is no type error), enum, pattern, minimum/maximum, length and size bounds, then its CEL rules (not after a wrong type; transition rules not judged); a value holding a placeholder another tool fills (${VAR}, {{ }}) is unrendered-placeholder's",
  example: 'a CustomResourceDefinition of `scheduling.run.ai` Queues whose `quota` is `type: number`, and a Queue with `quota: "-1"`',
  fix: 'write a value the CRD allows (the message names the field, the value and what is allowed): a number without quotes where the schema has a number',
  source:
    'kubernetes/apiextensions-apiserver pkg/apiserver/schema/defaulting, pkg/apiserver/schema/pruning/algorithm.go, pkg/apiserver/validation/validation.go (OpenAPI value validation by kube-openapi pkg/validation/validate: "must be of type number"), pkg/apiserver/schema/cel/validation.go and pkg/registry/customresource/strategy.go: the API server validates a custom resource by the schema of the CRD that serves its version and refuses the create',
  check(o, ctx) {
    const target = schemaTarget(o.manifest, ctx);
    // whether a CRD of the tree defines the kind, before the shipped schemas are read: most kinds have none in the tree
    if (!target || !definedInTree(ctx.graph, target.apiVersion, target.kind)) return [];
    if (fieldSchemaOf(target.apiVersion, target.kind, target.judged, target.byKueue?.sets)) return [];
    const verdict = treeCrdVerdict(o, ctx.graph);
    if (!verdict) return [];
    const name = text(mapping(o.manifest.metadata).name) ?? '<no name>';
    return verdict.problems.filter((p) => !placeholder(p.value)).map((p) => ({ message: sentence(`${target.kind} ${name}`, p, verdict.source) }));
  },
};
