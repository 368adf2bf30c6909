import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/**
 * The words of expr-lang that are not variables (expr-lang/expr parser: operators, literals, let/if): a formula's
 * other bare names are looked up in the environment KEDA compiles it with.
 */
const EXPR_WORDS = new Set(['true', 'false', 'nil', 'not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

/** KEDA leaves cpu and memory triggers out of the formula's environment (scaledobject_webhook.go cpuString, memoryString). */
const RESOURCE_TRIGGERS = new Set(['cpu', 'memory']);

/** The bare names a formula reads: outside string literals, not a member after '.', not a called function, not bound by let. */
function namesRead(formula: string): string[] {
  const found: string[] = [];
  const bound = new Set<string>();
  const token = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(\d[\w.]*)|([A-Za-z_$#][\w$]*)|(\S)/g;
  let previous = '';
  for (let m = token.exec(formula); m; m = token.exec(formula)) {
    const name = m[3];
    if (name && previous !== '.' && !name.startsWith('$') && !name.startsWith('#') && !EXPR_WORDS.has(name)) {
      const rest = formula.slice(token.lastIndex);
      if (previous === 'let') bound.add(name);
      else if (!/^\s*\(/.test(rest) && !bound.has(name)) found.push(name);
    }
    previous = m[4] ?? name ?? 'literal';
  }
  return [...new Set(found)];
}

/** The names the formula reads that no trigger of the ScaledObject gives KEDA's environment. */
function unknownNames(o: GraphObject): Problem[] {
  const spec = mapping(o.manifest.spec);
  const formula = text(mapping(mapping(spec.advanced).scalingModifiers).formula);
  if (!formula) return [];
  const triggers = mappings(spec.triggers);
  const named = new Set(triggers.filter((t) => !RESOURCE_TRIGGERS.has(text(t.type) ?? '')).flatMap((t) => text(t.name) ?? []));
  const resource = new Set(triggers.filter((t) => RESOURCE_TRIGGERS.has(text(t.type) ?? '')).flatMap((t) => text(t.name) ?? []));
  const unknown = namesRead(formula).filter((n) => !named.has(n));
  if (!unknown.length) return [];
  const given = named.size
    ? `the triggers it can read are named ${[...named].map((n) => `'${n}'`).join(', ')}`
    : 'no trigger other than cpu or memory has a name';
  const resourceNote = unknown.some((n) => resource.has(n)) ? ' (cpu and memory triggers are left out of the formula)' : '';
  return [
    {
      message:
        `spec.advanced.scalingModifiers.formula reads ${unknown.map((n) => `'${n}'`).join(', ')}, which no trigger of the ScaledObject is named, and ${given}${resourceNote}: ` +
        `KEDA compiles the formula with the trigger names as its only variables, and its admission webhook refuses the ScaledObject ("error validating formula in ScalingModifiers" … unknown name); where no webhook runs the ScaledObject is not Ready and no HPA is made; ` +
        `give each trigger the formula reads a spec.triggers[].name, or name the triggers in the formula as they are`,
    },
  ];
}

export const scaledObjectFormulaNameUnknown: Rule = {
  id: 'scaled-object-formula-name-unknown',
  title: "a KEDA ScaledObject's scalingModifiers.formula reads a name no trigger has: KEDA refuses it",
  severity: 'error',
  appliesTo: ['ScaledObject'],
  premise:
    "the ScaledObject's spec.advanced.scalingModifiers.formula reads a bare name (outside string literals, not a member after '.', not a function called, not bound by let, not an expr-lang word or $env) that no trigger of spec.triggers has as its name, counting only triggers other than cpu and memory: KEDA compiles the formula with expr-lang over a map of those trigger names",
  example: '`formula: "pending / 4"` with one prometheus trigger that has no name',
  fix: 'set spec.triggers[].name on each trigger the formula reads, spelled as in the formula',
  source:
    'kedacore/keda apis/keda/v1alpha1/scaledobject_webhook.go verifyScaledObjects → ValidateAndCompileScalingModifiers → validateScalingModifiersFormula (expr.Compile(formula, expr.Env(map of the names of triggers other than cpu and memory)); an unknown name fails the compile and the webhook refuses the object); pkg/scaling/scale_handler.go compiles it again when scaling',
  scope: 'object',
  check(o) {
    return unknownNames(o);
  },
};
