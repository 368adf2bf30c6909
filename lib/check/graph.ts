import type { RemoteApply } from '../manifests/script-installs';
import { GpuInstanceType } from '../catalog/instance-type';
import { isInferenceSimulator } from '../catalog/vllm-images';
import { generatedApplications } from './application-sets';
import { holdsLabels, isMapping, Loose, mapping, mappings, objectId, stringMap, strings, text } from '../manifests/access';
import { isClusterScoped } from '../manifests/scope';
import { isMeantKind, lookAlikeKind } from '../k8s/kind-groups';
import { apiGroupOf } from '../k8s/api-version';
import { nodeShapeOf, recordedNodeShapeOf } from './node-shape';
import { admittedValues, nodeSelectionOf } from './node-selection';
import { eksctlTypesFor } from './eksctl-node-groups';
import { checkedTerraformPools, POOL_NAME_LABELS, TerraformNodePools } from '../manifests/terraform-node-pools';
import { karpenterTypesOf, nodePoolAdmitted } from './karpenter-shapes';
import { parseQuantity } from '../private/quantity';
import { perRun } from '../private/run-memo';
import type { GraphObject } from './graph-object';
import { bindRuntime, RuntimeBinding } from './runtime-binding';
import { ServiceInput, ServiceLine, serviceCommandLine, servingContainerOf } from './service-line';
import { cpuIntent } from './command-line';
import { predictorModelOf } from './runtime-selection';
import { podRequests, podSpecOf } from './pods';
import { modelSpecOf } from './serving-model';
import { llmChildOf } from './llm-children';
import {
  HARDWARE_PROFILE_ANNOTATION,
  injectsNotebookAuth,
  injectsNotebookOAuth,
  NOTEBOOK_AUTH_SECRET_SUFFIXES,
  HARDWARE_PROFILE_NAMESPACE_ANNOTATION,
  INSTANCE_TYPE_LABEL,
  NODE_SHAPE_ANNOTATION,
  QUEUE_LABEL,
  SERVING_CERT_ANNOTATIONS,
} from '../k8s/keys';
import { LabelledGpus, labelledGpusOf, profileNodeSelector } from './gpu-labels';
import { terraformGpusOf, withTerraformNodePools } from './terraform-gpus';
import type { KustomizationBuild, UnreadFile } from '../manifests/loaded';
import type { GitCheckout } from '../manifests/git-checkout';
import type { ScriptCreated } from '../manifests/script-creations';
import type { ScriptApplied, ScriptDeleted } from '../manifests/script-applies';
import type { ListedRemoteBase } from '../manifests/remote-bases';
import type { TreeImages } from '../manifests/script-images';
import type { HelmCommand } from '../manifests/script-helm';
import type { ScriptPatch } from '../manifests/script-patches';
import type { ScriptSccGrant } from '../manifests/script-scc-grants';
import type { ScriptTaint } from '../manifests/script-taints';
import type { ScriptMachineSet } from '../manifests/script-machine-sets';
import type { ScriptNamespaceLabel } from '../manifests/script-labels';
import type { ScriptModelRequest } from '../manifests/model-requests';
import type { ScriptS3Upload } from '../manifests/s3-uploads';
import type { IngressNginxInstall } from '../manifests/ingress-nginx-installs';
import type { InstallerRun } from '../manifests/installer-runs';
import type { DevClusterMark } from '../manifests/script-dev-clusters';
import { RepositoryObject, repositoryObjects } from '../manifests/repository-objects';
import { workTreeOf } from '../manifests/work-tree';
import { RepositoryMachineSet, RepositoryNodes, repositoryNodesOf, selectedMachineSets } from './repository-nodes';
import type { ProseGpuMention } from '../manifests/prose-gpus';

/** What an InferenceService runs, as far as the manifests tell. */
export type ServingKind = 'vllm-gpu' | 'vllm-cpu' | 'other-runtime' | 'custom-container' | 'unknown';

/** Options of the graph. */
export interface GraphOptions {
  /** Namespace of namespaced objects that name none (as `kubectl -n`); unknown when unset. */
  readonly defaultNamespace?: string;
  /** Folders of the checked input, read or not (a Helm chart is seen but not read); unknown when unset. */
  readonly folders?: readonly string[];
  /** Folders of the checked input that are Helm charts (hold a Chart.yaml); unknown when unset. */
  readonly charts?: readonly string[];
  /** Objects of files in kustomize folders that no kustomization lists: not part of any build. */
  readonly leftOut?: readonly { readonly manifest: unknown; readonly file?: string; readonly ownKustomization?: string; readonly besideBuild?: boolean }[];
  /** Resources of kustomizations that kustomize refuses for want of a metadata.name (a Job with only generateName): in no build. */
  readonly refused?: readonly GraphObject[];
  /** Files of folders that Argo CD's directory source reads but that gave no object (Jsonnet, .json that is no manifest). */
  readonly unread?: readonly UnreadFile[];
  /** Objects of the files in kustomize folders as written, kustomization files included: what a directory source reads there. */
  readonly plain?: readonly { readonly manifest: unknown; readonly file?: string; readonly line?: number }[];
  /** The objects each kustomization that another includes builds on its own, attributed to its folder alone. */
  readonly ownBuilds?: readonly GraphObject[];
  /** Where the checked folders sit in their git work trees; none known when unset. */
  readonly checkouts?: readonly GitCheckout[];
  /** What each kustomization's own build does; none known when unset. */
  readonly builds?: readonly KustomizationBuild[];
  /**
   * The namespace the delivery of the input gives each namespace-less object (an Argo CD Application's destination, a
   * Flux Kustomization's targetNamespace, a script's `kubectl apply -n`), computed once from the graph when first
   * needed; none when unset.
   */
  readonly deliveredNamespaces?: (graph: ObjectGraph) => ReadonlyMap<GraphObject, string>;
  /** Objects the scripts of the checked folders create when they run; none known when unset. */
  readonly scriptCreated?: readonly ScriptCreated[];
  /** The files and folders the scripts of the checked folders apply; none known when unset. */
  readonly scriptApplied?: readonly ScriptApplied[];
  /** The files and folders the scripts of the checked folders delete, and its tear-down folders; none known when unset. */
  readonly scriptDeleted?: readonly ScriptDeleted[];
  /** The published releases the tree's kustomizations, scripts, READMEs and Terraform install; none known when unset. */
  readonly installed?: readonly ListedRemoteBase[];
  /** The remote manifests the scripts and READMEs of the checked folders apply by URL; none known when unset. */
  readonly remoteApplies?: readonly RemoteApply[];
  /** The images the checked folders build, and the step that loads or pushes them; none known when unset. */
  readonly treeImages?: TreeImages;
  /** The helm install, upgrade and template commands of the checked folders' scripts; none known when unset. */
  readonly helmCommands?: readonly HelmCommand[];
  /** The helm commands of the scripts and guides of the repository above the checked folders; none known when unset. */
  readonly repositoryHelmCommands?: readonly HelmCommand[];
  /** The files and folders of the checked folders the scripts and guides of the repository above them apply or create; none known when unset. */
  readonly repositoryApplied?: readonly ScriptApplied[];
  /** The inline kubectl|oc patch commands of the checked folders' scripts; none known when unset. */
  readonly scriptPatches?: readonly ScriptPatch[];
  /** The node taints the checked folders' scripts add; none known when unset. */
  readonly scriptTaints?: readonly ScriptTaint[];
  /** The labels the checked folders' scripts put on namespaces; none known when unset. */
  readonly scriptNamespaceLabels?: readonly ScriptNamespaceLabel[];
  /** The requests to OpenAI-compatible servers the checked folders' scripts and READMEs send, with the model each names; none known when unset. */
  readonly scriptModelRequests?: readonly ScriptModelRequest[];
  /** The S3 uploads the checked folders' scripts write. */
  readonly scriptS3Uploads?: readonly ScriptS3Upload[];
  /** The SCCs the checked folders' scripts grant (`oc adm policy add-scc-to-user`); none known when unset. */
  readonly scriptSccGrants?: readonly ScriptSccGrant[];
  /** The MachineSets the checked folders' scripts clone or label (`oc get machineset -o yaml | sed … | oc apply -f -`); none known when unset. */
  readonly scriptMachineSets?: readonly ScriptMachineSet[];
  /** The ingress-nginx controller installs of the checked folders' Terraform and scripts; none known when unset. */
  readonly ingressNginxInstalls?: readonly IngressNginxInstall[];
  /** The runs of well-known installer scripts by the checked folders' scripts and Terraform; none known when unset. */
  readonly installerRuns?: readonly InstallerRun[];
  /** The files of the input the reader reported a problem with: what they hold may be missing; none known when unset. */
  readonly unreadInput?: readonly string[];
  /** The commands of the tree's scripts and READMEs that drive a local development cluster; none known when unset. */
  readonly devClusters?: readonly DevClusterMark[];
  /** The lines of the tree's READMEs and guides that say which GPU it runs on; none known when unset. */
  readonly proseGpus?: readonly ProseGpuMention[];
  /** Whether Kueue reads a workload's queue name from the deprecated annotation when the label is absent (up to 0.14); not when unset. */
  readonly queueAnnotationRead?: boolean;
}

/** The Secret a Vault Secrets Operator object writes: `destination.name` only with `destination.create: true` (default false: the Secret must exist). */
function vaultDestination(m: Loose): string | undefined {
  const destination = mapping(mapping(m.spec).destination);
  return destination.create === true ? text(destination.name) : undefined;
}

/**
 * Objects of secret-syncing operators other than External Secrets, and the Secret each writes in its own namespace:
 * bitwarden/sm-kubernetes BitwardenSecret `spec.secretName` ("the name of the secret", required; api/v1
 * bitwardensecret_types.go), the 1Password operator's OnePasswordItem (a Secret of the item's own name) and
 * HashiCorp's Vault Secrets Operator VaultStaticSecret/VaultDynamicSecret `spec.destination.name` when `destination.create` is true.
 */
const SYNCED_SECRET_NAME: Readonly<Record<string, (m: Loose) => string | undefined>> = {
  BitwardenSecret: (m) => text(mapping(m.spec).secretName),
  OnePasswordItem: (m) => text(mapping(m.metadata).name),
  VaultStaticSecret: (m) => vaultDestination(m),
  VaultDynamicSecret: (m) => vaultDestination(m),
  // cert-manager writes the issued certificate to spec.secretName (required; pkg/apis/certmanager/v1 CertificateSpec)
  Certificate: (m) => (String(m.apiVersion ?? '').startsWith('cert-manager.io/') ? text(mapping(m.spec).secretName) : undefined),
};

/** The CSI driver name of the Secrets Store CSI Driver (kubernetes-sigs/secrets-store-csi-driver, pkg/secrets-store). */
const SECRETS_STORE_DRIVER = 'secrets-store.csi.k8s.io';

/**
 * Database operators that write Secrets named after their cluster object, in its namespace:
 * Zalando postgres-operator, for each role of an acid.zalan.do `postgresql`, `<user>.<cluster>.credentials.postgresql.acid.zalan.do`
 * (its default secret_name_template, `_` in the user read as `-`: pkg/cluster/util.go credentialSecretNameForCluster);
 * CloudNativePG, for a postgresql.cnpg.io Cluster, `<cluster>-app` (the initdb owner, unless bootstrap.initdb.secret names
 * one), `<cluster>-superuser` (with enableSuperuserAccess), and `<cluster>-ca`, `-server`, `-replication` (its own
 * certificates), as pkg/specs/secrets.go and api/v1 cluster_funcs.go name them; EDB Postgres for Kubernetes (a
 * postgresql.k8s.enterprisedb.io Cluster), CloudNativePG's downstream, names them the same (EDB docs "Connecting from an
 * application": the `<cluster>-app` and `<cluster>-superuser` Secrets; "Certificates": `<cluster>-ca`, `-server`,
 * `-replication`); Crunchy Data's PGO, for a
 * postgres-operator.crunchydata.com PostgresCluster, `<cluster>-pguser-<user>` for each entry of spec.users, and
 * `<cluster>-pguser-<cluster>` where spec.users lists none (PGO docs "User Management": the default user is named
 * after the cluster, and each Secret is `<clusterName>-pguser-<userName>`).
 *
 * And odh-notebook-controller, for a kubeflow.org Notebook annotated notebooks.opendatahub.io/inject-oauth true:
 * `<notebook>-oauth-config` and `<notebook>-oauth-client` (notebook_oauth.go NewNotebookOAuthSecret,
 * NewNotebookOAuthClientSecret), and `<notebook>-tls`, the serving certificate OpenShift's service CA writes for the
 * Service `<notebook>-tls` the controller makes annotated service.beta.openshift.io/serving-cert-secret-name
 * (NewNotebookOAuthService); for one annotated notebooks.opendatahub.io/inject-auth true, the serving certificate of
 * the kube-rbac-proxy Service it makes (NOTEBOOK_AUTH_SECRET_SUFFIXES, notebook_kube_rbac_auth.go).
 *
 * And KServe's LLMInferenceService controller, for each service, its serving certificate
 * `<service>-kserve-self-signed-certs` (llm-children.ts LLM_CHILDREN).
 */
/** The API groups of CloudNativePG's Cluster and of its downstream EDB Postgres for Kubernetes, which names its Secrets and Services alike. */
export const CNPG_GROUPS = ['postgresql.cnpg.io', 'postgresql.k8s.enterprisedb.io'];

/** Whether an object is a CloudNativePG (or EDB Postgres for Kubernetes) Cluster. */
export function isCnpgCluster(m: Loose): boolean {
  return CNPG_GROUPS.some((group) => String(m.apiVersion ?? '').startsWith(`${group}/`));
}

const OPERATOR_SECRETS: Readonly<Record<string, (m: Loose, secret: string) => boolean>> = {
  // KServe's LLMInferenceService controller: <service>-kserve-self-signed-certs (LLM_CHILDREN has the source)
  LLMInferenceService: (m, secret) => String(m.apiVersion ?? '').startsWith('serving.kserve.io/') && llmChildOf([m], 'Secret', secret) !== undefined,
  Notebook: (m, secret) => {
    const notebook = text(mapping(m.metadata).name);
    if (!String(m.apiVersion ?? '').startsWith('kubeflow.org/') || !notebook) return false;
    const annotations = stringMap(mapping(m.metadata).annotations);
    const oauth = injectsNotebookOAuth(annotations) && [`${notebook}-oauth-config`, `${notebook}-oauth-client`, `${notebook}-tls`].includes(secret);
    return oauth || (injectsNotebookAuth(annotations) && NOTEBOOK_AUTH_SECRET_SUFFIXES.some((s) => secret === `${notebook}${s}`));
  },
  postgresql: (m, secret) => {
    const cluster = text(mapping(m.metadata).name);
    if (!String(m.apiVersion ?? '').startsWith('acid.zalan.do/') || !cluster) return false;
    const suffix = `.${cluster}.credentials.postgresql.acid.zalan.do`;
    return secret.endsWith(suffix) && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(secret.slice(0, -suffix.length));
  },
  Cluster: (m, secret) => {
    const cluster = text(mapping(m.metadata).name);
    if (!isCnpgCluster(m) || !cluster) return false;
    const spec = mapping(m.spec);
    const ownSecret = text(mapping(mapping(mapping(spec.bootstrap).initdb).secret).name);
    return (
      (secret === `${cluster}-app` && !ownSecret) ||
      (secret === `${cluster}-superuser` && spec.enableSuperuserAccess === true) ||
      [`${cluster}-ca`, `${cluster}-server`, `${cluster}-replication`].includes(secret)
    );
  },
  PostgresCluster: (m, secret) => {
    const cluster = text(mapping(m.metadata).name);
    if (!String(m.apiVersion ?? '').startsWith('postgres-operator.crunchydata.com/') || !cluster) return false;
    const listed = mappings(mapping(m.spec).users).flatMap((u) => text(u.name) ?? []);
    return (listed.length ? listed : [cluster]).some((user) => secret === `${cluster}-pguser-${user}`);
  },
};

/**
 * The objects and the references between them, resolved the way the cluster resolves them: runtimes in the
 * service's namespace, LocalQueues in the workload's namespace, ClusterQueues and their ResourceFlavors
 * cluster-wide. A namespaced object that names no namespace lands in the namespace its delivery gives it (Argo CD's
 * destination, Flux's targetNamespace, `kubectl -n`): unknown where the delivery does not say (and `defaultNamespace`
 * does not), so lookups from or to it match any.
 */
export class ObjectGraph {
  public readonly objects: readonly GraphObject[];
  /** Folders of the checked input, when the reader told them. */
  public readonly folders?: readonly string[];
  /** Folders of the checked input that are Helm charts, when the reader told them. */
  public readonly charts: readonly string[];
  /** Objects of files the kustomizations of the input leave out, when the reader told them. */
  public readonly leftOut: readonly {
    readonly manifest: unknown;
    readonly file?: string;
    readonly ownKustomization?: string;
    readonly besideBuild?: boolean;
  }[];
  /** Resources of kustomizations that kustomize refuses for want of a metadata.name, when the reader told them. */
  public readonly refused: readonly GraphObject[];
  /** Files of folders that Argo CD's directory source reads but that gave no object, when the reader told them. */
  public readonly unread: readonly UnreadFile[];
  /** Objects of the files in kustomize folders as written, when the reader told them. */
  public readonly plain: readonly { readonly manifest: unknown; readonly file?: string; readonly line?: number }[];
  /** The objects each included kustomization builds on its own, when the reader told them. */
  public readonly ownBuilds: readonly GraphObject[];
  /** Where the checked folders sit in their git work trees, when the reader told them. */
  public readonly checkouts: readonly GitCheckout[];
  /** What each kustomization's own build does, when the reader told it. */
  public readonly builds: readonly KustomizationBuild[];
  /** Objects the scripts of the checked folders create when they run, when the reader told them. */
  public readonly scriptCreated: readonly ScriptCreated[];
  /** The files and folders the scripts of the checked folders apply, when the reader told them. */
  public readonly scriptApplied: readonly ScriptApplied[];
  /** The files and folders the scripts of the checked folders delete, and its tear-down folders, when the reader told them. */
  public readonly scriptDeleted: readonly ScriptDeleted[];
  /** The published releases the tree's install steps name (KServe's kserve.yaml at a version), when the reader told them. */
  public readonly installed: readonly ListedRemoteBase[];
  public readonly remoteApplies: readonly RemoteApply[];
  /** The images the checked folders build, and the step that loads or pushes them, when the reader told them. */
  public readonly treeImages: TreeImages;
  /** The helm install, upgrade and template commands of the checked folders' scripts, when the reader told them. */
  public readonly helmCommands: readonly HelmCommand[];
  /** The helm commands of the scripts and guides of the repository above the checked folders, when the reader told them. */
  public readonly repositoryHelmCommands: readonly HelmCommand[];
  /** The files and folders of the checked folders the scripts and guides of the repository above them apply or create, when the reader told them. */
  public readonly repositoryApplied: readonly ScriptApplied[];
  /** The inline kubectl|oc patch commands of the checked folders' scripts, when the reader told them. */
  public readonly scriptPatches: readonly ScriptPatch[];
  public readonly scriptTaints: readonly ScriptTaint[];
  public readonly scriptNamespaceLabels: readonly ScriptNamespaceLabel[];
  public readonly scriptModelRequests: readonly ScriptModelRequest[];
  public readonly scriptS3Uploads: readonly ScriptS3Upload[];
  /** The SCCs the checked folders' scripts grant, when the reader told them. */
  public readonly scriptSccGrants: readonly ScriptSccGrant[];
  /** The MachineSets the checked folders' scripts clone or label, when the reader told them. */
  public readonly scriptMachineSets: readonly ScriptMachineSet[];
  public readonly ingressNginxInstalls: readonly IngressNginxInstall[];
  public readonly installerRuns: readonly InstallerRun[];
  public readonly unreadInput: readonly string[];
  /** The commands of the tree's scripts and READMEs that drive a local development cluster, when the reader told them. */
  public readonly devClusters: readonly DevClusterMark[];
  /** The lines of the tree's READMEs and guides that say which GPU it runs on, when the reader told them. */
  public readonly proseGpus: readonly ProseGpuMention[];
  // indexes keep every lookup constant-time, so checking grows linearly with the tree
  private readonly byKind = new Map<string, GraphObject[]>();
  private readonly byKindName = new Map<string, GraphObject[]>();
  private readonly byManifest = new Map<Loose, GraphObject>();
  private readonly renderingKeys = new WeakMap<GraphObject, string>();
  /** The runtime binding's memo key of each service (runtimeKey). */
  private readonly runtimeKeys = new WeakMap<GraphObject, string>();
  private readonly defaultNamespace?: string;
  private delivering?: (graph: ObjectGraph) => ReadonlyMap<GraphObject, string>;
  private delivered?: ReadonlyMap<GraphObject, string>;
  private readonly queueAnnotationRead: boolean;
  private readonly memo = new Map<string, unknown>();
  /** The values of oncePerRendering, by fact and rendering. */
  private readonly renderingMemo = new Map<string, Map<string, unknown>>();
  /** What the graph was made of, for a graph of more objects (withObjects). */
  private readonly made: { readonly objects: readonly GraphObject[]; readonly options: GraphOptions };

  constructor(objects: readonly GraphObject[], options: GraphOptions = {}) {
    this.made = { objects, options };
    this.defaultNamespace = options.defaultNamespace;
    this.delivering = options.deliveredNamespaces;
    this.folders = options.folders;
    this.charts = options.charts ?? [];
    this.leftOut = options.leftOut ?? [];
    this.refused = (options.refused ?? []).filter((o) => isMapping(o.manifest) && typeof o.manifest.kind === 'string');
    this.unread = options.unread ?? [];
    this.plain = options.plain ?? [];
    this.ownBuilds = options.ownBuilds ?? [];
    this.checkouts = options.checkouts ?? [];
    this.builds = options.builds ?? [];
    this.scriptCreated = options.scriptCreated ?? [];
    this.scriptApplied = options.scriptApplied ?? [];
    this.scriptDeleted = options.scriptDeleted ?? [];
    this.installed = options.installed ?? [];
    this.remoteApplies = options.remoteApplies ?? [];
    this.treeImages = options.treeImages ?? { built: [] };
    this.helmCommands = options.helmCommands ?? [];
    this.repositoryHelmCommands = options.repositoryHelmCommands ?? [];
    this.repositoryApplied = options.repositoryApplied ?? [];
    this.scriptPatches = options.scriptPatches ?? [];
    this.scriptTaints = options.scriptTaints ?? [];
    this.scriptNamespaceLabels = options.scriptNamespaceLabels ?? [];
    this.scriptModelRequests = options.scriptModelRequests ?? [];
    this.scriptS3Uploads = options.scriptS3Uploads ?? [];
    this.scriptSccGrants = options.scriptSccGrants ?? [];
    this.scriptMachineSets = options.scriptMachineSets ?? [];
    this.ingressNginxInstalls = options.ingressNginxInstalls ?? [];
    this.installerRuns = options.installerRuns ?? [];
    this.unreadInput = options.unreadInput ?? [];
    this.devClusters = options.devClusters ?? [];
    this.proseGpus = options.proseGpus ?? [];
    this.queueAnnotationRead = options.queueAnnotationRead ?? false;
    const read = objects.filter((o) => isMapping(o.manifest) && typeof o.manifest.kind === 'string');
    // the Applications an ApplicationSet's list generator produces are judged like written ones
    this.objects = [...read, ...read.filter((o) => o.manifest.kind === 'ApplicationSet').flatMap(generatedApplications)];
    for (const o of this.objects) {
      // a look-alike of a kind the checks mean in other groups (an InferenceService of another project) is kept apart:
      // asked for by its kind name, the graph gives the meant kind's objects only (lib/k8s/kind-groups.ts)
      const kind: string = isMeantKind(o.manifest) ? o.manifest.kind : lookAlikeKey(o.manifest);
      push(this.byKind, kind, o);
      push(this.byKindName, `${kind}/${nameOf(o.manifest)}`, o);
      if (!this.byManifest.has(o.manifest)) this.byManifest.set(o.manifest, o);
    }
  }

  /**
   * The graph with more objects in it, all else as read: the objects one OpenShift Template makes, which find each other
   * as `oc process` makes them together (a claim or ServiceAccount of the Template for its workload).
   */
  public withObjects(more: readonly GraphObject[]): ObjectGraph {
    return new ObjectGraph([...this.made.objects, ...more], this.made.options);
  }

  /** The objects of a kind, in the groups the checks mean it (lib/k8s/kind-groups.ts): look-alikes of other groups are not. */
  public ofKind(kind: string): GraphObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The objects of a kind name in any group, look-alikes included: for the rules that judge the group itself. */
  public ofKindAnyGroup(kind: string): GraphObject[] {
    return this.objects.filter((o) => o.manifest.kind === kind);
  }

  /**
   * The object's namespace: its own, else the one its delivery gives it (an Argo CD Application's destination, a Flux
   * Kustomization's targetNamespace, a script's -n), else the default; undefined for cluster-scoped kinds and unknown ones.
   */
  public namespaceOf(m: Loose): string | undefined {
    if (isClusterScoped(String(m.kind))) return undefined;
    return text(mapping(m.metadata).namespace) || this.deliveredNamespace(m) || this.defaultNamespace;
  }

  /** The namespace the delivery gives a namespace-less object; undefined while the deliveries are being worked out. */
  private deliveredNamespace(m: Loose): string | undefined {
    if (!this.delivered) {
      if (!this.delivering) return undefined;
      // working out the deliveries reads the graph, which must not ask back: namespaces are unknown meanwhile
      const compute = this.delivering;
      this.delivering = undefined;
      this.delivered = compute(this);
    }
    const o = this.byManifest.get(m);
    return o ? this.delivered.get(o) : undefined;
  }

  /** The CustomResourceDefinitions of the input that define a kind in an API group. */
  public crdsDefining(group: string, kind: string): GraphObject[] {
    return this.ofKind('CustomResourceDefinition').filter((c) => {
      const spec = mapping(c.manifest.spec);
      return text(spec.group) === group && text(mapping(spec.names).kind) === kind;
    });
  }

  /** An object by kind and name, in a namespace (undefined: cluster-scoped, or any when the namespace is unknown). */
  public find(kind: string, name: unknown, namespace?: string): GraphObject | undefined {
    if (typeof name !== 'string') return undefined;
    return (this.byKindName.get(`${kind}/${name}`) ?? []).find((o) => this.inNamespace(o, namespace));
  }

  /**
   * Every declaration of an object by kind and name that may be in `namespace`: a tree of alternatives (samples applied
   * one at a time, overlays) may declare one name several times, differently.
   */
  public findAll(kind: string, name: unknown, namespace?: string): GraphObject[] {
    if (typeof name !== 'string') return [];
    return (this.byKindName.get(`${kind}/${name}`) ?? []).filter((o) => this.inNamespace(o, namespace));
  }

  /** Whether the object may be in `namespace`: either side unknown matches. */
  private inNamespace(o: GraphObject, namespace: string | undefined): boolean {
    const ns = this.namespaceOf(o.manifest);
    return namespace === undefined || ns === undefined || ns === namespace;
  }

  /**
   * Whether the tree delivers the Secret: as a Secret, or through an object whose controller writes it in its own
   * namespace — an ExternalSecret (external-secrets.io: spec.target.name, defaulting to the ExternalSecret's name), a
   * SealedSecret (bitnami.com: the Secret takes the SealedSecret's name, to which its encryption is bound), or a
   * Service annotated service.beta.openshift.io/serving-cert-secret-name (OpenShift's service CA writes the certificate).
   */
  public secretInTree(name: unknown, namespace?: string): boolean {
    return this.find('Secret', name, namespace) !== undefined || this.secretWrittenByController(name, namespace);
  }

  /** The script of the checked folders that creates the object of that kind and name in the namespace when it runs (a namespace it does not say matches any). */
  public scriptCreating(kind: string, name: string, namespace?: string): ScriptCreated | undefined {
    return this.scriptCreated.find(
      (c) => c.kind === kind && c.name === name && (c.namespace === undefined || namespace === undefined || c.namespace === namespace),
    );
  }

  /**
   * The keys of the Secret (or object of `kind`: a ConfigMap) of that name the scripts of the checked folders create in the namespace, when every command
   * that creates it says all of them (one that does not, or none at all: undefined); a Secret made in several places
   * (branches of a script, several scripts) may have any of their keys.
   */
  public scriptSecretKeys(name: string, namespace?: string, kind = 'Secret'): { keys: Set<string>; by: ScriptCreated; repair: boolean } | undefined {
    const made = this.scriptCreated.filter(
      (c) => c.kind === kind && c.name === name && (c.namespace === undefined || namespace === undefined || c.namespace === namespace),
    );
    if (!made.length || made.some((c) => c.keys === undefined)) return undefined;
    return { keys: new Set(made.flatMap((c) => c.keys ?? [])), by: made[0], repair: made.every((c) => c.repair) };
  }

  /**
   * Whether a kustomization that builds the object may hold objects the reader did not build (a remote base, a Helm
   * chart, a generator plugin, files a script writes before the build): a name its objects refer to may be there.
   */
  public inPartlyBuiltBuild(o: GraphObject): boolean {
    return (o.kustomizations ?? []).some((k) => this.builds.some((b) => b.folder === k && b.partlyBuilt));
  }

  /** Whether a kustomization that builds the object (its root or one the root includes) is refused by kustomize: the root delivers nothing. */
  public inFailedBuild(o: GraphObject): boolean {
    return (o.kustomizations ?? []).some((k) => this.builds.some((b) => b.folder === k && b.fails === true));
  }

  /**
   * Whether a kustomization that builds the object generates an object of that name (configMapGenerator,
   * secretGenerator) while its build is refused: the generator's output is missing only because the build fails,
   * which kustomize-build-fails reports.
   */
  public generatedByFailedBuild(o: GraphObject, name: string): boolean {
    if (!this.inFailedBuild(o)) return false;
    return (o.kustomizations ?? []).some((k) => this.builds.some((b) => b.folder === k && (b.generated ?? []).includes(name)));
  }

  /**
   * Where this copy of an object is a base's own, built only by a root kustomize refuses (so delivered by nothing),
   * while another kustomization of the tree overlays that base and no script or README applies the base itself: a
   * template (a placeholder an overlay patches), delivered only as the overlay builds it. The root and the overlay.
   */
  public undeliveredBaseCopy(o: GraphObject): { root: string; overlay: string } | undefined {
    const chain = o.kustomizations ?? [];
    if (chain.length < 2 || !this.inFailedBuild(o)) return undefined;
    const base = chain[chain.length - 1];
    if (this.scriptApplied.some((a) => a.kustomize && a.target.replace(/\/+$/, '') === base)) return undefined;
    // another copy of the file that reached the base through a kustomization this copy did not pass
    const overlayOf = (x: GraphObject) => {
      const k = x.kustomizations ?? [];
      const at = k.indexOf(base);
      return at > 0 && !chain.includes(k[at - 1]) ? k[at - 1] : undefined;
    };
    const overlay = (this.byFile().get(o.file ?? '') ?? []).map(overlayOf).find((k) => k !== undefined);
    return overlay ? { root: chain[0], overlay } : undefined;
  }

  /** The objects of each file. */
  private byFile(): Map<string, GraphObject[]> {
    return this.once('byFile', () => {
      const files = new Map<string, GraphObject[]>();
      for (const o of this.objects) if (o.file) files.set(o.file, [...(files.get(o.file) ?? []), o]);
      return files;
    });
  }

  /** Whether an ExternalSecret, a SealedSecret, another secret-syncing operator's object, a cert-manager Certificate, a database operator's cluster or a serving-certificate Service of the tree writes (or replaces the data of) the Secret of that name. */
  public secretWrittenByController(name: unknown, namespace?: string): boolean {
    if (typeof name !== 'string') return false;
    const external = this.ofKind('ExternalSecret').some(
      (o) => this.inNamespace(o, namespace) && (text(mapping(mapping(o.manifest.spec).target).name) ?? text(mapping(o.manifest.metadata).name)) === name,
    );
    if (external || this.find('SealedSecret', name, namespace) !== undefined || this.servingCertificate(name, namespace)) return true;
    if (this.secretProviderClassSyncing(name, namespace)?.mounted) return true;
    return (
      Object.entries(SYNCED_SECRET_NAME).some(([kind, nameOf]) =>
        this.ofKind(kind).some((o) => this.inNamespace(o, namespace) && nameOf(o.manifest) === name),
      ) || Object.entries(OPERATOR_SECRETS).some(([kind, writes]) => this.ofKind(kind).some((o) => this.inNamespace(o, namespace) && writes(o.manifest, name)))
    );
  }

  /**
   * The SecretProviderClass (secrets-store.csi.x-k8s.io) of the tree whose spec.secretObjects names the Secret, in
   * its namespace, and whether a pod of the tree in that namespace mounts its CSI volume: the Secrets Store CSI Driver
   * writes those Secrets only when a pod mounts the class's volume, and deletes them with the last such pod
   * (secrets-store-csi-driver docs/book/src/topics/sync-as-kubernetes-secret.md: "The volume mount is required").
   */
  public secretProviderClassSyncing(name: unknown, namespace?: string): { readonly spc: GraphObject; readonly mounted: boolean } | undefined {
    if (typeof name !== 'string') return undefined;
    const spc = this.ofKind('SecretProviderClass').find(
      (o) =>
        String(o.manifest.apiVersion ?? '').startsWith('secrets-store.csi.x-k8s.io/') &&
        this.inNamespace(o, namespace) &&
        mappings(mapping(o.manifest.spec).secretObjects).some((s) => text(s.secretName) === name),
    );
    if (!spc) return undefined;
    const className = text(mapping(spc.manifest.metadata).name);
    const spcNamespace = this.namespaceOf(spc.manifest) ?? namespace;
    const mounted = this.objects.some(
      (o) =>
        this.inNamespace(o, spcNamespace) &&
        mappings(podSpecOf(o.manifest)?.volumes).some((v) => {
          const csi = mapping(v.csi);
          return csi.driver === SECRETS_STORE_DRIVER && text(mapping(csi.volumeAttributes).secretProviderClass) === className;
        }),
    );
    return { spc, mounted };
  }

  /** Whether a Service of the tree asks OpenShift's service CA for a serving certificate in the Secret of that name. */
  private servingCertificate(name: string, namespace?: string): boolean {
    return this.ofKind('Service').some((o) => {
      const annotations = stringMap(mapping(o.manifest.metadata).annotations);
      return this.inNamespace(o, namespace) && SERVING_CERT_ANNOTATIONS.some((a) => annotations[a] === name);
    });
  }

  /**
   * The file of an object of the kind and name (in `namespace`, or any when either is unknown) that the kustomizations
   * of the tree leave out: a file forgotten in `resources`, never delivered.
   */
  public leftOutFile(kind: string, name: string, namespace: string | undefined): string | undefined {
    const found = this.leftOut.find((l) => {
      const m = mapping(l.manifest);
      const lns = text(mapping(m.metadata).namespace);
      return m.kind === kind && text(mapping(m.metadata).name) === name && (lns === undefined || namespace === undefined || lns === namespace);
    });
    return found ? (found.file ?? 'a file of the tree') : undefined;
  }

  /** A value computed once per check run (e.g. demand per ClusterQueue, shared by the objects of one rule). */
  /** The node pools the Terraform of the checked folders and of their git repositories declares (checkedTerraformPools), read once. */
  public terraformPools(): TerraformNodePools {
    return this.once('terraform-node-pools', () => checkedTerraformPools(this.folders ?? [], this.checkouts));
  }

  /**
   * The objects the git repositories holding the checked folders deploy outside them (repositoryObjects), read once per
   * check from the work tree the read walked (or one walked now for a checkout without).
   */
  public repositoryObjects(): RepositoryObject[] {
    return this.once('repository-objects', () =>
      this.checkouts
        .filter((c) => c.within !== '.')
        .flatMap((c) => repositoryObjects(c.folder, c.workTree ? c : { ...c, workTree: this.once(`work-tree:${c.folder}`, () => workTreeOf(c)) })),
    );
  }

  /** The MachineSets and Karpenter NodePools of those repositories (repositoryNodesOf): node shapes of the cluster, read once when first asked. */
  public repositoryNodes(): RepositoryNodes {
    return this.once('repository-nodes', () => repositoryNodesOf(this.repositoryObjects()));
  }

  /** The repository's node shapes where this run read them (a workload's shape was looked for there), for the output to name. */
  public repositoryNodesRead(): RepositoryNodes | undefined {
    return this.memo.get('repository-nodes') as RepositoryNodes | undefined;
  }

  /**
   * The repository's MachineSets a workload lands on, where its shape is taken from them (instanceTypesOf): its node
   * selector names labels no MachineSet of the tree carries, and each MachineSet of the repository carrying them has
   * an instance type the catalog knows. Empty otherwise.
   */
  public repositoryMachineSetsOf(m: Loose): readonly RepositoryMachineSet[] {
    return perRun('repository-machine-sets', [this, m], () => {
      const selector = stringMap(mapping(podSpecOf(m)).nodeSelector);
      if (!Object.keys(selector).length || admittedValues(nodeSelectionOf(mapping(podSpecOf(m))), INSTANCE_TYPE_LABEL).values?.length) return [];
      const tree = this.ofKind('MachineSet').some((ms) =>
        holdsLabels(stringMap(mapping(mapping(mapping(mapping(ms.manifest.spec).template).spec).metadata).labels), selector),
      );
      if (tree || this.recordedNodeShape(m)) return [];
      const { sets, types } = selectedMachineSets(this.repositoryNodes(), selector);
      return types.length ? sets : [];
    });
  }

  public once<T>(key: string, compute: () => T): T {
    // one lookup for a known value (an undefined one is told by has)
    const known = this.memo.get(key);
    if (known !== undefined || this.memo.has(key)) return known as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /**
   * `once` for a fact of one rendering (renderingKey): the key is the rendering's own string, kept per object, whose
   * hash V8 keeps with it, where `${fact}:${key}` made and hashed a new string on each of the run's thousands of asks.
   */
  private oncePerRendering<T>(fact: string, o: GraphObject, compute: () => T): T {
    let memo = this.renderingMemo.get(fact);
    if (!memo) this.renderingMemo.set(fact, (memo = new Map()));
    const key = this.renderingKey(o);
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as T;
    const value = compute();
    memo.set(key, value);
    return value;
  }

  /**
   * One rendering of a declaration: its id, file and line, and the kustomize root that built it, since two roots may
   * build one file into objects of one id that differ (an overlay's patch of the args, delivered to another cluster).
   */
  private renderingKey(o: GraphObject): string {
    // one string per object and run: the memo's keys are asked for thousands of times a run
    let key = this.renderingKeys.get(o);
    if (key === undefined) this.renderingKeys.set(o, (key = `${this.id(o)}:${o.file ?? ''}:${o.line ?? ''}:${o.kustomizations?.[0] ?? ''}`));
    return key;
  }

  public id(o: GraphObject): string {
    return objectId(o.manifest);
  }

  /** The node shape recorded on a workload, read once per object. */
  public recordedNodeShape(m: Loose): ReturnType<typeof nodeShapeOf> | undefined {
    return this.once(`node-shape:${objectId(m)}:${stringMap(mapping(m.metadata).annotations)[NODE_SHAPE_ANNOTATION] ?? ''}`, () => recordedNodeShapeOf(m));
  }

  /**
   * The ServingRuntime an InferenceService names explicitly (KServe looks only in the service's namespace), else the
   * ClusterServingRuntime of that name (served only on upstream KServe: runtime-not-found judges that); undefined
   * when none is in reach, or when the runtimes of that name it may bind to differ (runtimeBinding tells them).
   */
  public runtimeOf(isvc: Loose): GraphObject | undefined {
    return this.runtimeBinding(isvc).runtime;
  }

  /** The runtime an InferenceService binds to and the runtimes of its name in reach (see bindRuntime). */
  public runtimeBinding(isvc: Loose): RuntimeBinding {
    const name = text(modelSpecOf(isvc).runtime);
    if (!name) return { candidates: [] };
    const service = this.byManifest.get(isvc);
    const bind = () => {
      const ns = this.namespaceOf(isvc);
      const reachable = (this.byKindName.get(`ServingRuntime/${name}`) ?? []).filter((r) => this.inNamespace(r, ns));
      // no namespaced runtime of the name: KServe takes the ClusterServingRuntime of that name (GetServingRuntime)
      const cluster = reachable.length ? [] : (this.byKindName.get(`ClusterServingRuntime/${name}`) ?? []);
      return bindRuntime(service, reachable.length ? reachable : cluster, (r) => this.namespaceOf(r.manifest), ns);
    };
    return service ? this.once(this.runtimeKey(service), bind) : bind();
  }

  /**
   * The InferenceServices of the graph bound to the runtime (runtimeOf), in the graph's order: indexed once for every
   * runtime, where each rule's filter of every service per runtime it judged grew with the square of the services.
   */
  public servicesOf(runtime: GraphObject): readonly GraphObject[] {
    const index = this.once('services-of-runtime', () => {
      const by = new Map<GraphObject, GraphObject[]>();
      for (const s of this.ofKind('InferenceService')) {
        const bound = this.runtimeOf(s.manifest);
        if (bound) push(by, bound, s);
      }
      return by;
    });
    return index.get(runtime) ?? [];
  }

  /**
   * The memo key of a service's runtime binding: one string per object and run, made once (as renderingKey), where
   * a key made per ask cost a new string and its hash on each of the run's thousands of asks.
   */
  private runtimeKey(service: GraphObject): string {
    let key = this.runtimeKeys.get(service);
    if (key === undefined) this.runtimeKeys.set(service, (key = `runtime:${this.id(service)}:${service.file ?? ''}:${service.line ?? ''}`));
    return key;
  }

  /** An InferenceService's model container merged with its runtime's kserve-container, as KServe merges them (placeholders rendered). */
  public servingContainer(isvc: GraphObject): Loose | undefined {
    // a dozen rules read it (read-only): servingContainerOf merges it once per check run
    return servingContainerOf(this.serviceInput(isvc));
  }

  /**
   * vLLM's command line of a service as vLLM reads it (service-line): the runtime's command and args then the
   * service's, env hooks where a shell or the kubelet expands them, a config file mounted from a ConfigMap of the tree.
   */
  public vllmCommand(o: GraphObject): ServiceLine | undefined {
    return this.oncePerRendering('vllm-command', o, () => serviceCommandLine(this.serviceInput(o)));
  }

  /** vLLM's arguments of a service (see vllmCommand), as the words vLLM parses. */
  public vllmArgs(o: GraphObject): string[] {
    return (this.vllmCommand(o)?.args.words ?? []).map((w) => w.word);
  }

  private serviceInput(o: GraphObject): ServiceInput {
    const namespace = this.namespaceOf(o.manifest);
    return {
      manifest: o.manifest,
      runtime: o.manifest.kind === 'InferenceService' ? this.runtimeOf(o.manifest)?.manifest : undefined,
      namespace,
      configMap: (name) => this.find('ConfigMap', name, namespace)?.manifest,
    };
  }

  /**
   * What a service runs: vLLM on GPUs or CPUs, another runtime (TEI, detectors, docling, …), or a custom
   * container. Rules about vLLM and GPUs apply only where this says so; 'unknown' is judged by nobody.
   */
  public servingKindOf(o: GraphObject): ServingKind {
    return this.oncePerRendering('kind', o, () => {
      const m = o.manifest;
      if (m.kind === 'LLMInferenceService') {
        const main = mappings(mapping(mapping(m.spec).template).containers).find((c) => c.name === 'main');
        if (isInferenceSimulator(text(main?.image))) return 'other-runtime';
        return this.gpusOf(o) > 0 ? 'vllm-gpu' : 'vllm-cpu';
      }
      const predictor = mapping(mapping(m.spec).predictor);
      if (!predictorModelOf(m)) return mappings(predictor.containers).length ? 'custom-container' : 'unknown';
      const runtime = this.runtimeOf(m)?.manifest;
      const container = this.servingContainer(o) ?? {};
      const image = text(container.image) ?? '';
      const format = text(mapping(modelSpecOf(m).modelFormat).name) ?? '';
      const runtimeName = text(modelSpecOf(m).runtime) ?? '';
      const words = [image, runtimeName, ...strings(container.command), ...strings(container.args).slice(0, 2)].join(' ').toLowerCase();
      const vllm = !isInferenceSimulator(image) && (/vllm/.test(words) || (!runtime && /^vllm$/i.test(format)) || format === 'vLLM');
      if (!vllm) return runtime || runtimeName ? 'other-runtime' : 'unknown';
      const cpu = /cpu/.test(`${image} ${runtimeName} ${text(mapping(runtime?.metadata).name) ?? ''}`.toLowerCase()) || cpuIntent(container) !== undefined;
      if (cpu && this.gpusOf(o) === 0) return 'vllm-cpu';
      return 'vllm-gpu';
    });
  }

  /** GPUs of one pod, from every place a workload can declare them (model, runtime, predictor containers, workers). */
  public gpusOf(o: GraphObject): number {
    const m = o.manifest;
    if (m.kind === 'LLMInferenceService') {
      const spec = mapping(m.spec);
      return Math.max(podRequests({ kind: 'Pod', spec: spec.template }).gpus, podRequests({ kind: 'Pod', spec: spec.worker }).gpus);
    }
    return podRequests(m, this.runtimeOf(m)?.manifest).gpus;
  }

  /**
   * The LocalQueue a workload's queue name names: its label, else, where Kueue still reads it (up to 0.14), the
   * deprecated annotation of the same key (jobframework QueueNameForObject). `from` says which; `unread` is the name
   * of an annotation this Kueue no longer reads, the workload then having no queue.
   */
  public localQueueOf(m: Loose): { name?: string; queue?: GraphObject; from?: 'label' | 'annotation'; unread?: string } {
    const meta = mapping(m.metadata);
    const label = stringMap(meta.labels)[QUEUE_LABEL];
    const annotation = stringMap(meta.annotations)[QUEUE_LABEL];
    if (!label && annotation && !this.queueAnnotationRead) return { unread: annotation };
    const name = label || annotation || undefined;
    const from = label ? 'label' : annotation ? 'annotation' : undefined;
    return { name, from, queue: name ? this.find('LocalQueue', name, this.namespaceOf(m)) : undefined };
  }

  /** The ResourceFlavors of the ClusterQueue behind a LocalQueue, in the order Kueue tries them. */
  public flavorsOf(localQueue: GraphObject | undefined): {
    clusterQueue?: GraphObject;
    flavors: { name: string; object?: GraphObject; quota: Record<string, number> }[];
  } {
    // asked per workload by the Kueue rules, a ClusterQueue's rule once per workload on it: found once per run (shared, read-only)
    return perRun('flavors-of', [this, localQueue], () => {
      const cq = this.find('ClusterQueue', text(mapping(localQueue?.manifest.spec).clusterQueue));
      return { clusterQueue: cq, flavors: cq ? flavorsOfClusterQueue(this, cq) : [] };
    });
  }

  /**
   * Instance types a workload can land on: its node selector's (or required node affinity's) instance type, the
   * instance type of a MachineSet of the tree whose node labels the selector matches, or of the eksctl node groups
   * whose labels it matches and whose taints it tolerates, else those of the Kueue
   * flavors that could admit it, else those of the Karpenter NodePools that take it.
   */
  public instanceTypesOf(m: Loose): readonly GpuInstanceType[] {
    // asked by several rules per workload: found once per run
    return perRun('instance-types', [this, m], () => this.instanceTypesNow(m));
  }

  /** The GPUs a workload's node labels name (its hardware profile's, when one in the tree places it), for when no instance type is known. */
  public labelledGpusOf(m: Loose): LabelledGpus | undefined {
    return perRun('labelled-gpus', [this, m], () => {
      const annotations = stringMap(mapping(m.metadata).annotations);
      const name = annotations[HARDWARE_PROFILE_ANNOTATION];
      const profile = name ? this.find('HardwareProfile', name, annotations[HARDWARE_PROFILE_NAMESPACE_ANNOTATION] ?? this.namespaceOf(m)) : undefined;
      const selector = profileNodeSelector(profile?.manifest);
      const labelled = labelledGpusOf(m, selector, nodePoolAdmitted(m, this.karpenterNodePools()));
      if (labelled) return withTerraformNodePools(labelled, m, selector, this.terraformPools().karpenterNodePools);
      return terraformGpusOf(m, podRequests(m, this.runtimeOf(m)?.manifest).gpus, this.terraformPools(), this.poolsElsewhere());
    });
  }

  /**
   * The Karpenter NodePools that may launch the tree's nodes: the tree's own, and those its repository's Terraform
   * applies whole (a kubectl_manifest or kubernetes_manifest: TerraformNodePools.karpenterNodePools).
   */
  public karpenterNodePools(): readonly Pick<GraphObject, 'manifest'>[] {
    return this.once('karpenter-node-pools', () => [...this.ofKind('NodePool'), ...this.terraformPools().karpenterNodePools]);
  }

  /**
   * Whether the tree's pods may run on nodes other than the Terraform's managed pools: Karpenter NodePools,
   * MachineSets, eksctl, Config Connector or ASO pools, or a local development cluster its scripts or READMEs make.
   */
  private poolsElsewhere(): boolean {
    return this.once(
      'pools-elsewhere',
      () =>
        ['NodePool', 'MachineSet', 'ClusterConfig', 'ContainerNodePool', 'ManagedClustersAgentPool'].some((k) => this.ofKind(k).length > 0) ||
        // an eksctl configuration sits beside the manifests, listed by no kustomization; a script may clone a MachineSet
        this.leftOut.some((l) => mapping(l.manifest).kind === 'ClusterConfig') ||
        this.scriptMachineSets.length > 0 ||
        this.devClusters.some((d) => d.creates),
    );
  }

  private instanceTypesNow(m: Loose): GpuInstanceType[] {
    // the shape a construct recorded is what it placed the pods on, whatever the selector says
    const recorded = this.recordedNodeShape(m);
    if (recorded && 'type' in recorded) return [recorded.type];
    const pod = mapping(podSpecOf(m));
    const selector = stringMap(pod.nodeSelector);
    // the instance types both the node selector and the required node affinity admit
    const names = new Set<string>(admittedValues(nodeSelectionOf(pod), INSTANCE_TYPE_LABEL).values ?? []);
    if (!names.size && Object.keys(selector).length) {
      // a MachineSet that labels its nodes (e.g. gpu-type: l40s) tells the instance type behind a custom selector
      for (const ms of this.ofKind('MachineSet')) {
        const template = mapping(mapping(ms.manifest.spec).template);
        const nodeLabels = stringMap(mapping(mapping(template.spec).metadata).labels);
        const type = text(mapping(mapping(mapping(template.spec).providerSpec).value).instanceType);
        if (type && holdsLabels(nodeLabels, selector)) names.add(type);
      }
      // an eksctl ClusterConfig of the tree states its node groups (instance types, node labels, taints); eksctl reads
      // it, so it sits beside the manifests and no kustomization lists it
      const clusterConfigs = [...this.ofKind('ClusterConfig').map((o) => o.manifest), ...this.leftOut.map((l) => l.manifest)];
      for (const type of eksctlTypesFor(pod, clusterConfigs)) names.add(type);
      // a node pool of the repository's Terraform the selector pins by name, of one machine type
      for (const p of this.terraformPools().pools)
        if (p.machineTypes?.length === 1 && selector[POOL_NAME_LABELS[p.cloud]] === p.name && p.labels && holdsLabels(p.labels, selector))
          names.add(p.machineTypes[0]);
    }
    // a MachineSet of the repository outside the checked folder (a sibling gpu-workers/ folder) makes the nodes too
    if (!names.size) for (const ms of this.repositoryMachineSetsOf(m)) if (ms.type) names.add(ms.type);
    if (!names.size) {
      const { flavors } = this.flavorsOf(this.localQueueOf(m).queue);
      for (const f of flavors) {
        const t = stringMap(mapping(f.object?.manifest.spec).nodeLabels)[INSTANCE_TYPE_LABEL];
        if (t) names.add(t);
      }
    }
    // Karpenter launches a node of one of the NodePools that take the pod
    // the NodePools of the tree and those its Terraform applies, else those of its repository outside the checked folder
    if (!names.size) {
      const pools = this.karpenterNodePools();
      // (a repository's only for a pod that selects its nodes: one that selects none may land on any node of the cluster)
      return karpenterTypesOf(m, pools.length ? pools : Object.keys(selector).length ? this.repositoryNodes().nodePools : []);
    }
    return [...names].map((n) => GpuInstanceType.tryFind(n)).filter((t): t is GpuInstanceType => !!t);
  }
}

/** The index key of a look-alike kind: the kind with its group (lookAlikeKind). */
const lookAlikeKey = (m: Loose) => lookAlikeKind(String(m.kind), apiGroupOf(m.apiVersion));

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The flavors of a ClusterQueue, in the order Kueue tries them, with their nominal quota. */
function flavorsOfClusterQueue(graph: ObjectGraph, cq: GraphObject): { name: string; object?: GraphObject; quota: Record<string, number> }[] {
  return mappings(mapping(cq.manifest.spec).resourceGroups).flatMap((g) =>
    mappings(g.flavors)
      .filter((f) => typeof f.name === 'string')
      .map((f) => ({
        name: String(f.name),
        object: graph.find('ResourceFlavor', f.name),
        quota: Object.fromEntries(mappings(f.resources).map((r) => [String(r.name), parseQuantity(r.nominalQuota) ?? 0])),
      })),
  );
}

function nameOf(m: Loose): string {
  return text(mapping(m.metadata).name) ?? '<no name>';
}

/** How a message names a namespace that may be unknown. */
export function namespaceLabel(ns: string | undefined): string {
  return ns === undefined ? 'the namespace it is deployed to' : `'${ns}'`;
}
