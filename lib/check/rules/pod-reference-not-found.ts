import * as path from 'path';
import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { foundElsewhere, madeByScriptNote, REPOSITORY_PREMISE, repositoryOr, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namedLikePodRunner, WORKLOAD_KINDS } from '../pods';
import { encryptedBeyondData } from '../../manifests/sops';
import { Platform } from '../platform';
import { claimMadeByController, PodClaim, podClaims } from '../pod-claims';
import { PodObjectReference, podReferences, projectedReferences } from '../pod-references';
import { podSpecPath } from '../pod-spec-fields';
import { componentPods, MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { judgedNamespace } from '../tree-namespaces';
import { madeOutsideTree } from '../reference-targets';
import { meantCandidate } from '../near-names';
import { madeByIstiod } from '../istio-mesh';
import { alsoBy, firstById } from '../one-per-cause';
import { heldOnlyElsewhere } from '../held-elsewhere';
import { injectsNotebookAuth, NOTEBOOK_AUTH_CONFIG_MAP_SUFFIX } from '../../k8s/keys';

/** kube-controller-manager's root-ca-cert-publisher makes it in every namespace (pkg/controller/certificates/rootcacertpublisher publisher.go RootCACertConfigMapName). */
const KUBE_ROOT_CA = 'kube-root-ca.crt';

/** OpenShift's kube-controller-manager makes it in every namespace (openshift/kubernetes servicecacertpublisher publisher.go ServiceCACertConfigMapName). */
const OPENSHIFT_SERVICE_CA = 'openshift-service-ca.crt';

/** opendatahub-operator's trusted CA bundle (pkg/trustedcabundle trustedcabundle.go CAConfigMapName). */
const ODH_CA_BUNDLE = 'odh-trusted-ca-bundle';

/** The namespace annotation that turns the bundle off for a namespace (trustedcabundle.go HasCABundleAnnotationDisabled: a false boolean). */
const CA_BUNDLE_ANNOTATION = 'security.opendatahub.io/inject-trusted-ca-bundle';

/**
 * Whether opendatahub-operator makes odh-trusted-ca-bundle in the namespace: while the DSCInitialization's
 * spec.trustedCABundle.managementState is Managed (its default; a DSCInitialization of the tree may say otherwise), in
 * every namespace but openshift-*, kube-*, default and openshift, unless the namespace is annotated
 * security.opendatahub.io/inject-trusted-ca-bundle: "false" (trustedcabundle.go ShouldInjectTrustedBundle).
 */
function odhBundleMade(graph: ObjectGraph, ns: string): boolean {
  const unmanaged = graph
    .ofKind('DSCInitialization')
    .some((d) => (text(mapping(mapping(d.manifest.spec).trustedCABundle).managementState) ?? 'Managed') !== 'Managed');
  if (unmanaged || /^(openshift|kube)-/.test(ns) || ns === 'default' || ns === 'openshift') return false;
  const namespace = graph.find('Namespace', ns) ?? graph.find('Project', ns);
  const off = text(stringMap(mapping(namespace?.manifest.metadata).annotations)[CA_BUNDLE_ANNOTATION]);
  return !(off && ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(off));
}

/**
 * Whether odh-notebook-controller makes the ConfigMap for a Notebook of the tree in the namespace: the kube-rbac-proxy
 * configuration `<notebook>-kube-rbac-proxy-config` of one annotated notebooks.opendatahub.io/inject-auth true
 * (NOTEBOOK_AUTH_CONFIG_MAP_SUFFIX has the source).
 */
function notebookProxyConfig(graph: ObjectGraph, name: string, ns: string): boolean {
  if (!name.endsWith(NOTEBOOK_AUTH_CONFIG_MAP_SUFFIX)) return false;
  const notebook = graph.find('Notebook', name.slice(0, -NOTEBOOK_AUTH_CONFIG_MAP_SUFFIX.length), ns)?.manifest;
  return String(notebook?.apiVersion ?? '').startsWith('kubeflow.org/') && injectsNotebookAuth(stringMap(mapping(notebook?.metadata).annotations));
}

/**
 * Whether a controller makes the ConfigMap of that name in the namespace: Kubernetes' root CA; Istio's root
 * certificate where the tree shows Istio; odh-notebook-controller's kube-rbac-proxy configuration of a Notebook of the
 * tree; on OpenShift AI also OpenShift's service CA and the trusted CA bundle.
 */
function configMapMadeByController(graph: ObjectGraph, name: string, ns: string, platform: Platform): boolean {
  if (name === KUBE_ROOT_CA || madeByIstiod(graph, name, ns) || notebookProxyConfig(graph, name, ns)) return true;
  if (platform === 'kserve') return false;
  return name === OPENSHIFT_SERVICE_CA || (name === ODH_CA_BUNDLE && odhBundleMade(graph, ns));
}

/** ` (also read by 2 other objects: a, b)` where others share the cause, else ''. */
const sharedWith = (graph: ObjectGraph, o: GraphObject, users: readonly GraphObject[], verb: string) =>
  alsoBy(
    verb,
    users.map((x) => graph.id(x)),
    graph.id(o),
  );

/** What the namespace's pods are, as the message names them: those of each object, where several share the cause. */
function podsOf(o: GraphObject, users: readonly GraphObject[] = [o], graph?: ObjectGraph): string {
  if (graph && new Set(users.map((x) => graph.id(x))).size > 1) return 'the pods of each';
  return o.manifest.kind === 'InferenceService' || o.manifest.kind === 'LLMInferenceService'
    ? 'the predictor pods KServe makes'
    : `the ${String(o.manifest.kind)}'s pods`;
}

/** The finding for a ConfigMap the pod reads that nothing makes. */
function missingConfigMap(
  o: GraphObject,
  r: PodObjectReference & { at: string },
  ns: string,
  how: string,
  graph: ObjectGraph,
  users: readonly GraphObject[],
): Problem {
  const stuck = r.via === 'volume' ? 'stay in ContainerCreating (FailedMount: ' : 'stay in CreateContainerConfigError (';
  return {
    // said once for every object that reads it: latent only while none of them runs a pod
    failsIn: users,
    message:
      `${r.at} ${r.where} reads ConfigMap '${r.name}'${sharedWith(graph, o, users, 'read')}: namespace '${ns}' is created by the tree (${how}), and no ConfigMap '${r.name}' is in it` +
      `${foundElsewhere(graph, 'ConfigMap', r.name, ns, 'a pod reads ConfigMaps of its own namespace only')}; nothing else makes one there (it is not kube-root-ca.crt, a platform's CA bundle nor Istio's root certificate of a mesh the tree shows), ` +
      `so ${podsOf(o, users, graph)} ${stuck}configmap "${r.name}" not found): add ConfigMap '${r.name}' to namespace '${ns}' in the tree (a configMapGenerator will do), or mark the reference optional: true if the pod can run without it`,
  };
}

/**
 * The finding for a claim the pod mounts that nothing makes. A Notebook's too is an error: the dashboard makes a
 * workbench's claim only when it creates the workbench itself, and the tree, which creates the namespace, made this one.
 */
function missingClaim(o: GraphObject, c: PodClaim, ns: string, how: string, graph: ObjectGraph, users: readonly GraphObject[]): Problem {
  const notebook = o.manifest.kind === 'Notebook';
  const mounts = c.field.endsWith('claimName') ? '' : ` (KServe mounts the claim of a pvc:// URI in the predictor pod)`;
  return {
    // said once for every object that mounts it: latent only while none of them runs a pod
    failsIn: users,
    message:
      `${c.field} '${c.name}'${mounts}${sharedWith(graph, o, users, 'mounted')}: namespace '${ns}' is created by the tree (${how}), and no PersistentVolumeClaim '${c.name}' is in it` +
      `${foundElsewhere(graph, 'PersistentVolumeClaim', c.name, ns, 'a pod mounts claims of its own namespace only')}; ` +
      (notebook
        ? `odh-notebook-controller makes no claim for a Notebook (the OpenShift AI dashboard makes a workbench's claim only when it creates the workbench itself, not for one applied from the tree), so the Notebook's pod stays Pending (persistentvolumeclaim "${c.name}" not found): add the PersistentVolumeClaim '${c.name}' to namespace '${ns}' in the tree`
        : `no StatefulSet volumeClaimTemplate or ephemeral volume of the tree makes it, so ${podsOf(o, users, graph)} stay Pending (persistentvolumeclaim "${c.name}" not found): add the PersistentVolumeClaim '${c.name}' to namespace '${ns}' in the tree, or name a claim that exists there`),
  };
}

/**
 * The pod specs of the object, each as a manifest the readers take, with the path findings prefix: its own (a
 * workload's template, an InferenceService's predictor) and each template of the kinds that run several kinds of pods.
 */
function podsOfObject(m: Loose): { manifest: Loose; prefix: string }[] {
  return [{ manifest: m, prefix: '' }, ...templatePods(m), ...componentPods(m)];
}

/** The ConfigMaps the object's pods read without optional: true, each name once per place, with the path of their pod spec. */
function configMapReferences(o: GraphObject): (PodObjectReference & { at: string })[] {
  const refs = podsOfObject(o.manifest).flatMap(({ manifest, prefix }) =>
    [...podReferences(manifest), ...projectedReferences(manifest)]
      .filter((r) => r.kind === 'ConfigMap')
      .map((r) => ({ ...r, at: `${prefix}${podSpecPath(manifest)}` })),
  );
  return mergedEnvReferences(refs.filter((r, i) => refs.findIndex((x) => x.name === r.name && x.where === r.where && x.at === r.at) === i));
}

/** `container 'c' env NAME` split into the container's part and the variable. */
const ENV_WHERE = /^(container '[^']*' env) (.+)$/;

/**
 * The env references of one container to one ConfigMap as one (`container 'c' env A, B, C`): a missing ConfigMap is
 * one cause, said once per container that reads it, naming the variables.
 */
function mergedEnvReferences(refs: readonly (PodObjectReference & { at: string })[]): (PodObjectReference & { at: string })[] {
  const groups = new Map<string, (PodObjectReference & { at: string })[]>();
  const out: (PodObjectReference & { at: string })[] = [];
  for (const r of refs) {
    const env = r.via === 'env' ? ENV_WHERE.exec(r.where) : null;
    if (!env) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.at, r.name, env[1]]);
    const group = groups.get(key);
    if (group) group.push(r);
    else {
      groups.set(key, [r]);
      out.push(r);
    }
  }
  return out.map((r) => {
    const env = r.via === 'env' ? ENV_WHERE.exec(r.where) : null;
    const group = env ? groups.get(JSON.stringify([r.at, r.name, env[1]])) : undefined;
    if (!env || !group || group.length < 2) return r;
    return { ...r, where: `${env[1]} ${group.map((g) => ENV_WHERE.exec(g.where)![2]).join(', ')}`, keys: group.flatMap((g) => g.keys) };
  });
}

/** The claims the object's pods mount, with the full path of the field naming each. */
function claimsOf(m: Loose): PodClaim[] {
  return [...podsOfObject(m).flatMap(({ manifest, prefix }) => podClaims(manifest).map((c) => ({ ...c, field: `${prefix}${c.field}` })))];
}

/**
 * The claims of the tree beside the object: in the folder of its file, and in its namespace (both without one: the
 * namespace `kubectl apply` is pointed at). Where the tree does not create the namespace, a claim may be made outside
 * it; but a folder that makes its pods' claims and not this one most likely names a claim that was renamed or never made.
 */
function claimsBeside(graph: ObjectGraph, o: GraphObject): string[] {
  if (!o.file) return [];
  const ns = text(mapping(o.manifest.metadata).namespace);
  return graph
    .ofKind('PersistentVolumeClaim')
    .filter((c) => c.file && path.dirname(c.file) === path.dirname(o.file!) && text(mapping(c.manifest.metadata).namespace) === ns)
    .map((c) => text(mapping(c.manifest.metadata).name) ?? '')
    .filter(Boolean);
}

/**
 * Claims the object mounts that its folder does not make while it makes others there: the folder provisions its pods'
 * storage, so a claim it lacks was renamed or never made; an error, although the namespace is not the tree's.
 */
function claimsMissingBeside(graph: ObjectGraph, o: GraphObject, beside: readonly string[]): Problem[] {
  const ns = text(mapping(o.manifest.metadata).namespace);
  const where = ns ? `namespace '${ns}'` : 'the namespace it is applied to';
  return claimsOf(o.manifest)
    .filter((c) => !beside.includes(c.name) && !graph.find('PersistentVolumeClaim', c.name, ns) && !claimMadeByController(graph, c.name, ns ?? ''))
    .filter((c) => !graph.scriptCreating('PersistentVolumeClaim', c.name, ns) && !graph.leftOutFile('PersistentVolumeClaim', c.name, ns))
    .filter((c) => !heldOnlyElsewhere(graph, 'PersistentVolumeClaim', c.name, graph.namespaceOf(o.manifest)))
    .map((c) => unlessRepositoryMakes(graph, claimMissingBesideProblem(o, c, beside, where), 'PersistentVolumeClaim', c.name, ns));
}

/** The finding for a claim the object's folder lacks while it makes others (`beside`) in the namespace (`where`). */
function claimMissingBesideProblem(o: GraphObject, c: PodClaim, beside: readonly string[], where: string): Problem {
  return {
    message:
      `${c.field} '${c.name}'${c.field.endsWith('claimName') ? '' : ' (KServe mounts the claim of a pvc:// URI in the predictor pod)'}: the folder makes PersistentVolumeClaim ${beside.map((b) => `'${b}'`).join(', ')} in ${where}, but not '${c.name}', ` +
      `and nothing else in the tree makes it: the folder provisions its pods' storage, so a claim it lacks was renamed or never made, and ${podsOf(o)} stay Pending (persistentvolumeclaim "${c.name}" not found): ` +
      `name a claim the folder makes, or add PersistentVolumeClaim '${c.name}' beside them`,
  };
}

/**
 * The name of `names` the reference most likely meant: the one sharing its stem (`efs-claim` for `efs-claim-ray-gpu`,
 * either way round), else the one a typo away (meantCandidate: none where two are as near).
 */
function meantName(name: string, names: readonly string[]): string | undefined {
  const stem = names.filter((n) => n.startsWith(`${name}-`) || name.startsWith(`${n}-`));
  return stem.length === 1
    ? stem[0]
    : meantCandidate(
        name,
        names.map((n) => ({ name: n })),
      )?.name;
}

/**
 * A reference to an object of `kind` that the tree does not hold in a namespace it does not create, where the tree
 * holds other objects of that kind there: the tree shows what the namespace holds, so the one it lacks was likely
 * renamed or never made. An error when a name of the namespace is close (the reference names it wrongly), else a
 * warning that names what is assumed (the object may be made outside the tree).
 */
function missingInHeldNamespace(graph: ObjectGraph, kind: string, name: string, ns: string, field: string, o: GraphObject): Problem | undefined {
  const held = graph
    .ofKind(kind)
    .filter((x) => graph.namespaceOf(x.manifest) === ns)
    .map((x) => text(mapping(x.manifest.metadata).name))
    .filter((n): n is string => n !== undefined && n !== name);
  if (!held.length || madeOutsideTree(graph, kind, name, ns)) return undefined;
  const meant = meantName(name, held);
  const shown =
    held
      .slice(0, 3)
      .map((n) => `'${n}'`)
      .join(', ') + (held.length > 3 ? ', …' : '');
  const waits = kind === 'ConfigMap' ? 'cannot start (configmap' : 'stay Pending (persistentvolumeclaim';
  const lead = `${field} '${name}': the tree holds ${kind} ${shown} in namespace '${ns}' but not '${name}'`;
  const stuck = `${podsOf(o)} ${waits} "${name}" not found)`;
  if (meant)
    return {
      message: `${lead}: did you mean ${meant}? A name that close is a renamed or mistyped reference, and ${stuck}: name '${meant}', or add ${kind} '${name}' to namespace '${ns}' in the tree`,
    };
  return {
    severity: 'warning',
    message: `${lead}; the tree does not create the namespace, so '${name}' may be made elsewhere (assumed not): if not, ${stuck}; add ${kind} '${name}' to namespace '${ns}' in the tree, or name one it holds`,
  };
}

/**
 * In a namespace the tree does not create: claims the object's folder lacks while it makes others (claimsMissingBeside),
 * else claims and ConfigMaps missing where the tree holds others of their kind (missingInHeldNamespace).
 */
function judgedOutsideCreatedNamespaces(graph: ObjectGraph, o: GraphObject, platform: Platform): Problem[] {
  const beside = claimsBeside(graph, o);
  // a claim or ConfigMap defined in a file the build leaves out is needed-object-left-out's
  if (beside.length) return claimsMissingBeside(graph, o, beside);
  const ns = graph.namespaceOf(o.manifest);
  if (ns === undefined) return [];
  // one the tree makes only in other namespaces is reference-in-other-namespace's
  const claims = claimsOf(o.manifest)
    .filter((c) => !graph.find('PersistentVolumeClaim', c.name, ns) && !claimMadeByController(graph, c.name, ns))
    .filter((c) => !heldOnlyElsewhere(graph, 'PersistentVolumeClaim', c.name, ns))
    .filter((c) => !graph.scriptCreating('PersistentVolumeClaim', c.name, ns) && !graph.leftOutFile('PersistentVolumeClaim', c.name, ns))
    .map((c) => repositoryOr(graph, missingInHeldNamespace(graph, 'PersistentVolumeClaim', c.name, ns, c.field, o), 'PersistentVolumeClaim', c.name, ns));
  const configMaps = configMapReferences(o)
    .filter((r) => !graph.find('ConfigMap', r.name, ns) && !configMapMadeByController(graph, r.name, ns, platform))
    .filter((r) => !graph.scriptCreating('ConfigMap', r.name, ns) && !graph.leftOutFile('ConfigMap', r.name, ns))
    .filter((r) => !heldOnlyElsewhere(graph, 'ConfigMap', r.name, ns))
    .map((r) => repositoryOr(graph, missingInHeldNamespace(graph, 'ConfigMap', r.name, ns, `${r.at} ${r.where}`, o), 'ConfigMap', r.name, ns));
  return [...claims, ...configMaps].filter((p): p is Problem => p !== undefined);
}

export const podReferenceNotFound: Rule = {
  id: 'pod-reference-not-found',
  title:
    'a pod reads a ConfigMap or mounts a PersistentVolumeClaim that nothing creates in a namespace the tree creates: it stays in CreateContainerConfigError, ContainerCreating or Pending',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a pod spec (an InferenceService's predictor, a workload's template) reads a ConfigMap without optional: true (env configMapKeyRef, envFrom configMapRef, a configMap volume, a projected volume's configMap source) or mounts a PersistentVolumeClaim (a persistentVolumeClaim volume, an InferenceService's pvc://<claim>/… storageUri, an LLMInferenceService's spec.model.uri) that the tree does not hold in the workload's namespace, " +
    'and the tree creates that namespace (a Namespace or OpenShift Project object, or an Argo CD Application with CreateNamespace=true for its destination), so nothing made outside the tree can hold it; ' +
    "not judged: a name holding a renderer's syntax (`pvc://${PVC_NAME}/model`, `claimName: ${CLAIM}`: what only the rendering decides, unrendered-placeholder's), in a kustomization kustomize refuses to build (kustomize-build-fails: the root delivers nothing), a ConfigMap a generator of the object's own build would make were the build not refused, a claim defined in a file of the tree the build leaves out (one it lists but cannot load), a namespace the tree does not create, one an Application syncs from a source the input does not show (a Helm chart, another repository) or a Flux HelmRelease or a script's helm install (-n) installs a chart check does not render into (tree-namespaces unseenInstalls: it may make the object), Secrets (secret-not-in-tree: kept out of Git on purpose), and objects controllers make: kube-root-ca.crt; `<notebook>-kube-rbac-proxy-config`, which odh-notebook-controller makes for a kubeflow.org Notebook of the tree annotated notebooks.opendatahub.io/inject-auth true; istio-ca-root-cert, which istiod writes into every namespace but kube-public, kube-node-lease and local-path-storage, where the tree shows Istio (istiod's Deployment or image, an IstioOperator, Sail Istio or ServiceMeshControlPlane, a namespace labelled istio-injection=enabled or istio.io/rev, a pod with sidecar.istio.io/inject `true`, the container istio-proxy or Istio's proxyv2 image); on OpenShift AI openshift-service-ca.crt and odh-trusted-ca-bundle (unless the namespace opts out or a DSCInitialization of the tree stops managing it); claims of a StatefulSet's volumeClaimTemplates (<template>-<statefulset>-<ordinal>) and of ephemeral volumes (<pod>-<volume>); " +
    'in a namespace the tree creates, each missing ConfigMap or claim is said once, on the first object (by kind, namespace and name) that needs it, counting and naming the others (latent only while none of them runs a pod); ' +
    "a ConfigMap of a kustomize configMapGenerator is in the tree, under its hashed name; a Notebook's missing claim is an error too (odh-notebook-controller makes none, and the OpenShift AI dashboard makes a workbench's claim only for a workbench it creates itself, not one applied from the tree into a namespace the tree creates); " +
    'one a script of the checked folder creates when it runs (`oc create configmap NAME` in deploy.sh, a Makefile or a README, a heredoc piped to `oc apply -f -`; the run: steps of a CI workflow or of a composite action it uses, .github/actions/<name>/action.yml, and the script: entries of .gitlab-ci.yml and the GitLab CI files of .gitlab/ are read as a script is) is a note; ' +
    "so is one the git repository holding the checked folder makes outside it, the note saying that check does not see what it holds: a step of a CI workflow (.github/workflows, .gitlab-ci.yml), a Makefile or script of a folder above, a Tekton Task's script in .tekton/ or tekton/, a README above the folder or a docs/ guide whose commands name the folder (`kubectl create configmap NAME --from-file=… --dry-run=client -o yaml | kubectl apply -f -`), an Ansible task in an ansible/, roles/ or playbooks/ folder (kubernetes.core.k8s, community.kubernetes.k8s or k8s with a definition, a src file or a template of kind ConfigMap, or kind and name; `oc create configmap NAME` run by shell or command; not state: absent), the tree's own Ansible tasks too; a creator of another name, or in another namespace where both are known, leaves the finding; " +
    "in a namespace the tree does not create, a claim or ConfigMap defined in a file the build leaves out is needed-object-left-out's; else a claim is an error where the object's folder makes other claims in that namespace and not this one (the folder provisions its pods' storage: a claim it lacks was renamed or never made); else, where the tree holds other claims (or ConfigMaps) in that namespace and not the one named, an error when one of them is a close name (a shared stem, efs-claim for efs-claim-ray-gpu, or a typo away: the message names it), otherwise a warning saying the object is assumed not made outside the tree; an object with no namespace, or a namespace an Application syncs from a source the input does not show, is not judged there" +
    REPOSITORY_PREMISE,
  example:
    '`storageUri: pvc://bielik-weights/models/bielik-11b` in namespace `bielik`, which a `kind: Namespace` of the tree creates, with no PersistentVolumeClaim bielik-weights',
  fix: "add the ConfigMap or PersistentVolumeClaim to the workload's namespace in the tree, or mark a ConfigMap reference optional: true",
  source:
    'kubelet: CreateContainerConfigError configmap "…" not found (env), FailedMount (volumes); kube-scheduler VolumeBinding: persistentvolumeclaim "…" not found (the pod stays Pending); KServe pkg/webhook/admission/pod storage_initializer_injector.go (pvc:// mounts the claim); istio pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go (CACertNamespaceConfigMap istio-ca-root-cert in every watched namespace, pkg/kube/inject IgnoredNamespaces skipped but kube-system); ' +
    'Ansible collection kubernetes.core, module k8s (parameters definition/resource_definition, src, template, kind, name, namespace, state); opendatahub-io/kubeflow components/odh-notebook-controller/controllers notebook_kube_rbac_auth.go (NewNotebookKubeRbacProxyConfigMap: <notebook>-kube-rbac-proxy-config)',
  check(o, { graph, platform }) {
    const judged = judgedNamespace(graph, o);
    if (!judged) return judgedOutsideCreatedNamespaces(graph, o, platform);
    const { ns, how } = judged;
    const byScript = (kind: string, name: string) => graph.scriptCreating(kind, name, ns);
    const { configMaps: missingMaps, claims: missingClaims } = missingInCreated(graph, o, platform);
    // one missing object read by several workloads is one cause: said on the first by id, naming the others
    const users = (kind: string, name: string) => referrers(graph, platform).get(JSON.stringify([kind, ns, name])) ?? [o];
    const configMaps = missingMaps.flatMap((r) => {
      const script = byScript('ConfigMap', r.name);
      if (script) return [madeByScriptNote(`ConfigMap '${r.name}'`, 'ConfigMap', script, 'the pods wait for it')];
      const all = users('ConfigMap', r.name);
      return all[0] === o ? [unlessRepositoryMakes(graph, missingConfigMap(o, r, ns, how, graph, all), 'ConfigMap', r.name, ns)] : [];
    });
    const claims = missingClaims.flatMap((c) => {
      const script = byScript('PersistentVolumeClaim', c.name);
      if (script) return [madeByScriptNote(`PersistentVolumeClaim '${c.name}'`, 'PersistentVolumeClaim', script, 'the pods wait for it')];
      const all = users('PersistentVolumeClaim', c.name);
      return all[0] === o ? [unlessRepositoryMakes(graph, missingClaim(o, c, ns, how, graph, all), 'PersistentVolumeClaim', c.name, ns)] : [];
    });
    // a note repeated for each place of the pod that reads the object is kept once by the engine (same object, same message)
    return [...configMaps, ...claims];
  },
};

/** The ConfigMaps and claims the object's pods need that nothing makes in the namespace the tree creates. */
function missingInCreated(graph: ObjectGraph, o: GraphObject, platform: Platform): { configMaps: (PodObjectReference & { at: string })[]; claims: PodClaim[] } {
  const ns = graph.namespaceOf(o.manifest) ?? '';
  const configMaps = configMapReferences(o)
    .filter((r) => !graph.find('ConfigMap', r.name, ns) && !configMapMadeByController(graph, r.name, ns, platform))
    .filter((r) => !graph.generatedByFailedBuild(o, r.name));
  // in a root kustomize refuses to build, a claim of a file the tree holds but the build leaves out (one it lists but
  // cannot load) follows from the failed build, which kustomize-build-fails reports; one defined nowhere is judged
  const failed = graph.inFailedBuild(o);
  const claims = claimsOf(o.manifest)
    .filter((c) => !graph.find('PersistentVolumeClaim', c.name, ns) && !claimMadeByController(graph, c.name, ns))
    .filter((c) => !failed || !graph.leftOutFile('PersistentVolumeClaim', c.name, ns));
  return { configMaps, claims };
}

/** The objects of namespaces the tree creates that need each missing ConfigMap or claim, by kind, namespace and name, first by id. */
function referrers(graph: ObjectGraph, platform: Platform): Map<string, GraphObject[]> {
  return graph.once(`pod-reference-not-found:referrers ${platform}`, () => {
    const by = new Map<string, GraphObject[]>();
    const add = (key: string, x: GraphObject) => by.set(key, [...new Set([...(by.get(key) ?? []), x])]);
    for (const kind of podReferenceNotFound.appliesTo)
      for (const x of graph.ofKind(kind)) {
        // the objects the engine judges: not a custom kind named like a pod runner, nor a document still ciphertext
        const judged = namedLikePodRunner(x.manifest) || encryptedBeyondData(x.manifest) !== undefined ? undefined : judgedNamespace(graph, x);
        if (!judged) continue;
        const { configMaps, claims } = missingInCreated(graph, x, platform);
        for (const r of configMaps) add(JSON.stringify(['ConfigMap', judged.ns, r.name]), x);
        for (const c of claims) add(JSON.stringify(['PersistentVolumeClaim', judged.ns, c.name]), x);
      }
    return firstById(graph, by);
  });
}
