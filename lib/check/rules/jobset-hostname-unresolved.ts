import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containerTexts } from '../container-texts';
import { ObjectGraph } from '../graph';
import { JobSetPods, jobSetPods, podHostsShown } from '../jobset-pods';
import { Problem, Rule } from '../rule';

/** A host name in a value: DNS labels between the edges of a host (start, space, `=`, `/`, `@`, `,`, quotes; end, `:`, `/`, `,`, quotes). */
const HOST = /(?:^|[\s=/@,'"])([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)((?:\.[a-z0-9-]+)*)(?=$|[\s:/,'"])/g;

/** Env names whose value is an address (MASTER_ADDR, COORDINATOR_HOST, RDZV_ENDPOINT). */
const ADDRESS_ENV = /HOST|ADDR|ENDPOINT/i;

/** A text a container hands its program, and whether where it stands says it is an address (an address env name, the word after an address flag). */
interface Written {
  readonly where: string;
  readonly value: string;
  readonly address: boolean;
}

function writtenTexts(rjob: string, container: Loose): Written[] {
  return containerTexts(container, `replicatedJob '${rjob}' container '${text(container.name) ?? 'unnamed'}'`).map((t) => ({
    where: t.where,
    value: t.value,
    // the value of an address env, or the word after an address flag (`--master_addr HOST`)
    address: t.env !== undefined ? ADDRESS_ENV.test(t.env) : ADDRESS_FLAG.test(t.previous ?? ''),
  }));
}

/** A flag given an address as its next word (--master_addr, --rdzv-endpoint, --coordinator-host). */
const ADDRESS_FLAG = /^--?[\w-]*(?:addr|host|endpoint)[\w-]*$/i;

/** What marks a host in running text as an address: a flag or variable of an address before it (`--master_addr=`, `MASTER_ADDR=`), `//` or `@`, or a port after it. */
const ADDRESS_BEFORE = /(?:(?:addr|host|endpoint)[\w-]*[=\s]\s*["']?|\/\/|@)$/i;

/** Whether the host found at `at` in the text is written as an address, not as (part of) a file or other name. */
function writtenAsAddress(w: Written, at: number, end: number): boolean {
  return w.address || ADDRESS_BEFORE.test(w.value.slice(0, at)) || /^:\d/.test(w.value.slice(end));
}

/** A host of the shape <jobset>-<replicatedJob>-<job index>-<pod index>, read against one JobSet's name. */
function podHost(host: string, js: JobSetPods): { rjob: string; job: number; pod: number } | undefined {
  if (!host.startsWith(`${js.name}-`)) return undefined;
  const m = /^(.+)-(\d+)-(\d+)$/.exec(host.slice(js.name.length + 1));
  return m ? { rjob: m[1], job: Number(m[2]), pod: Number(m[3]) } : undefined;
}

/** Where a replicated Job's pods get their subdomain from, for a message. */
function subdomainSource(js: JobSetPods): string {
  if (js.subdomain === undefined) return "the pod template's own (spec.network.enableDNSHostnames is false)";
  return js.subdomainDefaulted ? "the JobSet's name, spec.network.subdomain being unset" : 'spec.network.subdomain';
}

/** Why a pod host of the JobSet's shape names no pod of it: an unknown replicated Job, an index out of range, no or another subdomain. */
function podHostProblem(js: JobSetPods, host: { rjob: string; job: number; pod: number }, subdomain: string | undefined): string | undefined {
  const job = js.jobs.find((j) => j.name === host.rjob);
  if (!job) return `JobSet '${js.name}' has no replicatedJob '${host.rjob}' (it has ${js.jobs.map((j) => `'${j.name}'`).join(', ') || 'none'})`;
  if (job.replicas !== undefined && host.job >= job.replicas)
    return `replicatedJob '${job.name}' makes ${job.replicas} Job${job.replicas === 1 ? '' : 's'} (replicas), so there is no Job index ${host.job}`;
  if (job.pods !== undefined && host.pod >= job.pods)
    return `each Job of replicatedJob '${job.name}' runs ${job.pods} pod${job.pods === 1 ? '' : 's'} (completion indexes 0 to ${job.pods - 1}), so there is no pod index ${host.pod}`;
  if (!job.subdomain) return 'spec.network.enableDNSHostnames is false and the pod template sets no subdomain, so the pods get no DNS name';
  if (!subdomain) return `a bare pod hostname is in no DNS zone: only <hostname>.${job.subdomain} is published, under the headless Service JobSet creates`;
  if (subdomain !== job.subdomain) return `the pods are published under the subdomain '${job.subdomain}' (${subdomainSource(js)}), not '${subdomain}'`;
  return undefined;
}

/** Whether `<host>.<label>` may name a Service <host> of a namespace <label>: the JobSet's own namespace, one the tree creates, or one holding such a Service. */
function serviceAddress(graph: ObjectGraph, ns: string | undefined, host: string, label: string): boolean {
  return label === ns || graph.find('Namespace', label) !== undefined || graph.findAll('Service', host, label).length > 0;
}

/**
 * Why `<host>.<subdomain>` names no pod: the host is none the JobSet makes. Only where it reads as one (an address env,
 * or a host starting with the JobSet's name), and not where `<host>.<subdomain>` may be a Service in a namespace of
 * that name, or where the tree has its own Service of the subdomain's name (JobSet then creates none and it may select other pods).
 */
function strayHostProblem(
  graph: ObjectGraph,
  ns: string | undefined,
  js: JobSetPods,
  written: boolean,
  host: string,
  subdomain: string | undefined,
): string | undefined {
  if (!js.subdomain || subdomain !== js.subdomain || !(written || host.startsWith(`${js.name}-`))) return undefined;
  if (serviceAddress(graph, ns, host, subdomain) || graph.findAll('Service', js.subdomain, ns).length) return undefined;
  return `no pod of JobSet '${js.name}' has the hostname '${host}': JobSet names them <jobset>-<replicatedJob>-<job index>-<pod index>`;
}

/** The JobSet a pod host is of: of those of the namespace whose name it starts with, one with that replicated Job, the object's own first. */
function ownerOf(
  host: string,
  own: JobSetPods,
  others: readonly JobSetPods[],
): { js: JobSetPods; pod: { rjob: string; job: number; pod: number } } | undefined {
  const matches = [own, ...others].flatMap((js) => {
    const pod = podHost(host, js);
    return pod ? [{ js, pod }] : [];
  });
  return matches.find((m) => m.js.jobs.some((j) => j.name === m.pod.rjob)) ?? matches[0];
}

/** The JobSets of the tree in the object's namespace, but the object itself. */
function neighbours(graph: ObjectGraph, m: Loose, ns: string | undefined): JobSetPods[] {
  return graph
    .ofKind('JobSet')
    .filter((o) => o.manifest !== m && graph.namespaceOf(o.manifest) === ns)
    .flatMap((o) => jobSetPods(o.manifest) ?? []);
}

export const jobSetHostnameUnresolved: Rule = {
  id: 'jobset-hostname-unresolved',
  title: "a JobSet's pod is addressed by a DNS name that no pod of it has: another subdomain, replicated Job or index, or a bare hostname",
  severity: 'error',
  appliesTo: ['JobSet'],
  premise:
    "a JobSet (jobset.x-k8s.io) whose containers' env values, command or args name a host `<jobset>-<replicatedJob>-<job index>-<pod index>` of a JobSet of the namespace that it does not make (no such replicated Job, a Job index not below its replicas, a pod index not below its Jobs' completions, else parallelism, else 1), bare, or under a subdomain other than the pods' (spec.network.subdomain, else the JobSet's name, while network.enableDNSHostnames is not false; with it false, the pod template's own, or none); or whose address env (a name with HOST, ADDR or ENDPOINT) or a host starting with the JobSet's name is `<host>.<subdomain>` under its subdomain with a host none of its pods has, unless the tree holds a Namespace of the subdomain's name, a Service <host> in it, or its own Service of the subdomain's name",
  example:
    'a JobSet `name: ddp` with a replicatedJob `name: node` whose env MASTER_ADDR has `value: "ddp-node-0-0.ddp-node"` (its pods are ddp-node-0-0.ddp and ddp-node-0-1.ddp)',
  fix: "address a pod as <jobset>-<replicatedJob>-<job index>-<pod index>.<subdomain>, the subdomain being spec.network.subdomain or else the JobSet's name; the message lists the names the JobSet's pods have",
  source:
    "kubernetes-sigs/jobset: api/jobset/v1alpha2/jobset_types.go Network (pods reachable as <jobSet.name>-<spec.replicatedJob.name>-<job-index>-<pod-index>.<subdomain>, the subdomain defaulting to the JobSet name), pkg/webhooks/jobset_webhook.go Default (enableDNSHostnames and publishNotReadyAddresses default to true, completionMode to Indexed), pkg/controllers/jobset_controller.go (GetSubdomain; constructJob sets the pod subdomain; createHeadlessSvcIfNecessary creates the headless Service of that name selecting the JobSet's pods), pkg/util/placement GenJobName (<jobset>-<rjob>-<index>); Kubernetes Indexed Job: the pod of completion index i has hostname <job>-<i>, and DNS publishes <hostname>.<subdomain> only",
  check(o, { graph }) {
    const own = jobSetPods(o.manifest);
    if (!own) return [];
    const ns = graph.namespaceOf(o.manifest);
    const others = neighbours(graph, o.manifest, ns);
    const out: Problem[] = [];
    const seen = new Set<string>();
    for (const r of mappings(mapping(o.manifest.spec).replicatedJobs)) {
      const containers = mappings(mapping(mapping(mapping(mapping(r.template).spec).template).spec).containers);
      for (const w of containers.flatMap((c) => writtenTexts(text(r.name) ?? 'unnamed', c))) {
        for (const m of w.value.matchAll(HOST)) {
          const [whole, host, domain] = m;
          const start = m.index + whole.length - host.length - domain.length;
          const subdomain = domain.split('.')[1];
          const owner = ownerOf(host, own, others);
          const js = owner?.js ?? own;
          // a name that is no address (a log file pytorch-workers-0-0.log) is judged only under the pods' own subdomain
          const written = writtenAsAddress(w, start, m.index + whole.length);
          const address = written || (subdomain !== undefined && js.jobs.some((j) => j.subdomain === subdomain));
          const why = owner
            ? address && !(subdomain && serviceAddress(graph, ns, host, subdomain)) && podHostProblem(owner.js, owner.pod, subdomain)
            : strayHostProblem(graph, ns, own, written, host, subdomain);
          const key = `${w.where}\u0000${host}${domain}`;
          if (!why || seen.has(key)) continue;
          seen.add(key);
          const names = js.jobs.map((j) => podHostsShown(js, j)).join('; ');
          out.push({
            message: `${w.where} names the pod host '${host}${domain}', which does not resolve: ${why}; JobSet '${js.name}' names its pods ${names || 'none'}: address one of those`,
          });
        }
      }
    }
    return out;
  },
};
