import { mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';
import { DEPLOYMENT_MODES, Platform } from '../platform';
import { treeKserveRelease } from '../kserve-release';
import {
  CONNECTIONS_ANNOTATION,
  DEPLOYMENT_MODE_ANNOTATION,
  CONNECTION_TYPE_PROTOCOL_ANNOTATION,
  CONNECTION_TYPE_REF_ANNOTATION,
  HARDWARE_PROFILE_ANNOTATION,
  TEMPLATE_PATCHED_ANNOTATION,
} from '../../k8s/keys';

/** Fields OpenShift AI's hardware-profile webhook may replace on an InferenceService (scheduling.type Node). */
const PROFILE_FIELDS = ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations'];

/** A field a webhook writes into a service, why, and what to write instead where one value fits. */
interface WebhookWrite {
  readonly why: string;
  readonly fields: string[];
  readonly fix?: string;
}

/**
 * The first upstream KServe release whose InferenceService defaulter rewrites a deprecated deploymentMode alias to
 * its new name (kserve/kserve v0.17.0 pkg/apis/serving/v1beta1/inference_service_defaults.go DefaultInferenceService,
 * #5025; v0.16.0 keeps the alias in the object and only reads it as the new name).
 */
const ALIAS_REWRITE_MINOR = 17;

/**
 * The deploymentMode alias KServe's defaulting webhook (CREATE and UPDATE) replaces: RawDeployment by Standard and
 * Serverless by Knative, on OpenShift AI 3.4 (opendatahub-io/kserve odh-v3.4) and upstream KServe 0.17+; not where the
 * replacement is a mode the platform cannot serve (deployment-mode's error).
 */
function aliasRewrite(isvc: GraphObject, graph: ObjectGraph, platform: Platform): WebhookWrite | undefined {
  const mode = stringMap(mapping(isvc.manifest.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  const modes = DEPLOYMENT_MODES[platform];
  const replacement = mode === undefined ? undefined : modes.deprecatedAliases[mode];
  if (!replacement || modes.unavailable.includes(replacement)) return undefined;
  if (platform === 'kserve') {
    const pinned = graph.once(`kserve-release:${ALIAS_REWRITE_MINOR}`, () =>
      treeKserveRelease(
        graph.objects.map((x) => ({ manifest: x.manifest, id: graph.id(x) })),
        ALIAS_REWRITE_MINOR,
        graph.installed,
      ),
    );
    if (pinned && pinned.minor < ALIAS_REWRITE_MINOR) return undefined;
  }
  return {
    why: `whose ${DEPLOYMENT_MODE_ANNOTATION} '${mode}' KServe's defaulting webhook on ${modes.label} rewrites to '${replacement}' in`,
    fields: [`/metadata/annotations/${DEPLOYMENT_MODE_ANNOTATION.replace('/', '~1')}`],
    fix: `write '${replacement}'`,
  };
}

/** What KServe's and OpenShift AI's webhooks write into a service that its manifest does not already say, and why. */
function webhookWrites(isvc: GraphObject, graph: ObjectGraph, platform: Platform): WebhookWrite[] {
  const annotations = stringMap(mapping(isvc.manifest.metadata).annotations);
  const out: WebhookWrite[] = [];
  const alias = aliasRewrite(isvc, graph, platform);
  if (alias) out.push(alias);
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
 * A jq path of ignoreDifferences as a JSON pointer: `.a.b`, `.a["x/y"]` and `.a."x/y"` name keys; anything else
 * (filters, wildcards) yields undefined.
 */
export function jqPointer(expr: string): string | undefined {
  const parts: string[] = [];
  const step = /^\.?(?:\[\s*"([^"]*)"\s*\]|"([^"]*)"|([A-Za-z_][\w-]*))/;
  let rest = expr.trim();
  if (!rest.startsWith('.')) return undefined;
  while (rest.length) {
    const m = step.exec(rest);
    if (!m) return undefined;
    parts.push((m[1] ?? m[2] ?? m[3]).replace(/~/g, '~0').replace(/\//g, '~1'));
    rest = rest.slice(m[0].length);
  }
  return `/${parts.join('/')}`;
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
  title: "an Application delivers an InferenceService into which KServe's or OpenShift AI's webhooks write fields the Application neither ignores nor owns",
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    'the InferenceService names a hardware profile or an S3 connection (opendatahub.io/connections), or a deprecated deploymentMode alias (RawDeployment, Serverless) on a KServe whose defaulter rewrites it (OpenShift AI 3.4, upstream 0.17+), and the Application delivers it; a warning where the Application syncs automatically with selfHeal (it re-applies the fields the webhook wrote), an info otherwise (the app only shows OutOfSync)',
  example: 'an InferenceService with `opendatahub.io/hardware-profile-name: nvidia-l4-1gpu` and an Application without ignoreDifferences for its nodeSelector',
  fix: "write the values the webhook sets into the manifest (Standard for RawDeployment, Knative for Serverless), or add to the Application's spec.ignoreDifferences an entry of kind InferenceService (group serving.kserve.io, the service's name) whose jsonPointers list those fields",
  source:
    'OpenShift AI hardwareprofile-isvc-injector replaces nodeSelector and tolerations (scheduling.type Node); connection-isvc sets serviceAccountName <secret>-sa and storage.key; kserve/kserve v0.17.0 (and opendatahub-io/kserve odh-v3.4) pkg/apis/serving/v1beta1/inference_service_defaults.go DefaultInferenceService rewrites deploymentMode RawDeployment to Standard and Serverless to Knative on CREATE and UPDATE; Argo CD then shows OutOfSync forever',
  check(o, { graph, platform }) {
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
            strings(d.jqPathExpressions).some((e) => {
              const pointer = jqPointer(e);
              return pointer !== undefined && within(pointer, field);
            })),
      );
    const out = [];
    for (const isvc of placedSources(graph, o)
      .flatMap((s) => s.objects)
      .filter((x) => x.manifest.kind === 'InferenceService')) {
      const name = text(mapping(isvc.manifest.metadata).name) ?? '';
      for (const { why, fields, fix } of webhookWrites(isvc, graph, platform)) {
        const missing = fields.filter((f) => !covers(name, f));
        if (missing.length) {
          const said = `delivers ${graph.id(isvc)}, ${why} ${missing.join(' and ')}, but ignoreDifferences does not list them: Argo CD shows the app OutOfSync`;
          out.push(
            selfHeals(o)
              ? { message: `${said} and selfHeal fights the webhook; ${fix ?? 'write those values into the manifest'} or ignore those fields for it` }
              : {
                  severity: 'info' as const,
                  message: `${said}; without automated sync with selfHeal Argo CD does not re-apply them, so nothing fights the webhook; ${fix ?? 'write those values into the manifest'} or ignore those fields for it to keep the app Synced`,
                },
          );
        }
      }
    }
    return out;
  },
};
