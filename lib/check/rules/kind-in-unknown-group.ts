import { KUEUE_GROUP } from '../../k8s/keys';
import { apiGroupOf } from '../../k8s/api-version';
import { mapping, mappings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { editDistance } from '../../private/edit-distance';
import { ServedGroup, servedApis } from '../../platform/served-apis';
import { OperatorKind, projectKinds } from '../../platform/operator-kinds';
import { ANY_KIND, Rule } from '../rule';
import { OPERATOR_GROUPS } from '../../k8s/kind-groups';

/**
 * The groups whose kinds are distinctive enough that the same kind under another group is a mistake rather than
 * another project's CRD: KServe's and Kueue's. Kubernetes' own kind names recur in other projects (Knative's Service
 * and Route, Volcano's Job), so they are not judged here.
 */
const DISTINCTIVE_GROUPS = ['serving.kserve.io', KUEUE_GROUP];

/** Kueue kind names generic enough to be some other project's too. */
const GENERIC_KINDS = new Set(['Workload', 'Topology', 'Cohort']);

/** The platform whose served APIs name the groups of the distinctive kinds on OpenShift AI 2.x, whose table has none (the kinds are the same). */
const KIND_TABLE_PLATFORM = 'rhoai-3.0' as const;

/** Groups that once served the kinds under another name: KFServing's, which KServe was called before its rename (kserve/kserve README, "KFServing is now KServe"). */
const FORMER_GROUPS = new Set(['serving.kubeflow.org']);

/**
 * Kinds whose project moved them to a group of their own before any release served them in the old one: Kubeflow
 * Trainer v2's kinds were written `kubeflow.org/v2alpha1` during its development, beside the training operator's v1
 * kinds, and were released only as `trainer.kubeflow.org/v1alpha1` (kubeflow/trainer#2413 "Change API Group Name to
 * trainer.kubeflow.org", #2415 "changes CRDs to v1alpha1", before Trainer v2.0.0), so no installed CRD serves them
 * where a manifest of that time says.
 */
const MOVED_KINDS: Readonly<Record<string, { readonly group: string; readonly versions: readonly string[]; readonly source: string }>> = Object.fromEntries(
  ['TrainJob', 'TrainingRuntime', 'ClusterTrainingRuntime'].map((kind) => [
    `kubeflow.org ${kind}`,
    { group: 'trainer.kubeflow.org', versions: ['v1alpha1'], source: 'Kubeflow Trainer v2 (kubeflow/trainer#2413, #2415)' },
  ]),
);

/**
 * Groups of projects the tool knows every kind of, none of which is a kind it knows under another group: a known kind
 * written under one of them (KServe's LLMInferenceService as `llm-d.ai/v1alpha1`) is no other project's API but the
 * wrong group. llm-d.ai: llm-d/llm-d-router apix/v1alpha2 (InferenceObjective, InferenceModelRewrite) and
 * apix/config/v1alpha1 (EndpointPickerConfig, a file the picker reads), and llm-d/llm-d-model-service api/v1alpha1
 * (ModelService), each `+groupName=llm-d.ai`.
 */
const PROJECT_GROUPS: Readonly<Record<string, { readonly project: string; readonly kinds: readonly string[] }>> = {
  'llm-d.ai': {
    project: "llm-d's kinds (the router's InferenceObjective and InferenceModelRewrite, its EndpointPickerConfig file, the model service's ModelService)",
    kinds: ['InferenceObjective', 'InferenceModelRewrite', 'EndpointPickerConfig', 'ModelService'],
  },
};

/** How many one-character edits a group may be from the one that serves the kind and still be that group misspelt. */
const NEAR_EDITS = 3;

/**
 * Labels of a group that name no project (top-level domains, the words of Kubernetes' own sponsored groups, an area of
 * an API): a group sharing only these with the serving group is not taken for it.
 */
const COMMON_LABELS = new Set([
  'io',
  'com',
  'org',
  'sh',
  'dev',
  'ai',
  'aws',
  'k8s',
  'x-k8s',
  'sigs',
  'serving',
  'inference',
  'networking',
  'monitoring',
  'operator',
  'openshift',
  'opendatahub',
  'example',
  'apps',
]);

/**
 * Whether a group is the serving group written wrong rather than another project's: a former name of it, a few edits
 * from it (`serving.kserv.io`, `kueue.k8s.io`), or a group holding the label that names the project
 * (`kserve.io`, `kueue.example.com`, `llamastack.opendatahub.io` for llamastack.io). Any other group is some
 * operator's own, whose CRD the tree does not show.
 */
function nearGroup(group: string, served: string): boolean {
  const projects = served.split('.').filter((label) => !COMMON_LABELS.has(label));
  const labels = group.split('.');
  return FORMER_GROUPS.has(group) || editDistance(group, served) <= NEAR_EDITS || projects.some((p) => labels.includes(p));
}

/** The group that serves each distinctive kind, with its versions: KServe's and Kueue's as the platform serves them. */
function distinctiveKinds(apis: ReadonlyMap<string, ServedGroup>): Map<string, OperatorKind> {
  const out = new Map<string, OperatorKind>();
  for (const group of DISTINCTIVE_GROUPS) {
    for (const [kind, versions] of Object.entries(apis.get(group)?.kinds ?? {})) if (!GENERIC_KINDS.has(kind)) out.set(kind, { group, versions });
  }
  return out;
}

export const kindInUnknownGroup: Rule = {
  id: 'kind-in-unknown-group',
  title:
    "a kind of KServe, Kueue or another single project the platform's operators run (Llama Stack's LlamaStackDistribution, KubeRay's, JobSet's, KEDA's...) written under an API group that does not serve it (no API of the platform, no CRD of the input): the apply fails",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a CustomResourceDefinition of the input defines the kind in a group of which the group written is a shorter or misspelt form (`kubeflow.org` for Kubeflow Trainer's `trainer.kubeflow.org`) and the platform does not serve the kind in the group written (error naming the CRD's group); or the kind is one its project moved to a group of its own before any release served it in the group written (Kubeflow Trainer's TrainJob, TrainingRuntime and ClusterTrainingRuntime under `kubeflow.org`, released only in trainer.kubeflow.org/v1alpha1), with no CRD of the input defining it there (error); or the kind is one of KServe's or Kueue's at the platform's versions, or one only one project defines among the CRDs the project ships (KubeRay's, JobSet's, LeaderWorkerSet's, KEDA's, Karpenter's, Argo CD's, the Kubeflow training operator's, the inference extension's) and the kinds of the operators an OpenShift AI cluster runs beside it (the Llama Stack operator's LlamaStackDistribution in llamastack.io/v1alpha1, the NVIDIA GPU operator's NVIDIADriver, NFD's NodeFeatureDiscovery, OpenShift Pipelines' TektonConfig, OpenShift Serverless' KnativeServing and KnativeEventing, Service Mesh 2's ServiceMeshControlPlane and ServiceMeshMemberRoll) — never a name several projects use (Workload, Topology, Cohort, Cluster, Config, Application, NodePool, MachineSet, HardwareProfile, Probe, Istio, ClusterPolicy, ServiceMonitor, PodMonitor, PrometheusRule) —, its group is not one the platform serves, and no CustomResourceDefinition of the checked input defines that group and kind; an error where the group is the serving group written wrong (at most 3 one-character edits from it, a group holding the label that names its project: kserve, kueue, llamastack, ray, keda..., not a common one such as io, k8s, serving, operator or opendatahub; or KFServing's serving.kubeflow.org), naming the group and versions that serve it; an error too where the group is one of a project whose kinds are all known and do not include it (llm-d.ai: llm-d's InferenceObjective, InferenceModelRewrite, EndpointPickerConfig and ModelService, so `llm-d.ai/v1alpha1` LLMInferenceService is KServe's kind under the wrong group); a warning where the group is a subdomain of such a project's group (`inference.llm-d.ai`), where none of the project's CRDs serves a kind but a CRD installed outside the tree might, naming the group that serves the kind; else an info saying the CRD is not in the tree (another operator's API: OME's ome.io InferenceService); not judged: the kinds of the operators whose API the checks model by group (LLMKube's inference.llmkube.dev, litellm-operator's litellm.home-operations.com)",
  example: '`apiVersion: serving.kserv.io/v1alpha1` with `kind: LLMInferenceService`',
  fix: "write the group and version that serve the kind (serving.kserve.io for KServe's kinds, kueue.x-k8s.io for Kueue's, llamastack.io/v1alpha1 for LlamaStackDistribution: the message names them), and the fields of that kind's schema",
  source:
    'the API server serves a kind only in the group of its CRD (kubectl: "no matches for kind … in version …"; Argo CD: "the server could not find the requested resource"); KServe and Kueue CRDs at the releases of the platform table; KFServing\'s serving.kubeflow.org is no longer installed; the CRDs of schemas/crds (their groups and served versions); llm-d/llm-d-router apix/v1alpha2 and apix/config/v1alpha1 and llm-d/llm-d-model-service api/v1alpha1 (+groupName=llm-d.ai); llamastack/llama-stack-k8s-operator api/v1alpha1 (groupversion_info.go: group llamastack.io, version v1alpha1), the operator of OpenShift AI\'s llamastackoperator component; NVIDIA/gpu-operator api/nvidia/v1alpha1, openshift/cluster-nfd-operator api/v1, tektoncd/operator pkg/apis/operator/v1alpha1, knative/operator pkg/apis/operator/v1beta1, maistra/istio-operator api/v1 and api/v2',
  check(o, { platform, graph }) {
    const apiVersion = text(o.manifest.apiVersion);
    const kind = text(o.manifest.kind);
    if (!apiVersion?.includes('/') || !kind) return [];
    const group = apiGroupOf(apiVersion);
    const apis = servedApis(platform === 'rhoai-2' ? KIND_TABLE_PLATFORM : platform);
    if (graph.crdsDefining(group, kind).length) return [];
    // a kind the platform does not serve in the group written, which a CRD of the input defines in that group's longer
    // or misspelt form (Kubeflow Trainer's trainer.kubeflow.org beside the training operator's kubeflow.org)
    const own = apis.get(group)?.kinds[kind] ? undefined : treeCrdGroup(graph, group, kind);
    if (own) return [{ message: ownCrdMessage(kind, apiVersion, group, own) }];
    const moved = apis.get(group)?.kinds[kind] ? undefined : MOVED_KINDS[`${group} ${kind}`];
    if (moved) return [{ message: movedKindMessage(kind, apiVersion, group, moved) }];
    // an operator whose API the checks model (LLMKube's): its kinds are judged by the rules about them
    if (apis.has(group) || OPERATOR_GROUPS[group]?.includes(kind)) return [];
    // KServe's and Kueue's kinds at the platform's versions, else a kind of one project's operator the project knows
    const served = distinctiveKinds(apis).get(kind) ?? (GENERIC_KINDS.has(kind) ? undefined : projectKinds().get(kind));
    if (!served || served.group === group) return [];
    if (graph.crdsDefining(group, kind).length) return [];
    const write = served.versions.map((v) => `${served.group}/${v}`).join(' or ');
    const project = PROJECT_GROUPS[group];
    // a kind of the project's own (llm-d's InferenceObjective, which it also serves under llm-d.ai) is its API, not a mistake
    if (project) return project.kinds.includes(kind) ? [] : [{ message: projectGroupMessage(kind, apiVersion, group, project.project, served, write) }];
    const within = projectDomainOf(group);
    if (within && !within.kinds.includes(kind)) return [{ severity: 'warning', message: projectDomainMessage(kind, apiVersion, group, within, served, write) }];
    if (!nearGroup(group, served.group)) {
      return [
        {
          severity: 'info',
          limitation: true,
          message: `kind ${kind} under ${group}, a group no API of the platform serves and no CustomResourceDefinition of the input defines: not verifiable, the CRD is not in the tree; ${group} is no spelling of ${served.group}, so it is taken for the API of an operator installed outside the tree (if ${served.group}'s ${kind} was meant, write apiVersion ${write})`,
        },
      ];
    }
    return [
      {
        message: `kind ${kind} is served in ${served.group}${served.by ? ` (by ${served.by})` : ''}, not in ${group}, which no API of the platform serves and no CustomResourceDefinition of the input defines: the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write apiVersion ${write}, with that kind's fields`,
      },
    ];
  },
};

/**
 * The group and versions a CustomResourceDefinition of the input gives a kind, where the group written is that group
 * cut short or misspelt (`kubeflow.org` for Kubeflow Trainer's `trainer.kubeflow.org`): another project's kind of the
 * same name (a Cluster of Cluster API beside CloudNativePG's) is not taken for it.
 */
function treeCrdGroup(graph: ObjectGraph, group: string, kind: string): { group: string; versions: string[] } | undefined {
  for (const c of graph.ofKind('CustomResourceDefinition')) {
    const spec = mapping(c.manifest.spec);
    const crdGroup = text(spec.group);
    if (!crdGroup || crdGroup === group || text(mapping(spec.names).kind) !== kind) continue;
    if (!(crdGroup.endsWith(`.${group}`) || group.endsWith(`.${crdGroup}`) || nearGroup(group, crdGroup))) continue;
    const versions = mappings(spec.versions)
      .filter((v) => v.served !== false)
      .flatMap((v) => text(v.name) ?? []);
    return { group: crdGroup, versions };
  }
  return undefined;
}

/**
 * The known project whose group a group is a subdomain of (`inference.llm-d.ai` under llm-d.ai): no CRD the project
 * ships serves any kind there, but a component of the project may define one the tool does not know, hence a warning.
 */
function projectDomainOf(group: string): { readonly group: string; readonly project: string; readonly kinds: readonly string[] } | undefined {
  const found = Object.entries(PROJECT_GROUPS).find(([g]) => group.endsWith(`.${g}`));
  return found ? { group: found[0], ...found[1] } : undefined;
}

function projectDomainMessage(
  kind: string,
  apiVersion: string,
  group: string,
  within: { group: string; project: string },
  served: OperatorKind,
  write: string,
): string {
  return (
    `kind ${kind} is served in ${served.group}${served.by ? ` (by ${served.by})` : ''}; ${group} lies under ${within.group}, the group of ${within.project}, and no CRD of that project ` +
    `nor of the input defines ${kind} there: unless a CRD installed outside the tree serves it, the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write apiVersion ${write}, with that kind's fields`
  );
}

function projectGroupMessage(kind: string, apiVersion: string, group: string, project: string, served: OperatorKind, write: string): string {
  return (
    `kind ${kind} is served in ${served.group}${served.by ? ` (by ${served.by})` : ''}; ${group} is the group of ${project}, none of which is ${kind}, and no CustomResourceDefinition of the input ` +
    `defines it there: the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write apiVersion ${write}, with that kind's fields`
  );
}

function movedKindMessage(kind: string, apiVersion: string, group: string, moved: (typeof MOVED_KINDS)[string]): string {
  const write = moved.versions.map((v) => `${moved.group}/${v}`).join(' or ');
  return `kind ${kind} is served in ${moved.group}, not in ${group}: ${moved.source} moved it there before any release served it under ${group}, so no installed CRD matches and the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write apiVersion ${write}, with that release's fields`;
}

function ownCrdMessage(kind: string, apiVersion: string, group: string, own: { group: string; versions: string[] }): string {
  const write = own.versions.map((v) => `${own.group}/${v}`).join(' or ') || own.group;
  return (
    `kind ${kind} is defined in ${own.group} by a CustomResourceDefinition of the input, not in ${group}, where no API of the platform serves it and no ` +
    `CustomResourceDefinition of the input defines it: the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""; write apiVersion ${write}`
  );
}
