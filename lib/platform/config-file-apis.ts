/**
 * API groups that are the file formats of components' own configuration: no API server serves them, so an object of
 * one applied to a cluster fails ("no matches for kind"). Each names the file that reads it and where the content
 * belongs instead.
 */
/**
 * createsCluster: the configuration of a tool
 * that creates the cluster, read before any API server exists, so a loose file of it is the tool's, not meant to be
 * applied; clientFile: a client's file (a kubeconfig), which a loose copy is too.
 */
export interface ConfigFileFormat {
  readonly reader: string;
  readonly instead: string;
  readonly createsCluster?: true;
  readonly clientFile?: true;
}

export const CONFIG_FILE_GROUPS: Readonly<Record<string, ConfigFileFormat>> = {
  // kubernetes-sigs/kueue apis/config (v1beta1, v1beta2): read from controller_manager_config.yaml of the ConfigMap
  // kueue-manager-config (the Helm chart's managerConfig.controllerManagerConfigYaml); the Red Hat build of Kueue takes
  // its settings from the operator's Kueue object (spec.config)
  'config.kueue.x-k8s.io': {
    reader: "Kueue's manager configuration file",
    instead:
      "put it under controller_manager_config.yaml of the ConfigMap kueue-manager-config in Kueue's namespace (on OpenShift, the Kueue operator's Kueue object spec.config)",
  },
  // kubernetes/kubelet config/v1beta1, read with --config
  'kubelet.config.k8s.io': {
    reader: "the kubelet's configuration file (--config)",
    instead: 'give it to the kubelet (on OpenShift, a KubeletConfig of machineconfiguration.openshift.io)',
  },
  // kubernetes/kube-scheduler config/v1, read with --config
  'kubescheduler.config.k8s.io': {
    reader: "kube-scheduler's configuration file (--config)",
    instead: 'give it to kube-scheduler (a secondary scheduler reads it from its ConfigMap)',
  },
  // kubernetes/kube-proxy config/v1alpha1
  'kubeproxy.config.k8s.io': { reader: "kube-proxy's configuration file (--config)", instead: "put it in kube-proxy's ConfigMap" },
  // kubernetes/kube-controller-manager config/v1alpha1
  'kubecontrollermanager.config.k8s.io': { reader: "kube-controller-manager's configuration file", instead: 'give it to kube-controller-manager' },
  // k8s.io/apiserver apis/apiserver (AdmissionConfiguration, EncryptionConfiguration, …)
  'apiserver.config.k8s.io': { reader: "kube-apiserver's configuration files (admission, encryption)", instead: 'give it to kube-apiserver with its flag' },
  // k8s.io/apiserver apis/audit: --audit-policy-file
  'audit.k8s.io': {
    reader: "kube-apiserver's audit policy file (--audit-policy-file)",
    instead: 'give it to kube-apiserver (on OpenShift, APIServer spec.audit)',
  },
  // kubernetes/kubeadm cmd/kubeadm/app/apis/kubeadm
  'kubeadm.k8s.io': { reader: "kubeadm's configuration file (kubeadm init --config)", instead: 'pass it to kubeadm' },
  // k3d-io/k3d pkg/config/v1alpha5 (SimpleConfig, kind Simple), read with k3d cluster create --config
  'k3d.io': { reader: "k3d's cluster configuration (k3d cluster create --config)", instead: 'pass it to k3d', createsCluster: true },
  // eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5 (ClusterConfig), read with eksctl create cluster -f
  'eksctl.io': { reader: "eksctl's cluster configuration (eksctl create cluster -f)", instead: 'pass it to eksctl', createsCluster: true },
  // kubernetes-sigs/kind pkg/apis/config/v1alpha4
  'kind.x-k8s.io': { reader: "kind's cluster configuration (kind create cluster --config)", instead: 'pass it to kind', createsCluster: true },
};

/**
 * A kubeconfig: the file kubectl and client libraries read to reach a cluster (k8s.io/client-go
 * tools/clientcmd/api/v1 types.go Config: apiVersion v1, kind Config, clusters, contexts, users, current-context). It
 * is no API object: no API server serves v1 Config, and a kubeconfig applied fails with "no matches for kind".
 */
export const KUBECONFIG_FORMAT: ConfigFileFormat = {
  reader: 'a kubeconfig, the file kubectl and client libraries read to reach a cluster (client-go clientcmd v1 Config)',
  instead: 'give it to kubectl with --kubeconfig or KUBECONFIG, and keep it out of the folders that are applied',
  clientFile: true,
};

/** The keys of a kubeconfig document besides apiVersion and kind (clientcmd/api/v1 Config's JSON names). */
const KUBECONFIG_KEYS = ['clusters', 'contexts', 'users', 'current-context'];

/** Whether a document is a kubeconfig: `apiVersion: v1`, `kind: Config` and any of its own keys (clusters, contexts, users, current-context). */
export function isKubeconfig(m: Readonly<Record<string, unknown>>): boolean {
  return m.apiVersion === 'v1' && m.kind === 'Config' && KUBECONFIG_KEYS.some((k) => k in m);
}
