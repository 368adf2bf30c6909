import { isMapping, mapping, mappings, stringMap, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { litellmConfigText } from '../litellm-config';
import { LITELLM_MCP_SEPARATOR_DEFAULT, LITELLM_MCP_SEPARATOR_ENV } from '../litellm-providers';
import { podSpecOf } from '../pods';
import { Rule } from '../rule';

/** Whether a container of the tree sets the separator itself: then `-` may be allowed, and nothing is judged. */
function separatorSet(graph: ObjectGraph): boolean {
  return graph.objects.some((x) => {
    const pod = podSpecOf(x.manifest);
    return (
      !!pod &&
      [...mappings(pod.containers), ...mappings(pod.initContainers)].some((c) => mappings(c.env).some((e) => text(e.name) === LITELLM_MCP_SEPARATOR_ENV))
    );
  });
}

export const litellmMcpServerNameInvalid: Rule = {
  id: 'litellm-mcp-server-name-invalid',
  title: "a LiteLLM proxy config names an MCP server with a '-': LiteLLM refuses the name when it loads the config",
  severity: 'error',
  appliesTo: ['ConfigMap'],
  premise: `a LiteLLM proxy config in a ConfigMap key (a YAML key whose text has a top-level mcp_servers mapping) whose server name (a key of mcp_servers) holds '-', LiteLLM's separator of server and tool names; not judged where a container of the tree sets ${LITELLM_MCP_SEPARATOR_ENV} (another separator), nor names holding a template`,
  example: '`code-search:` under `mcp_servers:` with `url: http://code-search.tools.svc:8080/mcp`',
  fix: "rename the server without '-' (code_search): clients then call its tools as code_search-<tool>",
  source:
    "BerriAI/litellm litellm/proxy/_experimental/mcp_server/mcp_server_manager.py MCPServerManager.load_servers_from_config (validate_mcp_server_name on each key of mcp_servers) and litellm/proxy/_experimental/mcp_server/utils.py validate_mcp_server_name (raises \"Server name cannot contain '-'. Use an alternative character instead\"; MCP_TOOL_PREFIX_SEPARATOR, default '-', joins server and tool names)",
  check(o, { graph }) {
    const data = stringMap(mapping(o.manifest).data);
    const found = Object.entries(data).flatMap(([key, value]) => {
      const servers = mapping(litellmConfigText(key, value, 'mcp_servers')).mcp_servers;
      if (!isMapping(servers)) return [];
      return Object.keys(servers)
        .filter((name) => name.includes(LITELLM_MCP_SEPARATOR_DEFAULT) && !/\{\{|\$\{/.test(name))
        .map((name) => ({
          message: `data.${key} mcp_servers.${name} holds '-', which LiteLLM puts between a server's name and its tools' names: loading the config raises "Server name cannot contain '-'. Use an alternative character instead Found: ${name}", so the proxy serves no MCP server from it; rename it ${name.replace(/-/g, '_')}`,
        }));
    });
    return found.length && separatorSet(graph) ? [] : found;
  },
};
