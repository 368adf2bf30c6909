import { ruleFound, severityMessages } from '../util';

const IMAGE = 'docker.io/pytorch/pytorch@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** An Indexed Job `train` whose container has the env and args, with the pod template's subdomain when given. */
const job = (env: Record<string, string>, opts: { subdomain?: string; args?: string[]; mode?: string; labels?: Record<string, string> } = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: {
    completionMode: opts.mode ?? 'Indexed',
    completions: 2,
    template: {
      metadata: { labels: opts.labels ?? {} },
      spec: {
        ...(opts.subdomain ? { subdomain: opts.subdomain } : {}),
        restartPolicy: 'Never',
        containers: [
          { name: 'c', image: IMAGE, env: Object.entries(env).map(([name, value]) => ({ name, value })), ...(opts.args ? { args: opts.args } : {}) },
        ],
      },
    },
  },
});

const service = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ml' }, spec });
const headless = (name: string, selector: Record<string, string> = { 'job-name': 'train' }) => service(name, { clusterIP: 'None', selector });

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'indexed-job-hostname-unresolved',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('indexed-job-hostname-unresolved', () => {
  test('a bare pod hostname never resolves from the other pods', () => {
    expect(findings(job({ MASTER_ADDR: 'train-0' }))).toEqual([
      [
        'error',
        "container 'c' env MASTER_ADDR names the pod host 'train-0', which does not resolve from the other pods: a bare pod hostname is in no DNS zone: only <hostname>.<subdomain> is published, under a headless Service; add a headless Service selecting the pods, set spec.template.spec.subdomain to its name and use train-0.<service>",
      ],
    ]);
    // in a URL of the args, and with a subdomain set but the bare name used
    expect(findings(job({}, { args: ['--dist-url=tcp://train-0:23456'] }))).toEqual([
      ['error', expect.stringMatching(/^container 'c' command names the pod host 'train-0'/)],
    ]);
    expect(findings(job({ MASTER_ADDR: 'train-0' }, { subdomain: 'workers' }), headless('workers'))).toHaveLength(1);
  });

  test('<job>-<i>.<name> needs the pod subdomain <name> and a headless Service selecting the pods', () => {
    expect(findings(job({ MASTER_ADDR: 'train-0.workers' }), headless('workers'))).toEqual([
      [
        'error',
        expect.stringMatching(/names the pod host 'train-0\.workers', .*: the pod template sets no subdomain, so no pod gets a DNS name under 'workers'/),
      ],
    ]);
    expect(findings(job({ MASTER_ADDR: 'train-0.workers.ml.svc.cluster.local' }, { subdomain: 'other' }), headless('workers'))).toEqual([
      ['error', expect.stringMatching(/the pod template's subdomain is 'other', not 'workers'/)],
    ]);
    expect(findings(job({ MASTER_ADDR: 'train-0.workers' }, { subdomain: 'workers' }), service('workers', { selector: { 'job-name': 'train' } }))).toEqual([
      ['error', expect.stringMatching(/Service 'workers' is not headless \(clusterIP: None\) with a selector that matches the Job's pods/)],
    ]);
    expect(findings(job({ MASTER_ADDR: 'train-0.workers' }, { subdomain: 'workers' }), headless('workers', { app: 'other' }))).toHaveLength(1);
    // no Service in the tree: it may be created elsewhere
    expect(findings(job({ MASTER_ADDR: 'train-0.workers' }, { subdomain: 'workers' }))).toEqual([
      ['warning', expect.stringMatching(/the tree holds no Service 'workers' \(clusterIP: None\).*assumed to be created elsewhere/)],
    ]);
  });

  test('near misses: subdomain and headless Service in place, by job-name or the template labels; another name; a NonIndexed Job; a Service of the bare name', () => {
    expect(findings(job({ MASTER_ADDR: 'train-0.workers' }, { subdomain: 'workers' }), headless('workers'))).toEqual([]);
    expect(
      findings(job({ MASTER_ADDR: 'train-1.workers:29500' }, { subdomain: 'workers', labels: { app: 'ddp' } }), headless('workers', { app: 'ddp' })),
    ).toEqual([]);
    expect(findings(job({ MASTER_ADDR: 'train-0-config', DATA: 'mytrain-0', HOST: 'other-0' }))).toEqual([]);
    expect(findings(job({ MASTER_ADDR: 'train-0' }, { mode: 'NonIndexed' }))).toEqual([]);
    expect(findings(job({ MASTER_ADDR: 'train-0' }), service('train-0', { selector: { 'batch.kubernetes.io/job-completion-index': '0' } }))).toEqual([]);
  });
});
