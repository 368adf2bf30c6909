/**
 * Fields a CRD marks required that a controller's mutating webhook fills when they are absent. Admission runs the
 * mutating webhooks before the API server validates the object against the CRD's schema, so an object that leaves
 * them out is accepted. Each entry names the webhook that fills the field.
 */
interface WebhookDefault {
  readonly kind: string;
  /** The field as field-required-missing names it (list indices as [N]). */
  readonly field: RegExp;
  /** The upstream code that fills it. */
  readonly source: string;
}

const WEBHOOK_DEFAULTS: readonly WebhookDefault[] = [
  {
    kind: 'InferenceService',
    field: /^spec\.(predictor|transformer|explainer)\.containers\[0\]\.name$/,
    source:
      'kserve pkg/apis/serving/v1beta1/predictor_custom.go, transformer_custom.go, explainer_custom.go (Custom*.Default names the first container kserve-container)',
  },
  {
    kind: 'JobSet',
    field: /^spec\.failurePolicy\.rules\[\d+\]\.name$/,
    source: 'kubernetes-sigs/jobset pkg/webhooks/jobset_webhook.go (Default names an unnamed failure policy rule failurePolicyRule<N>)',
  },
  {
    kind: 'LeaderWorkerSet',
    field: /^spec\.networkConfig\.subdomainPolicy$/,
    source: 'kubernetes-sigs/lws pkg/webhooks/leaderworkerset_webhook.go (Default sets networkConfig.subdomainPolicy to Shared)',
  },
];

/** Whether a known webhook fills this required field of this kind before schema validation. */
export function webhookDefaults(kind: string, field: string): boolean {
  return WEBHOOK_DEFAULTS.some((d) => d.kind === kind && d.field.test(field));
}
