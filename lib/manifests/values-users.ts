import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from './access';
import type { GitCheckout } from './git-checkout';
import { outsideApplications } from './outside-applications';

/** One Argo CD source that takes a values file from a folder: who, and the chart it renders. */
export interface ValuesUser {
  /** `Application argocd/notes` or `ApplicationSet argocd/per-env`, with the file it is written in. */
  readonly delivery: string;
  /** The chart: `chart cache from https://…` or `the chart at apps/notes`. */
  readonly chart: string;
  /** The values file as the source names it. */
  readonly valueFile: string;
}

/** A path of the repository whose `{{ … }}` parameters (an ApplicationSet's) stand for one folder name each. */
function pathPattern(repoPath: string): RegExp {
  const parts = repoPath.split(/\{\{[^}]*\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

/**
 * The path from the repository's root of a values file a source names: `$ref/…` is a path of the repository the ref
 * source checks out (taken as this one: a multi-source Application keeps its values beside its charts), any other is
 * relative to the source's own path (Argo CD resolves valueFiles in the source's folder).
 */
function valuesPath(file: string, source: Loose): string | undefined {
  const ref = /^\$[\w-]+\/(.*)$/.exec(file);
  if (ref) return path.posix.normalize(ref[1]);
  const own = text(source.path);
  return own === undefined ? undefined : path.posix.normalize(path.posix.join(own, file));
}

/** What one Application spec's sources render: each Helm source's chart and its values files. */
function helmSources(spec: Loose): { chart: string; files: string[]; source: Loose }[] {
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const files = strings(mapping(s.helm).valueFiles);
    if (!files.length) return [];
    const chart = text(s.chart) ? `chart ${text(s.chart)} from ${text(s.repoURL) ?? 'its repository'}` : `the chart at ${text(s.path) ?? '.'}`;
    return [{ chart, files, source: s }];
  });
}

/**
 * The Argo CD Applications and ApplicationSets of a checked folder's git work tree, outside the folder, that take a
 * Helm values file from that folder: what the folder is for, when it holds no manifest of its own.
 */
export function valuesUsers(checkout: GitCheckout): ValuesUser[] {
  if (checkout.within === '.') return [];
  return outsideApplications(checkout).flatMap(({ manifest, file }) => {
    const set = manifest.kind === 'ApplicationSet';
    const spec = set ? mapping(mapping(mapping(manifest.spec).template).spec) : mapping(manifest.spec);
    const meta = mapping(manifest.metadata);
    const delivery = `${String(manifest.kind)} ${text(meta.namespace) ?? ''}${text(meta.namespace) ? '/' : ''}${text(meta.name) ?? '<unnamed>'} (${file})`;
    return helmSources(spec).flatMap(({ chart, files, source }) =>
      files.flatMap((f) => {
        const repoPath = valuesPath(f, source);
        const folder = repoPath === undefined ? undefined : path.posix.dirname(repoPath);
        return folder !== undefined && pathPattern(folder).test(checkout.within) ? [{ delivery, chart, valueFile: f }] : [];
      }),
    );
  });
}
