import { FAST_READ_WORDS, MIN_BUDGET_SECONDS, WARM_UP_SPREAD_SECONDS } from '../../planning/startup-budget';
import { probeReachesServer, probeReachesVllm } from '../probe-reaches-vllm';
import { tgiPort, tgiStartups } from '../tgi-startup';
import { llmProbeSubjects, presetDependence, setByWords } from '../llm-probes';
import { postStartWaitsForServer } from '../post-start-wait';
import { probeToleranceSeconds } from '../startup-expectation';
import { servingStartups, WorkloadStartup } from '../workload-startup';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

export const livenessKillsLoading: Rule = {
  id: 'liveness-kills-loading',
  title: 'a liveness probe that runs while vLLM (or TGI) loads the model, with no start-up probe to hold it off',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LeaderWorkerSet', 'ServingRuntime', 'ClusterServingRuntime'],
  premise:
    "the service runs vLLM; its serving container has a liveness probe that asks vLLM's server (an httpGet, tcpSocket or grpc probe on the port vLLM listens on, or an exec probe calling curl, wget, python or nc against the container's own address on that port; a probe running anything else, such as `ray status`, or on another port passes or fails whatever vLLM is doing) and no start-up probe (an LLMInferenceService's pods judged with the platform's presets and baseRefs merged under them, as KServe merges them); in any other workload (Deployment, StatefulSet, Job, a LeaderWorkerSet's leader and workers, …) each container whose command line visibly starts vLLM's server and whose postStart hook does not hold the container until the server answers; a container of a workload or ServingRuntime that runs Hugging Face TGI's text-generation-launcher (its command, or the text-generation-inference image's entrypoint), whose router answers only after the shards have loaded and warmed up, or IBM's TGIS (OpenShift AI's text-generation-inference image, or the launcher with TGIS's --model-name or --grpc-port), whose router answers once the shards have loaded, judged the same way (a liveness probe on its --port, PORT, the TGI image's 80 or TGIS's 3000; its model sized by the parameter count its --model-id or MODEL_ID (TGIS: --model-name, MODEL_NAME) spells, a runtime's /mnt/models by the storage each InferenceService using it names, the smallest; a download not counted; an error only when the read alone at 1000 MiB/s, a fast node's, outlasts the probe, TGI's warm-up an estimate not counted; a model whose size is not known is judged as a 7B model at 16 bits, a warning saying so) (a loop polling a local address: the kubelet runs no probe before postStart returns), the model's size known from a recorded profile or the parameter count its name spells, and a hub model's download counted when no volume holds the Hugging Face cache (a restarted container begins the download again); a service's model sized by its recorded profile, else by the parameter count its storage URI spells (an oci modelcar's repository or tag); a hub cache on an emptyDir, empty whenever a pod starts, counts the download of each new pod, always a warning since the emptyDir outlives a container restart and the download resumes (the pod serves after several restarts); a hub cache on a claim (persistentVolumeClaim, ephemeral, a volumeClaimTemplate) read at a network volume's bandwidth; the estimate rests on assumed rates and an estimated warm-up (a hub download at 40 MiB/s, a typical link's, weights read at 250 MiB/s, 150 from a claim, 120 s of warm-up for graph capture and torch.compile), so it is an error only when the probe is too short even for the fastest plausible start: a download at 200 MiB/s, a fast cloud link's, where one runs at every start, the weights read at 1000 MiB/s (local NVMe, the page cache) and 30 s of warm-up, the least vLLM takes (with --enforce-eager, that is -O0, it captures no CUDA graphs and compiles nothing, but still imports, starts its engine, profiles memory and allocates the KV cache); a hub model cached on a volume, whose first start downloads it and whose restarts resume the download and then read the cache, counted without its download; a model of unknown size by the least warm-up alone; a warning naming the estimate and the rates assumed when such a start fits, and for vLLM only where the estimate outlasts the probe by more than the " +
    `${WARM_UP_SPREAD_SECONDS} s it may be off (the spread of the warm-up vLLM logs: 20–40 s of graph capture, 30–60 s of torch.compile), nothing within that`,
  example: '`livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 3}` and no startupProbe',
  fix: 'add a startupProbe that covers the load (the kubelet runs liveness only after it passes), or give the liveness probe an initialDelaySeconds beyond the load',
  source:
    'without a start-up probe the kubelet runs the liveness probe from the container start and restarts the container when it fails (Kubernetes docs, "Configure Liveness, Readiness and Startup Probes"; aibrix#772 "Probes for quickstart model kill pod"); OpenShift AI 3.0–3.3 presets give vLLM a liveness probe after 120 s (300 s multi-node) and no start-up probe (opendatahub-io/kserve config/llmisvc, until kserve#5063); vLLM fetches a hub model into the Hugging Face cache itself at start (vllm/model_executor/model_loader/weight_utils.py, download_weights_from_hf: huggingface_hub snapshot_download), and a restarted container keeps its volumes but not its own writable layer (Kubernetes docs, "Volumes"); vLLM with --enforce-eager overrides the optimization level to -O0 and captures no CUDA graphs (vllm/config/vllm.py), yet its imports, EngineCore process and device initialisation alone log 15-19 s before any weight is read (vllm#15225); TGI starts its router, the server of /health, only after the shards load and warm up (huggingface/text-generation-inference launcher/src/main.rs: download, spawn_shards, then spawn_webserver); TGIS starts its router once every shard reports ready, with no warm-up unless PT2 compilation is asked for (IBM/text-generation-inference launcher/src/main.rs); the container is not Running until its postStart hook returns and probe workers skip it until then (Kubernetes docs, "Container Lifecycle Hooks"; kubelet pkg/kubelet/prober/worker.go doProbe)',
  check(o, ctx) {
    if (o.manifest.kind === 'LLMInferenceService') return llmProblems(o, ctx);
    // a serving runtime is judged for TGI only: a vLLM runtime's container is judged merged into each service using it
    const runtime = o.manifest.kind === 'ServingRuntime' || o.manifest.kind === 'ClusterServingRuntime';
    const vllm = runtime ? [] : servingStartups(o, ctx).map((e) => ({ e, server: 'vLLM', reaches: (p: unknown) => probeReachesVllm(p, e.container) }));
    const tgi = tgiStartups(o, ctx).map((e) => ({ e, server: e.server, reaches: (p: unknown) => probeReachesServer(p, e.container, tgiPort(e.container)) }));
    type Judged = { e: WorkloadStartup & { assumed?: boolean }; server: string; reaches: (p: unknown) => boolean };
    return [...vllm, ...tgi].flatMap(({ e, server, reaches }: Judged): Problem[] => {
      if (probeToleranceSeconds(e.container.startupProbe) !== undefined || postStartWaitsForServer(e.container)) return [];
      const tolerance = probeToleranceSeconds(e.container.livenessProbe);
      if (tolerance === undefined || tolerance >= e.seconds) return [];
      if (!reaches(e.container.livenessProbe)) return [];
      const warning = tolerance >= e.fastest || e.assumed || e.resumes;
      if (warning && server === 'vLLM' && withinSpread(tolerance, e.seconds)) return [];
      return [
        {
          message:
            `${e.where ? `${e.where}: ` : ''}the liveness probe gives up after ${tolerance} s from the container start, and ${e.basis}` +
            `${e.assumed ? `: if the model is that large, the kubelet restarts ${server} before it ever serves; ` : e.resumes ? resumedWords(tolerance, e, server) : margin(tolerance, e, server)}` +
            `add a startupProbe allowing ${Math.max(2 * e.seconds, MIN_BUDGET_SECONDS)} s`,
          ...(warning ? { severity: 'warning' as const } : {}),
        },
      ];
    });
  },
};

/**
 * Whether vLLM's estimated start outlasts the probe by no more than the estimate may be off (WARM_UP_SPREAD_SECONDS):
 * a warning rests on the estimate alone, so within its spread nothing is said (151 s against 150 s is no finding).
 */
function withinSpread(tolerance: number, estimate: number): boolean {
  return estimate - tolerance <= WARM_UP_SPREAD_SECONDS;
}

/**
 * The estimate rests on assumed rates (startup-budget.ts READ_MIB_PER_S, DOWNLOAD_MIB_PER_S) and an estimated warm-up
 * (WARM_UP_SECONDS): only a probe shorter than the fastest plausible start (a download at FAST_DOWNLOAD_MIB_PER_S where
 * one runs at every start, the weights read at FAST_READ_MIB_PER_S, the least warm-up MIN_WARM_UP_SECONDS) fails on
 * any node, an error; one that such a start fits is short only by the estimate's assumptions, a warning naming them.
 */
function margin(tolerance: number, e: { seconds: number; fastest: number; fastestWords?: string }, server = 'vLLM'): string {
  const restarts = `the kubelet restarts ${server} before it ever serves; `;
  const fast = `on a fast node (${e.fastestWords ?? FAST_READ_WORDS})`;
  if (e.fastest >= e.seconds) return `: ${restarts}`;
  if (tolerance < e.fastest) return `, and about ${e.fastest} s even ${fast}: ${restarts}`;
  // the fastest plausible start fits: the restart is not certain, and the message says it may happen
  return `; ${fast} about ${e.fastest} s, which fits, so it may serve in time, but at the rates assumed the kubelet may restart ${server} before it ever serves; `;
}

/**
 * A download into an emptyDir that the probe cuts short: the volume outlives the restart and the download resumes, so
 * the pod serves after restarts, each after the kubelet's growing back-off, and every new pod goes through them again.
 */
function resumedWords(tolerance: number, e: { seconds: number; fastest: number }, server: string): string {
  const fits = tolerance >= e.fastest ? `; on a fast link about ${e.fastest} s, which fits, but at the rate assumed` : ':';
  return `${fits} the kubelet restarts ${server} in the middle of the download; the emptyDir keeps the fetched files and each restart resumes it, so a new pod serves only after several restarts, with CrashLoopBackOff's growing delay between them; `;
}

function llmProblems(...[o, ctx]: Parameters<Rule['check']>): Problem[] {
  const { severity, note } = presetDependence(ctx, o);
  return llmProbeSubjects(o, ctx).flatMap((s): Problem[] => {
    if (s.startup !== undefined || s.liveness === undefined || s.liveness >= s.seconds) return [];
    if (s.liveness >= s.fastest && withinSpread(s.liveness, s.seconds)) return [];
    return [
      {
        message:
          `${s.label}: the liveness probe of container 'main' (${setByWords(s.pod.setBy.livenessProbe)}) gives up after ${s.liveness} s from the container start, ` +
          `and no start-up probe holds it off; ${s.basis}${margin(s.liveness, s)}` +
          `add ${s.pod.path}.containers[main].startupProbe allowing ${s.budget} s (its fields are merged over the preset's probe)${note}`,
        ...(severity || s.liveness >= s.fastest ? { severity: severity ?? 'warning' } : {}),
      },
    ];
  });
}
