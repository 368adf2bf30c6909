import { mapping, text } from '../../manifests/access';
import { absentReference } from '../absent-reference';
import { REPOSITORY_PREMISE } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { groupOf, objectsOf } from '../reference-targets';
import { Problem, Rule } from '../rule';
import { UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';

/** The operator's API group (home-operations/litellm-operator api/v1alpha1 groupversion_info.go). */
const LITELLM_GROUP = 'litellm.home-operations.com';

/**
 * What the operator does with an object whose proxyRef names no LiteLLMProxy, by kind: a model, guardrail or MCP
 * server is adopted only by the proxy it names (litellmproxy_controller.go proxyAdopts), so none renders it; a team
 * or virtual key is made through its proxy's admin API, which the controller cannot reach (adminClient: r.Get fails).
 */
const EFFECTS: Readonly<Record<string, string>> = {
  LiteLLMModel: 'no proxy adopts it (a proxyRef binds it to that proxy alone), so no model_list holds it and clients calling it get no such model',
  LiteLLMGuardrail: 'no proxy adopts it (a proxyRef binds it to that proxy alone), so no proxy configuration holds the guardrail',
  LiteLLMMCPServer: 'no proxy adopts it (a proxyRef binds it to that proxy alone), so no proxy serves the MCP server',
  LiteLLMTeam: 'the controller cannot read the proxy to reach its admin API and never creates the team',
  LiteLLMVirtualKey: 'the controller cannot read the proxy to reach its admin API and never issues the key',
};

function proxyProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const kind = String(o.manifest.kind);
  const name = text(mapping(o.manifest.spec).proxyRef);
  if (groupOf(o) !== LITELLM_GROUP || !EFFECTS[kind] || !name) return [];
  const ns = graph.namespaceOf(o.manifest);
  return absentReference(graph, o, {
    field: 'spec.proxyRef',
    kind: 'LiteLLMProxy',
    name,
    ns,
    candidates: objectsOf(graph, 'LiteLLMProxy', [LITELLM_GROUP], ns),
    effect: EFFECTS[kind],
    fix: `name a LiteLLMProxy of the ${kind}'s namespace (the operator looks only there), or add it`,
  });
}

export const litellmProxyNotFound: Rule = {
  id: 'litellm-proxy-not-found',
  title:
    'a litellm-operator LiteLLMModel, guardrail, MCP server, team or virtual key names in spec.proxyRef a LiteLLMProxy the tree does not hold in its namespace: no proxy serves it',
  severity: 'error',
  appliesTo: Object.keys(EFFECTS),
  premise:
    "a litellm.home-operations.com LiteLLMModel, LiteLLMGuardrail, LiteLLMMCPServer, LiteLLMTeam or LiteLLMVirtualKey whose spec.proxyRef names a LiteLLMProxy that the tree does not hold in the object's namespace: " +
    'an error where the tree holds other LiteLLMProxies of that namespace or creates the namespace, naming the one a misspelt name most likely meant; else a warning (another delivery may make it); not judged: an object without proxyRef (a proxy adopts it by its modelSelector), a name holding a template' +
    UNSEEN_INSTALLS_PREMISE +
    REPOSITORY_PREMISE,
  example: "`proxyRef: litellm-gateway` with the namespace's LiteLLMProxy `name: llm-gateway`",
  fix: "name the LiteLLMProxy of the object's namespace that should serve it (or leave proxyRef out so a proxy's modelSelector adopts it), or add that proxy",
  source:
    "home-operations/litellm-operator internal/controller/litellmproxy_controller.go proxyAdopts (a proxyRef is adopted only by the proxy of that name; without it by the proxy's modelSelector), litellmteam_controller.go and litellmvirtualkey_controller.go adminClient (the proxy of spec.proxyRef in the same namespace, read to reach its admin API); api/v1alpha1 (ProxyRef of LiteLLMModel, LiteLLMGuardrail, LiteLLMMCPServer, LiteLLMTeam, LiteLLMVirtualKey)",
  check(o, { graph }) {
    return proxyProblems(o, graph);
  },
};
