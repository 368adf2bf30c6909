import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readCrdDir } from '../../lib/validation/crd-files';
import { ROOT, tempDir } from '../setup/scratch';

/**
 * `validate --crds` reads CRD files with a fast YAML reader and falls back to the one the rest of the tool uses; the
 * schemas it takes must be those the tool's own YAML reader gives for the same files, value for value.
 */

/** What yaml's document API reads as each CRD's served schemas, keyed group/kind/version (several files may define one). */
function schemasByYaml(files: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of files)
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions.filter((x: { served: boolean }) => x.served))
        (out[`${crd.spec.group}/${crd.spec.names.kind}/${v.name}`] ??= []).push(v.schema?.openAPIV3Schema ?? {});
    }
  return sortedValues(out);
}

function schemasRead(dir: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const crd of readCrdDir(dir)) for (const v of crd.versions) (out[`${crd.group}/${crd.kind}/${v.name}`] ??= []).push(v.schema);
  return sortedValues(out);
}

/** The definitions of one kind and version in an order neither reader's file order decides. */
function sortedValues(byKey: Record<string, unknown[]>): Record<string, unknown[]> {
  const text = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return Object.fromEntries(Object.entries(byKey).map(([k, xs]) => [k, [...xs].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0))]));
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f));
}

/** A CRD whose schema holds the scalars YAML readers disagree on most, in the forms a hand-written CRD may use. */
const TRICKY = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.org
spec:
  group: example.org
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: &spec
              type: object
              properties:
                mode: {type: string, default: yes, enum: [yes, no, On, off]}
                since: {type: string, default: 2024-01-01}
                at: {type: string, default: 2001-12-14t21:59:43.10-05:00}
                octal: {type: string, default: 0o17}
                legacyOctal: {type: integer, default: 017}
                hex: {type: integer, default: 0x1F}
                big: {type: number, default: 1e3, maximum: .inf}
                under: {type: string, default: 1_000}
                nothing: {type: string, nullable: true, default: ~}
                note:
                  type: string
                  default: |
                    kept
                     as written
                folded:
                  type: string
                  default: >-
                    one

                    two
                forced: {type: string, default: !!str 12}
            status:
              <<: *spec
              description: a merge key is a plain key in YAML 1.2
    - name: v0
      served: false
      storage: false
      schema: {openAPIV3Schema: {type: object}}
`;

describe('CRD files read for validate --crds', () => {
  test('a CRD of awkward scalars, anchors and a merge key: the schema the YAML reader of the tool gives, value for value', () => {
    const dir = tempDir('crd-files-');
    fs.writeFileSync(path.join(dir, 'widget.yaml'), TRICKY);
    const read = schemasRead(dir);
    expect(Object.keys(read)).toEqual(['example.org/Widget/v1']);
    expect(read).toEqual(schemasByYaml([path.join(dir, 'widget.yaml')]));
    // YAML 1.2's core schema: yes, dates and underscores stay text; 0o17 is octal, 017 decimal
    const schema = read['example.org/Widget/v1'][0] as any;
    const spec = schema.properties.spec.properties;
    expect([spec.mode.default, spec.since.default, spec.at.default, spec.under.default, spec.forced.default]).toEqual([
      'yes',
      '2024-01-01',
      '2001-12-14t21:59:43.10-05:00',
      '1_000',
      '12',
    ]);
    expect([spec.octal.default, spec.legacyOctal.default, spec.hex.default, spec.big.maximum, spec.nothing.default]).toEqual([15, 17, 31, Infinity, null]);
    expect([spec.note.default, spec.folded.default]).toEqual(['kept\n as written\n', 'one\ntwo']);
    expect(schema.properties.status['<<']).toEqual(schema.properties.spec);
  });

  test('a file the fast reader refuses (a duplicate key, a complex key) is read as the YAML reader of the tool reads it', () => {
    const dir = tempDir('crd-files-');
    const duplicate = TRICKY.replace(
      '          type: object\n          properties:\n            spec',
      '          type: object\n          type: object\n          properties:\n            spec',
    );
    const complexKey = `${TRICKY}---\n? [a, b]\n: 1\n`;
    fs.writeFileSync(
      path.join(dir, 'duplicate.yaml'),
      duplicate.replace(/widgets?\b|Widget/g, (w) => w.replace(/idget/, 'adget')),
    );
    fs.writeFileSync(path.join(dir, 'complex.yaml'), complexKey);
    expect(schemasRead(dir)).toEqual(schemasByYaml(yamlFiles(dir)));
    expect(Object.keys(schemasRead(dir)).sort()).toEqual(['example.org/Wadget/v1', 'example.org/Widget/v1']);
  });

  const shared = path.join(ROOT, '..', 'shared', 'crds');
  (fs.existsSync(shared) || process.env.CI ? test : test.skip)(
    'the upstream CRDs beside the project (Kueue, Argo CD, KEDA, prometheus-operator, KServe runtimes, …): every served schema as the YAML reader gives it',
    () => {
      // the files under 400 kB: the megabyte files are the same generator's output at more length, and reading them
      // twice would cost this test more than the fast reader saves the others
      const dir = tempDir('crd-files-');
      const files = yamlFiles(shared).filter((f) => fs.statSync(f).size < 400_000);
      for (const f of files) fs.copyFileSync(f, path.join(dir, path.relative(shared, f).replace(/[\\/]/g, '__')));
      expect(files.length).toBeGreaterThan(20);
      const byYaml = schemasByYaml(yamlFiles(dir));
      expect(Object.keys(byYaml).length).toBeGreaterThan(20);
      expect(schemasRead(dir)).toEqual(byYaml);
    },
  );
});
