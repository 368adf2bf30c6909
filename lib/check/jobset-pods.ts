import { finite, Loose, mapping, mappings, text } from '../manifests/access';

/** A replicated Job of a JobSet: its name, how many Jobs it makes, how many pods (completion indexes) each runs, and the pods' subdomain. */
export interface ReplicatedJobPods {
  readonly name: string;
  /** spec.replicatedJobs[].replicas (default 1); undefined when not a number. */
  readonly replicas: number | undefined;
  /** The completion indexes of each Job: completions, else parallelism, else 1 (Kubernetes Job defaulting); undefined when not a number. */
  readonly pods: number | undefined;
  /** The subdomain its pods get; undefined when they get none (DNS hostnames off and no subdomain of the template's own). */
  readonly subdomain: string | undefined;
}

/** What a JobSet tells of its pods' DNS names. */
export interface JobSetPods {
  readonly name: string;
  /** The subdomain JobSet gives every pod and names its headless Service after; undefined when enableDNSHostnames is false. */
  readonly subdomain: string | undefined;
  /** Whether the subdomain is the JobSet's name because spec.network.subdomain is unset. */
  readonly subdomainDefaulted: boolean;
  readonly jobs: readonly ReplicatedJobPods[];
}

/** A count field: its number, the default when unset, undefined when written but not a whole number (a placeholder). */
function count(v: unknown, unset: number): number | undefined {
  if (v === undefined || v === null) return unset;
  const n = finite(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * A JobSet's pods as the JobSet controller names them (kubernetes-sigs/jobset): the webhook defaults
 * network.enableDNSHostnames (and publishNotReadyAddresses) to true (pkg/webhooks/jobset_webhook.go Default); with it the
 * controller sets every pod template's subdomain to network.subdomain, else the JobSet's name (pkg/controllers
 * jobset_controller.go GetSubdomain, constructJob), and creates the headless Service of that name selecting the
 * JobSet's pods (createHeadlessSvcIfNecessary). Job i of a replicated Job is <jobset>-<rjob>-<i> (pkg/util/placement
 * GenJobName), an Indexed Job (the webhook's default completionMode), whose pod of completion index j the Job
 * controller names <job>-<j> as its hostname. Undefined for a JobSet with no literal name (generateName).
 */
export function jobSetPods(m: Loose): JobSetPods | undefined {
  const name = text(mapping(m.metadata).name);
  if (!name) return undefined;
  const spec = mapping(m.spec);
  const network = mapping(spec.network);
  const dns = network.enableDNSHostnames !== false && network.enableDNSHostnames !== 'false';
  const own = text(network.subdomain);
  const subdomain = dns ? own || name : undefined;
  const jobs = mappings(spec.replicatedJobs).flatMap((r): ReplicatedJobPods[] => {
    const rjob = text(r.name);
    if (!rjob) return [];
    const jobSpec = mapping(mapping(r.template).spec);
    const completions = jobSpec.completions ?? jobSpec.parallelism;
    return [
      {
        name: rjob,
        replicas: count(r.replicas, 1),
        pods: count(completions, 1),
        subdomain: subdomain ?? text(mapping(mapping(jobSpec.template).spec).subdomain),
      },
    ];
  });
  return { name, subdomain, subdomainDefaulted: dns && !own, jobs };
}

/** The DNS names of a replicated Job's pods, for a message: all of up to three, else the first and the last, and how many Jobs of how many pods. */
export function podHostsShown(js: JobSetPods, job: ReplicatedJobPods): string {
  const host = (i: number, j: number) => `${js.name}-${job.name}-${i}-${j}${job.subdomain ? `.${job.subdomain}` : ''}`;
  if (job.replicas === undefined || job.pods === undefined) return `${host(0, 0)}, … (replicatedJob '${job.name}')`;
  const { replicas, pods } = job;
  const of = `(replicatedJob '${job.name}': ${replicas} Job${replicas === 1 ? '' : 's'} of ${pods} pod${pods === 1 ? '' : 's'})`;
  if (replicas * pods === 0) return `none ${of}`;
  if (replicas * pods <= 3) return `${Array.from({ length: replicas * pods }, (_, k) => host(Math.floor(k / pods), k % pods)).join(', ')} ${of}`;
  return `${host(0, 0)} to ${host(replicas - 1, pods - 1)} ${of}`;
}
