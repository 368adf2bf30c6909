import { Loose, mapping, mappings, text } from '../manifests/access';
import { apiGroupOf } from '../k8s/api-version';
import { containersOf } from './pods';
import { templateContainers } from './pod-templates';

/** A URL (`https://…`, `git@host:…`, `ssh://…`, `oci://…`) as it begins. */
const URL_START = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[\w.-]+:)/i;
/** The quote characters a value may keep by mistake: straight ones and the typographic ones (U+2018 to U+201F). */
const QUOTE = /["'`\u2018-\u201f]/;

/** A URL-valued string where it is written, and whether the value is surely used as a URL (git, HTTP). */
export interface WrittenUrl {
  readonly where: string;
  readonly value: string;
  /** Read as a URL by what consumes it: Argo CD's repoURL, a Tekton param of a URL. */
  readonly asUrl: boolean;
}

/**
 * The stray quote a URL-valued string ends or begins with, when it does: it begins as a URL and its last character is
 * a quote (`https://example.com/repo.git"`, left by unbalanced YAML quoting: `value: https://….git"` is a plain scalar
 * that keeps the quote), or it begins with a quote that no quote of its own ends (`"https://example.com/repo.git`,
 * a quote a folded or literal block keeps). RFC 3986 §2 has no `"` in a URL, and a `'` closing a path or query is a
 * typo in practice. A value quoted whole (`"https://…"`, a JSON string) is balanced: not this.
 */
export function strayQuote(value: string): string | undefined {
  const v = value.trim();
  const first = v.charAt(0);
  if (QUOTE.test(first) && URL_START.test(v.slice(1))) return QUOTE.test(v.at(-1)!) ? undefined : first;
  if (!URL_START.test(v)) return undefined;
  const last = v.at(-1)!;
  // a quote that one inside the value opens (`…?q='a b'`) is balanced
  if (QUOTE.test(last) && v.split(last).length % 2 === 0) return last;
  return undefined;
}

/** The string values of a list of Tekton params (`{name, value}` or `{name, default}`), with where each is. */
function tektonParams(list: unknown, field: 'value' | 'default', where: string): WrittenUrl[] {
  return mappings(list).flatMap((p) => {
    const value = text(p[field]);
    return value === undefined ? [] : [{ where: `${where} param '${text(p.name) ?? '?'}'`, value, asUrl: true }];
  });
}

/** Tekton's params: a PipelineRun's or TaskRun's values, a Pipeline's or Task's defaults and the values its tasks pass. */
function tektonUrls(m: Loose): WrittenUrl[] {
  const spec = mapping(m.spec);
  return [
    ...tektonParams(spec.params, m.kind === 'PipelineRun' || m.kind === 'TaskRun' ? 'value' : 'default', 'spec.params'),
    ...mappings(spec.tasks).flatMap((t, i) => tektonParams(t.params, 'value', `spec.tasks[${i}] (${text(t.name) ?? '?'})`)),
  ];
}

/** Argo CD's repoURL of an Application's source or sources: what its repo server clones or fetches. */
function argoUrls(m: Loose): WrittenUrl[] {
  const spec = mapping(m.spec);
  const sources = [mapping(spec.source), ...mappings(spec.sources)];
  return sources.flatMap((s, i) => {
    const value = text(s.repoURL);
    return value === undefined ? [] : [{ where: i === 0 ? 'spec.source.repoURL' : `spec.sources[${i - 1}].repoURL`, value, asUrl: true }];
  });
}

/** Containers' env values: a program reads them, as a URL or not. */
function envUrls(m: Loose): WrittenUrl[] {
  const containers = [...containersOf(m).map((c) => ({ where: `container '${c.name}'`, container: c.container })), ...templateContainers(m)];
  return containers.flatMap(({ where, container }) =>
    mappings(container.env).flatMap((e) => {
      const value = text(e.value);
      return value === undefined ? [] : [{ where: `${where} env ${text(e.name) ?? '?'}`, value, asUrl: false }];
    }),
  );
}

/** A Flux GitRepository's, OCIRepository's, HelmRepository's or Bucket's url or endpoint: what source-controller fetches. */
function fluxSourceUrls(m: Loose): WrittenUrl[] {
  const spec = mapping(m.spec);
  return (['url', 'endpoint'] as const).flatMap((k) => {
    const value = text(spec[k]);
    return value === undefined ? [] : [{ where: `spec.${k}`, value, asUrl: true }];
  });
}

/** The URL-valued strings of an object that keep a stray quote, each with the quote. */
export function strayQuotedUrls(m: Loose): (WrittenUrl & { quote: string })[] {
  const group = apiGroupOf(text(m.apiVersion) ?? '');
  const written =
    group === 'tekton.dev'
      ? tektonUrls(m)
      : group === 'argoproj.io' && m.kind === 'Application'
        ? argoUrls(m)
        : group === 'source.toolkit.fluxcd.io'
          ? fluxSourceUrls(m)
          : envUrls(m);
  return written.flatMap((w) => {
    const quote = strayQuote(w.value);
    return quote ? [{ ...w, quote }] : [];
  });
}
