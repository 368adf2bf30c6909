import * as path from 'path';
import { pathToFileURL } from 'url';
import { Finding, RuleMetadata, Severity } from './rule';

/** The base that relative artifact URIs resolve against: the folder check ran in, as code scanning expects (its checkout). */
export const SRCROOT = '%SRCROOT%';

/**
 * A file's SARIF artifact location (SARIF 2.1.0 §3.4: `uri` a valid URI reference, RFC 3986): relative to `root`
 * with each path segment percent-encoded (spaces, `#`, `%`, `?`, non-ASCII) and `uriBaseId` naming the root; a file
 * outside the root gets an absolute file: URI instead, since a relative reference with `..` leaves the checkout.
 */
export function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeSegment).join('/'), uriBaseId: SRCROOT };
}

/** encodeURIComponent, and the sub-delimiters it leaves that some URI parsers still refuse in a path. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules' metadata, one result per finding with its
 * location (relative to `root`); `properties` (the platform judged for, and why) go into the run's property bag.
 */
export function toSarif(
  findings: readonly Finding[],
  rules: readonly RuleMetadata[],
  version: string,
  properties?: Record<string, unknown>,
  root: string = process.cwd(),
): object {
  const all = rules;
  const index = new Map(all.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdk8s-vllm',
            version,
            rules: all.map((r) => ({
              id: r.id,
              name: r.id
                .split('-')
                .map((w) => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: `${r.title}. Judged when ${r.premise}.` },
              help: { text: `Fails: ${r.example}. Fix: ${r.fix}. Why: ${r.source}.` },
              defaultConfiguration: { level: sarifLevel(r.severity) },
              properties: { tags: ['kubernetes', 'vllm'], appliesTo: r.appliesTo },
            })),
          },
        },
        ...(properties ? { properties } : {}),
        // the folder relative URIs resolve against, so that the log stands alone (SARIF 2.1.0 §3.14.14)
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(path.resolve(root)).href.replace(/\/?$/, '/') } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: sarifLevel(f.severity),
          message: { text: `${f.object}: ${f.message}` },
          ...(f.file && f.file !== '<stdin>'
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: artifactLocation(f.file, root),
                      region: { startLine: f.line ?? 1 },
                    },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}

/** SARIF's levels: error, warning, note. */
function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'info' ? 'note' : s;
}
