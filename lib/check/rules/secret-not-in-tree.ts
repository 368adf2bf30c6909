import { Loose, mapping, mappings, text } from '../../manifests/access';
import { deployedByRepository, REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { connectionsBesidesKey, STORAGE_CONFIG } from '../connections';
import { GraphObject } from '../graph-object';
import { modelSpecOf } from '../serving-model';
import { namespaceLabel, ObjectGraph } from '../graph';
import { alsoBy, firstById } from '../one-per-cause';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Platform } from '../platform';
import { isModelMesh } from '../modelmesh-storage';
import { podReferences } from '../pod-references';
import { heldOnlyElsewhere } from '../held-elsewhere';
import type { ScriptCreated } from '../../manifests/script-creations';
import { predictorAccountOf } from '../predictor-account';
import { componentPods, MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { creatorOf, ScriptSecret, treeScriptSecrets } from '../script-secrets';
import { CONNECTIONS_ANNOTATION, EXTERNAL_SECRETS_ANNOTATION, STORAGE_SECRET_ANNOTATION } from '../../k8s/keys';
import { perRun } from '../../private/run-memo';
import { holdsTemplate } from '../template-syntax';
import { reportsTemplateSyntax } from './unrendered-placeholder';
import { unseenHedged, UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';
import { didYouMean, objectCandidates } from '../near-names';
import { deliverersOf } from '../argocd/application';
import { fluxDeliverersOf } from '../flux-kustomizations';

/**
 * The Secret a storage key without storageSecretName needs: upstream KServe reads the key from storage-config; OpenShift
 * AI builds storage-config from the connection Secret of the key's name, so that one is needed, unless the tree writes
 * storage-config itself with the key (a hand-written storage-config, which storage-credentials-missing judges).
 */
function storageKeySecret(graph: ObjectGraph, key: string, ns: string | undefined, platform: Platform): string {
  if (platform === 'kserve') return STORAGE_CONFIG;
  const storageConfig = graph.find('Secret', STORAGE_CONFIG, ns);
  const keys = storageConfig ? [...Object.keys(mapping(storageConfig.manifest.data)), ...Object.keys(mapping(storageConfig.manifest.stringData))] : [];
  return keys.includes(key) ? STORAGE_CONFIG : key;
}

/**
 * What creates the Secret of that name in the namespace by a script (a Job's `cat <<EOF | oc apply -f-`, `oc create
 * secret`): the object or script file that does, or the resource kustomize refuses for want of a name whose script
 * would have, with the root it refuses; undefined when nothing does.
 */
function scriptCreating(
  graph: ObjectGraph,
  name: string,
  ns: string | undefined,
  synced: boolean,
): Pick<MissingSecret, 'script' | 'refused' | 'documented' | 'terraform'> | undefined {
  const created = treeScriptSecrets(graph);
  const here = (c: ScriptSecret) => c.name === name && (c.namespace === undefined || ns === undefined || c.namespace === ns);
  const inCluster = created.delivered.filter(here);
  const running = inCluster.find((c) => !graph.inFailedBuild(c.object));
  if (running) return { script: creatorOf(running) };
  const file = graph.scriptCreating('Secret', name, ns);
  // a guide's command (README.md) is a step a person runs by hand: where an Application or Flux Kustomization of the
  // input syncs the object, nothing runs it on sync, so the Secret is still not in the tree; applied by hand, the guide
  // is the procedure that makes it
  if (file && synced && isDocument(file.script)) return { documented: `${file.script} (line ${file.line})` };
  // a file of the repository outside the checked folder (a CI workflow, an Ansible task): check sees the command, not what it puts in
  if (file && isTerraform(file)) return { script: terraformMaker(file), terraform: true };
  if (file) return { script: `${file.script} (line ${file.line})${file.outside ? ', outside the checked folder (check does not see what it holds),' : ''}` };
  const computed = graph.scriptCreated.find(
    (c) => isTerraform(c) && c.kind === 'Secret' && computedNameFits(c.name, name) && (c.namespace === undefined || ns === undefined || c.namespace === ns),
  );
  if (computed) return { script: terraformMaker(computed, name), terraform: true };
  // a Job in a build kustomize refuses never runs: the Secret its script would make is missing for that reason
  const refused = created.refused.find(here);
  if (refused)
    return {
      refused: { by: refused.by, file: refused.object.file ?? '', root: rootOf(refused.object), why: `it has no metadata.name${generated(refused.object)}` },
    };
  const failed = inCluster[0];
  return failed && { refused: { by: failed.by, file: failed.object.file ?? '', root: rootOf(failed.object), why: 'see kustomize-build-fails' } };
}

/** A creation by a Terraform configuration's kubernetes provider resource (terraformCreatedObjects). */
const isTerraform = (c: ScriptCreated) => c.script.endsWith('.tf') && (c.command ?? '').startsWith('resource "');

/**
 * Whether a name Terraform computes (`${var.prefix}-smtp`: a quoted string whose interpolation no default fills) may be
 * the name referenced: its literal parts, in order, with anything for each interpolation, and at least three literal
 * characters (a name that is all interpolation says nothing of which Secret it is).
 */
function computedNameFits(computed: string, name: string): boolean {
  if (!computed.includes('${')) return false;
  const parts = computed.split(/\$\{[^}]*\}/);
  if (parts.join('').length < 3) return false;
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`).test(name);
}

/** What a finding says makes the Secret: the Terraform resource, its file and line, and for a computed name that it may be this one. */
function terraformMaker(c: ScriptCreated, name?: string): string {
  const where = `${c.script}, line ${c.line}: ${c.command}${c.outside ? ', outside the checked folder' : ''}`;
  return name ? `${where}, under a name it computes, '${c.name}', which may be '${name}'` : where;
}

/** A guide whose commands the scripts' reader also reads (a README's): what it shows, a person runs by hand. */
const isDocument = (file: string) => /\.(md|markdown|adoc|rst|txt)$/i.test(file);

const rootOf = (o: GraphObject) => (o.kustomizations ?? [])[0] ?? '';
const generated = (o: GraphObject) => (text(mapping(o.manifest.metadata).generateName) ? ', only generateName, "missing metadata.name in object"' : '');

/** A Secret an object references that the tree does not deliver: a dashboard data connection, or one a script of the tree creates. */
interface MissingSecret {
  readonly name: string;
  readonly connection: boolean;
  /** Named only by imagePullSecrets: the kubelet pulls without it rather than failing the pod. */
  readonly pull?: boolean;
  /** Named only as where an InferenceService's storage.key is read: the key, an entry of storage-config (storageKeyHarm). */
  readonly storageKey?: string;
  /** The object whose script creates it. */
  readonly script?: string;
  /** The script is a Terraform configuration's kubernetes provider resource: applied by terraform apply, not run. */
  readonly terraform?: true;
  /** The guide (a README's command, with its line) that tells a person to create it by hand: still a Secret the tree lacks. */
  readonly documented?: string;
  /** The object in a build kustomize refuses whose script would create it (a Job without a name), its file, the root, and why. */
  readonly refused?: { readonly by: string; readonly file: string; readonly root: string; readonly why: string };
}

/** The Secrets an object references that the tree does not deliver, each marked when it is a dashboard data connection. */
function missingSecrets(o: GraphObject, graph: ObjectGraph, platform: Platform): readonly MissingSecret[] {
  // each object's are asked three times a run (its own check, and the referrers of connections and of plain Secrets)
  return perRun('missing-secrets', [graph, o, platform], () => missingSecretsNow(o, graph, platform));
}

/**
 * The Secret an InferenceService's storage.key is read from, and whether nothing else of the object names it; marked
 * reported elsewhere where the key names no connection while the tree holds the namespace's connections
 * (storage-credentials-missing's error names them).
 */
function storageKeyReference(
  o: GraphObject,
  graph: ObjectGraph,
  platform: Platform,
  refs: ReadonlySet<string>,
): { key?: string; keyed?: string; keyedOnly: boolean; reportedElsewhere: boolean } {
  const ns = graph.namespaceOf(o.manifest);
  // a ModelMesh service's key is an entry of storage-config, which storage-credentials-missing judges: no Secret of that name is read
  const key = o.manifest.kind === 'InferenceService' && !isModelMesh(o.manifest) ? text(mapping(modelSpecOf(o.manifest).storage).key) : undefined;
  // KServe reads storage.key from the Secret serving.kserve.io/storageSecretName names (pod webhook,
  // CreateStorageSpecSecretEnvs: "can't read storage secret"); without it from storage-config, which OpenShift AI
  // generates from the connection Secret of the key's name
  const storageSecret = text(mapping(mapping(o.manifest.metadata).annotations)[STORAGE_SECRET_ANNOTATION]);
  const keyed = key ? (storageSecret ?? storageKeySecret(graph, key, ns, platform)) : undefined;
  const keyedOnly = keyed !== undefined && !refs.has(keyed);
  const reportedElsewhere =
    keyedOnly &&
    keyed === key &&
    !storageSecret &&
    platform !== 'kserve' &&
    !graph.find('Secret', STORAGE_CONFIG, ns) &&
    !!connectionsBesidesKey(graph, keyed, ns);
  return { key, keyed, keyedOnly, reportedElsewhere };
}

/**
 * The pull Secrets an object lists outside a pod spec: a ServiceAccount's imagePullSecrets, which the ServiceAccount
 * admission plugin copies into each pod that runs as it (kubernetes plugin/pkg/admission/serviceaccount admission.go,
 * "imagePullSecrets ... added to the pod"), and a runtime's spec.imagePullSecrets, which KServe puts in the pods of
 * the services that use it (kserve ServingRuntimePodSpec.ImagePullSecrets).
 */
function ownPullSecrets(m: Loose): string[] {
  const listed = m.kind === 'ServiceAccount' ? m.imagePullSecrets : RUNTIME_KINDS.includes(String(m.kind)) ? mapping(m.spec).imagePullSecrets : undefined;
  return mappings(listed).flatMap((r) => text(r.name) ?? []);
}

const RUNTIME_KINDS = ['ServingRuntime', 'ClusterServingRuntime'];

function missingSecretsNow(o: GraphObject, graph: ObjectGraph, platform: Platform): MissingSecret[] {
  const ns = graph.namespaceOf(o.manifest);
  const external = new Set(
    (text(mapping(mapping(o.manifest.metadata).annotations)[EXTERNAL_SECRETS_ANNOTATION]) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  // a Deployment's pod, and each pod template of the kinds that run several (a Ray cluster's head and worker groups,
  // a JobSet's or a TrainingRuntime's replicated Jobs)
  // a ClusterServingRuntime's containers run in the pod of every service that uses it, as a ServingRuntime's do
  const own = o.manifest.kind === 'ClusterServingRuntime' ? { ...o.manifest, kind: 'ServingRuntime' } : o.manifest;
  const refs = new Set(
    [own, ...[...templatePods(o.manifest), ...componentPods(o.manifest)].map((p) => p.manifest)]
      .flatMap((m) => podReferences(m))
      .filter((r) => r.kind === 'Secret')
      .map((r) => r.name),
  );
  // the registry credentials of the pod (spec.imagePullSecrets), which the kubelet skips when missing
  const pulls = new Set([
    ...[o.manifest, ...[...templatePods(o.manifest), ...componentPods(o.manifest)].map((p) => p.manifest)].flatMap((m) =>
      mappings(podSpecOf(m)?.imagePullSecrets).flatMap((r) => text(r.name) ?? []),
    ),
    ...ownPullSecrets(o.manifest),
  ]);
  const pullOnly = new Set([...pulls].filter((n) => !refs.has(n)));
  for (const n of pulls) refs.add(n);
  const { key, keyed, keyedOnly, reportedElsewhere } = storageKeyReference(o, graph, platform, refs);
  if (keyed) refs.add(keyed);
  // OpenShift AI's connection webhook denies a service whose connection Secret does not exist
  const connection = o.manifest.kind === 'InferenceService' ? text(mapping(mapping(o.manifest.metadata).annotations)[CONNECTIONS_ANNOTATION]) : undefined;
  if (connection) refs.add(connection);
  // KServe's storage initializer reads download credentials from the Secrets its ServiceAccount lists
  if (o.manifest.kind === 'ServiceAccount') for (const r of mappings(o.manifest.secrets)) if (text(r.name)) refs.add(r.name);
  // on OpenShift AI odh-model-controller writes storage-config from the namespace's connections (storage-credentials-missing judges its keys)
  const written = (n: string) => n === STORAGE_CONFIG && platform !== 'kserve';
  // a Secret a file of the tree meant to declare but that does not parse is that file's error (unreadable-input,
  // argocd-directory-file-invalid), not a Secret kept out of Git
  const unparsed = (n: string) => graph.unread.some((u) => u.kind === 'unparsable' && u.declares?.some((d) => d.kind === 'Secret' && d.name === n));
  // a name holding template syntax in an object left unrendered is unrendered-placeholder's
  const unrendered = (n: string) => holdsTemplate(n) && reportsTemplateSyntax(o.manifest);
  // a Secret the tree makes only in other namespaces, read by a workload's pods, is reference-in-other-namespace's
  const apart = new Set(WORKLOAD_KINDS.includes(String(o.manifest.kind)) ? podReferences(o.manifest).map((r) => r.name) : []);
  const elsewhere = (n: string) => apart.has(n) && heldOnlyElsewhere(graph, 'Secret', n, ns) !== undefined;
  const missing = [...refs]
    .filter((n) => !external.has(n) && !written(n) && !graph.secretInTree(n, ns) && !unparsed(n) && !unrendered(n) && !(reportedElsewhere && n === keyed))
    .filter((n) => !elsewhere(n))
    .sort();
  const synced = deliverersOf(o, graph).length > 0 || fluxDeliverersOf(o, graph).length > 0;
  // the OpenShift AI dashboard names the Secret of a data connection aws-connection-<name> and creates it outside Git
  return missing.map((name) => {
    const made = scriptCreating(graph, name, ns, synced);
    if (made) return { name, connection: false, ...made };
    if (pullOnly.has(name)) return { name, connection: false, pull: true };
    // a dashboard data connection is said as one, for every object that uses it (storage key or env)
    const connection = platform !== 'kserve' && name.startsWith('aws-connection-');
    if (keyedOnly && name === keyed && !connection) return { name, connection: false, storageKey: key };
    return { name, connection };
  });
}

/** The objects that reference each missing Secret of a kind (namespace and name as key), by their ids. */
function referrersOf(graph: ObjectGraph, platform: Platform, connection: boolean): Map<string, GraphObject[]> {
  return graph.once(`secret-not-in-tree:${connection ? 'connections' : 'plain'}:${platform}`, () => {
    const by = new Map<string, GraphObject[]>();
    for (const kind of secretNotInTree.appliesTo)
      for (const x of graph.ofKind(kind))
        for (const m of missingSecrets(x, graph, platform).filter((s) => !s.script && s.connection === connection)) {
          const key = `${graph.namespaceOf(x.manifest) ?? ''}\0${m.name}`;
          by.set(key, [...(by.get(key) ?? []), x]);
        }
    return firstById(graph, by);
  });
}

/**
 * One warning per dashboard data connection the tree references but does not hold, on the first object that
 * references it (the others are counted): OpenShift AI's dashboard creates such Secrets outside Git by design.
 */
function connectionFindings(o: GraphObject, graph: ObjectGraph, platform: Platform, all: readonly MissingSecret[]): Problem[] {
  const referrers = referrersOf(graph, platform, true);
  const ns = graph.namespaceOf(o.manifest);
  return all
    .filter((m) => m.connection)
    .flatMap((m) => {
      const users = referrers.get(`${ns ?? ''}\0${m.name}`) ?? [o];
      if (users[0] !== o) return [];
      const others = users.length > 1 ? ` (referenced by ${users.length} objects)` : '';
      return [
        {
          message: `Secret ${m.name}${others} is created in the dashboard (data connection) - not in the tree; make sure the connection exists in ${namespaceLabel(ns)} before sync, or the services that use it cannot fetch their model`,
        },
      ];
    });
}

/**
 * What a ServiceAccount's missing listed Secret costs: KServe reads a predictor account's secrets for the storage
 * initializer (predictorAccountOf); for any other account (a Tekton pipeline's, a Job's) the pods still start, without
 * the credential the list was meant to give them.
 */
function accountHarm(account: GraphObject, graph: ObjectGraph): string {
  const serves = graph.ofKind('InferenceService').some((isvc) => predictorAccountOf(graph, isvc.manifest).account === account);
  return serves
    ? "KServe's webhook refuses the predictor pods that use this account"
    : 'the pods that run as this account get no credential from it (whatever reads its secrets list, a pipeline or a registry pull, finds nothing)';
}

/**
 * The warning for the Secrets an object references that no manifest of the tree declares, each said once: on the first
 * object that references it, counting the others (one cause, one finding, however many Deployments use the Secret).
 */
function missingFinding(o: GraphObject, graph: ObjectGraph, platform: Platform, all: readonly MissingSecret[]): Problem[] {
  const referrers = referrersOf(graph, platform, false);
  const ns = graph.namespaceOf(o.manifest);
  const users = (name: string) => referrers.get(`${ns ?? ''}\0${name}`) ?? [o];
  const first = all.filter((m) => !m.connection && !m.script && users(m.name)[0] === o);
  const unmounted = new Map(first.flatMap((m) => (m.refused || m.pull || m.storageKey ? [] : unmountedProvider(graph, m.name, ns))));
  const mine = first.filter((m) => !m.refused && !m.pull && !m.storageKey && !unmounted.has(m.name)).map((m) => m.name);
  const sharedBy = (names: readonly string[]) =>
    alsoBy(
      'referenced',
      [...new Set(names.flatMap((n) => users(n).slice(1)).filter((x) => x !== o))].map((x) => graph.id(x)),
      graph.id(o),
    );
  const harm = o.manifest.kind === 'ServiceAccount' ? accountHarm(o, graph) : 'the pod fails with CreateContainerConfigError';
  const refused = first.flatMap(({ name, refused: r }) =>
    r
      ? [
          {
            message: `references Secret ${name} in ${namespaceLabel(ns)}${sharedBy([name])}, which only the script of ${r.by} (${r.file}) creates, and kustomize refuses the build of ${r.root} that holds it (${r.why}): nothing of that root is applied, so the Secret is never made and ${harm}; fix that build`,
          },
        ]
      : [],
  );
  const pulls = first
    .filter((m) => m.pull)
    .map((m) => unlessRepositoryMakes(graph, unseenHedged(graph, ns, pullFinding(graph, ns, m.name, sharedBy([m.name]))), 'Secret', m.name, ns));
  const keys = first.filter((m) => m.storageKey && !m.refused).map((m) => ({ message: storageKeyMessage(m.name, m.storageKey!, ns, sharedBy([m.name])) }));
  const providers = [...unmounted].map(([name, spc]) => ({
    message: `references Secret ${name} in ${namespaceLabel(ns)}${sharedBy([name])}, which SecretProviderClass ${spc} of the tree syncs (spec.secretObjects), but no pod of the tree mounts its volume (csi driver secrets-store.csi.k8s.io, volumeAttributes.secretProviderClass: ${spc}): the Secrets Store CSI Driver writes the Secret only while a pod mounts that volume, so it is never made and ${harm}; mount the class's CSI volume in this pod`,
  }));
  // a Secret another folder of the repository deploys is said apart, naming that file
  const byRepository = mine.filter((n) => deployedByRepository(graph, 'Secret', n, ns));
  const unmade = mine.filter((n) => !byRepository.includes(n));
  // a ClusterServingRuntime's Secrets are read in the namespace of each service whose pod runs its containers
  const inNamespace = o.manifest.kind === 'ClusterServingRuntime' ? 'the namespace of each InferenceService that uses it' : namespaceLabel(ns);
  const guides = new Map(first.flatMap((m) => (m.documented ? [[m.name, m.documented] as const] : [])));
  const guided = (names: readonly string[]) =>
    names
      .filter((n) => guides.has(n))
      .map((n) => ` (${names.length > 1 ? `${n}: ` : ''}${guides.get(n)} shows a command that creates it by hand, which nothing runs on sync)`)
      .join('');
  const notDefined = (names: readonly string[]): Problem => ({
    message: `references Secret${names.length > 1 ? 's' : ''} ${names.join(', ')} in ${inNamespace}${sharedBy(names)}, not defined in the tree${names.length === 1 ? meantSecret(graph, names[0], ns) : ''}${guided(names)}; create ${names.length > 1 ? 'them' : 'it'} before sync (dashboard connection, External Secrets or Sealed Secrets), or ${harm}`,
  });
  return [
    ...refused,
    ...pulls,
    ...keys,
    ...providers,
    ...byRepository.map((n) => unlessRepositoryMakes(graph, notDefined([n]), 'Secret', n, ns)),
    ...(unmade.length ? [unseenHedged(graph, ns, notDefined(unmade))] : []),
  ];
}

/** ` (did you mean …?)` where a Secret name misspells one the tree holds in the namespace (any namespace, where it is unknown), else ''. */
function meantSecret(graph: ObjectGraph, name: string, ns: string | undefined): string {
  const meant = didYouMean(name, objectCandidates(graph.ofKind('Secret').filter((s) => ns === undefined || graph.namespaceOf(s.manifest) === ns)));
  return meant ? ` (${meant})` : '';
}

/** The SecretProviderClass that would sync the Secret were its volume mounted by a pod of the tree, as [secret, class]. */
function unmountedProvider(graph: ObjectGraph, name: string, ns: string | undefined): [string, string][] {
  const synced = graph.secretProviderClassSyncing(name, ns);
  return synced && !synced.mounted ? [[name, text(mapping(synced.spc.manifest.metadata).name) ?? '<no name>']] : [];
}

/** The types of a registry credential Secret (`kubectl create secret docker-registry`, and its legacy form). */
const REGISTRY_SECRET_TYPES = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'];

/**
 * An imagePullSecrets entry naming a Secret the tree does not hold: the kubelet pulls without it (kubelet_pods.go
 * getPullSecretsForPod: "Unable to retrieve pull secret, the image pull may not succeed"), so a private registry refuses
 * the pull. An error where the tree settles that nothing else makes it: it defines the namespace and holds other
 * registry Secrets there (the tree's own way of giving credentials); a warning otherwise.
 */
function pullFinding(graph: ObjectGraph, ns: string | undefined, name: string, shared: string): Problem {
  const registry = graph
    .ofKind('Secret')
    .filter((s) => graph.namespaceOf(s.manifest) === ns && REGISTRY_SECRET_TYPES.includes(String(s.manifest.type)))
    .map((s) => text(mapping(s.manifest.metadata).name) ?? '')
    .filter(Boolean);
  const defined = ns !== undefined && graph.ofKind('Namespace').some((n) => text(mapping(n.manifest.metadata).name) === ns);
  const harm = `the kubelet pulls without it ("Unable to retrieve pull secret"), so a private registry refuses the pull (ErrImagePull, ImagePullBackOff)`;
  if (defined && registry.length)
    return {
      severity: 'error',
      message: `imagePullSecrets names Secret ${name} in ${namespaceLabel(ns)}${shared}, which nothing of the tree makes, though the tree defines the namespace and its registry Secret${registry.length > 1 ? 's' : ''} there (${registry.slice(0, 3).join(', ')}): ${harm}; name ${registry[0]}, or add ${name}`,
    };
  return {
    message: `imagePullSecrets names Secret ${name} in ${namespaceLabel(ns)}${shared}, not defined in the tree${meantSecret(graph, name, ns)}: unless it is created outside the tree, ${harm}; create it before sync, or name a registry Secret the namespace holds`,
  };
}

/**
 * A storage.key is an entry of the storage Secret (storage-config, or the serving.kserve.io/storageSecretName
 * annotation's), not a Secret: KServe's pod webhook reads it there and refuses the predictor pod when the Secret or the
 * entry is missing (kserve pkg/credentials CreateStorageSpecSecretEnvs: "can't read storage secret", "specified storage
 * key … not found in storage secret"). On OpenShift AI odh-model-controller writes storage-config's entry from the
 * data connection Secret of the key's name, so that connection is what the tree lacks.
 */
function storageKeyMessage(name: string, key: string, ns: string | undefined, shared: string): string {
  const refusal = `KServe's pod webhook refuses the predictor pods ("specified storage key ${key} not found in storage secret", or "can't read storage secret")`;
  if (name !== key)
    return `storage.key '${key}' is an entry of Secret ${name} in ${namespaceLabel(ns)}${shared}, and that Secret is not defined in the tree; create it with a '${key}' entry (a JSON document with the storage type, endpoint, bucket and keys) before sync, or ${refusal}`;
  return `storage.key '${key}' is an entry of Secret ${STORAGE_CONFIG} in ${namespaceLabel(ns)}${shared}, which odh-model-controller writes from the data connection Secret '${key}', and the tree has no such connection; create the connection before sync (dashboard, External Secrets or Sealed Secrets), or ${refusal}`;
}

/** A Secret a script of the tree creates is delivered, later: a note that the pods wait for the script. */
function scriptNotes(all: readonly MissingSecret[]): Problem[] {
  return all
    .filter((m) => m.script)
    .map((m) => ({
      severity: 'info' as const,
      message: m.terraform
        ? `Secret ${m.name} is not a manifest of the tree: the Terraform configuration makes it (${m.script}) when it is applied, and until then the pod waits (CreateContainerConfigError, retried); apply it first if that matters`
        : `Secret ${m.name} is not a manifest of the tree: the script of ${m.script} creates it when it runs, and until then the pod waits (CreateContainerConfigError, retried); order the script first if that matters`,
      summary: 'Secrets that a script of the tree creates when it runs',
    }));
}

export const secretNotInTree: Rule = {
  id: 'secret-not-in-tree',
  title:
    "a Secret named by a secretKeyRef, a secret volume, imagePullSecrets, a storage key, a connection annotation or a ServiceAccount's secrets is not in the tree (normally created outside Git: make sure it exists)",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'ClusterServingRuntime', 'ServiceAccount'],
  premise:
    `the references of a workload's pod (an InferenceService's transformer and explainer pods too) and of every pod template of the kinds that run several kinds of pods (a RayCluster's, RayJob's or RayService's head and worker groups, a JobSet's or a Kubeflow Trainer TrainingRuntime's replicated Jobs, the Kubeflow training jobs' replicas, a LeaderWorkerSet's leader and workers, an Argo Workflows template's pod) are read alike; an Argo workflow's {{workflow.parameters.NAME}} is read as spec.arguments.parameters' value and {{inputs.parameters.NAME}} as the template's inputs value or default where no step or task passes it, and a name whose parameter has no value written in the tree (given at submission) is not judged; a missing Secret, a dashboard data connection (aws-connection-…) on OpenShift AI among them, is reported once, on the first object (by kind, namespace and name) that references it (the others are counted and named); the reference is not optional and the object does not declare the Secret as external (annotation ${EXTERNAL_SECRETS_ANNOTATION}); a ServingRuntime's and a ClusterServingRuntime's containers (secretKeyRef, envFrom, secret volumes) are read as a pod's, a ClusterServingRuntime's Secrets being needed in the namespace of each service that uses it (found in any namespace of the tree, it is taken as there); a ServiceAccount's imagePullSecrets (copied into each pod that runs as it) and a runtime's spec.imagePullSecrets are read as a pod's; a Secret named only by imagePullSecrets, which the kubelet skips when missing and pulls without (a private registry then refuses the pull), is an error where the tree defines the namespace and holds other registry Secrets (kubernetes.io/dockerconfigjson, dockercfg) there and nothing makes this one, a warning otherwise; ` +
    "not judged: a Secret name holding template syntax (`${TEAM}-token`) in an object unrendered-placeholder reports for template syntax (only rendering names the Secret, and that finding says the cause); Secrets the platform writes — storage-config on OpenShift AI (odh-model-controller builds it from the namespace's connections; a storage key it holds in the tree needs no Secret of its own) and a ModelMesh service's storage key (an entry of storage-config, judged by storage-credentials-missing) and a serving certificate a Service of the tree asks OpenShift's service CA for (service.beta.openshift.io/serving-cert-secret-name), and a Secret a secret-syncing operator writes from an object of the tree in its namespace (an ExternalSecret's target.name or its own name, a SealedSecret's name, a BitwardenSecret's spec.secretName, a OnePasswordItem's name, a Vault VaultStaticSecret/VaultDynamicSecret destination.name with destination.create: true, without it the Secret must exist; a cert-manager Certificate's spec.secretName; a secrets-store.csi.x-k8s.io SecretProviderClass's spec.secretObjects[].secretName where a pod of the tree in its namespace mounts its CSI volume (the Secrets Store CSI Driver writes it only while one does; with no such mount, a warning saying so); the Zalando postgres-operator's `<user>.<cluster>.credentials.postgresql.acid.zalan.do` of an acid.zalan.do postgresql; CloudNativePG's `<cluster>-app`, `-ca`, `-server`, `-replication`, and `-superuser` with enableSuperuserAccess, of a postgresql.cnpg.io Cluster or an EDB Postgres for Kubernetes postgresql.k8s.enterprisedb.io Cluster (its downstream, which names them alike); Crunchy PGO's `<cluster>-pguser-<user>` for each spec.users entry of a postgres-operator.crunchydata.com PostgresCluster, `<cluster>-pguser-<cluster>` where it lists none; odh-notebook-controller's `<notebook>-oauth-config`, `<notebook>-oauth-client` and `<notebook>-tls` (the serving certificate of the `<notebook>-tls` Service it makes) for a kubeflow.org Notebook annotated notebooks.opendatahub.io/inject-oauth true, and `<notebook>-kube-rbac-proxy-tls` (or `<notebook>-rbac-tls`), the serving certificate of the kube-rbac-proxy Service it makes, for one annotated notebooks.opendatahub.io/inject-auth true); a Secret a script of the tree creates (a heredoc piped to oc/kubectl apply -f -, oc/kubectl create secret), in a Job or ConfigMap of the tree or in a script file of the checked folder (deploy.sh, a Makefile, a README's commands), is a note naming the object and when Argo CD runs it (its hook phase, its sync wave), except a README's command where an Argo CD Application or Flux Kustomization of the input syncs the object: nothing runs a guide on sync, so that Secret is the warning, naming the guide's line; so is one a file of the git repository outside the checked folder creates (a CI workflow's step, an Ansible task, a guide's command naming the folder: pod-reference-not-found lists them), the note saying that check does not see what it holds; one whose only maker is a Job in a build kustomize refuses (a Job with only metadata.generateName, which kustomize refuses: \"missing metadata.name in object\") is a warning naming that Job, the root and why, for that Job never runs; a Secret that a file of the tree which does not parse meant to declare (its kind and metadata.name lines) is that file's error, not judged here; nor an InferenceService's storage.key naming no connection of a namespace where the tree holds connections (storage-credentials-missing's error names them)" +
    REPOSITORY_PREMISE +
    UNSEEN_INSTALLS_PREMISE,
  example: '`secretKeyRef: {name: creds, key: api-key}` with no Secret creds in the tree',
  fix: 'create the Secret before sync (dashboard connection, External Secrets, Sealed Secrets), and declare it external',
  source:
    'kubelet: CreateContainerConfigError "secret … not found"; KServe\'s pod webhook fails reading a missing Secret of the predictor\'s ServiceAccount; kubelet pkg/kubelet/kubelet_pods.go getPullSecretsForPod (a missing pull Secret is logged and skipped); kubernetes plugin/pkg/admission/serviceaccount admission.go (a ServiceAccount\'s imagePullSecrets are copied into its pods); kserve pkg/apis/serving/v1alpha1 servingruntime_types.go ServingRuntimePodSpec (containers, volumes and imagePullSecrets of the runtime\'s pods); opendatahub-io/kubeflow components/odh-notebook-controller/controllers notebook_oauth.go (the OAuth Secrets and the -tls Service of an inject-oauth Notebook) and notebook_kube_rbac_auth.go (NewNotebookKubeRbacProxyService: the kube-rbac-proxy Service of an inject-auth Notebook and its serving-certificate Secret); cloudnative-pg pkg/specs/secrets.go and EDB Postgres for Kubernetes docs "Connecting from an application" (the <cluster>-app and <cluster>-superuser Secrets of a postgresql.k8s.enterprisedb.io Cluster)',
  check(o, { graph, platform }) {
    const all = missingSecrets(o, graph, platform);
    return [...connectionFindings(o, graph, platform, all), ...scriptNotes(all), ...missingFinding(o, graph, platform, all)];
  },
};
