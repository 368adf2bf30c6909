import { isMapping, Loose, mapping, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { inSkippedFolder, workTreeFiles, workTreeRoot } from '../../manifests/work-tree';
import { Rule } from '../rule';

/**
 * The operators OpenShift AI 2.x's KServe component requires before it installs KServe Serverless
 * (opendatahub-operator controllers/components/kserve/kserve.go serviceMeshOperator, serverlessOperator; checked by
 * cluster.OperatorExists, an OperatorCondition whose name starts with the package name, i.e. an OLM install).
 */
const SERVERLESS_PREREQUISITES: readonly { readonly pkg: string; readonly name: string }[] = [
  { pkg: 'servicemeshoperator', name: 'Red Hat OpenShift Service Mesh (servicemeshoperator)' },
  { pkg: 'serverless-operator', name: 'Red Hat OpenShift Serverless (serverless-operator)' },
];

const isSubscription = (m: Loose) => m.kind === 'Subscription' && (text(m.apiVersion) ?? '').startsWith('operators.coreos.com/');

/** The OLM packages the tree and the manifests of its repository subscribe to. */
function subscribedPackages(graph: ObjectGraph): string[] {
  return graph.once('subscribed-packages', () =>
    [...graph.objects.map((o) => o.manifest), ...repositoryObjectsOf(graph).map((o) => o.manifest)]
      .filter(isSubscription)
      .map((m) => text(mapping(m.spec).name) ?? ''),
  );
}

/**
 * Whether a manifest file of the repository names the package as a word (a kustomization patching the Subscription
 * of a remote base, a Helm values file): the operator may be installed from there, unseen as an object.
 */
function namedInRepository(graph: ObjectGraph, pkg: string): boolean {
  const texts = graph.once('repository-manifest-texts', () =>
    graph.checkouts.filter((c) => !inSkippedFolder(c.within)).flatMap((c) => workTreeFiles(workTreeRoot(c)).map((f) => f.text)),
  );
  const word = new RegExp(`(^|[^\\w-])${pkg}([^\\w-]|$)`);
  return texts.some((t) => word.test(t));
}

/** KServe Managed with its Serverless serving Managed (the CRD's default once `serving` is given: infrav1.ServingSpec). */
function servesServerless(m: Loose): boolean {
  const kserve = mapping(mapping(m.spec).components).kserve;
  if (!isMapping(kserve) || text(kserve.managementState) !== 'Managed' || !isMapping(kserve.serving)) return false;
  const state = text(kserve.serving.managementState);
  return state === undefined || state === 'Managed';
}

export const kserveServerlessOperatorsMissing: Rule = {
  id: 'kserve-serverless-operators-missing',
  title:
    'an OpenShift AI 2.x DataScienceCluster manages KServe Serverless (kserve.serving Managed) while the tree installs operators but not the Service Mesh and Serverless operators: KServe stays not Ready',
  severity: 'warning',
  appliesTo: ['DataScienceCluster'],
  premise:
    "on OpenShift AI 2.x (DataScienceCluster v1) a kserve component Managed whose serving.managementState is Managed (the default once serving is given) makes the operator's KServe precondition check look for an installed servicemeshoperator and serverless-operator; without either it marks KServe not Ready (ServiceMeshOperatorNotInstalled / ServerlessOperatorNotInstalled) and installs nothing, so the DataScienceCluster never becomes Ready. Judged where the tree or its repository subscribes operators through OLM but not both of them (a manifest file of the repository naming the package, as a kustomization patching a remote base's Subscription does, counts as installing it); a warning, since the cluster may have them installed by hand",
  example: 'Subscription `name: rhods-operator` alone, and a DataScienceCluster v1 whose kserve is Managed with its serving Managed (`name: knative-serving`)',
  fix: 'subscribe the servicemeshoperator and serverless-operator packages (ordered before the DataScienceCluster), or set kserve.serving.managementState Removed and defaultDeploymentMode RawDeployment',
  source:
    'opendatahub-operator (v2.x) controllers/components/kserve/kserve_controller_actions.go checkPreConditions (cluster.OperatorExists for serviceMeshOperator "servicemeshoperator" and serverlessOperator "serverless-operator", kserve.go); apis/infrastructure/v1/serverless_types.go (serving managementState default Managed); OpenShift AI 2.x docs "Installing KServe dependencies"',
  check(o, { graph, platform }) {
    if (platform !== 'rhoai-2' || text(o.manifest.apiVersion) !== 'datasciencecluster.opendatahub.io/v1' || !servesServerless(o.manifest)) return [];
    const packages = subscribedPackages(graph);
    // a tree that installs no operator leaves them all to the cluster: nothing says these are missing
    if (packages.length === 0) return [];
    const missing = SERVERLESS_PREREQUISITES.filter((p) => !packages.some((s) => s.startsWith(p.pkg)) && !namedInRepository(graph, p.pkg));
    if (missing.length === 0) return [];
    return [
      {
        message:
          `kserve.serving is Managed (KServe Serverless), but the tree and its repository do not subscribe ${missing.map((p) => p.name).join(' nor ')}: ` +
          "the operator's KServe precondition check finds them not installed, marks KServe not Ready and installs nothing, so the DataScienceCluster never becomes Ready; " +
          'subscribe both operators, or set kserve.serving.managementState Removed with defaultDeploymentMode RawDeployment',
      },
    ];
  },
};
