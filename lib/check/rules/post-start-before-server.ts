import { containersOf, WORKLOAD_KINDS } from '../pods';
import { mapping } from '../../manifests/access';
import { EarlyServerCall, earlyServerCall, PodContainer, postStartWaitsForServer } from '../post-start-wait';
import { Problem, Rule } from '../rule';

export const postStartBeforeServer: Rule = {
  id: 'post-start-before-server',
  title: "a postStart hook that calls the container's own server before it listens: the hook fails and the kubelet kills the container, in a loop",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container's lifecycle.postStart exec runs a command that asks the container's own server: the Ollama client (run, pull, create, list, …) in a container that runs the Ollama server (an ollama image with no command, or one that says serve), " +
    'or curl/wget to localhost (127.0.0.1, 0.0.0.0, [::1]) at one of its containerPorts (11434 for Ollama); nothing before it in the hook waits (a loop, a sleep) and the hook is not sent to the background; ' +
    "an error where the call's exit status is the hook's (the script's last command, joined to the end by &&, or under set -e), a warning where a while/until loop repeats the call with no counter; a call whose failure the script ignores (|| true, a command after it) is not judged; " +
    "a call to localhost at the port of another container of the pod (or the Ollama client beside an Ollama server container) is an error where that container is listed after the hooked one (the kubelet starts containers one by one and starts the next only once the previous one's postStart hook returns, so it does not exist yet), and a warning where it is listed before (its server races the hook: the kubelet does not wait for it), unless that container's own postStart waits for its server or it is a sidecar (restartPolicy Always init container) with a startup probe",
  example: 'an Ollama Deployment (`image: ollama/ollama:0.12.9`) whose postStart hook runs `"ollama pull llama3.2"`',
  fix: 'preload the model elsewhere (a Job, or a step that waits for the Service once the pod is Ready), or poll the server first in the hook with a bound: `for i in $(seq 60); do curl -sf localhost:11434 && break; sleep 1; done; ollama pull …`',
  source:
    'Kubernetes docs, Concepts > Containers > Container Lifecycle Hooks ("no guarantee that the hook will execute before the container ENTRYPOINT"; a failed PostStart handler kills the container; the container is not Running until the hook completes); ' +
    'kubelet pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer (runs the PostStart handler after StartContainer, kills the container on error: FailedPostStartHook) and kuberuntime_manager.go SyncPod (starts ContainersToStart one by one, in spec order); ' +
    'ollama cmd/cmd.go checkServerHeartbeat (PreRunE of the client commands) and cmd/start_default.go startApp (on Linux it starts no server: the client exits with an error)',
  scope: 'object',
  check(o) {
    const pod = serversOf(containersOf(o.manifest));
    return pod
      .filter((c) => !c.init)
      .flatMap(({ name, container }): Problem[] => {
        const early = earlyServerCall(container, pod);
        if (!early) return [];
        if (early.server !== 'own') return siblingCall(name, early, pod);
        if (early.how === 'retries')
          return [
            {
              severity: 'warning',
              message:
                `container '${name}' lifecycle.postStart repeats \`${early.call}\` in a loop with no bound until it succeeds: the container is not Running (nor Ready, nor probed) until the hook returns, so a call that can never succeed (a model name the registry lacks, no network) holds the pod starting for ever with no error; ` +
                'bound the loop (a counter, then exit 1), or preload the model outside postStart',
            },
          ];
        return [
          {
            message:
              `container '${name}' lifecycle.postStart runs \`${early.call}\` at once: the kubelet starts the hook right after the container's entrypoint, in no order with it, so the container's own server is not yet listening; ` +
              'the call fails, the hook exits non-zero, and the kubelet kills the container (FailedPostStartHook) and restarts it, again and again; ' +
              'preload the model outside postStart (a Job, or a step that waits for the Service once the pod is Ready), or wait for the server first in the hook with a bounded loop (`for i in $(seq 60); do curl -sf localhost:<port> && break; sleep 1; done`)',
          },
        ];
      });
  },
};

/**
 * The containers of a pod that may serve while a container's postStart hook runs, in the order the kubelet starts
 * them: sidecars (init containers with restartPolicy Always) and the containers; an init container that runs to its
 * end serves nothing by then.
 */
function serversOf(pod: readonly PodContainer[]): PodContainer[] {
  return pod.filter((c) => !c.init || mapping(c.container).restartPolicy === 'Always');
}

/**
 * Whether the kubelet holds the next container until this one's server listens: its own postStart waits for it, or a
 * sidecar's startup probe (kubelet computeInitContainerActions starts the next container once a restartable init
 * container is started, which its startupProbe decides).
 */
function heldUntilServing(c: PodContainer | undefined): boolean {
  return c !== undefined && (postStartWaitsForServer(c.container) || (c.init && mapping(c.container).startupProbe !== undefined));
}

/**
 * A hook that calls another container of the pod: the kubelet starts a pod's containers one by one in spec order, and
 * runs each one's postStart hook to its end before it starts the next (kubelet kuberuntime_manager.go SyncPod starts
 * ContainersToStart in a loop; kuberuntime_container.go startContainer runs the PostStart handler synchronously).
 */
function siblingCall(name: string, early: EarlyServerCall, pod: readonly PodContainer[]): Problem[] {
  const other = `container '${early.sibling ?? '?'}'`;
  if (early.server === 'later')
    return [
      {
        message:
          `container '${name}' lifecycle.postStart runs \`${early.call}\`, which asks ${other}, listed after it: the kubelet starts a pod's containers one by one in that order and starts the next only once the previous one's postStart hook has returned, so ${other} does not exist while the hook runs; ` +
          (early.how === 'retries'
            ? `the loop waits for ever, and ${other} never starts`
            : `the call always fails, the hook exits non-zero, and the kubelet kills container '${name}' (FailedPostStartHook) and restarts it after a back-off`) +
          `; list ${other} before container '${name}' and wait for its server in the hook with a bounded loop, or make the call outside postStart`,
      },
    ];
  if (heldUntilServing(pod.find((c) => c.name === early.sibling))) return [];
  return [
    {
      severity: 'warning',
      message:
        `container '${name}' lifecycle.postStart runs \`${early.call}\`, which asks ${other}, started just before it: the kubelet starts the next container as soon as the process of ${other} has started, without waiting for its server (a startup or readiness probe of a container holds nothing), so the call races that server's start; ` +
        (early.how === 'retries'
          ? 'the loop has no bound, so a call that can never succeed holds the pod starting for ever'
          : `where the server is not yet listening the call fails, and the kubelet kills container '${name}' (FailedPostStartHook) and restarts it`) +
        '; wait for the server first in the hook with a bounded loop (`for i in $(seq 60); do curl -sf localhost:<port> && break; sleep 1; done`)',
    },
  ];
}
