import { readManifests } from '../../lib/manifests/read-manifests';
import { cpuMsSince, PROMPTLY_MS } from '../setup/promptly';
import { writeTree } from '../setup/scratch';

/** What the reader says a file that does not parse meant to declare (its `kind:` and the `name:` of its `metadata:` block). */
function declared(text: string): unknown {
  const dir = writeTree('unparsable-declares-', { 'broken.yaml': text });
  return readManifests([dir]).unread.map((u) => u.declares);
}

describe('a file that does not parse: the objects it meant to declare', () => {
  test.each([
    [
      'name after other fields of the block',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: web\n\n  name: "web-config"\ndata: {a: [\n',
      'web-config',
    ],
    ['a name: with no value, then one with a value', 'kind: ConfigMap\nmetadata:\n  annotations:\n    name:\n  name: later\ndata: {a: [\n', 'later'],
    ['the block ends before any name', 'kind: ConfigMap\nmetadata:\n  labels: {}\nspec:\n  name: not-metadata\ndata: {a: [\n', undefined],
    ['a second metadata block of the document names it', 'kind: ConfigMap\nmetadata:\nx: 1\nmetadata:\n  name: second\ndata: {a: [\n', 'second'],
    ['a CRLF metadata line starts no block', 'kind: ConfigMap\nmetadata:\r\n  name: crlf\ndata: {a: [\n', undefined],
  ])('%s', (_, text, name) => {
    expect(declared(text)).toEqual([name ? [{ kind: 'ConfigMap', name }] : []]);
  });

  test('a long metadata block with no name, cut by a truncation, is read at once', () => {
    // each indented line could be split two or more ways: one regex of the whole block tried them all (minutes here)
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${'    labels-of-a-long-block: value\n'.repeat(40)}data: {a: [\n`;
    const started = process.cpuUsage();
    expect(declared(text)).toEqual([[]]);
    expect(cpuMsSince(started)).toBeLessThan(PROMPTLY_MS);
  });
});
