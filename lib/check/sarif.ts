import * as path from 'path';
import { pathToFileURL } from 'url';
import { Finding, RuleMetadata, Severity } from './rule';
import { kustomizePatchInvalid } from './rules/kustomize-patch-invalid';

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

/** Ids of the findings about the input itself rather than an object. */
export const INPUT_RULES: readonly RuleMetadata[] = [
  {
    id: 'unreadable-input',
    title: 'a file or document that cannot be read as Kubernetes YAML (parse error, binary, too large, FIFO, device, symlink loop)',
    severity: 'error',
    appliesTo: ['(files)'],
    premise: 'always',
    example: 'a document with a tab in its indentation',
    fix: 'fix or remove the file; the rest of the tree is still checked',
    source: 'kubectl and Argo CD refuse to apply a file that does not parse',
  },
  {
    id: 'duplicate-key',
    title: 'a YAML mapping repeats a key (the object is still checked, with the last value)',
    severity: 'error',
    appliesTo: ['(files)'],
    premise: 'always',
    example: 'a ConfigMap whose data lists httpNumThreads twice',
    fix: 'keep one of the values',
    source: 'kubectl strict field validation: "duplicate field"; YAML 1.2 requires unique keys; readers differ in which value they keep',
  },
  kustomizePatchInvalid,
  {
    id: 'input-not-followed',
    title: 'part of the input is not applied by check (remote bases, patches, generators, a document that is not an object)',
    severity: 'warning',
    appliesTo: ['(files)'],
    premise: 'a kustomization uses a field check does not apply, or a document is not a Kubernetes object',
    example: 'a patch whose target selects by labelSelector, or configMapGenerator: in a kustomization.yaml',
    fix: 'check the built output: cdk8s-vllm check --kustomize kubectl <dir>, or kubectl kustomize <dir> | cdk8s-vllm check -',
    source: 'the objects kustomize builds may differ from the files',
  },
];

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
  const all = [...rules, ...INPUT_RULES];
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
