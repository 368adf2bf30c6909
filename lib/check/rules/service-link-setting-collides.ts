import { imageRepositoryName } from '../../catalog/vllm-images';
import { mapping, mappings, text } from '../../manifests/access';
import { envSetting } from '../container-env';
import { GraphObject } from '../graph-object';
import { WORKLOAD_KINDS } from '../pods';
import { writtenPodSpecs } from '../pod-spec-fields';
import { CheckContext, Problem, Rule } from '../rule';
import { appliedWith, serviceLinkVariable } from './vllm-service-name-collides';

/**
 * Servers other than vLLM (vllm-service-name-collides) that read a `<NAME>_PORT` variable as a number, with the
 * repositories of their images (the last part of the image path, no tag) and where their source reads it. Only
 * variables a Service's link can make (`{NAME}_PORT`): a `*_HOST` setting is never one (the kubelet writes
 * `{NAME}_SERVICE_HOST`), so OLLAMA_HOST, for one, is left out.
 */
const PORT_READERS: readonly {
  readonly server: string;
  readonly repositories: readonly string[];
  readonly variables: readonly string[];
  readonly reads: string;
}[] = [
  {
    // onyx-dot-app/onyx backend/shared_configs/configs.py, imported by the model server and by every backend process
    server: 'Onyx',
    repositories: ['onyx-model-server', 'onyx-backend', 'danswer-model-server', 'danswer-backend'],
    variables: ['MODEL_SERVER_PORT', 'INDEXING_MODEL_SERVER_PORT'],
    reads: 'shared_configs/configs.py does int(os.environ.get("…_PORT") or …) when it is imported, so int("tcp://…") raises ValueError and the process exits',
  },
  {
    // huggingface/text-generation-inference launcher/src/main.rs Args: `master_port: usize` with clap's `env`
    // (MASTER_PORT), parsed before anything starts, and so does IBM's fork (TGIS, IBM/text-generation-inference
    // launcher/src/main.rs); PROMETHEUS_PORT is read the same way only since TGI 3.3, so left out
    server: 'text-generation-inference',
    repositories: ['text-generation-inference'],
    variables: ['MASTER_PORT'],
    reads:
      'text-generation-launcher parses its master_port argument (clap, env MASTER_PORT) as a number when it starts, so "tcp://…" is an invalid value and the launcher exits before it starts a shard',
  },
];

/** The containers of the workload that run one of the server's images with service links on and do not set the variable themselves. */
function exposed(w: GraphObject, variable: string, repositories: readonly string[], ctx: CheckContext): { name: string; unknown: readonly string[] }[] {
  return writtenPodSpecs(w.manifest).flatMap((s) => {
    // enableServiceLinks: false: the kubelet writes no link variables (pkg/kubelet/kubelet_pods.go getServiceEnvVarMap)
    if (s.spec.enableServiceLinks === false) return [];
    return mappings(s.spec.containers).flatMap((c) => {
      if (!repositories.includes(imageRepositoryName(text(c.image) ?? ''))) return [];
      // a container's own env or envFrom wins over the link variable
      const setting = envSetting(ctx.graph, c, ctx.graph.namespaceOf(w.manifest), variable);
      if (setting.state === 'set') return [];
      return [{ name: text(c.name) ?? '', unknown: setting.state === 'unknown' ? setting.sources : [] }];
    });
  });
}

/** The finding on one workload: an error when it is applied with the Service and nothing may set the variable, else a warning. */
function collision(o: GraphObject, w: GraphObject, variable: string, reader: (typeof PORT_READERS)[number], ctx: CheckContext): Problem | undefined {
  const containers = exposed(w, variable, reader.repositories, ctx);
  if (!containers.length) return undefined;
  const unknown = [...new Set(containers.flatMap((c) => c.unknown))];
  const together = appliedWith(o, w);
  const doubt = [
    ...(together ? [] : ['the Service is applied apart from it, so only where both are applied']),
    ...(unknown.length ? [`unless ${unknown.join(', ')}, which envFrom reads and the tree does not hold, sets ${variable}`] : []),
  ];
  return {
    ...(doubt.length ? { severity: 'warning' as const } : {}),
    // the pods that stop are the workload's: latent while it runs none (the engine judges its replicas)
    failsIn: [w],
    message:
      `the kubelet sets ${variable}=tcp://<cluster IP>:<port> in the pods of ${ctx.graph.id(w)} (container ${containers.map((c) => `'${c.name}'`).join(', ')}, ${reader.server}), which have service links on` +
      `${doubt.length ? ` (${doubt.join('; ')})` : ''}: ${reader.server} reads ${variable} as a port number, and ${reader.reads}; ` +
      `set ${variable} in the container's env (its port), rename the Service, or set enableServiceLinks: false in the pod spec of ${ctx.graph.id(w)}`,
  };
}

export const serviceLinkSettingCollides: Rule = {
  id: 'service-link-setting-collides',
  title:
    "a Service's name makes the kubelet set a <NAME>_PORT variable that a server of its namespace reads as a port number (Onyx's MODEL_SERVER_PORT): it stops at start",
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    "the kubelet writes, in each pod of a Service's namespace with enableServiceLinks unset, `{NAME}_PORT=tcp://<cluster IP>:<port>` for each Service with a cluster IP (NAME upper-cased, '-' as '_'); " +
    "where that is a variable a server reads as a number when it starts (Onyx's model server and backend images, onyx-model-server, onyx-backend and their danswer- names: MODEL_SERVER_PORT and INDEXING_MODEL_SERVER_PORT, read with int() in shared_configs/configs.py; Hugging Face text-generation-inference's image: MASTER_PORT, its launcher's master_port argument, which clap reads from the env as a number, so a Service named master stops it), " +
    'and a container of that image in the namespace neither sets the variable in env nor reads it from an envFrom source of the tree, the process exits at start: an error where the Service and the workload are applied together (a kustomize root or cdk8s app they share, else one folder), a warning where they are applied apart or an envFrom source the tree does not hold may set it. ' +
    "vLLM's own variables are vllm-service-name-collides'; variables ending in _HOST are never made by a link (the kubelet writes {NAME}_SERVICE_HOST), so settings such as OLLAMA_HOST are not judged",
  example: '`kind: Service` named `indexing-model-server` beside a Deployment running `onyxdotapp/onyx-model-server`',
  fix: "set the variable in the container's env to its port number, rename the Service, or set enableServiceLinks: false in the pod spec",
  source:
    'kubernetes pkg/kubelet/envvars FromServices (`{NAME}_PORT=tcp://<cluster IP>:<port>`); pkg/kubelet/kubelet_pods.go (enableServiceLinks; env of the container wins); onyx-dot-app/onyx backend/shared_configs/configs.py (MODEL_SERVER_PORT, INDEXING_MODEL_SERVER_PORT read with int()); huggingface/text-generation-inference launcher/src/main.rs (Args master_port: usize, clap long and env MASTER_PORT)',
  check(o, ctx) {
    const spec = mapping(o.manifest.spec);
    const name = text(mapping(o.manifest.metadata).name);
    // the kubelet makes link variables only of Services with a cluster IP
    if (!name || spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
    const variable = serviceLinkVariable(name);
    const reader = PORT_READERS.find((r) => r.variables.includes(variable));
    if (!reader) return [];
    const ns = ctx.graph.namespaceOf(o.manifest);
    const workloads = WORKLOAD_KINDS.flatMap((k) => ctx.graph.ofKind(k)).filter((w) => ctx.graph.namespaceOf(w.manifest) === ns);
    return workloads.map((w) => collision(o, w, variable, reader, ctx)).filter((p): p is Problem => p !== undefined);
  },
};
