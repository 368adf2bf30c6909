import { mapping, mappings, text } from '../manifests/access';
import { ObjectGraph } from './graph';

/**
 * A token a template repository's tooling replaces when it copies the tree: an upper-case identifier in angle brackets
 * (`<DOMAIN_NAME>`, `<GITOPS_REPO_URL>`), the convention of such repositories' `init` or `create` commands, or lower-case
 * words joined by `-` or `_` (`<your-domain>`, `<cluster-name>`, `<your_bucket>`). A lower-case word alone is no token:
 * `<none>` (what kubectl prints for an empty value), an HTML tag (`<div>`, `<br/>`), and neither is an e-mail address
 * (`Name <a@b.c>`), a shell arrow (`<-`, `->`) or a Go template's `{{ … }}`.
 */
const COPY_TOKEN = /<(?:[A-Z][A-Z0-9_]*|[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)>/g;

/** The copy tokens a value holds (COPY_TOKEN), in order. */
export function copyTokens(value: string): string[] {
  return value.match(COPY_TOKEN) ?? [];
}

/** Why the tree is a template whose tokens are replaced before anything is applied, and the tokens its deliveries hold. */
export interface TemplateTree {
  readonly why: string;
  readonly tokens: readonly string[];
}

/**
 * The fields of an Argo CD Application that say where and what it delivers: no delivery runs with a token there (no
 * cluster, project or repository is spelled `<NAME>`), so a tree whose own Applications hold one is not deployed as
 * it is written (argo-cd pkg/apis/application/v1alpha1 types.go ApplicationSpec: Project, Destination.Name and Server,
 * Source.RepoURL, Sources).
 */
function deliveryFields(app: Record<string, unknown>): [string, string | undefined][] {
  const spec = mapping(app.spec);
  const destination = mapping(spec.destination);
  return [
    ['metadata.name', text(mapping(app.metadata).name)],
    ['spec.project', text(spec.project)],
    ['spec.destination.name', text(destination.name)],
    ['spec.destination.server', text(destination.server)],
    ['spec.source.repoURL', text(mapping(spec.source).repoURL)],
    ...mappings(spec.sources).map((s, i): [string, string | undefined] => [`spec.sources[${i}].repoURL`, text(s.repoURL)]),
  ];
}

/**
 * The tree as a template repository, when its own delivery objects (Argo CD Applications: their names, projects,
 * destinations, repository URLs) hold `<NAME>` tokens: such a tree is copied and its tokens replaced by its tooling
 * before anything is applied, so a finding resting on a value that holds a token of that form is no verdict on what
 * is applied. Undefined where no Application of the tree holds one (a stray `<DOMAIN_NAME>` elsewhere stays judged),
 * and where a script of the tree renders one of its Applications (the tree fills its tokens itself).
 */
export function templateTree(graph: ObjectGraph): TemplateTree | undefined {
  return graph.once('template-tree', (): TemplateTree | undefined => {
    const held: string[] = [];
    const tokens = new Set<string>();
    const apps = graph.ofKind('Application').filter((a) => !a.outside);
    // a script of the tree that renders its Applications (`sed "s#<GIT_REMOTE>#…#" root.yaml | kubectl apply -f -`)
    // fills their tokens itself: what it leaves is judged as applied, not as a copy's
    if (apps.some((a) => a.template !== undefined)) return undefined;
    for (const app of apps) {
      for (const [field, value] of deliveryFields(app.manifest)) {
        const found = value === undefined ? [] : copyTokens(value);
        if (!found.length) continue;
        found.forEach((t) => tokens.add(t));
        if (held.length < 3) held.push(`${graph.id(app)} ${field} '${value}'`);
      }
    }
    if (!tokens.size) return undefined;
    return {
      tokens: [...tokens],
      why:
        `the tree is treated as a template repository whose tooling replaces its <NAME> and <your-name> tokens when it is copied, since its own Argo CD Applications hold them where a delivery needs a real value (${held.join(', ')}): ` +
        'findings resting on a value that holds such a token are warnings',
    };
  });
}

/** The `<NAME>` or `<your-name>` token a finding's message names, where the tree is a template repository (templateTree): what caps it at a warning. */
export function templateTreeToken(graph: ObjectGraph, message: string): string | undefined {
  if (!templateTree(graph)) return undefined;
  return message.match(COPY_TOKEN)?.[0];
}
