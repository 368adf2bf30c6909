import { mapping, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/** A suffix that names a canary, a next version or a candidate of another service: `sklearn-iris-canary`, `llm-v2`. */
const CANARY_SUFFIX = /^(.+)-(canary|v\d+|new|next|candidate|green|blue)$/;

const nameOf = (o: GraphObject) => text(mapping(o.manifest.metadata).name) ?? '';

export const canaryAcrossServices: Rule = {
  id: 'canary-across-services',
  title:
    "an InferenceService named as the canary of another (`<name>-canary`) sets canaryTrafficPercent: KServe splits traffic only between revisions of one InferenceService, so the other's traffic never reaches it",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "KServe's predictor canaryTrafficPercent splits the traffic of one InferenceService between its latest revision and its previously rolled-out one, and only once it has one (a new InferenceService routes 100% to its only revision); " +
    'an InferenceService whose name is that of another InferenceService of its namespace in the tree with a canary or version suffix (-canary, -v2, -new, -next, -candidate, -green, -blue) and that sets canaryTrafficPercent is a separate service with its own URL: ' +
    "nothing routes the other's traffic to it, and its own percent does nothing on creation; a warning, since a client may call it by its own URL on purpose",
  example: 'InferenceService `sklearn-iris-canary` with `canaryTrafficPercent: 20` beside InferenceService `sklearn-iris`',
  fix: "roll the new model out in the InferenceService it is meant to take traffic from: change that one's predictor (model, storageUri) and set canaryTrafficPercent there, then promote by removing it; drop the separate InferenceService",
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/reconcilers/knative/ksvc_reconciler.go (traffic is split only when canaryTrafficPercent is set and the component has a LatestRolledoutRevision; else 100% to the latest revision); KServe docs "Canary rollout" (the canary is a new revision of the same InferenceService)',
  check(o, { graph }) {
    const percent = mapping(mapping(o.manifest.spec).predictor).canaryTrafficPercent;
    if (percent === undefined || percent === null) return [];
    const stem = CANARY_SUFFIX.exec(nameOf(o));
    const ns = graph.namespaceOf(o.manifest);
    const other = stem ? graph.ofKind('InferenceService').find((x) => x !== o && nameOf(x) === stem[1] && graph.namespaceOf(x.manifest) === ns) : undefined;
    if (!other || !stem) return [];
    const problem: Problem = {
      message:
        `canaryTrafficPercent ${String(percent)} on '${nameOf(o)}', named as the ${stem[2]} of InferenceService '${stem[1]}': KServe splits traffic only between revisions of one InferenceService (its latest and its previously rolled-out one), ` +
        `so '${nameOf(o)}' is a separate service with its own URL, none of '${stem[1]}''s traffic reaches it, and a new InferenceService has no earlier revision, so its own percent routes 100% to its only one; ` +
        `to canary the new model, change '${stem[1]}''s predictor and set canaryTrafficPercent there, then drop '${nameOf(o)}'`,
    };
    return [problem];
  },
};
