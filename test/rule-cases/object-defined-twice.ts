import { cliInProcess, writeTree } from '../util';

/** object-defined-twice: one namespaced object declared differently in two loose files of a plain tree. */
const service = (port: number, namespace = 'jobs') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: queue\n  namespace: ${namespace}\nspec:\n  selector: {app: queue}\n  ports:\n    - port: ${port}\n`;
const pipelines = (database: string) =>
  `apiVersion: datasciencepipelinesapplications.opendatahub.io/v1\nkind: DataSciencePipelinesApplication\nmetadata:\n  name: dspa\n  namespace: ml\nspec:\n  database:\n    ${database}\n`;

async function found(files: Record<string, string>): Promise<[string, string, string][]> {
  const dir = writeTree('defined-twice-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  const findings = (JSON.parse(out) as { findings: { rule: string; severity: string; object: string; message: string }[] }).findings;
  // the copies are never also duplicate-object's: one cause, one finding
  expect(findings.filter((f) => f.rule === 'duplicate-object')).toEqual([]);
  return findings.filter((f) => f.rule === 'object-defined-twice').map((f) => [f.severity, f.object, f.message]);
}

describe('object-defined-twice', () => {
  test('two files of one folder: a warning on the copy read last (file-name order), naming the other file', async () => {
    const [only, ...rest] = await found({ 'app/queue-cpu.yaml': service(5672), 'app/queue.yaml': service(15672) });
    expect(rest).toEqual([]);
    expect(only.slice(0, 2)).toEqual(['warning', 'Service/jobs/queue']);
    expect(only[2]).toContain('is declared again, with other content, in queue-cpu.yaml of the same folder');
    expect(only[2]).toContain('`kubectl apply -f app/` applies every file in name order, so this copy, queue.yaml, read last, replaces the other');
    expect(only[2]).toContain('appeared 2 times among application resources');
  });

  test('a copy in a subfolder of any kind (a custom resource too): applied with -R, the one read last named', async () => {
    const [only] = await found({
      'pipelines/server.yaml': pipelines('mariaDB: {deploy: true}'),
      'pipelines/alternatives/server.yaml': pipelines('externalDB: {host: mysql.db, port: "3306"}'),
    });
    expect(only.slice(0, 2)).toEqual(['warning', 'DataSciencePipelinesApplication/ml/dspa']);
    expect(only[2]).toContain('in alternatives/server.yaml of the same tree: `kubectl apply -f pipelines/ -R`');
    expect(only[2]).toContain('so this copy, server.yaml, read last');
  });

  test("a copy in a file go-yaml reads but strict YAML 1.2 refuses (a quoted string continued at its key's indent): kubectl applies it, so it is judged", async () => {
    const lax = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  namespace: jobs\ndata:\n  args: "--workers 2\n  --port 5672"\n---\n${service(15672)}`;
    const [only, ...rest] = await found({ 'app/queue-a.yaml': service(5672), 'app/queue-b.yaml': lax });
    expect(rest).toEqual([]);
    expect(only.slice(0, 2)).toEqual(['warning', 'Service/jobs/queue']);
    expect(only[2]).toContain('is declared again, with other content, in queue-a.yaml of the same folder');
  });

  test('near misses: the same copies, sibling folders, other namespaces, a notes file of heredocs, an example, two kustomize roots', async () => {
    expect(await found({ 'app/queue-a.yaml': service(5672), 'app/queue.yaml': service(5672) })).toEqual([]);
    expect(await found({ 'dev/queue.yaml': service(5672), 'prod/queue.yaml': service(15672) })).toEqual([]);
    expect(await found({ 'app/queue-a.yaml': service(5672), 'app/queue.yaml': service(15672, 'staging') })).toEqual([]);
    const notes = `# notes\noc project jobs\ncat <<EOF | oc apply -f -\n${service(15672)}EOF\n`;
    expect(await found({ 'app/queue.yaml': service(5672), 'app/notes.yaml': notes, 'app/steps.md': `\`\`\`sh\n${notes}\`\`\`\n` })).toEqual([]);
    expect(await found({ 'app/queue.yaml': service(5672), 'app/queue.example.yaml': service(15672) })).toEqual([]);
    const kustomization = 'resources:\n  - queue.yaml\n';
    expect(
      await found({
        'a/kustomization.yaml': kustomization,
        'a/queue.yaml': service(5672),
        'b/kustomization.yaml': kustomization,
        'b/queue.yaml': service(15672),
      }),
    ).toEqual([]);
  });

  test('files a README applies one command each, or one a script applies beside a loose copy: the same warning, naming the commands', async () => {
    const readme = '# steps\n\n```sh\nkubectl apply -f app/queue-a.yaml\n```\n\n```sh\nkubectl apply -f app/queue-b.yaml\n```\n';
    // each file holds a part of its own beside the shared Service: both are applied, for what only each holds
    const part = (name: string) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: jobs\ndata:\n  mode: ${name}\n`;
    const [only, ...rest] = await found({ 'README.md': readme, 'app/queue-a.yaml': service(5672) + part('a'), 'app/queue-b.yaml': service(15672) + part('b') });
    expect(rest).toEqual([]);
    expect(only.slice(0, 2)).toEqual(['warning', 'Service/jobs/queue']);
    expect(only[2]).toContain('so this copy, queue-b.yaml, read last');
    expect(only[2]).toContain(
      "the tree's commands apply the files one by one (README.md:4 applies queue-a.yaml, README.md:8 applies queue-b.yaml), and whichever copy is applied last replaces the other",
    );
    const script = '#!/bin/sh\nkubectl apply -f app/queue.yaml\n';
    const [applied] = await found({ 'deploy.sh': script, 'app/queue.yaml': service(5672), 'app/queue-custom.yaml': service(15672) });
    expect(applied.slice(0, 2)).toEqual(['warning', 'Service/jobs/queue']);
    expect(applied[2]).toContain('(deploy.sh:2 applies queue.yaml)');
  });

  test('a cluster-scoped kind cluster-object-conflict does not judge: the same warning; one it judges: its finding only', async () => {
    const ingressClass = (controller: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: edge\nspec:\n  controller: ${controller}\n`;
    const [only] = await found({ 'app/edge.yaml': ingressClass('example.com/a'), 'app/edge-b.yaml': ingressClass('example.com/b') });
    expect(only.slice(0, 2)).toEqual(['warning', 'IngressClass/edge']);
    const priority = (value: number) => `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: serving\nvalue: ${value}\n`;
    expect(await found({ 'app/priority.yaml': priority(1000), 'app/priority-b.yaml': priority(2000) })).toEqual([]);
  });

  test("near miss: copies one script run applies together are duplicate-object's alone", async () => {
    const dir = writeTree('defined-twice-', {
      'deploy.sh': '#!/bin/sh\nkubectl apply -f app/queue-a.yaml\nkubectl apply -f app/queue-b.yaml\n',
      'app/queue-a.yaml': service(5672),
      'app/queue-b.yaml': service(15672),
    });
    const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const rules = (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).toContain('duplicate-object');
    expect(rules).not.toContain('object-defined-twice');
  });

  test('near miss: files the README offers one for another, each declaring the same objects only', async () => {
    const readme = '# steps\n\n```sh\nkubectl apply -f app/queue.yaml\n```\n\nor, on a cluster with TLS:\n\n```sh\nkubectl apply -f app/queue.tls.yaml\n```\n';
    expect(await found({ 'README.md': readme, 'app/queue.yaml': service(5672), 'app/queue.tls.yaml': service(5671) })).toEqual([]);
  });
  test('near miss: copies the scripts apply each to a cluster of its own (use-context, --context), in one script or two', async () => {
    const part = (name: string) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: jobs\ndata:\n  mode: ${name}\n`;
    const copies = { 'app/queue-hub.yaml': service(5672) + part('hub'), 'app/queue-worker.yaml': service(15672) + part('worker') };
    const two = {
      'hub.sh': '#!/bin/sh\nkubectl config use-context hub\nkubectl apply -f app/queue-hub.yaml\n',
      'worker.sh': '#!/bin/sh\nkubectl config use-context worker\nkubectl apply -f app/queue-worker.yaml\n',
    };
    expect(await found({ ...copies, ...two })).toEqual([]);
    const one = { 'setup.sh': '#!/bin/sh\nkubectl --context hub apply -f app/queue-hub.yaml\nkubectl --context worker apply -f app/queue-worker.yaml\n' };
    expect(await found({ ...copies, ...one })).toEqual([]);
    // the same scripts with no context named: the warning stays
    const plain = { 'hub.sh': '#!/bin/sh\nkubectl apply -f app/queue-hub.yaml\n', 'worker.sh': '#!/bin/sh\nkubectl apply -f app/queue-worker.yaml\n' };
    expect((await found({ ...copies, ...plain })).map((f) => f.slice(0, 2))).toEqual([['warning', 'Service/jobs/queue']]);
  });
});
