import { assignedInOrder, resolveShellWord, TreeScript, unquoteShellWord } from './script-text';

/** An upload to S3 a script line writes: the bucket and the key prefix it writes under, or unresolved where a variable is unknown. */
export interface S3Upload {
  /** The bucket and prefix (no leading or trailing '/'); undefined where a word could not be resolved. */
  readonly bucket?: string;
  readonly prefix?: string;
  /** 1-based line of the text. */
  readonly line: number;
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

/** The S3 uploads of a shell text; `env` gives values the container's environment sets (a script assignment wins). */
export function s3Uploads(text: string, env: ReadonlyMap<string, string | undefined> = new Map()): S3Upload[] {
  const vars = assignedInOrder(text, env);
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
    found.push({ line, ...(at ?? {}) });
  }
  return found;
}

/** The S3 uploads of the tree's scripts, each with its file. */
export function scriptS3Uploads(scripts: readonly TreeScript[]): ScriptS3Upload[] {
  return scripts.flatMap((s) => s3Uploads(s.text).map((u) => ({ ...u, script: s.script })));
}
