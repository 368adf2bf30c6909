import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { containerTexts } from '../container-texts';
import { Problem, Rule } from '../rule';
import { JOB_NAME_LABEL } from '../../k8s/keys';

/** A host name in a value: `<job>-<index>` then any DNS labels, between the edges of a host (start, space, `=`, `/`, `@`, `,`, quotes; end, `:`, `/`). */
const hostsIn = (value: string, job: string): { index: string; domain: string }[] => {
  const escaped = job.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?:^|[\\s=/@,'"])${escaped}-(\\d+)((?:\\.[a-z0-9-]+)*)(?=$|[\\s:/,'"])`, 'g');
  return [...value.matchAll(pattern)].map((m) => ({ index: m[1], domain: m[2] }));
};

/** The texts a container hands its program: literal env values, command and args. */
/** The labels the Job controller gives an Indexed Job's pods besides the template's (kubernetes pkg/controller/job: job-name, batch.kubernetes.io/job-name). */
const podLabels = (job: string, template: Loose) => ({ ...stringMap(mapping(template.metadata).labels), 'job-name': job, [JOB_NAME_LABEL]: job });

/** Why `<job>-<i>.<subdomain>` does not resolve: the pod template's subdomain and the headless Service of that name selecting the pods. */
function subdomainProblem(
  graph: ObjectGraph,
  ns: string | undefined,
  job: string,
  template: Loose,
  subdomain: string,
): { why: string; certain: boolean } | undefined {
  const own = text(mapping(template.spec).subdomain);
  if (own !== subdomain)
    return {
      why: own
        ? `the pod template's subdomain is '${own}', not '${subdomain}'`
        : `the pod template sets no subdomain, so no pod gets a DNS name under '${subdomain}'`,
      certain: true,
    };
  const services = graph.findAll('Service', subdomain, ns);
  if (!services.length)
    return {
      why: `the tree holds no Service '${subdomain}' (clusterIP: None) to publish the pods' names; it is assumed to be created elsewhere`,
      certain: false,
    };
  const labels: Record<string, string> = podLabels(job, template);
  const fits = services.some((s) => {
    const spec = mapping(s.manifest.spec);
    const selector = stringMap(spec.selector);
    return text(spec.clusterIP) === 'None' && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
  return fits
    ? undefined
    : {
        why: `Service '${subdomain}' is not headless (clusterIP: None) with a selector that matches the Job's pods, so no DNS record names them`,
        certain: true,
      };
}

export const indexedJobHostnameUnresolved: Rule = {
  id: 'indexed-job-hostname-unresolved',
  title: "an Indexed Job's pods are addressed by their hostname (<job>-<index>) without the subdomain and headless Service that make it resolve",
  severity: 'error',
  appliesTo: ['Job'],
  premise:
    "an Indexed Job (completionMode: Indexed) whose containers' env values, command or args name a host `<job-name>-<index>`: bare (no pod is ever published under its bare hostname), or `<job-name>-<index>.<name>` where the pod template's subdomain is not <name>, or the Service <name> of the namespace is not headless or does not select the pods (a warning when the tree holds no such Service)",
  example: 'an Indexed Job `ddp-train` whose env MASTER_ADDR has `value: ddp-train-0`, and no subdomain',
  fix: 'add a headless Service (clusterIP: None) selecting the pods (e.g. job-name: <job>), set spec.template.spec.subdomain to its name, and address the pod as <job>-<index>.<service>',
  source:
    'Kubernetes docs, Jobs "Job with Pod-to-Pod communication" and DNS for Services and Pods: an Indexed Job\'s pod gets hostname <job>-<index>, and a DNS record <hostname>.<subdomain>.<namespace>.svc only when its subdomain names a headless Service in the namespace that selects it; the pods\' search domains do not include the subdomain',
  check(o, ctx) {
    const m = o.manifest;
    const spec = mapping(m.spec);
    const job = text(mapping(m.metadata).name);
    if (text(spec.completionMode) !== 'Indexed' || !job) return [];
    const template = mapping(spec.template);
    const ns = ctx.graph.namespaceOf(m);
    const out: Problem[] = [];
    for (const { where, value } of mappings(mapping(template.spec).containers).flatMap((c) => containerTexts(c))) {
      for (const host of hostsIn(value, job)) {
        const name = `${job}-${host.index}${host.domain}`;
        const subdomain = host.domain.split('.')[1];
        // a Service of that very name makes the bare name resolve through the namespace's search domain
        if (!subdomain && ctx.graph.findAll('Service', `${job}-${host.index}`, ns).length) continue;
        const problem = subdomain
          ? subdomainProblem(ctx.graph, ns, job, template, subdomain)
          : { why: 'a bare pod hostname is in no DNS zone: only <hostname>.<subdomain> is published, under a headless Service', certain: true };
        if (!problem) continue;
        out.push({
          severity: problem.certain ? 'error' : 'warning',
          message: `${where} names the pod host '${name}', which does not resolve from the other pods: ${problem.why}; add a headless Service selecting the pods, set spec.template.spec.subdomain to its name and use ${job}-${host.index}.<service>`,
        });
      }
    }
    return out;
  },
};
