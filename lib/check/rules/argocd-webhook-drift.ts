import { mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { applicationPaths, objectsAt } from '../argocd-paths';
import { TEMPLATE_PATCHED_ANNOTATION } from '../application-sets';
import { Rule } from '../rule';

/** Fields OpenShift AI's hardware-profile webhook may replace on an InferenceService (scheduling.type Node). */
const PROFILE_FIELDS = ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations'];

export const argocdWebhookDrift: Rule = {
  id: 'argocd-webhook-drift',
  title: 'an Application delivers an InferenceService whose hardware profile may rewrite fields the Application neither ignores nor owns',
  severity: 'warning',
  appliesTo: ['Application'],
  premise: 'the InferenceService names an OpenShift AI hardware profile and the Application delivers it',
  example: 'an InferenceService with opendatahub.io/hardware-profile-name and an Application without ignoreDifferences for its nodeSelector',
  fix: 'add ignoreDifferences for /spec/predictor/nodeSelector and /spec/predictor/tolerations of that service (ArgoCdDelivery does)',
  source:
    'OpenShift AI hardwareprofile-isvc-injector: a profile of scheduling.type Node replaces nodeSelector and tolerations; Argo CD then shows OutOfSync forever',
  check(o, { graph }) {
    // an ApplicationSet's templatePatch (not expanded here) may add the ignoreDifferences: no verdict
    if (stringMap(mapping(o.manifest.metadata).annotations)[TEMPLATE_PATCHED_ANNOTATION] === 'true') return [];
    const ignored = mappings(mapping(o.manifest.spec).ignoreDifferences).filter((d) => d.kind === 'InferenceService');
    const covers = (name: string, field: string) =>
      ignored.some(
        (d) =>
          (d.name === undefined || d.name === name) &&
          (strings(d.jsonPointers).includes(field) || strings(d.jqPathExpressions).some((e) => e.replace(/^\./, '/').split('.').join('/') === field)),
      );
    const out = [];
    for (const isvc of applicationPaths(o)
      .flatMap((p) => objectsAt(graph, p))
      .filter((x) => x.manifest.kind === 'InferenceService')) {
      if (!stringMap(mapping(isvc.manifest.metadata).annotations)['opendatahub.io/hardware-profile-name']) continue;
      const name = text(mapping(isvc.manifest.metadata).name) ?? '';
      const missing = PROFILE_FIELDS.filter((f) => !covers(name, f));
      if (missing.length) {
        out.push({
          message: `delivers ${graph.id(isvc)}, whose hardware profile may rewrite ${missing.join(' and ')}, but ignoreDifferences does not list them: Argo CD shows the app OutOfSync and selfHeal fights the webhook; ignore those fields for it`,
        });
      }
    }
    return out;
  },
};
