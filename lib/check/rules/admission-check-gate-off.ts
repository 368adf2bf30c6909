import { mapping, text } from '../../manifests/access';
import { kueueName } from '../kueue-version';
import { Problem, Rule } from '../rule';

/**
 * Admission check controllers that run only behind a Kueue feature gate off by default before a release: the gate and
 * that release (kueue pkg/features/kube_features.go: ProvisioningACC alpha, off, in 0.5 and 0.6; beta, on, from 0.7).
 */
const GATED_CONTROLLERS: Readonly<Record<string, { gate: string; onFrom: number }>> = {
  'kueue.x-k8s.io/provisioning-request': { gate: 'ProvisioningACC', onFrom: 7 },
};

/** The minor of a 0.x Kueue release (`0.5`, `0.5.1`); undefined for others and for text such as `before 0.15`. */
const minorOf = (release: string) => {
  const m = /^0\.(\d+)(\.\d+)?$/.exec(release);
  return m ? Number(m[1]) : undefined;
};

export const admissionCheckGateOff: Rule = {
  id: 'admission-check-gate-off',
  title: "an AdmissionCheck's controller needs a Kueue feature gate that the stated Kueue release has off by default",
  severity: 'error',
  appliesTo: ['AdmissionCheck'],
  premise:
    "the Kueue release is stated (--kueue, the project file, or the tree: a manifest URL, image tag or chart version), not assumed, and is older than the release that turns the gate of the check's controllerName on by default (kueue.x-k8s.io/provisioning-request: ProvisioningACC, on from 0.7); no object of the tree passes that gate as true (--feature-gates=<gate>=true)",
  example: 'an AdmissionCheck with `controllerName: kueue.x-k8s.io/provisioning-request` and Kueue 0.5.1 installed from its release manifests',
  fix: 'install Kueue 0.7 or later, or enable the gate on the Kueue controller manager (--feature-gates=ProvisioningACC=true)',
  source:
    'kueue pkg/features/kube_features.go (ProvisioningACC: Alpha, Default false in 0.5 and 0.6; Beta, Default true from 0.7) and pkg/controller/admissionchecks/provisioning (set up only with the gate): no controller sets the check Active, so ClusterQueues listing it stay inactive and their workloads pending',
  check(o, ctx) {
    const controller = text(mapping(o.manifest.spec).controllerName);
    const gated = controller ? GATED_CONTROLLERS[controller] : undefined;
    const k = ctx.kueue;
    const minor = minorOf(k.release);
    if (!gated || minor === undefined || minor >= gated.onFrom || !['flag', 'project', 'tree'].includes(k.source)) return [];
    const enabled = new RegExp(`${gated.gate}=true`);
    if (ctx.graph.ofKind('Deployment').some((d) => enabled.test(JSON.stringify(d.manifest)))) return [];
    const problem: Problem = {
      message:
        `spec.controllerName '${controller}' is run by Kueue only with the feature gate ${gated.gate}, off by default in ${kueueName(k)} (${k.reason}; on by default from 0.${gated.onFrom}): ` +
        `nothing marks this AdmissionCheck Active, so every ClusterQueue listing it stays inactive and its workloads pending; install Kueue 0.${gated.onFrom} or later, or pass --feature-gates=${gated.gate}=true to the Kueue controller manager`,
    };
    return [problem];
  },
};
