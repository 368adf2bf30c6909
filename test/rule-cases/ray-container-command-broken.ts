import { ruleFound, severityMessages } from '../util';

const IMAGE = 'docker.io/rayproject/ray@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

type Container = Record<string, unknown>;

/** A RayCluster whose head runs `head` and whose one worker group runs `worker`, with the cluster's annotations. */
const cluster = (head: Container, worker: Container = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'ray', namespace: 'ai', annotations },
  spec: {
    headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: IMAGE, ...head }] } } },
    workerGroupSpecs: [
      { groupName: 'gpu', replicas: 1, rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-worker', image: IMAGE, ...worker }] } } },
    ],
  },
});

const findings = (...manifests: Record<string, unknown>[]) =>
  severityMessages(
    ruleFound(
      'ray-container-command-broken',
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ),
  );

const bash = (script: string) => ({ command: ['/bin/bash', '-c'], args: [script] });

describe('ray-container-command-broken', () => {
  test('a command that holds ray start is left as written: a last ray start without --block returns and the container exits', () => {
    expect(findings(cluster(bash('pip install torch && ray start --head --port=6379'), bash('pip install torch && ray start --address=$RAY_ADDRESS')))).toEqual(
      [
        [
          'error',
          expect.stringMatching(
            /^spec\.headGroupSpec\.template: container 'ray-head' runs its own command, .* ends with `ray start --head --port=6379` without --block: ray start returns .*add --block/,
          ),
        ],
        [
          'error',
          expect.stringMatching(/^spec\.workerGroupSpecs\[0\] \(gpu\)\.template: container 'ray-worker' .*`ray start --address=\$RAY_ADDRESS` without --block/),
        ],
      ],
    );
    // exec in a script
    expect(findings(cluster(bash('set -e; exec ray start --head'))).length).toBe(1);
  });

  test('under ray.io/overwrite-container-cmd the command is as written too, whatever it holds', () => {
    const script = bash('ray start --head; echo started');
    // echo is last: the container ends anyway, but not by a ray start the rule can name
    expect(findings(cluster(script, {}, { 'ray.io/overwrite-container-cmd': 'true' }))).toEqual([]);
    const template = bash('eval "$KUBERAY_GEN_RAY_START_CMD"');
    expect(findings(cluster(template, {}, { 'ray.io/overwrite-container-cmd': 'true' }))).toEqual([]);
    // without the annotation KubeRay rewrites it, and bash -c gets 'eval' alone
    expect(findings(cluster(template))).toEqual([['error', expect.stringMatching(/runs only 'eval'/)]]);
    expect(
      findings(cluster({}, bash('python -m pip list && /usr/local/bin/ray start --address=head:6379'), { 'ray.io/overwrite-container-cmd': 'True' })),
    ).toEqual([['error', expect.stringMatching(/^spec\.workerGroupSpecs\[0\] \(gpu\)\.template: container 'ray-worker' runs its own command/)]]);
  });

  test("a bash -c script of several words without ray start is cut by KubeRay's re-joined line", () => {
    expect(findings(cluster(bash('pip install torch')))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.headGroupSpec\.template: container 'ray-head' hands `\/bin\/bash -c` the script "pip install torch" and its command has no "ray start" as one phrase, so KubeRay rewrites it: .*runs only 'pip'/,
        ),
      ],
    ]);
    // the script as one element of command, and sh -ec
    expect(findings(cluster({ command: ['sh', '-ec', 'mkdir -p /data && cp -r /models /data'] })).length).toBe(1);
  });

  test('ray start as separate words is not seen by KubeRay: it appends a second ray start', () => {
    expect(findings(cluster({ command: ['ray', 'start', '--head'] }, { args: ['ray', 'start', '--address=head:6379'] }))).toEqual([
      [
        'error',
        expect.stringMatching(
          /^spec\.headGroupSpec\.template: container 'ray-head' runs `ray start --head` as separate words, .*appends its own: .*a second ray start on the ports the first holds/,
        ),
      ],
      ['error', expect.stringMatching(/^spec\.workerGroupSpecs\[0\] \(gpu\)\.template: container 'ray-worker' runs `ray start --address=head:6379`/)],
    ]);
    // with --block the first holds the container and KubeRay's never runs
    expect(findings(cluster({ command: ['ray', 'start', '--head', '--block'] }))).toEqual([]);
  });

  test('near misses: ray start --block or a blocking command last, a background ray start, words KubeRay may re-join, one-word scripts, no command', () => {
    expect(findings(cluster(bash('pip install torch && ray start --head --block')))).toEqual([]);
    expect(findings(cluster(bash('ray start --head && sleep infinity')))).toEqual([]);
    expect(findings(cluster(bash('ray start --head && python /app/train.py')))).toEqual([]);
    expect(findings(cluster(bash('ray start --head --block=true')))).toEqual([]);
    expect(findings(cluster(bash('ray start --head &')))).toEqual([]);
    // a ray start inside a compound command is not judged
    expect(findings(cluster(bash('if true; then ray start --head; fi')))).toEqual([]);
    // no shell of its own: KubeRay's bash runs the words, then its ray start
    expect(findings(cluster({ args: ['pip', 'install', 'torch'] }))).toEqual([]);
    expect(findings(cluster(bash('/opt/setup.sh')))).toEqual([]);
    expect(findings(cluster({}))).toEqual([]);
    // under the annotation the script is not re-joined
    expect(findings(cluster(bash('pip install torch'), {}, { 'ray.io/overwrite-container-cmd': 'true' }))).toEqual([]);
  });

  test('a RayJob and a RayService carry the cluster spec, with their own annotations', () => {
    const spec = cluster(bash('ray start --head')).spec;
    const job = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'j', namespace: 'ai' },
      spec: { entrypoint: 'python a.py', rayClusterSpec: spec },
    };
    expect(findings(job)).toEqual([['error', expect.stringMatching(/^spec\.rayClusterSpec\.headGroupSpec\.template: container 'ray-head'/)]]);
    const service = { apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name: 's', namespace: 'ai' }, spec: { rayClusterConfig: spec } };
    expect(findings(service)).toEqual([['error', expect.stringMatching(/^spec\.rayClusterConfig\.headGroupSpec\.template/)]]);
  });
});
