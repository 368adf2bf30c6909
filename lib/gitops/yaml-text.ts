import { Yaml } from 'cdk8s';

/**
 * The YAML of each document already written in this process, by its JSON: `npm run synth` renders one app for two
 * platforms and `npm run watch` renders an app again after each change, mostly the same objects each time, and cdk8s's
 * YAML writer is the largest part of a render after the checks. Bounded: a long watch session starts over when full.
 */
const written = new Map<string, string>();
const MAX_DOCUMENTS = 10_000;

/**
 * A multi-document YAML text exactly as cdk8s's `Yaml.stringify(...docs)` writes it (each document on its own,
 * joined by `---` lines), reusing the text of a document with the same JSON written before.
 */
export function yamlDocuments(docs: readonly unknown[]): string {
  return docs.map(yamlOf).join('---\n');
}

function yamlOf(doc: unknown): string {
  const key = jsonKey(doc);
  if (key === undefined) return Yaml.stringify(doc);
  let text = written.get(key);
  if (text === undefined) {
    text = Yaml.stringify(doc);
    if (written.size >= MAX_DOCUMENTS) written.clear();
    written.set(key, text);
  }
  return text;
}

/**
 * The JSON of a document when it determines the YAML: plain objects, arrays, strings, booleans, null and finite
 * numbers other than -0. Anything JSON would drop or write alike where YAML may differ (undefined, NaN, -0, a Date,
 * a class instance) gives undefined, and the document is written afresh.
 */
function jsonKey(doc: unknown): string | undefined {
  let plain = true;
  const json = JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    switch (typeof original) {
      case 'string':
      case 'boolean':
        break;
      case 'number':
        if (!Number.isFinite(original) || Object.is(original, -0)) plain = false;
        break;
      case 'object':
        if (original !== null && !Array.isArray(original)) {
          const proto = Object.getPrototypeOf(original) as unknown;
          if (proto !== Object.prototype) plain = false;
        }
        break;
      default:
        plain = false;
    }
    return value;
  });
  return plain && typeof json === 'string' ? json : undefined;
}
