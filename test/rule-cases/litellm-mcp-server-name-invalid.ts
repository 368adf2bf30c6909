import { runChecks } from '../../lib';

// MCPServerManager.load_servers_from_config runs validate_mcp_server_name on each key of mcp_servers, which raises on
// MCP_TOOL_PREFIX_SEPARATOR ('-' unless that env sets another).
const RULE = 'litellm-mcp-server-name-invalid';
const config = (servers: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'router-config', namespace: 'serving' },
  data: { 'proxy.yaml': `model_list: []\nmcp_servers:\n${servers}` },
});
const proxy = (env: { name: string; value: string }[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'router', namespace: 'serving' },
  spec: { containers: [{ name: 'router', image: `ghcr.io/example-org/router@sha256:${'d'.repeat(64)}`, env }] },
});
const found = (docs: Record<string, unknown>[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === RULE)
    .map((f) => [f.severity, f.object, f.message]);

describe(RULE, () => {
  test("a server name with '-': an error naming the name LiteLLM would take", () => {
    expect(found([config('  ticket-lookup:\n    url: http://tickets.serving.svc:9000/mcp\n')])).toEqual([
      [
        'error',
        'ConfigMap/serving/router-config',
        "data.proxy.yaml mcp_servers.ticket-lookup holds '-', which LiteLLM puts between a server's name and its tools' names: loading the config raises \"Server name cannot contain '-'. Use an alternative character instead Found: ticket-lookup\", so the proxy serves no MCP server from it; rename it ticket_lookup",
      ],
    ]);
  });

  test('near misses: an underscore name; a proxy that sets its own separator', () => {
    expect(found([config('  ticket_lookup:\n    url: http://tickets.serving.svc:9000/mcp\n')])).toEqual([]);
    expect(
      found([config('  ticket-lookup:\n    url: http://tickets.serving.svc:9000/mcp\n'), proxy([{ name: 'MCP_TOOL_PREFIX_SEPARATOR', value: '__' }])]),
    ).toEqual([]);
  });
});
