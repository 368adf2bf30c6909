import { parseDocuments } from '../lib/manifests/yaml-documents';

/** A file whose documents fail to parse is one finding: the first failure, naming the others. */
describe('documents that are not valid YAML', () => {
  const notes = 'kind: Job\noc project demo\noc label ns demo a=b\nmetadata: {}\n';
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: ok}\n';
  const broken = 'metadata:\n  name: x\n  oc get pods\n    -o wide: 1\n';

  test('several in one file: the first, with the numbers of the others', () => {
    const { objects, problems } = parseDocuments([notes, job, broken, broken].join('---\n'));
    expect(objects.map((o) => o.index)).toEqual([1]);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^document 1 is not valid YAML: .*; 2 more documents \(3, 4\) are not valid YAML either$/);
    expect(errors[0].line).toBe(2);
  });

  test('one alone is said as it is', () => {
    const errors = parseDocuments([job, broken].join('---\n')).problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.message)).toEqual([expect.stringMatching(/^document 2 is not valid YAML: [^;]*$/)]);
  });
});
