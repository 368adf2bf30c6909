import { assignedInOrder, resolveShellWord, TreeScript, unquoteShellWord } from './script-text';

/** An upload to S3 a script line writes: the bucket and the key prefix it writes under, or unresolved where a variable is unknown. */
export interface S3Upload {
  /** The bucket and prefix (no leading or trailing '/'); undefined where a word could not be resolved. */
  readonly bucket?: string;
  readonly prefix?: string;
  /** 1-based line of the text. */
  readonly line: number;
  /** The Hugging Face id of what it uploads, where the script downloads it (`huggingface-cli download <id>`) into what it uploads. */
  readonly model?: string;
}

/** An upload a script of the tree writes, with the script's file. */
export interface ScriptS3Upload extends S3Upload {
  readonly script: string;
}

/**
 * The upload commands: aws-cli `aws s3 cp|sync SRC DEST` (DEST s3://B/P), s5cmd `cp SRC DEST`, MinIO's client
 * `mc cp|mirror SRC ALIAS/B/P`. Options are skipped; the destination is the last operand.
 */
const UPLOADER = /(?:^|[\s;&|(])(aws\s+s3\s+(?:cp|sync)|s5cmd\b[^\n;&|]*?\scp|mc\s+(?:cp|mirror))\s+([^\n;&|]*)/g;

/** Options of these commands that take a value word (aws --exclude/--include/…, mc --exclude/--storage-class). */
const VALUED =
  /^--(exclude|include|acl|storage-class|region|profile|endpoint-url|sse|content-type|cache-control|metadata|grants|attr|tags|encrypt-key|expire|cp-window)$/;

/** Bucket and prefix of a destination: s3://B/P, or for mc ALIAS/B/P (a local path, starting with / or ., is no upload). */
function destination(tool: string, dest: string): { bucket: string; prefix: string } | undefined {
  const m = tool.startsWith('mc') ? /^(?!s3:\/\/)[A-Za-z0-9_-]+\/([^/\s]+)\/?(.*)$/.exec(dest) : /^s3:\/\/([^/\s]+)\/?(.*)$/.exec(dest);
  return m ? { bucket: m[1], prefix: m[2].replace(/^\/+|\/+$/g, '') } : undefined;
}

/**
 * Hugging Face downloads: `huggingface-cli download <id>` or `hf download <id>` (huggingface_hub's CLIs), with the
 * folder `--local-dir` names, where given.
 */
const HUB_DOWNLOAD = /(?:^|[\s;&|(])(?:huggingface-cli|hf)\s+download\s+([^\n;&|]*)/g;

/** The hub downloads of a text: each id and its --local-dir, resolved where the script's variables tell them. */
function hubDownloads(text: string, vars: ReadonlyMap<string, string | undefined>): { id: string; dir?: string; line: number }[] {
  return [...text.matchAll(HUB_DOWNLOAD)].flatMap((m) => {
    const words = m[1].trim().split(/\s+/).map(unquoteShellWord);
    const id = resolveShellWord(words.find((w) => !w.startsWith('-')) ?? '', vars);
    const dirAt = words.findIndex((w) => w === '--local-dir' || w.startsWith('--local-dir='));
    const written = dirAt < 0 ? undefined : words[dirAt].includes('=') ? words[dirAt].split('=')[1] : words[dirAt + 1];
    const dir = written === undefined ? undefined : resolveShellWord(written, vars)?.replace(/\/+$/, '');
    const line = text.slice(0, m.index).split('\n').length;
    return id && /^[\w.-]+\/[\w.-]+$/.test(id) ? [{ id, ...(dir ? { dir } : {}), line }] : [];
  });
}

/**
 * The model an upload's source holds: the download before it into that folder (or one under it), else the one
 * download before it where the script has one only.
 */
function uploadedModel(downloads: readonly { id: string; dir?: string; line: number }[], source: string | undefined, line: number): string | undefined {
  const before = downloads.filter((d) => d.line < line);
  const src = source?.replace(/\/+$/, '');
  const into = before.filter((d) => d.dir !== undefined && src !== undefined && (src === d.dir || src.startsWith(`${d.dir}/`)));
  if (into.length) return into[into.length - 1].id;
  return downloads.length === 1 && before.length === 1 ? before[0].id : undefined;
}

/** The S3 uploads of a shell text; `env` gives values the container's environment sets (a script assignment wins). */
export function s3Uploads(text: string, env: ReadonlyMap<string, string | undefined> = new Map()): S3Upload[] {
  const vars = assignedInOrder(text, env);
  const downloads = hubDownloads(text, vars);
  const found: S3Upload[] = [];
  for (const m of text.matchAll(UPLOADER)) {
    const line = text.slice(0, m.index + m[0].indexOf(m[1])).split('\n').length;
    const operands: string[] = [];
    const words = m[2].trim().split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length && !/^[\\#>]/.test(words[i]); i++) {
      if (VALUED.test(words[i])) i++;
      else if (!words[i].startsWith('-')) operands.push(unquoteShellWord(words[i]));
    }
    const dest = operands[operands.length - 1];
    if (operands.length < 2) continue;
    const word = resolveShellWord(dest, vars);
    const at = word === undefined ? undefined : destination(m[1], word);
    // a download (s3:// source, local destination) writes nothing to the bucket
    if (word !== undefined && !at) continue;
    const model = uploadedModel(downloads, resolveShellWord(operands[operands.length - 2], vars), line);
    found.push({ line, ...(at ?? {}), ...(model ? { model } : {}) });
  }
  return found;
}

/**
 * The S3 uploads of the tree's scripts, each with its file; and those of a script another script or guide of the tree
 * runs with literal operands (`./upload-model.sh TheBloke/Mistral-7B-Instruct-v0.2-AWQ mistral-7b-awq`), its
 * positional parameters ($1 … $9) read as those operands, each with the calling line.
 */
export function scriptS3Uploads(scripts: readonly TreeScript[]): ScriptS3Upload[] {
  const own = scripts.flatMap((s) => s3Uploads(s.text).map((u) => ({ ...u, script: s.script })));
  return [...own, ...scripts.flatMap((caller) => calledUploads(caller, scripts))];
}

/** The uploads of the tree's scripts that `caller` runs with operands, positional parameters filled, said at the call. */
function calledUploads(caller: TreeScript, scripts: readonly TreeScript[]): ScriptS3Upload[] {
  return scripts.flatMap((callee) => {
    const name = callee.script.split('/').pop() ?? '';
    if (callee === caller || !/\.sh$/.test(name)) return [];
    const call = new RegExp(`(?:^|[\\s;&|(/])(?:bash\\s+|sh\\s+)?(?:[\\w./-]*/)?${name.replace(/[.]/g, '\\.')}\\s+([^\\n;&|#>]+)`, 'gm');
    return [...caller.text.matchAll(call)].flatMap((m) => {
      const operands = m[1].trim().split(/\s+/).map(unquoteShellWord);
      if (operands.some((o) => o.includes('$'))) return [];
      const filled = callee.text.replace(/\$\{?([1-9])\}?/g, (written, n: string) => operands[Number(n) - 1] ?? written);
      const line = caller.text.slice(0, m.index).split('\n').length + (/^\n/.test(m[0]) ? 1 : 0);
      return s3Uploads(filled)
        .filter((u) => u.model !== undefined)
        .map((u) => ({ ...u, line, script: caller.script }));
    });
  });
}
