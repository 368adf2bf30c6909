import { TreeScript } from './script-text';

/** A request to an OpenAI-compatible server a text sends, naming the model it asks for. */
export interface ModelRequest {
  /** The host of the URL it is sent to, as written (`vllm`, `llama-predictor.ml.svc.cluster.local`). */
  readonly host: string;
  /** The model named (`"model": "X"`, `model="X"`, a benchmark client's `--model X`). */
  readonly model: string;
  /** Its line in the text, 1-based. */
  readonly line: number;
}

/** A request a script or README of the tree sends, with the file it is in. */
export interface ScriptModelRequest extends ModelRequest {
  readonly script: string;
}

/** An http(s) URL: its host (not one a variable or template fills in) and its path. */
const URL = /\bhttps?:\/\/([A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?(\/[^\s"'`),\\]*)?/g;

/**
 * The model named in a JSON body (`"model": "X"`, with shell-escaped quotes too) or an OpenAI client's call
 * (`model="X"`, `model='X'`). A value holding a variable, a template or a `<placeholder>` is not read.
 */
const JSON_MODEL = /\\?"model\\?"\s*:\s*\\?"([^"\\$<>{}\s][^"\\$<>{}]*)\\?"/g;
const CLIENT_MODEL = /\bmodel\s*=\s*(["'])([^"'$<>{}\s][^"'$<>{}]*)\1/g;

/** A benchmark client's model flag (`vllm bench serve --model X`, benchmark_serving.py, guidellm): the name it requests. */
const BENCH_CLIENT = /\bbench\s+serve\b|benchmark_serving|\bguidellm\b/;
const BENCH_MODEL = /(?:^|\s)--model(?:=|\s+)(["']?)([^\s"'$<>{}]+)\1/g;

/**
 * Paths of an OpenAI-compatible API (vLLM's /v1/completions, /v1/chat/completions, /v1/embeddings; KServe's
 * /openai/v1/…) or a client's base URL ending in /v1; not KServe's v1 protocol (/v1/models/NAME:predict).
 */
const OPENAI_PATH = /^\/(?:openai\/)?v1(?:\/|$)/;
const KSERVE_V1 = /^\/v1\/models\/[^/]+:(?:predict|explain)/;

/** A paragraph of a text (lines up to a blank one), with the line it starts at. */
function paragraphs(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 1;
  let lines: string[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim()) {
      if (!lines.length) start = i + 1;
      lines.push(l);
    } else if (lines.length) {
      out.push({ start, text: lines.join('\n') });
      lines = [];
    }
  });
  if (lines.length) out.push({ start, text: lines.join('\n') });
  return out;
}

/**
 * The requests a text sends to OpenAI-compatible servers: in each paragraph, the models it names and the one host its
 * URLs reach. A paragraph whose URLs reach several hosts, or none, is left: which server is meant is not told. A
 * benchmark client given --served-model-name (or --tokenizer-less flags the tree cannot follow) is read as naming
 * that name, so it is not read here.
 */
export function modelRequests(text: string): ModelRequest[] {
  // a request names its server by URL: a text without one sends none (the rule asks of every container's text)
  if (!text.includes('://')) return [];
  return paragraphs(text).flatMap((p): ModelRequest[] => {
    const bench = BENCH_CLIENT.test(p.text);
    const hosts = new Set(
      [...p.text.matchAll(URL)]
        .filter((m) => !/^[$`{]/.test(p.text.slice((m.index ?? 0) + m[0].length)))
        .filter((m) => bench || (OPENAI_PATH.test(m[2] ?? '') && !KSERVE_V1.test(m[2] ?? '')))
        .map((m) => m[1].toLowerCase()),
    );
    if (hosts.size !== 1) return [];
    const [host] = hosts;
    const named = [
      ...[...p.text.matchAll(JSON_MODEL)].map((m) => ({ model: m[1], at: m.index ?? 0 })),
      ...[...p.text.matchAll(CLIENT_MODEL)].map((m) => ({ model: m[2], at: m.index ?? 0 })),
      ...(bench && !p.text.includes('--served-model-name') ? [...p.text.matchAll(BENCH_MODEL)].map((m) => ({ model: m[2], at: m.index ?? 0 })) : []),
    ];
    return named.map(({ model, at }) => ({ host, model: model.trim(), line: p.start + p.text.slice(0, at).split('\n').length - 1 }));
  });
}

/** The requests the tree's scripts and READMEs send, each with its file. */
export function scriptModelRequests(scripts: readonly TreeScript[]): ScriptModelRequest[] {
  return scripts.flatMap((s) => modelRequests(s.text).map((r) => ({ ...r, script: s.script })));
}
