import type * as YAMLTypes from 'yaml';
import { imageReferenceProblem } from '../k8s/image-reference-grammar';
import { isMapping } from './access';
import type { ManifestReadError } from './loaded';

/** The zarf package configuration kinds (zarf src/api/v1alpha1 ZarfPackage Kind: ZarfPackageConfig, ZarfInitConfig). */
const ZARF_KINDS = ['ZarfPackageConfig', 'ZarfInitConfig'];

/**
 * A package template zarf fills in at `zarf package create` (`###ZARF_PKG_TMPL_IMAGE###`, --set or zarf-config), or
 * template syntax another tool renders first: no reference yet.
 */
const TEMPLATED = /###ZARF_|\{\{|\$\{|<[^<>]+>/;

/** A scalar node of the document with its text and offset, or undefined. */
function scalarAt(doc: YAMLTypes.Document.Parsed, path: readonly (string | number)[]): { value: unknown; offset?: number } | undefined {
  const node = doc.getIn(path, true) as { value?: unknown; range?: [number, number, number] } | undefined;
  return node && typeof node === 'object' && 'value' in node ? { value: node.value, offset: node.range?.[0] } : undefined;
}

/**
 * The entries of a zarf package's components[].images[] that are no image reference: zarf pulls each at `zarf package
 * create` after parsing it with github.com/distribution/reference ParseNormalizedNamed (zarf src/pkg/transform/image.go
 * ParseImageRef), the grammar the kubelet uses, so one that does not parse fails the package build. Each is said on its
 * line under image-reference-invalid; the file itself stays skipped, never applied to a cluster.
 */
export function zarfImageProblems(doc: YAMLTypes.Document.Parsed, index: number, lineOf: (offset: number) => number): Omit<ManifestReadError, 'file'>[] {
  // a document that does not parse is said as such, and read no further; get() reads only a mapping's keys
  if (doc.errors.length || doc.get('apiVersion') !== undefined || !ZARF_KINDS.includes(String(doc.get('kind')))) return [];
  const manifest = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  const components = Array.isArray(manifest.components) ? manifest.components : [];
  return components.flatMap((component: unknown, i) => {
    const images = isMapping(component) && Array.isArray(component.images) ? component.images : [];
    const name = isMapping(component) && typeof component.name === 'string' ? `component '${component.name}'` : `components[${i}]`;
    return images.flatMap((_: unknown, j): Omit<ManifestReadError, 'file'>[] => {
      const node = scalarAt(doc, ['components', i, 'images', j]);
      if (typeof node?.value !== 'string' || TEMPLATED.test(node.value)) return [];
      const problem = imageReferenceProblem(node.value);
      if (problem === undefined) return [];
      return [
        {
          message: `document ${index + 1} (a ${String(manifest.kind)}) ${name} images[${j}] '${node.value}' is not a valid image reference: ${problem}; zarf package create cannot parse it to pull it, and the package build fails: retype it`,
          severity: 'error',
          kind: 'image-reference-invalid',
          ...(node.offset !== undefined ? { line: lineOf(node.offset) } : {}),
        },
      ];
    });
  });
}
