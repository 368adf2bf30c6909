import { Loose, mapping, text } from '../manifests/access';
import { KUEUE_OPERATOR_PACKAGE } from '../platform/kueue-releases';
import { ObjectGraph } from './graph';

/**
 * The Red Hat build of Kueue operator's own custom resource: kind Kueue in kueue.openshift.io (operator.openshift.io
 * in its tech previews), cluster-scoped and a singleton named `cluster` (openshift/kueue-operator
 * pkg/apis/kueueoperator/v1/types.go: XValidation "Kueue is a singleton, .metadata.name must be 'cluster'";
 * pkg/operator/operatorclient/interfaces.go OperatorConfigName = "cluster": the operator reads only that one).
 */
export const KUEUE_INSTANCE_GROUPS = ['kueue.openshift.io', 'operator.openshift.io'];
export const KUEUE_INSTANCE_NAME = 'cluster';

/** Whether a manifest is an OLM Subscription to the Red Hat build of Kueue operator's package. */
export function isKueueOperatorSubscription(m: Loose): boolean {
  return m.kind === 'Subscription' && (text(m.apiVersion) ?? '').startsWith('operators.coreos.com/') && mapping(m.spec).name === KUEUE_OPERATOR_PACKAGE;
}

/** Whether a manifest is the operator's Kueue custom resource (any name). */
export function isKueueInstance(m: Loose): boolean {
  return m.kind === 'Kueue' && KUEUE_INSTANCE_GROUPS.includes((text(m.apiVersion) ?? '').split('/')[0]);
}

/** What the tree says of the Red Hat build of Kueue operator: its Subscriptions and Kueue custom resources. */
export interface KueueOperatorInstall {
  readonly subscriptions: readonly Loose[];
  readonly instances: readonly Loose[];
}

export function kueueOperatorInstall(graph: ObjectGraph): KueueOperatorInstall {
  return {
    subscriptions: graph
      .ofKind('Subscription')
      .map((o) => o.manifest)
      .filter(isKueueOperatorSubscription),
    instances: graph
      .ofKind('Kueue')
      .map((o) => o.manifest)
      .filter(isKueueInstance),
  };
}

/**
 * Whether the tree installs the Red Hat build of Kueue itself (a kueue-operator Subscription or a Kueue custom
 * resource): then the namespaces it manages are those its fixed managedJobsNamespaceSelector matches.
 */
export function installsRedHatKueue(graph: ObjectGraph): boolean {
  const install = kueueOperatorInstall(graph);
  return install.subscriptions.length > 0 || install.instances.length > 0;
}
