import { mapping } from '../../manifests/access';
import { generatedFrom } from '../application-sets';
import { repoUrlError, sourceFields } from '../argocd/repo-url';
import { Rule } from '../rule';

export const argocdRepoUrlInvalid: Rule = {
  id: 'argocd-repo-url-invalid',
  title: "an Argo CD Application's repoURL is empty or no URL Argo CD can fetch from: nothing syncs",
  severity: 'error',
  appliesTo: ['Application', 'ApplicationSet'],
  premise:
    "each source of an Application (source, sources[], a hydrator's dry source) and of an ApplicationSet's template: an empty repoURL, one holding a placeholder nothing fills (`{ NAME }` in single braces, `<name>`), a space, or a value that is neither a URL (https, http, ssh, git, oci, file) nor scp-like `git@host:org/repo`, nor for a chart source a registry reference (`registry.example.com/charts`); " +
    "not judged: `${X}` and `{{ X }}`, which a renderer (envsubst, a script's sed, an ApplicationSet's generator) may fill (unrendered-placeholder's); an Application an ApplicationSet generates is judged through the ApplicationSet's template",
  example: "`repoURL: '{ REPO_URL }'` in a root Application, beside a script that replaces only `{{ REPO_URL }}`",
  fix: 'write the repository URL (https://github.com/org/repo.git, git@github.com:org/repo.git, or the chart repository), or the placeholder your renderer fills ({{ X }} for the script, ${X} for envsubst)',
  source:
    'argo-cd util/argo/argo.go validateRepo (InvalidSpecError "spec.source.repoURL and either spec.source.path or spec.source.chart are required"); the repo server clones through util/git (a URL, or scp-like user@host:path: git.go IsSSHURL) and pulls charts through util/helm (a repository URL, or an OCI reference: IsHelmOciRepo), reporting ComparisonError when it cannot',
  check(o) {
    if (o.manifest.kind === 'Application' && generatedFrom(o)) return [];
    const template = o.manifest.kind === 'ApplicationSet';
    const spec = template ? mapping(mapping(mapping(o.manifest.spec).template).spec) : mapping(o.manifest.spec);
    return sourceFields(spec).flatMap(({ field, source }) => {
      const why = repoUrlError(source);
      const at = `${template ? 'spec.template.' : ''}${field}.repoURL`;
      return why
        ? [{ message: `${at} ${why}; the Application never syncs: write the repository's URL (https://…, git@host:org/repo.git, or the chart repository)` }]
        : [];
    });
  },
};
