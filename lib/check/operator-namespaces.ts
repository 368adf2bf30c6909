import { dscComponent, effectiveDscs } from './dsc-settings';
import { mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { Platform } from './platform';
import type { CheckContext } from './rule';

/** The OLM packages of the OpenShift AI and Open Data Hub operators. */
const AI_OPERATOR_PACKAGES = ['rhods-operator', 'opendatahub-operator'];

/**
 * The applications and (Managed) monitoring namespaces of the DSCInitialization each operator creates for itself when
 * none exists (opendatahub-operator pkg/upgrade CreateDefaultDSCI: redhat-ods-applications and redhat-ods-monitoring
 * on OpenShift AI, opendatahub on Open Data Hub).
 */
const DEFAULT_OPERATOR_NAMESPACES = ['redhat-ods-applications', 'redhat-ods-monitoring', 'opendatahub'];

/**
 * The namespaces the OpenShift AI operator creates: each DSCInitialization's applicationsNamespace, and its
 * monitoring namespace when monitoring is Managed (opendatahub-operator controllers/dscinitialization
 * createOdhNamespace), and those of the default DSCInitialization.
 */
function aiOperatorNamespaces(graph: ObjectGraph): Set<string> {
  return graph.once('ai-operator-namespaces', () => {
    const out = new Set(DEFAULT_OPERATOR_NAMESPACES);
    for (const d of graph.ofKind('DSCInitialization')) {
      const spec = mapping(d.manifest.spec);
      const applications = text(spec.applicationsNamespace);
      if (applications) out.add(applications);
      const monitoring = mapping(spec.monitoring);
      const namespace = text(monitoring.namespace);
      if (namespace && text(monitoring.managementState) === 'Managed') out.add(namespace);
    }
    return out;
  });
}

/** The operator that creates a namespace itself: its Subscription among `objects`, or none when the platform brings it. */
export interface NamespaceOperator {
  readonly subscription?: GraphObject;
}

/**
 * Whether an operator creates the namespace itself: the OpenShift AI operator its applications namespace, where
 * `objects` (what is synced together) subscribe to that operator, or the platform is OpenShift AI (the operator is
 * installed with it).
 */
export function namespaceOperator(namespace: string, objects: readonly GraphObject[], graph: ObjectGraph, platform: Platform): NamespaceOperator | undefined {
  if (!aiOperatorNamespaces(graph).has(namespace)) return undefined;
  const subscription = objects.find((o) => o.manifest.kind === 'Subscription' && AI_OPERATOR_PACKAGES.includes(text(mapping(o.manifest.spec).name) ?? ''));
  if (subscription) return { subscription };
  return platform === 'kserve' ? undefined : {};
}

/** What a check run knows of its platform, as the namespace rules read it. */
export type JudgedPlatform = Pick<CheckContext, 'platform' | 'platformCandidates' | 'platformConflict'>;

/** A namespace OpenShift AI's operator creates: on which releases, under what setting of the tree, and where that is stated. */
interface OperatorNamespace {
  readonly namespace: string;
  readonly releases: readonly Platform[];
  /** The setting of the tree it takes, where the operator makes it only for a component the tree turns on. */
  readonly when?: (graph: ObjectGraph) => boolean;
  readonly source: string;
}

const OPENSHIFT_AI: readonly Platform[] = ['rhoai-2', 'rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'];

/**
 * The namespaces OpenShift AI's operator (rhods-operator, built from opendatahub-operator) creates by name. The
 * openshift-* ones of the cluster itself, redhat-ods-* and opendatahub count on any platform (platform-namespaces.ts);
 * this table adds those that exist only where the release and the tree's DataScienceCluster make them.
 */
const OPERATOR_NAMESPACES: readonly OperatorNamespace[] = [
  {
    namespace: 'redhat-ods-applications',
    releases: OPENSHIFT_AI,
    source: "the default DSCInitialization's applicationsNamespace (opendatahub-operator pkg/upgrade CreateDefaultDSCI)",
  },
  {
    namespace: 'redhat-ods-monitoring',
    releases: OPENSHIFT_AI,
    source: "the default DSCInitialization's monitoring namespace (opendatahub-operator pkg/cluster DefaultMonitoringNamespaceRHOAI)",
  },
  {
    namespace: 'rhods-notebooks',
    releases: OPENSHIFT_AI,
    source: "the workbenches component's namespace (opendatahub-operator pkg/cluster DefaultNotebooksNamespaceRHOAI, created with the component)",
  },
  {
    namespace: 'models-as-a-service',
    releases: ['rhoai-3.3', 'rhoai-3.4'],
    when: maasManaged,
    source:
      'the namespace of the MaaS Tenant, MaaSSubscription and MaaSAuthPolicy objects, where the operator deploys maas-controller for kserve.modelsAsService Managed (opendatahub-operator components/modelsasservice MaaSSubscriptionNamespace)',
  },
];

/**
 * Whether the tree turns Models-as-a-Service on: a DataScienceCluster with kserve.modelsAsService Managed (the tree's,
 * else the one of its git repository outside it: effectiveDscs).
 */
function maasManaged(graph: ObjectGraph): boolean {
  return effectiveDscs(graph).some((d) => text(mapping(dscComponent(d.manifest, 'kserve').modelsAsService).managementState) === 'Managed');
}

/** The workbench namespaces the tree's DataScienceClusters (else its repository's) set (components.workbenches.workbenchNamespace), which the operator creates. */
function workbenchNamespaces(graph: ObjectGraph): string[] {
  return effectiveDscs(graph)
    .map((d) => text(dscComponent(d.manifest, 'workbenches').workbenchNamespace))
    .filter((n): n is string => n !== undefined);
}

/**
 * Where OpenShift AI's operator creates the namespace on the platform judged, in a few words: a namespace of the table
 * on every release the tree may target, or one the tree's DSCInitialization or DataScienceCluster names. Undefined where
 * the tree's platform signals conflict (the platform may be another) or a candidate release lacks it.
 */
export function operatorCreatedNamespace(namespace: string, graph: ObjectGraph, judged: JudgedPlatform): string | undefined {
  if (judged.platformConflict) return undefined;
  const candidates = judged.platformCandidates ?? [judged.platform];
  const everywhere = (releases: readonly Platform[]) => candidates.every((p) => releases.includes(p));
  const listed = OPERATOR_NAMESPACES.find((n) => n.namespace === namespace && everywhere(n.releases) && (!n.when || n.when(graph)));
  if (listed) return `the OpenShift AI operator: ${listed.source}`;
  if (!everywhere(OPENSHIFT_AI)) return undefined;
  if (aiOperatorNamespaces(graph).has(namespace)) return "the OpenShift AI operator: the tree's DSCInitialization names it";
  return workbenchNamespaces(graph).includes(namespace) ? "the OpenShift AI operator: the tree's DataScienceCluster names it as workbenchNamespace" : undefined;
}
