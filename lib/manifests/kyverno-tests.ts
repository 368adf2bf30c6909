import * as path from 'path';
import { LoadedManifest } from './loaded';
import { isMapping, mapping, strings, text } from './access';

/**
 * The fields of a Kyverno CLI Test (cli.kyverno.io, kind Test) that name its input and expected-output files, relative
 * to the Test's own file (kyverno cmd/cli/kubectl-kyverno/apis/v1alpha1 test.go: resources, targets, variables,
 * userinfo; a result's patchedResource, generatedResource, cloneSourceResource). `kyverno test` reads them as fixtures;
 * nothing applies them. The policies it names are left out: they are the tree's policies, deployed as such.
 */
const INPUT_FIELDS = ['resources', 'targets', 'variables', 'userinfo'];
const RESULT_FIELDS = ['patchedResource', 'generatedResource', 'cloneSourceResource'];

const isKyvernoTest = (m: unknown): boolean =>
  isMapping(m) && m.kind === 'Test' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('cli.kyverno.io/');

/** The files a Test names, besides its policies: single paths or lists of them. */
function namedFiles(test: Record<string, unknown>): string[] {
  const one = (v: unknown) => (typeof v === 'string' ? [v] : strings(v));
  const results = Array.isArray(test.results) ? test.results.map(mapping) : [];
  return [...INPUT_FIELDS.flatMap((f) => one(test[f])), ...results.flatMap((r) => RESULT_FIELDS.flatMap((f) => one(r[f])))].filter(
    (f) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(f),
  );
}

/**
 * The files of walked manifests that are Kyverno CLI test fixtures (the Test itself and the files it names), each with
 * why, keyed by absolute path: `kyverno test` reads them, no cluster receives them.
 */
export function kyvernoTestFixtures(walked: readonly LoadedManifest[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of walked) {
    if (!isKyvernoTest(m.manifest)) continue;
    const file = path.resolve(m.file);
    const name = text(mapping(mapping(m.manifest).metadata).name) ?? path.basename(file);
    out.set(file, `read as a Kyverno CLI test (Test ${name}, cli.kyverno.io), which kyverno test runs, not as objects to apply`);
    for (const f of namedFiles(mapping(m.manifest))) {
      const target = path.resolve(path.dirname(file), f);
      if (!out.has(target))
        out.set(target, `read as a fixture of the Kyverno CLI test ${name} (${path.basename(file)}), which kyverno test reads, not as objects to apply`);
    }
  }
  return out;
}
