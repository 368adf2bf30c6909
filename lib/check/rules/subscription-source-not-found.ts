import * as fs from 'fs';
import * as path from 'path';
import { mapping, text } from '../../manifests/access';
import { yamlLib } from '../../manifests/yaml-documents';
import { unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/**
 * The CatalogSources a cluster has without the tree: on OpenShift, the four the marketplace operator keeps in
 * openshift-marketplace (operator-framework/operator-marketplace defaults/01_redhat_operators.cr.yaml,
 * 02_certified_operators.yaml, 03_community_operators.yaml, 04_redhat_marketplace.yaml); on upstream OLM, the one its
 * install creates in namespace olm (operator-lifecycle-manager deploy/upstream/quickstart/olm.yaml operatorhubio-catalog).
 */
const DEFAULT_CATALOGS = ['redhat-operators', 'certified-operators', 'community-operators', 'redhat-marketplace', 'operatorhubio-catalog'];

/** A file name that says it holds a catalog source: `custom-catalogsource.yaml`, `catalog-source.yml`, `catalog.yaml`. */
const CATALOG_FILE = /catalog[-_]?(?:source)?[^/]*\.ya?ml$/i;

/** Whether the YAML text holds no document with content: comments, separators and blank lines only. */
function holdsNothing(source: string): boolean {
  try {
    return yamlLib()
      .parseAllDocuments(source)
      .every((d) => d.contents === null || d.toJS() === null);
  } catch {
    return false;
  }
}

/** A file beside the Subscription, named for a catalog source, that holds no object (comments only): the CatalogSource it was to hold. */
function emptyCatalogFile(o: GraphObject): string | undefined {
  if (!o.file) return undefined;
  const dir = path.dirname(o.file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  return names.filter((n) => CATALOG_FILE.test(n)).find((n) => holdsNothing(fs.readFileSync(path.join(dir, n), 'utf8')));
}

/** Whether the tree makes a CatalogSource of that name: as an object (in any namespace: a misplaced one is another question) or by a script. */
function madeInTree(graph: ObjectGraph, source: string): boolean {
  return graph.find('CatalogSource', source) !== undefined || graph.scriptCreating('CatalogSource', source) !== undefined;
}

/** The finding for a source nothing makes: an error where the file meant to hold it holds nothing. */
function sourceProblem(o: GraphObject, source: string, sourceNamespace: string, empty: string | undefined): Problem {
  const pkg = text(mapping(o.manifest.spec).name) ?? '';
  const unresolved = `OLM finds no catalog '${source}' in '${sourceNamespace}', the Subscription stays ResolutionFailed (no InstallPlan) and ${pkg ? `package ${pkg}` : 'the operator'} is never installed`;
  if (empty)
    return {
      severity: 'error',
      message:
        `spec.source '${source}' is no default catalog of OpenShift or OLM, and ${empty} beside it, named for the catalog source, holds no object (comments only); nothing else of the tree makes CatalogSource '${source}': ` +
        `${unresolved}; put the CatalogSource in ${empty} (metadata.name: ${source}, namespace ${sourceNamespace}, spec.image of the catalog), or subscribe from a catalog the cluster has`,
    };
  return {
    message:
      `spec.source '${source}' is no default catalog of OpenShift (redhat-operators, certified-operators, community-operators, redhat-marketplace) or upstream OLM (operatorhubio-catalog), and the tree makes no CatalogSource of that name: ` +
      `unless it is made outside the tree (a mirror's catalog, another install), ${unresolved}; add the CatalogSource to the tree, or name a catalog the cluster has`,
  };
}

export const subscriptionSourceNotFound: Rule = {
  id: 'subscription-source-not-found',
  title: "an OLM Subscription's source is no default catalog and the tree makes no CatalogSource of that name: OLM cannot resolve it (ResolutionFailed)",
  severity: 'warning',
  appliesTo: ['Subscription'],
  premise:
    'OLM resolves a Subscription from the CatalogSource named by spec.source in spec.sourceNamespace; with none of that name the Subscription stays ResolutionFailed, no InstallPlan is made and nothing is installed. ' +
    "The cluster has OpenShift's default catalogs (redhat-operators, certified-operators, community-operators, redhat-marketplace, kept by the marketplace operator in openshift-marketplace) or upstream OLM's operatorhubio-catalog; " +
    'any other source must be made: a CatalogSource of that name in the tree (any namespace) or a script of the tree that creates one, or a manifest of the repository outside the checked folder. ' +
    'A warning, since a mirror or another install may make it; an error where a file beside the Subscription named for a catalog source (catalogsource, catalog-source, catalog in its name) holds no object, comments only: the tree meant to make it there and does not. ' +
    'A source holding template syntax is not judged',
  example: 'Subscription with `source: notebook-checker-catalog` and `sourceNamespace: openshift-marketplace`, and no CatalogSource of that name in the tree',
  fix: 'add the CatalogSource (metadata.name = spec.source, in spec.sourceNamespace, with the catalog image) to the tree, or subscribe from a catalog the cluster has',
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/operators/catalog (a Subscription whose CatalogSource is missing gets condition ResolutionFailed / CatalogSourcesUnhealthy and no InstallPlan); ' +
    'operator-framework/operator-marketplace defaults/ (the default CatalogSources of OpenShift); operator-lifecycle-manager deploy/upstream/quickstart/olm.yaml (operatorhubio-catalog)',
  check(o, { graph }) {
    if (!(text(o.manifest.apiVersion) ?? '').startsWith('operators.coreos.com/')) return [];
    const spec = mapping(o.manifest.spec);
    const source = text(spec.source);
    if (!source || /[${}<>]/.test(source) || DEFAULT_CATALOGS.includes(source) || madeInTree(graph, source)) return [];
    const sourceNamespace = text(spec.sourceNamespace) ?? graph.namespaceOf(o.manifest) ?? 'the Subscription namespace';
    const empty = emptyCatalogFile(o);
    const problem = sourceProblem(o, source, sourceNamespace, empty);
    return [empty ? problem : unlessRepositoryMakes(graph, problem, 'CatalogSource', source, undefined)];
  },
};
