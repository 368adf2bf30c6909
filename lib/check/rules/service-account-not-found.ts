import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { CONNECTIONS_ANNOTATION } from '../../k8s/keys';
import { foundElsewhere, madeByScriptNote, REPOSITORY_PREMISE, repositoryObjectsOf, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject, inUnit, locationOf, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { WORKLOAD_KINDS } from '../pods';
import { Platform } from '../platform';
import { podSpecValues } from '../pod-spec-fields';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { judgedNamespace, unseenHedged, UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';
import { madeByController } from '../controller-accounts';
import { didYouMean, objectCandidates } from '../near-names';
import { cloudIdentityAccounts } from '../../manifests/terraform-identities';
import { deliveredTogether } from '../applied-together';

/**
 * How a `<connection>-sa` name reads on OpenShift AI, where the connection webhook makes that account with the data
 * connection's Secret (opendatahub-operator pkg/webhook/utils.go CreateSA, called from internal/webhook/serving
 * mutating_isvc.go for S3 connections): `outside` when the tree holds no Secret of the connection anywhere and the
 * workload names no other connection (a dashboard connection, made outside Git, and its account with it); `other`
 * with the connection the workload does name, whose account is the one the webhook makes.
 */
function connectionAccount(o: GraphObject, name: string, graph: ObjectGraph, platform: Platform): { outside: boolean; other?: string } {
  const own = text(stringMap(mapping(o.manifest.metadata).annotations)[CONNECTIONS_ANNOTATION]);
  if (platform === 'kserve' || !name.endsWith('-sa')) return { outside: false };
  const connection = name.slice(0, -'-sa'.length);
  if (own && own !== connection) return { outside: false, other: own };
  return { outside: !graph.find('Secret', connection) && !graph.secretWrittenByController(connection) };
}

/** The finding for one missing account. */
function missing(o: GraphObject, field: string, name: string, ns: string, how: string, ctx: { graph: ObjectGraph; platform: Platform }): Problem {
  const pods =
    o.manifest.kind === 'InferenceService'
      ? 'KServe gives the predictor pods this account, and their ReplicaSet (or Knative revision) cannot create them'
      : podsNotCreated(o);
  const { outside, other } = connectionAccount(o, name, ctx.graph, ctx.platform);
  const connection = name.slice(0, -'-sa'.length);
  const hint = other ? ` (the connection webhook makes '${other}-sa' for the connection this service names, ${CONNECTIONS_ANNOTATION}: ${other})` : '';
  const meant = didYouMean(name, objectCandidates(ctx.graph.ofKind('ServiceAccount').filter((sa) => ctx.graph.namespaceOf(sa.manifest) === ns)));
  return {
    ...(outside ? { severity: 'warning' as const } : {}),
    message:
      `${field} '${name}': namespace '${ns}' is created by the tree (${how}), and no ServiceAccount '${name}' is in it${foundElsewhere(ctx.graph, 'ServiceAccount', name, ns, 'a pod takes its account from its own namespace only')}${meant ? ` (${meant})` : ''}; ` +
      (outside
        ? `it may come with the data connection '${connection}', which is not in the tree either (the connection webhook makes '${name}' for a service annotated ${CONNECTIONS_ANNOTATION}: ${connection}); else ${pods} (serviceaccount "${name}" not found): make sure the connection exists in '${ns}' before sync, or add the ServiceAccount to the tree`
        : `nothing else makes one there (it is not default, nor an account a platform controller makes), so ${pods} (serviceaccount "${name}" not found): ` +
          `add a ServiceAccount '${name}' to namespace '${ns}' in the tree, or name an account that exists there${hint}`),
  };
}

/** ` (did you mean …?)` where a name is a near spelling of one of the build's accounts, else ''. */
function nearBuilt(name: string, built: readonly string[]): string {
  const meant = didYouMean(
    name,
    built.map((n) => ({ name: n })),
  );
  return meant ? ` (${meant})` : '';
}

/**
 * In a namespace the tree does not create, an account a kustomize build names while it builds other ServiceAccounts
 * for that namespace, none of that name: kustomize rewrites a serviceAccountName only where it equals an account's
 * original name (api/filters/nameref/nameref.go selectReferral, previousNameMatches), so a name written to match the
 * renamed account (after namePrefix or nameSuffix), or a patch's literal, is left as it is. A warning: the account may
 * exist in the cluster.
 */
function notAmongBuilt(o: GraphObject, graph: ObjectGraph, platform: Platform): Problem[] {
  const unit = unitOf(o);
  const ns = graph.namespaceOf(o.manifest);
  if (!o.kustomizations?.length || !unit) return [];
  const built = graph
    .ofKind('ServiceAccount')
    .filter((sa) => inUnit(sa, unit) && graph.namespaceOf(sa.manifest) === ns)
    .map((sa) => text(mapping(sa.manifest.metadata).name) ?? '');
  if (!built.length) return [];
  return accountsOf(o.manifest)
    .filter(({ value }) => !built.includes(value) && !graph.find('ServiceAccount', value, ns) && !madeByController(graph, value, ns ?? '', platform))
    .filter(({ value }) => !graph.scriptCreating('ServiceAccount', value, ns))
    .map(({ field, value }) => unlessRepositoryMakes(graph, notAmongBuiltProblem(o, field, value, { unit, built, ns }), 'ServiceAccount', value, ns));
}

/** The warning for an account a kustomize build's workload names while the build makes others (`built`) for the namespace. */
function notAmongBuiltProblem(
  o: GraphObject,
  field: string,
  value: string,
  { unit, built, ns }: { unit: string; built: readonly string[]; ns: string | undefined },
): Problem {
  return {
    severity: 'warning' as const,
    message:
      `${field} '${value}', but the kustomize build of ${unit} makes ServiceAccount${built.length > 1 ? 's' : ''} ${built.map((n) => `'${n}'`).join(', ')}${ns ? ` in namespace '${ns}'` : ''} and none of that name` +
      `${nearBuilt(value, built)}: ` +
      `kustomize rewrites a serviceAccountName only where it equals an account's original name, so a name written after a namePrefix or nameSuffix, or a patch's literal, stays as written; ` +
      `unless '${value}' exists in the cluster, the ${String(o.manifest.kind)}'s pods are never created (serviceaccount "${value}" not found): name the account of the build (its name before the prefix), or add a ServiceAccount '${value}'`,
  };
}

/**
 * prometheus-operator's kinds whose StatefulSet's pods run as spec.serviceAccountName (pkg/prometheus/statefulset.go,
 * pkg/alertmanager/statefulset.go, pkg/thanos/statefulset.go: the pod spec's ServiceAccountName is the resource's).
 */
const OPERATOR_STATEFULSET_KINDS = ['Prometheus', 'Alertmanager', 'ThanosRuler'];
const PROMETHEUS_OPERATOR_GROUP = 'monitoring.coreos.com/';

const operatorStatefulSet = (m: Loose): boolean =>
  OPERATOR_STATEFULSET_KINDS.includes(String(m.kind)) && String(m.apiVersion ?? '').startsWith(PROMETHEUS_OPERATOR_GROUP);

/** The accounts the object's pods run as: its pod specs', or a prometheus-operator resource's spec.serviceAccountName. */
function accountsOf(m: Loose): { field: string; value: string }[] {
  if (!operatorStatefulSet(m)) return podSpecValues(m, 'serviceAccountName');
  const value = text(mapping(m.spec).serviceAccountName);
  return value ? [{ field: 'spec.serviceAccountName', value }] : [];
}

/** What a workload's pods fail with when their account is missing. */
function podsNotCreated(o: GraphObject): string {
  if (operatorStatefulSet(o.manifest)) return `the StatefulSet prometheus-operator makes for the ${String(o.manifest.kind)} never creates its pods`;
  return o.manifest.kind === 'InferenceService' ? "KServe's predictor pods are never created" : `the ${String(o.manifest.kind)}'s pods are never created`;
}

/**
 * In a namespace the tree does not create, an account the tree creates only in other namespaces: most likely the one
 * meant, put in the wrong namespace (the admission plugin looks the account up in the pod's own namespace only). A
 * warning: the namespace, made outside the tree, may hold an account of that name; an error where one delivery applies
 * the workload and the account, putting them apart.
 */
function onlyElsewhere(o: GraphObject, graph: ObjectGraph, platform: Platform, said: ReadonlySet<string>): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  if (!ns) return [];
  return accountsOf(o.manifest).flatMap(({ field, value }): Problem[] => {
    if (said.has(field) || graph.find('ServiceAccount', value, ns) || madeByController(graph, value, ns, platform)) return [];
    if (graph.scriptCreating('ServiceAccount', value, ns)) return [];
    const accounts = graph.ofKind('ServiceAccount').filter((sa) => text(mapping(sa.manifest.metadata).name) === value);
    const elsewhere = accounts
      .map((sa) => ({ at: graph.namespaceOf(sa.manifest), file: locationOf(sa), sa }))
      .filter((sa): sa is { at: string; file: string | undefined; sa: GraphObject } => !!sa.at && sa.at !== ns);
    if (!elsewhere.length) return [];
    const places = elsewhere.map((sa) => `'${sa.at}'${sa.file ? ` (${sa.file})` : ''}`).join(', ');
    const first = elsewhere[0].at;
    // one delivery that applies both puts them apart: the account it makes is the one meant (reference-in-other-namespace's
    // reasoning); objects given without a file come from no delivery the input shows
    const together = !!o.file && elsewhere.length === accounts.length && elsewhere.some((sa) => !!sa.sa.file && deliveredTogether(o, sa.sa, graph));
    const problem: Problem = {
      ...(together ? {} : { severity: 'warning' as const }),
      message:
        `${field} '${value}': the tree creates ServiceAccount '${value}' only in namespace${elsewhere.length > 1 ? 's' : ''} ${places}, not in '${ns}', where the pods run, and a pod takes its account from its own namespace only; ` +
        (together
          ? `the same delivery applies both, so ${podsNotCreated(o)} (serviceaccount "${value}" not found): `
          : `the tree does not create namespace '${ns}', so the account may exist there, else ${podsNotCreated(o)} (serviceaccount "${value}" not found): `) +
        `create the ServiceAccount (and its bindings and secrets) in '${ns}' in the tree, or run the ${String(o.manifest.kind)} in '${first}'`,
    };
    return [unlessRepositoryMakes(graph, problem, 'ServiceAccount', value, ns)];
  });
}

/** The ServiceAccounts the tree's Terraform grants a cloud identity (cloudIdentityAccounts), read once per run. */
const identityAccounts = (graph: ObjectGraph): ReadonlySet<string> =>
  graph.once('service-account-not-found:identities', () => cloudIdentityAccounts(graph.folders ?? []));

/**
 * In namespace `default`, which every cluster has, an account nothing of the repository makes (manifests, scripts,
 * Terraform kubernetes_service_account, rendered charts): an error, as in a namespace the tree creates (nothing made
 * outside the tree is looked for in either), at most a warning where something the input does not show installs
 * into default (unseenHedged). A workload with no namespace, applied to the context's (`default` unless set), is judged
 * only where the tree's Terraform grants a cloud identity to default/NAME, and then as a warning: the account was
 * meant to exist and is named, but where the workload lands is the context's.
 */
function inDefaultNamespace(o: GraphObject, graph: ObjectGraph, platform: Platform, said: boolean): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  if (said || (ns !== undefined && ns !== 'default')) return [];
  const where =
    ns === undefined ? "the namespace it is applied to ('default' unless the context sets another)" : "namespace 'default', which every cluster has";
  return accountsOf(o.manifest)
    .filter(
      ({ value }) => value !== 'default' && !graph.find('ServiceAccount', value, ns ?? 'default') && !madeByController(graph, value, ns ?? 'default', platform),
    )
    .filter(({ value }) => !graph.ofKind('ServiceAccount').some((sa) => text(mapping(sa.manifest.metadata).name) === value))
    .filter(({ value }) => !graph.scriptCreating('ServiceAccount', value, ns))
    .flatMap(({ field, value }) => {
      const evidence = identityAccounts(graph).has(`default/${value}`);
      // a workload with no namespace may be applied anywhere: judged only where the grant places its account in default
      if (ns === undefined && !evidence) return [];
      const granted = evidence
        ? `; the tree's Terraform grants a cloud identity to default/${value} (Workload Identity or IRSA), so the account is meant to exist, but the grant does not make it`
        : '';
      const problem: Problem = {
        ...(ns === undefined ? { severity: 'warning' as const } : {}),
        message:
          `${field} '${value}': no ServiceAccount '${value}' is made by anything of the repository (manifests, scripts, Terraform, charts) for ${where}${granted}; ` +
          `${ns === undefined ? 'unless it is made by hand, ' : ''}${podsNotCreated(o)} (serviceaccount "${value}" not found): add a ServiceAccount '${value}' to the tree`,
      };
      return [unlessRepositoryMakes(graph, unseenHedged(graph, 'default', problem, o), 'ServiceAccount', value, ns)];
    });
}

/**
 * In a namespace a manifest of the repository outside the checked folder creates (a Namespace or Project of a sibling
 * folder), an account nothing of the repository makes: no ServiceAccount of that name in the tree or in any folder of
 * the repository, in any namespace, no script, guide or Terraform of it creating one, no platform controller. A
 * warning: the repository shows the namespace's making, and nothing there gives the account, but one may be made by hand.
 */
function inRepositoryNamespace(o: GraphObject, graph: ObjectGraph, platform: Platform, said: boolean): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  if (said || ns === undefined || ns === 'default') return [];
  const repository = repositoryObjectsOf(graph);
  const creator = repository.find((r) => (r.kind === 'Namespace' || r.kind === 'Project') && r.name === ns);
  if (!creator) return [];
  return accountsOf(o.manifest)
    .filter(
      ({ value }) => value !== 'default' && !madeByController(graph, value, ns, platform) && connectionAccount(o, value, graph, platform).other === undefined,
    )
    .filter(({ value }) => !value.endsWith('-sa') || platform === 'kserve')
    .filter(({ value }) => !graph.ofKind('ServiceAccount').some((sa) => text(mapping(sa.manifest.metadata).name) === value))
    .filter(({ value }) => !repository.some((r) => r.kind === 'ServiceAccount' && r.name === value) && !graph.scriptCreating('ServiceAccount', value))
    .map(({ field, value }) =>
      unseenHedged(
        graph,
        ns,
        {
          severity: 'warning' as const,
          message:
            `${field} '${value}': namespace '${ns}' is created by ${creator.file} (line ${creator.line}), a manifest of the same repository outside the checked folder, ` +
            `and nothing of the repository makes a ServiceAccount '${value}' (no manifest in any of its folders, in any namespace; no script, guide or Terraform); ` +
            `unless it is made by hand, ${podsNotCreated(o)} (serviceaccount "${value}" not found): add a ServiceAccount '${value}' to namespace '${ns}' beside the Namespace or in the tree, or name an account that exists there`,
        },
        o,
      ),
    );
}

export const serviceAccountNotFound: Rule = {
  id: 'service-account-not-found',
  title:
    'a pod runs as a ServiceAccount that nothing creates in a namespace the tree creates or in default, or one the tree creates only in other namespaces: its pods are never created (serviceaccount "…" not found)',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, ...OPERATOR_STATEFULSET_KINDS],
  premise:
    "a pod spec's serviceAccountName (an InferenceService's spec.predictor.serviceAccountName, an LLMInferenceService's spec.template's; a prometheus-operator Prometheus, Alertmanager or ThanosRuler's spec.serviceAccountName, which the operator's StatefulSet gives its pods) names no ServiceAccount of the tree in the workload's namespace, " +
    'and the tree creates that namespace (a Namespace or OpenShift Project object, or an Argo CD Application with CreateNamespace=true for its destination), so nothing made outside the tree can hold the account; ' +
    "not judged as an error: a namespace the tree does not create (the account may exist there; the warnings below), one an Application syncs from a source the input does not show (a Helm chart, another repository), and accounts controllers make: default; on OpenShift AI builder, deployer, pipeline, modelmesh-serving-sa, a pipeline server's pipeline-runner-<name> and ds-pipeline-<name>, a Notebook's own name, and <connection>-sa for a service annotated opendatahub.io/connections; " +
    'a <connection>-sa whose connection Secret the tree holds nowhere, for a workload naming no other connection, is a warning (a dashboard data connection, made outside Git, may bring it); ' +
    'in a namespace the tree does not create, an account the tree creates only in other namespaces is a warning naming them (likely the account meant, in the wrong namespace), an error where one delivery of the tree applies the workload and such an account (a file, kustomize build, Application, script or README block: the delivery puts them apart); ' +
    "in a namespace the tree does not create, a kustomize build's workload naming an account that none of the ServiceAccounts the build makes for that namespace has (kustomize rewrites only references equal to an account's original name) is a warning; " +
    "in namespace default, which every cluster has, an account nothing of the repository makes (no ServiceAccount of that name anywhere in the tree, no script, Terraform kubernetes_service_account or rendered chart making it) is an error, as in a namespace the tree creates; for a workload with no namespace, applied to the context's, it is a warning where the tree's Terraform grants default/NAME a cloud identity, naming the Workload Identity member (`…svc.id.goog[default/NAME]`) or IRSA subject (`system:serviceaccount:default:NAME`) as evidence the account was meant to exist; " +
    "in a namespace a manifest of the repository outside the checked folder creates (a Namespace or Project of a sibling folder), an account nothing of the repository makes (no ServiceAccount of that name in the tree or any folder of the repository, in any namespace; no script, guide or Terraform creating one; not default, a controller's account or a <connection>-sa) is a warning naming the file that creates the namespace (the account may be made by hand); " +
    'one a script of the checked folder creates when it runs (`oc create serviceaccount NAME`, a heredoc piped to `oc apply -f -`) is a note' +
    UNSEEN_INSTALLS_PREMISE +
    REPOSITORY_PREMISE,
  example: '`serviceAccountName: nieruchomosci-sa` in namespace `bielik`, which a `kind: Namespace` of the tree creates, with no ServiceAccount of that name',
  fix: "add the ServiceAccount to the workload's namespace in the tree, or name an account that exists there",
  source:
    'prometheus-operator pkg/prometheus/statefulset.go, pkg/alertmanager/statefulset.go, pkg/thanos/statefulset.go (the StatefulSet pod spec takes the resource\'s ServiceAccountName); kubernetes plugin/pkg/admission/serviceaccount admission.go (a pod whose service account does not exist is refused: serviceaccount "…" not found; the ReplicaSet, Job or Knative revision then reports FailedCreate); kube-linter non-existent-service-account; kustomize api/filters/nameref/nameref.go selectReferral (previousNameMatches: a reference is rewritten only when it equals the original name)',
  check(o, { graph, platform }) {
    const judged = judgedNamespace(graph, o);
    if (!judged) {
      const built = notAmongBuilt(o, graph, platform);
      const said = new Set(built.map((p) => p.message.slice(0, p.message.indexOf(' '))));
      const elsewhere = onlyElsewhere(o, graph, platform, said);
      const inDefault = inDefaultNamespace(o, graph, platform, built.length + elsewhere.length > 0);
      return [...built, ...elsewhere, ...inDefault, ...inRepositoryNamespace(o, graph, platform, built.length + elsewhere.length + inDefault.length > 0)];
    }
    const { ns, how } = judged;
    return accountsOf(o.manifest)
      .filter(({ value }) => !graph.find('ServiceAccount', value, ns) && !madeByController(graph, value, ns, platform))
      .map(({ field, value }) => {
        const script = graph.scriptCreating('ServiceAccount', value, ns);
        return script
          ? madeByScriptNote(`${field} '${value}'`, 'ServiceAccount', script, 'the pods are not created')
          : unlessRepositoryMakes(graph, missing(o, field, value, ns, how, { graph, platform }), 'ServiceAccount', value, ns);
      });
  },
};
