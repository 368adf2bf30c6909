import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { bracedTemplate, guideSlotComponent, holdsRendererSyntax, holdsTemplate, placeholderWord, unfilledPlaceholder } from '../template-syntax';
import { isSshUrl } from './git-url';

/** One source of an Application with the field it is written at. */
export interface SourceField {
  readonly field: string;
  readonly source: Loose;
}

/** The sources of an Application spec: `sources[]` when given (source is then ignored), else `source`, and a hydrator's dry source. */
export function sourceFields(spec: Loose): SourceField[] {
  if (mappings(spec.sources).length) return mappings(spec.sources).map((source, i) => ({ field: `spec.sources[${i}]`, source }));
  const dry = mapping(mapping(spec.sourceHydrator).drySource);
  if (Object.keys(dry).length) return [{ field: 'spec.sourceHydrator.drySource', source: dry }];
  return isMapping(spec.source) ? [{ field: 'spec.source', source: spec.source }] : [];
}

/** A URL with a scheme Argo CD's Git, Helm or OCI clients fetch from: https, http, ssh, git, oci (and file, for a mounted repository). */
const SCHEME_URL = /^(https?|ssh|git|oci|file):\/\/[^\s/]/i;

/**
 * A Helm OCI registry reference written without a scheme, `registry.example.com/charts` (argo-cd util/helm
 * IsHelmOciRepo: a URL Go parses with no host): a host with a dot, a port or `localhost`, then a path.
 */
const OCI_REFERENCE = /^([a-z0-9-]+(\.[a-z0-9-]+)+|localhost|[a-z0-9.-]+:\d+)(:\d+)?(\/[^\s]*)?$/i;

/** The path segments of a URL or scp-like remote after its host ([`YOUR_USERNAME`, `repo.git`] of `https://github.com/YOUR_USERNAME/repo.git`). */
function urlSegments(url: string): string[] {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  return rest.split(/[/:]/).slice(1).filter(Boolean);
}

/**
 * A URL a guide left for its reader to fill: a capital placeholder word anywhere in it (`YOUR_GITHUB_USERNAME`,
 * `CHANGEME`: template-syntax.ts PLACEHOLDER_WORDS, the one list), an owner or repository that is a guide's slot
 * (`your-org`, `yourusername`). No Git server serves it, so the repo-server's clone fails ("repository not found") and
 * the Application never syncs. A host reserved for examples (git.example.com) is not judged: samples write one for a
 * server the reader runs.
 */
function placeholderInUrl(url: string): string | undefined {
  const word = placeholderWord(url) ?? urlSegments(url).find((s) => guideSlotComponent(`${s}/x`) !== undefined);
  return word ? `'${url}' holds '${word}', a placeholder left for the reader to fill, so Argo CD finds no such repository` : undefined;
}

/**
 * Why Argo CD cannot fetch a source's repoURL, or undefined when it can (or when a renderer may still fill it: `${X}`,
 * `{{ X }}`, which unrendered-placeholder judges). Argo CD refuses an empty one (util/argo/argo.go validateRepo:
 * "spec.source.repoURL and either spec.source.path or spec.source.chart are required"); any other must be a URL its
 * Git client can clone (util/git: a scheme URL or scp-like `git@host:org/repo`, IsSSHURL), or, for a chart, a Helm
 * repository URL or an OCI registry reference.
 */
export function repoUrlError(source: Loose): string | undefined {
  const raw = source.repoURL;
  const token = unfilledPlaceholder(raw);
  if (token !== undefined)
    return `holds '${token}', a placeholder that nothing fills (envsubst takes \${X}, Helm and scripts' sed {{ X }}), so Argo CD has no repository to fetch`;
  if (bracedTemplate(raw) !== undefined) return undefined;
  const url = text(raw)?.trim() ?? '';
  if (url === '')
    return raw === undefined || raw === null || raw === ''
      ? 'is empty: Argo CD marks the Application InvalidSpecError ("spec.source.repoURL and either spec.source.path or spec.source.chart are required")'
      : 'is not a string';
  // a capital placeholder word in a URL (CHANGEME) is no renderer's syntax: judged here, with the URL's other words
  if (holdsTemplate(url) && (holdsRendererSyntax(url) || !(SCHEME_URL.test(url) || isSshUrl(url)))) return undefined;
  if (/\s/.test(url)) return `'${url}' holds a space: no URL does, so Argo CD cannot fetch it`;
  if (SCHEME_URL.test(url) || isSshUrl(url)) return placeholderInUrl(url);
  if (text(source.chart) && OCI_REFERENCE.test(url)) return undefined;
  return `'${url}' is not a URL Argo CD can fetch from (https://…, ssh://… or git@host:org/repo for Git; a chart repository URL or an OCI registry for Helm)`;
}
