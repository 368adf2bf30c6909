import { unresolvedProxyPasses } from '../../lib/check/rules/nginx-proxy-pass-unresolved';
import { ruleFindings } from '../util';

const configMap = (conf: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'router', namespace: 'chat' }, data: { 'nginx.conf': conf } });
const main = (http: string) => `events {}\nhttp {\n${http}\n}\n`;
const MAP = 'map $http_x_model $backend {\n  "a" "chat-a:8080";\n  default "chat-b:8080";\n}\n';
const PASS = 'server {\n  listen 8080;\n  location / {\n    proxy_pass http://$backend;\n  }\n}';

describe('nginx-proxy-pass-unresolved', () => {
  test('a mapped variable of host names, no upstream of those names and no resolver: an error naming the line, the hosts and the fix', () => {
    expect(ruleFindings('nginx-proxy-pass-unresolved', [configMap(main(MAP + PASS))])).toEqual([
      "error ConfigMap/chat/router: ConfigMap router data.nginx.conf line 10: `proxy_pass http://$backend` takes its address from a variable, and 'chat-a', 'chat-b' are hosts no upstream{} block of the config names, " +
        'while the config sets no resolver: nginx then resolves the name at request time only through a resolver, so every request there fails with 502 ("no resolver defined to resolve chat-a"); ' +
        'add `resolver kube-dns.kube-system.svc.cluster.local valid=10s;` in http{} (with fully qualified Service names), or define upstream{} blocks named as the values',
    ]);
  });

  test('a written host with a variable URI needs a resolver too; a set value is read as a map entry is', () => {
    expect(unresolvedProxyPasses(main('server {\n location / {\n  proxy_pass http://chat-a:8080$request_uri;\n }\n}'))).toEqual([
      { line: 5, target: 'http://chat-a:8080$request_uri', hosts: ['chat-a'] },
    ]);
    expect(unresolvedProxyPasses(main('server {\n set $backend "chat-c:9000";\n location / {\n  proxy_pass http://$backend;\n }\n}'))).toEqual([
      { line: 6, target: 'http://$backend', hosts: ['chat-c'] },
    ]);
  });

  test('near misses: a resolver, upstream blocks of those names, IP addresses, a conf.d snippet, an unknown include, a Lua-filled or request variable, a fixed proxy_pass, a commented resolver is no resolver', () => {
    expect(unresolvedProxyPasses(main(`resolver 10.96.0.10;\n${MAP}${PASS}`))).toEqual([]);
    const upstreams = 'upstream chat-a { server chat-a:8080; }\nupstream chat-b { server chat-b:8080; }\n';
    expect(unresolvedProxyPasses(main(`${upstreams}map $http_x_model $backend {\n "a" chat-a;\n default chat-b;\n}\n${PASS}`))).toEqual([]);
    expect(unresolvedProxyPasses(main(`map $http_x_model $backend {\n default 10.0.0.7:8080;\n}\n${PASS}`))).toEqual([]);
    expect(unresolvedProxyPasses(MAP + PASS)).toEqual([]);
    expect(unresolvedProxyPasses(main(`include /etc/nginx/conf.d/*.conf;\n${MAP}${PASS}`))).toEqual([]);
    expect(unresolvedProxyPasses(main(`include mime.types;\n${MAP}${PASS}`))).toHaveLength(1);
    expect(
      unresolvedProxyPasses(
        main(`server {\n set $backend "";\n access_by_lua_block { ngx.var.backend = "x:1" }\n location / { proxy_pass http://$backend; }\n}`),
      ),
    ).toEqual([]);
    expect(unresolvedProxyPasses(main('server { location / { proxy_pass http://$http_host; } }'))).toEqual([]);
    expect(unresolvedProxyPasses(main('server { location / { proxy_pass http://chat-a:8080; } }'))).toEqual([]);
    expect(unresolvedProxyPasses(main(`# resolver 10.96.0.10;\n${MAP}${PASS}`))).toHaveLength(1);
  });
});
