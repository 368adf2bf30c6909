import { groupVersionOf } from '../../k8s/api-version';
import { mapping, text } from '../../manifests/access';
import { operatorInstalling } from '../../platform/operator-apis';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Applied, appliesObject } from '../script-delivery';
import { ANY_KIND, Problem, Rule } from '../rule';

/** A shell script: its commands run one after the other, where a README's steps are run apart by its reader. */
const SHELL_SCRIPT = /\.(sh|bash)$/;

/** The Subscription an earlier apply of the same script delivers, whose operator installs the kind, with that apply. */
interface Installed {
  readonly subscription: GraphObject;
  readonly by: Applied;
}

/**
 * The apply of a Subscription whose operator installs the kind, earlier in the same script and run of commands as
 * `apply` (the same if/case arms, the same cluster), with no command between the two that may wait.
 */
function installedJustBefore(graph: ObjectGraph, apply: Applied, group: string, kind: string): Installed | undefined {
  const subscriptions = graph
    .ofKind('Subscription')
    .filter((s) => groupVersionOf(s.manifest.apiVersion).group === 'operators.coreos.com')
    .filter((s) => operatorInstalling(text(mapping(s.manifest.spec).name) ?? '', group, kind));
  const arms = JSON.stringify(apply.arms ?? []);
  for (const by of graph.scriptApplied as readonly Applied[]) {
    if (by.file !== apply.file || by.line >= apply.line || by.line <= (apply.waitedAt ?? Infinity)) continue;
    if (JSON.stringify(by.arms ?? []) !== arms || by.context !== apply.context) continue;
    const subscription = subscriptions.find((s) => appliesObject(by, s));
    if (subscription) return { subscription, by };
  }
  return undefined;
}

function tooEarly(o: GraphObject, apply: Applied, installed: Installed, graph: ObjectGraph): Problem {
  const kind = String(o.manifest.kind);
  // the CRD's name is <plural>.<group>; the plural is the CRD's to say (ClusterPolicy: clusterpolicies)
  const plural = `<plural>.${groupVersionOf(o.manifest.apiVersion).group}`;
  return {
    message:
      `${apply.script}:${apply.line} applies this ${kind} (\`${apply.command}\`) right after line ${installed.by.line} applies ${graph.id(installed.subscription)} (\`${installed.by.command}\`), ` +
      `and nothing between them waits: OLM creates the operator's CRDs only once it has resolved the Subscription and run its install plan, so on a new cluster the apply fails ` +
      `(no matches for kind "${kind}" in version "${text(o.manifest.apiVersion) ?? ''}"; ensure CRDs are installed first) and the script stops there (set -e, or its last command); ` +
      `wait for the CRD between the two (a loop \`until oc get crd ${plural}; do sleep 10; done\`, then \`oc wait --for condition=established crd/${plural}\`, which alone fails at once while the CRD does not exist yet), or retry the apply in a loop`,
  };
}

export const scriptCrBeforeCrd: Rule = {
  id: 'script-cr-before-crd',
  title: "a shell script under set -e applies an OLM Subscription and, right after, a custom resource of the operator's kind, without waiting for its CRD",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a shell script of the tree (.sh, .bash) applies (`kubectl|oc apply|create|replace -f|-k`) a file, folder or kustomization holding an OLM Subscription to an operator whose bundle's CRDs are known (OpenShift AI / Open Data Hub, NVIDIA GPU, Node Feature Discovery, Red Hat build of Kueue, OpenShift Pipelines, Serverless, Service Mesh 2 and 3, LeaderWorkerSet, JobSet, Custom Metrics Autoscaler, Kernel Module Management, Authorino) and a later command of the same script, on the same cluster and in the same if/case arms, applies a custom resource of a kind that bundle installs; the tree holds no CustomResourceDefinition of that kind; the later apply's failure stops the script (set -e, or the command ends the script; not in an if, while or until condition, not before || or &&); and no command between the two may wait: only assignments without a substitution, echo, printf, file commands and kubectl/oc subcommands that return at once (apply, create, label, patch, get, …) are there, so `oc wait`, `sleep`, a loop or a function of the script leaves it unjudged",
  example:
    '`set -euo pipefail`, then `oc apply -f operators/gpu/` whose Subscription names `gpu-operator-certified`, then `oc apply -f gpu/cluster-policy.yaml` holding a `kind: ClusterPolicy`',
  fix: "between the two applies, wait until the CRD exists (`until oc get crd clusterpolicies.nvidia.com; do sleep 10; done`) and is established (`oc wait --for condition=established crd/clusterpolicies.nvidia.com`), or retry the custom resource's apply in a loop",
  source:
    'Operator Lifecycle Manager docs (a Subscription is resolved into an InstallPlan, which creates the CSV and the CRDs it owns: nothing of the bundle exists when the apply of the Subscription returns); kubectl (k8s.io/cli-runtime resource mapping: "resource mapping not found for name … no matches for kind … ensure CRDs are installed first", exit status 1); kubectl wait (fails at once with NotFound for an object that does not exist yet); bash `set -e` exits at the first failing command outside a condition',
  check(o, { graph }) {
    const group = groupVersionOf(o.manifest.apiVersion).group;
    const kind = String(o.manifest.kind);
    if (!group.includes('.') || !graph.scriptApplied.length) return [];
    const declared = graph.ofKind('CustomResourceDefinition').some((c) => {
      const spec = mapping(c.manifest.spec);
      return text(spec.group) === group && text(mapping(spec.names).kind) === kind;
    });
    if (declared) return [];
    for (const apply of graph.scriptApplied as readonly Applied[]) {
      if (!SHELL_SCRIPT.test(apply.script) || !apply.fatal || !appliesObject(apply, o)) continue;
      const installed = installedJustBefore(graph, apply, group, kind);
      if (installed) return [tooEarly(o, apply, installed, graph)];
    }
    return [];
  },
};
