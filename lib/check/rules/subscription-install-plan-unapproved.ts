import { mapping, text } from '../../manifests/access';
import { inSkippedFolder, workTreeFiles, workTreeRoot } from '../../manifests/work-tree';
import { repositoryScriptsAbove } from '../../manifests/repository-scripts';
import { ScriptPatch, scriptPatches } from '../../manifests/script-patches';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';

/** Text that approves an InstallPlan: `oc patch installplan … '{"spec":{"approved":true}}'`, an approver Job, an Ansible task. */
const APPROVES = /install-?plans?\b[\s\S]{0,400}?approved|approved[\s\S]{0,400}?install-?plans?\b/i;

/**
 * A `kubectl|oc patch` of an InstallPlan that sets spec.approved true: the plan named as written (`installplan NAME`,
 * `installplan/NAME`, `ip`, the group-qualified resource), in a shell variable or by a command substitution that gets
 * it (`$(oc get installplan -n ns -o name)`); a merge or JSON patch (script-patches reads the options in any order).
 */
function approvesPlan(p: ScriptPatch): boolean {
  const plan = /^(installplans?|ip)(\.operators\.coreos\.com)?\//.test(p.resource) || /^\$\(.*\b(installplans?|ip)\b/.test(p.resource);
  return plan && p.fields.some((f) => f.path === 'spec.approved' && (f.value === true || f.value === 'true'));
}

/**
 * Whether anything of the tree or its repository approves InstallPlans: a script's patch of one (the tree's, or one of
 * the scripts of the repository above the checked folder: repositoryScriptsAbove), an object of the tree (a Job or
 * CronJob running the approval, an Argo CD hook) or a YAML file of its git repository (an Ansible task, a pipeline)
 * whose text names an InstallPlan beside `approved`.
 */
function approvedSomewhere(graph: ObjectGraph): boolean {
  if (graph.scriptPatches.some(approvesPlan)) return true;
  if (graph.objects.some((o) => o.manifest.kind !== 'Subscription' && APPROVES.test(JSON.stringify(o.manifest)))) return true;
  return graph.once('repository-approves-install-plans', () =>
    graph.checkouts
      .filter((c) => !inSkippedFolder(c.within))
      .some((c) => {
        if (scriptPatches(repositoryScriptsAbove(c.folder)?.scripts ?? []).some(approvesPlan)) return true;
        return workTreeFiles(workTreeRoot(c)).some((f) => APPROVES.test(f.text));
      }),
  );
}

export const subscriptionInstallPlanUnapproved: Rule = {
  id: 'subscription-install-plan-unapproved',
  title:
    'an OLM Subscription asks for manual approval of its InstallPlan, and nothing in the tree or its repository approves it: the operator is not installed',
  severity: 'warning',
  appliesTo: ['Subscription'],
  premise:
    "an operators.coreos.com Subscription sets spec.installPlanApproval: Manual; OLM then makes the InstallPlan with spec.approved false and installs nothing (no CSV, no CRDs, no operator) until someone sets it true; neither a script's `oc|kubectl patch installplan … spec.approved` set true (the tree's, or a script of the repository above the checked folder; the plan by name, shell variable or command substitution, options in any order), an object of the tree nor a YAML file of its git repository (a Job, an Ansible task, a pipeline) names an InstallPlan beside `approved`; a warning, since a person may approve it by hand (the console, `oc patch`) as the install's own step",
  example: 'a Subscription `nfd` with `installPlanApproval: Manual` and `startingCSV: nfd.4.18.0-202501010000`, and nothing that approves its InstallPlan',
  fix: 'set installPlanApproval: Automatic (pin the version with startingCSV and a channel), or approve the InstallPlan as a step of the install: `oc patch installplan NAME -n NAMESPACE --type merge -p \'{"spec":{"approved":true}}\'`',
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/operators/catalog/operator.go createInstallPlan (Approved: installPlanApproval == Automatic) and the InstallPlan phase RequiresApproval; OpenShift docs "Manually approving a pending Operator update"',
  check(o, { graph }) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('operators.coreos.com/')) return [];
    if (text(mapping(m.spec).installPlanApproval) !== 'Manual') return [];
    if (approvedSomewhere(graph)) return [];
    const pkg = text(mapping(m.spec).name) ?? '';
    return [
      {
        message:
          `installPlanApproval: Manual: OLM makes the InstallPlan of ${pkg ? `package ${pkg}` : 'this Subscription'} with spec.approved false and installs nothing until it is approved, ` +
          'and nothing in the tree or its repository approves it (no `oc patch installplan … \'{"spec":{"approved":true}}\'`, approver Job or task): the operator, its CRDs and whatever the tree makes of them wait; ' +
          'approve it as a step of the install, or set installPlanApproval: Automatic with startingCSV pinning the version',
      },
    ];
  },
};
