import { compareVllmVersions } from '../../catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../../catalog/vllm-images';
import { text } from '../../manifests/access';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { VLLM_DEFAULT_PORT, vllmListenPort } from '../vllm-port';
import { workloadVllmLines } from '../workload-lines';

/**
 * The first vLLM release whose API server binds its port before the engine starts (vllm-project/vllm#8491, fixing
 * #8204, in entrypoints/openai/api_server.py run_server: create_server_socket before the engine client): from then on
 * the engine's get_open_port finds VLLM_PORT taken and moves to the next port.
 */
const BINDS_FIRST = '0.6.2';

export const vllmPortEnvTaken: Rule = {
  id: 'vllm-port-env-taken',
  title: "VLLM_PORT is set to vLLM's own serving port: the engine takes that port first, and the API server cannot bind it",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  premise: `a container visibly starts vLLM's OpenAI server, sets env VLLM_PORT to a number equal to the port the server listens on (its last --port, else 8000), and its image is a vLLM release before ${BINDS_FIRST} (a release tag of vLLM's own images, or a Red Hat AI Inference Server release); later releases and images whose vLLM version is unknown are not judged`,
  example: '`{name: VLLM_PORT, value: "8000"}` with `--port, "8000"` on `vllm/vllm-openai:v0.4.3`',
  fix: 'remove VLLM_PORT (vLLM then takes a free port for its internal sockets), or set it to a port nothing else in the pod uses',
  source:
    'vLLM takes VLLM_PORT as the first port of its internal sockets (vllm/envs.py VLLM_PORT; vllm/utils.py get_open_port binds it when free); before vllm-project/vllm#8491 the API server bound --port only after the engine had started, so it failed with "[Errno 98] address already in use" (vllm-project/vllm#8204)',
  check(o) {
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      const env = c.env.find((e) => e.name === 'VLLM_PORT');
      const listen = vllmListenPort(c.args, { port: VLLM_DEFAULT_PORT, from: "vLLM's default, no --port given" });
      if (!env?.value || !listen || Number(env.value.trim()) !== listen.port) return [];
      const version = vllmVersionOfImageReference(text(c.container.image) ?? '');
      if (!version || compareVllmVersions(version.version, BINDS_FIRST) >= 0) return [];
      return [
        {
          message:
            `${c.where} sets VLLM_PORT=${env.value.trim()}, the port vLLM serves on (${listen.from}): vLLM ${version.version} (${version.how}) starts its engine first, which takes VLLM_PORT for its internal sockets, ` +
            `and then its API server fails to bind ${listen.port} ("address already in use"); remove VLLM_PORT from the env of ${c.where}`,
        },
      ];
    });
  },
};
