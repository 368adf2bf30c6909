import { mapping, text } from '../../manifests/access';
import { publishedChannels } from '../../platform/operator-channels';
import { Rule } from '../rule';
import { wholeEnvsubstPlaceholder } from '../template-syntax';

export const subscriptionChannelUnknown: Rule = {
  id: 'subscription-channel-unknown',
  title: "an OLM Subscription names a channel the operator's package does not publish: OLM cannot resolve it and nothing is installed",
  severity: 'error',
  appliesTo: ['Subscription'],
  premise:
    "the Subscription's package is one whose published channels are known (the Red Hat build of Kueue, kueue-operator from redhat-operators: stable-v<major>.<minor> only; OpenShift AI, rhods-operator: the shapes of its channels, stable, fast, stable-<major>.<minor>, eus-<major>.<minor>, stable-<major>.x, fast-<major>.x, alpha, beta, embedded and the support channels, not whether the cluster's catalog holds that release) and its spec.channel is set; the NVIDIA GPU Operator (gpu-operator-certified from certified-operators: stable, v<YY>.<month>) and Red Hat's NFD (nfd: stable) are judged from their known channels, a warning since that list may miss one; a channel of any other operator, or of that package from another catalog, is not judged; no channel means the package's default channel; a channel that is one envsubst placeholder whole (`${KUEUE_CHANNEL}`) is no channel name but a slot, not judged where the file is a template a renderer of the tree fills or a plain file no kustomization builds (a script outside the input may render it): whether it is filled is unrendered-placeholder's question",
  example: 'Subscription `kueue-operator` with `channel: stable` from `redhat-operators`',
  fix: "name a channel the package publishes (for kueue-operator the release's channel, stable-v1.3), or drop spec.channel to follow the default",
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/registry/resolver (a Subscription whose channel the catalog does not have gets ResolutionFailed "no operators found in channel %s of package %s"); openshift/kueue-operator fbc catalog-template.yaml (olm.semver, minor channels only); redhat-cop/gitops-catalog redhat-build-of-kueue/operator/overlays, openshift-ai/operator/overlays (the channels of rhods-operator) and gpu-operator-certified/operator/overlays; openshift/cluster-nfd-operator manifests/nfd.package.yaml',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('operators.coreos.com/')) return [];
    const spec = mapping(m.spec);
    const pkg = text(spec.name);
    const channel = text(spec.channel);
    if (!pkg || !channel) return [];
    // a `${VAR}` channel in a template (a renderer of the tree fills it), or in a plain file no kustomization builds (a
    // script the input does not show may render it), is a slot, not a channel: unrendered-placeholder speaks for it
    if (wholeEnvsubstPlaceholder(channel) && (o.template !== undefined || (o.walked === true && !o.kustomizations?.length))) return [];
    const known = publishedChannels(pkg, text(spec.source));
    if (!known || known.publishes(channel)) return [];
    return [
      {
        // a list read from the package's known channels may miss one the catalog has: a warning
        ...(known.partial ? { severity: 'warning' as const } : {}),
        message:
          `spec.channel '${channel}' is not a channel of package ${pkg} in ${known.catalog}, which publishes ${known.described}: ` +
          `OLM cannot resolve the Subscription (ResolutionFailed: no operators found in channel ${channel} of package ${pkg}) and installs nothing; ` +
          `write the channel of the release you want (e.g. ${known.suggested}) or drop spec.channel to follow the package's default`,
      },
    ];
  },
};
