import { Loose, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { RunningServer, runningServer } from '../model-servers';
import type { SourcedWord } from '../vllm-args';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { ROUTING_SIDECAR_IMAGE, ROUTING_SIDECAR_PROGRAM } from '../routing-sidecar';
import { Rule } from '../rule';
import { VllmArgs } from '../vllm-args';

/**
 * Images whose entrypoint is a server that runs until stopped, with the program names of that entrypoint (a command
 * naming another program runs that instead): llm-d's routing sidecar (ghcr.io/llm-d/llm-d-routing-sidecar, published
 * by llm-d/llm-d-router as llm-d-router-disagg-sidecar; Dockerfile.sidecar ENTRYPOINT /app/pd-sidecar, a reverse proxy
 * in front of vLLM), llm-d's vLLM simulator (llm-d/llm-d-inference-sim Dockerfile: ENTRYPOINT
 * /app/llm-d-inference-sim, an OpenAI-compatible server) and Envoy (envoyproxy/envoy: ENTRYPOINT
 * docker-entrypoint.sh, CMD envoy). vLLM's images are known by their entrypoint through the command line (command-line.ts).
 */
const SERVER_IMAGES: readonly { readonly image: RegExp; readonly name: string; readonly programs: RegExp }[] = [
  {
    image: ROUTING_SIDECAR_IMAGE,
    name: "llm-d's routing sidecar (a proxy)",
    programs: ROUTING_SIDECAR_PROGRAM,
  },
  { image: /(^|\/)llm-d-inference-sim[:@]/, name: "llm-d's vLLM simulator (a server)", programs: /(^|\/)llm-d-inference-sim$/ },
  { image: /(^|\/)envoyproxy\/envoy(-[a-z]+)?[:@]/, name: 'Envoy (a proxy)', programs: /(^|\/)envoy$/ },
];

/** The server an init container runs: a known server image left to its entrypoint, or a command line that starts a known server. */
function serverOf(c: Loose, where: string): string | undefined {
  const image = text(c.image) ?? '';
  const command = strings(c.command);
  const byImage = SERVER_IMAGES.find((s) => s.image.test(image));
  if (byImage && (!command.length || byImage.programs.test(command[0]))) return `${byImage.name}, image ${image}`;
  const pieces = containerPieces(c, where);
  const line = buildCommandLine(pieces);
  if (VllmArgs.of(line.words).invoked)
    return `vLLM's OpenAI server (${line.programKnown && !strings(c.command).length ? "its image's entrypoint" : 'its command line'} starts it)`;
  const server = runningServer(line, pieces.env, image);
  // a server only the image's entrypoint would start is not judged: the tree does not show the entrypoint
  if (!server || !line.programKnown || endsInScript(line.words, server)) return undefined;
  return `${server.server.name} (its command line starts it)`;
}

/** A word that ends a background job: `kill $!`, `kill $PID`, `kill %1`, `pkill ollama`, `killall ollama`. */
const KILLS = /^(?:.*\/)?(?:kill|pkill|killall)$/;

/**
 * Whether a server the script starts in the background (`ollama serve &`) ends with the script: the shell goes on
 * (waits for the port, pulls a model) and exits, and with it the container, whether or not it kills the server first
 * (`kill $!`, `kill %1`, `pkill ollama`); only a `wait` that no kill precedes keeps the container running on the
 * server (bash manual, "Job Control Builtins": wait returns when the job ends).
 */
function endsInScript(words: readonly SourcedWord[], server: RunningServer): boolean {
  const plain = words.map((w) => w.word.replace(/;+$/, ''));
  const start = server.words.length ? words.indexOf(server.words[0]) : server.server.invocation(plain);
  if (start < 0) return false;
  const end = plain.findIndex((w, i) => i >= start && /^(&&|\|\||;|\||&)$/.test(w));
  if (end < 0 || plain[end] !== '&') return false;
  const rest = plain.slice(end + 1);
  const waits = rest.findIndex((w) => w === 'wait');
  const kills = rest.findIndex((w) => KILLS.test(w));
  return waits < 0 || (kills >= 0 && kills < waits);
}

export const initContainerNeverExits: Rule = {
  id: 'init-container-never-exits',
  title: 'an init container without restartPolicy: Always runs a server that never exits: the app containers never start (Init:0/1)',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "an init container has no restartPolicy: Always (a classic init container, not a native sidecar) and runs a long-running server the tool knows: an image whose entrypoint is one (llm-d's routing sidecar under either image name, llm-d's vLLM simulator, Envoy, vLLM's OpenAI image) with no command naming another program, or a command line that starts vLLM's server or a model server of the tool's table (SGLang, TGI, llama.cpp's server…); the kubelet starts the app containers only after every classic init container has exited successfully, so the pod stays Init:0/1 and is never ready; other images are not judged, however they are named; a server the script starts in the background (`ollama serve &`) and goes on from ends with the script (the shell exits, and the container with it), killed first (`kill $!`, `kill %1`, `pkill ollama`) or not, unless a `wait` that no kill precedes keeps the script on it",
  example: '`initContainers` holding `image: ghcr.io/llm-d/llm-d-routing-sidecar:v0.2.0` without restartPolicy: Always',
  fix: 'give the init container restartPolicy: Always (a native sidecar, Kubernetes 1.29 on by default), or move it to containers',
  source:
    'Kubernetes docs "Init containers" (each init container must complete successfully before the next starts and before the app containers) and "Sidecar containers" (an init container with restartPolicy: Always keeps running beside the app containers; KEP-753, beta and on by default from 1.29); llm-d/llm-d-inference-scheduler and llm-d/llm-d-router Dockerfile.sidecar (ENTRYPOINT /app/pd-sidecar, the routing proxy), llm-d/llm-d-inference-sim Dockerfile (ENTRYPOINT /app/llm-d-inference-sim), envoyproxy/envoy, vllm-project/vllm docker/Dockerfile (ENTRYPOINT vllm serve)',
  check(o) {
    return containersOf(o.manifest)
      .filter((c) => c.init && text(c.container.restartPolicy) !== 'Always')
      .flatMap((c) => {
        const server = serverOf(c.container, `init container ${c.name}`);
        if (!server) return [];
        return [
          {
            message:
              `init container ${c.name} runs ${server} and has no restartPolicy: Always: the kubelet waits for it to exit before starting the app containers, ` +
              `and a server does not exit, so the pod stays Init:0/1 and never serves; give it restartPolicy: Always (a sidecar) or move it to containers`,
          },
        ];
      });
  },
};
