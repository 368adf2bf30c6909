import { containersOf, WORKLOAD_KINDS } from '../pods';
import { earlyServerCall } from '../post-start-wait';
import { Problem, Rule } from '../rule';

export const postStartBeforeServer: Rule = {
  id: 'post-start-before-server',
  title: "a postStart hook that calls the container's own server before it listens: the hook fails and the kubelet kills the container, in a loop",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container's lifecycle.postStart exec runs a command that asks the container's own server: the Ollama client (run, pull, create, list, …) in a container that runs the Ollama server (an ollama image with no command, or one that says serve), " +
    'or curl/wget to localhost (127.0.0.1, 0.0.0.0, [::1]) at one of its containerPorts (11434 for Ollama); nothing before it in the hook waits (a loop, a sleep) and the hook is not sent to the background; ' +
    "an error where the call's exit status is the hook's (the script's last command, joined to the end by &&, or under set -e), a warning where a while/until loop repeats the call with no counter; a call whose failure the script ignores (|| true, a command after it) is not judged",
  example: 'an Ollama Deployment (`image: ollama/ollama:0.12.9`) whose postStart hook runs `"ollama pull llama3.2"`',
  fix: 'preload the model elsewhere (a Job, or a step that waits for the Service once the pod is Ready), or poll the server first in the hook with a bound: `for i in $(seq 60); do curl -sf localhost:11434 && break; sleep 1; done; ollama pull …`',
  source:
    'Kubernetes docs, Concepts > Containers > Container Lifecycle Hooks ("no guarantee that the hook will execute before the container ENTRYPOINT"; a failed PostStart handler kills the container; the container is not Running until the hook completes); ' +
    'kubelet pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer (runs the PostStart handler after StartContainer, kills the container on error: FailedPostStartHook); ' +
    'ollama cmd/cmd.go checkServerHeartbeat (PreRunE of the client commands) and cmd/start_default.go startApp (on Linux it starts no server: the client exits with an error)',
  check(o) {
    return containersOf(o.manifest)
      .filter((c) => !c.init)
      .flatMap(({ name, container }): Problem[] => {
        const early = earlyServerCall(container);
        if (!early) return [];
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
