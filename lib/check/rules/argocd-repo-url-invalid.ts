import * as path from 'path';
import { Loose, mapping, text } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { repoUrlError, sourceFields } from '../argocd/repo-url';
import { placedSources } from '../argocd-paths';
import { ObjectGraph } from '../graph';
import { patchedByOverlays } from '../overlay-patches';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';
import { unfilledPlaceholder } from '../template-syntax';

/** The last two folders of a '/'-separated path, or of a file's folder: how a misplaced source path still names it. */
const lastFolders = (p: string) =>
  p
    .split(/[\\/]/)
    .filter((x) => x && x !== '.')
    .slice(-2)
    .join('/');

/**
 * The Application of the input whose sources sync an object's file from git as it is written (Argo CD runs no sed):
 * one whose source reaches it, else one whose source path ends in the last two folders of the file's folder (a path
 * missing a folder of the repository is still meant for it, and syncs it once corrected).
 */
function syncingParent(graph: ObjectGraph, o: GraphObject): GraphObject | undefined {
  const apps = graph.ofKind('Application').filter((app) => app !== o);
  const reached = apps.find((app) => placedSources(graph, app).some((s) => s.objects.includes(o)));
  if (reached || !o.file) return reached;
  const folder = lastFolders(path.dirname(o.file));
  return apps.find((app) => placedSources(graph, app).some((s) => !s.objects.length && folder.includes('/') && lastFolders(s.path) === folder));
}

/**
 * A repoURL placeholder that a script of the tree replaces with sed before it applies the file: filled, unless an
 * Application syncs the same file from git, which applies it as written and (automated) puts the placeholder back.
 */
function scriptFilled(graph: ObjectGraph, o: GraphObject, source: Loose, at: string): Problem[] | undefined {
  const token = unfilledPlaceholder(source.repoURL);
  if (token === undefined || !o.sedFills?.includes(token)) return undefined;
  const parent = syncingParent(graph, o);
  if (!parent) return [];
  const automated = mapping(mapping(parent.manifest.spec).syncPolicy).automated !== undefined;
  return [
    {
      message:
        `${at} holds '${token}', which a script fills (${o.template}), but Application '${text(mapping(parent.manifest.metadata).name) ?? ''}' syncs this file from git as it is written ` +
        `(Argo CD runs no sed)${automated ? ', and its automated sync re-applies the raw file over the filled one' : ''}: Argo CD has no repository to fetch and the Application never syncs; write the repository's URL in the file`,
    },
  ];
}

/**
 * A repoURL the checked folder holds that every kustomization of the repository including the folder patches into a
 * URL Argo CD can fetch (a base's placeholder each cluster's overlay replaces): the folder's value is never delivered,
 * so a note naming an overlay. Undefined where no overlay includes the folder or one leaves the value as written.
 */
function overlayPatched(graph: ObjectGraph, o: GraphObject, { field, source }: { field: string; source: Loose }, at: string): Problem[] | undefined {
  const template = o.manifest.kind === 'ApplicationSet';
  const { fixed, overlays } = patchedByOverlays(graph, o, (delivered) => {
    const spec = template ? mapping(mapping(mapping(delivered.spec).template).spec) : mapping(delivered.spec);
    const same = sourceFields(spec).find((f) => f.field === field);
    return !!same && repoUrlError(same.source) === undefined;
  });
  if (!fixed) return undefined;
  return [
    {
      severity: 'info',
      message:
        `${at} '${text(source.repoURL) ?? ''}' is not a URL Argo CD can fetch, but ${overlays > 1 ? `each of the ${overlays} kustomizations of the repository that include this folder patches it (${fixed} among them)` : `the kustomization of the repository that includes this folder (${fixed}) patches it`}: ` +
        'the value written here is never delivered; check the folder through an overlay to judge what syncs',
      summary: 'repoURL placeholders of a base that every overlay of the repository patches',
    },
  ];
}

export const argocdRepoUrlInvalid: Rule = {
  id: 'argocd-repo-url-invalid',
  title: "an Argo CD Application's repoURL is empty or no URL Argo CD can fetch from: nothing syncs",
  severity: 'error',
  appliesTo: ['Application', 'ApplicationSet'],
  premise:
    "each source of an Application (source, sources[], a hydrator's dry source) and of an ApplicationSet's template: an empty repoURL, one holding a placeholder nothing fills (`{ NAME }` in single braces, `<name>`), a space, a URL holding a capital placeholder word (`YOUR_GITHUB_USERNAME`, `YOUR_ORG`: the one list unrendered-placeholder reads) or an owner or repository that is a guide's slot (`your-org`, `yourusername`; not a name that merely starts with the letters, nor a host reserved for examples such as git.example.com, which samples write for a server the reader runs), or a value that is neither a URL (https, http, ssh, git, oci, file) nor scp-like `git@host:org/repo`, nor for a chart source a registry reference (`registry.example.com/charts`); " +
    "not judged: `${X}` and `{{ X }}`, which a renderer (envsubst, a script's sed, an ApplicationSet's generator) may fill (unrendered-placeholder's), nor a placeholder a script of the tree replaces with sed (any literal token, any delimiter) before it applies the file, unless an Application of the tree syncs that file from git, which applies it as written (the finding then names that Application); an Application an ApplicationSet generates is judged through the ApplicationSet's template; where the checked folder is a base other kustomizations of its repository include and every outermost one (with the layers between) patches the value into a URL, a note naming one (the folder's value is not what syncs); where one of them leaves it as written, the error stays",
  example: "`repoURL: '{ REPO_URL }'` in a root Application, beside a script that replaces only `{{ REPO_URL }}`",
  fix: 'write the repository URL (https://github.com/org/repo.git, git@github.com:org/repo.git, or the chart repository), or the placeholder your renderer fills ({{ X }} for the script, ${X} for envsubst)',
  source:
    'argo-cd util/argo/argo.go validateRepo (InvalidSpecError "spec.source.repoURL and either spec.source.path or spec.source.chart are required"); the repo server clones through util/git (a URL, or scp-like user@host:path: git.go IsSSHURL) and pulls charts through util/helm (a repository URL, or an OCI reference: IsHelmOciRepo), reporting ComparisonError when it cannot (no repository of a placeholder owner exists: "repository not found"); kustomize applies the patches of each kustomization that includes another to what its bases build (api/krusty, PatchTransformer)',
  check(o, { graph }) {
    if (o.manifest.kind === 'Application' && generatedFrom(o)) return [];
    const template = o.manifest.kind === 'ApplicationSet';
    const spec = template ? mapping(mapping(mapping(o.manifest.spec).template).spec) : mapping(o.manifest.spec);
    return sourceFields(spec).flatMap(({ field, source }) => {
      const at = `${template ? 'spec.template.' : ''}${field}.repoURL`;
      const filled = scriptFilled(graph, o, source, at);
      if (filled) return filled;
      const why = repoUrlError(source);
      if (!why) return [];
      const patched = overlayPatched(graph, o, { field, source }, at);
      if (patched) return patched;
      return [{ message: `${at} ${why}; the Application never syncs: write the repository's URL (https://…, git@host:org/repo.git, or the chart repository)` }];
    });
  },
};
