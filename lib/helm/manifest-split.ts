import { readYaml } from './go-yaml';
import { isGoMap, TemplateError } from './go-values';

/**
 * A template's output as Helm splits it into manifests (helm pkg/release/v1/util/manifest.go SplitManifests: at each
 * `---` line) and reads each (a document that does not parse fails the render: "YAML parse error on …"); empty
 * documents and comments alone give no object.
 */
export function splitManifests(text: string, source: string): { source: string; index: number; manifest: unknown }[] {
  const docs = text.split(/(?:^|\n)---[^\n]*(?=\n|$)/);
  const out: { source: string; index: number; manifest: unknown }[] = [];
  docs.forEach((doc) => {
    if (!doc.trim()) return;
    let manifest: unknown;
    try {
      manifest = readYaml(doc);
    } catch (e) {
      throw new TemplateError(`YAML parse error on ${source}: ${(e as Error).message}`);
    }
    if (manifest === null || manifest === undefined) return;
    if (!isGoMap(manifest)) throw new TemplateError(`YAML parse error on ${source}: the document is no mapping`);
    out.push({ source, index: out.length, manifest });
  });
  return out;
}
