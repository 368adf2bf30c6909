import { mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';
import {
  CONNECTIONS_ANNOTATION,
  CONNECTION_TYPE_PROTOCOL_ANNOTATION,
  CONNECTION_TYPE_REF_ANNOTATION,
  HARDWARE_PROFILE_ANNOTATION,
  TEMPLATE_PATCHED_ANNOTATION,
} from '../../k8s/keys';

/** Fields OpenShift AI's hardware-profile webhook may replace on an InferenceService (scheduling.type Node). */
const PROFILE_FIELDS = ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations'];

/** What OpenShift AI's webhooks write into a service that its manifest does not already say, and why. */
function webhookWrites(isvc: GraphObject, graph: ObjectGraph): { why: string; fields: string[] }[] {
  const annotations = stringMap(mapping(isvc.manifest.metadata).annotations);
  const out: { why: string; fields: string[] }[] = [];
  if (annotations[HARDWARE_PROFILE_ANNOTATION]) out.push({ why: 'whose hardware profile may rewrite', fields: PROFILE_FIELDS });
  const connection = text(annotations[CONNECTIONS_ANNOTATION]);
  if (connection) {
    const predictor = mapping(mapping(isvc.manifest.spec).predictor);
    const model = mapping(predictor.model);
    // for an S3 connection the webhook sets serviceAccountName <secret>-sa and storage.key <secret> (connection-isvc webhook)
    const secret = graph.find('Secret', connection, graph.namespaceOf(isvc.manifest));
    const secretAnnotations = stringMap(mapping(secret?.manifest.metadata).annotations);
    const type = secretAnnotations[CONNECTION_TYPE_PROTOCOL_ANNOTATION] ?? secretAnnotations[CONNECTION_TYPE_REF_ANNOTATION];
    const s3 = secret ? type === 's3' : !text(model.storageUri);
    if (s3) {
      const fields: string[] = [];
      if (text(predictor.serviceAccountName) !== `${connection}-sa`) fields.push('/spec/predictor/serviceAccountName');
      if (text(mapping(model.storage).key) !== connection) fields.push('/spec/predictor/model/storage');
      if (fields.length) out.push({ why: `whose connection annotation (${connection}) makes OpenShift AI's webhook set`, fields });
    }
  }
  return out;
}

/**
 * Whether Argo CD re-applies the Application's manifests when the live objects drift: automated sync (not switched
 * off with `enabled: false`) with selfHeal (argo-cd controller/appcontroller.go autoSync: a drift with no new revision
 * is synced again only when selfHeal is set).
 */
function selfHeals(app: GraphObject): boolean {
  const automated = mapping(mapping(mapping(app.manifest.spec).syncPolicy).automated);
  return automated.enabled !== false && automated.selfHeal === true;
}

export const argocdWebhookDrift: Rule = {
  id: 'argocd-webhook-drift',
  title: "an Application delivers an InferenceService into which OpenShift AI's webhooks write fields the Application neither ignores nor owns",
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    'the InferenceService names a hardware profile or an S3 connection (opendatahub.io/connections) and the Application delivers it; a warning where the Application syncs automatically with selfHeal (it re-applies the fields the webhook wrote), an info otherwise (the app only shows OutOfSync)',
  example: 'an InferenceService with `opendatahub.io/hardware-profile-name: nvidia-l4-1gpu` and an Application without ignoreDifferences for its nodeSelector',
  fix: "write the values the webhook sets into the manifest, or add to the Application's spec.ignoreDifferences an entry of kind InferenceService (group serving.kserve.io, the service's name) whose jsonPointers list those fields",
  source:
    'OpenShift AI hardwareprofile-isvc-injector replaces nodeSelector and tolerations (scheduling.type Node); connection-isvc sets serviceAccountName <secret>-sa and storage.key; Argo CD then shows OutOfSync forever',
  check(o, { graph }) {
    // an ApplicationSet's templatePatch (not expanded here) may add the ignoreDifferences: no verdict
    if (stringMap(mapping(o.manifest.metadata).annotations)[TEMPLATE_PATCHED_ANNOTATION] === 'true') return [];
    const ignored = mappings(mapping(o.manifest.spec).ignoreDifferences).filter((d) => d.kind === 'InferenceService');
    // an ignored path covers everything below it
    const within = (ignoredPath: string, field: string) => field === ignoredPath || field.startsWith(`${ignoredPath}/`);
    const covers = (name: string, field: string) =>
      ignored.some(
        (d) =>
          (d.name === undefined || d.name === name) &&
          (strings(d.jsonPointers).some((p) => within(p, field)) ||
            strings(d.jqPathExpressions).some((e) => within(e.replace(/^\./, '/').split('.').join('/'), field))),
      );
    const out = [];
    for (const isvc of placedSources(graph, o)
      .flatMap((s) => s.objects)
      .filter((x) => x.manifest.kind === 'InferenceService')) {
      const name = text(mapping(isvc.manifest.metadata).name) ?? '';
      for (const { why, fields } of webhookWrites(isvc, graph)) {
        const missing = fields.filter((f) => !covers(name, f));
        if (missing.length) {
          const said = `delivers ${graph.id(isvc)}, ${why} ${missing.join(' and ')}, but ignoreDifferences does not list them: Argo CD shows the app OutOfSync`;
          out.push(
            selfHeals(o)
              ? { message: `${said} and selfHeal fights the webhook; write those values into the manifest or ignore those fields for it` }
              : {
                  severity: 'info' as const,
                  message: `${said}; without automated sync with selfHeal Argo CD does not re-apply them, so nothing fights the webhook; write those values into the manifest or ignore those fields for it to keep the app Synced`,
                },
          );
        }
      }
    }
    return out;
  },
};
