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
});
