import { Loose, strings, text } from '../../manifests/access';
import { containerPieces } from '../command-line';
import { runAsOf, sccGranted } from '../container-user';
import { notWritable } from '../hub-cache';
import { onOpenShift } from '../platform';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { podSpecHolding } from '../workload-lines';
import { CheckContext, Problem, Rule } from '../rule';

/** Ollama's own image (ollama/ollama, its :rocm tags too): its entrypoint is /bin/ollama with `serve` as the command, run as root. */
const OLLAMA_IMAGE = /^((docker\.io|index\.docker\.io)\/)?ollama\/ollama([:@]|$)/;

/**
 * The uid of the `ubuntu` user (HOME /home/ubuntu) of the Ubuntu 24.04 base newer Ollama images use; the 20.04 and
 * 22.04 bases of older ones have no user at 1000: whether HOME is writable depends on the image's base.
 */
const UBUNTU_UID = 1000;

/** Whether the container runs Ollama's server: Ollama's image with its own command (or `ollama serve`), or any image running `ollama serve`. */
function runsOllama(container: Loose): boolean {
  const words = [...strings(container.command), ...strings(container.args)].join(' ').split(/\s+/).filter(Boolean);
  const serves = words.some((w, i) => /(^|\/)ollama$/.test(w) && words[i + 1] === 'serve');
  if (serves) return true;
  return OLLAMA_IMAGE.test(text(container.image) ?? '') && strings(container.command).length === 0 && (!words.length || words[0] === 'serve');
}

/** Why the uid gets an unwritable HOME, and the severity; undefined when its HOME is the image's root or unknown. */
function whoseHome(container: Loose, pod: Loose, ctx: CheckContext): { who: string; severity: 'error' | 'warning' } | undefined {
  const user = runAsOf(container, pod);
  if (user.unknown || user.uid?.value === 0) return undefined;
  if (user.uid?.value === UBUNTU_UID)
    return {
      who: `runs as uid 1000 (${user.uid.from}), which Ollama's images on Ubuntu 20.04 or 22.04 have no user for (HOME=/ from the container runtime; on the Ubuntu 24.04 base it is ubuntu, HOME /home/ubuntu)`,
      severity: 'warning',
    };
  if (user.uid && user.uid.value < UBUNTU_UID) return undefined;
  if (user.uid)
    return {
      who: `runs as uid ${user.uid.value} (${user.uid.from}), which the image's /etc/passwd lacks, so the container runtime sets HOME=/`,
      severity: 'error',
    };
  if (!onOpenShift(ctx) || sccGranted(ctx.graph)) return undefined;
  return {
    who: "sets no runAsUser, so on OpenShift the restricted-v2 SecurityContextConstraints run it as a uid of the namespace's range, which has no home (HOME=/) (unless its ServiceAccount is granted anyuid outside the tree)",
    severity: 'warning',
  };
}

export const ollamaHomeUnwritable: Rule = {
  id: 'ollama-home-unwritable',
  title: "Ollama's server runs as a uid with no writable HOME: `ollama serve` cannot create $HOME/.ollama and exits",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  premise:
    "a container of a workload of the tree runs Ollama's server (Ollama's image with its own command, or `ollama serve`) with no HOME set, as a uid that gets HOME=/ (runAsUser over 1000, which the image's /etc/passwd lacks: an error; 1000, the ubuntu user only on the Ubuntu 24.04 base of newer images: a warning; no runAsUser on OpenShift, where restricted-v2 picks a uid of the namespace's range, unless the tree grants an SCC: a warning), and no writable volume is mounted at /.ollama (or /): " +
    "`ollama serve` first makes its identity key $HOME/.ollama/id_ed25519 and, with OLLAMA_MODELS unset, keeps its models under $HOME/.ollama/models; on the image's root-owned filesystem it fails with `mkdir /.ollama: permission denied`",
  example: '`runAsUser: 1001` on a pod running `ollama/ollama:0.6.5` with no HOME',
  fix: 'set HOME to a folder on a writable volume (the models volume, e.g. HOME=/models with OLLAMA_MODELS=/models/models), or mount a writable volume at /.ollama',
  source:
    'ollama/ollama cmd/cmd.go RunServer → initializeKeypair (os.UserHomeDir()/.ollama/id_ed25519, os.MkdirAll: "could not create directory mkdir /.ollama: permission denied") and envconfig/config.go Models (OLLAMA_MODELS, else $HOME/.ollama/models); runc libcontainer user.GetExecUser (HOME from the uid\'s /etc/passwd entry, "/" when it has none)',
  check(o, ctx) {
    return containersOf(o.manifest)
      .filter((c) => !c.init && runsOllama(c.container))
      .flatMap(({ name, container }): Problem[] => {
        if (containerPieces(container, name).env.some((e) => e.name === 'HOME')) return [];
        const pod = podSpecHolding(o.manifest, container) ?? {};
        const home = whoseHome(container, pod, ctx);
        const reason = home && notWritable('/.ollama', container, pod, []);
        if (!home || !reason) return [];
        const models = containerPieces(container, name).env.some((e) => e.name === 'OLLAMA_MODELS')
          ? ''
          : ' (and, with OLLAMA_MODELS unset, its models under it)';
        return [
          {
            severity: home.severity,
            message:
              `container '${name}' ${home.who}; Ollama's server first creates its identity key in $HOME/.ollama${models}, /.ollama being ${reason}: ` +
              '`ollama serve` exits with "mkdir /.ollama: permission denied" and the pod crash-loops; set HOME to a folder on a writable volume (e.g. the models volume), or mount a writable volume at /.ollama',
          },
        ];
      });
  },
};
