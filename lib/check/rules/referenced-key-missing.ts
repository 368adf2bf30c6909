import { mapping } from '../../manifests/access';
import { namespaceLabel, ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { PodObjectReference, podReferences } from '../pod-references';
import { componentPods } from '../pod-templates';
import { externalSecretKeys, SubPathReference, subPathReferences } from '../external-secret-keys';
import { Problem, Rule } from '../rule';

/** Secret types whose keys a controller fills in (the token controller): the tree does not show them. */
const FILLED_BY_CONTROLLER = new Set(['kubernetes.io/service-account-token']);

/** OpenShift's service CA operator injects service-ca.crt into a ConfigMap with this annotation (service-ca-operator). */
const INJECT_CA_ANNOTATION = 'service.beta.openshift.io/inject-cabundle';
/** OpenShift's network operator injects ca-bundle.crt into a ConfigMap with this label (cluster-network-operator). */
const INJECT_TRUSTED_CA_LABEL = 'config.openshift.io/inject-trusted-cabundle';

/** The keys of the object the tree has and where it comes from, or undefined when the tree cannot say which keys it has. */
interface KnownKeys {
  readonly keys: Set<string>;
  /** `the tree declares`, or the script that creates it. */
  readonly source: string;
  /** Only a repair script of the tree makes it (script-creations.ts repairStep): what it lacks bites once someone runs it. */
  readonly repair?: string;
  /**
   * The tree declares it with no keys at all (`data: {}`): the kubelet finds none, but something the files do not
   * show may fill the shell (what `filler` names, when the object or a script says so).
   */
  readonly empty?: { readonly filler?: string };
}

/**
 * The keys of a Secret or ConfigMap no manifest declares but a script of the checked folders creates with a command
 * that names them all (`kubectl create secret generic NAME --from-literal=K=V`, `create configmap NAME
 * --from-env-file=app.env` of a file the tree holds); not when something else writes the Secret.
 */
function scriptKeys(graph: ObjectGraph, ref: PodObjectReference, ns: string | undefined): KnownKeys | undefined {
  if (ref.kind === 'Secret' ? graph.secretWrittenByController(ref.name, ns) : ref.kind !== 'ConfigMap') return undefined;
  const made = graph.scriptSecretKeys(ref.name, ns, ref.kind);
  return made && { keys: made.keys, source: `${made.by.script} (line ${made.by.line}) creates`, ...(made.repair ? { repair: made.by.script } : {}) };
}

/** The keys of the object the tree declares, or a script of it creates; undefined when the tree cannot say which keys it has. */
function knownKeys(graph: ObjectGraph, ref: PodObjectReference, ns: string | undefined): KnownKeys | undefined {
  // the Secret an ExternalSecret makes has the keys its target and template give (a manifest of it is replaced)
  const external = ref.kind === 'Secret' ? externalSecretKeys(graph, ref.name, ns) : undefined;
  if (external) return external;
  const keys = declaredKeys(graph, ref, ns);
  if (keys?.size) return { keys, source: 'the tree declares' };
  if (keys) return { keys, source: 'the tree declares', empty: { filler: emptyFiller(graph, ref, ns) } };
  return graph.find(ref.kind, ref.name, ns) ? undefined : scriptKeys(graph, ref, ns);
}

/**
 * What may fill an object the tree declares with no keys: a script of the tree that creates or patches it, or the
 * annotations of the object itself (a controller's mark); undefined when nothing of the tree says anything fills it.
 */
function emptyFiller(graph: ObjectGraph, ref: PodObjectReference, ns: string | undefined): string | undefined {
  const created = graph.scriptCreating(ref.kind, ref.name, ns);
  if (created) return `${created.script} (line ${created.line}) creates it`;
  const kind = ref.kind.toLowerCase();
  const patch = graph.scriptPatches.find((p) => [`${kind}/${ref.name}`, `${kind}s/${ref.name}`].includes(p.resource));
  if (patch) return `${patch.script} (line ${patch.line}) patches it`;
  const annotations = Object.keys(mapping(mapping(graph.find(ref.kind, ref.name, ns)?.manifest.metadata).annotations));
  return annotations.length ? `its annotations (${annotations.join(', ')}) may have a controller fill it` : undefined;
}

/** The keys of the object the tree declares, or undefined when the tree cannot say which keys it has. */
function declaredKeys(graph: ObjectGraph, ref: PodObjectReference, ns: string | undefined): Set<string> | undefined {
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
  // one written without data is a shell something else fills (a Job, an operator): its keys are not the tree's; one
  // written with an empty map (`data: {}`) declares it has none, and knownKeys asks what else may fill it
  if (fields.every((f) => declared.manifest[f] === undefined || declared.manifest[f] === null)) return undefined;
  return new Set(fields.flatMap((f) => Object.keys(mapping(declared.manifest[f]))));
}

/**
 * The finding for a key read from an object the tree declares with no keys: an error where nothing of the tree fills
 * it (the kubelet finds no key: CreateContainerConfigError), a warning naming what may.
 */
function emptyProblem(lead: string, ref: PodObjectReference, filler: string | undefined): Problem {
  const fails = `the container fails with CreateContainerConfigError (couldn't find key in ${ref.kind})`;
  if (filler)
    return {
      severity: 'warning',
      message: `${lead}, though ${filler}: unless that writes the key before the pod starts, ${fails}; declare the key in the tree (a generator, an ExternalSecret), or mark the reference optional`,
    };
  return {
    message: `${lead}, and nothing of the tree fills it: ${fails}; declare the key in the tree (a generator, an ExternalSecret, stringData), or mark the reference optional`,
  };
}

/**
 * A subPath naming no key of the volume's object: the kubelet finds no such file in the volume and creates the path as
 * an empty directory (kubelet_pods.go makeMounts: SafeMakeDir of a missing subPath), so the container gets a folder
 * where it reads a file, or fails to start where the directory cannot be made.
 */
function subPathProblem(lead: string, ref: SubPathReference, known: KnownKeys): Problem {
  const consequence =
    `the kubelet finds no file of that name in the volume and makes an empty directory in its place, so ${ref.mountPath || 'the mount path'} is an empty folder, not the file ` +
    `(or the container fails to start: "failed to create subPath directory")`;
  const message = `${lead}: ${consequence}; set subPath to a key the ${ref.kind} has, or give the ${ref.kind} that key`;
  return known.repair || known.empty?.filler ? { severity: 'warning', message } : { message };
}

export const referencedKeyMissing: Rule = {
  id: 'referenced-key-missing',
  title:
    'a pod reads a key (by env, volume items or a subPath mount) that the Secret or ConfigMap the tree declares, or the Secret an ExternalSecret makes, does not have',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'ServingRuntime'],
  premise:
    "the Secret or ConfigMap is declared in the tree in the pod's namespace with its data, or the Secret or ConfigMap is no manifest but a script or README of the tree creates it with a command that names every key (`kubectl create secret generic NAME --from-literal=K=V`, `--from-file=K=path` or a file's name, `--from-env-file=path` of a file the tree holds: its lines' keys, `tls`, `docker-registry`, a heredoc's manifest; `create configmap` with the same sources; not with a key from a variable, a folder or an env file the tree lacks, nor when the script patches the Secret), the reference is not optional, and nothing else fills that object (a SealedSecret of the same name, a service-account token Secret); a Secret an ExternalSecret of the tree makes (spec.target.name, else its name) has the keys ESO writes: without a template spec.data's secretKeys, with one its data keys and its templateFrom configMap and secret items' keys (templateAs Values, target Data), plus spec.data's where mergePolicy is Merge or the template writes no data; not judged where the keys are not known (dataFrom, a literal templateFrom, KeysAndValues, creationPolicy Merge, CreateOrMerge or None); a key is read by env, a volume's items, or a container's subPath into a configMap or secret volume without items (its first segment names the key; the kubelet makes an empty directory in place of a missing one); an object written with an empty data map (`data: {}`; not one without data at all, a shell something else fills) is judged too: an error where nothing of the tree fills it, a warning where a script of the tree creates or patches it or the object carries annotations (a controller's mark that may fill it); a warning where the only creator is a repair script: one that reads the Secret from the cluster (`kubectl get secret NAME`) before it re-creates it, and that no other script or README of the tree runs (the Secret was made first by something the tree does not show); not judged: a name or key holding a renderer's syntax (`key: ${HF_SECRET_KEY}`: what only the rendering decides, unrendered-placeholder's)",
  example: '`secretKeyRef: {name: app-secrets, key: API_KEY}` with Secret app-secrets whose stringData has only `DB_URL`',
  fix: 'add the key to the Secret or ConfigMap, correct the key name, or mark the reference optional',
  source:
    'kubectl pkg/cmd/util/env_file.go processEnvFileLine (an env file\'s keys: each line before its `=`, blank and `#` lines skipped); kubelet (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): CreateContainerConfigError "couldn\'t find key … in Secret"; a volume item with a missing key fails the mount; makeMounts (a subPath missing from the volume is created as a directory: SafeMakeDir, else "failed to create subPath directory"); external-secrets pkg/controllers/externalsecret/externalsecret_controller_template.go ApplyTemplate (no template: the provider data; a template: its keys, the provider data only with mergePolicy Merge or no template data; creationPolicy Merge keeps the existing keys) and pkg/controllers/templating/parser.go MergeConfigMap, MergeSecret, MergeLiteral (templateAs Values writes the item key; KeysAndValues and literals write keys from the template), apis/externalsecrets/v1 externalsecret_types.go',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const problems: Problem[] = [];
    // an InferenceService's transformer and explainer pods read Secrets and ConfigMaps of their own
    const refs = [
      ...podReferences(o.manifest),
      ...componentPods(o.manifest).flatMap(({ manifest, prefix }) => podReferences(manifest).map((r) => ({ ...r, where: `${prefix}${r.where}` }))),
    ];
    const mounted = subPathReferences(o.manifest);
    for (const ref of [...refs, ...mounted]) {
      const known = ref.keys.some((k) => k !== undefined) ? knownKeys(graph, ref, ns) : undefined;
      for (const key of ref.keys) {
        if (!known || key === undefined || known.keys.has(key)) continue;
        const has = [...known.keys].sort();
        const lead = `${ref.where} reads key '${key}' of ${ref.kind} ${ref.name} in ${namespaceLabel(ns)}, which ${known.source} with ${has.length ? `only ${has.join(', ')}` : 'no keys at all (no data)'}`;
        if ('mountPath' in ref) {
          problems.push(subPathProblem(lead, ref as SubPathReference, known));
          continue;
        }
        if (known.empty) {
          problems.push(emptyProblem(lead, ref, known.empty.filler));
          continue;
        }
        problems.push(
          known.repair
            ? {
                severity: 'warning',
                message:
                  `${lead}; ${known.repair} reads the ${ref.kind} from the cluster before it re-creates it and nothing of the tree runs it, so something else made it first (with keys the tree does not show): ` +
                  `once the script runs, the container fails with CreateContainerConfigError; add the key to the script, or mark the reference optional`,
              }
            : { message: `${lead}: the container fails with CreateContainerConfigError; add the key, correct its name, or mark the reference optional` },
        );
      }
    }
    return problems;
  },
};
