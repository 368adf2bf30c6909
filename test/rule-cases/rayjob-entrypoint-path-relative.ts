import * as YAML from 'yaml';
import { cliInProcess, ruleFound, severityObjectMessages, writeTree } from '../util';

/** A RayJob whose head (the Ray container given) mounts volume `code` at /app; spec fields added. */
const job = (entrypoint: string, head: object = {}, spec: object = {}) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: { name: 'train', namespace: 'ml' },
  spec: {
    entrypoint,
    ...spec,
    rayClusterSpec: {
      headGroupSpec: {
        template: {
          spec: {
            containers: [{ name: 'ray-head', image: 'rayproject/ray:2.40.0-py311', volumeMounts: [{ name: 'code', mountPath: '/app' }], ...head }],
            volumes: [{ name: 'code', emptyDir: {} }],
          },
        },
      },
    },
  },
});
const findings = (m: object) => severityObjectMessages(ruleFound('rayjob-entrypoint-path-relative', [{ manifest: m }], { platform: 'kserve' }));

// ray docker/base-deps Dockerfile WORKDIR /home/ray; kuberay common/job.go: `ray job submit … -- <entrypoint>`
describe('rayjob-entrypoint-path-relative', () => {
  test('a relative path that means the mount, from /home/ray: an error naming the mount and the fixes', () => {
    expect(findings(job('python3 app/repo/main.py'))).toEqual([
      [
        'error',
        'RayJob/ml/train',
        'spec.entrypoint runs `python3 app/repo/main.py` with the relative path app/repo/main.py: Ray runs the driver on the head in /home/ray ' +
          '(the working directory of rayproject/ray:2.40.0-py311; the head container sets no workingDir), so it looks for /home/ray/app/repo/main.py, ' +
          "while the code is in volume 'code' mounted at /app in spec.rayClusterSpec.headGroupSpec.template container 'ray-head'; " +
          'the driver fails with "No such file or directory" and the job fails. Write the absolute path /app/repo/main.py, ' +
          'or set workingDir: / on the head container, or give runtimeEnvYAML a working_dir',
      ],
    ]);
  });

  test('a workingDir elsewhere, a program written as a relative path: errors naming the workingDir', () => {
    const [[severity, , message]] = findings(job('python app/main.py', { workingDir: '/workspace' }));
    expect(severity).toBe('error');
    expect(message).toMatch(
      /in the head's workingDir \/workspace, so it looks for \/workspace\/app\/main\.py, .* Write the absolute path \/app\/main\.py, or set workingDir: \/ on/,
    );
    expect(findings(job('./app/run.sh --fast'))).toEqual([['error', 'RayJob/ml/train', expect.stringContaining('with the relative path app/run.sh:')]]);
  });

  test('another image without workingDir: a warning, its WORKDIR decides', () => {
    expect(findings(job('python3 app/repo/main.py', { image: 'registry.example.com/ml/trainer:3' }))).toEqual([
      [
        'warning',
        'RayJob/ml/train',
        expect.stringMatching(
          /in the image's working directory \(registry\.example\.com\/ml\/trainer:3 is not one whose WORKDIR is known.*so it finds it only if that directory is \/, /,
        ),
      ],
    ]);
  });

  test.each([
    ['an absolute path under the mount', job('python3 /app/repo/main.py')],
    ["workingDir set to the mount's parent", job('python3 app/repo/main.py', { workingDir: '/' })],
    ['workingDir set to the mount', job('python3 repo/main.py', { workingDir: '/app' })],
    [
      'runtimeEnvYAML with a working_dir',
      job('python3 app/repo/main.py', {}, { runtimeEnvYAML: 'working_dir: "https://git.example.com/ml/train/archive/main.zip"\n' }),
    ],
    ['a path in the image (no mount shares its prefix)', job('python3 scripts/train.py')],
    ['a module', job('python3 -m app.repo.main')],
    ['a change of directory first', job('cd /app && python3 app/repo/main.py')],
    ['entrypoint resources (the driver may run on a worker)', job('python3 app/repo/main.py', {}, { entrypointNumGpus: 1 })],
  ])('near miss, %s: silent', (_, m) => {
    expect(findings(m)).toEqual([]);
  });
});

describe('rayjob-entrypoint-path-relative: an image the tree builds', () => {
  /** The job's findings where the head runs trainer:1, which build.sh builds from the Dockerfile given. */
  const built = async (dockerfile: string) => {
    const dir = writeTree('rayjob-built-', {
      'build.sh': 'docker build -t trainer:1 .\n',
      Dockerfile: dockerfile,
      'job.yaml': YAML.stringify(job('python3 app/repo/main.py', { image: 'trainer:1' })),
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'rayjob-entrypoint-path-relative')
      .map((f: { severity: string; message: string }) => [f.severity, f.message]);
  };

  test("from Ray's image without a WORKDIR of its own: /home/ray, an error", async () => {
    expect(await built('FROM rayproject/ray:2.40.0-py311\nRUN pip install uv\n')).toEqual([
      [
        'error',
        expect.stringContaining(
          "in /home/ray (the working directory of trainer:1: built from Dockerfile (FROM rayproject/ray:2.40.0-py311) by `docker build -t trainer:1 .` (build.sh:1), which keeps its base's WORKDIR; the head container sets no workingDir), so it looks for /home/ray/app/repo/main.py",
        ),
      ],
    ]);
  });

  test('a build that sets WORKDIR /: silent, the path is found; one the rule cannot read: a warning', async () => {
    expect(await built('FROM rayproject/ray:2.40.0-py311\nWORKDIR /\n')).toEqual([]);
    expect(await built('FROM rayproject/ray:2.40.0-py311\nWORKDIR ${APP_DIR}\n')).toEqual([
      ['warning', expect.stringContaining("in the image's working directory")],
    ]);
  });
});
