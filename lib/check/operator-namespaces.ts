import { mapping, text } from '../manifests/access';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { Platform } from './platform';

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
