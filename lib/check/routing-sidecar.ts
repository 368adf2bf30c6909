import { parseImageReference } from '../catalog/vllm-images';
import { Loose, strings, text } from '../manifests/access';
import { buildCommandLine, containerPieces } from './command-line';
import { PlacedPort } from './vllm-port';
import { GoFlag, GoFlagKind, goFlags, lastGoFlag } from '../private/go-flags';

/**
 * llm-d's routing sidecar, the reverse proxy in front of vLLM in a decode pod: published as
 * ghcr.io/llm-d/llm-d-routing-sidecar (llm-d/llm-d-routing-sidecar, then llm-d/llm-d-inference-scheduler's Makefile
 * SIDECAR_IMAGE_NAME) and, from the rename to llm-d/llm-d-router, as llm-d-router-disagg-sidecar; Dockerfile.sidecar
 * ENTRYPOINT /app/pd-sidecar.
 */
export const ROUTING_SIDECAR_IMAGE = /(^|\/)(llm-d-routing-sidecar|llm-d-router-disagg-sidecar)([:@]|$)/;
/** The programs of that entrypoint: a command naming another program runs that instead. */
export const ROUTING_SIDECAR_PROGRAM = /(^|\/)(llm-d-routing-sidecar|pd-sidecar)$/;

/**
 * The sidecar's default upstream port: 8001 in every release of llm-d-routing-sidecar (cmd/llm-d-routing-sidecar
 * main.go, then llm-d-inference-scheduler cmd/pd-sidecar/main.go: flag "vllm-port" default "8001") and of
 * llm-d-router before v0.10.0 (pkg/sidecar/proxy/options.go defaultVLLMPort "8001"); 8200 from llm-d-router v0.10.0
 * (llm-d/llm-d-router#1723 "switch default vllm port from 8001 to 8200 for sidecar").
 */
const OLD_DEFAULT = 8001;
const NEW_DEFAULT = 8200;
const NEW_DEFAULT_SINCE = [0, 10, 0];

/** Whether a container runs the routing sidecar: its image left to its entrypoint, or a command naming the sidecar's program. */
export function isRoutingSidecar(c: Loose): boolean {
  const command = strings(c.command);
  if (command.length) return ROUTING_SIDECAR_PROGRAM.test(command[0]);
  return ROUTING_SIDECAR_IMAGE.test(text(c.image) ?? '');
}

/** The sidecar's default upstream port by image: undefined when the tag is no release (latest, a digest, a branch). */
function defaultPort(image: string): PlacedPort | undefined {
  const { repository, tag } = parseImageReference(image);
  if (/(^|\/)llm-d-routing-sidecar$/.test(repository))
    return { port: OLD_DEFAULT, from: `the default of llm-d-routing-sidecar (--vllm-port 8001), no port flag given` };
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag ?? '');
  if (!m) return undefined;
  const version = [Number(m[1]), Number(m[2]), Number(m[3])];
  const newer = version.findIndex((n, i) => n !== NEW_DEFAULT_SINCE[i]);
  const atLeast = newer < 0 || version[newer] > NEW_DEFAULT_SINCE[newer];
  const port = atLeast ? NEW_DEFAULT : OLD_DEFAULT;
  return { port, from: `the default of llm-d-router-disagg-sidecar ${tag} (${atLeast ? 'v0.10.0 on' : 'before v0.10.0'}: ${port}), no port flag given` };
}

/**
 * The sidecar's flags this reader asks for, each valued (pkg/sidecar/proxy/options.go AddFlags; cmd/pd-sidecar main.go
 * before it): a value word after them is theirs whatever it holds.
 */
const VALUED = new Set(['model-server-port', 'vllm-port', 'configuration', 'configuration-file']);
const kind = (name: string): GoFlagKind => (VALUED.has(name) ? 'value' : undefined);

/** The last of the flags given a value under the name (Go's flag parsers keep the last). */
function given(flags: readonly GoFlag[], name: string): GoFlag | undefined {
  return lastGoFlag(
    flags.filter((f) => f.value !== undefined),
    name,
  );
}

/**
 * The port on localhost the routing sidecar forwards to: --model-server-port (llm-d-router v0.10 on), else --vllm-port,
 * else its release's default (pkg/sidecar/proxy/options.go Complete: flag over YAML configuration over default).
 * Undefined when it cannot be known: a value from a variable, a --configuration or --configuration-file that may set
 * it, or an image whose release is not known.
 */
export function routingSidecarTarget(c: Loose, where: string): PlacedPort | undefined {
  const line = buildCommandLine(containerPieces(c, where));
  if (line.words.some((w) => w.uncertain)) return undefined;
  const flags = goFlags(
    line.words.map((w) => w.word),
    { kind },
  );
  const flag = given(flags, 'model-server-port') ?? given(flags, 'vllm-port');
  if (flag?.value !== undefined) {
    const port = /^\d{1,5}$/.test(flag.value) ? Number(flag.value) : undefined;
    return port && port < 65536 ? { port, from: `${flag.written} of ${where}` } : undefined;
  }
  if (given(flags, 'configuration') || given(flags, 'configuration-file')) return undefined;
  return defaultPort(text(c.image) ?? '');
}
