import { Loose, mapping, stringMap } from '../manifests/access';
import { APP_INSTANCE_LABEL, APP_NAME_LABEL } from '../k8s/keys';

/** The API group of the ToolHive operator's resources (stacklok/toolhive cmd/thv-operator api/v1beta1 groupversion_info.go; v1alpha1 before). */
export const TOOLHIVE_GROUP = 'toolhive.stacklok.dev';

/**
 * What the ToolHive operator makes for each kind it runs (stacklok/toolhive cmd/thv-operator/controllers): a
 * Deployment whose pods, and a Service whose labels and selector, are the kind's labels (labelsForMCPServer,
 * labelsForMCPRemoteProxy, labelsForVirtualMCPServer: app and app.kubernetes.io/name the kind's lower-case name,
 * app.kubernetes.io/instance and toolhive-name the resource's, toolhive: "true"), and the Service's name:
 * - MCPServer: `mcp-<name>-proxy` (pkg/controllerutil CreateProxyServiceName), port `http` at spec.proxyPort (the
 *   deprecated spec.port before it was removed), 8080 by default (MCPServer.GetProxyPort); the proxy runner it starts
 *   makes `mcp-<name>` and the headless `mcp-<name>-headless` beside it (pkg/container/kubernetes client.go; the
 *   controller's finalizer deletes all three);
 * - MCPRemoteProxy: `mcp-<name>-remote-proxy` (createProxyServiceName), port `http` at spec.proxyPort, 8080 by default;
 * - VirtualMCPServer: `vmcp-<name>` (vmcpServiceName), port `http` 4483 (vmcpDefaultPort).
 * The Service's labels take spec.resourceOverrides.proxyService.labels for MCPServer and MCPRemoteProxy, the operator's
 * own winning a key both set (MergeLabels: the defaults take precedence); its selector is the kind's labels alone.
 */
const TOOLHIVE_KINDS: Readonly<Record<string, { readonly app: string; readonly services: (name: string) => readonly string[]; readonly overrides: boolean }>> =
  {
    MCPServer: { app: 'mcpserver', services: (n) => [`mcp-${n}-proxy`, `mcp-${n}`, `mcp-${n}-headless`], overrides: true },
    MCPRemoteProxy: { app: 'mcpremoteproxy', services: (n) => [`mcp-${n}-remote-proxy`], overrides: true },
    VirtualMCPServer: { app: 'virtualmcpserver', services: (n) => [`vmcp-${n}`], overrides: false },
  };

/** The ToolHive kinds the operator makes a Service for. */
export const TOOLHIVE_SERVED_KINDS: readonly string[] = Object.keys(TOOLHIVE_KINDS);

/** The label keys the operator puts on every pod it makes, and the pair (TOOLHIVE_KINDS). */
export const TOOLHIVE_POD_KEY = 'toolhive-name';
export const TOOLHIVE_POD_PAIR: Readonly<Record<string, string>> = { toolhive: 'true' };

/** Whether an object is a resource of the ToolHive operator that it makes a Service for. */
export function isToolhiveServed(m: Loose): boolean {
  return Object.hasOwn(TOOLHIVE_KINDS, String(m.kind)) && String(m.apiVersion ?? '').split('/')[0] === TOOLHIVE_GROUP;
}

/** The names of the Services the operator (and the proxy runner it starts) make for a resource of `kind` named `name`. */
export function toolhiveServiceNames(kind: string, name: string): readonly string[] {
  return Object.hasOwn(TOOLHIVE_KINDS, kind) ? TOOLHIVE_KINDS[kind].services(name) : [];
}

/** The labels the operator puts on the pods of a resource of `kind` named `name`, which its Service selects. */
export function toolhivePodLabels(kind: string, name: string): Record<string, string> {
  const app = TOOLHIVE_KINDS[kind]?.app ?? '';
  return { app, [APP_NAME_LABEL]: app, [APP_INSTANCE_LABEL]: name, ...TOOLHIVE_POD_PAIR, [TOOLHIVE_POD_KEY]: name };
}

/** The operator's Service of a resource (the first of toolhiveServiceNames) and its labels, overrides under the operator's own. */
export function toolhiveService(m: Loose, name: string): { readonly name: string; readonly labels: Readonly<Record<string, string>> } {
  const kind = String(m.kind);
  const own = toolhivePodLabels(kind, name);
  const overrides = TOOLHIVE_KINDS[kind]?.overrides ? stringMap(mapping(mapping(mapping(m.spec).resourceOverrides).proxyService).labels) : {};
  return { name: toolhiveServiceNames(kind, name)[0], labels: { ...overrides, ...own } };
}
