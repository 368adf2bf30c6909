import { CommandLine, EnvEntry } from './command-line';
import { SourcedWord } from './vllm-args';
import { SERVER_INVOCATIONS } from './server-invocations';

/** What a port of a model server is for: its HTTP API (health included), gRPC, or Prometheus metrics alone. */
export type PortRole = 'http' | 'grpc' | 'metrics';

/** One port a model server opens: the flags and env variable that set it, and its default. */
interface PortSpec {
  readonly role: PortRole;
  readonly flags: readonly string[];
  readonly env?: string;
  /** Another variable read when `env` is unset (LocalAI's ADDRESS after LOCALAI_ADDRESS). */
  readonly altEnv?: string;
  /** The env variable (and flag) holds `host:port` (OLLAMA_HOST, LocalAI's --address), not a bare port. */
  readonly envHostPort?: boolean;
  readonly default: number;
  /** The flag that turns the port off (`--allow-metrics=false`). */
  readonly switch?: string;
}

/** The address a server binds: its flag, else its env variable (`host:port` or a bare host), else its default. */
interface HostSpec {
  readonly flags: readonly string[];
  readonly env?: readonly string[];
  readonly envHostPort?: boolean;
  readonly default: string;
  /** What the server's own image sets in its env (llama.cpp's and Ollama's Dockerfiles), read when the image is that one. */
  readonly imageValue?: string;
}

/**
 * How a server takes its model: the flags and env variables that name one, and what happens without any: `exits`
 * (a required argument), or `depends` (older builds exit, newer ones start without a model).
 */
interface ModelNeed {
  /** Flags beside modelFlags that name a model or where to find one (a hub repository, a URL, a folder of models). */
  readonly flags?: readonly string[];
  readonly env: readonly string[];
  /** Flags that hand the server a file of arguments, which may name the model (SGLang's --config). */
  readonly configFlags: readonly string[];
  readonly without: 'exits' | 'depends';
  readonly says: string;
}

/** A model server other than vLLM (vLLM's own rules read vllm-port.ts): how it is started, the ports it opens, the paths it answers. */
export interface ModelServer {
  readonly name: string;
  /** The index in the words where the server's own arguments start, or -1 when the words do not start it. */
  readonly invocation: (words: readonly string[]) => number;
  /** An image whose entrypoint starts the server, so that args alone reach it. */
  readonly image?: RegExp;
  /** Env the image sets (TGI's and TEI's `ENV PORT=80`), used when the image is that one. */
  readonly imageEnv?: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  /** GET paths the HTTP port answers 200 on when healthy; a path ending in `/` stands for its subtree. */
  readonly healthPaths: readonly string[];
  /** Paths routed for POST only: a GET on them answers 405. */
  readonly postOnly: readonly string[];
  /** The flags naming the model (a hub id, or a local path the server reads at start). */
  readonly modelFlags: readonly string[];
  /** The address it binds, where a default or an image may leave it on loopback or the tree may set it. */
  readonly host?: HostSpec;
  /** Whether it cannot serve without a model argument. */
  readonly model?: ModelNeed;
  /** Flags with which the program does its task and exits, serving nothing (LiteLLM's --version, --skip_server_startup). */
  readonly exitsWith?: readonly string[];
  /** Env variables that make the image start other listeners besides (LiteLLM's SEPARATE_HEALTH_APP): its ports are then not read. */
  readonly portsUnreadWith?: readonly string[];
  readonly source: string;
}

/**
 * The servers, each default from its own source: Triton (server src/command_line_parser.cc: http_port_ 8000,
 * grpc_port_ 8001, metrics_port_ 8002; health on the KServe v2 protocol's /v2/health/live and /v2/health/ready,
 * docs/protocol); TGI (launcher/src/main.rs `port` default 3000, env PORT, the image's Dockerfile `ENV PORT=80`;
 * router/src/server.rs: GET /health, /info, /metrics, POST / and /generate); TEI (router/src/main.rs `port` default
 * 3000, env PORT, Dockerfile `ENV PORT=80`; router/src/http/server.rs: GET /health, /info, /metrics, GET / and /ping
 * as health, POST / and /embed); llama.cpp (tools/server/server.cpp and common/arg.cpp: --port 8080, env LLAMA_ARG_PORT; GET /health,
 * /v1/health, /props, /models, /v1/models, / the web UI); Ollama (envconfig/config.go Host: OLLAMA_HOST, port 11434;
 * server/routes.go: GET / and HEAD / "Ollama is running", /api/version, /api/tags); SGLang (python/sglang/srt/
 * server_args.py port 30000; entrypoints/http_server.py: GET /health, /health_generate, /v1/models, /get_model_info).
 */
export const MODEL_SERVERS: readonly ModelServer[] = [
  {
    name: 'Triton Inference Server',
    invocation: SERVER_INVOCATIONS.triton,
    ports: [
      { role: 'http', flags: ['--http-port'], default: 8000, switch: '--allow-http' },
      { role: 'grpc', flags: ['--grpc-port'], default: 8001, switch: '--allow-grpc' },
      { role: 'metrics', flags: ['--metrics-port'], default: 8002, switch: '--allow-metrics' },
    ],
    healthPaths: ['/v2/health/live', '/v2/health/ready', '/v2', '/v2/models/'],
    postOnly: [],
    modelFlags: ['--model-repository', '--model-store'],
    host: { flags: ['--http-address'], default: '0.0.0.0' },
    model: { env: [], configFlags: [], without: 'exits', says: 'exits at start ("--model-repository must be specified")' },
    source:
      'triton-inference-server/server src/command_line_parser.cc (ports 8000, 8001, 8002; --http-address 0.0.0.0; "--model-repository must be specified"), docs/protocol (GET /v2/health/live, /v2/health/ready)',
  },
  {
    name: 'Text Generation Inference',
    invocation: SERVER_INVOCATIONS.tgi,
    image: /^(ghcr\.io\/huggingface\/)?text-generation-inference([:@]|$)/,
    imageEnv: { PORT: '80' },
    ports: [{ role: 'http', flags: ['--port', '-p'], env: 'PORT', default: 3000 }],
    healthPaths: ['/health', '/info', '/metrics', '/v1/models'],
    postOnly: ['/', '/generate', '/generate_stream', '/v1/chat/completions', '/v1/completions'],
    modelFlags: ['--model-id'],
    host: { flags: ['--hostname'], default: '0.0.0.0' },
    source:
      'huggingface/text-generation-inference launcher/src/main.rs (--port, env PORT, default 3000; --hostname 0.0.0.0), Dockerfile ENV PORT=80, router/src/server.rs (GET /health)',
  },
  {
    name: 'Text Embeddings Inference',
    invocation: SERVER_INVOCATIONS.tei,
    image: /^(ghcr\.io\/huggingface\/)?text-embeddings-inference([:@]|$)/,
    imageEnv: { PORT: '80' },
    ports: [{ role: 'http', flags: ['--port', '-p'], env: 'PORT', default: 3000 }],
    // `/` answers GET as health (the "Inference API health route") beside its POST of the model's task, and /ping too
    healthPaths: ['/health', '/', '/ping', '/info', '/metrics'],
    postOnly: ['/embed', '/embed_all', '/embed_sparse', '/predict', '/rerank', '/tokenize', '/decode', '/embeddings', '/v1/embeddings', '/invocations'],
    modelFlags: ['--model-id'],
    source:
      "huggingface/text-embeddings-inference router/src/main.rs (--port, env PORT, default 3000), Dockerfile ENV PORT=80, router/src/http/server.rs (GET /health, GET / and GET /ping all route to health; POST / to the model type's task)",
  },
  {
    name: 'llama.cpp server',
    invocation: SERVER_INVOCATIONS.llamaCpp,
    image: /^ghcr\.io\/(ggml-org|ggerganov)\/llama\.cpp:server/,
    ports: [{ role: 'http', flags: ['--port'], env: 'LLAMA_ARG_PORT', default: 8080 }],
    healthPaths: ['/health', '/v1/health', '/props', '/models', '/v1/models', '/metrics', '/slots', '/'],
    postOnly: ['/completion', '/v1/completions', '/v1/chat/completions', '/embedding', '/v1/embeddings'],
    modelFlags: ['--model', '-m'],
    // the server images' Dockerfiles (.devops/*.Dockerfile, target server) set ENV LLAMA_ARG_HOST=0.0.0.0
    host: { flags: ['--host'], env: ['LLAMA_ARG_HOST'], default: '127.0.0.1', imageValue: '0.0.0.0' },
    model: {
      flags: ['--hf-repo', '-hf', '-hfr', '--model-url', '-mu', '--docker-repo', '-dr', '--models-dir', '--models-preset'],
      env: ['LLAMA_ARG_MODEL', 'LLAMA_ARG_HF_REPO', 'LLAMA_ARG_MODEL_URL', 'LLAMA_ARG_DOCKER_REPO', 'LLAMA_ARG_MODELS_DIR', 'LLAMA_ARG_MODELS_PRESET'],
      configFlags: [],
      without: 'depends',
      says: 'builds before the router mode look for the default models/7B/ggml-model-f16.gguf, find nothing and exit; builds with it start with no model and answer only for models found in its cache',
    },
    source:
      'ggml-org/llama.cpp common/arg.cpp (--port 8080, env LLAMA_ARG_PORT; --host, env LLAMA_ARG_HOST; -m/-hf/-mu and their LLAMA_ARG_* env), common/common.h (hostnames {"127.0.0.1"}, port 8080), .devops/*.Dockerfile (server target: ENV LLAMA_ARG_HOST=0.0.0.0), tools/server/server.cpp (GET /health)',
  },
  {
    name: 'Ollama',
    invocation: SERVER_INVOCATIONS.ollama,
    image: /^(docker\.io\/)?ollama\/ollama([:@]|$)/,
    ports: [{ role: 'http', flags: [], env: 'OLLAMA_HOST', envHostPort: true, default: 11434 }],
    healthPaths: ['/', '/api/version', '/api/tags', '/api/ps'],
    postOnly: ['/api/generate', '/api/chat', '/api/embed', '/api/pull', '/v1/chat/completions'],
    modelFlags: [],
    // the official image's Dockerfile sets ENV OLLAMA_HOST=0.0.0.0:11434
    host: { flags: [], env: ['OLLAMA_HOST'], envHostPort: true, default: '127.0.0.1', imageValue: '0.0.0.0' },
    source:
      'ollama/ollama envconfig/config.go (OLLAMA_HOST, default 127.0.0.1:11434), Dockerfile (ENV OLLAMA_HOST=0.0.0.0:11434), server/routes.go (GET / "Ollama is running")',
  },
  {
    name: 'SGLang',
    invocation: SERVER_INVOCATIONS.sglang,
    ports: [{ role: 'http', flags: ['--port'], default: 30000 }],
    healthPaths: ['/health', '/health_generate', '/v1/models', '/get_model_info', '/get_server_info', '/metrics'],
    postOnly: ['/generate', '/v1/completions', '/v1/chat/completions'],
    modelFlags: ['--model-path', '--model'],
    host: { flags: ['--host'], default: '127.0.0.1' },
    model: { env: [], configFlags: ['--config'], without: 'exits', says: 'exits at start (argparse: "the following arguments are required: --model-path")' },
    source:
      'sgl-project/sglang python/sglang/srt/server_args.py (ServerArgs: model_path with no default, alias --model; host "127.0.0.1"; port 30000), python/sglang/srt/entrypoints/http_server.py (GET /health)',
  },
  {
    name: 'LocalAI',
    invocation: SERVER_INVOCATIONS.localAi,
    image: /^(docker\.io\/)?(localai\/localai|quay\.io\/go-skynet\/local-ai)([:@]|$)/,
    ports: [{ role: 'http', flags: ['--address'], env: 'LOCALAI_ADDRESS', altEnv: 'ADDRESS', envHostPort: true, default: 8080 }],
    healthPaths: ['/readyz', '/healthz', '/v1/models', '/models', '/metrics', '/'],
    postOnly: ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/chat/completions', '/completions', '/embeddings'],
    modelFlags: [],
    host: { flags: ['--address'], env: ['LOCALAI_ADDRESS', 'ADDRESS'], envHostPort: true, default: '' },
    source: 'mudler/LocalAI core/cli/run.go (Address: env LOCALAI_ADDRESS, ADDRESS; default ":8080"), core/http/app.go (GET /readyz, /healthz)',
  },
  {
    name: 'LiteLLM',
    invocation: SERVER_INVOCATIONS.litellm,
    image: /^ghcr\.io\/berriai\/litellm(-database)?([:@]|$)/,
    ports: [{ role: 'http', flags: ['--port'], env: 'PORT', default: 4000 }],
    healthPaths: ['/health/liveliness', '/health/liveness', '/health/readiness'],
    postOnly: ['/chat/completions', '/v1/chat/completions', '/completions', '/v1/completions', '/embeddings', '/v1/embeddings'],
    modelFlags: [],
    host: { flags: ['--host'], env: ['HOST'], default: '0.0.0.0' },
    exitsWith: ['--version', '-v', '--health', '--test', '--validate_config', '--skip_server_startup', '--setup'],
    portsUnreadWith: ['SEPARATE_HEALTH_APP'],
    source:
      'BerriAI/litellm litellm/proxy/proxy_cli.py (click options --port default 4000, envvar PORT; --host default 0.0.0.0, envvar HOST; --version, --health, --test, --validate_config, --skip_server_startup, --setup exit without serving), Dockerfile (ENTRYPOINT docker/prod_entrypoint.sh, CMD ["--port", "4000"]), docker/prod_entrypoint.sh and docker/supervisord.conf (SEPARATE_HEALTH_APP=1: a health app on SEPARATE_HEALTH_PORT, default 4001), litellm/proxy/health_endpoints/_health_endpoints.py (GET /health/liveliness, /health/liveness, /health/readiness)',
  },
];

/** A port the server opens, and how it is known. */
export interface ServerPort {
  readonly role: PortRole;
  readonly port: number;
  readonly from: string;
}

/** A server a container runs, with the ports it opens; `known` when every port comes from literal words, not a variable or an unread image. */
export interface RunningServer {
  readonly server: ModelServer;
  /** The server's own arguments. */
  readonly words: readonly SourcedWord[];
  readonly ports: readonly ServerPort[];
  readonly known: boolean;
  /** Whether a port the server opens could not be read (`--port $(PORT)` from a variable not in the tree): any port may be it. */
  readonly portUnread: boolean;
}

/** The last value of one of the flags among the server's words: `--port=80`, `--port 80`, `-p 80`. */
export function flagValue(words: readonly SourcedWord[], flags: readonly string[]): SourcedWord | undefined {
  let found: SourcedWord | undefined;
  words.forEach((w, i) => {
    for (const f of flags) {
      if (w.word === f && words[i + 1]) found = words[i + 1];
      else if (w.word.startsWith(`${f}=`)) found = { word: w.word.slice(f.length + 1), from: w.from };
    }
  });
  return found;
}

/** A port from a word: a bare number, or the port of `host:port` / `http://host:port`. */
function portOf(word: string, hostPort: boolean): number | undefined {
  const m = hostPort ? /:(\d{1,5})\/?$/.exec(word) : /^(\d{1,5})$/.exec(word);
  if (!m) return undefined;
  const port = Number(m[1]);
  return port > 0 && port < 65536 ? port : undefined;
}

function portFromSpec(spec: PortSpec, own: readonly SourcedWord[], env: ReadonlyMap<string, EnvEntry>, imageEnv: Readonly<Record<string, string>>) {
  const given = flagValue(own, spec.flags);
  if (given) return { value: given.word, from: `${spec.flags[0]}=${given.word} in ${given.from}`, hostPort: !!spec.envHostPort };
  const set = [spec.env, spec.altEnv].map((name) => (name ? env.get(name) : undefined)).find((e) => e !== undefined);
  if (set) return { value: set.value ?? '$', from: `${set.name}=${set.value ?? '<valueFrom>'} in ${set.from}`, hostPort: !!spec.envHostPort };
  const fromImage = spec.env ? imageEnv[spec.env] : undefined;
  if (fromImage) return { value: fromImage, from: `${spec.env}=${fromImage} set by the image`, hostPort: false };
  return { value: String(spec.default), from: `the default of ${spec.flags[0] ?? spec.env}`, hostPort: false };
}

/**
 * The model server a container's command line starts, and its ports: each port's last flag, else its env variable,
 * else the image's env, else the server's default; a port turned off (`--allow-metrics=false`) is not opened. The
 * line is the command line as the kubelet and a shell build it. Undefined when the line starts none of the table's servers.
 */
export function runningServer(line: CommandLine, env: readonly EnvEntry[], image: string | undefined): RunningServer | undefined {
  const words = line.words;
  const plain = words.map((w) => w.word);
  for (const server of MODEL_SERVERS) {
    const start = server.invocation(plain);
    // no command: the args go to the image's entrypoint, which starts the server
    const byImage = start < 0 && !line.programKnown && !!server.image?.test(image ?? '');
    if (start < 0 && !byImage) continue;
    const end = plain.findIndex((w, i) => i >= Math.max(start, 0) && /^(&&|\|\||;|\||&)$/.test(w));
    const own = words.slice(Math.max(start, 0), end < 0 ? undefined : end);
    if (server.exitsWith && own.some((w) => server.exitsWith?.includes(w.word.replace(/=.*/, '')))) continue;
    // the kubelet's order: envFrom's variables first, the container's env over them
    const envMap = new Map([...(line.envFrom ?? []), ...env].map((e) => [e.name, e]));
    const imageEnv = server.image?.test(image ?? '') ? (server.imageEnv ?? {}) : {};
    let known = true;
    let portUnread = !!server.portsUnreadWith?.some((n) => envMap.has(n)) || (!!server.portsUnreadWith && !!line.envFromOpen);
    const ports: ServerPort[] = [];
    for (const spec of server.ports) {
      if (spec.switch && flagValue(own, [spec.switch])?.word === 'false') continue;
      // an envFrom source the tree does not show may set the port's variable: the port is not known
      const names = [spec.env, spec.altEnv].filter((n): n is string => n !== undefined);
      if (line.envFromOpen && !flagValue(own, spec.flags) && names.length && !names.some((n) => envMap.has(n))) {
        known = false;
        portUnread = true;
        continue;
      }
      const { value, from, hostPort } = portFromSpec(spec, own, envMap, imageEnv);
      const port = portOf(value, hostPort) ?? (hostPort && !value.includes('$') ? spec.default : undefined);
      if (port === undefined) {
        known = false;
        portUnread = true;
        continue;
      }
      ports.push({ role: spec.role, port, from });
    }
    // a derived image may set the port variable the official image sets, or another: its default is a guess
    if (server.imageEnv && !server.image?.test(image ?? '') && server.ports.some((p) => p.env && !envMap.has(p.env) && !flagValue(own, p.flags))) known = false;
    if (own.some((w) => w.uncertain)) known = false;
    return { server, words: own, ports, known, portUnread };
  }
  return undefined;
}

/** Whether the path (query and trailing slash dropped) is one of the paths, a path ending in `/` standing for its subtree. */
export function pathAmong(path: string, paths: readonly string[]): boolean {
  const bare = path.split('?')[0];
  const routed = bare.length > 1 ? bare.replace(/\/+$/, '') : bare;
  return paths.some((p) => (p.length > 1 && p.endsWith('/') ? routed.startsWith(p) : routed === p));
}

/** Whether a path is a directory or lies under it (a mountPath, trailing slashes ignored). */
export function pathUnder(path: string, dir: string): boolean {
  const at = dir.replace(/\/+$/, '');
  return at !== '' && (path === at || path.startsWith(`${at}/`));
}

/** The address a server binds, where it comes from, and whether the tree shows it (a flag or env it sets, a default no image can change). */
export interface BoundHost {
  readonly host: string;
  readonly from: string;
  readonly certain: boolean;
}

/** The host of a `host:port` or URL value (`0.0.0.0:11434`, `http://127.0.0.1:11434`, `:8080`), or the value itself. */
function hostOf(value: string, hostPort: boolean): string {
  if (!hostPort) return value;
  const bare = value.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(bare);
  if (bracketed) return bracketed[1];
  return /^[^:]*:\d*$/.test(bare) ? bare.slice(0, bare.lastIndexOf(':')) : bare;
}

/**
 * The address the server of a container binds: its host flag, else its env variable, else what its official image
 * sets, else its default. Undefined when the server's table entry names no host, or a value is a variable.
 */
export function boundHost(running: RunningServer, env: readonly EnvEntry[], image: string | undefined): BoundHost | undefined {
  const spec = running.server.host;
  if (!spec) return undefined;
  const given = flagValue(running.words, spec.flags);
  const set = (spec.env ?? []).map((n) => env.find((e) => e.name === n)).find((e) => e !== undefined);
  const official = !!running.server.image?.test(image ?? '');
  if (given) {
    if (given.word.includes('$') || given.uncertain) return undefined;
    return { host: hostOf(given.word, !!spec.envHostPort), from: `${spec.flags[0]} ${given.word} in ${given.from}`, certain: true };
  }
  if (set) {
    if (set.value === undefined || set.value.includes('$')) return undefined;
    return { host: hostOf(set.value, !!spec.envHostPort), from: `${set.name}=${set.value} in ${set.from}`, certain: true };
  }
  const what = spec.flags[0] ?? spec.env?.[0] ?? 'its address';
  if (spec.imageValue !== undefined && official) return { host: spec.imageValue, from: `${spec.env?.[0] ?? what} set by the image`, certain: true };
  // a derived image may set the variable the official one sets: the default is a guess there
  return { host: spec.default, from: `the default of ${what}`, certain: spec.imageValue === undefined };
}

/** Whether an address accepts connections from the loopback interface only: localhost, 127.0.0.0/8, ::1. */
export function loopbackOnly(host: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|::1)$/i.test(host);
}

/**
 * Whether a server that needs a model argument is given none: no model flag among its words, no env variable that
 * names one, no file of arguments; undefined when it needs none or its words are not all known.
 */
export function modelNotGiven(running: RunningServer, env: readonly EnvEntry[]): { without: 'exits' | 'depends'; says: string; flags: string } | undefined {
  const need = running.server.model;
  if (!need || running.words.some((w) => w.uncertain || w.opaque || /\$/.test(w.word))) return undefined;
  const flags = [...running.server.modelFlags, ...(need.flags ?? []), ...need.configFlags];
  if (flagValue(running.words, flags)) return undefined;
  if (need.env.some((n) => env.some((e) => e.name === n))) return undefined;
  const named = [...running.server.modelFlags, ...(need.flags ?? []).slice(0, 2)].join(', ');
  return { without: need.without, says: need.says, flags: need.env.length ? `${named} (or ${need.env[0]})` : named };
}
