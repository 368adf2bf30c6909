import { mapping, text } from '../../manifests/access';
import { namespaceLabel } from '../graph';
import { Problem, Rule } from '../rule';
import { serviceExplained } from '../service-explained';
import { serviceOfHost } from '../service-hosts';

export const modelRegistryDatabaseNotInTree: Rule = {
  id: 'model-registry-database-not-in-tree',
  title: "a ModelRegistry's database host is a Service of its namespace that the tree does not define",
  severity: 'warning',
  appliesTo: ['ModelRegistry'],
  premise:
    "the model registry operator gives spec.mysql.host or spec.postgres.host to the registry's server as its database address; a host that is a Service of the registry's own namespace (a bare name, or name.<namespace>[.svc[.cluster.local]]), not a template, that no Service of the tree in that namespace has and no operator's object there may make (a database operator's cluster object of that name or prefix; localhost, the pod itself, is no Service) resolves only if something outside the tree creates it: otherwise the server cannot reach its database and the ModelRegistry stays unavailable. A warning, since the database may be installed apart; hosts in other namespaces or outside the cluster are not judged",
  example: 'ModelRegistry `my-model-registry` with `host: registry-db` and no Service registry-db in its namespace',
  fix: 'add the database (its Deployment or StatefulSet and the Service of that name) to the tree, or point the host at the database Service the tree defines',
  source:
    "opendatahub-io/model-registry-operator api/v1beta1 modelregistry_types.go (MySQLConfig.Host, PostgresConfig.Host: the database host the registry server connects to) and internal/controller/config/templates/deployment.yaml.tmpl (the host written into the database DSN of the server); Kubernetes DNS for Services (a bare name resolves in the pod's own namespace, no Service of the name is NXDOMAIN)",
  check(o, { graph }) {
    const spec = mapping(o.manifest.spec);
    const ns = graph.namespaceOf(o.manifest);
    const out: Problem[] = [];
    for (const db of ['mysql', 'postgres'] as const) {
      const host = text(mapping(spec[db]).host);
      if (!host || /[${}<>]/.test(host)) continue;
      const target = serviceOfHost(host, ns, new Set(ns ? [ns] : []));
      if (!target || target.namespace !== ns || serviceExplained(graph, target.name, ns)) continue;
      out.push({
        message:
          `spec.${db}.host '${host}' names Service ${target.name} in ${namespaceLabel(ns)}, not defined in the tree: unless the database is installed outside the tree, ` +
          `the registry server cannot reach it and the ModelRegistry stays unavailable; add the database and its Service ${target.name}, or point the host at the tree's database Service`,
      });
    }
    return out;
  },
};
