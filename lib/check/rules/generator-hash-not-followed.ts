import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { isCustomResource } from '../credentials/object-fields';
import { GraphObject, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';

/** The kinds kustomize's generators make (configMapGenerator, secretGenerator). */
type GeneratedKind = 'ConfigMap' | 'Secret';

/** A ConfigMap or Secret a generator made whose name the build suffixed with its content hash. */
interface Hashed {
  readonly kind: GeneratedKind;
  /** Its name before the hash, as the generator wrote it. */
  readonly base: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A string a custom resource holds, with its path and the key it sits under (an array's key for its items). */
interface HeldString {
  readonly path: string;
  readonly key: string;
  /** The key of the mapping holding it: `configMap` for `configMap: {name: …}`. */
  readonly parent?: string;
  readonly value: string;
}

/** A key that names a ConfigMap or Secret object by its name: `configMapName`, `secretName`, `userConfigMap`, `secretRef`, `configMaps`. */
const NAMING_KEY = /(config[-_]?map|secret)s?([-_]?(name|ref))?s?$/i;
/** A mapping whose `name` names a ConfigMap or Secret: `configMap: {name}`, `secretKeyRef: {name, key}`, `configMapRef`. */
const NAMING_PARENT = /(config[-_]?map|secret)s?([-_]?key)?([-_]?(ref|source))?s?$/i;
/** A key that holds some object's name, not saying which kind: `configName`, `userConfigRef`. */
const SOME_NAME = /.(name|ref)s?$/i;

/** The kind a key says its value names, from the key itself or, for a `name`, the mapping holding it. */
function namedKind({ key, parent }: HeldString): GeneratedKind | undefined {
  const word = NAMING_KEY.exec(key)?.[1] ?? (key === 'name' && parent ? NAMING_PARENT.exec(parent)?.[1] : undefined);
  if (!word) return undefined;
  return /secret/i.test(word) ? 'Secret' : 'ConfigMap';
}

/** The strings below a value, with their paths (a.b[0].c) and keys. */
function heldStrings(v: unknown, at: string, key: string, parent: string | undefined, out: HeldString[]): HeldString[] {
  if (typeof v === 'string') out.push({ path: at, key, ...(parent ? { parent } : {}), value: v });
  else if (Array.isArray(v)) v.forEach((item, i) => heldStrings(item, `${at}[${i}]`, key, parent, out));
  else if (isMapping(v)) for (const [k, child] of Object.entries(v)) heldStrings(child, `${at}.${k}`, k, key, out);
  return out;
}

/** The generated objects of each build whose names got the content hash, by the build's root. */
function hashedByBuild(graph: ObjectGraph): Map<string, Hashed[]> {
  return graph.once('generator-hash-not-followed', () => {
    const out = new Map<string, Hashed[]>();
    for (const o of [...graph.ofKind('ConfigMap'), ...graph.ofKind('Secret')]) {
      const name = text(mapping(o.manifest.metadata).name);
      const unit = unitOf(o);
      if (!o.hashedFrom || !name || !unit) continue;
      const namespace = graph.namespaceOf(o.manifest);
      const h: Hashed = { kind: o.manifest.kind as GeneratedKind, base: o.hashedFrom, name, ...(namespace ? { namespace } : {}) };
      out.set(unit, [...(out.get(unit) ?? []), h]);
    }
    return out;
  });
}

/** The nameReference entry that makes kustomize follow the field, as a `configurations:` file holds it. */
function nameReferenceEntry(o: GraphObject, kind: GeneratedKind, at: string): string {
  const fieldPath = at.replace(/\[\d+\]/g, '').replace(/\./g, '/');
  return `nameReference: [{kind: ${kind}, version: v1, fieldSpecs: [{kind: ${String(o.manifest.kind)}, path: ${fieldPath}}]}]`;
}

/** The finding on a field of the custom resource that names a generated object by the name it had before the hash. */
function unfollowed(o: GraphObject, s: HeldString, h: Hashed, said: GeneratedKind | undefined): Problem {
  const root = unitOf(o);
  const how = said
    ? `the field's name says it names a ${h.kind}`
    : `the field holds an object's name and no ${h.kind} of that name is in '${h.namespace ?? 'its namespace'}', so it presumably means this one (if it names another kind of object, acknowledge this)`;
  return {
    ...(said ? {} : { severity: 'warning' as const }),
    message:
      `${s.path.slice(1)} is '${s.value}', the name a ${h.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} in the build of ${root} gives, ` +
      `but the build appends the content hash to it (${h.kind} '${h.name}'), and kustomize renames a reference with it only in the fields its nameReference configuration lists, ` +
      `which this field of a ${String(o.manifest.kind)} is not: it names a ${h.kind} '${s.value}' that does not exist (${how}); ` +
      `turn the hash off (generatorOptions: {disableNameSuffixHash: true}, or options: {disableNameSuffixHash: true} on the generator), ` +
      `or make kustomize follow the field with a \`configurations:\` file holding ${nameReferenceEntry(o, h.kind, s.path.slice(1))}`,
  };
}

export const generatorHashNotFollowed: Rule = {
  id: 'generator-hash-not-followed',
  title:
    "a custom resource names a generated ConfigMap or Secret by its name before kustomize's hash suffix: kustomize does not rename that field, so it names nothing",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a kustomize build generates a ConfigMap or Secret (configMapGenerator, secretGenerator) with the content-hash suffix on (no disableNameSuffixHash), and a custom resource of the same build and namespace (an API group with a dot that Kubernetes itself does not serve) holds the generator's name, unsuffixed, in a field: kustomize's name reference transformer renames only the fields of its built-in configuration and of the build's `configurations:` files, so that field still names the object without the hash, which does not exist; an error where the field's name says it names that kind (`configMapName`, `secretName`, `userConfigMap`, `secretRef`, or `name` under `configMap:`, `secretKeyRef:` …), a warning where it only says it names some object (`…Name`, `…Ref`); not judged where an object of that name is in the namespace anyway, or the field's name says the other kind",
  example:
    '`configMapGenerator` named `llama-stack-config` (hash suffix on) and a LlamaStackDistribution with `configMapName: llama-stack-config` in the same kustomization',
  fix: 'turn the hash suffix off for the generator (`generatorOptions: {disableNameSuffixHash: true}`, or `options:` on the one generator), or list the field in a `configurations:` file as a nameReference of ConfigMap/Secret so kustomize renames it with the hash',
  source:
    'kustomize api/internal/konfig/builtinpluginconsts/namereference.go (the fields it renames), api/filters/nameref/nameref.go, api/hasher/hasher.go (the suffix); examples/transformerconfigs/README.md (nameReference for custom resources) and examples/generatorOptions.md (disableNameSuffixHash)',
  check(o, { graph }) {
    if (!isCustomResource(text(o.manifest.apiVersion) ?? '')) return [];
    const unit = unitOf(o);
    const hashed = unit ? hashedByBuild(graph).get(unit) : undefined;
    if (!hashed) return [];
    const ns = graph.namespaceOf(o.manifest);
    const inReach = hashed.filter((h) => h.namespace === ns);
    const problems: Problem[] = [];
    for (const s of heldStrings(specOf(o.manifest), '', '', undefined, [])) {
      const said = namedKind(s);
      const h = inReach.find((x) => x.base === s.value && (said === undefined || said === x.kind));
      if (!h || (!said && !SOME_NAME.test(s.key))) continue;
      if (graph.find(h.kind, s.value, ns) || graph.scriptCreating(h.kind, s.value, ns)) continue;
      problems.push(unfollowed(o, s, h, said));
    }
    return problems;
  },
};

/** The object's fields other than its type, metadata and status: what it asks for. */
function specOf(m: Loose): Loose {
  const { apiVersion: _v, kind: _k, metadata: _m, status: _s, ...rest } = m;
  return rest;
}
