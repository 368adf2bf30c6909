import { groupVersionOf } from '../k8s/api-version';
import { isMapping, Loose, mapping, text } from './access';
import { allNamesOf, originalNamespace, REF_VAR_NAMES } from './build-ids';
import { FieldSpec, gvkOf, gvkSelected, pathSegments, RefusedWalks, setAt, valueAt, walkFieldSpec } from './field-specs';
import { isClusterScoped } from './scope';

/**
 * A kustomization's `vars:` as kustomize v5 resolves them (api/internal/accumulator/resaccumulator.go MergeVars and
 * ResolveVars, api/types/var.go, api/filters/refvar): each kustomization ties its vars to the one object its objref
 * names among the objects it built; when the root's build ends (after name references follow renamed objects), each
 * var takes the value at its fieldref of that object, and `$(NAME)` is replaced in the fields of the varReference
 * configuration (kustomize's defaults, and those `configurations:` files add).
 */
export interface Var {
  readonly name: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly objectName: string;
  readonly namespace?: string;
  /** The fieldref's fieldpath, metadata.name when it sets none (Var.Defaulting). */
  readonly fieldPath: string;
}

const workload = (kind: string, pod: string): FieldSpec[] =>
  [
    ...['args', 'command', 'env/value', 'volumeMounts/mountPath'].flatMap((f) => [`${pod}/containers/${f}`, `${pod}/initContainers/${f}`]),
    `${pod}/volumes/nfs/server`,
  ].map((path) => ({ kind, path }));

/** kustomize's default varReference configuration (api/internal/konfig/builtinpluginconsts/varreference.go). */
export const VAR_REFERENCES: readonly FieldSpec[] = [
  // its CronJob entries skip the pod template's spec for volumes, as kustomize lists them
  ...workload('CronJob', 'spec/jobTemplate/spec/template/spec').filter((f) => !f.path.endsWith('nfs/server')),
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/volumes/nfs/server' },
  ...workload('DaemonSet', 'spec/template/spec'),
  ...workload('Deployment', 'spec/template/spec'),
  { kind: 'Deployment', path: 'spec/template/metadata/annotations' },
  { kind: 'Ingress', path: 'spec/rules/host' },
  { kind: 'Ingress', path: 'spec/tls/hosts' },
  { kind: 'Ingress', path: 'spec/tls/secretName' },
  ...workload('Job', 'spec/template/spec'),
  ...workload('Pod', 'spec'),
  ...workload('ReplicaSet', 'spec/template/spec'),
  { kind: 'Service', path: 'spec/ports/port' },
  { kind: 'Service', path: 'spec/ports/targetPort' },
  ...workload('StatefulSet', 'spec/template/spec').filter((f) => !f.path.endsWith('nfs/server')),
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/nfs/server' },
  { kind: 'PersistentVolume', path: 'spec/nfs/server' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];

/** The vars a kustomization declares, or why kustomize refuses them. */
export function declaredVars(k: Loose): { vars: Var[]; problems: string[] } {
  const vars: Var[] = [];
  const problems: string[] = [];
  (Array.isArray(k.vars) ? k.vars : []).forEach((entry, i) => {
    const e = mapping(entry);
    const ref = mapping(e.objref);
    const name = text(e.name);
    const kind = text(ref.kind);
    const objectName = text(ref.name);
    if (!name || !kind || !objectName) {
      problems.push(`vars[${i}] needs a name and an objref with kind and name: kustomize cannot tie it to an object`);
      return;
    }
    // Target.GVK: an apiVersion, when given, sets group and version
    const apiVersion = text(ref.apiVersion);
    const { group, version } = apiVersion ? groupVersionOf(apiVersion) : { group: text(ref.group) ?? '', version: text(ref.version) ?? '' };
    vars.push({
      name,
      group,
      version,
      kind,
      objectName,
      namespace: text(ref.namespace) || undefined,
      fieldPath: text(mapping(e.fieldref).fieldpath) || 'metadata.name',
    });
  });
  return { vars, problems };
}

const describe = (v: Var): string =>
  `var '${v.name}' (${v.group ? `${v.group}/` : ''}${v.version || '<no version>'} ${v.kind} '${v.objectName}'${v.namespace ? ` in '${v.namespace}'` : ''})`;

/**
 * resAccumulator.MergeVars: each var tied to the object of the kustomization's build it names, by any name the object
 * had and by group, version and kind exactly (an objref without apiVersion names no versioned object); more than one
 * such object is refused, and so is a var name the build already has (`declared`), even from a sibling kustomization
 * and alike (VarSet.Merge; kubectl kustomize v5.7 refuses both).
 */
export function tieVars(vars: readonly Var[], objects: unknown[], declared: Var[]): string[] {
  const problems: string[] = [];
  for (const v of vars) {
    const matched = objects.flatMap((o, i) => (isMapping(o) && namesVarTarget(o, v) ? [i] : []));
    if (matched.length > 1) {
      problems.push(`${describe(v)} names ${matched.length} objects of the build ("unable to disambiguate"): give the objref's namespace`);
      continue;
    }
    if (matched.length === 1) objects[matched[0]] = withRefVar(objects[matched[0]] as Loose, v.name);
  }
  for (const v of vars) {
    if (!declared.some((d) => d.name === v.name)) declared.push(v);
    else problems.push(`declares var '${v.name}', which the build already has ("var '${v.name}' already encountered"): rename one`);
  }
  return problems;
}

function namesVarTarget(o: Loose, v: Var): boolean {
  const gvk = gvkOf(o);
  if (gvk.group !== v.group || gvk.version !== v.version || gvk.kind !== v.kind || !allNamesOf(o).includes(v.objectName)) return false;
  // ResId.Equals when the objref sets a namespace (or the kind is cluster-scoped), else any namespace
  if (!v.namespace && !isClusterScoped(v.kind)) return true;
  const ns = (n: string | undefined) => (n ? n : 'default');
  return [text(mapping(o.metadata).namespace), originalNamespace(o)].some((n) => ns(n) === ns(v.namespace));
}

function withRefVar(m: Loose, name: string): Loose {
  const meta = mapping(m.metadata);
  const annotations = mapping(meta.annotations);
  const names = [...(text(annotations[REF_VAR_NAMES]) ?? '').split(',').filter(Boolean), name];
  return { ...m, metadata: { ...meta, annotations: { ...annotations, [REF_VAR_NAMES]: names.join(',') } } };
}

/** A var's value: a string, number or boolean; a mapping or list is none (MakePrimitiveReplacer leaves `$(NAME)`). */
type VarValue = string | number | boolean | undefined;

/** resAccumulator.makeVarReplacementMap: each var's value from the first object tied to it, in name order. */
function varValues(vars: readonly Var[], objects: readonly unknown[]): { values: Map<string, VarValue> } | { problem: string } {
  const values = new Map<string, VarValue>();
  for (const v of [...vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const target = objects.find((o) => isMapping(o) && (text(mapping(mapping(o.metadata).annotations)[REF_VAR_NAMES]) ?? '').split(',').includes(v.name));
    if (!target)
      return {
        problem: `${describe(v)} names no object of the build ("cannot be mapped to a field in the set of known resources"): fix the objref (its apiVersion too)`,
      };
    const value = fieldValue(target, v.fieldPath);
    if (value === undefined) return { problem: `${describe(v)}: its object has no field ${v.fieldPath} ("not found in corresponding resource")` };
    values.set(v.name, typeof value === 'object' && value !== null ? undefined : value === null ? 'null' : (value as VarValue));
  }
  return { values };
}

/** RNode.GetFieldValue: a dotted path, where `[n]` or a `.n` step after a list is an index and `[key=value]` an item. */
function fieldValue(o: unknown, fieldPath: string): unknown {
  let node: unknown = o;
  const steps = fieldPath.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
  for (const raw of steps) {
    const step = raw.startsWith('[') ? raw.slice(1, -1) : raw;
    if (Array.isArray(node)) {
      const eq = step.indexOf('=');
      node =
        eq > 0 ? node.find((x) => isMapping(x) && String(x[step.slice(0, eq)]) === step.slice(eq + 1)) : /^\d+$/.test(step) ? node[Number(step)] : undefined;
    } else node = isMapping(node) ? node[step] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** refvar.DoReplacements: `$(NAME)` replaced, `$$` kept as one `$`, a whole-value `$(NAME)` taking the var's own type. */
export function expand(input: string, values: ReadonlyMap<string, VarValue>): string | number | boolean {
  const mapped = (name: string): string | number | boolean => {
    const v = values.get(name);
    return v === undefined ? `$(${name})` : v;
  };
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(' && rest.indexOf(')') > 0) {
      const name = rest.slice(1, rest.indexOf(')'));
      if (input === `$(${name})`) return mapped(name);
      out += String(mapped(name));
      advance = rest.indexOf(')') + 1;
    } else out += rest[0] === '(' ? '$(' : `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * resAccumulator.ResolveVars: the vars' values, then `$(NAME)` replaced in every string the varReference field specs
 * reach (a string, a mapping's string values, a list's strings; a list holding anything else is refused, and so is a
 * path kustomize's fieldspec filter cannot walk through an object: walkFieldSpec).
 */
export function resolveVars(vars: readonly Var[], objects: readonly unknown[], configured: readonly FieldSpec[]): { objects: unknown[]; problems: string[] } {
  if (!vars.length) return { objects: [...objects], problems: [] };
  const found = varValues(vars, objects);
  if ('problem' in found) return { objects: [...objects], problems: [found.problem] };
  const problems: string[] = [];
  const refusals = new RefusedWalks('varReference');
  const specs = [...VAR_REFERENCES, ...configured];
  const out = objects.map((o) => {
    if (!isMapping(o)) return o;
    const m = structuredClone(o);
    for (const spec of specs.filter((s) => gvkSelected(m, s))) {
      const walked = walkFieldSpec(m, pathSegments(spec.path));
      if (walked.refused) refusals.add(spec, m, walked.refused);
      for (const slot of walked.slots) {
        const problem = replaceIn(slot, found.values);
        if (problem)
          problems.push(`${String(m.kind)} '${String(mapping(m.metadata).name)}' ${spec.path.replace(/\//g, '.')} ${problem}: kustomize refuses the build`);
      }
    }
    return m;
  });
  return { objects: out, problems: [...new Set(problems), ...refusals.messages()] };
}

function replaceIn(slot: Parameters<typeof valueAt>[0], values: ReadonlyMap<string, VarValue>): string | undefined {
  const value = valueAt(slot);
  if (typeof value === 'string') setAt(slot, expand(value, values));
  else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') value[k] = expand(v, values);
  } else if (Array.isArray(value)) {
    if (value.some((x) => typeof x !== 'string')) return 'is a list holding a value that is not a string ("invalid value type expect a string")';
    value.forEach((x, i) => (value[i] = expand(x as string, values)));
  }
  return undefined;
}
