import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import type { ScriptCreated } from '../../manifests/script-creations';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { ANY_KIND, Problem, Rule } from '../rule';

/**
 * openshift/openshift-apiserver pkg/project/apiserver/registry/projectrequest/delegated/delegated.go (REST.Create):
 * the names and prefixes a ProjectRequest may not take, refused as Forbidden before any project is made.
 */
const FORBIDDEN_NAMES = ['openshift', 'kubernetes', 'kube'];
const FORBIDDEN_PREFIXES = ['openshift-', 'kubernetes-', 'kube-'];

/** The API group of ProjectRequest (openshift/api project/v1). */
const PROJECT_GROUP = 'project.openshift.io';

/** Why a project name is refused, in the words of the REST handler, or undefined. */
export function reservedProjectName(name: string): string | undefined {
  if (FORBIDDEN_NAMES.includes(name)) return `cannot request a project with the name "${name}"`;
  const prefix = FORBIDDEN_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? `cannot request a project starting with "${prefix}"` : undefined;
}

/** The `oc new-project` commands of the tree's scripts that ask for a reserved name, each once. */
function reservedNewProjects(graph: ObjectGraph): ScriptCreated[] {
  return graph.once('project-name-reserved:scripts', () =>
    graph.scriptCreated.filter((c) => c.kind === 'Project' && !c.name.startsWith('$') && reservedProjectName(c.name) !== undefined),
  );
}

/** The object a script's reserved project is said on: the tree's Namespace of that name, else the first object placed in it. */
function bearer(graph: ObjectGraph, name: string): GraphObject | undefined {
  return graph.find('Namespace', name) ?? graph.objects.find((o) => o.manifest.kind !== 'Namespace' && graph.namespaceOf(o.manifest) === name);
}

function problems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const name = text(mapping(o.manifest.metadata).name) ?? '';
  if (o.manifest.kind === 'ProjectRequest' && apiGroupOf(o.manifest.apiVersion) === PROJECT_GROUP) {
    const why = reservedProjectName(name);
    return why
      ? [
          {
            message: `ProjectRequest '${name}': OpenShift refuses it as Forbidden (${why}), so no project is made and the objects meant for it have no namespace; pick a name without the reserved prefix`,
          },
        ]
      : [];
  }
  return reservedNewProjects(graph)
    .filter((c) => bearer(graph, c.name) === o)
    .map((c) => ({
      message:
        `${c.script} (line ${c.line}) runs \`oc new-project ${c.name}\`, which sends a ProjectRequest, and OpenShift refuses it as Forbidden (${reservedProjectName(c.name)!}): ` +
        `the script stops there (or runs on without the project); pick a name without the reserved prefix, or create the Namespace as a cluster administrator`,
    }));
}

export const projectNameReserved: Rule = {
  id: 'project-name-reserved',
  title:
    'a ProjectRequest, or an `oc new-project`, asks for a name OpenShift reserves (openshift, kube, kubernetes, or openshift-, kube-, kubernetes- prefixed)',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "OpenShift's ProjectRequest handler refuses, as Forbidden and before it makes anything, a project named openshift, kubernetes or kube, or starting with openshift-, kubernetes- or kube-; `oc new-project NAME` is a ProjectRequest: an error for a ProjectRequest (project.openshift.io) of the tree so named, and for such an `oc new-project` of a script of the tree (said on the tree's Namespace of that name, else on the first object placed in it). A Project or Namespace object of such a name is not judged: the Project and Namespace APIs check no prefix (a cluster administrator may make them); a name that is a variable is not judged",
  example: '`oc new-project openshift-llm-serving` in the install script',
  fix: 'name the project without the reserved prefix (llm-serving), or have a cluster administrator create the Namespace',
  source:
    'openshift/openshift-apiserver pkg/project/apiserver/registry/projectrequest/delegated/delegated.go (REST.Create: ForbiddenNames openshift, kubernetes, kube; ForbiddenPrefixes openshift-, kubernetes-, kube-: "cannot request a project starting with …"); pkg/project/apiserver/registry/project/proxy/proxy.go (Project create: validation only, no prefix check); oc new-project creates a ProjectRequest (openshift/oc pkg/cli/newproject)',
  check(o, { graph }) {
    return problems(o, graph);
  },
};
