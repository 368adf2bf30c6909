import { Loose, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { mergedLlmPods, mergedPodLabel } from '../llm-merged-pods';
import { pathUnder } from '../model-servers';
import { Problem, Rule } from '../rule';

/**
 * Where KServe mounts an LLMInferenceService's serving certificate, and the files its presets pass vLLM
 * (opendatahub-io/kserve config/llmisvc config-llm-template.yaml: `--ssl-certfile /var/run/kserve/tls/tls.crt
 * --ssl-keyfile /var/run/kserve/tls/tls.key`, volumeMount /var/run/kserve/tls).
 */
const KSERVE_TLS_DIR = '/var/run/kserve/tls';
const KSERVE_TLS_FILES: Readonly<Record<string, string>> = { '--ssl-certfile': `${KSERVE_TLS_DIR}/tls.crt`, '--ssl-keyfile': `${KSERVE_TLS_DIR}/tls.key` };

/** The TLS files the main container's command line names (vLLM's and the llm-d simulator's flags), `--flag value` or `--flag=value`. */
function tlsFiles(main: Loose, where: string, presetCommand: boolean): { flag: string; path: string }[] {
  const words = buildCommandLine(containerPieces(main, where, presetCommand)).words.map((w) => w.word);
  return words.flatMap((w, i) =>
    Object.keys(KSERVE_TLS_FILES).flatMap((flag) => {
      const path = w === flag ? words[i + 1] : w.startsWith(`${flag}=`) ? w.slice(flag.length + 1) : undefined;
      return path?.startsWith('/') && !path.includes('$') ? [{ flag, path }] : [];
    }),
  );
}

/**
 * The mounts KServe's main-container template adds whatever the service writes (config-llm-template.yaml
 * volumeMounts: /home, /dev/shm, /models, /var/run/kserve/tls); the shipped presets the tool reads hold only probes.
 */
const PRESET_MOUNTS = ['/home', '/dev/shm', '/models', KSERVE_TLS_DIR];

const underMount = (container: Loose, path: string) =>
  [...mappings(container.volumeMounts).map((m) => text(m.mountPath) ?? ''), ...PRESET_MOUNTS].some((mount) => pathUnder(path, mount));

export const llmTlsFileNotMounted: Rule = {
  id: 'llm-tls-file-not-mounted',
  title: "an LLMInferenceService's command passes --ssl-certfile / --ssl-keyfile at a path no volume of the merged pod mounts",
  severity: 'error',
  appliesTo: ['LLMInferenceService'],
  premise:
    "the main container of an LLMInferenceService's pod, its presets merged as KServe merges them, runs a command line with --ssl-certfile or --ssl-keyfile (vLLM's and the llm-d inference simulator's flags) naming a literal absolute path under none of the merged container's volumeMounts: the file is not in the image (a serving certificate is made per service), so the server cannot open it and exits",
  example: '`--ssl-certfile, /etc/pki/serving/tls.crt` in the args of an LLMInferenceService whose main container mounts no volume there',
  fix: `use the certificate KServe mounts: --ssl-certfile ${KSERVE_TLS_FILES['--ssl-certfile']} --ssl-keyfile ${KSERVE_TLS_FILES['--ssl-keyfile']}`,
  source:
    'opendatahub-io/kserve config/llmisvc presets (config-llm-template.yaml: the serving certificate mounted at /var/run/kserve/tls, passed to vLLM as --ssl-certfile /var/run/kserve/tls/tls.crt); vLLM hands the files to uvicorn, whose ssl.SSLContext.load_cert_chain raises FileNotFoundError; opendatahub-io/models-as-a-service f7d020f9 moved a sample from /etc/ssl/certs to /var/run/kserve/tls',
  check(o, { graph, platform }) {
    const merged = mergedLlmPods(o, graph, platform);
    if (!('pods' in merged)) return [];
    return merged.pods.flatMap((pod): Problem[] => {
      const where = `${pod.path}.containers[main]`;
      const missing = tlsFiles(pod.main, where, !strings(pod.main.command).length).filter((f) => !underMount(pod.main, f.path));
      if (!missing.length) return [];
      const label = mergedPodLabel(
        pod,
        merged.pods.some((p) => p.role === pod.role && p.node === 'worker'),
      );
      const named = missing.map((f) => `${f.flag} ${f.path}`).join(' and ');
      const fix = missing.map((f) => `${f.flag} ${KSERVE_TLS_FILES[f.flag]}`).join(' ');
      return [
        {
          message: `${label}: ${where} passes ${named}, under no volumeMount of the merged container: the file is not in the image, so the server cannot open it and exits; KServe mounts the serving certificate at ${KSERVE_TLS_DIR}: pass ${fix}`,
        },
      ];
    });
  },
};
