import { POOL_GROUP_ALPHA, POOL_GROUP_V1 } from '../../catalog/epp-releases';
import { apiGroupOf } from '../../k8s/api-version';
import { mapping, text } from '../../manifests/access';
import { USER_INSTALLED_OPERATORS } from '../../platform/operator-releases';
import { eppContainers } from '../epp-args';
import type { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

const KIND = 'InferenceModel';

/** What in the tree shows a v1.x extension: a v1 pool, an InferenceObjective, a picker image of v1.0 or later. */
interface V1Signal {
  readonly what: string;
  /** Only a moving tag (main, latest) says so: no version fact, the tree may have been written for an older build. */
  readonly moving: boolean;
}

/**
 * The extension's release manifests a script or README of the tree applies by URL (the project's documented install:
 * `kubectl apply -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/<tag>/manifests.yaml`,
 * the tag often in a variable the script sets), with where: the CRDs the cluster gets, whatever image a picker runs.
 */
const RELEASE_MANIFESTS = /\/gateway-api-inference-extension\/releases\/download\/v(\d+)\.(\d+)\.(\d+)[^/]*\/manifests\.yaml$/;

function installedReleases(graph: ObjectGraph): { tag: string; major: number; at: string }[] {
  return graph.remoteApplies.flatMap((a) => {
    const m = RELEASE_MANIFESTS.exec(a.url);
    return m ? [{ tag: `v${m[1]}.${m[2]}.${m[3]}`, major: Number(m[1]), at: `${a.script}:${a.line}` }] : [];
  });
}

function v1Signal(graph: ObjectGraph): V1Signal | undefined {
  return graph.once('inference-model-removed:signal', () => {
    const pool = graph.ofKind('InferencePool').find((p) => apiGroupOf(p.manifest.apiVersion) === POOL_GROUP_V1);
    if (pool) return { what: `InferencePool ${text(mapping(pool.manifest.metadata).name) ?? ''} is ${POOL_GROUP_V1}/v1`, moving: false };
    const objective = graph.ofKind('InferenceObjective').find((o) => apiGroupOf(o.manifest.apiVersion) === POOL_GROUP_ALPHA);
    if (objective)
      return { what: `InferenceObjective ${text(mapping(objective.manifest.metadata).name) ?? ''}, a kind of v1.0 on, is in the tree`, moving: false };
    // the CRD release a script installs decides what the API server serves, over any picker image
    const installed = installedReleases(graph);
    const v1 = installed.find((r) => r.major >= 1);
    if (v1) return { what: `${v1.at} installs the extension's ${v1.tag} release manifests`, moving: false };
    if (installed.length) return undefined;
    const pickers = eppContainers(graph).filter((c) => c.image?.release.poolGroup === POOL_GROUP_V1);
    const picker = pickers.find((c) => !c.image!.moving) ?? pickers[0];
    if (!picker) return undefined;
    const image = picker.image!;
    return { what: `the endpoint picker image runs ${image.release.label}${image.moving ? ` (tag ${image.tag}, which moves)` : ''}`, moving: image.moving };
  });
}

export const inferenceModelRemoved: Rule = {
  id: 'inference-model-removed',
  title: 'an InferenceModel beside a v1.x Gateway API Inference Extension (v1 pool, v1.x picker): v1.0 removed the kind, the apply fails',
  severity: 'error',
  appliesTo: [KIND],
  premise:
    "an inference.networking.x-k8s.io InferenceModel is in a tree that shows a v1.x extension: an inference.networking.k8s.io/v1 InferencePool, an InferenceObjective, or an endpoint picker image of v1.0 or later (the extension's epp tag, llm-d's scheduler from v0.3.0); the extension's CRDs from v1.0.0 define no InferenceModel (InferenceObjective replaced it), so the apply fails with no matches for the kind, and where the CRD lingers from an older install no v1.x picker reads it: an error; the extension's release manifests a script or README of the tree applies by URL (releases/download/<tag>/manifests.yaml, the tag possibly in a variable the script sets) are the CRDs the cluster serves and outrank any picker image: v1.0 or later is an error, an earlier release settles that the kind is served (no finding from a picker image); a moving picker tag (main, latest) alone is no version fact: a note",
  example: '`kind: InferenceModel` beside `apiVersion: inference.networking.k8s.io/v1` InferencePool',
  fix: 'replace the InferenceModel with an inference.networking.x-k8s.io/v1alpha2 InferenceObjective (spec.priority, spec.poolRef); a model-name rewrite (modelName to targetModels) becomes an InferenceModelRewrite (from v1.2.0)',
  source:
    'kubernetes-sigs/gateway-api-inference-extension config/crd/bases: inference.networking.x-k8s.io_inferencemodels.yaml up to v0.5.1, absent from v1.0.0 (inferenceobjectives instead; inferencemodelrewrites from v1.2.0); docs/proposals/1199-inferencemodel-api-evolution; the v1.x picker watches InferenceObjectives, not InferenceModels (pkg/epp/controller); the install guide of the project applies releases/download/<tag>/manifests.yaml, the CRDs of that release',
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== POOL_GROUP_ALPHA) return [];
    const signal = v1Signal(graph);
    if (!signal) return [];
    const operator = USER_INSTALLED_OPERATORS[POOL_GROUP_ALPHA];
    const last = operator.lastServedIn?.[KIND] ?? 'v0.5.1';
    const successor = operator.replacedBy?.[KIND] ?? 'InferenceObjective';
    const apiVersion = text(o.manifest.apiVersion) ?? '';
    const problem: Problem = {
      // a moving tag is no version fact: a note of what it would mean, no verdict
      ...(signal.moving ? { severity: 'info' as const } : {}),
      message:
        `${KIND} was last served by the Gateway API Inference Extension ${last}, and the tree is of v1.x (${signal.what}): v1.x CRDs define no ${KIND}, so the apply fails with ` +
        `"no matches for kind \\"${KIND}\\" in version \\"${apiVersion}\\"", and where the CRD lingers no v1.x picker reads it; write an ${POOL_GROUP_ALPHA}/v1alpha2 ${successor} ` +
        `(spec.priority, spec.poolRef), and an InferenceModelRewrite for a model-name rewrite${signal.moving ? '. Only a moving picker tag, which names no release, points to v1.x: pin the release the tree is written for' : ''}`,
    };
    return [problem];
  },
};
