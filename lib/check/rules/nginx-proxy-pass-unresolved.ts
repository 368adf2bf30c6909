import { mapping, stringMap, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** A directive's line in the config text (1-based), for the message. */
function lineOf(config: string, index: number): number {
  return config.slice(0, index).split('\n').length;
}

/** The config without comments: `#` to the end of the line outside quotes (nginx's own comment syntax). */
function uncommented(config: string): string {
  return config
    .split('\n')
    .map((l) => l.replace(/^((?:[^#"']|"[^"]*"|'[^']*')*)#.*$/, '$1'))
    .join('\n');
}

const unquote = (v: string) => v.trim().replace(/^(["'])(.*)\1$/, '$2');

/**
 * The values a variable may hold where the config alone decides them: every `map … $var { … }` entry and default, and
 * every `set $var value;`. Undefined when any value is itself a variable, a Lua handler assigns it
 * (ngx.var.<name> = …), or nothing of the config sets it (a request variable such as $http_host).
 */
function variableValues(config: string, name: string): string[] | undefined {
  if (new RegExp(`ngx\\.var\\.${name}\\s*=[^=]`).test(config)) return undefined;
  const values: string[] = [];
  for (const m of config.matchAll(new RegExp(`\\bmap\\s+\\S+\\s+\\$${name}\\s*\\{([^}]*)\\}`, 'g'))) {
    for (const entry of m[1].split(';')) {
      const words = entry.trim().match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
      if (words.length === 1 && ['hostnames', 'volatile'].includes(words[0])) continue;
      if (!words.length) continue;
      if (words.length !== 2 || words[0] === 'include') return undefined;
      values.push(unquote(words[1]));
    }
  }
  for (const m of config.matchAll(new RegExp(`\\bset\\s+\\$${name}\\s+("[^"]*"|'[^']*'|[^;\\s]+)\\s*;`, 'g'))) {
    const v = unquote(m[1]);
    // `set $x "";` clears it before a handler fills it: no address
    if (v !== '') values.push(v);
  }
  if (!values.length || values.some((v) => v.includes('$'))) return undefined;
  return values;
}

/** The host of an address (`vllm-a:8080`, `[::1]:80`, `backend/path`): without port or path. */
function hostOf(address: string): string {
  const noScheme = address.replace(/^[a-z]+:\/\//, '');
  if (noScheme.startsWith('[')) return noScheme.slice(0, noScheme.indexOf(']') + 1);
  return noScheme.split('/')[0].split(':')[0];
}

/** An address nginx needs no resolver for: an IP literal or a unix socket. */
const literalAddress = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || host.startsWith('unix');

/**
 * Includes that hold no resolver: the MIME type table and the parameter files nginx ships for its proxy modules. Any
 * other include may bring one in.
 */
const PLAIN_INCLUDE = /^\S*(mime\.types|fastcgi_params|fastcgi\.conf|proxy_params|scgi_params|uwsgi_params)$/;

/** The proxy_pass directives of a main nginx config (one with an http{} block) that need a resolver it lacks. */
export function unresolvedProxyPasses(raw: string): { line: number; target: string; hosts: string[] }[] {
  const config = uncommented(raw);
  // only the main config: a conf.d snippet's http{} (and its resolver) is the image's
  if (!/(^|[\s;}])http\s*\{/.test(config) || /(^|[\s;{}])resolver\s+[^;]+;/.test(config)) return [];
  const includes = [...config.matchAll(/(^|[\s;{}])include\s+([^;]+);/g)].map((m) => unquote(m[2]));
  if (includes.some((i) => !PLAIN_INCLUDE.test(i))) return [];
  const upstreams = new Set([...config.matchAll(/(^|[\s;{}])upstream\s+([^\s{]+)\s*\{/g)].map((m) => m[2]));
  const out: { line: number; target: string; hosts: string[] }[] = [];
  for (const m of config.matchAll(/(^|[\s;{}])proxy_pass\s+([^;]+);/g)) {
    const target = m[2].trim();
    if (!target.includes('$')) continue;
    const variable = /^[a-z]+:\/\/\$\{?(\w+)\}?/.exec(target);
    const literal = /^[a-z]+:\/\/([^$/]+)/.exec(target);
    const addresses = variable ? variableValues(config, variable[1]) : literal ? [literal[1]] : undefined;
    if (!addresses) continue;
    const hosts = [...new Set(addresses.map(hostOf))].filter((h) => !literalAddress(h) && !upstreams.has(h));
    if (hosts.length) out.push({ line: lineOf(config, m.index + m[1].length), target, hosts });
  }
  return out;
}

export const nginxProxyPassUnresolved: Rule = {
  id: 'nginx-proxy-pass-unresolved',
  title:
    'an nginx config in a ConfigMap passes requests to an address held in a variable (proxy_pass http://$backend) whose host names no upstream{} block, and sets no resolver: every such request fails with 502',
  severity: 'error',
  appliesTo: ['ConfigMap'],
  premise:
    "a v1 ConfigMap's data value that is a main nginx config (it holds an http{} block, so no config of the image wraps it) with no `resolver` directive and no include but of nginx's MIME table or its modules' parameter files (any other include may bring a resolver); a proxy_pass whose argument holds a variable and whose host is either written (http://svc:8080$request_uri) or a variable the config alone fills (the entries and default of a `map` to it, its `set` values; not one a Lua handler or the request fills), where some host is no IP address and names no upstream{} block of the config; comments are not read",
  example: 'a ConfigMap whose nginx.conf has `proxy_pass http://$backend_service;` with `$backend_service` mapped to `"chat-a:8080"` and no `resolver`',
  fix: 'add a resolver in http{} (the cluster DNS: `resolver kube-dns.kube-system.svc.cluster.local valid=10s;`, with fully qualified Service names), or define an upstream{} block named as each value the variable takes',
  source:
    'nginx ngx_http_proxy_module docs, proxy_pass: "Parameter value can contain variables. In this case, if an address is specified as a domain name, the name is searched among the described server groups, and, if not found, is determined using a resolver"; ngx_http_upstream.c ngx_http_upstream_init_request (no server group and no resolver: "no resolver defined to resolve …", 502 Bad Gateway); ngx_http_core_module docs, resolver',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (m.apiVersion !== 'v1') return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return Object.entries(stringMap(m.data)).flatMap(([key, value]) =>
      unresolvedProxyPasses(value).map((p): Problem => ({
        message:
          `ConfigMap ${name} data.${key} line ${p.line}: \`proxy_pass ${p.target}\` takes its address from a variable, and ${p.hosts.map((h) => `'${h}'`).join(', ')} ` +
          `${p.hosts.length > 1 ? 'are hosts' : 'is a host'} no upstream{} block of the config names, while the config sets no resolver: nginx then resolves the name at request time only through a resolver, ` +
          `so every request there fails with 502 ("no resolver defined to resolve ${p.hosts[0]}"); add \`resolver kube-dns.kube-system.svc.cluster.local valid=10s;\` in http{} (with fully qualified Service names), or define upstream{} blocks named as the values`,
      })),
    );
  },
};
