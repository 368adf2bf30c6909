import { finite, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isHook, later, Slot, slotOf, slotWords } from '../argocd/hooks';
import { LateGrant, lateGrant } from '../hook-grants';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { shellTextOf } from '../shell-text';
import { namespacesCreated } from '../tree-namespaces';

/**
 * A kubectl or oc command that asks the API server (every subcommand but the client-side ones: version --client,
 * config, completion, kustomize, help, plugin), or curl/wget to the in-cluster API address.
 */
const KUBECTL_CALL =
  /(?:^|[\s;&|(`$])((?:kubectl|oc)\s+(?:-n\s+\S+\s+|--namespace[=\s]\S+\s+)?(?:get|wait|apply|create|patch|delete|describe|label|annotate|rollout|scale|logs|exec|replace|set|edit|cp|top|cordon|uncordon|drain|taint|run|expose|auth\s+can-i)\b[^\n;|&]*)/;
const CURL_CALL = /(?:^|[\s;&|(`$])((?:curl|wget)\b[^\n;|&]*(?:kubernetes\.default|\$\{?KUBERNETES_SERVICE_HOST)[^\n;|&]*)/;
/** Credentials of another identity than the pod's account: a kubeconfig, a bearer token or another server. */
const OTHER_CREDENTIALS = /--kubeconfig|KUBECONFIG|--token[=\s]|--server[=\s]|\s-s\s+https?:/;

/** The groups every service account (of a namespace) belongs to, and every authenticated user (Kubernetes RBAC docs). */
const ALL_ACCOUNTS = ['system:serviceaccounts', 'system:authenticated'];

/** A container's script: its command and args (an inline Python program's commands only), comment lines left out. */
function scriptOf(container: Loose): string {
  // an inline Python program runs only what its subprocess and os.system calls run
  return shellTextOf(container)
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
}

/** A command of a container's script that calls the API: as written, and the namespace it works in. */
interface ApiCall {
  readonly command: string;
  /** Its -n/--namespace where written out, else the pod's; undefined where a variable gives it (or the pod's is unknown). */
  readonly namespace: string | undefined;
  /** Where the command starts in the script. */
  readonly at: number;
}

/** A -n or --namespace flag of a command, and its word. */
const NAMESPACE_FLAG = /(?:^|\s)(?:-n|--namespace)(?:=|\s+)(\S+)/;

/** The namespace a kubectl or oc command works in: its -n where a literal name, else the pod's (in-cluster config). */
function namespaceOfCall(command: string, podNamespace: string | undefined): string | undefined {
  const flag = NAMESPACE_FLAG.exec(command)?.[1]?.replace(/^["']|["']$/g, '');
  if (flag === undefined) return podNamespace;
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flag) ? flag : undefined;
}

/** The commands of a container's script that call the API, in order (none where it brings other credentials). */
function apiCalls(script: string, podNamespace: string | undefined): ApiCall[] {
  if (OTHER_CREDENTIALS.test(script)) return [];
  const global = (r: RegExp) => new RegExp(r.source, 'g');
  return [...script.matchAll(global(KUBECTL_CALL)), ...script.matchAll(global(CURL_CALL))]
    .sort((a, b) => a.index - b.index)
    .map((m) => ({
      command: m[1],
      namespace: /^\s*(?:kubectl|oc)\b/.test(m[1]) ? namespaceOfCall(m[1], podNamespace) : podNamespace,
      at: m.index + m[0].length - m[1].length,
    }));
}

const shortened = (command: string) => (command.trim().length > 70 ? `${command.trim().slice(0, 70)}…` : command.trim());

/**
 * Loops that run while their condition fails: `until COND; do BODY; done` and `while ! COND; do BODY; done` (bash
 * "Looping Constructs"), with their condition and body.
 */
const RETRY_LOOP = /\b(?:until\s+(?!!)|while\s+!\s*)([^\n;]*?)\s*(?:;|\n)\s*do\b([\s\S]*?)\bdone\b/g;

/**
 * The API call of a retry loop that nothing ends once the call is refused: its condition is the call alone (no `||`
 * alternative), the call fails on a 403 (kubectl, oc and wget do; curl only with --fail), the body holds no break, exit
 * or return, and no `timeout` bounds the loop. Undefined where there is none.
 */
function endlessWait(script: string): string | undefined {
  if (/\btimeout\s+\d/.test(script)) return undefined;
  for (const [, condition, body] of script.matchAll(RETRY_LOOP)) {
    if (/\|\|/.test(condition) || /\b(break|exit|return)\b/.test(body)) continue;
    const call = KUBECTL_CALL.exec(` ${condition}`) ?? CURL_CALL.exec(` ${condition}`);
    if (!call) continue;
    if (/^\s*curl\b/.test(call[1]) && !/(^|\s)(-[a-zA-Z]*f[a-zA-Z]*|--fail)\b/.test(call[1])) continue;
    return shortened(call[1]);
  }
  return undefined;
}

/**
 * The Argo CD phase of a Job or Pod that Argo CD runs as a hook it waits for (PreSync, Sync, PostSync: gitops-engine
 * runs each phase's hooks and moves on only once they complete); undefined for any other object.
 */
function waitedHook(o: GraphObject): string | undefined {
  if (o.manifest.kind !== 'Job' && o.manifest.kind !== 'Pod') return undefined;
  return isHook(o) ? slotOf(o)?.phase : undefined;
}

/**
 * The bindings of the tree that grant the account (of namespace `ns`) in namespace `target`: a ClusterRoleBinding, or a
 * RoleBinding of `target` (a RoleBinding grants in its own namespace, to subjects of any namespace: a ServiceAccount
 * subject carries its own, kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go appliesToUser), that names the account
 * as a ServiceAccount subject, its user name, or a group holding it. An unknown `target` takes a RoleBinding of any.
 */
function bindingsOf(graph: ObjectGraph, account: string, ns: string | undefined, target: string | undefined): GraphObject[] {
  return ['RoleBinding', 'ClusterRoleBinding']
    .flatMap((k) => graph.ofKind(k))
    .filter((b) => b.manifest.kind === 'ClusterRoleBinding' || target === undefined || graph.namespaceOf(b.manifest) === target)
    .filter((b) =>
      mappings(b.manifest.subjects).some((s) => {
        const name = text(s.name) ?? '';
        // a RoleBinding's ServiceAccount subject without a namespace is read in the binding's own (kubectl create rolebinding --serviceaccount sets it)
        const subjectNs = text(s.namespace) ?? graph.namespaceOf(b.manifest);
        const sameNs = ns === undefined || subjectNs === undefined || subjectNs === ns;
        if (s.kind === 'ServiceAccount') return name === account && sameNs;
        if (s.kind === 'User') return name === `system:serviceaccount:${ns ?? ''}:${account}` || (ns === undefined && name.endsWith(`:${account}`));
        return s.kind === 'Group' && (ALL_ACCOUNTS.includes(name) || name === `system:serviceaccounts:${ns ?? ''}`);
      }),
    );
}

const bound = (graph: ObjectGraph, account: string, ns: string | undefined, target: string | undefined) => bindingsOf(graph, account, ns, target).length > 0;

/** The account a workload's pods run as, when the tree shows it: `default` when unset, or a ServiceAccount of the tree. */
function judgedAccount(graph: ObjectGraph, m: Loose, ns: string | undefined): { name: string; implicit: boolean } | undefined {
  const pod = mapping(podSpecOf(m));
  const named = text(pod.serviceAccountName) ?? text(pod.serviceAccount);
  if (named === undefined || named === 'default') return { name: 'default', implicit: named === undefined };
  // an account made outside the tree comes with its own RBAC, which the tree does not show
  return graph.find('ServiceAccount', named, ns) ? { name: named, implicit: false } : undefined;
}

export const apiAccessNotGranted: Rule = {
  id: 'api-access-not-granted',
  title:
    'a container calls the Kubernetes API (kubectl get or wait, curl to kubernetes.default) as a ServiceAccount no binding of the tree grants anything, or, in a hook, one whose only binding the same sync or Helm install creates after the hook',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'InferenceService'),
  premise:
    "a container or init container of a workload whose script runs a kubectl or oc command (an inline Python program, `python -c PROGRAM`, runs only the commands of its subprocess and os.system calls, not the words of its strings) that asks the API server (get, wait, apply, patch, rollout, …; not version, config or kustomize) or curl/wget to kubernetes.default or $KUBERNETES_SERVICE_HOST, with no other credentials (--kubeconfig, KUBECONFIG, --token, --server), as the pod's ServiceAccount: default (serviceAccountName unset or default) or one the tree defines (an account made outside the tree comes with RBAC the tree does not show); no RoleBinding of the namespace the call works in (its -n or --namespace, else the workload's; a RoleBinding of another namespace grants there to a ServiceAccount subject of the workload's namespace) nor ClusterRoleBinding of the tree names it (as a ServiceAccount subject, its system:serviceaccount:<ns>:<name> user, or the groups system:serviceaccounts, system:serviceaccounts:<ns> or system:authenticated): the account then holds no permission and the API answers 403 Forbidden, so the command fails and a loop waiting on it never ends; a warning, since a binding made outside the tree may grant it, which the message says even where the tree creates the namespace (only a cluster-wide binding made elsewhere could then); an error where the workload is a Job or Pod that Argo CD runs as a PreSync, Sync or PostSync hook (argocd.argoproj.io/hook, or a Helm hook Argo CD maps to one) and the call is the condition of a retry loop nothing else ends (`until CALL; do`, `while ! CALL; do`: no `||` alternative in the condition, no break, exit or return in the body, no `timeout`; curl only with --fail, which alone fails on a 403): the hook never completes, and Argo CD waits for it, so the sync never completes (or fails once activeDeadlineSeconds ends the hook); a call whose failure the script tolerates, or a plain Job, stays a warning. " +
    "A hook (an Argo CD hook, or a Helm hook) whose calls the tree's bindings grant is judged on when they exist: where every binding that grants a call, or the Role or ClusterRole it binds, is made by the hook's own sync after the hook (an Argo CD Application that delivers it, or the build or render one Application would sync: a later phase or wave; a Helm install of its chart, a script's helm install or upgrade --install, a Flux HelmRelease or the chart checked alone with its default values: a plain resource, or a hook of a higher weight, after a pre-install hook), the call is refused on the first sync or install: an error where the container exits on it (kubectl or oc run as the container's command, the script's last command, or any unguarded command under set -e or sh -e) or waits on it in a loop nothing else ends, else a warning (the script goes on without what the call does); a pre-upgrade-only hook of a chart Helm installs runs once the release's resources exist and is not judged, but Argo CD runs it as PreSync on every sync, the first included; a hook whose ServiceAccount itself comes after it is argocd-hook-before-prerequisite's",
  example: '`until kubectl get node` in an init container of a Deployment with no serviceAccountName and no RoleBinding or ClusterRoleBinding in the tree',
  fix: 'add a ServiceAccount, a Role (a ClusterRole for cluster-scoped resources such as nodes) with the verbs and resources the command uses, and a RoleBinding (or ClusterRoleBinding) to the account; set serviceAccountName to it; for a hook, create the Role and RoleBinding before it (Helm pre-install hooks of a lower weight, Argo CD PreSync hooks of a lower wave) or run the hook after them (post-install, a later Sync wave)',
  source:
    'Kubernetes RBAC documentation, "Service account permissions", and plugin/pkg/auth/authorizer/rbac/rbac.go (a RoleBinding applies in its own namespace, to the subjects it names with their namespaces: appliesToUser): default RBAC policies grant no permissions to service accounts outside kube-system beyond those of all authenticated users (discovery); a request an account is not granted is refused with 403 Forbidden; Argo CD docs user-guide/resource_hooks.md and gitops-engine pkg/sync/sync_context.go (a phase\'s hooks must complete before the sync moves on: "waiting for completion of hook", the operation Running; phases, then waves, in order: sync_tasks.go); Helm docs topics/charts_hooks.md ("pre-install: Executes after templates are rendered, but before any resources are created in Kubernetes"; hooks run in ascending weight, Job hooks waited for until complete) and helm pkg/action/install.go (the pre-install hooks run, and must succeed, before the release\'s resources are created)',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const account = judgedAccount(graph, o.manifest, ns);
    if (!account) return [];
    const hook = waitedHook(o);
    return containersOf(o.manifest).flatMap(({ name, container, init }): Problem[] => {
      const script = scriptOf(container);
      const calls = apiCalls(script, ns);
      // each call is judged against the bindings of the namespace it works in
      const refused = calls.find((c) => !bound(graph, account.name, ns, c.namespace));
      if (!refused) return hookOrderProblems(o, graph, { account, ns, container, script, calls, lead: `${init ? 'init ' : ''}container '${name}'` });
      const target = refused.namespace !== ns ? refused.namespace : undefined;
      const created = refused.namespace === undefined ? undefined : namespacesCreated(graph).get(refused.namespace);
      const who = `ServiceAccount ${account.name}${account.implicit ? ' (serviceAccountName is unset)' : ''}`;
      const outside = created
        ? `the tree creates namespace '${refused.namespace}' (${created}), so only a binding made elsewhere, such as a ClusterRoleBinding to the group system:serviceaccounts, could grant it`
        : 'a binding made outside the tree may grant it';
      const fix =
        'add a Role (a ClusterRole for cluster-scoped resources such as nodes) with what the command needs, a binding of it to a ServiceAccount, and set serviceAccountName to it';
      const lead = `${init ? 'init ' : ''}container '${name}'`;
      const bindings = target
        ? `no RoleBinding of namespace '${target}', where the command works, nor ClusterRoleBinding of the tree`
        : 'no RoleBinding or ClusterRoleBinding of the tree';
      const unbound = `against the Kubernetes API as ${who}, and ${bindings} binds that account (nor a group holding it): an account holds no permission unless bound, so the API answers 403 Forbidden`;
      const endless = hook ? endlessWait(script) : undefined;
      const endlessRefused = endless !== undefined && !bound(graph, account.name, ns, namespaceOfCall(endless, ns));
      if (hook && endless && endlessRefused) return [hookProblem(o, lead, endless, unbound, hook, `${outside}: ${fix}`)];
      const loop = /\b(until|while)\b/.test(script);
      return [
        {
          message:
            `${lead} runs \`${shortened(refused.command)}\` ${unbound} and the command fails${loop ? ', and the loop waiting on it never ends' : ''}${init && loop ? ' (the pod never starts)' : ''}; ` +
            `${outside}: ${fix}`,
        },
      ];
    });
  },
};

/** The finding on an Argo CD hook whose retry loop waits on a refused call: the hook never completes, nor does the sync. */
function hookProblem(o: GraphObject, lead: string, call: string, unbound: string, phase: string, advice: string): Problem {
  const deadline = finite(mapping(o.manifest.spec).activeDeadlineSeconds);
  const end =
    deadline !== undefined
      ? `so the sync waits until activeDeadlineSeconds (${deadline}) fails the ${o.manifest.kind}, and the failed hook fails the sync`
      : 'so the hook never completes and neither does the sync (it stays Running until someone terminates it)';
  return {
    severity: 'error',
    message:
      `${lead} waits in a loop on \`${call}\` ${unbound}, the call fails every time and nothing else ends the loop; the ${o.manifest.kind} is an Argo CD ${phase} hook, ` +
      `and Argo CD waits for a hook to complete before the sync goes on, ${end}; ${advice}`,
  };
}

/** A container of a hook whose API calls the tree's bindings grant, as hookOrderProblems judges it. */
interface GrantedCalls {
  readonly account: { name: string; implicit: boolean };
  readonly ns: string | undefined;
  readonly container: Loose;
  readonly script: string;
  readonly calls: readonly ApiCall[];
  readonly lead: string;
}

/**
 * A hook whose API call is granted only by bindings (or roles) its own sync or install creates after the hook: on the
 * first sync or install the call is refused. Not said where the hook's ServiceAccount itself comes after it (its pod
 * is not even created: argocd-hook-before-prerequisite).
 */
function hookOrderProblems(o: GraphObject, graph: ObjectGraph, c: GrantedCalls): Problem[] {
  if (!isHook(o)) return [];
  const sa = c.account.name === 'default' ? undefined : graph.find('ServiceAccount', c.account.name, c.ns);
  const hookAt = slotOf(o);
  const saAt = sa && slotOf(sa);
  if (hookAt && saAt && later(saAt, hookAt)) return [];
  const lateFor = (call: ApiCall) => lateGrant(o, graph, bindingsOf(graph, c.account.name, c.ns, call.namespace));
  for (const call of c.calls) {
    const late = lateFor(call);
    if (!late) continue;
    const endless = endlessWait(c.script);
    const hangs = endless !== undefined && lateFor({ command: endless, namespace: namespaceOfCall(endless, c.ns), at: 0 }) !== undefined;
    const outcome = hangs ? 'hangs' : exitsOn(c.container, c.script, call) ? 'fails' : 'goes on';
    return [lateGrantProblem(o, graph, c, hangs ? endless : shortened(call.command), late, outcome)];
  }
  return [];
}

/** A shell program by its path (sh, bash, dash, …), which `-e` makes exit on a failed command. */
const SHELL = /(^|\/)(sh|bash|ash|dash|ksh|zsh)$/;

/**
 * Whether the container exits with the call's failure: the call is the container's own command (kubectl or oc run
 * directly), or, not guarded (`||`, `&&`, a pipe, an if, until or while condition, `!`, a command substitution), it is
 * the script's last command or the script exits on a failed command (`set -e`, `set -o errexit`, `sh -e`).
 */
function exitsOn(container: Loose, script: string, call: ApiCall): boolean {
  const argv = [...strings(container.command), ...strings(container.args)];
  if (argv.length && /(^|\/)(kubectl|oc)$/.test(argv[0])) return true;
  const before = script.slice(0, call.at);
  const after = script.slice(call.at + call.command.length);
  if (/^\s*[|&]/.test(after) || /(\b(if|until|while)|!|\$\(|`)\s*$/.test(before)) return false;
  const errexit =
    /\bset\s+-[a-zA-Z]*e|\bset\s+-o\s+errexit\b/.test(before) || (SHELL.test(argv[0] ?? '') && argv.slice(1).some((a) => /^-[a-z]*e[a-z]*$/.test(a)));
  return errexit || !after.trim();
}

/** Where a late binding or role is made, in the words of whoever orders the hook. */
function madeWhen(slot: Slot, helm: boolean): string {
  if (!helm) return `in ${slotWords(slot)}`;
  if (slot.phase === 'Sync') return 'as a plain resource';
  return slot.phase === 'PreSync' ? `as a pre-install hook of weight ${slot.wave}` : 'as a post-install hook';
}

/** The late bindings and roles, grouped by where they are made: `RoleBinding/a/b and Role/a/b as plain resources`. */
function madeList(graph: ObjectGraph, late: LateGrant): string {
  const groups = new Map<string, string[]>();
  for (const l of late.late) {
    const when = madeWhen(l.slot, !!late.helm);
    groups.set(when, [...(groups.get(when) ?? []), graph.id(l.object)]);
  }
  const plural = (when: string) => when.replace(/^as an? ([a-z-]+ hook|plain resource)/, (_m, w: string) => `as ${w}s`);
  return [...groups].map(([when, ids]) => `${ids.join(' and ')} ${ids.length > 1 ? plural(when) : when}`).join('; ');
}

/** The finding on a hook whose call is granted only by RBAC its own sync or install makes after it. */
function lateGrantProblem(o: GraphObject, graph: ObjectGraph, c: GrantedCalls, call: string, late: LateGrant, outcome: 'hangs' | 'fails' | 'goes on'): Problem {
  const kind = String(o.manifest.kind);
  const who = `ServiceAccount ${c.account.name}${c.account.implicit ? ' (serviceAccountName is unset)' : ''}`;
  const made = madeList(graph, late);
  const helm = late.helm;
  const when = helm ? `Helm pre-install hook ${graph.id(o)} (weight ${late.at.wave})` : `${late.at.phase} hook ${graph.id(o)} (${slotWords(late.at)})`;
  const order = helm
    ? `whose only grant the same chart creates after the hook (${made}): Helm runs pre-install hooks before it creates the chart's resources, and a lower hook-weight first, so on ${helm.by} the API answers 403 Forbidden`
    : `whose only grant ${late.unit.what} after the hook (${made}), so on the first sync the API answers 403 Forbidden`;
  const end = helm ? "the install fails when Helm's wait for it ends (--timeout, 5m by default)" : 'neither does the sync';
  const consequence = {
    hangs: `the loop waiting on it never ends, so the hook never completes and ${end}`,
    fails: helm
      ? `the container exits with the refusal, the ${kind} fails and so does the install, before the chart's resources are created`
      : `the container exits with the refusal, the ${kind} fails and so does the sync, before it creates them: every retry runs the hook first and fails alike`,
    'goes on': `the script goes on past the refused call, so the hook completes without what the call does`,
  }[outcome];
  const fix = helm
    ? `make them pre-install,pre-upgrade hooks with a lower helm.sh/hook-weight than the ${kind}'s, or run the ${kind} as a post-install,post-upgrade hook`
    : `create them before the hook (PreSync hooks in a lower sync-wave, or an Application synced earlier), or run the ${kind} after them (a Sync hook in a later sync-wave, or PostSync)`;
  return {
    ...(outcome === 'goes on' ? { severity: 'warning' as const } : { severity: 'error' as const }),
    message: `${when}: ${c.lead} runs \`${call}\` as ${who}, ${order}; ${consequence}; ${fix}`,
    ...(helm?.defaults ? { chartDefaults: true as const } : {}),
  };
}
