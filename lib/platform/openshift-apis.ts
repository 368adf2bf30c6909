/**
 * The API groups an OpenShift cluster's own API servers and operators serve (openshift/api: the GroupName of each
 * register.go): objects of these groups are applied to a cluster, so their metadata is ObjectMeta. The component
 * configuration files openshift/api also defines (kubecontrolplane.config, openshiftcontrolplane.config, osin.config,
 * servicecertsigner.config) are read from files, never served, and are left out.
 */
export const OPENSHIFT_API_GROUPS: ReadonlySet<string> = new Set([
  'apiextensions.openshift.io',
  'apiserver.openshift.io',
  'apps.openshift.io',
  'authorization.openshift.io',
  'build.openshift.io',
  'cloud.network.openshift.io',
  'config.openshift.io',
  'console.openshift.io',
  'controlplane.operator.openshift.io',
  'etcd.openshift.io',
  'helm.openshift.io',
  'image.openshift.io',
  'imageregistry.operator.openshift.io',
  'ingress.operator.openshift.io',
  'insights.openshift.io',
  'machine.openshift.io',
  'machineconfiguration.openshift.io',
  'monitoring.openshift.io',
  'network.openshift.io',
  'network.operator.openshift.io',
  'oauth.openshift.io',
  'operator.openshift.io',
  'platform.openshift.io',
  'project.openshift.io',
  'quota.openshift.io',
  'route.openshift.io',
  'samples.operator.openshift.io',
  'security.openshift.io',
  'sharedresource.openshift.io',
  'template.openshift.io',
  'user.openshift.io',
]);

/** OpenShift's Route group (openshift/api route/v1 register.go). */
export const ROUTE_GROUP = 'route.openshift.io';

/** The fields of a Route's spec (openshift/api route/v1 types.go RouteSpec). */
export const ROUTE_SPEC_FIELDS: readonly string[] = ['host', 'subdomain', 'path', 'to', 'alternateBackends', 'port', 'tls', 'wildcardPolicy', 'httpHeaders'];

/**
 * The spec fields of OpenShift kinds whose schema the project does not ship, by `group/kind`: a key of these written
 * under metadata is the spec mis-indented.
 */
export const OPENSHIFT_SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [`${ROUTE_GROUP}/Route`]: ROUTE_SPEC_FIELDS,
};
