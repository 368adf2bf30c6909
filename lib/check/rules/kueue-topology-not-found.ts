import { mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** Whether an object is Kueue's (its apiVersion in kueue.x-k8s.io). */
const kueueObject = (m: { apiVersion?: unknown }) => (text(m.apiVersion) ?? '').startsWith('kueue.x-k8s.io/');

export const kueueTopologyNotFound: Rule = {
  id: 'kueue-topology-not-found',
  title: "a Kueue ResourceFlavor's spec.topologyName names a Topology that does not exist: every ClusterQueue using the flavor is inactive (TopologyNotFound)",
  severity: 'error',
  appliesTo: ['ResourceFlavor'],
  premise:
    "a kueue.x-k8s.io ResourceFlavor sets spec.topologyName (a topology-aware scheduling flavor) and no kueue.x-k8s.io Topology of the tree has that name; an error where the tree defines Topologies, just not this one, a warning where it defines none (the cluster may have it); the message names the tree's ClusterQueues that list the flavor",
  example: 'a ResourceFlavor with `topologyName: gpu-racks` where the tree defines only Topology `name: default`',
  fix: 'add the Topology (kueue.x-k8s.io, its levels the node labels of blocks, racks and hosts) to the tree, or name one that exists',
  source:
    'kubernetes-sigs/kueue pkg/cache (a ClusterQueue with a TAS flavor whose Topology is missing is inactive: condition Active False, reason TopologyNotFound, "Can\'t admit new workloads: there is no Topology … for TAS flavor …", as its integration test test/integration/singlecluster/tas tas_test.go asserts); Kueue docs concepts/topology_aware_scheduling (ResourceFlavor spec.topologyName names a Topology)',
  check(o, { graph }) {
    const name = text(mapping(o.manifest.spec).topologyName);
    if (!name || !kueueObject(o.manifest)) return [];
    const topologies = graph.ofKind('Topology').filter((t) => kueueObject(t.manifest));
    if (topologies.some((t) => text(mapping(t.manifest.metadata).name) === name)) return [];
    const flavor = text(mapping(o.manifest.metadata).name) ?? '';
    const queues = graph
      .ofKind('ClusterQueue')
      .filter((q) => mappings(mapping(q.manifest.spec).resourceGroups).some((g) => mappings(g.flavors).some((f) => text(f.name) === flavor)))
      .map((q) => `ClusterQueue ${text(mapping(q.manifest.metadata).name) ?? ''}`);
    const using = queues.length ? `every ClusterQueue using the flavor (${queues.join(', ')})` : 'every ClusterQueue using the flavor';
    const defined = topologies.map((t) => `'${text(mapping(t.manifest.metadata).name) ?? ''}'`).join(', ');
    const problem: Problem = {
      message:
        `spec.topologyName '${name}' names no Topology ${defined ? `of the tree (it defines ${defined})` : 'in the tree, which defines none (the cluster may have it)'}: ` +
        `Kueue keeps ${using} inactive (reason TopologyNotFound) and admits none of its workloads; add Topology '${name}' or name one that exists`,
    };
    return [defined ? problem : { ...problem, severity: 'warning' }];
  },
};
