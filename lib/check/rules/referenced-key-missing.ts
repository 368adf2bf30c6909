import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containersOf, namespaceLabel, ObjectGraph, podSpecOf, WORKLOAD_KINDS } from '../graph';
import { Problem, Rule } from '../rule';

/** Secret types whose keys a controller fills in (the token controller): the tree does not show them. */
const FILLED_BY_CONTROLLER = new Set(['kubernetes.io/service-account-token']);

/** OpenShift's service CA operator injects service-ca.crt into a ConfigMap with this annotation (service-ca-operator). */
const INJECT_CA_ANNOTATION = 'service.beta.openshift.io/inject-cabundle';
/** OpenShift's network operator injects ca-bundle.crt into a ConfigMap with this label (cluster-network-operator). */
const INJECT_TRUSTED_CA_LABEL = 'config.openshift.io/inject-trusted-cabundle';

interface KeyReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly key: string;
  readonly where: string;
}

/** The keys a pod reads from Secrets and ConfigMaps by name, where they are not optional. */
function keyReferences(m: Loose): KeyReference[] {
  const out: KeyReference[] = [];
  for (const { name: container, container: c } of containersOf(m)) {
    for (const e of mappings(c.env)) {
      const from = mapping(e.valueFrom);
      for (const [field, kind] of [
        ['secretKeyRef', 'Secret'],
        ['configMapKeyRef', 'ConfigMap'],
      ] as const) {
        const r = mapping(from[field]);
        if (text(r.name) && text(r.key) && r.optional !== true)
          out.push({ kind, name: r.name as string, key: r.key as string, where: `container '${container}' env ${String(e.name)}` });
      }
    }
  }
  for (const v of mappings(podSpecOf(m)?.volumes)) {
    for (const [field, nameField, kind] of [
      ['secret', 'secretName', 'Secret'],
      ['configMap', 'name', 'ConfigMap'],
    ] as const) {
      const s = mapping(v[field]);
      if (!text(s[nameField]) || s.optional === true) continue;
      for (const item of mappings(s.items))
        if (text(item.key)) out.push({ kind, name: s[nameField] as string, key: item.key as string, where: `volume '${String(v.name)}' items` });
    }
  }
  return out;
}

/** The keys of the object the tree declares, or undefined when the tree cannot say which keys it has. */
function declaredKeys(graph: ObjectGraph, ref: KeyReference, ns: string | undefined): Set<string> | undefined {
  const declared = graph.find(ref.kind, ref.name, ns);
  if (!declared) return undefined;
  if (ref.kind === 'Secret') {
    if (FILLED_BY_CONTROLLER.has(String(declared.manifest.type))) return undefined;
    // an ExternalSecret or SealedSecret of that name fills or replaces its data on the cluster
    if (graph.secretWrittenByController(ref.name, ns)) return undefined;
  }
  // OpenShift's service CA operator and network operator write keys into ConfigMaps that ask for them
  const meta = mapping(declared.manifest.metadata);
  if (mapping(meta.annotations)[INJECT_CA_ANNOTATION] !== undefined || mapping(meta.labels)[INJECT_TRUSTED_CA_LABEL] !== undefined) return undefined;
  const fields = ref.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const keys = new Set(fields.flatMap((f) => Object.keys(mapping(declared.manifest[f]))));
  // an object declared empty is a shell something else fills (a Job, an operator): its keys are not the tree's
  return keys.size ? keys : undefined;
}

export const referencedKeyMissing: Rule = {
  id: 'referenced-key-missing',
  title: 'a pod reads a key that the Secret or ConfigMap the tree declares does not have',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime'],
  premise:
    "the Secret or ConfigMap is declared in the tree in the pod's namespace with its data, the reference is not optional, and nothing else fills that object (an ExternalSecret or SealedSecret of the same name, a service-account token Secret)",
  example: '`secretKeyRef: {name: app-secrets, key: API_KEY}` with Secret app-secrets whose stringData has only `DB_URL`',
  fix: 'add the key to the Secret or ConfigMap, correct the key name, or mark the reference optional',
  source:
    'kubelet (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): CreateContainerConfigError "couldn\'t find key … in Secret"; a volume item with a missing key fails the mount',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const problems: Problem[] = [];
    for (const ref of keyReferences(o.manifest)) {
      const keys = declaredKeys(graph, ref, ns);
      if (!keys || keys.has(ref.key)) continue;
      const has = [...keys].sort();
      problems.push({
        message:
          `${ref.where} reads key '${ref.key}' of ${ref.kind} ${ref.name} in ${namespaceLabel(ns)}, which the tree declares with only ${has.join(', ')}: ` +
          `the container fails with CreateContainerConfigError; add the key, correct its name, or mark the reference optional`,
      });
    }
    return problems;
  },
};
