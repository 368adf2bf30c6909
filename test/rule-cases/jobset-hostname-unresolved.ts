import { ruleFound, severityMessages } from '../util';

const IMAGE = 'docker.io/pytorch/pytorch@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

interface Options {
  readonly network?: Record<string, unknown>;
  readonly replicas?: number;
  readonly completions?: number;
  readonly parallelism?: number;
  readonly args?: string[];
  readonly podSubdomain?: string;
  readonly name?: string;
  readonly rjob?: string;
  /** Leave completions and parallelism unset. */
  readonly noCounts?: boolean;
}

/** A JobSet `ddp` in namespace ml with one replicated Job `node` (2 pods unless told) whose container has the env and args. */
const jobSet = (env: Record<string, string>, o: Options = {}) => ({
  apiVersion: 'jobset.x-k8s.io/v1alpha2',
  kind: 'JobSet',
  metadata: { name: o.name ?? 'ddp', namespace: 'ml' },
  spec: {
    ...(o.network ? { network: o.network } : {}),
    replicatedJobs: [
      {
        name: o.rjob ?? 'node',
        ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
        template: {
          spec: {
            ...(o.noCounts || o.completions !== undefined || o.parallelism !== undefined ? {} : { completions: 2, parallelism: 2 }),
            ...(o.completions !== undefined ? { completions: o.completions } : {}),
            ...(o.parallelism !== undefined ? { parallelism: o.parallelism } : {}),
            template: {
              spec: {
                ...(o.podSubdomain ? { subdomain: o.podSubdomain } : {}),
                containers: [
                  { name: 'c', image: IMAGE, env: Object.entries(env).map(([name, value]) => ({ name, value })), ...(o.args ? { args: o.args } : {}) },
                ],
              },
            },
          },
        },
      },
    ],
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'jobset-hostname-unresolved',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

describe('jobset-hostname-unresolved', () => {
  test('a pod host under another subdomain than the JobSet gives (its name by default): an error naming the hosts its pods have', () => {
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.ddp-node' }))).toEqual([
      [
        'error',
        "replicatedJob 'node' container 'c' env MASTER_ADDR names the pod host 'ddp-node-0-0.ddp-node', which does not resolve: the pods are published under the subdomain 'ddp' (the JobSet's name, spec.network.subdomain being unset), not 'ddp-node'; JobSet 'ddp' names its pods ddp-node-0-0.ddp, ddp-node-0-1.ddp (replicatedJob 'node': 1 Job of 2 pods): address one of those",
      ],
    ]);
    // spec.network.subdomain set: the pods are under it, not under the JobSet's name
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.ddp' }, { network: { subdomain: 'mesh' } }))).toEqual([
      [
        'error',
        expect.stringMatching(
          /published under the subdomain 'mesh' \(spec\.network\.subdomain\), not 'ddp'; JobSet 'ddp' names its pods ddp-node-0-0\.mesh, ddp-node-0-1\.mesh/,
        ),
      ],
    ]);
  });

  test('a replicated Job it does not have, a Job index not below replicas, a pod index not below completions', () => {
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-worker-0-0.ddp' }))).toEqual([
      ['error', expect.stringMatching(/JobSet 'ddp' has no replicatedJob 'worker' \(it has 'node'\)/)],
    ]);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-1-0.ddp' }))).toEqual([
      ['error', expect.stringMatching(/replicatedJob 'node' makes 1 Job \(replicas\), so there is no Job index 1/)],
    ]);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-2.ddp' }))).toEqual([
      ['error', expect.stringMatching(/runs 2 pods \(completion indexes 0 to 1\), so there is no pod index 2/)],
    ]);
    // no completions: parallelism, else one pod
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-3.ddp' }, { parallelism: 4 }))).toEqual([]);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-2-0.ddp' }, { noCounts: true, replicas: 3 }))).toEqual([]);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-1.ddp' }, { noCounts: true })).map((f) => f[0])).toEqual(['error']);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-2-2.ddp' }, { replicas: 3, completions: 2 }))).toEqual([
      [
        'error',
        expect.stringMatching(/names its pods ddp-node-0-0\.ddp to ddp-node-2-1\.ddp \(replicatedJob 'node': 3 Jobs of 2 pods\): address one of those$/),
      ],
    ]);
  });

  test('a bare pod hostname, an address in args or a shell line, and DNS hostnames turned off', () => {
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0' }))).toEqual([
      ['error', expect.stringMatching(/a bare pod hostname is in no DNS zone: only <hostname>\.ddp is published/)],
    ]);
    expect(findings(jobSet({}, { args: ['--rdzv_endpoint=ddp-node-0-0.ddp-node:29400'] }))).toEqual([
      ['error', expect.stringMatching(/^replicatedJob 'node' container 'c' command names the pod host 'ddp-node-0-0\.ddp-node'/)],
    ]);
    expect(findings(jobSet({}, { args: ['--master_addr', 'ddp-node-0-0'] })).map((f) => f[0])).toEqual(['error']);
    expect(findings(jobSet({}, { args: ['-c', 'torchrun --master_addr=ddp-node-0-0.ddp-node train.py'] })).map((f) => f[0])).toEqual(['error']);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.ddp' }, { network: { enableDNSHostnames: false } }))).toEqual([
      ['error', expect.stringMatching(/spec\.network\.enableDNSHostnames is false and the pod template sets no subdomain, so the pods get no DNS name/)],
    ]);
  });

  test('an address under the subdomain with a host no pod has: an error', () => {
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-0.ddp' }))).toEqual([
      ['error', expect.stringMatching(/names the pod host 'ddp-0\.ddp', which does not resolve: no pod of JobSet 'ddp' has the hostname 'ddp-0'/)],
    ]);
    expect(findings(jobSet({ COORDINATOR_HOST: 'leader.ddp.ml.svc.cluster.local' })).map((f) => f[0])).toEqual(['error']);
  });

  test('near misses: the names the pods have, with a port or the full zone; files and other names; Services of a namespace; another JobSet of the namespace', () => {
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.ddp', PEER: 'ddp-node-0-1.ddp.ml.svc.cluster.local:29500' }))).toEqual([]);
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.mesh' }, { network: { subdomain: 'mesh' } }))).toEqual([]);
    // DNS hostnames off, the template's own subdomain (the user's Service)
    expect(findings(jobSet({ MASTER_ADDR: 'ddp-node-0-0.own' }, { network: { enableDNSHostnames: false }, podSubdomain: 'own' }))).toEqual([]);
    // file names and placeholders are no addresses
    expect(findings(jobSet({ LOG_FILE: '/logs/ddp-node-0-0.log', OUT: 'ddp-node-7-0', ADDR: '$(JOBSET_NAME)-node-0-0.$(JOBSET_NAME)' }))).toEqual([]);
    // <service>.<namespace>: the JobSet's own namespace, or one the tree creates
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ddp' } };
    expect(findings(jobSet({ S3_ENDPOINT: 'http://minio.ddp:9000' }), ns)).toEqual([]);
    expect(findings(jobSet({ S3_ENDPOINT: 'http://minio.ml:9000' }, { name: 'ml' }))).toEqual([]);
    // the tree's own Service of the subdomain's name: JobSet creates none, and it may select other pods
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ddp', namespace: 'ml' }, spec: { clusterIP: 'None', selector: { app: 'ddp' } } };
    expect(findings(jobSet({ MASTER_ADDR: 'leader.ddp' }), svc)).toEqual([]);
    // a pod of another JobSet of the namespace, under its subdomain
    expect(findings(jobSet({ MASTER_ADDR: 'etl-run-0-0.etl' }), jobSet({}, { name: 'etl', rjob: 'run' }))).toEqual([]);
  });
});
