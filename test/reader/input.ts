import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readManifests } from '../../lib';
import { parseManifests } from '../../lib/manifests/read-manifests';
import { cliInProcess, ROOT, tempDir } from '../util';
import { cpuMsSince, PROMPTLY_MS } from '../setup/promptly';

/** The reader's byte budget and parsers: bounded in size and time, strict about encodings, YAML as Kubernetes reads it. */

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v'.repeat(200) } });

describe('one byte budget for files and standard input', () => {
  test('an endless standard input (yes | check -) ends within seconds with a message naming stdin and the limit', () => {
    // compile first (when sources changed), so that the clock measures the reading only
    (require(path.join(ROOT, 'scripts', 'ensure-built.js')) as { ensureBuilt: () => void }).ensureBuilt();
    const started = Date.now();
    const r = spawnSync('sh', ['-c', `yes | node ${JSON.stringify(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'))} check - --json`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/<stdin>.*16 MiB/);
  });

  test('a template key YAML reads as a collection (an unquoted {{ NAME }}) prints nothing on stderr: the YAML library stays quiet', () => {
    (require(path.join(ROOT, 'scripts', 'ensure-built.js')) as { ensureBuilt: () => void }).ensureBuilt();
    const dir = tempDir('reader-template-');
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ NAME }}\n  namespace: {{NAMESPACE}}\ndata:\n  k: v\n');
    const r = spawnSync('node', [path.join(ROOT, 'build', 'lib', 'cli', 'main.js'), 'check', dir, '--json', '--platform', 'kserve', '--allow-empty'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    // go-yaml refuses such a key ("invalid map key"): the object is said unreadable at its line, not judged
    const findings = JSON.parse(r.stdout).findings as { rule: string; line?: number }[];
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['unreadable-input', 4]]);
  });

  test('a stream over the budget given by a caller is refused, not parsed', () => {
    let asked = 0;
    const { manifests, errors } = readManifests(['-'], {
      maxFileBytes: 1000,
      stdin: (max) => {
        asked = max;
        return 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n'.repeat(40);
      },
    });
    expect(asked).toBe(1000);
    expect(manifests).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ file: '<stdin>', severity: 'error', message: expect.stringMatching(/more than the 0 MiB|1000|MiB/) })]);
  });
});

describe('JSON is parsed as JSON, in time linear in its size', () => {
  test('a 14 MB JSON List file is read whole, every item, with no step that grows faster than the file', () => {
    const dir = tempDir('reader-');
    const items = Array.from({ length: 45_000 }, (_, i) => configMap(`cm-${i}`));
    const file = path.join(dir, 'dump.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1));
    expect(fs.statSync(file).size).toBeGreaterThan(14e6);
    const started = process.cpuUsage();
    const { manifests, errors } = readManifests([file]);
    expect(cpuMsSince(started)).toBeLessThan(PROMPTLY_MS);
    expect(errors).toEqual([]);
    expect(manifests).toHaveLength(45_000);
    // and in bounded memory: the compiled reader in a node limited to 512 MiB of heap reads it whole
    (require(path.join(ROOT, 'scripts', 'ensure-built.js')) as { ensureBuilt: () => void }).ensureBuilt();
    const script = `const r = require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))}).readManifests([process.argv[1]]); console.log(r.manifests.length, r.errors.length)`;
    const child = spawnSync('node', ['--max-old-space-size=512', '-e', script, file], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stdout.trim()).toBe('45000 0');
  });

  test('a stream that starts with { is read as JSON; a YAML flow mapping that starts with { still reads as YAML', () => {
    expect(parseManifests(' \n' + JSON.stringify(configMap('a')), '<stdin>').manifests.map((m) => m.line)).toEqual([2]);
    const flow = parseManifests('{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n', 'x.yaml');
    expect(flow.errors).toEqual([]);
    expect(flow.manifests).toHaveLength(1);
  });

  test('a .json file that is not JSON is an error naming JSON', () => {
    const dir = tempDir('reader-');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [cm.json]\n');
    fs.writeFileSync(path.join(dir, 'cm.json'), '{"apiVersion": "v1", "kind": "ConfigMap",}');
    const { errors } = readManifests([dir]);
    expect(errors).toEqual([
      expect.objectContaining({ file: path.join(dir, 'cm.json'), severity: 'error', message: expect.stringMatching(/^is not valid JSON/) }),
    ]);
  });
});

describe('encodings and document counts', () => {
  test('invalid UTF-8 is a finding that names the line, not silently replaced', () => {
    const dir = tempDir('reader-');
    const file = path.join(dir, 'cm.yaml');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]),
    );
    const { manifests, errors } = readManifests([file]);
    expect(manifests).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^is not valid UTF-8 \(line 6,/) })]);
  });

  test('more than 10,000 documents in one text: the rest is not read, and that is an error', () => {
    const doc = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n';
    const { manifests, errors } = parseManifests(doc.repeat(10_001), 'many.yaml');
    expect(manifests).toHaveLength(10_000);
    expect(errors).toEqual([
      expect.objectContaining({ severity: 'error', message: 'holds more than 10000 YAML documents: the rest is not read (split the stream)' }),
    ]);
  });
});

describe('YAML merge keys are applied, as Kubernetes reads YAML', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ai
spec:
  selector:
    matchLabels: &labels
      app: web
  template:
    metadata:
      labels:
        <<: *labels
        tier: front
    spec:
      containers:
        - &base
          name: web
          image: registry.example.com/web@sha256:${'a'.repeat(64)}
        - <<: *base
          name: sidecar
`;

  test('the merged mapping holds the anchor\'s keys and its own, and no "<<" key', () => {
    const { manifests, errors } = parseManifests(deployment, 'd.yaml');
    expect(errors).toEqual([]);
    const spec = (manifests[0].manifest as any).spec.template;
    expect(spec.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(spec.spec.containers[1]).toEqual({ name: 'sidecar', image: `registry.example.com/web@sha256:${'a'.repeat(64)}` });
  });

  test('validate finds no unknown field "<<"', async () => {
    const r = await cliInProcess(['validate', '-', '--json'], deployment);
    expect(JSON.parse(r.out).findings).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('an input with no Kubernetes object is an input error, unless --allow-empty', () => {
  const cases: [string, () => string[], string][] = [
    ['an empty folder', () => [tempDir('reader-empty-')], ''],
    ['empty standard input', () => ['-'], ''],
    ['a stream of comments and empty documents', () => ['-'], '# rendered nothing\n---\n---\n'],
  ];
  for (const command of ['check', 'validate']) {
    test.each(cases)(`${command}: %s exits 2 naming the input`, async (_, paths, stdin) => {
      const args = paths();
      const r = await cliInProcess([command, ...args], stdin);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`no Kubernetes objects read from ${args[0] === '-' ? 'standard input' : args[0]}`);
      const allowed = await cliInProcess([command, ...args, '--allow-empty'], stdin);
      expect(allowed.code).toBe(0);
    });
  }

  test('the reasons the reader found travel with the refusal', async () => {
    const r = await cliInProcess(['check', '-'], 'kind: [\n');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no Kubernetes objects read from standard input\n {2}<stdin>: document 1 is not valid YAML/);
  });
});

describe('the files of kustomize folders as written', () => {
  test('are read again only when the input holds an Application or ApplicationSet, whose directory sources apply them', () => {
    const dir = tempDir('plain-files');
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
    fs.writeFileSync(path.join(dir, 'app', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n');
    expect(readManifests([dir]).plain).toEqual([]);
    fs.writeFileSync(
      path.join(dir, 'application.yaml'),
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: app, namespace: openshift-gitops}\nspec:\n  project: default\n  source: {repoURL: https://example.com/r.git, path: app, directory: {recurse: true}}\n  destination: {server: https://kubernetes.default.svc, namespace: ai}\n',
    );
    expect(readManifests([dir]).plain.map((m) => path.basename(m.file))).toContain('cm.yaml');
  });
});
